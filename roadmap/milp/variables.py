"""Decision variables: x[i, t] = 1 when initiative i starts in period t.

Windows become variable domains: a start variable exists only for the periods in the
initiative's window, so "too early", "too late" and "past the horizon" need no constraint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pulp

from roadmap.domain import ObjectiveKind
from roadmap.milp.data import ModelData, period_tag

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

    def add(self, terms: dict[pulp.LpVariable, float], sense: int, rhs: float, name: str) -> None:
        """Add ``terms  <sense>  rhs`` under ``name``."""
        self.prob.addConstraint(
            pulp.LpConstraint(pulp.LpAffineExpression(terms), sense=sense, rhs=rhs, name=name)
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


def merged(terms: Iterable[tuple[pulp.LpVariable, float]]) -> dict[pulp.LpVariable, float]:
    """(variable, coefficient) pairs as a dict, adding up repeated variables."""
    out: dict[pulp.LpVariable, float] = {}
    for v, c in terms:
        out[v] = out.get(v, 0.0) + c
    return out
