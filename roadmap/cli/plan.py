"""``roadmap plan``: solve the portfolio and write the PMO-ready plan workbook (and exports)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import click

from roadmap.cli.common import (
    debug_option,
    executor_for_option,
    executor_option,
    force_option,
    gap_option,
    handle_errors,
    jobs_option,
    solver_log_option,
    solver_option,
    time_limit_option,
)
from roadmap.cli.progress import SolveProgress
from roadmap.domain import ObjectiveKind, Plan, Portfolio, SolveStatus
from roadmap.errors import InfeasibleError, InputError, NoSolutionError, RoadmapError

EXPORTS = ("mspdi", "csv", "pptx", "png", "svg", "html")
BOARD_EXPORTS = ("pptx", "png", "svg", "html")  # drawn from the plan workbook (roadmap slides)


def default_output(input_path: Path) -> Path:
    return input_path.with_name(f"{input_path.stem}-plan.xlsx")


def export_paths(output: Path, kinds: tuple[str, ...]) -> dict[str, Path]:
    names = {"mspdi": f"{output.stem}.xml", "csv": f"{output.stem}-milestones.csv"}
    names |= {k: f"{output.stem}.{k}" for k in BOARD_EXPORTS}
    return {k: output.with_name(names[k]) for k in dict.fromkeys(kinds)}


def _check_paths(input_path: Path, output: Path, extra: list[Path | None], force: bool) -> None:
    """Refuse before solving, so a long solve never ends in a refusal."""
    from roadmap.runtime.outputs import claim_outputs

    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{output} should end in .xlsx", param_hint="-o")
    claim_outputs([output, *extra], force=force, protect=[input_path])


def summary_lines(plan: Plan, facts: Any) -> list[tuple[str, str]]:
    from roadmap.cli.roi import money, percent, rate

    cur = plan.portfolio.settings.currency
    h, m, r = facts.headline, facts.headline.metrics, plan.report
    budget = f" of {money(h.budget, cur)} ({percent(h.spend_share)})" if h.budget else ""
    gap = f", gap {r.gap:.2%}" if r.gap is not None else ""
    timed = " (stopped at the time limit)" if r.status is SolveStatus.FEASIBLE else ""
    return [
        ("Selected", f"{h.selected} of {h.candidates} candidates"),
        ("Spend", f"{money(h.spend, cur)}{budget}"),
        ("NPV", money(m.npv, cur)),
        ("IRR", rate(m.irr_annual)),
        ("MIRR", rate(m.mirr_annual)),
        ("Payback", m.payback_date.isoformat() if m.payback_date else "not within window"),
        ("Gap closed", percent(h.gap_closed)),
        ("Solver", f"{r.solver} {r.status.value}{gap}{timed}"),
        ("Gain over greedy", percent(h.gain_over_greedy)),
    ]


def _diagnosis(plan: Plan) -> str:
    if not plan.shortfalls:
        reason = plan.report.message or "the hard limits contradict each other"
        return f"No feasible plan: {reason}."
    lines = ["No feasible plan. To find one, these limits would have to give:"]
    lines += [f"  - {s.family} {s.key}: {s.message}" for s in plan.shortfalls]
    return "\n".join(lines)


@click.command(
    "plan",
    epilog="""\b
