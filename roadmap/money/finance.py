"""Cash flows and the money case (NPV, IRR, ROI, payback); the metrics themselves are in
``roadmap.money.metrics`` (re-exported here).

CONTRACT (agreed between the money, optimizer and report stages; extend, do not fork):

- ``cash_flows(initiative, start, calendar, settings, portfolio) -> CashFlows``: the initiative's
  per-period series on the plan calendar for any start period (negative = started before the plan;
  periods before 0 are sunk and left out).
- ``start_values(portfolio, calendar) -> StartValues``: for every initiative and every start
  period 0..H-1 at once (vectorised), what the optimizer needs.

CONVENTIONS (the README and the roi workbook's Method sheet say the same):

- Timing: every cash flow is booked at the END of its period, so a flow in plan period ``t`` is
  worth ``flow / (1 + r_p) ** (t + 1)`` at plan start, with the per-period rate
  ``r_p = (1 + r) ** (1 / periods per year) - 1`` (``Calendar.per_period_rate``).
- An initiative started in ``s`` builds in ``s .. s+D-1`` (D = duration) and goes live at the start
  of ``s+D``; it then runs for ``U = calendar.years_to_periods(useful_life)`` periods.
- Capex and one-off opex are spread over the build periods (evenly, or by ``cost_profile``).
- Run cost (annual / periods per year) is paid in every period of the useful life.
- Benefits (revenue uplift + saving, annual / periods per year) ramp up linearly: in the ``j``-th
  period after go-live (``j = 0, 1, …``) the benefit is ``full * min(1, (j + 1) / (ramp_up + 1))``,
  so ramp-up 0 means full benefit in the first live period and ramp-up 2 gives 1/3, 2/3, 1, 1, …
- Retiring a legacy system saves its annual run cost (Systems sheet) from go-live to the end of
  the useful life.
- Risk adjustment scales the benefits AND the legacy savings by the probability of success (a
  system is only switched off if its replacement works); costs are never scaled.
- Evaluation window "horizon": only plan periods ``0 .. H-1`` count; "useful life": every period to
  the end of the useful life counts, past the horizon if need be. Periods before 0 are sunk.
- Budget spend (``StartValues.capex`` / ``opex``) is gross: capex, one-off opex and new run costs
  (and money out on "other" rows, as opex); benefits and legacy savings never free up budget.
- An initiative with rows on the Cash flows sheet takes its capex, one-off opex, run cost and
  benefits from them instead (``roadmap.money.flows`` says how years and periods are laid out);
  risk adjustment scales its benefit rows; "other" rows are signed and never scaled; legacy
  savings still come from the Systems it retires, over its useful life.

The pieces: ``series`` (CashFlows, combine), ``offsets`` (an initiative's flows by offset from
its start), ``rates`` (hurdle rate, escalation, MIRR rates), ``starts`` (StartValues, the
vectorised values for every start) and ``metrics`` (NPV, IRR, MIRR, ROI, payback). Everything
is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from roadmap.domain import EvaluationWindow, Initiative, Portfolio, Settings
from roadmap.money.calendar import Calendar
from roadmap.money.dated import place_dated
from roadmap.money.many import metrics_many
from roadmap.money.metrics import (
    IRR_SHOWN_LIMIT,
    Metrics,
    annualise,
    irr,
    irr_bound,
    irr_note,
    metrics_of,
    mirr,
    npv,
)
from roadmap.money.offsets import offset_profile, risk_of
from roadmap.money.rates import annual_rate, escalation, growth, mirr_rates
from roadmap.money.series import COMPONENTS, CashFlows, Discounted, combine
from roadmap.money.starts import StartValues, earliest_start_period, start_values

__all__ = [
    "COMPONENTS",
    "IRR_SHOWN_LIMIT",
    "CashFlows",
    "Discounted",
    "Metrics",
    "StartValues",
    "annual_rate",
    "annualise",
    "cash_flows",
    "combine",
    "earliest_start_period",
    "escalation",
    "initiative_metrics",
    "initiatives_metrics",
    "irr",
    "irr_bound",
    "irr_note",
    "metrics_of",
    "mirr",
    "mirr_rates",
    "npv",
    "plan_cash_flows",
    "plan_discounted",
    "plan_metrics",
    "start_values",
]


def cash_flows(
    initiative: Initiative,
    start: int,
    calendar: Calendar,
    settings: Settings,
    portfolio: Portfolio,
    *,
    risk_adjusted: bool | None = None,
) -> CashFlows:
    """The initiative's cash flows on the plan calendar when it starts in period ``start``.

    Flows before period 0 are sunk and dropped. Under the "horizon" evaluation window the series
    has exactly H periods; under "useful life" it runs to the end of the useful life (at least H).
    ``risk_adjusted`` defaults to ``settings.risk_adjusted``.
    """
    p = offset_profile(initiative, calendar, portfolio, risk_of(settings, risk_adjusted))
    h = calendar.horizon
    shift = start - earliest_start_period(initiative, calendar)
    placed = place_dated(p.dated, shift, calendar, initiative.id)
    if settings.evaluation_window is EvaluationWindow.HORIZON:
        length = h
    else:
        length = max([h, start + len(p.capex), *(placed.period + 1)])
    k = np.arange(len(p.capex))
    t = start + k
    keep = (t >= 0) & (t < length)

    def place(a: np.ndarray, pre: float) -> np.ndarray:
        out = np.zeros(length)
        out[t[keep]] = a[keep]
        if start >= 1:  # the start moment is the end of the period before the start
            out[start - 1] += pre
        return out

    arrays = [place(a, x) for a, x in zip(p.arrays(), p.pre, strict=True)]
    # escalation compounds from the plan start to each flow's moment (end of period t: t + 1)
    cost_e, benefit_e = escalation(initiative, settings)
    moments = np.arange(length) + 1.0
    cost_f = growth(cost_e, calendar) ** moments
    benefit_f = growth(benefit_e, calendar) ** moments
    for c, name in enumerate(COMPONENTS):
        if name == "benefit":
            arrays[c] = arrays[c] * benefit_f
        elif name != "other":  # costs, and the legacy run cost no longer paid
            arrays[c] = arrays[c] * cost_f
    # dated flows: in the period that holds them, escalated to its end; sunk before the plan
    if not p.dated:
        opening = p.pre.copy() if start == 0 else np.zeros(len(COMPONENTS))
        return CashFlows.of(initiative.id, start, h, arrays, opening)
    placed = placed.where((placed.period >= 0) & (placed.period < length))
    factors = np.where(
        placed.component == 3,
        benefit_f[placed.period] if len(placed) else 1.0,
        np.where(placed.component == 5, 1.0, cost_f[placed.period] if len(placed) else 1.0),
    )
    placed = replace(placed, amount=placed.amount * factors)
    for c in range(len(COMPONENTS)):
        mine = placed.component == c
        np.add.at(arrays[c], placed.period[mine], placed.amount[mine])
    # starting at the plan start, the start moment is the valuation date; before it, sunk
    opening = p.pre.copy() if start == 0 else np.zeros(len(COMPONENTS))
    return CashFlows.of(initiative.id, start, h, arrays, opening, placed)


def initiative_metrics(
    portfolio: Portfolio,
    initiative: Initiative | str,
    calendar: Calendar,
    start: int | None = None,
    *,
    risk_adjusted: bool | None = None,
) -> Metrics:
    """Metrics of one initiative started in ``start`` (default: its earliest start)."""
    ini = portfolio.initiative_by_id[initiative] if isinstance(initiative, str) else initiative
    s = earliest_start_period(ini, calendar) if start is None else start
    settings = portfolio.settings
    cf = cash_flows(ini, s, calendar, settings, portfolio, risk_adjusted=risk_adjusted)
    rate = calendar.per_period_rate(annual_rate(ini, settings))
    return metrics_of(cf, calendar, rate, s, *mirr_rates(settings, calendar))


def initiatives_metrics(
    portfolio: Portfolio,
    starts: Mapping[str, int],
    calendar: Calendar,
    *,
    risk_adjusted: bool | None = None,
) -> dict[str, Metrics]:
    """:func:`initiative_metrics` of every initiative in ``starts`` (id -> start period), their
    IRRs and MIRRs found together (``roadmap.money.many``)."""
    settings = portfolio.settings
    by_id = portfolio.initiative_by_id
    inis = [by_id[i] for i in starts]
    flows = [
        cash_flows(ini, starts[ini.id], calendar, settings, portfolio, risk_adjusted=risk_adjusted)
        for ini in inis
    ]
    rates = [calendar.per_period_rate(annual_rate(ini, settings)) for ini in inis]
    found = metrics_many(
        flows, calendar, rates, list(starts.values()), *mirr_rates(settings, calendar)
    )
    return dict(zip(starts, found, strict=True))


def plan_cash_flows(
    portfolio: Portfolio,
    starts: Mapping[str, int],
    calendar: Calendar,
    *,
    risk_adjusted: bool | None = None,
) -> CashFlows:
    """The sum of the selected initiatives' cash flows at their starts."""
    settings = portfolio.settings
    by_id = portfolio.initiative_by_id
    return combine(
        (
            cash_flows(by_id[i], s, calendar, settings, portfolio, risk_adjusted=risk_adjusted)
            for i, s in starts.items()
        ),
        calendar.horizon,
    )


