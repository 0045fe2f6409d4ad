"""Solver options away from the defaults reach the solver."""

from __future__ import annotations

import pytest

from roadmap.domain import ObjectiveKind
from roadmap.money.calendar import Calendar
from roadmap.money.finance import start_values
from roadmap.optimize.derived import derive
from roadmap.optimize.milp.model.build import build_model
from roadmap.optimize.milp.model.data import model_data
from roadmap.optimize.milp.search.solve import HIGHS_OPTIONS, highs_available, solve_model
from roadmap.optimize.options import SolveOptions
from roadmap.testing.synthetic import synthetic_portfolio


@pytest.mark.skipif(not highs_available(), reason="highspy is not installed")
def test_highs_runs_with_the_measured_options() -> None:
    p = synthetic_portfolio(12, 8, 2, seed=1)
    values = start_values(p, Calendar.from_settings(p.settings))
    model = build_model(model_data(derive(p, values)), objective=ObjectiveKind.NPV)
    report = solve_model(model, SolveOptions(solver="highs", time_limit=10, threads=1))
    assert report.status.has_plan
    assert HIGHS_OPTIONS
    for option, value in HIGHS_OPTIONS.items():
        _status, current = model.prob.solverModel.getOptionValue(option)
        assert current == value, option
