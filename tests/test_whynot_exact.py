"""Why-not figures against an independent answer: the best plan with the unit mandatory, found
by brute force over every plan the independent checker accepts (no MILP involved)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_milp_cases import brute_force, ini, quarter, random_portfolio, settings, solve, values_of

from roadmap.domain import BudgetLimit, Plan, Portfolio
from roadmap.optimize.milp.explain.whynot import METHODS
from roadmap.optimize.options import WhyNotBudget

TOL = 1e-6


def forced_best(p: Portfolio, members: tuple[str, ...]) -> float | None:
    forced = replace(
        p,
        initiatives=tuple(
            replace(i, mandatory=i.mandatory or i.id in members) for i in p.initiatives
        ),
    )
    best, _ = brute_force(forced)
    return best


def check_against_brute_force(p: Portfolio, plan: Plan) -> int:
    """Every priced figure equals (proven) or brackets (bounded) the brute-force loss."""
    assert plan.report.objective is not None
    base = plan.report.objective
    checked = 0
    for w in plan.why_not:
        if not w.method:
            continue  # excluded or without a start: nothing to price
        assert w.method in METHODS
        truth = forced_best(p, w.unit or (w.initiative,))
        if truth is None:
            assert w.value_lost is None and w.lost_low is None and w.lost_high is None
            continue
        loss = base - truth
        if w.value_lost is not None:
            assert w.value_lost == pytest.approx(loss, abs=1e-4), w
        assert w.lost_low is None or w.lost_low <= loss + 1e-4, w
        assert w.lost_high is None or w.lost_high >= loss - 1e-4, w
        # never more than base minus a feasible forced plan: here, the best one
        assert w.lost_high is None or w.lost_high <= base - truth + 1e-4 or not w.proven
        checked += 1
    return checked


@pytest.mark.parametrize("seed", range(14))
def test_why_not_matches_brute_force_on_random_portfolios(seed: int) -> None:
    p = random_portfolio(seed)
    plan = solve(p, why_not=True, why_not_budget=WhyNotBudget(workers=1))
    if not plan.report.status.has_plan:
        pytest.skip("no plan for this seed")
    best, _ = brute_force(p)
    assert plan.report.objective == pytest.approx(best)
    check_against_brute_force(p, plan)
    # proven within the generous re-solve time: one figure, never a bracket
    assert all(w.proven or not w.method or w.method == METHODS[2] for w in plan.why_not)


def test_bounds_alone_bracket_the_loss() -> None:
    for seed in range(8):
        p = random_portfolio(seed)
        plan = solve(
            p, why_not=True, why_not_budget=WhyNotBudget(nodes=0, neighbourhood_nodes=0, workers=1)
        )
        if plan.report.status.has_plan:
            check_against_brute_force(p, plan)


def bundle_portfolio() -> Portfolio:
    return Portfolio(
        settings=settings(horizon=2),
        initiatives=(
            ini("A", capex=100.0, benefit_saving=400.0),
            ini("B1", capex=60.0, benefit_saving=150.0, bundle="B"),
            ini("B2", capex=60.0, benefit_saving=150.0, bundle="B"),
            ini("C", capex=100.0, benefit_saving=300.0),
        ),
        budgets=(BudgetLimit(110.0, period=quarter(0)), BudgetLimit(110.0, period=quarter(1))),
    )


def test_bundle_members_are_priced_together() -> None:
    p = bundle_portfolio()
    plan = solve(p, why_not=True)
    assert set(plan.starts) == {"A", "C"}
    why = {w.initiative: w for w in plan.why_not}
    b1, b2 = why["B1"], why["B2"]
    assert b1.unit == b2.unit == ("B1", "B2")
    assert (b1.value_lost, b1.lost_low, b1.lost_high) == (b2.value_lost, b2.lost_low, b2.lost_high)
    assert check_against_brute_force(p, plan) == 2


def test_no_loss_exceeds_the_base_objective_and_none_is_zero_wrongly() -> None:
    for seed in range(14):
        p = random_portfolio(seed)
        plan = solve(p, why_not=True)
        if not plan.report.status.has_plan:
            continue
        base = plan.report.objective or 0.0
        for w in plan.why_not:
            if w.value_lost is not None:
                truth = forced_best(p, w.unit or (w.initiative,))
                assert truth is not None
                if truth >= 0:
                    assert w.value_lost <= base + TOL
                if w.value_lost == 0.0:
                    assert truth == pytest.approx(base)


def test_workers_give_the_same_figures() -> None:
    from roadmap.testing.synthetic import synthetic_portfolio

    p = synthetic_portfolio(12, 8, 2, seed=7)
    one = solve(p, why_not=True, why_not_budget=WhyNotBudget(workers=1))
    two = solve(p, why_not=True, why_not_budget=WhyNotBudget(workers=2))
    assert one.starts == two.starts
    key = [(w.initiative, w.value_lost, w.method) for w in one.why_not]
    assert key == [(w.initiative, w.value_lost, w.method) for w in two.why_not]
    assert any(w.value_lost is not None for w in one.why_not)


def test_a_forced_plan_better_than_the_plan_leaves_the_plan_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A base plan that is not optimal (here: the solver's answer replaced by an emptier one)
    stays the plan shown (every command that solves the case must show the same plan); the
    figure of what it left out says a plan with it is better, by the proven amount."""
    import roadmap.optimize.milp.plan as milp

    p = bundle_portfolio()
    real = milp.chosen_starts

    def worse(model):  # drop C from the solver's plan
        return {k: v for k, v in real(model).items() if k != "C"}

    monkeypatch.setattr(milp, "chosen_starts", worse)
    plan = solve(p, why_not=True)
    best, _ = brute_force(p)
    assert "C" not in plan.starts
    shown = sum(values_of(p).npv[p.index[i], t] for i, t in plan.starts.items())
    c = next(w for w in plan.why_not if w.initiative == "C")
    assert c.value_lost == pytest.approx(shown - best, abs=1e-4)  # negative: C adds value
    assert c.value_lost < 0
