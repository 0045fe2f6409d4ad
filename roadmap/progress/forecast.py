"""The re-forecast plan shown as a PMO sees it.

The optimizer sees work under way as a candidate that starts at the re-forecast's first period
and runs for its remaining duration (``rebase``). The workbook and the MS Project file show it
as it is: started on its actual start, in progress, going live on the forecast date, with the
milestones already reached done on their actual dates and the others forecast between the
status date and the go-live. Money, budgets and capacity are the plan's own: only what is
still to come.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from roadmap.domain import Status
from roadmap.plan_facts import MILESTONE_KINDS, Milestone, PlanFacts, Scheduled
from roadmap.plan_facts.dates import on_or_after, period_start, share_of
from roadmap.plan_facts.schedule import BUILD_SHARE, DESIGN_SHARE
from roadmap.plan_facts.tracking import Actuals, Tracking
from roadmap.progress.checks import Reported
from roadmap.progress.model import DONE, IN_PROGRESS, STOPPED, ProgressReport
from roadmap.progress.rebase import Rebased


def forecast_facts(
    facts: PlanFacts, rebased: Rebased, reported: Mapping[str, Reported], report: ProgressReport
) -> PlanFacts:
    """``facts`` of the re-forecast plan with work under way on its actual dates, the PMO's
    actuals and the baseline attached (``PlanFacts.tracking``)."""
    cal = facts.calendar
    tracks = rebased.tracks
    resume = on_or_after(rebased.as_of)  # nothing not yet reached happens before it
    rows: list[Scheduled] = []
    moved: dict[str, Scheduled] = {}
    for row in facts.schedule:
        track = tracks.get(row.initiative.id)
        if track is None or not track.in_flight:
            rows.append(row)
            continue
        # work dates are working days: a start typed on a weekend shows on the Monday after
        began = on_or_after(track.start) if track.start else period_start(cal, 0)
        a = min(0, cal.period_of(began))
        ini = replace(
            row.initiative,
            status=Status.IN_PROGRESS,
            actual_start=track.start,
            duration=row.go_live_period - a + 1,
        )
        new = replace(row, initiative=ini, start=a, kickoff=began)
        rows.append(new)
        moved[ini.id] = new
    stones: list[Milestone] = []
    for m in facts.milestones:
        if m.initiative not in moved:
            stones.append(m)
    for iid, row in moved.items():
        stones.extend(_milestones(row, reported.get(iid), facts, resume))
    order = {k: n for n, k in enumerate(MILESTONE_KINDS)}
    stones.sort(key=lambda m: (m.when, m.initiative, order[m.kind]))
    rows.sort(key=lambda x: (x.start, x.initiative.id))
    actuals = {}
    for iid, track in tracks.items():
        rep = reported.get(iid)
        if track.state in (IN_PROGRESS, DONE, STOPPED) or (rep and rep.entered):
            actuals[iid] = Actuals(
                start=track.start,
                go_live=track.go_live if track.state == DONE else None,
                percent=track.percent,
                spent=track.spent,
                rag=rep.rag if rep else "",
                comment=rep.comment if rep else "",
            )
    tracking = Tracking(
        rebased.as_of, actuals, dict(report.baseline), dict(report.milestone_baseline)
    )
    return replace(facts, schedule=rows, milestones=stones, tracking=tracking)


def _milestones(
    row: Scheduled, rep: Reported | None, facts: PlanFacts, resume: date
) -> list[Milestone]:
    """The five milestones of work under way: those reached on their actual dates (done), the
    others on the plan's rule over the build from its actual start, never before the status
    date and in their order."""
    cal = facts.calendar
    ini = row.initiative
    kickoff, go_live = row.kickoff, row.go_live
    review_period = row.go_live_period + ini.ramp_up + 1
    planned = {
        "Kick-off": kickoff,
        "Design sign-off": share_of(kickoff, go_live, DESIGN_SHARE),
        "Build complete": share_of(kickoff, go_live, BUILD_SHARE),
        "Go-live": go_live,
        "Benefits review": _review(facts, ini.id, cal.end(review_period)),
    }
    reached = dict(rep.milestones) if rep else {}
    if ini.actual_start is not None:
        reached.setdefault("Kick-off", ini.actual_start)
    originals = {m.kind: m for m in facts.milestones if m.initiative == ini.id}
    out = []
    floor = kickoff
    for kind in MILESTONE_KINDS:
        base = originals.get(kind)
        if kind in reached:
            when, done, actual = reached[kind], True, reached[kind]
        else:
            when, done, actual = max(planned[kind], resume, floor), False, None
            if kind == "Go-live":
                when = max(go_live, floor)
        floor = max(floor, when)
        out.append(
            Milestone(
                when,
                cal.period_of(when),
                kind,
                ini.id,
                ini.name,
                ini.owner_function,
                ini.accountable_team,
                base.deliverable if base else kind,
                done,
                actual,
            )
        )
    return out


def _review(facts: PlanFacts, iid: str, default: date) -> date:
    """The benefits review as the plan dates it (it follows the go-live, which is unchanged)."""
    found = (
        m.when for m in facts.milestones if m.initiative == iid and m.kind == "Benefits review"
    )
    return next(found, default)
