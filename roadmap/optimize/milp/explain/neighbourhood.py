"""A better forced plan from a small re-solve around the unit.

Forcing a unit in mostly moves the work it competes with: the initiatives that need the same
teams while it could run, or spend from the same budget lines. The restricted model frees the
unit and its strongest competitors, keeps every other initiative at its start in the best forced
plan known, and is solved by HiGHS with a fixed node budget (work, not time, so the answer is the
same on any machine). The result is a feasible plan of the full forced model, checked against
its every row, so its value bounds the best forced plan from below; it tightens the upper end of
the value lost, and gives the full re-solve a better start.
"""

from __future__ import annotations

import numpy as np

from roadmap.optimize.milp.explain.forced import Row
from roadmap.optimize.milp.model.matrix import Matrix, Restriction, feasible, load
from roadmap.optimize.milp.model.variables import BuiltModel

SEED = 20270101
MIN_FREE = 12  # initiatives freed besides the unit, at least
FREE_SHARE = 0.12  # ... or this share of the candidates


def competitors(model: BuiltModel, unit: list[str], plan: dict[str, int], k: int) -> list[str]:
    """The ``k`` initiatives of ``plan`` that compete most with the unit: FTE-periods of team
    work overlapping the unit's possible work (its demand over every allowed start), then spend
    in budget lines the unit draws on."""
    data = model.data
    h = data.horizon
    teams = data.demand.shape[1]
    reach = np.zeros((teams, h))  # the most the unit may need of each team in each period
    for iid in unit:
        i, d = data.index[iid], data.initiative(iid).duration
        for s in model.x[iid]:
            lo, hi = max(0, s), min(h, s + d)
            if lo < hi:
                reach[:, lo:hi] = np.maximum(reach[:, lo:hi], data.demand[i, :, lo - s : hi - s])
    score: dict[str, float] = {}
    for j, s in plan.items():
        if j in unit or j not in model.x:
            continue
        i, d = data.index[j], data.initiative(j).duration
        lo, hi = max(0, s), min(h, s + d)
        if lo < hi:
            overlap = np.minimum(reach[:, lo:hi], data.demand[i, :, lo - s : hi - s]).sum()
            if overlap > 0:
                score[j] = float(overlap)
    pools = {data.initiative(iid).funding_pool or "" for iid in unit}
    by_pool = [
        j
        for j in plan
        if j in model.x
        and j not in unit
        and j not in score
        and ("" in pools or (data.initiative(j).funding_pool or "") in pools)
    ]
    ranked = sorted(score, key=lambda j: (-score[j], data.index[j]))
    ranked += sorted(by_pool, key=lambda j: data.index[j])
    return ranked[:k]


def free_count(model: BuiltModel) -> int:
    return max(MIN_FREE, int(FREE_SHARE * len(model.x)))


def with_rows(m: Matrix, rows: list[Row]) -> Matrix:
    """``m`` with ``rows`` appended (the forcing rows of a unit)."""
    if not rows:
        return m
    index = [m.index, *(np.asarray(c, dtype=np.int32) for c, _, _, _ in rows)]
    value = [m.value, *(np.asarray(v, dtype=float) for _, v, _, _ in rows)]
    starts = list(m.starts)
    at = len(m.index)
    for cols, _, _, _ in rows:
        starts.append(at)
        at += len(cols)
    return Matrix(
        m.cost,
        m.lower,
        m.upper,
        m.integer,
        np.append(m.row_lower, [lo for _, _, lo, _ in rows]),
        np.append(m.row_upper, [hi for _, _, _, hi in rows]),
        np.array(starts, dtype=np.int32),
        np.concatenate(index).astype(np.int32),
        np.concatenate(value),
        m.sign,
    )


def columns_of(model: BuiltModel, ids: list[str]) -> np.ndarray:
    by = model.z if model.step else model.x
    cols = [v.index for iid in ids for v in by.get(iid, {}).values()]
    return np.array(cols, dtype=np.int64)


def improve_forced(
    model: BuiltModel,
    forced: Matrix,
    unit: list[str],
    plan: dict[str, int],
    warm: np.ndarray,
    nodes: int,
    seconds: float = 60.0,
) -> np.ndarray | None:
    """A forced plan at least as good as ``warm`` (a feasible vector of ``forced``, the full
    model with the unit's forcing rows), or None when the restricted re-solve found nothing
    better. Only the unit, its competitors and columns outside the start decisions are free."""
    import highspy

    free_ids = [*unit, *competitors(model, unit, plan, free_count(model))]
    decision = np.zeros(forced.columns, dtype=bool)
    decision[columns_of(model, list(model.x))] = True
    free = np.union1d(columns_of(model, free_ids), np.nonzero(~decision)[0]).astype(np.int32)
    sub = Restriction(forced).cut(free, warm)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    load(h, sub)
    h.setOptionValue("random_seed", SEED % 2_147_483_647)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_max_nodes", max(1, nodes))
    h.setOptionValue("time_limit", max(0.05, seconds))  # a guard: the node budget is the limit
    h.setSolution(len(free), np.arange(len(free), dtype=np.int32), warm[free])
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return None
    x = warm.copy()
    x[free] = np.asarray(h.getSolution().col_value, dtype=float)
    integer = forced.integer
    x[integer] = np.round(x[integer])
    if not feasible(forced, x):
        return None
    before, after = float(forced.cost @ warm), float(forced.cost @ x)
    return x if after < before - 1e-9 * max(1.0, abs(before)) else None  # HiGHS minimises
