"""Everything the plan workbook and the exports show, derived from a ``Plan`` as plain data.

Pure: no openpyxl, no files. The report modules only lay these facts out, so every figure in the
workbook can be unit-tested here. Spend and capacity come from ``limits`` (the same arrays the
optimizer and the checker use), so the report cannot disagree with the model on what a limit is.

Dates (period ``s`` = start, ``d`` = duration, ``r`` = ramp-up, all in plan periods):

- kick-off = first day of period ``s``;
- design sign-off = last day of the first 25 % of the build days;
- build complete = last day of the first 85 % of the build days (testing and cut-over follow);
- go-live = last day of period ``s + d - 1`` (end of build);
- end = last day of the ramp-up (``s + d + r - 1``): full benefits from the next day on;
- benefits review = last day of the period after the ramp-up (``s + d + r``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from roadmap.calendar import Calendar
from roadmap.domain import Initiative, Plan, Portfolio, SpendKind, Status
from roadmap.finance import (
    Metrics,
    StartValues,
    initiative_metrics,
    plan_cash_flows,
    plan_metrics,
    start_values,
)
from roadmap.limits import (
    budget_rows,
    capacity_ceiling,
    period_spend,
    row_spend,
    team_capacity,
    team_load,
)

MILESTONE_KINDS = ("Kick-off", "Design sign-off", "Build complete", "Go-live", "Benefits review")
DESIGN_SHARE = 0.25
BUILD_SHARE = 0.85
MULTI_OWNER_SEPARATORS = (",", ";", "\n")


@dataclass(frozen=True)
class Scheduled:
    """One selected initiative on the calendar."""

    initiative: Initiative
    start: int  # plan period index (negative: started before the plan)
    kickoff: date
    go_live: date
    end: date  # end of ramp-up
    predecessors: tuple[str, ...]
    lifts: tuple[str, ...]  # "CAP-01 +1"
    live_in_horizon: bool

    @property
    def go_live_period(self) -> int:
        return self.start + self.initiative.duration - 1


@dataclass(frozen=True)
class Milestone:
    when: date
    period: int
    kind: str
    initiative: str
    name: str
    owner_team: str
    accountable_function: str
    deliverable: str


@dataclass(frozen=True)
class PeriodSpend:
    label: str
    first_day: date
    fiscal_year: int
    capex: float
    opex: float  # one-off opex during build plus run cost after go-live
    limit: float | None  # total, all pools, for this period (None: no such limit)

    @property
    def total(self) -> float:
        return self.capex + self.opex

    @property
    def headroom(self) -> float | None:
        return None if self.limit is None else self.limit - self.total

    @property
    def utilisation(self) -> float | None:
        return None if not self.limit else self.total / self.limit


@dataclass(frozen=True)
class LimitUse:
    """One budget inequality (as the optimizer sees it) and how much the plan uses of it."""

    label: str
    kind: SpendKind
    pool: str | None
    granularity: str
    periods: tuple[str, ...]
    limit: float
    spend: float

    @property
    def headroom(self) -> float:
        return self.limit - self.spend

    @property
    def utilisation(self) -> float | None:
        return self.spend / self.limit if self.limit else None


@dataclass(frozen=True)
class CapacityFacts:
    teams: tuple[str, ...]
    labels: tuple[str, ...]
    demand: np.ndarray  # (teams, H) FTE
    capacity: np.ndarray  # (teams, H) FTE
    ceiling: np.ndarray  # capacity with tolerated over-allocation

    @property
    def utilisation(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            util = np.where(self.capacity > 0, self.demand / self.capacity, np.nan)
        return np.where((self.capacity <= 0) & (self.demand <= 0), 0.0, util)


@dataclass(frozen=True)
class CapabilityFacts:
    id: str
    name: str
    owner_function: str
    current: float
    after: float
    target: float
    contributors: tuple[str, ...]
    reached: date | None  # when the target is first met; None: not reached in this plan

    @property
    def gap_closed(self) -> float | None:
        gap = self.target - self.current
        if gap <= 0:
            return None
        return min(1.0, max(0.0, (self.after - self.current) / gap))


@dataclass(frozen=True)
class OwnershipCheck:
    capability: str
    name: str
    owner_function: str
    lifting_functions: tuple[str, ...]
    flag: str  # "" when one need has one owner


def calendar_of(plan: Plan) -> Calendar:
    return Calendar.from_settings(plan.portfolio.settings)


def _day_within(first: date, last: date, share: float) -> date:
    days = (last - first).days + 1
    return first + timedelta(days=max(1, round(days * share)) - 1)


def schedule(plan: Plan, calendar: Calendar | None = None) -> list[Scheduled]:
    """Selected initiatives with their dates, sorted by start then id."""
    cal = calendar or calendar_of(plan)
    portfolio = plan.portfolio
    preds: dict[str, list[str]] = defaultdict(list)
    for dep in portfolio.dependencies:
        preds[dep.successor].append(dep.predecessor)
    out = []
    for ini in plan.selected():
        s = plan.starts[ini.id]
        go = s + ini.duration - 1
        lifts = tuple(f"{lift.capability} +{lift.amount:g}" for lift in ini.lifts)
        out.append(
            Scheduled(
                ini,
                s,
                cal.start(s),
                cal.end(go),
                cal.end(go + ini.ramp_up),
                tuple(preds[ini.id]),
                lifts,
                go < cal.horizon,
            )
        )
    return sorted(out, key=lambda x: (x.start, x.initiative.id))


def _deliverables(ini: Initiative) -> dict[str, str]:
    retire = f"; retire {', '.join(ini.retires)}" if ini.retires else ""
    return {
        "Kick-off": "Team mobilised, scope and plan baselined",
        "Design sign-off": "Solution design approved",
        "Build complete": "Build finished; testing and cut-over ready",
        "Go-live": f"{ini.name} live{retire}",
        "Benefits review": "Benefits measured against the business case",
    }


def milestones(plan: Plan, calendar: Calendar | None = None) -> list[Milestone]:
    """Five milestones per selected initiative (see module docstring), sorted by date."""
    cal = calendar or calendar_of(plan)
    out = []
    for row in schedule(plan, cal):
        ini = row.initiative
        review_period = row.go_live_period + ini.ramp_up + 1
        dates = {
            "Kick-off": (row.kickoff, row.start),
            "Design sign-off": (_day_within(row.kickoff, row.go_live, DESIGN_SHARE), None),
            "Build complete": (_day_within(row.kickoff, row.go_live, BUILD_SHARE), None),
            "Go-live": (row.go_live, row.go_live_period),
            "Benefits review": (cal.end(review_period), review_period),
        }
        text = _deliverables(ini)
        for kind in MILESTONE_KINDS:
            when, period = dates[kind]
            out.append(
                Milestone(
                    when,
                    cal.period_of(when) if period is None else period,
                    kind,
                    ini.id,
                    ini.name,
                    ini.accountable_team,
                    ini.owner_function,
                    text[kind],
                )
            )
    order = {k: n for n, k in enumerate(MILESTONE_KINDS)}
    return sorted(out, key=lambda m: (m.when, m.initiative, order[m.kind]))


def _limits_by(portfolio: Portfolio, calendar: Calendar, year: bool) -> dict[int, float]:
    """Sheet limits on total spend, keyed by period (or fiscal year): the all-pools limit where
    there is one, otherwise the sum of the pools' limits (pools never share an initiative)."""
    overall: dict[int, float] = defaultdict(float)
    pooled: dict[int, float] = defaultdict(float)
    for b in portfolio.budgets:
        if b.kind is not SpendKind.TOTAL:
            continue
        if year and b.fiscal_year is not None:
            key = b.fiscal_year
        elif not year and b.period is not None:
            key = calendar.period_of(b.period)
        else:
            continue
        (overall if b.pool is None else pooled)[key] += b.amount
    return {**pooled, **overall}


