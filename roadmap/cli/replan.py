"""``roadmap replan``: re-forecast from what the PMO reported.

Done work is done, work under way keeps its actual start and is continued only where its
remaining value is worth its remaining cost, the rest is re-optimised under what is left of the
budgets and capacity, and the new plan workbook gets a Status sheet against the plan handed out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from roadmap.cli.common import (
    debug_option,
    force_option,
    format_findings,
    gap_option,
    handle_errors,
    jobs_option,
    solver_option,
    time_limit_option,
)
from roadmap.cli.pmo import as_of_option

EXPORTS = ("mspdi", "csv")


@click.command(
    "replan",
    short_help="Re-forecast from what the PMO reported: a new plan with a Status sheet.",
    epilog="""\b
Examples:
  roadmap replan samples/retail-d2c.xlsx --progress plan.xlsx --as-of 2027-04-01 -o plan-q2.xlsx
  roadmap replan samples/retail-d2c.xlsx --progress tracked.xml -o plan-q2.xlsx --export mspdi
  roadmap replan my.xlsx --progress plan-q2.xlsx --as-of 2027-07-01 -o plan-q3.xlsx \\
      --write-input my-q3.xlsx
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--progress",
    "progress_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The plan workbook the PMO filled in, or MS Project XML saved after tracking.",
)
@as_of_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="New plan workbook [default: INPUT-plan-<status date>.xlsx beside the input].",
)
@click.option(
    "--write-input",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the input for the next cycle: plan start at the re-forecast, statuses "
    "and actual starts, budgets net of what is spent.",
)
@click.option(
    "--export",
    "exports",
    type=click.Choice(EXPORTS),
    multiple=True,
    help="Also write MS Project XML (with the baseline and the actuals) or milestones CSV.",
)
@click.option(
    "--csv-delimiter",
    type=click.Choice([",", ";", "tab", "|"]),
    default=",",
    show_default=True,
    help="Field separator of the milestones CSV.",
)
@solver_option
@time_limit_option()
@gap_option
@click.option("--threads", type=click.IntRange(min=0), help="Solver threads (0 = solver's choice).")
@jobs_option("Worker processes for the why-not re-solves [default: number of cores].")
@force_option("Replace the output files if they exist.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary; errors only.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
@debug_option
@handle_errors
def command(
    input_path: Path,
    progress_path: Path,
    as_of: date | None,
    output: Path | None,
    write_input: Path | None,
    exports: tuple[str, ...],
    csv_delimiter: str,
    solver: str | None,
    time_limit: float | None,
    gap: float | None,
    threads: int | None,
    jobs: int | None,
    force: bool,
    quiet: bool,
    today: Any,
    debug: bool,
) -> None:
    """Re-forecast INPUT from the progress in --progress at the status date --as-of.

    Done work is done; work under way keeps its actual start, with its remaining duration and
    remaining cost, and is continued only where what is still to come is worth what it still
    costs (what was spent is sunk); the rest is re-optimised under the remaining budgets and
    capacity. The new plan workbook has a Status sheet (baseline vs forecast, slip, spend,
    RAG, trend) after its Summary. INPUT and the progress file are only read.
    Exit codes: 0 written; 2 invalid input or implausible progress (every entry named);
    3 no feasible plan; 4 no plan within the time limit.
    """
    from roadmap.app.plan_run import RunOptions, export_paths, input_digest
    from roadmap.app.progress import read_progress, status_date
    from roadmap.app.replan import replan, write_replan_outputs
    from roadmap.cli.progress import SolveProgress
    from roadmap.input.reader import load_portfolio
    from roadmap.optimize.options import SolveOptions
    from roadmap.report.assumptions import RunInfo
    from roadmap.runtime.outputs import claim_outputs

    report = read_progress(progress_path)
    when = status_date(report, as_of)
    out = output or input_path.with_name(f"{input_path.stem}-plan-{when}.xlsx")
    for path, hint in ((out, "-o"), (write_input, "--write-input")):
        if path is not None and path.suffix.lower() != ".xlsx":
            raise click.BadParameter(f"{path} should end in .xlsx", param_hint=hint)
    extra = export_paths(out, exports)
    claim_outputs(
        [out, *extra.values(), write_input], force=force, protect=[input_path, progress_path]
    )
    portfolio, warnings = load_portfolio(input_path)
    if warnings and not quiet:
        click.echo(
            f"{len(warnings)} warning(s) in {input_path.name}; see roadmap validate.", err=True
        )
    options = RunOptions(
        solve=SolveOptions(solver=solver, time_limit=time_limit, gap=gap, threads=threads),
        jobs=jobs,
    )
    limit = time_limit if time_limit is not None else portfolio.settings.time_limit
    bar = SolveProgress(quiet, limit)
    try:
        result = replan(portfolio, report, when, options, progress=bar)
    finally:
        bar.done()
    if result.warnings and not quiet:
        click.echo(format_findings(list(result.warnings)), err=True)
    _no_plan(result.plan, limit)
    digest = input_digest(input_path)
    shown = (("progress", progress_path.name), ("status date", str(when)), *options.shown())
    run = RunInfo(input_path.name, digest, options=shown, time_limit=limit)
    written = write_replan_outputs(
        result,
        out,
        run=run,
        input_path=input_path,
        exports=extra,
        write_input=write_input,
        force=force,
        today=today.date() if today is not None else None,
        csv_delimiter=csv_delimiter,
    )
    if quiet:
        return
    _echo_summary(result)
    for path in written:
        click.echo(f"Wrote {path}")


def _no_plan(plan: Any, limit: float) -> None:
    from roadmap.cli.summary import diagnosis
    from roadmap.domain import SolveStatus
    from roadmap.errors import InfeasibleError, NoSolutionError, RoadmapError

    status = plan.report.status
    if status is SolveStatus.INFEASIBLE:
        click.echo(diagnosis(plan), err=True)
        raise InfeasibleError("no re-forecast satisfies every hard limit (see above)")
    if status is SolveStatus.NO_SOLUTION:
        raise NoSolutionError(
            f"no plan found within the time limit of {limit:g} s; give the solver more time "
            "with --time-limit"
        )
    if not status.has_plan:
        raise RoadmapError(f"the solver failed: {plan.report.message or status.value}")


def _echo_summary(result: Any) -> None:
    from roadmap.cli.summary import summary_lines

    lines = summary_lines(result.plan, result.facts)
    status = result.status
    rags: dict[str, int] = {}
    for line in status.initiatives:
        if line.rag:
            rags[line.rag] = rags.get(line.rag, 0) + 1
    states: dict[str, int] = {}
    for line in status.initiatives:
        states[line.state] = states.get(line.state, 0) + 1
    lines.append(("Status", ", ".join(f"{n} {s}" for s, n in sorted(states.items()))))
    lines.append(
        ("RAG", ", ".join(f"{rags.get(k, 0)} {k.lower()}" for k in ("Green", "Amber", "Red")))
    )
    if result.stopped:
        lines.append(("Stopped", ", ".join(result.stopped)))
    for h in status.headline:
        if h.kind == "date":
            lines.append(("Finish", f"{h.now} (baseline {h.baseline})"))
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        click.echo(f"{key:<{width}}  {value}")
