"""SCIP through pulp as a third solver, and CBC without the warm start."""

from __future__ import annotations

import importlib.util

import pytest

from roadmap.domain import SolveStatus
from roadmap.optimize.milp.plan import solve_plan
from roadmap.optimize.options import SolveOptions
from roadmap.optimize.plan_check import check_plan
from tests.test_milp_cases import brute_force, random_portfolio

needs_scip = pytest.mark.skipif(
    importlib.util.find_spec("pyscipopt") is None, reason="pyscipopt is not installed"
)


@needs_scip
@pytest.mark.parametrize("seed", [0, 1, 4])
def test_scip_reaches_the_brute_force_optimum(seed: int) -> None:
    p = random_portfolio(seed)
    best, _ = brute_force(p)
    plan = solve_plan(p, SolveOptions(solver="scip", gap=0.0, time_limit=20, why_not=False))
    if best is None:
        assert plan.report.status is SolveStatus.INFEASIBLE
        return
    assert plan.report.status is SolveStatus.OPTIMAL
    assert plan.report.objective == pytest.approx(best, rel=1e-9, abs=1e-6)
    assert plan.report.bound is not None and plan.report.bound >= best - 1e-6
    assert plan.report.solver_version.startswith("SCIP")
    assert check_plan(p, dict(plan.starts)) == []


@needs_scip
def test_scip_stopped_on_time_reports_a_plan_with_its_gap() -> None:
    from roadmap.testing.synthetic import synthetic_portfolio

    p = synthetic_portfolio(60, 24, 6, 1, period="month")
    plan = solve_plan(p, SolveOptions(solver="scip", gap=0.0, time_limit=2, why_not=False))
    assert plan.report.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert check_plan(p, dict(plan.starts)) == []
    if plan.report.status is SolveStatus.FEASIBLE:
        assert plan.report.gap is not None and plan.report.bound is not None


def test_cbc_runs_cold_and_falls_back_on_the_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    """CBC gets no warm start (it does better without); when it finds nothing in time, the
    improved baseline plan is returned as a plan stopped on time."""
    import pulp

    from roadmap.optimize.milp.search import solve as solve_module

    seen: list[int] = []

    def nothing(prob, warm, lim, ticker, on_plan=None):  # type: ignore[no-untyped-def]
        seen.append(len(warm))
        return solve_module.RunResult(pulp.LpStatusNotSolved, None, "CBC")

    monkeypatch.setattr(solve_module, "_run_cbc", nothing)
    p = random_portfolio(1)
    plan = solve_plan(p, SolveOptions(solver="cbc", time_limit=5, why_not=False))
    assert seen == [0]
    assert plan.report.status is SolveStatus.FEASIBLE
    assert "baseline" in plan.report.solver_version
    assert plan.starts and check_plan(p, dict(plan.starts)) == []
