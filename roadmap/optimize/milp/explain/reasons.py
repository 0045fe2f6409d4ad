"""Why a candidate is out, in words: read off the plan's structure and its limits."""

from __future__ import annotations

from collections import Counter

from roadmap.domain import Status
from roadmap.optimize.milp.model.data import ModelData
from roadmap.optimize.milp.model.usage import Usage
from roadmap.optimize.milp.model.variables import BuiltModel


def structural_reasons(data: ModelData, iid: str, starts: dict[str, int]) -> list[str]:
    """What in the plan's structure keeps ``iid`` out: a predecessor out, its alternative in,
    its bundle out (empty when none of these)."""
    ini, out = data.initiative(iid), []
    name = data.portfolio.initiative_by_id
    for d in data.portfolio.dependencies:
        if (
            d.successor == iid
            and d.predecessor in name
            and d.predecessor not in starts
            and name[d.predecessor].status is not Status.DONE
        ):
            out.append(f"it needs '{name[d.predecessor].name}', which is not in the plan")
    if ini.alternative_group:
        for other in data.portfolio.initiatives:
            if (
                other.id != iid
                and other.alternative_group == ini.alternative_group
                and other.id in starts
            ):
                out.append(f"its alternative '{other.name}' is in the plan instead")
    if ini.bundle:
        partners = [
            o
            for o in data.portfolio.initiatives
            if o.bundle == ini.bundle and o.id != iid and o.status is not Status.DONE
        ]
        out_of_plan = [f"'{o.name}'" for o in partners if o.id not in starts]
        if out_of_plan:
            verb = "is" if len(out_of_plan) == 1 else "are"
            out.append(
                f"its bundle '{ini.bundle}' goes in whole or not at all, and "
                f"{', '.join(out_of_plan)} {verb} out"
            )
    return out


def limit_reasons(model: BuiltModel, usage: Usage, iid: str, coef: dict[int, float]) -> list[str]:
    """The limits adding ``iid`` to the plan (``usage``) would break, tried at every allowed
    start: the three broken most often, or the start where it fits after all."""
    data = model.data
    window = data.windows[iid]
    starts = list(window.periods())
    counts: Counter[tuple[str, tuple[int, ...]]] = Counter()
    free: list[int] = []
    for t in starts:
        usage.add(iid, t)
        broken = [b for b in usage.broken() if usage.uses(iid, t, b)]
        usage.add(iid, t, -1.0)
        counts.update(broken)
        if not broken:
            free.append(t)
    label = data.calendar.label
    if free:
        best = max(free, key=lambda t: coef.get(t, 0.0))
        gain = coef.get(best, 0.0)
        if gain > 0:
            return [
                f"it fits in {label(best)} without breaking a limit and would add {gain:,.0f}; "
                "the solver stopped (time or gap) before adding it"
            ]
        return [
            f"it fits in {label(best)} without breaking a limit, but adds no value to the "
            f"objective there ({gain:,.0f})"
        ]
    span = (
        f"its only allowed start ({label(starts[0])})"
        if len(starts) == 1
        else f"every allowed start ({label(starts[0])}–{label(starts[-1])})"
    )
    top = ", ".join(
        f"{usage.describe(lim)} ({n} of {len(starts)})" for lim, n in counts.most_common(3)
    )
    return [f"at {span} it would break: {top}"]
