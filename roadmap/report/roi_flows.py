"""The roi workbook's cash-flow sheets: Cash flows (every figure behind an initiative's
metrics, period by period), Cash flows by year (every initiative's net and discounted net per
fiscal year, one row each) and Dated flows (each dated flow with its exact discount factor).

A period-by-period table takes twelve rows of a column per period: 1.4 million cells for 2,000
monthly initiatives, more than a reader can use and more than a spreadsheet opens comfortably.
So the Cash flows sheet holds the tables of the first ``CASH_FLOW_TABLES`` initiatives by rank
(all of them when there are no more, or when asked), and Cash flows by year holds every
initiative in one row: its discounted nets add up to its NPV, its nets to benefits less costs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.writing import (
    DATE,
    NOTE_FONT,
    TITLE_FONT,
    finish_sheet,
    put,
    write_table,
    write_title,
)
from roadmap.money.finance import COMPONENTS
from roadmap.report.layout import Formats, refit

if TYPE_CHECKING:
    from roadmap.report.roi import RoiCase, RoiLine

CUT_FONT = Font(bold=True, color="9C5700")  # the note that says which tables are left out

CASH_FLOW_LINES = (
    "Capex",
    "One-off opex",
    "Run cost",
    "Benefits",
    "Legacy savings",
    "Other (signed)",
    "Net cash flow",
    "Discount factor",
    "Discounted net",
    "Cumulative net",
    "Cumulative discounted net",
)
CASH_FLOW_HEADER_ROW = 5  # the row of period-end dates; data starts below it
CASH_FLOW_TABLES = 100  # initiatives (best NPV first) with a period-by-period table, by default
BY_YEAR_SHEET = "Cash flows by year"


def tabled(case: RoiCase, tables: int | None) -> tuple[RoiLine, ...]:
    """The lines with a table on the Cash flows sheet: the first ``tables`` by rank (None: all)."""
    return case.lines if tables is None else case.lines[: max(0, tables)]


def tables_note(case: RoiCase, tables: int | None) -> str:
    """Which initiatives have a period-by-period table, in words ("" when all have)."""
    shown, total = len(tabled(case, tables)), len(case.lines)
    if shown == total:
        return ""
    return (
        f"Tables for the first {shown:,} of {total:,} initiatives by rank (best NPV first); "
        f"every initiative's net and discounted net per fiscal year are on the {BY_YEAR_SHEET} "
        "sheet. 'roadmap roi --cash-flow-tables all' writes a table for each."
    )


def write_cash_flows(
    ws: Worksheet, case: RoiCase, fmt: Formats, tables: int | None = CASH_FLOW_TABLES
) -> None:
    """One table per initiative (the first ``tables`` by rank; None: all), periods across."""
    lines = tabled(case, tables)
    put(ws, 1, 1, "Cash flows per initiative").font = TITLE_FONT
    put(
        ws,
        2,
        1,
        "Costs and inflows as positive amounts, 'Other' signed (+ in, - out); net = benefits + "
        "legacy savings + other - costs. Each flow is booked on the last day of its period (the "
        "dates below); an 'At plan start' column holds flows at the valuation date itself.",
    ).font = NOTE_FONT
    note = tables_note(case, tables)
    if note:
        put(ws, 3, 1, note).font = CUT_FONT
    cal = case.calendar
    length = max([cal.horizon, *(line.flows.length for line in lines)])
    opening = any(line.flows.has_opening for line in lines)
    first = 4 if opening else 3  # the column of plan period 0
    hr = CASH_FLOW_HEADER_ROW
    put(ws, hr - 1, 1, "Period")
    put(ws, hr, 1, "ID")
    put(ws, hr, 2, "Line")
    if opening:
        put(ws, hr - 1, 3, "At plan start")
        put(ws, hr, 3, cal.plan_start, DATE)
    for t in range(length):
        put(ws, hr - 1, first + t, cal.label(t) + ("" if t < cal.horizon else " (after plan)"))
        put(ws, hr, first + t, cal.end(t), DATE)
    row = hr + 1
    for line in lines:
        f = line.flows
        v = 1.0 / (1.0 + (case.rate if line.rate is None else line.rate))
        lead = [list(f.opening)] if opening else []
        components = [
            [*(x[k] for x in lead), *getattr(f, name).tolist()] for k, name in enumerate(COMPONENTS)
        ]
        net = ([f.opening_net] if opening else []) + f.net.tolist()
        factors = ([1.0] if opening else []) + [v ** (t + 1) for t in range(f.length)]
        pv = f.discount(case.rate if line.rate is None else line.rate)
        # dated flows carry their exact factor, so a period holding one is not net x factor
        discounted = ([pv.opening_net] if opening else []) + pv.net.tolist()
        cum, cum_d, a, b = [], [], 0.0, 0.0
        for x, y in zip(net, discounted, strict=True):
            a, b = a + x, b + y
            cum.append(a)
            cum_d.append(b)
        values = (*components, net, factors, discounted, cum, cum_d)
        for name, series in zip(CASH_FLOW_LINES, values, strict=True):
            put(ws, row, 1, line.initiative.id)
            put(ws, row, 2, name)
            number = "0.000000" if name == "Discount factor" else fmt.money
            for t, x in enumerate(series):
                put(ws, row, 3 + t, float(x), number)
            row += 1
        row += 1  # a blank row between initiatives
    finish_sheet(ws, header_row=hr, freeze_col=2)
    # on paper: blocks of periods side by side, each with the ID and line columns and both
    # header rows (period label and date) repeated
    ws.print_title_rows = f"{hr - 1}:{hr}"
    ws.column_dimensions["B"].width = max(len(x) for x in CASH_FLOW_LINES) + 2


def by_year(case: RoiCase) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Every line's net and discounted net per fiscal year: (fiscal years, nets, discounted), a
    row per line, a column per fiscal year after a first one for the valuation date itself.
    Each line is discounted at its own rate, dated flows by their exact factors."""
    cal = case.calendar
    length = max([cal.horizon, *(line.flows.length for line in case.lines)])
    net = np.zeros((len(case.lines), length + 1))
    for i, line in enumerate(case.lines):
        net[i, 0] = line.flows.opening_net
        net[i, 1 : line.flows.length + 1] = line.flows.net
    rates = np.array([case.rate if line.rate is None else line.rate for line in case.lines])
    factors = (1.0 + rates[:, None]) ** -np.arange(length + 1.0)
    discounted = net * factors
    for i, line in enumerate(case.lines):
        if len(line.flows.dated):  # exact factors: the sum per period is not net x factor
            pv = line.flows.discount(rates[i])
            discounted[i, 1 : line.flows.length + 1] = pv.net
            discounted[i, 0] = pv.opening_net
    fiscal = [cal.fiscal_year(t) for t in range(length)]
    years = sorted(set(fiscal))
    # column 0 (the valuation date) stays its own column; period t goes to its fiscal year
    into = np.zeros((length + 1, len(years) + 1))
    into[0, 0] = 1.0
    for t, fy in enumerate(fiscal):
        into[t + 1, years.index(fy) + 1] = 1.0
    return years, net @ into, discounted @ into


