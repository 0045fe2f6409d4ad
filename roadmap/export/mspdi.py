"""Microsoft Project XML (MSPDI) export of a plan, for MS Project, ProjectLibre and friends.

Outline: one summary task per owner function (level 1); under it one summary per initiative
(level 2) holding a "Build" task (level 3, with the team assignments and finish-to-start links
to its predecessors' builds) and the five milestones (level 3, zero duration).

The plan's dates are already working days (``plan_facts.dates``), written here unchanged on the
project calendar this file declares (Monday–Friday, 08:00–12:00 and 13:00–17:00): a build
starts at 08:00 on its kick-off and finishes at 17:00 on its go-live, a milestone is at 17:00 on
its date (a kick-off at 08:00), and every task carries a "start no earlier than" constraint on its
planned start so a tool re-scheduling it keeps the plan.
Each build carries its cost (capex + one-off opex as a prorated fixed cost, split in the custom
fields Capex and Opex) and every task a baseline (the plan as written). Each team is a resource
whose availability follows its capacity period by period; each assignment carries its work
period by period as the phase profile spreads it (time-phased data), so the PM tool shows the
Capacity sheet's demand. Element order follows the MSPDI schema (mspdi_pj12.xsd), which strict readers enforce.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from roadmap.plan_facts import Milestone, PlanFacts, Scheduled, plan_title
from roadmap.plan_facts.dates import period_start, working_days
from roadmap.plan_facts.workload import HOURS_PER_DAY, Assignment, assignments, availability

NAMESPACE = "http://schemas.microsoft.com/project"
DAY_START, DAY_END = time(8, 0), time(17, 0)
FS = 1  # PredecessorLink Type: finish-to-start
START_NO_EARLIER_THAN = 4
PRORATED = 3  # FixedCostAccrual: spread over the task
FLAT, CONTOURED = 0, 8  # WorkContour
REMAINING_WORK = 1  # TimephasedData Type: assignment remaining (= planned, nothing done) work
DAYS = 2  # TimephasedData Unit
# (FieldID, field, alias): the task custom cost fields carrying the build's capex and opex
COST_FIELDS = (("188743786", "Cost1", "Capex"), ("188743787", "Cost2", "Opex"))


def duration(hours: float) -> str:
    """An xsd:duration the way MS Project writes it: PT16H0M0S."""
    whole = round(hours * 60)
    return f"PT{whole // 60}H{whole % 60}M0S"


def _add(parent: ET.Element, tag: str, value: object) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if isinstance(value, bool):
        el.text = "1" if value else "0"
    elif isinstance(value, float):
        el.text = f"{value:.6g}"
    else:
        el.text = str(value)
    return el


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


class _Tasks:
    def __init__(self, root: ET.Element) -> None:
        self.el = ET.SubElement(root, "Tasks")
        self.next_uid = 0

    def add(
        self,
        name: str,
        level: int,
        start: datetime,
        finish: datetime,
        *,
        hours: float = 0.0,
        work: float = 0.0,
        milestone: bool = False,
        summary: bool = False,
        constrain: bool = False,
        done: bool = False,
        cost: TaskCost | None = None,
        notes: str = "",
    ) -> int:
        uid = self.next_uid
        self.next_uid += 1
        task = ET.SubElement(self.el, "Task")
        _add(task, "UID", uid)
        _add(task, "ID", uid)
        _add(task, "Name", name[:512])
        _add(task, "Type", 1)  # fixed duration: the plan fixes the dates, not the effort
        _add(task, "IsNull", False)
        _add(task, "OutlineLevel", level)
        _add(task, "Start", _at(start))
        _add(task, "Finish", _at(finish))
        if not milestone and not hours:
            hours = working_days(start.date(), finish.date()) * HOURS_PER_DAY
        _add(task, "Duration", duration(hours))
        _add(task, "DurationFormat", 7)  # days
        if work:
            _add(task, "Work", duration(work))
        _add(task, "Milestone", milestone)
        _add(task, "Summary", summary)
        if cost is not None:
            _add(task, "FixedCost", money(cost.total))
            _add(task, "FixedCostAccrual", PRORATED)
        if done:
            _add(task, "PercentComplete", 100)
        if cost is not None:
            _add(task, "Cost", money(cost.total))
        if constrain:
            _add(task, "ConstraintType", START_NO_EARLIER_THAN)
            _add(task, "ConstraintDate", _at(start))
        if notes:
            _add(task, "Notes", notes)
        return uid


@dataclass(frozen=True)
class TaskCost:
    capex: float
    opex: float  # one-off opex of the build

    @property
    def total(self) -> float:
        return self.capex + self.opex


def money(amount: float) -> str:
    """MSPDI stores currency in hundredths of the unit (cents): 1,250.50 EUR -> 125050."""
    return f"{round(amount * 100)}"


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _build_span(row: Scheduled) -> tuple[datetime, datetime, float]:
    hours = working_days(row.kickoff, row.go_live) * HOURS_PER_DAY
    start, finish = datetime.combine(row.kickoff, DAY_START), datetime.combine(row.go_live, DAY_END)
    return start, finish, float(hours)


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


def _baseline(
    task: ET.Element,
    start: datetime,
    finish: datetime,
    hours: float,
    work: float,
    cost: TaskCost | None,
) -> None:
    """Baseline 0 = the plan as written, so a PM tool tracks variance against it."""
    b = ET.SubElement(task, "Baseline")
    _add(b, "Number", 0)
    _add(b, "Start", _at(start))
    _add(b, "Finish", _at(finish))
    _add(b, "Duration", duration(hours))
    _add(b, "DurationFormat", 7)
    _add(b, "Work", duration(work))
    _add(b, "Cost", money(cost.total if cost else 0.0))
    if cost is not None:
        _add(b, "FixedCost", money(cost.total))


def _cost_fields(task: ET.Element, cost: TaskCost) -> None:
    for (field_id, _field, _alias), amount in zip(
        COST_FIELDS, (cost.capex, cost.opex), strict=True
    ):
        e = ET.SubElement(task, "ExtendedAttribute")
        _add(e, "FieldID", field_id)
        _add(e, "Value", money(amount))


def mspdi_tree(facts: PlanFacts, title: str = "") -> ET.ElementTree:
    plan = facts.plan
    portfolio = plan.portfolio
    cal = facts.calendar
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
    work_of: dict[str, float] = defaultdict(float)
    for a in work:
        work_of[a.initiative] += a.hours
    currency = portfolio.settings.currency.upper()[:3]

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
    _extended_attributes(root)
    _calendar(root)

    tasks = _Tasks(root)
    tasks.add(name, 0, project_start, project_finish, summary=True)  # project summary, UID 0
    build_uid: dict[str, int] = {}
    groups: dict[str, list[Scheduled]] = defaultdict(list)
    for r in rows:
        groups[r.initiative.owner_function or "(no owner function)"].append(r)
    preds = {r.initiative.id: r.predecessors for r in rows}
    # baselines, cost fields and links are added once every build has its UID, in the
    # schema's order (PredecessorLink, ExtendedAttribute, Baseline close a Task)
    ordered = sorted(groups.items(), key=lambda kv: min(spans[r.initiative.id][0] for r in kv[1]))
    closing: list[tuple[ET.Element, str | None, tuple[datetime, datetime, float, float]]] = []
    costs: dict[str, TaskCost] = {}
    for function, members in ordered:
        first = min(spans[r.initiative.id][0] for r in members)
        last = max(
            [spans[r.initiative.id][1] for r in members]
            + [_milestone_time(m) for r in members for m in stones[r.initiative.id]]
        )
        tasks.add(function, 1, first, last, summary=True)
        for r in members:
            ini = r.initiative
            start, finish, hours = spans[ini.id]
            own = [_milestone_time(m) for m in stones[ini.id]]
            tasks.add(
                f"{ini.id} {ini.name}", 2, min([start, *own]), max([finish, *own]), summary=True
            )
            costs[ini.id] = TaskCost(ini.capex, ini.one_off_opex)
            uid = tasks.add(
                f"{ini.id} build",
                3,
                start,
                finish,
                hours=hours,
                work=work_of[ini.id],
                constrain=True,
                cost=costs[ini.id],
                notes=f"Owner function: {ini.owner_function or 'not set'}; accountable team: "
                f"{ini.accountable_team or 'not set'}. Cost = capex + one-off opex of the "
                f"build ({currency}), spread evenly (prorated) over it.",
            )
            build_uid[ini.id] = uid
            closing.append((tasks.el[-1], ini.id, (start, finish, hours, work_of[ini.id])))
            for m in stones[ini.id]:
                at = _milestone_time(m)
                tasks.add(
                    f"{ini.id} {m.kind}",
                    3,
                    at,
                    at,
                    milestone=True,
                    constrain=True,
                    done=m.done,
                    notes=m.deliverable,
                )
                closing.append((tasks.el[-1], None, (at, at, 0.0, 0.0)))
    for task, iid, (start, finish, hours, effort) in closing:
        for p in preds[iid] if iid else ():
            if p in build_uid:
                link = ET.SubElement(task, "PredecessorLink")
                _add(link, "PredecessorUID", build_uid[p])
                _add(link, "Type", FS)
        cost = costs.get(iid) if iid else None
        if cost is not None:
            _cost_fields(task, cost)
        _baseline(task, start, finish, hours, effort, cost)

    team_uid = _resources(root, facts, project_start, project_finish)
    _assignments(root, work, build_uid, team_uid, spans)
    ET.indent(root)
    return ET.ElementTree(root)


def _resources(
    root: ET.Element, facts: PlanFacts, project_start: datetime, project_finish: datetime
) -> dict[str, int]:
    """One work resource per team; MaxUnits is its base capacity (1.0 = one full-time person)
    and its availability over time follows the Capacity sheet (freezes, hires)."""
    portfolio = facts.plan.portfolio
    spans = availability(facts.plan, facts.calendar)
    team_uid = {t.id: k + 1 for k, t in enumerate(portfolio.teams)}
    res = ET.SubElement(root, "Resources")
    for t in portfolio.teams:
        r_el = ET.SubElement(res, "Resource")
        _add(r_el, "UID", team_uid[t.id])
        _add(r_el, "ID", team_uid[t.id])
        _add(r_el, "Name", t.name or t.id)
        _add(r_el, "Type", 1)  # work resource
        _add(r_el, "IsNull", False)
        _add(r_el, "Initials", t.id[:30])
        _add(r_el, "Group", t.function)
        _add(r_el, "MaxUnits", float(t.capacity))
        periods = ET.SubElement(r_el, "AvailabilityPeriods")
        runs = spans[t.id]
        for k, run in enumerate(runs):
            # the first and last runs reach out to the project's ends: work in progress
            # before the plan and benefits reviews after it are staffed at those levels
            first = datetime.combine(run.first, DAY_START)
            last = datetime.combine(run.last, DAY_END)
            if k == 0:
                first = min(first, project_start)
            if k == len(runs) - 1:
                last = max(last, project_finish)
            p = ET.SubElement(periods, "AvailabilityPeriod")
            _add(p, "AvailableFrom", _at(first))
            _add(p, "AvailableTo", _at(last))
            _add(p, "AvailableUnits", round(run.fte, 6))
    return team_uid


def _assignments(
    root: ET.Element,
    work: list[Assignment],
    build_uid: dict[str, int],
    team_uid: dict[str, int],
    spans: dict[str, tuple[datetime, datetime, float]],
) -> None:
    """Each team on each build, with its work period by period as the phase profile has it
    (time-phased data), contoured when the profile is not flat; baseline = the same."""
    out = ET.SubElement(root, "Assignments")
    for uid, a in enumerate(work, start=1):
        start, finish, _hours = spans[a.initiative]
        el = ET.SubElement(out, "Assignment")
        _add(el, "UID", uid)
        _add(el, "TaskUID", build_uid[a.initiative])
        _add(el, "ResourceUID", team_uid[a.team])
        _add(el, "Finish", _at(finish))
        _add(el, "RemainingWork", duration(a.hours))
        _add(el, "Start", _at(start))
        _add(el, "Units", round(a.peak, 6))
        _add(el, "Work", duration(a.hours))
        _add(el, "WorkContour", FLAT if a.flat else CONTOURED)
        b = ET.SubElement(el, "Baseline")
        _add(b, "Number", 0)
        _add(b, "Start", _at(start))
        _add(b, "Finish", _at(finish))
        _add(b, "Work", duration(a.hours))
        _add(b, "Cost", money(0.0))
        for phase in a.phases:
            td = ET.SubElement(el, "TimephasedData")
            _add(td, "Type", REMAINING_WORK)
            _add(td, "UID", uid)
            _add(td, "Start", _at(datetime.combine(phase.first, DAY_START)))
            _add(td, "Finish", _at(datetime.combine(phase.last, DAY_END)))
            _add(td, "Unit", DAYS)
            _add(td, "Value", duration(phase.hours))


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
