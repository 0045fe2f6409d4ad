"""How large a sheet's text prints: the cell font size times the scale its page setup asks for.

A sheet set to "fit to N pages wide by M tall" is shrunk by the spreadsheet until it fits, so the
printed size depends on the sheet's extent (columns, rows, charts) as much as on its fonts. This
module estimates that scale from what the file carries, the way Excel and LibreOffice compute it,
so a test can hold every sheet the product writes to a legible size on paper (``MIN_PRINTED``).

Estimates, not a renderer: widths use Excel's rule for the default font (a character of width is
7 pixels, plus 5 pixels of padding), rows their set height or 15 points. The slow print test
checks the estimate against pages LibreOffice prints.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

MIN_PRINTED = 8.0  # points: the smallest text a reader of a printed page should be given
DEFAULT_FONT = 11.0
DEFAULT_ROW = 15.0  # points
DEFAULT_WIDTH = 8.43  # characters
CHART_FONT = 10.0  # LibreOffice's and Excel's default chart text
EMU_PER_POINT = 12700
CM = 72 / 2.54
# (width, height) in inches, portrait; openpyxl's PAPERSIZE_* codes
PAPER = {1: (8.5, 11.0), 9: (8.27, 11.69), 8: (11.69, 16.54), 5: (8.5, 14.0)}


# LibreOffice lays a column out about this much wider than Excel's rule (measured on its PDFs:
# body text of sheets fitted to the page width printed 1.14-1.20 times smaller than the rule says)
LIBREOFFICE_WIDER = 1.17


def column_points(width: float | None) -> float:
    """A column's width in points as LibreOffice prints it (Excel's rule: 7 pixels a character
    plus 5, at 96 pixels an inch, widened by ``LIBREOFFICE_WIDER``)."""
    chars = DEFAULT_WIDTH if width is None else width
    return (chars * 7 + 5) * 0.75 * LIBREOFFICE_WIDER


@dataclass(frozen=True)
class Printed:
    """How one sheet prints: the scale, and its smallest text before and after scaling."""

    sheet: str
    scale: float
    smallest_font: float
    where: str  # the cell (or "chart") that holds the smallest text

    @property
    def smallest_printed(self) -> float:
        return self.smallest_font * self.scale


def _area(ws: Worksheet) -> tuple[int, int, int, int]:
    """(first col, first row, last col, last row) that prints: the print area, else the used
    range stretched to cover the charts."""
    if ws.print_area:
        ref = str(ws.print_area).split(",")[0].split("!")[-1].replace("$", "")
        c1, r1, c2, r2 = range_boundaries(ref)
        return c1 or 1, r1 or 1, c2 or ws.max_column, r2 or ws.max_row
    last_col, last_row = ws.max_column, ws.max_row
    last_col = max(last_col, _overflow(ws))
    for chart in getattr(ws, "_charts", []):
        col, row = _chart_corner(ws, chart)
        last_col, last_row = max(last_col, col), max(last_row, row)
    return 1, 1, last_col, last_row


CHAR_EM = 0.55  # an average character's width, in ems of its font (DejaVu Sans, Carlito)


def text_points(text: str, size: float) -> float:
    """About how wide a line of text prints, in points."""
    return max((len(line) for line in text.splitlines()), default=0) * size * CHAR_EM


def _text(cell: object) -> bool:
    """A cell that prints text as written: a formula prints its result (a number here), not
    the formula."""
    return isinstance(getattr(cell, "value", None), str) and getattr(cell, "data_type", "") != "f"


def _overflow(ws: Worksheet) -> int:
    """The last column that unwrapped text runs into: a long text spills over the empty cells
    to its right, and both programs print as far as it runs."""
    merged = {c for r in ws.merged_cells.ranges for row in r.cells for c in [row]}
    # the sheet's own cells, row by row (iter_rows would create every empty cell of the sheet)
    filled: dict[int, list[int]] = {}
    texts = []
    for (r, c), cell in ws._cells.items():
        value = cell._value
        if value is None or value == "":
            continue
        filled.setdefault(r, []).append(c)
        if _text(cell) and (r, c) not in merged:
            texts.append(cell)
    for columns in filled.values():
        columns.sort()
    last = 0
    # alignment and font looked up once per style, not per cell
    styles: dict[tuple[int, int] | None, tuple[float, float] | None] = {}
    for cell in texts:
        key = (cell._style.alignmentId, cell._style.fontId) if cell.has_style else None
        if key not in styles:
            styles[key] = _spill(cell)
        spill = styles[key]
        if spill is None:
            continue
        size, indent = spill
        room = text_points(cell.value, size) + indent
        row = filled[cell.row]
        after = bisect_right(row, cell.column)
        col, stop = cell.column, row[after] if after < len(row) else 10**6
        while room > 0 and col < stop:
            room -= column_points(ws.column_dimensions[get_column_letter(col)].width)
            col += 1
        last = max(last, col - 1)
    return last


def _spill(cell) -> tuple[float, float] | None:
    """(font size, indent in points) of a text that may run past its cell; None when its
    alignment keeps it in (wrapped, or not aligned left)."""
    align = cell.alignment
    if align is not None and (align.wrap_text or align.horizontal not in (None, "general", "left")):
        return None
    return font_size(cell), 3 * ((align.indent or 0) if align else 0)


def font_size(cell) -> float:
    """The size of a cell's font in points (11 for the default font)."""
    font = cell.font
    return float(font.sz) if font is not None and font.sz else DEFAULT_FONT


