"""The PMO-ready plan workbook: one entry point that lays out ``plan_facts`` sheet by sheet.

Sheets, in order: Summary, Roadmap, Milestones, Gantt, Budget, Capacity, Financials,
Capabilities, Accountability, Not selected, Assumptions. An infeasible plan gets a short
workbook instead: Summary, Diagnosis (the limits that had to give) and Assumptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from roadmap.domain import Plan
from roadmap.money.finance import StartValues
from roadmap.plan_facts import PlanFacts, plan_facts
from roadmap.report.assumptions import RunInfo, write_assumptions
from roadmap.report.capabilities import write_accountability, write_capabilities
from roadmap.report.charts import add_summary_charts
from roadmap.report.excel import finish_sheet, put, save_atomic, write_table, write_title
from roadmap.report.financials import write_financials
from roadmap.report.layout import Formats, refit, wrap_subtitle
from roadmap.report.notselected import write_not_selected
from roadmap.report.resources import write_budget, write_capacity
from roadmap.report.scenarios import add_scenario_comparison
from roadmap.report.schedule import write_gantt, write_milestones, write_roadmap
from roadmap.report.summary import write_summary

SHEETS = (
    "Summary",
    "Roadmap",
    "Milestones",
    "Gantt",
    "Budget",
    "Capacity",
    "Financials",
    "Capabilities",
    "Accountability",
    "Not selected",
    "Assumptions",
)
DIAGNOSIS_SHEETS = ("Summary", "Diagnosis", "Assumptions")


def _new_workbook(names: tuple[str, ...]) -> Workbook:
    wb = Workbook()
    wb.active.title = names[0]
    for name in names[1:]:
        wb.create_sheet(name)
    return wb


def sheet_prefix(label: str, taken: set[str] | None = None) -> str:
    """A short, sheet-name-safe prefix for one scenario's sheets (Excel allows 31 characters,
    and the longest plan sheet name, 'Accountability', needs 14 of them plus a space)."""
    room = 31 - max(len(name) for name in SHEETS) - 1
    text = "".join(ch for ch in label if ch not in "[]:*?/\\").strip() or "Scenario"
    base = text[:room].rstrip()
    candidate, k = base, 2
    while taken is not None and candidate in taken:
        suffix = f"~{k}"
        candidate, k = base[: room - len(suffix)] + suffix, k + 1
    if taken is not None:
        taken.add(candidate)
    return candidate + " "


def build_plan_workbook(
    plan: Plan,
    *,
    run: RunInfo | None = None,
    today: date | None = None,
    facts: PlanFacts | None = None,
    values: StartValues | None = None,
) -> Workbook:
    """The plan workbook in memory. ``today`` marks the Gantt's current period."""
    wb = Workbook()
    wb.remove(wb.active)
    add_plan_sheets(wb, plan, run=run, today=today, facts=facts, values=values)
    return wb


def add_plan_sheets(
    wb: Workbook,
    plan: Plan,
    *,
    prefix: str = "",
    run: RunInfo | None = None,
    today: date | None = None,
    facts: PlanFacts | None = None,
    values: StartValues | None = None,
) -> None:
    """Append the eleven plan sheets to ``wb``, each named ``prefix + name`` (several scenarios'
    plans can share one workbook)."""
    facts = plan_facts(plan, values) if facts is None else facts
    run = RunInfo() if run is None else run
    fmt = Formats.for_currency(plan.portfolio.settings.currency)
    sheets = {name: wb.create_sheet(prefix + name) for name in SHEETS}
    write_summary(sheets["Summary"], facts, fmt)
    write_roadmap(sheets["Roadmap"], facts, fmt)
    write_milestones(sheets["Milestones"], facts, fmt)
    write_gantt(sheets["Gantt"], facts, fmt, today or date.today())
    per_period, per_year = write_budget(sheets["Budget"], facts, fmt)
    # the chart compares spend with limits where the limits are: per period, else per year
    by_year = all(p.limit is None for p in facts.periods) and any(
        y.limit is not None for y in facts.years
    )
    capacity = write_capacity(sheets["Capacity"], facts, fmt)
    cash = write_financials(sheets["Financials"], facts, fmt)
    write_capabilities(sheets["Capabilities"], facts, fmt)
    write_accountability(sheets["Accountability"], facts, fmt)
    write_not_selected(sheets["Not selected"], facts, fmt)
    write_assumptions(sheets["Assumptions"], facts, fmt, run)
    for name in SHEETS[1:]:
        if name not in ("Gantt", "Assumptions"):
            wrap_subtitle(sheets[name])
    add_summary_charts(
        sheets["Summary"],
        (sheets["Budget"], per_year if by_year else per_period, by_year),
        (sheets["Financials"], cash),
        (sheets["Capacity"], capacity, len(facts.capacity.teams)),
        fmt.money,
    )


