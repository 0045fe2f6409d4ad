"""Who works on what, when: each staffing row of a selected initiative spread over its build
periods by the phase profile, and each team's availability over the plan.

The same arrays the Capacity sheet shows (``optimize.limits``), turned into hours on the working
day calendar for the MS Project export: an assignment's work in period ``t`` is its FTE in that
period times the period's working hours, so work / working hours gives back the Capacity sheet's
demand team by team, period by period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap.domain import Plan
from roadmap.money.calendar import Calendar
from roadmap.money.profiles import fte_by_period
from roadmap.optimize.limits import team_capacity
from roadmap.plan_facts.dates import period_end, period_start, working_days

HOURS_PER_DAY = 8


@dataclass(frozen=True)
class Phase:
    """One plan period of one assignment."""

    period: int
    first: date  # first working day of the period
    last: date  # last working day of the period
    fte: float

    @property
    def hours(self) -> float:
        return self.fte * working_days(self.first, self.last) * HOURS_PER_DAY


@dataclass(frozen=True)
class Assignment:
    initiative: str
    team: str
    phases: tuple[Phase, ...]  # every build period, in order (including those before the plan)

    @property
    def hours(self) -> float:
        return sum(p.hours for p in self.phases)

    @property
    def peak(self) -> float:
        return max((p.fte for p in self.phases), default=0.0)

    @property
    def flat(self) -> bool:
        return len({round(p.fte, 9) for p in self.phases}) <= 1


@dataclass(frozen=True)
class Availability:
    """A team's FTE from ``first`` to ``last`` (working days), between capacity changes."""

    first: date
    last: date
    fte: float


def assignments(plan: Plan, calendar: Calendar) -> list[Assignment]:
    """One per staffing row (FTE > 0, known team) of each selected initiative, in plan order."""
    teams = {t.id for t in plan.portfolio.teams}
    out = []
    for ini in plan.selected():
        s = plan.starts[ini.id]
        for row in plan.portfolio.staffing_of(ini.id):
            if row.team not in teams or row.fte <= 0:
                continue
            ftes = fte_by_period(row.fte, row.profile, ini.duration)
            phases = tuple(
                Phase(s + k, period_start(calendar, s + k), period_end(calendar, s + k), float(f))
                for k, f in enumerate(ftes)
            )
            out.append(Assignment(ini.id, row.team, phases))
    return out


def availability(plan: Plan, calendar: Calendar) -> dict[str, list[Availability]]:
    """Team id -> its capacity over the horizon, one entry per run of equal capacity (base
    capacity, freezes and hires from the Staffing sheet's capacity changes)."""
    cap = team_capacity(plan.portfolio, calendar)
    out: dict[str, list[Availability]] = {}
    for k, team in enumerate(plan.portfolio.teams):
        runs: list[Availability] = []
        for t in range(calendar.horizon):
            fte = float(cap[k, t])
            first, last = period_start(calendar, t), period_end(calendar, t)
            if runs and abs(runs[-1].fte - fte) < 1e-9:
                runs[-1] = Availability(runs[-1].first, last, fte)
            else:
                runs.append(Availability(first, last, fte))
        out[team.id] = runs
    return out
