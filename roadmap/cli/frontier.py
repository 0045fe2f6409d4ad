"""``roadmap frontier``: the best plan's value at each budget level."""

from __future__ import annotations

from pathlib import Path

import click

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
)


class Share(click.ParamType):
    """A budget level: 50%, 0.5 or 50 (a bare number above 5 is a percentage)."""

    name = "percent"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, float):
            return value
        text = str(value).strip()
        try:
            if text.endswith("%"):
                return float(text[:-1]) / 100.0
            number = float(text)
        except ValueError:
            self.fail(f"{value!r} is not a budget level such as 80% or 0.8", param, ctx)
        return number / 100.0 if number > 5 else number


@click.command(
    "frontier",
    short_help="Best plan value at each budget level: the efficient frontier.",
    epilog="""\b
Examples:
  roadmap frontier samples/retail-d2c.xlsx
  roadmap frontier samples/retail-d2c.xlsx -o frontier.xlsx --from 60% --to 140% --steps 9
  roadmap frontier my-portfolio.xlsx -o frontier.xlsx --time-limit 20 --jobs 2 --force
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@output_option("Write the Frontier sheet (table and chart) to this workbook (.xlsx).")
@click.option(
    "--from", "start", type=Share(), default="50%", show_default=True, help="Lowest budget level."
)
@click.option(
    "--to", "stop", type=Share(), default="150%", show_default=True, help="Highest budget level."
)
@click.option(
    "--steps",
    type=click.IntRange(2, 101),
    default=11,
    show_default=True,
    help="Number of budget levels, evenly spaced.",
)
@solver_option
@time_limit_option("Seconds per budget level [default: the Settings sheet's solver time limit].")
@gap_option
@jobs_option("Levels solved at once, one process each [default: one per CPU].")
@solver_log_option
@executor_option
@quiet_option("No progress; the table and errors only.")
@force_option()
@debug_option
@handle_errors
def command(
    input_path: Path,
    output: Path | None,
    start: float,
    stop: float,
    steps: int,
    solver: str | None,
    time_limit: float | None,
    gap: float | None,
    jobs: int | None,
    solver_log: Path | None,
    executor: str | None,
    quiet: bool,
    force: bool,
    debug: bool,
) -> None:
    """Solve the portfolio in INPUT at several budget levels (every budget row scaled alike) and
    show the best value reached at each: the efficient frontier.

    Each level lists the initiatives that enter or leave and the marginal value of the step
    (objective gained per unit of extra budget). A lower budget never shows a higher value: a
    plan found at a lower level is reported at a higher one when the solver stopped (at its
    gap or time limit) with something worse there; the proven bound is shown beside it.
    The input file is only read, never changed.
    """
    from roadmap.analysis.frontier import frontier
    from roadmap.excel.writing import save_atomic
    from roadmap.input.reader import load_portfolio
    from roadmap.optimize.options import SolveOptions
    from roadmap.report.frontier import format_frontier, frontier_workbook

    if not 0 <= start < stop:
        raise click.BadParameter(
            f"the range must rise: --from {start:.0%} is not below --to {stop:.0%}",
            param_hint="--from/--to",
        )
    if output is not None and output.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{output} should end in .xlsx", param_hint="-o")
    from roadmap.runtime.outputs import claim_outputs

    claim_outputs([output], force=force, protect=[input_path])
    portfolio, warnings = load_portfolio(input_path)
    if warnings:
        click.echo(
            f"{len(warnings)} warning(s) in {input_path.name}; see `roadmap validate`.", err=True
        )
    with executor_for_option(executor, jobs) as runner:
        points = frontier(
            portfolio,
            start=start,
            stop=stop,
            steps=steps,
            options=SolveOptions(solver=solver, time_limit=time_limit, gap=gap, log=solver_log),
            jobs_n=jobs,
            progress=not quiet,
            executor=runner,
        )
    click.echo(format_frontier(points))
    if output is not None:
        wb = frontier_workbook(points, portfolio.settings.currency)
        save_atomic(wb, output, force=force, protect=input_path)
        click.echo(f"Wrote {output}")
