"""One function per constraint family; each docstring states its inequality.

Notation: x[i,t] start binaries (only inside i's window), y[i] = sum_t x[i,t], d_i duration,
H horizon. Work in progress is a constant: its load and spend are taken off the right-hand sides
(never below zero: a limit already used up by work under way leaves nothing for new starts, and
the overload is reported, not treated as infeasible).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pulp

from roadmap.domain import Status
from roadmap.optimize.milp.model.data import ModelData, period_tag
from roadmap.optimize.milp.model.variables import BuiltModel, selected, started_by

LE, EQ, GE = pulp.LpConstraintLE, pulp.LpConstraintEQ, pulp.LpConstraintGE

# Diagnosis penalties: dropping a mandatory initiative is the last resort; limits are weighed by
# their relative overshoot so that a shortfall in euros and one in FTE compare fairly.
MANDATORY_PENALTY = 1000.0
STRUCTURE_PENALTY = 100.0
# Budget rows are written in thousands: money next to FTE and 0/1 otherwise spans 1e-1..1e6,
# which HiGHS flags as badly scaled and which slows its cut separation markedly.
MONEY_UNIT = 1000.0


# The per-period finish rows (add_finish_constraints); models/formulation.md §3.9 has the figures.
FINISH_BY_PERIOD = True


def _relative_penalty(limit: float) -> float:
    return 1.0 / max(abs(limit), 1.0)


def add_selection_constraints(model: BuiltModel, data: ModelData) -> None:
    """Each candidate starts at most once; a mandatory one exactly once.

    sum_t x[i,t] <= 1        for every candidate i
    sum_t x[i,t]  = 1        for every mandatory candidate i
    """
    mandatory = set(data.mandatory)
    for iid in data.candidates:
        name = f"select__{data.names[iid]}"
        terms = selected(model.x, iid)
        if iid in mandatory:
            ini = data.initiative(iid)
            model.add_limit(
                terms,
                1.0,
                name,
                family="mandatory",
                key=iid,
                sense=EQ,
                subject=f"mandatory '{ini.name}'",
                penalty=MANDATORY_PENALTY,
            )
        else:
            model.add(terms, LE, 1.0, name)


def add_precedence_constraints(model: BuiltModel, data: ModelData) -> None:
    """A successor starts only after its predecessor finishes (plus lag), and only if it is selected.

        sum_{s<=t} x[j,s] <= sum_{s<=t-d_i-lag} x[i,s]    for every dependency i -> j, t in W_j

    Rows whose right-hand side already covers all of i's window are implied by the one at
    t = latest(j), so only that one is kept.
    """
    x = model.x
    for pred, succ, lag in data.dependencies():
        d = data.initiative(pred).duration
        latest_pred = data.windows[pred].latest
        window = data.windows[succ]
        for t in window.periods():
            cut = t - d - lag
            if cut >= latest_pred and t != window.latest:
                continue
            terms = started_by(x, succ, t)
            for v, c in started_by(x, pred, cut).items():
                terms[v] = terms.get(v, 0.0) - c
            tag = period_tag(data.calendar.label(t))
            model.add(terms, LE, 0.0, f"precedence__{data.names[pred]}__{data.names[succ]}__{tag}")


def add_group_precedence_constraints(model: BuiltModel, data: ModelData) -> None:
    """A successor of "whichever alternative of group g is chosen" starts only after the chosen
    member finishes (plus lag), and only if one is chosen. At most one member is selected
    (alternative rows), so the members' started-by sums add up to the chosen one's:

        sum_{s<=t} x[j,s] <= sum_{i in g} sum_{s<=t-d_i-lag} x[i,s]    for t in W_j

    A row whose right-hand side already covers every member's whole window is implied by the
    one at t = latest(j) and left out.
    """
    x = model.x
    for group, members, succ, lag in data.group_dependencies():
        window = data.windows[succ]
        for t in window.periods():
            cuts = {m: t - data.initiative(m).duration - lag for m in members}
            if t != window.latest and all(cuts[m] >= data.windows[m].latest for m in members):
                continue
            terms = started_by(x, succ, t)
            for m in members:
                for v, c in started_by(x, m, cuts[m]).items():
                    terms[v] = terms.get(v, 0.0) - c
            tag = period_tag(data.calendar.label(t))
            name = f"precedence_group__{data.safe(group)}__{data.names[succ]}__{tag}"
            model.add(terms, LE, 0.0, name)


def add_alternative_constraints(model: BuiltModel, data: ModelData) -> None:
    """At most one initiative of each alternative group (work in progress counts as chosen).

    sum_{i in g} y[i] <= 1 - (members of g in progress)
    """
    for group, members in sorted(data.groups("alternative_group").items()):
        running = sum(1 for m in members if m in data.fixed)
        terms: dict[pulp.LpVariable, float] = {}
        for m in members:
            terms.update(selected(model.x, m))
        if not terms:
            continue
        rhs = max(0.0, 1.0 - running)
        model.add_limit(
            terms,
            rhs,
            f"alternative__{data.safe(group)}",
            family="alternative",
            key=group,
            subject=f"alternative group '{group}'",
            penalty=STRUCTURE_PENALTY,
        )


def add_bundle_constraints(model: BuiltModel, data: ModelData) -> None:
    """All or none of a bundle.

    y[i] = y[first]              for every other candidate member i
    y[i] = 0 (or 1)              when a member cannot be planned (or is already under way)
    """
    for bundle, members in sorted(data.groups("bundle").items()):
        cands = [m for m in members if m in model.x]
        blocked = [
            m
            for m in members
            if m not in model.x
            and m not in data.fixed
            and data.initiative(m).status is not Status.DONE
        ]
        running = [m for m in members if m in data.fixed]
        if not cands:
            continue
        if blocked or running:
            level = 0.0 if blocked else 1.0
            for m in cands:
                model.add_limit(
                    selected(model.x, m),
                    level,
                    f"bundle__{data.safe(bundle)}__{data.names[m]}",
                    family="bundle",
                    key=bundle,
                    subject=f"bundle '{bundle}'",
                    penalty=STRUCTURE_PENALTY,
                    sense=EQ,
                )
            continue
        first = cands[0]
        for m in cands[1:]:
            terms = selected(model.x, m)
            for v in model.x[first].values():
                terms[v] = -1.0
            model.add(terms, EQ, 0.0, f"bundle__{data.safe(bundle)}__{data.names[m]}")


def add_capacity_constraints(model: BuiltModel, data: ModelData) -> None:
    """Team load never exceeds capacity plus the tolerated over-allocation.

    sum_i sum_{s: 0<=t-s<d_i} fte[i,k,t-s] x[i,s] <= cap[k,t] (1 + tol_k) - load0[k,t]
                                                     for every team k, period t
    """
    labels = data.calendar.labels()
    rows: dict[tuple[int, int], dict[pulp.LpVariable, float]] = defaultdict(dict)
    for iid in data.candidates:
        i = data.index[iid]
        d = data.initiative(iid).duration
        need = data.demand[i, :, :d]
        for k in np.flatnonzero(need.any(axis=1)).tolist():
            offsets = [(off, float(need[k, off])) for off in np.flatnonzero(need[k]).tolist()]
            for s, v in model.x[iid].items():
                for off, fte in offsets:
                    rows[(k, s + off)][v] = fte
    for (k, t), terms in sorted(rows.items()):
        if t >= data.horizon:
            continue
        team = data.portfolio.teams[k]
        rhs = max(0.0, float(data.ceiling[k, t] - data.fixed_load[k, t]))
        model.add_limit(
            terms,
            rhs,
            f"capacity__{data.team_names[team.id]}__{period_tag(labels[t])}",
            family="capacity",
            key=f"{team.id} {labels[t]}",
            subject=f"{team.name or team.id} in {labels[t]}",
            penalty=_relative_penalty(rhs),
            ref=(k, t),
        )


def budget_coefficients(data: ModelData, row_index: int) -> np.ndarray:
    """coef[i, s] = spend of initiative i, if started in s, inside the row's periods; (n, H)."""
    row = data.budgets[row_index]
    horizon = data.horizon
    mask = np.zeros(horizon)
    mask[list(row.periods)] = 1.0
    # shift[s, k] = 1 when period s + k is one of the row's periods
    idx = np.arange(horizon)[:, None] + np.arange(horizon)[None, :]
    shift = np.where(idx < horizon, mask[np.minimum(idx, horizon - 1)], 0.0)
    return data.spend(row) @ shift.T


