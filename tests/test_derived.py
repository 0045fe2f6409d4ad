"""Calendar, windows, budget rows and start values derived once and passed down."""

from __future__ import annotations

import pytest

from roadmap.optimize.derived import derive
from roadmap.optimize.greedy import greedy_plan
from roadmap.optimize.milp.model.data import model_data
from roadmap.testing.synthetic import synthetic_portfolio


def test_model_data_reuses_what_was_derived() -> None:
    p = synthetic_portfolio(8, 8, 2, seed=3)
    derived = derive(p)
    data = model_data(p, derived=derived)
    assert data.derived is derived
    assert data.windows is derived.windows
    assert data.values is derived.values
    assert data.budgets == list(derived.budgets)
    # the same numbers as when the model data derives them itself
    alone = model_data(p, derived.values)
    assert alone.windows == data.windows and alone.budgets == data.budgets


def test_model_data_refuses_derived_data_of_another_portfolio() -> None:
    p, q = synthetic_portfolio(8, 8, 2, seed=3), synthetic_portfolio(8, 8, 2, seed=4)
    with pytest.raises(ValueError, match="another portfolio"):
        model_data(p, derived=derive(q))


def test_greedy_gives_the_same_plan_from_derived_data() -> None:
    p = synthetic_portfolio(10, 8, 2, seed=5)
    derived = derive(p)
    assert greedy_plan(p, derived.values, derived=derived) == greedy_plan(p, derived.values)
