"""Microsoft Project XML (MSPDI) export of a plan, for MS Project, ProjectLibre and friends.

Outline: one summary task per owner function (level 1); under it one summary per initiative
(level 2) holding a "Build" task (level 3, with the team assignments and finish-to-start links
to its predecessors' builds) and the five milestones (level 3, zero duration). Every task has
its outline number and WBS code (1, 1.2, 1.2.3), which readers that rebuild the outline from
them (GNOME Planner) need.

The plan's dates are already working days (``plan_facts.dates``), written here unchanged on the
project calendar this file declares (Monday–Friday, 08:00–12:00 and 13:00–17:00): a build
starts at 08:00 on its kick-off and finishes at 17:00 on its go-live, a milestone is at 17:00 on
its date (a kick-off at 08:00), and every task carries a "start no earlier than" constraint on its
planned start so a tool re-scheduling it keeps the plan. The milestones hang on their build:
kick-off starts it (start-to-start), design sign-off and build complete follow its start by
their share of it, go-live follows its finish and the benefits review the go-live, each link's
lag the plan's own gap, so a slipping build moves its milestones.

Each build carries its cost: capex + one-off opex, split in the custom fields Capex and Opex as
the plan spends them from its start (the Budget sheet's figures); what work in progress spent
before is actual cost, beside the remaining cost, as is its progress (percent complete, actual
start). Teams are resources with a cost rate (``mspdi_team``). Every task has a baseline: the
plan as written, or the plan that was handed out when the plan is a re-forecast. Element order
follows the MSPDI schema (mspdi_pj12.xsd), which strict readers enforce.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from roadmap.export.mspdi_task import (
    COST_FIELDS,
    PRORATED,
    Baseline,
    Money,
    Progress,
    Task,
    hours_between,
    write_task,
)
from roadmap.export.mspdi_team import (
    DAY_END,
    DAY_START,
    add_assignments,
    add_resources,
    hourly_rate,
    labour,
)
from roadmap.export.mspdi_team import add as _add
from roadmap.export.mspdi_team import at as _at
from roadmap.plan_facts import Milestone, PlanFacts, Scheduled, plan_title
from roadmap.plan_facts.dates import period_start
from roadmap.plan_facts.tracking import Actuals, BuildCost, build_costs, elapsed_share
from roadmap.plan_facts.workload import HOURS_PER_DAY, assignments

NAMESPACE = "http://schemas.microsoft.com/project"
FF, FS, SS = 0, 1, 3  # PredecessorLink Type


def _calendar(root: ET.Element) -> None:
    cals = ET.SubElement(root, "Calendars")
    cal = ET.SubElement(cals, "Calendar")
    _add(cal, "UID", 1)
    _add(cal, "Name", "Standard")
    _add(cal, "IsBaseCalendar", True)
    _add(cal, "BaseCalendarUID", -1)
    days = ET.SubElement(cal, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday … 7 = Saturday
        wd = ET.SubElement(days, "WeekDay")
        _add(wd, "DayType", day_type)
        working = day_type not in (1, 7)
        _add(wd, "DayWorking", working)
        if working:
            times = ET.SubElement(wd, "WorkingTimes")
            for start, end in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                wt = ET.SubElement(times, "WorkingTime")
                _add(wt, "FromTime", start)
                _add(wt, "ToTime", end)


def _build_span(row: Scheduled) -> tuple[datetime, datetime, float]:
    start, finish = datetime.combine(row.kickoff, DAY_START), datetime.combine(row.go_live, DAY_END)
    return start, finish, hours_between(row.kickoff, row.go_live)


def _milestone_time(m: Milestone) -> datetime:
    return datetime.combine(m.when, DAY_START if m.kind == "Kick-off" else DAY_END)


def _extended_attributes(root: ET.Element) -> None:
    """Task fields Cost1 and Cost2 renamed Capex and Opex: the build's split of its cost."""
    attrs = ET.SubElement(root, "ExtendedAttributes")
    for field_id, field, alias in COST_FIELDS:
        a = ET.SubElement(attrs, "ExtendedAttribute")
        _add(a, "FieldID", field_id)
        _add(a, "FieldName", field)
        _add(a, "Alias", alias)


def _build_progress(row: Scheduled, facts: PlanFacts, actual: Actuals) -> Progress | None:
    """Work under way: the PMO's percent complete, else the share of the build's working days
    before the plan start; None for work not started."""
    started = actual.start is not None or row.kickoff < period_start(facts.calendar, 0)
    if not started:
        return None
    share = actual.percent
    if share is None:
        share = elapsed_share(row.kickoff, row.go_live, facts.calendar)
    # what is left: the working days from the status date (the plan start) to the go-live,
    # so a tool reading RemainingDuration back finds the plan's own forecast
    resume = facts.tracking.status_date or period_start(facts.calendar, 0)
    left = hours_between(max(resume, row.kickoff), row.go_live)
    return Progress(share, datetime.combine(actual.start or row.kickoff, DAY_START), None, left)


