"""Why each candidate was left out, and what forcing it in would cost.

Reasons are read off the final plan: an empty window, a predecessor not in the plan, an
alternative chosen instead, a bundle that is out, and, trying every allowed start, the limits
(budget rows, team capacity, change load) that adding it there would break.

Value lost = objective of the plan minus the best objective with the initiative forced in.
"re-solve": the model is solved again with y[i] = 1 (time-boxed; each re-solve gets an equal
share of the why-not time budget, at least one second). "estimate" (when the budget is spent):
add it at its best start and drop, one by one, the plan's lowest-value optional initiatives that
use an overrun limit (and whatever then loses a predecessor or bundle partner) until every limit
holds; the estimate is the value so dropped minus the value gained, an upper bound on the loss.
Once twice the budget is spent, the initiatives still waiting are left unpriced (and say so).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from roadmap.domain import SolveReport, SolveStatus, Status, WhyNot
from roadmap.optimize.milp.build import build_model
from roadmap.optimize.milp.data import ModelData
from roadmap.optimize.milp.diagnose import window_reason
from roadmap.optimize.milp.objective import evaluate
from roadmap.optimize.milp.solve import Progress, solve_model
from roadmap.optimize.milp.usage import Usage
from roadmap.optimize.milp.variables import BuiltModel
from roadmap.optimize.windows import required_ids

EPS = 1e-6


def _links(data: ModelData) -> tuple[dict[str, list[tuple[str, int]]], dict[str, list[str]]]:
    preds: dict[str, list[tuple[str, int]]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    known = data.portfolio.initiative_by_id
    for d in data.portfolio.dependencies:
        if d.predecessor in known and d.successor in known:
            preds[d.successor].append((d.predecessor, d.lag))
            succs[d.predecessor].append(d.successor)
    return preds, succs


def _structural(data: ModelData, iid: str, starts: dict[str, int]) -> list[str]:
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


def _limit_reasons(model: BuiltModel, usage: Usage, iid: str, coef: dict[int, float]) -> list[str]:
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


def _estimate(
    model: BuiltModel,
    usage: Usage,
    iid: str,
    starts: dict[str, int],
    coef_of: dict,
    links: tuple,
    required: set[str],
) -> float | None:
    data = model.data
    preds, succs = links
    protected = set(data.fixed) | required | {iid}
    protected |= {p for p, _ in preds[iid]}
    own = coef_of.get(iid, {})
    if any(p not in starts and data.initiative(p).status is not Status.DONE for p, _ in preds[iid]):
        return None  # forcing it in means forcing a predecessor in too: left to a re-solve
    best: float | None = None
    for t in sorted(own, key=lambda s: -own[s])[:3]:
        if any(
            p in starts and starts[p] + data.initiative(p).duration + lag > t
            for p, lag in preds[iid]
        ):
            continue
        plan = dict(starts)
        plan[iid] = t
        usage.add(iid, t)
        dropped: list[str] = []
        ok = True
        for group_member in _alternatives(data, iid, plan):
            if group_member in protected:
                ok = False
                break
            dropped += _drop(usage, plan, group_member, succs)
        for _ in range(len(plan) if ok else 0):
            broken = usage.broken()
            if not broken:
                break
            users = usage.users(plan, broken) - protected
            if not users:
                ok = False
                break
            victim = min(sorted(users), key=lambda j: coef_of.get(j, {}).get(plan[j], 0.0))
            dropped += _drop(usage, plan, victim, succs)
        # making room can drop the candidate itself (a victim's successor or bundle partner):
        # then this start does not work, and the usage is restored from where each one stood
        ok = ok and iid not in dropped
        loss = sum(coef_of.get(j, {}).get(starts[j], 0.0) for j in dropped if j != iid) - own[t]
        for j in dropped:
            usage.add(j, t if j == iid else starts[j])
        usage.add(iid, t, -1.0)
        if ok and not (set(dropped) & protected) and (best is None or loss < best):
            best = loss
    return None if best is None else max(0.0, best)


def _alternatives(data: ModelData, iid: str, plan: dict[str, int]) -> list[str]:
    group = data.initiative(iid).alternative_group
    if not group:
        return []
    return [j for j in plan if j != iid and data.initiative(j).alternative_group == group]


def _drop(usage: Usage, plan: dict[str, int], iid: str, succs: dict[str, list[str]]) -> list[str]:
    """Remove ``iid`` and, transitively, whatever in the plan depends on it or is bundled with it."""
    data, out, stack = usage.data, [], [iid]
    while stack:
        j = stack.pop()
        if j not in plan or j in data.fixed:
            continue
        usage.add(j, plan.pop(j), -1.0)
        out.append(j)
        stack.extend(succs[j])
        bundle = data.initiative(j).bundle
        if bundle:
            stack.extend(o.id for o in data.portfolio.initiatives if o.bundle == bundle)
    return out


def why_not_selected(
    model: BuiltModel,
    starts: dict[str, int],
    report: SolveReport,
    *,
    time_budget: float,
    solver: str,
    gap: float,
    threads: int | None = None,
    progress: Progress | None = None,
) -> tuple[WhyNot, ...]:
    """A ``WhyNot`` for every proposed initiative the plan leaves out, in portfolio order."""
    data = model.data
    began = time.perf_counter()
    left_out = [
        i.id
        for i in data.portfolio.initiatives
        if i.status is Status.PROPOSED and i.id not in starts
    ]
    if not left_out:
        return ()
    terms = _x_coefficients(model)
    usage = Usage(data, starts)
    links = _links(data)
    required = required_ids(data.portfolio)
    base = report.objective if report.objective is not None else evaluate(model, starts)
    plannable = [iid for iid in left_out if iid in model.x]
    order = sorted(plannable, key=lambda iid: -max(terms.get(iid, {0: 0.0}).values(), default=0.0))
    share = max(1.0, time_budget / max(1, len(order)))
    lost: dict[str, tuple[float | None, str]] = {}
    for iid in order:
        remaining = time_budget - (time.perf_counter() - began)
        if remaining < -time_budget:
            break  # even estimates have had twice their share: the rest stay unpriced
        if remaining < 1.0 or report.solve_seconds + model.build_seconds > remaining:
            est = _estimate(model, usage, iid, starts, terms, links, required)
            lost[iid] = (est, "estimate")
            continue
        forced = build_model(
            data.portfolio,
            data.values,
            objective=model.objective,
            data=data,
            forced={iid: True},
            step=model.step,
        )
        r = solve_model(
            forced,
            solver=solver,
            time_limit=min(share, remaining),
            gap=gap,
            threads=threads,
            progress=progress,
            stage="why-not",
        )
        if r.status.has_plan and r.objective is not None:
            lost[iid] = (max(0.0, base - r.objective), "re-solve")
        elif r.status is SolveStatus.INFEASIBLE:
            lost[iid] = (None, "re-solve")
        else:
            lost[iid] = (_estimate(model, usage, iid, starts, terms, links, required), "estimate")
    out = []
    for iid in left_out:
        ini = data.initiative(iid)
        if ini.excluded:
            out.append(WhyNot(iid, ("it is excluded in the input",)))
            continue
        if iid not in model.x:
            out.append(WhyNot(iid, (window_reason(data, iid) or "it has no allowed start period",)))
            continue
        reasons = _structural(data, iid, starts) or _limit_reasons(
            model, usage, iid, terms.get(iid, {})
        )
        value, method = lost.get(iid, (None, ""))
        if iid not in lost:
            reasons = [*reasons, "its value if forced in was not priced (the time ran out)"]
        if value is None and method:
            reasons = [*reasons, "it cannot be forced in without breaking a hard limit"]
        out.append(WhyNot(iid, tuple(reasons), value, method))
    return tuple(out)


def _x_coefficients(model: BuiltModel) -> dict[str, dict[int, float]]:
    """Objective coefficient of every start variable, by initiative and period."""
    from roadmap.optimize.milp.objective import objective_terms

    terms = objective_terms(model, model.data)
    return {iid: {t: terms.get(v, 0.0) for t, v in by_t.items()} for iid, by_t in model.x.items()}
