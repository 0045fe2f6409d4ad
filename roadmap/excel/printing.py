"""What every workbook carries on paper and in its file properties: a page header with the
workbook's title and sheet, a footer with the date written and "page n of m", and document
properties (title, subject, creator) a document system can index.

Builders name their workbook with ``describe``; ``dress`` runs once on every workbook before it
is saved and fills in what a sheet lacks, so a sheet added late (the Marginal value sheet) is
dressed too.
"""

from __future__ import annotations

import math
from copy import copy
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.legibility import (
    DEFAULT_ROW,
    DEFAULT_WIDTH,
    MIN_PRINTED,
    chart_rows,
    column_points,
    measure,
    page_size,
    scale_for,
    text_points,
)

CREATOR = "roadmap"
HEADER_SIZE = 9


def describe(wb: Workbook, title: str, subject: str) -> Workbook:
    """Set the workbook's title and subject (document properties and page headers)."""
    wb.properties.title = title
    wb.properties.subject = subject
    wb.properties.creator = CREATOR
    return wb


def _escape(text: str) -> str:
    """Header text is a small language of its own: a literal '&' is written '&&'."""
    return text.replace("&", "&&")


def dress_sheet(ws: Worksheet, title: str, written: date) -> None:
    if ws.oddHeader.left.text or ws.oddFooter.right.text:
        return  # a builder chose its own
    for part, text in (
        (ws.oddHeader.left, _escape(title)),
        (ws.oddHeader.right, "&A"),  # the sheet's name
        (ws.oddFooter.left, f"Written {written.isoformat()} by {CREATOR}"),
        (ws.oddFooter.right, "Page &P of &N"),
    ):
        part.text = text
        part.size = HEADER_SIZE
        part.color = "595959"
    ws.page_margins.header = 0.25
    ws.page_margins.footer = 0.25
    ws.page_margins.top = max(ws.page_margins.top or 0.75, 0.6)
    ws.page_margins.bottom = max(ws.page_margins.bottom or 0.75, 0.6)
    if not ws.page_setup.paperSize:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4


# points the estimate may be above what LibreOffice prints (measured on the samples: 0.1 or
# less once the search keeps whole columns on a page)
ESTIMATE_ERROR = 0.1
WRAP_IN_TITLES = 3  # lines a title may take wrapped within the repeated columns
BOLD_WIDER = 1.15  # a bold word prints about this much wider than the average estimate
MAX_ACROSS = 40  # a sheet wider than this many legible pages prints smaller rather than wider


def fit_legibly(ws: Worksheet) -> None:
    """A sheet set to fit its pages prints at ``MIN_PRINTED`` points or more: one forced onto
    a single page tall flows down instead when that would shrink it further, and one too wide to
    read on one page wide prints over as many pages across as keep it legible, its frozen (label)
    columns on every page and its title and notes wrapped within them."""
    pr = ws.sheet_properties.pageSetUpPr
    if pr is None or not pr.fitToPage:
        return
    setup = ws.page_setup
    extent = measure(ws)
    needed = (MIN_PRINTED + ESTIMATE_ERROR) / extent.smallest_font
    if (setup.fitToHeight or 0) >= 1 and scale_for(ws, extent) < needed:
        setup.fitToHeight = 0
        keep_charts_whole(ws, scale_for(ws, extent))
    if setup.fitToWidth not in (None, 1) or scale_for(ws, extent, 1) >= needed:
        return
    frozen = ws.freeze_panes
    if frozen and not ws.print_title_cols:
        col = column_index_from_string("".join(ch for ch in frozen if ch.isalpha()))
        if col > 1:
            ws.print_title_cols = f"A:{get_column_letter(col - 1)}"
    across = 2
    while across < MAX_ACROSS and scale_for(ws, extent, across) < needed:
        across += 1
    setup.fitToWidth = across
    if ws.print_title_cols:
        wrap_within_titles(ws, scale_for(ws, extent, across))


def keep_charts_whole(ws: Worksheet, scale: float) -> None:
    """A sheet that runs over several pages down would cut a chart at a page's foot: a chart
    that would straddle a page break starts a new page instead."""
    room = page_size(ws)[1] / scale
    bottom = ws.max_row + 200
    heights = [0.0] + [ws.row_dimensions[r].height or DEFAULT_ROW for r in range(1, bottom + 1)]
    charts = sorted(chart_rows(ws, chart) for chart in getattr(ws, "_charts", []))
    breaks = {b.id for b in ws.row_breaks.brk}
    used, start = 0.0, 1
    for first, last in charts:
        # fill pages up to the chart's first row (a page starts after each break)
        for r in range(start, first):
            used = heights[r] if used + heights[r] > room or r - 1 in breaks else used + heights[r]
        span = sum(heights[first : last + 1])
        if used + span > room and span <= room and first > 1:
            ws.row_breaks.append(Break(id=first - 1))
            breaks.add(first - 1)
            used = 0.0
        used += span
        start = last + 1


