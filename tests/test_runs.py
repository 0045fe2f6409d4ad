"""The planning run as a library (app/plan_run.py), without the command line."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from roadmap.app.plan_run import RunOptions, case_portfolio, plan_case, write_plan_outputs
from roadmap.domain import ObjectiveKind
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
