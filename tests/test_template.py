from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from roadmap.cli import cli
from roadmap.domain import Lift
from roadmap.input import schema
from roadmap.input.schema import INITIATIVES, SCENARIOS, SETTINGS, SHEETS
from roadmap.input.template import cell_value, example_tables, number_format, write_input_workbook

INI = INITIATIVES.name


def _col(sheet: schema.Sheet, key: str) -> schema.Column:
    return sheet.column(key)


def test_cell_value_dates_become_real_dates() -> None:
    col = _col(INITIATIVES, "earliest_start")
    assert cell_value(col, "2027-04-01") == datetime(2027, 4, 1)
    assert cell_value(col, date(2028, 1, 31)) == datetime(2028, 1, 31)


def test_cell_value_percent_text_becomes_fraction() -> None:
    col = _col(INITIATIVES, "probability")
    assert cell_value(col, "85%") == pytest.approx(0.85)
    assert cell_value(col, "12.5 %") == pytest.approx(0.125)
    assert cell_value(col, 0.4) == 0.4
    assert number_format(col, 0.4) == "0%"
    assert number_format(col, 0.005) == "0.0%"


def test_cell_value_lists_lifts_and_numbers_become_text() -> None:
    lifts = _col(INITIATIVES, "lifts")
    assert cell_value(lifts, {"CAP-01": 1, "CAP-02": 0.5}) == "CAP-01: 1, CAP-02: 0.5"
    assert cell_value(lifts, [Lift("CAP-03", 2.0)]) == "CAP-03: 2"
    assert cell_value(lifts, [("CAP-04", 1.5)]) == "CAP-04: 1.5"
    assert cell_value(_col(INITIATIVES, "retires"), ["SYS-01", "SYS-02"]) == "SYS-01, SYS-02"
    assert cell_value(_col(INITIATIVES, "cost_profile"), [0.2, 0.5, 0.3]) == "0.2, 0.5, 0.3"
    assert cell_value(_col(INITIATIVES, "mandatory"), True) == "yes"
    assert cell_value(_col(INITIATIVES, "excluded"), False) == "no"
    assert cell_value(_col(INITIATIVES, "capex"), None) is None


def _write(tmp_path: Path, tables=None, settings=None, **kw) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.xlsx"
    write_input_workbook(path, tables or {}, settings, **kw)
    return openpyxl.load_workbook(path)


def test_sheets_in_schema_order_with_schema_headers(tmp_path: Path) -> None:
    wb = _write(tmp_path)
    assert wb.sheetnames == [schema.INSTRUCTIONS_SHEET, *(s.name for s in SHEETS)]
    for sheet in SHEETS:
        if sheet.key_value:
            continue
        ws = wb[sheet.name]
        headers = [c.value for c in ws[1]]
        assert headers == [c.header for c in sheet.columns]
        assert ws.freeze_panes in ("A2", "B2")
        assert all(c.font.bold for c in ws[1])


def test_without_instructions(tmp_path: Path) -> None:
    wb = _write(tmp_path, instructions=False)
    assert wb.sheetnames == [s.name for s in SHEETS]


def test_settings_defaults_and_overrides(tmp_path: Path) -> None:
    wb = _write(tmp_path, settings={"plan_start": date(2027, 1, 1), "horizon": 24})
    ws = wb[SETTINGS.name]
    assert [c.value for c in ws[1]] == ["Setting", "Value", "Help"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert values["Plan start"] == datetime(2027, 1, 1)
    assert values["Horizon"] == 24
    for col in SETTINGS.columns:
        if col.key not in ("plan_start", "horizon"):
            expected = col.default
            if col.type == "bool":
                expected = "yes" if col.default else "no"
            if expected == "":
                expected = None  # an empty text setting is an empty cell
            assert values[col.header] == expected, col.header
    row_of = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    assert ws.cell(row_of["Discount rate"], 2).number_format == "0%"
    assert ws.cell(row_of["Plan start"], 2).number_format == "yyyy-mm-dd"


def test_formula_looking_text_is_written_as_text(tmp_path: Path) -> None:
    risky = ['=HYPERLINK("http://x")', "+2", "-1 FTE", "@SUM(A1)"]
    rows = [{"id": f"I{k}", "name": text, "duration": 1} for k, text in enumerate(risky)]
    scenario = [{"scenario": "Hire", "parameter": "capacity_change", "value": "+2"}]
    path = tmp_path / "in.xlsx"
    write_input_workbook(path, {INI: rows, SCENARIOS.name: scenario})
    ws = openpyxl.load_workbook(path)[INI]
    assert [ws.cell(r, 2).value for r in range(2, 6)] == risky
    assert all(ws.cell(r, 2).data_type == "s" for r in range(2, 6))
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(name).decode(), name


def test_refuses_to_overwrite_and_leaves_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(FileExistsError):
        write_input_workbook(path, {})
    assert path.read_bytes() == b"not a workbook"
    write_input_workbook(path, {}, overwrite=True)
    assert openpyxl.load_workbook(path).sheetnames[0] == schema.INSTRUCTIONS_SHEET


def test_failed_save_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: object, filename: str) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    with pytest.raises(OSError, match="disk full"):
        write_input_workbook(tmp_path / "in.xlsx", {})
    assert list(tmp_path.iterdir()) == []


