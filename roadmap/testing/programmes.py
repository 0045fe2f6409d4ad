"""Seeded mandatory-only programmes shaped like resource-constrained project scheduling instances.

Each activity is a mandatory initiative of 1-10 months that needs a flat number of FTE from up to
all of the teams; precedence forms a layered network (every activity but the first has a
predecessor); team capacities follow the resource strength RS of the project-scheduling
literature, R_k = max demand + RS (peak of the earliest-start schedule - max demand), so RS 0.2 is
tight and 1.0 loose. The horizon defaults to the sum of durations, where a plan always exists
(one activity after the other); a shorter one may leave no plan at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from roadmap.domain import (
    Dependency,
    Initiative,
    ObjectiveKind,
    PeriodKind,
    Portfolio,
    Settings,
    Staffing,
    Team,
)

PLAN_START = date(2027, 1, 1)


@dataclass(frozen=True)
class Programme:
    """The instance in plain arrays (for an independent solver) and as a portfolio."""

    durations: tuple[int, ...]
    demand: tuple[tuple[int, ...], ...]  # (activity, resource) FTE
    capacity: tuple[int, ...]
    predecessors: tuple[tuple[int, int], ...]  # (before, after)
    horizon: int
    portfolio: Portfolio


def _earliest_starts(durations: list[int], preds: list[tuple[int, int]]) -> list[int]:
    es = [0] * len(durations)
    for a, b in sorted(preds, key=lambda p: p[1]):  # predecessors always have a lower index
        es[b] = max(es[b], es[a] + durations[a])
    return es


def programme(
    n: int = 30,
    resources: int = 4,
    seed: int = 1,
    *,
    strength: float = 0.5,
    horizon: int | None = None,
    max_duration: int = 10,
    max_demand: int = 10,
) -> Programme:
    """A random programme; the same arguments always give the same instance."""
    rng = np.random.default_rng(seed)
    durations = [int(d) for d in rng.integers(1, max_duration + 1, size=n)]
    demand = np.zeros((n, resources), dtype=int)
    for i in range(n):
        used = rng.random(resources) < 0.5
        used[rng.integers(resources)] = True
        demand[i, used] = rng.integers(1, max_demand + 1, size=int(used.sum()))
    preds: set[tuple[int, int]] = set()
    for j in range(1, n):
        k = int(rng.integers(1, 4))
        for a in rng.choice(j, size=min(k, j), replace=False):
            preds.add((int(a), j))
    pred_list = sorted(preds)
    es = _earliest_starts(durations, pred_list)
    span = max(e + d for e, d in zip(es, durations, strict=True))
    profile = np.zeros((span, resources), dtype=int)
    for i in range(n):
        profile[es[i] : es[i] + durations[i]] += demand[i]
    low, peak = demand.max(axis=0), profile.max(axis=0)
    capacity = [int(np.ceil(lo + strength * (hi - lo))) for lo, hi in zip(low, peak, strict=True)]
    h = horizon if horizon is not None else sum(durations)
    teams = tuple(
        Team(f"R{k + 1}", f"Resource {k + 1}", capacity=float(c)) for k, c in enumerate(capacity)
    )
    inis = tuple(
        Initiative(
            f"A{i + 1:02d}",
            f"Activity {i + 1}",
            duration=durations[i],
            mandatory=True,
            capex=1000.0 * durations[i],
            benefit_saving=float(rng.integers(0, 5)) * 1000.0,
        )
        for i in range(n)
    )
    staffing = tuple(
        Staffing(f"A{i + 1:02d}", f"R{k + 1}", float(demand[i, k]))
        for i in range(n)
        for k in range(resources)
        if demand[i, k] > 0
    )
    deps = tuple(Dependency(f"A{a + 1:02d}", f"A{b + 1:02d}") for a, b in pred_list)
    settings = Settings(
        plan_start=PLAN_START,
        horizon=h,
        period=PeriodKind.MONTH,
        discount_rate=0.08,
        objective=ObjectiveKind.EARLIEST_COMPLETION,
    )
    portfolio = Portfolio(
        settings=settings, initiatives=inis, dependencies=deps, teams=teams, staffing=staffing
    )
    return Programme(
        tuple(durations),
        tuple(tuple(int(x) for x in row) for row in demand),
        tuple(capacity),
        tuple(pred_list),
        h,
        portfolio,
    )


def makespan(starts: dict[str, int], p: Programme) -> int:
    """End (exclusive month index) of the last activity in ``starts``."""
    return max(starts[f"A{i + 1:02d}"] + d for i, d in enumerate(p.durations))
