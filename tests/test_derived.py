"""Calendar, order, required work, windows, budget rows and start values derived once and
passed down."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roadmap.domain import Dependency
from roadmap.money.calendar import Calendar
from roadmap.money.finance import start_values
from roadmap.optimize.derived import derive
from roadmap.optimize.greedy import greedy_plan
from roadmap.optimize.limits import budget_rows
from roadmap.optimize.milp.model.data import model_data
from roadmap.optimize.windows import required_ids, start_windows, topological_order
from roadmap.testing.synthetic import synthetic_portfolio


def test_model_data_reuses_what_was_derived() -> None:
    p = synthetic_portfolio(8, 8, 2, seed=3)
    derived = derive(p)
    data = model_data(derived)
    assert data.derived is derived and data.portfolio is p
    assert data.windows is derived.windows
    assert data.values is derived.values
    assert data.budgets == list(derived.budgets)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_derived_facts_equal_the_standalone_functions(seed: int) -> None:
    """What ``derive`` computes once is what each function gives on its own."""
    p = synthetic_portfolio(25, 12, 3, seed=seed)
    derived = derive(p)
    calendar = Calendar.from_settings(p.settings)
    order, cyclic = topological_order(p)
    assert derived.order == tuple(order) and derived.cyclic == frozenset(cyclic)
    assert derived.required and derived.required == frozenset(required_ids(p))
    assert dict(derived.windows) == start_windows(p, calendar)
    assert list(derived.budgets) == budget_rows(p, calendar)
    assert (derived.values.npv == start_values(p, calendar).npv).all()


def test_a_dependency_cycle_is_derived_once() -> None:
    p = synthetic_portfolio(6, 8, 2, seed=5)
    a, b = p.initiatives[0].id, p.initiatives[1].id
    looped = replace(p, dependencies=(*p.dependencies, Dependency(a, b), Dependency(b, a)))
    derived = derive(looped)
    assert {a, b} <= derived.cyclic
    assert not {a, b} & set(derived.order)
    assert derived.windows[a].is_empty and derived.windows[b].is_empty


def test_start_values_of_another_portfolio_are_refused() -> None:
    p, q = synthetic_portfolio(8, 8, 2, seed=3), synthetic_portfolio(9, 8, 2, seed=4)
    with pytest.raises(ValueError, match="in order"):
        derive(p, derive(q).values)


def test_greedy_reads_the_derived_data() -> None:
    p = synthetic_portfolio(10, 8, 2, seed=5)
    derived = derive(p)
    assert greedy_plan(derived) == greedy_plan(derive(p, derived.values))
