"""Marginal value: what one more FTE in a team, or 10 % more budget, would be worth.

Each probe is the base portfolio with one resource loosened, solved again (time-boxed, in
parallel through ``batch.solve_many``); its gain is the re-solved objective minus the base plan's.

- Team: +1 FTE (``fte``) from the period where the base plan first leaves the team least spare
  capacity — where it binds, when it does — to the end of the horizon.
- Budget: +10 % (``budget_step``) on the rows of one fiscal year, of one funding pool, and on
  every row at once.

Reading the gains. Loosening a limit keeps the base plan valid, so the true gain is never
negative; a re-solve that comes back lower is solver noise and is shown as 0 with a note. Both
solves stop at the solver's gap, so a gain smaller than that gap may be noise too (noted).
``bound_gain`` (the re-solve's proven bound minus the base objective) is the most the change
can be worth.

Net of cost. A team's extra FTE is paid for: with a cost per FTE-year on the Teams sheet, the
cost of the added capacity (FTE x periods x cost / periods per year) is discounted to plan start
like every cash flow, and ``net`` = gain minus that cost when the objective is NPV. Budget probes
cost nothing beyond what the extra budget buys, which is already in the initiatives' NPV: their
cost is 0 and their net is their gain. Probes are ranked by net gain (a hire that adds less
than it costs ranks below a budget line that adds less gross value), by gain where no net is
known (an unpriced team, an objective that is not money).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from roadmap.domain import Plan, Portfolio, SolveStatus
from roadmap.errors import RoadmapError
from roadmap.money.calendar import Calendar
from roadmap.optimize.options import SolveOptions

TEAM = "team"
BUDGET = "budget"


@dataclass(frozen=True)
class Probe:
    kind: str  # TEAM or BUDGET
    key: str  # team id, "FY2028", pool name or "all"
    change: str  # in words: "+1 FTE from 2027-Q3", "+10% on FY2028 budgets"
    portfolio: Portfolio


@dataclass(frozen=True)
class MarginalValue:
    kind: str
    key: str
    change: str
    base_objective: float
    objective: float | None  # of the re-solve; None when it found no plan
    gain: float | None  # never negative (see the module docstring)
    bound_gain: float | None  # the most the change can be worth (proven)
    status: SolveStatus
    gap: float | None
    note: str = ""
    cost: float | None = None  # present value of the extra capacity's cost (team probes)
    net: float | None = None  # gain minus cost (NPV objective, cost known)


@dataclass(frozen=True)
class CapacityCost:
    """What added (or removed, negative) team capacity costs over the horizon."""

    fte_years: float  # FTE-years added, net of any removed
    nominal: float | None  # None when a changed team has no cost per FTE-year
    present_value: float | None  # discounted to plan start at the portfolio's discount rate
    unpriced: tuple[str, ...] = ()  # changed teams without a cost per FTE-year


def capacity_cost(base: Portfolio, changed: Portfolio) -> CapacityCost:
    """The cost of ``changed``'s team capacity over ``base``'s, period by period, on the changed
    portfolio's calendar (the shorter horizon of the two)."""
    from roadmap.money.finance import npv
    from roadmap.optimize.limits import team_capacity

    cal = Calendar.from_settings(changed.settings)
    base_cal = Calendar.from_settings(base.settings)
    horizon = min(cal.horizon, base_cal.horizon)
    before = {t.id: row for t, row in zip(base.teams, team_capacity(base, base_cal), strict=True)}
    per_year = cal.periods_per_year
    flows = np.zeros(horizon)
    fte_years, unpriced = 0.0, []
    for team, row in zip(changed.teams, team_capacity(changed, cal), strict=True):
        old = before.get(team.id)
        extra = row[:horizon] - (old[:horizon] if old is not None else 0.0)
        if not np.any(np.abs(extra) > 1e-9):
            continue
        fte_years += float(extra.sum()) / per_year
        if team.cost_per_fte_year is None:
            unpriced.append(team.id)
            continue
        flows += extra * team.cost_per_fte_year / per_year
    if unpriced:
        return CapacityCost(fte_years, None, None, tuple(unpriced))
    rate = cal.per_period_rate(changed.settings.discount_rate)
    return CapacityCost(fte_years, float(flows.sum()), npv(rate, flows))


def binding_period(portfolio: Portfolio, plan: Plan, team: str) -> int:
    """First period where the plan leaves ``team`` the least spare capacity (with its tolerated
    over-allocation): where the team binds, if it ever does."""
    from roadmap.optimize.limits import capacity_ceiling, team_load

    cal = Calendar.from_settings(portfolio.settings)
    row = [t.id for t in portfolio.teams].index(team)
    free = (
        capacity_ceiling(portfolio, cal)[row] - team_load(portfolio, cal.horizon, plan.starts)[row]
    )
    return int(np.argmin(np.round(free, 6))) if free.size else 0


