"""The board deck: an editable 16:9 PowerPoint file built from native shapes, text and charts.

Slides, in order: the headline figures; the roadmap (as many slides as the lanes need, text
never under 10 pt); Now / Next / Later; budget by fiscal year and team capacity used (native
charts); what was left out and why (the top ten by value lost); for an ``--all-scenarios``
workbook, the scenarios side by side. Every slide's notes hold the full text of what the slide
shortens.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Pt

from roadmap.board.content import (
    Horizons,
    headline_tiles,
    horizons,
    money,
    month_year,
    percent,
    plan_name,
    status_tag,
    top_left_out,
)
from roadmap.board.geometry import (
    BAR_LINE,
    BUILD,
    GRID_YEAR,
    HEIGHT,
    INK,
    MARGIN,
    MIN_PT,
    MUTED,
    RAMP,
    WIDTH,
    Box,
    Rect,
    roadmap_pages,
)
from roadmap.board.pptx_kit import FONT, add_rect, add_text, draw_page, rgb, set_notes
from roadmap.board.text import LINE, shorten, text_width, wrap
from roadmap.input.board_data import Bar, Headline, PlanPicture

TITLE_PT, SUB_PT, BODY_PT = 20.0, 12.0, 11.0
INNER = WIDTH - 2 * MARGIN
TILE_FILL = "F2F2F2"


def build_deck(
    picture: PlanPicture, *, lanes_by: str = "function", today: date | None = None
) -> Any:
    """The deck in memory (a python-pptx ``Presentation``)."""
    today = today or date.today()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(WIDTH), Pt(HEIGHT)
    prs.core_properties.title = f"Roadmap: {plan_name(picture)}"
    prs.core_properties.subject = "Portfolio roadmap for the board"
    blank = prs.slide_layouts[6]
    _title_slide(prs.slides.add_slide(blank), picture)
    for page in roadmap_pages(picture, lanes_by=lanes_by, today=today):
        slide = prs.slides.add_slide(blank)
        draw_page(slide, page)
        set_notes(slide, page.notes)
    _now_next_later(prs, blank, picture, horizons(picture, today))
    if picture.years or picture.teams:
        _money_and_people(prs.slides.add_slide(blank), picture)
    if picture.left_out:
        _left_out(prs.slides.add_slide(blank), picture)
    if picture.scenarios:
        _scenarios(prs, blank, picture)
    return prs


def save_deck(prs: Any, path: Path) -> None:
    prs.save(str(path))


def _heading(slide: Any, title: str, subtitle: str = "") -> float:
    add_text(slide, Box(MARGIN, 14, INNER, 26), [title], TITLE_PT, bold=True, name="Title")
    if subtitle:
        sub = shorten(subtitle, INNER, SUB_PT)
        add_text(slide, Box(MARGIN, 42, INNER, 16), [sub], SUB_PT, colour=MUTED, name="Subtitle")
    return 70.0


# --- title -----------------------------------------------------------------------------------


def _title_slide(slide: Any, picture: PlanPicture) -> None:
    name = plan_name(picture)
    add_text(
        slide,
        Box(MARGIN, 40, INNER, 40),
        [f"Roadmap: {shorten(name, INNER - 160, 30, True)}"],
        30,
        bold=True,
        name="Title",
    )
    span = picture.subtitle or ""
    add_text(
        slide,
        Box(MARGIN, 84, INNER, 20),
        [shorten(f"{span} · from {picture.source}", INNER, 14)],
        14,
        colour=MUTED,
        name="Subtitle",
    )
    tiles = headline_tiles(picture)
    cols, gap = 3, 16.0
    w = (INNER - gap * (cols - 1)) / cols
    h = 112.0
    top = 130.0
    for k, tile in enumerate(tiles):
        x = MARGIN + (k % cols) * (w + gap)
        y = top + (k // cols) * (h + gap)
        add_rect(slide, Rect(Box(x, y, w, h), TILE_FILL, None, "tile"), f"Tile {tile.label}")
        add_text(
            slide,
            Box(x + 14, y + 12, w - 28, 18),
            [shorten(tile.label, w - 28, 13)],
            13,
            colour=MUTED,
            name=f"Tile label {tile.label}",
        )
        add_text(
            slide,
            Box(x + 14, y + 34, w - 28, 40),
            [shorten(tile.value, w - 28, 30, True)],
            30,
            bold=True,
            name=f"Tile value {tile.label}",
        )
        detail = wrap(tile.detail, w - 28, BODY_PT, lines=2)
        if detail:
            add_text(
                slide,
                Box(x + 14, y + 78, w - 28, len(detail) * BODY_PT * LINE),
                detail,
                BODY_PT,
                colour=MUTED,
                name=f"Tile detail {tile.label}",
            )
    proof = picture.headline.proof
    y = top + 2 * (h + gap) + 6
    line = shorten(f"The plan is {proof}.", INNER, 16, True)
    add_text(slide, Box(MARGIN, y, INNER, 22), [line], 16, bold=True, name="Proof")
    if picture.notes:
        notes = shorten("Not shown: " + "; ".join(picture.notes), INNER, MIN_PT)
        add_text(
            slide,
            Box(MARGIN, HEIGHT - MARGIN - 14, INNER, 14),
            [notes],
            MIN_PT,
            colour=MUTED,
            name="Not shown",
        )
    set_notes(
        slide,
        [f"{t.label}: {t.value} {t.detail}".strip() for t in tiles]
        + [f"Solver: {proof}.", *picture.notes],
    )


# --- Now / Next / Later ----------------------------------------------------------------------


def _item_date(bar: Bar, column: str) -> str:
    return month_year(bar.go_live if column == "Now" else bar.start)


def _now_next_later(prs: Any, layout: Any, picture: PlanPicture, h: Horizons) -> None:
    columns = [
        ("Now", f"in build in {h.labels[0]}; date = go-live", h.now),
        ("Next", f"starting {h.labels[1]}; date = start", h.next),
        ("Later", f"starting from {h.labels[2]}; date = start", h.later),
    ]
    gap = 16.0
    w = (INNER - 2 * gap) / 3
    top = 120.0
    step = BODY_PT * LINE + 4
    per_slide = int((HEIGHT - top - MARGIN - 20) // step)
    pages = max(1, *(-(-len(items) // per_slide) for _, _, items in columns))
    for page in range(pages):
        slide = prs.slides.add_slide(layout)
        part = f" ({page + 1} of {pages})" if pages > 1 else ""
        _heading(
            slide,
            f"Now, next, later{part}",
            f"{plan_name(picture)}: what is being built, what starts soon and what comes after",
        )
        notes: list[str] = []
        for k, (title, sub, items) in enumerate(columns):
            x = MARGIN + k * (w + gap)
            add_rect(slide, Rect(Box(x, 70, w, 44), TILE_FILL, None, "tile"), f"Column {title}")
            add_text(
                slide, Box(x + 10, 74, w - 20, 20), [title], 16, bold=True, name=f"{title} title"
            )
            add_text(
                slide,
                Box(x + 10, 94, w - 20, 16),
                [shorten(f"{len(items)} {sub}", w - 20, BODY_PT)],
                BODY_PT,
                colour=MUTED,
                name=f"{title} subtitle",
            )
            chunk = items[page * per_slide : (page + 1) * per_slide]
            for n, bar in enumerate(chunk):
                tag = status_tag(picture, bar)
                text = bar.name + (f" · {tag}" if tag and tag != "in progress" else "")
                when = _item_date(bar, title)
                date_w = text_width("Mmm 0000", BODY_PT)
                y = top + n * step
                name_w = w - 12 - date_w - 8
                add_text(
                    slide,
                    Box(x + 6, y, name_w, BODY_PT * LINE),
                    [shorten(text, name_w, BODY_PT)],
                    BODY_PT,
                    name=f"Item {bar.id}",
                )
                add_text(
                    slide,
                    Box(x + w - 6 - date_w, y, date_w, BODY_PT * LINE),
                    [when],
                    BODY_PT,
                    colour=MUTED,
                    align="r",
                    name=f"Date {bar.id}",
                )
                notes.append(f"{title}: {bar.id} {text} ({when})")
            if not chunk and page == 0:
                add_text(
                    slide,
                    Box(x + 6, top, w - 12, BODY_PT * LINE),
                    ["nothing"],
                    BODY_PT,
                    colour=MUTED,
                    name=f"{title} empty",
                )
        if h.done and page == pages - 1:
            done = shorten(
                f"Done or live before {h.labels[0]}: {len(h.done)} "
                f"initiative{'s' * (len(h.done) != 1)} (in the notes)",
                INNER,
                MIN_PT,
            )
            add_text(
                slide,
                Box(MARGIN, HEIGHT - MARGIN - 14, INNER, 14),
                [done],
                MIN_PT,
                colour=MUTED,
                name="Done before",
            )
            notes += [f"Done: {b.id} {b.name}, live {b.go_live.isoformat()}" for b in h.done]
        set_notes(slide, notes)


# --- budget and capacity ---------------------------------------------------------------------


def _chart_fonts(chart: Any) -> None:
    chart.font.size = Pt(BODY_PT)
    chart.font.name = FONT
    chart.font.color.rgb = rgb(INK)


def _series_fill(chart: Any, colours: list[str]) -> None:
    for series, colour in zip(chart.plots[0].series, colours, strict=False):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(colour)
        series.format.line.color.rgb = rgb(BAR_LINE)


def _money_and_people(slide: Any, picture: PlanPicture) -> None:
    _heading(
        slide,
        "Budget and capacity",
        f"{plan_name(picture)}: spend by fiscal year against the limit, and each team's use "
        "of its capacity",
    )
    half = (INNER - 24) / 2
    top, h = 74.0, HEIGHT - 74 - MARGIN - 22
    notes: list[str] = []
    cur = picture.currency
    if picture.years:
        data = CategoryChartData()
        data.categories = [y.label for y in picture.years]
        data.add_series("Spend", [round(y.spend) for y in picture.years])
        limited = any(y.limit is not None for y in picture.years)
        if limited:
            data.add_series(
                "Limit", [None if y.limit is None else round(y.limit) for y in picture.years]
            )
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED, Pt(MARGIN), Pt(top), Pt(half), Pt(h), data
        )
        frame.name = "Budget chart"
        chart = frame.chart
        _chart_fonts(chart)
        chart.has_title = True
        chart.chart_title.text_frame.text = f"Spend by fiscal year ({cur})"
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
        chart.has_legend = limited
        if limited:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        axis = chart.value_axis
        axis.tick_labels.number_format = _money_format(cur)
        axis.tick_labels.number_format_is_linked = False
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = rgb("D9D9D9")
        _series_fill(chart, [BUILD, GRID_YEAR])
        for y in picture.years:
            limit = "no limit" if y.limit is None else f"limit {money(y.limit, cur)}"
            notes.append(f"{y.label}: spend {money(y.spend, cur)}, {limit}")
    if picture.teams:
        data = CategoryChartData()
        teams = list(picture.teams)
        data.categories = [t.team for t in teams]
        data.add_series("Average", [round(t.average or 0.0, 3) for t in teams])
        data.add_series("Peak period", [round(t.peak or 0.0, 3) for t in teams])
        x = MARGIN + half + 24 if picture.years else MARGIN
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Pt(x), Pt(top), Pt(half), Pt(h), data
        )
        frame.name = "Capacity chart"
        chart = frame.chart
        _chart_fonts(chart)
        chart.has_title = True
        chart.chart_title.text_frame.text = "Team capacity used"
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        axis = chart.value_axis
        axis.tick_labels.number_format = "0%"
        axis.tick_labels.number_format_is_linked = False
        axis.minimum_scale = 0
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = rgb("D9D9D9")
        chart.category_axis.reverse_order = True  # the first team at the top
        _series_fill(chart, [BUILD, RAMP])
        for t in teams:
            notes.append(
                f"{t.team}: {percent(t.average)} of capacity on average, "
                f"{percent(t.peak)} in its busiest period"
            )
    foot = "Spend is gross (capex, one-off opex, run cost). Capacity used = FTE demanded ÷ FTE available."
    add_text(
        slide,
        Box(MARGIN, HEIGHT - MARGIN - 14, INNER, 14),
        [shorten(foot, INNER, MIN_PT)],
        MIN_PT,
        colour=MUTED,
        name="Footnote",
    )
    set_notes(slide, notes)


def _money_format(currency: str) -> str:
    from roadmap.board.content import SYMBOLS

    symbol = SYMBOLS.get(currency.upper(), "")
    unit = f'"{symbol}"' if symbol else ""
    return f'{unit}#,##0.0,,"m"'


# --- left out --------------------------------------------------------------------------------


def _table(
    slide: Any, rows: list[list[str]], widths: list[float], top: float, name: str, aligns: list[str]
) -> Any:
    from pptx.enum.text import PP_ALIGN

    row_h = BODY_PT * LINE + 10
    heights = [row_h + BODY_PT * LINE * max(c.count("\n") for c in cells) for cells in rows]
    frame = slide.shapes.add_table(
        len(rows), len(widths), Pt(MARGIN), Pt(top), Pt(sum(widths)), Pt(sum(heights))
    )
    frame.name = name
    table = frame.table
    for c, w in enumerate(widths):
        table.columns[c].width = Pt(w)
    for r, cells in enumerate(rows):
        table.rows[r].height = Pt(heights[r])
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = Pt(5)
            cell.margin_top = cell.margin_bottom = Pt(3)
            tf = cell.text_frame
            tf.word_wrap = False
            for k, line in enumerate(text.split("\n")):
                p = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
                p.alignment = {"l": PP_ALIGN.LEFT, "r": PP_ALIGN.RIGHT}[aligns[c]]
                run = p.add_run()
                run.text = line
                run.font.size = Pt(BODY_PT)
                run.font.name = FONT
                run.font.bold = r == 0
    return frame


def _left_out(slide: Any, picture: PlanPicture) -> None:
    top10 = top_left_out(picture)
    n = len(picture.left_out)
    _heading(
        slide,
        "Left out, and why",
        f"{plan_name(picture)}: the {len(top10)} candidates whose absence costs most "
        f"(of {n} left out), by value lost",
    )
    widths = [250.0, INNER - 250 - 120, 120.0]
    rows = [["Initiative", "Why it is not in the plan", "Value lost"]]
    notes = []
    cur = picture.currency
    for item in top10:
        name = shorten(f"{item.id} {item.name}", widths[0] - 12, BODY_PT)
        why = shorten(item.why or "no reason given", widths[1] - 12, BODY_PT)
        value = shorten(money(item.value_lost, cur), widths[2] - 12, BODY_PT)
        rows.append([name, why, value])
        notes.append(
            f"{item.id} {item.name}: {item.why}. Value lost: {item.value_text or money(item.value_lost, cur)}"
        )
    _table(slide, rows, widths, 74.0, "Left out table", ["l", "l", "r"])
    foot = (
        "Value lost = how much the plan's objective drops if the initiative is forced in "
        "(re-solved); a range where the re-solve stopped on time (the notes give it)."
    )
    add_text(
        slide,
        Box(MARGIN, HEIGHT - MARGIN - 14, INNER, 14),
        [shorten(foot, INNER, MIN_PT)],
        MIN_PT,
        colour=MUTED,
        name="Footnote",
    )
    set_notes(slide, notes)


# --- scenarios -------------------------------------------------------------------------------

_SCENARIO_ROWS = (
    "Portfolio NPV",
    "Total spend in the horizon",
    "Initiatives selected",
    "Capability gap closed",
    "Payback date",
    "Cost of capacity added",
)


def _figure(label: str, value: object, currency: str) -> str:
    if value is None or value == "":
        return "–"
    low = label.lower()
    if isinstance(value, date):
        return month_year(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "gap" in low:
            digits = 2 if "solver" in low else 0
            return percent(float(value), digits)
        if "selected" in low:
            return f"{value:.0f}"
        return money(float(value), currency)
    return str(value)


def _scenarios(prs: Any, layout: Any, picture: PlanPicture) -> None:
    per_slide = 6
    scen = list(picture.scenarios)
    chunks = [scen[k : k + per_slide] for k in range(0, len(scen), per_slide)]
    for k, chunk in enumerate(chunks):
        slide = prs.slides.add_slide(layout)
        part = f" ({k + 1} of {len(chunks)})" if len(chunks) > 1 else ""
        _heading(
            slide,
            f"Scenarios side by side{part}",
            f"{plan_name(picture)}: the headline figures of each scenario's plan",
        )
        label_w = 200.0
        col_w = (INNER - label_w) / len(chunk)
        header = ["Figure"] + ["\n".join(wrap(s.name, col_w - 12, BODY_PT, True, 2)) for s in chunk]
        rows = [header]
        notes = [f"{s.name}: " + "; ".join(f"{a}: {b}" for a, b in s.figures) for s in chunk]
        for label in _SCENARIO_ROWS:
            if not any(label == a for s in chunk for a, _ in s.figures):
                continue
            cells = [label]
            for s in chunk:
                value = dict(s.figures).get(label)
                cells.append(shorten(_figure(label, value, picture.currency), col_w - 12, BODY_PT))
            rows.append(cells)
        proofs = []
        for s in chunk:
            figures = dict(s.figures)
            gap = figures.get("Solver gap")
            proof = Headline(
                solver_status=str(figures.get("Solver status") or ""),
                solver_gap=float(gap) if isinstance(gap, int | float) else None,
            ).proof
            proofs.append(
                shorten(proof.replace(" of the best possible plan", ""), col_w - 12, BODY_PT)
            )
        rows.append(["Proof (solver)", *proofs])
        _table(
            slide,
            rows,
            [label_w] + [col_w] * len(chunk),
            74.0,
            "Scenario table",
            ["l"] + ["r"] * len(chunk),
        )
        set_notes(slide, notes)
