"""Efficient frontier: levels, the monotone envelope on hand-made plans, and real solves."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from roadmap.analysis.frontier import budget_levels, build_frontier, frontier_jobs, plan_npv
from roadmap.domain import (
    BudgetLimit,
    Initiative,
    Plan,
    Portfolio,
    Settings,
    SolveReport,
    SolveStatus,
)
from roadmap.errors import RoadmapError
from roadmap.optimize.options import SolveOptions

PORTFOLIO = Portfolio(
    settings=Settings(plan_start=date(2027, 1, 1), horizon=4),
    initiatives=tuple(Initiative(x, x.lower()) for x in "ABCD"),
    budgets=(BudgetLimit(100.0, fiscal_year=2027),),
)


def plan(
    ids: str, objective: float | None, bound: float | None = None, status=SolveStatus.OPTIMAL
) -> Plan:
    report = SolveReport(status, objective=objective, bound=bound, gap=0.0)
    return Plan(PORTFOLIO, {i: 0 for i in ids}, report)


def npv_stub(p: Plan) -> float:
    return float(len(p.starts))  # a stand-in that tells plans apart


def build(levels, plans, budgets):
    lookup = dict(zip((id(p) for p in plans), budgets, strict=True))
    return build_frontier(levels, plans, npv_of=npv_stub, budget_of=lambda p: lookup[id(p)])


def test_levels() -> None:
    assert budget_levels(0.5, 1.5, 11) == pytest.approx([0.5 + 0.1 * k for k in range(11)])
    assert budget_levels(0, 1, 2) == [0.0, 1.0]
    with pytest.raises(RoadmapError):
        budget_levels(1.0, 0.5, 3)
    with pytest.raises(RoadmapError):
        budget_levels(0.5, 1.5, 1)


def test_jobs_scale_every_budget_row_and_need_budgets() -> None:
    jobs = frontier_jobs(PORTFOLIO, [0.5, 1.2])
    assert [name for name, _ in jobs] == ["Budget 50%", "Budget 120%"]
    assert [p.budgets[0].amount for _, p in jobs] == pytest.approx([50.0, 120.0])
    with pytest.raises(RoadmapError, match="no limits"):
        frontier_jobs(Portfolio(settings=PORTFOLIO.settings), [1.0])


def test_monotone_solver_answers_pass_through() -> None:
    plans = [plan("A", 10, 10), plan("AB", 25, 26), plan("BCD", 40, 40)]
    points = build([0.5, 1.0, 1.5], plans, [50.0, 100.0, 150.0])
    assert [p.objective for p in points] == [10, 25, 40]
    assert [p.carried_from for p in points] == [None, None, None]
    assert points[1].marginal == pytest.approx(15 / 50)
    assert points[0].marginal is None
    assert points[1].entered == ("B",) and points[1].left == ()
    assert points[2].entered == ("C", "D") and points[2].left == ("A",)
    assert [p.npv for p in points] == [1.0, 2.0, 3.0]


def test_a_worse_answer_higher_up_is_replaced_by_the_lower_plan() -> None:
    # the solver stopped at its gap at 100 % with a plan worse than the one found at 50 %
    plans = [plan("AB", 30, 31), plan("C", 20, 35, SolveStatus.FEASIBLE), plan("ABD", 45, 45)]
    points = build([0.5, 1.0, 1.5], plans, [50.0, 100.0, 150.0])
    assert [p.objective for p in points] == [30, 30, 45]
    assert points[1].solver_objective == 20
    assert points[1].carried_from == 0.5
    assert points[1].selected == ("A", "B")  # the carried plan's schedule is reported
    assert points[1].status is SolveStatus.FEASIBLE
    assert points[1].marginal == 0.0
    objectives = [p.objective for p in points]
    assert objectives == sorted(objectives)


def test_bounds_are_tightened_from_above_and_never_below_the_objective() -> None:
    plans = [plan("A", 10, 50), plan("AB", 20, 30), plan("ABC", 30, 30)]
    points = build([0.5, 1.0, 1.5], plans, [50.0, 100.0, 150.0])
    assert [p.bound for p in points] == [30, 30, 30]
    for p in points:
        assert p.objective <= p.bound


def test_infeasible_low_levels_have_no_objective() -> None:
    plans = [plan("", None, None, SolveStatus.INFEASIBLE), plan("A", 5, 5)]
    points = build([0.1, 1.0], plans, [10.0, 100.0])
    assert points[0].objective is None and points[0].selected == ()
    assert points[0].bound is None
    assert points[1].objective == 5 and points[1].marginal is None
    assert points[1].entered == ("A",)


def test_levels_must_ascend() -> None:
    with pytest.raises(ValueError):
        build([1.0, 0.5], [plan("A", 1), plan("A", 1)], [1.0, 1.0])


# --- real solves ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved():
    from roadmap.analysis.frontier import frontier
    from roadmap.testing.synthetic import synthetic_portfolio

    portfolio = synthetic_portfolio(12, 8, 2, seed=7, budget_share=0.5)
    points = frontier(
        portfolio, start=0.6, stop=1.4, steps=5, options=SolveOptions(gap=0.0), jobs_n=2
    )
    return portfolio, points


def test_cutting_the_budget_never_raises_the_optimum(solved) -> None:
    _, points = solved
    assert all(p.status is SolveStatus.OPTIMAL for p in points)
    # proven optimal (gap 0): the solver's own answers must already be monotone
    raw = [p.solver_objective for p in points]
    assert all(lo <= hi + 1e-6 * max(1.0, abs(hi)) for lo, hi in itertools.pairwise(raw))
    assert [p.carried_from for p in points] == [None] * len(points)
    assert raw[0] < raw[-1]  # the budget binds: the test would fail on a broken scale
    budgets = [p.budget for p in points]
    assert budgets == sorted(budgets) and budgets[0] < budgets[-1]


def test_each_point_reports_its_own_plan(solved) -> None:
    from roadmap.optimize.plan_check import check_plan

    _, points = solved
    for p in points:
        assert p.plan is not None and set(p.plan.starts) == set(p.selected)
        assert p.npv == pytest.approx(plan_npv(p.plan))
        assert not check_plan(p.plan.portfolio, p.plan.starts)


def test_frontier_sheet_reads_back_with_a_chart(solved, tmp_path) -> None:
    from openpyxl import load_workbook

    from roadmap.excel.writing import save_atomic
    from roadmap.report.frontier import HEADERS, format_frontier, frontier_workbook

    portfolio, points = solved
    path = tmp_path / "frontier.xlsx"
    save_atomic(frontier_workbook(points, portfolio.settings.currency), path)
    ws = load_workbook(path)["Frontier"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == HEADERS[0])
    got = [ws.cell(header_row + 1 + k, 3).value for k in range(len(points))]
    assert got == pytest.approx([p.objective for p in points])
    assert len(ws._charts) == 1
    text = format_frontier(points)
    assert len(text.splitlines()) == len(points) + 1 and "60%" in text


def test_frontier_command(valid_workbook, tmp_path) -> None:
    from click.testing import CliRunner

    from roadmap.cli import cli

    out = tmp_path / "f.xlsx"
    args = ["frontier", str(valid_workbook), "-o", str(out), "--from", "50%", "--to", "1.5"]
    result = CliRunner().invoke(cli, [*args, "--steps", "3", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "150%" in result.output and out.exists()
    again = CliRunner().invoke(cli, [*args, "--steps", "3", "--jobs", "1"])
    assert again.exit_code != 0 and "--force" in again.output
    bad = CliRunner().invoke(cli, ["frontier", str(valid_workbook), "--from", "lots"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("args", [["--from", "150%", "--to", "50%"], ["--steps", "1"]])
def test_frontier_command_refuses_bad_ranges(valid_workbook, args) -> None:
    from click.testing import CliRunner

    from roadmap.cli import cli

    result = CliRunner().invoke(cli, ["frontier", str(valid_workbook), *args])
    assert result.exit_code == 2 and "Traceback" not in result.output
