"""The warm-start improvement: monotone, always within the limits, and each move does its job."""

from __future__ import annotations

import pytest
from test_milp_cases import brute_force, ini, quarter, random_portfolio, settings, values_of

from roadmap.domain import BudgetLimit, ObjectiveKind, Portfolio
from roadmap.optimize.derived import derive
from roadmap.optimize.greedy import GreedyInfeasible, greedy_plan
from roadmap.optimize.milp.model.build import build_model
from roadmap.optimize.milp.model.data import model_data
from roadmap.optimize.milp.model.objective import evaluate
from roadmap.optimize.milp.search.improve import improve_plan
from roadmap.optimize.plan_check import check_plan


def model_of(p: Portfolio):  # type: ignore[no-untyped-def]
    return build_model(model_data(derive(p, values_of(p))), objective=ObjectiveKind.NPV)


@pytest.mark.parametrize("seed", range(8))
def test_never_worse_and_always_valid(seed: int) -> None:
    p = random_portfolio(seed)
    try:
        start = greedy_plan(derive(p, values_of(p)))
    except GreedyInfeasible:
        pytest.skip("no baseline plan for this portfolio")
    model = model_of(p)
    better = improve_plan(model, start, passes=50)
    assert check_plan(p, better) == []
    assert evaluate(model, better) >= evaluate(model, start) - 1e-9
    best, _ = brute_force(p)
    assert best is not None and evaluate(model, better) <= best + 1e-6


def test_shift_earlier_and_insert() -> None:
    p = Portfolio(
        settings=settings(horizon=3),
        initiatives=(ini("A", benefit_saving=300.0), ini("B", benefit_saving=250.0)),
    )
    model = model_of(p)
    better = improve_plan(model, {"A": 2}, passes=50)
    assert better == {"A": 0, "B": 0}


def test_swap_a_poor_initiative_for_a_better_one() -> None:
    p = Portfolio(
        settings=settings(horizon=1),
        initiatives=(
            ini("POOR", capex=100.0, benefit_saving=150.0),
            ini("GOOD", capex=100.0, benefit_saving=400.0),
        ),
        budgets=(BudgetLimit(100.0, period=quarter(0)),),
    )
    model = model_of(p)
    assert improve_plan(model, {"POOR": 0}, passes=50) == {"GOOD": 0}