Examples:
  roadmap plan samples/retail-d2c.xlsx
  roadmap plan samples/retail-d2c.xlsx -o plan.xlsx --force --export mspdi --export csv
  roadmap plan samples/retail-d2c.xlsx --export csv --csv-delimiter ";"
  roadmap plan samples/retail-d2c.xlsx -o plan.xlsx --export pptx --export html
  roadmap plan my-portfolio.xlsx --scenario "Budget cut 20%" --time-limit 120 --gap 1%
  roadmap plan my-portfolio.xlsx --solver cbc --write-lp model.lp --quiet
  roadmap plan samples/retail-d2c.xlsx --all-scenarios -o scenarios.xlsx --jobs 2
  roadmap plan samples/retail-d2c.xlsx --marginal -o plan-marginal.xlsx
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Plan workbook to write [default: INPUT-plan.xlsx beside the input].",
)
@click.option("--scenario", help="Apply a named scenario from the Scenarios sheet first.")
@click.option(
    "--all-scenarios",
    is_flag=True,
    help="Plan the base case and every scenario; the first sheet compares them side by side.",
)
@click.option(
    "--split",
    is_flag=True,
    help="With --all-scenarios: each scenario's plan in its own file (OUTPUT-<scenario>.xlsx).",
)
@jobs_option(
    "Worker processes for the why-not re-solves, --all-scenarios and --marginal "
    "[default: number of cores]."
)
@click.option(
    "--marginal",
    is_flag=True,
    help="Add a Marginal value sheet: the gain from one more FTE per team and 10% more budget "
    "per year / pool (time-boxed re-solves).",
)
@click.option(
    "--objective",
    type=click.Choice([o.value for o in ObjectiveKind]),
    help="What to maximise [default: the Settings sheet's objective].",
)
@solver_option
@time_limit_option()
@gap_option
@click.option("--threads", type=click.IntRange(min=0), help="Solver threads (0 = solver's choice).")
@force_option("Replace the output files if they exist.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary; errors only.")
@click.option(
    "--export",
    "exports",
    type=click.Choice(EXPORTS),
    multiple=True,
    help="Also write MS Project XML (OUTPUT.xml), milestones CSV (OUTPUT-milestones.csv), the "
    "board's deck (OUTPUT.pptx), the roadmap as a picture (OUTPUT.png, OUTPUT.svg) or as a web "
    "page (OUTPUT.html), as `roadmap slides` draws them. Repeatable.",
)
@click.option(
    "--csv-delimiter",
    type=click.Choice([",", ";", "tab", "|"]),
    default=",",
    show_default=True,
    help="Field separator of the milestones CSV: ';' for Excel in European locales.",
)
@click.option(
    "--write-lp", type=click.Path(dir_okay=False, path_type=Path), help="Write the model as LP."
)
@solver_log_option
@executor_option
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
@debug_option
@handle_errors
def command(
    input_path: Path,
    output: Path | None,
    scenario: str | None,
    all_scenarios: bool,
    split: bool,
    jobs: int | None,
    marginal: bool,
    objective: str | None,
    solver: str | None,
    time_limit: float | None,
    gap: float | None,
    threads: int | None,
    force: bool,
    quiet: bool,
    exports: tuple[str, ...],
    csv_delimiter: str,
    write_lp: Path | None,
    solver_log: Path | None,
    executor: str | None,
    today: Any,
    debug: bool,
) -> None:
    """Choose and schedule the initiatives of INPUT and write the plan workbook.

    The workbook has the Summary, Roadmap, Milestones, Gantt, Budget, Capacity, Financials,
    Capabilities, Accountability, Not selected and Assumptions sheets. The input is only read.
    Exit codes: 0 plan written; 2 invalid input; 3 no feasible plan (the limits that would have
    to give are printed, and written to -o when given); 4 no plan within the time limit.
    """
    from roadmap.app.plan_run import RunOptions, marginal_sheet, plan_case
    from roadmap.input.reader import load_portfolio
    from roadmap.optimize.options import SolveOptions
    from roadmap.report.assumptions import RunInfo

    if all_scenarios and scenario:
        raise click.UsageError("use either --scenario NAME or --all-scenarios, not both")
    if split and not all_scenarios:
        raise click.UsageError("--split goes with --all-scenarios")
    if all_scenarios and (exports or write_lp):
        raise click.UsageError("--export and --write-lp plan one case; drop --all-scenarios")
    if executor is not None and not all_scenarios:
        raise click.UsageError("--executor runs the --all-scenarios solves; add --all-scenarios")
    out = output or default_output(input_path)
    if any(k in BOARD_EXPORTS for k in exports):
        from roadmap.board.files import require

        require([k for k in exports if k in BOARD_EXPORTS])
    extra = export_paths(out, exports)
    _check_paths(input_path, out, [*extra.values(), write_lp], force)

    portfolio, warnings = load_portfolio(input_path)
    digest = hashlib.sha256(input_path.read_bytes()).hexdigest()
    if warnings and not quiet:
        click.echo(
            f"{len(warnings)} warning(s) in {input_path.name}; see roadmap validate.", err=True
        )
    options = RunOptions(
        objective=ObjectiveKind(objective) if objective else None,
        solve=SolveOptions(
            solver=solver, time_limit=time_limit, gap=gap, threads=threads, log=solver_log
        ),
        jobs=jobs,
    )
    limit = time_limit if time_limit is not None else portfolio.settings.time_limit
    if all_scenarios:
        run = RunInfo(input_path.name, digest, options=options.shown(), time_limit=limit)
        with executor_for_option(executor, jobs) as runner:
            _plan_all_scenarios(
                portfolio, run, input_path, out, options, split, force, quiet, runner
            )
        return

    progress = SolveProgress(quiet, limit)
    try:
        plan = plan_case(
            portfolio, options, scenario=scenario, write_lp=write_lp, progress=progress
        )
    finally:
        progress.done()
    run = RunInfo(input_path.name, digest, options=options.shown(scenario), time_limit=limit)
    sheets = []
    if marginal and plan.report.status.has_plan:
        sheets.append(marginal_sheet(plan, options, progress=not quiet))
    _finish(
        plan,
        run,
        input_path,
        out,
        output is not None,
        extra,
        force,
        quiet,
        today,
        sheets,
        csv_delimiter=csv_delimiter,
    )