def _anchor(chart) -> tuple[int, int]:
    """(column, row), 0-based, of a chart's top-left cell."""
    anchor = chart.anchor
    if isinstance(anchor, str):
        c, r, _, _ = range_boundaries(anchor)
        return (c or 1) - 1, (r or 1) - 1
    return anchor._from.col, anchor._from.row


def _chart_corner(ws: Worksheet, chart) -> tuple[int, int]:
    """The 1-based column and row a chart's bottom-right corner falls in."""
    anchor = chart.anchor
    if getattr(anchor, "to", None) is not None:  # a chart read back from a file: two cells
        return anchor.to.col + 1, anchor.to.row + 1
    col, row = _anchor(chart)
    width, height = chart.width * CM, chart.height * CM
    ext = getattr(anchor, "ext", None)
    if ext is not None and getattr(ext, "width", None):  # one cell and a size, in EMU
        width, height = ext.width / EMU_PER_POINT, ext.height / EMU_PER_POINT
    c = col + 1
    while width > 0:
        width -= column_points(ws.column_dimensions[get_column_letter(c)].width)
        c += 1
    r = row + 1
    while height > 0:
        height -= ws.row_dimensions[r].height or DEFAULT_ROW
        r += 1
    return c - 1, r - 1


def chart_rows(ws: Worksheet, chart) -> tuple[int, int]:
    """The first and last 1-based row a chart covers."""
    _, row = _anchor(chart)
    _, last = _chart_corner(ws, chart)
    return row + 1, last


def _span(ref: str | None) -> tuple[int, int] | None:
    """'A:B' or '4:5' (as openpyxl gives print titles) -> (first, last) index."""
    if not ref:
        return None
    first, _, last = str(ref).replace("$", "").partition(":")
    if first.isdigit():
        return int(first), int(last or first)
    c1, _, c2, _ = range_boundaries(f"{first}1:{last or first}1")
    return c1 or 1, c2 or c1 or 1


def page_size(ws: Worksheet) -> tuple[float, float]:
    """The printable (width, height) in points: paper less margins, in the sheet's orientation."""
    w, h = PAPER.get(int(ws.page_setup.paperSize or 9), PAPER[9])
    if ws.page_setup.orientation == "landscape":
        w, h = h, w
    m = ws.page_margins
    return (w - (m.left or 0.7) - (m.right or 0.7)) * 72, (
        h - (m.top or 0.75) - (m.bottom or 0.75)
    ) * 72


@dataclass(frozen=True)
class Extent:
    """What prints of a sheet, measured once: each column's width and each row's height (in
    points) over the printed area, and its smallest text."""

    widths: dict[int, float]
    heights: dict[int, float]
    smallest_font: float
    where: str

    def repeated(self, titles: tuple[int, int] | None, sizes: dict[int, float]) -> float:
        return sum(sizes.get(k, 0.0) for k in range(titles[0], titles[1] + 1)) if titles else 0.0


def measure(ws: Worksheet) -> Extent:
    c1, r1, c2, r2 = _area(ws)
    widths = {
        c: column_points(ws.column_dimensions[get_column_letter(c)].width)
        for c in range(c1, c2 + 1)
    }
    heights = {r: ws.row_dimensions[r].height or DEFAULT_ROW for r in range(r1, r2 + 1)}
    smallest, where = math.inf, ""
    # the sheet's own cells, not iter_rows: that would create every empty cell of the area;
    # the size looked up once per font, not per cell
    sizes: dict[int | None, float] = {}
    for (r, c), cell in ws._cells.items():
        if not (r1 <= r <= r2 and c1 <= c <= c2) or cell._value is None or cell._value == "":
            continue
        font = cell._style.fontId if cell.has_style else None
        size = sizes.get(font)
        if size is None:
            size = sizes[font] = font_size(cell)
        if size < smallest:
            smallest, where = size, cell.coordinate
    for chart in getattr(ws, "_charts", []):
        size = chart_font(chart)
        if size < smallest:
            smallest, where = size, "chart"
    if smallest is math.inf:
        smallest = DEFAULT_FONT
    return Extent(widths, heights, smallest, where)


