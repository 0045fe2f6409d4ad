"""The roadmap drawn once, in points, as a list of plain shapes that the deck, the picture and
the page each render: a time axis (fiscal years over quarters, or months for short plans), one
swimlane per lane, a bar per initiative (build dark, ramp-up light), go-live diamonds, a today
line and a legend.

Text is never set below ``MIN_PT``: when the lanes need more height than a slide has, they go on
further pages (``roadmap_pages``); the one-page picture is one tall page instead. Every label is
measured (``board.text``) and placed inside its bar, right of it or left of it, then bars and
their labels are packed into rows so that nothing overlaps; ``overlaps`` checks that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from roadmap.board.content import (
    LANE_TITLES,
    MONTHS,
    add_months,
    fiscal_start_month,
    fiscal_year,
    lanes,
    long_date,
    plan_name,
    status_tag,
    year_label,
)
from roadmap.board.text import LINE, shorten, text_width, wrap
from roadmap.input.board_data import Bar, PlanPicture

MIN_PT = 10.0  # no text smaller than this, anywhere
WIDTH, HEIGHT = 960.0, 540.0  # a 16:9 slide (13.333 x 7.5 in), in points
MARGIN = 24.0
LANE_LABEL_W = 118.0
X0 = MARGIN + LANE_LABEL_W + 8  # the time axis runs from X0 to X1
X1 = WIDTH - MARGIN
AXIS_TOP = 66.0
TIER_H = 16.0
LANES_TOP = AXIS_TOP + 2 * TIER_H + 4
ROW_H = 20.0
BAR_H = 14.0
LABEL_PT = 10.0
LANE_PT = 10.5
PAD = 4.0
GAP = 8.0  # between two items on a row
DIAMOND = 10.0
MAX_LABEL_W = 300.0
FOOT_H = 44.0  # the today label and the legend, under the lanes

# colours: each pair stays apart in greyscale (luminance build ~0.31, ramp-up ~0.82)
INK = "1A1A1A"
MUTED = "595959"
BUILD = "5B9BD5"
RAMP = "DEEBF7"
BAR_LINE = "2E75B6"
BAND = ("F2F2F2", "FFFFFF")
GRID = "D9D9D9"
GRID_YEAR = "A6A6A6"
TODAY = "C00000"
DONE = "262626"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, tolerance: float = 0.01) -> bool:
        return (
            self.x < other.right - tolerance
            and other.x < self.right - tolerance
            and self.y < other.bottom - tolerance
            and other.y < self.bottom - tolerance
        )


@dataclass(frozen=True)
class Rect:
    box: Box
    fill: str | None
    line: str | None = None
    role: str = ""  # band, build, ramp, swatch
    key: str = ""  # the initiative (or lane) it belongs to


@dataclass(frozen=True)
class Diamond:
    box: Box
    fill: str
    line: str
    role: str = "milestone"
    key: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 0.75
    dash: bool = False
    role: str = ""


@dataclass(frozen=True)
class Label:
    box: Box
    lines: tuple[str, ...]
    size: float
    bold: bool = False
    colour: str = INK
    align: str = "l"  # l, c, r
    role: str = ""  # title, subtitle, axis, lane, bar, today, legend
    key: str = ""
    full: str = ""  # the whole text when the label shows it shortened


Shape = Rect | Diamond | Line | Label


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    title: str
    shapes: tuple[Shape, ...]
    bars: tuple[str, ...] = ()  # initiative IDs drawn on this page
    lanes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    lane_of: tuple[tuple[str, str], ...] = ()  # initiative ID -> its lane

    def labels(self) -> list[Label]:
        return [s for s in self.shapes if isinstance(s, Label)]


# --- time axis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    start: date
    end: date  # exclusive
    label: str


@dataclass(frozen=True)
class TimeAxis:
    start: date
    end: date  # exclusive
    x0: float = X0
    x1: float = X1

    def x(self, day: date) -> float:
        span = (self.end - self.start).days
        share = (day - self.start).days / span if span > 0 else 0.0
        return self.x0 + min(1.0, max(0.0, share)) * (self.x1 - self.x0)


def ticks(picture: PlanPicture) -> tuple[list[Tick], list[Tick], str]:
    """(fiscal years, quarters or months, the unit of the lower tier)."""
    start, end = picture.plan_start, picture.plan_end
    month = fiscal_start_month(picture)
    months = (end.year - start.year) * 12 + end.month - start.month
    unit = "month" if months <= 18 else "quarter" if months <= 120 else "year"
    years: list[Tick] = []
    first = date(start.year - 1, month, 1)
    while first < end:
        nxt = add_months(first, 12)
        if nxt > start:
            number = fiscal_year(first, month) if month != 1 else first.year
            years.append(Tick(max(first, start), min(nxt, end), year_label(picture, number)))
        first = nxt
    lower: list[Tick] = []
    if unit != "year":
        step = 1 if unit == "month" else 3
        first = date(start.year - 1, month, 1)
        while first < end:
            nxt = add_months(first, step)
            if nxt > start:
                if unit == "month":
                    label = MONTHS[first.month - 1]
                else:
                    label = f"Q{((first.month - month) % 12) // 3 + 1}"
                lower.append(Tick(max(first, start), min(nxt, end), label))
            first = nxt
    return years, lower, unit


def _axis_shapes(picture: PlanPicture, axis: TimeAxis, lanes_bottom: float) -> list[Shape]:
    years, lower, _ = ticks(picture)
    shapes: list[Shape] = []
    tiers = [(years, AXIS_TOP, True)]
    if lower:
        tiers.append((lower, AXIS_TOP + TIER_H, False))
    for row, top, bold in tiers:
        for t in row:
            a, b = axis.x(t.start), axis.x(t.end)
            text = shorten(t.label, b - a - 4, MIN_PT, bold)
            if text:
                shapes.append(
                    Label(
                        Box(a + 2, top, b - a - 4, TIER_H), (text,), MIN_PT, bold, INK, "c", "axis"
                    )
                )
    for t in lower:
        x = axis.x(t.start)
        if x > axis.x0 + 0.5:
            shapes.append(Line(x, AXIS_TOP + TIER_H, x, lanes_bottom, GRID, 0.5, role="grid"))
    for t in years:
        x = axis.x(t.start)
        if x > axis.x0 + 0.5:
            shapes.append(Line(x, AXIS_TOP, x, lanes_bottom, GRID_YEAR, 1.0, role="grid"))
    shapes.append(Line(axis.x0, LANES_TOP - 2, axis.x1, LANES_TOP - 2, GRID_YEAR, 1.0, role="grid"))
    return shapes


# --- bars and rows ---------------------------------------------------------------------------


@dataclass
class _Item:
    """One initiative on a row: its bar, diamond and label, relative to the row's top."""

    bar: Bar
    shapes: list[Shape] = field(default_factory=list)
    left: float = 0.0
    right: float = 0.0


