"""A fixed plan in every sampled world at once: NPV, spend against each budget line, team load
against capacity, every go-live and the programme finish.

METHOD (the risk workbook's Assumptions sheet says the same):

- The plan is fixed: each initiative keeps its planned start unless a predecessor finishes
  later than planned, which pushes it (finish-to-start plus lag, in dependency order, so a
  delay eats the slack first); work in progress keeps its actual start. Nothing is pulled
  earlier, no capacity or budget is respected: the figures show what the plan would meet.
- Money comes from the plan's own finance code (``roadmap.money``): for every initiative,
  duration and start that occur, its NPV and its spend by plan period at build-cost and benefit
  factors 0 and 1; money is linear in both, so a sample's value is
  ``v(0,0) + c (v(1,0) - v(0,0)) + b (v(0,1) - v(0,0))``. Budgets count spend in plan-start
  prices, as the optimizer does; NPV is discounted as the plan's (hurdle rates, escalation,
  dated flows).
- Team load: each Staffing row's FTE spread by its phase profile over the sampled duration,
  from the (pushed) start. Overloaded = above capacity plus the team's tolerated
  over-allocation, the limit the plan was made under.
- Dates: go-live is the end of the last build period (start + duration); the programme finishes
  with its last go-live.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from graphlib import TopologicalSorter

import numpy as np

from roadmap.domain import Portfolio, SpendKind, Status
from roadmap.money.calendar import Calendar
from roadmap.money.finance import cash_flows, start_values
from roadmap.money.profiles import fte_by_period
from roadmap.money.rates import annual_rate
from roadmap.optimize.limits import budget_rows, capacity_ceiling
from roadmap.risk.sampling import Draws
from roadmap.risk.worlds import single

# the money variants: (build-cost factor, benefit factor)
_VARIANTS = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0))


@dataclass(frozen=True)
class SpendLine:
    """Spend of ``kind`` by initiatives of ``pool`` (None: all) over ``periods``, against
    ``limit`` (None: no budget line, shown for information)."""

    label: str
    periods: tuple[int, ...]
    kind: SpendKind
    pool: str | None
    limit: float | None


@dataclass(frozen=True, eq=False)
class Outcomes:
    """Figures of one plan per sample; initiative columns follow ``ids`` (the plan's
    initiatives in portfolio order), team rows ``teams``."""

    ids: tuple[str, ...]
    npv: np.ndarray  # (S,)
    starts: np.ndarray  # (S, m) start period, pushed by late predecessors
    durations: np.ndarray  # (S, m) build periods
    lines: tuple[SpendLine, ...]
    spend: np.ndarray  # (S, R)
    teams: tuple[str, ...]
    load: np.ndarray  # (S, T, H) FTE
    ceiling: np.ndarray  # (T, H) capacity with the tolerated over-allocation
    deadlines: np.ndarray  # (m,) last period a go-live may fall in (Must finish by), -1 = none

    @property
    def samples(self) -> int:
        return int(self.npv.shape[0])

    @property
    def go_live(self) -> np.ndarray:
        """(S, m) the period each initiative goes live at the end of, exclusive: start + D."""
        return self.starts + self.durations

    @property
    def finish(self) -> np.ndarray:
        """(S,) the programme's finish: the latest go-live (0 for an empty plan)."""
        if not self.ids:
            return np.zeros(self.samples, dtype=int)
        return self.go_live.max(axis=1)

    def overrun(self) -> np.ndarray:
        """(S, R) bool: spend above the line's limit (a cent's tolerance)."""
        limit = np.array([np.inf if x.limit is None else x.limit for x in self.lines], dtype=float)
        return self.spend > limit[None, :] + 0.005 + 1e-9 * np.abs(limit[None, :])

    def on_budget(self) -> np.ndarray:
        """(S,) bool: no budget line overrun."""
        if not self.lines:
            return np.ones(self.samples, dtype=bool)
        return np.asarray(~self.overrun().any(axis=1))

    def overloaded(self) -> np.ndarray:
        """(S, T, H) bool: a team's load above its limit (a rounding tolerance)."""
        return self.load > self.ceiling[None, :, :] + 1e-6

    def late(self) -> np.ndarray:
        """(S, m) bool: gone live after the initiative's Must finish by."""
        has = self.deadlines >= 0
        return has[None, :] & (self.go_live - 1 > self.deadlines[None, :])


