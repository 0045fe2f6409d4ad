"""Roadmap, Milestones and Gantt sheets: the plan on the calendar."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.writing import (
    DECIMAL,
    HEADER_FILL,
    HEADER_FONT,
    NOTE_FONT,
    finish_sheet,
    print_setup,
    put,
    write_table,
    write_title,
)
from roadmap.plan_facts import (
    BUILD_SHARE,
    DESIGN_SHARE,
    MILESTONE_COLUMNS,
    PlanFacts,
    milestone_cells,
)
from roadmap.plan_facts.reasons import why_in_plan
from roadmap.progress.model import PMO_HEADERS
from roadmap.report.layout import (
    Formats,
    TableSpot,
    refit,
    spot,
    wrap_rows,
    wrap_subtitle,
    wrapped_lines,
)
from roadmap.report.pmo import PMO_NOTE, mark_pmo_columns, pmo_cells
from roadmap.report.roi import blank_reasons

MILESTONE_STATUSES = ("Not started", "On track", "At risk", "Late", "Done")
MILESTONE_DEFINITIONS = (
    "Dates are working days (Monday to Friday). Kick-off = first working day of the start "
    f"period. Design sign-off = end of the first {DESIGN_SHARE:.0%} of the build's working days. "
    f"Build complete = end of the first {BUILD_SHARE:.0%} (testing and cut-over follow). "
    "Go-live = last working day of the last build period. Benefits review = last working day "
    "of the period after the ramp-up ends. Milestones before the plan start are done; a "
    "milestone past its date and not done is shown red."
)
OVERDUE_FILL = PatternFill("solid", fgColor="FFC7CE")
OVERDUE_FONT = Font(color="9C0006")
BUILD_FILL = PatternFill("solid", fgColor="2E75B6")
RAMP_FILL = PatternFill("solid", fgColor="BDD7EE")
GROUP_FILL = PatternFill("solid", fgColor="D9E1F2")
TODAY_FILL = PatternFill("solid", fgColor="FFC000")
TODAY_SIDE = Side(style="medium", color="C65911")
DIAMOND = "◆"


def _risk_words(facts: PlanFacts) -> str:
    if facts.plan.portfolio.settings.risk_adjusted:
        return "x Probability of success"
    return "at face value (not risk-adjusted)"


def write_roadmap(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> TableSpot:
    """Returns where the table sits (the Audit sheet reads it)."""
    top = write_title(
        ws,
        "Roadmap",
        "One row per selected initiative. Cost is the total cost of ownership over the "
        "evaluation window; NPV is at plan start, for the initiative started as planned, "
        f"benefits {_risk_words(facts)}. " + PMO_NOTE,
    )
    headers = [
        "ID",
        "Name",
        "Owner function",
        "Accountable team",
        "Funding pool",
        "Status",
        "Start",
        "Go-live",
        "End of ramp-up",
        "Build periods",
        "Cost",
        "NPV",
        "ROI",
        "Payback",
        "Probability of success",
        "Score",
        "Predecessors",
        "Capabilities lifted",
        "Why in the plan",
        "Note",
        *PMO_HEADERS,
    ]
    why = why_in_plan(facts.plan, facts.money, facts.scores)
    rows = []
    for row in facts.schedule:
        ini = row.initiative
        m = facts.money[ini.id]
        rows.append(
            [
                ini.id,
                ini.name,
                ini.owner_function,
                ini.accountable_team,
                ini.funding_pool,
                ini.status.value,
                row.kickoff,
                row.go_live,
                row.end,
                ini.duration,
                m.total_cost,
                m.npv,
                m.roi,
                m.payback_date,
                ini.probability,
                facts.scores.get(ini.id),
                ", ".join(row.predecessors),
                ", ".join(row.lifts),
                why.get(ini.id, ""),
                blank_reasons(m),
                *pmo_cells(facts, ini),
            ]
        )
    write_table(
        ws,
        headers,
        rows,
        name="Roadmap",
        top=top,
        formats={
            "Cost": fmt.money,
            "NPV": fmt.money,
            "ROI": fmt.percent,
            "Payback": fmt.date,
            "Probability of success": "0%",
            "Score": DECIMAL,
        },
    )
    finish_sheet(ws, header_row=top, freeze_col=2)
    refit(ws, top, maximum=28)  # two legible pages across; long names and notes wrap
    last = top + max(1, len(rows))
    wrap_rows(
        ws,
        top + 1,
        last,
        [
            headers.index(h) + 1
            for h in ("Name", "Predecessors", "Capabilities lifted", "Why in the plan", "Note")
        ],
    )
    mark_pmo_columns(ws, headers, top, last, fmt)
    return spot(ws, headers, top, last)


def write_milestones(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> None:
    top = write_title(ws, "Milestones", MILESTONE_DEFINITIONS)
    headers = [*MILESTONE_COLUMNS, "Actual date", "Notes"]
    rows = [[*milestone_cells(m, facts.calendar), m.actual, None] for m in facts.milestones]
    last_row, last_col = write_table(ws, headers, rows, name="Milestones", top=top)
    status_col = get_column_letter(headers.index("Status") + 1)
    actual_col = get_column_letter(headers.index("Actual date") + 1)
    date_col = get_column_letter(headers.index("Date") + 1)
    # overdue: the date has passed (when the file is opened) and the status is not Done
    ws.conditional_formatting.add(
        f"A{top + 1}:{get_column_letter(last_col)}{last_row}",
        FormulaRule(
            formula=[f'AND(${date_col}{top + 1}<TODAY(),${status_col}{top + 1}<>"Done")'],
            fill=OVERDUE_FILL,
            font=OVERDUE_FONT,
        ),
    )
    choices = ",".join(MILESTONE_STATUSES)
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    dv.error = "Choose one of: " + ", ".join(MILESTONE_STATUSES)
    dv.errorTitle = "Milestone status"
    ws.add_data_validation(dv)
    dv.add(f"{status_col}{top + 1}:{status_col}{last_row}")
    for r in range(top + 1, last_row + 1):
        ws[f"{actual_col}{r}"].number_format = fmt.date
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top, maximum=26)  # one legible page wide; names and deliverables wrap
    for header, width in (("Date", 11), ("Milestone", 16), ("Accountable team", 12)):
        ws.column_dimensions[get_column_letter(headers.index(header) + 1)].width = width
    wrap_rows(ws, top + 1, last_row, [headers.index(h) + 1 for h in ("Name", "Deliverable")])


def _today_period(facts: PlanFacts, today: date) -> int | None:
    t = facts.calendar.period_of(today)
    return t if 0 <= t < facts.calendar.horizon else None


GANTT_NAME_MAX = 40  # characters of the name column; longer names wrap


def gantt_legend(today: date) -> str:
    """What the Gantt's marks mean, in words that hold on paper (no 'hover')."""
    return (
        f"Dark bar: build; light bar: ramp-up; outlined column: today ({today}). "
        f"{DIAMOND} = a milestone in that period (kick-off, design sign-off, build complete, "
        f"go-live or benefits review), {DIAMOND * 2} = two, and so on; white on the dark bar, "
        "black elsewhere. Which milestone and its date: the Milestones sheet."
    )


