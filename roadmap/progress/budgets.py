"""Budget lines for a re-forecast: what is left of each, net of what is spent and committed.

- A line whose periods have all passed drops out.
- A line that reaches past the re-forecast's start (a fiscal year half gone) is reduced by the
  build cost the PMO reported spent inside it, before the re-forecast's start. Spent to date is
  a total since the work started; the part inside a line is taken as accrued evenly over the
  working days from the actual start to the status date.
- Every line from the re-forecast's start on is reduced by what is committed: the run cost of
  work that went live since the plan was made (it no longer takes part in the choice, but it is
  paid from the same budgets).
- A line's kind and pool decide what counts: capex lines count the build's capex share, opex
  lines its opex share and the run costs, a pool's lines only its initiatives.

Spend from before the plan start was never in the plan's budgets and stays out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from roadmap.domain import BudgetLimit, Initiative, Portfolio, SpendKind, Status
from roadmap.money.calendar import Calendar
from roadmap.money.offsets import offset_profile
from roadmap.plan_facts.dates import working_days
from roadmap.progress.model import DONE

TOLERANCE = 0.005  # money below half a cent is nothing


def _periods(b: BudgetLimit, cal: Calendar) -> list[int]:
    if b.period is not None:
        t = cal.period_of(b.period)
        return [t] if 0 <= t < cal.horizon else []
    if b.fiscal_year is not None:
        return cal.periods_in_fiscal_year(b.fiscal_year)
    return []


def _label(b: BudgetLimit, cal: Calendar) -> str:
    when = cal.label(cal.period_of(b.period)) if b.period else f"FY{b.fiscal_year}"
    parts = [when, b.pool or "", "" if b.kind is SpendKind.TOTAL else b.kind.value]
    return " ".join(p for p in parts if p)


def _applies(b: BudgetLimit, ini: Initiative) -> bool:
    return b.pool is None or ini.funding_pool == b.pool


def _share(b: BudgetLimit, ini: Initiative) -> float:
    """The part of a build's spend a line of ``b``'s kind counts."""
    if b.kind is SpendKind.TOTAL:
        return 1.0
    total = ini.capex + ini.one_off_opex
    capex = ini.capex / total if total > 0 else 1.0
    return capex if b.kind is SpendKind.CAPEX else 1.0 - capex


def accrued(spent: float, began: date, as_of: date, first: date, last: date) -> float:
    """The part of ``spent`` (accrued evenly over the working days ``began`` .. ``as_of``)
    that falls in ``first`` .. ``last``."""
    total = working_days(began, as_of)
    if total <= 0:
        return spent if first <= as_of and last >= began else 0.0
    inside = working_days(max(first, began), min(last, as_of))
    return spent * inside / total


def net_budgets(
    original: Portfolio, rebased: Portfolio, tracks: Mapping, as_of: date
) -> tuple[tuple[BudgetLimit, ...], tuple[str, ...]]:
    """The budget lines of the re-forecast and, for each changed or dropped one, a note."""
    cal0 = Calendar.from_settings(original.settings)
    cal = Calendar.from_settings(rebased.settings)
    k = cal0.period_of(cal.start(0))
    by_id = original.initiative_by_id
    committed = _committed_run_costs(original, rebased, tracks, cal)
    out: list[BudgetLimit] = []
    notes: list[str] = []
    for b in original.budgets:
        periods = _periods(b, cal0)
        label = _label(b, cal0)
        if periods and max(periods) < k:
            notes.append(f"{label}: in the past, dropped")
            continue
        past = 0.0
        if periods and min(periods) < k:
            first, last = cal0.start(min(periods)), cal.start(0) - timedelta(days=1)
            for iid, track in tracks.items():
                ini = by_id[iid]
                if track.spent is None or track.start is None or not _applies(b, ini):
                    continue
                past += _share(b, ini) * accrued(track.spent, track.start, as_of, first, last)
        later = [t - k for t in periods if t >= k]
        run = 0.0
        if b.kind is not SpendKind.CAPEX:
            for iid, series in committed.items():
                if _applies(b, by_id[iid]):
                    run += sum(series.get(t, 0.0) for t in later)
        amount = b.amount - past - run
        if past > TOLERANCE or run > TOLERANCE:
            text = f"{label}: {b.amount:,.0f}"
            if past > TOLERANCE:
                text += f" less {past:,.0f} spent before {cal.start(0)}"
            if run > TOLERANCE:
                text += f" less {run:,.0f} run cost of work gone live"
            text += f" = {max(0.0, amount):,.0f}"
            if amount < -TOLERANCE:
                text += f" (overspent by {-amount:,.0f}: nothing is left)"
            notes.append(text)
        out.append(replace(b, amount=max(0.0, amount)))
    return tuple(out), tuple(notes)


def _committed_run_costs(
    original: Portfolio, rebased: Portfolio, tracks: Mapping, cal: Calendar
) -> dict[str, dict[int, float]]:
    """Run cost per re-forecast period of the work that went live since the plan was made."""
    out: dict[str, dict[int, float]] = {}
    for iid, track in tracks.items():
        ini = original.initiative_by_id[iid]
        if track.state != DONE or ini.status is Status.DONE or track.go_live is None:
            continue
        began = track.start or track.go_live
        a, g = cal.period_of(began), cal.period_of(track.go_live)
        live = replace(ini, duration=max(1, g - a + 1))
        p = offset_profile(live, cal, rebased, risk_adjusted=False)
        out[iid] = {
            a + o: float(v) for o, v in enumerate(p.run_cost) if 0 <= a + o < cal.horizon and v
        }
    return out
