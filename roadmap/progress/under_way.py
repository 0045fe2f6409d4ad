"""Work under way at the status date, as the re-forecast's choice to continue it: locked at its
actual start, it can only continue now, for its remaining duration and its remaining cost (the
rules are in ``rebase``'s docstring). ``continuation`` turns one initiative under way into that
candidate: its periods left, its build cost still to spend spread as its remaining phases have
it, its staffing's remaining phases and its business case moved to the new start."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from roadmap.domain import (
    CashFlowLine,
    Finding,
    FlowBasis,
    FlowCategory,
    Initiative,
    Portfolio,
    Severity,
    Staffing,
    Status,
)
from roadmap.money.calendar import Calendar
from roadmap.money.dated import shifted
from roadmap.money.flows import offsets
from roadmap.money.offsets import offset_profile
from roadmap.money.profiles import phase_weights
from roadmap.money.starts import earliest_start_period
from roadmap.plan_facts.dates import nth_working_day, period_end, period_start, working_days
from roadmap.progress.checks import Reported
from roadmap.progress.model import IN_PROGRESS

BUILD_COSTS = (FlowCategory.CAPEX, FlowCategory.ONE_OFF_OPEX)


@dataclass(frozen=True)
class Track:
    """One initiative at the status date as the re-forecast sees it."""

    initiative: str
    state: str  # done, in progress, not started, stopped
    start: date | None = None  # actual start
    go_live: date | None = None  # actual go-live (done), forecast go-live (under way)
    periods_left: int | None = None  # under way: build periods from the re-forecast's start
    budget: float = 0.0  # its build cost as the input gives it (capex and one-off opex)
    spent: float | None = None  # reported
    remaining_cost: float | None = None  # under way: build cost still to spend
    percent: float | None = None
    how: str = ""  # how the forecast was made, in words
    locked: bool = False  # under way past the plan's end: continued, not re-decided

    @property
    def in_flight(self) -> bool:
        return self.state == IN_PROGRESS


def build_budget(ini: Initiative, portfolio: Portfolio, calendar: Calendar) -> float:
    """An initiative's build cost as the input gives it: capex and one-off opex (its Cash flows
    rows when it has them), in plan-start prices."""
    p = offset_profile(ini, calendar, portfolio, risk_adjusted=False)
    dated = sum(a.amount for a in p.dated if a.component in (0, 1))
    return float(p.capex.sum() + p.opex.sum() + p.pre[0] + p.pre[1] + dated)


def _tail(weights: np.ndarray, done: int) -> tuple[float, ...]:
    """The phases still ahead after ``done`` build periods (the last one when overdue)."""
    rest = weights[min(done, len(weights) - 1) :]
    return tuple(float(w) for w in rest)


def continuation(
    ini: Initiative,
    rep: Reported,
    portfolio: Portfolio,
    cal0: Calendar,
    cal: Calendar,
    as_of: date,
) -> tuple[Track, Initiative, list[Staffing], list[CashFlowLine], Finding | None]:
    """Work under way as a candidate that can only continue now: its remaining periods and
    cost, its staffing's remaining phases and its business case moved to the new start."""
    actual = rep.start or ini.actual_start
    a = cal.period_of(actual) if actual is not None else 0  # <= 0: started by now
    a = min(a, 0)
    done = -a  # build periods behind it at the re-forecast's start
    d = max(1, ini.duration)
    planned_last = a + d - 1  # the plan's go-live period, counted from the actual start
    span = working_days(period_start(cal, a), period_end(cal, planned_last))
    note = None
    if planned_last < 0 and _no_news(rep, ini, cal0):
        # due to have gone live already and nothing reported: as planned, as the plan has it
        return (
            _as_planned(ini, actual, cal, planned_last),
            ini,
            list(portfolio.staffing_of(ini.id)),
            list(portfolio.cash_flows_by_initiative.get(ini.id, ())),
            Finding(
                Severity.WARNING,
                "Roadmap",
                f"{ini.id} was due to go live by {period_end(cal, planned_last)}; nothing is "
                "reported, so it is taken as live as planned",
                "give its Actual go-live, or its Remaining (working days) if it is late",
            ),
        )
    if rep.remaining_days is not None:
        since = rep.remaining_from or as_of
        go_live = max(nth_working_day(since, max(1, rep.remaining_days)), as_of)
        how = f"{rep.remaining_days} working days from {since}, as estimated"
    elif rep.percent is not None:
        left = math.ceil(span * (1.0 - rep.percent))
        go_live = nth_working_day(as_of, max(1, left))
        how = f"{1 - rep.percent:.0%} of the build's {span} working days still to do"
    else:
        go_live = period_end(cal, max(0, planned_last))
        how = "as planned from its actual start"
        if planned_last < 0:
            how = "it was due to go live already: forecast at the end of the first period"
            note = Finding(
                Severity.WARNING,
                "Roadmap",
                f"{ini.id} was due to go live by {period_end(cal, planned_last)} and has not; "
                f"without an estimate it is forecast to go live on {go_live}",
                "give Remaining (working days) or % complete on the Roadmap sheet",
            )
    periods_left = max(1, cal.period_of(go_live) + 1)
    go_live = period_end(cal, periods_left - 1)  # go-lives fall on a period's last working day
    budget = build_budget(ini, portfolio, cal0)
    weights = phase_weights(ini.cost_profile, d)
    rows = portfolio.cash_flows_by_initiative.get(ini.id, ())
    planned = rep.percent is None and rep.spent is None
    if rep.percent is not None:
        remaining = budget * (1.0 - rep.percent)
        cost_how = "budget × (1 − % complete)"
    elif rep.spent is not None:
        remaining = max(0.0, budget - rep.spent)
        cost_how = "budget less spent to date"
    elif rows:
        remaining = _planned_build(ini, rows, done, cal0)
        cost_how = "as planned"
    else:
        remaining = budget * float(weights[done:].sum() / weights.sum()) if done < d else 0.0
        cost_how = "as planned"
    # the phases still ahead: past the share done (% complete), else past the periods gone
    share = rep.percent if rep.percent is not None else min(1.0, done / d)
    first = min(int(share * d + 1e-9), d - 1)
    capex, opex = _split(ini, rows)
    tail = _tail(weights, first)
    locked = periods_left > cal.horizon
    decided = replace(
        ini,
        status=Status.IN_PROGRESS if locked else Status.PROPOSED,
        actual_start=cal.start(0) if locked else None,
        duration=periods_left,
        earliest_start=cal.start(0),
        must_finish_by=None if locked else cal.end(periods_left - 1),
        capex=remaining * capex,
        one_off_opex=remaining * opex,
        cost_profile=tail if len(set(tail)) > 1 else (),
    )
    staff = [
        _staffing(s, _tail(phase_weights(s.profile, d), first))
        for s in portfolio.staffing_of(ini.id)
    ]
    lines = _moved_flows(ini, rows, remaining, tail, done, periods_left, cal0, actual, planned)
    if locked:
        note = Finding(
            Severity.WARNING,
            "Roadmap",
            f"{ini.id} goes live on {go_live}, after the plan ends: it is continued as it is, "
            "not re-decided",
            "extend the Horizon on the input's Settings sheet to weigh continuing it",
        )
    track = Track(
        ini.id,
        IN_PROGRESS,
        actual,
        go_live,
        periods_left,
        spent=rep.spent,
        remaining_cost=remaining,
        percent=rep.percent,
        how=f"go-live: {how}; remaining cost: {cost_how}",
        locked=locked,
    )
    return track, decided, staff, lines, note


