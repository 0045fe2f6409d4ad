"""The greedy baseline: how the auto-scheduler of a project-management tool would plan.

1. Work in progress stays where it is.
2. Mandatory work, everything it depends on and its bundle partners ("forced" work) is placed at
   its earliest feasible start, predecessors first.
3. The rest is ranked by value for money, NPV at its earliest start divided by total cost (free
   initiatives with a positive NPV first), and placed in that order at its earliest feasible start;
   an initiative waits until all its predecessors have been decided. Initiatives whose NPV at that
   start is not positive are left out; a bundle goes in whole or not at all; the first placed member
   of an alternative group closes the group.

"Feasible" means every hard limit holds after placing it: budget rows, team capacity with
tolerance, change limit, start windows, dependencies (predecessor placed or done, finished plus lag
before the start). So the result always passes ``roadmap.optimize.plan_check.check_plan`` and is a valid warm
start for the optimizer; the optimizer's "gain over greedy" is measured against its NPV.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from roadmap.domain import Initiative, Portfolio, SpendKind, Status
from roadmap.errors import InfeasibleError
from roadmap.money.calendar import Calendar
from roadmap.money.finance import StartValues
from roadmap.optimize.derived import Derived
from roadmap.optimize.limits import BudgetRow, capacity_ceiling, fte_demand
from roadmap.optimize.schedule_generation import place_forced
from roadmap.optimize.windows import Window

# Stay a hair inside each limit so that float sums taken in another order (the checker's, the
# solver's) never see the plan as over.
_MARGIN = 1e-9


class GreedyInfeasible(InfeasibleError):
    """Forced work (mandatory, or needed by mandatory work) could not be placed."""

    def __init__(self, initiative: str, reason: str, tried: str = "") -> None:
        how = f" (after {tried})" if tried else ""
        super().__init__(
            f"The baseline scheduler could not place {initiative}: {reason}{how}. Check its "
            "window, the budget and the capacity of its teams, or whether it really is mandatory."
        )
        self.initiative = initiative
        self.reason = reason
        self.tried = tried


@dataclass
class _State:
    budget_left: np.ndarray  # (R,)
    slack: np.ndarray  # (teams, H) ceiling minus load
    running: np.ndarray  # (functions, H) initiatives in build
    starts: dict[str, int]
    groups_taken: set[str]

    def copy(self) -> _State:
        return _State(
            self.budget_left.copy(),
            self.slack.copy(),
            self.running.copy(),
            dict(self.starts),
            set(self.groups_taken),
        )


class _Scheduler:
    """The limits as arrays, and the two operations greedy needs: where may ``i`` start, and
    place ``i`` at ``s``."""

    def __init__(
        self,
        portfolio: Portfolio,
        values: StartValues,
        windows: Mapping[str, Window],
        calendar: Calendar,
        rows: Sequence[BudgetRow],
    ) -> None:
        self.p = portfolio
        self.values = values
        self.windows = windows
        self.on_groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for g in portfolio.group_dependencies:
            self.on_groups[g.successor].append((g.group, g.lag))
        h = self.h = calendar.horizon
        n = len(portfolio.initiatives)
        self.m_capex = np.zeros((h, len(rows)))
        self.m_opex = np.zeros((h, len(rows)))
        self.applies = np.zeros((n, len(rows)), dtype=bool)
        for r, row in enumerate(rows):
            periods = list(row.periods)
            if row.kind in (SpendKind.CAPEX, SpendKind.TOTAL):
                self.m_capex[periods, r] = 1.0
            if row.kind in (SpendKind.OPEX, SpendKind.TOTAL):
                self.m_opex[periods, r] = 1.0
            for i, ini in enumerate(portfolio.initiatives):
                self.applies[i, r] = row.applies_to(ini)
        amounts = np.array([r.amount for r in rows], dtype=float)
        self.budget_tol = np.maximum(amounts, 1.0) * _MARGIN
        self.demand = fte_demand(portfolio)  # (n, teams, D)
        ceiling = capacity_ceiling(portfolio, calendar)
        functions = sorted({i.owner_function for i in portfolio.initiatives if i.owner_function})
        self.function_row = {f: k for k, f in enumerate(functions)}
        self.change_limit = portfolio.settings.change_limit
        # offset of plan period p from start s, for every (s, p): the shift of spend by offset
        s_idx, p_idx = np.meshgrid(np.arange(h), np.arange(h), indexing="ij")
        self.offset = np.clip(p_idx - s_idx, 0, h - 1)
        self.after_start = p_idx >= s_idx
        self._need_cache: dict[int, list[tuple[int, np.ndarray, float | None]]] = {}
        self.state = _State(
            amounts.copy(),
            ceiling.copy(),
            np.zeros((len(functions), h)),
            {},
            set(),
        )

    # --- what placing i at s costs ------------------------------------------------------------

    def _spend_rows(self, i: int, first: int, last: int) -> np.ndarray:
        """Spend against every budget row for each start ``first..last`` (all >= 0), (m, R)."""
        off = self.offset[first : last + 1]
        mask = self.after_start[first : last + 1]
        capex = np.where(mask, self.values.capex[i][off], 0.0)
        opex = np.where(mask, self.values.opex[i][off], 0.0)
        return (capex @ self.m_capex + opex @ self.m_opex) * self.applies[i]

    def _shifted(self, series: np.ndarray, start: int) -> np.ndarray:
        """A by-offset series laid on plan periods ``0..H-1`` for a start that may be negative."""
        out = np.zeros(self.h)
        lo, hi = max(0, start), min(self.h, start + len(series))
        if lo < hi:
            out[lo:hi] = series[lo - start : hi - start]
        return out

    def _needs(self, i: int) -> list[tuple[int, np.ndarray, float | None]]:
        """(team, need by offset over the duration, the need if flat else None) for each team
        initiative ``i`` needs; computed once, since schedule generation asks thousands of times."""
        found = self._need_cache.get(i)
        if found is None:
            d = self.p.initiatives[i].duration
            need = self.demand[i, :, :d]
            found = []
            for j in np.flatnonzero(need.max(axis=1) > 0).tolist() if d > 0 else []:
                flat = float(need[j, 0]) if need[j].min() == need[j].max() else None
                found.append((j, need[j], flat))
            self._need_cache[i] = found
        return found

    # --- the two operations -------------------------------------------------------------------

    def feasible(self, iid: str, lo: int, hi: int, state: _State) -> np.ndarray:
        """Which starts ``lo..hi`` keep every budget, capacity and change limit, as booleans."""
        if lo > hi:
            return np.zeros(0, dtype=bool)
        i = self.p.index[iid]
        ini = self.p.initiatives[i]
        d = ini.duration
        ok = np.ones(hi - lo + 1, dtype=bool)
        if self.applies[i].any():
            spend = self._spend_rows(i, lo, hi)
            ok &= np.all(spend <= state.budget_left + self.budget_tol, axis=1)
        for j, profile, flat in self._needs(i):
            if flat is not None:
                # flat need: a start fits when no period of its run is short (a running count)
                run = state.slack[j, lo : hi + d] < flat - _MARGIN
                short = np.concatenate(([0], np.cumsum(run)))
                ok &= short[d:] == short[: hi - lo + 1]
            else:
                slack = sliding_window_view(state.slack[j], d)[lo : hi + 1]
                ok &= np.all(slack >= profile - _MARGIN, axis=1)
        if self.change_limit is not None and ini.owner_function:
            busy = state.running[self.function_row[ini.owner_function]]
            ok &= np.all(sliding_window_view(busy, d)[lo : hi + 1] < self.change_limit, axis=1)
        holes = self.windows[iid].holes
        if holes:  # starts a change freeze forbids
            ok &= np.array([t not in holes for t in range(lo, hi + 1)], dtype=bool)
        return ok

    def place(self, iid: str, s: int, state: _State) -> None:
        i = self.p.index[iid]
        ini = self.p.initiatives[i]
        if self.applies[i].any():
            capex = self._shifted(self.values.capex[i], s)
            opex = self._shifted(self.values.opex[i], s)
            state.budget_left -= (capex @ self.m_capex + opex @ self.m_opex) * self.applies[i]
        d = ini.duration
        for j, _, flat in self._needs(i):
            if flat is not None and s >= 0 and s + d <= self.h:
                state.slack[j, s : s + d] -= flat  # the common case, without a full-length array
            else:
                state.slack[j] -= self._shifted(self.demand[i, j], s)
        if ini.owner_function:
            lo, hi = max(0, s), min(self.h, s + ini.duration)
            state.running[self.function_row[ini.owner_function], lo:hi] += 1
        state.starts[iid] = s
        if ini.alternative_group:
            state.groups_taken.add(ini.alternative_group)

    def last_start(self, iid: str, lo: int, hi: int, state: _State) -> int | None:
        """Latest start in ``lo..hi`` that keeps every limit, or None."""
        ok = self.feasible(iid, lo, hi, state)
        return lo + int(np.flatnonzero(ok)[-1]) if ok.any() else None

    def flat_needs(self, forced: Sequence[str]) -> dict[str, list[tuple[int, float]]] | None:
        """(team, FTE) of each of ``forced`` when only flat team capacity can limit where they
        start (no budget row applies, no change limit, no alternative group); else None."""
        out: dict[str, list[tuple[int, float]]] = {}
        for iid in forced:
            i = self.p.index[iid]
            ini = self.p.initiatives[i]
            if self.applies[i].any() or ini.alternative_group or ini.duration < 1:
                return None
            if self.change_limit is not None and ini.owner_function:
                return None
            needs = self._needs(i)
            if any(flat is None for _, _, flat in needs):
                return None
            out[iid] = [(j, float(flat)) for j, _, flat in needs if flat is not None]
        return out

    def ready_after(self, iid: str, state: _State, preds: list[tuple[str, int]]) -> int | None:
        """First start allowed by the predecessors, or None when one is neither placed nor done
        (for a dependency on an alternative group: when no member is placed or done)."""
        lo = self.windows[iid].earliest
        by_id = self.p.initiative_by_id
        for pid, lag in preds:
            pred = by_id[pid]
            if pred.status is Status.DONE:
                continue
            if pid not in state.starts:
                return None
            lo = max(lo, state.starts[pid] + pred.duration + lag)
        for group, lag in self.on_groups.get(iid, ()):
            members = self.p.group_members.get(group, ())
            if any(by_id[m].status is Status.DONE for m in members):
                continue
            placed = [m for m in members if m in state.starts]
            if not placed:
                return None
            lo = max(lo, max(state.starts[m] + by_id[m].duration for m in placed) + lag)
        return lo

    def find_start(self, iid: str, state: _State, preds: list[tuple[str, int]]) -> int | str:
        """Earliest feasible start of ``iid``, or why there is none."""
        ini = self.p.initiative_by_id[iid]
        if ini.alternative_group and ini.alternative_group in state.groups_taken:
            return f"an alternative in group {ini.alternative_group} is already chosen"
        window = self.windows[iid]
        if window.is_empty:
            return "it has no allowed start in the plan"
        lo = self.ready_after(iid, state, preds)
        if lo is None:
            return "a predecessor is not in the plan"
        ok = self.feasible(iid, lo, window.latest, state)
        if not ok.any():
            return "no start in its window fits the budget, capacity and change limits"
        return lo + int(np.argmax(ok))


def _forced(
    portfolio: Portfolio,
    preds: Mapping[str, list[tuple[str, int]]],
    windows: Mapping[str, Window] | None = None,
) -> set[str]:
    """Mandatory work, its predecessors, and bundle partners of either (or of work under way);
    for forced work that depends on an alternative group none of whose members is done or under
    way, the member that can start first."""
    by_id = portfolio.initiative_by_id
    bundles: dict[str, list[str]] = defaultdict(list)
    for ini in portfolio.initiatives:
        if ini.bundle and ini.status is not Status.DONE:
            bundles[ini.bundle].append(ini.id)
    stack = [
        i.id
        for i in portfolio.initiatives
        if (i.mandatory and i.status is Status.PROPOSED)
        or (i.status is Status.IN_PROGRESS and i.bundle)
    ]
    seen: set[str] = set()
    while stack:
        iid = stack.pop()
        if iid in seen or by_id[iid].status is Status.DONE:
            continue
        seen.add(iid)
        stack.extend(pid for pid, _ in preds[iid])
        stack.extend(m for m, _ in _group_pick(portfolio, iid, windows))
        bundle = by_id[iid].bundle
        if bundle:
            stack.extend(bundles[bundle])
    return {iid for iid in seen if by_id[iid].status is Status.PROPOSED}


def _group_pick(
    portfolio: Portfolio, iid: str, windows: Mapping[str, Window] | None
) -> list[tuple[str, int]]:
    """For each alternative group ``iid`` depends on: the member the baseline commits to (the
    one that can start first), with the dependency's lag."""
    out = []
    by_id = portfolio.initiative_by_id
    for g in portfolio.group_dependencies:
        if g.successor != iid:
            continue
        members = [by_id[m] for m in portfolio.group_members.get(g.group, ())]
        if any(m.status is not Status.PROPOSED for m in members):
            continue  # done, or under way (already placed)
        usable = [
            m for m in members if not m.excluded and (windows is None or not windows[m.id].is_empty)
        ]
        if usable:
            first = min(usable, key=lambda m: windows[m.id].earliest if windows else 0)
            out.append((first.id, g.lag))
    return out


