"""``roadmap slides``: the plan as a board sees it: an editable deck, a picture, a web page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from roadmap.cli.common import debug_option, force_option, handle_errors
from roadmap.input.board_data import LANE_KINDS


def default_output(plan_path: Path) -> Path:
    return plan_path.with_name(f"{plan_path.stem}-slides.pptx")


@click.command(
    "slides",
    short_help="The plan as an editable deck, a picture or a web page for the board.",
    epilog="""\b
Examples:
  roadmap slides plan.xlsx -o roadmap.pptx
  roadmap slides plan.xlsx -o roadmap.pptx --export png --export html
  roadmap slides plan.xlsx --lanes team --today 2027-08-15 --force
  roadmap slides scenarios.xlsx -o board.pptx
""",
)
@click.argument("plan_path", metavar="PLAN", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Deck to write (.pptx) [default: PLAN-slides.pptx beside the plan].",
)
@click.option(
    "--export",
    "exports",
    type=click.Choice(["png", "svg", "html"]),
    multiple=True,
    help="Also write the roadmap as one picture (OUTPUT.png, OUTPUT.svg) or as a web page "
    "(OUTPUT.html, one file that opens without a network). Repeatable.",
)
@click.option(
    "--lanes",
    type=click.Choice(LANE_KINDS),
    default="function",
    show_default=True,
    help="One swimlane per owner function, accountable team, capability or funding pool.",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The date of the 'today' line and of Now / Next / Later [default: the day it runs].",
)
@force_option("Replace the output files if they exist.")
@debug_option
@handle_errors
def command(
    plan_path: Path,
    output: Path | None,
    exports: tuple[str, ...],
    lanes: str,
    today: datetime | None,
    force: bool,
    debug: bool,
) -> None:
    """Draw PLAN, a plan workbook written by `roadmap plan -o`, for a board or an executive
    committee: an editable PowerPoint deck of native shapes, text and charts (headline
    figures, the roadmap in swimlanes, Now / Next / Later, budget and capacity, what was left
    out and why, and the scenarios of an --all-scenarios workbook).

    The plan workbook is read, not re-solved: a plan the PMO has edited (statuses, actual
    dates) or last quarter's plan draws as it stands. Text is never smaller than 10 pt; the
    roadmap continues on further slides instead. Exit codes: 0 written; 2 the file is not a
    plan workbook, a cell does not read (the message names sheet and cell), an output is
    refused, or the slides extra is missing. The plan is only read.
    """
    from roadmap.board.files import export_paths, require, write_board
    from roadmap.input.board_reader import read_plan_picture
    from roadmap.runtime.outputs import claim_outputs

    deck = output or default_output(plan_path)
    if deck.suffix.lower() != ".pptx":
        raise click.BadParameter(f"{deck} should end in .pptx", param_hint="-o")
    require(["pptx", *exports])
    extra = export_paths(deck, exports)
    claim_outputs([deck, *extra.values()], force=force, protect=[plan_path])
    picture = read_plan_picture(plan_path)
    for note in picture.notes:
        click.echo(f"Note: {note}", err=True)
    written = write_board(
        picture,
        deck=deck,
        exports=extra,
        lanes_by=lanes,
        today=today.date() if today else None,
        force=force,
        protect=plan_path,
    )
    for path in written:
        click.echo(f"Wrote {path}")
