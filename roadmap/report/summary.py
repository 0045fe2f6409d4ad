"""Summary sheet: what a board pack quotes. The portfolio's name as the title, the key figures
first (NPV, spend against budget, IRR, payback, how many initiatives, the capability gap
closed), then the charts; the solver's status, precision and objective in a small block of
their own ("How this was computed")."""

from __future__ import annotations

from copy import copy
from datetime import date

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import ObjectiveKind, SolveStatus
from roadmap.excel.writing import DECIMAL, NUMBER, finish_sheet, put, write_table, write_title
from roadmap.plan_facts import PlanFacts, portfolio_name
from roadmap.report.assumptions import timed_out
from roadmap.report.bounds import bounded_percent
from roadmap.report.charts import HEAT_MAP_ABOVE, HEAT_MAP_TOP
from roadmap.report.layout import NOT_AVAILABLE, Formats

WARNING_FONT = Font(bold=True, color="C00000")
SUMMARY_HEADERS = ["Figure", "Value", "Note"]
# why a figure's cell is empty (the cell stays empty rather than holding text, so the column
# stays numeric for sorting and formulas)
_WHY_EMPTY = {
    "IRR (per year)": "n/a: the net cash flows never change sign",
    "MIRR (per year)": "n/a: the net cash flows never change sign",
    "ROI": "n/a: no costs",
    "Payback date": "n/a: not reached within the evaluation window",
    "Spend vs budget": "n/a: no budget",
    "Solver gap": "n/a: no bound from the solver",
}
CAPACITY_COST_LABEL = "Cost of capacity added"
NET_NPV_LABEL = "Portfolio NPV net of capacity cost"
_WHY_EMPTY[CAPACITY_COST_LABEL] = "n/a: a changed team has no cost per FTE-year (Teams sheet)"
_WHY_EMPTY[NET_NPV_LABEL] = "n/a: the capacity added is not priced"


def programme_finish(facts: PlanFacts) -> tuple[date | None, date | None]:
    """Go-live of the last planned initiative, and of the last mandatory one (None: none)."""
    every = [row.go_live for row in facts.schedule]
    mandatory = [row.go_live for row in facts.schedule if row.initiative.mandatory]
    return max(every, default=None), max(mandatory, default=None)


def finish_rows(facts: PlanFacts, fmt: Formats) -> list[tuple[str, object, str | None]]:
    """When the programme is done, for every objective; earliest-completion also gives the
    earliest finish of the mandatory work that any plan can reach (proven by the solver)."""
    last, mandatory = programme_finish(facts)
    rows: list[tuple[str, object, str | None]] = [
        ("Programme finish (last go-live)", last, fmt.date),
        ("Mandatory work finishes", mandatory, fmt.date),
    ]
    report, cal = facts.plan.report, facts.calendar
    if report.finish_bound is not None and report.finish_bound > 0:
        # equal to the finish above when proven; earlier when the search stopped on time
        rows.append(
            (
                "Earliest possible finish of mandatory work",
                cal.end(report.finish_bound - 1),
                fmt.date,
            )
        )
    return rows


def capacity_cost_rows(facts: PlanFacts, fmt: Formats) -> list[tuple[str, object, str | None]]:
    """A scenario that adds team capacity: what it costs and the NPV net of it (the cost is no
    cash flow of any initiative, so the Portfolio NPV above leaves it out)."""
    plan = facts.plan
    if abs(plan.capacity_fte_years) < 1e-9:
        return []
    cost = plan.capacity_cost
    net = None if cost is None else facts.headline.metrics.npv - cost
    return [
        (CAPACITY_COST_LABEL, cost, fmt.money),
        (NET_NPV_LABEL, net, fmt.money),
    ]


def headline_rows(facts: PlanFacts, fmt: Formats) -> list[tuple[str, object, str | None]]:
    """The figures a board pack quotes, (label, value, number format), most quoted first."""
    h, m = facts.headline, facts.headline.metrics
    return [
        ("Portfolio NPV", m.npv, fmt.money),
        *capacity_cost_rows(facts, fmt),
        ("Spend vs budget", h.spend_share, fmt.percent),
        ("Total spend in the horizon", h.spend, fmt.money),
        ("Total budget in the horizon", h.budget, fmt.money),
        ("IRR (per year)", m.irr_annual, bounded_percent(fmt.percent)),
        ("MIRR (per year)", m.mirr_annual, bounded_percent(fmt.percent)),
        ("ROI", m.roi, fmt.percent),
        ("Payback date", m.payback_date, fmt.date),
        ("Initiatives selected", h.selected, NUMBER),
        ("Candidates", h.candidates, NUMBER),
        ("Capability gap closed", h.gap_closed, fmt.percent),
        *finish_rows(facts, fmt),
    ]


OPTIMAL_WITHIN = 0.5  # a distance to the bound below half a unit is no distance


def precision(facts: PlanFacts) -> str:
    """How good the plan is known to be, from the solver's report: "proven optimal", or
    "proven within EUR X (g %)" of the best possible plan (the gap in the objective's units)."""
    plan, report = facts.plan, facts.plan.report
    unit = plan.portfolio.settings.currency if plan.objective is ObjectiveKind.NPV else "points"
    if report.objective is None or report.bound is None:
        return "proven optimal" if report.status is SolveStatus.OPTIMAL else "no bound known"
    within = abs(report.bound - report.objective)
    if within < OPTIMAL_WITHIN:
        return "proven optimal"
    share = f" ({report.gap:.2%})" if report.gap is not None else ""
    stopped = ""
    if report.clock_stopped:
        stopped = "; stopped at the time limit"
    elif report.status is SolveStatus.FEASIBLE:
        stopped = "; stopped at its work limit"
    return f"proven within {unit} {within:,.0f}{share}{stopped}"


