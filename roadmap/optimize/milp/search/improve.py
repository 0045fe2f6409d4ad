"""A better warm start: the greedy plan improved by moves that keep every hard limit.

Three moves, repeated until none helps, for at most a given number of passes over the candidates
(work, not time: the same plan comes back on any machine; a number of seconds only guards the
caller's time limit):

- shift: start a selected initiative earlier (or later) where its objective coefficient is higher,
  if its predecessors are finished by then, its successors can still start where they are, and
  no limit is broken;
- insert: add a left-out initiative at its best start whose predecessors are in the plan (or
  done), whose alternative group is free and which is not part of a bundle;
- swap: insert one that does not fit by dropping up to three lower-value optional initiatives
  that use the limits it would break (only those without successors in the plan, outside
  bundles), when the plan gains by it.

The objective never gets worse, nothing is removed (mandatory work stays), and a plan the model
accepts stays one it accepts, so the solver can start from it. On large models, where the solver
may not get past its root node in the time allowed, this plan is the one returned.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Mapping

from roadmap.domain import Status
from roadmap.optimize.milp.model.objective import objective_terms
from roadmap.optimize.milp.model.usage import Usage
from roadmap.optimize.milp.model.variables import BuiltModel

# Passes over the candidates at most: the moves converge well before this on the benchmark
# portfolios, so the limit only bounds the work.
PASSES = 50


def improve_plan(
    model: BuiltModel,
    starts: Mapping[str, int],
    *,
    passes: int = PASSES,
    seconds: float = float("inf"),
    keep: Collection[str] = (),
) -> dict[str, int]:
    """``starts`` improved by the moves, for at most ``passes`` passes over the candidates;
    ``seconds`` is a guard only (a pass it cuts short makes the result depend on the machine).
    ``keep`` are never dropped by a swap (the why-not repair keeps its forced unit)."""
    data = model.data
    deadline = time.perf_counter() + seconds
    terms = objective_terms(model, data)
    coef = {iid: {t: terms.get(v, 0.0) for t, v in by_t.items()} for iid, by_t in model.x.items()}
    plan = dict(starts)
    usage = Usage(data, plan)
    allowed = set(usage.broken())  # whatever work in progress already overruns stays tolerated
    preds: dict[str, list[tuple[str, int]]] = defaultdict(list)
    succs: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for pred, succ, lag in data.dependencies():
        preds[succ].append((pred, lag))
        succs[pred].append((succ, lag))
    done = {i.id for i in data.portfolio.initiatives if i.status is Status.DONE}
    # dependencies on an alternative group are left to the solver: never moved here
    groups = data.portfolio.group_dependencies
    linked = {d.successor for d in groups} | {
        m for d in groups for m in data.portfolio.group_members.get(d.group, ())
    }

    def earliest_ok(iid: str) -> int | None:
        lo = data.windows[iid].earliest
        for p, lag in preds[iid]:
            if p in done or p in data.fixed:
                continue  # already in the window
            if p not in plan:
                return None
            lo = max(lo, plan[p] + data.initiative(p).duration + lag)
        return lo

    def latest_ok(iid: str) -> int:
        hi = data.windows[iid].latest
        for s, lag in succs[iid]:
            if s in plan:
                hi = min(hi, plan[s] - data.initiative(iid).duration - lag)
        return hi

    def fits() -> bool:
        return set(usage.broken()) <= allowed

    def try_best(iid: str, current: int | None) -> bool:
        if iid in linked:
            return False
        lo = earliest_ok(iid)
        if lo is None:
            return False
        hi = latest_ok(iid) if current is not None else data.windows[iid].latest
        base = coef[iid][current] if current is not None else 0.0
        options = sorted(  # only starts the model has (a change freeze leaves holes)
            (t for t in range(lo, hi + 1) if t in coef[iid] and coef[iid][t] > base + 1e-9),
            key=lambda t: -coef[iid][t],
        )
        if current is not None:
            usage.add(iid, current, -1.0)
        for t in options:
            usage.add(iid, t)
            if fits():
                plan[iid] = t
                return True
            usage.add(iid, t, -1.0)
        if current is not None:
            usage.add(iid, current)
        return False

    required = data.derived.required

    def droppable(j: str) -> bool:
        ini = data.initiative(j)
        return (
            j not in data.fixed
            and j not in required
            and j not in keep
            and not ini.bundle
            and j not in linked
            and not any(s in plan for s, _ in succs[j])
        )

    def try_swap(iid: str) -> bool:
        if iid in linked:
            return False
        lo = earliest_ok(iid)
        if lo is None:
            return False
        hi = data.windows[iid].latest
        best_t = sorted(
            (t for t in range(lo, hi + 1) if coef[iid].get(t, 0.0) > 1e-9),
            key=lambda t: -coef[iid][t],
        )[:2]
        for t in best_t:
            usage.add(iid, t)
            plan[iid] = t
            dropped: list[tuple[str, int]] = []
            loss = 0.0
            while not fits() and len(dropped) < 3:
                users = sorted(j for j in usage.users(plan, usage.broken()) if droppable(j))
                users = [j for j in users if j != iid]
                if not users:
                    break
                victim = min(users, key=lambda j: coef[j].get(plan[j], 0.0))
                loss += coef[victim].get(plan[victim], 0.0)
                dropped.append((victim, plan.pop(victim)))
                usage.add(victim, dropped[-1][1], -1.0)
            if fits() and coef[iid][t] > loss + 1e-9:
                return True
            for j, tj in dropped:
                plan[j] = tj
                usage.add(j, tj)
            del plan[iid]
            usage.add(iid, t, -1.0)
        return False

    taken = {data.initiative(i).alternative_group for i in plan} - {None, ""}
    changed, passed = True, 0
    while changed and passed < passes and time.perf_counter() < deadline:
        changed, passed = False, passed + 1
        for iid in model.x:
            if time.perf_counter() > deadline:
                break
            ini = data.initiative(iid)
            if iid in plan:
                changed |= try_best(iid, plan[iid])
            elif (
                not ini.bundle
                and ini.alternative_group not in taken
                and (try_best(iid, None) or try_swap(iid))
            ):
                changed = True
                if ini.alternative_group:
                    taken.add(ini.alternative_group)
    return plan
