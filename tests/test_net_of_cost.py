"""Net-of-cost figures: a scenario's hires and a marginal FTE are worth their gain minus their
cost, wherever they are shown, and rankings go by net."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.analysis.marginal import (
    BUDGET,
    TEAM,
    MarginalValue,
    Probe,
    capacity_cost,
    rank,
    with_cost,
)
from roadmap.domain import ObjectiveKind, Plan, SolveReport, SolveStatus
from roadmap.input.scenarios import add_capacity
from roadmap.report.plan_workbook import write_plan_workbook
from roadmap.report.scenarios import CAPACITY_COST, NET_NPV, NET_OBJECTIVE, capacity_cost_rows


def _priced_base():
    p = fixture_plan().portfolio
    teams = tuple(replace(t, cost_per_fte_year=120_000.0) for t in p.teams)
    return replace(p, teams=teams)


def test_scenarios_show_npv_net_of_hires_whatever_the_objective() -> None:
    base = _priced_base()
    team = base.teams[0].id
    hired = add_capacity(base, team, 2.0)
    cost = capacity_cost(base, hired).present_value
    assert cost is not None and cost > 0
    report = SolveReport(SolveStatus.OPTIMAL, objective=1000.0)
    plans = [
        Plan(base, {}, report),
        Plan(hired, {}, report, scenario="Hire two"),
        Plan(hired, {}, report, objective=ObjectiveKind.CAPABILITY, scenario="Capability"),
    ]
    npvs = [5_000_000.0, 5_100_000.0, 4_000_000.0]
    rows = {row[0]: row[2:] for row in capacity_cost_rows(plans, npvs)}
    assert rows[CAPACITY_COST] == pytest.approx([0.0, cost, cost])
    # the hire's gross NPV gain (100k) is less than its cost: net, the scenario loses money
    assert rows[NET_NPV] == pytest.approx([5_000_000.0, 5_100_000.0 - cost, 4_000_000.0 - cost])
    assert rows[NET_NPV][1] < rows[NET_NPV][0]
    # the objective net of cost only where the objective is money
    assert rows[NET_OBJECTIVE][2] is None and rows[NET_OBJECTIVE][1] == pytest.approx(1000 - cost)


def _mv(kind: str, key: str, gain: float) -> MarginalValue:
    return MarginalValue(kind, key, "", 100.0, 100.0 + gain, gain, None, SolveStatus.OPTIMAL, 0.0)


def test_marginal_ranks_by_net_gain() -> None:
    base = _priced_base()
    team = base.teams[0].id
    probe = Probe(TEAM, team, "+1 FTE", add_capacity(base, team, 1.0))
    base_plan = Plan(base, {}, SolveReport(SolveStatus.OPTIMAL, objective=100.0))
    cost = capacity_cost(base, probe.portfolio).present_value
    assert cost is not None
    hire = with_cost(_mv(TEAM, team, cost - 31_000.0), probe, base, base_plan)
    budget_probe = Probe(BUDGET, "all", "+10% on every budget", base)
    budget = with_cost(_mv(BUDGET, "all", 160_000.0), budget_probe, base, base_plan)
    assert hire.net == pytest.approx(-31_000.0) and hire.gain is not None
    assert hire.gain > budget.gain  # type: ignore[operator]
    assert (budget.cost, budget.net) == (0.0, 160_000.0)
    assert [v.key for v in rank([hire, budget])] == ["all", team]


def test_a_scenarios_summary_and_financials_state_the_cost_of_its_hires(tmp_path: Path) -> None:
    plan = replace(fixture_plan(), scenario="Hire", capacity_fte_years=4.0, capacity_cost=450_000.0)
    out = write_plan_workbook(plan, tmp_path / "hire.xlsx")
    wb = load_workbook(out)
    summary = {r[0]: (r[1], r[2]) for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    npv = summary["Portfolio NPV"][0]
    assert summary["Cost of capacity added"][0] == pytest.approx(450_000.0)
    assert "+4.0 FTE-years" in str(summary["Cost of capacity added"][1])
    assert summary["Portfolio NPV net of capacity cost"][0] == pytest.approx(npv - 450_000.0)
    fin = {r[0]: r[3] for r in wb["Financials"].iter_rows(values_only=True) if r[0]}
    assert fin["Cost of capacity added (vs base case)"] == pytest.approx(450_000.0)
    assert fin["NPV net of capacity cost"] == pytest.approx(npv - 450_000.0)
    # the base case says nothing of it
    base = load_workbook(write_plan_workbook(fixture_plan(), tmp_path / "base.xlsx"))
    labels = [r[0] for r in base["Summary"].iter_rows(values_only=True)]
    assert "Portfolio NPV net of capacity cost" not in labels


def test_scenario_plans_carry_the_cost_of_their_hires() -> None:
    from roadmap.app.plan_run import with_capacity_cost

    base = _priced_base()
    hired = add_capacity(base, base.teams[0].id, 2.0)
    plan = Plan(hired, {}, SolveReport(SolveStatus.OPTIMAL, objective=1.0), scenario="Hire")
    costed = with_capacity_cost(plan, base)
    expected = capacity_cost(base, hired)
    assert costed.capacity_fte_years == pytest.approx(expected.fte_years)
    assert costed.capacity_fte_years > 0
    assert costed.capacity_cost == pytest.approx(expected.present_value)
    same = with_capacity_cost(Plan(base, {}, plan.report), base)
    assert same.capacity_fte_years == 0.0 and same.capacity_cost is None