def _bar_item(picture: PlanPicture, bar: Bar, axis: TimeAxis) -> _Item:
    day = timedelta(days=1)
    xs, xl = axis.x(bar.start), axis.x(bar.go_live + day)
    xr = max(xl, axis.x(bar.ramp_end + day))
    item = _Item(bar)
    y = (ROW_H - BAR_H) / 2
    item.shapes.append(Rect(Box(xs, y, max(xl - xs, 1.0), BAR_H), BUILD, BAR_LINE, "build", bar.id))
    if xr > xl + 0.5:
        item.shapes.append(Rect(Box(xl, y, xr - xl, BAR_H), RAMP, BAR_LINE, "ramp", bar.id))
    tag = status_tag(picture, bar)
    done = tag == "done"
    half = DIAMOND / 2
    if bar.go_live + day <= picture.plan_end:
        item.shapes.append(
            Diamond(
                Box(xl - half, ROW_H / 2 - half, DIAMOND, DIAMOND),
                DONE if done else "FFFFFF",
                DONE,
                key=bar.id,
            )
        )
    text = bar.name + (f" · {tag}" if tag else "")
    width = text_width(text, LABEL_PT)
    inside = xl - half - xs - 2 * PAD
    top = (ROW_H - LABEL_PT * LINE) / 2
    label_h = LABEL_PT * LINE
    extent_left, extent_right = xs, max(xr, xl + half)
    if width <= inside:
        box = Box(xs + PAD, top, width, label_h)
    else:
        room_right = axis.x1 - (extent_right + PAD)
        room_left = xs - PAD - axis.x0
        # right of the bar when the whole label fits there, else left, else the wider side
        right = width <= room_right or (width > room_left and room_right >= room_left)
        if right:
            w = min(width, room_right, MAX_LABEL_W)
            box = Box(extent_right + PAD, top, w, label_h)
        else:
            w = min(width, room_left, MAX_LABEL_W)
            box = Box(xs - PAD - w, top, w, label_h)
    shown = shorten(text, box.w, LABEL_PT)
    if shown:
        box = Box(
            box.x if box.x >= xs else box.right - text_width(shown, LABEL_PT),
            box.y,
            text_width(shown, LABEL_PT),
            box.h,
        )
        item.shapes.append(
            Label(
                box,
                (shown,),
                LABEL_PT,
                False,
                INK,
                "l",
                "bar",
                bar.id,
                text if shown != text else "",
            )
        )
        extent_left, extent_right = min(extent_left, box.x), max(extent_right, box.right)
    item.left, item.right = extent_left, extent_right
    return item


