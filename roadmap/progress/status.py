"""The status report of a re-forecast: every initiative and milestone against the plan that was
handed out (the baseline), with red / amber / green by stated thresholds and the trend since
the previous report.

- Slip: working days from the baseline date to the forecast (or actual) date; late is
  positive.
- Cost: the build's budget (capex and one-off opex, as the input gives it) against its
  forecast at completion: spent to date plus the remaining cost of work under way, what was
  spent on work stopped, the budget for work not started (or reported without spend).
  Overrun = forecast ÷ budget − 1.
- Planned to date: the budget spread evenly over the baseline build's working days, up to the
  status date.
- RAG: red when the slip or the overrun is beyond its red threshold, amber beyond its amber
  one, green otherwise (Settings: RAG amber slip, RAG red slip, RAG amber overrun, RAG red
  overrun). Milestones by slip only.
- Trend: better, worse or same against the previous report's RAG (the progress file's own
  Status sheet, when it is a re-forecast).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from roadmap.domain import Portfolio, Settings
from roadmap.money.calendar import Calendar
from roadmap.money.finance import plan_metrics
from roadmap.plan_facts import MILESTONE_KINDS, PlanFacts
from roadmap.plan_facts.dates import working_days
from roadmap.progress.checks import Reported
from roadmap.progress.model import (
    DONE,
    DROPPED,
    IN_PROGRESS,
    NEW,
    NOT_STARTED,
    RAG_VALUES,
    STOPPED,
    PreviousLine,
    ProgressReport,
)
from roadmap.progress.rebase import Rebased

GREEN, AMBER, RED = RAG_VALUES
BETTER, WORSE, SAME = "better", "worse", "same"


@dataclass(frozen=True)
class Thresholds:
    amber_slip: int = 5  # working days
    red_slip: int = 10
    amber_overrun: float = 0.02
    red_overrun: float = 0.05

    @classmethod
    def of(cls, settings: Settings) -> Thresholds:
        return cls(
            settings.rag_amber_slip,
            settings.rag_red_slip,
            settings.rag_amber_overrun,
            settings.rag_red_overrun,
        )

    def rag(self, slip: int | None, overrun: float | None = None) -> str:
        slip = slip or 0
        over = overrun or 0.0
        if slip > self.red_slip or over > self.red_overrun + 1e-9:
            return RED
        if slip > self.amber_slip or over > self.amber_overrun + 1e-9:
            return AMBER
        return GREEN

    def describe(self) -> str:
        return (
            f"Red: more than {self.red_slip} working days late or {self.red_overrun:.0%} over "
            f"budget; amber: more than {self.amber_slip} days or {self.amber_overrun:.0%}; "
            "green otherwise (Settings: RAG thresholds)."
        )


@dataclass(frozen=True)
class StatusLine:
    """One initiative (``kind`` "") or one of its milestones against the baseline."""

    initiative: str
    name: str
    kind: str
    state: str
    baseline_start: date | None = None
    baseline: date | None = None  # baseline go-live (a milestone: its baseline date)
    start: date | None = None  # actual or forecast start
    forecast: date | None = None  # actual or forecast go-live (milestone date)
    done: bool = False  # the date is an actual
    slip: int | None = None
    percent: float | None = None
    spent: float | None = None
    planned_to_date: float | None = None
    budget: float | None = None
    forecast_cost: float | None = None
    rag: str = ""
    pmo_rag: str = ""
    previous_rag: str = ""
    previous_slip: int | None = None
    trend: str = ""
    comment: str = ""
    how: str = ""

    @property
    def overrun(self) -> float | None:
        """Forecast at completion over budget (None for work dropped or stopped: it will not
        be completed)."""
        if self.state in (DROPPED, STOPPED) or self.forecast_cost is None:
            return None
        return _over(self.budget, self.forecast_cost)


@dataclass(frozen=True)
class Headline:
    label: str
    baseline: float | date | None
    now: float | date | None
    kind: str  # money, count or date
    note: str = ""


@dataclass(frozen=True)
class StatusReport:
    as_of: date
    previous_as_of: date | None
    initiatives: tuple[StatusLine, ...]
    milestones: tuple[StatusLine, ...]
    headline: tuple[Headline, ...]
    thresholds: Thresholds
    budget_notes: tuple[str, ...] = ()
    source: str = ""


def slip_days(baseline: date | None, forecast: date | None) -> int | None:
    """Working days from ``baseline`` to ``forecast``: positive when late, negative early."""
    if baseline is None or forecast is None:
        return None
    if forecast >= baseline:
        return working_days(baseline, forecast) - 1 if forecast > baseline else 0
    return -(working_days(forecast, baseline) - 1)


def trend(now: str, before: str) -> str:
    if not now or not before or before not in RAG_VALUES:
        return ""
    rank = {GREEN: 0, AMBER: 1, RED: 2}
    if rank[now] < rank[before]:
        return BETTER
    return WORSE if rank[now] > rank[before] else SAME


def planned_to_date(budget: float, start: date, go_live: date, as_of: date) -> float:
    """The budget spread evenly over the build's working days, up to the status date."""
    total = working_days(start, go_live)
    if total <= 0 or as_of < start:
        return 0.0
    return budget * min(1.0, working_days(start, min(as_of, go_live)) / total)


