"""Checks of how a written workbook prints, read from the file as its reader gets it: each
returns what is wrong (empty: nothing), so a test can say which sheet and cell."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from roadmap.excel.legibility import (
    MIN_PRINTED,
    clipped_cells,
    column_points,
    printed,
    text_points,
)


def too_small(wb: Workbook) -> list[str]:
    """Sheets whose smallest text prints below ``MIN_PRINTED`` at the page setup they carry."""
    out = []
    for ws in wb.worksheets:
        p = printed(ws)
        if p.smallest_printed < MIN_PRINTED - 0.05:
            out.append(
                f"{ws.title}: {p.smallest_font:g} pt at {p.where} x {p.scale:.0%} = "
                f"{p.smallest_printed:.1f} pt"
            )
    return out


def clipped(wb: Workbook) -> list[str]:
    return [f"{ws.title}!{c}" for ws in wb.worksheets for c in clipped_cells(ws)]


def repeated_columns_beside_other_tables(wb: Workbook) -> list[str]:
    """A sheet printed over several pages across repeats its first columns on each: every table
    on it must start in those columns (else the repeated IDs line up with another table's rows),
    and a title or note in them must fit them (else it prints cut: "Not sele")."""
    out = []
    for ws in wb.worksheets:
        if not ws.print_title_cols:
            continue
        last = column_index_from_string(str(ws.print_title_cols).replace("$", "").split(":")[-1])
        for table in ws.tables.values():
            c1, _, _, _ = range_boundaries(table.ref)
            if c1 > last:
                out.append(f"{ws.title}: table {table.name} starts right of the repeated columns")
        width = sum(
            column_points(ws.column_dimensions[get_column_letter(c)].width)
            for c in range(1, last + 1)
        )
        top = min((range_boundaries(t.ref)[1] for t in ws.tables.values()), default=ws.max_row + 1)
        for r in range(1, top):
            cell = ws.cell(row=r, column=1)
            spans = [m for m in ws.merged_cells.ranges if m.min_row == r and m.min_col == 1]
            if cell.alignment.wrap_text and all(m.max_col <= last for m in spans):
                # wrapped within the repeated columns: whole on every page, if each word fits
                # ("selecte" / "d") and the row is tall enough for the lines
                size = float(cell.font.sz or 11)
                bold = 1.15 if cell.font.b else 1.0
                words = str(cell.value or "").split()
                if any(text_points(w, size) * bold > width for w in words):
                    out.append(f"{ws.title}!A{r}: a word of {cell.value[:20]!r} is cut within it")
                lines = -(-text_points(str(cell.value or ""), size) // width)
                if (ws.row_dimensions[r].height or 15) < lines * size:
                    out.append(f"{ws.title}!A{r}: {cell.value[:20]!r} wraps taller than its row")
                continue
            if isinstance(cell.value, str):
                size = float(cell.font.sz or 11)
                if text_points(cell.value, size) > width * 1.05:
                    out.append(f"{ws.title}!A{r}: {cell.value[:20]!r} is cut on pages across")
    return out


def repeated_rows_above_other_tables(wb: Workbook) -> list[str]:
    """A header row repeated on every printed page must belong to every table printed under it:
    no table may start below the repeated rows (its rows would print under another's header)."""
    out = []
    for ws in wb.worksheets:
        if not ws.print_title_rows:
            continue
        last = int(str(ws.print_title_rows).replace("$", "").split(":")[-1])
        for table in ws.tables.values():
            _, r1, _, _ = range_boundaries(table.ref)
            if r1 > last:
                out.append(f"{ws.title}: table {table.name} (row {r1}) under repeated rows {last}")
    return out


def problems(wb: Workbook) -> list[str]:
    return (
        too_small(wb)
        + clipped(wb)
        + repeated_columns_beside_other_tables(wb)
        + repeated_rows_above_other_tables(wb)
    )
