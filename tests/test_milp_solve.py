"""Solver plumbing: both solvers, determinism, status on a time-out, progress and LP output."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_milp_cases import random_portfolio, solve

from roadmap.domain import SolveStatus
from roadmap.optimize.milp.search.solve import (
    ProgressEvent,
    _cbc_log_figures,
    choose_solver,
    highs_available,
    relative_gap,
)
from roadmap.optimize.plan_check import check_plan
from roadmap.testing.synthetic import synthetic_portfolio

needs_highs = pytest.mark.skipif(not highs_available(), reason="highspy is not installed")


@needs_highs
@pytest.mark.parametrize("seed", [0, 5, 8])
def test_cbc_and_highs_agree(seed: int) -> None:
    p = random_portfolio(seed)
    cbc, highs = solve(p, solver="cbc"), solve(p, solver="highs")
    assert cbc.report.solver == "cbc" and highs.report.solver == "highs"
    assert cbc.report.status is highs.report.status
    if cbc.report.status.has_plan:
        assert cbc.report.objective == pytest.approx(highs.report.objective, rel=1e-9)


def test_same_input_same_plan() -> None:
    p = synthetic_portfolio(25, 8, 3, seed=3)
    first = solve(p, gap=0.01, time_limit=10)
    second = solve(p, gap=0.01, time_limit=10)
    assert first.report.status.has_plan
    assert dict(first.starts) == dict(second.starts)
    assert check_plan(p, first.starts) == []


def test_time_out_with_a_plan_is_feasible_with_an_honest_gap() -> None:
    p = synthetic_portfolio(60, 16, 4, seed=2)
    plan = solve(p, time_limit=1.0, gap=0.0)
    assert plan.report.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert check_plan(p, plan.starts) == []
    if plan.report.status is SolveStatus.FEASIBLE:
        assert plan.report.bound is not None and plan.report.gap is not None
        assert plan.report.bound >= plan.report.objective - 1e-6
        assert plan.report.gap == pytest.approx(
            relative_gap(plan.report.objective, plan.report.bound)
        )
    assert plan.greedy_objective is not None
    assert plan.report.objective >= plan.greedy_objective - 1e-6


def test_progress_is_reported_and_lp_written(tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    lp = tmp_path / "model.lp"
    p = random_portfolio(2)
    plan = solve(p, progress=events.append, write_lp=lp)
    assert plan.report.status.has_plan
    assert events and events[-1].elapsed >= 0 and events[-1].stage == "solve"
    assert "select__I0" in lp.read_text()


def test_solver_choice() -> None:
    assert choose_solver("CBC") == "cbc"
    assert choose_solver("auto") == ("highs" if highs_available() else "cbc")
    with pytest.raises(ValueError, match="unknown solver"):
        choose_solver("gurobi")


def test_cbc_log_figures_turn_the_internal_minimisation_around() -> None:
    log = (
        "Cbc0012I Integer solution of -1500 found by feasibility pump\n"
        "Cbc0010I After 100 nodes, 5 on tree, -1600 best solution, best possible -1900 (1 s)\n"
    )
    assert _cbc_log_figures(log, maximise=True) == (1600.0, 1900.0)
    assert _cbc_log_figures(log + "Upper bound:  1850.5\n", maximise=True) == (1600.0, 1850.5)


def test_cbc_progress_comes_from_its_log() -> None:
    events: list[ProgressEvent] = []
    plan = solve(synthetic_portfolio(80, 8, 4, seed=1), solver="cbc", time_limit=2.5, gap=0.0,
                 progress=events.append)  # fmt: skip
    assert plan.report.status.has_plan
    assert len(events) >= 2
    assert any(e.objective is not None for e in events)


def test_a_solver_crash_is_a_status_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    import pulp

    from roadmap.optimize.milp.search import solve as solve_module

    def crash(*args: object) -> None:
        raise pulp.PulpSolverError("cbc: segfault")

    monkeypatch.setattr(solve_module, "_run_highs", crash)
    monkeypatch.setattr(solve_module, "_run_cbc", crash)
    plan = solve(random_portfolio(1))
    assert plan.report.status is SolveStatus.ERROR
    assert "segfault" in plan.report.message
    assert not plan.starts
