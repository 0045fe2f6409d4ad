"""The planning run as a library (app/plan_run.py), without the command line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from plan_fixtures import plan as fixture_plan

from roadmap.app.plan_run import (
    RunOptions,
    case_portfolio,
    default_output,
    export_paths,
    input_digest,
    plan_all_scenarios,
    plan_case,
    require_plan,
    run_info,
    write_plan_outputs,
)
from roadmap.domain import ObjectiveKind, SolveStatus
from roadmap.errors import InputError, NoSolutionError, RoadmapError
from roadmap.optimize.options import SolveOptions
from roadmap.report.assumptions import RunInfo
from roadmap.testing.synthetic import synthetic_portfolio


def test_run_objective_goes_into_the_case_settings() -> None:
    p = synthetic_portfolio(6, 8, 2, seed=1)
    options = RunOptions(objective=ObjectiveKind.SCORE)
    assert case_portfolio(p, options).settings.objective is ObjectiveKind.SCORE
    assert case_portfolio(p, RunOptions()) is p
    assert ("objective", "score") in options.shown()


def test_plan_case_and_outputs_without_the_command_line(tmp_path: Path) -> None:
    p = synthetic_portfolio(6, 8, 2, seed=2)
    plan = plan_case(p, RunOptions(solve=SolveOptions(time_limit=20)), progress=None)
    assert plan.report.status.has_plan
    out = tmp_path / "plan.xlsx"
    exports = {"csv": tmp_path / "plan-milestones.csv"}
    written, facts = write_plan_outputs(plan, out, run=RunInfo("x.xlsx"), exports=exports)
    assert written == [out, exports["csv"]]
    assert all(path.exists() for path in written)
    wb = openpyxl.load_workbook(out, read_only=True)
    assert "Roadmap" in wb.sheetnames
    assert facts.plan is plan


def test_output_paths_sit_beside_the_plan_workbook(tmp_path: Path) -> None:
    src = tmp_path / "portfolio.xlsx"
    out = default_output(src)
    assert out == tmp_path / "portfolio-plan.xlsx"
    assert export_paths(out, ("csv", "mspdi", "csv")) == {
        "csv": tmp_path / "portfolio-plan-milestones.csv",
        "mspdi": tmp_path / "portfolio-plan.xml",
    }


def test_run_info_names_the_input_and_the_choices(tmp_path: Path) -> None:
    src = tmp_path / "in.xlsx"
    src.write_bytes(b"some workbook bytes")
    options = RunOptions(solve=SolveOptions(gap=0.01, threads=2))
    run = run_info(src, input_digest(src), options, time_limit=30.0, scenario="Cut")
    assert run.input_name == "in.xlsx"
    assert run.input_sha256 == hashlib.sha256(b"some workbook bytes").hexdigest()
    assert run.time_limit == 30.0
    assert dict(run.options) == {"scenario": "Cut", "gap": "0.01", "threads": "2"}


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [(SolveStatus.NO_SOLUTION, NoSolutionError, 4), (SolveStatus.ERROR, RoadmapError, 1)],
)
def test_a_solve_without_a_plan_is_an_error_with_its_exit_code(status, error, code) -> None:
    plan = fixture_plan(status)
    with pytest.raises(error) as raised:
        require_plan(plan, 12.0)
    assert raised.value.exit_code == code
    require_plan(fixture_plan(), 12.0)  # a plan: nothing to say
    require_plan(fixture_plan(SolveStatus.INFEASIBLE), 12.0)  # explained by the caller


def test_all_scenarios_needs_scenarios(tmp_path: Path) -> None:
    p = synthetic_portfolio(6, 8, 2, seed=1)
    assert not p.scenarios
    with pytest.raises(InputError, match="no scenarios"):
        plan_all_scenarios(p, RunOptions(), RunInfo("x.xlsx"), tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []
