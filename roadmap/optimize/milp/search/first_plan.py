"""The first plan: the greedy baseline, a wider search for the forced work, then a feasibility MILP.

1. The greedy baseline (``roadmap.optimize.greedy``). When its dependency order cannot place the
   forced work (mandatory initiatives, what they need, their bundles), serial schedule generation
   over other priority orders (``roadmap.optimize.schedule_generation``) searches for a placement; for
   earliest-completion it searches its whole budget for the earliest finish.
2. If no order fits, the model itself with the objective dropped: every plan is then optimal, so
   HiGHS stops at the first one it finds, or proves that none exists.

What was tried is kept in words, so that "no plan found" says how hard we looked.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pulp

from roadmap.domain import ObjectiveKind, SolveReport, SolveStatus
from roadmap.optimize.milp.model.extract import chosen_starts
from roadmap.optimize.milp.model.objective import set_objective
from roadmap.optimize.milp.model.variables import BuiltModel
from roadmap.optimize.milp.search.programme import finish_lower_bound
from roadmap.optimize.milp.search.solve import Limits, Progress, solve_model
from roadmap.optimize.options import SolveOptions

# Schedule generation: share of the time limit, and a cap (seconds).
CONSTRUCT_SHARE = 0.1
CONSTRUCT_MAX = 10.0
# The feasibility MILP, when schedule generation found nothing: share of the time limit.
FEASIBILITY_SHARE = 0.3


@dataclass
class FirstPlan:
    baseline: dict[str, int] | None  # the greedy baseline (the yardstick for "gain over greedy")
    plan: dict[str, int] | None  # the warm start: the baseline, or the feasibility MILP's plan
    tried: list[str] = field(default_factory=list)
    infeasible: SolveReport | None = None  # the feasibility MILP proved that no plan exists

    def explain(self, report: SolveReport) -> SolveReport:
        """A report without a plan, saying what was tried."""
        if report.status.has_plan or not self.tried:
            return report
        return replace(report, message=f"{report.message}; tried {', then '.join(self.tried)}")


def first_plan(
    model: BuiltModel,
    options: SolveOptions,
    *,
    progress: Progress | None = None,
) -> FirstPlan:
    """Steps 1 and 2 of the module docstring within their shares of the options' time limit."""
    from roadmap.optimize.greedy import GreedyInfeasible, greedy_plan

    data = model.data
    time_limit = Limits.of(options).time_limit
    seconds = min(CONSTRUCT_SHARE * time_limit, CONSTRUCT_MAX)
    finish = model.objective is ObjectiveKind.EARLIEST_COMPLETION
    try:
        found = greedy_plan(
            data.derived,
            construct_seconds=seconds,
            minimise_finish=finish,
            finish_bound=finish_lower_bound(data) if finish else 0,
        )
        return FirstPlan(found, found)
    except GreedyInfeasible as exc:
        tried = [f"the baseline scheduler ({exc.tried or 'dependency order'})"]
    if data.impossible or not model.x:
        return FirstPlan(None, None, tried)
    model.prob.setObjective(pulp.LpAffineExpression({}))
    report = solve_model(
        model, options.within(max(1.0, FEASIBILITY_SHARE * time_limit), gap=0.0), progress=progress
    )
    set_objective(model, data)
    took = f"{report.solve_seconds:.1f} s"
    if report.status is SolveStatus.INFEASIBLE:
        tried.append(f"a search for any plan, which proved that none exists ({took})")
        return FirstPlan(None, None, tried, infeasible=report)
    if not report.status.has_plan:
        tried.append(f"a search for any plan without the objective ({took}, none found)")
        return FirstPlan(None, None, tried)
    tried.append(f"a search for any plan without the objective (found one in {took})")
    return FirstPlan(None, chosen_starts(model), tried)