def _pack(items: list[_Item]) -> list[list[_Item]]:
    """First fit: each item on the first row whose last item ends a gap before it starts."""
    rows: list[list[_Item]] = []
    for item in items:
        for row in rows:
            if row[-1].right + GAP <= item.left:
                row.append(item)
                break
        else:
            rows.append([item])
    return rows


@dataclass
class _Lane:
    name: str
    rows: list[list[_Item]]
    label: list[str]

    @property
    def label_height(self) -> float:
        return len(self.label) * LANE_PT * LINE + 2 * PAD

    def height(self, rows: int) -> float:
        return max(rows * ROW_H + 2 * PAD, self.label_height)


def _lanes(picture: PlanPicture, kind: str, axis: TimeAxis) -> list[_Lane]:
    out = []
    for name, bars in lanes(picture, kind):
        items = [_bar_item(picture, b, axis) for b in bars]
        label = wrap(name, LANE_LABEL_W - 2 * PAD, LANE_PT, True, lines=3)
        out.append(_Lane(name, _pack(items), label))
    return out


# --- pages -----------------------------------------------------------------------------------


def _legend(y: float) -> list[Shape]:
    shapes: list[Shape] = []
    x = X0
    entries: list[tuple[str, str]] = [
        ("build", "Build: start to go-live"),
        ("ramp", "Ramp-up to full benefits"),
        ("open", "Go-live"),
        ("done", "Go-live reached"),
        ("today", "Today"),
    ]
    for kind, text in entries:
        mid = y + 7
        if kind in ("build", "ramp"):
            fill = BUILD if kind == "build" else RAMP
            shapes.append(Rect(Box(x, y, 22, BAR_H), fill, BAR_LINE, "swatch"))
            x += 26
        elif kind in ("open", "done"):
            fill = DONE if kind == "done" else "FFFFFF"
            shapes.append(Diamond(Box(x + 1, mid - 5, DIAMOND, DIAMOND), fill, DONE, "swatch"))
            x += 14
        else:
            shapes.append(Line(x, y, x, y + BAR_H, TODAY, 1.5, True, "swatch"))
            x += 6
        w = text_width(text, MIN_PT)
        shapes.append(Label(Box(x, y, w, BAR_H), (text,), MIN_PT, False, MUTED, "l", "legend"))
        x += w + 18
    return shapes


