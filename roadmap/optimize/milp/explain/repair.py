"""Make room in a plan for work it left out: the cheap feasible plan behind a why-not upper bound.

``repair`` adds a unit (an initiative, or a whole bundle) to the plan together with any
predecessor it needs that is out, each at its most valuable start that its predecessors allow,
then drops, one by one, the plan's lowest-value optional initiatives that use an overrun limit
(and whatever then loses a predecessor or bundle partner, or shares an alternative group with
the unit) until every limit holds again. Several starts of the first member are tried (its most
valuable ones, and its most valuable start where it fits beside the plan as it is); the most
valuable result wins.

The result is a plan with the unit in it, so its value bounds the best forced plan from below
and ``base - value`` bounds the loss from above; the why-not analysis also checks it against the
model's rows before trusting it, and warm-starts the re-solve from it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from roadmap.domain import Status
from roadmap.optimize.milp.model.usage import Usage
from roadmap.optimize.milp.model.variables import BuiltModel

Coefficients = Mapping[str, Mapping[int, float]]
FITS = -1  # the attempt that starts the unit where it fits without displacing anything


class Links:
    """Predecessors (with lag) and successors of every initiative, and bundle partners."""

    def __init__(self, model: BuiltModel) -> None:
        data = model.data
        known = data.portfolio.initiative_by_id
        self.preds: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.succs: dict[str, list[str]] = defaultdict(list)
        for d in data.portfolio.dependencies:
            if d.predecessor in known and d.successor in known:
                self.preds[d.successor].append((d.predecessor, d.lag))
                self.succs[d.predecessor].append(d.successor)
        self.bundle: dict[str, list[str]] = defaultdict(list)
        for ini in data.portfolio.initiatives:
            if ini.bundle and not ini.excluded and ini.status is not Status.DONE:
                self.bundle[ini.bundle].append(ini.id)
        self.order = {iid: k for k, iid in enumerate(data.derived.order)}
        self.required = data.derived.required


def needed(model: BuiltModel, unit: Sequence[str], starts: Mapping[str, int], links: Links):
    """The unit plus every predecessor out of the plan it needs, predecessors first; None when
    one of them cannot be planned at all."""
    data = model.data
    found: set[str] = set()
    stack = list(unit)
    while stack:
        j = stack.pop()
        if j in found or j in starts:
            continue
        ini = data.initiative(j)
        if ini.status is Status.DONE or j in data.fixed:
            continue
        if j not in model.x:
            return None
        found.add(j)
        stack.extend(p for p, _ in links.preds[j])
        if ini.bundle:
            stack.extend(links.bundle[ini.bundle])
    return sorted(found, key=lambda j: links.order.get(j, 0))


def repair(
    model: BuiltModel,
    usage: Usage,
    starts: Mapping[str, int],
    unit: Sequence[str],
    coef: Coefficients,
    links: Links,
    *,
    tries: int = 3,
) -> dict[str, int] | None:
    """The most valuable plan found that holds ``unit``, made from ``starts`` (see the module
    docstring); None when no room could be made. ``usage`` (of ``starts``) is left as it was."""
    data = model.data
    add = needed(model, unit, starts, links)
    if add is None or not add:
        return None
    allowed = set(usage.broken())  # overruns of work in progress stay tolerated
    protected = set(data.fixed) | links.required | set(add)
    for j in add:
        protected |= {p for p, _ in links.preds[j] if p in starts}
    first = add[0]
    best: tuple[float, dict[str, int]] | None = None
    for k in (*range(tries), FITS):
        plan = _attempt(model, usage, dict(starts), add, first, k, coef, links, protected, allowed)
        if plan is None:
            continue
        value = sum(coef.get(j, {}).get(t, 0.0) for j, t in plan.items())
        if best is None or value > best[0] + 1e-9:
            best = (value, plan)
    return None if best is None else best[1]


def _attempt(
    model: BuiltModel,
    usage: Usage,
    plan: dict[str, int],
    add: list[str],
    first: str,
    rank: int,
    coef: Coefficients,
    links: Links,
    protected: set[str],
    allowed: set,
) -> dict[str, int] | None:
    data = model.data
    changes: list[tuple[str, int, float]] = []  # (initiative, start, +1 added / -1 removed)

    def put(j: str, t: int) -> None:
        plan[j] = t
        usage.add(j, t)
        changes.append((j, t, 1.0))

    def take(j: str) -> None:
        t = plan.pop(j)
        usage.add(j, t, -1.0)
        changes.append((j, t, -1.0))

    def undo() -> None:
        for j, t, sign in reversed(changes):
            usage.add(j, t, -sign)

    ok = True
    for j in add:
        lo = data.windows[j].earliest
        for p, lag in links.preds[j]:
            if p in plan:
                lo = max(lo, plan[p] + data.initiative(p).duration + lag)
        options = sorted(
            (t for t in model.x[j] if t >= lo), key=lambda t: (-coef.get(j, {}).get(t, 0.0), t)
        )
        if not options:
            ok = False
            break
        pick = min(rank, len(options) - 1) if j == first and rank != FITS else 0
        if j == first and rank == FITS:
            pick = _fitting(usage, j, options, allowed)
        put(j, options[pick])
    if ok:
        groups = {data.initiative(j).alternative_group for j in add} - {None, ""}
        rivals = [
            j for j in list(plan) if j not in add and data.initiative(j).alternative_group in groups
        ]
        for j in rivals:
            if j in protected:
                ok = False
                break
            ok = _drop(model, plan, j, links, protected, take)
            if not ok:
                break
    while ok:
        broken = [b for b in usage.broken() if b not in allowed]
        if not broken:
            break
        users = usage.users(plan, broken) - protected
        if not users:
            ok = False
            break
        victim = min(sorted(users), key=lambda j: coef.get(j, {}).get(plan[j], 0.0))
        ok = _drop(model, plan, victim, links, protected, take)
    undo()
    return plan if ok else None


def _fitting(usage: Usage, iid: str, options: list[int], allowed: set) -> int:
    """The first of ``options`` (most valuable first) where ``iid`` fits the plan's room as it
    is, so nothing has to make way; the first option when it fits nowhere."""
    for k, t in enumerate(options):
        usage.add(iid, t)
        fits = set(usage.broken()) <= allowed
        usage.add(iid, t, -1.0)
        if fits:
            return k
    return 0


def _drop(model, plan, iid, links, protected, take) -> bool:
    """Remove ``iid`` and, transitively, whatever in the plan needs it or is bundled with it;
    False when that would remove protected work."""
    data, stack, seen = model.data, [iid], set()
    order: list[str] = []
    while stack:
        j = stack.pop()
        if j in seen or j not in plan or j in data.fixed:
            continue
        if j in protected:
            return False
        seen.add(j)
        order.append(j)
        stack.extend(links.succs[j])
        bundle = data.initiative(j).bundle
        if bundle:
            stack.extend(links.bundle[bundle])
    for j in order:
        take(j)
    return True
