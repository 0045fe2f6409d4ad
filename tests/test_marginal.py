"""Marginal value: probes, the honest reading of re-solves, ranking, and real solves."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from roadmap.analysis.marginal import (
    BUDGET,
    TEAM,
    MarginalValue,
    Probe,
    binding_period,
    evaluate,
    probes,
    rank,
)
from roadmap.domain import (
    BudgetLimit,
    Initiative,
    Plan,
    Portfolio,
    Settings,
    SolveReport,
    SolveStatus,
    Staffing,
    Team,
)
from roadmap.errors import RoadmapError
from roadmap.optimize.options import SolveOptions

SMALL = Portfolio(
    settings=Settings(plan_start=date(2027, 1, 1), horizon=8),
    initiatives=(Initiative("A", "a", duration=2), Initiative("B", "b", duration=1)),
    teams=(Team("DATA", capacity=2.0), Team("WEB", capacity=3.0)),
    staffing=(Staffing("A", "DATA", 1.0), Staffing("B", "DATA", 1.0), Staffing("B", "WEB", 1.0)),
    budgets=(
        BudgetLimit(100.0, fiscal_year=2027, pool="IT"),
        BudgetLimit(100.0, fiscal_year=2028),
    ),
)


def plan(
    objective: float | None,
    bound: float | None = None,
    gap: float = 0.0,
    status=SolveStatus.OPTIMAL,
):
    return Plan(SMALL, {}, SolveReport(status, objective=objective, bound=bound, gap=gap))


PROBE = Probe(TEAM, "DATA", "+1 FTE from 2027-Q1", SMALL)


def test_binding_period_is_where_the_team_is_full() -> None:
    # A runs in periods 3-4 and B in period 4: DATA (2 FTE) is full in period 4 first
    full = Plan(SMALL, {"A": 3, "B": 4}, SolveReport(SolveStatus.OPTIMAL))
    assert binding_period(SMALL, full, "DATA") == 4
    assert binding_period(SMALL, full, "WEB") == 4
    idle = Plan(SMALL, {}, SolveReport(SolveStatus.OPTIMAL))
    assert binding_period(SMALL, idle, "DATA") == 0


def test_probes_cover_teams_years_pools_and_all() -> None:
    found = probes(SMALL, Plan(SMALL, {"A": 3, "B": 4}, SolveReport(SolveStatus.OPTIMAL)))
    assert [(p.kind, p.key) for p in found] == [
        (TEAM, "DATA"),
        (TEAM, "WEB"),
        (BUDGET, "FY2027"),
        (BUDGET, "FY2028"),
        (BUDGET, "IT"),
        (BUDGET, "all"),
    ]
    assert found[0].change == "+1 FTE from 2028-Q1"
    fy27 = found[2].portfolio.budgets
    assert [b.amount for b in fy27] == pytest.approx([110.0, 100.0])
    assert [b.amount for b in found[5].portfolio.budgets] == pytest.approx([110.0, 110.0])


def test_evaluate_plain_gain() -> None:
    v = evaluate(PROBE, plan(100.0), plan(130.0, 140.0))
    assert (v.gain, v.bound_gain, v.note) == (30.0, 40.0, "")


def test_evaluate_never_negative() -> None:
    v = evaluate(PROBE, plan(100.0, gap=0.01), plan(99.5, 101.0, gap=0.01))
    assert v.gain == 0.0 and v.objective == 99.5 and "no gain" in v.note


def test_evaluate_flags_gains_within_the_gap() -> None:
    v = evaluate(PROBE, plan(1000.0, gap=0.01), plan(1005.0, gap=0.005))
    assert v.gain == pytest.approx(5.0) and "noise" in v.note


def test_evaluate_without_plan() -> None:
    v = evaluate(PROBE, plan(100.0), plan(None, status=SolveStatus.NO_SOLUTION))
    assert v.gain is None and "no solution" in v.note


def test_rank_largest_first_none_last() -> None:
    def mv(key: str, gain: float | None) -> MarginalValue:
        return MarginalValue(TEAM, key, "", 0.0, None, gain, None, SolveStatus.OPTIMAL, None)

    assert [v.key for v in rank([mv("a", 1.0), mv("b", None), mv("c", 5.0), mv("d", 1.0)])] == [
        "c",
        "a",
        "d",
        "b",
    ]


def test_marginal_needs_a_base_plan() -> None:
    from roadmap.analysis.marginal import marginal_values

    with pytest.raises(RoadmapError, match="base plan"):
        marginal_values(SMALL, plan(None, status=SolveStatus.INFEASIBLE))


# --- real solves ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved():
    from roadmap.analysis.marginal import marginal_values
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.testing.synthetic import synthetic_portfolio

    base = synthetic_portfolio(12, 8, 2, seed=11, budget_share=0.35, capacity_share=0.7)
    base = replace(base, teams=(*base.teams, Team("IDLE", "Nobody needs us", capacity=1.0)))
    base_plan = solve_plan(base, SolveOptions(gap=0.0, threads=1, why_not=False))
    values = marginal_values(base, base_plan, options=SolveOptions(gap=0.0), jobs_n=2)
    return base, base_plan, values


def test_real_gains_are_consistent(solved) -> None:
    base, base_plan, values = solved
    assert len(values) == len(probes(base, base_plan))
    gains = [v.gain for v in values]
    assert gains == sorted(gains, reverse=True)
    by_key = {(v.kind, v.key): v for v in values}
    assert by_key[(TEAM, "IDLE")].gain == pytest.approx(0.0, abs=1e-6)
    for v in values:
        assert v.status is SolveStatus.OPTIMAL
        assert v.objective == pytest.approx(base_plan.report.objective + v.gain)
    # every budget +10 % loosens more than any one year or pool alone
    everything = by_key[(BUDGET, "all")].gain
    assert all(v.gain <= everything + 1e-6 for v in values if v.kind == BUDGET)
    # both kinds bind in this portfolio, so the checks above are not vacuous
    assert any(v.gain > 0 for v in values if v.kind == TEAM)
    assert everything > 0


def test_marginal_sheet(solved, tmp_path) -> None:
    from openpyxl import Workbook, load_workbook

    from roadmap.excel.writing import save_atomic
    from roadmap.report.marginal import HEADERS, add_marginal_sheet

    _, _, values = solved
    wb = Workbook()
    add_marginal_sheet(wb, values, "EUR", index=0)
    save_atomic(wb, tmp_path / "m.xlsx")
    ws = load_workbook(tmp_path / "m.xlsx")["Marginal value"]
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == HEADERS[0])
    gains = [
        ws.cell(top + 1 + k, HEADERS.index("Objective gain") + 1).value for k in range(len(values))
    ]
    assert gains == pytest.approx([v.gain for v in values])
    assert ws.cell(top + 1, 1).value == 1