def period_spend_facts(plan: Plan, values: StartValues, calendar: Calendar) -> list[PeriodSpend]:
    h = calendar.horizon
    capex = period_spend(plan.portfolio, values, plan.starts, SpendKind.CAPEX, None, h)
    opex = period_spend(plan.portfolio, values, plan.starts, SpendKind.OPEX, None, h)
    limits = _limits_by(plan.portfolio, calendar, year=False)
    return [
        PeriodSpend(
            calendar.label(t),
            calendar.start(t),
            calendar.fiscal_year(t),
            float(capex[t]),
            float(opex[t]),
            limits.get(t),
        )
        for t in range(h)
    ]


def year_spend_facts(
    periods: list[PeriodSpend], plan: Plan, calendar: Calendar
) -> list[PeriodSpend]:
    """The per-period spend summed by fiscal year, against fiscal-year limits on total spend."""
    limits = _limits_by(plan.portfolio, calendar, year=True)
    out = []
    for fy in calendar.fiscal_years():
        rows = [p for p in periods if p.fiscal_year == fy]
        out.append(
            PeriodSpend(
                f"FY{fy}",
                rows[0].first_day,
                fy,
                sum(p.capex for p in rows),
                sum(p.opex for p in rows),
                limits.get(fy),
            )
        )
    return out


