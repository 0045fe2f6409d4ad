"""Why no plan exists, in business words.

Two sources: a mandatory initiative whose window is empty (its dates and its predecessors leave
no start period; explained from the window rules), and the hard limits that have to give: the
model is re-solved with a penalised slack on every limit (``build_model(elastic=True)``) and
each slack left above zero becomes one ``Shortfall``.
"""

from __future__ import annotations

from dataclasses import replace

from roadmap.domain import ObjectiveKind, Shortfall, SolveStatus, Status
from roadmap.optimize.limits import team_load
from roadmap.optimize.milp.model.build import build_model, use_step_form
from roadmap.optimize.milp.model.data import ModelData
from roadmap.optimize.milp.model.extract import chosen_starts
from roadmap.optimize.milp.model.variables import BuiltModel, Slack
from roadmap.optimize.milp.search.solve import Progress, solve_model
from roadmap.optimize.options import SolveOptions

TOLERANCE = 1e-6


def _name(data: ModelData, iid: str) -> str:
    ini = data.portfolio.initiative_by_id.get(iid)
    return f"'{ini.name or ini.id}'" if ini else f"'{iid}'"


def _money(data: ModelData, amount: float) -> str:
    return f"{data.portfolio.settings.currency} {amount:,.0f}"


def _earliest(data: ModelData, iid: str, memo: dict[str, tuple[int, str]]) -> tuple[int, str]:
    """Earliest start from dates and predecessor chains alone, and what sets it."""
    if iid in memo:
        return memo[iid]
    memo[iid] = (0, "the plan starts")  # guards against cycles (reported separately)
    ini, cal, known = data.initiative(iid), data.calendar, data.portfolio.initiative_by_id
    lo, why = 0, "the plan starts"
    if ini.earliest_start is not None and cal.period_of(ini.earliest_start) > lo:
        lo, why = cal.period_of(ini.earliest_start), "its earliest start"
    for d in data.portfolio.dependencies:
        if d.successor != iid or d.predecessor not in known:
            continue
        pred = known[d.predecessor]
        if pred.status is Status.DONE:
            continue
        start = data.fixed.get(pred.id, _earliest(data, pred.id, memo)[0])
        if start + pred.duration + d.lag > lo:
            lo = start + pred.duration + d.lag
            lag = f" (plus {d.lag} period lag)" if d.lag else ""
            end = cal.label(start + pred.duration - 1)
            why = f"its predecessor {_name(data, pred.id)} ends {end} at the earliest{lag}"
    memo[iid] = (lo, why)
    return lo, why


def _latest_golive(data: ModelData, iid: str, memo: dict[str, tuple[int, str]]) -> tuple[int, str]:
    """Latest go-live period from the horizon, the deadline and mandatory successors' needs."""
    if iid in memo:
        return memo[iid]
    memo[iid] = (data.horizon - 1, "")
    ini, cal, known = data.initiative(iid), data.calendar, data.portfolio.initiative_by_id
    hi, why = data.horizon - 1, f"within the plan (by {cal.label(data.horizon - 1)})"
    if ini.must_finish_by is not None and cal.period_of(ini.must_finish_by) < hi:
        hi = cal.period_of(ini.must_finish_by)
        why = f"by {cal.label(hi)}"
    required = data.derived.required
    if iid in required:
        for d in data.portfolio.dependencies:
            if d.predecessor != iid or d.successor not in required or d.successor not in known:
                continue
            succ = known[d.successor]
            succ_start = data.fixed.get(succ.id)
            if succ_start is None:
                succ_start = _latest_golive(data, succ.id, memo)[0] - succ.duration + 1
            if succ_start - d.lag - 1 < hi:
                hi = succ_start - d.lag - 1
                why = f"by {cal.label(hi)}, in time for {_name(data, succ.id)}"
    memo[iid] = (hi, why)
    return hi, why


def window_reason(data: ModelData, iid: str) -> str:
    """Why initiative ``iid`` has no allowed start period, or "" when it has one."""
    ini = data.initiative(iid)
    if ini.excluded:
        return "it is excluded in the input"
    if ini.status is not Status.PROPOSED or not data.windows[iid].is_empty:
        return ""
    if iid in data.derived.cyclic:
        return "it is part of a dependency cycle"
    lo, lo_why = _earliest(data, iid, {})
    hi, hi_why = _latest_golive(data, iid, {})
    first = lo + ini.duration - 1
    if first > hi:
        return (
            f"it cannot finish {hi_why}: {lo_why}, so it goes live in "
            f"{data.calendar.label(first)} at the earliest"
        )
    known = data.portfolio.initiative_by_id
    for d in data.portfolio.dependencies:
        if d.successor != iid or d.predecessor not in known:
            continue
        pred = known[d.predecessor]
        if pred.status is Status.PROPOSED and data.windows[pred.id].is_empty:
            inner = window_reason(data, pred.id) or "it has no allowed start period"
            return f"its predecessor {_name(data, pred.id)} cannot be planned ({inner})"
    return "it has no allowed start period"


