from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from roadmap.errors import RoadmapError
from roadmap.excel.writing import currency_format, finish_sheet, save_atomic, write_table


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    write_table(ws, ["Name", "Cost"], [['=HYPERLINK("x")', 1.0], ["+1", 2.0]], name="t")
    finish_sheet(ws)
    out = tmp_path / "o.xlsx"
    save_atomic(wb, out)
    back = load_workbook(out)
    cell = back.active["A2"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"
    assert "tbl_t" in back.active.tables


def test_save_atomic_refuses_existing_and_input(tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    out.write_bytes(b"keep")
    with pytest.raises(RoadmapError, match="already exists"):
        save_atomic(Workbook(), out)
    with pytest.raises(RoadmapError, match="input"):
        save_atomic(Workbook(), out, force=True, protect=out)
    assert out.read_bytes() == b"keep"
    save_atomic(Workbook(), out, force=True)
    assert load_workbook(out) is not None
    assert [p.name for p in tmp_path.iterdir()] == ["o.xlsx"]


def test_currency_formats() -> None:
    assert currency_format("EUR").startswith('"€"#,##0')
    assert "SEK" in currency_format("sek")


def test_table_names_stay_unique_across_sheets() -> None:
    wb = Workbook()
    first = wb.active
    second = wb.create_sheet("Other")
    write_table(first, ["A"], [[1]], name="Roadmap")
    write_table(second, ["A"], [[2]], name="Roadmap")
    names = [n for ws in wb.worksheets for n in ws.tables]
    assert names == ["tbl_Roadmap", "tbl_Roadmap_2"]
