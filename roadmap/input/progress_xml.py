"""Progress read back from an MS Project XML (MSPDI) file saved after tracking, by MS Project,
ProjectLibre or any tool that writes the format (the plan's own ``--export mspdi`` file is the
usual starting point).

Each build task ("D2C-01 build") gives the initiative's ActualStart, ActualFinish (its
go-live), PercentComplete, RemainingDuration (working days still to go at the file's status date) and
its build cost spent: the task's ActualCost less its assignments' (the teams' time at their
rates is not build cost). Each milestone task ("D2C-01 Go-live") is done when it is 100 %
complete, on its ActualFinish. The project's StatusDate is the status date; Baseline 0 is the
plan that was handed out. The file is parsed with defusedxml: entity tricks are refused.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from roadmap.domain import Finding, Severity
from roadmap.errors import InputError
from roadmap.input.files import read_bytes
from roadmap.plan_facts.schedule import MILESTONE_KINDS
from roadmap.plan_facts.tracking import BaselineDates
from roadmap.plan_facts.workload import HOURS_PER_DAY
from roadmap.progress.model import (
    MILESTONE_DONE,
    InitiativeReport,
    MilestoneReport,
    Place,
    ProgressReport,
)

NS = "{http://schemas.microsoft.com/project}"
ELEMENTS = {
    "ID": "Name",
    "% complete": "PercentComplete",
    "Actual start": "ActualStart",
    "Actual go-live": "ActualFinish",
    "Spent to date": "ActualCost",
    "Remaining (working days)": "RemainingDuration",
    "Actual date": "ActualFinish",
    "Status": "PercentComplete",
    "Initiative": "Name",
}
BUILD = "build"


def _text(el: Element, tag: str) -> str | None:
    found = el.find(NS + tag)
    return None if found is None or found.text is None else found.text.strip()


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _hours(text: str | None) -> float | None:
    """An xsd:duration as MS Project writes it (PT16H0M0S) in hours."""
    if not text or not text.startswith("PT"):
        return None
    body, hours = text[2:], 0.0
    for unit, scale in (("H", 1.0), ("M", 1 / 60), ("S", 1 / 3600)):
        if unit in body:
            number, body = body.split(unit, 1)
            try:
                hours += float(number) * scale
            except ValueError:
                return None
    return hours


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def read_progress_xml(path: Path) -> ProgressReport:
    """What the tracked MS Project file says; InputError (exit 2) naming the task UID of every
    entry that cannot be read."""
    path = Path(path)
    try:
        root = SafeET.fromstring(read_bytes(path, workbook=False))
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise InputError(
            f"{path}: cannot be read as MS Project XML ({exc}). Save it from MS Project or "
            "ProjectLibre as XML (File > Save As > XML)."
        ) from None
    if root.tag != NS + "Project":
        raise InputError(f"{path}: not MS Project XML (its root is {root.tag!r}, not Project)")
    findings: list[Finding] = []
    tasks = root.findall(f"{NS}Tasks/{NS}Task")
    by_uid = {_text(t, "UID"): t for t in tasks}
    labour: dict[str, float] = {}
    for a in root.findall(f"{NS}Assignments/{NS}Assignment"):
        uid = _text(a, "TaskUID") or ""
        labour[uid] = labour.get(uid, 0.0) + (_number(_text(a, "ActualCost")) or 0.0) / 100
    initiatives: list[InitiativeReport] = []
    milestones: list[MilestoneReport] = []
    baseline: dict[str, BaselineDates] = {}
    stone_baseline: dict[tuple[str, str], date] = {}
    preds: dict[str, tuple[str, ...]] = {}
    kinds = {k.casefold(): k for k in MILESTONE_KINDS}
    for t in tasks:
        name = _text(t, "Name") or ""
        uid = _text(t, "UID") or "?"
        if _text(t, "Summary") == "1" or uid == "0" or not name:
            continue
        iid, _, rest = name.partition(" ")
        place = Place(path.name, None, ELEMENTS, int(uid) if uid.isdigit() else None, name)
        b = t.find(NS + "Baseline")
        b_start = _day(_text(b, "Start")) if b is not None else None
        b_finish = _day(_text(b, "Finish")) if b is not None else None
        percent = _number(_text(t, "PercentComplete"))
        if rest.strip().casefold() == BUILD:
            if b_start and b_finish:
                baseline[iid] = BaselineDates(b_start, b_finish)
            start, finish = _day(_text(t, "ActualStart")), _day(_text(t, "ActualFinish"))
            remaining = None
            left = _hours(_text(t, "RemainingDuration"))
            if start is not None and finish is None and left is not None:
                remaining = math.ceil(left / HOURS_PER_DAY - 1e-9)
            spent = None
            actual_cost = _number(_text(t, "ActualCost"))
            if actual_cost is not None and start is not None:
                spent = max(0.0, actual_cost / 100 - labour.get(uid, 0.0))
            initiatives.append(
                InitiativeReport(
                    iid,
                    place,
                    None if percent is None or start is None else percent / 100,
                    start,
                    finish,
                    spent,
                    remaining,
                )
            )
            links = []
            for link in t.findall(NS + "PredecessorLink"):
                other = by_uid.get(_text(link, "PredecessorUID"))
                other_name = (_text(other, "Name") or "") if other is not None else ""
                if other_name.casefold().endswith(" " + BUILD):
                    links.append(other_name.partition(" ")[0])
            if links:
                preds[iid] = tuple(links)
        elif rest.strip().casefold() in kinds:
            kind = kinds[rest.strip().casefold()]
            if b_start:
                stone_baseline[(iid, kind)] = b_start
            done = percent is not None and percent >= 100
            actual = _day(_text(t, "ActualFinish")) or _day(_text(t, "ActualStart"))
            milestones.append(
                MilestoneReport(
                    iid,
                    kind,
                    place,
                    MILESTONE_DONE if done else "",
                    actual if done else None,
                    b_start or _day(_text(t, "Start")),
                )
            )
        elif _text(t, "ActualStart") or (percent or 0) > 0:
            findings.append(
                place.finding(
                    "ID",
                    f"task {name!r} has progress but is not a build or milestone of this plan",
                    "track progress on the plan's own tasks ('<ID> build', '<ID> Go-live' …)",
                )
            )
    if any(f.severity is Severity.ERROR for f in findings):
        raise InputError(f"{path.name}: entries that cannot be read", tuple(findings))
    status_date = _day(_text(root, "StatusDate"))
    # RemainingDuration is what was left at the file's status date
    initiatives = [
        replace(r, remaining_from=status_date) if r.remaining_days is not None else r
        for r in initiatives
    ]
    return ProgressReport(
        path.name,
        tuple(initiatives),
        tuple(milestones),
        status_date,
        selected=frozenset(baseline) | frozenset(r.initiative for r in initiatives),
        predecessors=preds,
        baseline=baseline,
        milestone_baseline=stone_baseline,
    )
