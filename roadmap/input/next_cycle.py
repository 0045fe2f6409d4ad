"""The input workbook for the next planning cycle (``roadmap replan --write-input``).

A copy of the input with what the re-forecast established written in, and nothing else
changed (formats, drop-downs, notes and every other sheet are kept):

- Settings: Plan start moves to the re-forecast's start and the Horizon shrinks to keep the
  plan's end.
- Initiatives: work gone live is "done" with its actual start; work under way and continued is
  "in progress" with its actual start; work stopped is "proposed" and Excluded, so no later plan
  restarts it by accident (clear Excluded to have it weighed again).
- Budget: each line's amount net of what was spent in it and what work gone live commits to it;
  lines wholly in the past are removed.
- Must finish by: mandatory work whose date could no longer be met gets the date the
  re-forecast planned it for.

Each changed cell carries a note with its old value and the status date.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.errors import InputError
from roadmap.input.files import read_bytes
from roadmap.input.reader import read
from roadmap.input.schema import BUDGET, INITIATIVES, SETTINGS, normalise_header
from roadmap.progress.model import DONE, IN_PROGRESS, STOPPED
from roadmap.progress.rebase import Rebased


def write_next_input(
    source: Path,
    dest: Path,
    rebased: Rebased,
    continued: Collection[str],
    *,
    force: bool = False,
) -> Path:
    """Write the next cycle's input to ``dest`` through the output guard (never over
    ``source``, never over an existing file without ``force``, atomically)."""
    from roadmap.runtime.outputs import write_output

    reading = read(source)
    layout = reading.layout
    if reading.portfolio is None:
        raise InputError(f"{source} cannot be read again to write the next cycle's input")
    wb = load_workbook(io.BytesIO(read_bytes(source)))
    note = f"roadmap replan, status date {rebased.as_of}"
    settings = wb[layout.title(SETTINGS.name)]
    new = rebased.portfolio.settings
    _setting(settings, layout, "plan_start", "Plan start", new.plan_start, note)
    _setting(settings, layout, "horizon", "Horizon", new.horizon, note)
    sheet = wb[layout.title(INITIATIVES.name)]
    rows = {i.id: i.row for i in reading.portfolio.initiatives}
    for iid, track in rebased.tracks.items():
        row = rows.get(iid)
        if row is None:
            continue
        if track.state == DONE:
            status, excluded = "done", None
        elif track.state == IN_PROGRESS and iid in continued:
            status, excluded = "in progress", None
        elif track.state in (IN_PROGRESS, STOPPED):
            status, excluded = "proposed", "yes"
        else:
            continue
        _cell(sheet, layout, INITIATIVES.name, "status", "Status", row, status, note)
        if track.start is not None and status != "proposed":
            _cell(sheet, layout, INITIATIVES.name, "actual_start", "Actual start", row,
                  track.start, note)  # fmt: skip
        if excluded:
            _cell(sheet, layout, INITIATIVES.name, "excluded", "Excluded", row, excluded, note)
    for iid, due in rebased.deadlines.items():
        at = rows.get(iid)
        if at is not None:
            _cell(sheet, layout, INITIATIVES.name, "must_finish_by", "Must finish by", at, due,
                  f"{note}: could no longer be met")  # fmt: skip
    if layout.has_sheet(BUDGET.name):
        budget = wb[layout.title(BUDGET.name)]
        kept = {b.row: b.amount for b in rebased.portfolio.budgets if b.row is not None}
        gone = []
        for b in reading.portfolio.budgets:
            if b.row is None:
                continue
            if b.row not in kept:
                gone.append(b.row)
            elif abs(kept[b.row] - b.amount) > 0.005:
                _cell(budget, layout, BUDGET.name, "amount", "Limit", b.row, round(kept[b.row], 2),
                      note)  # fmt: skip
        for row in sorted(gone, reverse=True):
            budget.delete_rows(row)
    return write_output(Path(dest), wb.save, force=force, protect=(Path(source),))


def _header_row(ws: Worksheet, wanted: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=40):
        for c in row:
            if isinstance(c.value, str) and normalise_header(c.value) == normalise_header(wanted):
                return c.row
    return 1


def _letter(ws: Worksheet, layout, sheet: str, key: str, header: str) -> str:
    """The column holding ``key``; a column the sheet lacks is added after its last header."""
    letter = layout.letter(sheet, key)
    if letter:
        return letter
    top = _header_row(ws, "ID")
    col = ws.max_column + 1
    ws.cell(row=top, column=col, value=header)
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(col)
    layout.letters.setdefault(sheet, {})[key] = letter  # type: ignore[index]
    return letter


def _cell(
    ws: Worksheet, layout, sheet: str, key: str, header: str, row: int, value: object, note: str
) -> None:
    cell = ws[f"{_letter(ws, layout, sheet, key, header)}{row}"]
    old = cell.value
    if old == value or (isinstance(old, str) and str(value).casefold() == old.strip().casefold()):
        return
    cell.value = value
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    shown = old.isoformat() if isinstance(old, date) else ("blank" if old is None else old)
    cell.comment = Comment(f"{note}: was {shown}", "roadmap", width=260, height=60)


def _setting(ws: Worksheet, layout, key: str, name: str, value: object, note: str) -> None:
    row = layout.row(SETTINGS.name, key)
    letter = layout.letter(SETTINGS.name, key) or "B"
    if row is None:
        row = ws.max_row + 1
        ws.cell(row=row, column=1, value=name)
    cell = ws[f"{letter}{row}"]
    old = cell.value
    if old != value:
        cell.value = value
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        shown = old.isoformat() if isinstance(old, date) else ("blank" if old is None else old)
        cell.comment = Comment(f"{note}: was {shown}", "roadmap", width=260, height=60)
