"""Plans the search meets on its way, kept for the why-not analysis.

HiGHS reports every feasible plan it finds (its heuristics, sub-MIPs, the tree), not only the
ones that improve on the best. A plan that holds an initiative the final plan leaves out is a
feasible plan with that initiative forced in: its value bounds the best forced plan from below,
for free. ``Harvest`` keeps, for every initiative, the best plan seen that holds it (each plan
once, however many initiatives it serves); the why-not analysis asks it for the best plan
holding every member of a unit.

Plans are read off the solution vectors with numpy (one pass over the decision columns), so a
search that reports thousands of plans on a large model pays little for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from roadmap.optimize.milp.model.variables import BuiltModel

# Plans kept at most; beyond it, the plan serving the fewest initiatives goes first.
MAX_PLANS = 200
TOL = 1e-6  # relative: a plan must beat an initiative's best by more than this to replace it


@dataclass(frozen=True)
class Found:
    value: float  # model sense
    selected: frozenset[str]
    starts: dict[str, int]  # decisions only (work in progress is added by whoever uses it)


class Harvest:
    def __init__(self, model: BuiltModel) -> None:
        self.model = model
        by = model.z if model.step else model.x
        self.ids = [iid for iid, cols in by.items() if cols]
        self.best = np.full(len(self.ids), -np.inf)
        self.plans: list[Found] = []
        self.columns = np.zeros(0, dtype=np.int64)

    def _layout(self) -> None:
        """Each decision column's position, once the solver has numbered the columns."""
        by = self.model.z if self.model.step else self.model.x
        cols = [np.array([v.index for v in by[iid].values()], dtype=np.int64) for iid in self.ids]
        periods = [np.array(list(by[iid]), dtype=np.int64) for iid in self.ids]
        self.columns = np.concatenate(cols)
        self.periods = np.concatenate(periods)
        self.offsets = np.cumsum([0] + [len(c) for c in cols[:-1]]).astype(np.int64)

    def offer(self, value: float, solution: Sequence[float] | np.ndarray) -> None:
        """A feasible plan of the model (full column vector, model-sense ``value``)."""
        if not self.ids:
            return
        if not len(self.columns):
            self._layout()
        x = np.asarray(solution, dtype=float)[self.columns]
        ones = np.nonzero(x > 0.5)[0]
        if len(ones) == 0:
            return
        segment = np.searchsorted(self.offsets, ones, side="right") - 1
        # the first column set in each segment: the start (step form: z turns 1 there)
        seg, first = np.unique(segment, return_index=True)
        tol = TOL * max(1.0, abs(value))
        better = value > self.best[seg] + tol
        if not better.any():
            return
        self.best[seg[better]] = value
        starts = {
            self.ids[s]: int(t)
            for s, t in zip(seg.tolist(), self.periods[ones[first]].tolist(), strict=True)
        }
        self.plans.append(Found(value, frozenset(starts), starts))
        self._prune()

    def _prune(self) -> None:
        """Keep only plans that are still some initiative's best (or tie with it)."""
        best = dict(zip(self.ids, self.best.tolist(), strict=True))

        def serves(f: Found) -> int:
            return sum(f.value >= best[i] - TOL * max(1.0, abs(best[i])) for i in f.selected)

        useful = [f for f in self.plans if serves(f)]
        if len(useful) > MAX_PLANS:
            useful.sort(key=serves)
            useful = useful[-MAX_PLANS:]
        self.plans = useful

    def best_with(self, members: Sequence[str]) -> Found | None:
        """The most valuable plan seen that holds every member."""
        need = set(members)
        holding = [f for f in self.plans if need <= f.selected]
        return max(holding, key=lambda f: f.value, default=None)
