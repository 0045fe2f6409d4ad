"""Earliest completion, lexicographically and exactly, in two stages on one model.

1. Minimise the programme finish C (the end of all mandatory work; constraints.add_finish_
   constraints) with no gap: C is an integer, so the stage is proven when bound and plan meet.
2. Fix C <= C1 (the best finish found) and maximise the earliest-completion objective
   (objective.py: minus the sum of mandatory finishes, then NPV), warm-started from stage 1.

Weights in one model would need W > (spread of the finish sum) on C, a coefficient of several
thousand next to the NPV tie-break's 1e-6 scale; a relative gap on that sum is meaningless (0.5 %
of 450 000 lets the finish sum slip by 2 250 periods). Stages keep each objective in its own units
and the requested gap applies to stage 2 only. If stage 1 stops on time, the plan still finishes
at C1 and the report says how much earlier a finish might still exist.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import replace

import numpy as np
import pulp

from roadmap.domain import SolveReport, SolveStatus
from roadmap.optimize.milp.model.data import ModelData
from roadmap.optimize.milp.model.extract import chosen_starts
from roadmap.optimize.milp.model.objective import evaluate, set_objective
from roadmap.optimize.milp.model.variables import BuiltModel
from roadmap.optimize.milp.search.solve import Limits, Progress, solve_model
from roadmap.optimize.options import SolveOptions
from roadmap.optimize.schedule_generation import tails

# Share of the time left that stage 1 may use; what it does not use goes to stage 2.
FINISH_STAGE_SHARE = 0.5

Solve = Callable[..., SolveReport]


def _required(data: ModelData) -> list[str]:
    """Candidates every plan contains: mandatory ones and what they need (in a fixed order)."""
    need = data.derived.required
    return [iid for iid in data.candidates if iid in need]


def finish_tails(data: ModelData) -> dict[str, int]:
    """For each required candidate, the longest path from its start to the end of the mandatory
    work after it (durations and lags): it starts by C - tail in any plan that ends by C."""
    required = _required(data)
    inside = set(required)
    succs: dict[str, list[tuple[str, int]]] = {iid: [] for iid in required}
    for pred, succ, lag in data.dependencies():
        if pred in inside and succ in inside:
            succs[pred].append((succ, lag))
    order = data.derived.order
    durations = {iid: data.initiative(iid).duration for iid in required}
    return tails(required, durations, succs, order)


def finish_lower_bound(data: ModelData) -> int:
    """No plan ends the mandatory work before this (exclusive) period index.

    The longest chain: earliest start plus tail of every required candidate. Energy: each team
    must give the FTE-periods the required work asks of it before C, from what capacity (with
    tolerance) is left after work in progress.
    """
    tail = finish_tails(data)
    chain = max((data.windows[i].earliest + t for i, t in tail.items()), default=0)
    rows = [data.index[i] for i in tail]
    if not rows or data.demand.size == 0:
        return chain
    energy = data.demand[rows].sum(axis=(0, 2))  # (teams,)
    free = np.clip(data.ceiling - data.fixed_load, 0.0, None).cumsum(axis=1)  # (teams, H)
    bound = chain
    for k in np.flatnonzero(energy > 1e-9).tolist():
        reach = np.flatnonzero(free[k] >= energy[k] - 1e-6)
        bound = max(bound, int(reach[0]) + 1 if reach.size else data.horizon)
    return bound


def restrict_to_finish(model: BuiltModel, end: int, tail: Mapping[str, int]) -> list[tuple]:
    """Fix the starts no plan ending the mandatory work by ``end`` can use: required work i
    starts by end - tail_i. Returns what to give back to ``restore``."""
    saved = []
    for iid, t_i in tail.items():
        latest = end - t_i
        if model.step:
            for t, z in model.z[iid].items():
                if t >= latest and (z.lowBound or 0) < 1:
                    saved.append((z, z.lowBound, z.upBound))
                    z.lowBound = 1
        else:
            for t, x in model.x[iid].items():
                if t > latest and (x.upBound is None or x.upBound > 0):
                    saved.append((x, x.lowBound, x.upBound))
                    x.upBound = 0
    return saved


def restore(saved: list[tuple]) -> None:
    for v, lo, hi in saved:
        v.lowBound, v.upBound = lo, hi


def finish_label(model: BuiltModel, end: int) -> str:
    """The period in which work ending at (exclusive) index ``end`` finishes, as a label."""
    cal = model.data.calendar
    return cal.label(end - 1) if 0 < end <= cal.horizon else f"period {end}"


def solve_earliest_completion(
    model: BuiltModel,
    options: SolveOptions = SolveOptions(),
    *,
    warm_start: Mapping[str, int] | None,
    progress: Progress | None = None,
    solve: Solve = solve_model,
) -> SolveReport:
    """Both stages within the options' time limit; the report is stage 2's, with stage 1 in
    words.

    The status is OPTIMAL only when both stages are proven (stage 2 within the options' gap).
    """
    finish = model.finish
    if finish is None or not model.data.mandatory:
        return solve(model, options, warm_start=warm_start, progress=progress)
    time_limit = Limits.of(options).time_limit
    began = time.perf_counter()
    data = model.data
    lowest0 = finish_lower_bound(data)
    finish.lowBound = max(finish.lowBound or 0, lowest0)
    tail = finish_tails(data)
    saved: list[tuple] = []
    warm_end = model.finish_of(warm_start) if warm_start else None
    if warm_start and warm_end is not None and warm_end <= lowest0:
        # the warm start already ends at the lower bound: stage 1 is proven without a search
        first = SolveReport(
            SolveStatus.OPTIMAL, solver=options.solver or "", build_seconds=model.build_seconds
        )
        stage1 = dict(warm_start)
        end, lowest = warm_end, warm_end
    else:
        if warm_end is not None:
            saved = restrict_to_finish(model, warm_end, tail)
        model.prob.sense = pulp.LpMaximize
        model.prob.setObjective(pulp.LpAffineExpression({finish: -1.0}))
        first = solve(
            model,
            options.within(max(1.0, FINISH_STAGE_SHARE * time_limit), gap=0.0),
            abs_gap=0.999,  # C is an integer: bound and plan less than 1 apart is a proof
            warm_start=warm_start,
            progress=progress,
        )
        restore(saved)
        if not first.status.has_plan:
            set_objective(model, data)
            return replace(first, message=f"programme finish stage: {first.message}")
        stage1 = chosen_starts(model)
        end = model.finish_of(stage1)
        # -C <= bound: no plan ends before ceil(-bound)
        found = None if first.bound is None else math.ceil(-first.bound - 1e-6)
        lowest = max(lowest0, found or 0)
    proven = first.status is SolveStatus.OPTIMAL or lowest >= end
    lowest = end if proven else lowest
    finish.upBound = end
    saved = restrict_to_finish(model, end, tail)
    set_objective(model, data)
    left = max(1.0, time_limit - (time.perf_counter() - began))
    second = solve(model, options.within(left), warm_start=stage1, progress=progress)
    restore(saved)
    finish.upBound = None
    label = finish_label(model, end)
    if proven:
        said = f"the mandatory work ends in {label}, the earliest possible (proven)"
    else:
        said = (
            f"the mandatory work ends in {label}; the earliest any plan could end it is "
            f"{finish_label(model, lowest)} (proven), the time limit stopped the search between"
        )
    build = first.build_seconds
    seconds = first.solve_seconds + second.solve_seconds
    if not second.status.has_plan:
        # stage 2 found nothing better in time than stage 1's plan: keep stage 1's values
        for v, value in model.warm_values(stage1):
            v.varValue = value
        model.sync_x()
        return replace(
            first,
            status=SolveStatus.FEASIBLE,
            objective=evaluate(model, stage1),
            bound=None,
            gap=None,
            solve_seconds=seconds,
            build_seconds=build,
            message=f"{said}; the finish sum and NPV were not optimised in time",
            finish=end,
            finish_bound=lowest,
        )
    status = second.status if proven else SolveStatus.FEASIBLE
    return replace(
        second,
        status=status,
        solve_seconds=seconds,
        message=f"{said}; then {second.message}",
        finish=end,
        finish_bound=lowest,
    )
