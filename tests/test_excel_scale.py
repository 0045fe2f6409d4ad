"""The writing kit on large sheets: widths, wrapping and restyling give what a cell-by-cell
pass gives, without creating cells or re-scanning the sheet (which made them quadratic)."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import MergedCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.printing import dress
from roadmap.excel.writing import (
    CELL_TEXT_MAX,
    TEXT_ALIGNMENT,
    fit_columns,
    put,
    restyle,
    save_atomic,
    write_table,
    write_title,
)
from roadmap.report.layout import refit, wrap_rows, wrapped_lines


@contextmanager
def no_rescans() -> Iterator[None]:
    """Asking a sheet for its extent scans every cell; the kit must not do it per row."""

    def refuse(self: Worksheet) -> int:
        raise AssertionError("the sheet's extent was asked for")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(Worksheet, "max_column", property(refuse))
        m.setattr(Worksheet, "max_row", property(refuse))
        yield


def mixed_values(rng: random.Random, n: int) -> list[list[object]]:
    """Floats of every size and sign (and the rounding edges 9.5, -0.4), whole numbers, dates,
    short and multi-line text, and blanks."""
    edges = [9.5, 99.49, -0.4, -9.6, 0.0, 1e9, -123456.7]
    rows = []
    for k in range(n):
        rows.append(
            [
                f"ID-{k}",
                edges[k] if k < len(edges) else rng.uniform(-1e7, 1e7) * rng.random() ** 4,
                rng.randint(-5000, 5000),
                date(2027, 1 + k % 12, 1) if k % 3 else datetime(2027, 5, 4, 3, 2),
                "line one\n" + "x" * rng.randint(0, 70) if k % 5 == 0 else None,
                " ".join("word" * rng.randint(1, 4) for _ in range(rng.randint(0, 30))),
            ]
        )
    return rows


def expected_widths(ws: Worksheet, extra: int, date_length: int, first_row: int) -> dict:
    """Cell by cell, as the kit used to do it."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            v = cell.value
            if v is None:
                continue
            if isinstance(v, (date, datetime)):
                length = date_length
            elif isinstance(v, float):
                length = len(f"{v:,.0f}") + extra
            else:
                length = max(len(x) for x in str(v).splitlines() or [""]) + extra - 3
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    return widths


def test_fit_columns_matches_a_cell_by_cell_pass() -> None:
    wb = Workbook()
    ws = wb.active
    rows = mixed_values(random.Random(7), 300)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            put(ws, r, c, v)
    cells = len(ws._cells)
    with no_rescans():
        fit_columns(ws, minimum=8, maximum=60)
    assert len(ws._cells) == cells  # nothing created
    for col, length in expected_widths(ws, extra=3, date_length=10, first_row=1).items():
        got = ws.column_dimensions[get_column_letter(col)].width
        assert got == max(8, min(60, length + 2)), col


def test_refit_and_wrap_rows_match_a_cell_by_cell_pass() -> None:
    wb = Workbook()
    ws = wb.active
    top = write_title(ws, "A title far wider than any column of the table below it", "A note")
    headers = ["ID", "Amount", "Count", "Day", "Remark", "Description"]
    rows = mixed_values(random.Random(11), 250)
    last, _ = write_table(ws, headers, rows, name="t", top=top, formats={"Amount": "#,##0"})
    cells = len(ws._cells)
    with no_rescans():
        refit(ws, top, maximum=36)
        wrap_rows(ws, top + 1, last, [5, 6])
    assert len(ws._cells) == cells  # nothing created
    reference = expected_widths(ws, extra=4, date_length=11, first_row=top + 1)
    for j, header in enumerate(headers, start=1):
        word = max(len(w) for w in header.split()) + 1
        want = max(8, min(36, max(reference.get(j, 0), word) + 2))
        assert ws.column_dimensions[get_column_letter(j)].width == want, header
    for r in range(top + 1, last + 1):
        lines = 1
        for c in range(1, len(headers) + 1):
            cell = ws.cell(row=r, column=c)
            assert cell.alignment.vertical == "top"
            assert bool(cell.alignment.wrap_text) == (c in (5, 6))
            if isinstance(cell.value, str):
                # text keeps its indent, numbers their alignment
                assert cell.alignment.indent == TEXT_ALIGNMENT.indent
                if c in (5, 6):
                    room = int(ws.column_dimensions[get_column_letter(c)].width) - 1
                    lines = max(lines, wrapped_lines(cell.value, room))
        height = ws.row_dimensions[r].height
        assert height == (15 * lines if lines > 1 else None), r