def limit_uses(plan: Plan, values: StartValues, calendar: Calendar) -> list[LimitUse]:
    rows = budget_rows(plan.portfolio, calendar)
    spent = row_spend(rows, plan.portfolio, values, plan.starts, calendar.horizon)
    return [
        LimitUse(
            r.label,
            r.kind,
            r.pool,
            r.granularity,
            tuple(calendar.label(t) for t in r.periods),
            r.amount,
            float(s),
        )
        for r, s in zip(rows, spent, strict=True)
    ]


def budget_total(plan: Plan, calendar: Calendar) -> float | None:
    """The overall budget for the horizon: fiscal-year limits on total spend where a year has
    them, otherwise its per-period limits; None when the workbook sets no total limit."""
    years = _limits_by(plan.portfolio, calendar, year=True)
    periods = _limits_by(plan.portfolio, calendar, year=False)
    if not years and not periods:
        return None
    total = 0.0
    for fy in calendar.fiscal_years():
        if fy in years:
            total += years[fy]
        else:
            total += sum(periods.get(t, 0.0) for t in calendar.periods_in_fiscal_year(fy))
    return total


def capacity_facts(plan: Plan, calendar: Calendar | None = None) -> CapacityFacts:
    cal = calendar or calendar_of(plan)
    p = plan.portfolio
    return CapacityFacts(
        tuple(t.id for t in p.teams),
        tuple(cal.labels()),
        team_load(p, cal.horizon, plan.starts),
        team_capacity(p, cal),
        capacity_ceiling(p, cal),
    )


def capability_facts(plan: Plan, calendar: Calendar | None = None) -> list[CapabilityFacts]:
    """Maturity after the plan: current plus every lift of a selected initiative that goes live
    within the horizon (capped at 5, the top of the scale)."""
    cal = calendar or calendar_of(plan)
    live = [row for row in schedule(plan, cal) if row.live_in_horizon]
    live.sort(key=lambda r: r.go_live)
    out = []
    for cap in plan.portfolio.capabilities:
        level, reached, contributors = cap.current, None, []
        if cap.current >= cap.target:
            reached = cal.start(0)
        for row in live:
            amount = sum(li.amount for li in row.initiative.lifts if li.capability == cap.id)
            if amount <= 0:
                continue
            contributors.append(row.initiative.id)
            level = min(5.0, level + amount)
            if reached is None and level >= cap.target - 1e-9:
                reached = row.go_live
        out.append(
            CapabilityFacts(
                cap.id,
                cap.name,
                cap.owner_function,
                cap.current,
                level,
                cap.target,
                tuple(contributors),
                reached,
            )
        )
    return out


