"""Decision variables: x[i, t] = 1 when initiative i starts in period t.

Windows become variable domains: a start variable exists only for the periods in the
initiative's window, so "too early", "too late" and "past the horizon" need no constraint.

The constraint families are written in x. In the step form (the default) the solver sees
z[i, t] = 1 when i has started by t instead: binary, non-decreasing in t, x[i,t] = z[i,t] -
z[i,t'] with t' the window's previous allowed start (t - 1 unless a change freeze leaves a hole
between them: z is defined on the allowed starts only, so a forbidden start has no variable in
either form). Every row is translated once (``lp_terms``); the two forms have the same LP bound, but
in z the budget rows only keep the periods where an initiative's spend changes (run cost is flat
after go-live), the cumulative precedence rows shrink to two terms, and branching on z splits a
window in two instead of fixing one start.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pulp

from roadmap.domain import ObjectiveKind
from roadmap.optimize.milp.model.data import ModelData, period_tag

StartVars = dict[str, dict[int, pulp.LpVariable]]


@dataclass(frozen=True)
class Slack:
    """An elastic variable on a hard limit (diagnosis only): how far the limit had to give."""

    family: str
    key: str
    var: pulp.LpVariable
    penalty: float
    limit: float  # the limit's value, for messages
    subject: str  # what the limit is about, in words ("Data & Analytics in 2027-Q2")
    # (team, period) for capacity, (row,) for budget, (period,) for change
    ref: tuple[int, ...] = ()
    unit: float = 1.0  # the row is written in this unit (budget rows: thousands)


@dataclass
class BuiltModel:
    """The pulp problem with the handles that extraction, diagnosis and why-not need."""

    prob: pulp.LpProblem
    data: ModelData
    x: StartVars
    objective: ObjectiveKind
    elastic: bool = False  # every hard limit has a penalised slack; the objective is their sum
    slacks: list[Slack] = field(default_factory=list)
    capability: dict[str, pulp.LpVariable] = field(default_factory=dict)
    build_seconds: float = 0.0
    step: bool = False  # the solver sees z (started by t) instead of x
    z: StartVars = field(default_factory=dict)
    # earliest-completion: the programme finish C >= t + d_i of every mandatory start
    finish: pulp.LpVariable | None = None
    _where: dict[pulp.LpVariable, tuple[str, int]] = field(default_factory=dict, repr=False)
    # step form: each allowed start's neighbours in its window (holes skipped)
    _prev: dict[str, dict[int, int]] = field(default_factory=dict, repr=False)
    _next: dict[str, dict[int, int]] = field(default_factory=dict, repr=False)
    # the arrays the last HiGHS solve loaded (matrix.Matrix), column order = ``LpVariable.index``
    matrix: Any = field(default=None, repr=False)
    # plans the HiGHS search reported on its way (search.harvest.Harvest), when asked for
    harvest: Any = field(default=None, repr=False)

    def use_step_form(self) -> None:
        """Create z[i, t] (``started__<id>__<period>``) with z[i,t'] <= z[i,t] for consecutive
        allowed starts t' < t (``order__<id>__<period of t>``)."""
        self.step = True
        labels = self.data.calendar.labels()
        for iid, by_t in self.x.items():
            name = self.data.names[iid]
            zs = {
                t: pulp.LpVariable(f"started__{name}__{period_tag(labels[t])}", cat=pulp.LpBinary)
                for t in by_t
            }
            self.z[iid] = zs
            for t, v in by_t.items():
                self._where[v] = (iid, t)
            allowed = sorted(zs)
            self._prev[iid] = dict(zip(allowed[1:], allowed[:-1], strict=True))
            self._next[iid] = dict(pairwise(allowed))
            for t, before in self._prev[iid].items():
                self.prob.addConstraint(
                    pulp.LpConstraint(
                        pulp.LpAffineExpression({zs[before]: 1.0, zs[t]: -1.0}),
                        sense=pulp.LpConstraintLE,
                        rhs=0.0,
                        name=f"order__{name}__{period_tag(labels[t])}",
                    )
                )

    def lp_terms(self, terms: Mapping[pulp.LpVariable, float]) -> dict[pulp.LpVariable, float]:
        """Terms in x rewritten in z: sum_t c_t x_t = sum_t (c_t - c_{next(t)}) z_t, with next(t)
        the following allowed start (c beyond the window is 0). Only starts next to a non-zero
        c_t can get a coefficient."""
        if not self.step:
            return dict(terms)
        out: dict[pulp.LpVariable, float] = {}
        per: dict[str, dict[int, float]] = defaultdict(dict)
        for v, c in terms.items():
            where = self._where.get(v)
            if where is None:
                out[v] = out.get(v, 0.0) + c
            else:
                per[where[0]][where[1]] = per[where[0]].get(where[1], 0.0) + c
        for iid, coef in per.items():
            zs, nexts, prevs = self.z[iid], self._next[iid], self._prev[iid]
            for t in sorted(coef):
                c = coef[t]
                value = c - coef.get(nexts[t], 0.0) if t in nexts else c
                if value != 0.0:
                    out[zs[t]] = value
                if t in prevs and prevs[t] not in coef:
                    out[zs[prevs[t]]] = -c
        return out

    def variable_count(self) -> int:
        """Columns the solver sees (cheaper than pulp's ``variables()``, which scans every row)."""
        decisions = sum(len(by_t) for by_t in (self.z if self.step else self.x).values())
        return decisions + len(self.capability) + len(self.slacks)

    def sync_x(self) -> None:
        """After a step-form solve, give every x its value z[i,t] - z[i,t-1]."""
        if not self.step:
            return
        for iid, by_t in self.x.items():
            before = 0.0
            for t, v in by_t.items():
                now = float(self.z[iid][t].varValue or 0.0)
                v.varValue = now - before
                before = now

    def warm_values(self, starts: Mapping[str, int]) -> list[tuple[pulp.LpVariable, float]]:
        """Every decision variable with its value in the plan ``starts`` (0 when not started)."""
        out = []
        for iid, by_t in (self.z if self.step else self.x).items():
            s = starts.get(iid)
            for t, v in by_t.items():
                if self.step:
                    out.append((v, 1.0 if s is not None and s <= t else 0.0))
                else:
                    out.append((v, 1.0 if s == t else 0.0))
        if self.finish is not None:
            out.append((self.finish, float(self.finish_of(starts))))
        return out

    def finish_of(self, starts: Mapping[str, int]) -> int:
        """End (exclusive period index) of the mandatory work in ``starts``: t + d_i at most."""
        data = self.data
        ends = [
            starts[iid] + data.initiative(iid).duration
            for iid in (*data.mandatory, *self.fixed_mandatory())
            if iid in starts
        ]
        return max(ends, default=0)

    def fixed_mandatory(self) -> list[str]:
        """Mandatory work already under way (its finish is a constant of the model)."""
        data = self.data
        return [iid for iid in data.fixed if data.initiative(iid).mandatory]

    def add(self, terms: dict[pulp.LpVariable, float], sense: int, rhs: float, name: str) -> None:
        """Add ``terms  <sense>  rhs`` under ``name`` (terms in x; written in z in step form)."""
        self.prob.addConstraint(
            pulp.LpConstraint(
                pulp.LpAffineExpression(self.lp_terms(terms)), sense=sense, rhs=rhs, name=name
            )
        )

    def add_limit(
        self,
        terms: dict[pulp.LpVariable, float],
        rhs: float,
        name: str,
        *,
        family: str,
        key: str,
        subject: str,
        penalty: float,
        sense: int = pulp.LpConstraintLE,
        ref: tuple[int, ...] = (),
        unit: float = 1.0,
    ) -> None:
        """A hard limit; in elastic mode it may give way by a penalised slack."""
        if self.elastic:
            slack = pulp.LpVariable(f"slack__{name}", lowBound=0)
            terms = dict(terms)
            terms[slack] = -1.0 if sense == pulp.LpConstraintLE else 1.0
            self.slacks.append(Slack(family, key, slack, penalty, rhs * unit, subject, ref, unit))
        self.add(terms, sense, rhs, name)


def add_start_variables(data: ModelData) -> StartVars:
    """One binary ``start__<initiative>__<period>`` per candidate and period of its window."""
    x: StartVars = {}
    labels = data.calendar.labels()
    for iid in data.candidates:
        name = data.names[iid]
        x[iid] = {
            t: pulp.LpVariable(f"start__{name}__{period_tag(labels[t])}", cat=pulp.LpBinary)
            for t in data.windows[iid].periods()
        }
    return x


def selected(x: StartVars, iid: str) -> dict[pulp.LpVariable, float]:
    """Terms of y[i] = sum_t x[i, t]: 1 when the initiative is in the plan."""
    return {v: 1.0 for v in x.get(iid, {}).values()}


def started_by(x: StartVars, iid: str, t: int) -> dict[pulp.LpVariable, float]:
    """Terms of sum_{s <= t} x[i, s]: started in period t or before."""
    return {v: 1.0 for s, v in x.get(iid, {}).items() if s <= t}
