"""The money case of every candidate (``roadmap roi``): what is shown and the roi workbook.

``roi_case`` is pure: it picks each initiative's start and computes its cash flows, metrics and
score. ``write_roi_workbook`` lays that out as sheets: Metrics (one row per initiative, ranked
by NPV), Cash flows (every figure behind the metrics, period by period, for the first
``CASH_FLOW_TABLES`` initiatives or all), Cash flows by year (every initiative's net and
discounted net per fiscal year), Dated flows (when there are any) and Method (the conventions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import EvaluationWindow, Finding, Initiative, Portfolio, Status
from roadmap.excel.printing import describe
from roadmap.excel.writing import (
    DATE,
    PERCENT,
    finish_sheet,
    save_atomic,
    write_table,
    write_title,
)
from roadmap.money.calendar import Calendar
from roadmap.money.criteria import criteria_scores
from roadmap.money.finance import (
    CashFlows,
    Metrics,
    annual_rate,
    cash_flows,
    earliest_start_period,
    escalation,
    irr_note,
    mirr_rates,
)
from roadmap.money.many import metrics_many
from roadmap.optimize.windows import EMPTY, start_windows
from roadmap.plan_facts.dates import period_end, period_start
from roadmap.report.bounds import bounded_percent
from roadmap.report.layout import Formats, refit, wrap_rows
from roadmap.report.roi_flows import (
    BY_YEAR_SHEET,
    CASH_FLOW_TABLES,
    tabled,
    tables_note,
    write_cash_flows,
    write_cash_flows_by_year,
    write_dated,
)
from roadmap.runtime.bulk import bulk_work

TIMING = (
    "End of period: a cash flow in plan period t (t = 0 is the first) is discounted by "
    "(1 + r_p)^(t + 1), as Excel's NPV does; r_p = (1 + annual rate)^(1 / periods per year) - 1."
)


@dataclass(frozen=True)
class RoiLine:
    initiative: Initiative
    start: int
    flows: CashFlows
    metrics: Metrics
    score: float | None
    rate: float | None = None  # the initiative's discount rate per period (its hurdle rate)


@dataclass(frozen=True)
class RoiCase:
    portfolio: Portfolio
    calendar: Calendar
    rate: float  # per period
    risk_adjusted: bool
    start_rule: str
    lines: tuple[RoiLine, ...]  # ranked by NPV, best first
    left_out: tuple[str, ...]  # done or excluded initiatives
    warnings: tuple[Finding, ...]


def start_period(
    ini: Initiative, rule: str, calendar: Calendar, after_predecessors: int | None = None
) -> int:
    """Work in progress keeps its actual start; the rest start at their earliest allowed period
    ("earliest": its Earliest start, and not before its predecessors can finish, lags
    included: ``after_predecessors``), at the plan start ("plan-start") or in the period
    containing a given date."""
    if ini.status is Status.IN_PROGRESS:
        return earliest_start_period(ini, calendar)
    if rule == "earliest":
        own = earliest_start_period(ini, calendar)
        return own if after_predecessors is None else max(own, after_predecessors)
    if rule == "plan-start":
        return 0
    return calendar.period_of(date.fromisoformat(rule))


def _after_predecessors(portfolio: Portfolio, calendar: Calendar) -> dict[str, int]:
    """The earliest start each initiative's dependency chain allows (the optimizer's windows;
    an initiative whose chain cannot be placed is left out)."""
    windows = start_windows(portfolio, calendar)
    return {iid: w.earliest for iid, w in windows.items() if w != EMPTY}


@bulk_work()
def roi_case(
    portfolio: Portfolio, *, start: str = "earliest", risk_adjusted: bool | None = None
) -> RoiCase:
    settings = portfolio.settings
    calendar = Calendar.from_settings(settings)
    risk = settings.risk_adjusted if risk_adjusted is None else risk_adjusted
    rate = calendar.per_period_rate(settings.discount_rate)
    scored = criteria_scores(portfolio)
    chains = _after_predecessors(portfolio, calendar) if start == "earliest" else {}
    left_out: list[str] = []
    chosen: list[tuple[Initiative, int, CashFlows, float]] = []
    for ini in portfolio.initiatives:
        if ini.excluded or ini.status is Status.DONE:
            left_out.append(ini.id)
            continue
        s = start_period(ini, start, calendar, chains.get(ini.id))
        flows = cash_flows(ini, s, calendar, settings, portfolio, risk_adjusted=risk)
        own = calendar.per_period_rate(annual_rate(ini, settings))
        chosen.append((ini, s, flows, own))
    metrics = metrics_many(
        [c[2] for c in chosen],
        calendar,
        [c[3] for c in chosen],
        [c[1] for c in chosen],
        *mirr_rates(settings, calendar),
    )
    lines = [
        RoiLine(ini, s, flows, m, scored.scores.get(ini.id) if portfolio.criteria else None, own)
        for (ini, s, flows, own), m in zip(chosen, metrics, strict=True)
    ]
    lines.sort(key=lambda line: (-line.metrics.npv, line.initiative.id))
    return RoiCase(
        portfolio, calendar, rate, risk, start, tuple(lines), tuple(left_out), scored.warnings
    )


def method_rows(case: RoiCase) -> list[tuple[str, object]]:
    """The conventions, in words, for the Method sheet and the terminal header."""
    s = case.portfolio.settings
    cal = case.calendar
    window = (
        "plan horizon only (cash flows after the last plan period are ignored)"
        if s.evaluation_window is EvaluationWindow.HORIZON
        else "useful life (each initiative followed to the end of its useful life, past the "
        "horizon if need be)"
    )
    return [
        ("Input", case.portfolio.source or "(in memory)"),
        ("Currency", s.currency),
        ("Plan start", cal.plan_start.isoformat()),
        ("Period", f"{s.period.value} ({cal.periods_per_year} per year), horizon {cal.horizon}"),
        ("Discount rate (annual)", s.discount_rate),
        ("Discount rate (per period)", case.rate),
        ("Periods per year", cal.periods_per_year),
        ("Timing", TIMING),
        ("Values at", f"plan start, {cal.plan_start.isoformat()}"),
        ("Evaluation window", window),
        (
            "Risk adjustment",
            "benefits and legacy savings scaled by the probability of success; costs not scaled"
            if case.risk_adjusted
            else "none: benefits at face value (--no-risk)",
        ),
        (
            "Starts",
            {
                "earliest": "each initiative at its earliest allowed start: its Earliest start, "
                "and not before its predecessors can finish (lags included)",
                "plan-start": "every initiative at the plan start",
            }.get(case.start_rule, f"every initiative in the period containing {case.start_rule}")
            + "; work in progress at its actual start, with earlier spend treated as sunk",
        ),
        (
            "Build and run",
            "capex and one-off opex spread over the build periods (evenly or by the cost "
            "profile); run cost = annual / periods per year from go-live to the end of the "
            "useful life",
        ),
        (
            "Benefits",
            "annual / periods per year from go-live; with a ramp-up of R periods the k-th live "
            "period (k = 0, 1, …) earns min(1, (k + 1) / (R + 1)) of the full rate",
        ),
        ("Legacy savings", "run cost of each retired system, from go-live"),
        ("Cash flows sheet", _explicit_note(case)),
        ("Dated flows", _dated_note(case)),
        ("NPV", "sum of discounted net cash flows (the 'Discounted net' line)"),
        (
            "IRR",
            "rate per period at which the net cash flows from the start have zero NPV; "
            "annual = (1 + IRR per period)^periods per year - 1; n/a without a sign change; "
            "beyond 1,000 % a year shown as '> 1,000 %' (the exact figure says nothing more); "
            "with dated flows the XIRR (Excel's XIRR): every flow at its exact time. Flows whose "
            "sign changes more than once can have several IRRs: every real root above -100 % "
            "is found and the one shown is the one Excel reports (Newton's iteration from "
            "Excel's 10 % guess; if that does not settle, the root nearest 10 %); the Note "
            "column lists them all, and the MIRR is then the figure to quote",
        ),
        ("MIRR", _mirr_note(case)),
        ("Escalation", _escalation_note(case)),
        ("Hurdle rates", _hurdle_note(case)),
        ("ROI", "(benefits + legacy savings - costs) / costs, undiscounted; n/a without costs"),
        (
            "Payback",
            "periods from the start until the cumulative net cash flow is back to zero, "
            "interpolated within the period as if its flows came in evenly (date: by days); a "
            "dated flow counts whole on its own day, so with dated flows payback is the day the "
            "cumulative cash turns; never before the first inflow; in years = periods / periods per "
            "year; discounted payback uses the discounted net; not reached within the window: "
            "the cells are left empty and the Note column says so",
        ),
        ("Total cost", "capex + one-off opex + run cost over the window (cost of ownership)"),
        ("Benefit/cost ratio", "present value of benefits / present value of costs"),
    ]


LISTED = 50  # initiatives named in a Method note; beyond, a count and where to find them all


def listed(items: list[str], where: str) -> str:
    """'A, B, C': up to ``LISTED`` items; more are counted, with ``where`` every one is."""
    if len(items) <= LISTED:
        return ", ".join(items)
    rest = len(items) - LISTED
    return f"{', '.join(items[:LISTED])} and {rest:,} more (all {len(items):,}: {where})"


def _mirr_note(case: RoiCase) -> str:
    s = case.portfolio.settings
    finance = s.discount_rate if s.finance_rate is None else s.finance_rate
    reinvest = s.discount_rate if s.reinvestment_rate is None else s.reinvestment_rate
    return (
        f"modified IRR (Excel's MIRR): money out discounted to the start at the finance rate "
        f"{finance:.2%} a year, money in compounded to the last flow at the reinvestment rate "
        f"{reinvest:.2%} a year (blank Settings: the discount rate), both per period; "
        "annual = (1 + MIRR per period)^periods per year - 1"
    )


def _escalation_note(case: RoiCase) -> str:
    s = case.portfolio.settings
    own = [
        f"{line.initiative.id} {c:.2%} / {b:.2%}"
        for line in case.lines
        for c, b in [escalation(line.initiative, s)]
        if line.initiative.cost_escalation is not None
        or line.initiative.benefit_escalation is not None
    ]
    return (
        f"costs {s.cost_escalation:.2%} a year and benefits {s.benefit_escalation:.2%} a year, "
        "compounding from the plan start to each flow (amounts are in plan-start prices; a flow "
        "at the end of period t grows by (1 + e)^((t + 1) / periods per year)); legacy savings "
        "grow with costs, 'other' is taken as typed; budgets compare spend in plan-start prices"
        + (
            f". Own rates (costs / benefits): {listed(own, 'the Initiatives sheet of the input')}"
            if own
            else ""
        )
    )


def _hurdle_note(case: RoiCase) -> str:
    s = case.portfolio.settings
    own = [
        f"{line.initiative.id} at {line.initiative.hurdle_rate:.2%}"
        for line in case.lines
        if line.initiative.hurdle_rate is not None
    ]
    if not own:
        return f"none: every NPV at the discount rate {s.discount_rate:.2%} a year"
    return (
        "NPV (and the discount factors of its cash-flow table) of "
        f"{listed(own, 'the Discount rate column of Metrics')} a year; "
        f"the others at the discount rate {s.discount_rate:.2%}"
    )


def _dated_note(case: RoiCase) -> str:
    dated = [line.initiative.id for line in case.lines if len(line.flows.dated)]
    rule = (
        "a Cash flows row with a Date is on that day for a start at the initiative's earliest "
        "start and moves by whole periods with the start; it is counted in the period that "
        "contains it (budgets, Cash flows sheet) and discounted by exact days from the plan "
        "start, actual/365 as Excel's XNPV: amount / (1 + annual rate)^(days / 365); the "
        "'Discounted net' line includes those exact factors and the Dated flows sheet lists "
        "them; IRR and MIRR of such a case use the same exact times (Excel's XIRR); "
        "escalation is counted to the end of the period that holds the flow"
    )
    return f"{rule}. Here: {listed(dated, 'the Dated flows sheet') if dated else 'none'}"


def _explicit_note(case: RoiCase) -> str:
    shown = {line.initiative.id for line in case.lines}
    rows = case.portfolio.cash_flows_by_initiative
    explicit = [i.id for i in case.portfolio.initiatives if i.id in shown and i.id in rows]
    rule = (
        "an initiative with rows on the Cash flows sheet takes its capex, one-off opex, run "
        "cost and benefits from them instead of its Initiatives columns: year k (k >= 1) "
        "counted from the start or the go-live is spread evenly over the periods of that year, "
        "period k is one period; year 0 / period 0 is the start (or go-live) moment itself, "
        "the end of the period before, and for a start at the plan start the valuation date "
        "(discount factor 1); 'other' is signed and never risk-adjusted"
    )
    here = listed(explicit, "the Cash flows sheet of the input") if explicit else "none"
    return f"{rule}. Here: {here}"


METRIC_HEADERS = (
    "Rank",
    "ID",
    "Name",
    "Status",
    "Start",
    "Go-live",
    "NPV",
    "Discount rate",
    "IRR per period",
    "IRR (annual)",
    "MIRR (annual)",
    "ROI",
    "Payback (periods)",
    "Payback (years)",
    "Payback date",
    "Discounted payback (periods)",
    "Discounted payback (years)",
    "Discounted payback date",
    "Total cost",
    "Benefits",
    "PV of costs",
    "PV of benefits",
    "Benefit/cost ratio",
    "Score",
    "Note",
)
NOT_REACHED = "not reached within the evaluation window"


def blank_reasons(m: Metrics) -> str:
    """Why a figure's cell is empty: dates and numbers stay numbers (they sort and filter), the
    reason is written here instead."""
    reasons = []
    if m.payback_date is None:
        reasons.append(f"payback {NOT_REACHED}")
    if m.discounted_payback_date is None and m.payback_date is not None:
        reasons.append(f"discounted payback {NOT_REACHED}")
    if m.irr_period is None:
        reasons.append("IRR: the net cash flows never change sign")
    note = irr_note(m)
    if note:
        reasons.append(f"IRR: {note}")
    if m.roi is None:
        reasons.append("ROI: no costs")
    return "; ".join(reasons)


def _annual(line: RoiLine, cal: Calendar) -> float | None:
    return None if line.rate is None else (1.0 + line.rate) ** cal.periods_per_year - 1.0


def _years(periods: float | None, cal: Calendar) -> float | None:
    return None if periods is None else periods / cal.periods_per_year


def _metric_row(rank: int, line: RoiLine, cal: Calendar) -> list[object]:
    m, ini = line.metrics, line.initiative
    return [
        rank,
        ini.id,
        ini.name,
        ini.status.value,
        period_start(cal, line.start),
        period_end(cal, line.start + ini.duration - 1),  # the plan's go-live: end of build
        m.npv,
        _annual(line, cal),
        m.irr_period,  # numbers; beyond 1,000 % a year the number format shows the bound
        m.irr_annual,
        m.mirr_annual,
        m.roi,
        m.payback_periods,
        _years(m.payback_periods, cal),
        m.payback_date,
        m.discounted_payback_periods,
        _years(m.discounted_payback_periods, cal),
        m.discounted_payback_date,
        m.total_cost,
        m.total_inflow,
        m.pv_cost,
        m.pv_inflow,
        m.benefit_cost_ratio,
        line.score,
        blank_reasons(m),
    ]


def _write_metrics(ws: Worksheet, case: RoiCase, fmt: Formats, tables: int | None) -> None:
    if len(tabled(case, tables)) == len(case.lines):
        where = "every figure can be recomputed from the Cash flows sheet."
    else:
        where = (
            f"every figure of the first {len(tabled(case, tables)):,} can be recomputed from the "
            f"Cash flows sheet; every NPV from the {BY_YEAR_SHEET} sheet."
        )
    top = write_title(
        ws,
        "Money case per initiative",
        f"Ranked by NPV at plan start ({case.calendar.plan_start.isoformat()}), "
        f"{case.portfolio.settings.currency}. Conventions on the Method sheet; {where}",
    )
    rows = [_metric_row(k, line, case.calendar) for k, line in enumerate(case.lines, start=1)]
    money = {h: fmt.money for h in ("NPV", "Total cost", "Benefits", "PV of costs")}
    money["PV of benefits"] = fmt.money
    formats = {
        **money,
        "IRR per period": bounded_percent("0.00%", case.calendar.periods_per_year),
        "IRR (annual)": bounded_percent(PERCENT),
        "MIRR (annual)": bounded_percent(PERCENT),
        "Discount rate": PERCENT,
        "ROI": PERCENT,
        "Payback (periods)": "0.00",
        "Payback (years)": "0.00",
        "Discounted payback (periods)": "0.00",
        "Discounted payback (years)": "0.00",
        "Benefit/cost ratio": "0.00",
        "Score": "0.0",
        "Start": DATE,
        "Go-live": DATE,
        "Payback date": DATE,
        "Discounted payback date": DATE,
    }
    last, _ = write_table(ws, METRIC_HEADERS, rows, name="Metrics", top=top, formats=formats)
    finish_sheet(ws, header_row=top, freeze_col=3)  # rank, ID and name on every printed page
    refit(ws, top, maximum=36)
    # the width of the bound's text, which the fit (by the numbers) does not see
    for header in ("IRR per period", "IRR (annual)", "MIRR (annual)"):
        letter = get_column_letter(METRIC_HEADERS.index(header) + 1)
        dim = ws.column_dimensions[letter]
        dim.width = max(dim.width or 0, 14)
    wrap_rows(ws, top + 1, last, [METRIC_HEADERS.index(h) + 1 for h in ("Name", "Note")])


def _write_method(ws: Worksheet, case: RoiCase, tables: int | None) -> None:
    top = write_title(ws, "Method", "How every figure in this workbook is computed.")
    rows: list[list[object]] = [list(r) for r in method_rows(case)]
    left_out = listed(list(case.left_out), "Status and Excluded on the input's Initiatives sheet")
    rows.append(["Left out", left_out or "none (done and excluded are left out)"])
    rows.append(
        [
            "Cash-flow tables",
            tables_note(case, tables)
            or "a period-by-period table for every initiative on the Cash flows sheet",
        ]
    )
    write_table(ws, ("Item", "Convention"), rows, name="Method", top=top)
    for r in range(top + 1, top + 1 + len(rows)):
        if str(ws.cell(r, 1).value).startswith("Discount rate"):
            ws.cell(r, 2).number_format = "0.0000%"
            ws.cell(r, 2).alignment = Alignment(horizontal="left")
    finish_sheet(ws, header_row=top, freeze_col=0)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
    # wrapped: a long convention run on past its column widens the printed page to its end
    wrap_rows(ws, top + 1, top + len(rows), [2])


@bulk_work()
def write_roi_workbook(
    case: RoiCase,
    path: Path,
    *,
    force: bool = False,
    protect: Path | None = None,
    tables: int | None = CASH_FLOW_TABLES,
) -> None:
    """Write the roi workbook atomically (refusing an existing file unless ``force``).
    ``tables``: how many initiatives, best NPV first, get a period-by-period table on the Cash
    flows sheet (None: all); every one is on the Cash flows by year sheet."""
    fmt = Formats.for_currency(case.portfolio.settings.currency)
    wb = Workbook()
    stem = Path(case.portfolio.source).stem if case.portfolio.source else "portfolio"
    describe(wb, f"Money case: {stem}", "NPV, IRR, ROI and payback of every candidate")
    metrics = wb.active
    assert metrics is not None
    metrics.title = "Metrics"
    _write_metrics(metrics, case, fmt, tables)
    write_cash_flows(wb.create_sheet("Cash flows"), case, fmt, tables)
    write_cash_flows_by_year(wb.create_sheet(BY_YEAR_SHEET), case, fmt)
    if any(len(line.flows.dated) for line in case.lines):
        write_dated(wb.create_sheet("Dated flows"), case, fmt)
    _write_method(wb.create_sheet("Method"), case, tables)
    save_atomic(wb, path, force=force, protect=protect)
