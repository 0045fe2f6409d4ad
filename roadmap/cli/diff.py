"""``roadmap diff``: what changed between two plan workbooks."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.cli.common import debug_option, force_option, handle_errors, output_option


@click.command(
    "diff",
    short_help="What changed between two plan workbooks.",
    epilog="""\b
Examples:
  roadmap diff plan-q1.xlsx plan-q2.xlsx
  roadmap diff plan-q1.xlsx plan-q2.xlsx -o changes.xlsx
  roadmap diff plan-q1.xlsx plan-q2.xlsx -o changes.xlsx --force
""",
)
@click.argument("old_path", metavar="OLD", type=click.Path(path_type=Path))
@click.argument("new_path", metavar="NEW", type=click.Path(path_type=Path))
@output_option("Also write the differences to this workbook (.xlsx).")
@force_option()
@debug_option
@handle_errors
def command(old_path: Path, new_path: Path, output: Path | None, force: bool, debug: bool) -> None:
    """Compare two plan workbooks written by `roadmap plan -o`: initiatives added, dropped and
    moved (old -> new start and go-live), and the change in the headline figures.

    Columns are found by their headers, so plans whose sheets were re-sorted still compare.
    Exit code 0 whether or not the plans differ; 2 when a file is not a plan workbook.
    Neither plan is changed.
    """
    from roadmap.analysis.diff import diff_plans
    from roadmap.excel.writing import save_atomic
    from roadmap.input.plan_workbook import read_snapshot
    from roadmap.report.diff import diff_workbook, format_diff
    from roadmap.runtime.outputs import claim_outputs

    if output is not None and output.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{output} should end in .xlsx", param_hint="-o")
    claim_outputs([output], force=force, protect=[old_path, new_path])
    old, new = read_snapshot(old_path), read_snapshot(new_path)
    result = diff_plans(old, new)
    click.echo(format_diff(result))
    if output is not None:
        save_atomic(diff_workbook(result), output, force=force, protect=old_path)
        click.echo(f"Wrote {output}")
