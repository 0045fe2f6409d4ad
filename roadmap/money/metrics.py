"""The metrics of one cash-flow series: NPV, IRR, MIRR, ROI, payback. With ``finance``, the
only user of numpy-financial.

A series is a :class:`roadmap.money.finance.CashFlows` on the plan calendar: flows booked at the
end of their periods, plus the flows at the valuation date itself (``opening``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import numpy_financial as npf

from roadmap.money.calendar import Calendar
from roadmap.money.xirr import xirr, xmirr

if TYPE_CHECKING:
    from roadmap.money.series import CashFlows, Discounted


@dataclass(frozen=True)
class Metrics:
    """The money case of one initiative or one plan over its evaluation window.

    Payback is counted in periods from the beginning of ``origin`` (the initiative's start, or
    the plan start), interpolated inside the period where the cumulative net flow turns
    non-negative as if that period's flow came in evenly; ``None`` = not within the window.
    Undefined ratios (IRR without a sign change, ROI or benefit/cost ratio without costs) are
    ``None`` and shown as "n/a".
    """

    npv: float  # at plan start, end-of-period discounting
    irr_period: float | None
    irr_annual: float | None
    roi: float | None  # (inflows - costs) / costs, undiscounted
    payback_periods: float | None
    payback_date: date | None
    discounted_payback_periods: float | None
    discounted_payback_date: date | None
    total_cost: float  # total cost of ownership: capex + one-off opex + run cost, undiscounted
    total_inflow: float  # benefits + legacy savings, undiscounted
    pv_cost: float
    pv_inflow: float
    benefit_cost_ratio: float | None  # pv_inflow / pv_cost
    origin: int = 0  # the period payback is counted from
    periods: int = 0  # length of the evaluation window, in periods from plan start
    mirr_period: float | None = None  # modified IRR (finance and reinvestment rates)
    mirr_annual: float | None = None
    npv_by_hurdle: bool = False  # a plan NPV that adds initiative NPVs at their own rates


def npv(rate: float, flows: np.ndarray | list[float]) -> float:
    """Value at the start of period 0 of flows booked at the END of periods 0, 1, …

    ``numpy_financial.npv`` discounts its first value by ``(1 + rate) ** 0``; a leading zero
    shifts every flow one period later, which is Excel's NPV convention and ours.
    """
    return float(npf.npv(rate, np.concatenate([[0.0], np.asarray(flows, dtype=float)])))


def irr(flows: np.ndarray | list[float]) -> float | None:
    """Per-period internal rate of return, or ``None`` when it is undefined (no sign change).

    Leading and trailing zero periods change neither the roots nor their meaning, and numpy's
    root finder is steadier without them.
    """
    x = np.asarray(flows, dtype=float)
    nz = np.flatnonzero(np.abs(x) > 1e-9)
    if nz.size == 0:
        return None
    x = x[nz[0] : nz[-1] + 1]
    if not (np.any(x > 0) and np.any(x < 0)):
        return None
    value = float(npf.irr(x))
    return None if not np.isfinite(value) else value


IRR_SHOWN_LIMIT = 10.0  # 1,000 %: beyond this an IRR is shown as a bound, not a figure


def irr_bound(rate: float | None) -> str | None:
    """ "> 1,000 %" (or "< -1,000 %") for a rate beyond what a figure can usefully say, else None.

    An item that pays back within a month has an annual IRR in the trillions of percent: exact,
    but meaningless to a reader; the bound says what matters."""
    if rate is None:
        return None
    if rate > IRR_SHOWN_LIMIT:
        return "> 1,000 %"
    if rate < -IRR_SHOWN_LIMIT:
        return "< -1,000 %"
    return None


def mirr(flows: np.ndarray | list[float], finance: float, reinvest: float) -> float | None:
    """Per-period modified IRR of flows at moments 0, 1, … (Excel's MIRR, numpy-financial's
    mirr): money out discounted to moment 0 at ``finance``, money in compounded to the last
    moment at ``reinvest``. Trailing zero periods are dropped (the case ends with its last flow);
    ``None`` without both signs."""
    x = np.asarray(flows, dtype=float)
    nz = np.flatnonzero(np.abs(x) > 1e-9)
    if nz.size == 0:
        return None
    x = x[: nz[-1] + 1]
    if not (np.any(x > 1e-9) and np.any(x < -1e-9)) or len(x) < 2:
        return None
    value = float(npf.mirr(x, finance, reinvest))
    return None if not np.isfinite(value) else value


def annualise(rate: float | None, periods_per_year: int) -> float | None:
    if rate is None:
        return None
    return float((1.0 + rate) ** periods_per_year - 1.0)


def _payback(
    net: np.ndarray,
    inflows: np.ndarray,
    origin: int,
    opening_net: float = 0.0,
    opening_inflow: float = 0.0,
) -> float | None:
    """Periods from the start of ``origin`` until the cumulative net flow is recovered.

    Only moments on or after the first inflow count, so a plan that spends nothing before its
    first benefit pays back when that benefit starts, never before it. ``opening_*``: the flows
    at the valuation date, before period 0.
    """
    cum = opening_net + np.cumsum(net)
    got = opening_inflow + np.cumsum(inflows) > 0
    hits = np.flatnonzero((cum >= -1e-9) & got & (np.arange(len(net)) >= origin))
    if hits.size == 0:
        return None
    t = int(hits[0])
    before = cum[t - 1] if t > 0 else opening_net
    fraction = 0.0 if before >= 0 or net[t] <= 0 else min(1.0, -before / net[t])
    return t - origin + fraction


def _as_date(calendar: Calendar, origin: int, periods: float | None) -> date | None:
    if periods is None:
        return None
    # the day during which the crossing happens: whole days elapsed, rounded down
    at = origin + periods
    t = int(np.floor(at))
    days = (calendar.start(t + 1) - calendar.start(t)).days
    return calendar.start(t) + timedelta(days=int(np.floor((at - t) * days + 1e-9)))


def period_moments(flows: CashFlows, origin: int = 0) -> np.ndarray:
    """The net flows IRR and MIRR are taken over: moments 0 (the valuation date), 1 (end of
    period 0), …, from the start moment on (``origin``, the start period; before the plan: 0)."""
    return np.concatenate([[flows.opening_net], flows.net])[max(0, origin) :]


def metrics_of(
    flows: CashFlows,
    calendar: Calendar,
    rate: float,
    origin: int = 0,
    finance: float | None = None,
    reinvest: float | None = None,
    discounted: Discounted | None = None,
    known: tuple[float | None, float | None] | None = None,
) -> Metrics:
    """Every metric of one series. ``rate`` is per period; the series starts at plan period 0.
    ``finance`` and ``reinvest`` (per period, default ``rate``) are the MIRR's rates.
    ``discounted``: the present values to use instead of ``flows.discount(rate)`` (a plan whose
    initiatives each have their own rate). ``known``: the IRR and MIRR per period of the
    series' :func:`period_moments`, already found with many others at once
    (``roadmap.money.many``); a series with dated flows ignores it."""
    net, inflows, costs = flows.net, flows.inflows, flows.costs
    o_net, o_in, o_cost = flows.opening_net, flows.opening_inflows, flows.opening_costs
    pv = flows.discount(rate) if discounted is None else discounted
    total_cost, total_inflow = float(costs.sum()) + o_cost, float(inflows.sum()) + o_in
    pv_cost = pv.opening_costs + float(pv.costs.sum())
    pv_inflow = pv.opening_inflows + float(pv.inflows.sum())
    start = max(0, origin)
    f = rate if finance is None else finance
    r = rate if reinvest is None else reinvest
    if len(flows.dated):
        # dated flows: the XIRR and its modified form on exact times (from the start moment on)
        times, amounts = flows.moments()
        later = times >= start - 1e-9
        irr_p = xirr(times[later] - start, amounts[later])
        mirr_p = xmirr(times[later] - start, amounts[later], f, r)
    elif known is not None:
        irr_p, mirr_p = known
    else:
        moments = period_moments(flows, origin)
        irr_p = irr(moments)
        mirr_p = mirr(moments, f, r)
    payback = _payback(net, inflows, start, o_net, o_in)
    disc = _payback(pv.net, inflows, start, pv.opening_net, o_in)
    return Metrics(
        npv=pv.total,
        irr_period=irr_p,
        irr_annual=annualise(irr_p, calendar.periods_per_year),
        roi=(total_inflow - total_cost) / total_cost if total_cost > 1e-9 else None,
        payback_periods=payback,
        payback_date=_as_date(calendar, start, payback),
        discounted_payback_periods=disc,
        discounted_payback_date=_as_date(calendar, start, disc),
        total_cost=total_cost,
        total_inflow=total_inflow,
        pv_cost=pv_cost,
        pv_inflow=pv_inflow,
        benefit_cost_ratio=pv_inflow / pv_cost if pv_cost > 1e-9 else None,
        origin=start,
        periods=flows.length,
        mirr_period=mirr_p,
        mirr_annual=annualise(mirr_p, calendar.periods_per_year),
    )