def computation_rows(facts: PlanFacts, fmt: Formats) -> list[tuple[str, object, str | None]]:
    """The solver's side of the figures, for the small "How this was computed" block."""
    plan, report, h = facts.plan, facts.plan.report, facts.headline
    objective_format = fmt.money if plan.objective is ObjectiveKind.NPV else DECIMAL
    version = report.solver_version or report.solver or "n/a"
    return [
        ("Precision", precision(facts), None),
        (f"Objective ({plan.objective.value}, new work only)", report.objective, objective_format),
        ("Best possible (solver's bound)", report.bound, objective_format),
        ("Greedy baseline objective", plan.greedy_objective, objective_format),
        ("Gain over greedy baseline", h.gain_over_greedy, fmt.percent),
        ("Solver status", report.status.value, None),
        ("Solver gap", report.gap, "0.00%"),
        ("Solver", version, None),
        ("Solve time", f"{report.build_seconds + report.solve_seconds:,.1f} s", None),
    ]


def _note(label: str, value: object, facts: PlanFacts) -> str | None:
    if value is None:
        return _WHY_EMPTY.get(label, NOT_AVAILABLE)
    m = facts.headline.metrics
    if label == "IRR (per year)" and m.irr_ambiguous:
        # the whole note is on the Financials sheet; here it must fit beside the charts
        return f"{len(m.irr_roots)} IRRs: quote MIRR"
    if label == CAPACITY_COST_LABEL:
        return f"vs base: {facts.plan.capacity_fte_years:+,.1f} FTE-years"
    if label == "MIRR (per year)":
        # the convention a reviewer needs to reconcile the figure with Excel's MIRR
        return "Excel MIRR: see Financials"
    return None


COMPUTED_TITLE = "How this was computed"
COMPUTED_FONT = Font(size=10, color="404040")


def write_computation(ws: Worksheet, facts: PlanFacts, fmt: Formats, top: int) -> int:
    """The solver's status, precision, objective and bound: a small block apart from the key
    figures (kept in one place so the words can follow the optimizer's report). Returns the
    next free row."""
    put(ws, top, 1, COMPUTED_TITLE).font = Font(bold=True, size=10, color="404040")
    note = (
        "Portfolio NPV counts every initiative in the plan; the objective counts the work the "
        "plan starts (work in progress is already decided)."
    )
    r = top + 1
    for label, value, number_format in computation_rows(facts, fmt):
        name = put(ws, r, 1, label)
        name.font, name.alignment = COMPUTED_FONT, Alignment(vertical="top")
        cell = put(ws, r, 2, _note(label, value, facts) if value is None else value, number_format)
        cell.font = COMPUTED_FONT
        cell.alignment = Alignment(horizontal="right" if not isinstance(value, str) else "left")
        if isinstance(value, str):
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            lines = -(-len(value) // 36)
            if lines > 1:
                ws.row_dimensions[r].height = 13.5 * lines
        r += 1
    put(ws, r, 1, note).font = Font(italic=True, size=10, color="595959")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[r].height = 26
    return r + 1


def summary_title(facts: PlanFacts) -> tuple[str, str]:
    """The Summary's title (the portfolio's name) and the line under it."""
    plan, cal = facts.plan, facts.calendar
    scenario = f" — scenario {plan.scenario}" if plan.scenario else ""
    return (
        f"{portfolio_name(plan.portfolio)}{scenario}",
        f"Roadmap plan, {cal.label(0)} to {cal.label(cal.horizon - 1)}; amounts in "
        f"{plan.portfolio.settings.currency}",
    )


def write_summary(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> int:
    """Writes the figures and the "How this was computed" block; returns the first free row
    (charts go to the right)."""
    plan = facts.plan
    top = write_title(ws, *summary_title(facts))
    if timed_out(facts):
        gap = plan.report.gap
        within = f" proven within {gap:.2%} of the best possible" if gap is not None else ""
        warning = put(
            ws, top, 1, f"Stopped at the time limit: this is the best plan found,{within}."
        )
        warning.font = WARNING_FONT
        # wrapped within the figures' columns: run on, it would pass under the charts
        ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=3)
        warning.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[top].height = 30
        top += 2
    rows = headline_rows(facts, fmt)
    last, _ = write_table(
        ws,
        SUMMARY_HEADERS,
        [[label, value, _note(label, value, facts)] for label, value, _ in rows],
        name="Summary",
        top=top,
    )
    for k, (_, value, number_format) in enumerate(rows, start=1):
        if number_format and value is not None and not isinstance(value, str):
            ws.cell(row=top + k, column=2).number_format = number_format
    finish_sheet(ws, header_row=None)
    ws.page_setup.fitToHeight = 1  # figures and charts on one printed page
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 15
    ws.column_dimensions["C"].width = 18
    ws.column_dimensions["D"].width = 1  # air between the figures and the charts
    for r in range(top + 1, last + 1):
        ws.cell(r, 3).alignment = Alignment(wrap_text=True, vertical="top")
        if ws.cell(r, 3).value:
            ws.row_dimensions[r].height = 15 * -(-len(str(ws.cell(r, 3).value)) // 18)
            for c in (1, 2):  # the figure level with the first line of its wrapped note
                cell = ws.cell(r, c)
                aligned = copy(cell.alignment)  # the table's indent and wrapping kept
                aligned.vertical = "top"
                cell.alignment = aligned
    block = last + 2
    if len(facts.capacity.teams) > HEAT_MAP_ABOVE:
        # beside the heat map's team rows, not its tall row of rotated period labels
        block = max(block, HEAT_MAP_TOP + 3)
    return write_computation(ws, facts, fmt, block) + 1