def write_cash_flows_by_year(ws: Worksheet, case: RoiCase, fmt: Formats) -> None:
    """Every initiative in one row: net and discounted net per fiscal year."""
    cal = case.calendar
    years, net, discounted = by_year(case)
    first, last = cal.start(0), cal.end(0)
    for t in range(1, cal.periods_per_year):
        if cal.fiscal_year(t) != cal.fiscal_year(0):
            break
        last = cal.end(t)
    top = write_title(
        ws,
        "Cash flows by fiscal year",
        "Every initiative, ranked as on Metrics: its net cash flow (benefits + legacy savings + "
        "other - costs) and its discounted net (at its own rate, dated flows by their exact "
        "factors) summed over the periods of each fiscal year. The discounted nets of a row add "
        "up to its NPV, its nets to benefits less total cost. "
        f"FY{years[0]} counts from {first.isoformat()} (the plan start) to {last.isoformat()}; "
        "'At plan start' holds flows at the valuation date itself.",
    )
    opening = bool(np.any(np.abs(net[:, 0]) > 1e-12))
    keep = [0, *range(1, len(years) + 1)] if opening else list(range(1, len(years) + 1))
    names = ["At plan start", *(f"FY{y}" for y in years)]
    headers = [
        "Rank",
        "ID",
        "Name",
        *(f"Net {names[k]}" for k in keep),
        *(f"Discounted {names[k]}" for k in keep),
    ]
    ini = [line.initiative for line in case.lines]
    rows = [
        [i + 1, ini[i].id, ini[i].name, *net[i, keep].tolist(), *discounted[i, keep].tolist()]
        for i in range(len(ini))
    ]
    formats = {h: fmt.money for h in headers[3:]}
    write_table(ws, headers, rows, name="Cash_flows_by_year", top=top, formats=formats)
    finish_sheet(ws, header_row=top, freeze_col=3)
    refit(ws, top, maximum=40)


DATED_HEADERS = (
    "ID",
    "Category",
    "Date",
    "Period",
    "Days from plan start",
    "Amount",
    "Net",
    "Discount factor",
    "Discounted net",
)
_CATEGORY_OF = ("capex", "one-off opex", "run cost", "benefit", "legacy saving", "other")


def write_dated(ws: Worksheet, case: RoiCase, fmt: Formats) -> None:
    """Every dated flow with its exact discount factor: XNPV redone by hand."""
    top = write_title(
        ws,
        "Dated flows",
        "Cash flows rows with a Date, on the day they fall for the start shown on Metrics; "
        "discount factor = 1 / (1 + annual rate)^(days / 365) (actual/365, as Excel's XNPV). "
        "Each is also counted in its period on the Cash flows sheet.",
    )
    cal = case.calendar
    rows: list[list[object]] = []
    for line in case.lines:
        x = line.flows.dated
        rate = case.rate if line.rate is None else line.rate
        for k in range(len(x)):
            net = float(x.net[k])
            factor = float((1.0 + rate) ** -x.tau[k])
            days = (x.days[k] - cal.plan_start).days
            label = cal.label(int(x.period[k]))
            category = _CATEGORY_OF[int(x.component[k])]
            amount = float(x.amount[k])
            rows.append(
                [
                    line.initiative.id,
                    category,
                    x.days[k],
                    label,
                    days,
                    amount,
                    net,
                    factor,
                    net * factor,
                ]
            )
    formats = {h: fmt.money for h in ("Amount", "Net", "Discounted net")}
    formats["Date"] = DATE
    formats["Discount factor"] = "0.000000"
    write_table(ws, DATED_HEADERS, rows, name="Dated_flows", top=top, formats=formats)
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top, maximum=24)
