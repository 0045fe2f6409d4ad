"""``roadmap validate``: read the input workbook and list every problem with its cell."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.cli.common import debug_option, format_findings, handle_errors, summarise_findings


@click.command(
    "validate",
    epilog="""\b
Examples:
  roadmap validate samples/retail-d2c.xlsx
  roadmap validate my-portfolio.xlsx --strict
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit code 2).")
@debug_option
@handle_errors
def command(input_path: Path, strict: bool, debug: bool) -> None:
    """Check the input workbook INPUT and list every problem found.

    Each problem names its cell (sheet, column and row) and says how to fix it. Exit code 0
    when the workbook can be planned (warnings allowed), 2 when it has errors (or, with
    --strict, any warning). The input file is only read, never changed.
    """
    from roadmap.domain import Severity
    from roadmap.input.reader import read_workbook

    portfolio, findings = read_workbook(input_path)
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
        click.echo(f"{input_path.name} is valid ({counts}): {summary}.")
        return
    reason = " (--strict: warnings count)" if strict and not errors else ""
    click.echo(f"{input_path.name} is not valid: {summary}{reason}.")
    raise SystemExit(2)