def write_gantt(ws: Worksheet, facts: PlanFacts, fmt: Formats, today: date) -> None:
    """Initiatives grouped by owner function down the side, periods across; build periods filled
    dark, ramp-up light, ◆ where a milestone falls, today's period outlined."""
    cal = facts.calendar
    put(ws, 1, 1, "Gantt").font = Font(bold=True, size=14)
    put(ws, 2, 1, gantt_legend(today))
    ws.cell(row=2, column=1).font = NOTE_FONT
    head, first_col = 4, 4
    for col, text in enumerate(("Initiative", "Name", "Accountable team"), start=1):
        for r in (head, head + 1):
            c = put(ws, r, col, text if r == head else None)
            c.font, c.fill = HEADER_FONT, HEADER_FILL
    now = _today_period(facts, today)
    small = Font(bold=True, color="FFFFFF", size=10)
    for t in range(cal.horizon):
        col = first_col + t
        label = put(ws, head, col, cal.label(t))
        start = put(ws, head + 1, col, cal.start(t), "d mmm yy")
        for c in (label, start):
            c.font, c.alignment = small, Alignment(horizontal="center")
            c.fill = TODAY_FILL if t == now else HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = 9
    marks: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for m in facts.milestones:
        marks[m.initiative][m.period].append(f"{m.kind} {m.when.isoformat()}")
    groups: dict[str, list] = defaultdict(list)
    for row in facts.schedule:
        groups[row.initiative.owner_function or "(no owner function)"].append(row)
    r = head + 2
    for function in sorted(groups):
        for col in range(1, first_col + cal.horizon):
            ws.cell(row=r, column=col).fill = GROUP_FILL
        put(ws, r, 1, function).font = Font(bold=True)
        r += 1
        for row in groups[function]:
            ini = row.initiative
            put(ws, r, 1, ini.id)
            put(ws, r, 2, ini.name)
            put(ws, r, 3, ini.accountable_team)
            build_end = row.go_live_period
            for t in range(max(0, row.start), min(cal.horizon, build_end + ini.ramp_up + 1)):
                cell = ws.cell(row=r, column=first_col + t)
                cell.fill = BUILD_FILL if t <= build_end else RAMP_FILL
            for t, kinds in marks[ini.id].items():
                if 0 <= t < cal.horizon:
                    # several milestones in one period: one diamond each, listed in a note
                    cell = put(ws, r, first_col + t, DIAMOND * len(kinds))
                    cell.comment = Comment("\n".join(kinds), "roadmap", width=220, height=90)
                    cell.alignment = Alignment(horizontal="center")
                    cell.font = Font(color="FFFFFF" if row.start <= t <= build_end else "000000")
            r += 1
    if now is not None:
        for rr in range(head, r):
            cell = ws.cell(row=rr, column=first_col + now)
            cell.border = Border(left=TODAY_SIDE, right=TODAY_SIDE)
    ws.freeze_panes = ws.cell(row=head + 2, column=first_col)
    # ids are short; an owner function's name runs on over the empty cells of its group row
    ws.column_dimensions["A"].width = max(10, *(len(r.initiative.id) + 2 for r in facts.schedule))
    longest = max((len(row.initiative.name) for row in facts.schedule), default=10)
    ws.column_dimensions["B"].width = min(GANTT_NAME_MAX, max(20, longest + 2))
    ws.column_dimensions["C"].width = 16
    for rr in range(head + 2, r):  # a longer name wraps rather than being cut by the bars
        name = ws.cell(row=rr, column=2)
        # text runs about a tenth narrower than the digits a column's width counts
        if isinstance(name.value, str) and len(name.value) > GANTT_NAME_MAX + 2:
            name.alignment = Alignment(wrap_text=True, vertical="top")
            for col in (1, 3):  # the id and team on the name's first line
                ws.cell(row=rr, column=col).alignment = Alignment(vertical="top")
            ws.row_dimensions[rr].height = 15 * wrapped_lines(name.value, GANTT_NAME_MAX + 2)
    print_setup(ws, header_row=None)
    ws.print_title_rows = f"{head}:{head + 1}"
    wrap_subtitle(ws, 2, first_col + cal.horizon - 1)
