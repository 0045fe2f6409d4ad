"""Does the choice hold? The plan's choice of initiatives re-solved in sampled worlds.

World ``k`` is sample ``k`` of the risk run (``worlds.world``): every initiative with its
sampled build cost, benefits and duration, risk events included. Every solve is
``solve_plan`` with the plan's own solve options (solver, time limit, gap and search, as the
plan was solved; no why-not re-solves) and one solver thread, in a worker process or on a Dask
cluster (``runtime.executors``): a world is a pure function of the seed, ``k`` and the chosen
set, so its figures are the same whatever runs it. Up to three solves per world, the choice
expressed through the Portfolio's own mandatory / excluded fields (no optimizer change):

- best: the world's best plan, every candidate open;
- chosen set, re-timed: the plan's initiatives mandatory, every other candidate excluded. Its
  value is the choice kept whole and re-timed as well as the world allows; infeasible when no
  timing keeps the set within the world's budgets and capacity ("does not fit");
- chosen set, trimmed to fit: every other candidate excluded, the plan's initiatives optional:
  the choice kept as far as the world allows (re-timed, dropping what no longer fits or pays,
  adding nothing). Only mandatory work can make it infeasible, and then so is the world.

Each is a restriction of the one before, so a solve whose answer follows from an earlier plan
is not run: a best plan within the chosen set is also the trimmed plan, a trimmed plan keeping
the whole set is also the re-timed one (the earlier plan is feasible in the narrower model,
which cannot do better). A world with no plan at all is not solved further.

Regret in world ``k``: the best plan's objective minus the chosen set's (re-timed, or trimmed),
in the objective's units (money for NPV; work in progress adds the same to both and cancels).
A world counts only when each of its solves ended proven (optimal, or infeasible): a solve
stopped by its time limit gives figures that depend on where the clock stopped, so such a world
is counted and named, never averaged in; the same holds for the selection stability.

- Selection stability: the share of counted worlds with a plan whose best plan selects each
  initiative. Robust choice: in the plan and selected in at least ``ROBUST`` of them; robustly
  left out: out of the plan and selected in at most ``1 - ROBUST``; in between, a coin-flip.
- The plan as made (same initiatives, same starts, pushed by late predecessors as the risk run
  evaluates it) is a separate figure: whether it stays within the world's budgets and capacity
  (``held_fits``) and its NPV there (``held_npv``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from roadmap.domain import Initiative, ObjectiveKind, Portfolio, SolveStatus, Status
from roadmap.optimize.options import SolveOptions
from roadmap.risk.evaluate import Outcomes
from roadmap.risk.sampling import Draws
from roadmap.risk.worlds import world
from roadmap.runtime.executors import Executor

ROBUST = 0.8
NOT_SOLVED = "not solved"  # the world has no plan at all: the chosen set is not tried in it
PROVEN = frozenset({SolveStatus.OPTIMAL.value, SolveStatus.INFEASIBLE.value})
STOPPED = frozenset({SolveStatus.FEASIBLE.value, SolveStatus.NO_SOLUTION.value})


@dataclass(frozen=True)
class Solved:
    """One solve of a world: how it ended, the plan's objective and NPV in that world, and the
    initiatives it selects (work in progress included, as a plan's starts hold it)."""

    status: str
    gap: float | None = None
    objective: float | None = None
    npv: float | None = None
    selected: tuple[str, ...] = ()

    @property
    def has_plan(self) -> bool:
        return self.objective is not None

    @property
    def proven(self) -> bool:
        """Optimal (within the Settings' gap) or proven infeasible: not a matter of the clock."""
        return self.status in PROVEN

    @property
    def stopped(self) -> bool:
        """Stopped by the time limit, with or without a plan."""
        return self.status in STOPPED


@dataclass(frozen=True)
class WorldResult:
    world: int  # 0-based sample index
    best: Solved  # the world's best plan
    chosen: Solved  # the chosen set kept whole, re-timed
    trimmed: Solved  # the chosen set trimmed to fit
    runs: int = 1  # solves run (the others followed from an earlier plan)

    @property
    def solves(self) -> tuple[Solved, ...]:
        return (self.best, self.chosen, self.trimmed)

    @property
    def stopped(self) -> bool:
        return any(s.stopped for s in self.solves)

    @property
    def counted(self) -> bool:
        """Every solve of the world proven; a world without any plan needs only its best."""
        if self.best.status == SolveStatus.INFEASIBLE.value:
            return True
        return all(s.proven for s in self.solves)


@dataclass(frozen=True)
class Stability:
    initiative: str
    name: str
    in_plan: bool
    share: float  # of the counted worlds with a plan
    verdict: str


@dataclass(frozen=True)
class Spread:
    """Regret over the worlds where it is defined: how many, mean, P50, P90, and the share of
    them where the choice is as good as the world's best (regret zero, to rounding)."""

    worlds: int
    mean: float | None
    p50: float | None
    p90: float | None
    best_share: float | None


@dataclass(frozen=True)
class Choice:
    worlds: tuple[WorldResult, ...]
    chosen: tuple[str, ...]  # the plan's open initiatives, in portfolio order
    held_npv: np.ndarray  # (K,) the plan as made in each world
    held_fits: np.ndarray  # (K,) bool: the plan as made within every budget line and capacity
    stability: tuple[Stability, ...]
    objective: str = ObjectiveKind.NPV.value
    executor: str = ""
    solved_as: str = ""  # the solve options of every world, in words

    @property
    def counted(self) -> np.ndarray:
        return np.array([w.counted for w in self.worlds], dtype=bool)

    @property
    def stopped(self) -> tuple[int, ...]:
        """1-based numbers of the worlds a solve of which stopped at the time limit."""
        return tuple(w.world + 1 for w in self.worlds if w.stopped)

    @property
    def uncounted(self) -> tuple[int, ...]:
        """1-based numbers of the worlds left out of every figure (stopped, or a solver error)."""
        return tuple(w.world + 1 for w in self.worlds if not w.counted)

    def _flag(self, test: Callable[[WorldResult], bool]) -> np.ndarray:
        return np.array([w.counted and test(w) for w in self.worlds], dtype=bool)

    @property
    def no_plan(self) -> np.ndarray:
        """(K,) counted worlds where no plan fits at all (mandatory work breaks a limit)."""
        return self._flag(lambda w: not w.best.has_plan)

    @property
    def with_plan(self) -> int:
        """Counted worlds that have a plan: where the chosen set is tried."""
        return int((self.counted & ~self.no_plan).sum())

    @property
    def chosen_fits(self) -> np.ndarray:
        """(K,) counted worlds where the chosen set, re-timed, fits the world's limits."""
        return self._flag(lambda w: w.chosen.has_plan)

    @property
    def chosen_misfits(self) -> np.ndarray:
        """(K,) counted worlds with a plan where no timing of the chosen set fits."""
        return self._flag(lambda w: w.best.has_plan and not w.chosen.has_plan)

    def _regret(self, of: Callable[[WorldResult], Solved]) -> np.ndarray:
        out = np.full(len(self.worlds), np.nan)
        for k, w in enumerate(self.worlds):
            mine = of(w)
            if w.counted and w.best.objective is not None and mine.objective is not None:
                out[k] = w.best.objective - mine.objective
        return out

    @property
    def regret(self) -> np.ndarray:
        """(K,) the world's best objective minus the chosen set's, re-timed; NaN where the set
        does not fit, the world has no plan or is not counted."""
        return self._regret(lambda w: w.chosen)

    @property
    def trimmed_regret(self) -> np.ndarray:
        """(K,) the world's best objective minus the chosen set's, trimmed to fit."""
        return self._regret(lambda w: w.trimmed)

    def spread(self, *, trimmed: bool = False) -> Spread:
        """Regret of the chosen set re-timed (or ``trimmed`` to fit) over the worlds where it
        is defined."""
        best = [w.best.objective for w in self.worlds]
        return spread(self.trimmed_regret if trimmed else self.regret, best)

    def dropped(self, k: int) -> tuple[str, ...]:
        """The chosen initiatives the trimmed plan of world ``k`` (0-based) leaves out."""
        kept = set(self.worlds[k].trimmed.selected)
        return tuple(i for i in self.chosen if i not in kept)


def spread(regret: np.ndarray, best: Sequence[float | None] = ()) -> Spread:
    """Mean, P50 and P90 of the defined (non-NaN) regrets. ``best``: each world's best
    objective, for the rounding tolerance of "as good as the best" (relative 1e-9)."""
    ok = ~np.isnan(regret)
    values = regret[ok]
    if not values.size:
        return Spread(0, None, None, None, None)
    scale = np.array([abs(b) if b is not None else 0.0 for b in best], dtype=float)
    scale = scale[ok] if scale.size == regret.size else np.zeros(values.size)
    zero = np.abs(values) <= 1e-9 * np.maximum(1.0, scale) + 1e-6
    return Spread(
        int(values.size),
        float(values.mean()),
        float(np.percentile(values, 50)),
        float(np.percentile(values, 90)),
        float(zero.mean()),
    )


def worker_init() -> None:
    """Local worker processes leave signals to the parent and print nothing (the native
    solver's output would reach the terminal)."""
    from roadmap.optimize.milp.explain.pool import quiet_streams
    from roadmap.runtime import processes

    processes.worker_init()
    quiet_streams()


def restricted(portfolio: Portfolio, chosen: Collection[str], *, whole: bool) -> Portfolio:
    """``portfolio`` with every open candidate outside ``chosen`` excluded; with ``whole``
    each of ``chosen`` mandatory too. Work in progress and done work stay as they are."""
    keep = set(chosen)

    def one(ini: Initiative) -> Initiative:
        if ini.status is not Status.PROPOSED:
            return ini
        if ini.id not in keep:
            return replace(ini, mandatory=False, excluded=True)
        return replace(ini, mandatory=True, excluded=False) if whole else ini

    return replace(portfolio, initiatives=tuple(one(i) for i in portfolio.initiatives))


def best_of(portfolio: Portfolio, options: SolveOptions) -> Solved:
    """``portfolio`` solved: how the solve ended, and its plan's objective, NPV and selection."""
    from roadmap.money.calendar import Calendar
    from roadmap.money.finance import plan_metrics
    from roadmap.optimize.milp.plan import solve_plan

    plan = solve_plan(portfolio, options)
    r = plan.report
    if not r.status.has_plan:
        return Solved(r.status.value, r.gap)
    npv = plan_metrics(portfolio, plan.starts, Calendar.from_settings(portfolio.settings)).npv
    selected = tuple(i.id for i in portfolio.initiatives if i.id in plan.starts)
    return Solved(r.status.value, r.gap, r.objective, npv, selected)


def solve_world(
    k: int, portfolio: Portfolio, chosen: tuple[str, ...], options: SolveOptions
) -> WorldResult:
    """World ``k`` solved (runs in a worker): its best plan, the chosen set re-timed and the
    chosen set trimmed to fit, each solve skipped when an earlier plan already answers it."""
    best = best_of(portfolio, options)
    if not best.has_plan:
        skipped = Solved(NOT_SOLVED)
        return WorldResult(k, best, skipped, skipped)
    runs = 1
    open_chosen = _open(portfolio, chosen)
    if _open(portfolio, best.selected) <= open_chosen:
        trimmed = best
    else:
        trimmed = best_of(restricted(portfolio, chosen, whole=False), options)
        runs += 1
    if trimmed.has_plan and _open(portfolio, trimmed.selected) == open_chosen:
        kept = trimmed
    else:
        kept = best_of(restricted(portfolio, chosen, whole=True), options)
        runs += 1
    return WorldResult(k, best, kept, trimmed, runs)


def _open(portfolio: Portfolio, ids: Collection[str]) -> frozenset[str]:
    """The proposed initiatives among ``ids`` (work in progress is in every plan)."""
    by_id = portfolio.initiative_by_id
    return frozenset(i for i in ids if i in by_id and by_id[i].status is Status.PROPOSED)


def chosen_set(portfolio: Portfolio, plan_starts: Mapping[str, int]) -> tuple[str, ...]:
    """The plan's initiatives that are not done, in portfolio order."""
    return tuple(
        i.id for i in portfolio.initiatives if i.id in plan_starts and i.status is not Status.DONE
    )


def world_options(options: SolveOptions) -> SolveOptions:
    """The plan's solve options for one world: no why-not re-solves, no diagnosis of a world
    or a choice that has no plan (only that it has none counts), and one solver thread
    whatever runs the world (a Dask worker solves with one; a HiGHS process keeps the thread
    count it first solved with), so a world's figures never depend on the executor."""
    return replace(options, why_not=False, diagnose=False, threads=1, log=None)


def reoptimise(
    portfolio: Portfolio,
    plan_starts: Mapping[str, int],
    draws: Draws,
    outcomes: Outcomes,
    worlds: int,
    executor: Executor,
    options: SolveOptions = SolveOptions(),
    on_done: Callable[[int, WorldResult], None] | None = None,
) -> Choice:
    """Solve the first ``worlds`` sampled worlds with the plan's solve ``options``;
    ``outcomes`` is the plan as made evaluated in (at least) those worlds."""
    k = min(worlds, draws.samples)
    chosen = chosen_set(portfolio, plan_starts)
    each = world_options(options)
    jobs: Sequence[tuple[object, ...]] = [
        (w, world(portfolio, draws, w), chosen, each) for w in range(k)
    ]
    results: list[WorldResult] = executor.run(solve_world, jobs, on_done)
    fits = outcomes.on_budget()[:k] & ~outcomes.overloaded()[:k].any(axis=(1, 2))
    return Choice(
        tuple(results),
        chosen,
        outcomes.npv[:k].copy(),
        fits,
        stability(portfolio, plan_starts, results),
        objective=ObjectiveKind(portfolio.settings.objective).value,
        executor=executor.describe(),
        solved_as=describe_options(each.settled(portfolio.settings)),
    )


def describe_options(options: SolveOptions) -> str:
    """Settled options in words: solver, time limit, gap, threads."""
    from roadmap.optimize.milp.search.solve import choose_solver

    gap = options.gap or 0.0
    return (
        f"solver {choose_solver(options.solver)}, time limit {options.time_limit:g} s, "
        + (f"gap {gap:.2%}" if gap else "gap 0 (proven optimal)")
        + ", one solver thread, no why-not re-solves"
    )


def stability(
    portfolio: Portfolio, plan_starts: Mapping[str, int], results: Sequence[WorldResult]
) -> tuple[Stability, ...]:
    """Every open candidate: how often the counted worlds' best plans select it, and what
    that says."""
    solved = [r for r in results if r.counted and r.best.has_plan]
    out = []
    for ini in portfolio.initiatives:
        if ini.status is Status.DONE or ini.excluded:
            continue
        share = (
            sum(ini.id in r.best.selected for r in solved) / len(solved) if solved else float("nan")
        )
        in_plan = ini.id in plan_starts
        out.append(Stability(ini.id, ini.name, in_plan, share, verdict(in_plan, share)))
    out.sort(key=lambda s: (-s.in_plan, -s.share if s.share == s.share else 0.0, s.initiative))
    return tuple(out)


def verdict(in_plan: bool, share: float) -> str:
    if share != share:  # no world counted
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