def _build_money(cost: BuildCost, actual: Actuals, labour: tuple[float, float]) -> Money:
    spent = cost.before if actual.spent is None else actual.spent
    return Money(cost.capex, cost.opex, spent, *labour)


def _milestone_progress(m: Milestone) -> Progress | None:
    if not m.done:
        return None
    when = datetime.combine(m.actual or m.when, DAY_START if m.kind == "Kick-off" else DAY_END)
    return Progress(1.0, when, when)


def _lags(build: tuple[datetime, datetime, float], m: Milestone) -> tuple[int, float]:
    """How milestone ``m`` hangs on its build: (link type, lag in working hours)."""
    start, finish, _ = build
    when = m.actual or m.when
    if m.kind == "Go-live":
        return FS, 0.0
    if m.kind == "Benefits review":
        return FS, hours_between(finish.date(), when) - HOURS_PER_DAY
    if m.kind == "Kick-off":
        return SS, 0.0  # the build hangs on its kick-off, see below
    return SS, hours_between(start.date(), when)


def mspdi_tree(facts: PlanFacts, title: str = "") -> ET.ElementTree:
    plan = facts.plan
    portfolio = plan.portfolio
    cal = facts.calendar
    tracking = facts.tracking
    root = ET.Element("Project", {"xmlns": NAMESPACE})
    name = title or plan_title(plan)
    rows = facts.schedule
    spans = {r.initiative.id: _build_span(r) for r in rows}
    stones: dict[str, list[Milestone]] = defaultdict(list)
    for m in facts.milestones:
        stones[m.initiative].append(m)
    times = [t for s in spans.values() for t in s[:2]]
    times += [_milestone_time(m) for m in facts.milestones]
    project_start = min(times, default=datetime.combine(period_start(cal, 0), DAY_START))
    project_finish = max(times, default=project_start)
    work = assignments(plan, cal)
    rates = {t.id: hourly_rate(t) for t in portfolio.teams}
    work_of: dict[str, float] = defaultdict(float)
    labour_of: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for a in work:
        done, todo = labour(a)
        work_of[a.initiative] += done + todo
        labour_of[a.initiative][0] += done * rates[a.team]
        labour_of[a.initiative][1] += todo * rates[a.team]
    costs = build_costs(plan, cal)
    currency = portfolio.settings.currency.upper()[:3]
    in_flight = any(r.kickoff < period_start(cal, 0) for r in rows) or tracking.actuals
    status_date = tracking.status_date or (period_start(cal, 0) if in_flight else None)

    _add(root, "SaveVersion", 14)
    _add(root, "Name", name)
    _add(root, "Title", name)
    _add(root, "Subject", f"Roadmap plan, {cal.label(0)} to {cal.label(cal.horizon - 1)}")
    _add(root, "Author", "roadmap")
    _add(root, "CreationDate", datetime.now().replace(microsecond=0).isoformat())
    _add(root, "ScheduleFromStart", True)
    _add(root, "StartDate", _at(project_start))
    _add(root, "FinishDate", _at(project_finish))
    _add(root, "FYStartDate", portfolio.settings.fiscal_year_start_month)
    _add(root, "CurrencyDigits", 2)
    _add(root, "CurrencyCode", currency)
    _add(root, "CalendarUID", 1)
    _add(root, "DefaultStartTime", "08:00:00")
    _add(root, "DefaultFinishTime", "17:00:00")
    _add(root, "MinutesPerDay", HOURS_PER_DAY * 60)
    _add(root, "MinutesPerWeek", HOURS_PER_DAY * 60 * 5)
    _add(root, "DaysPerMonth", 20)
    _add(root, "DefaultFixedCostAccrual", PRORATED)
    if status_date is not None:
        _add(root, "StatusDate", _at(datetime.combine(status_date, DAY_START)))
    _extended_attributes(root)
    _calendar(root)

    tasks: list[Task] = [
        Task(0, name, 0, "0", project_start, project_finish, summary=True)  # project summary
    ]
    groups: dict[str, list[Scheduled]] = defaultdict(list)
    for r in rows:
        groups[r.initiative.owner_function or "(no owner function)"].append(r)
    ordered = sorted(groups.items(), key=lambda kv: min(spans[r.initiative.id][0] for r in kv[1]))
    build_uid: dict[str, int] = {}
    builds: dict[str, Task] = {}
    for f_no, (function, members) in enumerate(ordered, start=1):
        first = min(spans[r.initiative.id][0] for r in members)
        last = max(
            [spans[r.initiative.id][1] for r in members]
            + [_milestone_time(m) for r in members for m in stones[r.initiative.id]]
        )
        tasks.append(Task(len(tasks), function, 1, f"{f_no}", first, last, summary=True))
        for i_no, r in enumerate(members, start=1):
            ini = r.initiative
            outline = f"{f_no}.{i_no}"
            start, finish, hours = spans[ini.id]
            own = [_milestone_time(m) for m in stones[ini.id]]
            tasks.append(
                Task(
                    len(tasks),
                    f"{ini.id} {ini.name}",
                    2,
                    outline,
                    min([start, *own]),
                    max([finish, *own]),
                    summary=True,
                )
            )
            actual = tracking.of(ini.id)
            done, todo = labour_of[ini.id]
            cost = _build_money(costs[ini.id], actual, (done, todo))
            before = costs[ini.id].before if actual.spent is None else actual.spent
            build = Task(
                len(tasks),
                f"{ini.id} build",
                3,
                f"{outline}.1",
                start,
                finish,
                hours=hours,
                work=work_of[ini.id],
                constrain=True,
                progress=_build_progress(r, facts, actual),
                money=cost,
                notes=_build_notes(ini.owner_function, ini.accountable_team, currency, before),
                baseline=_build_baseline(r, facts, spans[ini.id], work_of[ini.id], cost),
            )
            tasks.append(build)
            build_uid[ini.id] = build.uid
            builds[ini.id] = build
            go_live: int | None = None
            for m_no, m in enumerate(stones[ini.id], start=2):
                when = _milestone_time(m)
                kind, lag = _lags(spans[ini.id], m)
                stone = Task(
                    len(tasks),
                    f"{ini.id} {m.kind}",
                    3,
                    f"{outline}.{m_no}",
                    when,
                    when,
                    milestone=True,
                    constrain=True,
                    progress=_milestone_progress(m),
                    notes=m.deliverable,
                    baseline=_milestone_baseline(m, facts, when),
                )
                tasks.append(stone)
                if m.kind == "Go-live":
                    go_live = stone.uid
                if m.kind == "Kick-off":
                    build.links.append((stone.uid, SS, 0.0))
                elif m.kind == "Benefits review" and go_live is not None:
                    stone.links.append((go_live, kind, lag))
                else:
                    stone.links.append((build.uid, kind, lag))
    for r in rows:
        for p in r.predecessors:
            if p in build_uid:
                builds[r.initiative.id].links.append((build_uid[p], FS, 0.0))
    el = ET.SubElement(root, "Tasks")
    for t in tasks:
        write_task(el, t)
    team_uid = add_resources(root, facts, project_start, project_finish, work)
    add_assignments(root, facts, work, build_uid, team_uid, spans)
    ET.indent(root)
    return ET.ElementTree(root)


