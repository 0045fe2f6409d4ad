"""A bound on the best plan with a unit forced in, from the base bound alone: no solve.

Take any plan P that holds the unit U. Remove from it U and everything in P that depends on U,
directly or through a chain of successors, with the bundle partners of whatever is removed (a
bundle goes whole or not at all); call the removed set S. What is left, R = P - S, is a plan of
the base model: removing initiatives only frees budget, capacity and change room; nothing in R
waits for a removed predecessor; no bundle is split; nothing mandatory is removed (a mandatory
successor of U would have made U required, and U is out of the plan). So value(R) <= B, the
base solve's proven bound, and with an objective that adds up per initiative (NPV, score)

    value(P) = value(R) + sum_{i in S} v_i  <=  B + sum_{i in U} max_t v_{i,t}
                                                  + sum_{j in S - U} max(0, max_t v_{j,t}).

Members of U must be in P, so their best start counts whatever its sign; a successor may be left
out, so it counts only when it could add value. For an initiative left out because it loses
money and displaces nothing, this bound meets the repaired plan (the plan with it added where it
fits) and proves its figure without a re-solve. The bound needs no tolerance of its own: it is
the base bound plus sums of the model's own objective coefficients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from roadmap.domain import ObjectiveKind
from roadmap.optimize.milp.explain.repair import Links
from roadmap.optimize.milp.model.variables import BuiltModel

# Objectives that are a sum of one term per initiative and start (the bound's premise).
ADDITIVE = frozenset({ObjectiveKind.NPV, ObjectiveKind.SCORE})


def dependants(model: BuiltModel, unit: Sequence[str], links: Links) -> set[str]:
    """Every candidate that waits for the unit through a chain of dependencies, with the bundle
    partners of everything found (themselves followed in turn)."""
    data, found, stack = model.data, set[str](), list(unit)
    while stack:
        j = stack.pop()
        bundle = data.initiative(j).bundle
        for k in (*links.succs.get(j, ()), *(links.bundle[bundle] if bundle else ())):
            if k in model.x and k not in found and k not in unit:
                found.add(k)
                stack.append(k)
    return found


def separable_bound(
    model: BuiltModel,
    unit: Sequence[str],
    base_bound: float | None,
    coef: Mapping[str, Mapping[int, float]],
    links: Links,
) -> float | None:
    """An upper bound on the best plan holding every member of ``unit`` (model sense), or None
    when the objective does not add up per initiative or the base has no bound."""
    if base_bound is None or model.objective not in ADDITIVE:
        return None
    if any(not coef.get(i) for i in unit):
        return None  # a member with no start: nothing to bound here
    must = sum(max(coef[i].values()) for i in unit)
    optional = sum(
        max(0.0, max(coef[j].values(), default=0.0))
        for j in dependants(model, unit, links)
        if coef.get(j)
    )
    return base_bound + must + optional