def add_budget_constraints(model: BuiltModel, data: ModelData) -> None:
    """Spend within every budget row (a period or a fiscal year; a kind; a pool; cumulative with
    carry-over).

        sum_{i in pool} sum_s coef[r,i,s] x[i,s] <= amount_r - spend0_r      for every row r
        coef[r,i,s] = sum_{t in P_r, t>=s} spend_kind[i, t-s]
    """
    # every start variable once, flat: the rows below pick their coefficients with numpy
    owners = [iid for iid in data.candidates for _ in model.x[iid]]
    flat_vars = [v for iid in data.candidates for v in model.x[iid].values()]
    flat_i = np.array([data.index[iid] for iid in owners], dtype=int)
    flat_t = np.array([t for iid in data.candidates for t in model.x[iid]], dtype=int)
    pools = np.array([data.initiative(iid).funding_pool or "" for iid in owners], dtype=object)
    for r, row in enumerate(data.budgets):
        values = budget_coefficients(data, r)[flat_i, flat_t] / MONEY_UNIT
        keep = values != 0.0
        if row.pool is not None:
            keep &= pools == row.pool
        picked = np.flatnonzero(keep).tolist()
        terms = {flat_vars[k]: float(values[k]) for k in picked}
        if not terms:
            continue
        rhs = max(0.0, float(row.amount - data.fixed_spend[r])) / MONEY_UNIT
        model.add_limit(
            terms,
            rhs,
            f"budget__{data.safe(row.label)}__{r}",
            family="budget",
            key=row.label,
            subject=f"budget {row.label}",
            penalty=_relative_penalty(rhs),
            unit=MONEY_UNIT,
            ref=(r,),
        )


