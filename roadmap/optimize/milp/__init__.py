"""The optimizer: portfolio -> MILP -> solve -> plan. The only package that imports pulp.

``solve_plan`` is the entry point; it never raises for an infeasible model or a time-out: the
plan's ``report.status`` says what happened and ``shortfalls`` explain an infeasibility.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from roadmap.domain import ObjectiveKind, Plan, Portfolio, SolveReport, SolveStatus
from roadmap.money.finance import StartValues
from roadmap.optimize.derived import derive
from roadmap.optimize.milp.build import USES_SCORE, build_model, use_step_form, write_lp_file
from roadmap.optimize.milp.construction import first_plan
from roadmap.optimize.milp.data import ModelData, model_data
from roadmap.optimize.milp.diagnose import diagnose
from roadmap.optimize.milp.extract import chosen_starts, overloads
from roadmap.optimize.milp.improve import improve_plan
from roadmap.optimize.milp.objective import evaluate
from roadmap.optimize.milp.programme import solve_earliest_completion
from roadmap.optimize.milp.solve import ProgressEvent, choose_solver, solve_model
from roadmap.optimize.milp.variables import BuiltModel
from roadmap.optimize.milp.whynot import why_not_selected

__all__ = [
    "BuiltModel",
    "ModelData",
    "ProgressEvent",
    "build_model",
    "choose_solver",
    "model_data",
    "solve_plan",
    "write_lp_file",
]

# Share of the time limit kept back from the main solve for the why-not analysis (when some
# candidate is optional); the whole run, analyses included, ends by the time limit.
WHY_NOT_SHARE = 0.3
# Time for improving the greedy warm start before the solve (share of the limit, and a cap).
IMPROVE_SHARE = 0.05
IMPROVE_MAX = 5.0


def _scores(portfolio: Portfolio, objective: ObjectiveKind) -> dict[str, float]:
    if objective not in USES_SCORE:
        return {}
    from roadmap.money.criteria import initiative_scores

    return initiative_scores(portfolio)


def solve_plan(
    portfolio: Portfolio,
    *,
    objective: ObjectiveKind | None = None,
    solver: str | None = None,
    time_limit: float | None = None,
    gap: float | None = None,
    threads: int | None = None,
    write_lp: Path | None = None,
    why_not: bool = True,
    progress: Callable[[ProgressEvent], None] | None = None,
    values: StartValues | None = None,
    scores: Mapping[str, float] | None = None,
) -> Plan:
    """The best plan for ``portfolio`` under its limits; arguments left None come from settings.

    ``scores`` (criteria score per initiative) default to ``roadmap.money.criteria`` when the
    objective needs them.
    """
    settings = portfolio.settings
    objective = ObjectiveKind(objective or settings.objective)
    solver_name = choose_solver(solver or settings.solver)
    time_limit = float(settings.time_limit if time_limit is None else time_limit)
    gap = float(settings.mip_gap if gap is None else gap)
    threads = settings.threads if threads is None else threads
    scores = dict(scores) if scores is not None else _scores(portfolio, objective)

    began = time.perf_counter()
    deadline = began + time_limit
    derived = derive(portfolio, values)
    data = model_data(portfolio, scores=scores, derived=derived)
    model = build_model(
        portfolio, derived.values, objective=objective, data=data, step=use_step_form(data)
    )
    if write_lp is not None:
        write_lp_file(model, write_lp)
    first = first_plan(
        portfolio,
        derived.values,
        data,
        model,
        time_limit=time_limit,
        solver=solver_name,
        threads=threads,
        progress=progress,
    )
    greedy = first.baseline
    greedy_value = evaluate(model, greedy) if greedy is not None else None
    warm = first.plan
    if warm is not None:
        warm = improve_plan(model, warm, seconds=min(IMPROVE_SHARE * time_limit, IMPROVE_MAX))

    if data.impossible:
        report = SolveReport(
            SolveStatus.INFEASIBLE,
            solver=solver_name,
            build_seconds=model.build_seconds,
            variables=model.variable_count(),
            constraints=len(model.prob.constraints),
            message="a mandatory initiative cannot be placed in any period",
        )
    elif first.infeasible is not None:
        report = first.infeasible
    else:
        run = solve_earliest_completion if model.finish is not None else solve_model
        optional = why_not and len(data.mandatory) < len(data.candidates)
        reserve = WHY_NOT_SHARE * time_limit if optional else 0.0
        report = run(
            model,
            # the limit covers the whole run: build, warm start, solve and why-not
            time_limit=max(1.0, deadline - reserve - time.perf_counter()),
            gap=gap,
            warm_start=warm,
            progress=progress,
            solver=solver_name,
            threads=threads,
        )
        report = first.explain(report)
    plan = Plan(portfolio, {}, report, objective=objective, greedy_objective=greedy_value)
    if report.status is SolveStatus.INFEASIBLE:
        left = max(1.0, deadline - time.perf_counter())
        found = diagnose(
            data, objective, time_limit=left, progress=progress, solver=solver_name, threads=threads
        )
        return replace(plan, shortfalls=found)
    if not report.status.has_plan:
        return plan
    starts = chosen_starts(model)
    plan = replace(plan, starts=starts, overloads=overloads(data, starts))
    if why_not:
        budget = max(0.0, deadline - time.perf_counter())
        reasons = why_not_selected(
            model,
            starts,
            report,
            time_budget=budget,
            gap=gap,
            progress=progress,
            solver=solver_name,
            threads=threads,
        )
        plan = replace(plan, why_not=reasons)
    return plan
