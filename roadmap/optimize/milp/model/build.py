"""Assemble the model: variables, then every constraint family in a fixed order, then the objective.

The order is fixed so that the LP file (and the solver's path through it) is the same for the
same input. Families may be switched off by name; the diagnosis and the golden LP tests use that.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

import pulp

from roadmap.domain import ObjectiveKind
from roadmap.optimize.milp.model import constraints as c
from roadmap.optimize.milp.model.data import ModelData
from roadmap.optimize.milp.model.objective import set_objective
from roadmap.optimize.milp.model.variables import BuiltModel, add_start_variables

Family = Callable[[BuiltModel, ModelData], None]

FAMILIES: tuple[tuple[str, Family], ...] = (
    ("selection", c.add_selection_constraints),
    ("precedence", c.add_precedence_constraints),
    ("precedence_group", c.add_group_precedence_constraints),
    ("alternative", c.add_alternative_constraints),
    ("bundle", c.add_bundle_constraints),
    ("capacity", c.add_capacity_constraints),
    ("budget", c.add_budget_constraints),
    ("change", c.add_change_load_constraints),
)

USES_CAPABILITY = (ObjectiveKind.CAPABILITY, ObjectiveKind.BLEND)
USES_SCORE = (ObjectiveKind.SCORE, ObjectiveKind.BLEND)

# The solver gets the step form (z = started by t) only on short horizons with few start
# variables; otherwise the start form (x). Measured with HiGHS on the synthetic benchmark
# portfolios (monthly, seed 1, 60 s; models/formulation.md §11): the step form proves 100x24x6
# optimal (33.6 s; start form 0.76 % at 60 s) and 200x24x8 2.4x faster, but from 36 periods on
# HiGHS's primal heuristics stall in it: 100x36x10 37 % against 15 % in the start form (1,455
# start variables, under the old 2,500 threshold), 100x48x10 55 % against 41 %, 250x36x8 50 %
# against 3 %, 500x36x10 27.5 % against 3.1 %.
STEP_FORM_MAX_STARTS = 2500
STEP_FORM_MAX_HORIZON = 24


def use_step_form(data: ModelData) -> bool:
    if data.horizon > STEP_FORM_MAX_HORIZON:
        return False
    starts = sum(len(data.windows[iid].periods()) for iid in data.candidates)
    return starts <= STEP_FORM_MAX_STARTS


def write_lp_file(model: BuiltModel, path: Path, *, force: bool = False) -> Path:
    """Write the model as an LP file (names encode family and key) and return the path; through
    the output guard, so never over an input or, without ``force``, an existing file."""
    from roadmap.runtime.outputs import write_output

    return write_output(Path(path), lambda temp: model.prob.writeLP(str(temp)), force=force)


def build_model(
    data: ModelData,
    *,
    objective: ObjectiveKind,
    elastic: bool = False,
    skip: Collection[str] = (),
    forced: Mapping[str, bool] | None = None,
    step: bool = True,
) -> BuiltModel:
    """Build the MILP for the portfolio of ``data`` (``model_data``).

    ``elastic`` puts a penalised slack on every hard limit (for the infeasibility diagnosis);
    ``skip`` leaves out families by name; ``forced`` fixes y[i] to 1 (True) or 0 (False) for the
    why-not re-solves.
    """
    began = time.perf_counter()
    prob = pulp.LpProblem("roadmap", pulp.LpMaximize)
    model = BuiltModel(prob, data, add_start_variables(data), objective, elastic=elastic)
    if step:
        model.use_step_form()
    for name, family in FAMILIES:
        if name not in skip:
            family(model, data)
    if objective in USES_CAPABILITY:
        c.add_capability_constraints(model, data)
    if objective is ObjectiveKind.EARLIEST_COMPLETION and not elastic:
        c.add_finish_constraints(model, data)
    for iid, level in sorted((forced or {}).items()):
        terms = {v: 1.0 for v in model.x.get(iid, {}).values()}
        if terms:
            model.add(terms, c.EQ, 1.0 if level else 0.0, f"force__{data.names[iid]}")
    set_objective(model, data)
    model.build_seconds = time.perf_counter() - began
    return model