def spend_lines(portfolio: Portfolio, calendar: Calendar) -> tuple[SpendLine, ...]:
    """Every budget line as the optimizer applies it, then each fiscal year's total spend (with
    its limit when a Budget row sets one for all pools)."""
    rows = budget_rows(portfolio, calendar)
    lines = [SpendLine(r.label, r.periods, r.kind, r.pool, r.amount) for r in rows]
    for fy in calendar.fiscal_years():
        periods = tuple(calendar.periods_in_fiscal_year(fy))
        if any(
            x.periods == periods and x.kind is SpendKind.TOTAL and x.pool is None for x in lines
        ):
            continue
        lines.append(SpendLine(f"FY{fy} all spend", periods, SpendKind.TOTAL, None, None))
    return tuple(lines)


def pushed_starts(
    portfolio: Portfolio, ids: Sequence[str], planned: np.ndarray, durations: np.ndarray
) -> np.ndarray:
    """(S, m) starts: planned, pushed by predecessors finishing later (finish-to-start + lag,
    in dependency order). Work in progress keeps its actual start."""
    col = {iid: j for j, iid in enumerate(ids)}
    preds: dict[str, list[tuple[str, int]]] = {iid: [] for iid in ids}
    for d in portfolio.dependencies:
        if d.predecessor in col and d.successor in col:
            preds[d.successor].append((d.predecessor, d.lag))
    starts = np.broadcast_to(planned[None, :], durations.shape).copy()
    order = TopologicalSorter({k: [p for p, _ in v] for k, v in preds.items()}).static_order()
    by_id = portfolio.initiative_by_id
    for iid in order:
        j = col[iid]
        if by_id[iid].status is Status.IN_PROGRESS:
            continue
        for pred, lag in preds[iid]:
            p = col[pred]
            starts[:, j] = np.maximum(starts[:, j], starts[:, p] + durations[:, p] + lag)
    return starts