def gap_closed(facts: list[CapabilityFacts], plan: Plan) -> float | None:
    """Share of the importance-weighted maturity gap the plan closes (None: no gap to close)."""
    imp = {c.id: c.importance for c in plan.portfolio.capabilities}
    gap = sum(imp[f.id] * (f.target - f.current) for f in facts if f.target > f.current)
    if gap <= 0:
        return None
    closed = sum(
        imp[f.id] * min(f.target - f.current, f.after - f.current)
        for f in facts
        if f.target > f.current
    )
    return closed / gap


def responsibility(plan: Plan) -> dict[str, dict[str, str]]:
    """Initiative id -> team id -> "A", "R" or "A/R" for the selected initiatives.

    R: the team staffs the initiative; A: the team is accountable for its delivery.
    """
    out: dict[str, dict[str, str]] = {}
    for ini in plan.selected():
        marks: dict[str, set[str]] = defaultdict(set)
        for s in plan.portfolio.staffing_of(ini.id):
            if s.fte > 0:
                marks[s.team].add("R")
        if ini.accountable_team:
            marks[ini.accountable_team].add("A")
        out[ini.id] = {team: "/".join(sorted(m)) for team, m in marks.items()}
    return out


def ownership_checks(plan: Plan) -> list[OwnershipCheck]:
    """One need, one owner: each capability should have exactly one owning function, and the
    selected initiatives lifting it should all belong to one function."""
    lifting: dict[str, set[str]] = defaultdict(set)
    for ini in plan.selected():
        for lift in ini.lifts:
            if ini.owner_function:
                lifting[lift.capability].add(ini.owner_function)
    out = []
    for cap in plan.portfolio.capabilities:
        owner = cap.owner_function.strip()
        flags = []
        if not owner:
            flags.append("no owning function")
        elif any(sep in owner for sep in MULTI_OWNER_SEPARATORS):
            flags.append("owned by more than one function")
        funcs = tuple(sorted(lifting.get(cap.id, ())))
        if len(funcs) > 1:
            flags.append("lifted by initiatives of different functions")
        out.append(OwnershipCheck(cap.id, cap.name, owner, funcs, "; ".join(flags)))
    return out


def candidates(portfolio: Portfolio) -> tuple[Initiative, ...]:
    """Initiatives the plan could contain: everything not already done."""
    return tuple(i for i in portfolio.initiatives if i.status is not Status.DONE)


def not_selected(plan: Plan) -> tuple[Initiative, ...]:
    return tuple(i for i in candidates(plan.portfolio) if i.id not in plan.starts)


@dataclass(frozen=True)
class CashRow:
    """One period of the whole plan's cash flows (booked at the end of the period)."""

    period: int
    label: str
    last_day: date
    in_horizon: bool
    capex: float
    opex: float
    run_cost: float
    benefit: float
    legacy_saving: float
    discount_factor: float

    @property
    def net(self) -> float:
        return self.benefit + self.legacy_saving - self.capex - self.opex - self.run_cost

    @property
    def discounted(self) -> float:
        return self.net * self.discount_factor


def cash_rows(plan: Plan, calendar: Calendar | None = None) -> list[CashRow]:
    """The plan's cash flows over finance's evaluation window, one row per period from 0."""
    cal = calendar or calendar_of(plan)
    cf = plan_cash_flows(plan.portfolio, plan.starts, cal)
    rate = cal.per_period_rate(plan.portfolio.settings.discount_rate)
    return [
        CashRow(
            t,
            cal.label(t),
            cal.end(t),
            t < cal.horizon,
            float(cf.capex[t]),
            float(cf.opex[t]),
            float(cf.run_cost[t]),
            float(cf.benefit[t]),
            float(cf.legacy_saving[t]),
            float((1.0 + rate) ** -(t + 1)),
        )
        for t in range(cf.length)
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


def initiative_scores(portfolio: Portfolio) -> dict[str, float]:
    """Weighted criteria scores (0–100) when the workbook has criteria, else empty."""
    if not portfolio.criteria:
        return {}
    from roadmap import criteria  # optional stage: the plan does not need scores

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
        {i: initiative_metrics(plan.portfolio, i, cal, s) for i, s in plan.starts.items()},
        initiative_scores(plan.portfolio),
    )