def status_report(
    report: ProgressReport,
    reported: Mapping[str, Reported],
    rebased: Rebased,
    facts: PlanFacts,
    thresholds: Thresholds,
) -> StatusReport:
    """Every initiative and milestone of the baseline, of the new plan and done since."""
    plan = facts.plan
    tracks = rebased.tracks
    as_of = rebased.as_of
    names = {i.id: i.name for i in (rebased.original or plan.portfolio).initiatives}
    rows = {r.initiative.id: r for r in facts.schedule}
    previous = {(p.initiative, p.kind): p for p in report.previous}
    ids = set(report.baseline) | set(rows)
    ids |= {i for i, t in tracks.items() if t.state in (DONE, STOPPED) or t.in_flight}
    ids -= {i for i in ids if i not in names}
    lines: list[StatusLine] = []
    for iid in sorted(ids, key=lambda i: (_order(i, report, rows), i)):
        track = tracks.get(iid)
        base = report.baseline.get(iid)
        row = rows.get(iid)
        rep = reported.get(iid, Reported(iid))
        state = track.state if track else NOT_STARTED
        start = track.start if track else None
        forecast = None
        if state == DONE:
            forecast = track.go_live if track else None
        elif row is not None:
            forecast, start = row.go_live, start or row.kickoff
        elif state == IN_PROGRESS:
            state = STOPPED  # under way, and this re-forecast does not continue it
        elif state == NOT_STARTED:
            state = DROPPED if base is not None else NOT_STARTED
        if state == NOT_STARTED and base is None:
            state = NEW
        budget = track.budget if track else None
        spent = rep.spent if rep.spent is not None else (track.spent if track else None)
        cost = _forecast_cost(state, budget, spent, track.remaining_cost if track else None)
        slip = slip_days(base.go_live if base else None, forecast)
        rag = "" if state in (STOPPED, DROPPED) else thresholds.rag(slip, _over(budget, cost))
        before = previous.get((iid, ""))
        lines.append(
            StatusLine(
                iid,
                names.get(iid, ""),
                "",
                state,
                base.start if base else None,
                base.go_live if base else None,
                start,
                forecast,
                state == DONE,
                slip,
                1.0 if state == DONE else rep.percent,
                spent,
                planned_to_date(budget or 0.0, base.start, base.go_live, as_of) if base else None,
                budget,
                cost,
                rag,
                rep.rag,
                before.rag if before else "",
                before.slip if before else None,
                trend(rag, before.rag if before else ""),
                rep.comment,
                track.how if track else "",
            )
        )
    stones = _milestone_lines(report, reported, facts, lines, thresholds, previous)
    headline = _headline(report, rebased, facts, lines)
    return StatusReport(
        as_of,
        report.previous_status_date,
        tuple(lines),
        tuple(stones),
        tuple(headline),
        thresholds,
        rebased.budget_notes,
        report.source,
    )


def _order(iid: str, report: ProgressReport, rows: Mapping) -> date:
    base = report.baseline.get(iid)
    if base is not None:
        return base.start
    row = rows.get(iid)
    return row.kickoff if row is not None else date.max


def _forecast_cost(
    state: str, budget: float | None, spent: float | None, remaining: float | None
) -> float | None:
    if budget is None:
        return None
    if state == IN_PROGRESS and remaining is not None:
        return (spent if spent is not None else budget - remaining) + remaining
    if state in (DONE, STOPPED):
        return spent if spent is not None else (budget if state == DONE else None)
    if state == DROPPED:
        return 0.0
    return budget


def _over(budget: float | None, cost: float | None) -> float | None:
    if budget is None or cost is None or budget <= 0:
        return None
    return cost / budget - 1.0


