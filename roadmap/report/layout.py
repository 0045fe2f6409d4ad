"""Layout pieces the plan-workbook sheets share on top of the Excel kit: section headings,
formats that depend on the workbook's currency, and where a table landed (for charts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.writing import (
    DATE,
    HEADER_FILL,
    PERCENT,
    NumberWidths,
    currency_format,
    filled_cells,
    put,
    restyle,
)

SECTION_FONT = Font(bold=True, size=12)
NOT_AVAILABLE = "n/a"


@dataclass(frozen=True)
class Formats:
    money: str
    percent: str = PERCENT
    date: str = DATE

    @classmethod
    def for_currency(cls, code: str) -> Formats:
        return cls(currency_format(code))


@dataclass(frozen=True)
class TableSpot:
    """Where a written table sits: its sheet, header row, last row and column per header."""

    sheet: str
    header_row: int
    last_row: int
    columns: dict[str, int]

    def col(self, header: str) -> int:
        return self.columns[header]


def spot(ws: Worksheet, headers: list[str], top: int, last_row: int, left: int = 1) -> TableSpot:
    return TableSpot(ws.title, top, last_row, {h: left + k for k, h in enumerate(headers)})


def section(ws: Worksheet, row: int, text: str) -> int:
    """A heading above a table; returns the table's header row."""
    put(ws, row, 1, text).font = SECTION_FONT
    return row + 1


def refit(ws: Worksheet, from_row: int, minimum: int = 8, maximum: int = 50) -> None:
    """Fit column widths to the tables only: titles and notes above ``from_row`` may overflow
    to the right, as a note should, instead of stretching column A. Table headers (white on
    the header fill) wrap, so they ask only for their longest word; their row grows to fit."""
    widths: dict[int, int] = {}
    headers: dict[int, list] = {}
    header_fill = HEADER_FILL.fgColor.rgb
    numbers = NumberWidths()
    for cell in filled_cells(ws, min_row=from_row):
        value = cell._value
        if value is None:
            continue
        col = cell.column
        if isinstance(value, float):
            numbers.add(col, value)
            continue
        if cell.has_style and cell.fill.fgColor.rgb == header_fill:
            headers.setdefault(cell.row, []).append(cell)
            length = max((len(w) for w in str(value).split()), default=0) + 1
        elif isinstance(value, (date, datetime)):
            length = 11
        else:
            length = max((len(x) for x in str(value).splitlines()), default=0) + 1
        widths[col] = max(widths.get(col, 0), length)
    for col, length in numbers.lengths(4).items():
        widths[col] = max(widths.get(col, 0), length)
    for col, length in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, length + 2))
    for r, cells in headers.items():
        lines = max(
            -(-len(str(c.value)) // max(1, int(ws.column_dimensions[c.column_letter].width - 2)))
            for c in cells
        )
        if lines > 1:
            ws.row_dimensions[r].height = 15 * min(lines, 4)


def wrap_subtitle(ws: Worksheet, row: int = 2, last_col: int | None = None) -> None:
    """Wrap the note under a sheet's title across the table's width: an overflowing note would
    otherwise widen the printed page and shrink the table to fit it."""
    cell = ws.cell(row=row, column=1)
    if not isinstance(cell.value, str) or not cell.value:
        return
    last_col = last_col or ws.max_column
    if last_col < 2:
        return
    width = sum(
        ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, last_col + 1)
    )
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    lines = max(1, -(-len(cell.value) * 1.25 // max(width, 1.0)))  # italic runs wider
    ws.row_dimensions[row].height = 15 * lines


def wrap_rows(ws: Worksheet, first_row: int, last_row: int, columns: list[int]) -> None:
    """Wrap long text in ``columns`` and size each row to its longest wrapped cell: neither
    Excel nor LibreOffice re-measures row heights of a file written by a program."""
    wrapped = set(columns)
    # characters per line of each wrapped column: text runs narrower than the digit a column
    # width counts, and breaks at spaces: one character per unit of width, word by word, is
    # about right
    room = {
        c: max(1, int(ws.column_dimensions[get_column_letter(c)].width or 8.43) - 1)
        for c in wrapped
    }
    lines: dict[int, int] = {}

    def top(wrap: bool) -> Callable[[Cell], None]:
        def apply(cell: Cell) -> None:
            cell.alignment = Alignment(
                wrap_text=wrap,
                vertical="top",
                horizontal=cell.alignment.horizontal,
                indent=cell.alignment.indent,
            )

        return apply

    changes = {True: ("top, wrapped", top(True)), False: ("top", top(False))}
    for cell in filled_cells(ws, first_row, last_row):
        wrap = cell.column in wrapped
        restyle(cell, *changes[wrap])
        if wrap and isinstance(cell._value, str):
            need = wrapped_lines(cell._value, room[cell.column])
            if need > lines.get(cell.row, 1):
                lines[cell.row] = need
    for r, count in lines.items():
        if count > 1:
            ws.row_dimensions[r].height = 15 * count


def wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` takes wrapped at ``width`` characters, breaking between words (a word
    longer than a line breaks where it must), each line of the text on its own."""
    total = 0
    for line in text.splitlines() or [""]:
        used, count = 0, 1
        for word in line.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= width:
                used = need
                continue
            count += 1 if used else 0
            extra, used = divmod(len(word), width)
            count += extra if used else extra - 1
            used = used or width
        total += count
    return total
