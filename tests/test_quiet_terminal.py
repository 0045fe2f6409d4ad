"""The solver's own output never reaches the terminal (worker processes included) unless a
solver log is asked for; progress is informative and never shows a meaningless gap."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from roadmap.cli.progress import SolveProgress, describe, meaningful_gap
from roadmap.optimize.milp.search.solve import ProgressEvent

BANNER = ("Running HiGHS", "HiGHS", "THIRD_PARTY_NOTICES", "Copyright", "Welcome to the CBC")
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from roadmap.cli import main; sys.argv[0] = 'roadmap'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )


def assert_quiet(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    for text in (result.stdout, result.stderr):
        for word in BANNER:
            assert word not in text, text


def test_no_solver_output_from_any_command(valid_workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    assert_quiet(run("plan", str(valid_workbook), "-o", str(out), "--jobs", "2"))
    assert_quiet(run("plan", str(valid_workbook), "-o", str(out), "--force", "--solver", "cbc"))
    assert_quiet(
        run("plan", str(valid_workbook), "--all-scenarios", "-o", str(tmp_path / "s.xlsx"))
    )
    assert_quiet(
        run("plan", str(valid_workbook), "--marginal", "-o", str(tmp_path / "m.xlsx"), "-q")
    )
    assert_quiet(run("frontier", str(valid_workbook), "--steps", "3", "--jobs", "2"))


def test_no_solver_output_from_why_not_worker_processes(tmp_path: Path) -> None:
    """Re-solves in two worker processes, in a process whose output is captured."""
    script = (
        "from roadmap.testing.synthetic import synthetic_portfolio\n"
        "from roadmap.optimize.milp.plan import solve_plan\n"
        "from roadmap.optimize.options import SolveOptions, WhyNotBudget\n"
        "if __name__ == '__main__':\n"
        "    p = synthetic_portfolio(14, 8, 2, seed=3, budget_share=0.4)\n"
        "    plan = solve_plan(p, SolveOptions(why_not_budget=WhyNotBudget(workers=2)))\n"
        "    assert plan.why_not\n"
    )
    path = tmp_path / "run.py"
    path.write_text(script)
    result = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_solver_log_goes_to_the_file_only(valid_workbook: Path, tmp_path: Path) -> None:
    log = tmp_path / "solver.log"
    result = run(
        "plan", str(valid_workbook), "-o", str(tmp_path / "p.xlsx"), "--solver-log", str(log)
    )
    assert_quiet(result)
    assert "HiGHS" in log.read_text()


@pytest.mark.parametrize(
    ("objective", "bound", "shown"),
    [
        (100.0, 101.0, True),
        (-626_225.0, 35_000_000.0, False),
        (0.0, 5.0, False),
        (None, 1.0, False),
    ],
)
def test_gap_shown_only_against_a_meaningful_objective(objective, bound, shown) -> None:
    gap = None if objective is None else abs(bound - objective) / max(abs(objective), 1e-9)
    assert meaningful_gap(objective, bound, gap) is shown
    text = describe(ProgressEvent(1.0, objective, bound, gap))
    assert ("gap" in text) is shown


def test_progress_lines_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    progress = SolveProgress(False, 10, stream=stream)
    progress(ProgressEvent(0.5, 100.0, 110.0, 0.1, "solve"))
    progress(ProgressEvent(0.6, 101.0, 110.0, 0.09, "solve"))  # within a few seconds: no line
    for k in range(1, 4):
        progress(ProgressEvent(1.0 + k, stage="why-not", done=k, total=3))
    progress.done()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("solve: 0.5 s  best 100  gap 10.00%")
    assert lines[1].startswith("why-not: 1/3 priced")
    assert lines[-1].startswith("why-not: 3/3 priced")
    assert len(lines) == 3
    quiet = io.StringIO()
    SolveProgress(True, 10, stream=quiet)(ProgressEvent(0.5, stage="solve"))
    assert quiet.getvalue() == ""
