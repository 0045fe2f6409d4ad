"""Infeasible portfolios come back with shortfalls in business words, never an exception;
left-out candidates come back with reasons and the value lost if forced in."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_milp_cases import brute_force, ini, quarter, settings, solve

from roadmap.domain import (
    BudgetLimit,
    Dependency,
    Portfolio,
    SolveStatus,
    Staffing,
    Team,
)
from roadmap.optimize.milp.explain.whynot import METHODS
from roadmap.optimize.options import WhyNotBudget

DATA = Team("DATA", "Data & Analytics", capacity=2.0)


def test_capacity_short_for_mandatory_work() -> None:
    p = Portfolio(
        settings=settings(horizon=1),
        initiatives=(ini("OM", mandatory=True), ini("CRM", mandatory=True), ini("X")),
        teams=(DATA,),
        staffing=(Staffing("OM", "DATA", 2.0), Staffing("CRM", "DATA", 1.0)),
    )
    plan = solve(p)
    assert plan.report.status is SolveStatus.INFEASIBLE
    assert not plan.starts
    (short,) = plan.shortfalls
    assert short.family == "capacity"
    assert short.amount == pytest.approx(1.0)
    assert "Data & Analytics in 2027-Q1" in short.message
    assert "capacity is 2.0" in short.message and "short 1.0" in short.message


def test_no_diagnosis_when_only_no_plan_counts() -> None:
    """A risk run's worlds only count that a choice has no plan: the elastic model that
    explains it (solved to proof) is skipped."""
    p = Portfolio(
        settings=settings(horizon=1),
        initiatives=(ini("OM", mandatory=True), ini("CRM", mandatory=True), ini("X")),
        teams=(DATA,),
        staffing=(Staffing("OM", "DATA", 2.0), Staffing("CRM", "DATA", 1.0)),
    )
    plan = solve(p, diagnose=False)
    assert plan.report.status is SolveStatus.INFEASIBLE
    assert not plan.starts and plan.shortfalls == ()
    assert "diagnosis" not in dict(plan.report.stages)
    assert solve(p).shortfalls  # the default explains it


def test_budget_short_for_mandatory_work() -> None:
    p = Portfolio(
        settings=settings(horizon=2),
        initiatives=(ini("OM", mandatory=True, capex=300.0, must_finish_by=quarter(0)),),
        budgets=(BudgetLimit(100.0, period=quarter(0)),),
    )
    plan = solve(p)
    (short,) = plan.shortfalls
    assert short.family == "budget" and short.amount == pytest.approx(200.0)
    assert "2027-Q1" in short.message and "EUR 200" in short.message


def test_mandatory_window_closed_by_predecessor() -> None:
    p = Portfolio(
        settings=settings(horizon=8),
        initiatives=(
            ini("LAKE", duration=3, earliest_start=quarter(1)),
            ini("CDP", mandatory=True, must_finish_by=quarter(2)),
        ),
        dependencies=(Dependency("LAKE", "CDP"),),
    )
    plan = solve(p)
    assert plan.report.status is SolveStatus.INFEASIBLE
    (short,) = plan.shortfalls
    assert short.family == "window"
    assert "cannot finish by 2027-Q3" in short.message
    assert "'Initiative LAKE' ends 2027-Q4" in short.message


def test_two_mandatory_alternatives() -> None:
    p = Portfolio(
        settings=settings(horizon=2),
        initiatives=(
            ini("A", mandatory=True, alternative_group="G"),
            ini("B", mandatory=True, alternative_group="G"),
        ),
    )
    plan = solve(p)
    assert plan.report.status is SolveStatus.INFEASIBLE
    assert [s.family for s in plan.shortfalls] == ["alternative"]
    assert "'G'" in plan.shortfalls[0].message


def test_why_not_names_the_budget_and_prices_forcing_in() -> None:
    p = Portfolio(
        settings=settings(horizon=2),
        initiatives=(
            ini("A", capex=100.0, benefit_saving=400.0),
            ini("B", capex=100.0, benefit_saving=300.0),
            ini("C", capex=100.0, benefit_saving=250.0, must_finish_by=quarter(0)),
            ini("D", excluded=True),
        ),
        budgets=(BudgetLimit(100.0, period=quarter(0)), BudgetLimit(100.0, period=quarter(1))),
    )
    plan = solve(p, why_not=True, time_limit=10)
    assert set(plan.starts) == {"A", "B"}
    reasons = {w.initiative: w for w in plan.why_not}
    assert set(reasons) == {"C", "D"}
    assert "budget 2027-Q1" in reasons["C"].reasons[0]
    assert reasons["C"].method.startswith("proven")
    forced, _ = brute_force(
        replace(p, initiatives=tuple(replace(i, mandatory=i.id == "C") for i in p.initiatives))
    )
    assert forced is not None
    assert reasons["C"].value_lost == pytest.approx(plan.report.objective - forced)
    assert reasons["D"].reasons == ("it is excluded in the input",)
    assert reasons["D"].value_lost is None


def test_why_not_without_time_to_re_solve_brackets_the_loss() -> None:
    p = Portfolio(
        settings=settings(horizon=2),
        initiatives=(
            ini("A", capex=100.0, benefit_saving=400.0),
            ini("B", capex=100.0, benefit_saving=300.0),
            ini("C", capex=100.0, benefit_saving=250.0, must_finish_by=quarter(0)),
        ),
        budgets=(BudgetLimit(100.0, period=quarter(0)), BudgetLimit(100.0, period=quarter(1))),
    )
    exact = {w.initiative: w for w in solve(p, why_not=True, time_limit=10).why_not}["C"]
    # no time at all for re-solves: the cheap bounds alone
    quick = solve(
        p, why_not=True, why_not_budget=WhyNotBudget(nodes=0, neighbourhood_nodes=0, workers=1)
    )
    c = {w.initiative: w for w in quick.why_not}["C"]
    assert exact.value_lost is not None
    assert c.lost_high is not None and c.lost_high >= exact.value_lost - 1e-6
    assert c.lost_low is not None and c.lost_low <= exact.value_lost + 1e-6
    assert c.method in METHODS


def test_why_not_estimate_when_making_room_would_drop_the_candidate_itself() -> None:
    """X needs P needs Q. Forcing X in breaks the yearly budget; the cheapest user to drop is Q,
    whose removal takes P and X with it. The estimate must not count X as its own victim."""
    p = Portfolio(
        settings=settings(horizon=4),
        initiatives=(
            ini("Q", benefit_saving=40.0),
            ini("P", benefit_saving=100.0),
            ini("X", benefit_saving=150.0),
            ini("Y", benefit_saving=300.0),
        ),
        dependencies=(Dependency("Q", "P"), Dependency("P", "X")),
        budgets=(BudgetLimit(300.0, fiscal_year=2027),),
    )
    # no time to re-solve: the repair and the LP bound only
    plan = solve(
        p, why_not=True, why_not_budget=WhyNotBudget(nodes=0, neighbourhood_nodes=0, workers=1)
    )
    assert set(plan.starts) == {"Q", "P", "Y"}
    x = {w.initiative: w for w in plan.why_not}["X"]
    assert x.method in METHODS
    assert x.lost_high is None or x.lost_high >= 0
    assert any("budget" in reason for reason in x.reasons)