def probes(
    portfolio: Portfolio, plan: Plan, *, fte: float = 1.0, budget_step: float = 0.10
) -> list[Probe]:
    """The loosened portfolios to solve: teams first, then fiscal years, pools and all budgets."""
    from roadmap.input.scenarios import add_capacity, budget_matcher, scale_budgets

    cal = Calendar.from_settings(portfolio.settings)
    out: list[Probe] = []
    for team in portfolio.teams:
        t = binding_period(portfolio, plan, team.id)
        change = f"{fte:+g} FTE from {cal.label(t)}"
        out.append(
            Probe(TEAM, team.id, change, add_capacity(portfolio, team.id, fte, cal.start(t)))
        )
    if not portfolio.budgets:
        return out
    factor = 1.0 + budget_step
    step = f"{budget_step:+.0%}"
    for fy in cal.fiscal_years():
        match = budget_matcher(portfolio, f"FY{fy}")
        if any(match(b) for b in portfolio.budgets):
            out.append(
                Probe(
                    BUDGET,
                    f"FY{fy}",
                    f"{step} on FY{fy} budgets",
                    scale_budgets(portfolio, factor, f"FY{fy}"),
                )
            )
    for pool in sorted({b.pool for b in portfolio.budgets if b.pool}):
        out.append(
            Probe(BUDGET, pool, f"{step} on pool {pool}", scale_budgets(portfolio, factor, pool))
        )
    out.append(Probe(BUDGET, "all", f"{step} on every budget", scale_budgets(portfolio, factor)))
    return out


def marginal_values(
    portfolio: Portfolio,
    base_plan: Plan,
    *,
    fte: float = 1.0,
    budget_step: float = 0.10,
    options: SolveOptions = SolveOptions(),
    jobs_n: int | None = None,
    progress: bool = False,
) -> list[MarginalValue]:
    """Every probe re-solved as ``options`` say (without the why-not analysis) and ranked by
    gain (largest first)."""
    from roadmap.analysis.batch import solve_many

    if not base_plan.report.status.has_plan or base_plan.report.objective is None:
        raise RoadmapError("Marginal values need a base plan; the base case has none.")
    todo = probes(portfolio, base_plan, fte=fte, budget_step=budget_step)
    plans = solve_many(
        [(f"{p.kind} {p.key}", p.portfolio) for p in todo],
        replace(options, why_not=False),
        jobs_n=jobs_n,
        progress=progress,
        label="Marginal value",
    )
    return rank(
        with_cost(evaluate(p, base_plan, plan), p, portfolio, base_plan)
        for p, plan in zip(todo, plans, strict=True)
    )


def with_cost(
    value: MarginalValue, probe: Probe, base: Portfolio, base_plan: Plan
) -> MarginalValue:
    """A team probe's value with the cost of its extra FTE and the net gain."""
    from roadmap.domain import ObjectiveKind

    money = base_plan.objective is ObjectiveKind.NPV
    if probe.kind != TEAM:
        if not money or value.gain is None:
            return value
        return replace(value, cost=0.0, net=value.gain)
    cost = capacity_cost(base, probe.portfolio)
    if cost.present_value is None:
        note = "no cost per FTE-year on the Teams sheet: gain not netted"
        return replace(value, note="; ".join(n for n in (value.note, note) if n))
    net = None
    if money and value.gain is not None:
        net = value.gain - cost.present_value
    return replace(value, cost=cost.present_value, net=net)


def evaluate(probe: Probe, base_plan: Plan, plan: Plan) -> MarginalValue:
    """The gain of one probe's re-solve over the base plan, read honestly (module docstring)."""
    base = base_plan.report.objective
    if base is None:
        raise ValueError("the base plan has no objective")
    report = plan.report
    value = report.objective if report.status.has_plan else None
    bound = report.bound - base if report.bound is not None and report.status.has_plan else None
    if value is None:
        return MarginalValue(
            probe.kind,
            probe.key,
            probe.change,
            base,
            None,
            None,
            bound,
            report.status,
            report.gap,
            f"re-solve found no plan ({report.status.value})",
        )
    raw = value - base
    note = ""
    tolerance = max(base_plan.report.gap or 0.0, report.gap or 0.0) * abs(base)
    if raw < 0:
        note = "the re-solve stopped below the base plan (solver gap); no gain shown"
    elif 0 < raw <= tolerance:
        note = "gain within the solver's gap: may be noise"
    return MarginalValue(
        probe.kind,
        probe.key,
        probe.change,
        base,
        value,
        max(0.0, raw),
        None if bound is None else max(0.0, bound),
        report.status,
        report.gap,
        note,
    )


def rank(values: Iterable[MarginalValue]) -> list[MarginalValue]:
    """Largest net gain first (the gain where no net is known); probes without a gain last;
    ties keep their order."""

    def worth(v: MarginalValue) -> float:
        return v.net if v.net is not None else (v.gain or 0.0)

    return sorted(values, key=lambda v: (v.gain is None, -worth(v)))