def greedy_plan(
    derived: Derived,
    *,
    construct_seconds: float = 0.0,
    minimise_finish: bool = False,
    finish_bound: int = 0,
) -> dict[str, int]:
    """Start period of every initiative the baseline selects, work in progress included.

    When placing the forced work in dependency order breaks a limit, serial schedule generation
    over other priority orders (``roadmap.optimize.schedule_generation``) searches for up to
    ``construct_seconds``; ``minimise_finish`` searches that long for the order whose forced
    work ends earliest even when the first fits (stopping at ``finish_bound``). Raises ``GreedyInfeasible`` when no placement
    of the forced work was found (the optimizer then searches further or diagnoses).
    """
    portfolio, windows = derived.portfolio, derived.windows
    sched = _Scheduler(portfolio, derived.values, windows, derived.calendar, list(derived.budgets))
    state = sched.state
    by_id = portfolio.initiative_by_id
    preds: dict[str, list[tuple[str, int]]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for dep in portfolio.dependencies:
        if dep.predecessor in by_id and dep.successor in by_id:
            preds[dep.successor].append((dep.predecessor, dep.lag))
            succs[dep.predecessor].append(dep.successor)
    group_waits: dict[str, list[str]] = defaultdict(list)  # decided before their successor
    for g in portfolio.group_dependencies:
        for m in portfolio.group_members.get(g.group, ()):
            if g.successor in by_id and m != g.successor:
                group_waits[g.successor].append(m)
                succs[m].append(g.successor)

    for iid, w in windows.items():
        if w.fixed is not None:
            sched.place(iid, w.fixed, state)

    order = list(derived.order)
    forced = _forced(portfolio, preds, windows)
    for iid in forced:  # forced work on a group waits for the member committed to, as on any
        preds[iid].extend(_group_pick(portfolio, iid, windows))
    in_order = [iid for iid in order if iid in forced]
    before = state.copy()
    failed: tuple[str, str] | None = None
    for iid in in_order:
        start = sched.find_start(iid, state, preds[iid])
        if isinstance(start, str):
            failed = (iid, start)
            break
        sched.place(iid, start, state)
    mine = None if failed is not None else _forced_finish(state, in_order, by_id)
    improvable = mine is not None and mine > finish_bound
    if failed is not None or (minimise_finish and construct_seconds > 0 and improvable):
        sched.state = before
        found = place_forced(
            sched,
            in_order,
            preds,
            {iid: by_id[iid].duration for iid in in_order},
            order,
            seconds=construct_seconds,
            minimise_finish=minimise_finish,
            enough=finish_bound,
            work={iid: float(sched.demand[portfolio.index[iid]].sum()) for iid in in_order},
        )
        if found.state is not None and (mine is None or (found.finish or 0) < mine):
            state = found.state
        elif failed is None:
            pass  # the dependency order was as good
        else:
            iid, reason = found.last_failure or failed
            raise GreedyInfeasible(iid, reason, tried=f"dependency order, then {found.summary()}")
        sched.state = state

    _place_optional(portfolio, sched, preds, succs, order, group_waits)
    return dict(sched.state.starts)  # a whole bundle is adopted by swapping in a trial state


def _forced_finish(state: _State, forced: list[str], by_id: Mapping[str, Initiative]) -> int:
    return max((state.starts[i] + by_id[i].duration for i in forced), default=0)


def _place_optional(
    portfolio: Portfolio,
    sched: _Scheduler,
    preds: Mapping[str, list[tuple[str, int]]],
    succs: Mapping[str, list[str]],
    order: list[str],
    group_waits: Mapping[str, list[str]] | None = None,
) -> None:
    """Best value for money first; a unit (an initiative or a whole bundle) becomes ready once
    every predecessor outside it has been decided."""
    state = sched.state
    values = sched.values
    index = portfolio.index
    rank = {iid: k for k, iid in enumerate(order)}
    open_ids = [
        ini.id
        for ini in portfolio.initiatives
        if ini.status is Status.PROPOSED
        and not ini.excluded
        and ini.id not in state.starts
        and ini.id in rank
    ]
    unit_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for iid in open_ids:
        b = portfolio.initiative_by_id[iid].bundle
        unit = f"bundle:{b}" if b else iid
        unit_of[iid] = unit
        members[unit].append(iid)
    for unit in members:
        members[unit].sort(key=rank.__getitem__)
    # a bundle with a member that cannot be chosen (excluded, in a dependency cycle) is out whole
    blocked = {
        f"bundle:{ini.bundle}"
        for ini in portfolio.initiatives
        if ini.bundle and ini.status is not Status.DONE and ini.id not in unit_of
    }

    waiting: dict[str, int] = defaultdict(int)
    for iid in open_ids:
        waits_for = [pid for pid, _ in preds[iid]] + list((group_waits or {}).get(iid, ()))
        for pid in waits_for:
            if pid in unit_of and unit_of[pid] != unit_of[iid]:
                waiting[unit_of[iid]] += 1

    def priority(unit: str) -> tuple[int, float, int]:
        rows = [index[m] for m in members[unit]]
        first = [max(0, min(sched.windows[m].earliest, sched.h - 1)) for m in members[unit]]
        npv = float(values.npv[rows, first].sum())
        cost = float(values.total_cost[rows].sum())
        ratio = npv / cost if cost > 0 else np.inf if npv > 0 else -np.inf
        return (0 if cost <= 0 and npv > 0 else 1, -ratio, rank[members[unit][0]])

    heap = [(priority(u), u) for u in members if waiting[u] == 0]
    heapq.heapify(heap)
    while heap:
        _, unit = heapq.heappop(heap)
        if unit in blocked:
            pass
        elif len(members[unit]) == 1 and not unit.startswith("bundle:"):
            iid = unit
            start = sched.find_start(iid, state, preds[iid])
            if isinstance(start, int) and values.npv[index[iid], start] > 0:
                sched.place(iid, start, state)
        else:
            trial = state.copy()
            gained = 0.0
            for m in members[unit]:
                start = sched.find_start(m, trial, preds[m])
                if isinstance(start, str):
                    break
                sched.place(m, start, trial)
                gained += float(values.npv[index[m], start])
            else:
                if gained > 0:
                    sched.state = state = trial
        for m in members[unit]:
            for sid in succs[m]:
                su = unit_of.get(sid)
                if su is not None and su != unit:
                    waiting[su] -= 1
                    if waiting[su] == 0:
                        heapq.heappush(heap, (priority(su), su))


def greedy_objective(portfolio: Portfolio, values: StartValues, starts: Mapping[str, int]) -> float:
    """NPV of a plan as the optimizer counts it: each start inside the plan at its start's NPV.

    Work that started before the plan is the same in every plan and is left out, so plans of the
    same portfolio compare like for like.
    """
    h = values.npv.shape[1]
    index = portfolio.index
    return float(sum(values.npv[index[iid], t] for iid, t in starts.items() if 0 <= t < h))
