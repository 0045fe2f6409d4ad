"""Fix-and-optimise around HiGHS for large models, beside a full-model HiGHS run.

Two HiGHS instances share one ``matrix.Matrix`` (read off the pulp problem once) and run at the
same time, one per core:

- the full model, warm-started from the improved greedy plan, as the plain solve would run it:
  it supplies the only bound that is reported (its dual bound; the root LP's at least once the
  root is solved) and, when it closes its search, the proof;
- neighbourhood rounds: every initiative outside a chosen neighbourhood (``neighbourhoods.py``)
  has its start columns fixed to the incumbent by their bounds alone (the model is loaded once;
  a round changes column bounds, never rebuilds), the sub-MIP is solved from the incumbent with a
  short limit, and a better plan (re-checked against every row of the full model after rounding)
  becomes the incumbent. The neighbourhood kind is drawn by weights that follow success; its size
  grows when a round proves its neighbourhood holds nothing better and shrinks when a round
  runs out of time.

The two exchange plans: a better neighbourhood plan is handed to the full solve through HiGHS's
user-solution callback, and a better plan of the full solve becomes the rounds' incumbent.
A sub-MIP's "optimal" is only about its neighbourhood: the report says optimal only when the full
model's own search proved it; otherwise feasible with the gap to the full model's bound.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pulp

from roadmap.domain import SolveReport, SolveStatus
from roadmap.optimize.milp.model.data import ModelData
from roadmap.optimize.milp.model.matrix import Matrix, Restriction, feasible, load, matrix_of
from roadmap.optimize.milp.model.variables import BuiltModel
from roadmap.optimize.milp.search import neighbourhoods as nb
from roadmap.optimize.milp.search.solve import (
    HIGHS_OPTIONS,
    SEED,
    Limits,
    Progress,
    SolverChoiceError,
    _highs_version,
    _Ticker,
    relative_gap,
    solve_model,
)
from roadmap.optimize.options import SolveOptions

# Round limits (seconds): a share of the time left, within these caps.
ROUND_SHARE = 0.1
ROUND_MIN = 1.0
ROUND_MAX = 10.0
# First neighbourhood size: this share of the candidates, at least SIZE_MIN.
SIZE_SHARE = 0.08
SIZE_MIN = 8
# The kinds drawn (``neighbourhoods.KINDS`` minus "lp", which needs the relaxation's solution;
# the full run does not hand its root LP out).
KINDS: tuple[str, ...] = ("window", "team", "random")


@dataclass
class _Shared:
    """The best plan either side has, in HiGHS's (minimisation) sense, behind one lock."""

    x: np.ndarray
    value: float
    source: str = "warm start"
    given: float = float("inf")  # value of the last plan handed to the full solve
    bound: float | None = None  # the full model's dual bound (HiGHS sense)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(self, x: np.ndarray, value: float, source: str) -> bool:
        with self.lock:
            if value < self.value - 1e-9 * max(1.0, abs(self.value)):
                self.x, self.value, self.source = x.copy(), value, source
                return True
            return False


@dataclass
class RoundStats:
    """What each neighbourhood kind did: rounds run, rounds that improved, value gained."""

    tried: Counter[str] = field(default_factory=Counter)
    improved: Counter[str] = field(default_factory=Counter)
    gained: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    # (seconds into the search, kind, initiatives freed, round seconds, proven, gain)
    history: list[tuple[float, str, int, float, bool, float]] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{k} {self.improved[k]}/{self.tried[k]}" for k in sorted(self.tried) if self.tried[k]
        ]
        return "neighbourhood rounds improved/run: " + (", ".join(parts) or "none")


def _columns(model: BuiltModel) -> dict[str, np.ndarray]:
    """Column indices of each candidate's decision variables (x, or z in the step form)."""
    by = model.z if model.step else model.x
    return {
        iid: np.array([v.index for v in by_t.values()], dtype=np.int32)
        for iid, by_t in by.items()
        if by_t
    }


