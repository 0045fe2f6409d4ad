"""Everything the plan workbook and the exports show, derived from a ``Plan`` as plain data.

Pure: no openpyxl, no files. The report modules only lay these facts out, so every figure in the
workbook can be unit-tested here. ``schedule`` puts the plan on the calendar (dates, milestones,
capabilities, accountability); ``resources`` measures it against its limits and adds up its cash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from roadmap.domain import Plan, Portfolio
from roadmap.money.calendar import Calendar
from roadmap.money.finance import (
    Metrics,
    StartValues,
    initiatives_metrics,
    plan_metrics,
    start_values,
)
from roadmap.plan_facts.resources import (
    CapacityFacts,
    CashRow,
    LimitUse,
    PeriodSpend,
    budget_total,
    capacity_facts,
    cash_rows,
    limit_uses,
    period_spend_facts,
    year_spend_facts,
)
from roadmap.plan_facts.schedule import (
    BUILD_SHARE,
    DESIGN_SHARE,
    MILESTONE_COLUMNS,
    MILESTONE_KINDS,
    CapabilityFacts,
    Milestone,
    OwnershipCheck,
    Scheduled,
    calendar_of,
    candidates,
    capability_facts,
    gap_closed,
    milestone_cells,
    milestones,
    not_selected,
    ownership_checks,
    responsibility,
    schedule,
)
from roadmap.plan_facts.tracking import Tracking

__all__ = [
    "BUILD_SHARE",
    "DESIGN_SHARE",
    "MILESTONE_COLUMNS",
    "MILESTONE_KINDS",
    "CapabilityFacts",
    "CapacityFacts",
    "CashRow",
    "Headline",
    "LimitUse",
    "Milestone",
    "OwnershipCheck",
    "PeriodSpend",
    "PlanFacts",
    "Scheduled",
    "budget_total",
    "calendar_of",
    "candidates",
    "capability_facts",
    "capacity_facts",
    "cash_rows",
    "gain_over_greedy",
    "gap_closed",
    "initiative_scores",
    "limit_uses",
    "milestone_cells",
    "milestones",
    "not_selected",
    "ownership_checks",
    "period_spend_facts",
    "plan_facts",
    "plan_title",
    "portfolio_name",
    "responsibility",
    "schedule",
    "year_spend_facts",
]


@dataclass(frozen=True)
class Headline:
    selected: int
    candidates: int
    spend: float  # budget spend inside the horizon (capex + one-off opex + run cost)
    budget: float | None
    metrics: Metrics
    gap_closed: float | None
    gain_over_greedy: float | None  # relative to the greedy baseline's objective

    @property
    def spend_share(self) -> float | None:
        return self.spend / self.budget if self.budget else None


@dataclass(frozen=True)
class PlanFacts:
    plan: Plan
    calendar: Calendar
    schedule: list[Scheduled]
    milestones: list[Milestone]
    periods: list[PeriodSpend]
    years: list[PeriodSpend]
    limits: list[LimitUse]
    capacity: CapacityFacts
    capabilities: list[CapabilityFacts]
    ownership: list[OwnershipCheck]
    responsibility: dict[str, dict[str, str]]
    cash: list[CashRow]
    headline: Headline
    money: dict[str, Metrics]  # each selected initiative at its scheduled start
    scores: dict[str, float]
    # progress reported and the plan handed out, for a re-forecast (empty for a new plan)
    tracking: Tracking = field(default_factory=Tracking)


def portfolio_name(portfolio: Portfolio) -> str:
    """The portfolio's name: the Settings 'Portfolio name', else the input file's name."""
    name = " ".join(portfolio.settings.portfolio_name.split())
    if name:
        return name
    return Path(portfolio.source).stem if portfolio.source else "portfolio"


def plan_title(plan: Plan) -> str:
    """What the plan is called in page headers, document properties and the MS Project file."""
    scenario = f" — scenario {plan.scenario}" if plan.scenario else ""
    return f"Roadmap plan: {portfolio_name(plan.portfolio)}{scenario}"


def initiative_scores(portfolio: Portfolio) -> dict[str, float]:
    """Weighted criteria scores (0–100) when the workbook has criteria, else empty."""
    if not portfolio.criteria:
        return {}
    from roadmap.money import criteria  # optional stage: the plan does not need scores

    return {k: float(v) for k, v in criteria.initiative_scores(portfolio).items()}


def gain_over_greedy(plan: Plan) -> float | None:
    best, greedy = plan.report.objective, plan.greedy_objective
    if best is None or greedy is None or abs(greedy) < 1e-9:
        return None
    return (best - greedy) / abs(greedy)


def plan_facts(plan: Plan, values: StartValues | None = None) -> PlanFacts:
    """Every fact the plan workbook shows. ``values`` may be passed when already computed."""
    cal = calendar_of(plan)
    values = start_values(plan.portfolio, cal) if values is None else values
    periods = period_spend_facts(plan, values, cal)
    caps = capability_facts(plan, cal)
    headline = Headline(
        len(plan.starts),
        len(candidates(plan.portfolio)),
        sum(p.total for p in periods),
        budget_total(plan, cal),
        plan_metrics(plan.portfolio, plan.starts, cal),
        gap_closed(caps, plan),
        gain_over_greedy(plan),
    )
    return PlanFacts(
        plan,
        cal,
        schedule(plan, cal),
        milestones(plan, cal),
        periods,
        year_spend_facts(periods, plan, cal),
        limit_uses(plan, values, cal),
        capacity_facts(plan, cal),
        caps,
        ownership_checks(plan),
        responsibility(plan),
        cash_rows(plan, cal),
        headline,
        initiatives_metrics(plan.portfolio, plan.starts, cal),
        initiative_scores(plan.portfolio),
    )