def test_restyle_gives_the_style_a_direct_change_gives() -> None:
    wb = Workbook()
    ws = wb.active
    plain = [ws.cell(row=r, column=1, value=f"t{r}") for r in range(1, 6)]
    dated = [put(ws, r, 2, date(2027, 1, r), "yyyy-mm-dd") for r in range(1, 6)]

    def centre(cell) -> None:
        cell.alignment = Alignment(horizontal="center", indent=cell.alignment.indent)

    for cell in [*plain, *dated]:
        restyle(cell, "centre", centre)
    for cell in [*plain, *dated]:
        assert cell.alignment.horizontal == "center"
    assert {c.number_format for c in dated} == {"yyyy-mm-dd"}
    assert {c.number_format for c in plain} == {"General"}
    # each cell has its own copy: changing one leaves the others
    plain[0].alignment = Alignment(horizontal="right")
    assert plain[1].alignment.horizontal == "center"


def test_dressing_for_print_creates_no_cells() -> None:
    """The legibility estimate reads the cells a sheet holds; walking its rectangle row by row
    created an empty cell at every gap (a million on a large sparse sheet)."""
    wb = Workbook()
    ws = wb.active
    write_title(ws, "A wide, sparse sheet", "A note that runs on to the right " * 4)
    for r in range(5, 400, 7):
        put(ws, r, 1, f"label {r}")
        put(ws, r, 40, float(r))
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = "B5"
    before = set(ws._cells)
    dress(wb)
    # only the note moved beside the repeated column, merged over the first page
    new = [ws._cells[k] for k in set(ws._cells) - before]
    assert all(isinstance(c, MergedCell) or c.value is not None for c in new)
    assert ws.page_setup.fitToWidth > 1  # still printed legibly, over pages across


def test_a_text_longer_than_a_cell_holds_is_cut_and_says_so(tmp_path) -> None:
    """Excel keeps 32,767 characters a cell and asks to repair a file with more; a list of
    every initiative of a large portfolio runs past that."""
    ids = ", ".join(f"INI-{k:05d}" for k in range(5000))  # 54,998 characters
    wb = Workbook()
    put(wb.active, 1, 1, ids)
    put(wb.active, 2, 1, "short")
    out = tmp_path / "long.xlsx"
    save_atomic(wb, out)
    back = load_workbook(out).active
    text = back["A1"].value
    assert len(text) <= CELL_TEXT_MAX
    assert text.endswith(f"this text had {len(ids):,})")
    kept = text.split(" … (cut")[0]
    assert ids.startswith(kept) and ids[len(kept)] == " "  # cut between words
    assert back["A2"].value == "short"


def test_table_columns_named_from_the_header_row_alone(tmp_path) -> None:
    """openpyxl names a table's columns on saving by reading the whole table (and creating its
    missing cells); the kit reads the header row and writes the same table."""
    ours, theirs = Workbook(), Workbook()
    for wb in (ours, theirs):
        rows = [[k, None if k % 3 else f"note {k}", float(k)] for k in range(200)]
        write_table(wb.active, ["Rank", "Note", "NPV"], rows, name="Metrics")
    cells = len(ours.active._cells)
    save_atomic(ours, tmp_path / "ours.xlsx")
    assert len(ours.active._cells) == cells  # the body's missing cells were not created
    theirs.save(tmp_path / "theirs.xlsx")  # openpyxl's own naming

    def table_xml(path) -> bytes:
        with zipfile.ZipFile(path) as z:
            return z.read(next(n for n in z.namelist() if n.startswith("xl/tables/")))

    assert table_xml(tmp_path / "ours.xlsx") == table_xml(tmp_path / "theirs.xlsx")
    assert b'name="Note"' in table_xml(tmp_path / "ours.xlsx")
