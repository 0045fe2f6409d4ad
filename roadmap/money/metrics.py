"""The metrics of one cash-flow series: NPV, IRR, MIRR, ROI, payback. With ``finance``, the
only user of numpy-financial.

A series is a :class:`roadmap.money.finance.CashFlows` on the plan calendar: flows booked at the
end of their periods, plus the flows at the valuation date itself (``opening``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import numpy_financial as npf

from roadmap.money.calendar import Calendar
from roadmap.money.xirr import IrrResult, xirr_result, xmirr

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
    irr_roots: tuple[float, ...] = ()  # every real IRR, per year; more than one: quote MIRR

    @property
    def irr_ambiguous(self) -> bool:
        """More than one rate makes the NPV zero: the IRR shown is one of them (the one Excel
        reports), and MIRR is the figure to quote."""
        return len(self.irr_roots) > 1


def npv(rate: float, flows: np.ndarray | list[float]) -> float:
    """Value at the start of period 0 of flows booked at the END of periods 0, 1, …

    ``numpy_financial.npv`` discounts its first value by ``(1 + rate) ** 0``; a leading zero
    shifts every flow one period later, which is Excel's NPV convention and ours.
    """
    return float(npf.npv(rate, np.concatenate([[0.0], np.asarray(flows, dtype=float)])))


def irr(flows: np.ndarray | list[float]) -> float | None:
    """Per-period internal rate of return of flows at moments 0, 1, … as Excel's IRR reports it
    (``roadmap.money.xirr``: every root found, then the one Newton's iteration from 10 % settles
    on), or ``None`` when it is undefined (no sign change)."""
    found = irr_result(flows)
    return None if found is None else found.rate


def irr_result(flows: np.ndarray | list[float]) -> IrrResult | None:
    """:func:`irr` with every root (per period)."""
    x = np.asarray(flows, dtype=float)
    return xirr_result(np.arange(len(x), dtype=float), x)


def irr_note(m: Metrics) -> str | None:
    """What a reader must know beside an IRR with several roots; ``None`` otherwise."""
    if not m.irr_ambiguous:
        return None
    listed = ", ".join(f"{r:.1%}" for r in m.irr_roots[:4])
    more = " …" if len(m.irr_roots) > 4 else ""
    return (
        f"{len(m.irr_roots)} rates make the NPV zero ({listed}{more}): the IRR shown is the one "
        "Excel reports (from its 10 % guess); quote the MIRR instead"
    )


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
    jumps: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> float | None:
    """Periods from the start of ``origin`` until the cumulative net flow is recovered.

    Time runs on the calendar: a period's flows (other than dated ones) come in evenly over the
    period; ``jumps`` are the dated flows (their position in periods, their net and their
    inflow), each landing whole on its day, and are part of ``net``/``inflows`` already.
    ``opening_*``: the flows at the valuation date, before period 0. Only moments on or after
    the first inflow count, so a case that spends nothing before its first benefit pays back
    when that benefit comes, never before it."""
    length = len(net)
    at, jump, jump_in = jumps if jumps is not None else (np.zeros(0),) * 3
    inside = (at >= 0) & (at < length)
    at, jump, jump_in = at[inside], jump[inside], jump_in[inside]
    cell = np.floor(at).astype(int)
    ramp = net - np.bincount(cell, jump, minlength=length)[:length]
    ramp_in = inflows - np.bincount(cell, jump_in, minlength=length)[:length]
    firsts = [float(t) for t in np.flatnonzero(ramp_in > 1e-9)[:1]]
    firsts += [float(a) for a in at[jump_in > 1e-9]]
    if opening_inflow > 1e-9:
        firsts.append(0.0)
    if not firsts:
        return None
    ready = max(float(origin), min(firsts))
    points = sorted({float(t) for t in range(length + 1)} | {float(a) for a in at})
    cum = opening_net
    for a, b in pairwise(points):
        cum += float(jump[at == a].sum())
        if a >= ready - 1e-12 and cum >= -1e-9:
            return a - origin
        slope = float(ramp[int(np.floor(a))])
        if a >= ready - 1e-12 and slope > 0 and cum + slope * (b - a) >= -1e-9:
            return min(b, a - cum / slope) - origin
        cum += slope * (b - a)
    return None


def _positions(flows: CashFlows, calendar: Calendar) -> np.ndarray:
    """Each dated flow's place on the calendar, in periods: its period plus the share of that
    period's days before its day (so a flow on a period's first day sits on the whole number)."""
    x = flows.dated
    out = np.zeros(len(x))
    for k, (p, day) in enumerate(zip(x.period, x.days, strict=True)):
        first = calendar.start(int(p))
        out[k] = p + (day - first).days / (calendar.start(int(p) + 1) - first).days
    return out


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


def _annual(rates: tuple[float, ...], calendar: Calendar) -> tuple[float, ...]:
    return tuple(float((1.0 + x) ** calendar.periods_per_year - 1.0) for x in rates)


def _sign_changes(flows: np.ndarray) -> int:
    """Sign changes between consecutive flows larger than a hair (zeros skipped)."""
    x = np.asarray(flows, dtype=float)
    signs = np.sign(x[np.abs(x) > 1e-9])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


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
        # dated flows: Excel's XIRR (annual, from its 10 % guess, actual/365 years) and the
        # modified IRR on the same exact times, from the start moment on
        times, amounts = flows.moments()
        later = times >= start - 1e-9
        ppy = calendar.periods_per_year
        found = xirr_result((times[later] - start) / ppy, amounts[later])
        annual_roots = () if found is None else found.roots
        irr_p = None if found is None else float((1.0 + found.rate) ** (1.0 / ppy) - 1.0)
        mirr_p = xmirr(times[later] - start, amounts[later], f, r)
    elif known is not None:
        irr_p, mirr_p = known
        annual_roots = _annual((irr_p,) if irr_p is not None else (), calendar)
        moments = period_moments(flows, origin)
        if _sign_changes(moments) > 1:  # possibly several roots: the note lists them all
            found = irr_result(moments)
            annual_roots = _annual(() if found is None else found.roots, calendar)
    else:
        moments = period_moments(flows, origin)
        found = irr_result(moments)
        annual_roots = _annual(() if found is None else found.roots, calendar)
        irr_p = None if found is None else found.rate
        mirr_p = mirr(moments, f, r)
    jumps = disc_jumps = None
    if len(flows.dated):
        at, x = _positions(flows, calendar), flows.dated
        exact = pv.dated_net if len(pv.dated_net) == len(x) else x.net * (1.0 + rate) ** -x.tau
        jumps, disc_jumps = (at, x.net, x.inflows), (at, exact, x.inflows)
    payback = _payback(net, inflows, start, o_net, o_in, jumps)
    disc = _payback(pv.net, inflows, start, pv.opening_net, o_in, disc_jumps)
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
        irr_roots=annual_roots,
    )
