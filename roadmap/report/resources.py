"""Budget and Capacity sheets: what the plan uses of each hard limit."""

from __future__ import annotations

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.printing import clear_title_rows
from roadmap.excel.writing import FTE, finish_sheet, put, write_table, write_title
from roadmap.plan_facts import PeriodSpend, PlanFacts
from roadmap.report.charts import mark_utilisation
from roadmap.report.layout import Formats, TableSpot, refit, section, spot, wrap_rows

SPEND_HEADERS = [
    "Period",
    "First day",
    "Fiscal year",
    "Capex",
    "Opex",
    "Total spend",
    "Limit",
    "Headroom",
    "Utilisation",
]
OVER_FILL = PatternFill("solid", fgColor="F8696B")
OVER_FONT = Font(bold=True, color="9C0006")


def _spend_rows(rows: list[PeriodSpend]) -> list[list[object]]:
    return [
        [
            p.label,
            p.first_day,
            p.fiscal_year,
            p.capex,
            p.opex,
            p.total,
            p.limit,
            p.headroom,
            p.utilisation,
        ]
        for p in rows
    ]


def _over_rule(ws: Worksheet, col: int, first: int, last: int) -> None:
    letter = get_column_letter(col)
    ws.conditional_formatting.add(
        f"{letter}{first}:{letter}{last}",
        CellIsRule(operator="greaterThan", formula=["1.0001"], fill=OVER_FILL, font=OVER_FONT),
    )


def write_budget(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> tuple[TableSpot, TableSpot]:
    """Returns where the per-period and per-year tables sit (the Summary chart reads one)."""
    top = write_title(
        ws,
        "Budget",
        "Spend is gross: capex, one-off opex during the build and run cost after go-live; "
        "benefits and legacy savings never free up budget. Limits are the Budget sheet's "
        "total-spend limits (all pools, or the sum of the pools where the budget is split by pool); "
        "every limit, per pool and kind, is listed below.",
    )
    money = {h: fmt.money for h in ("Capex", "Opex", "Total spend", "Limit", "Headroom")}
    money["Utilisation"] = fmt.percent
    money["First day"] = fmt.date
    last, _ = write_table(
        ws, SPEND_HEADERS, _spend_rows(facts.periods), name="Budget_periods", top=top, formats=money
    )
    per_period = spot(ws, SPEND_HEADERS, top, last)
    _over_rule(ws, per_period.col("Utilisation"), top + 1, last)

    head = section(ws, last + 2, "Per fiscal year")
    last, _ = write_table(
        ws, SPEND_HEADERS, _spend_rows(facts.years), name="Budget_years", top=head, formats=money
    )
    _over_rule(ws, per_period.col("Utilisation"), head + 1, last)
    per_year = spot(ws, SPEND_HEADERS, head, last)

    head = section(ws, last + 2, "Every budget limit (as the optimizer applies it)")
    headers = [
        "Budget line",
        "Kind",
        "Pool",
        "Granularity",
        "Periods",
        "Limit",
        "Spend",
        "Headroom",
        "Utilisation",
    ]
    rows = [
        [
            u.label,
            u.kind.value,
            u.pool or "all",
            u.granularity,
            u.periods[0] if len(u.periods) == 1 else f"{u.periods[0]} – {u.periods[-1]}",
            u.limit,
            u.spend,
            u.headroom,
            u.utilisation,
        ]
        for u in facts.limits
    ]
    formats = {"Limit": fmt.money, "Spend": fmt.money, "Headroom": fmt.money}
    formats["Utilisation"] = fmt.percent
    last, _ = write_table(ws, headers, rows, name="Budget_limits", top=head, formats=formats)
    _over_rule(ws, headers.index("Utilisation") + 1, head + 1, last)
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top, maximum=30)
    # the limits' labels wrap in the narrower first column (the Period column of the tables above)
    wrap_rows(ws, head + 1, last, [1])
    return per_period, per_year


def write_capacity(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> TableSpot:
    """Three team × period blocks: demand, capacity, utilisation. Returns the utilisation block."""
    cap = facts.capacity
    top = write_title(
        ws,
        "Capacity",
        "FTE per period. Utilisation = demand / capacity; red = above 100 % (only allowed within "
        "a team's tolerated over-allocation).",
    )
    headers = ["Team", *cap.labels]
    names = {t.id: t for t in facts.plan.portfolio.teams}

    def block(title: str, values, name: str, start: int, number_format: str) -> tuple[int, int]:
        head = section(ws, start, title) if title else start
        rows = [[team, *(float(v) for v in values[k])] for k, team in enumerate(cap.teams)]
        fm = {label: number_format for label in cap.labels}
        last, _ = write_table(ws, headers, rows, name=name, top=head, formats=fm)
        return head, last

    d_head, d_last = block("Demand (FTE)", cap.demand, "Capacity_demand", top, FTE)
    c_head, c_last = block("Capacity (FTE)", cap.capacity, "Capacity_capacity", d_last + 2, FTE)
    u_head, u_last = block(
        "Utilisation", cap.utilisation, "Capacity_utilisation", c_last + 2, fmt.percent
    )
    last_col = get_column_letter(len(headers))
    if cap.teams:
        util = f"B{u_head + 1}:{last_col}{u_last}"
        mark_utilisation(ws, util, OVER_FONT)
        # demand cells above the same team's capacity in the same period
        offset = c_head - d_head
        ws.conditional_formatting.add(
            f"B{d_head + 1}:{last_col}{d_last}",
            FormulaRule(formula=[f"B{d_head + 1}>B{d_head + 1 + offset}+0.0001"], fill=OVER_FILL),
        )
    note_row = u_last + 2
    for k, team in enumerate(cap.teams):
        t = names[team]
        text = f"{team}: {t.name or team} ({t.function or 'no function'}), tolerated overload "
        put(ws, note_row + k, 1, text + f"{t.over_allocation:.0%}")
    finish_sheet(ws, header_row=d_head, freeze_col=1)
    clear_title_rows(ws)  # three tables, three headers: none repeats for all
    refit(ws, d_head, maximum=16)
    return spot(ws, headers, u_head, u_last)
