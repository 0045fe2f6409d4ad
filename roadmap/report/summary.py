"""Summary sheet: the headline figures a steering committee reads first."""

from __future__ import annotations

from datetime import date

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import ObjectiveKind
from roadmap.excel.writing import DECIMAL, NUMBER, finish_sheet, put, write_table, write_title
from roadmap.plan_facts import PlanFacts
from roadmap.report.assumptions import timed_out
from roadmap.report.bounds import bounded_percent
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


def headline_rows(facts: PlanFacts, fmt: Formats) -> list[tuple[str, object, str | None]]:
    """(label, value, number format) in the order shown."""
    h, m, plan = facts.headline, facts.headline.metrics, facts.plan
    report = plan.report
    objective_format = fmt.money if plan.objective is ObjectiveKind.NPV else DECIMAL
    return [
        ("Initiatives selected", h.selected, NUMBER),
        ("Candidates", h.candidates, NUMBER),
        ("Total spend in the horizon", h.spend, fmt.money),
        ("Total budget in the horizon", h.budget, fmt.money),
        ("Spend vs budget", h.spend_share, fmt.percent),
        ("Portfolio NPV", m.npv, fmt.money),
        ("IRR (per year)", m.irr_annual, bounded_percent(fmt.percent)),
        ("MIRR (per year)", m.mirr_annual, bounded_percent(fmt.percent)),
        ("ROI", m.roi, fmt.percent),
        ("Payback date", m.payback_date, fmt.date),
        ("Capability gap closed", h.gap_closed, fmt.percent),
        *finish_rows(facts, fmt),
        ("Solver status", report.status.value, None),
        ("Solver gap", report.gap, "0.00%"),
        (f"Objective ({plan.objective.value}, new work only)", report.objective, objective_format),
        ("Greedy baseline objective", plan.greedy_objective, objective_format),
        ("Gain over greedy baseline", h.gain_over_greedy, fmt.percent),
    ]


def _note(label: str, value: object) -> str | None:
    if value is not None:
        return None
    return _WHY_EMPTY.get(label, NOT_AVAILABLE)


def write_summary(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> int:
    """Writes the figures; returns the first free row (charts go to the right)."""
    plan = facts.plan
    source = plan.portfolio.source or "portfolio"
    scenario = f" — scenario {plan.scenario}" if plan.scenario else ""
    cal = facts.calendar
    top = write_title(
        ws,
        f"Roadmap plan: {source}{scenario}",
        f"{cal.label(0)} to {cal.label(cal.horizon - 1)}, amounts in "
        f"{plan.portfolio.settings.currency}",
    )
    if timed_out(facts):
        gap = plan.report.gap
        within = f" proven within {gap:.2%} of the best possible" if gap is not None else ""
        warning = put(
            ws, top, 1, f"Stopped at the time limit: this is the best plan found,{within}."
        )
        warning.font = WARNING_FONT
        # wrapped within the figures' columns: run on, it would pass under the charts
        ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=2)
        warning.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[top].height = 45
        top += 2
    rows = headline_rows(facts, fmt)
    last, _ = write_table(
        ws,
        SUMMARY_HEADERS,
        [[label, value, _note(label, value)] for label, value, _ in rows],
        name="Summary",
        top=top,
    )
    for k, (_, value, number_format) in enumerate(rows, start=1):
        if number_format and value is not None and not isinstance(value, str):
            ws.cell(row=top + k, column=2).number_format = number_format
    finish_sheet(ws, header_row=None)
    ws.page_setup.fitToHeight = 1  # figures and charts on one printed page
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 34
    return last + 2