def test_unknown_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="capx"):
        write_input_workbook(tmp_path / "a.xlsx", {INI: [{"id": "A", "capx": 1}]})
    with pytest.raises(ValueError, match="Nope"):
        write_input_workbook(tmp_path / "b.xlsx", {"Nope": []})
    with pytest.raises(ValueError, match="horizn"):
        write_input_workbook(tmp_path / "c.xlsx", {}, {"horizn": 3})


def test_wide_sheet_gets_one_column_per_criterion(tmp_path: Path) -> None:
    rows = [{"initiative": "A", "FIT": 7, "RISK": 3}, {"initiative": "B", "RISK": 2, "TTV": 9}]
    ws = _write(tmp_path, {schema.SCORES.name: rows})[schema.SCORES.name]
    assert [c.value for c in ws[1]] == ["Initiative", "FIT", "RISK", "TTV"]
    assert [c.value for c in ws[3]] == ["B", None, 2, 9]


def test_formats_drop_downs_and_notes(tmp_path: Path) -> None:
    row = {
        "id": "A",
        "name": "n",
        "duration": 2,
        "capex": 1_250_000,
        "probability": "80%",
        "earliest_start": "2027-04-01",
        "status": "proposed",
    }
    ws = _write(tmp_path, {INI: [row]})[INI]
    letter = {c.value: c.column_letter for c in ws[1]}
    assert ws[f"{letter['Capex']}2"].number_format == "#,##0"
    assert ws[f"{letter['Probability of success']}2"].number_format == "0%"
    assert ws[f"{letter['Earliest start']}2"].number_format == "yyyy-mm-dd"
    formulas = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    status = '"' + ",".join(INITIATIVES.column("status").choices) + '"'
    assert formulas[status].startswith(f"{letter['Status']}2:")
    assert formulas['"yes,no"']  # bool columns get a yes/no list
    assert "Licences" in ws[f"{letter['Run cost per year']}1"].comment.text


def test_instructions_cover_every_sheet_and_column(tmp_path: Path) -> None:
    ws = _write(tmp_path)[schema.INSTRUCTIONS_SHEET]
    text = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    for sheet in SHEETS:
        assert sheet.name in text
        assert sheet.help in text
        for col in sheet.columns:
            assert col.header in text
            if col.help:
                assert col.help in text
    assert "money" in text and "percent" in text  # the cell-type legend


def test_example_rows_read_back_as_the_schema_examples(tmp_path: Path) -> None:
    cells = pytest.importorskip("roadmap.input.cells")
    tables, settings = example_tables()
    path = tmp_path / "ex.xlsx"
    write_input_workbook(path, tables, settings)
    wb = openpyxl.load_workbook(path)
    for sheet in SHEETS:
        if sheet.key_value or sheet.wide:
            continue
        ws = wb[sheet.name]
        for col_index, col in enumerate(sheet.columns, start=1):
            if col.example is None:
                continue
            cell = ws.cell(2, col_index)
            written = cell.value
            if col.type == "percent" and "%" in cell.number_format:
                # a cell formatted as a percentage reads as it shows (140 % = 1.4), as the reader does
                written = f"{float(written) * 100:.6g}%"
            assert cells.parse_cell(written, col) == cells.parse_cell(col.example, col), (
                sheet.name,
                col.header,
            )


def test_template_command(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "p.xlsx"
    result = runner.invoke(cli, ["template", str(path)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(path)[INI].max_row == 1  # blank: headers only
    again = runner.invoke(cli, ["template", str(path)])
    assert again.exit_code == 2
    assert "already exists" in again.output and "--force" in again.output
    forced = runner.invoke(cli, ["template", str(path), "--force", "--example"])
    assert forced.exit_code == 0, forced.output
    assert openpyxl.load_workbook(path)[INI].max_row >= 2
    bad = runner.invoke(cli, ["template", str(tmp_path / "p.xls")])
    assert bad.exit_code == 2 and ".xlsx" in bad.output
    missing = runner.invoke(cli, ["template", str(tmp_path / "no" / "p.xlsx")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


@pytest.mark.parametrize("example", [False, True])
def test_template_validates(tmp_path: Path, example: bool) -> None:
    pytest.importorskip("roadmap.input.reader")
    pytest.importorskip("roadmap.cli.validate")
    runner = CliRunner()
    path = tmp_path / "p.xlsx"
    runner.invoke(cli, ["template", str(path), *(["--example"] if example else [])])
    result = runner.invoke(cli, ["validate", str(path)])
    if example:
        assert result.exit_code == 0, result.output
    else:  # a blank template has no initiatives: the validator may say so, but never crash
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.output
