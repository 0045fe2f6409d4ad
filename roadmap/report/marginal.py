"""The Marginal value sheet: which extra FTE or budget would be worth most, ranked by net gain."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.analysis.marginal import TEAM, MarginalValue, rank
from roadmap.excel.writing import (
    PERCENT,
    currency_format,
    finish_sheet,
    write_table,
    write_title,
)
from roadmap.report.layout import refit, wrap_subtitle

SHEET = "Marginal value"
HEADERS = [
    "Rank",
    "Resource",
    "What",
    "Change",
    "Objective gain",
    "At most",
    "Cost of the change",
    "Net gain",
    "Base objective",
    "Re-solved objective",
    "Solver status",
    "Solver gap",
    "Note",
]
NOTE = (
    "Each row re-solves the plan with one resource loosened. Gain = re-solved objective minus "
    "the base plan's; 'At most' = the re-solve's proven bound minus the base objective. Cost of "
    "the change = the extra FTE at the team's cost per FTE-year, discounted to plan start (extra "
    "budget: 0, what it buys is already in the gain); net gain = gain minus that cost. Ranked by "
    "net gain (by gain where the cost is unknown). Gains smaller than the solver gap may be noise."
)


def rows(values: Sequence[MarginalValue]) -> list[list[object]]:
    out: list[list[object]] = []
    for k, v in enumerate(rank(values), start=1):
        out.append(
            [
                k,
                "Team" if v.kind == TEAM else "Budget",
                v.key,
                v.change,
                v.gain,
                v.bound_gain,
                v.cost,
                v.net,
                v.base_objective,
                v.objective,
                v.status.value,
                v.gap,
                v.note,
            ]
        )
    return out


def add_marginal_sheet(
    wb: Workbook,
    values: Sequence[MarginalValue],
    currency: str = "EUR",
    index: int | None = None,
    money_objective: bool = True,
) -> Worksheet:
    """Write the ranked table on a new sheet (at ``index``, default last)."""
    ws = wb.create_sheet(SHEET, index)
    value_format = currency_format(currency) if money_objective else "#,##0.0"
    top = write_title(ws, "Marginal value of resources", NOTE)
    write_table(
        ws,
        HEADERS,
        rows(values),
        name="Marginal",
        top=top,
        formats={
            "Objective gain": value_format,
            "At most": value_format,
            "Cost of the change": currency_format(currency),
            "Net gain": value_format,
            "Base objective": value_format,
            "Re-solved objective": value_format,
            "Solver gap": PERCENT,
        },
    )
    finish_sheet(ws, header_row=top)
    refit(ws, top)
    wrap_subtitle(ws, last_col=len(HEADERS))
    return ws
