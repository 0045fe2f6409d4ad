"""Dated flows (a Cash flows row with a Date): where they fall and how they are discounted.

CONVENTIONS (the README and the roi workbook's Method sheet say the same):

- The date as written holds when the initiative starts at its earliest start (its actual start
  for work in progress, else its Earliest start, else the plan start). Started ``k`` periods
  later, the flow moves ``k`` periods later, to the same day of the month (the month's last day
  when it is shorter).
- Budgets, the Financials and the schedule count a dated flow in the period that contains it.
- Discounting is by exact days from the valuation date (the plan start), actual/365 as Excel's
  XNPV: ``amount / (1 + r) ** (days / 365)``. In periods of the plan calendar that is
  ``tau = days / 365 * periods per year`` and a factor ``(1 + r_p) ** -tau``, so a dated flow and
  an end-of-period flow share one rate. IRR and MIRR of a case with dated flows are the XIRR and
  its modified form on the same exact times.
- Escalation (a price level) is counted in whole periods, to the end of the period that holds
  the flow, as for every other flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from roadmap.domain import FlowCategory
from roadmap.money.calendar import Calendar, add_months

# index of each Cash flows category among CashFlows' components
COMPONENT_OF = {
    FlowCategory.CAPEX: 0,
    FlowCategory.ONE_OFF_OPEX: 1,
    FlowCategory.RUN_COST: 2,
    FlowCategory.BENEFIT: 3,
    FlowCategory.OTHER: 5,
}
_COST_COMPONENTS = (0, 1, 2)
_INFLOW_COMPONENTS = (3, 4)


@dataclass(frozen=True)
class DatedAmount:
    """One dated row of an initiative: its component (``COMPONENTS`` index), its amount (costs
    and benefits positive, risk-adjusted where benefits are; other signed) and its date for a
    start at the initiative's earliest start."""

    component: int
    amount: float
    day: date


def shifted(day: date, shift: int, calendar: Calendar) -> date:
    """The day ``shift`` whole periods later (earlier when negative)."""
    return add_months(day, shift * calendar.months_per_period)


def tau(day: date, calendar: Calendar) -> float:
    """Time from the plan start to ``day`` in periods, actual/365."""
    return (day - calendar.plan_start).days / 365.0 * calendar.periods_per_year


def signed(component: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Net effect (+ in, − out) of amounts by component."""
    cost = np.isin(component, _COST_COMPONENTS)
    return np.where(cost, -amount, amount)


def cost_part(component: np.ndarray, amount: np.ndarray) -> np.ndarray:
    cost = np.isin(component, _COST_COMPONENTS)
    return np.where(cost, amount, np.where(component == 5, np.maximum(-amount, 0.0), 0.0))


def inflow_part(component: np.ndarray, amount: np.ndarray) -> np.ndarray:
    inflow = np.isin(component, _INFLOW_COMPONENTS)
    return np.where(inflow, amount, np.where(component == 5, np.maximum(amount, 0.0), 0.0))


@dataclass(frozen=True, eq=False)
class Dated:
    """The dated flows inside a ``CashFlows``: already counted in its per-period arrays (in the
    period that holds them, escalated); kept here for their exact timing."""

    period: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    tau: np.ndarray = field(default_factory=lambda: np.zeros(0))
    component: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    amount: np.ndarray = field(default_factory=lambda: np.zeros(0))  # escalated, as booked
    days: tuple[date, ...] = ()
    initiatives: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.amount)

    @property
    def net(self) -> np.ndarray:
        return signed(self.component, self.amount)

    @property
    def costs(self) -> np.ndarray:
        return cost_part(self.component, self.amount)

    @property
    def inflows(self) -> np.ndarray:
        return inflow_part(self.component, self.amount)

    def where(self, keep: np.ndarray) -> Dated:
        idx = np.flatnonzero(keep)
        return Dated(
            self.period[idx],
            self.tau[idx],
            self.component[idx],
            self.amount[idx],
            tuple(self.days[k] for k in idx),
            tuple(self.initiatives[k] for k in idx),
        )

    @staticmethod
    def concat(parts: list[Dated]) -> Dated:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Dated()
        return Dated(
            np.concatenate([p.period for p in parts]),
            np.concatenate([p.tau for p in parts]),
            np.concatenate([p.component for p in parts]),
            np.concatenate([p.amount for p in parts]),
            tuple(d for p in parts for d in p.days),
            tuple(i for p in parts for i in p.initiatives),
        )

    def by_period(self, values: np.ndarray, length: int) -> np.ndarray:
        """``values`` (one per dated flow) summed into the periods that hold them."""
        out = np.zeros(length)
        inside = (self.period >= 0) & (self.period < length)
        np.add.at(out, self.period[inside], values[inside])
        return out


def place_dated(
    amounts: tuple[DatedAmount, ...], shift: int, calendar: Calendar, initiative: str = ""
) -> Dated:
    """The dated amounts of one initiative started ``shift`` periods after its earliest start:
    their day, period and exact time (amounts as written, not yet escalated)."""
    if not amounts:
        return Dated()
    days = tuple(shifted(a.day, shift, calendar) for a in amounts)
    return Dated(
        np.array([calendar.period_of(d) for d in days], dtype=int),
        np.array([tau(d, calendar) for d in days]),
        np.array([a.component for a in amounts], dtype=int),
        np.array([a.amount for a in amounts], dtype=float),
        days,
        (initiative,) * len(amounts),
    )
