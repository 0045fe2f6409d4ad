"""Start windows: the periods in which each initiative may start, from dates and dependency chains.

Pure: portfolio and calendar in, a ``Window`` per initiative out. The optimizer turns each window
into the domain of its start variables; the greedy baseline and the plan checker read the same
windows, so all three agree on what "allowed" means.

Rules (periods are 0-based plan periods; go-live is at the end of period ``start + duration - 1``):

- earliest = max(0, period of ``earliest_start``, earliest finish of every non-done predecessor
  + lag). A predecessor's earliest finish is its own earliest start + duration (longest path);
  an in-progress predecessor finishes at ``fixed + duration``; a done one before the plan.
- latest = min(H - duration (a proposed initiative must go live within the horizon),
  period of ``must_finish_by`` - duration + 1, and for every initiative that a mandatory one
  depends on, directly or through a chain: the successor's latest - duration - lag).
- in progress: ``fixed`` = period of ``actual_start`` (may be negative); the window is that one
  period, whatever the horizon or deadlines say (the work is under way).
- a dependency on an alternative group (whichever member is chosen): earliest >= the smallest
  earliest finish + lag over its placeable members (a member in progress: its own finish, since
  no other can be chosen); a done member satisfies it; no placeable member: an empty window.
- change freezes (Calendar sheet): a start whose go-live (last working day of period
  ``start + duration - 1``) or kick-off (first working day of ``start``) falls in a freeze that
  applies to it is not allowed. The window's ends move to the nearest allowed starts (so a
  successor's earliest start counts from its predecessor's first allowed one); the starts
  still forbidden between them are the window's ``holes``.
- done, excluded, depending on an excluded or unplaceable predecessor, or caught in a
  dependency cycle: an empty window (``earliest > latest``) - it cannot start in the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from roadmap.domain import Initiative, Portfolio, Status
from roadmap.money.calendar import Calendar, on_or_after, on_or_before


@dataclass(frozen=True)
class Window:
    """Allowed start periods ``earliest..latest`` (inclusive) but the ``holes`` (starts a change
    freeze forbids; never the two ends); ``fixed`` for work under way."""

    earliest: int
    latest: int
    fixed: int | None = None
    holes: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return self.earliest > self.latest

    def periods(self) -> list[int]:
        return [t for t in range(self.earliest, self.latest + 1) if t not in self.holes]

    def __contains__(self, t: object) -> bool:
        return isinstance(t, int) and self.earliest <= t <= self.latest and t not in self.holes


EMPTY = Window(0, -1)


def topological_order(portfolio: Portfolio) -> tuple[list[str], set[str]]:
    """Initiative ids with every predecessor before its successors, and the ids caught in a cycle.

    Dependencies naming unknown ids are ignored here (the validator reports them).
    """
    known = portfolio.initiative_by_id
    succs: dict[str, list[str]] = defaultdict(list)
    indeg = {i.id: 0 for i in portfolio.initiatives}
    for d in portfolio.dependencies:
        if d.predecessor in known and d.successor in known:
            succs[d.predecessor].append(d.successor)
            indeg[d.successor] += 1
    for g in portfolio.group_dependencies:  # after every member of the group
        for m in portfolio.group_members.get(g.group, ()):
            if g.successor in known and m != g.successor:
                succs[m].append(g.successor)
                indeg[g.successor] += 1
    ready = [i.id for i in portfolio.initiatives if indeg[i.id] == 0]
    order: list[str] = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for s in succs[node]:
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
    cyclic = {i for i, deg in indeg.items() if deg > 0}
    return order, cyclic


def _fixed_start(ini: Initiative, calendar: Calendar) -> int:
    # The validator requires an actual start for work in progress; without one, the plan start
    # is the least surprising reading.
    return calendar.period_of(ini.actual_start) if ini.actual_start else 0


def required_ids(portfolio: Portfolio) -> set[str]:
    """Mandatory initiatives and everything they depend on, directly or through a chain.

    Done initiatives are not included: they are finished already.
    """
    known = portfolio.initiative_by_id
    preds: dict[str, list[str]] = defaultdict(list)
    for d in portfolio.dependencies:
        if d.predecessor in known and d.successor in known:
            preds[d.successor].append(d.predecessor)
    stack = [i.id for i in portfolio.initiatives if i.mandatory and i.status is not Status.DONE]
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if node in seen or known[node].status is Status.DONE:
            continue
        seen.add(node)
        stack.extend(preds[node])
    return seen


def frozen_starts(
    portfolio: Portfolio, ini: Initiative, calendar: Calendar, lo: int, hi: int
) -> set[int]:
    """Starts in ``lo..hi`` whose go-live or kick-off a change freeze forbids."""
    if not portfolio.blackouts:
        return set()
    out = set()
    for t in range(lo, hi + 1):
        go_live = on_or_before(calendar.end(t + ini.duration - 1))
        kick_off = on_or_after(calendar.start(t))
        for b in portfolio.blackouts:
            if (b.go_live and b.covers(go_live)) or (b.kick_off and b.covers(kick_off)):
                out.add(t)
                break
    return out


def _group_finish(
    portfolio: Portfolio,
    group: str,
    fixed: dict[str, int],
    earliest: dict[str, int],
    latest: dict[str, int],
    blocked: set[str],
) -> int | None:
    """The earliest a member of ``group`` can finish (periods; a done member: 0), or None when
    no member can be placed."""
    known = portfolio.initiative_by_id
    finishes = []
    for m in portfolio.group_members.get(group, ()):
        ini = known[m]
        if ini.status is Status.DONE:
            return 0
        if m in fixed:
            return fixed[m] + ini.duration  # under way: no other member can be chosen
        if m in blocked or m not in earliest or earliest[m] > latest[m]:
            continue
        finishes.append(earliest[m] + ini.duration)
    return min(finishes, default=None)


def _trim(lo: int, hi: int, frozen: set[int]) -> tuple[int, int]:
    """The window's ends moved inward to the nearest allowed starts."""
    while lo <= hi and lo in frozen:
        lo += 1
    while hi >= lo and hi in frozen:
        hi -= 1
    return lo, hi


