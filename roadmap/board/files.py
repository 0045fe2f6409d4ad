"""Writing the board's files: the deck and, on request, the picture (PNG, SVG) and the web page,
each through the one output guard (atomic, never an input, never an existing file without
--force). python-pptx and matplotlib are an optional extra; without them the command says which
pip command adds them (exit 2) instead of failing with a traceback."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from roadmap.errors import RoadmapError
from roadmap.input.board_data import PlanPicture

EXPORTS = ("png", "svg", "html")
EXTRA = "pip install 'roadmap[slides]'"
_NEEDS = {"pptx": ("pptx", "python-pptx"), "png": ("matplotlib", "matplotlib")}


class MissingExtra(RoadmapError):
    """A format needs a package of the optional ``slides`` extra, which is not installed."""

    exit_code = 2


def require(kinds: list[str] | tuple[str, ...]) -> None:
    """Refuse (before any work) a format whose library is missing, naming the pip command."""
    for kind in kinds:
        module, package = _NEEDS.get(kind, ("", ""))
        if module and importlib.util.find_spec(module) is None:
            raise MissingExtra(
                f"writing {kind.upper()} needs the Python package {package}, which is not "
                f"installed. Install the slides extra: {EXTRA}"
            )


def export_paths(deck: Path, kinds: tuple[str, ...] | list[str]) -> dict[str, Path]:
    """OUTPUT.png, OUTPUT.svg, OUTPUT.html beside the deck (or the plan workbook)."""
    return {k: deck.with_suffix(f".{k}") for k in dict.fromkeys(kinds)}


def write_board(
    picture: PlanPicture,
    *,
    deck: Path | None,
    exports: Mapping[str, Path],
    lanes_by: str = "function",
    today: date | None = None,
    force: bool = False,
    protect: Path | None = None,
) -> list[Path]:
    """Write the deck (unless ``deck`` is None) and every export asked for; the paths written."""
    from roadmap.runtime.outputs import write_output

    today = today or date.today()
    written: list[Path] = []
    if deck is not None:
        from roadmap.board.deck import build_deck, save_deck

        prs = build_deck(picture, lanes_by=lanes_by, today=today)
        written.append(
            write_output(deck, lambda tmp: save_deck(prs, tmp), force=force, protect=[protect])
        )
    if "png" in exports or "svg" in exports:
        from roadmap.board.geometry import roadmap_pages

        page = roadmap_pages(picture, lanes_by=lanes_by, today=today, page_height=None)[0]
        if "png" in exports:
            from roadmap.board.picture import write_png

            written.append(
                write_output(
                    exports["png"], lambda tmp: write_png(page, tmp), force=force, protect=[protect]
                )
            )
        if "svg" in exports:
            from roadmap.board.svg import page_svg

            text = page_svg(page)
            written.append(
                write_output(
                    exports["svg"],
                    lambda tmp: Path(tmp).write_text(text, encoding="utf-8"),
                    force=force,
                    protect=[protect],
                )
            )
    if "html" in exports:
        from roadmap.board.page import page_html

        html = page_html(picture, lanes_by=lanes_by, today=today)
        written.append(
            write_output(
                exports["html"],
                lambda tmp: Path(tmp).write_text(html, encoding="utf-8"),
                force=force,
                protect=[protect],
            )
        )
    return written