def plan_discounted(
    portfolio: Portfolio,
    starts: Mapping[str, int],
    calendar: Calendar,
    *,
    risk_adjusted: bool | None = None,
) -> Discounted:
    """The plan's present values period by period, each initiative at its own rate (its hurdle
    rate, else the discount rate) and its dated flows by exact days: their sum is the plan
    NPV."""
    settings = portfolio.settings
    by_id = portfolio.initiative_by_id
    parts = []
    for iid, s in starts.items():
        ini = by_id[iid]
        one = cash_flows(ini, s, calendar, settings, portfolio, risk_adjusted=risk_adjusted)
        parts.append(one.discount(calendar.per_period_rate(annual_rate(ini, settings))))
    length = max([calendar.horizon, *(len(p.costs) for p in parts)])
    return Discounted.sum(parts, length)


def plan_metrics(
    portfolio: Portfolio,
    starts: Mapping[str, int],
    calendar: Calendar,
    *,
    risk_adjusted: bool | None = None,
) -> Metrics:
    """Metrics of a whole plan; payback is counted from the plan start. Every discounted figure
    (NPV, present values, benefit/cost ratio, discounted payback) adds each initiative's at its
    own rate (``plan_discounted``); with hurdle rates ``npv_by_hurdle`` says so. IRR is rate
    free; MIRR uses the plan's finance and reinvestment rates."""
    settings = portfolio.settings
    cf = plan_cash_flows(portfolio, starts, calendar, risk_adjusted=risk_adjusted)
    rate = calendar.per_period_rate(settings.discount_rate)
    pv = plan_discounted(portfolio, starts, calendar, risk_adjusted=risk_adjusted)
    m = metrics_of(cf, calendar, rate, 0, *mirr_rates(settings, calendar), discounted=pv)
    by_id = portfolio.initiative_by_id
    hurdles = any(by_id[i].hurdle_rate is not None for i in starts)
    return replace(m, npv_by_hurdle=hurdles)
