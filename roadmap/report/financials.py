"""Financials sheet: the whole plan's cash flows, period by period, enough to redo NPV and
payback by hand."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import EvaluationWindow
from roadmap.excel.writing import finish_sheet, put, write_table, write_title
from roadmap.money.finance import irr_note, mirr_rates, plan_cash_flows
from roadmap.plan_facts import CashRow, PlanFacts
from roadmap.report.bounds import bounded_percent
from roadmap.report.layout import Formats, TableSpot, refit, spot

HEADERS = [
    "Period",
    "Period end",
    "In horizon",
    "Capex",
    "One-off opex",
    "Run cost",
    "Benefits",
    "Legacy savings",
    "Other (signed)",
    "Net cash flow",
    "Cumulative net",
    "Discount factor",
    "Discounted net",
    "Cumulative discounted",
]
MONEY = [h for h in HEADERS if h not in ("Period", "Period end", "In horizon", "Discount factor")]


def convention(facts: PlanFacts) -> str:
    s = facts.plan.portfolio.settings
    cal = facts.calendar
    rate = cal.per_period_rate(s.discount_rate)
    window = (
        "only the plan's periods"
        if s.evaluation_window is EvaluationWindow.HORIZON
        else "every period to the end of each initiative's useful life, past the horizon where "
        "needed (rows marked 'no')"
    )
    risk = (
        "risk-adjusted by each probability of success" if s.risk_adjusted else "not risk-adjusted"
    )
    return (
        f"Cash flows are booked at the end of each period and discounted at {s.discount_rate:.2%} "
        f"a year ({rate:.4%} a period): discount factor = 1 / (1 + {rate:.6f})^(period number). "
        f"Window: {window}. Benefits and legacy savings are {risk}. Costs of work done before the "
        "plan start are sunk and left out. 'Other' (Cash flows sheet) is signed: + salvage or "
        "refund, - a later outlay; the 'At plan start' row (factor 1, kept when empty) is where "
        "Excel's IRR and MIRR of the Net cash flow column start (formulas below the table). "
        + _npv_rule(facts)
        + _escalation_rule(facts)
    )


def table_rows(facts: PlanFacts) -> list[CashRow]:
    """The rows of the table: the plan's cash rows, led by the valuation date's row (zeros when
    nothing falls on it): Excel's IRR and MIRR count their first value as time 0."""
    rows = list(facts.cash)
    if not rows or rows[0].period != -1:
        start = facts.calendar.plan_start
        rows.insert(0, CashRow(-1, "At plan start", start, True, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0))
    return rows


def mirr_convention(facts: PlanFacts) -> str:
    """How the plan's MIRR is obtained, in Excel's terms (written beside the figure)."""
    s = facts.plan.portfolio.settings
    finance, reinvest = mirr_rates(s, facts.calendar)
    ppy = facts.calendar.periods_per_year
    text = (
        f"= (1 + MIRR(Net cash flow from 'At plan start' to the last flow, {finance:.6f}, "
        f"{reinvest:.6f}))^{ppy} - 1: money out discounted to the plan start at the finance "
        "rate, money in compounded to the last flow at the reinvestment rate, both per period. "
        "Without the 'At plan start' row Excel's MIRR counts from the end of the first period "
        "and differs."
    )
    if has_dated(facts):
        text += (
            " Dated flows are taken at their exact days, so the column's MIRR is close, not equal."
        )
    return text


def irr_convention(facts: PlanFacts) -> str:
    ppy = facts.calendar.periods_per_year
    text = f"= (1 + IRR(Net cash flow from 'At plan start' to the last flow))^{ppy} - 1"
    note = irr_note(facts.headline.metrics)
    if note:
        text += f". {note}"
    if has_dated(facts):
        text += ". Dated flows: Excel's XIRR on their exact days, so the column's IRR is close, not equal"
    return text


def has_dated(facts: PlanFacts) -> bool:
    p = facts.plan.portfolio
    return any(
        line.flow_date is not None
        for i in facts.plan.starts
        for line in p.cash_flows_by_initiative.get(i, ())
    )


def _npv_rule(facts: PlanFacts) -> str:
    p = facts.plan.portfolio
    chosen = [i for i in p.initiatives if i.id in facts.plan.starts]
    own = [f"{i.id} {i.hurdle_rate:.2%}" for i in chosen if i.hurdle_rate is not None]
    dated = has_dated(facts)
    out = "NPV = sum of Discounted net."
    if own:
        out += (
            " Discounted net adds each initiative's net cash flow discounted at its own rate: "
            "its hurdle rate (" + ", ".join(own) + "), the others at the discount rate; the "
            "Discount factor column is the discount rate's, so Discounted net differs from Net "
            "x Discount factor in periods with hurdle-rate flows."
        )
    if dated:
        out += (
            " Dated flows (Cash flows rows with a Date) are counted in the period that holds "
            "them and discounted by exact days from the plan start (actual/365, as Excel's "
            "XNPV), so their period's Discounted net is not Net x Discount factor either."
        )
    return out


