"""The portfolio re-based at the status date: what a re-forecast solves.

Rules (the README says the same):

- The re-forecast starts at the first period boundary on or after the status date (``--as-of``)
  and keeps the plan's end: the horizon loses the periods that have passed. Budget lines and
  capacity changes wholly in the past drop out; the rest apply as written, net of what has
  been spent or committed (``budgets``).
- Done work (an actual go-live) is done: out of the choice, as an initiative done before a plan
  is. Work not started is a candidate again, as in the input.
- Work under way (an actual start, no go-live) is locked at its actual start with its remaining
  duration and remaining cost, and continuing it is a choice: it becomes a candidate that can
  only start at the re-forecast's first period and runs its remaining duration (a start window
  of one period), costing only what is still to spend; what was spent is sunk and appears
  nowhere in the decision. So it is continued only if its remaining value is worth its
  remaining cost (with what it enables and the budget and capacity it needs weighed like any
  other choice); mandatory work (or work a mandatory initiative needs) is always continued.
- Remaining duration: the PMO's estimate (working days from the status date), else from %
  complete (the planned build's working days not yet done), else as planned from the actual
  start; a build due to have finished already goes live at the end of the first period.
- Remaining cost (build: capex and one-off opex): from % complete (the budget not yet earned,
  budget × (1 − % complete)), else the budget less what was spent, else as planned. It is
  spread over the remaining build periods as the build's own cost profile has its remaining
  phases; team demand likewise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from roadmap.domain import (
    Finding,
    Initiative,
    Portfolio,
    Severity,
    Status,
)
from roadmap.errors import InputError
from roadmap.money.calendar import Calendar
from roadmap.optimize.windows import start_windows
from roadmap.progress.checks import Reported
from roadmap.progress.model import DONE, IN_PROGRESS, NOT_STARTED, STOPPED
from roadmap.progress.under_way import Track, build_budget, continuation


@dataclass(frozen=True)
class Rebased:
    """The decision portfolio at the re-forecast's start and what each initiative's state is."""

    portfolio: Portfolio
    as_of: date
    tracks: Mapping[str, Track]
    warnings: tuple[Finding, ...] = ()
    budget_notes: tuple[str, ...] = ()  # how each budget line was netted, in words
    original: Portfolio | None = field(default=None, compare=False)
    # mandatory work whose Must finish by could no longer be met: the date it now has
    deadlines: Mapping[str, date] = field(default_factory=dict)

    @property
    def start(self) -> date:
        return self.portfolio.settings.plan_start

    @property
    def calendar(self) -> Calendar:
        return Calendar.from_settings(self.portfolio.settings)


def rebased_start(calendar: Calendar, as_of: date) -> int:
    """Index (on ``calendar``) of the first period starting on or after ``as_of``."""
    t = calendar.period_of(as_of)
    return t if calendar.start(t) == as_of else t + 1


def check_status_date(portfolio: Portfolio, as_of: date) -> int:
    """The number of periods that have passed at ``as_of``; InputError (exit 2) when the
    status date is outside the plan or leaves no period to plan."""
    cal = Calendar.from_settings(portfolio.settings)
    first, last = cal.start(0), cal.end(cal.horizon - 1)
    if not first <= as_of <= last:
        raise InputError(
            f"the status date {as_of} is outside the plan ({first} to {last}); give --as-of "
            "a date within the plan"
        )
    k = rebased_start(cal, as_of)
    if k >= cal.horizon:
        raise InputError(
            f"the status date {as_of} is in the plan's last period: nothing is left to re-plan "
            f"(the plan ends on {last}); extend the Horizon on the input's Settings sheet"
        )
    return k


def rebase(portfolio: Portfolio, reported: Mapping[str, Reported], as_of: date) -> Rebased:
    """The portfolio as a re-forecast at ``as_of`` sees it (see the module docstring)."""
    from roadmap.progress.budgets import net_budgets

    k = check_status_date(portfolio, as_of)
    cal0 = Calendar.from_settings(portfolio.settings)
    settings = replace(portfolio.settings, plan_start=cal0.start(k), horizon=cal0.horizon - k)
    cal = Calendar.from_settings(settings)
    tracks: dict[str, Track] = {}
    warnings: list[Finding] = []
    initiatives: list[Initiative] = []
    staffing = [s for s in portfolio.staffing]
    flows = list(portfolio.cash_flows)
    under_way: set[str] = set()
    for ini in portfolio.initiatives:
        rep = reported.get(ini.id, Reported(ini.id))
        budget = build_budget(ini, portfolio, cal0)
        if ini.status is Status.DONE:
            initiatives.append(ini)
            if rep.state == DONE:  # done in an earlier cycle: the Status sheet remembers it
                tracks[ini.id] = Track(
                    ini.id, DONE, rep.start or ini.actual_start, rep.go_live, budget=budget,
                    spent=rep.spent, percent=1.0,
                )  # fmt: skip
            continue
        state = rep.state
        if state == NOT_STARTED and ini.status is Status.IN_PROGRESS:
            state = IN_PROGRESS  # under way as the input says; nothing new reported
        if state == DONE:
            initiatives.append(
                replace(ini, status=Status.DONE, actual_start=rep.start or ini.actual_start)
            )
            tracks[ini.id] = Track(
                ini.id, DONE, rep.start or ini.actual_start, rep.go_live, budget=budget,
                spent=rep.spent, percent=1.0,
            )  # fmt: skip
        elif state == STOPPED:
            initiatives.append(replace(ini, status=Status.PROPOSED, excluded=True))
            tracks[ini.id] = Track(ini.id, STOPPED, rep.start, budget=budget, spent=rep.spent)
        elif state == IN_PROGRESS:
            track, decided, rows, lines, note = continuation(ini, rep, portfolio, cal0, cal, as_of)
            tracks[ini.id] = replace(track, budget=budget)
            initiatives.append(decided)
            under_way.add(ini.id)
            staffing = [s for s in staffing if s.initiative != ini.id] + rows
            flows = [f for f in flows if f.initiative != ini.id] + lines
            if note is not None:
                warnings.append(note)
        else:
            initiatives.append(ini)
            tracks[ini.id] = Track(ini.id, NOT_STARTED, budget=budget)
    # a started initiative's dependencies are history (its predecessors went live)
    dependencies = tuple(d for d in portfolio.dependencies if d.successor not in under_way)
    rebased = replace(
        portfolio,
        settings=settings,
        initiatives=tuple(initiatives),
        dependencies=dependencies,
        staffing=tuple(staffing),
        cash_flows=tuple(flows),
    )
    rebased, missed, deadlines = _missed_deadlines(rebased)
    warnings.extend(missed)
    budgets, notes = net_budgets(portfolio, rebased, tracks, as_of)
    rebased = replace(rebased, budgets=budgets)
    return Rebased(rebased, as_of, tracks, tuple(warnings), notes, portfolio, deadlines)


def _missed_deadlines(
    portfolio: Portfolio,
) -> tuple[Portfolio, list[Finding], dict[str, date]]:
    """Mandatory work whose Must finish by can no longer be met (what it waits for has not
    started in time): planned to go live as early as its predecessors allow instead, with a
    warning; the Status sheet shows the slip. A re-forecast always has a plan to show."""
    cal = Calendar.from_settings(portfolio.settings)
    loose = replace(
        portfolio,
        initiatives=tuple(
            replace(i, must_finish_by=None) if i.mandatory else i for i in portfolio.initiatives
        ),
    )
    windows = start_windows(loose, cal)
    found: list[Finding] = []
    moved = []
    dates: dict[str, date] = {}
    for ini in portfolio.initiatives:
        w = windows.get(ini.id)
        due = ini.must_finish_by
        if not ini.mandatory or due is None or w is None or w.is_empty or w.fixed is not None:
            moved.append(ini)
            continue
        earliest = cal.end(w.earliest + ini.duration - 1)
        if earliest <= due:
            moved.append(ini)
            continue
        moved.append(replace(ini, must_finish_by=earliest))
        dates[ini.id] = earliest
        found.append(
            Finding(
                Severity.WARNING,
                "Initiatives",
                f"{ini.id} must finish by {due}, which can no longer be met: it is planned to "
                f"go live by {earliest}, as early as what it waits for allows",
                "start what it depends on, or agree a later date",
                ini.row,
            )
        )
    return replace(portfolio, initiatives=tuple(moved)), found, dates
