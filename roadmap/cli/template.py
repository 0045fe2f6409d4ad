"""``roadmap template``: write an empty input workbook to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.cli.common import debug_option, force_option, handle_errors


class OutputPathError(click.ClickException):
    exit_code = 2


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

    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{path} should end in .xlsx", param_hint="PATH")
    if not path.parent.is_dir():
        raise OutputPathError(f"Folder {path.parent} does not exist; create it first.")
    if path.exists() and not force:
        raise OutputPathError(
            f"{path} already exists. Use --force to overwrite it, or choose another name."
        )
    tables, settings = example_tables() if example else ({}, {})
    try:
        write_input_workbook(path, tables, settings, overwrite=force)
    except PermissionError as exc:
        raise click.ClickException(
            f"Cannot write {path}: permission denied ({exc.strerror}). Close it in Excel if it "
            "is open, or choose another folder."
        ) from None
    what = "with one example row per sheet" if example else "blank"
    click.echo(f"Wrote {path} ({what}). Fill it in, then run: roadmap validate {path}")
