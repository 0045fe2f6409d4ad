"""Seeded, plausible portfolios built in code, for tests and the optimizer benchmark.

The generator aims at the shape of a real digital portfolio rather than at uniform noise: costs
are log-normal, benefits follow from a payback period (so some initiatives are not worth doing),
staffing uses phase profiles, dependencies form a DAG, and budgets and team capacities are set
below total demand so that they bind. Forced work (mandatory and in-progress initiatives) is kept
small and independent, and budgets and capacities are floored so that all of it fits at once:
every generated portfolio has at least one valid plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from roadmap.domain import (
    BudgetLimit,
    Capability,
    CapacityChange,
    Criterion,
    Dependency,
    Initiative,
    Lift,
    PeriodKind,
    Portfolio,
    Score,
    Settings,
    SpendKind,
    Staffing,
    Status,
    System,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.money.profiles import fte_by_period, spread

PLAN_START = date(2027, 1, 1)
POOL = "IT"
_FUNCTIONS = ("Marketing", "Technology", "Operations", "Data & analytics", "People")
_COST_PROFILES: tuple[tuple[float, ...], ...] = ((), (0.2, 0.5, 0.3), (1.0, 2.0, 1.0), (0.6, 0.4))
_FTE_PROFILES: tuple[tuple[float, ...], ...] = (
    (),
    (0.5, 1.0, 0.5),
    (1.0, 1.0, 0.5),
    (0.3, 1.0, 1.0, 0.6),
)
_BUILD_MONTHS = (3, 6, 6, 9, 9, 12, 12, 15, 18)


@dataclass
class _Draft:
    """An initiative while it is being generated: later steps swap in changed copies."""

    ini: Initiative
    staffing: list[tuple[str, float, tuple[float, ...]]]

    @property
    def id(self) -> str:
        return self.ini.id

    def set(self, **changes: object) -> None:
        self.ini = replace(self.ini, **changes)  # type: ignore[arg-type]


def synthetic_portfolio(
    n_initiatives: int,
    n_periods: int,
    n_teams: int,
    seed: int,
    *,
    period: str = "quarter",
    budget_share: float = 0.6,
    capacity_share: float = 0.6,
    change_limit: int | None = None,
    carry_over: bool = False,
) -> Portfolio:
    """A random but plausible portfolio; the same arguments always give the same portfolio.

    ``budget_share`` and ``capacity_share`` set per-period budgets and team capacities as a
    share of what running every initiative would need (0.6 = 60 %), floored so that the forced
    work fits. ``change_limit`` is raised if need be to the forced work of the busiest function.
    """
    if n_initiatives < 1 or n_periods < 1 or n_teams < 1:
        raise ValueError("n_initiatives, n_periods and n_teams must each be at least 1")
    rng = np.random.default_rng(seed)
    kind = PeriodKind(period)
    cal = Calendar(PLAN_START, kind, n_periods)
    teams = [f"T{j + 1:02d}" for j in range(n_teams)]
    drafts = [_draft(k, rng, cal, teams) for k in range(n_initiatives)]
    _assign_statuses(drafts, rng, cal)
    dependencies = _dependencies(drafts, rng)
    _assign_groups(drafts, rng)

    forced = [d for d in drafts if d.ini.mandatory or d.ini.status is Status.IN_PROGRESS]
    if change_limit is not None:
        busiest = max(
            (sum(1 for d in forced if d.ini.owner_function == f) for f in _FUNCTIONS),
            default=0,
        )
        change_limit = max(change_limit, busiest)

    team_objs, changes = _teams(drafts, forced, teams, rng, cal, capacity_share)
    budgets = _budgets(drafts, forced, cal, budget_share)
    capabilities, systems = _capabilities_and_systems(drafts, rng)
    criteria, scores = _criteria_and_scores(drafts, rng)

    initiatives = tuple(d.ini for d in drafts)
    staffing = tuple(
        Staffing(d.id, team, fte, profile) for d in drafts for team, fte, profile in d.staffing
    )
    settings = Settings(
        plan_start=PLAN_START,
        period=kind,
        horizon=n_periods,
        discount_rate=0.08,
        budget_carry_over=carry_over,
        change_limit=change_limit,
    )
    return Portfolio(
        settings=settings,
        capabilities=capabilities,
        initiatives=initiatives,
        dependencies=dependencies,
        teams=team_objs,
        capacity_changes=changes,
        staffing=staffing,
        budgets=budgets,
        systems=systems,
        criteria=criteria,
        scores=scores,
        source=f"synthetic-{n_initiatives}x{n_periods}x{n_teams}-seed{seed}",
    )


def _draft(k: int, rng: np.random.Generator, cal: Calendar, teams: list[str]) -> _Draft:
    ppy = cal.periods_per_year
    months = int(rng.choice(_BUILD_MONTHS))
    duration = max(1, round(months / cal.months_per_period))
    duration = min(duration, max(1, cal.horizon // 2))
    capex = round(float(np.exp(rng.normal(np.log(300_000), 0.8))), -3)
    opex = round(capex * float(rng.uniform(0.05, 0.4)), -3)
    run_cost = round(capex * float(rng.uniform(0.05, 0.2)), -3)
    # median payback 2.5 years: most initiatives pay off within their life, some never do
    payback_years = float(np.exp(rng.normal(np.log(2.5), 0.5)))
    benefit = (capex + opex) / payback_years + run_cost
    revenue_share = float(rng.choice([0.0, 0.3, 0.7, 1.0]))
    n_staff = int(rng.choice([1, 2, 3], p=[0.4, 0.4, 0.2]))
    chosen = rng.choice(len(teams), size=min(n_staff, len(teams)), replace=False)
    staffing = [
        (
            teams[int(j)],
            round(float(rng.uniform(0.5, 3.0)), 1),
            _FTE_PROFILES[int(rng.integers(len(_FTE_PROFILES)))],
        )
        for j in chosen
    ]
    ini = Initiative(
        id=f"INI-{k + 1:04d}",
        name=f"Initiative {k + 1}",
        owner_function=_FUNCTIONS[int(rng.integers(len(_FUNCTIONS)))],
        accountable_team=staffing[0][0],
        duration=duration,
        capex=capex,
        one_off_opex=opex,
        run_cost=run_cost,
        benefit_revenue=round(benefit * revenue_share, -3),
        benefit_saving=round(benefit * (1 - revenue_share), -3),
        ramp_up=int(rng.integers(0, ppy + 1)),
        useful_life=float(rng.choice([3.0, 4.0, 5.0, 5.0, 7.0])),
        probability=round(float(rng.uniform(0.7, 1.0)) * 20) / 20,
        cost_profile=_COST_PROFILES[int(rng.integers(len(_COST_PROFILES)))],
        funding_pool=POOL if rng.random() < 0.35 else None,
    )
    return _Draft(ini, staffing)


def _assign_statuses(drafts: list[_Draft], rng: np.random.Generator, cal: Calendar) -> None:
    """A few done, in-progress, excluded and mandatory items; dated windows on some others."""
    n, horizon = len(drafts), cal.horizon
    order = rng.permutation(n)
    n_done = round(0.02 * n)
    n_running = max(1 if n >= 20 else 0, round(0.02 * n))
    n_excluded = round(0.02 * n)
    n_mandatory = max(1 if n >= 10 else 0, round(0.03 * n))
    cuts = np.cumsum([n_done, n_running, n_excluded, n_mandatory])
    for pos, k in enumerate(order):
        d = drafts[int(k)]
        duration = d.ini.duration
        if pos < cuts[0]:
            d.set(status=Status.DONE)
        elif pos < cuts[1]:
            began = cal.start(-int(rng.integers(0, min(2, duration))))
            d.set(status=Status.IN_PROGRESS, actual_start=began, funding_pool=None)
        elif pos < cuts[2]:
            d.set(excluded=True)
        elif pos < cuts[3]:
            # no pool, so that the pool's budget cannot make it unplaceable
            d.set(mandatory=True, funding_pool=None)
            if rng.random() < 0.5 and duration + horizon // 2 <= horizon:
                d.set(must_finish_by=cal.end(duration - 1 + horizon // 2))
        else:
            if rng.random() < 0.10 and horizon // 2 >= 1:
                d.set(earliest_start=cal.start(int(rng.integers(1, horizon // 2 + 1))))
            elif rng.random() < 0.06:
                slack = int(rng.integers(1, max(2, horizon // 2)))
                d.set(must_finish_by=cal.end(min(horizon - 1, duration - 1 + slack)))


def _dependencies(drafts: list[_Draft], rng: np.random.Generator) -> tuple[Dependency, ...]:
    """About 0.75 predecessors per initiative, always earlier in a random order (hence a DAG).

    Mandatory, in-progress and done initiatives get no predecessors so that forced work never
    waits on anything and nothing finished depends on something unfinished; excluded ones are
    never predecessors.
    """
    order = [int(k) for k in rng.permutation(len(drafts))]
    deps: list[Dependency] = []
    for pos, k in enumerate(order):
        succ = drafts[k]
        if succ.ini.mandatory or succ.ini.status in (Status.IN_PROGRESS, Status.DONE):
            continue
        # Nearby in the order keeps chains local, as they are in practice (a platform, then its
        # uses), instead of one long chain through the whole portfolio.
        pool = [order[p] for p in range(max(0, pos - 25), pos) if not drafts[order[p]].ini.excluded]
        n_pred = min(len(pool), int(rng.poisson(0.75)))
        for p in rng.choice(len(pool), size=n_pred, replace=False) if n_pred else []:
            lag = 1 if rng.random() < 0.2 else 0
            deps.append(Dependency(drafts[pool[int(p)]].id, succ.id, lag))
    return tuple(deps)


def _assign_groups(drafts: list[_Draft], rng: np.random.Generator) -> None:
    """Alternative pairs (build vs buy) and bundles of two among free proposed initiatives."""
    free = [
        k
        for k, d in enumerate(drafts)
        if d.ini.status is Status.PROPOSED and not d.ini.mandatory and not d.ini.excluded
    ]
    free = [int(k) for k in rng.permutation(free)]
    n_alt_pairs = round(0.04 * len(drafts))
    n_bundles = round(0.02 * len(drafts))
    for g in range(n_alt_pairs):
        if len(free) < 2:
            return
        for k in (free.pop(), free.pop()):
            drafts[k].set(alternative_group=f"ALT-{g + 1:03d}")
    for b in range(n_bundles):
        if len(free) < 2:
            return
        for k in (free.pop(), free.pop()):
            drafts[k].set(bundle=f"BUN-{b + 1:03d}")


def _peak_spend(d: _Draft, cal: Calendar) -> float:
    ini = d.ini
    build = spread(ini.capex + ini.one_off_opex, ini.cost_profile, ini.duration)
    return float(build.max()) + ini.run_cost / cal.periods_per_year


def _budgets(
    drafts: list[_Draft], forced: list[_Draft], cal: Calendar, share: float
) -> tuple[BudgetLimit, ...]:
    horizon, ppy = cal.horizon, cal.periods_per_year
    live = [d for d in drafts if d.ini.status is not Status.DONE and not d.ini.excluded]

    def demand(items: list[_Draft], capex_only: bool = False) -> float:
        total = 0.0
        for d in items:
            ini = d.ini
            total += ini.capex
            if not capex_only:
                # on average an initiative runs for half the horizon after its build
                live_periods = max(0, horizon - ini.duration) / 2
                total += ini.one_off_opex + ini.run_cost / ppy * live_periods
        return total / horizon

    floor = 1.2 * sum(_peak_spend(d, cal) for d in forced)
    per_period = round(max(share * demand(live), floor), -3)
    rows = [BudgetLimit(per_period, period=cal.start(t)) for t in range(horizon)]
    capex_floor = 1.2 * sum(d.ini.capex for d in forced)
    capex_rate = share * 1.2 * demand(live, capex_only=True)
    pool_rate = share * 1.1 * demand([d for d in live if d.ini.funding_pool == POOL])
    for fy in cal.fiscal_years():
        n_fy = len(cal.periods_in_fiscal_year(fy))
        rows.append(
            BudgetLimit(
                round(max(capex_rate * n_fy, capex_floor), -3), SpendKind.CAPEX, fiscal_year=fy
            )
        )
        if pool_rate > 0:
            rows.append(BudgetLimit(round(pool_rate * n_fy, -3), fiscal_year=fy, pool=POOL))
    return tuple(rows)


def _teams(
    drafts: list[_Draft],
    forced: list[_Draft],
    teams: list[str],
    rng: np.random.Generator,
    cal: Calendar,
    share: float,
) -> tuple[tuple[Team, ...], tuple[CapacityChange, ...]]:
    live = [d for d in drafts if d.ini.status is not Status.DONE and not d.ini.excluded]
    forced_ids = {d.id for d in forced}
    out: list[Team] = []
    changes: list[CapacityChange] = []
    for j, team in enumerate(teams):
        fte_periods, largest, forced_peak = 0.0, 0.0, 0.0
        for d in live:
            duration = d.ini.duration
            for t, fte, profile in d.staffing:
                if t != team:
                    continue
                load = fte_by_period(fte, profile, duration)
                fte_periods += float(load.sum())
                largest = max(largest, float(load.max()))
                if d.id in forced_ids:
                    forced_peak += float(load.max())
        capacity = round(
            max(share * fte_periods / cal.horizon, largest, forced_peak, 1.0) + 0.05, 1
        )
        tolerance = 0.1 if rng.random() < 0.3 else 0.0
        out.append(
            Team(team, f"Team {j + 1}", _FUNCTIONS[j % len(_FUNCTIONS)], capacity, tolerance)
        )
        # Hiring only ever adds capacity, so the forced work still fits.
        if cal.horizon >= 4 and rng.random() < 0.3:
            start = int(rng.integers(cal.horizon // 2, cal.horizon))
            changes.append(
                CapacityChange(team, cal.start(start), round(capacity * 1.25, 1), note="hiring")
            )
    return tuple(out), tuple(changes)


def _capabilities_and_systems(
    drafts: list[_Draft], rng: np.random.Generator
) -> tuple[tuple[Capability, ...], tuple[System, ...]]:
    n = len(drafts)
    caps = []
    for c in range(max(3, n // 8)):
        current = float(rng.integers(1, 4))
        target = min(5.0, current + float(rng.integers(1, 3)))
        caps.append(
            Capability(
                f"CAP-{c + 1:03d}",
                f"Capability {c + 1}",
                current=current,
                target=target,
                importance=float(rng.integers(1, 4)),
            )
        )
    systems = tuple(
        System(
            f"SYS-{s + 1:03d}", f"Legacy system {s + 1}", round(float(rng.uniform(50e3, 500e3)), -3)
        )
        for s in range(max(2, n // 15))
    )
    retired: set[str] = set()
    # lifts never push a capability past the top of the scale, as a careful planner would enter
    headroom = [5.0 - c.current for c in caps]
    for d in drafts:
        n_lifts = int(rng.integers(0, 3))
        lifts = []
        for c in (int(c) for c in rng.choice(len(caps), size=n_lifts, replace=False)):
            amount = float(rng.choice([0.5, 1.0]))
            if amount <= headroom[c]:
                headroom[c] -= amount
                lifts.append(Lift(caps[c].id, amount))
        d.set(lifts=tuple(lifts))
        if rng.random() < 0.1:
            sys_id = systems[int(rng.integers(len(systems)))].id
            if sys_id not in retired:  # one replacement per legacy system
                retired.add(sys_id)
                d.set(retires=(sys_id,))
    return tuple(caps), systems


def _criteria_and_scores(
    drafts: list[_Draft], rng: np.random.Generator
) -> tuple[tuple[Criterion, ...], tuple[Score, ...]]:
    criteria = (
        Criterion("FIT", "Strategic fit", 40.0),
        Criterion("URGENCY", "Urgency", 35.0),
        Criterion("RISK", "Delivery risk", 25.0, higher_is_better=False),
    )
    scores = tuple(Score(d.id, c.id, float(rng.integers(0, 11))) for d in drafts for c in criteria)
    return criteria, scores
