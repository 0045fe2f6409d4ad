"""``roadmap validate``: read the input workbook and list every problem with its cell."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.cli.common import debug_option, format_findings, handle_errors, summarise_findings

# what each command reads the workbook for (the reader's purpose)
PURPOSES = {"plan": "plan", "frontier": "plan", "risk": "plan", "roi": "roi"}


@click.command(
    "validate",
    epilog="""\b
Examples:
  roadmap validate samples/retail-d2c.xlsx
  roadmap validate my-portfolio.xlsx --strict
  roadmap validate --for roi business-cases.xlsx
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit code 2).")
@click.option(
    "--for",
    "command_name",
    type=click.Choice(sorted(PURPOSES)),
    default="plan",
    show_default=True,
    help="The command the workbook is meant for: roi needs only Settings and Initiatives (and "
    "Cash flows when used), so the sheets only the optimizer reads may be absent; the findings "
    "are exactly those that command counts.",
)
@debug_option
@handle_errors
def command(input_path: Path, strict: bool, command_name: str, debug: bool) -> None:
    """Check the input workbook INPUT and list every problem found.

    Each problem names its cell (sheet, column and row) and says how to fix it. Exit code 0
    when the workbook can be planned (warnings allowed), 2 when it has errors (or, with
    --strict, any warning). The input file is only read, never changed. --for roi checks a
    workbook meant only for `roadmap roi` (no Capabilities, Teams, Staffing or Budget sheets).
    """
    from roadmap.domain import Severity
    from roadmap.input.reader import read_workbook

    portfolio, findings = read_workbook(input_path, purpose=PURPOSES[command_name])
    if findings:
        click.echo(format_findings(findings))
    errors = sum(f.severity is Severity.ERROR for f in findings)
    failing = errors + (len(findings) - errors if strict else 0)
    summary = summarise_findings(findings)
    if portfolio is not None and not failing:
        counts = (
            f"{len(portfolio.initiatives)} initiatives, {len(portfolio.teams)} teams, "
            f"{len(portfolio.capabilities)} capabilities"
        )
        use = f" for {command_name}" if command_name != "plan" else ""
        click.echo(f"{input_path.name} is valid{use} ({counts}): {summary}.")
        return
    reason = " (--strict: warnings count)" if strict and not errors else ""
    click.echo(f"{input_path.name} is not valid: {summary}{reason}.")
    raise SystemExit(2)
