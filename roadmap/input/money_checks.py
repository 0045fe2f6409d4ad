"""Checks on the money inputs: useful life against the period length, and the Cash flows rows.

Same shape as ``roadmap.input.checks``: portfolio and a ``Where`` in, findings out; the wording
lives in ``roadmap.input.rules``.
"""

from __future__ import annotations

from roadmap.domain import (
    CashFlowLine,
    EvaluationWindow,
    Finding,
    FlowBasis,
    FlowCategory,
    Initiative,
    Portfolio,
    Status,
)
from roadmap.input.checks import Where, _calendar
from roadmap.input.schema import INITIATIVES
from roadmap.money.starts import earliest_start_period

_TOLERANCE = 1e-6


def check_useful_life(p: Portfolio, where: Where) -> list[Finding]:
    """A useful life shorter than one period is an error (it would round to no live period, and
    the benefits would silently vanish); one that is not a whole number of periods is rounded to
    the nearest, and said."""
    cal = _calendar(p)
    if cal is None:
        return []
    ppy, period = cal.periods_per_year, p.settings.period.value
    out = []
    for ini in p.initiatives:
        exact = ini.useful_life * ppy
        if ini.useful_life < 0:
            continue  # below the column minimum: said by check_ranges
        if exact < 1 - _TOLERANCE:
            out.append(
                where(
                    "useful-life-too-short",
                    ini.row,
                    id=ini.id,
                    years=f"{ini.useful_life:g}",
                    period=period,
                    shortest=f"{1 / ppy:.4g}",
                )
            )
        elif abs(exact - round(exact)) > _TOLERANCE:
            out.append(
                where(
                    "useful-life-rounded",
                    ini.row,
                    id=ini.id,
                    years=f"{ini.useful_life:g}",
                    exact=f"{exact:.4g}",
                    period=period,
                    taken=cal.years_to_periods(ini.useful_life),
                )
            )
    return out


_MONEY_COLUMNS = ("capex", "one_off_opex", "run_cost", "benefit_revenue", "benefit_saving")


def check_cash_flows(p: Portfolio, where: Where) -> list[Finding]:
    """Every Cash flows row names a known initiative, exactly one of Year, Period and Date, and a
    non-negative amount unless it is 'other'; an initiative with rows is told that its money
    columns are not used."""
    sheet = "Cash flows"
    known = p.initiative_by_id
    out: list[Finding] = []
    for line in p.cash_flows:
        if line.initiative not in known:
            out.append(
                where(
                    "unknown-reference",
                    line.row,
                    sheet,
                    "initiative",
                    value=line.initiative,
                    target="Initiatives",
                )
            )
        if line.flow_date is not None:
            out.extend(_dated_row(p, line, where))
        elif (line.year is None) == (line.period is None):
            which = (
                "both Year and Period are given"
                if line.year is not None
                else "none of Year, Period and Date is given"
            )
            out.append(where("cash-flow-year-or-period", line.row, which=which))
        if line.amount < 0 and line.category is not FlowCategory.OTHER:
            out.append(
                where(
                    "negative-cash-flow",
                    line.row,
                    category=line.category.value,
                    value=f"{line.amount:,.2f}",
                )
            )
    for iid, lines in p.cash_flows_by_initiative.items():
        ini = known.get(iid)
        if ini is None:
            continue
        used = [INITIATIVES.column(k).header for k in _MONEY_COLUMNS if getattr(ini, k, 0.0) != 0.0]
        if used:
            out.append(
                where(
                    "cash-flows-replace-columns",
                    ini.row,
                    "Initiatives",
                    _first_used(ini),
                    id=iid,
                    rows=len(lines),
                    columns=", ".join(used),
                )
            )
    return out


def _dated_row(p: Portfolio, line: CashFlowLine, where: Where) -> list[Finding]:
    """A dated row has no Year or Period, falls on or after its initiative's start (as planned
    at its earliest start) and, under the horizon window, inside the plan."""
    day = line.flow_date
    assert day is not None
    out: list[Finding] = []
    for other, value in (("Year", line.year), ("Period", line.period)):
        if value is not None:
            out.append(where("cash-flow-date-and-year", line.row, day=day.isoformat(), other=other))
    if line.counted_from is FlowBasis.GO_LIVE:
        out.append(
            where(
                "cash-flow-date-counted-from",
                line.row,
                basis=line.counted_from.value,
                day=day.isoformat(),
            )
        )
    cal = _calendar(p)
    ini = p.initiative_by_id.get(line.initiative)
    if cal is None or ini is None:
        return out
    anchor = earliest_start_period(ini, cal)
    if cal.period_of(day) < anchor:
        if ini.status is Status.IN_PROGRESS and ini.actual_start is not None:
            which = "its actual start"
        elif ini.earliest_start is not None and anchor > 0:
            which = "its earliest start"
        else:
            which = "the plan start"
        start = cal.start(anchor).isoformat()
        out.append(
            where(
                "cash-flow-date-before-start",
                line.row,
                day=day.isoformat(),
                id=ini.id,
                start=start,
                which=which,
            )
        )
    elif (
        p.settings.evaluation_window is EvaluationWindow.HORIZON
        and cal.period_of(day) >= cal.horizon
    ):
        last = cal.end(cal.horizon - 1).isoformat()
        out.append(where("cash-flow-date-after-plan", line.row, day=day.isoformat(), last=last))
    return out


def _first_used(ini: Initiative) -> str:
    return next(k for k in _MONEY_COLUMNS if getattr(ini, k, 0.0) != 0.0)