def _milestone_lines(
    report: ProgressReport,
    reported: Mapping[str, Reported],
    facts: PlanFacts,
    lines: list[StatusLine],
    thresholds: Thresholds,
    previous: Mapping[tuple[str, str], PreviousLine],
) -> list[StatusLine]:
    """Milestones of the work in the new plan and of the work done, against their baseline."""
    now = {(m.initiative, m.kind): m for m in facts.milestones}
    out = []
    for line in lines:
        if line.state in (STOPPED, DROPPED):
            continue
        iid = line.initiative
        rep = reported.get(iid, Reported(iid))
        for kind in MILESTONE_KINDS:
            base = report.milestone_baseline.get((iid, kind))
            m = now.get((iid, kind))
            when: date | None
            if m is not None:
                when, done = m.actual or m.when, m.done
            elif kind in rep.milestones:
                when, done = rep.milestones[kind], True
            elif line.state == DONE:
                # done work: the milestones up to its go-live were reached, the review is ahead
                when = line.forecast if kind == "Go-live" else base
                done = MILESTONE_KINDS.index(kind) <= MILESTONE_KINDS.index("Go-live")
            else:
                continue
            if base is None and when is None:
                continue
            slip = slip_days(base, when)
            rag = thresholds.rag(slip) if slip is not None else ""
            before = previous.get((iid, kind))
            out.append(
                StatusLine(
                    iid,
                    line.name,
                    kind,
                    "done" if done else "to come",
                    baseline=base,
                    forecast=when,
                    done=done,
                    slip=slip,
                    rag=rag,
                    previous_rag=before.rag if before else "",
                    previous_slip=before.slip if before else None,
                    trend=trend(rag, before.rag if before else ""),
                )
            )
    out.sort(key=lambda s: (s.forecast or date.max, s.initiative, MILESTONE_KINDS.index(s.kind)))
    return out


def _valuation_portfolio(rebased: Rebased) -> Portfolio:
    """The input's business cases on the re-forecast's calendar (what the baseline promised)."""
    original = rebased.original or rebased.portfolio
    return replace(original, settings=rebased.portfolio.settings)


def _headline(
    report: ProgressReport, rebased: Rebased, facts: PlanFacts, lines: list[StatusLine]
) -> list[Headline]:
    cal: Calendar = facts.calendar
    portfolio = _valuation_portfolio(rebased)
    by_id = portfolio.initiative_by_id
    base_ids = [i for i in report.baseline if i in by_id]
    base_starts = {i: cal.period_of(report.baseline[i].start) for i in base_ids}
    baseline_npv = plan_metrics(portfolio, base_starts, cal).npv if base_starts else 0.0
    now_npv = facts.headline.metrics.npv
    done = [ln for ln in lines if ln.state == DONE and ln.forecast is not None]
    for ln in done:
        ini = by_id[ln.initiative]
        began = ln.start or ln.forecast
        a, g = cal.period_of(began), cal.period_of(ln.forecast)  # type: ignore[arg-type]
        live = replace(ini, duration=max(1, g - a + 1))
        one = replace(portfolio, initiatives=(live,))
        now_npv += plan_metrics(one, {ini.id: a}, cal).npv
    shown = [ln for ln in lines if ln.state not in (DROPPED,)]
    base_cost = sum(ln.budget or 0.0 for ln in lines if ln.baseline is not None)
    now_cost = sum(ln.forecast_cost or 0.0 for ln in shown)
    reported_ids = [ln for ln in lines if ln.spent is not None]
    base_finish = max((ln.baseline for ln in lines if ln.baseline), default=None)
    now_finish = max((ln.forecast for ln in shown if ln.forecast), default=None)
    in_plan = sum(1 for ln in lines if ln.state not in (STOPPED, DROPPED))
    return [
        Headline(
            "Initiatives (done, under way, to come)",
            float(len(report.baseline)),
            float(in_plan),
            "count",
        ),
        Headline(
            "NPV still to come",
            baseline_npv,
            now_npv,
            "money",
            "at the status date, money from the re-forecast's start on (what is spent is sunk)",
        ),
        Headline(
            "Build cost",
            base_cost,
            now_cost,
            "money",
            "capex and one-off opex: the budget against the forecast at completion",
        ),
        Headline(
            "Spent to date",
            sum(ln.planned_to_date or 0.0 for ln in reported_ids),
            sum(ln.spent or 0.0 for ln in reported_ids),
            "money",
            f"planned against actual, for the {len(reported_ids)} initiative(s) reporting spend",
        ),
        Headline("Programme finish", base_finish, now_finish, "date", "the last go-live"),
    ]


def stop_reason(rebased: Rebased, iid: str, reasons: tuple[str, ...] = ()) -> str:
    """Why work under way is not continued, in words, with its remaining value and cost: on its
    own it is not worth finishing, or (the solver's reasons) what it still needs buys more
    elsewhere."""
    from roadmap.money.finance import initiative_metrics

    cal = Calendar.from_settings(rebased.portfolio.settings)
    m = initiative_metrics(rebased.portfolio, iid, cal, 0)
    currency = rebased.portfolio.settings.currency
    figures = (
        f"remaining value {m.pv_inflow:,.0f} {currency} against remaining cost "
        f"{m.pv_cost:,.0f} {currency} at the status date"
    )
    if m.npv < 0:
        return f"stop: remaining value below remaining cost ({figures})"
    why = "; ".join(reasons) or "a better plan leaves it out"
    return f"stop: {why} ({figures}; what was spent is sunk)"
