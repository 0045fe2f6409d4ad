"""Schedule generation on plain lists, for forced work that only needs flat team capacity.

When no budget row applies to the forced work, no change limit binds it, none of it is in an
alternative group and every team need is flat over its run, "where may i start" reduces to: the
first (or last) start at which every team keeps need_k of slack in each period of the run. A
jump search on Python lists answers that in a few microseconds, against a few hundred for the
general vectorised check (``greedy._Scheduler.feasible``), so schedule generation tries tens of
times more priority orders in the same seconds. The result is replayed through the general
scheduler (and checked there), so the plan keeps every limit by the general rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

# As greedy._MARGIN: a hair inside each limit.
_MARGIN = 1e-9


class _General(Protocol):
    windows: Mapping[str, Any]
    state: Any

    def place(self, iid: str, s: int, state: Any) -> None: ...

    def feasible(self, iid: str, lo: int, hi: int, state: Any) -> np.ndarray: ...

    def ready_after(self, iid: str, state: Any, preds: list[tuple[str, int]]) -> int | None: ...


class FlatState:
    """Slack per team and period as lists, and the starts placed so far."""

    def __init__(self, slack: list[list[float]], starts: dict[str, int]) -> None:
        self.slack = slack
        self.starts = starts

    def copy(self) -> FlatState:
        return FlatState([row[:] for row in self.slack], dict(self.starts))


class FlatScheduler:
    """The scheduler operations of ``construction`` over a ``FlatState``."""

    def __init__(
        self,
        general: _General,
        needs: Mapping[str, list[tuple[int, float]]],
        durations: Mapping[str, int],
    ) -> None:
        self.general = general
        self.windows = general.windows
        self.needs = needs
        self.durations = durations
        slack = np.asarray(general.state.slack, dtype=float)
        self.state = FlatState(slack.tolist(), dict(general.state.starts))

    def _blocked(self, iid: str, s: int, state: FlatState) -> int | None:
        """The latest period of the run from ``s`` that lacks slack for ``iid``, or None."""
        d = self.durations[iid]
        worst = None
        for k, need in self.needs[iid]:
            row = state.slack[k]
            for p in range(s + d - 1, s - 1, -1):
                if row[p] < need - _MARGIN:
                    worst = p if worst is None else max(worst, p)
                    break
        return worst

    def _blocked_first(self, iid: str, s: int, state: FlatState) -> int | None:
        """The earliest period of the run from ``s`` that lacks slack for ``iid``, or None."""
        d = self.durations[iid]
        first = None
        for k, need in self.needs[iid]:
            row = state.slack[k]
            for p in range(s, s + d):
                if row[p] < need - _MARGIN:
                    first = p if first is None else min(first, p)
                    break
        return first

    def earliest(self, iid: str, lo: int, hi: int, state: FlatState) -> int | None:
        hi = min(hi, len(state.slack[0]) - self.durations[iid]) if state.slack else hi
        s = max(lo, 0)
        holes = self.windows[iid].holes
        while s <= hi:
            if s in holes:  # a change freeze forbids this start
                s += 1
                continue
            bad = self._blocked(iid, s, state)
            if bad is None:
                return s
            s = bad + 1  # no start at or before the short period can fit
        return None

    def latest(self, iid: str, lo: int, hi: int, state: FlatState) -> int | None:
        d = self.durations[iid]
        s = min(hi, len(state.slack[0]) - d) if state.slack else hi
        lo = max(lo, 0)
        holes = self.windows[iid].holes
        while s >= lo:
            if s in holes:
                s -= 1
                continue
            bad = self._blocked_first(iid, s, state)
            if bad is None:
                return s
            s = bad - d  # the run must end before the short period
        return None

    def ready_after(self, iid: str, state: FlatState, preds: list[tuple[str, int]]) -> int | None:
        return self.general.ready_after(iid, state, preds)

    def find_start(self, iid: str, state: FlatState, preds: list[tuple[str, int]]) -> int | str:
        window = self.windows[iid]
        if window.is_empty:
            return "it has no allowed start in the plan"
        lo = self.ready_after(iid, state, preds)
        if lo is None:
            return "a predecessor is not in the plan"
        found = self.earliest(iid, lo, window.latest, state)
        if found is None:
            return "no start in its window fits the capacity of its teams"
        return found

    def feasible(self, iid: str, lo: int, hi: int, state: FlatState) -> np.ndarray:
        h = len(state.slack[0]) if state.slack else hi + self.durations[iid]
        return np.array(
            [
                s >= 0
                and s + self.durations[iid] <= h
                and s not in self.windows[iid].holes
                and self._blocked(iid, s, state) is None
                for s in range(lo, hi + 1)
            ],
            dtype=bool,
        )

    def last_start(self, iid: str, lo: int, hi: int, state: FlatState) -> int | None:
        return self.latest(iid, lo, hi, state)

    def place(self, iid: str, s: int, state: FlatState) -> None:
        d = self.durations[iid]
        for k, need in self.needs[iid]:
            row = state.slack[k]
            for p in range(s, s + d):
                row[p] -= need
        state.starts[iid] = s

    def replay(self, state: FlatState, forced: Sequence[str]) -> Any | None:
        """``state``'s starts of ``forced`` placed through the general scheduler, each checked
        there first; None if one does not fit (then the flat view was wrong)."""
        real = self.general.state.copy()
        for iid in sorted(forced, key=lambda i: state.starts[i]):
            s = state.starts[iid]
            if not self.general.feasible(iid, s, s, real).all():
                return None
            self.general.place(iid, s, real)
        return real
