"""``roadmap plan``: solve the portfolio and write the PMO-ready plan workbook (and exports).

Parsing, printing and exit codes only; the run itself is ``roadmap.app.plan_run``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from roadmap.app.plan_run import EXPORTS
from roadmap.cli.common import (
    debug_option,
    executor_for_option,
    executor_option,
    force_option,
    gap_option,
    handle_errors,
    jobs_option,
    output_option,
    quiet_option,
    solver_log_option,
    solver_option,
    time_limit_option,
    why_not_option,
)
from roadmap.cli.progress import SolveProgress
from roadmap.cli.summary import diagnosis, scenario_line, summary_lines
from roadmap.domain import ObjectiveKind, SolveStatus
from roadmap.errors import InfeasibleError


def _check_paths(input_path: Path, output: Path, extra: list[Path | None], force: bool) -> None:
    """Refuse before solving, so a long solve never ends in a refusal."""
    from roadmap.runtime.outputs import claim_outputs

    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{output} should end in .xlsx", param_hint="-o")
    claim_outputs([output, *extra], force=force, protect=[input_path])


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
@output_option("Plan workbook to write [default: INPUT-plan.xlsx beside the input].")
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
@why_not_option
@click.option("--threads", type=click.IntRange(min=0), help="Solver threads (0 = solver's choice).")
@force_option("Replace the output files if they exist.")
@quiet_option("No progress or summary; errors only.")
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
    why_not: str,
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
    from roadmap.app import plan_run as app
    from roadmap.input.reader import load_portfolio
    from roadmap.optimize.options import WHY_NOT_EFFORT, SolveOptions

    if all_scenarios and scenario:
        raise click.UsageError("use either --scenario NAME or --all-scenarios, not both")
    if split and not all_scenarios:
        raise click.UsageError("--split goes with --all-scenarios")
    if all_scenarios and (exports or write_lp):
        raise click.UsageError("--export and --write-lp plan one case; drop --all-scenarios")
    if executor is not None and not all_scenarios:
        raise click.UsageError("--executor runs the --all-scenarios solves; add --all-scenarios")
    out = output or app.default_output(input_path)
    if any(k in app.BOARD_EXPORTS for k in exports):
        from roadmap.board.files import require

        require([k for k in exports if k in app.BOARD_EXPORTS])
    extra = app.export_paths(out, exports)
    _check_paths(input_path, out, [*extra.values(), write_lp], force)

    portfolio, warnings = load_portfolio(input_path)
    digest = app.input_digest(input_path)
    if warnings and not quiet:
        click.echo(
            f"{len(warnings)} warning(s) in {input_path.name}; see roadmap validate.", err=True
        )
    options = app.RunOptions(
        objective=ObjectiveKind(objective) if objective else None,
        solve=SolveOptions(
            solver=solver,
            time_limit=time_limit,
            gap=gap,
            threads=threads,
            log=solver_log,
            why_not_budget=WHY_NOT_EFFORT[why_not],
        ),
        jobs=jobs,
    )
    limit = time_limit if time_limit is not None else portfolio.settings.time_limit
    if all_scenarios:
        run = app.run_info(input_path, digest, options, time_limit=limit)
        with executor_for_option(executor, jobs) as runner:
            plans, written = app.plan_all_scenarios(
                portfolio,
                options,
                run,
                out,
                split=split,
                force=force,
                protect=input_path,
                progress=not quiet,
                executor=runner,
            )
        if not quiet:
            for plan in plans:
                click.echo(scenario_line(plan))
            _wrote(written)
        return

    with SolveProgress(quiet, limit) as progress:
        plan = app.plan_case(
            portfolio, options, scenario=scenario, write_lp=write_lp, progress=progress
        )
    run = app.run_info(input_path, digest, options, time_limit=limit, scenario=scenario)
    if plan.report.status is SolveStatus.INFEASIBLE:
        click.echo(diagnosis(plan), err=True)
        if output is not None:
            from roadmap.report.plan_workbook import write_plan_workbook

            write_plan_workbook(plan, out, force=force, protect=input_path, run=run)
            click.echo(f"Diagnosis written to {out}", err=True)
        raise InfeasibleError("no plan satisfies every hard limit (see the diagnosis above)")
    app.require_plan(plan, run.time_limit)
    sheets = []
    if marginal:
        sheets.append(app.marginal_sheet(plan, options, progress=not quiet))
    written, facts = app.write_plan_outputs(
        plan,
        out,
        run=run,
        exports=extra,
        force=force,
        protect=input_path,
        today=today.date() if today is not None else None,
        extra_sheets=sheets,
        csv_delimiter=csv_delimiter,
    )
    if quiet:
        return
    lines = summary_lines(plan, facts)
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        click.echo(f"{key:<{width}}  {value}")
    if plan.report.status is SolveStatus.FEASIBLE:
        click.echo(
            "Note: stopped at the time limit; the plan is the best found, not proven optimal."
        )
    _wrote(written)


def _wrote(paths: list[Path]) -> None:
    for path in paths:
        click.echo(f"Wrote {path}")
