"""The objectives. Each is a dict of coefficients on the model's variables, maximised.

- npv:        sum_{i,t} NPV[i,t] x[i,t]
- score:      sum_i score_i y[i]                      (weighted criteria score, 0-100)
- capability: sum_c importance_c g[c]                 (maturity gap closed, capped at target)
- blend:      100 (w_n NPV/NPV* + w_s SCORE/SCORE* + w_c CAP/CAP*), where X* is the *ideal* value
              of that part: its sum over candidates ignoring every limit (the best it could be).
              Dividing by a bound rather than the part's own constrained optimum keeps the blend
              one solve; each normalised part lies in [0, 1] (NPV can go below 0).
- earliest-completion: maximise  -sum_{i mandatory} sum_t (t + d_i) x[i,t] + eps * NPV  with
              eps = 1 / (2 R + 2), R = sum_i max_t |NPV[i,t]|: any two plans' NPV differ by at
              most 2R, so eps * (NPV difference) < 1 while any change in the (integer) finish sum
              is >= 1 - NPV only breaks ties.

Work in progress contributes constants that no choice changes, so the objective leaves them out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pulp

from roadmap.domain import ObjectiveKind
from roadmap.optimize.milp.model.data import ModelData
from roadmap.optimize.milp.model.variables import BuiltModel


def npv_terms(model: BuiltModel, data: ModelData) -> dict[pulp.LpVariable, float]:
    out: dict[pulp.LpVariable, float] = {}
    for iid, starts in model.x.items():
        row = data.values.npv[data.index[iid]]
        for t, v in starts.items():
            out[v] = float(row[t])
    return out


def score_terms(model: BuiltModel, data: ModelData) -> dict[pulp.LpVariable, float]:
    out: dict[pulp.LpVariable, float] = {}
    for iid, starts in model.x.items():
        score = float(data.scores.get(iid, 0.0))
        for v in starts.values():
            out[v] = score
    return out


def capability_terms(model: BuiltModel, data: ModelData) -> dict[pulp.LpVariable, float]:
    importance = {c.id: c.importance for c in data.portfolio.capabilities}
    return {g: float(importance[cid]) for cid, g in model.capability.items()}


def ideal_values(model: BuiltModel, data: ModelData) -> dict[str, float]:
    """Each part's best value ignoring every limit: the blend's normalisers."""
    npv = sum(
        max(0.0, float(np.max(data.values.npv[data.index[iid], list(starts)])))
        for iid, starts in model.x.items()
        if starts
    )
    score = sum(max(0.0, float(data.scores.get(iid, 0.0))) for iid in model.x)
    cap = sum(
        float(c.importance) * float(model.capability[c.id].upBound)
        for c in data.portfolio.capabilities
        if c.id in model.capability
    )
    return {"npv": npv, "score": score, "capability": cap}


def finish_terms(model: BuiltModel, data: ModelData) -> dict[pulp.LpVariable, float]:
    """sum over mandatory candidates of the finish period (t + d_i) of each start variable."""
    out: dict[pulp.LpVariable, float] = {}
    for iid in data.mandatory:
        d = data.initiative(iid).duration
        for t, v in model.x[iid].items():
            out[v] = float(t + d)
    return out


def tie_break_weight(model: BuiltModel, data: ModelData) -> float:
    spread = sum(
        float(np.max(np.abs(data.values.npv[data.index[iid], list(starts)])))
        for iid, starts in model.x.items()
        if starts
    )
    return 1.0 / (2.0 * spread + 2.0)


def objective_terms(model: BuiltModel, data: ModelData) -> dict[pulp.LpVariable, float]:
    """The coefficients of the chosen objective (to be maximised)."""
    kind = model.objective
    if kind is ObjectiveKind.NPV:
        return npv_terms(model, data)
    if kind is ObjectiveKind.SCORE:
        return score_terms(model, data)
    if kind is ObjectiveKind.CAPABILITY:
        return capability_terms(model, data)
    if kind is ObjectiveKind.EARLIEST_COMPLETION:
        eps = tie_break_weight(model, data)
        lexicographic = {v: eps * c for v, c in npv_terms(model, data).items()}
        for v, c in finish_terms(model, data).items():
            lexicographic[v] = lexicographic.get(v, 0.0) - c
        return lexicographic
    ideal = ideal_values(model, data)
    settings = data.portfolio.settings
    parts = (
        (settings.blend_npv, ideal["npv"], npv_terms(model, data)),
        (settings.blend_score, ideal["score"], score_terms(model, data)),
        (settings.blend_capability, ideal["capability"], capability_terms(model, data)),
    )
    out: dict[pulp.LpVariable, float] = {}
    for weight, norm, terms in parts:
        if weight <= 0 or norm <= 0:
            continue
        for v, c in terms.items():
            out[v] = out.get(v, 0.0) + 100.0 * weight * c / norm
    return out


def evaluate(model: BuiltModel, starts: Mapping[str, int]) -> float:
    """The model's objective for a given plan (e.g. the greedy baseline), without solving."""
    data = model.data
    terms = objective_terms(model, data)
    total = 0.0
    for iid, t in starts.items():
        v = model.x.get(iid, {}).get(t)
        if v is not None:
            total += terms.get(v, 0.0)
    if model.capability:
        closed: dict[str, float] = {}
        for ini in data.portfolio.initiatives:
            if ini.id in starts:
                for lift in ini.lifts:
                    closed[lift.capability] = closed.get(lift.capability, 0.0) + lift.amount
        for cid, g in model.capability.items():
            total += terms.get(g, 0.0) * min(float(g.upBound), closed.get(cid, 0.0))
    return total


def set_objective(model: BuiltModel, data: ModelData) -> None:
    """Maximise the chosen objective, or in elastic mode minimise the penalised slack."""
    if model.elastic:
        model.prob.sense = pulp.LpMinimize
        model.prob.setObjective(pulp.LpAffineExpression({s.var: s.penalty for s in model.slacks}))
        return
    model.prob.sense = pulp.LpMaximize
    model.prob.setObjective(pulp.LpAffineExpression(model.lp_terms(objective_terms(model, data))))