def _layout(model: BuiltModel, ids: list[str]) -> nb.Layout:
    data = model.data
    teams = {
        iid: frozenset(int(k) for k in np.nonzero(data.demand[data.index[iid]].sum(axis=1))[0])
        for iid in ids
    }
    return nb.Layout(
        ids=tuple(ids),
        earliest={i: data.windows[i].earliest for i in ids},
        latest={i: data.windows[i].latest for i in ids},
        teams=teams,
        team_count=int(data.demand.shape[1]) if data.demand.ndim == 3 else 0,
        horizon=data.horizon,
    )


def _starts(model: BuiltModel, x: np.ndarray) -> dict[str, int]:
    """The plan in a column vector: first period whose x (or z) is 1."""
    out: dict[str, int] = {}
    by = model.z if model.step else model.x
    for iid, by_t in by.items():
        for t, v in by_t.items():
            if x[v.index] > 0.5:
                out[iid] = t
                break
    return out


def _configure(h: object, limit: float, gap: float, seed: int) -> None:
    h.setOptionValue("output_flag", False)  # type: ignore[attr-defined]
    h.setOptionValue("log_to_console", False)  # type: ignore[attr-defined]
    h.setOptionValue("random_seed", seed % 2_147_483_647)  # type: ignore[attr-defined]
    for option, value in HIGHS_OPTIONS.items():
        h.setOptionValue(option, value)  # type: ignore[attr-defined]
    h.setOptionValue("mip_rel_gap", gap)  # type: ignore[attr-defined]
    h.setOptionValue("time_limit", max(0.2, limit))  # type: ignore[attr-defined]


def _quiet_highs() -> Any:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    return h


def _set_solution(h: object, x: np.ndarray) -> None:
    index = np.arange(len(x), dtype=np.int32)
    h.setSolution(len(x), index, np.asarray(x, dtype=float))  # type: ignore[attr-defined]


def _rounded(m: Matrix, x: np.ndarray) -> np.ndarray | None:
    """``x`` with integer columns rounded, if it keeps every row and bound of the full model."""
    y = np.array(x, dtype=float)
    if len(m.integer):
        y[m.integer] = np.round(y[m.integer])
    return y if feasible(m, y) else None


