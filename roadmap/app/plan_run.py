"""A planning run as ``roadmap plan`` does it, callable without the command line.

The command parses its options, checks its paths and prints; everything between — which
portfolio each case sees, how the cases are solved, which sheets go into which workbook and what
is exported — lives here, so tests (and other front ends) get the same plans and the same files.

Every case of a run is solved the same way (``RunOptions.case_options``): the objective chosen
on the command line is written into the portfolio's settings first, for the single case as for
every scenario, so the base plan of ``plan``, of ``--all-scenarios`` and of ``--marginal`` is one
and the same plan.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from roadmap.domain import ObjectiveKind, Plan, Portfolio, SolveStatus
from roadmap.errors import InputError, NoSolutionError, RoadmapError
from roadmap.optimize.options import SolveOptions

ProgressEvents = Callable[[Any], None]
EXPORTS = ("mspdi", "csv", "pptx", "png", "svg", "html")
BOARD_EXPORTS = ("pptx", "png", "svg", "html")  # drawn from the plan workbook (roadmap slides)


def default_output(input_path: Path) -> Path:
    return input_path.with_name(f"{input_path.stem}-plan.xlsx")


def export_paths(output: Path, kinds: Sequence[str]) -> dict[str, Path]:
    """Where each export asked for goes: beside the plan workbook, named after it."""
    names = {"mspdi": f"{output.stem}.xml", "csv": f"{output.stem}-milestones.csv"}
    names |= {k: f"{output.stem}.{k}" for k in BOARD_EXPORTS}
    return {k: output.with_name(names[k]) for k in dict.fromkeys(kinds)}


def input_digest(input_path: Path) -> str:
    """The SHA-256 of the input workbook, taken when it is read (the Assumptions sheet shows it)."""
    return hashlib.sha256(input_path.read_bytes()).hexdigest()


def run_info(
    input_path: Path,
    digest: str,
    options: RunOptions,
    *,
    time_limit: float,
    scenario: str | None = None,
) -> Any:
    """What the Assumptions sheet says about this run: the input (name and SHA-256), the
    choices that differ from the Settings sheet and the time limit the solver was given."""
    from roadmap.report.assumptions import RunInfo

    return RunInfo(input_path.name, digest, options=options.shown(scenario), time_limit=time_limit)


@dataclass(frozen=True)
class RunOptions:
    """The choices of a run: what to maximise, how every case is solved (``solve``; its log:
    the solvers' own output goes there, and nowhere else) and how many worker processes
    multi-solve runs use. None = the portfolio's Settings sheet (one per core for ``jobs``)."""

    objective: ObjectiveKind | None = None
    solve: SolveOptions = SolveOptions()
    jobs: int | None = None

    def shown(self, scenario: str | None = None) -> tuple[tuple[str, str], ...]:
        """The choices that differ from the Settings sheet, as the Assumptions sheet lists them."""
        values = {
            "scenario": scenario,
            "objective": self.objective.value if self.objective else None,
            "solver": self.solve.solver,
            "time limit": self.solve.time_limit,
            "gap": self.solve.gap,
            "threads": self.solve.threads,
            "why-not": self._why_not_effort(),
        }
        return tuple((k, str(v)) for k, v in values.items() if v is not None)

    def _why_not_effort(self) -> str | None:
        """The --why-not level when it is not the standard one."""
        from roadmap.optimize.options import WHY_NOT_EFFORT

        budget = replace(self.solve.why_not_budget, workers=None, log_file=None)
        for name, preset in WHY_NOT_EFFORT.items():
            if preset == budget:
                return None if name == "standard" else name
        return None

    def case_options(self) -> SolveOptions:
        """How one case is solved: the run's solve options, the why-not re-solves spread over
        the run's worker processes."""
        budget = replace(self.solve.why_not_budget, workers=self.jobs)
        return replace(self.solve, why_not_budget=budget)


def case_portfolio(
    portfolio: Portfolio, options: RunOptions, scenario: str | None = None
) -> Portfolio:
    """The portfolio one case sees: the scenario applied, then the run's objective."""
    if scenario:
        from roadmap.input.scenarios import apply_scenario

        portfolio = apply_scenario(portfolio, scenario)
    return with_objective(portfolio, options.objective)


def with_objective(portfolio: Portfolio, objective: ObjectiveKind | None) -> Portfolio:
    if objective is None or portfolio.settings.objective == objective:
        return portfolio
    return replace(portfolio, settings=replace(portfolio.settings, objective=objective))


def plan_case(
    portfolio: Portfolio,
    options: RunOptions,
    *,
    scenario: str | None = None,
    write_lp: Path | None = None,
    progress: ProgressEvents | None = None,
) -> Plan:
    """One case solved (the base case, or ``scenario`` applied first)."""
    from roadmap.optimize.milp.plan import solve_plan

    plan = solve_plan(
        case_portfolio(portfolio, options, scenario),
        options.case_options(),
        write_lp=write_lp,
        progress=progress,
    )
    return with_capacity_cost(replace(plan, scenario=scenario), portfolio) if scenario else plan


def with_capacity_cost(plan: Plan, base: Portfolio) -> Plan:
    """``plan`` with what its team capacity costs over ``base``'s (a scenario's hires)."""
    from roadmap.analysis.marginal import capacity_cost

    cost = capacity_cost(base, plan.portfolio)
    if abs(cost.fte_years) < 1e-9 and cost.present_value in (None, 0.0):
        return plan
    return replace(plan, capacity_fte_years=cost.fte_years, capacity_cost=cost.present_value)


def plan_scenarios(
    portfolio: Portfolio,
    options: RunOptions,
    *,
    progress: bool | Callable[..., None] = False,
    executor: Any = None,
) -> list[Plan]:
    """The base case and every scenario of the Scenarios sheet, in sheet order, one plan each."""
    from roadmap.analysis.batch import solve_many
    from roadmap.input.scenarios import BASE, scenario_jobs

    if not portfolio.scenarios:
        raise InputError(
            f"{portfolio.source or 'The workbook'} has no scenarios; add rows to its Scenarios "
            "sheet (see roadmap template --example)"
        )
    work = [(name, with_objective(p, options.objective)) for name, p in scenario_jobs(portfolio)]
    full = options.case_options()
    # The base case gets its why-not figures in full; every other scenario gets its reasons and
    # the cheap brackets (bounds, forced plans) without forced re-solves: a scenario is read for
    # its headline figures, and its exclusions are priced in full by planning it on its own
    # (roadmap plan --scenario NAME).
    cheap = replace(
        full,
        why_not_budget=replace(full.why_not_budget, nodes=0, neighbourhood_nodes=0),
    )
    plans = solve_many(
        work,
        full,
        jobs_n=options.jobs,
        progress=progress,
        label="Scenarios",
        executor=executor,
        job_options=[full if name == BASE else cheap for name, _ in work],
    )
    return [with_capacity_cost(plan, portfolio) for plan in plans]


SheetWriter = Callable[[Any], None]


def marginal_sheet(plan: Plan, options: RunOptions, *, progress: bool = False) -> SheetWriter:
    """Re-solve with one more FTE per team and 10 % more budget per line; returns what adds the
    ranked Marginal value sheet to a plan workbook."""
    from roadmap.analysis.marginal import marginal_values
    from roadmap.report.marginal import add_marginal_sheet

    values = marginal_values(
        plan.portfolio, plan, options=options.case_options(), jobs_n=options.jobs, progress=progress
    )
    money = plan.objective is ObjectiveKind.NPV
    currency = plan.portfolio.settings.currency

    def add(wb: Any) -> None:
        add_marginal_sheet(wb, values, currency=currency, money_objective=money)

    return add


def write_plan_outputs(
    plan: Plan,
    output: Path,
    *,
    run: Any,
    exports: Mapping[str, Path] | None = None,
    force: bool = False,
    protect: Path | None = None,
    today: date | None = None,
    extra_sheets: Sequence[SheetWriter] = (),
    csv_delimiter: str = ",",
) -> tuple[list[Path], Any]:
    """The plan workbook (with ``extra_sheets``) and the exports asked for (``"mspdi"``,
    ``"csv"``, and the board's ``"pptx"``, ``"png"``, ``"svg"``, ``"html"``, drawn from the
    workbook's own bytes as ``roadmap slides`` would draw the file); returns the paths written
    and the plan facts they were built from."""
    from roadmap.excel.writing import save_atomic
    from roadmap.export.csv import write_milestones_csv
    from roadmap.export.mspdi import write_mspdi
    from roadmap.plan_facts import plan_facts
    from roadmap.report.plan_workbook import build_plan_workbook

    exports = exports or {}
    facts = plan_facts(plan)
    wb = build_plan_workbook(plan, run=run, today=today or date.today(), facts=facts)
    for add in extra_sheets:
        add(wb)
    save_atomic(wb, output, force=force, protect=protect)
    written = [output]
    if "mspdi" in exports:
        written.append(write_mspdi(facts, exports["mspdi"]))
    if "csv" in exports:
        written.append(write_milestones_csv(facts, exports["csv"], delimiter=csv_delimiter))
    board = {k: p for k, p in exports.items() if k in ("pptx", "png", "svg", "html")}
    if board:
        written += _write_board(wb, output, board, today=today, force=force, protect=protect)
    return written, facts


def _write_board(
    wb: Any,
    output: Path,
    board: Mapping[str, Path],
    *,
    today: date | None,
    force: bool,
    protect: Path | None,
) -> list[Path]:
    """The board's files, from the plan workbook as saved (not from the plan in memory), so
    they match what `roadmap slides` draws from the file."""
    import io

    from roadmap.board.files import write_board
    from roadmap.input.board_reader import read_plan_picture_data

    buffer = io.BytesIO()
    wb.save(buffer)
    picture = read_plan_picture_data(buffer.getvalue(), output.name)
    return write_board(
        picture,
        deck=board.get("pptx"),
        exports={k: p for k, p in board.items() if k != "pptx"},
        today=today,
        force=force,
        protect=protect,
    )


def write_scenario_outputs(
    plans: Sequence[Plan],
    output: Path,
    *,
    run: Any,
    split: Sequence[Path] = (),
    force: bool = False,
    protect: Path | None = None,
) -> list[Path]:
    """The comparison workbook (with every plan's sheets unless ``split`` gives one path per
    plan, then each plan in its own file); returns the paths written."""
    from roadmap.excel.writing import save_atomic
    from roadmap.report.plan_workbook import (
        build_scenarios_workbook,
        scenario_run,
        write_plan_workbook,
    )

    wb = build_scenarios_workbook(plans, run=run, with_plans=not split)
    written = [output]
    for plan, path in zip(plans, split, strict=False):
        if plan.report.status.has_plan:
            written.append(
                write_plan_workbook(
                    plan, path, force=force, protect=protect, run=scenario_run(run, plan)
                )
            )
    save_atomic(wb, output, force=force, protect=protect)
    return written


def require_plan(plan: Plan, time_limit: float | None) -> None:
    """Raise the error (and exit code) of a solve that ended without a plan, other than an
    infeasible one (which the caller explains first)."""
    status = plan.report.status
    if status is SolveStatus.NO_SOLUTION:
        raise NoSolutionError(
            f"no plan found within the time limit of {time_limit:g} s "
            f"({plan.report.message}); give the solver more time with --time-limit"
        )
    if not status.has_plan and status is not SolveStatus.INFEASIBLE:
        raise RoadmapError(f"the solver failed: {plan.report.message or status.value}")


def plan_all_scenarios(
    portfolio: Portfolio,
    options: RunOptions,
    run: Any,
    output: Path,
    *,
    split: bool = False,
    force: bool = False,
    protect: Path | None = None,
    progress: bool = False,
    executor: Any = None,
) -> tuple[list[Plan], list[Path]]:
    """The base case and every scenario, solved in parallel worker processes (or on
    ``executor``); one comparison sheet first, then each plan's sheets under the scenario's name
    (or, with ``split``, one file each, their paths claimed before solving). Returns the plans
    and the paths written."""
    from roadmap.input.scenarios import scenario_jobs
    from roadmap.report.scenarios import split_paths
    from roadmap.runtime.outputs import claim_outputs

    if not portfolio.scenarios:
        raise InputError(
            f"{portfolio.source or 'The workbook'} has no scenarios; add rows to its Scenarios "
            "sheet (see roadmap template --example)"
        )
    paths: list[Path] = []
    if split:
        paths = split_paths(output, [name for name, _ in scenario_jobs(portfolio)])
        claim_outputs([output, *paths], force=force, protect=[protect] if protect else [])
    plans = plan_scenarios(portfolio, options, progress=progress, executor=executor)
    written = write_scenario_outputs(
        plans, output, run=run, split=paths, force=force, protect=protect
    )
    return plans, written