def _plan_all_scenarios(
    portfolio: Portfolio,
    run: Any,
    input_path: Path,
    out: Path,
    options: Any,
    split: bool,
    force: bool,
    quiet: bool,
    runner: Any = None,
) -> None:
    """The base case and every scenario, solved in parallel worker processes; one comparison
    sheet first, then each plan's sheets under the scenario's name (or one file each)."""
    from roadmap.app.plan_run import plan_scenarios, write_scenario_outputs
    from roadmap.input.scenarios import scenario_jobs
    from roadmap.report.scenarios import split_paths

    if not portfolio.scenarios:
        raise InputError(
            f"{input_path.name} has no scenarios; add rows to its Scenarios sheet "
            "(see roadmap template --example)"
        )
    paths = []
    if split:
        paths = split_paths(out, [name for name, _ in scenario_jobs(portfolio)])
        _check_paths(input_path, out, list(paths), force)
    plans = plan_scenarios(portfolio, options, progress=not quiet, executor=runner)
    written = write_scenario_outputs(
        plans, out, run=run, split=paths, force=force, protect=input_path
    )
    if quiet:
        return
    for plan in plans:
        r = plan.report
        gap = f", gap {r.gap:.2%}" if r.gap is not None and r.status.has_plan else ""
        chosen = f"{len(plan.starts)} selected, " if r.status.has_plan else ""
        click.echo(f"{plan.scenario:<28} {chosen}{r.status.value}{gap}")
    for path in written:
        click.echo(f"Wrote {path}")


def _finish(
    plan: Plan,
    run: Any,
    input_path: Path,
    out: Path,
    explicit_output: bool,
    extra: dict[str, Path],
    force: bool,
    quiet: bool,
    today: Any,
    extra_sheets: Any = (),
    *,
    csv_delimiter: str = ",",
) -> None:
    from roadmap.app.plan_run import write_plan_outputs
    from roadmap.report.plan_workbook import write_plan_workbook

    status = plan.report.status
    if status is SolveStatus.INFEASIBLE:
        click.echo(_diagnosis(plan), err=True)
        if explicit_output:
            write_plan_workbook(plan, out, force=force, protect=input_path, run=run)
            click.echo(f"Diagnosis written to {out}", err=True)
        raise InfeasibleError("no plan satisfies every hard limit (see the diagnosis above)")
    if status is SolveStatus.NO_SOLUTION:
        raise NoSolutionError(
            f"no plan found within the time limit of {run.time_limit:g} s "
            f"({plan.report.message}); give the solver more time with --time-limit"
        )
    if not status.has_plan:
        raise RoadmapError(f"the solver failed: {plan.report.message or status.value}")

    written, facts = write_plan_outputs(
        plan,
        out,
        run=run,
        exports=extra,
        force=force,
        protect=input_path,
        today=today.date() if today is not None else None,
        extra_sheets=extra_sheets,
        csv_delimiter=csv_delimiter,
    )
    if quiet:
        return
    lines = summary_lines(plan, facts)
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        click.echo(f"{key:<{width}}  {value}")
    if status is SolveStatus.FEASIBLE:
        click.echo(
            "Note: stopped at the time limit; the plan is the best found, not proven optimal."
        )
    for path in written:
        click.echo(f"Wrote {path}")
