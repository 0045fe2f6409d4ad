"""Why each candidate was left out, and what forcing it in would cost, as a figure one can quote.

Reasons are read off the final plan (``reasons.py``). Value lost = objective of the plan minus
the best objective of a plan with the initiative in it; a bundle goes in whole or not at all, so
it is priced once, as one unit, for all its members. Each unit carries a bracket: the best forced
plan known (a feasible plan holding the unit, checked against every row of the model) and the
best bound on forced plans known. Cheapest first, each step only for the units still open:

1. forced plans: the plan repaired to make room for the unit (``repair.py``), and the best plan
   the main search met on its way that holds the unit (``search/harvest.py``);
   bounds: the main solve's bound, the separable bound (``separable.py``: the base bound plus
   the most the unit can add), and the LP relaxation with the unit forced in;
2. a small re-solve around the unit (``neighbourhood.py``): a better forced plan;
3. the MILP with the unit forced in, warm-started from the best forced plan, in worker processes
   that hold the model loaded once, until its figure is proven or quotable
   (``domain.quotable_width``) or its node budget is spent.

A unit is settled once its bracket is proven (one figure) or quotable ("about X, give or take
Y"); otherwise it is shown as the range it is. Steps 2 and 3 stop on work (branch-and-bound
nodes), never on the clock, so the same input gives the same figures on any machine and however
busy it is; the stage's seconds (``WhyNotBudget.total``) only guard the command, and a figure a
stopped clock left open says so. A forced plan may beat the base plan by no more than the base
plan's proven precision (its bound); its figure is then negative and says so, and the plan stays
what the search returned, so every command that solves the same case shows the same plan.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from roadmap.domain import SolveReport, Status, WhyNot
from roadmap.optimize.milp.explain.diagnose import window_reason
from roadmap.optimize.milp.explain.forced import ForcedResult, Forcer, Target
from roadmap.optimize.milp.explain.neighbourhood import improve_forced, with_rows
from roadmap.optimize.milp.explain.reasons import limit_reasons, structural_reasons
from roadmap.optimize.milp.explain.repair import Links, repair
from roadmap.optimize.milp.explain.separable import separable_bound
from roadmap.optimize.milp.explain.units import (
    Unit,
    make_units,
    plan_of,
    plan_vector,
    x_coefficients,
)
from roadmap.optimize.milp.model.matrix import Matrix
from roadmap.optimize.milp.model.objective import evaluate
from roadmap.optimize.milp.model.usage import Usage
from roadmap.optimize.milp.model.variables import BuiltModel
from roadmap.optimize.milp.search.harvest import Harvest
from roadmap.optimize.milp.search.improve import improve_plan
from roadmap.optimize.milp.search.solve import HIGHS_OPTIONS, Progress, ProgressEvent
from roadmap.optimize.options import WhyNotBudget

# Passes of the warm-start moves over each repaired plan (work, not time).
REPAIR_PASSES = 3
# Tolerance for "the same value": relative to the base objective, with an absolute floor.
REL_TOL = 1e-7
ABS_TOL = 1e-4

PROVEN_BOUNDS = "proven: a bound meets a forced plan (no re-solve)"
PROVEN_SOLVE = "proven: re-solved with it forced in"
PROVEN_NONE = "proven: no plan can hold it"
QUOTED_BOUNDS = "to within its margin: a bound and a forced plan (no re-solve)"
QUOTED_SOLVE = "to within its margin: re-solved with it forced in"
BOUNDED_WORK = "range: the re-solve's node budget ran out first"
BOUNDED_TIME = "range: the time limit stopped the analysis first"
BOUNDED_CHEAP = "range: bounds and a forced plan (no re-solve allowed)"
METHODS = (
    PROVEN_BOUNDS,
    PROVEN_SOLVE,
    PROVEN_NONE,
    QUOTED_BOUNDS,
    QUOTED_SOLVE,
    BOUNDED_WORK,
    BOUNDED_TIME,
    BOUNDED_CHEAP,
)
SETTLED = frozenset({PROVEN_BOUNDS, PROVEN_SOLVE, PROVEN_NONE, QUOTED_BOUNDS, QUOTED_SOLVE})


@dataclass(frozen=True)
class WhyNotResult:
    why_not: tuple[WhyNot, ...]
    seconds: float = 0.0
    resolves: int = 0
    clock_stopped: bool = False  # the stage's time guard cut some figure short
    stages: tuple[tuple[str, float], ...] = ()  # wall seconds per step


class _Stage:
    """What every step shares: the model, the base plan, the tolerance, the clock's guard."""

    def __init__(
        self,
        model: BuiltModel,
        starts: dict[str, int],
        matrix: Matrix | None,
        budget: WhyNotBudget,
        progress: Progress | None,
        units: int,
    ) -> None:
        self.model, self.starts, self.matrix, self.budget = model, starts, matrix, budget
        self.began = time.perf_counter()
        self.deadline = self.began + budget.total
        self.base = evaluate(model, starts)
        self.tol = max(ABS_TOL, REL_TOL * abs(self.base))
        self.coef = x_coefficients(model)
        self.usage = Usage(model.data, starts)
        self.links = Links(model)
        self.progress, self.total, self.count = progress, units, 0
        self.clock_stopped = False

    def left(self) -> float:
        return self.deadline - time.perf_counter()

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

    def settle(self, u: Unit, proven: str, quoted: str | None) -> bool:
        """Name the unit's method when its bracket is proven (or quotable, with ``quoted``);
        True when it is."""
        if u.infeasible:
            u.method = PROVEN_NONE
        elif u.proven(self.tol):
            u.method = proven
        elif quoted is not None and u.quotable(self.tol):
            u.method = quoted
        else:
            return False
        self.done()
        return True

    def offer(self, u: Unit, plan: dict[str, int] | None) -> None:
        """A plan holding the unit, kept when it is feasible (every row) and better."""
        if plan is None:
            return
        if self.matrix is None:
            u.offer(evaluate(self.model, plan), plan, None)
            return
        vector = plan_vector(self.model, self.matrix, plan)
        if vector is not None:
            u.offer(evaluate(self.model, plan), plan, vector)


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
    harvest: Harvest | None = None,
) -> WhyNotResult:
    """A ``WhyNot`` for every proposed initiative the plan leaves out, in portfolio order.

    ``matrix`` is the model as HiGHS saw it (None: the re-solves go through ``resolve``, a
    forced solve with another solver, and there is no LP bound); ``harvest`` the plans the main
    search met."""
    data = model.data
    budget = budget or WhyNotBudget()
    left_out = [
        i.id
        for i in data.portfolio.initiatives
        if i.status is Status.PROPOSED and i.id not in starts
    ]
    if not left_out:
        return WhyNotResult(())
    plannable = [iid for iid in left_out if iid in model.x]
    links = Links(model)
    units = make_units(model, plannable, links, evaluate(model, starts), matrix)
    stage = _Stage(model, starts, matrix, budget, progress, len(units))
    forcer = None
    if matrix is not None:
        log = f"{budget.log_file}.{os.getpid()}" if budget.log_file else None
        forcer = Forcer(matrix, threads=1, log_file=log, options=dict(HIGHS_OPTIONS))
    bound = report.bound if report.status.has_plan else None
    steps: list[tuple[str, float]] = []
    mark = time.perf_counter()
    for u in units:
        _cheap(stage, u, bound, harvest, forcer)
    steps.append(("bounds", time.perf_counter() - mark))
    mark = time.perf_counter()
    if matrix is not None and budget.neighbourhood_nodes > 0:
        for u in units:
            if not u.method and u.warm is not None and u.plan is not None:
                _neighbourhood(stage, u, matrix)
    steps.append(("neighbourhoods", time.perf_counter() - mark))
    mark = time.perf_counter()
    todo = [u for u in units if not u.method]
    resolves = _resolve(stage, todo, forcer, resolve)
    steps.append(("re-solves", time.perf_counter() - mark))
    for u in todo:
        if not u.method and not stage.settle(u, PROVEN_BOUNDS, QUOTED_BOUNDS):
            u.method = BOUNDED_CHEAP
            stage.done()
    return WhyNotResult(
        _assemble(stage, left_out, units),
        time.perf_counter() - stage.began,
        resolves,
        stage.clock_stopped,
        tuple(steps),
    )


