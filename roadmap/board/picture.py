"""The roadmap page as a PNG, drawn with matplotlib's Agg renderer from the same shapes as the
deck and the SVG. matplotlib ships DejaVu Sans, the font the labels were measured in, so the
picture looks the same on every machine and needs no system library or network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from roadmap.board.geometry import Diamond, Label, Line, Page, Rect
from roadmap.board.svg import baselines

DPI = 200  # a 960 x 540 pt page becomes 2667 x 1500 pixels: sharp on a projector and in print


def _colour(hex6: str | None) -> str:
    return "none" if hex6 is None else f"#{hex6}"


def write_png(page: Page, path: Path, dpi: int = DPI) -> None:
    """Draw ``page`` into a PNG file at ``path``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon
    from matplotlib.patches import Rectangle as MplRect

    fig = Figure(figsize=(page.width / 72, page.height / 72), dpi=dpi, facecolor="white")
    ax: Any = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, page.width)
    ax.set_ylim(page.height, 0)  # points from the top, as the deck and the SVG count them
    ax.set_axis_off()
    for z, shape in enumerate(page.shapes):
        if isinstance(shape, Rect):
            b = shape.box
            ax.add_patch(
                MplRect(
                    (b.x, b.y),
                    b.w,
                    b.h,
                    facecolor=_colour(shape.fill),
                    edgecolor=_colour(shape.line),
                    linewidth=0.75 if shape.line else 0,
                    zorder=z,
                )
            )
        elif isinstance(shape, Diamond):
            b = shape.box
            cx, cy = b.x + b.w / 2, b.y + b.h / 2
            ax.add_patch(
                Polygon(
                    [(cx, b.y), (b.right, cy), (cx, b.bottom), (b.x, cy)],
                    closed=True,
                    facecolor=_colour(shape.fill),
                    edgecolor=_colour(shape.line),
                    linewidth=1,
                    zorder=z,
                )
            )
        elif isinstance(shape, Line):
            ax.plot(
                [shape.x1, shape.x2],
                [shape.y1, shape.y2],
                color=_colour(shape.colour),
                linewidth=shape.width,
                linestyle=(0, (4, 3)) if shape.dash else "-",
                solid_capstyle="butt",
                zorder=z,
            )
        elif isinstance(shape, Label):
            _text(ax, shape, z)
    fig.savefig(path, dpi=dpi, format="png", facecolor="white", metadata={"Software": None})


def _text(ax: Any, label: Label, z: int) -> None:
    b = label.box
    x = {"l": b.x, "c": b.x + b.w / 2, "r": b.right}[label.align]
    ha = {"l": "left", "c": "center", "r": "right"}[label.align]
    for line, y in zip(label.lines, baselines(label), strict=True):
        ax.text(
            x,
            y,
            line,
            fontsize=label.size,
            fontfamily="DejaVu Sans",
            fontweight="bold" if label.bold else "normal",
            color=f"#{label.colour}",
            ha=ha,
            va="baseline",
            zorder=z,
        )
