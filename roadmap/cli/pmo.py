"""``roadmap progress``: read and check what a PMO reported (the PMO round trip's first step;
``roadmap replan`` in ``cli/replan.py`` re-forecasts from it). The module is not called
``progress.py``: that name is the solver's progress bar."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from roadmap.cli.common import (
    debug_option,
    format_findings,
    handle_errors,
)

EXPORTS = ("mspdi", "csv")


def _as_of(_ctx: Any, _param: Any, value: datetime | None) -> date | None:
    return value.date() if value is not None else None


as_of_option = click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    callback=_as_of,
    help="The status date: progress is reported up to it and the re-forecast resumes from it "
    "[default: the MS Project file's status date].",
)


def _warn(findings: list, quiet: bool) -> None:
    if findings and not quiet:
        click.echo(format_findings(findings), err=True)


@click.command(
    "progress",
    short_help="Read and check what a PMO reported in a plan workbook or MS Project XML.",
    epilog="""\b
Examples:
  roadmap progress plan.xlsx --as-of 2027-04-01
  roadmap progress plan.xlsx --input samples/retail-d2c.xlsx --as-of 2027-04-01
  roadmap progress tracked.xml
""",
)
@click.argument("path", metavar="PLAN", type=click.Path(dir_okay=False, path_type=Path))
@as_of_option
@click.option(
    "--input",
    "input_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The input workbook the plan was made from: its calendar and initiatives are checked "
    "against too.",
)
@debug_option
@handle_errors
def progress_command(path: Path, as_of: date | None, input_path: Path | None, debug: bool) -> None:
    """Read what a PMO filled into PLAN (a plan workbook's Roadmap PMO columns and Milestones
    Status / Actual date, or an MS Project XML file's ActualStart, ActualFinish,
    PercentComplete, RemainingDuration and StatusDate), check it and echo what was read.

    Every implausible entry is an error naming its cell (or task UID): an actual date after the
    status date or outside the plan, a finish before a start, % complete outside 0-100 %, a
    milestone done whose predecessor is not, an ID not in the plan, progress on an initiative
    the plan did not select. Exit 0 when it all reads, 2 otherwise. Nothing is written.
    """
    from roadmap.app.progress import check_progress, read_progress, status_date
    from roadmap.progress.checks import summary_lines

    report = read_progress(path)
    when = status_date(report, as_of) if as_of or report.status_date else date.today()
    portfolio = None
    if input_path is not None:
        from roadmap.input.reader import load_portfolio

        portfolio, _ = load_portfolio(input_path)
    reported, warnings = check_progress(report, when, portfolio)
    _warn(warnings, False)
    click.echo(f"Progress in {report.source} at {when}:")
    for line in summary_lines(reported, report):
        click.echo(f"  {line}")
    states: dict[str, int] = {}
    for rep in reported.values():
        states[rep.state] = states.get(rep.state, 0) + 1
    counts = ", ".join(f"{n} {s}" for s, n in sorted(states.items()))
    click.echo(f"{len(report.selected)} initiatives in the plan; reported: {counts or 'nothing'}")


command = progress_command  # what the lazy loader registers as `roadmap progress`
