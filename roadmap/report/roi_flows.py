"""The roi workbook's cash-flow sheets: Cash flows (every figure behind an initiative's
metrics, period by period) and Dated flows (each dated flow with its exact discount factor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    from roadmap.report.roi import RoiCase

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


def write_cash_flows(ws: Worksheet, case: RoiCase, fmt: Formats) -> None:
    put(ws, 1, 1, "Cash flows per initiative").font = TITLE_FONT
    put(
        ws,
        2,
        1,
        "Costs and inflows as positive amounts, 'Other' signed (+ in, - out); net = benefits + "
        "legacy savings + other - costs. Each flow is booked on the last day of its period (the "
        "dates below); an 'At plan start' column holds flows at the valuation date itself.",
    ).font = NOTE_FONT
    cal = case.calendar
    length = max([cal.horizon, *(line.flows.length for line in case.lines)])
    opening = any(line.flows.has_opening for line in case.lines)
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
    for line in case.lines:
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
