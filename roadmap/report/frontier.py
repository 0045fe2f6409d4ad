"""The Frontier sheet (value against budget, with a native chart) and its terminal table."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.analysis.frontier import FrontierPoint
from roadmap.domain import ObjectiveKind
from roadmap.excel.printing import describe
from roadmap.excel.writing import (
    DECIMAL,
    NUMBER,
    PERCENT,
    PERCENT_INT,
    currency_format,
    finish_sheet,
    write_table,
    write_title,
)
from roadmap.report.layout import refit, wrap_rows, wrap_subtitle

SHEET = "Frontier"
OBJECTIVE_COLOUR, BOUND_COLOUR = "1F4E78", "C55A11"
WRAPPED = ("Entered", "Left", "Note")
HEADERS = [
    "Budget level",
    "Total budget",
    "Objective",
    "Proven bound",
    "NPV",
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
    "bound. Marginal value = objective gained per unit of extra budget since the previous level."
)


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


def rows(points: Sequence[FrontierPoint]) -> list[list[object]]:
    return [
        [
            p.level,
            p.budget,
            p.objective,
            p.bound,
            p.npv,
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
            "Initiatives selected": NUMBER,
            "Marginal value": "0.00",
            "Solver gap": PERCENT,
        },
    )
    finish_sheet(ws, header_row=top)
    refit(ws, top, maximum=32)
    wrap_subtitle(ws, last_col=len(HEADERS))
    wrap_rows(ws, top + 1, last, [HEADERS.index(h) + 1 for h in WRAPPED])
    if points:
        # below the table, not beside it: side by side, printing to one page shrinks both
        chart = _chart(ws, top, last, points, value_format, currency, kind)
        ws.add_chart(chart, f"A{last + 3}")
        chart_rows = int(chart.height / 0.5) + 2  # a row is about half a centimetre high
        ws.print_area = f"A1:{get_column_letter(len(HEADERS))}{last + 3 + chart_rows}"
    return ws


def _chart(
    ws: Worksheet,
    top: int,
    last: int,
    points: Sequence[FrontierPoint],
    value_format: str,
    currency: str,
    kind: ObjectiveKind,
) -> ScatterChart:
    has_budget = all(p.budget is not None for p in points)
    x_col = HEADERS.index("Total budget" if has_budget else "Budget level") + 1
    chart = ScatterChart()
    chart.title = "Best value against budget"
    chart.style = 13
    xs = Reference(ws, min_col=x_col, min_row=top + 1, max_row=last)
    # the bound in its own colour, dashed, with its own marker: drawn over the objective where
    # the two meet (a proven optimum) it must still show
    for header, colour, marker, dashed in (
        ("Objective", OBJECTIVE_COLOUR, "circle", False),
        ("Proven bound", BOUND_COLOUR, "triangle", True),
    ):
        col = HEADERS.index(header) + 1
        ys = Reference(ws, min_col=col, min_row=top, max_row=last)
        series = Series(ys, xs, title_from_data=True)
        series.marker.symbol = marker
        series.marker.size = 7
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28575 if not dashed else 19050  # EMU
        series.smooth = False
        if dashed:
            series.graphicalProperties.line.dashStyle = "dash"
        chart.series.append(series)
    unit = currency if kind is ObjectiveKind.NPV else "points"
    chart.x_axis.title = f"Total budget ({currency})" if has_budget else "Budget level"
    label = "NPV" if kind is ObjectiveKind.NPV else kind.value.capitalize()
    chart.y_axis.title = f"{label} ({unit})"
    chart.legend.position = "b"
    chart.y_axis.numFmt = value_format
    chart.x_axis.numFmt = "#,##0" if has_budget else "0%"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 20.0, 10.0
    return chart


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
