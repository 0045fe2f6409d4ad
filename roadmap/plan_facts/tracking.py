"""What is known to have happened, beside what is planned: build cost spent and still to spend,
progress of work under way, and the baseline a re-forecast is measured against.

A plan made at its start knows one kind of progress: work in progress (Status "in progress" with
an actual start before the plan) has used part of its build, and what it spent before the plan
start is sunk. A re-forecast (``roadmap replan``) knows more: what the PMO reported by the status
date (``Actuals``) and the plan that was handed out (``Baseline``); it passes them in a
``Tracking`` value, which the workbook and the MS Project export show beside the plan.

Pure: no files; money in plan-start prices (as the Budget sheet counts it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

import numpy as np

from roadmap.domain import Plan
from roadmap.money.calendar import Calendar
from roadmap.money.dated import shifted
from roadmap.money.offsets import offset_profile
from roadmap.money.starts import earliest_start_period
from roadmap.plan_facts.dates import period_start, working_days

EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True)
class BuildCost:
    """An initiative's build cost (capex and one-off opex, plan-start prices), split into what
    falls before the plan start (sunk) and what the plan spends."""

    capex_before: float = 0.0
    opex_before: float = 0.0
    capex: float = 0.0  # within the plan, from its start
    opex: float = 0.0

    @property
    def before(self) -> float:
        return self.capex_before + self.opex_before

    @property
    def in_plan(self) -> float:
        return self.capex + self.opex

    @property
    def total(self) -> float:
        return self.before + self.in_plan


def build_costs(plan: Plan, calendar: Calendar) -> dict[str, BuildCost]:
    """Build cost of every selected initiative at its planned start, before and within the plan.

    The same amounts the Budget sheet counts (its capex and one-off opex, unescalated), so the
    in-plan parts add up to the workbook's build spend."""
    portfolio = plan.portfolio
    out: dict[str, BuildCost] = {}
    for ini in plan.selected():
        s = plan.starts[ini.id]
        p = offset_profile(ini, calendar, portfolio, risk_adjusted=False)
        periods = s + np.arange(len(p.capex))
        before, within = [0.0, 0.0], [0.0, 0.0]  # capex, one-off opex
        for k, (series, pre) in enumerate(((p.capex, p.pre[0]), (p.opex, p.pre[1]))):
            before[k] += float(series[periods < 0].sum())
            within[k] += float(series[periods >= 0].sum())
            # what is paid at the start moment counts in the first period (as budgets count it)
            (before if s < 0 else within)[k] += float(pre)
        anchor = earliest_start_period(ini, calendar)
        for a in p.dated:
            if a.component in (0, 1):
                t = calendar.period_of(shifted(a.day, s - anchor, calendar))
                (before if t < 0 else within)[a.component] += a.amount
        out[ini.id] = BuildCost(before[0], before[1], within[0], within[1])
    return out


def elapsed_share(kickoff: date, go_live: date, calendar: Calendar) -> float:
    """Share of a build's working days (``kickoff`` .. ``go_live``) that lie before the plan
    start: how far work in progress had come when the plan begins, by the clock."""
    total = working_days(kickoff, go_live)
    if total <= 0:
        return 0.0
    start = period_start(calendar, 0)
    done = working_days(kickoff, min(go_live, _day_before(start)))
    return min(1.0, max(0.0, done / total))


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


@dataclass(frozen=True)
class Actuals:
    """What the PMO reported for one initiative by the status date (None = not reported)."""

    start: date | None = None  # actual start
    go_live: date | None = None  # actual go-live (the build finished and went live)
    percent: float | None = None  # share of the build complete, 0–1
    spent: float | None = None  # build cost spent to date (capex and one-off opex)
    remaining_days: int | None = None  # working days still to go live, as estimated
    rag: str = ""  # the PMO's own red / amber / green
    comment: str = ""


@dataclass(frozen=True)
class BaselineDates:
    """What the plan that was handed out said for one initiative."""

    start: date
    go_live: date
    cost: float | None = None  # its build cost (capex and one-off opex)


@dataclass(frozen=True)
class Tracking:
    """Progress and baseline carried by a re-forecast plan (empty for a plan made from scratch)."""

    status_date: date | None = None
    actuals: Mapping[str, Actuals] = field(default_factory=lambda: EMPTY)
    baseline: Mapping[str, BaselineDates] = field(default_factory=lambda: EMPTY)
    # (initiative, milestone kind) -> the baseline date of that milestone
    milestone_baseline: Mapping[tuple[str, str], date] = field(default_factory=lambda: EMPTY)

    def of(self, initiative: str) -> Actuals:
        return self.actuals.get(initiative, Actuals())
