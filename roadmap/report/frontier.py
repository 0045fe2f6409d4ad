"""The Frontier sheet (value against budget, with a native chart) and its terminal table."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.analysis.frontier import FrontierPoint
from roadmap.domain import ObjectiveKind
from roadmap.excel.legibility import set_chart_text
from roadmap.excel.printing import describe
from roadmap.excel.writing import (
    DECIMAL,
    NOTE_FONT,
    NUMBER,
    PERCENT,
    PERCENT_INT,
    currency_format,
    finish_sheet,
    put,
    write_table,
    write_title,
)
from roadmap.report.layout import refit, wrap_rows, wrap_subtitle

SHEET = "Frontier"
CHART_TEXT = 12  # points
OBJECTIVE_COLOUR, BOUND_COLOUR, CURRENT_COLOUR = "1F4E78", "C55A11", "7F7F7F"
WRAPPED = ("Entered", "Left", "Note")
HEADERS = [
    "Budget level",
    "Total budget",
    "Objective",
    "Proven bound",
    "NPV",
    "Best possible NPV",
    "Initiatives selected",
    "Marginal value",
    "Entered",
    "Left",
    "Solver status",
    "Solver gap",
    "Note",
]
NOTE = (
    "Every budget row scaled by the level. Objective = best plan known at that level: a plan "
    "found at a lower level is valid with more money, so it is reported when the solver's own "
    "answer there was worse (see Note). The true optimum lies between Objective and Proven "
    "bound. NPV = the whole portfolio's, as on a plan's Summary (the objective leaves out the "
    "work in progress, which every plan carries alike); Best possible NPV = the proven bound "
    "plus that work's NPV. Marginal value = objective gained per unit of extra budget since the "
    "previous level."
)
CURRENT = "Current budget"


def objective_kind(points: Sequence[FrontierPoint]) -> ObjectiveKind:
    for p in points:
        if p.plan is not None:
            return p.plan.objective
    return ObjectiveKind.NPV


def note(point: FrontierPoint) -> str:
    if point.carried_from is not None:
        return (
            f"plan from the {point.carried_from:.0%} level kept: the solver's answer here was worse"
        )
    if point.objective is None:
        return f"no plan ({point.status.value})"
    return ""


def best_possible_npv(point: FrontierPoint) -> float | None:
    """The proven bound on the portfolio NPV: the bound on the objective (new work) plus the
    NPV of the work every plan carries (NPV - objective). Only for the NPV objective."""
    if point.plan is not None and point.plan.objective is not ObjectiveKind.NPV:
        return None
    if point.bound is None or point.npv is None or point.objective is None:
        return None
    return point.bound + (point.npv - point.objective)


def rows(points: Sequence[FrontierPoint]) -> list[list[object]]:
    return [
        [
            p.level,
            p.budget,
            p.objective,
            p.bound,
            p.npv,
            best_possible_npv(p),
            len(p.selected) if p.objective is not None else None,
            p.marginal,
            ", ".join(p.entered),
            ", ".join(p.left),
            p.status.value,
            p.gap,
            note(p),
        ]
        for p in points
    ]


def add_frontier_sheet(
    wb: Workbook, points: Sequence[FrontierPoint], currency: str = "EUR", index: int = 0
) -> Worksheet:
    """A Frontier sheet at ``index``: the table, then a value-against-budget chart beside it."""
    ws = wb.create_sheet(SHEET, index)
    money = currency_format(currency)
    kind = objective_kind(points)
    value_format = money if kind is ObjectiveKind.NPV else DECIMAL
    top = write_title(ws, f"Efficient frontier (objective: {kind.value})", NOTE)
    last, _ = write_table(
        ws,
        HEADERS,
        rows(points),
        name=SHEET,
        top=top,
        formats={
            "Budget level": PERCENT_INT,
            "Total budget": money,
            "Objective": value_format,
            "Proven bound": value_format,
            "NPV": money,
            "Best possible NPV": money,
            "Initiatives selected": NUMBER,
            "Marginal value": "0.00",
            "Solver gap": PERCENT,
        },
    )
    finish_sheet(ws, header_row=top)
    refit(ws, top, maximum=16)  # one legible page wide: the lists of ids and the notes wrap
    for header in ("Total budget", "Objective", "Proven bound", "NPV", "Best possible NPV"):
        # "€26,767,152" is 11 characters: 13 leave room without the fit's generous margin
        ws.column_dimensions[get_column_letter(HEADERS.index(header) + 1)].width = 13
    for header, width in (
        ("Initiatives selected", 10),
        ("Marginal value", 9),
        ("Entered", 16),  # two ids a line
        ("Left", 16),
        ("Solver status", 10),
    ):
        ws.column_dimensions[get_column_letter(HEADERS.index(header) + 1)].width = width
    wrap_subtitle(ws, last_col=len(HEADERS))
    wrap_rows(ws, top + 1, last, [HEADERS.index(h) + 1 for h in WRAPPED])
    if points:
        marker = _current_budget_cells(ws, last + 2, points, kind)
        # below the table, not beside it: side by side, printing to one page shrinks both
        chart = _chart(ws, top, last, points, value_format, currency, kind, marker)
        anchor = last + 2 + (3 if marker else 0)
        ws.add_chart(chart, f"A{anchor}")
        chart_rows = int(chart.height / 0.5) + 2  # a row is about half a centimetre high
        ws.print_area = f"A1:{get_column_letter(len(HEADERS))}{anchor + chart_rows}"
        ws.page_setup.fitToHeight = 1  # one exhibit, one page (unless that would be illegible)
    return ws


def plotted(kind: ObjectiveKind) -> tuple[str, str, str]:
    """(value column, bound column, the value's name on the axis): the portfolio NPV, as the
    plans' Summary shows it, for the NPV objective; the objective itself for any other."""
    if kind is ObjectiveKind.NPV:
        return "NPV", "Best possible NPV", "Portfolio NPV"
    return "Objective", "Proven bound", kind.value.capitalize()


def _current_budget_cells(
    ws: Worksheet, row: int, points: Sequence[FrontierPoint], kind: ObjectiveKind
) -> int | None:
    """Two points of a vertical line at the budget as entered (level 100 %), written under
    the table for the chart to draw; returns their first row (None: nothing to mark)."""
    value_col, bound_col, _ = plotted(kind)
    at = HEADERS.index(value_col) + 1
    table = rows(points)
    ys = [
        float(v)
        for r in table
        for v in (r[HEADERS.index(value_col)], r[HEADERS.index(bound_col)])
        if isinstance(v, int | float)
    ]
    budgets = [p.budget / p.level for p in points if p.budget is not None and p.level > 0]
    has_budget = all(p.budget is not None for p in points)
    if not ys or (has_budget and not budgets):
        return None
    x = budgets[0] if has_budget else 1.0
    x_col = HEADERS.index("Total budget" if has_budget else "Budget level") + 1
    put(ws, row, 1, f"{CURRENT} (the chart's dotted line)").font = NOTE_FONT
    for k, y in enumerate((min(0.0, min(ys)), max(ys))):
        put(ws, row + 1 + k, x_col, x, ws.cell(row=row - 2, column=x_col).number_format)
        put(ws, row + 1 + k, at, y, ws.cell(row=row - 2, column=at).number_format)
    return row + 1


def _chart(
    ws: Worksheet,
    top: int,
    last: int,
    points: Sequence[FrontierPoint],
    value_format: str,
    currency: str,
    kind: ObjectiveKind,
    marker: int | None = None,
) -> ScatterChart:
    has_budget = all(p.budget is not None for p in points)
    x_col = HEADERS.index("Total budget" if has_budget else "Budget level") + 1
    value_col, bound_col, name = plotted(kind)
    chart = ScatterChart()
    chart.title = f"Best {name} against budget"
    chart.style = 13
    xs = Reference(ws, min_col=x_col, min_row=top + 1, max_row=last)
    # the bound in its own colour, dashed, with its own marker: drawn over the value where the
    # two meet (a proven optimum) it must still show
    for header, colour, symbol, dashed in (
        (value_col, OBJECTIVE_COLOUR, "circle", False),
        (bound_col, BOUND_COLOUR, "triangle", True),
    ):
        col = HEADERS.index(header) + 1
        ys = Reference(ws, min_col=col, min_row=top, max_row=last)
        series = Series(ys, xs, title_from_data=True)
        _style(series, colour, symbol, "dash" if dashed else None)
        chart.series.append(series)
    if marker is not None:
        col = HEADERS.index(value_col) + 1
        line = Series(
            Reference(ws, min_col=col, min_row=marker, max_row=marker + 1),
            Reference(ws, min_col=x_col, min_row=marker, max_row=marker + 1),
            title=CURRENT,
        )
        _style(line, CURRENT_COLOUR, "none", "sysDot")
        chart.series.append(line)
    unit = currency if kind is ObjectiveKind.NPV else "points"
    chart.x_axis.title = f"Total budget ({currency})" if has_budget else "Budget level"
    chart.y_axis.title = f"{name} ({unit})"
    chart.legend.position = "b"
    chart.y_axis.numFmt = value_format
    chart.x_axis.numFmt = "#,##0" if has_budget else "0%"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 20.0, 8.5
    # printed with the table at the scale that keeps the table's 11 pt legible, the chart's
    # default 10 pt would shrink below 8 pt: its text is set larger
    set_chart_text(chart, CHART_TEXT)
    return chart


def _style(series: Series, colour: str, symbol: str, dash: str | None) -> None:
    series.marker.symbol = symbol
    series.marker.size = 7
    series.marker.graphicalProperties.solidFill = colour
    series.marker.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.width = 19050 if dash else 28575  # EMU
    series.smooth = False
    if dash:
        series.graphicalProperties.line.dashStyle = dash


def frontier_workbook(points: Sequence[FrontierPoint], currency: str = "EUR") -> Workbook:
    wb = Workbook()
    default = wb.active
    describe(wb, "Efficient frontier", "Best plan value at each budget level, with its bound")
    add_frontier_sheet(wb, points, currency)
    if default is not None:
        wb.remove(default)
    return wb


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def format_frontier(points: Sequence[FrontierPoint]) -> str:
    """A plain-text table for the terminal."""
    head = ["level", "budget", "objective", "bound", "selected", "marginal", "in", "out", "note"]
    body = [
        [
            f"{p.level:.0%}",
            _money(p.budget),
            _money(p.objective),
            _money(p.bound),
            "" if p.objective is None else str(len(p.selected)),
            "" if p.marginal is None else f"{p.marginal:.2f}",
            ", ".join(p.entered),
            ", ".join(p.left),
            note(p),
        ]
        for p in points
    ]
    widths = [max(len(h), *(len(r[k]) for r in body)) for k, h in enumerate(head)]
    right = {0, 1, 2, 3, 4, 5}

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if k in right else c.ljust(w)
            for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(head), *(line(r) for r in body)])
