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
from openpyxl.cell import Cell
from openpyxl.styles import Font

from roadmap.domain import Plan
from roadmap.excel.printing import describe
from roadmap.excel.writing import finish_sheet, put, save_atomic, write_table, write_title
from roadmap.money.finance import StartValues
from roadmap.plan_facts import PlanFacts, plan_facts, plan_title
from roadmap.report.assumptions import RunInfo, write_assumptions
from roadmap.report.audit import write_audit
from roadmap.report.capabilities import write_accountability, write_capabilities
from roadmap.report.charts import add_summary_charts
from roadmap.report.financials import write_financials
from roadmap.report.layout import Formats, refit, wrap_subtitle
from roadmap.report.notselected import write_not_selected
from roadmap.report.resources import write_budget, write_capacity
from roadmap.report.scenarios import SHEET as SCENARIOS_SHEET
from roadmap.report.scenarios import add_scenario_comparison, link_scenario_sheets
from roadmap.report.schedule import write_gantt, write_milestones, write_roadmap
from roadmap.report.summary import write_summary
from roadmap.runtime.bulk import bulk_work

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
    "Audit",
    "Audit periods",
    "Assumptions",
)
DIAGNOSIS_SHEETS = ("Summary", "Diagnosis", "Assumptions")
SCENARIOS_SUBJECT = "Scenario comparison and each scenario's plan"
PLAN_SUBJECT = "Portfolio roadmap: selection, schedule, budget, capacity and money case"


def _new_workbook(names: tuple[str, ...]) -> Workbook:
    wb = Workbook()
    wb.active.title = names[0]
    for name in names[1:]:
        wb.create_sheet(name)
    return wb


BAD_SHEET_CHARS = set("[]:*?/\\")


def scenario_code(index: int, name: str) -> str:
    """A short, legal, unique sheet-name prefix for the ``index``-th scenario: "Base" for an
    unnamed base case, else S1, S2 … (Excel allows 31 characters; a scenario's full name, which
    may be longer or hold characters Excel forbids, goes in each of its sheets' titles)."""
    return "Base" if index == 0 and name in ("", "Base") else f"S{index}"


def is_legal_sheet_name(name: str) -> bool:
    return (
        0 < len(name) <= 31
        and not (set(name) & BAD_SHEET_CHARS)
        and not name.startswith("'")
        and not name.endswith("'")
    )


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
    describe(wb, plan_title(plan), PLAN_SUBJECT)
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
    """Append the thirteen plan sheets to ``wb``, each named ``prefix + name`` (several scenarios'
    plans can share one workbook)."""
    facts = plan_facts(plan, values) if facts is None else facts
    run = RunInfo() if run is None else run
    fmt = Formats.for_currency(plan.portfolio.settings.currency)
    sheets = {name: wb.create_sheet(prefix + name) for name in SHEETS}
    write_summary(sheets["Summary"], facts, fmt)
    roadmap = write_roadmap(sheets["Roadmap"], facts, fmt)
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
    write_audit(
        sheets["Audit"],
        sheets["Audit periods"],
        facts,
        fmt,
        cash=cash,
        roadmap=roadmap,
        per_period=per_period,
        per_year=per_year,
    )
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
        plan.portfolio.settings.currency,
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
    links: dict[int, str] = {}
    for k, plan in enumerate(plans if with_plans else ()):
        if plan.report.status.has_plan:
            code = scenario_code(k, plan.scenario)
            add_plan_sheets(wb, plan, prefix=f"{code} ", run=scenario_run(run, plan))
            for name in SHEETS:
                title = wb[f"{code} {name}"]["A1"]
                if isinstance(title, Cell) and isinstance(title.value, str):
                    title.value = f"{title.value} — {code}: {plan.scenario or 'Base'}"
            links[k] = f"{code} {SHEETS[0]}"
    link_scenario_sheets(wb[SCENARIOS_SHEET], links)
    stem = Path(plans[0].portfolio.source).stem if plans and plans[0].portfolio.source else ""
    describe(wb, f"Roadmap scenarios: {stem or 'portfolio'}", SCENARIOS_SUBJECT)
    return wb


def build_diagnosis_workbook(plan: Plan, *, run: RunInfo | None = None) -> Workbook:
    """For a plan that could not be found: why, in business words, and the run's settings."""
    facts = plan_facts(replace(plan, starts={}))
    fmt = Formats.for_currency(plan.portfolio.settings.currency)
    wb = _new_workbook(DIAGNOSIS_SHEETS)
    describe(wb, f"No feasible plan: {plan_title(plan)}", "Why no plan meets every hard limit")
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


@bulk_work()
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
