"""The plan on the calendar: dates, milestones, capabilities reached and who answers for what.

Dates are working days (see ``dates``); period ``s`` = start, ``d`` = duration, ``r`` = ramp-up,
all in plan periods:

- kick-off = first working day of period ``s``;
- design sign-off = last of the first 25 % of the build's working days;
- build complete = last of the first 85 % of the build's working days (testing and cut-over
  follow);
- go-live = last working day of period ``s + d - 1`` (end of build);
- end = last working day of the ramp-up (``s + d + r - 1``): full benefits from the next period;
- benefits review = last working day of the period after the ramp-up (``s + d + r``).

A milestone dated before the plan starts (work in progress) is done.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from roadmap.domain import Initiative, Plan, Portfolio, Status
from roadmap.money.calendar import Calendar
from roadmap.plan_facts.dates import period_end, period_start, share_of

MILESTONE_KINDS = ("Kick-off", "Design sign-off", "Build complete", "Go-live", "Benefits review")
# the columns every milestone list shows: the plan's Milestones sheet and the CSV export
MILESTONE_COLUMNS = (
    "Date",
    "Period",
    "Milestone",
    "Initiative",
    "Name",
    "Owner function",
    "Accountable team",
    "Deliverable",
    "Status",
)
DONE = "Done"
DESIGN_SHARE = 0.25
BUILD_SHARE = 0.85
MULTI_OWNER_SEPARATORS = (",", ";", "\n")


@dataclass(frozen=True)
class Scheduled:
    """One selected initiative on the calendar."""

    initiative: Initiative
    start: int  # plan period index (negative: started before the plan)
    kickoff: date
    go_live: date
    end: date  # end of ramp-up
    predecessors: tuple[str, ...]
    lifts: tuple[str, ...]  # "CAP-01 +1"
    live_in_horizon: bool

    @property
    def go_live_period(self) -> int:
        return self.start + self.initiative.duration - 1


@dataclass(frozen=True)
class Milestone:
    when: date
    period: int
    kind: str
    initiative: str
    name: str
    owner_function: str
    accountable_team: str
    deliverable: str
    done: bool = False  # dated before the plan starts: work in progress has passed it
    actual: date | None = None  # when it was reached, as reported (a re-forecast knows it)


@dataclass(frozen=True)
class CapabilityFacts:
    id: str
    name: str
    owner_function: str
    current: float
    after: float
    target: float
    contributors: tuple[str, ...]
    reached: date | None  # when the target is first met; None: not reached in this plan

    @property
    def gap_closed(self) -> float | None:
        gap = self.target - self.current
        if gap <= 0:
            return None
        return min(1.0, max(0.0, (self.after - self.current) / gap))


@dataclass(frozen=True)
class OwnershipCheck:
    capability: str
    name: str
    owner_function: str
    lifting_functions: tuple[str, ...]
    flag: str  # "" when one need has one owner


def calendar_of(plan: Plan) -> Calendar:
    return Calendar.from_settings(plan.portfolio.settings)


def schedule(plan: Plan, calendar: Calendar | None = None) -> list[Scheduled]:
    """Selected initiatives with their dates, sorted by start then id."""
    cal = calendar or calendar_of(plan)
    portfolio = plan.portfolio
    preds: dict[str, list[str]] = defaultdict(list)
    for dep in portfolio.dependencies:
        preds[dep.successor].append(dep.predecessor)
    for group_dep in portfolio.group_dependencies:  # the alternative the plan chose
        chosen = portfolio.group_members.get(group_dep.group, ())
        preds[group_dep.successor] += [m for m in chosen if m in plan.starts]
    out = []
    for ini in plan.selected():
        s = plan.starts[ini.id]
        go = s + ini.duration - 1
        lifts = tuple(f"{lift.capability} +{lift.amount:g}" for lift in ini.lifts)
        out.append(
            Scheduled(
                ini,
                s,
                period_start(cal, s),
                period_end(cal, go),
                period_end(cal, go + ini.ramp_up),
                tuple(preds[ini.id]),
                lifts,
                go < cal.horizon,
            )
        )
    return sorted(out, key=lambda x: (x.start, x.initiative.id))


def _deliverables(ini: Initiative) -> dict[str, str]:
    retire = f"; retire {', '.join(ini.retires)}" if ini.retires else ""
    return {
        "Kick-off": "Team mobilised, scope and plan baselined",
        "Design sign-off": "Solution design approved",
        "Build complete": "Build finished; testing and cut-over ready",
        "Go-live": f"{ini.name} live{retire}",
        "Benefits review": "Benefits measured against the business case",
    }


def milestones(plan: Plan, calendar: Calendar | None = None) -> list[Milestone]:
    """Five milestones per selected initiative (see module docstring), sorted by date."""
    cal = calendar or calendar_of(plan)
    out = []
    for row in schedule(plan, cal):
        ini = row.initiative
        review_period = row.go_live_period + ini.ramp_up + 1
        dates = {
            "Kick-off": (row.kickoff, row.start),
            "Design sign-off": (share_of(row.kickoff, row.go_live, DESIGN_SHARE), None),
            "Build complete": (share_of(row.kickoff, row.go_live, BUILD_SHARE), None),
            "Go-live": (row.go_live, row.go_live_period),
            "Benefits review": (period_end(cal, review_period), review_period),
        }
        text = _deliverables(ini)
        for kind in MILESTONE_KINDS:
            when, period = dates[kind]
            out.append(
                Milestone(
                    when,
                    cal.period_of(when) if period is None else period,
                    kind,
                    ini.id,
                    ini.name,
                    ini.owner_function,
                    ini.accountable_team,
                    text[kind],
                    when < cal.start(0),
                )
            )
    order = {k: n for n, k in enumerate(MILESTONE_KINDS)}
    return sorted(out, key=lambda m: (m.when, m.initiative, order[m.kind]))


def capability_facts(plan: Plan, calendar: Calendar | None = None) -> list[CapabilityFacts]:
    """Maturity after the plan: current plus every lift of a selected initiative that goes live
    within the horizon (capped at 5, the top of the scale)."""
    cal = calendar or calendar_of(plan)
    live = [row for row in schedule(plan, cal) if row.live_in_horizon]
    live.sort(key=lambda r: r.go_live)
    out = []
    for cap in plan.portfolio.capabilities:
        level, reached, contributors = cap.current, None, []
        if cap.current >= cap.target:
            reached = cal.start(0)
        for row in live:
            amount = sum(li.amount for li in row.initiative.lifts if li.capability == cap.id)
            if amount <= 0:
                continue
            contributors.append(row.initiative.id)
            level = min(5.0, level + amount)
            if reached is None and level >= cap.target - 1e-9:
                reached = row.go_live
        out.append(
            CapabilityFacts(
                cap.id,
                cap.name,
                cap.owner_function,
                cap.current,
                level,
                cap.target,
                tuple(contributors),
                reached,
            )
        )
    return out


def gap_closed(facts: list[CapabilityFacts], plan: Plan) -> float | None:
    """Share of the importance-weighted maturity gap the plan closes (None: no gap to close)."""
    imp = {c.id: c.importance for c in plan.portfolio.capabilities}
    gap = sum(imp[f.id] * (f.target - f.current) for f in facts if f.target > f.current)
    if gap <= 0:
        return None
    closed = sum(
        imp[f.id] * min(f.target - f.current, f.after - f.current)
        for f in facts
        if f.target > f.current
    )
    return closed / gap


def responsibility(plan: Plan) -> dict[str, dict[str, str]]:
    """Initiative id -> team id -> "A", "R" or "A/R" for the selected initiatives.

    R: the team staffs the initiative; A: the team is accountable for its delivery.
    """
    out: dict[str, dict[str, str]] = {}
    for ini in plan.selected():
        marks: dict[str, set[str]] = defaultdict(set)
        for s in plan.portfolio.staffing_of(ini.id):
            if s.fte > 0:
                marks[s.team].add("R")
        if ini.accountable_team:
            marks[ini.accountable_team].add("A")
        out[ini.id] = {team: "/".join(sorted(m)) for team, m in marks.items()}
    return out


def ownership_checks(plan: Plan) -> list[OwnershipCheck]:
    """One need, one owner: each capability should have exactly one owning function, and the
    selected initiatives lifting it should all belong to one function."""
    lifting: dict[str, set[str]] = defaultdict(set)
    for ini in plan.selected():
        for lift in ini.lifts:
            if ini.owner_function:
                lifting[lift.capability].add(ini.owner_function)
    out = []
    for cap in plan.portfolio.capabilities:
        owner = cap.owner_function.strip()
        flags = []
        if not owner:
            flags.append("no owning function")
        elif any(sep in owner for sep in MULTI_OWNER_SEPARATORS):
            flags.append("owned by more than one function")
        funcs = tuple(sorted(lifting.get(cap.id, ())))
        if len(funcs) > 1:
            flags.append("lifted by initiatives of different functions")
        out.append(OwnershipCheck(cap.id, cap.name, owner, funcs, "; ".join(flags)))
    return out


def candidates(portfolio: Portfolio) -> tuple[Initiative, ...]:
    """Initiatives the plan could contain: everything not already done."""
    return tuple(i for i in portfolio.initiatives if i.status is not Status.DONE)


def not_selected(plan: Plan) -> tuple[Initiative, ...]:
    return tuple(i for i in candidates(plan.portfolio) if i.id not in plan.starts)


def milestone_cells(m: Milestone, calendar: Calendar) -> tuple[object, ...]:
    """One milestone under ``MILESTONE_COLUMNS``."""
    return (
        m.when,
        calendar.label(m.period),
        m.kind,
        m.initiative,
        m.name,
        m.owner_function,
        m.accountable_team,
        m.deliverable,
        DONE if m.done else "",
    )
