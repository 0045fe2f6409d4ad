from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from roadmap.domain import (
    BudgetLimit,
    CapacityChange,
    Initiative,
    Portfolio,
    Settings,
    SpendKind,
    Staffing,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import StartValues
from roadmap.optimize.limits import (
    budget_rows,
    capacity_ceiling,
    fte_demand,
    row_spend,
    team_capacity,
    team_load,
)

SETTINGS = Settings(plan_start=date(2027, 1, 1), horizon=8)
CAL = Calendar.from_settings(SETTINGS)


def test_capacity_changes_apply_in_order_and_clip() -> None:
    p = Portfolio(
        settings=SETTINGS,
        teams=(Team("T", capacity=4, over_allocation=0.25), Team("U", capacity=1)),
        capacity_changes=(
            CapacityChange("T", date(2027, 4, 1), 6),
            CapacityChange("T", date(2027, 7, 15), 2, end=date(2027, 12, 1)),
            CapacityChange("X", date(2027, 1, 1), 9),  # unknown team: ignored
        ),
    )
    cap = team_capacity(p, CAL)
    assert cap.shape == (2, 8)
    assert cap[0].tolist() == [4, 6, 2, 2, 6, 6, 6, 6]
    assert cap[1].tolist() == [1] * 8
    assert capacity_ceiling(p, CAL)[0, 0] == pytest.approx(5.0)


def test_fte_demand_by_offset_with_profiles() -> None:
    p = Portfolio(
        settings=SETTINGS,
        initiatives=(Initiative("A", "A", duration=4), Initiative("B", "B", duration=2)),
        teams=(Team("T", capacity=4), Team("U", capacity=4)),
        staffing=(
            Staffing("A", "T", 2.0, profile=(0.5, 1.0)),
            Staffing("A", "T", 1.0),
            Staffing("B", "U", 3.0),
        ),
    )
    d = fte_demand(p)
    assert d.shape == (2, 2, 4)
    assert d[0, 0].tolist() == [2.0, 2.0, 3.0, 3.0]
    assert d[1, 1].tolist() == [3.0, 3.0, 0.0, 0.0]
    load = team_load(p, 8, {"A": 6, "B": -1})
    assert load[0].tolist() == [0, 0, 0, 0, 0, 0, 2, 2]
    assert load[1].tolist() == [3, 0, 0, 0, 0, 0, 0, 0]


def _budget_portfolio(carry: bool) -> Portfolio:
    return Portfolio(
        settings=replace(SETTINGS, budget_carry_over=carry),
        initiatives=(
            Initiative("A", "A", funding_pool="IT"),
            Initiative("B", "B", funding_pool="MKT"),
        ),
        budgets=(
            BudgetLimit(10, fiscal_year=2028, pool="IT", kind=SpendKind.CAPEX, row=2),
            BudgetLimit(5, period=date(2027, 5, 1), row=3),
            BudgetLimit(4, period=date(2027, 1, 1), row=4),
            BudgetLimit(99, period=date(2030, 1, 1), row=5),  # outside the horizon
            BudgetLimit(7, fiscal_year=2027, pool="IT", kind=SpendKind.CAPEX, row=6),
        ),
    )


def test_budget_rows_without_carry_over() -> None:
    rows = budget_rows(_budget_portfolio(False), CAL)
    assert [r.label for r in rows] == ["2027-Q1", "2027-Q2", "FY2027 IT capex", "FY2028 IT capex"]
    assert rows[0].periods == (0,) and rows[0].amount == 4
    assert rows[3].periods == (4, 5, 6, 7) and rows[3].source_rows == (2,)
    a, b = _budget_portfolio(False).initiatives
    assert rows[2].applies_to(a) and not rows[2].applies_to(b) and rows[0].applies_to(b)


def test_budget_rows_with_carry_over_are_cumulative() -> None:
    rows = budget_rows(_budget_portfolio(True), CAL)
    assert rows[1].periods == (0, 1) and rows[1].amount == 9
    assert rows[1].label == "2027-Q1–2027-Q2 (with carry-over)"
    assert rows[3].periods == tuple(range(8)) and rows[3].amount == 17
    assert rows[2].amount == 7  # the first of its chain carries nothing in


def test_row_spend_counts_pool_kind_and_clips_to_horizon() -> None:
    p = _budget_portfolio(False)
    capex = np.array([[3.0, 3.0, 0, 0, 0, 0, 0, 0], [1.0, 0, 0, 0, 0, 0, 0, 0]])
    opex = np.array([[0.5] * 8, [0.0] * 8])
    values = StartValues(("A", "B"), np.zeros((2, 8)), capex, opex, np.zeros(2))
    rows = budget_rows(p, CAL)
    spend = row_spend(rows, p, values, {"A": -1, "B": 1}, 8)
    # Q1: A's second capex period (3) + opex 0.5; Q2: A opex 0.5 + B capex 1
    assert spend.tolist() == pytest.approx([3.5, 1.5, 3.0, 0.0])
