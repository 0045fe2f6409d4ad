"""A risk run as ``roadmap risk`` does it, callable without the command line.

The command parses its options, checks its paths and prints; everything between lives here:
which plan is evaluated (the optimal plan of the input, solved with the run's solve options, or
a plan workbook as given), the sampled worlds and the plan evaluated in them, the choice
re-solved in the first K worlds with the same solve options, and the risk workbook.

One ``SolveOptions`` value (``solve_options``) solves the plan and, as
``risk.reoptimise.world_options`` narrows it, every world: the same solver, time limit, gap and
search, so a world's best plan and the chosen set's are found as the plan was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roadmap.domain import Portfolio, SolveStatus
from roadmap.errors import InfeasibleError, InputError, NoSolutionError, RoadmapError
from roadmap.optimize.options import SolveOptions

DEFAULT_SAMPLES = 10_000
DEFAULT_SEED = 1


def default_output(input_path: Path) -> Path:
    return input_path.with_name(f"{input_path.stem}-risk.xlsx")


def require_scipy() -> None:
    try:
        import scipy  # noqa: F401
    except ImportError:
        raise InputError("roadmap risk needs scipy: pip install 'roadmap[risk]'") from None


def solve_options(time_limit: float | None = None) -> SolveOptions:
    """How the plan and every re-solved world are solved: the Settings sheet's solver, gap and
    time limit (or ``time_limit``), without the why-not re-solves (the risk workbook does not
    show them)."""
    return SolveOptions(why_not=False, time_limit=time_limit)


@dataclass(frozen=True)
class PlanToEvaluate:
    """The plan a risk run evaluates: its starts, where it came from, its status in words."""

    starts: dict[str, int]
    source: str
    status: str


def solved_plan(
    portfolio: Portfolio,
    input_name: str,
    options: SolveOptions,
    progress: Callable[[Any], None] | None = None,
) -> PlanToEvaluate:
    """The optimal plan of ``portfolio``; the error (and exit code) of a solve without one."""
    from roadmap.optimize.milp.plan import solve_plan

    plan = solve_plan(portfolio, options, progress=progress)
    r = plan.report
    if r.status is SolveStatus.INFEASIBLE:
        raise InfeasibleError("no plan satisfies every hard limit; run roadmap plan to see why")
    if r.status is SolveStatus.NO_SOLUTION:
        raise NoSolutionError("no plan found within the time limit; give the solver more time")
    if not r.status.has_plan:
        raise RoadmapError(f"the solver failed: {r.message or r.status.value}")
    gap = f", gap {r.gap:.2%}" if r.gap is not None else ""
    timed = " (stopped at the time limit: the best plan found, not proven optimal)"
    status = f"{r.status.value}{gap}" + (timed if r.status is SolveStatus.FEASIBLE else "")
    return PlanToEvaluate(dict(plan.starts), f"the optimal plan of {input_name}", status)


def given_plan(portfolio: Portfolio, input_name: str, plan_path: Path) -> PlanToEvaluate:
    """The starts of a plan workbook written by ``roadmap plan``; every row must name an
    initiative of the input and carry a start date (InputError naming the row otherwise)."""
    from roadmap.input.plan_workbook import read_snapshot
    from roadmap.money.calendar import Calendar

    snapshot = read_snapshot(plan_path)
    cal = Calendar.from_settings(portfolio.settings)
    starts: dict[str, int] = {}
    for row in snapshot.rows:
        where = f"{plan_path.name}, sheet Roadmap, row {row.row}"
        if row.id not in portfolio.initiative_by_id:
            raise InputError(
                f"{where}: '{row.id}' is not an initiative of {input_name}. Give the "
                "plan made from this input, or correct the ID."
            )
        if row.start is None:
            raise InputError(f"{where}: '{row.id}' has no Start date. Type its start date.")
        starts[row.id] = cal.period_of(row.start)
    return PlanToEvaluate(starts, f"{plan_path.name} (given plan)", "as given; not re-solved")


@dataclass(frozen=True)
class RiskResult:
    summary: Any  # risk.summary.RiskSummary
    choice: Any  # risk.reoptimise.Choice, or None without --reoptimise


def assess(
    portfolio: Portfolio,
    plan: PlanToEvaluate,
    *,
    samples: int,
    seed: int,
    reoptimise: int | None = None,
    options: SolveOptions = SolveOptions(why_not=False),
    executor: Any = None,
    jobs: int | None = None,
    on_world: Callable[[int, Any], None] | None = None,
) -> RiskResult:
    """The plan in ``samples`` sampled worlds, and with ``reoptimise`` K the choice re-solved
    in the first K of them with ``options`` (on ``executor``, else in ``jobs`` local worker
    processes); ``on_world(index, result)`` as each world is done."""
    from roadmap.risk.evaluate import evaluate
    from roadmap.risk.sampling import draw, planned
    from roadmap.risk.summary import summarise

    draws = draw(portfolio, samples, seed)
    outcomes = evaluate(portfolio, plan.starts, draws)
    baseline = evaluate(portfolio, plan.starts, planned(portfolio))
    summary = summarise(outcomes, baseline, draws)
    if reoptimise is None:
        return RiskResult(summary, None)
    from roadmap.risk.reoptimise import reoptimise as resolve
    from roadmap.risk.reoptimise import worker_init
    from roadmap.runtime.executors import LocalProcesses

    runner = executor if executor is not None else LocalProcesses(jobs, worker_init)
    choice = resolve(
        portfolio, plan.starts, draws, outcomes, reoptimise, runner, options, on_done=on_world
    )
    return RiskResult(summary, choice)


def write_risk(
    result: RiskResult,
    portfolio: Portfolio,
    plan: PlanToEvaluate,
    input_path: Path,
    digest: str,
    output: Path,
    *,
    force: bool = False,
) -> Path:
    """The risk workbook, through the write guard (never over the input); ``digest``: the
    input's SHA-256 as read (``plan_run.input_digest``)."""
    from roadmap.report.risk import RiskRun, write_risk_workbook

    run = RiskRun(input_path.name, digest, plan.source, plan.status)
    write_risk_workbook(
        result.summary,
        portfolio,
        run,
        output,
        choice=result.choice,
        force=force,
        protect=input_path,
    )
    return output
