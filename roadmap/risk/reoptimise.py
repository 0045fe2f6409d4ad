"""Does the choice hold? The plan re-solved in sampled worlds.

World ``k`` is sample ``k`` of the risk run (``worlds.world``): every initiative with its
sampled build cost, benefits and duration, risk events included. Each world is solved as
``roadmap plan`` solves the portfolio (its Settings' objective, time limit and gap) without the
why-not re-solves and with one solver thread, in a worker process or on a Dask cluster
(``runtime.executors``); a world is a pure function of the seed and ``k``, so the figures are
the same whatever runs them. A world's solve stopped by its time limit may differ between runs:
it is marked, never hidden.

- Selection stability: the share of worlds whose best plan selects each initiative.
  Robust choice: in the plan and selected in at least ``ROBUST`` of the worlds; robustly left
  out: out of the plan and selected in at most ``1 - ROBUST``; in between, a coin-flip.
- Regret in world ``k``: the world's best NPV minus the chosen plan's NPV in that world (the
  plan kept fixed, pushed by late predecessors, as the risk run evaluates it). The chosen plan
  held fixed may break the world's budgets or capacity, which the world's best must respect:
  such a world is marked (``fits``), and the regret figures (mean, P90) count only the worlds
  where the chosen plan fits, where the regret of a proven-optimal world is never negative.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from roadmap.domain import Portfolio, SolveStatus, Status
from roadmap.risk.evaluate import Outcomes
from roadmap.risk.sampling import Draws
from roadmap.risk.worlds import world
from roadmap.runtime.executors import Executor

ROBUST = 0.8


@dataclass(frozen=True)
class WorldResult:
    world: int  # 0-based sample index
    status: str
    gap: float | None
    objective: float | None
    npv: float | None  # the world's best plan valued in that world
    selected: tuple[str, ...]

    @property
    def timed_out(self) -> bool:
        return self.status == SolveStatus.FEASIBLE.value


@dataclass(frozen=True)
class Stability:
    initiative: str
    name: str
    in_plan: bool
    share: float  # of the worlds with a plan
    verdict: str


@dataclass(frozen=True)
class Choice:
    worlds: tuple[WorldResult, ...]
    chosen_npv: np.ndarray  # (K,) the chosen plan in each world
    stability: tuple[Stability, ...]
    executor: str = ""
    fits: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (K,)

    @property
    def comparable(self) -> np.ndarray:
        """(K,) bool: the world has a plan and the chosen plan fits its limits."""
        regret = self.regret
        fits = self.fits if len(self.fits) == len(regret) else np.ones(len(regret), dtype=bool)
        return fits & (regret == regret)

    @property
    def regret(self) -> np.ndarray:
        """(K,) the world's best NPV minus the chosen plan's; NaN where a world has no plan."""
        best = np.array([np.nan if w.npv is None else w.npv for w in self.worlds], dtype=float)
        return best - self.chosen_npv

    @property
    def solved(self) -> int:
        return sum(w.npv is not None for w in self.worlds)

    @property
    def timed_out(self) -> int:
        return sum(w.timed_out for w in self.worlds)


def worker_init() -> None:
    """Local worker processes leave signals to the parent and print nothing (the native
    solver's output would reach the terminal)."""
    from roadmap.optimize.milp.explain.pool import quiet_streams
    from roadmap.runtime import processes

    processes.worker_init()
    quiet_streams()


def solve_world(k: int, portfolio: Portfolio, threads: int | None) -> WorldResult:
    """One world solved (runs in a worker): the best plan and its NPV in that world."""
    from roadmap.money.calendar import Calendar
    from roadmap.money.finance import plan_metrics
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.optimize.options import SolveOptions

    plan = solve_plan(portfolio, SolveOptions(why_not=False, threads=threads))
    r = plan.report
    npv = None
    if r.status.has_plan:
        npv = plan_metrics(portfolio, plan.starts, Calendar.from_settings(portfolio.settings)).npv
    chosen = tuple(i.id for i in portfolio.initiatives if i.id in plan.starts)
    return WorldResult(k, r.status.value, r.gap, r.objective, npv, chosen)


def reoptimise(
    portfolio: Portfolio,
    plan_starts: Mapping[str, int],
    draws: Draws,
    outcomes: Outcomes,
    worlds: int,
    executor: Executor,
    on_done: Callable[[int, WorldResult], None] | None = None,
) -> Choice:
    """Solve the first ``worlds`` sampled worlds; ``outcomes`` is the chosen plan evaluated in
    (at least) those worlds."""
    k = min(worlds, draws.samples)
    threads = executor.solver_threads(1)
    jobs: Sequence[tuple[object, ...]] = [
        (w, world(portfolio, draws, w), threads) for w in range(k)
    ]
    results: list[WorldResult] = executor.run(solve_world, jobs, on_done)
    fits = outcomes.on_budget()[:k] & ~outcomes.overloaded()[:k].any(axis=(1, 2))
    return Choice(
        tuple(results),
        outcomes.npv[:k].copy(),
        stability(portfolio, plan_starts, results),
        executor.describe(),
        fits,
    )


def stability(
    portfolio: Portfolio, plan_starts: Mapping[str, int], results: Sequence[WorldResult]
) -> tuple[Stability, ...]:
    """Every open candidate: how often the worlds' best plans select it, and what that says."""
    solved = [r for r in results if r.npv is not None or r.selected]
    out = []
    for ini in portfolio.initiatives:
        if ini.status is Status.DONE or ini.excluded:
            continue
        share = sum(ini.id in r.selected for r in solved) / len(solved) if solved else float("nan")
        in_plan = ini.id in plan_starts
        out.append(Stability(ini.id, ini.name, in_plan, share, verdict(in_plan, share)))
    out.sort(key=lambda s: (-s.in_plan, -s.share if s.share == s.share else 0.0, s.initiative))
    return tuple(out)


def verdict(in_plan: bool, share: float) -> str:
    if share != share:  # no world solved
        return "unknown"
    if in_plan:
        if share >= ROBUST:
            return "robust choice"
        if share <= 1 - ROBUST:
            return "in the plan, rarely best"
        return "coin-flip"
    if share <= 1 - ROBUST:
        return "robustly left out"
    if share >= ROBUST:
        return "left out, usually best"
    return "coin-flip"