def _no_news(rep: Reported, ini: Initiative, cal0: Calendar) -> bool:
    """Nothing reported beyond what the plan itself says: the input's actual start and the
    milestones the plan marked done because they fell before it."""
    typed = (rep.percent, rep.spent, rep.remaining_days, rep.go_live)
    return (
        all(v is None for v in typed)
        and rep.start in (None, ini.actual_start)
        and all(day < cal0.start(0) for day in rep.milestones.values())
    )


def _as_planned(ini: Initiative, actual: date | None, cal: Calendar, last: int) -> Track:
    return Track(
        ini.id,
        IN_PROGRESS,
        actual,
        period_end(cal, last),
        0,
        how="as planned: due to have gone live, nothing reported",
        locked=True,
    )


def _staffing(s: Staffing, tail: tuple[float, ...]) -> Staffing:
    """A staffing row over the phases still ahead (one intensity: a flat row at it)."""
    if len(set(tail)) > 1:
        return Staffing(s.initiative, s.team, s.fte, tail)
    return Staffing(s.initiative, s.team, s.fte * tail[0], ())


def _planned_build(
    ini: Initiative, rows: tuple[CashFlowLine, ...], done: int, cal0: Calendar
) -> float:
    """An explicit business case's build cost still to come after ``done`` build periods."""
    from roadmap.money.flows import explicit

    build = [r for r in rows if r.category in BUILD_COSTS and r.flow_date is None]
    x = explicit(build, max(1, ini.duration), cal0.periods_per_year)
    per_offset = x.category(FlowCategory.CAPEX) + x.category(FlowCategory.ONE_OFF_OPEX)
    return float(per_offset[done:].sum())


