"""Each constraint family on a case where it binds: the plan changes when the family's input is
removed, and both plans equal the brute-force optimum."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_milp_cases import brute_force, ini, quarter, settings, solve

from roadmap.domain import (
    BudgetLimit,
    Capability,
    Dependency,
    Lift,
    ObjectiveKind,
    Portfolio,
    SolveStatus,
    SpendKind,
    Staffing,
    Team,
)

GOOD = {"capex": 100.0, "benefit_saving": 200.0}
POOR = {"capex": 1000.0, "benefit_saving": 10.0}  # never pays on its own


def pair(**changes: object) -> Portfolio:
    base = Portfolio(
        settings=settings(horizon=3),
        initiatives=(ini("A", **GOOD), ini("B", **{**GOOD, "benefit_saving": 180.0})),
    )
    return replace(base, **changes)


def assert_binds(with_family: Portfolio, without: Portfolio) -> dict[str, int]:
    constrained, free = solve(with_family), solve(without)
    for p, plan in ((with_family, constrained), (without, free)):
        best, plans = brute_force(p)
        assert plan.report.status is SolveStatus.OPTIMAL
        assert plan.report.objective == pytest.approx(best)
        assert dict(plan.starts) in plans
    assert dict(constrained.starts) != dict(free.starts)
    return dict(constrained.starts)


def test_budget_per_period_delays_the_second_start() -> None:
    limits = tuple(BudgetLimit(100.0, period=quarter(t)) for t in range(3))
    starts = assert_binds(pair(budgets=limits), pair())
    assert sorted(starts.values()) == [0, 1]


def test_budget_carry_over_lets_unspent_money_roll_forward() -> None:
    limits = (BudgetLimit(50.0, period=quarter(0)), BudgetLimit(150.0, period=quarter(1)))
    base = pair(settings=settings(horizon=2), budgets=limits)
    carry = replace(base, settings=settings(horizon=2, budget_carry_over=True))
    starts = assert_binds(carry, base)
    assert starts == {"A": 1, "B": 1}


def test_fiscal_year_capex_limit_leaves_one_out() -> None:
    p = pair(budgets=(BudgetLimit(150.0, fiscal_year=2027, kind=SpendKind.CAPEX),))
    starts = assert_binds(p, pair())
    assert list(starts) == ["A"]


def test_team_capacity_staggers_starts() -> None:
    teams = (Team("T", "Data", capacity=1.0),)
    staffing = (Staffing("A", "T", 1.0), Staffing("B", "T", 1.0))
    starts = assert_binds(pair(teams=teams, staffing=staffing), pair(teams=teams))
    assert sorted(starts.values()) == [0, 1]


def test_over_allocation_tolerance_is_used_and_reported() -> None:
    teams = (Team("T", "Data", capacity=1.0, over_allocation=1.0),)
    staffing = (Staffing("A", "T", 1.0), Staffing("B", "T", 1.0))
    plan = solve(pair(teams=teams, staffing=staffing))
    assert dict(plan.starts) == {"A": 0, "B": 0}
    assert len(plan.overloads) == 1 and "Data in 2027-Q1" in plan.overloads[0]


def test_dependency_pulls_in_a_poor_predecessor_before_its_successor() -> None:
    inis = (ini("A", **POOR), ini("B", capex=10.0, benefit_saving=2000.0))
    p = Portfolio(settings=settings(horizon=3), initiatives=inis)
    starts = assert_binds(replace(p, dependencies=(Dependency("A", "B", lag=1),)), p)
    assert starts == {"A": 0, "B": 2}


def test_alternative_group_keeps_the_better_one() -> None:
    p = pair()
    grouped = replace(
        p, initiatives=tuple(replace(i, alternative_group="G") for i in p.initiatives)
    )
    assert assert_binds(grouped, p) == {"A": 0}


def test_bundle_takes_a_poor_partner_along() -> None:
    inis = (ini("A", capex=10.0, benefit_saving=2000.0), ini("B", capex=300.0, benefit_saving=20.0))
    p = Portfolio(settings=settings(horizon=3), initiatives=inis)
    bundled = replace(p, initiatives=tuple(replace(i, bundle="K") for i in inis))
    starts = assert_binds(bundled, p)
    assert set(starts) == {"A", "B"}


def test_change_limit_runs_one_change_at_a_time() -> None:
    p = pair()
    p = replace(p, initiatives=tuple(replace(i, owner_function="Sales") for i in p.initiatives))
    limited = replace(p, settings=settings(horizon=3, change_limit=1))
    starts = assert_binds(limited, p)
    assert sorted(starts.values()) == [0, 1]


def test_windows_move_and_mandatory_forces_in() -> None:
    p = Portfolio(settings=settings(horizon=3), initiatives=(ini("A", **GOOD), ini("P", **POOR)))
    dated = replace(
        p,
        initiatives=(
            ini("A", **GOOD, earliest_start=quarter(1)),
            ini("P", **POOR, mandatory=True, must_finish_by=quarter(1)),
        ),
    )
    starts = assert_binds(dated, p)
    assert starts["A"] == 1 and starts["P"] in (0, 1)


def test_capability_objective_prefers_the_initiative_that_closes_the_gap() -> None:
    caps = (Capability("C1", "Data", current=1, target=3, importance=2.0),)
    inis = (
        ini("A", **GOOD, lifts=(Lift("C1", 1.0),)),
        ini("B", **POOR, lifts=(Lift("C1", 3.0),)),
        ini("C", **GOOD, lifts=(Lift("C1", 1.0),), alternative_group="G"),
        ini("D", **GOOD, alternative_group="G"),
    )
    p = Portfolio(settings=settings(horizon=3), initiatives=inis, capabilities=caps)
    npv = solve(p)
    cap = solve(p, objective=ObjectiveKind.CAPABILITY)
    assert "B" not in npv.starts
    # the gap of 2 levels is closed by B alone or by A and C together; the cap makes more useless
    assert cap.report.objective == pytest.approx(4.0)
    closed = sum(lift.amount for i in p.initiatives if i.id in cap.starts for lift in i.lifts)
    assert closed >= 2.0


def test_earliest_completion_finishes_mandatory_work_first_then_adds_value() -> None:
    teams = (Team("T", capacity=1.0),)
    inis = (
        ini("M", **POOR, mandatory=True, duration=2),
        ini("A", capex=10.0, benefit_saving=5000.0),
    )
    staffing = (Staffing("M", "T", 1.0), Staffing("A", "T", 1.0))
    p = Portfolio(settings=settings(horizon=4), initiatives=inis, teams=teams, staffing=staffing)
    npv = solve(p).starts
    assert npv["A"] == 0 and npv["M"] >= 1  # value first: the poor mandatory one waits
    plan = solve(p, objective=ObjectiveKind.EARLIEST_COMPLETION)
    assert plan.starts == {"M": 0, "A": 2}