def _full_run(
    m: Matrix,
    shared: _Shared,
    deadline: float,
    gap: float,
    abs_gap: float | None,
    ticker: _Ticker,
    out: dict[str, object],
    stop: threading.Event,
) -> None:
    """The full model in its own HiGHS instance until ``deadline`` (run in a thread)."""
    import highspy

    h = _quiet_highs()
    out["highs"] = h
    load(h, m)
    _configure(h, deadline - time.perf_counter(), gap, SEED)
    if abs_gap is not None:
        h.setOptionValue("mip_abs_gap", abs_gap)
    with shared.lock:
        _set_solution(h, shared.x)
        shared.given = shared.value

    def on_interrupt(event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        if abs(data.mip_dual_bound) < 1e49:
            shared.bound = data.mip_dual_bound
            ticker.bound = m.sign * data.mip_dual_bound
        if time.perf_counter() > deadline:
            event.interrupt()  # type: ignore[attr-defined]

    def on_lp(event: object) -> None:
        if time.perf_counter() > deadline:
            event.interrupt()  # type: ignore[attr-defined]

    def on_improving(event: object) -> None:
        data = event.data_out  # type: ignore[attr-defined]
        x = np.array(data.mip_solution, dtype=float)
        if len(x) == m.columns:
            shared.offer(x, float(m.cost @ x), "full model")

    given: list[float] = []
    out["given"] = given

    def on_user(event: object) -> None:
        # hand over a neighbourhood plan the full search has not seen yet
        with shared.lock:
            if shared.value >= shared.given - 1e-9 * max(1.0, abs(shared.given)):
                return
            x, shared.given = shared.x.copy(), shared.value
        event.data_in.setSolution(np.arange(len(x), dtype=np.int32), x)  # type: ignore[attr-defined]
        given.append(time.perf_counter())

    h.cbMipInterrupt.subscribe(on_interrupt)
    h.cbSimplexInterrupt.subscribe(on_lp)
    h.cbIpmInterrupt.subscribe(on_lp)
    h.cbMipImprovingSolution.subscribe(on_improving)
    h.cbMipUserSolution.subscribe(on_user)
    h.run()
    info = h.getInfo()
    out["proven"] = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    if abs(info.mip_dual_bound) < 1e49:
        shared.bound = info.mip_dual_bound
    if info.primal_solution_status == 2:
        x = np.array(h.getSolution().col_value, dtype=float)
        shared.offer(x, float(m.cost @ x), "full model")
    stop.set()  # proven or out of time: no round can change the answer any more


def _rounds(
    model: BuiltModel,
    m: Matrix,
    shared: _Shared,
    deadline: float,
    ticker: _Ticker,
    stats: RoundStats,
    stop: threading.Event,
) -> None:
    """Neighbourhood rounds, each on a HiGHS instance of its own, until ``deadline`` or
    ``stop``."""
    import highspy

    cols = _columns(model)
    ids = sorted(cols)
    if not ids:
        return
    layout = _layout(model, ids)
    rng = np.random.default_rng(SEED)
    n = len(ids)
    adapt = nb.Adaptive(KINDS, max(SIZE_MIN, SIZE_SHARE * n), min(SIZE_MIN, n), n)
    decision = np.zeros(m.columns, dtype=bool)
    decision[np.concatenate([cols[i] for i in ids])] = True
    always = np.nonzero(~decision)[0]  # capability, finish, ...: never fixed
    cut = Restriction(m)
    start = time.perf_counter()
    while not stop.is_set():
        left = deadline - time.perf_counter()
        if left < 0.5:
            break
        with shared.lock:
            x, value = shared.x.copy(), shared.value
        incumbent = _starts(model, x)
        kind = adapt.pick(rng)
        free_ids = sorted(nb.choose(kind, layout, incumbent, rng, adapt.current))
        free = np.sort(np.concatenate([always, *(cols[i] for i in free_ids)])).astype(np.int32)
        sub = cut.cut(free, x)
        h = _quiet_highs()
        load(h, sub)
        h.cbMipInterrupt.subscribe(
            lambda e: e.interrupt() if time.perf_counter() > deadline or stop.is_set() else None
        )
        limit = min(max(ROUND_MIN, ROUND_SHARE * left), ROUND_MAX, left)
        _configure(h, limit, 1e-4, SEED + stats.tried.total())
        _set_solution(h, x[free])
        began = time.perf_counter()
        h.run()
        stats.tried[kind] += 1
        proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        improved, gain = False, 0.0
        if h.getInfo().primal_solution_status == 2:
            merged = x.copy()
            merged[free] = np.asarray(h.getSolution().col_value, dtype=float)
            y = _rounded(m, merged)
            if y is not None:
                new = float(m.cost @ y)
                if shared.offer(y, new, f"neighbourhood ({kind})"):
                    improved, gain = True, m.sign * (new - value)
                    stats.improved[kind] += 1
                    stats.gained[kind] += gain
                    ticker.objective = m.sign * new
        took = time.perf_counter() - began
        stats.history.append((began - start, kind, len(free_ids), took, proven, gain))
        # a round that ends long before its limit without proof was interrupted, not too hard
        adapt.record(kind, improved, proven or took < 0.5 * limit)


def solve_with_neighbourhoods(
    model: BuiltModel,
    options: SolveOptions = SolveOptions(),
    *,
    warm_start: Mapping[str, int] | None = None,
    progress: Progress | None = None,
    stage: str = "solve",
    abs_gap: float | None = None,
) -> SolveReport:
    """As ``solve.solve_model`` (same arguments, same report), by the two searches of the module
    docstring side by side. Without a warm start there is no incumbent to fix to: the plain
    solve runs instead."""
    if not warm_start:
        return solve_model(
            model,
            options,
            warm_start=warm_start,
            progress=progress,
            stage=stage,
            abs_gap=abs_gap,
        )
    import highspy

    limits = Limits.of(options, abs_gap)
    gap = limits.gap
    began = time.perf_counter()
    deadline = began + limits.time_limit
    prob = model.prob
    columns = prob.variables()
    m = matrix_of(prob, columns, highspy.kHighsInf)
    x0 = np.zeros(m.columns)
    for v, value in model.warm_values(warm_start):
        x0[v.index] = value
    shared = _Shared(x0, float(m.cost @ x0))
    ticker = _Ticker(progress, stage, None)
    ticker.objective = m.sign * shared.value
    stats = RoundStats()
    stop = threading.Event()
    out: dict[str, object] = {}
    full = threading.Thread(
        target=_full_run, args=(m, shared, deadline, gap, abs_gap, ticker, out, stop), daemon=True
    )
    with ticker:
        full.start()
        _rounds(model, m, shared, deadline, ticker, stats, stop)
        full.join(max(0.0, deadline - time.perf_counter()) + 0.5)
        running = out.get("highs")
        if full.is_alive() and running is not None:
            # a step of HiGHS that checks neither its limit nor our callbacks: ask it to stop
            running.cancelSolve()  # type: ignore[attr-defined]
            full.join(1.0)
    for v, value in zip(columns, shared.x, strict=True):
        v.varValue = float(value)
    model.matrix = m
    model.sync_x()
    objective = float(pulp.value(prob.objective))
    bound = None
    if shared.bound is not None:
        # the dual bound in the model's sense, with the objective's constant (not in the matrix)
        bound = m.sign * shared.bound + (objective - m.sign * shared.value)
    # the bound is the full model's, so a plan within the gap of it is proven, whoever found it
    final_gap = relative_gap(objective, bound)
    proven = bool(out.get("proven")) or (final_gap is not None and final_gap <= gap)
    state = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    message = (
        "proven optimal within the requested gap"
        if proven
        else "stopped at the time limit with a plan in hand"
    )
    if full.is_alive():
        message += "; the full-model search did not stop on time and was left behind"
    last_rounds[:] = [stats]
    return SolveReport(
        state,
        solver="highs",
        solver_version=f"{_highs_version()} with neighbourhood search",
        objective=objective,
        bound=bound,
        gap=relative_gap(objective, bound),
        build_seconds=model.build_seconds,
        solve_seconds=time.perf_counter() - began,
        variables=model.variable_count(),
        constraints=len(prob.constraints),
        message=f"{message}; best plan from the {shared.source}; {stats.summary()}",
        # the two searches trade plans as each finds them and the rounds end on time: short of
        # a proof, the plan depends on the machine's speed and load
        clock_stopped=not proven,
    )


# what the rounds of the last search did (the benchmark reports it)
last_rounds: list[RoundStats] = []

SEARCHES = ("auto", "plain", "neighbourhoods")
# ``auto`` runs the neighbourhood search on horizons of at least AUTO_MIN_HORIZON periods with
# at least AUTO_MIN_CANDIDATES candidates. Measured side by side with plain HiGHS (seed 1,
# contended 2 cores; models/formulation.md §11): 100x48x10 at 60 s gap 45.7 % -> 33.9 %,
# 1000x48x12 plan 149.6 M -> 152.2 M (neither has a bound at 60 s), whole call 69.0 s -> 62.4 s,
# 2000x60x15 at 300 s 314.5 M -> 315.6 M, 324.2 s -> 304.9 s. 36 periods stay plain: 500x36x10
# gained too under load (27.5 % -> 23.5 %), but plain HiGHS reaches 1.7 % there on a quiet
# machine, and a run without a bound (the full model still in its root) leaves the why-not
# analysis without the bound that settles most of its figures. On 24 periods (step form) plain
# HiGHS proves 100x24x6 optimal where the rounds leave 1.8 % at 15 s.
AUTO_MIN_HORIZON = 48
AUTO_MIN_CANDIDATES = 100


def use_neighbourhoods(data: ModelData, solver: str, search: str | None) -> bool:
    """Whether ``solve_plan`` runs ``solve_with_neighbourhoods`` (HiGHS only)."""
    choice = (search or "auto").strip().lower()
    if choice not in SEARCHES:
        raise SolverChoiceError(f"unknown search {search!r}: use {', '.join(SEARCHES)}")
    if solver != "highs" or choice == "plain":
        return False
    if choice == "neighbourhoods":
        return True
    return data.horizon >= AUTO_MIN_HORIZON and len(data.candidates) >= AUTO_MIN_CANDIDATES