def start_windows(portfolio: Portfolio, calendar: Calendar) -> dict[str, Window]:
    """The allowed start periods of every initiative (see the module docstring for the rules)."""
    order, cyclic = topological_order(portfolio)
    return windows_in_order(portfolio, calendar, order, cyclic, required_ids(portfolio))


def windows_in_order(
    portfolio: Portfolio,
    calendar: Calendar,
    order: Sequence[str],
    cyclic: Collection[str],
    required: Collection[str],
) -> dict[str, Window]:
    """``start_windows`` from the dependency order, the ids caught in a cycle and the required
    ids already worked out (``optimize.derived.derive`` computes them once for every stage)."""
    known = portfolio.initiative_by_id
    horizon = calendar.horizon
    preds: dict[str, list[tuple[str, int]]] = defaultdict(list)
    succs: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for d in portfolio.dependencies:
        if d.predecessor in known and d.successor in known:
            preds[d.successor].append((d.predecessor, d.lag))
            succs[d.predecessor].append((d.successor, d.lag))
    on_groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for g in portfolio.group_dependencies:
        if g.successor in known:
            on_groups[g.successor].append((g.group, g.lag))

    earliest: dict[str, int] = {}
    latest: dict[str, int] = {}
    frozen: dict[str, set[int]] = {}
    fixed: dict[str, int] = {}
    blocked: set[str] = set(cyclic)
    for ini in portfolio.initiatives:
        if ini.status is Status.DONE:
            continue
        if ini.status is Status.IN_PROGRESS:
            fixed[ini.id] = _fixed_start(ini, calendar)
        elif ini.excluded:
            blocked.add(ini.id)

    for iid in order:
        ini = known[iid]
        if ini.status is Status.DONE or iid in fixed:
            continue
        lo = 0
        if ini.earliest_start is not None:
            lo = max(lo, calendar.period_of(ini.earliest_start))
        for pid, lag in preds[iid]:
            pred = known[pid]
            if pred.status is Status.DONE:
                continue
            if pid in blocked or (pid in earliest and earliest[pid] > latest[pid]):
                blocked.add(iid)
                break
            pred_start = fixed.get(pid, earliest.get(pid, 0))
            lo = max(lo, pred_start + pred.duration + lag)
        for group, lag in on_groups[iid]:
            after = _group_finish(portfolio, group, fixed, earliest, latest, blocked)
            if after is None:
                blocked.add(iid)
                break
            lo = max(lo, after + lag)
        hi = horizon - ini.duration
        if ini.must_finish_by is not None:
            hi = min(hi, calendar.period_of(ini.must_finish_by) - ini.duration + 1)
        frozen[iid] = frozen_starts(portfolio, ini, calendar, lo, hi)
        earliest[iid], latest[iid] = _trim(lo, hi, frozen[iid])

    # Whatever a mandatory initiative needs must be finished before that initiative's latest start.
    for iid in reversed(order):
        if iid not in required or iid in fixed or known[iid].status is Status.DONE:
            continue
        for sid, lag in succs[iid]:
            if sid not in required:
                continue
            succ_latest = fixed.get(sid, latest.get(sid))
            if succ_latest is not None:
                latest[iid] = min(latest[iid], succ_latest - known[iid].duration - lag)
        if iid in frozen:
            earliest[iid], latest[iid] = _trim(earliest[iid], latest[iid], frozen[iid])

    windows: dict[str, Window] = {}
    for ini in portfolio.initiatives:
        iid = ini.id
        if iid in fixed:
            windows[iid] = Window(fixed[iid], fixed[iid], fixed[iid])
        elif ini.status is Status.DONE or iid in blocked or iid not in earliest:
            windows[iid] = EMPTY
        else:
            lo, hi = earliest[iid], latest[iid]
            holes = frozenset(t for t in frozen[iid] if lo < t < hi)
            windows[iid] = Window(lo, hi, holes=holes)
    return windows
