"""The plan checker catches every kind of broken rule, and nothing in a plan that keeps them."""

from dataclasses import replace
from datetime import date

import pytest

from roadmap.domain import (
    BudgetLimit,
    CapacityChange,
    Dependency,
    Initiative,
    Portfolio,
    Settings,
    SpendKind,
    Staffing,
    Status,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.optimize.plan_check import Violation, check_plan

START = date(2027, 1, 1)
SETTINGS = Settings(plan_start=START, horizon=8)  # quarters 2027-Q1 .. 2028-Q4
CAL = Calendar.from_settings(SETTINGS)


def portfolio(*initiatives: Initiative, **parts: object) -> Portfolio:
    return Portfolio(settings=parts.pop("settings", SETTINGS), initiatives=initiatives, **parts)  # type: ignore[arg-type]


def ini(iid: str, **kw: object) -> Initiative:
    base: dict[str, object] = {"duration": 2, "capex": 100.0}
    base.update(kw)
    return Initiative(iid, iid, **base)  # type: ignore[arg-type]


def kinds(violations: list[Violation]) -> list[str]:
    return [v.kind for v in violations]


def test_a_plan_keeping_every_rule_passes() -> None:
    p = portfolio(
        ini("A", mandatory=True),
        ini("B", earliest_start=date(2027, 4, 1), must_finish_by=date(2027, 12, 31)),
        ini("C", alternative_group="G"),
        ini("D", alternative_group="G"),
        ini("E", status=Status.IN_PROGRESS, actual_start=date(2026, 10, 1)),
        ini("F", status=Status.DONE),
        dependencies=(Dependency("A", "B"), Dependency("F", "C")),
        teams=(Team("T", capacity=2.0),),
        staffing=(Staffing("A", "T", 1.0), Staffing("E", "T", 1.0)),
        budgets=(BudgetLimit(100.0, period=START),),
    )
    # A spends 50 in Q1, E (started Q4 2026) spends its last 50 there: exactly the limit
    assert check_plan(p, {"A": 0, "B": 2, "C": 5, "E": -1}) == []


def test_unknown_done_excluded_and_mandatory() -> None:
    p = portfolio(ini("A", status=Status.DONE), ini("B", excluded=True), ini("C", mandatory=True))
    found = check_plan(p, {"A": 0, "B": 0, "Z": 1})
    assert sorted(kinds(found)) == ["done", "excluded", "mandatory", "unknown"]
    assert {v.key for v in found} == {"A", "B", "C", "Z"}


def test_work_in_progress_must_keep_its_actual_start() -> None:
    p = portfolio(ini("A", status=Status.IN_PROGRESS, actual_start=date(2026, 10, 15)))
    assert kinds(check_plan(p, {})) == ["in-progress"]
    moved = check_plan(p, {"A": 0})
    assert kinds(moved) == ["in-progress"] and "2026-Q4" in moved[0].message
    assert check_plan(p, {"A": -1}) == []


@pytest.mark.parametrize(
    ("fields", "start", "excess"),
    [
        ({"earliest_start": date(2027, 7, 1)}, 1, 1.0),  # before its earliest start (period 2)
        ({}, 7, 1.0),  # a 2-period build starting in the last period goes live after the horizon
        ({"must_finish_by": date(2027, 6, 30)}, 1, 1.0),  # builds in Q2–Q3, deadline in Q2
        ({}, -1, 1.0),  # a proposed initiative cannot start before the plan
    ],
)
def test_window_violations(fields: dict[str, object], start: int, excess: float) -> None:
    p = portfolio(ini("A", **fields))
    found = check_plan(p, {"A": start})
    assert kinds(found) == ["window"]
    assert found[0].excess == excess


def test_window_edges_are_allowed() -> None:
    p = portfolio(ini("A", earliest_start=date(2027, 7, 1), must_finish_by=date(2027, 12, 31)))
    assert check_plan(p, {"A": 2}) == []  # Q3 start, Q4 go-live: both edges exactly
    assert check_plan(portfolio(ini("A")), {"A": 6}) == []  # goes live in the last period


def test_dependency_needs_predecessor_finished_plus_lag() -> None:
    p = portfolio(ini("A", duration=3), ini("B"), dependencies=(Dependency("A", "B", lag=1),))
    assert check_plan(p, {"A": 0, "B": 4}) == []
    early = check_plan(p, {"A": 0, "B": 3})
    assert kinds(early) == ["dependency"] and early[0].key == "A -> B"
    assert early[0].excess == 1.0
    missing = check_plan(p, {"B": 5})
    assert kinds(missing) == ["dependency"] and "without A" in missing[0].message


def test_done_predecessor_and_in_progress_successor_are_not_decisions() -> None:
    p = portfolio(
        ini("A", status=Status.DONE),
        ini("B", status=Status.IN_PROGRESS, actual_start=START),
        ini("C"),
        dependencies=(Dependency("A", "C"), Dependency("C", "B")),
    )
    assert check_plan(p, {"B": 0, "C": 0}) == []


def test_at_most_one_alternative() -> None:
    p = portfolio(ini("A", alternative_group="G"), ini("B", alternative_group="G"))
    found = check_plan(p, {"A": 0, "B": 2})
    assert kinds(found) == ["alternative"] and found[0].key == "G"
    assert check_plan(p, {"B": 2}) == []


def test_bundle_all_or_none_ignoring_done_members() -> None:
    p = portfolio(
        ini("A", bundle="K"), ini("B", bundle="K"), ini("C", bundle="K", status=Status.DONE)
    )
    found = check_plan(p, {"A": 0})
    assert kinds(found) == ["bundle"] and "without B" in found[0].message
    assert check_plan(p, {"A": 0, "B": 4}) == []
    assert check_plan(p, {}) == []


def test_budget_per_period_exact_fit_allowed_overspend_measured() -> None:
    q2 = BudgetLimit(100.0, period=date(2027, 5, 1))  # any date inside the quarter
    p = portfolio(ini("A"), ini("B", capex=120.0), budgets=(q2,))
    assert check_plan(p, {"A": 0, "B": 2}) == []  # Q2: 50 from A only
    assert check_plan(p, {"A": 1, "B": 3}) == []  # Q2: 50 + 0; Q3 is unlimited
    found = check_plan(p, {"A": 0, "B": 1})  # Q2: 50 + 60
    assert kinds(found) == ["budget"] and found[0].key == "2027-Q2"
    assert found[0].excess == pytest.approx(10.0)
    exact = portfolio(ini("A"), ini("B"), budgets=(q2,))
    assert check_plan(exact, {"A": 0, "B": 1}) == []  # 50 + 50 = the limit


def test_fiscal_year_capex_and_pool_rows() -> None:
    p = portfolio(
        ini("A", one_off_opex=40.0, funding_pool="IT"),
        ini("B", funding_pool="MKT"),
        budgets=(
            BudgetLimit(150.0, kind=SpendKind.CAPEX, fiscal_year=2027),
            BudgetLimit(120.0, fiscal_year=2027, pool="IT"),
        ),
    )
    found = check_plan(p, {"A": 0, "B": 2})
    # capex 200 > 150; the IT pool spends A's 100 capex + 40 opex = 140 > 120; B is not IT
    assert sorted(v.key for v in found) == ["FY2027 IT", "FY2027 capex"]
    assert check_plan(p, {"A": 0}) == [
        Violation("budget", "FY2027 IT", "spends 140 against a limit of 120", 20.0)
    ]


def test_carry_over_lets_unspent_budget_roll_forward() -> None:
    rows = (BudgetLimit(60.0, period=START), BudgetLimit(60.0, period=date(2027, 4, 1)))
    carry = replace(SETTINGS, budget_carry_over=True)
    # spends 20 in Q1 and 80 in Q2: over in Q2 alone, within the 120 of Q1–Q2 together
    back_loaded = portfolio(ini("A", cost_profile=(1.0, 4.0)), budgets=rows)
    assert [v.key for v in check_plan(back_loaded, {"A": 0})] == ["2027-Q2"]
    assert check_plan(replace(back_loaded, settings=carry), {"A": 0}) == []
    # 30 then 120: 150 over Q1–Q2 is still 30 more than 120
    big = portfolio(ini("A", capex=150.0, cost_profile=(1.0, 4.0)), budgets=rows, settings=carry)
    found = check_plan(big, {"A": 0})
    assert kinds(found) == ["budget"] and found[0].excess == pytest.approx(30.0)


def test_capacity_with_tolerance_and_changes() -> None:
    p = portfolio(
        ini("A"),
        ini("B"),
        teams=(Team("T", capacity=2.0, over_allocation=0.25),),
        capacity_changes=(CapacityChange("T", date(2027, 7, 1), 1.0),),
        staffing=(Staffing("A", "T", 1.5), Staffing("B", "T", 1.0, profile=(0.5, 1.0))),
    )
    # Q1: 1.5 + 0.5 = 2.0, Q2: 1.5 + 1.0 = 2.5 = 2 × 1.25: inside the tolerance
    assert check_plan(p, {"A": 0, "B": 0}) == []
    # from Q3 the ceiling is 1.25: A alone (1.5) is over
    found = check_plan(p, {"A": 2})
    assert kinds(found) == ["capacity", "capacity"]
    assert found[0].key == "T 2027-Q3"
    assert found[0].excess == pytest.approx(0.25)


def test_change_limit_counts_builds_per_function() -> None:
    settings = replace(SETTINGS, change_limit=1)
    p = portfolio(
        ini("A", owner_function="Marketing"),
        ini("B", owner_function="Marketing"),
        ini("C", owner_function="Sales"),
        ini("D"),
        settings=settings,
    )
    assert check_plan(p, {"A": 0, "B": 2, "C": 0, "D": 0}) == []
    found = check_plan(p, {"A": 0, "B": 1, "C": 0})
    assert kinds(found) == ["change-limit"] and found[0].key == "Marketing 2027-Q2"