def evaluate(
    portfolio: Portfolio,
    plan_starts: Mapping[str, int],
    draws: Draws,
    calendar: Calendar | None = None,
) -> Outcomes:
    """The plan ``plan_starts`` (initiative -> planned start period) in every world of
    ``draws`` (see the module's METHOD)."""
    cal = calendar or Calendar.from_settings(portfolio.settings)
    h = cal.horizon
    ids = tuple(i.id for i in portfolio.initiatives if i.id in plan_starts)
    cols = np.array([portfolio.index[i] for i in ids], dtype=int)
    planned = np.array([plan_starts[i] for i in ids], dtype=int)
    durations = draws.durations[:, cols]
    cost, benefit = draws.cost_factor[:, cols], draws.benefit_factor[:, cols]
    starts = pushed_starts(portfolio, ids, planned, durations)
    samples = draws.samples
    lines = spend_lines(portfolio, cal)
    member = np.zeros((h, len(lines)))
    for r, line in enumerate(lines):
        member[list(line.periods), r] = 1.0
    with_capex = np.array([x.kind is not SpendKind.OPEX for x in lines], dtype=float)
    with_opex = np.array([x.kind is not SpendKind.CAPEX for x in lines], dtype=float)
    teams = tuple(t.id for t in portfolio.teams)
    team_row = {t: k for k, t in enumerate(teams)}
    npv = np.zeros(samples)
    spend = np.zeros((samples, len(lines)))
    load = np.zeros((samples, len(teams), h))
    by_id = portfolio.initiative_by_id
    for j, iid in enumerate(ids):
        ini = by_id[iid]
        pairs = np.stack([durations[:, j], starts[:, j]], axis=1)
        combos, inverse = np.unique(pairs, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        money = _MoneyOf(portfolio, ini, cal)
        values = np.array([[money.npv(int(d), int(s), v) for v in range(3)] for d, s in combos])
        npv += values[inverse, 0]
        npv += cost[:, j] * (values[inverse, 1] - values[inverse, 0])
        npv += benefit[:, j] * (values[inverse, 2] - values[inverse, 0])
        applies = np.array([x.pool is None or x.pool == ini.funding_pool for x in lines], float)
        by_line = np.zeros((len(combos), 2, len(lines)))
        for u, (d, s) in enumerate(combos):
            for v in range(2):
                cap, opx = money.spend(int(d), int(s), v)
                by_line[u, v] = (cap @ member * with_capex + opx @ member * with_opex) * applies
        spend += by_line[inverse, 0] + cost[:, j, None] * (
            by_line[inverse, 1] - by_line[inverse, 0]
        )
        rows = portfolio.staffing_of(iid)
        used = sorted({team_row[s.team] for s in rows if s.team in team_row})
        if not used:
            continue
        table = np.zeros((len(combos), len(used), h))
        for u, (d, s) in enumerate(combos):
            for st in rows:
                if st.team not in team_row:
                    continue
                fte = fte_by_period(st.fte, st.profile, int(d))
                _add_at(table[u, used.index(team_row[st.team])], fte, int(s))
        load[:, used, :] += table[inverse]
    deadlines = np.array([_deadline(by_id[i].must_finish_by, cal) for i in ids], dtype=int)
    return Outcomes(
        ids=ids,
        npv=npv,
        starts=starts,
        durations=durations,
        lines=lines,
        spend=spend,
        teams=teams,
        load=load,
        ceiling=capacity_ceiling(portfolio, cal),
        deadlines=deadlines,
    )


def _deadline(day: date | None, calendar: Calendar) -> int:
    return -1 if day is None else calendar.period_of(day)


def _add_at(target: np.ndarray, series: np.ndarray, start: int) -> None:
    """Add ``series`` (by offset from ``start``) into plan periods 0..H-1."""
    h, w = len(target), len(series)
    lo, hi = max(0, start), min(h, start + w)
    if lo < hi:
        target[lo:hi] += series[lo - start : hi - start]


class _MoneyOf:
    """One initiative's money at any duration, start and factor variant, from the plan's
    finance code; each (duration, variant) is valued once for every start."""

    def __init__(self, portfolio: Portfolio, ini: object, calendar: Calendar) -> None:
        self.portfolio, self.ini, self.calendar = portfolio, ini, calendar
        self._values: dict[tuple[int, int], tuple[Portfolio, object]] = {}

    def _of(self, d: int, v: int) -> tuple[Portfolio, object]:
        key = (d, v)
        if key not in self._values:
            c, b = _VARIANTS[v]
            mini = single(self.portfolio, self.ini, c, b, d)  # type: ignore[arg-type]
            self._values[key] = (mini, start_values(mini, self.calendar))
        return self._values[key]

    def npv(self, d: int, s: int, v: int) -> float:
        mini, values = self._of(d, v)
        h = self.calendar.horizon
        if 0 <= s < h:
            return float(values.npv[0, s])  # type: ignore[attr-defined]
        # pushed past the horizon, or work in progress: value that start directly
        ini = mini.initiatives[0]
        settings = mini.settings
        flows = cash_flows(ini, s, self.calendar, settings, mini)
        rate = self.calendar.per_period_rate(annual_rate(ini, settings))
        return flows.discount(rate).total

    def spend(self, d: int, s: int, v: int) -> tuple[np.ndarray, np.ndarray]:
        """Capex and opex per plan period (plan-start prices), started in ``s``."""
        _, values = self._of(d, v)
        h = self.calendar.horizon
        cap, opx = np.zeros(h), np.zeros(h)
        _add_at(cap, values.capex[0], s)  # type: ignore[attr-defined]
        _add_at(opx, values.opex[0], s)  # type: ignore[attr-defined]
        return cap, opx