def _escalation_rule(facts: PlanFacts) -> str:
    s = facts.plan.portfolio.settings
    own = any(
        i.cost_escalation is not None or i.benefit_escalation is not None
        for i in facts.plan.portfolio.initiatives
    )
    if not (s.cost_escalation or s.benefit_escalation or own):
        return ""
    return (
        f" Escalation: costs {s.cost_escalation:.2%} and benefits {s.benefit_escalation:.2%} a "
        "year (some initiatives their own), compounding from the plan start; budgets compare "
        "spend in plan-start prices."
    )


def _probability_note(facts: PlanFacts, fmt: Formats) -> tuple[str, object, str, str]:
    """The inflows the other way round from the table: at face value when the table is
    risk-adjusted, probability-weighted when it is not."""
    plan = facts.plan
    adjusted = plan.portfolio.settings.risk_adjusted
    other = plan_cash_flows(plan.portfolio, plan.starts, facts.calendar, risk_adjusted=not adjusted)
    total = float(other.benefit.sum() + other.legacy_saving.sum() + other.opening[3:5].sum())
    shown = sum(c.benefit + c.legacy_saving for c in table_rows(facts))
    if adjusted:
        return (
            "Benefits + legacy savings at 100 % probability of success",
            total,
            fmt.money,
            "the Benefits and Legacy savings columns are each initiative's at face value x its "
            f"Probability of success (Roadmap sheet): risk adjustment {shown - total:,.0f}",
        )
    return (
        "Benefits + legacy savings weighted by probability of success",
        total,
        fmt.money,
        "Settings: not risk-adjusted, so the columns are at face value; weighted by each "
        "initiative's Probability of success (Roadmap sheet) they would be this",
    )


def write_financials(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> TableSpot:
    """Returns where the cash-flow table sits (the Summary chart reads Cumulative net)."""
    top = write_title(ws, "Financials", convention(facts))
    rows: list[list[object]] = []
    cum = cum_disc = 0.0
    table = table_rows(facts)
    for c in table:
        cum += c.net
        cum_disc += c.discounted
        rows.append(
            [
                c.label,
                c.last_day,
                "yes" if c.in_horizon else "no",
                c.capex,
                c.opex,
                c.run_cost,
                c.benefit,
                c.legacy_saving,
                c.other,
                c.net,
                cum,
                c.discount_factor,
                c.discounted,
                cum_disc,
            ]
        )
    formats = {h: fmt.money for h in MONEY}
    formats["Period end"] = fmt.date
    formats["Discount factor"] = "0.0000"
    last, _ = write_table(ws, HEADERS, rows, name="Financials", top=top, formats=formats)
    total_row = last + 1
    put(ws, total_row, 1, "Total").font = Font(bold=True)
    totals = {
        "Capex": sum(c.capex for c in table),
        "One-off opex": sum(c.opex for c in table),
        "Run cost": sum(c.run_cost for c in table),
        "Benefits": sum(c.benefit for c in table),
        "Legacy savings": sum(c.legacy_saving for c in table),
        "Other (signed)": sum(c.other for c in table),
        "Net cash flow": sum(c.net for c in table),
        "Discounted net": sum(c.discounted for c in table),
    }
    for header, value in totals.items():
        put(ws, total_row, HEADERS.index(header) + 1, value, fmt.money).font = Font(bold=True)
    m = facts.headline.metrics
    notes: list[tuple[str, object, str, str]] = [
        ("NPV (sum of Discounted net)", m.npv, fmt.money, ""),
        ("Payback date (cumulative net turns non-negative)", m.payback_date, fmt.date, ""),
        ("Discounted payback date", m.discounted_payback_date, fmt.date, ""),
        ("IRR (per year)", m.irr_annual, bounded_percent("0.00%"), irr_convention(facts)),
        ("MIRR (per year)", m.mirr_annual, bounded_percent("0.00%"), mirr_convention(facts)),
    ]
    notes.append(_probability_note(facts, fmt))
    plan = facts.plan
    if abs(plan.capacity_fte_years) > 1e-9:
        cost = plan.capacity_cost
        how = (
            f"{plan.capacity_fte_years:+,.1f} FTE-years of team capacity added by the scenario, at "
            "the Teams' cost per FTE-year, discounted to plan start; not a cash flow of any "
            "initiative, so not in the table above"
        )
        notes.append(("Cost of capacity added (vs base case)", cost, fmt.money, how))
        net = None if cost is None else m.npv - cost
        notes.append(("NPV net of capacity cost", net, fmt.money, "NPV minus that cost"))
    top_aligned = Alignment(vertical="top")  # label and figure level with a wrapped note
    for k, (label, figure, number_format, how) in enumerate(notes):
        put(ws, total_row + 2 + k, 1, label).alignment = top_aligned
        shown = (
            ("not reached" if "payback" in label.lower() else "n/a") if figure is None else figure
        )
        put(ws, total_row + 2 + k, 4, shown, number_format).alignment = top_aligned
        if how:  # wrapped across the table's width: run on, it would print off the page
            row = total_row + 2 + k
            cell = put(ws, row, 5, how)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            last_col = HEADERS.index("Cumulative net") + 1  # the first printed page's width
            ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=last_col)
            ws.row_dimensions[row].height = 15 * (1 + len(how) // 90)
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top, maximum=22)
    return spot(ws, HEADERS, top, last)