def _build_notes(function: str, team: str, currency: str, before: float) -> str:
    sunk = (
        f" Spent before ({currency} {before:,.0f}) is actual cost; Capex and Opex are what the "
        "plan spends from its start."
        if before
        else ""
    )
    return (
        f"Owner function: {function or 'not set'}; accountable team: {team or 'not set'}. "
        f"Cost = capex + one-off opex of the build ({currency}), spread evenly (prorated) over "
        f"it, and the teams' time at their rates.{sunk}"
    )


def _build_baseline(
    row: Scheduled,
    facts: PlanFacts,
    span: tuple[datetime, datetime, float],
    work: float,
    cost: Money,
) -> Baseline:
    """Baseline 0: the plan that was handed out (a re-forecast), else the plan as written."""
    was = facts.tracking.baseline.get(row.initiative.id)
    if was is None:
        start, finish, hours = span
        return Baseline(start, finish, hours, work, cost.total, cost.fixed)
    fixed = cost.fixed if was.cost is None else was.cost
    labour = cost.labour_done + cost.labour_left
    return Baseline(
        datetime.combine(was.start, DAY_START),
        datetime.combine(was.go_live, DAY_END),
        hours_between(was.start, was.go_live),
        work,
        fixed + labour,
        fixed,
    )


def _milestone_baseline(m: Milestone, facts: PlanFacts, when: datetime) -> Baseline:
    was = facts.tracking.milestone_baseline.get((m.initiative, m.kind))
    if was is not None:
        when = datetime.combine(was, DAY_START if m.kind == "Kick-off" else DAY_END)
    return Baseline(when, when, 0.0, 0.0, 0.0)


def write_mspdi(facts: PlanFacts, path: Path, title: str = "", *, force: bool = False) -> Path:
    """Write the MSPDI file (UTF-8 with an XML declaration) through the output guard (atomic,
    never over an existing file unless ``force``)."""
    from roadmap.runtime.outputs import write_output

    tree = mspdi_tree(facts, title)
    return write_output(
        Path(path),
        lambda temp: tree.write(temp, encoding="utf-8", xml_declaration=True),
        force=force,
    )
