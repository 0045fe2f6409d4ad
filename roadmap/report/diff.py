"""The differences between two plans (``analysis.diff``) as a terminal table or a workbook.

The plan workbooks themselves are read by ``input.plan_workbook``.
"""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from roadmap.analysis.diff import PlanDiff
from roadmap.domain import SnapshotValue
from roadmap.excel.printing import describe
from roadmap.excel.writing import (
    DATE,
    PERCENT,
    finish_sheet,
    put,
    write_table,
    write_title,
)
from roadmap.report.layout import SECTION_FONT, refit, wrap_rows

FIGURE = "#,##0.0"
COUNT = "#,##0"
SIGNED_COUNT = "+#,##0;-#,##0;0"
SIGNED_PERCENT = "+0.0%;-0.0%;0.0%"
PP = '+0.0 "pp";-0.0 "pp";0.0 "pp"'  # percentage points


def _show(value: SnapshotValue, percent: bool = False) -> str:
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
    """A Diff sheet: the headline figures old vs new first (what a reader quotes), then every
    initiative that changed, whose header repeats on each printed page it runs over. The
    figures come first so that a repeated header never stands above a table it does not name."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Diff"
    top = write_title(
        ws,
        f"Plan changes: {diff.old_source or 'old'} -> {diff.new_source or 'new'}",
        f"{len(diff.added)} added, {len(diff.dropped)} dropped, {len(diff.moved)} moved, "
        f"{len(diff.unchanged)} unchanged.",
    )
    shown = dict(diff.formats)
    figs = []
    for f in diff.figures:
        share = f.label in diff.percent
        # a change of a percentage is in percentage points, and has no relative change
        change = None if f.change is None else f.change * 100 if share else f.change
        relative = None if share else f.relative
        figs.append([f.label, f.old, f.new, change, relative, "yes" if f.changed else ""])
    fig_last, _ = write_table(
        ws,
        ["Figure", "Old", "New", "Change", "Change %", "Changed"],
        figs,
        name="Diff_figures",
        top=top,
        formats={"Change %": SIGNED_PERCENT},
    )
    for r, (row, f) in enumerate(zip(figs, diff.figures, strict=True), start=top + 1):
        value_format, change_format = figure_formats(
            shown.get(f.label, ""), f.label in diff.percent, (f.old, f.new)
        )
        for c, number_format in ((2, value_format), (3, value_format), (4, change_format)):
            if isinstance(row[c - 1], date):
                ws.cell(row=r, column=c).number_format = DATE
            elif row[c - 1] is not None and not isinstance(row[c - 1], str):
                ws.cell(row=r, column=c).number_format = number_format
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
    changes_top = fig_last + 3
    put(ws, changes_top - 1, 1, "Initiatives that changed").font = SECTION_FONT
    last, _ = write_table(
        ws,
        headers,
        rows,
        name="Diff",
        top=changes_top,
        formats={h: DATE for h in headers[3:7]} | {"Days moved": "+0;-0;0"},
    )
    finish_sheet(ws, header_row=changes_top)
    ws.freeze_panes = None  # frozen under the changes' header, the figures could not scroll
    refit(ws, top, maximum=32)
    wrap_rows(ws, changes_top + 1, last, [3])
    describe(wb, "Plan comparison", f"{diff.old_source or 'old'} -> {diff.new_source or 'new'}")
    return wb


def _signed(number_format: str) -> str:
    """'"€"#,##0;[Red]-"€"#,##0' -> the same with a '+' on increases."""
    positive, _, rest = number_format.partition(";")
    return f"+{positive};{rest}" if rest else f"+{positive};-{positive}"


def figure_formats(
    shown: str, percent: bool, values: tuple[SnapshotValue, SnapshotValue]
) -> tuple[str, str]:
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
