"""The hard limits as numpy arrays: team capacity, FTE demand by offset, and budget rows.

Every stage that reasons about limits (optimizer, greedy baseline, plan checker, report) reads
them from here, so they cannot disagree on what a limit is. Pure functions, no solver.

Conventions: team rows follow ``portfolio.teams``; initiative rows follow
``portfolio.initiatives``; demand and spend arrays are indexed by *offset from the start*
(an initiative started in ``t`` needs ``demand[i, :, k]`` in plan period ``t + k``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from roadmap.domain import Initiative, Portfolio, SpendKind
from roadmap.money.calendar import Calendar
from roadmap.money.finance import StartValues
from roadmap.money.profiles import fte_by_period


def team_capacity(portfolio: Portfolio, calendar: Calendar) -> np.ndarray:
    """FTE each team can give in each plan period, shape (teams, H).

    Base capacity, then every capacity change in sheet order: from the period containing its
    start to the one containing its end (or to the horizon's end), later rows win.
    """
    horizon = calendar.horizon
    team_row = {t.id: k for k, t in enumerate(portfolio.teams)}
    cap = np.array([[t.capacity] * horizon for t in portfolio.teams], dtype=float)
    cap = cap.reshape(len(portfolio.teams), horizon)
    for change in portfolio.capacity_changes:
        row = team_row.get(change.team)
        if row is None:
            continue
        first = max(0, calendar.period_of(change.start))
        last = (
            horizon - 1 if change.end is None else min(horizon - 1, calendar.period_of(change.end))
        )
        if first <= last:
            cap[row, first : last + 1] = change.capacity
    return cap


def capacity_ceiling(portfolio: Portfolio, calendar: Calendar) -> np.ndarray:
    """Capacity with each team's tolerated over-allocation: the hard limit, shape (teams, H)."""
    tolerance = np.array([1.0 + t.over_allocation for t in portfolio.teams], dtype=float)
    return team_capacity(portfolio, calendar) * tolerance[:, None]


def max_duration(portfolio: Portfolio) -> int:
    return max((i.duration for i in portfolio.initiatives), default=1)


def fte_demand(portfolio: Portfolio) -> np.ndarray:
    """FTE each initiative needs from each team by offset from its start, shape (n, teams, D).

    ``D`` is the longest duration; offsets past an initiative's own duration are zero. Several
    Staffing rows for the same initiative and team add up.
    """
    n, teams, dmax = len(portfolio.initiatives), len(portfolio.teams), max_duration(portfolio)
    demand = np.zeros((n, teams, dmax))
    team_row = {t.id: k for k, t in enumerate(portfolio.teams)}
    index = portfolio.index
    by_id = portfolio.initiative_by_id
    for s in portfolio.staffing:
        if s.initiative not in index or s.team not in team_row:
            continue
        d = by_id[s.initiative].duration
        demand[index[s.initiative], team_row[s.team], :d] += fte_by_period(s.fte, s.profile, d)
    return demand


@dataclass(frozen=True)
class BudgetRow:
    """One budget inequality: spend of ``kind`` from ``pool`` over ``periods`` <= ``amount``.

    Without carry-over each Budget sheet row gives one BudgetRow over its own periods. With
    carry-over, rows of the same kind, pool and granularity are chained: the BudgetRow for the
    k-th of them covers the periods of the first k and allows the sum of their amounts (unspent
    budget rolls forward; overspend can never be paid back later).
    """

    periods: tuple[int, ...]
    kind: SpendKind
    pool: str | None  # None = all initiatives, whatever their pool
    amount: float
    label: str  # "2027-Q2", "FY2028 IT capex", "FY2027–FY2028 IT (with carry-over)"
    granularity: str = "period"  # "period" or "year"
    source_rows: tuple[int | None, ...] = ()  # Budget sheet rows this inequality comes from

    def applies_to(self, initiative: Initiative) -> bool:
        return self.pool is None or initiative.funding_pool == self.pool


def _describe(base: str, kind: SpendKind, pool: str | None) -> str:
    parts = [base]
    if pool:
        parts.append(pool)
    if kind is not SpendKind.TOTAL:
        parts.append(kind.value)
    return " ".join(parts)


def budget_rows(portfolio: Portfolio, calendar: Calendar) -> list[BudgetRow]:
    """The budget inequalities, in a stable order (per-period rows first, then fiscal years).

    Limits on periods or fiscal years outside the horizon are dropped; a fiscal year only partly
    inside the horizon keeps its full amount for the periods that are inside.
    """
    singles: list[tuple[int, BudgetRow]] = []
    for pos, b in enumerate(portfolio.budgets):
        if b.period is not None:
            t = calendar.period_of(b.period)
            if not 0 <= t < calendar.horizon:
                continue
            label = _describe(calendar.label(t), b.kind, b.pool)
            singles.append(
                (pos, BudgetRow((t,), b.kind, b.pool, b.amount, label, "period", (b.row,)))
            )
        elif b.fiscal_year is not None:
            periods = tuple(calendar.periods_in_fiscal_year(b.fiscal_year))
            if not periods:
                continue
            label = _describe(f"FY{b.fiscal_year}", b.kind, b.pool)
            singles.append(
                (pos, BudgetRow(periods, b.kind, b.pool, b.amount, label, "year", (b.row,)))
            )
    singles.sort(key=lambda pr: (pr[1].granularity != "period", pr[1].periods[0], pr[0]))
    rows = [r for _, r in singles]
    if not portfolio.settings.budget_carry_over:
        return rows
    return _cumulative(rows)


def _cumulative(rows: list[BudgetRow]) -> list[BudgetRow]:
    groups: dict[tuple[SpendKind, str | None, str], list[BudgetRow]] = defaultdict(list)
    for r in rows:
        groups[(r.kind, r.pool, r.granularity)].append(r)
    out: list[BudgetRow] = []
    for r in rows:
        group = groups[(r.kind, r.pool, r.granularity)]
        upto = [g for g in group if g.periods[0] <= r.periods[0]]
        periods = tuple(sorted({t for g in upto for t in g.periods}))
        amount = float(sum(g.amount for g in upto))
        first = upto[0].label.split(" ")[0]
        base = r.label.split(" ")[0]
        span = base if first == base else f"{first}–{base}"
        label = _describe(span, r.kind, r.pool) + (" (with carry-over)" if len(upto) > 1 else "")
        sources = tuple(s for g in upto for s in g.source_rows)
        out.append(BudgetRow(periods, r.kind, r.pool, amount, label, r.granularity, sources))
    return out


def spend_by_offset(values: StartValues, kind: SpendKind) -> np.ndarray:
    """Spend of one kind by offset from the start, shape (n, H)."""
    if kind is SpendKind.CAPEX:
        return values.capex
    if kind is SpendKind.OPEX:
        return values.opex
    return values.capex + values.opex


def team_load(
    portfolio: Portfolio, horizon: int, starts: Mapping[str, int], demand: np.ndarray | None = None
) -> np.ndarray:
    """FTE used per team and plan period by the initiatives in ``starts``, shape (teams, H)."""
    demand = fte_demand(portfolio) if demand is None else demand
    load = np.zeros((len(portfolio.teams), horizon))
    index = portfolio.index
    for iid, t in starts.items():
        _add_shifted(load, demand[index[iid]], t)
    return load


def _add_shifted(target: np.ndarray, by_offset: np.ndarray, start: int) -> None:
    """Add a (..., D) by-offset series into (..., H) plan periods, clipping to 0..H-1."""
    horizon, width = target.shape[-1], by_offset.shape[-1]
    lo, hi = max(0, start), min(horizon, start + width)
    if lo < hi:
        target[..., lo:hi] += by_offset[..., lo - start : hi - start]


def period_spend(
    portfolio: Portfolio,
    values: StartValues,
    starts: Mapping[str, int],
    kind: SpendKind,
    pool: str | None,
    horizon: int,
) -> np.ndarray:
    """Spend of ``kind`` per plan period by the initiatives in ``starts`` drawing on ``pool``."""
    spend = spend_by_offset(values, kind)
    out = np.zeros(horizon)
    by_id = portfolio.initiative_by_id
    index = {iid: k for k, iid in enumerate(values.ids)}
    for iid, t in starts.items():
        if pool is not None and by_id[iid].funding_pool != pool:
            continue
        _add_shifted(out, spend[index[iid]], t)
    return out


def row_spend(
    rows: list[BudgetRow],
    portfolio: Portfolio,
    values: StartValues,
    starts: Mapping[str, int],
    horizon: int,
) -> np.ndarray:
    """What the plan in ``starts`` spends against each budget row, shape (len(rows),)."""
    cache: dict[tuple[SpendKind, str | None], np.ndarray] = {}
    out = np.zeros(len(rows))
    for k, r in enumerate(rows):
        key = (r.kind, r.pool)
        if key not in cache:
            cache[key] = period_spend(portfolio, values, starts, r.kind, r.pool, horizon)
        out[k] = cache[key][list(r.periods)].sum()
    return out
