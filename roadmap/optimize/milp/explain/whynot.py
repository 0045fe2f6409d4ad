"""Why each candidate was left out, and what forcing it in would cost, as a figure one can quote.

Reasons are read off the final plan: an empty window, a predecessor not in the plan, an
alternative chosen instead, a bundle that is out, and, trying every allowed start, the limits
(budget rows, team capacity, change load) that adding it there would break.

Value lost = objective of the plan minus the best objective of a plan with the initiative in it.
A bundle goes in whole or not at all, so it is priced once, as one unit, for all its members.
For each unit, cheapest first:

1. a repair (``repair.py``): the plan with room made for the unit. Checked against the model's
   rows, it is a feasible forced plan, so ``base - repair`` bounds the loss from above;
2. the LP relaxation with the unit forced in: no forced plan beats it, so ``base - LP`` bounds
   the loss from below. When the two meet, the loss is proven without a search;
3. otherwise the MILP with the unit forced in, warm-started from the repair, in worker processes
   that hold the model loaded once, with no gap, until proven or its time is up. Its plan and its
   bound narrow the bracket; proven, they give one figure.

So every figure is either proven or a bracket "between X and Y" with both ends proven, and a loss
never exceeds base minus the value of a feasible forced plan. A forced plan better than the base
plan proves the base was not optimal: it is handed back (``WhyNotResult.better``) and the
optimizer takes it as the base. The time for step 3 is its own (``options.WhyNotBudget``), not a share
of the main solve's limit.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from roadmap.domain import SolveReport, Status, WhyNot
from roadmap.optimize.milp.explain.diagnose import window_reason
from roadmap.optimize.milp.explain.forced import ForcedResult, Forcer, Row
from roadmap.optimize.milp.explain.repair import Links, repair
from roadmap.optimize.milp.model.data import ModelData
from roadmap.optimize.milp.model.matrix import Matrix, feasible
from roadmap.optimize.milp.model.objective import evaluate, objective_terms
from roadmap.optimize.milp.model.usage import Usage
from roadmap.optimize.milp.model.variables import BuiltModel, selected
from roadmap.optimize.milp.search.improve import improve_plan
from roadmap.optimize.milp.search.solve import HIGHS_OPTIONS, Progress, ProgressEvent
from roadmap.optimize.options import WhyNotBudget

# Share of the why-not time the cheap bounds (repairs, LP relaxations) may take in all.
BOUNDS_SHARE = 0.4
BOUNDS_MIN = 2.0  # seconds, however short the why-not time
MIN_SOLVE = 0.3  # seconds: a re-solve given less is not started
# Time for improving each repaired plan by the warm-start moves (improve.py).
REPAIR_SECONDS = 0.2
# Tolerance for "the same value": relative to the base objective, with an absolute floor.
REL_TOL = 1e-7
ABS_TOL = 1e-4

PROVEN_LP = "proven: LP bound meets a repaired plan"
PROVEN_SOLVE = "proven: re-solved to optimality with it forced in"
PROVEN_NONE = "proven: no plan can hold it"
BOUNDED_SOLVE = "bounded: re-solve stopped at its time limit"
BOUNDED_CHEAP = "bounded: LP relaxation and a repaired plan (no time left to re-solve)"
METHODS = (PROVEN_LP, PROVEN_SOLVE, PROVEN_NONE, BOUNDED_SOLVE, BOUNDED_CHEAP)


@dataclass(frozen=True)
class WhyNotResult:
    why_not: tuple[WhyNot, ...]
    better: dict[str, int] | None = None  # a forced plan better than the base plan, if found
    better_value: float | None = None
    seconds: float = 0.0
    resolves: int = 0


@dataclass
class _Unit:
    key: str
    members: list[str]
    rows: list[Row]
    base: float
    repair: dict[str, int] | None = None
    repair_value: float | None = None  # value of the checked repair (a feasible forced plan)
    warm: np.ndarray | None = None
    lp: float | None = None  # LP bound on any forced plan (None with ``infeasible``)
    infeasible: bool = False
    found: float | None = None  # best forced plan value known
    bound: float | None = None  # best bound on forced plans known
    method: str = ""
    better: np.ndarray | None = None

    def proven(self, tol: float) -> bool:
        return self.infeasible or (
            self.found is not None and self.bound is not None and self.bound - self.found <= tol
        )


def _structural(data: ModelData, iid: str, starts: dict[str, int]) -> list[str]:
    ini, out = data.initiative(iid), []
    name = data.portfolio.initiative_by_id
    for d in data.portfolio.dependencies:
        if (
            d.successor == iid
            and d.predecessor in name
            and d.predecessor not in starts
            and name[d.predecessor].status is not Status.DONE
        ):
            out.append(f"it needs '{name[d.predecessor].name}', which is not in the plan")
    if ini.alternative_group:
        for other in data.portfolio.initiatives:
            if (
                other.id != iid
                and other.alternative_group == ini.alternative_group
                and other.id in starts
            ):
                out.append(f"its alternative '{other.name}' is in the plan instead")
    if ini.bundle:
        partners = [
            o
            for o in data.portfolio.initiatives
            if o.bundle == ini.bundle and o.id != iid and o.status is not Status.DONE
        ]
        out_of_plan = [f"'{o.name}'" for o in partners if o.id not in starts]
        if out_of_plan:
            verb = "is" if len(out_of_plan) == 1 else "are"
            out.append(
                f"its bundle '{ini.bundle}' goes in whole or not at all, and "
                f"{', '.join(out_of_plan)} {verb} out"
            )
    return out


def _limit_reasons(model: BuiltModel, usage: Usage, iid: str, coef: dict[int, float]) -> list[str]:
    data = model.data
    window = data.windows[iid]
    starts = list(window.periods())
    counts: Counter[tuple[str, tuple[int, ...]]] = Counter()
    free: list[int] = []
    for t in starts:
        usage.add(iid, t)
        broken = [b for b in usage.broken() if usage.uses(iid, t, b)]
        usage.add(iid, t, -1.0)
        counts.update(broken)
        if not broken:
            free.append(t)
    label = data.calendar.label
    if free:
        best = max(free, key=lambda t: coef.get(t, 0.0))
        gain = coef.get(best, 0.0)
        if gain > 0:
            return [
                f"it fits in {label(best)} without breaking a limit and would add {gain:,.0f}; "
                "the solver stopped (time or gap) before adding it"
            ]
        return [
            f"it fits in {label(best)} without breaking a limit, but adds no value to the "
            f"objective there ({gain:,.0f})"
        ]
    span = (
        f"its only allowed start ({label(starts[0])})"
        if len(starts) == 1
        else f"every allowed start ({label(starts[0])}–{label(starts[-1])})"
    )
    top = ", ".join(
        f"{usage.describe(lim)} ({n} of {len(starts)})" for lim, n in counts.most_common(3)
    )
    return [f"at {span} it would break: {top}"]


def why_not_selected(
    model: BuiltModel,
    starts: dict[str, int],
    report: SolveReport,
    *,
    matrix: Matrix | None,
    budget: WhyNotBudget | None = None,
    progress: Progress | None = None,
    resolve: Callable[[BuiltModel, list[str], dict[str, int] | None, float], ForcedResult]
    | None = None,
) -> WhyNotResult:
    """A ``WhyNot`` for every proposed initiative the plan leaves out, in portfolio order.

    ``matrix`` is the model as HiGHS saw it (None: the re-solves go through ``resolve``, a
    forced solve with another solver, and there is no LP bound)."""
    data = model.data
    budget = budget or WhyNotBudget()
    began = time.perf_counter()
    left_out = [
        i.id
        for i in data.portfolio.initiatives
        if i.status is Status.PROPOSED and i.id not in starts
    ]
    if not left_out:
        return WhyNotResult(())
    coef = _x_coefficients(model)
    usage = Usage(data, starts)
    links = Links(model)
    base = evaluate(model, starts)
    tol = max(ABS_TOL, REL_TOL * abs(base))
    plannable = [iid for iid in left_out if iid in model.x]
    units = _units(model, plannable, links, base, matrix)
    tick = _Tick(progress, len(units), began)
    forcer = None
    if matrix is not None:
        log = f"{budget.log_file}.{os.getpid()}" if budget.log_file else None
        forcer = Forcer(matrix, threads=1, log_file=log, options=dict(HIGHS_OPTIONS))
    for u in units:
        u.repair = repair(model, usage, starts, u.members, coef, links)
        if u.repair is not None:
            u.repair = improve_plan(model, u.repair, REPAIR_SECONDS, keep=u.members)
        if u.repair is not None:
            u.warm = _plan_vector(model, matrix, u.repair) if matrix is not None else None
            if matrix is None or u.warm is not None:
                u.repair_value = u.found = evaluate(model, u.repair)
        # the main solve's proven bound holds for every plan, forced ones included
        u.bound = report.bound if report.status.has_plan else None
        left = max(BOUNDS_MIN, budget.total * BOUNDS_SHARE) - (time.perf_counter() - began)
        if forcer is not None and left > 0:
            state, u.lp = forcer.lp_bound(u.rows, time_limit=left)
            u.infeasible = state == "infeasible"
            if u.lp is not None:
                u.bound = u.lp if u.bound is None else min(u.bound, u.lp)
        if u.infeasible:
            u.method, u.found, u.bound = PROVEN_NONE, None, None
        elif u.proven(tol):
            u.method = PROVEN_LP
        if u.method:
            tick.done()
    todo = [u for u in units if not u.method]
    resolves = _resolve(model, todo, forcer, matrix, budget, base + tol, tick, resolve, began)
    for u in todo:
        if not u.method:
            u.method = PROVEN_SOLVE if u.proven(tol) else BOUNDED_CHEAP
    better, better_value = _better(model, units, base + tol)
    return WhyNotResult(
        _assemble(model, starts, usage, coef, left_out, units, base, tol),
        better,
        better_value,
        time.perf_counter() - began,
        resolves,
    )


class _Tick:
    """Progress of the why-not stage: units priced of all units, and the time spent."""

    def __init__(self, progress: Progress | None, total: int, began: float) -> None:
        self.progress, self.total, self.began, self.count = progress, total, began, 0

    def done(self) -> None:
        self.count += 1
        if self.progress is not None:
            self.progress(
                ProgressEvent(
                    time.perf_counter() - self.began,
                    stage="why-not",
                    done=self.count,
                    total=self.total,
                )
            )


def _resolve(
    model: BuiltModel,
    todo: list[_Unit],
    forcer: Forcer | None,
    matrix: Matrix | None,
    budget: WhyNotBudget,
    keep_above: float,
    tick: _Tick,
    resolve: Callable[..., ForcedResult] | None,
    began: float,
) -> int:
    """Step 3 for the units not yet proven; returns how many re-solves ran."""
    if not todo:
        return 0
    by_key = {u.key: u for u in todo}
    workers = max(1, min(budget.workers or os.cpu_count() or 1, len(todo)))
    deadline = began + budget.total
    waiting = [len(todo)]

    def limit() -> float | None:
        """Seconds for the next re-solve: its fair share of what is left (easy ones end
        early and leave their time to the rest), at most ``per_solve``; None when time is up."""
        left = deadline - time.perf_counter()
        if left < MIN_SOLVE:
            return None
        fair = left * workers / max(1, waiting[0])
        waiting[0] -= 1
        return max(MIN_SOLVE, min(budget.per_solve, left, fair))

    results: list[ForcedResult] = []

    def take(r: ForcedResult) -> None:
        u = by_key[r.key]
        if r.status == "infeasible":
            u.infeasible, u.found, u.bound, u.method = True, None, None, PROVEN_NONE
        else:
            if r.objective is not None and (u.found is None or r.objective > u.found):
                u.found = r.objective
                u.better = r.solution
            if r.bound is not None:
                u.bound = r.bound if u.bound is None else min(u.bound, r.bound)
            if r.status != "optimal":
                u.method = BOUNDED_SOLVE
        results.append(r)
        tick.done()

    if matrix is None or forcer is None:
        assert resolve is not None, "a forced solve is needed without HiGHS"
        for u in todo:
            seconds = limit()
            if seconds is None:
                break
            take(resolve(model, u.members, u.repair, seconds))
        return len(results)
    if workers == 1:
        for u in todo:
            seconds = limit()
            if seconds is None:
                break
            take(forcer.mip(u.key, u.rows, u.warm, seconds, keep_above=keep_above))
        return len(results)
    from roadmap.optimize.milp.explain.pool import ForcedPool

    tasks = [(u.key, u.rows, u.warm, keep_above) for u in todo]
    with ForcedPool(matrix, workers, log_file=budget.log_file, options=dict(HIGHS_OPTIONS)) as pool:
        for r in pool.run(tasks, limit):
            take(r)
    return len(results)


def _units(
    model: BuiltModel,
    plannable: list[str],
    links: Links,
    base: float,
    matrix: Matrix | None,
) -> list[_Unit]:
    """One unit per left-out initiative, one per bundle (its left-out members together)."""
    data = model.data
    inside = set(plannable)
    seen: set[str] = set()
    out = []
    for iid in plannable:
        if iid in seen:
            continue
        bundle = data.initiative(iid).bundle
        members = [j for j in links.bundle[bundle] if j in inside] if bundle else [iid]
        seen.update(members)
        rows: list[Row] = []
        if matrix is not None:
            for j in members:
                terms = model.lp_terms(selected(model.x, j))
                cols = tuple(int(v.index) for v in terms)
                rows.append((cols, tuple(float(c) for c in terms.values()), 1.0, 1.0))
        out.append(_Unit(bundle or iid, members, rows, base))
    return out


def _plan_vector(model: BuiltModel, matrix: Matrix, plan: dict[str, int]) -> np.ndarray | None:
    """Every column's value in ``plan``, or None when the plan breaks one of the model's rows
    (or the model has columns this cannot fill)."""
    x = np.zeros(matrix.columns)
    filled = 0
    for v, value in model.warm_values(plan):
        x[v.index] = value
        filled += 1
    if model.capability:
        closed: dict[str, float] = {}
        for ini in model.data.portfolio.initiatives:
            if ini.id in plan:
                for lift in ini.lifts:
                    closed[lift.capability] = closed.get(lift.capability, 0.0) + lift.amount
        for cid, g in model.capability.items():
            x[g.index] = min(float(g.upBound), closed.get(cid, 0.0))
            filled += 1
    if filled != matrix.columns:
        return None
    return x if feasible(matrix, x) else None


def _plan_of(model: BuiltModel, solution: np.ndarray) -> dict[str, int]:
    """The plan in a solution vector (work in progress included), in portfolio order."""
    data = model.data
    starts = dict(data.fixed)
    for iid, by_t in (model.z if model.step else model.x).items():
        for t, v in by_t.items():
            if solution[v.index] > 0.5:
                starts[iid] = t
                break
    return dict(sorted(starts.items(), key=lambda kv: data.index[kv[0]]))


def _better(
    model: BuiltModel, units: list[_Unit], above: float
) -> tuple[dict[str, int] | None, float | None]:
    """The best forced plan when it beats the base plan (by more than the tolerance)."""
    best: tuple[float, dict[str, int]] | None = None
    for u in units:
        candidates = []
        if u.better is not None:
            candidates.append(_plan_of(model, u.better))
        if u.repair is not None and u.repair_value is not None:
            candidates.append(dict(u.repair))
        for plan in candidates:
            value = evaluate(model, plan)
            if value > above and (best is None or value > best[0]):
                best = (value, plan)
    return (None, None) if best is None else (best[1], best[0])


def _assemble(
    model: BuiltModel,
    starts: dict[str, int],
    usage: Usage,
    coef: dict[str, dict[int, float]],
    left_out: list[str],
    units: list[_Unit],
    base: float,
    tol: float,
) -> tuple[WhyNot, ...]:
    data = model.data
    unit_of = {j: u for u in units for j in u.members}
    out = []
    for iid in left_out:
        ini = data.initiative(iid)
        if ini.excluded:
            out.append(WhyNot(iid, ("it is excluded in the input",)))
            continue
        if iid not in model.x:
            out.append(WhyNot(iid, (window_reason(data, iid) or "it has no allowed start period",)))
            continue
        reasons = _structural(data, iid, starts) or _limit_reasons(
            model, usage, iid, coef.get(iid, {})
        )
        u = unit_of[iid]
        together = tuple(u.members) if len(u.members) > 1 else ()
        if u.infeasible:
            reasons = [*reasons, "it cannot be forced in without breaking a hard limit"]
            out.append(WhyNot(iid, tuple(reasons), None, u.method, unit=together))
            continue
        high = None if u.found is None else base - u.found
        low = None if u.bound is None else base - u.bound
        if low is not None and high is not None and low > high:
            low = high  # solver tolerance: a bound a hair inside the plan it proves
        proven = u.proven(tol)
        value = high if proven else None
        if proven and value is not None and abs(value) <= tol:
            value = 0.0
        out.append(WhyNot(iid, tuple(reasons), value, u.method, low, high, together))
    return tuple(out)


def _x_coefficients(model: BuiltModel) -> dict[str, dict[int, float]]:
    """Objective coefficient of every start variable, by initiative and period."""
    terms = objective_terms(model, model.data)
    return {iid: {t: terms.get(v, 0.0) for t, v in by_t.items()} for iid, by_t in model.x.items()}
