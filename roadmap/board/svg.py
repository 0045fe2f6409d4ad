"""The roadmap page as SVG, written directly: text stays text (searchable, selectable, sharp at
any zoom), every initiative's shapes share a group with its ID, so the web page can attach
hover details and lane filters to them."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from roadmap.board.geometry import Box, Diamond, Label, Line, Page, Rect, Shape
from roadmap.board.text import LINE

FONT = "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif"


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _rect(r: Rect) -> str:
    fill = f"#{r.fill}" if r.fill else "none"
    stroke = f' stroke="#{r.line}" stroke-width="0.75"' if r.line else ""
    b = r.box
    return (
        f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" height="{_n(b.h)}" '
        f'fill="{fill}"{stroke}/>'
    )


def _diamond(d: Diamond) -> str:
    b = d.box
    cx, cy = b.x + b.w / 2, b.y + b.h / 2
    points = f"{_n(cx)},{_n(b.y)} {_n(b.right)},{_n(cy)} {_n(cx)},{_n(b.bottom)} {_n(b.x)},{_n(cy)}"
    return f'<polygon points="{points}" fill="#{d.fill}" stroke="#{d.line}" stroke-width="1"/>'


def _line(ln: Line) -> str:
    dash = ' stroke-dasharray="4 3"' if ln.dash else ""
    return (
        f'<line x1="{_n(ln.x1)}" y1="{_n(ln.y1)}" x2="{_n(ln.x2)}" y2="{_n(ln.y2)}" '
        f'stroke="#{ln.colour}" stroke-width="{_n(ln.width)}"{dash}/>'
    )


def baselines(label: Label) -> list[float]:
    """The baseline of each line of ``label``, centred in its box as a whole."""
    step = label.size * LINE
    first = label.box.y + (label.box.h - step * len(label.lines)) / 2
    # the baseline sits about 0.8 of the line's height below its top (ascent + half leading)
    return [first + step * k + label.size * 0.95 for k in range(len(label.lines))]


def _label(label: Label) -> str:
    b: Box = label.box
    anchor = {"l": "start", "c": "middle", "r": "end"}[label.align]
    x = {"l": b.x, "c": b.x + b.w / 2, "r": b.right}[label.align]
    weight = ' font-weight="bold"' if label.bold else ""
    parts = []
    for line, y in zip(label.lines, baselines(label), strict=True):
        parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(label.size)}"{weight} '
            f'fill="#{label.colour}" text-anchor="{anchor}">{escape(line)}</text>'
        )
    if label.full:
        parts.insert(0, f"<title>{escape(label.full)}</title>")
    return "".join(parts)


def shape_svg(shape: Shape) -> str:
    if isinstance(shape, Rect):
        return _rect(shape)
    if isinstance(shape, Diamond):
        return _diamond(shape)
    if isinstance(shape, Line):
        return _line(shape)
    return _label(shape)


_LANE_PARTS = ("band", "lane", "build", "ramp", "milestone", "bar")


def page_svg(page: Page, *, element_ids: bool = False, standalone: bool = True) -> str:
    """The page as one SVG document. With ``element_ids`` (the web page) each lane is a
    ``<g class="lane" data-lane=… data-top=… data-height=…>`` (one per lane and layer: bands,
    bars, labels) holding ``<g class="bar" data-id="ID">`` per initiative; lines that span the lanes carry
    ``class="span"`` and the today label and legend sit in ``<g class="foot">``, so a script
    can hide lanes and close the gap."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(page.width)} '
        f'{_n(page.height)}" width="{_n(page.width)}pt" height="{_n(page.height)}pt" '
        f'font-family="{FONT}" role="img" aria-label={quoteattr(page.title)}>'
    )
    out = [head, f'<rect width="{_n(page.width)}" height="{_n(page.height)}" fill="#FFFFFF"/>']
    if not element_ids:
        out += [shape_svg(shape) for shape in page.shapes]
    else:
        out += _grouped(page)
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return prolog + "\n".join(out) + "\n</svg>\n"


def _grouped(page: Page) -> list[str]:
    lane_of = dict(page.lane_of)
    bands = {s.key: s.box for s in page.shapes if isinstance(s, Rect) and s.role == "band"}
    out: list[str] = []
    lane: str | None = None
    bar: str | None = None
    foot = False

    def close_bar() -> None:
        nonlocal bar
        if bar is not None:
            out.append("</g>")
            bar = None

    def close_lane() -> None:
        nonlocal lane
        close_bar()
        if lane is not None:
            out.append("</g>")
            lane = None

    for shape in page.shapes:
        role = shape.role
        key = getattr(shape, "key", "")
        mine = (
            key if role in ("band", "lane") else lane_of.get(key) if role in _LANE_PARTS else None
        )
        if mine is not None and mine in bands:
            if mine != lane:
                close_lane()
                lane = mine
                b = bands[mine]
                out.append(
                    f'<g class="lane" data-lane={quoteattr(mine)} data-top="{_n(b.y)}" '
                    f'data-height="{_n(b.h)}">'
                )
            if role in ("band", "lane"):
                close_bar()
            elif key != bar:
                close_bar()
                bar = key
                out.append(f'<g class="bar" data-id={quoteattr(key)}>')
            out.append(shape_svg(shape))
            continue
        close_lane()
        if isinstance(shape, Line) and role in ("grid", "today") and shape.y2 > shape.y1 + 20:
            out.append(
                shape_svg(shape).replace(
                    "<line ", f'<line class="span" data-y2="{_n(shape.y2)}" ', 1
                )
            )
            continue
        if not foot and role in ("today", "legend", "swatch"):
            out.append('<g class="foot">')
            foot = True
        out.append(shape_svg(shape))
    close_lane()
    if foot:
        out.append("</g>")
    return out
