"""``roadmap template``: write an empty input workbook to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.cli.common import debug_option, force_option, handle_errors


@click.command(
    "template",
    epilog="""\b
Examples:
  roadmap template my-portfolio.xlsx
  roadmap template my-portfolio.xlsx --example
  roadmap template my-portfolio.xlsx --force
""",
)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@force_option("Overwrite PATH if it already exists.")
@click.option(
    "--example",
    is_flag=True,
    help="Fill one example row per sheet to show the expected shape (replace them with yours).",
)
@debug_option
@handle_errors
def command(path: Path, force: bool, example: bool, debug: bool) -> None:
    """Write a blank input workbook at PATH.

    Every sheet comes with its headers, a note on each header, drop-downs for choices and the
    default settings; the Instructions sheet explains each sheet and column.
    """
    from roadmap.input.template import example_tables, write_input_workbook
    from roadmap.runtime.outputs import claim_outputs

    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{path} should end in .xlsx", param_hint="PATH")
    claim_outputs([path], force=force)
    tables, settings = example_tables() if example else ({}, {})
    write_input_workbook(path, tables, settings, overwrite=force)
    what = "with one example row per sheet" if example else "blank"
    click.echo(f"Wrote {path} ({what}). Fill it in, then run: roadmap validate {path}")