def add_change_load_constraints(model: BuiltModel, data: ModelData) -> None:
    """At most ``change_limit`` initiatives running at once per owner function.

    sum_{i in f} sum_{s in (t-d_i, t]} x[i,s] <= limit - running0[f,t]   for every f, t
    """
    limit = data.portfolio.settings.change_limit
    if limit is None:
        return
    labels = data.calendar.labels()
    by_function: dict[str, list[str]] = defaultdict(list)
    for ini in data.portfolio.initiatives:
        if ini.owner_function and (ini.id in model.x or ini.id in data.fixed):
            by_function[ini.owner_function].append(ini.id)
    for function, members in sorted(by_function.items()):
        for t in range(data.horizon):
            running0 = sum(
                1
                for m in members
                if m in data.fixed and 0 <= t - data.fixed[m] < data.initiative(m).duration
            )
            terms = {
                v: 1.0
                for m in members
                if m in model.x
                for s, v in model.x[m].items()
                if 0 <= t - s < data.initiative(m).duration
            }
            if not terms:
                continue
            model.add_limit(
                terms,
                max(0.0, float(limit - running0)),
                f"change__{data.safe(function)}__{period_tag(labels[t])}",
                family="change",
                key=f"{function} {labels[t]}",
                subject=f"changes in {function} in {labels[t]}",
                penalty=_relative_penalty(limit),
                ref=(t,),
            )


def add_capability_constraints(model: BuiltModel, data: ModelData) -> None:
    """Maturity gap closed, capped at each target (only for objectives that value capability).

    0 <= g[c] <= gap_c,     g[c] <= sum_i lift[i,c] y[i] + lift0[c]
    """
    lifts: dict[str, dict[pulp.LpVariable, float]] = defaultdict(dict)
    lift0: dict[str, float] = defaultdict(float)
    for ini in data.portfolio.initiatives:
        for lift in ini.lifts:
            if ini.id in data.fixed:
                lift0[lift.capability] += lift.amount
            elif ini.id in model.x:
                for v in model.x[ini.id].values():
                    terms = lifts[lift.capability]
                    terms[v] = terms.get(v, 0.0) + lift.amount
    for cap in data.portfolio.capabilities:
        if cap.gap <= 0 or (cap.id not in lifts and cap.id not in lift0):
            continue
        name = data.safe(cap.id)
        g = pulp.LpVariable(f"gap_closed__{name}", lowBound=0, upBound=cap.gap)
        model.capability[cap.id] = g
        terms = {v: -c for v, c in lifts[cap.id].items()}
        terms[g] = 1.0
        model.add(terms, LE, lift0[cap.id], f"capability__{name}")


def add_finish_constraints(model: BuiltModel, data: ModelData) -> None:
    """The programme finish C (an integer period index, exclusive) bounds every mandatory finish.

    sum_t (t + d_i) x[i,t] <= C        for every mandatory candidate i
    (t + d_i) sum_{s>=t} x[i,s] <= C   for every mandatory i without a mandatory successor and
                                       every t in W_i after the first ("started at t or later")
    C >= s_i + d_i                     for mandatory work in progress (a bound, not a row)

    Only the earliest-completion objective uses C (models/formulation.md §4).
    """
    under_way = [data.fixed[iid] + data.initiative(iid).duration for iid in model.fixed_mandatory()]
    finish = pulp.LpVariable("programme_finish", lowBound=max([0, *under_way]), cat=pulp.LpInteger)
    model.finish = finish
    for iid in data.mandatory:
        d = data.initiative(iid).duration
        terms: dict[pulp.LpVariable, float] = {v: float(t + d) for t, v in model.x[iid].items()}
        terms[finish] = -1.0
        model.add(terms, LE, 0.0, f"finish__{data.names[iid]}")
    if not FINISH_BY_PERIOD:
        return
    labels = data.calendar.labels()
    mandatory = set(data.mandatory)
    before = {p for p, s, _ in data.dependencies() if s in mandatory}
    for iid in data.mandatory:
        if iid in before:
            continue  # a successor's rows bound C already
        d = data.initiative(iid).duration
        periods = sorted(model.x[iid])
        for t in periods[1:]:
            later = {v: float(t + d) for s, v in model.x[iid].items() if s >= t}
            later[finish] = -1.0
            model.add(later, LE, 0.0, f"finish__{data.names[iid]}__{period_tag(labels[t])}")
