"""One task of the MS Project XML as the export assembles it, and how it is written: dates,
outline number and WBS, progress, cost (fixed, actual and remaining), links and baseline, in the
MSPDI schema's element order (mspdi_pj12.xsd)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime

from roadmap.export.mspdi_team import add, at, duration, money
from roadmap.plan_facts.dates import working_days
from roadmap.plan_facts.workload import HOURS_PER_DAY

DAYS_FORMAT = 7  # LagFormat / DurationFormat: days
LAG_PER_HOUR = 600  # LinkLag is in tenths of a minute
START_NO_EARLIER_THAN = 4
PRORATED = 3  # FixedCostAccrual: spread over the task
# (FieldID, field, alias): the task custom cost fields carrying the build's capex and opex
COST_FIELDS = (("188743786", "Cost1", "Capex"), ("188743787", "Cost2", "Opex"))


@dataclass(frozen=True)
class Progress:
    """A task's progress at the status date."""

    percent: float  # 0–1
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    # working hours from the status date to the finish: what is left by the forecast
    remaining: float | None = None


@dataclass(frozen=True)
class Money:
    """A build's cost as the file carries it."""

    capex: float  # what the plan spends, from its start
    opex: float
    actual: float  # spent before (sunk), build cost only
    labour_done: float = 0.0  # the teams' time already worked, at their rates
    labour_left: float = 0.0

    @property
    def remaining(self) -> float:
        return self.capex + self.opex + self.labour_left

    @property
    def actual_total(self) -> float:
        return self.actual + self.labour_done

    @property
    def fixed(self) -> float:
        return self.actual + self.capex + self.opex

    @property
    def total(self) -> float:
        return self.actual_total + self.remaining


@dataclass(frozen=True)
class Baseline:
    start: datetime
    finish: datetime
    hours: float
    work: float
    cost: float
    fixed: float | None = None


@dataclass
class Task:
    """One task while the file is assembled; written out in one go at the end."""

    uid: int
    name: str
    level: int
    outline: str
    start: datetime
    finish: datetime
    hours: float = 0.0
    work: float = 0.0
    milestone: bool = False
    summary: bool = False
    constrain: bool = False
    progress: Progress | None = None
    money: Money | None = None
    notes: str = ""
    # (predecessor UID, link type, lag in working hours)
    links: list[tuple[int, int, float]] = field(default_factory=list)
    baseline: Baseline | None = None


def hours_between(first: date, last: date) -> float:
    return float(working_days(first, last) * HOURS_PER_DAY)


def write_task(parent: ET.Element, t: Task) -> None:
    task = ET.SubElement(parent, "Task")
    add(task, "UID", t.uid)
    add(task, "ID", t.uid)
    add(task, "Name", t.name[:512])
    add(task, "Type", 1)  # fixed duration: the plan fixes the dates, not the effort
    add(task, "IsNull", False)
    add(task, "WBS", t.outline)
    add(task, "OutlineNumber", t.outline)
    add(task, "OutlineLevel", t.level)
    add(task, "Start", at(t.start))
    add(task, "Finish", at(t.finish))
    hours = 0.0 if t.milestone else (t.hours or hours_between(t.start.date(), t.finish.date()))
    add(task, "Duration", duration(hours))
    add(task, "DurationFormat", DAYS_FORMAT)
    if t.work:
        add(task, "Work", duration(t.work))
    add(task, "Milestone", t.milestone)
    add(task, "Summary", t.summary)
    m, p = t.money, t.progress
    if m is not None:
        add(task, "FixedCost", money(m.fixed))
        add(task, "FixedCostAccrual", PRORATED)
    if p is not None and p.percent > 0:
        add(task, "PercentComplete", round(100 * p.percent))
    if m is not None:
        add(task, "Cost", money(m.total))
    left = None
    if p is not None and p.actual_start is not None:
        add(task, "ActualStart", at(p.actual_start))
        if p.actual_finish is not None:
            add(task, "ActualFinish", at(p.actual_finish))
        left = round(hours * (1 - p.percent), 2) if p.remaining is None else p.remaining
        left = min(hours, max(0.0, left))
        add(task, "ActualDuration", duration(hours - left))
    if m is not None and m.actual_total:
        add(task, "ActualCost", money(m.actual_total))
    if left is not None:
        add(task, "RemainingDuration", duration(left))
    if m is not None:
        add(task, "RemainingCost", money(m.remaining))
    if t.constrain:
        add(task, "ConstraintType", START_NO_EARLIER_THAN)
        add(task, "ConstraintDate", at(t.start))
    if t.notes:
        add(task, "Notes", t.notes)
    for uid, kind, lag in t.links:
        link = ET.SubElement(task, "PredecessorLink")
        add(link, "PredecessorUID", uid)
        add(link, "Type", kind)
        add(link, "LinkLag", round(lag * LAG_PER_HOUR))
        add(link, "LagFormat", DAYS_FORMAT)
    if m is not None:
        for (field_id, _field, _alias), amount in zip(COST_FIELDS, (m.capex, m.opex), strict=True):
            e = ET.SubElement(task, "ExtendedAttribute")
            add(e, "FieldID", field_id)
            add(e, "Value", money(amount))
    if t.baseline is not None:
        b = ET.SubElement(task, "Baseline")
        add(b, "Number", 0)
        add(b, "Start", at(t.baseline.start))
        add(b, "Finish", at(t.baseline.finish))
        add(b, "Duration", duration(t.baseline.hours))
        add(b, "DurationFormat", DAYS_FORMAT)
        add(b, "Work", duration(t.baseline.work))
        add(b, "Cost", money(t.baseline.cost))
        if t.baseline.fixed is not None:
            add(b, "FixedCost", money(t.baseline.fixed))