def _today_shapes(axis: TimeAxis, today: date | None, bottom: float) -> list[Line | Label]:
    """A dashed line at today, with its date under the lanes; none when today is outside."""
    if today is None or not axis.start <= today < axis.end:
        return []
    x = axis.x(today)
    text = f"Today {long_date(today)}"
    w = text_width(text, MIN_PT)
    left = min(max(x - w / 2, axis.x0), axis.x1 - w)
    return [
        Line(x, LANES_TOP - 2, x, bottom, TODAY, 1.5, True, "today"),
        Label(Box(left, bottom + 2, w, MIN_PT * LINE), (text,), MIN_PT, False, TODAY, "l", "today"),
    ]


def _heading(picture: PlanPicture, kind: str, part: str) -> list[Shape]:
    title = "Roadmap" + (f" ({part})" if part else "")
    name = plan_name(picture)
    n = len(picture.bars)
    sub = f"{name}: {n} selected initiative{'s' * (n != 1)} by {LANE_TITLES[kind]}"
    span = picture.subtitle.split(", amounts")[0].strip()
    if span:
        sub += f", {span}"
    sub = shorten(sub, WIDTH - 2 * MARGIN, 12)
    return [
        Label(Box(MARGIN, 14, WIDTH - 2 * MARGIN, 26), (title,), 20, True, INK, "l", "title"),
        Label(Box(MARGIN, 42, WIDTH - 2 * MARGIN, 16), (sub,), 12, False, MUTED, "l", "subtitle"),
    ]


def _notes(picture: PlanPicture, bars: list[Bar], lane_of: dict[str, str]) -> tuple[str, ...]:
    lines = []
    for b in bars:
        tag = status_tag(picture, b)
        lines.append(
            f"{b.id} {b.name} ({lane_of[b.id]}{', ' + tag if tag else ''}): start "
            f"{b.start.isoformat()}, go-live {b.go_live.isoformat()}, ramp-up to "
            f"{b.ramp_end.isoformat()}"
        )
    return tuple(lines)


