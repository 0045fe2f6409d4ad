"""Why each selected initiative is in the plan, in words a steering committee can check.

Pure: a plan and each initiative's money case in, one sentence per initiative out. An
initiative with a negative NPV is never in a plan that maximises NPV by chance: something ties
it in (it is mandatory, under way, needed by a mandatory one, a predecessor of selected work, a
bundle partner) or the objective values something else (capabilities, the criteria score).
Every reason that holds is given, most binding first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from roadmap.domain import ObjectiveKind, Plan, Status
from roadmap.money.finance import Metrics
from roadmap.optimize.windows import required_ids

_MAX_LISTED = 3  # names listed before "and N more"


def _listed(ids: list[str]) -> str:
    if len(ids) <= _MAX_LISTED:
        return ", ".join(ids)
    return f"{', '.join(ids[:_MAX_LISTED])} and {len(ids) - _MAX_LISTED} more"


def why_in_plan(
    plan: Plan, money: Mapping[str, Metrics], scores: Mapping[str, float] | None = None
) -> dict[str, str]:
    """Initiative id -> why it is in the plan (every selected initiative)."""
    p = plan.portfolio
    chosen = set(plan.starts)
    by_id = p.initiative_by_id
    required = required_ids(p)
    successors: dict[str, list[str]] = defaultdict(list)
    for d in p.dependencies:
        if d.predecessor in chosen and d.successor in chosen:
            successors[d.predecessor].append(d.successor)
    for gd in p.group_dependencies:  # the chosen alternative is what the successor waits for
        for member in p.group_members.get(gd.group, ()):
            if member in chosen and gd.successor in chosen:
                successors[member].append(gd.successor)
    bundles: dict[str, list[str]] = defaultdict(list)
    for iid in plan.starts:
        bundle = by_id[iid].bundle
        if bundle:
            bundles[bundle].append(iid)
    mandatory_users = _mandatory_users(plan)
    out: dict[str, str] = {}
    for iid in plan.starts:
        ini = by_id[iid]
        m = money.get(iid)
        reasons: list[str] = []
        if ini.status is Status.IN_PROGRESS:
            reasons.append("under way (committed)")
        if ini.mandatory:
            reasons.append("mandatory")
        elif iid in required:
            reasons.append(f"needed by mandatory {_listed(mandatory_users.get(iid, []))}")
        if successors.get(iid):
            reasons.append(f"predecessor of {_listed(sorted(successors[iid]))}")
        if ini.bundle:
            partners = [b for b in bundles[ini.bundle] if b != iid]
            if partners:
                reasons.append(f"bundle '{ini.bundle}' with {_listed(partners)} (all or none)")
        if m is not None and m.npv >= 0:
            reasons.append("positive NPV")
        elif m is not None and not reasons:
            reasons.append(_objective_reason(plan, iid, scores))
        if m is not None and m.npv < 0:
            reasons.append("its NPV is negative: the reasons above outweigh it")
        out[iid] = "; ".join(reasons)
    return out


def _objective_reason(plan: Plan, iid: str, scores: Mapping[str, float] | None) -> str:
    """A negative-NPV initiative nothing ties in: what the objective saw in it."""
    ini = plan.portfolio.initiative_by_id[iid]
    lifts = ", ".join(f"{lift.capability} +{lift.amount:g}" for lift in ini.lifts)
    kind = plan.objective
    if kind in (ObjectiveKind.CAPABILITY, ObjectiveKind.BLEND) and lifts:
        return f"closes capability gaps ({lifts}): the objective is {kind.value}"
    if kind is ObjectiveKind.SCORE and scores and iid in scores:
        return f"criteria score {scores[iid]:.0f}: the objective is the score"
    if kind is ObjectiveKind.EARLIEST_COMPLETION:
        return "the objective is the earliest completion"
    return f"chosen by the optimizer for the {kind.value} objective"


def _mandatory_users(plan: Plan) -> dict[str, list[str]]:
    """For each initiative a mandatory one depends on (directly or through a chain): those
    mandatory initiatives."""
    p = plan.portfolio
    preds: dict[str, list[str]] = defaultdict(list)
    for d in p.dependencies:
        preds[d.successor].append(d.predecessor)
    users: dict[str, list[str]] = defaultdict(list)
    for ini in p.initiatives:
        if not ini.mandatory or ini.status is Status.DONE:
            continue
        stack, seen = list(preds[ini.id]), set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            users[node].append(ini.id)
            stack.extend(preds[node])
    return users
