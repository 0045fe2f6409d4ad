"""What the optimizer needs for every initiative and every start at once (vectorised): NPV by
start period and spend by offset from the start."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roadmap.domain import EvaluationWindow, Initiative, Portfolio, Status
from roadmap.money.calendar import Calendar
from roadmap.money.dated import place_dated
from roadmap.money.offsets import OffsetProfile, offset_profile, risk_of
from roadmap.money.rates import annual_rate, escalation, growth
from roadmap.money.series import COMPONENTS


@dataclass(frozen=True)
class StartValues:
    """Rows follow ``portfolio.initiatives``; columns are start periods ``t = 0..H-1``
    (for ``npv``) or offsets ``k = 0..H-1`` from the start (for the spend arrays): an initiative
    started in ``t`` spends ``capex[i, k]`` in plan period ``t + k``.

    ``total_cost[i]`` is the undiscounted cost (capex + one-off opex + run cost) over the
    evaluation window when the initiative starts at its earliest start (``earliest_start_period``);
    costs before the plan start are sunk and left out.

    The spend arrays run to offset H-1+b, where b is how many periods before the plan the
    earliest work in progress started, so that work started at ``-b`` has its spend in every
    plan period (offsets below H cover every start ``t >= 0``).
    """

    ids: tuple[str, ...]
    npv: np.ndarray  # (n, H) value at plan start of starting in period t
    capex: np.ndarray  # (n, H + b) by offset
    opex: np.ndarray  # (n, H + b) by offset: one-off opex during build + run cost after go-live
    total_cost: np.ndarray  # (n,) undiscounted cost over the evaluation window
    per_period_rate: float = 0.0  # the discount rate used, per period


def earliest_start_period(initiative: Initiative, calendar: Calendar) -> int:
    """The actual start for work in progress; otherwise the first allowed period (>= 0)."""
    if initiative.status is Status.IN_PROGRESS and initiative.actual_start is not None:
        return calendar.period_of(initiative.actual_start)
    if initiative.earliest_start is not None:
        return max(0, calendar.period_of(initiative.earliest_start))
    return 0


def start_values(
    portfolio: Portfolio, calendar: Calendar, *, risk_adjusted: bool | None = None
) -> StartValues:
    """NPV at every start and spend by offset for every initiative, vectorised.

    With per-offset net flows ``x[i, k]`` and ``v = 1 / (1 + r_p)``:
    ``npv[i, t] = v**t * sum_{k in window} x[i, k] * v**(k + 1)`` where the window is all ``k``
    ("useful life") or ``k <= H - 1 - t`` ("horizon"). One cumulative sum serves every start.
    Benchmark: 1000 initiatives x 48 monthly periods with 10-year lives takes about 0.05 s.
    """
    settings = portfolio.settings
    risk = risk_of(settings, risk_adjusted)
    h = calendar.horizon
    inis = portfolio.initiatives
    n = len(inis)
    profiles = [offset_profile(ini, calendar, portfolio, risk) for ini in inis]
    starts = np.array([earliest_start_period(ini, calendar) for ini in inis], dtype=int)
    # a dated flow sits at a fixed offset from the start (it moves by whole periods with it)
    dated_at = [
        [calendar.period_of(a.day) - int(s) for a in p.dated]
        for p, s in zip(profiles, starts, strict=True)
    ]
    width = max([h, *(len(p.capex) for p in profiles), *(k + 1 for ks in dated_at for k in ks)])
    capex, opex, run, out, inflow = (np.zeros((n, width)) for _ in range(5))
    pre = np.zeros((n, len(COMPONENTS)))
    for i, p in enumerate(profiles):
        m = len(p.capex)
        capex[i, :m] = p.capex
        opex[i, :m] = p.opex
        run[i, :m] = p.run_cost
        out[i, :m] = np.maximum(-p.other, 0.0)  # "other" money out
        inflow[i, :m] = p.benefit + p.legacy_saving + np.maximum(p.other, 0.0)
        pre[i] = p.pre
    pre_capex = pre[:, 0]
    pre_opex = pre[:, 1] + pre[:, 2] + np.maximum(-pre[:, 5], 0.0)
    rate = calendar.per_period_rate(settings.discount_rate)
    # per initiative: discount (hurdle rate) and escalation factors per period
    v = 1.0 / (1.0 + np.array([calendar.per_period_rate(annual_rate(i, settings)) for i in inis]))
    rates = [escalation(i, settings) for i in inis]
    g_cost = np.array([growth(c, calendar) for c, _ in rates])
    g_benefit = np.array([growth(b, calendar) for _, b in rates])
    costs = capex + opex + run + out
    # a flow at offset k of a start t is escalated and discounted over t + k + 1 periods, the
    # start moment over t: three parts (cost-escalated, benefit-escalated, "other" as typed)
    benefit_part = np.zeros((n, width))
    other_part = np.zeros((n, width))
    for i, p in enumerate(profiles):
        m = len(p.capex)
        benefit_part[i, :m] = p.benefit
        other_part[i, :m] = p.other
    cost_part = inflow - benefit_part - np.maximum(other_part, 0.0) - (capex + opex + run)
    pre_cost_part = pre[:, 4] - pre[:, 0] - pre[:, 1] - pre[:, 2]
    k1 = np.arange(width) + 1.0
    t = np.arange(h)
    horizon_only = settings.evaluation_window is EvaluationWindow.HORIZON
    last = (h - 1 - t) if horizon_only else np.full(h, width - 1)
    npv = np.zeros((n, h))
    for part, pre_part, g in (
        (cost_part, pre_cost_part, g_cost),
        (benefit_part, pre[:, 3], g_benefit),
        (other_part, pre[:, 5], np.ones(n)),
    ):
        gv = (g * v)[:, None]
        cum = np.cumsum(part * gv**k1, axis=1)
        # the start moment (year 0 of an explicit case) is worth its amount at t
        npv += (cum[:, last] + pre_part[:, None]) * gv ** t[None, :] if n else 0.0
    for i, p in enumerate(profiles):
        if p.dated:
            npv[i] += _dated_values(
                p, int(starts[i]), calendar, v[i], g_cost[i], g_benefit[i], h, horizon_only
            )
            for a, k in zip(p.dated, dated_at[i], strict=True):
                if k < 0:
                    continue  # before the start: refused by validation
                if a.component == 3:
                    continue  # a benefit never counts as spend
                target = (capex, opex, run)[a.component] if a.component < 3 else out
                spend = a.amount if a.component < 3 else max(-a.amount, 0.0)
                target[i, k] += spend
                costs[i, k] += spend

    # total cost at the earliest start: offsets lo..hi of the cumulative cost row
    cum_cost = np.concatenate([np.zeros((n, 1)), np.cumsum(costs, axis=1)], axis=1)
    lo = np.clip(-starts, 0, width)
    hi = np.clip((h - starts) if horizon_only else np.full(n, width), 0, width)
    hi = np.maximum(hi, lo)
    rows = np.arange(n)
    total_cost = cum_cost[rows, hi] - cum_cost[rows, lo]
    total_cost = total_cost + np.where(starts >= 0, pre_capex + pre_opex, 0.0)
    # budgets: what is paid at the start moment is spent in the initiative's first period
    capex[:, 0] += pre_capex
    opex[:, 0] += pre_opex
    # work started before the plan (start -b) spends in plan periods up to offset H-1+b
    backlog = int(max(0, -starts.min())) if n else 0
    spend_width = h + backlog
    if spend_width > width:
        pad = np.zeros((n, spend_width - width))
        capex, opex, run, out = (np.concatenate([a, pad], axis=1) for a in (capex, opex, run, out))
    return StartValues(
        ids=tuple(ini.id for ini in inis),
        npv=npv,
        capex=capex[:, :spend_width].copy(),
        opex=(opex + run + out)[:, :spend_width].copy(),
        total_cost=total_cost,
        per_period_rate=rate,
    )


def _dated_values(
    p: OffsetProfile,
    anchor: int,
    calendar: Calendar,
    v: float,
    g_cost: float,
    g_benefit: float,
    horizon: int,
    horizon_only: bool,
) -> np.ndarray:
    """Value at plan start of the initiative's dated flows for every start ``t = 0..H-1``: each
    escalated to the end of the period that holds it and discounted over its exact time."""
    out = np.zeros(horizon)
    for t in range(horizon):
        x = place_dated(p.dated, t - anchor, calendar)
        keep = (x.period >= 0) & ((x.period < horizon) if horizon_only else True)
        g = np.where(x.component == 3, g_benefit, np.where(x.component == 5, 1.0, g_cost))
        value = x.net * g ** (x.period + 1.0) * v**x.tau
        out[t] = float(value[keep].sum())
    return out
