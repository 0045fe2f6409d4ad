"""``solve_plan``: portfolio -> model -> first plan -> search -> plan, with its explanations.

It never raises for an infeasible model or a time-out: the plan's ``report.status`` says what
happened and ``shortfalls`` explain an infeasibility.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from roadmap.domain import ObjectiveKind, Plan, Portfolio, SolveReport, SolveStatus
from roadmap.money.finance import StartValues
from roadmap.optimize.derived import derive
from roadmap.optimize.milp.explain.diagnose import diagnose
from roadmap.optimize.milp.explain.forced import ForcedResult
from roadmap.optimize.milp.explain.whynot import why_not_selected
from roadmap.optimize.milp.model.build import USES_SCORE, build_model, use_step_form, write_lp_file
from roadmap.optimize.milp.model.data import model_data
from roadmap.optimize.milp.model.extract import chosen_starts, overloads
from roadmap.optimize.milp.model.objective import evaluate
from roadmap.optimize.milp.model.variables import BuiltModel
from roadmap.optimize.milp.search.first_plan import first_plan
from roadmap.optimize.milp.search.harvest import Harvest
from roadmap.optimize.milp.search.improve import improve_plan
from roadmap.optimize.milp.search.lns import solve_with_neighbourhoods, use_neighbourhoods
from roadmap.optimize.milp.search.programme import solve_earliest_completion
from roadmap.optimize.milp.search.solve import (
    Limits,
    ProgressEvent,
    choose_solver,
    solve_model,
    solver_log,
)
from roadmap.optimize.options import SolveOptions, WhyNotBudget

# Share of the time limit kept back from the main solve for the why-not re-solves (when some
# candidate is optional), so that a main solve running to the limit leaves them time; the whole
# run, analyses included, ends by the time limit. The re-solves use what is left, at most
# their own budget (WhyNotBudget.total), and stop as soon as every figure is proven.
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
    options: SolveOptions = SolveOptions(),
    *,
    objective: ObjectiveKind | None = None,
    write_lp: Path | None = None,
    progress: Callable[[ProgressEvent], None] | None = None,
    values: StartValues | None = None,
    scores: Mapping[str, float] | None = None,
) -> Plan:
    """The best plan for ``portfolio`` under its limits, solved as ``options`` say (choices left
    None come from the Settings sheet, as does ``objective``).

    ``scores`` (criteria score per initiative) default to ``roadmap.money.criteria`` when the
    objective needs them. ``options.log``: append every solver log to this file (the why-not
    re-solves in worker processes write ``<log>.why-not.<pid>`` beside it); without it the
    solvers print nothing anywhere. ``options.search``: "plain" (HiGHS on the full model),
    "neighbourhoods" (the full model beside fix-and-optimise rounds, ``search/lns.py``; HiGHS
    only) or "auto"/None (the size rule of ``lns.use_neighbourhoods``).
    """
    if options.log is not None:
        budget = replace(options.why_not_budget, log_file=str(options.log) + ".why-not")
        options = replace(options, why_not_budget=budget)
    with solver_log(options.log):
        return _solve_plan(
            portfolio,
            options,
            objective=objective,
            write_lp=write_lp,
            progress=progress,
            values=values,
            scores=scores,
        )


def _solve_plan(
    portfolio: Portfolio,
    options: SolveOptions,
    *,
    objective: ObjectiveKind | None,
    write_lp: Path | None,
    progress: Callable[[ProgressEvent], None] | None,
    values: StartValues | None,
    scores: Mapping[str, float] | None,
) -> Plan:
    settings = portfolio.settings
    objective = ObjectiveKind(objective or settings.objective)
    options = options.settled(settings)
    options = replace(options, solver=choose_solver(options.solver))
    solver_name = options.solver or ""
    time_limit = Limits.of(options).time_limit
    scores = dict(scores) if scores is not None else _scores(portfolio, objective)

    began = time.perf_counter()
    deadline = began + time_limit
    clock = _Stages()
    derived = derive(portfolio, values)
    data = model_data(derived, scores)
    model = build_model(data, objective=objective, step=use_step_form(data))
    clock.mark("build")
    if write_lp is not None:
        write_lp_file(model, write_lp)
    first = first_plan(model, options, progress=progress)
    greedy = first.baseline
    greedy_value = evaluate(model, greedy) if greedy is not None else None
    warm = first.plan
    if warm is not None:
        warm = improve_plan(model, warm, seconds=min(IMPROVE_SHARE * time_limit, IMPROVE_MAX))
    clock.mark("first plan")
    if options.why_not:
        model.harvest = Harvest(model)  # plans the search meets: forced plans for the why-not

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
        if model.finish is None and use_neighbourhoods(data, solver_name, options.search):
            run = solve_with_neighbourhoods
        optional = options.why_not and len(data.mandatory) < len(data.candidates)
        reserve = WHY_NOT_SHARE * time_limit if optional else 0.0
        report = run(
            model,
            # the limit covers the whole run: build, warm start, solve and why-not
            options.within(max(1.0, deadline - reserve - time.perf_counter())),
            warm_start=warm,
            progress=progress,
        )
        report = first.explain(report)
    clock.mark("search")
    plan = Plan(portfolio, {}, report, objective=objective, greedy_objective=greedy_value)
    if report.status is SolveStatus.INFEASIBLE and options.diagnose:
        left = max(1.0, deadline - time.perf_counter())
        found = diagnose(data, objective, options.within(left), progress=progress)
        clock.mark("diagnosis")
        return replace(plan, shortfalls=found, report=clock.into(report))
    if not report.status.has_plan:
        return replace(plan, report=clock.into(report))
    starts = chosen_starts(model)
    plan = replace(plan, starts=starts, overloads=overloads(data, starts))
    if options.why_not:
        left = max(0.0, deadline - time.perf_counter())
        budget = options.why_not_budget
        budget = replace(budget, total=min(budget.total, left))
        plan = _why_not(plan, model, report, budget, progress, options, clock)
    return replace(plan, report=clock.into(plan.report))


class _Stages:
    """Wall seconds per stage of one solve, in order."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.seen: list[tuple[str, float]] = []

    def mark(self, stage: str, seconds: float | None = None) -> None:
        now = time.perf_counter()
        self.seen.append((stage, now - self.last if seconds is None else seconds))
        self.last = now

    def into(self, report: SolveReport) -> SolveReport:
        return replace(report, stages=(*report.stages, *self.seen))


