"""What the plan uses of its limits and what it earns: spend against every budget line, team
demand against capacity, and the whole plan's cash flows period by period.

Spend and capacity come from ``limits`` (the same arrays the optimizer and the checker use) and
cash flows from ``finance``, so the report cannot disagree with the model or the money case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np

from roadmap.domain import Plan, Portfolio, SpendKind
from roadmap.money.calendar import Calendar
from roadmap.money.finance import StartValues, plan_cash_flows, plan_discounted
from roadmap.optimize.limits import (
    budget_rows,
    capacity_ceiling,
    period_spend,
    row_spend,
    team_capacity,
    team_load,
)
from roadmap.plan_facts.schedule import calendar_of


@dataclass(frozen=True)
class PeriodSpend:
    label: str
    first_day: date
    fiscal_year: int
    capex: float
    opex: float  # one-off opex during build plus run cost after go-live
    limit: float | None  # total, all pools, for this period (None: no such limit)

    @property
    def total(self) -> float:
        return self.capex + self.opex

    @property
    def headroom(self) -> float | None:
        return None if self.limit is None else self.limit - self.total

    @property
    def utilisation(self) -> float | None:
        return None if not self.limit else self.total / self.limit


@dataclass(frozen=True)
class LimitUse:
    """One budget inequality (as the optimizer sees it) and how much the plan uses of it."""

    label: str
    kind: SpendKind
    pool: str | None
    granularity: str
    periods: tuple[str, ...]
    limit: float
    spend: float

    @property
    def headroom(self) -> float:
        return self.limit - self.spend

    @property
    def utilisation(self) -> float | None:
        return self.spend / self.limit if self.limit else None


@dataclass(frozen=True)
class CapacityFacts:
    teams: tuple[str, ...]
    labels: tuple[str, ...]
    demand: np.ndarray  # (teams, H) FTE
    capacity: np.ndarray  # (teams, H) FTE
    ceiling: np.ndarray  # capacity with tolerated over-allocation

    @property
    def utilisation(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            util = np.where(self.capacity > 0, self.demand / self.capacity, np.nan)
        return np.where((self.capacity <= 0) & (self.demand <= 0), 0.0, util)


def _limits_by(portfolio: Portfolio, calendar: Calendar, year: bool) -> dict[int, float]:
    """Sheet limits on total spend, keyed by period (or fiscal year): the all-pools limit where
    there is one, otherwise the sum of the pools' limits (pools never share an initiative)."""
    overall: dict[int, float] = defaultdict(float)
    pooled: dict[int, float] = defaultdict(float)
    for b in portfolio.budgets:
        if b.kind is not SpendKind.TOTAL:
            continue
        if year and b.fiscal_year is not None:
            key = b.fiscal_year
        elif not year and b.period is not None:
            key = calendar.period_of(b.period)
        else:
            continue
        (overall if b.pool is None else pooled)[key] += b.amount
    return {**pooled, **overall}


def period_spend_facts(plan: Plan, values: StartValues, calendar: Calendar) -> list[PeriodSpend]:
    h = calendar.horizon
    capex = period_spend(plan.portfolio, values, plan.starts, SpendKind.CAPEX, None, h)
    opex = period_spend(plan.portfolio, values, plan.starts, SpendKind.OPEX, None, h)
    limits = _limits_by(plan.portfolio, calendar, year=False)
    return [
        PeriodSpend(
            calendar.label(t),
            calendar.start(t),
            calendar.fiscal_year(t),
            float(capex[t]),
            float(opex[t]),
            limits.get(t),
        )
        for t in range(h)
    ]


def year_spend_facts(
    periods: list[PeriodSpend], plan: Plan, calendar: Calendar
) -> list[PeriodSpend]:
    """The per-period spend summed by fiscal year, against fiscal-year limits on total spend."""
    limits = _limits_by(plan.portfolio, calendar, year=True)
    out = []
    for fy in calendar.fiscal_years():
        rows = [p for p in periods if p.fiscal_year == fy]
        out.append(
            PeriodSpend(
                f"FY{fy}",
                rows[0].first_day,
                fy,
                sum(p.capex for p in rows),
                sum(p.opex for p in rows),
                limits.get(fy),
            )
        )
    return out