def _split(ini: Initiative, rows: tuple[CashFlowLine, ...]) -> tuple[float, float]:
    """Shares of capex and one-off opex in the build cost (all capex when there is none)."""
    if rows:
        capex = sum(r.amount for r in rows if r.category is FlowCategory.CAPEX)
        opex = sum(r.amount for r in rows if r.category is FlowCategory.ONE_OFF_OPEX)
    else:
        capex, opex = ini.capex, ini.one_off_opex
    total = capex + opex
    return (capex / total, opex / total) if total > 0 else (1.0, 0.0)


def _moved_flows(
    ini: Initiative,
    rows: tuple[CashFlowLine, ...],
    remaining: float,
    tail: tuple[float, ...],
    done: int,
    periods_left: int,
    cal0: Calendar,
    actual: date | None,
    planned: bool,
) -> list[CashFlowLine]:
    """An explicit business case for the continuation, counted from the new start: every row
    where it falls for work started at its actual start (rows in the past are sunk and
    dropped); the build cost, when it was re-estimated, as the remaining cost over the periods
    left (by the remaining phases)."""
    if not rows:
        return []
    d, ppy = max(1, ini.duration), cal0.periods_per_year
    out: list[CashFlowLine] = []
    if not planned:
        weights = phase_weights(tail, periods_left)
        weights = weights / weights.sum() if weights.sum() > 0 else weights
        capex, opex = _split(ini, rows)
        for k, w in enumerate(weights):
            for category, part in ((FlowCategory.CAPEX, capex), (FlowCategory.ONE_OFF_OPEX, opex)):
                if remaining * part * w:
                    out.append(
                        CashFlowLine(ini.id, category, remaining * part * float(w), period=k + 1)
                    )
    anchor = earliest_start_period(ini, cal0)
    began = cal0.period_of(actual) if actual is not None else anchor
    for r in rows:
        if r.category in BUILD_COSTS and not planned:
            continue
        if r.flow_date is not None:
            day = shifted(r.flow_date, began - anchor, cal0)
            if day >= cal0.start(began + done):
                out.append(replace(r, flow_date=day))
            continue
        lo, hi = offsets(r, d, ppy)
        part = r.amount / max(1, hi - lo)
        for o in range(max(lo, 0), hi) if lo >= 0 else ():
            new = periods_left + (o - d) if r.counted_from is FlowBasis.GO_LIVE else o - done
            if new >= 0:
                out.append(CashFlowLine(ini.id, r.category, part, period=new + 1, note=r.note))
    return out