def _cheap(
    stage: _Stage, u: Unit, bound: float | None, harvest: Harvest | None, forcer: Forcer | None
) -> None:
    """Step 1: forced plans (repair, harvest) and bounds (base, separable, LP)."""
    model = stage.model
    fixed = dict(model.data.fixed)
    if stage.left() > 0:
        fixed_plan = repair(model, stage.usage, stage.starts, u.members, stage.coef, stage.links)
        if fixed_plan is not None:
            fixed_plan = improve_plan(model, fixed_plan, passes=REPAIR_PASSES, keep=u.members)
            stage.offer(u, fixed_plan)
    else:
        stage.clock_stopped = True  # the bounds below cost nothing; a repair does
    if harvest is not None:
        found = harvest.best_with(u.members)
        if found is not None:
            stage.offer(u, {**fixed, **found.starts})
    # the main solve's bound holds for every plan, forced ones included
    u.cap(bound)
    u.cap(separable_bound(model, u.members, bound, stage.coef, stage.links))
    if stage.settle(u, PROVEN_BOUNDS, None):
        return
    if forcer is not None and stage.left() > 0:
        state, lp = forcer.lp_bound(u.rows, time_limit=max(0.05, stage.left()))
        u.infeasible = state == "infeasible"
        if u.infeasible:
            u.found = u.bound = None
        u.cap(lp)
        if state == "unknown":
            stage.clock_stopped = True
    stage.settle(u, PROVEN_BOUNDS, None)


