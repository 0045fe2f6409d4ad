"""The teams in the MS Project XML: one work resource per team, with its availability over
time and its cost rate, and each team's work on each build, period by period.

Work before the plan start (work in progress) is actual work, the rest remaining work, so a PM
tool shows what is done and what is left; each assignment's cost is its work at the team's
rate. Element order follows the MSPDI schema (mspdi_pj12.xsd).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, time

from roadmap.domain import Team
from roadmap.plan_facts import PlanFacts
from roadmap.plan_facts.workload import HOURS_PER_DAY, Assignment, Phase, availability

DAY_START, DAY_END = time(8, 0), time(17, 0)
FLAT, CONTOURED = 0, 8  # WorkContour
REMAINING_WORK, ACTUAL_WORK = 1, 2  # TimephasedData Type: assignment remaining / actual work
DAYS = 2  # TimephasedData Unit
PER_HOUR = 2  # StandardRateFormat
WORKING_DAYS_PER_YEAR = 260  # 52 weeks of five working days: one FTE-year in hours below
HOURS_PER_FTE_YEAR = HOURS_PER_DAY * WORKING_DAYS_PER_YEAR


def add(parent: ET.Element, tag: str, value: object) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if isinstance(value, bool):
        el.text = "1" if value else "0"
    elif isinstance(value, float):
        el.text = f"{value:.6g}"
    else:
        el.text = str(value)
    return el


def at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def duration(hours: float) -> str:
    """An xsd:duration the way MS Project writes it: PT16H0M0S."""
    whole = round(hours * 60)
    return f"PT{whole // 60}H{whole % 60}M0S"


def money(amount: float) -> str:
    """MSPDI stores currency in hundredths of the unit (cents): 1,250.50 EUR -> 125050."""
    return f"{round(amount * 100)}"


def hourly_rate(team: Team) -> float:
    """The team's cost per hour of one FTE: its cost per FTE-year over 2,080 working hours
    (52 weeks of 5 days of 8 hours); 0 when the Teams sheet gives no cost."""
    return (team.cost_per_fte_year or 0.0) / HOURS_PER_FTE_YEAR


def split_phases(a: Assignment) -> tuple[list[Phase], list[Phase]]:
    """The assignment's periods before the plan start (done) and from it on (to do)."""
    return [p for p in a.phases if p.period < 0], [p for p in a.phases if p.period >= 0]


def labour(a: Assignment) -> tuple[float, float]:
    """(actual, remaining) hours of one assignment."""
    done, todo = split_phases(a)
    return sum(p.hours for p in done), sum(p.hours for p in todo)


def add_resources(
    root: ET.Element,
    facts: PlanFacts,
    project_start: datetime,
    project_finish: datetime,
    work: list[Assignment],
) -> dict[str, int]:
    """One work resource per team; MaxUnits is its base capacity (1.0 = one full-time person),
    its availability over time follows the Capacity sheet (freezes, hires) and its standard
    rate is its cost per FTE-year per working hour."""
    portfolio = facts.plan.portfolio
    spans = availability(facts.plan, facts.calendar)
    team_uid = {t.id: k + 1 for k, t in enumerate(portfolio.teams)}
    hours: dict[str, list[float]] = {t.id: [0.0, 0.0] for t in portfolio.teams}
    for a in work:
        done, todo = labour(a)
        hours[a.team][0] += done
        hours[a.team][1] += todo
    res = ET.SubElement(root, "Resources")
    for t in portfolio.teams:
        rate = hourly_rate(t)
        done, todo = hours[t.id]
        r_el = ET.SubElement(res, "Resource")
        add(r_el, "UID", team_uid[t.id])
        add(r_el, "ID", team_uid[t.id])
        add(r_el, "Name", t.name or t.id)
        add(r_el, "Type", 1)  # work resource
        add(r_el, "IsNull", False)
        add(r_el, "Initials", t.id[:30])
        add(r_el, "Group", t.function)
        add(r_el, "MaxUnits", float(t.capacity))
        add(r_el, "Work", duration(done + todo))
        add(r_el, "ActualWork", duration(done))
        add(r_el, "RemainingWork", duration(todo))
        add(r_el, "StandardRate", round(rate, 4))
        add(r_el, "StandardRateFormat", PER_HOUR)
        add(r_el, "Cost", money((done + todo) * rate))
        add(r_el, "ActualCost", money(done * rate))
        add(r_el, "RemainingCost", money(todo * rate))
        if t.cost_per_fte_year:
            add(
                r_el,
                "Notes",
                f"Rate: cost per FTE-year {t.cost_per_fte_year:,.0f} over "
                f"{HOURS_PER_FTE_YEAR:,} working hours.",
            )
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
            add(p, "AvailableFrom", at(first))
            add(p, "AvailableTo", at(last))
            add(p, "AvailableUnits", round(run.fte, 6))
    return team_uid


def add_assignments(
    root: ET.Element,
    facts: PlanFacts,
    work: list[Assignment],
    build_uid: dict[str, int],
    team_uid: dict[str, int],
    spans: dict[str, tuple[datetime, datetime, float]],
) -> None:
    """Each team on each build, with its work period by period as the phase profile has it
    (time-phased data: actual work before the plan start, remaining work from it), contoured
    when the profile is not flat, costed at the team's rate; baseline = the same work."""
    rates = {t.id: hourly_rate(t) for t in facts.plan.portfolio.teams}
    out = ET.SubElement(root, "Assignments")
    for uid, a in enumerate(work, start=1):
        start, finish, _hours = spans[a.initiative]
        rate = rates[a.team]
        done, todo = labour(a)
        el = ET.SubElement(out, "Assignment")
        add(el, "UID", uid)
        add(el, "TaskUID", build_uid[a.initiative])
        add(el, "ResourceUID", team_uid[a.team])
        if done:
            add(el, "PercentWorkComplete", round(100 * done / (done + todo)))
            add(el, "ActualCost", money(done * rate))
            add(el, "ActualStart", at(start))
            add(el, "ActualWork", duration(done))
        add(el, "Cost", money((done + todo) * rate))
        add(el, "Finish", at(finish))
        add(el, "RemainingCost", money(todo * rate))
        add(el, "RemainingWork", duration(todo))
        add(el, "Start", at(start))
        add(el, "Units", round(a.peak, 6))
        add(el, "Work", duration(done + todo))
        add(el, "WorkContour", FLAT if a.flat else CONTOURED)
        b = ET.SubElement(el, "Baseline")
        add(b, "Number", 0)
        add(b, "Start", at(start))
        add(b, "Finish", at(finish))
        add(b, "Work", duration(done + todo))
        add(b, "Cost", money((done + todo) * rate))
        for kind, phases in zip((ACTUAL_WORK, REMAINING_WORK), split_phases(a), strict=True):
            for phase in phases:
                td = ET.SubElement(el, "TimephasedData")
                add(td, "Type", kind)
                add(td, "UID", uid)
                add(td, "Start", at(datetime.combine(phase.first, DAY_START)))
                add(td, "Finish", at(datetime.combine(phase.last, DAY_END)))
                add(td, "Unit", DAYS)
                add(td, "Value", duration(phase.hours))
