"""The small Excel-style kit every output workbook shares: tables, formats, widths, print setup,
safe text and saving (through the one output guard). Report modules describe *what* to write; this module knows *how*."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from datetime import date, datetime
from pathlib import Path
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.printing import dress

PERCENT = "0.0%"
PERCENT_INT = "0%"
DATE = "yyyy-mm-dd"
NUMBER = "#,##0"
DECIMAL = "#,##0.0"
FTE = "0.0"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="595959")
TEXT_ALIGNMENT = Alignment(horizontal="left", indent=1)

_CURRENCY_SYMBOL = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "INR": "₹"}
FORMULA_PREFIXES = ("=", "+", "-", "@")  # what spreadsheets read as the start of a formula


CURRENCY_LABEL_MAX = 24  # characters of an unknown currency code shown in a number format
NUMBER_FORMAT_MAX = 255  # Excel refuses longer number format codes


def format_literal(text: str) -> str:
    """``text`` as literal characters of an Excel number format: quoted, a double quote written
    as ``\\"`` between quoted parts (Excel has no escape inside quotes), characters that cannot
    appear in a workbook (control characters) dropped. 'EU"R' -> '"EU"\\""R"'."""
    clean = "".join(ch for ch in text if ch.isprintable())
    return '\\"'.join(f'"{part}"' if part else "" for part in clean.split('"'))


def currency_format(code: str, decimals: int = 0) -> str:
    """Excel number format for money in ``code``: symbol, thousands separators, negatives in red.

    Known codes get their symbol ("€"); any other Currency setting is shown after the amount as
    literal text, whatever it holds (quotes, '=', brackets), cut to ``CURRENCY_LABEL_MAX``
    characters so the format stays within Excel's 255."""
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    label = code.strip().upper()
    symbol = _CURRENCY_SYMBOL.get(label)
    if symbol is not None:
        return f'"{symbol}"{digits};[Red]-"{symbol}"{digits}'
    if len(label) > CURRENCY_LABEL_MAX:
        label = label[: CURRENCY_LABEL_MAX - 1] + "…"
    literal = format_literal(label)
    body = f"{digits} {literal}" if literal else digits
    fmt = f"{body};[Red]-{body}"
    return fmt if len(fmt) <= NUMBER_FORMAT_MAX else f"{digits};[Red]-{digits}"


CELL_TEXT_MAX = 32_767  # characters a cell holds in Excel; a longer text makes it repair the file
CUT_MARK = " … (cut: a spreadsheet cell holds {limit:,} characters; this text had {length:,})"


def cell_text(text: str) -> str:
    """``text`` as a cell can hold it: a text longer than Excel's limit (a list of every
    initiative of a large portfolio) is cut at a word and says so, never silently."""
    if len(text) <= CELL_TEXT_MAX:
        return text
    mark = CUT_MARK.format(limit=CELL_TEXT_MAX, length=len(text))
    keep = text[: CELL_TEXT_MAX - len(mark)]
    space = keep.rfind(" ")
    return (keep[:space] if space > 0 else keep) + mark