def roadmap_pages(
    picture: PlanPicture,
    *,
    lanes_by: str = "function",
    today: date | None = None,
    page_height: float | None = HEIGHT,
) -> list[Page]:
    """The roadmap on as many 16:9 pages as the lanes need (``page_height=None``: one page as
    tall as the content, for the picture and the web page)."""
    axis = TimeAxis(picture.plan_start, picture.plan_end)
    all_lanes = _lanes(picture, lanes_by, axis)
    room = None if page_height is None else page_height - LANES_TOP - FOOT_H - 6
    # each page: [(lane, first row, row count)]
    pages: list[list[tuple[_Lane, int, int]]] = [[]]
    used = 0.0
    for lane in all_lanes:
        first = 0
        while True:
            left = len(lane.rows) - first
            need = lane.height(left)
            if room is None or used + need <= room:
                pages[-1].append((lane, first, left))
                used += need
                break
            if pages[-1] and need <= room:  # the rest of the lane fits on a fresh page
                pages.append([])
                used = 0.0
                continue
            fit = int((room - used - 2 * PAD) // ROW_H)
            if fit < 1 or lane.label_height > room - used:
                if pages[-1]:
                    pages.append([])
                    used = 0.0
                    continue
                fit = 1  # a page too short for even one row still shows one
            pages[-1].append((lane, first, fit))
            first += fit
            pages.append([])
            used = 0.0
    pages = [p for p in pages if p]
    out = []
    for k, content in enumerate(pages):
        part = f"{k + 1} of {len(pages)}" if len(pages) > 1 else ""
        out.append(_page(picture, lanes_by, axis, content, part, today, page_height))
    return out


def _page(
    picture: PlanPicture,
    kind: str,
    axis: TimeAxis,
    content: list[tuple[_Lane, int, int]],
    part: str,
    today: date | None,
    page_height: float | None,
) -> Page:
    # drawn in layers: bands and lane names, grid, bars and diamonds, the today line, then
    # every text on top
    bands: list[Shape] = []
    marks: list[Shape] = []
    texts: list[Shape] = []
    y = LANES_TOP
    bars: list[Bar] = []
    lane_of: dict[str, str] = {}
    for n, (lane, first, count) in enumerate(content):
        h = lane.height(count)
        bands.append(
            Rect(Box(MARGIN, y, WIDTH - 2 * MARGIN, h), BAND[n % 2], None, "band", lane.name)
        )
        label = lane.label
        if first > 0:
            label = wrap(f"{lane.name} (continued)", LANE_LABEL_W - 2 * PAD, LANE_PT, True, 3)
        bands.append(
            Label(
                Box(MARGIN + PAD, y + PAD, LANE_LABEL_W - 2 * PAD, len(label) * LANE_PT * LINE),
                tuple(label),
                LANE_PT,
                True,
                INK,
                "l",
                "lane",
                lane.name,
                lane.name if " ".join(label) != lane.name else "",
            )
        )
        for r, row in enumerate(lane.rows[first : first + count]):
            top = y + PAD + r * ROW_H
            for item in row:
                bars.append(item.bar)
                lane_of[item.bar.id] = lane.name
                for s in item.shapes:
                    (texts if isinstance(s, Label) else marks).append(_moved(s, top))
        y += h
    lanes_bottom = y
    axis_shapes = _axis_shapes(picture, axis, lanes_bottom)
    grid = [s for s in axis_shapes if isinstance(s, Line)]
    axis_labels = [s for s in axis_shapes if not isinstance(s, Line)]
    today_line, today_label = _today_shapes(axis, today, lanes_bottom) or (None, None)
    height = page_height if page_height is not None else lanes_bottom + FOOT_H + 6
    shapes: list[Shape] = [*_heading(picture, kind, part), *bands, *grid, *marks]
    if today_line is not None and today_label is not None:
        shapes.append(today_line)
    shapes += [*texts, *axis_labels]
    if today_label is not None:
        shapes.append(today_label)
    shapes.extend(_legend(height - MARGIN - BAR_H + 4))
    return Page(
        WIDTH,
        height,
        "Roadmap" + (f" ({part})" if part else ""),
        tuple(shapes),
        tuple(b.id for b in bars),
        tuple(dict.fromkeys(lane.name for lane, _, _ in content)),
        _notes(picture, bars, lane_of),
        tuple(lane_of.items()),
    )


def _moved(shape: Shape, dy: float) -> Shape:
    if isinstance(shape, Line):
        return Line(
            shape.x1,
            shape.y1 + dy,
            shape.x2,
            shape.y2 + dy,
            shape.colour,
            shape.width,
            shape.dash,
            shape.role,
        )
    box = Box(shape.box.x, shape.box.y + dy, shape.box.w, shape.box.h)
    if isinstance(shape, Rect):
        return Rect(box, shape.fill, shape.line, shape.role, shape.key)
    if isinstance(shape, Diamond):
        return Diamond(box, shape.fill, shape.line, shape.role, shape.key)
    return Label(
        box,
        shape.lines,
        shape.size,
        shape.bold,
        shape.colour,
        shape.align,
        shape.role,
        shape.key,
        shape.full,
    )


def overlaps(page: Page) -> list[tuple[str, str]]:
    """Pairs of things that overlap and should not: two labels, or a label and another
    initiative's bar or diamond (a label inside its own bar is meant)."""
    labels = page.labels()
    marks = [s for s in page.shapes if isinstance(s, Rect | Diamond) and s.role != "band"]
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a.box.overlaps(b.box):
                found.append((f"{a.role}:{a.lines[0]}", f"{b.role}:{b.lines[0]}"))
        for m in marks:
            if (not a.key or m.key != a.key) and a.box.overlaps(m.box):
                found.append((f"{a.role}:{a.lines[0]}", f"{m.role}:{m.key}"))
    return found
