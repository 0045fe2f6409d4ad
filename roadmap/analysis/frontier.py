"""The efficient frontier: the best plan at each budget level, from a cut to a rise.

Every budget row (period and fiscal year, every pool and spend type) is scaled by the same factor
and the portfolio solved again at each level, in parallel (``batch.solve_many``).

Keeping the frontier monotone, honestly. Raising every budget only loosens limits, so a plan
found at a lower level is still a valid plan at every higher level; the true optimum can only
rise with the budget. A solver stopped at its gap (or its time limit) may still return, at a
higher level, a plan worse than one it found lower down. So each point carries:

- ``solver_objective``: what the solver returned at this level (with its status and gap);
- ``objective``: the best plan known at this level = the best of this level's plan and every
  lower level's plan (each valid here). When a lower plan wins, ``carried_from`` names its level
  and that plan's schedule is the one reported — no figure is invented;
- ``bound``: the best proven upper bound = the smallest solver bound at this or any higher level
  (an optimum here cannot beat an optimum with more money).

The true optimum at each level lies between ``objective`` and ``bound``. Each level is solved
from scratch, warm-started only by the optimizer's own greedy baseline for that level: passing
the previous level's plan as a start would chain the levels one after another, and
``solve_plan`` takes no start plan. Independent levels run in parallel instead, and the envelope
above recovers what a warm start would have guaranteed (never worse than the level below).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from roadmap.domain import Plan, Portfolio, SolveStatus
from roadmap.errors import RoadmapError
from roadmap.money.calendar import Calendar
from roadmap.optimize.options import SolveOptions

EPS = 1e-6


@dataclass(frozen=True)
class FrontierPoint:
    level: float  # budget scale, 1.0 = the budgets as entered
    budget: float | None  # overall budget over the horizon at this level (None: no total limit)
    status: SolveStatus
    solver_objective: float | None  # this level's own solve
    gap: float | None
    objective: float | None  # best known at this level (monotone in the level)
    bound: float | None  # best proven bound at this level (monotone too)
    npv: float | None  # of the reported plan
    selected: tuple[str, ...]  # ids of the reported plan, in portfolio order
    marginal: float | None  # objective gained per currency unit since the previous level
    entered: tuple[str, ...]  # selected here but not at the previous level
    left: tuple[str, ...]  # selected at the previous level but not here
    carried_from: float | None = None  # level whose plan is reported when it beats this one's
    plan: Plan | None = field(default=None, compare=False, repr=False)


def budget_levels(start: float, stop: float, steps: int) -> list[float]:
    """``steps`` evenly spaced budget scales from ``start`` to ``stop`` inclusive."""
    if steps < 2:
        raise RoadmapError("The frontier needs at least 2 steps (--steps).")
    if not 0 <= start < stop:
        raise RoadmapError(
            f"The budget range must rise from at least 0%: got {start:.0%} to {stop:.0%} "
            "(--from, --to)."
        )
    width = (stop - start) / (steps - 1)
    return [round(start + k * width, 10) for k in range(steps)]


def frontier_jobs(portfolio: Portfolio, levels: Sequence[float]) -> list[tuple[str, Portfolio]]:
    """One (name, portfolio) per level, every budget row scaled."""
    from roadmap.input.scenarios import scale_budgets

    if not portfolio.budgets:
        raise RoadmapError(
            "The Budget sheet has no limits, so there is no budget to vary. Add budget rows, "
            "or use `roadmap plan` directly."
        )
    return [(f"Budget {level:.0%}", scale_budgets(portfolio, level)) for level in levels]


def frontier(
    portfolio: Portfolio,
    *,
    start: float = 0.5,
    stop: float = 1.5,
    steps: int = 11,
    options: SolveOptions = SolveOptions(),
    jobs_n: int | None = None,
    progress: bool = False,
    executor: Any = None,
) -> list[FrontierPoint]:
    """Solve at ``steps`` budget levels from ``start`` to ``stop`` (1.0 = as entered), each as
    ``options`` say (without the why-not analysis: only the objective is plotted);
    ``executor`` (``runtime.executors``): where the levels are solved instead of local workers."""
    from roadmap.analysis.batch import solve_many

    levels = budget_levels(start, stop, steps)
    jobs = frontier_jobs(portfolio, levels)
    plans = solve_many(
        jobs,
        replace(options, why_not=False),
        jobs_n=jobs_n,
        progress=progress,
        label="Frontier",
        executor=executor,
    )
    return build_frontier(levels, plans)


def _objective(plan: Plan) -> float | None:
    return plan.report.objective if plan.report.status.has_plan else None


def build_frontier(
    levels: Sequence[float],
    plans: Sequence[Plan],
    *,
    npv_of: Callable[[Plan], float | None] | None = None,
    budget_of: Callable[[Plan], float | None] | None = None,
) -> list[FrontierPoint]:
    """The monotone frontier from one solved plan per level (levels ascending).

    ``npv_of`` and ``budget_of`` default to ``plan_npv`` and ``overall_budget``.
    """
    if list(levels) != sorted(levels) or len(levels) != len(plans):
        raise ValueError("levels must ascend and match the plans one to one")
    npv_of = npv_of or plan_npv
    budget_of = budget_of or overall_budget

    # best known so far from below: (objective, index of the plan achieving it)
    best: list[tuple[float | None, int | None]] = []
    running: tuple[float | None, int | None] = (None, None)
    for k, plan in enumerate(plans):
        value = _objective(plan)
        if value is not None and (running[0] is None or value > running[0] + EPS):
            running = (value, k)
        best.append(running)

    bounds: list[float | None] = [None] * len(plans)
    lowest: float | None = None
    for k in range(len(plans) - 1, -1, -1):
        b = plans[k].report.bound if plans[k].report.status.has_plan else None
        if b is not None:
            lowest = b if lowest is None else min(lowest, b)
        bounds[k] = lowest

    points: list[FrontierPoint] = []
    for k, (level, plan) in enumerate(zip(levels, plans, strict=True)):
        value, source = best[k]
        shown = plans[source] if source is not None else None
        ids = _selected_ids(shown) if shown is not None else ()
        budget = budget_of(plan)
        prev = points[-1] if points else None
        marginal = None
        if (
            prev is not None
            and value is not None
            and prev.objective is not None
            and budget is not None
            and prev.budget is not None
            and budget - prev.budget > EPS
        ):
            marginal = (value - prev.objective) / (budget - prev.budget)
        before = set(prev.selected) if prev is not None else set(ids)
        points.append(
            FrontierPoint(
                level=level,
                budget=budget,
                status=plan.report.status,
                solver_objective=_objective(plan),
                gap=plan.report.gap,
                objective=value,
                bound=_bound(bounds[k], value, plan.report.status),
                npv=npv_of(shown) if shown is not None else None,
                selected=ids,
                marginal=marginal,
                entered=tuple(i for i in ids if i not in before),
                left=tuple(i for i in (prev.selected if prev else ()) if i not in set(ids)),
                carried_from=levels[source] if source is not None and source != k else None,
                plan=replace(shown, scenario=f"Budget {level:.0%}") if shown is not None else None,
            )
        )
    return points


def _bound(bound: float | None, value: float | None, status: SolveStatus) -> float | None:
    if value is None and status is SolveStatus.INFEASIBLE:
        return None  # nothing to bound: no plan exists at this level
    if bound is not None and value is not None:
        return max(bound, value)  # a bound a hair below the plan is solver tolerance
    return bound


def _selected_ids(plan: Plan) -> tuple[str, ...]:
    return tuple(i.id for i in plan.selected())


def plan_npv(plan: Plan) -> float | None:
    """NPV of the plan's schedule (the finance module's conventions)."""
    from roadmap.money.finance import plan_metrics

    if not plan.starts:
        return 0.0
    cal = Calendar.from_settings(plan.portfolio.settings)
    return plan_metrics(plan.portfolio, plan.starts, cal).npv


def overall_budget(plan: Plan) -> float | None:
    """The overall budget over the horizon (as the plan workbook's Summary counts it)."""
    from roadmap.plan_facts import budget_total

    return budget_total(plan, Calendar.from_settings(plan.portfolio.settings))
