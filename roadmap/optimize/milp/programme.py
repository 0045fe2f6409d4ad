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

import time
from collections.abc import Callable, Mapping
from dataclasses import replace

import pulp

from roadmap.domain import SolveReport, SolveStatus
from roadmap.optimize.milp.extract import chosen_starts
from roadmap.optimize.milp.objective import evaluate, set_objective
from roadmap.optimize.milp.solve import Progress, solve_model
from roadmap.optimize.milp.variables import BuiltModel

# Share of the time left that stage 1 may use; what it does not use goes to stage 2.
FINISH_STAGE_SHARE = 0.5

Solve = Callable[..., SolveReport]


def finish_label(model: BuiltModel, end: int) -> str:
    """The period in which work ending at (exclusive) index ``end`` finishes, as a label."""
    cal = model.data.calendar
    return cal.label(end - 1) if 0 < end <= cal.horizon else f"period {end}"


def solve_earliest_completion(
    model: BuiltModel,
    *,
    time_limit: float,
    gap: float,
    warm_start: Mapping[str, int] | None,
    solver: str | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
    solve: Solve = solve_model,
) -> SolveReport:
    """Both stages within ``time_limit`` seconds; the report is stage 2's, with stage 1 in words.

    The status is OPTIMAL only when both stages are proven (stage 2 within ``gap``).
    """
    finish = model.finish
    if finish is None or not model.data.mandatory:
        return solve(
            model,
            time_limit=time_limit,
            gap=gap,
            warm_start=warm_start,
            solver=solver,
            threads=threads,
            progress=progress,
        )
    began = time.perf_counter()
    model.prob.sense = pulp.LpMaximize
    model.prob.setObjective(pulp.LpAffineExpression({finish: -1.0}))
    first = solve(
        model,
        time_limit=max(1.0, FINISH_STAGE_SHARE * time_limit),
        gap=0.0,
        warm_start=warm_start,
        solver=solver,
        threads=threads,
        progress=progress,
    )
    if not first.status.has_plan:
        set_objective(model, model.data)
        return replace(first, message=f"programme finish stage: {first.message}")
    stage1 = chosen_starts(model)
    end = model.finish_of(stage1)
    proven = first.status is SolveStatus.OPTIMAL
    # -C <= bound: no plan ends before ceil(-bound)
    lowest = end if proven or first.bound is None else max(0, -int(first.bound + 1e-6))
    finish.upBound = end
    set_objective(model, model.data)
    left = max(1.0, time_limit - (time.perf_counter() - began))
    second = solve(
        model,
        time_limit=left,
        gap=gap,
        warm_start=stage1,
        solver=solver,
        threads=threads,
        progress=progress,
    )
    finish.upBound = None
    label = finish_label(model, end)
    if proven:
        said = f"the mandatory work ends in {label}, the earliest possible (proven)"
    else:
        said = (
            f"the mandatory work ends in {label}; no plan ends it before "
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
