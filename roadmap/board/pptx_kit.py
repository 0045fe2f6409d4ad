"""Drawing on a python-pptx slide: the geometry's shapes as native, editable PowerPoint shapes
(rectangles, diamonds, lines and text boxes, never a picture), and the few helpers every slide
uses. Positions are in points from the slide's top left, as ``board.geometry`` measures them."""

from __future__ import annotations

from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from roadmap.board.geometry import Box, Diamond, Label, Line, Page, Rect, Shape
from roadmap.board.text import LINE

FONT = "Arial"
_ALIGN = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}


def rgb(hex6: str) -> RGBColor:
    return RGBColor.from_string(hex6)


def _plain(shape: Any, fill: str | None, line: str | None, width: float = 0.75) -> None:
    if fill is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(fill)
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(width)
    _no_theme_style(shape)


def _no_theme_style(shape: Any) -> None:
    """Drop the theme style python-pptx gives new shapes: its effect reference draws a shadow
    in Impress (an empty effect list is not enough there), and its font colour is white."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def add_rect(slide: Any, r: Rect, name: str = "") -> Any:
    b = r.box
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(b.x), Pt(b.y), Pt(b.w), Pt(b.h))
    _plain(shape, r.fill, r.line)
    shape.name = name or f"{r.role} {r.key}".strip()
    return shape


def add_diamond(slide: Any, d: Diamond) -> Any:
    b = d.box
    shape = slide.shapes.add_shape(MSO_SHAPE.DIAMOND, Pt(b.x), Pt(b.y), Pt(b.w), Pt(b.h))
    _plain(shape, d.fill, d.line, 1.0)
    shape.name = f"Go-live {d.key}".strip() if d.key else "Legend diamond"
    return shape


def add_line(slide: Any, ln: Line) -> Any:
    conn = slide.shapes.add_connector(
        MSO_CONNECTOR.STRAIGHT, Pt(ln.x1), Pt(ln.y1), Pt(ln.x2), Pt(ln.y2)
    )
    conn.line.color.rgb = rgb(ln.colour)
    conn.line.width = Pt(ln.width)
    if ln.dash:
        conn.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    _no_theme_style(conn)
    conn.name = f"{ln.role} line".strip()
    return conn


def add_text(
    slide: Any,
    box: Box,
    lines: list[str] | tuple[str, ...],
    size: float,
    *,
    bold: bool = False,
    colour: str = "1A1A1A",
    align: str = "l",
    name: str = "",
    anchor: Any = MSO_ANCHOR.MIDDLE,
) -> Any:
    """A text box exactly at ``box``: no insets, no wrapping and no autofit, so it shows what was
    measured and nothing moves when the deck is opened in another program."""
    tb = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
    tf = tb.text_frame
    tf.word_wrap = False
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
    tf.vertical_anchor = anchor
    for k, text in enumerate(lines):
        p = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
        p.alignment = _ALIGN[align]
        p.line_spacing = Pt(size * LINE)
        run = p.add_run()
        run.text = text
        font = run.font
        font.name = FONT
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = rgb(colour)
    if name:
        tb.name = name
    return tb


def add_label(slide: Any, label: Label) -> Any:
    name = f"Label {label.key}" if label.role == "bar" else f"{label.role} text"
    return add_text(
        slide,
        label.box,
        label.lines,
        label.size,
        bold=label.bold,
        colour=label.colour,
        align=label.align,
        name=name,
    )


def draw_shape(slide: Any, shape: Shape) -> Any:
    if isinstance(shape, Rect):
        names = {"build": "Build", "ramp": "Ramp-up", "band": "Lane"}
        name = f"{names[shape.role]} {shape.key}" if shape.role in names else ""
        return add_rect(slide, shape, name)
    if isinstance(shape, Diamond):
        return add_diamond(slide, shape)
    if isinstance(shape, Line):
        return add_line(slide, shape)
    return add_label(slide, shape)


def draw_page(slide: Any, page: Page) -> None:
    for shape in page.shapes:
        draw_shape(slide, shape)


def set_notes(slide: Any, lines: list[str] | tuple[str, ...]) -> None:
    if lines:
        slide.notes_slide.notes_text_frame.text = "\n".join(lines)
