"""Plan diff at the file edges: read a plan workbook back into a ``PlanSnapshot``, and write the
differences as a terminal table or a workbook.

A plan workbook (``roadmap plan -o``) has a Roadmap sheet (a table with ID, Name, Start, Go-live
… columns) and a Summary sheet (Figure | Value). Headers are found by name, in any order and
any row near the top, so a plan the user has re-sorted or extended with columns still reads.
A workbook for a plan that could not be found (Summary + Diagnosis) reads as a plan with no
initiatives.
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

from roadmap.analysis.diff import PlanDiff, PlanSnapshot, SnapshotRow, Value
from roadmap.errors import InputError
from roadmap.excel.printing import describe
from roadmap.excel.writing import (
    DATE,
    PERCENT,
    finish_sheet,
    write_table,
    write_title,
)
from roadmap.input.schema import normalise_header
from roadmap.report.layout import refit, wrap_rows

ROADMAP, SUMMARY, DIAGNOSIS = "Roadmap", "Summary", "Diagnosis"
NOT_AVAILABLE = "n/a"
FIGURE = "#,##0.0"
COUNT = "#,##0"
SIGNED_COUNT = "+#,##0;-#,##0;0"
SIGNED_PERCENT = "+0.0%;-0.0%;0.0%"
PP = '+0.0 "pp";-0.0 "pp";0.0 "pp"'  # percentage points
_SCAN_ROWS = 30  # headers sit under a title and a note; never far down


def _bad(path: Path, problem: str, fix: str, sheet: str = "") -> InputError:
    where = f"{path}, sheet {sheet}" if sheet else f"{path}"
    return InputError(f"{where}: {problem}. {fix}")


def _sheet(wb: Workbook, name: str) -> Worksheet | None:
    for ws in wb.worksheets:
        if ws.title.strip().casefold() == name.casefold():
            return ws
    return None


def _header_row(
    rows: list[tuple[object, ...]], wanted: Iterable[str]
) -> tuple[int, dict[str, int]]:
    """Index of the first row holding every ``wanted`` header, and normalised header -> column."""
    keys = {normalise_header(w) for w in wanted}
    for r, row in enumerate(rows[:_SCAN_ROWS]):
        cols = {normalise_header(v): c for c, v in enumerate(row) if v is not None}
        if keys <= cols.keys():
            return r, cols
    return -1, {}


def _as_date(value: object) -> date | None:
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


def _cell(row: tuple[object, ...], col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


def _value(value: object) -> Value:
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
    from roadmap.input.files import read_bytes  # the same file checks as for input workbooks

    path = Path(path)
    fix = "Give a workbook written by `roadmap plan -o`."
    data = read_bytes(path)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _bad(path, f"cannot be opened as an Excel workbook ({exc})", fix) from None
    try:
        roadmap, summary = _sheet(wb, ROADMAP), _sheet(wb, SUMMARY)
        if roadmap is None and (summary is None or _sheet(wb, DIAGNOSIS) is None):
            raise _bad(path, "not a plan workbook: it has no Roadmap sheet", fix)
        rows = _roadmap_rows(path, roadmap) if roadmap is not None else ()
        figures, percent, formats = (
            _summary_figures(summary) if summary is not None else ((), frozenset(), ())
        )
    finally:
        wb.close()
    return PlanSnapshot(rows, figures, path.name, percent, formats)


def _roadmap_rows(path: Path, ws: Worksheet) -> tuple[SnapshotRow, ...]:
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    top, cols = _header_row(rows, ("ID", "Start"))
    if top < 0:
        raise _bad(
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
        raw = _cell(row, id_col)
        if raw is None or not str(raw).strip():
            continue
        iid = str(raw).strip()
        if iid in seen:
            raise _bad(
                path,
                f"initiative {iid!r} appears twice (row {excel_row})",
                "Keep one row per initiative on the Roadmap sheet.",
                ROADMAP,
            )
        seen.add(iid)
        name = _cell(row, name_col)
        out.append(
            SnapshotRow(
                iid,
                "" if name is None else str(name).strip(),
                _as_date(_cell(row, start_col)),
                _as_date(_cell(row, live_col)),
            )
        )
    return tuple(out)


def _summary_figures(
    ws: Worksheet,
) -> tuple[tuple[tuple[str, Value], ...], frozenset[str], tuple[tuple[str, str], ...]]:
    """(label, value) pairs of the Summary table, the labels shown as percentages, and the
    number format of each figure (so the Diff sheet shows money, counts and dates alike)."""
    cells = [tuple(r) for r in ws.iter_rows()]
    rows = [tuple(getattr(c, "value", None) for c in r) for r in cells]
    top, cols = _header_row(rows, ("Figure", "Value"))
    if top < 0:
        return (), frozenset(), ()
    formats: list[tuple[str, str]] = []
    label_col, value_col = cols["figure"], cols["value"]
    out: list[tuple[str, Value]] = []
    percent: set[str] = set()
    for row, raw in zip(rows[top + 1 :], cells[top + 1 :], strict=True):
        label = _cell(row, label_col)
        if label is None or not str(label).strip():
            break  # the figures table ends at the first blank label; charts and notes follow
        text = str(label).strip()
        out.append((text, _value(_cell(row, value_col))))
        cell = raw[value_col] if value_col < len(raw) else None
        number_format = str(getattr(cell, "number_format", "") or "")
        if "%" in number_format:
            percent.add(text)
        if number_format and number_format != "General":
            formats.append((text, number_format))
    return tuple(out), frozenset(percent), tuple(formats)


# --- output ---------------------------------------------------------------------------------


def _show(value: Value, percent: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if percent:
        return f"{value:.1%}"
    if isinstance(value, float) and abs(value) < 100 and not value.is_integer():
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def _change(value: float | None, percent: bool) -> str:
    if value is None:
        return ""
    if percent:
        return f"{value * 100:+.1f} pp"
    return (
        f"{value:+,.2f}" if abs(value) < 100 and not float(value).is_integer() else f"{value:+,.0f}"
    )


def _table(head: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[k]) for r in body)) for k, h in enumerate(head)]
    return [
        "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
        for cells in [head, *body]
    ]


def format_diff(diff: PlanDiff) -> str:
    """The differences as plain text for the terminal."""
    if diff.is_empty:
        return f"No differences: {diff.new_source or 'the new plan'} matches {diff.old_source or 'the old plan'}."
    lines = [f"{diff.old_source or 'old'} -> {diff.new_source or 'new'}"]
    if diff.added:
        lines += ["", f"Added ({len(diff.added)}):"]
        lines += _table(
            ["ID", "Name", "Start", "Go-live"],
            [[r.id, r.name, _show(r.start), _show(r.go_live)] for r in diff.added],
        )
    if diff.dropped:
        lines += ["", f"Dropped ({len(diff.dropped)}):"]
        lines += _table(
            ["ID", "Name", "Start", "Go-live"],
            [[r.id, r.name, _show(r.start), _show(r.go_live)] for r in diff.dropped],
        )
    if diff.moved:
        lines += ["", f"Moved ({len(diff.moved)}):"]
        lines += _table(
            ["ID", "Name", "Start", "Go-live", "Days"],
            [
                [
                    m.id,
                    m.name,
                    f"{_show(m.old_start)} -> {_show(m.new_start)}",
                    f"{_show(m.old_go_live)} -> {_show(m.new_go_live)}",
                    "" if m.shift_days is None else f"{m.shift_days:+d}",
                ]
                for m in diff.moved
            ],
        )
    changed = diff.changed_figures
    if changed:
        lines += ["", "Headline figures:"]
        lines += _table(
            ["Figure", "Old", "New", "Change"],
            [
                [
                    f.label,
                    _show(f.old, f.label in diff.percent),
                    _show(f.new, f.label in diff.percent),
                    _change(f.change, f.label in diff.percent),
                ]
                for f in changed
            ],
        )
    lines += ["", f"Unchanged: {len(diff.unchanged)} initiative(s) on the same dates."]
    return "\n".join(lines)


def diff_workbook(diff: PlanDiff) -> Workbook:
    """A Diff sheet: every initiative that changed, then the headline figures old vs new."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Diff"
    top = write_title(
        ws,
        f"Plan changes: {diff.old_source or 'old'} -> {diff.new_source or 'new'}",
        f"{len(diff.added)} added, {len(diff.dropped)} dropped, {len(diff.moved)} moved, "
        f"{len(diff.unchanged)} unchanged.",
    )
    rows: list[list[object]] = []
    rows += [["added", r.id, r.name, None, r.start, None, r.go_live, None] for r in diff.added]
    rows += [["dropped", r.id, r.name, r.start, None, r.go_live, None, None] for r in diff.dropped]
    rows += [
        [
            "moved",
            m.id,
            m.name,
            m.old_start,
            m.new_start,
            m.old_go_live,
            m.new_go_live,
            m.shift_days,
        ]
        for m in diff.moved
    ]
    headers = [
        "Change",
        "ID",
        "Name",
        "Old start",
        "New start",
        "Old go-live",
        "New go-live",
        "Days moved",
    ]
    last, _ = write_table(
        ws,
        headers,
        rows,
        name="Diff",
        top=top,
        formats={h: DATE for h in headers[3:7]} | {"Days moved": "+0;-0;0"},
    )
    shown = dict(diff.formats)
    figs = []
    for f in diff.figures:
        share = f.label in diff.percent
        # a change of a percentage is in percentage points, and has no relative change
        change = None if f.change is None else f.change * 100 if share else f.change
        relative = None if share else f.relative
        figs.append([f.label, f.old, f.new, change, relative, "yes" if f.changed else ""])
    fig_top = last + 3
    write_table(
        ws,
        ["Figure", "Old", "New", "Change", "Change %", "Changed"],
        figs,
        name="Diff_figures",
        top=fig_top,
        formats={"Change %": SIGNED_PERCENT},
    )
    for r, (row, f) in enumerate(zip(figs, diff.figures, strict=True), start=fig_top + 1):
        value_format, change_format = figure_formats(
            shown.get(f.label, ""), f.label in diff.percent, (f.old, f.new)
        )
        for c, number_format in ((2, value_format), (3, value_format), (4, change_format)):
            if isinstance(row[c - 1], date):
                ws.cell(row=r, column=c).number_format = DATE
            elif row[c - 1] is not None and not isinstance(row[c - 1], str):
                ws.cell(row=r, column=c).number_format = number_format
    finish_sheet(ws, header_row=top)
    refit(ws, top, maximum=32)
    wrap_rows(ws, top + 1, last, [3])
    describe(wb, "Plan comparison", f"{diff.old_source or 'old'} -> {diff.new_source or 'new'}")
    return wb


def _signed(number_format: str) -> str:
    """'"€"#,##0;[Red]-"€"#,##0' -> the same with a '+' on increases."""
    positive, _, rest = number_format.partition(";")
    return f"+{positive};{rest}" if rest else f"+{positive};-{positive}"


def figure_formats(shown: str, percent: bool, values: tuple[Value, Value]) -> tuple[str, str]:
    """(format of the old and new values, format of the change) for one headline figure:
    percentages with changes in percentage points, money as the plan shows it (currency, no
    cents), counts as whole numbers."""
    if percent:
        return shown or PERCENT, PP
    if shown and shown != "General":
        return shown, _signed(shown)
    whole = all(
        isinstance(v, int) or (isinstance(v, float) and v.is_integer())
        for v in values
        if v is not None
    )
    return (COUNT, SIGNED_COUNT) if whole else (FIGURE, _signed(FIGURE))