def scale_for(ws: Worksheet, extent: Extent, across: int | None = None) -> float:
    """The zoom the sheet prints at (1.0 = 100 %) with its page setup (``across`` pages wide
    instead of its own fitToWidth, when given)."""
    setup = ws.page_setup
    fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    if not fit:
        return (setup.scale or 100) / 100
    page_w, page_h = page_size(ws)
    scale = 1.0
    for pages, sizes, titles, room in (
        (
            setup.fitToWidth if across is None else across,
            extent.widths,
            _span(ws.print_title_cols),
            page_w,
        ),
        (setup.fitToHeight, extent.heights, _span(ws.print_title_rows), page_h),
    ):
        wanted = 1 if pages is None else int(pages)
        if wanted <= 0:
            continue  # "automatic": as many pages as it takes, no shrinking on this side
        scale = min(scale, _fit(list(sizes.items()), titles, room, wanted))
    return max(0.1, scale)  # neither program goes below 10 %


def pages_needed(
    sizes: list[tuple[int, float]], titles: tuple[int, int] | None, room: float
) -> int:
    """Pages a run of whole columns (or rows) takes at ``room`` points a page, the title ones
    repeated on every page after the first: a page breaks between columns, never inside one."""
    repeated = sum(size for k, size in sizes if titles and titles[0] <= k <= titles[1])
    pages, used = 1, 0.0
    for _, size in sizes:
        if used + size > room and used > 0:
            pages, used = pages + 1, repeated
        used += size
    return pages


def _fit(
    sizes: list[tuple[int, float]], titles: tuple[int, int] | None, room: float, wanted: int
) -> float:
    """The largest zoom (at most 1) at which ``sizes`` fit on ``wanted`` pages, as both
    programs search it: pages break between whole columns or rows."""
    if not sizes or pages_needed(sizes, titles, room) <= wanted:
        return 1.0
    low, high = 0.1, 1.0
    for _ in range(30):
        mid = (low + high) / 2
        if pages_needed(sizes, titles, room / mid) <= wanted:
            low = mid
        else:
            high = mid
    return low


def chart_text(size: float) -> RichText:
    """Text properties that set a chart part's text to ``size`` points."""
    props = CharacterProperties(sz=int(size * 100))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def set_chart_text(chart, size: float) -> None:
    """Axis labels, axis titles and legend of ``chart`` at ``size`` points (openpyxl writes no
    chart-wide text properties, so each part gets its own)."""
    for axis in (chart.x_axis, chart.y_axis):
        axis.txPr = chart_text(size)
        if axis.title is not None and axis.title.tx is not None and axis.title.tx.rich:
            for p in axis.title.tx.rich.p:
                p.pPr = ParagraphProperties(defRPr=CharacterProperties(sz=int(size * 100), b=True))
    if chart.legend is not None:
        chart.legend.txPr = chart_text(size)


def _size(rich) -> float:
    try:
        size = rich.p[0].pPr.defRPr.sz
    except (AttributeError, IndexError, TypeError):
        size = None
    return size / 100 if size else CHART_FONT


def chart_font(chart) -> float:
    """The smallest text of a chart: axis labels and titles and the legend, each at its own
    size or the programs' default."""
    parts = []
    for axis in (chart.x_axis, chart.y_axis):
        if not getattr(axis, "delete", False):
            parts.append(_size(axis.txPr))
            title = axis.title
            if title is not None and title.tx is not None and title.tx.rich is not None:
                parts.append(_size(title.tx.rich))
    if chart.legend is not None:
        parts.append(_size(chart.legend.txPr))
    return min(parts, default=CHART_FONT)


def printed_scale(ws: Worksheet) -> float:
    """The zoom the sheet prints at (1.0 = 100 %), from its page setup and extent."""
    return scale_for(ws, measure(ws))


def printed(ws: Worksheet) -> Printed:
    """The sheet's scale and its smallest text (cells with a value, and chart text)."""
    extent = measure(ws)
    return Printed(ws.title, scale_for(ws, extent), extent.smallest_font, extent.where)


def clipped_cells(ws: Worksheet) -> list[str]:
    """Cells whose text is cut on screen and paper: wider than the column, not wrapped, and
    stopped by a filled cell to its right (or by the sheet's last column)."""
    merged = {c for r in ws.merged_cells.ranges for c in r.cells}
    out = []
    for row in ws.iter_rows():
        for cell in row:
            if not _text(cell) or (cell.row, cell.column) in merged:
                continue
            align = cell.alignment
            if align is not None and (align.wrap_text or align.shrink_to_fit or align.textRotation):
                continue
            size = float(cell.font.sz) if cell.font is not None and cell.font.sz else DEFAULT_FONT
            width = column_points(ws.column_dimensions[get_column_letter(cell.column)].width)
            if text_points(cell.value, size) <= width * CLIP_TOLERANCE:
                continue
            right = ws._cells.get((cell.row, cell.column + 1))
            if (right is not None and right.value not in (None, "")) or (
                cell.row,
                cell.column + 1,
            ) in merged:
                out.append(cell.coordinate)
    return out


CLIP_TOLERANCE = 1.1  # the width estimate's own error: only clearly cut text counts
