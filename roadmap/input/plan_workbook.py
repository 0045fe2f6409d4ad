"""Plan workbooks read back: a workbook written by ``roadmap plan -o`` as plain data.

A plan workbook has a Roadmap sheet (a table with ID, Name, Start, Go-live … columns) and a
Summary sheet (Figure | Value). Headers are found by name, in any order and any row near the
top, so a plan the user has re-sorted or extended with columns still reads. A workbook for a
plan that could not be found (Summary + Diagnosis) reads as a plan with no initiatives.

The helpers (open the file, find a sheet, map a header row, typed cells, an error naming the
file and sheet) serve any sheet of a plan workbook; ``read_snapshot`` is what ``roadmap diff``
reads with them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import PlanSnapshot, SnapshotRow, SnapshotValue
from roadmap.errors import InputError
from roadmap.input.files import read_bytes
from roadmap.input.schema import normalise_header

ROADMAP, SUMMARY, DIAGNOSIS = "Roadmap", "Summary", "Diagnosis"
NOT_AVAILABLE = "n/a"
FIX = "Give a workbook written by `roadmap plan -o`."
SCAN_ROWS = 30  # headers sit under a title and a note; never far down


def plan_error(path: Path, problem: str, fix: str, sheet: str = "") -> InputError:
    """An error (exit 2) naming the file and, when given, the sheet."""
    where = f"{path}, sheet {sheet}" if sheet else f"{path}"
    return InputError(f"{where}: {problem}. {fix}")


def open_plan_workbook(path: Path) -> Workbook:
    """The workbook at ``path``, read-only with cached values; the same file checks as for
    input workbooks, and an InputError (exit 2) when it cannot be opened. Close it when done."""
    data = read_bytes(path)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise plan_error(path, f"cannot be opened as an Excel workbook ({exc})", FIX) from None


def find_sheet(wb: Workbook, name: str) -> Worksheet | None:
    """The sheet called ``name``, ignoring case and surrounding spaces."""
    for ws in wb.worksheets:
        if ws.title.strip().casefold() == name.casefold():
            return ws
    return None


def header_row(rows: list[tuple[object, ...]], wanted: Iterable[str]) -> tuple[int, dict[str, int]]:
    """Index of the first row (among the first ``SCAN_ROWS``) holding every ``wanted`` header,
    and normalised header -> column; (-1, {}) when there is none."""
    keys = {normalise_header(w) for w in wanted}
    for r, row in enumerate(rows[:SCAN_ROWS]):
        cols = {normalise_header(v): c for c, v in enumerate(row) if v is not None}
        if keys <= cols.keys():
            return r, cols
    return -1, {}


def cell(row: tuple[object, ...], col: int | None) -> object:
    """The value in column ``col`` of ``row`` (None when the column is absent or short)."""
    return row[col] if col is not None and col < len(row) else None


def as_date(value: object) -> date | None:
    """A date cell (or an ISO date typed as text) as a date; None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def figure_value(value: object) -> SnapshotValue:
    """A cell as a figure: dates as dates, "n/a" as None, anything unusual as its text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and value.strip().lower() == NOT_AVAILABLE:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | str | date) or value is None:
        return value
    return str(value)


def read_snapshot(path: Path) -> PlanSnapshot:
    """The scheduled initiatives and headline figures of a plan workbook; InputError (exit 2)
    when the file is not one."""
    path = Path(path)
    wb = open_plan_workbook(path)
    try:
        roadmap, summary = find_sheet(wb, ROADMAP), find_sheet(wb, SUMMARY)
        if roadmap is None and (summary is None or find_sheet(wb, DIAGNOSIS) is None):
            raise plan_error(path, "not a plan workbook: it has no Roadmap sheet", FIX)
        rows = _roadmap_rows(path, roadmap) if roadmap is not None else ()
        figures, percent, formats = (
            _summary_figures(summary) if summary is not None else ((), frozenset(), ())
        )
    finally:
        wb.close()
    return PlanSnapshot(rows, figures, path.name, percent, formats)


def _roadmap_rows(path: Path, ws: Worksheet) -> tuple[SnapshotRow, ...]:
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    top, cols = header_row(rows, ("ID", "Start"))
    if top < 0:
        raise plan_error(
            path,
            "the Roadmap sheet has no header row with ID and Start columns",
            "Give a workbook written by `roadmap plan -o`, with its Roadmap headers kept.",
            ROADMAP,
        )
    id_col, start_col = cols["id"], cols["start"]
    name_col, live_col = cols.get("name"), cols.get("golive")
    out: list[SnapshotRow] = []
    seen: set[str] = set()
    for excel_row, row in enumerate(rows[top + 1 :], start=top + 2):
        raw = cell(row, id_col)
        if raw is None or not str(raw).strip():
            continue
        iid = str(raw).strip()
        if iid in seen:
            raise plan_error(
                path,
                f"initiative {iid!r} appears twice (row {excel_row})",
                "Keep one row per initiative on the Roadmap sheet.",
                ROADMAP,
            )
        seen.add(iid)
        name = cell(row, name_col)
        out.append(
            SnapshotRow(
                iid,
                "" if name is None else str(name).strip(),
                as_date(cell(row, start_col)),
                as_date(cell(row, live_col)),
                excel_row,
            )
        )
    return tuple(out)


def _summary_figures(
    ws: Worksheet,
) -> tuple[tuple[tuple[str, SnapshotValue], ...], frozenset[str], tuple[tuple[str, str], ...]]:
    """(label, value) pairs of the Summary table, the labels shown as percentages, and the
    number format of each figure (so the Diff sheet shows money, counts and dates alike)."""
    cells = [tuple(r) for r in ws.iter_rows()]
    rows = [tuple(getattr(c, "value", None) for c in r) for r in cells]
    top, cols = header_row(rows, ("Figure", "Value"))
    if top < 0:
        return (), frozenset(), ()
    formats: list[tuple[str, str]] = []
    label_col, value_col = cols["figure"], cols["value"]
    out: list[tuple[str, SnapshotValue]] = []
    percent: set[str] = set()
    for row, raw in zip(rows[top + 1 :], cells[top + 1 :], strict=True):
        label = cell(row, label_col)
        if label is None or not str(label).strip():
            break  # the figures table ends at the first blank label; charts and notes follow
        text = str(label).strip()
        out.append((text, figure_value(cell(row, value_col))))
        raw_cell = raw[value_col] if value_col < len(raw) else None
        number_format = str(getattr(raw_cell, "number_format", "") or "")
        if "%" in number_format:
            percent.add(text)
        if number_format and number_format != "General":
            formats.append((text, number_format))
    return tuple(out), frozenset(percent), tuple(formats)