def limit_uses(plan: Plan, values: StartValues, calendar: Calendar) -> list[LimitUse]:
    rows = budget_rows(plan.portfolio, calendar)
    spent = row_spend(rows, plan.portfolio, values, plan.starts, calendar.horizon)
    return [
        LimitUse(
            r.label,
            r.kind,
            r.pool,
            r.granularity,
            tuple(calendar.label(t) for t in r.periods),
            r.amount,
            float(s),
        )
        for r, s in zip(rows, spent, strict=True)
    ]


def budget_total(plan: Plan, calendar: Calendar) -> float | None:
    """The overall budget for the horizon: fiscal-year limits on total spend where a year has
    them, otherwise its per-period limits; None when the workbook sets no total limit."""
    years = _limits_by(plan.portfolio, calendar, year=True)
    periods = _limits_by(plan.portfolio, calendar, year=False)
    if not years and not periods:
        return None
    total = 0.0
    for fy in calendar.fiscal_years():
        if fy in years:
            total += years[fy]
        else:
            total += sum(periods.get(t, 0.0) for t in calendar.periods_in_fiscal_year(fy))
    return total


def capacity_facts(plan: Plan, calendar: Calendar | None = None) -> CapacityFacts:
    cal = calendar or calendar_of(plan)
    p = plan.portfolio
    return CapacityFacts(
        tuple(t.id for t in p.teams),
        tuple(cal.labels()),
        team_load(p, cal.horizon, plan.starts),
        team_capacity(p, cal),
        capacity_ceiling(p, cal),
    )


@dataclass(frozen=True)
class CashRow:
    """One period of the whole plan's cash flows (booked at the end of the period)."""

    period: int
    label: str
    last_day: date
    in_horizon: bool
    capex: float
    opex: float
    run_cost: float
    benefit: float
    legacy_saving: float
    discount_factor: float
    other: float = 0.0  # signed (Cash flows sheet): + salvage or refund, − a later outlay
    # present value when it is not net x factor: initiatives at their own (hurdle) rates, dated
    # flows by exact days
    present_value: float | None = None

    @property
    def net(self) -> float:
        inflow = self.benefit + self.legacy_saving + self.other
        return inflow - self.capex - self.opex - self.run_cost

    @property
    def discounted(self) -> float:
        if self.present_value is not None:
            return self.present_value
        return self.net * self.discount_factor


def cash_rows(plan: Plan, calendar: Calendar | None = None) -> list[CashRow]:
    """The plan's cash flows over finance's evaluation window, one row per period from 0."""
    cal = calendar or calendar_of(plan)
    cf = plan_cash_flows(plan.portfolio, plan.starts, cal)
    pv = plan_discounted(plan.portfolio, plan.starts, cal)
    rate = cal.per_period_rate(plan.portfolio.settings.discount_rate)
    rows = [
        CashRow(
            t,
            cal.label(t),
            cal.end(t),
            t < cal.horizon,
            float(cf.capex[t]),
            float(cf.opex[t]),
            float(cf.run_cost[t]),
            float(cf.benefit[t]),
            float(cf.legacy_saving[t]),
            float((1.0 + rate) ** -(t + 1)),
            float(cf.other[t]),
            float(pv.net[t]),
        )
        for t in range(cf.length)
    ]
    if cf.has_opening:  # flows at the valuation date itself (year 0 of a Cash flows case)
        capex, opex, run, benefit, legacy, other = (float(x) for x in cf.opening)
        at_start = CashRow(
            -1,
            "At plan start",
            cal.plan_start,
            True,
            capex,
            opex,
            run,
            benefit,
            legacy,
            1.0,
            other,
            pv.opening_net,
        )
        rows.insert(0, at_start)
    return rows
