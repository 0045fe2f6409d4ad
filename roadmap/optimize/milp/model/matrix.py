"""The model as plain arrays, read off the pulp problem once, loaded into HiGHS in bulk.

pulp loads a model one column and one row at a time and lists the problem's variables four
times; at 1000x48 that took 8 of the 10 seconds before the search began. ``Matrix`` holds the
columns (cost, bounds, integrality) and the rows (bounds, compressed by row) as numpy arrays: the
main solve loads it with one call per kind, and the why-not re-solves ship it once to each worker
process (it pickles; pulp objects do not travel) and change only what they force.

The objective is kept in HiGHS's sense (minimise): ``cost`` is negated for a maximisation and
``sign`` turns HiGHS's figures back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pulp


@dataclass(frozen=True)
class Matrix:
    cost: np.ndarray  # (columns,), minimisation sense
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray  # column indices of integer columns
    row_lower: np.ndarray
    row_upper: np.ndarray
    starts: np.ndarray  # CSR: row k's entries are index[starts[k]:starts[k+1]]
    index: np.ndarray
    value: np.ndarray
    sign: float  # -1.0 for a maximisation: model objective = sign * HiGHS objective

    @property
    def columns(self) -> int:
        return len(self.cost)


def matrix_of(lp: pulp.LpProblem, columns: list[pulp.LpVariable], inf: float) -> Matrix:
    """The arrays of ``lp``; ``columns`` fixes the column order (each variable's ``index`` is set)."""
    for k, v in enumerate(columns):
        v.index = k
    mult = -1.0 if lp.sense == pulp.LpMaximize else 1.0
    objective = lp.objective
    cost = np.array([mult * objective.get(v, 0.0) for v in columns], dtype=float)
    lower = np.array([-inf if v.lowBound is None else v.lowBound for v in columns], dtype=float)
    upper = np.array([inf if v.upBound is None else v.upBound for v in columns], dtype=float)
    integer = np.array(
        [k for k, v in enumerate(columns) if v.cat == pulp.LpInteger], dtype=np.int32
    )
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    row_lower: list[float] = []
    row_upper: list[float] = []
    for con in lp.constraints.values():
        starts.append(len(index))
        for v, c in con.items():
            if c != 0:
                index.append(v.index)
                value.append(c)
        lb, ub = con.getLb(), con.getUb()
        row_lower.append(-inf if lb is None else lb)
        row_upper.append(inf if ub is None else ub)
    return Matrix(
        cost,
        lower,
        upper,
        integer,
        np.array(row_lower, dtype=float),
        np.array(row_upper, dtype=float),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value, dtype=float),
        mult,
    )


def load(h: object, m: Matrix, *, integral: bool = True) -> None:
    """Put ``m`` into the (empty) ``highspy.Highs`` object ``h``."""
    import highspy

    empty_i, empty_f = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=float)
    h.addCols(m.columns, m.cost, m.lower, m.upper, 0, empty_i, empty_i, empty_f)  # type: ignore[attr-defined]
    if integral and len(m.integer):
        kinds = np.full(len(m.integer), int(highspy.HighsVarType.kInteger), dtype=np.uint8)
        h.changeColsIntegrality(len(m.integer), m.integer, kinds)  # type: ignore[attr-defined]
    if len(m.starts):
        h.addRows(  # type: ignore[attr-defined]
            len(m.starts), m.row_lower, m.row_upper, len(m.index), m.starts, m.index, m.value
        )


def feasible(m: Matrix, x: np.ndarray, tol: float = 1e-6) -> bool:
    """``x`` within every column bound and row of ``m`` (relative tolerance on large rows)."""
    if np.any(x < m.lower - tol) or np.any(x > m.upper + tol):
        return False
    if not len(m.starts):
        return True
    counts = np.diff(np.append(m.starts, len(m.index)))
    rows = np.repeat(np.arange(len(m.starts)), counts)
    activity = np.bincount(rows, weights=m.value * x[m.index], minlength=len(m.starts))
    slack = tol * np.maximum(1.0, np.abs(activity))
    return bool(np.all(activity >= m.row_lower - slack) and np.all(activity <= m.row_upper + slack))


class Restriction:
    """The full model with every column outside a set fixed to its incumbent value, as a model
    of its own: the free columns, the rows they touch, each row's bounds less the fixed columns'
    activity. HiGHS's presolve would find the same model, but it walks the whole matrix for it
    (1000x48x12: 4-7 s per round with 20-80 initiatives free; this cut takes a few ms)."""

    def __init__(self, m: Matrix) -> None:
        self.m = m
        counts = np.diff(np.append(m.starts, len(m.index)))
        self.row_of = np.repeat(np.arange(len(m.starts), dtype=np.int32), counts)
        self.is_integer = np.zeros(m.columns, dtype=bool)
        self.is_integer[m.integer] = True

    def cut(self, free: np.ndarray, x: np.ndarray) -> Matrix:
        m = self.m
        mask = np.zeros(m.columns, dtype=bool)
        mask[free] = True
        entry = mask[m.index]
        fixed_activity = np.bincount(
            self.row_of[~entry],
            weights=m.value[~entry] * x[m.index[~entry]],
            minlength=len(m.starts),
        )
        rows = np.unique(self.row_of[entry])
        row_at = np.full(len(m.starts), -1, dtype=np.int32)
        row_at[rows] = np.arange(len(rows), dtype=np.int32)
        col_at = np.full(m.columns, -1, dtype=np.int32)
        col_at[free] = np.arange(len(free), dtype=np.int32)
        kept = np.nonzero(entry)[0]  # in row order, as the full matrix is
        sub_rows = row_at[self.row_of[kept]]
        return Matrix(
            m.cost[free],
            m.lower[free],
            m.upper[free],
            np.nonzero(self.is_integer[free])[0].astype(np.int32),
            m.row_lower[rows] - fixed_activity[rows],
            m.row_upper[rows] - fixed_activity[rows],
            np.searchsorted(sub_rows, np.arange(len(rows))).astype(np.int32),
            col_at[m.index[kept]],
            m.value[kept],
            m.sign,
        )