def put(ws: Worksheet, row: int, col: int, value: object, number_format: str | None = None):
    """Write one cell. Text is always text: a value from the input that starts with ``=`` (or
    ``+ - @``) must never become a formula in the user's plan; a text longer than a cell can
    hold is cut, and says so (``cell_text``)."""
    if isinstance(value, float) and value != value:  # NaN -> blank
        value = None
    elif isinstance(value, str) and len(value) > CELL_TEXT_MAX:
        value = cell_text(value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
    if number_format and value is not None and not isinstance(value, str):
        cell.number_format = number_format
    elif isinstance(value, date):  # datetime is a date too
        cell.number_format = DATE
    return cell


_TABLE_NAME_BAD = re.compile(r"[^A-Za-z0-9_]")


def table_name(text: str) -> str:
    """A valid, readable Excel table name ('Not selected' -> 'tbl_Not_selected')."""
    return "tbl_" + _TABLE_NAME_BAD.sub("_", text)[:200]


def _unique_table_name(ws: Worksheet, wanted: str) -> str:
    """Table names are workbook-wide in Excel (a clash makes it 'repair' the file), so a second
    'Roadmap' table — another scenario's — becomes 'tbl_Roadmap_2'."""
    taken = {name.casefold() for sheet in ws.parent.worksheets for name in sheet.tables}
    name, k = wanted, 2
    while name.casefold() in taken:
        name, k = f"{wanted}_{k}", k + 1
    return name


# per workbook: (change, style before) -> style after; see ``restyle``
_RESTYLED: WeakKeyDictionary[Workbook, dict[tuple, StyleArray]] = WeakKeyDictionary()


def restyle(cell: Cell, change: str, apply: Callable[[Cell], None]) -> None:
    """Apply a style change to ``cell``: ``apply`` makes it, ``change`` names it (the same name
    must always mean the same change, given the cell's style before it).

    openpyxl looks every font, fill and alignment up in the workbook's style lists (hashing each
    one) whenever a cell's style is set; on a large sheet that dominates. The style a change
    leads to is remembered per starting style, so alike cells get it by a copy."""
    memo = _RESTYLED.setdefault(cell.parent.parent, {})
    before = cell._style  # None: never styled
    key = (change,) if before is None else (change, *before)
    done = memo.get(key)
    if done is None:
        apply(cell)
        memo[key] = copy(cell._style)
    else:
        cell._style = copy(done)


def _text_alignment(cell: Cell) -> None:
    cell.alignment = TEXT_ALIGNMENT


def write_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    name: str,
    top: int = 1,
    left: int = 1,
    formats: Mapping[str, str] | None = None,
    style: str = "TableStyleMedium2",
) -> tuple[int, int]:
    """Write ``rows`` under ``headers`` as a named, styled Excel table with filters.

    ``formats`` maps a header to its number format. Returns (last row, last column).
    An empty ``rows`` still gets a table (Excel needs one data row: it is left blank).
    """
    formats = dict(formats or {})
    for j, header in enumerate(headers):
        cell = put(ws, top, left + j, str(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(rows, start=1):
        for j, header in enumerate(headers):
            value = row[j] if j < len(row) else None
            cell = put(ws, top + r, left + j, value, formats.get(str(header)))
            if isinstance(value, str):
                # a small left indent keeps text clear of a right-aligned number beside it
                restyle(cell, "text", _text_alignment)
    last_row = top + max(1, len(rows))
    last_col = left + len(headers) - 1
    ref = f"{get_column_letter(left)}{top}:{get_column_letter(last_col)}{last_row}"
    table = Table(displayName=_unique_table_name(ws, table_name(name)), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    ws.add_table(table)
    return last_row, last_col


def write_title(ws: Worksheet, title: str, subtitle: str = "") -> int:
    """A sheet title (and an optional note line); returns the next free row."""
    put(ws, 1, 1, title).font = TITLE_FONT
    if subtitle:
        put(ws, 2, 1, subtitle).font = NOTE_FONT
        return 4
    return 3


def filled_cells(ws: Worksheet, min_row: int = 1, max_row: int | None = None) -> list[Cell]:
    """The cells the sheet holds between ``min_row`` and ``max_row``, in no particular order.

    Read from the sheet's own store: ``iter_rows`` and ``ws[row]`` would create a cell for
    every empty position up to the sheet's last column, and ``max_column`` scans every cell
    each time it is asked, so a loop over rows that uses either is quadratic."""
    top = max_row if max_row is not None else float("inf")
    return [c for (r, _), c in ws._cells.items() if min_row <= r <= top]


def _text_length(value: object) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0)


def fit_columns(ws: Worksheet, minimum: int = 8, maximum: int = 60) -> None:
    """Column widths that fit their content (Excel has no auto-fit on open)."""
    widths: dict[int, int] = {}
    # the longest formatted number is the largest or the most negative one: only those two
    # are formatted, per column
    numbers = NumberWidths()
    for cell in filled_cells(ws):
        value = cell._value
        if value is None:
            continue
        col = cell.column
        if isinstance(value, float):
            numbers.add(col, value)
            continue
        length = 10 if isinstance(value, (date, datetime)) else _text_length(value)
        if length > widths.get(col, 0):
            widths[col] = length
    for col, length in numbers.lengths(3).items():
        widths[col] = max(widths.get(col, 0), length)
    for col, length in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, length + 2))


class NumberWidths:
    """The longest formatted number of each column: its largest or its most negative value,
    so only those two are formatted, not every number of the column."""

    def __init__(self) -> None:
        self.high: dict[int, float] = {}
        self.low: dict[int, float] = {}

    def add(self, col: int, value: float) -> None:
        if value > self.high.get(col, -math.inf):
            self.high[col] = value
        if value < self.low.get(col, math.inf):
            self.low[col] = value

    def lengths(self, extra: int) -> dict[int, int]:
        """Characters per column: the longer of the two, thousands separated, plus ``extra``."""
        return {
            col: max(len(f"{x:,.0f}") + extra for x in (self.high[col], self.low[col]))
            for col in self.high
        }


def print_setup(ws: Worksheet, header_row: int | None = 1, landscape: bool = True) -> None:
    """Landscape, fit to one page wide, header rows repeated on every printed page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def finish_sheet(ws: Worksheet, header_row: int | None = 1, freeze_col: int = 1) -> None:
    """Freeze panes under the header (and right of ``freeze_col`` columns), fit widths, print setup."""
    if header_row:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=freeze_col + 1 if freeze_col else 1)
    fit_columns(ws)
    print_setup(ws, header_row)


def name_table_columns(wb: Workbook) -> None:
    """Give each table its columns, named by its header row, as openpyxl does on saving, but
    reading only the header row: openpyxl reads the whole table (creating a cell wherever one
    is missing) to use its first row."""
    for ws in wb.worksheets:
        for table in ws.tables.values():
            if table.tableColumns or not table.headerRowCount:
                continue
            first_col, first_row, last_col, _ = range_boundaries(table.ref)
            for col in range(first_col, last_col + 1):
                cell = ws._cells.get((first_row, col))
                name = str(cell.value) if cell is not None else "None"
                table.tableColumns.append(TableColumn(id=col, name=name))
            if not table.autoFilter:
                table.autoFilter = AutoFilter(ref=table.ref)


def save_atomic(
    wb: Workbook, path: Path, *, force: bool = False, protect: Path | None = None
) -> None:
    """Save ``wb`` to ``path`` through the output guard (``roadmap.runtime.outputs``): never
    over ``protect`` (the input workbook), never over an existing file unless ``force``, and
    atomically (temporary file in the same folder, fsync, rename), with the user's umask."""
    from roadmap.runtime.outputs import write_output

    dress(wb)  # page headers, footers and document properties on every sheet
    name_table_columns(wb)
    write_output(Path(path), wb.save, force=force, protect=(protect,))
