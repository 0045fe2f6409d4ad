"""What every workbook carries on paper and in its file properties: a page header with the
workbook's title and sheet, a footer with the date written and "page n of m", and document
properties (title, subject, creator) a document system can index.

Builders name their workbook with ``describe``; ``dress`` runs once on every workbook before it
is saved and fills in what a sheet lacks, so a sheet added late (the Marginal value sheet) is
dressed too.
"""

from __future__ import annotations

import math
from datetime import date

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CREATOR = "roadmap"
HEADER_SIZE = 9
# characters of column width one landscape A4 page prints at a legible size (about 75 %); a
# wider sheet prints over several pages across, its frozen columns repeated on each
PAGE_WIDTH = 215


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


def fit_across(ws: Worksheet) -> None:
    """A sheet set to fit one page wide that is too wide to read that way prints over as many
    pages across as keep it legible, with its frozen (label) columns on every page."""
    pr = ws.sheet_properties.pageSetUpPr
    if pr is None or not pr.fitToPage or ws.page_setup.fitToWidth not in (None, 1):
        return
    width = sum(
        ws.column_dimensions[get_column_letter(c)].width or 8.43
        for c in range(1, ws.max_column + 1)
    )
    across = math.ceil(width / PAGE_WIDTH)
    if across <= 1:
        return
    ws.page_setup.fitToWidth = across
    frozen = ws.freeze_panes
    if frozen and not ws.print_title_cols:
        col = column_index_from_string("".join(ch for ch in frozen if ch.isalpha()))
        if col > 1:
            ws.print_title_cols = f"A:{get_column_letter(col - 1)}"


def dress(wb: Workbook, written: date | None = None) -> Workbook:
    """Document properties and page furniture on every sheet (what a builder has not set)."""
    written = written or date.today()
    title = wb.properties.title or "Roadmap"
    wb.properties.title = title
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    for ws in wb.worksheets:
        dress_sheet(ws, title, written)
        fit_across(ws)
    return wb
