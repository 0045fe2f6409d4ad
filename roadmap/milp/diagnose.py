"""Why no plan exists, in business words.

Two sources: a mandatory initiative whose window is empty (its dates and its predecessors leave
no start period; explained from the window rules), and the hard limits that have to give: the
model is re-solved with a penalised slack on every limit (``build_model(elastic=True)``) and
each slack left above zero becomes one ``Shortfall``.
"""

from __future__ import annotations

from roadmap.domain import ObjectiveKind, Shortfall, SolveStatus, Status
from roadmap.limits import team_load
from roadmap.milp.build import build_model
from roadmap.milp.data import ModelData
from roadmap.milp.extract import chosen_starts
from roadmap.milp.solve import Progress, solve_model
from roadmap.milp.variables import BuiltModel, Slack
from roadmap.windows import topological_order

TOLERANCE = 1e-6


def _name(data: ModelData, iid: str) -> str:
    ini = data.portfolio.initiative_by_id.get(iid)
    return f"'{ini.name or ini.id}'" if ini else f"'{iid}'"


def _money(data: ModelData, amount: float) -> str:
    return f"{data.portfolio.settings.currency} {amount:,.0f}"


def window_reason(data: ModelData, iid: str, _seen: frozenset[str] = frozenset()) -> str:
    """Why initiative ``iid`` has no allowed start period, or "" when it has one."""
    ini = data.initiative(iid)
    window = data.windows[iid]
    if ini.excluded:
        return "it is excluded in the input"
    if ini.status is Status.DONE or not window.is_empty:
        return ""
    _, cyclic = topological_order(data.portfolio)
    if iid in cyclic:
        return "it is part of a dependency cycle"
    cal, known = data.calendar, data.portfolio.initiative_by_id
    preds = [
        (d.predecessor, d.lag)
        for d in data.portfolio.dependencies
        if d.successor == iid and d.predecessor in known
    ]
    for pid, _lag in preds:
        pred = known[pid]
        if pred.status is Status.DONE or pid in data.fixed or pid in _seen:
            continue
        if pred.excluded:
            return f"its predecessor {_name(data, pid)} is excluded"
        if data.windows[pid].is_empty:
            inner = window_reason(data, pid, _seen | {iid})
            return f"its predecessor {_name(data, pid)} cannot be planned ({inner})"
    # earliest possible go-live, and what sets it
    lo, lo_why = 0, "the plan starts"
    if ini.earliest_start is not None and cal.period_of(ini.earliest_start) > lo:
        lo, lo_why = cal.period_of(ini.earliest_start), "its earliest start"
    for pid, lag in preds:
        pred = known[pid]
        if pred.status is Status.DONE:
            continue
        pred_start = data.fixed.get(pid, data.windows[pid].earliest)
        if pred_start + pred.duration + lag > lo:
            end = pred_start + pred.duration - 1
            lag_text = f" (plus {lag} period lag)" if lag else ""
            lo = pred_start + pred.duration + lag
            lo_why = f"its predecessor {_name(data, pid)} ends {cal.label(end)} at the earliest{lag_text}"
    first_golive = lo + ini.duration - 1
    # latest allowed go-live, and what sets it
    hi_golive, hi_what = data.horizon - 1, f"within the plan (by {cal.label(data.horizon - 1)})"
    if ini.must_finish_by is not None and cal.period_of(ini.must_finish_by) < hi_golive:
        hi_golive = cal.period_of(ini.must_finish_by)
        hi_what = f"by {cal.label(hi_golive)}"
    if window.latest + ini.duration - 1 < hi_golive:
        hi_golive = window.latest + ini.duration - 1
        hi_what = f"by {cal.label(hi_golive)} (mandatory work that depends on it needs it then)"
    return (
        f"it cannot finish {hi_what}: {lo_why}, so it goes live in {cal.label(first_golive)} "
        f"at the earliest"
    )


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
    *,
    solver: str,
    time_limit: float,
    threads: int | None = None,
    progress: Progress | None = None,
) -> tuple[Shortfall, ...]:
    """The shortfalls that explain an infeasible model (see the module docstring)."""
    found = window_shortfalls(data)
    model = build_model(data.portfolio, data.values, objective=objective, elastic=True, data=data)
    report = solve_model(
        model,
        solver=solver,
        time_limit=time_limit,
        gap=0.0,
        threads=threads,
        progress=progress,
        stage="diagnose",
    )
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