def scenario_run(run: RunInfo | None, plan: Plan) -> RunInfo:
    """The run's facts with the plan's scenario added, for that plan's Assumptions sheet."""
    run = RunInfo() if run is None else run
    return replace(run, options=(*run.options, ("scenario", plan.scenario)))


def build_scenarios_workbook(
    plans: Sequence[Plan], *, run: RunInfo | None = None, with_plans: bool = True
) -> Workbook:
    """The Scenarios comparison sheet first (``plans[0]`` is the reference), then, unless
    ``with_plans`` is false, each scenario's plan sheets under its name. Scenarios without a
    plan are compared but get no sheets of their own."""
    wb = Workbook()
    wb.remove(wb.active)
    add_scenario_comparison(wb, plans, currency=plans[0].portfolio.settings.currency)
    taken: set[str] = set()
    for plan in plans if with_plans else ():
        if plan.report.status.has_plan:
            prefix = sheet_prefix(plan.scenario, taken)
            add_plan_sheets(wb, plan, prefix=prefix, run=scenario_run(run, plan))
    return wb


def build_diagnosis_workbook(plan: Plan, *, run: RunInfo | None = None) -> Workbook:
    """For a plan that could not be found: why, in business words, and the run's settings."""
    facts = plan_facts(replace(plan, starts={}))
    fmt = Formats.for_currency(plan.portfolio.settings.currency)
    wb = _new_workbook(DIAGNOSIS_SHEETS)
    ws = wb["Summary"]
    top = write_title(ws, f"No feasible plan: {plan.portfolio.source or 'portfolio'}")
    put(ws, top, 1, f"Solver status: {plan.report.status.value}").font = Font(bold=True)
    if plan.report.message:
        put(ws, top + 1, 1, plan.report.message)
    put(ws, top + 2, 1, "The Diagnosis sheet lists the limits that would have to give.")
    finish_sheet(ws, header_row=None)
    ws = wb["Diagnosis"]
    top = write_title(ws, "Diagnosis", "Each row is a hard limit that had to be broken.")
    rows = [[s.family, s.key, s.amount, s.message] for s in plan.shortfalls]
    write_table(
        ws,
        ["Limit family", "Where", "Shortfall", "What to change"],
        rows,
        name="Diagnosis",
        top=top,
    )
    finish_sheet(ws, header_row=top)
    refit(ws, top, maximum=90)
    write_assumptions(wb["Assumptions"], facts, fmt, run or RunInfo())
    return wb


def write_plan_workbook(
    plan: Plan,
    path: Path,
    *,
    force: bool = False,
    protect: Path | None = None,
    run: RunInfo | None = None,
    today: date | None = None,
    values: StartValues | None = None,
) -> Path:
    """Build and save atomically (temporary file + rename); never replaces ``protect``."""
    if plan.report.status.has_plan:
        wb = build_plan_workbook(plan, run=run, today=today, values=values)
    else:
        wb = build_diagnosis_workbook(plan, run=run)
    save_atomic(wb, Path(path), force=force, protect=protect)
    return Path(path)