def wrap_within_titles(ws: Worksheet, scale: float) -> None:
    """Text in a repeated (title) column prints on every page across, cut at the column's edge
    ("Not sele"). A title or note above the tables that does not fit the repeated columns wraps
    within them when that takes a few lines (a title stays where readers look for it); a longer
    note moves to the first column after them, wrapped within the columns of the first page, so
    it prints once, whole."""
    span = str(ws.print_title_cols).replace("$", "")
    last = column_index_from_string(span.split(":")[-1])
    width = _points(ws, 1, last)
    first_page, room = last, page_size(ws)[0] / scale - width
    widest = ws.max_column  # asked once: each ask scans every cell
    while room > 0 and first_page < widest:
        first_page += 1
        room -= _points(ws, first_page, first_page)
    if first_page - 1 > last:
        first_page -= 1  # the column that ran over the page's edge starts the next page
    tables = [range_boundaries(t.ref) for t in ws.tables.values()]
    top = min((r1 for _, r1, _, _ in tables), default=ws.max_row + 1)
    for r in range(1, top):
        cell = ws._cells.get((r, 1))  # ws.cell would create an empty cell at every gap
        if cell is None or not isinstance(cell.value, str):
            continue
        size = float(cell.font.sz) if cell.font is not None and cell.font.sz else 11.0
        wide = text_points(cell.value, size)
        if wide <= width:
            continue
        for merged in list(ws.merged_cells.ranges):
            if merged.min_row == r and merged.min_col == 1:
                ws.unmerge_cells(str(merged))
        lines = _wrapped_lines(cell.value, size, width)
        if lines <= WRAP_IN_TITLES:
            bold = BOLD_WIDER if cell.font is not None and cell.font.b else 1.0
            longest = max(text_points(word, size) for word in cell.value.split()) * bold
            if longest > width:
                # a word wider than the columns would be cut within it ("selecte" / "d"):
                # the last repeated column widens to hold it
                dim = ws.column_dimensions[get_column_letter(last)]
                dim.width = (dim.width or DEFAULT_WIDTH) + math.ceil((longest - width) / 5.0)
                width = _points(ws, 1, last)
                lines = _wrapped_lines(cell.value, size, width)
            if last > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            height = lines * size * 1.3 + 2
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, height)
            continue
        moved = ws.cell(row=r, column=last + 1)
        moved.value, moved.font = cell.value, copy(cell.font)
        cell.value = None
        if first_page > last + 1:
            ws.merge_cells(start_row=r, start_column=last + 1, end_row=r, end_column=first_page)
        moved.alignment = Alignment(wrap_text=True, vertical="top")
        lines = math.ceil(wide / max(_points(ws, last + 1, first_page), 1.0))
        ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, lines * size * 1.3 + 2)


def _wrapped_lines(text: str, size: float, width: float) -> int:
    """Lines a text takes wrapped at word breaks within ``width`` points (a word wider than
    the width takes as many lines as it is wide)."""
    lines, used = 0, 0.0
    space = text_points(" ", size)
    for word in text.split():
        wide = text_points(word, size)
        if used and used + space + wide <= width:
            used += space + wide
            continue
        lines += max(1, math.ceil(wide / width))
        used = wide - (math.ceil(wide / width) - 1) * width if wide > width else wide
    return max(lines, 1)


def _points(ws: Worksheet, first: int, last: int) -> float:
    return sum(
        column_points(ws.column_dimensions[get_column_letter(c)].width)
        for c in range(first, last + 1)
    )


def repeat_rows_of_one_table(ws: Worksheet) -> None:
    """A header row repeated on every printed page names the table under it: with another table
    below that one, the header would print above rows it does not name (a Figure under "ID"),
    so the sheet repeats no rows at all."""
    rows = ws.print_title_rows
    if not rows:
        return
    last = int(str(rows).replace("$", "").split(":")[-1])
    if any(range_boundaries(t.ref)[1] > last for t in ws.tables.values()):
        clear_title_rows(ws)


def clear_title_rows(ws: Worksheet) -> None:
    """No rows repeated on printed pages (openpyxl's setter ignores None, so it stays set)."""
    ws._print_rows = None


def dress(wb: Workbook, written: date | None = None) -> Workbook:
    """Document properties and page furniture on every sheet (what a builder has not set)."""
    written = written or date.today()
    title = wb.properties.title or "Roadmap"
    wb.properties.title = title
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    for ws in wb.worksheets:
        dress_sheet(ws, title, written)
        repeat_rows_of_one_table(ws)
        fit_legibly(ws)
    return wb
