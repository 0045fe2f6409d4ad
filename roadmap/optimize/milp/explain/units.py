"""What is priced: units (a left-out initiative, or the left-out members of a bundle together),
each with the best forced plan known and the best bound on forced plans known.

A unit's bracket on the value lost is ``[base - bound, base - found]``: ``found`` is the value of
a feasible plan holding the unit (checked against every row of the model), ``bound`` a proven
upper bound on any such plan. The bracket is *settled* when it is proven (its width within the
tolerance) or narrow enough to quote as one figure with its margin (``domain.quotable_width``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from roadmap.domain import quotable_width
from roadmap.optimize.milp.explain.forced import Row
from roadmap.optimize.milp.explain.repair import Links
from roadmap.optimize.milp.model.matrix import Matrix, feasible
from roadmap.optimize.milp.model.objective import objective_terms
from roadmap.optimize.milp.model.variables import BuiltModel, selected


@dataclass
class Unit:
    key: str
    members: list[str]
    rows: list[Row]  # the forcing rows (empty without a matrix)
    base: float  # the base plan's objective
    found: float | None = None  # best forced plan value known
    plan: dict[str, int] | None = None  # ... and that plan (decisions only)
    warm: np.ndarray | None = None  # ... as a column vector of the model (with a matrix)
    bound: float | None = None  # best bound on forced plans known
    infeasible: bool = False  # no plan can hold the unit (proven)
    method: str = ""
    steps: list[str] = field(default_factory=list)  # what produced ``found`` and ``bound``

    def offer(self, value: float, plan: dict[str, int] | None, vector: np.ndarray | None) -> bool:
        """A feasible forced plan; kept when it beats the best known."""
        if self.found is not None and value <= self.found:
            return False
        self.found, self.plan = value, plan
        if vector is not None:
            self.warm = vector
        return True

    def cap(self, bound: float | None) -> None:
        if bound is not None and (self.bound is None or bound < self.bound):
            self.bound = bound

    def width(self) -> float | None:
        if self.found is None or self.bound is None:
            return None
        return max(0.0, self.bound - self.found)

    def proven(self, tol: float) -> bool:
        width = self.width()
        return self.infeasible or (width is not None and width <= tol)

    def quotable(self, tol: float) -> bool:
        width = self.width()
        if self.found is None or width is None:
            return False
        return width <= max(tol, quotable_width(self.base - self.found, self.base))


def make_units(
    model: BuiltModel, plannable: list[str], links: Links, base: float, matrix: Matrix | None
) -> list[Unit]:
    """One unit per left-out initiative, one per bundle (its left-out members together)."""
    data = model.data
    inside = set(plannable)
    seen: set[str] = set()
    out = []
    for iid in plannable:
        if iid in seen:
            continue
        bundle = data.initiative(iid).bundle
        members = [j for j in links.bundle[bundle] if j in inside] if bundle else [iid]
        seen.update(members)
        rows: list[Row] = []
        if matrix is not None:
            for j in members:
                terms = model.lp_terms(selected(model.x, j))
                cols = tuple(int(v.index) for v in terms)
                rows.append((cols, tuple(float(c) for c in terms.values()), 1.0, 1.0))
        out.append(Unit(bundle or iid, members, rows, base))
    return out


def plan_vector(model: BuiltModel, matrix: Matrix, plan: dict[str, int]) -> np.ndarray | None:
    """Every column's value in ``plan``, or None when the plan breaks one of the model's rows
    (or the model has columns this cannot fill)."""
    x = np.zeros(matrix.columns)
    filled = 0
    for v, value in model.warm_values(plan):
        x[v.index] = value
        filled += 1
    if model.capability:
        closed: dict[str, float] = {}
        for ini in model.data.portfolio.initiatives:
            if ini.id in plan:
                for lift in ini.lifts:
                    closed[lift.capability] = closed.get(lift.capability, 0.0) + lift.amount
        for cid, g in model.capability.items():
            x[g.index] = min(float(g.upBound), closed.get(cid, 0.0))
            filled += 1
    if filled != matrix.columns:
        return None
    return x if feasible(matrix, x) else None


def plan_of(model: BuiltModel, solution: np.ndarray) -> dict[str, int]:
    """The plan in a solution vector (work in progress included), in portfolio order."""
    data = model.data
    starts = dict(data.fixed)
    for iid, by_t in (model.z if model.step else model.x).items():
        for t, v in by_t.items():
            if solution[v.index] > 0.5:
                starts[iid] = t
                break
    return dict(sorted(starts.items(), key=lambda kv: data.index[kv[0]]))


def x_coefficients(model: BuiltModel) -> dict[str, dict[int, float]]:
    """Objective coefficient of every start variable, by initiative and period."""
    terms = objective_terms(model, model.data)
    return {iid: {t: terms.get(v, 0.0) for t, v in by_t.items()} for iid, by_t in model.x.items()}