def _neighbourhood(stage: _Stage, u: Unit, matrix: Matrix) -> None:
    """Step 2: a small re-solve around the unit for a better forced plan."""
    if stage.left() <= 0:
        stage.clock_stopped = True
        return
    assert u.warm is not None and u.plan is not None
    forced = with_rows(matrix, u.rows)
    x = improve_forced(
        stage.model,
        forced,
        u.members,
        u.plan,
        u.warm,
        stage.budget.neighbourhood_nodes,
        seconds=stage.left(),
    )
    if x is not None:
        plan = plan_of(stage.model, x)
        u.offer(matrix.sign * float(matrix.cost @ x), plan, x)
        stage.settle(u, PROVEN_BOUNDS, None)


def _resolve(
    stage: _Stage,
    todo: list[Unit],
    forcer: Forcer | None,
    resolve: Callable[..., ForcedResult] | None,
) -> int:
    """Step 3 for the units still open; returns how many re-solves ran."""
    budget = stage.budget
    if not todo or budget.nodes <= 0:
        return 0
    by_key = {u.key: u for u in todo}
    results: list[ForcedResult] = []

    def take(r: ForcedResult) -> None:
        u = by_key[r.key]
        if r.status == "infeasible":
            u.infeasible, u.found, u.bound = True, None, None
        else:
            if r.objective is not None:
                u.offer(r.objective, None, None)
            if r.status == "optimal":
                u.cap(r.objective)  # proven optimal: nothing holding the unit does better
            u.cap(r.bound)
        results.append(r)
        quoted = QUOTED_BOUNDS if r.status == "time limit" and u.quotable(stage.tol) else None
        if not stage.settle(u, PROVEN_SOLVE, QUOTED_SOLVE if quoted is None else quoted):
            u.method = BOUNDED_TIME if r.status == "time limit" else BOUNDED_WORK
            stage.clock_stopped |= r.status == "time limit"
            stage.done()

    def seconds() -> float | None:
        left = stage.left()
        if left <= 0:
            stage.clock_stopped = True
            return None
        return left

    def target(u: Unit) -> Target:
        return Target(stage.base, u.found, u.bound, stage.tol, budget.prove_nodes)

    def nodes(u: Unit) -> int:
        # a bracket already quotable only tries for a proof
        return budget.prove_nodes if u.quotable(stage.tol) else max(budget.nodes, 1)

    if stage.matrix is None or forcer is None:
        # another solver through pulp: no node budget there, so each re-solve gets its share of
        # the time left (the figures then depend on the machine, and say so when cut short)
        assert resolve is not None, "a forced solve is needed without HiGHS"
        for k, u in enumerate(todo):
            limit = seconds()
            if limit is None:
                break
            take(resolve(stage.model, u.members, u.plan, limit / (len(todo) - k)))
        return len(results)
    workers = max(1, min(budget.workers or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        for u in todo:
            limit = seconds()
            if limit is None:
                break
            take(
                forcer.mip(
                    u.key,
                    u.rows,
                    u.warm,
                    limit,
                    nodes=nodes(u),
                    target=target(u),
                )
            )
        return len(results)
    from roadmap.optimize.milp.explain.pool import ForcedPool

    tasks = [(u.key, u.rows, u.warm, nodes(u), target(u)) for u in todo]
    options = dict(HIGHS_OPTIONS)
    with ForcedPool(stage.matrix, workers, log_file=budget.log_file, options=options) as pool:
        for r in pool.run(tasks, seconds):
            take(r)
    return len(results)


def _assemble(stage: _Stage, left_out: list[str], units: list[Unit]) -> tuple[WhyNot, ...]:
    model, data, base = stage.model, stage.model.data, stage.base
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
        reasons = structural_reasons(data, iid, stage.starts) or limit_reasons(
            model, stage.usage, iid, stage.coef.get(iid, {})
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
        proven = u.proven(stage.tol)
        value = high if proven else None
        if proven and value is not None and abs(value) <= stage.tol:
            value = 0.0
        quotable = not proven and u.quotable(stage.tol)
        out.append(WhyNot(iid, tuple(reasons), value, u.method, low, high, together, quotable))
    return tuple(out)