def window_shortfalls(data: ModelData) -> list[Shortfall]:
    out = []
    for iid in data.impossible:
        w = data.windows[iid]
        reason = window_reason(data, iid) or "it has no allowed start period"
        out.append(
            Shortfall(
                "window",
                iid,
                float(max(1, w.earliest - w.latest)),
                f"Mandatory {_name(data, iid)} {reason.removeprefix('it ')}"
                if reason.startswith("it ")
                else f"Mandatory {_name(data, iid)}: {reason}",
            )
        )
    return out


def _running(data: ModelData, starts: dict[str, int], t: int) -> list[str]:
    return [iid for iid, s in starts.items() if 0 <= t - s < data.initiative(iid).duration]


def _describe(model: BuiltModel, slack: Slack, amount: float, starts: dict[str, int]) -> str:
    data = model.data
    if slack.family == "capacity":
        k, t = slack.ref
        team = data.portfolio.teams[k]
        load = team_load(data.portfolio, data.horizon, starts, data.demand)
        users = [iid for iid in _running(data, starts, t) if data.demand[data.index[iid], k].any()]
        who = _who(data, users, "Mandatory work")
        limit = float(data.ceiling[k, t])
        tol = f" including the {team.over_allocation:.0%} tolerance" if team.over_allocation else ""
        return (
            f"{who} {'needs' if len(users) == 1 else 'need'} {load[k, t]:.1f} FTE of "
            f"{team.name or team.id} in {data.calendar.label(t)}; capacity is {limit:.1f}{tol} "
            f"(short {amount:.1f})"
        )
    if slack.family == "budget":
        (r,) = slack.ref
        row = data.budgets[r]
        used = float(data.fixed_spend[r]) + slack.limit + amount
        users = [iid for iid in starts if row.applies_to(data.initiative(iid))]
        who = _who(data, users, "Mandatory work")
        return (
            f"{who} {'needs' if len(users) == 1 else 'need'} {_money(data, used)} from budget "
            f"{row.label}; the limit is {_money(data, row.amount)} (short {_money(data, amount)})"
        )
    if slack.family == "change":
        (t,) = slack.ref
        limit = data.portfolio.settings.change_limit or 0
        return (
            f"{slack.subject.capitalize()}: {limit + amount:.0f} initiatives would run at once; "
            f"the change limit is {limit} (short {amount:.0f})"
        )
    if slack.family == "mandatory":
        return (
            f"Mandatory {_name(data, slack.key)} cannot be fitted in with the other mandatory work"
        )
    if slack.family == "alternative":
        return (
            f"Alternative group '{slack.key}' allows one initiative, but more than one of its "
            f"members is mandatory or already in progress"
        )
    return f"{slack.subject.capitalize()} cannot be kept (short {amount:g})"


def _who(data: ModelData, ids: list[str], default: str) -> str:
    if not ids:
        return default
    names = [_name(data, i) for i in ids]
    prefix = "Mandatory " if all(data.initiative(i).mandatory for i in ids) else ""
    if len(names) == 1:
        return f"{prefix}{names[0]}"
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{prefix}{shown}".strip()


def diagnose(
    data: ModelData,
    objective: ObjectiveKind,
    options: SolveOptions,
    *,
    progress: Progress | None = None,
) -> tuple[Shortfall, ...]:
    """The shortfalls that explain an infeasible model (see the module docstring), within the
    options' time limit."""
    found = window_shortfalls(data)
    model = build_model(data, objective=objective, elastic=True, step=use_step_form(data))
    report = solve_model(model, replace(options, gap=0.0), progress=progress, stage="diagnose")
    if not report.status.has_plan:
        if not found:
            found.append(
                Shortfall("unknown", "", 0.0, "No plan exists, and the diagnosis ran out of time")
            )
        return tuple(found)
    starts = chosen_starts(model)
    for slack in model.slacks:
        amount = float(slack.var.varValue or 0.0) * slack.unit
        if amount > TOLERANCE:
            found.append(
                Shortfall(slack.family, slack.key, amount, _describe(model, slack, amount, starts))
            )
    if not found and report.status is SolveStatus.OPTIMAL:
        found.append(
            Shortfall(
                "unknown",
                "",
                0.0,
                "No plan exists, but no single limit explains it: check bundles, alternatives "
                "and dependencies among mandatory initiatives",
            )
        )
    return tuple(found)
