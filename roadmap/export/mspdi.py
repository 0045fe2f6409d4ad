"""Microsoft Project XML (MSPDI) export of a plan, for MS Project, ProjectLibre and friends.

Outline: one summary task per owner function (level 1); under it one summary per initiative
(level 2) holding a "Build" task (level 3, with the team assignments and finish-to-start links
to its predecessors' builds) and the five milestones (level 3, zero duration).

The plan's dates are already working days (``plan_facts.dates``), written here unchanged on the
project calendar this file declares (Monday–Friday, 08:00–12:00 and 13:00–17:00): a build
starts at 08:00 on its kick-off and finishes at 17:00 on its go-live, a milestone is at 17:00 on
its date (a kick-off at 08:00), and every task carries a "start no earlier than" constraint on its
planned start so a tool re-scheduling it keeps the plan.
Element order follows the MSPDI schema (mspdi_pj12.xsd), which strict readers enforce.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime, time
from pathlib import Path

from roadmap.money.profiles import fte_by_period
from roadmap.plan_facts import Milestone, PlanFacts, Scheduled
from roadmap.plan_facts.dates import working_days

NAMESPACE = "http://schemas.microsoft.com/project"
DAY_START, DAY_END = time(8, 0), time(17, 0)
HOURS_PER_DAY = 8
FS = 1  # PredecessorLink Type: finish-to-start
START_NO_EARLIER_THAN = 4


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
        milestone: bool = False,
        summary: bool = False,
        constrain: bool = False,
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
        _add(task, "Start", start.isoformat(timespec="seconds"))
        _add(task, "Finish", finish.isoformat(timespec="seconds"))
        if not milestone and not hours:
            hours = working_days(start.date(), finish.date()) * HOURS_PER_DAY
        _add(task, "Duration", duration(hours))
        _add(task, "DurationFormat", 7)  # days
        _add(task, "Milestone", milestone)
        _add(task, "Summary", summary)
        if constrain:
            _add(task, "ConstraintType", START_NO_EARLIER_THAN)
            _add(task, "ConstraintDate", start.isoformat(timespec="seconds"))
        if notes:
            _add(task, "Notes", notes)
        return uid


def _build_span(row: Scheduled) -> tuple[datetime, datetime, float]:
    hours = working_days(row.kickoff, row.go_live) * HOURS_PER_DAY
    start, finish = datetime.combine(row.kickoff, DAY_START), datetime.combine(row.go_live, DAY_END)
    return start, finish, float(hours)


def _milestone_time(m: Milestone) -> datetime:
    return datetime.combine(m.when, DAY_START if m.kind == "Kick-off" else DAY_END)


def mspdi_tree(facts: PlanFacts, title: str = "") -> ET.ElementTree:
    plan = facts.plan
    portfolio = plan.portfolio
    root = ET.Element("Project", {"xmlns": NAMESPACE})
    name = title or Path(portfolio.source or "roadmap").stem
    rows = facts.schedule
    spans = {r.initiative.id: _build_span(r) for r in rows}
    stones: dict[str, list[Milestone]] = defaultdict(list)
    for m in facts.milestones:
        stones[m.initiative].append(m)
    times = [t for s in spans.values() for t in s[:2]]
    times += [_milestone_time(m) for m in facts.milestones]
    project_start = min(times, default=datetime.combine(facts.calendar.start(0), DAY_START))
    project_finish = max(times, default=project_start)

    _add(root, "SaveVersion", 14)
    _add(root, "Name", f"{name}.xml")
    _add(root, "Title", f"Roadmap: {name}")
    _add(root, "CreationDate", datetime.now().replace(microsecond=0).isoformat())
    _add(root, "ScheduleFromStart", True)
    _add(root, "StartDate", project_start.isoformat(timespec="seconds"))
    _add(root, "FinishDate", project_finish.isoformat(timespec="seconds"))
    _add(root, "FYStartDate", portfolio.settings.fiscal_year_start_month)
    _add(root, "CurrencyCode", portfolio.settings.currency.upper()[:3])
    _add(root, "CalendarUID", 1)
    _add(root, "DefaultStartTime", "08:00:00")
    _add(root, "DefaultFinishTime", "17:00:00")
    _add(root, "MinutesPerDay", HOURS_PER_DAY * 60)
    _add(root, "MinutesPerWeek", HOURS_PER_DAY * 60 * 5)
    _add(root, "DaysPerMonth", 20)
    _calendar(root)

    tasks = _Tasks(root)
    tasks.add(name, 0, project_start, project_finish, summary=True)  # project summary, UID 0
    build_uid: dict[str, int] = {}
    groups: dict[str, list[Scheduled]] = defaultdict(list)
    for r in rows:
        groups[r.initiative.owner_function or "(no owner function)"].append(r)
    preds = {r.initiative.id: r.predecessors for r in rows}
    # links are added once every build has its UID (PredecessorLink is a Task's last element)
    ordered = sorted(groups.items(), key=lambda kv: min(spans[r.initiative.id][0] for r in kv[1]))
    pending: list[tuple[ET.Element, str]] = []
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
            uid = tasks.add(
                f"{ini.id} build",
                3,
                start,
                finish,
                hours=hours,
                constrain=True,
                notes=f"Accountable team: {ini.accountable_team or 'not set'}",
            )
            build_uid[ini.id] = uid
            pending.append((tasks.el[-1], ini.id))
            for m in stones[ini.id]:
                at = _milestone_time(m)
                tasks.add(
                    f"{ini.id} {m.kind}",
                    3,
                    at,
                    at,
                    milestone=True,
                    constrain=True,
                    notes=m.deliverable,
                )
    for task, iid in pending:
        for p in preds[iid]:
            if p in build_uid:
                link = ET.SubElement(task, "PredecessorLink")
                _add(link, "PredecessorUID", build_uid[p])
                _add(link, "Type", FS)

    team_uid = {t.id: k + 1 for k, t in enumerate(portfolio.teams)}
    res = ET.SubElement(root, "Resources")
    for t in portfolio.teams:
        r_el = ET.SubElement(res, "Resource")
        _add(r_el, "UID", team_uid[t.id])
        _add(r_el, "ID", team_uid[t.id])
        _add(r_el, "Name", t.name or t.id)
        _add(r_el, "Type", 1)  # work resource
        _add(r_el, "Initials", t.id[:30])
        _add(r_el, "Group", t.function)
        _add(r_el, "MaxUnits", float(t.capacity))

    assignments = ET.SubElement(root, "Assignments")
    next_uid = 1
    for r in rows:
        ini = r.initiative
        start, finish, hours = spans[ini.id]
        for s in portfolio.staffing_of(ini.id):
            if s.team not in team_uid or s.fte <= 0:
                continue
            per_period = fte_by_period(s.fte, s.profile, ini.duration)
            average = float(per_period.mean())
            a = ET.SubElement(assignments, "Assignment")
            _add(a, "UID", next_uid)
            _add(a, "TaskUID", build_uid[ini.id])
            _add(a, "ResourceUID", team_uid[s.team])
            _add(a, "Finish", finish.isoformat(timespec="seconds"))
            _add(a, "Start", start.isoformat(timespec="seconds"))
            _add(a, "Units", round(average, 4))
            _add(a, "Work", duration(hours * average))
            next_uid += 1
    ET.indent(root)
    return ET.ElementTree(root)


def write_mspdi(facts: PlanFacts, path: Path, title: str = "") -> Path:
    """Write the MSPDI file (UTF-8 with an XML declaration)."""
    tree = mspdi_tree(facts, title)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tree.write(tmp, encoding="utf-8", xml_declaration=True)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