def _why_not(
    plan: Plan,
    model: BuiltModel,
    report: SolveReport,
    budget: WhyNotBudget,
    progress: Callable[[ProgressEvent], None] | None,
    options: SolveOptions,
    clock: _Stages,
) -> Plan:
    """The why-not figures of the plan. The plan itself never changes here: it is the search's
    answer, the same in every command that solves this case (a forced plan better than it is
    within the plan's proven precision, and its figure says so)."""
    resolve = None if model.matrix is not None else _forced_solver(options)
    result = why_not_selected(
        model,
        dict(plan.starts),
        report,
        matrix=model.matrix,
        budget=budget,
        progress=progress,
        resolve=resolve,
        harvest=model.harvest,
    )
    for stage, seconds in result.stages:
        clock.mark(f"why-not: {stage}", seconds)
    clock.last = time.perf_counter()
    return replace(plan, why_not=result.why_not)


def _forced_solver(options: SolveOptions) -> Callable[..., ForcedResult]:
    """A forced re-solve through pulp (for a solver other than HiGHS): model rebuilt with the
    unit forced in, warm-started from the repair, no gap."""

    def run(
        model: BuiltModel, members: list[str], warm: dict[str, int] | None, limit: float
    ) -> ForcedResult:
        data = model.data
        forced = build_model(
            data,
            objective=model.objective,
            forced=dict.fromkeys(members, True),
            step=model.step,
        )
        r = solve_model(forced, options.within(limit, gap=0.0), warm_start=warm)
        if r.status is SolveStatus.INFEASIBLE:
            return ForcedResult(members[0], "infeasible", None, None, r.solve_seconds)
        state = "optimal" if r.status is SolveStatus.OPTIMAL else "time limit"
        if not r.status.has_plan:
            state = "error"
        key = data.initiative(members[0]).bundle or members[0]
        return ForcedResult(key, state, r.objective, r.bound, r.solve_seconds)

    return run
