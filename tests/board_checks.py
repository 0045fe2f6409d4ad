"""Independent checks of a board deck, read back with python-pptx: what a reviewer would check
by hand (every initiative once, at its dates; no text over other text; nothing under 10 pt;
charts that are charts)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

PT = 12700  # EMU per point


def shapes_pt(shape) -> tuple[float, float, float, float]:
    return (shape.left / PT, shape.top / PT, shape.width / PT, shape.height / PT)


def text_boxes(slide) -> list:
    return [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]


def overlapping_text(slide, tolerance: float = 0.05) -> list[tuple[str, str]]:
    boxes = [(s.name, shapes_pt(s)) for s in text_boxes(slide)]
    found = []
    for i, (na, (xa, ya, wa, ha)) in enumerate(boxes):
        for nb, (xb, yb, wb, hb) in boxes[i + 1 :]:
            if (
                xa < xb + wb - tolerance
                and xb < xa + wa - tolerance
                and ya < yb + hb - tolerance
                and yb < ya + ha - tolerance
            ):
                found.append((na, nb))
    return found


def font_sizes(prs) -> list[tuple[int, str, float]]:
    """(slide number, text, size in pt) of every run with text, in text boxes, tables and
    charts (a chart's own text size)."""
    out = []
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if getattr(shape, "has_table", False) and shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for tf in frames:
                for p in tf.paragraphs:
                    for r in p.runs:
                        if r.text.strip():
                            out.append((n, r.text, r.font.size.pt if r.font.size else 18.0))
            if getattr(shape, "has_chart", False) and shape.has_chart:
                size = shape.chart.font.size
                out.append((n, f"chart {shape.name}", size.pt if size else 10.0))
    return out


def roadmap_slides(prs) -> list:
    return [s for s in prs.slides if any(sh.name.startswith("Build ") for sh in s.shapes)]


def axis_of(slide) -> tuple[float, float]:
    """(x0, x1) of the time axis: the horizontal rule under the axis labels."""
    rules = [
        s for s in slide.shapes if s.name == "grid line" and s.height == 0 and s.width > 300 * PT
    ]
    assert rules, "no axis rule on the roadmap slide"
    rule = rules[0]
    return rule.left / PT, (rule.left + rule.width) / PT


def bar_dates(prs, plan_start: date, plan_end: date) -> dict[str, tuple[date, date]]:
    """Each build bar's (start, go-live) read back from its position on the time axis; bars
    that appear twice are reported by raising."""
    found: dict[str, tuple[date, date]] = {}
    span = (plan_end - plan_start).days
    for slide in roadmap_slides(prs):
        x0, x1 = axis_of(slide)
        for s in slide.shapes:
            if not s.name.startswith("Build "):
                continue
            iid = s.name[len("Build ") :]
            assert iid not in found, f"{iid} is drawn twice"
            left, _, width, _ = shapes_pt(s)
            start = plan_start + timedelta(days=round((left - x0) / (x1 - x0) * span))
            end = plan_start + timedelta(days=round((left + width - x0) / (x1 - x0) * span))
            found[iid] = (start, end - timedelta(days=1))
    return found


def open_deck(path: Path):
    return Presentation(str(path))


__all__ = ["Emu", "bar_dates", "font_sizes", "open_deck", "overlapping_text", "roadmap_slides"]
