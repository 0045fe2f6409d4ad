"""Reading workbooks: sheets and headers found loosely, cells typed, bad files refused clearly."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import valid_tables, write_workbook

from roadmap.domain import Severity, SpendKind, Status
from roadmap.errors import InputError
from roadmap.input.reader import load_portfolio, read, read_workbook


def codes(findings: list) -> set[str]:
    return {f.code for f in findings}


def edit(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Apply ``change(workbook)`` with openpyxl and save back (tests only)."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def test_valid_workbook_reads_without_findings(valid_workbook: Path) -> None:
    portfolio, findings = read_workbook(valid_workbook)
    assert findings == []
    assert portfolio is not None
    assert [i.id for i in portfolio.initiatives] == ["INI-01", "INI-02", "INI-03"]
    ini = portfolio.initiative_by_id["INI-01"]
    assert ini.row == 2 and ini.capex == 100000 and ini.probability == pytest.approx(0.9)
    assert portfolio.initiative_by_id["INI-02"].retires == ("SYS-01",)
    assert portfolio.settings.plan_start == date(2027, 1, 1)
    assert portfolio.settings.horizon == 8
    assert portfolio.settings.discount_rate == pytest.approx(0.08)  # schema default
    assert portfolio.budgets[1].pool == "IT" and portfolio.budgets[0].kind is SpendKind.TOTAL
    assert {(s.initiative, s.criterion): s.value for s in portfolio.scores}[("INI-02", "RISK")] == 6
    assert not portfolio.criteria[1].higher_is_better
    (scenario,) = portfolio.scenarios
    assert scenario.name == "Budget cut" and len(scenario.overrides) == 2
    assert scenario.overrides[0].value == pytest.approx(0.8)
    assert portfolio.source == "valid.xlsx"


def test_load_portfolio_returns_warnings_and_raises_on_errors(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Teams"].append({"id": "IDLE", "capacity": 3})
    path = write_workbook(tmp_path / "w.xlsx", tables, settings)
    _, warnings = load_portfolio(path)
    assert codes(warnings) == {"idle-team"}
    with pytest.raises(InputError) as exc:
        load_portfolio(path, strict=True)
    assert exc.value.findings
    tables["Initiatives"][0]["duration"] = "three"
    path = write_workbook(tmp_path / "e.xlsx", tables, settings)
    with pytest.raises(InputError, match="1 error"):
        load_portfolio(path)


def test_sheet_names_and_headers_are_matched_loosely(valid_workbook: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Initiatives"].title = "  INITIATIVES "
        wb["Capacity changes"].title = "capacity-changes"
        ws = wb["Teams"]
        ws["A1"] = "  id "
        ws["D1"] = "capacity."

    edit(valid_workbook, change)
    reading = read(valid_workbook)
    assert reading.findings == []
    assert reading.layout.title("Initiatives") == "  INITIATIVES "
    assert reading.portfolio is not None and reading.portfolio.team_by_id["DATA"].capacity == 4


def test_columns_in_any_order_unknown_columns_warn(valid_workbook: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Teams"]
        ws.move_range("A1:A3", cols=10)  # ID column moved to K
        ws["A1"] = "Cost centre"
        ws["A2"] = "CC-1"

    edit(valid_workbook, change)
    reading = read(valid_workbook)
    assert codes(reading.findings) == {"unknown-column"}
    assert reading.findings[0].location == "Teams!A1"
    assert reading.layout.letter("Teams", "id") == "K"
    assert reading.portfolio is not None and {t.id for t in reading.portfolio.teams} == {
        "DATA",
        "MKT",
    }


def test_blank_rows_are_skipped_and_rows_keep_their_number(valid_workbook: Path) -> None:
    edit(valid_workbook, lambda wb: wb["Initiatives"].insert_rows(3, 2))
    portfolio, findings = read_workbook(valid_workbook)
    assert findings == []
    assert portfolio is not None
    assert [i.row for i in portfolio.initiatives] == [2, 5, 6]


def test_missing_sheet_and_missing_required_column(valid_workbook: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        del wb["Teams"]
        wb["Initiatives"].delete_cols(6)  # Duration

    edit(valid_workbook, change)
    _, findings = read_workbook(valid_workbook)
    by_code = {f.code: f for f in findings}
    assert by_code["missing-sheet"].sheet == "Teams"
    assert "Duration" in by_code["missing-column"].message
    assert by_code["missing-column"].severity is Severity.ERROR


def test_wrong_type_names_the_cell(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Initiatives"][1]["capex"] = "lots"
    path = write_workbook(tmp_path / "t.xlsx", tables, settings)
    edit(path, lambda wb: wb["Initiatives"].__setitem__("O4", "next spring"))
    _, findings = read_workbook(path)
    where = {f.location for f in findings if f.code == "wrong-type"}
    assert where == {"Initiatives!G3", "Initiatives!O4"}
    assert all(f.fix for f in findings)


def test_missing_required_value_and_implausible_money(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Initiatives"][0]["name"] = None
    tables["Initiatives"][1]["capex"] = 1e300
    path = write_workbook(tmp_path / "m.xlsx", tables, settings)
    _, findings = read_workbook(path)
    assert {(f.code, f.location) for f in findings} == {
        ("missing-value", "Initiatives!B2"),
        ("implausible-number", "Initiatives!G3"),
    }


def test_percent_typed_as_a_bare_number_is_read_and_flagged_per_cell(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    for row in tables["Initiatives"]:
        row["probability"] = 80
    path = write_workbook(tmp_path / "p.xlsx", tables, settings)
    portfolio, findings = read_workbook(path)
    assert portfolio is not None
    assert [i.probability for i in portfolio.initiatives] == pytest.approx([0.8] * 3)
    assert len(findings) == 3
    assert {f.code for f in findings} == {"percent-as-number"}
    assert all(f.severity is Severity.WARNING for f in findings)
    letter = findings[0].column
    assert [f.location for f in findings] == [f"Initiatives!{letter}{r}" for r in (2, 3, 4)]
    assert "value taken is 0.8" in findings[0].message


def test_bare_discount_rate_between_1_and_100_is_a_percent_and_above_100_is_refused(
    tmp_path: Path,
) -> None:
    tables, settings = valid_tables()
    settings["discount_rate"] = 1.0053
    portfolio, findings = read_workbook(write_workbook(tmp_path / "a.xlsx", tables, settings))
    assert portfolio is not None
    assert portfolio.settings.discount_rate == pytest.approx(0.010053)
    (note,) = findings
    assert note.code == "percent-as-number" and note.location.startswith("Settings!B")
    assert "1.0053" in note.message and "0.010053" in note.message
    settings["discount_rate"] = "150%"
    portfolio, findings = read_workbook(write_workbook(tmp_path / "b.xlsx", tables, settings))
    assert findings == [] and portfolio is not None
    assert portfolio.settings.discount_rate == pytest.approx(1.5)
    settings["discount_rate"] = 150
    _, findings = read_workbook(write_workbook(tmp_path / "c.xlsx", tables, settings))
    assert [f.code for f in findings] == ["percent-too-large"]


def test_text_starting_with_equals_is_text(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Initiatives"][0]["description"] = "=SUM(A1:A9) is how finance does it"
    path = write_workbook(tmp_path / "eq.xlsx", tables, settings)
    portfolio, findings = read_workbook(path)
    assert findings == []
    assert portfolio is not None
    assert portfolio.initiatives[0].description.startswith("=SUM")


def test_formula_without_saved_value_is_an_error_naming_the_cell(valid_workbook: Path) -> None:
    edit(valid_workbook, lambda wb: wb["Initiatives"].__setitem__("F3", "=1+2"))
    _, findings = read_workbook(valid_workbook)
    (f,) = [f for f in findings if f.code == "formula-no-value"]
    assert f.location == "Initiatives!F3"
    assert "save" in f.fix


def test_merged_cells_over_a_required_field(valid_workbook: Path) -> None:
    edit(valid_workbook, lambda wb: wb["Staffing"].merge_cells("B2:B3"))
    _, findings = read_workbook(valid_workbook)
    (f,) = [f for f in findings if f.code == "merged-cell"]
    assert f.location == "Staffing!B3"
    assert "unmerge" in f.fix


def test_settings_defaults_unknown_and_missing(valid_workbook: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Settings"]
        ws.append(["Colour scheme", "blue"])
        ws["B2"] = None  # plan start

    edit(valid_workbook, change)
    reading = read(valid_workbook)
    assert reading.portfolio is None
    assert {f.code for f in reading.findings} == {"unknown-setting", "missing-value"}


def test_plan_start_row_absent(valid_workbook: Path) -> None:
    edit(valid_workbook, lambda wb: wb["Settings"].delete_rows(2))
    portfolio, findings = read_workbook(valid_workbook)
    assert portfolio is None
    assert codes(findings) == {"missing-setting"}


def test_real_excel_dates_and_status(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Initiatives"][2].update(status="In Progress", actual_start=datetime(2026, 10, 1))
    path = write_workbook(tmp_path / "d.xlsx", tables, settings)
    edit(path, lambda wb: wb["Initiatives"].__setitem__("P4", "2027-06"))
    portfolio, findings = read_workbook(path)
    assert portfolio is not None, findings
    ini = portfolio.initiative_by_id["INI-03"]
    assert ini.status is Status.IN_PROGRESS
    assert ini.actual_start == date(2026, 10, 1)
    assert ini.must_finish_by == date(2027, 6, 1)


def test_pairwise_sheet_builds_a_matrix_and_fills_reciprocals(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Pairwise"] = [{"criterion": "FIT", "FIT": 1, "RISK": 3}, {"criterion": "RISK"}]
    path = write_workbook(tmp_path / "pw.xlsx", tables, settings)
    portfolio, findings = read_workbook(path)
    assert findings == []
    assert portfolio is not None and portfolio.pairwise is not None
    assert portfolio.pairwise.matrix[1][0] == pytest.approx(1 / 3)


def test_pairwise_fraction_text_and_not_square(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Pairwise"] = [{"criterion": "FIT", "RISK": "1/5"}, {"criterion": "RISK", "FIT": 5}]
    path = write_workbook(tmp_path / "pw.xlsx", tables, settings)
    portfolio, _ = read_workbook(path)
    assert portfolio is not None and portfolio.pairwise is not None
    fit, risk = (portfolio.pairwise.criteria.index(c) for c in ("FIT", "RISK"))
    assert portfolio.pairwise.matrix[fit][risk] == pytest.approx(0.2)
    assert portfolio.pairwise.matrix[risk][fit] == pytest.approx(5)
    tables["Pairwise"] = [{"criterion": "FIT", "FIT": 1, "RISK": 3}]
    path = write_workbook(tmp_path / "pw2.xlsx", tables, settings)
    _, findings = read_workbook(path)
    assert "pairwise-not-square" in codes(findings)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old-style Excel"),
        (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "password-protected",
        ),
        ("data.csv", b"ID,Name\nINI-01,x\n", "CSV"),
        ("notes.txt", b"hello", "not an Excel workbook"),
        ("empty.xlsx", b"", "empty"),
        ("broken.xlsx", b"PK\x03\x04garbage", "damaged"),
    ],
)
def test_files_that_are_not_workbooks(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected) as exc:
        read_workbook(path)
    assert "\n" not in str(exc.value)


def test_zip_that_is_not_a_workbook_and_ods(tmp_path: Path) -> None:
    z = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(InputError, match="zip archive"):
        read_workbook(z)
    ods = tmp_path / "sheet.ods"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(InputError, match="OpenDocument"):
        read_workbook(ods)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_workbook(tmp_path / "nope.xlsx")
    with pytest.raises(InputError, match="folder"):
        read_workbook(tmp_path)
    with pytest.raises(InputError, match="not a regular file"):
        read_workbook("/dev/null")


def test_workbook_with_a_broken_part_is_refused(valid_workbook: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(valid_workbook) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(InputError, match=r"could not be opened|damaged"):
        read_workbook(broken)


def test_input_is_never_modified(valid_workbook: Path) -> None:
    before = hashlib.sha256(valid_workbook.read_bytes()).hexdigest()
    mtime = valid_workbook.stat().st_mtime_ns
    read_workbook(valid_workbook)
    assert hashlib.sha256(valid_workbook.read_bytes()).hexdigest() == before
    assert valid_workbook.stat().st_mtime_ns == mtime


def test_sheet_level_problems(valid_workbook: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb.create_sheet("Initiatves")  # misspelt extra sheet
        wb.create_sheet("TEAMS ")  # a second Teams sheet
        wb["Budget"].delete_rows(1, 10)  # required and now empty
        wb["Systems"]["A1"] = "Nothing we know"
        wb["Systems"]["B1"] = None
        wb["Systems"]["C1"] = None
        wb["Systems"]["D1"] = None

    edit(valid_workbook, change)
    _, findings = read_workbook(valid_workbook)
    by_code = {f.code: f for f in findings}
    assert "rename it to 'Initiatives'" in by_code["unknown-sheet"].fix
    assert by_code["duplicate-sheet"].sheet == "TEAMS "
    assert by_code["empty-sheet"].sheet == "Budget"
    assert by_code["no-header"].sheet == "Systems"


def test_header_level_problems(valid_workbook: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Teams"]["F1"] = "Capacity"  # same column twice
        wb["Scores"]["D1"] = "FIT"  # a criterion twice

    edit(valid_workbook, change)
    _, findings = read_workbook(valid_workbook)
    assert {(f.code, f.location) for f in findings} == {
        ("duplicate-column", "Teams!F1"),
        ("duplicate-criterion", "Scores!D1"),
    }


def test_settings_names_problems(valid_workbook: Path) -> None:
    edit(valid_workbook, lambda wb: wb["Settings"].append(["Horizon", 4]))
    reading = read(valid_workbook)
    assert codes(reading.findings) == {"duplicate-setting"}
    assert reading.portfolio is not None and reading.portfolio.settings.horizon == 8

    edit(valid_workbook, lambda wb: wb["Settings"].delete_cols(1))
    _, findings = read_workbook(valid_workbook)
    assert "no-setting-names" in codes(findings)


def test_pairwise_bad_cells(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Pairwise"] = [{"criterion": "FIT", "FIT": 1, "RISK": "a lot"}, {"criterion": "RISK"}]
    path = write_workbook(tmp_path / "pw.xlsx", tables, settings)
    portfolio, findings = read_workbook(path)
    assert portfolio is not None and portfolio.pairwise is None
    assert [f.code for f in findings] == ["pairwise-bad-value"]
    assert findings[0].location.startswith("Pairwise!")


def test_openpyxl_warnings_do_not_break_reading(
    valid_workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warnings

    real = openpyxl.load_workbook

    def noisy(*args, **kwargs):  # type: ignore[no-untyped-def]
        warnings.warn("Data Validation extension is not supported", UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", noisy)
    portfolio, findings = read_workbook(valid_workbook)  # warnings are errors under pytest
    assert portfolio is not None and findings == []


def test_fiscal_year_written_with_fy_prefix(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Budget"][0]["fiscal_year"] = "FY2027"
    tables["Budget"][1]["fiscal_year"] = "fy 2028"
    path = write_workbook(tmp_path / "fy.xlsx", tables, settings)
    portfolio, findings = read_workbook(path)
    assert findings == []
    assert portfolio is not None and [b.fiscal_year for b in portfolio.budgets] == [2027, 2028]


def test_blank_weights_with_an_empty_pairwise_sheet(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    for criterion in tables["Criteria"]:
        criterion["weight"] = None
    path = write_workbook(tmp_path / "w.xlsx", tables, settings)  # Pairwise: header only
    _, findings = read_workbook(path)
    assert [f.code for f in findings] == ["no-criteria-weights"]
    assert findings[0].location == "Criteria!C2"


def test_without_usable_settings_other_problems_are_still_reported(valid_workbook: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Settings"]["B2"] = "someday"
        wb["Initiatives"]["F3"] = 0  # duration
        wb["Budget"]["A2"] = "2027-01-01"  # period and fiscal year: a dated check, skipped

    edit(valid_workbook, change)
    portfolio, findings = read_workbook(valid_workbook)
    assert portfolio is None
    assert codes(findings) == {"wrong-type", "duration-too-short"}
