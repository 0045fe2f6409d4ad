"""Is what the PMO reported plausible, and what does it add up to per initiative?

``check_report`` reads a ``ProgressReport`` against the status date and returns one
``Reported`` per initiative with the facts resolved (the Roadmap sheet's actual start and the
Milestones sheet's kick-off are one fact, so are the actual go-live and the Go-live milestone),
and every implausible entry as an error naming its cell (or task UID): an ID not in the plan,
progress on an initiative the plan did not select, an actual date after the status date or
before the plan start (for work that was not under way then), a finish before a start, a
percent complete outside 0–100 %, a milestone done while the one before it (or the predecessor's
go-live) is not, an actual date on a milestone that is not done, and so on. Nothing is dropped:
a blank entry is "not reported", anything else is used or refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from roadmap.domain import Finding, Severity
from roadmap.plan_facts.schedule import MILESTONE_KINDS
from roadmap.progress.model import (
    DONE,
    EMPTY,
    IN_PROGRESS,
    NOT_STARTED,
    RAG_VALUES,
    STOPPED,
    InitiativeReport,
    MilestoneReport,
    ProgressReport,
)

KICK_OFF, GO_LIVE = MILESTONE_KINDS[0], MILESTONE_KINDS[3]


@dataclass(frozen=True)
class Reported:
    """What is known about one initiative at the status date, all sources resolved."""

    initiative: str
    start: date | None = None
    go_live: date | None = None
    percent: float | None = None
    spent: float | None = None
    remaining_days: int | None = None
    rag: str = ""
    comment: str = ""
    remaining_from: date | None = None  # what the remaining days count from (None: status date)
    stopped: bool = False  # a previous re-forecast stopped it
    milestones: Mapping[str, date] = field(default_factory=lambda: EMPTY)  # kind -> actual date
    carried: bool = False  # known from the previous Status sheet, not entered this time

    @property
    def state(self) -> str:
        if self.stopped:
            return STOPPED
        if self.go_live is not None:
            return DONE
        if self.start is not None:
            return IN_PROGRESS
        return NOT_STARTED

    @property
    def entered(self) -> bool:
        """Anything beyond "not started" is known about it."""
        return self.state != NOT_STARTED or self.spent is not None or bool(self.milestones)


def _err(findings: list[Finding], entry: InitiativeReport | MilestoneReport, name: str,
         message: str, fix: str, *, warning: bool = False, code: str = "") -> None:  # fmt: skip
    severity = Severity.WARNING if warning else Severity.ERROR
    findings.append(entry.place.finding(name, message, fix, severity=severity, code=code))


def check_report(
    report: ProgressReport, status_date: date
) -> tuple[dict[str, Reported], list[Finding]]:
    """The resolved facts per initiative, and every finding (errors and warnings)."""
    findings: list[Finding] = []
    known = report.selected | report.not_selected
    out: dict[str, Reported] = {}
    for line in report.previous:
        if line.kind or line.state not in (DONE, STOPPED):
            continue
        out[line.initiative] = Reported(
            line.initiative,
            start=line.start,
            go_live=line.go_live if line.state == DONE else None,
            spent=line.spent,
            stopped=line.state == STOPPED,
            carried=True,
        )
    for entry in report.initiatives:
        iid = entry.initiative
        if known and iid not in known:
            _err(findings, entry, "ID", f"{iid!r} is not an initiative of this plan",
                 "use an ID from the plan's Roadmap sheet, or delete the row")  # fmt: skip
            continue
        if iid in report.not_selected and not entry.empty:
            _err(findings, entry, "ID",
                 f"progress is entered for {iid}, which this plan did not select",
                 "an initiative left out of the plan cannot have started; clear the entries, or "
                 "add it to the plan first (Mandatory on the input's Initiatives sheet)")  # fmt: skip
            continue
        out[iid] = _one(entry, report, status_date, findings)
    for m in report.milestones:
        if known and m.initiative not in known:
            _err(findings, m, "Initiative", f"{m.initiative!r} is not an initiative of this plan",
                 "use an ID from the plan's Roadmap sheet, or delete the row")  # fmt: skip
        elif m.initiative in report.not_selected and (m.done or m.actual):
            _err(findings, m, "Status",
                 f"a milestone of {m.initiative} is reported, which this plan did not select",
                 "clear its Status and Actual date")  # fmt: skip
    for iid in {m.initiative for m in report.milestones} & report.selected:
        base = out.get(iid) or Reported(iid)
        out[iid] = _milestones(base, report, status_date, findings)
    for rep in out.values():
        _dates(rep, report, status_date, findings)
    _dependencies(out, report, findings)
    return out, findings


def _one(
    entry: InitiativeReport, report: ProgressReport, status_date: date, findings: list[Finding]
) -> Reported:
    iid = entry.initiative
    if entry.percent is not None and not 0 <= entry.percent <= 1:
        _err(findings, entry, "% complete",
             f"% complete of {iid} is {entry.percent:.0%}, outside 0–100 %",
             "type a share between 0 % and 100 %")  # fmt: skip
    if entry.rag and entry.rag.strip().casefold() not in {v.casefold() for v in RAG_VALUES}:
        _err(findings, entry, "RAG", f"RAG {entry.rag!r} of {iid} is not Green, Amber or Red",
             "choose Green, Amber or Red from the drop-down")  # fmt: skip
    if entry.start is not None and entry.go_live is not None and entry.go_live < entry.start:
        _err(findings, entry, "Actual go-live",
             f"{iid} went live on {entry.go_live} before it started on {entry.start}",
             "correct the Actual start or the Actual go-live")  # fmt: skip
    started = entry.start is not None
    for name, value in (("% complete", entry.percent), ("Spent to date", entry.spent),
                        ("Remaining (working days)", entry.remaining_days)):  # fmt: skip
        if value and not started:
            _err(findings, entry, name, f"{name} is given for {iid}, which has no Actual start",
                 "give the day work started in Actual start (or clear the entry)")  # fmt: skip
    if entry.go_live is not None:
        if entry.percent is not None and entry.percent < 1:
            _err(findings, entry, "% complete",
                 f"{iid} went live on {entry.go_live} but is {entry.percent:.0%} complete",
                 "set % complete to 100 %, or clear the Actual go-live")  # fmt: skip
        if entry.remaining_days:
            _err(findings, entry, "Remaining (working days)",
                 f"{iid} went live on {entry.go_live} but has {entry.remaining_days} working "
                 "days remaining", "clear Remaining, or clear the Actual go-live")  # fmt: skip
    elif entry.percent is not None and entry.percent >= 1 and started:
        _err(findings, entry, "% complete",
             f"{iid} is 100 % complete but has no Actual go-live",
             "give the go-live date in Actual go-live, or a lower % complete")  # fmt: skip
    rag = next((v for v in RAG_VALUES if v.casefold() == entry.rag.strip().casefold()), "")
    return Reported(
        iid,
        start=entry.start,
        go_live=entry.go_live,
        percent=entry.percent,
        spent=entry.spent,
        remaining_days=entry.remaining_days,
        rag=rag,
        comment=entry.comment,
        remaining_from=entry.remaining_from,
    )


def _milestones(
    base: Reported, report: ProgressReport, status_date: date, findings: list[Finding]
) -> Reported:
    """Resolve the Milestones sheet into ``base``: done milestones with their dates, the
    kick-off as the actual start and the go-live as the actual go-live."""
    iid = base.initiative
    entry = report.initiative(iid)
    stones = {m.kind: m for m in report.milestones_of(iid)}
    done: dict[str, date] = {}
    start, go_live = base.start, base.go_live
    for kind in MILESTONE_KINDS:
        m = stones.get(kind)
        if m is None:
            continue
        if m.actual is not None and not m.done:
            _err(findings, m, "Actual date",
                 f"{iid} {kind} has an Actual date ({m.actual}) but its Status is "
                 f"{m.status or 'blank'}", "set its Status to Done, or clear the Actual date")  # fmt: skip
            continue
        if not m.done:
            continue
        when = m.actual
        typed = start if kind == KICK_OFF else go_live if kind == GO_LIVE else None
        if when is not None and typed is not None and when != typed:
            column = "Actual start" if kind == KICK_OFF else "Actual go-live"
            _err(findings, m, "Actual date",
                 f"{iid} {kind} is dated {when} here but {typed} in the Roadmap sheet's "
                 f"{column}", "make the two dates the same")  # fmt: skip
            continue
        if when is None:
            when = typed
        if when is None:
            if m.planned is not None and m.planned <= status_date:
                # before the plan start it was done when the plan was made (work in progress)
                if report.plan_start is None or m.planned >= report.plan_start:
                    _err(findings, m, "Actual date",
                         f"{iid} {kind} is Done without an Actual date: its planned date "
                         f"{m.planned} is taken", "type the day it was reached in Actual date",
                         warning=True)  # fmt: skip
                when = m.planned
            else:
                _err(findings, m, "Actual date",
                     f"{iid} {kind} is Done but has no Actual date (it was planned for "
                     f"{m.planned or 'a later date'}, after the status date {status_date})",
                     "type the day it was reached in Actual date")  # fmt: skip
                continue
        done[kind] = when
    order = list(MILESTONE_KINDS)
    # an actual start means the kick-off was reached; an actual go-live, everything up to it
    implied = {KICK_OFF} if start is not None else set()
    if go_live is not None:
        implied |= set(order[: order.index(GO_LIVE) + 1])
    for kind, when in done.items():
        for earlier in order[: order.index(kind)]:
            m = stones[kind]
            if earlier in stones and earlier not in done and earlier not in implied:
                _err(findings, m, "Status",
                     f"{iid} {kind} is Done but {earlier}, which comes before it, is not",
                     f"mark {earlier} Done (with its date), or correct {kind}'s Status")  # fmt: skip
                break
            if earlier in done and done[earlier] > when:
                _err(findings, m, "Actual date",
                     f"{iid} {kind} is dated {when}, before {earlier} ({done[earlier]})",
                     "correct the Actual dates so they follow the milestones' order")  # fmt: skip
                break
    if start is None and KICK_OFF in done:
        start = done[KICK_OFF]
    if go_live is None and GO_LIVE in done:
        go_live = done[GO_LIVE]
    if entry is not None and go_live is not None and start is None:
        _err(findings, entry, "Actual start", f"{iid} went live but has no Actual start",
             "give the day work started in Actual start")  # fmt: skip
    return Reported(
        iid,
        start=start,
        go_live=go_live,
        percent=base.percent,
        spent=base.spent,
        remaining_days=base.remaining_days,
        rag=base.rag,
        comment=base.comment,
        remaining_from=base.remaining_from,
        stopped=base.stopped,
        milestones=done,
        carried=base.carried,
    )


def _dates(
    rep: Reported, report: ProgressReport, status_date: date, findings: list[Finding]
) -> None:
    """Every actual date on or before the status date, and within the plan calendar: on or
    after the plan start, unless the work was already under way when the plan began."""
    if rep.carried:
        return
    iid = rep.initiative
    entry = report.initiative(iid)
    stones = {m.kind: m for m in report.milestones_of(iid)}
    base = report.baseline.get(iid)
    under_way = (
        base is not None and report.plan_start is not None and base.start < report.plan_start
    )
    dated: list[tuple[InitiativeReport | MilestoneReport, str, str, date]] = []
    if entry is not None:
        if entry.start is not None:
            dated.append((entry, "Actual start", "started", entry.start))
        if entry.go_live is not None:
            dated.append((entry, "Actual go-live", "went live", entry.go_live))
    for kind, m in stones.items():
        if m.actual is not None:
            dated.append((m, "Actual date", f"reached {kind}", m.actual))
    for where, name, what, when in dated:
        if when > status_date:
            _err(findings, where, name,
                 f"{iid} {what} on {when}, after the status date {status_date}",
                 "an actual date cannot be in the future: correct it, or report at a later "
                 "status date (--as-of)")  # fmt: skip
        elif report.plan_start is not None and when < report.plan_start and not under_way:
            _err(findings, where, name,
                 f"{iid} {what} on {when}, before the plan starts ({report.plan_start})",
                 "correct the date: work planned in this plan cannot have happened before it")  # fmt: skip
        elif report.plan_end is not None and when > report.plan_end:
            _err(findings, where, name,
                 f"{iid} {what} on {when}, after the plan ends ({report.plan_end})",
                 "correct the date")  # fmt: skip


def _dependencies(
    out: Mapping[str, Reported], report: ProgressReport, findings: list[Finding]
) -> None:
    """A started initiative's predecessors (in the plan) have gone live, before it started."""
    for iid, rep in out.items():
        if rep.start is None or rep.carried:
            continue
        entry = report.initiative(iid)
        kick_off = next((m for m in report.milestones_of(iid) if m.kind == KICK_OFF), None)
        where = entry if entry is not None and entry.start is not None else kick_off or entry
        if where is None:
            continue
        name = "Actual start" if where is entry else "Status"
        for pred in report.predecessors.get(iid, ()):
            if pred not in report.selected:
                continue  # done before the plan, or outside it
            before = out.get(pred)
            if before is None or before.go_live is None:
                _err(findings, where, name,
                     f"{iid} started on {rep.start} but its predecessor {pred} has not gone "
                     "live", f"report {pred}'s go-live first (Actual go-live), or correct "
                     f"{iid}'s start")  # fmt: skip
            elif before.go_live > rep.start:
                _err(findings, where, name,
                     f"{iid} started on {rep.start}, before its predecessor {pred} went live "
                     f"({before.go_live})", "correct one of the two dates")  # fmt: skip


def summary_lines(reported: Mapping[str, Reported], report: ProgressReport) -> list[str]:
    """What was read, one line per initiative with anything known (for the terminal)."""
    lines = []
    for iid in sorted(reported):
        rep = reported[iid]
        if not rep.entered and not rep.rag and not rep.comment:
            continue
        parts = [rep.state]
        if rep.start:
            parts.append(f"started {rep.start}")
        if rep.go_live:
            parts.append(f"live {rep.go_live}")
        if rep.percent is not None:
            parts.append(f"{rep.percent:.0%} complete")
        if rep.spent is not None:
            parts.append(f"spent {rep.spent:,.0f}")
        if rep.remaining_days is not None:
            parts.append(f"{rep.remaining_days} working days to go")
        if rep.milestones:
            parts.append(f"milestones done: {', '.join(rep.milestones)}")
        if rep.rag:
            parts.append(f"RAG {rep.rag}")
        if rep.carried:
            parts.append("(from the previous status report)")
        lines.append(f"{iid:<12} " + "; ".join(parts))
    silent = sorted(report.selected - {i for i, r in reported.items() if r.entered})
    if silent:
        lines.append(f"No progress reported for {len(silent)}: {', '.join(silent)}")
    return lines
