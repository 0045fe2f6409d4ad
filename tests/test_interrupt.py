"""A real ``roadmap plan`` process, signalled mid-solve and mid-write: it stops its solvers and
workers, removes every temporary file, writes nothing, says "interrupted" and exits 128 + signal.

The process plans a synthetic portfolio large enough to keep the solver busy for many seconds
(the input path is a real workbook; the child swaps the reader's result for the synthetic
portfolio, so no product code knows about the test). The process tree is read from /proc.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "retail-d2c.xlsx"
REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc"
)

CHILD = """
import sys
from dataclasses import replace
import roadmap.input.reader as reader
from roadmap.domain import Scenario, ScenarioOverride
from roadmap.testing.synthetic import synthetic_portfolio

size = int(sys.argv[1])
portfolio = synthetic_portfolio(size, 36, 8, seed=1)
portfolio = replace(portfolio, scenarios=(
    Scenario("Budget cut", overrides=(ScenarioOverride("budget_scale", 0.8),)),
    Scenario("Budget up", overrides=(ScenarioOverride("budget_scale", 1.2),)),
    Scenario("Haircut", overrides=(ScenarioOverride("benefit_haircut", 0.2),)),
))
reader.load_portfolio = lambda path, *a, **k: (portfolio, [])
from roadmap.cli import cli
cli(sys.argv[2:], prog_name="roadmap")
"""


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if fields[1] == str(pid):
            kids.append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        for kid in _children(queue.pop()):
            found.append(kid)
            queue.append(kid)
    return found


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] != "Z"


class Run:
    """``roadmap plan`` in a fresh folder, with its own temporary folder to watch."""

    def __init__(self, tmp_path: Path, *args: str, size: int = 200) -> None:
        self.folder = tmp_path / "work"
        self.temp = tmp_path / "tmp"
        self.folder.mkdir()
        self.temp.mkdir()
        self.input = self.folder / "in.xlsx"
        shutil.copy(SAMPLE, self.input)
        self.output = self.folder / "out.xlsx"
        env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(self.temp)}
        self.stderr_path = tmp_path / "stderr.txt"
        self._err = self.stderr_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                str(size),
                "plan",
                str(self.input),
                "-o",
                str(self.output),
                *args,
            ],
            stdout=subprocess.DEVNULL,
            stderr=self._err,
            env=env,
            cwd=self.folder,
        )

    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def wait_for(self, test, what: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while not test():
            if self.proc.poll() is not None:
                pytest.fail(f"ended (exit {self.proc.returncode}) before {what}: {self.stderr()}")
            if time.monotonic() > deadline:
                self.proc.kill()
                pytest.fail(f"no {what} within {timeout:g} s: {self.stderr()}")
            time.sleep(0.005)

    def signal_and_wait(self, signum: int) -> tuple[int, list[int]]:
        tree = _tree(self.proc.pid)
        self.proc.send_signal(signum)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        finally:
            self._err.close()
        return code, tree

    def leftovers(self) -> list[str]:
        files = [p.name for p in self.folder.iterdir() if p.name != "in.xlsx"]
        return files + [f"TMPDIR/{p.name}" for p in self.temp.iterdir()]


def _check_clean(run: Run, code: int, tree: list[int], signum: int) -> None:
    deadline = time.monotonic() + 5.0  # a killed child may take a moment to leave /proc
    while any(_running(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in tree if _running(pid)]
    for pid in alive:  # do not leave them behind for the next test either
        os.kill(pid, signal.SIGKILL)
    assert alive == [], f"still running after the interruption: {alive}"
    assert code == 128 + signum, run.stderr()
    assert "interrupted" in run.stderr()
    assert "Traceback" not in run.stderr()
    assert run.leftovers() == []


def _solving(run: Run) -> bool:
    return "solve:" in run.stderr()


def test_ctrl_c_during_a_highs_solve(tmp_path: Path) -> None:
    run = Run(tmp_path, "--solver", "highs", "--time-limit", "60")
    run.wait_for(lambda: _solving(run), "solve progress")
    code, tree = run.signal_and_wait(signal.SIGINT)
    _check_clean(run, code, tree, signal.SIGINT)
    assert "time limit" not in run.stderr()


def test_sigterm_during_a_cbc_solve_stops_cbc_and_removes_its_files(tmp_path: Path) -> None:
    run = Run(tmp_path, "--solver", "cbc", "--time-limit", "60")
    run.wait_for(lambda: any(p.suffix == ".mps" for p in run.temp.rglob("*")), "CBC model file")
    run.wait_for(lambda: len(_tree(run.proc.pid)) > 0, "a CBC process")
    code, tree = run.signal_and_wait(signal.SIGTERM)
    assert tree, "CBC was not running when signalled"
    _check_clean(run, code, tree, signal.SIGTERM)


def test_sighup_stops_all_scenario_workers(tmp_path: Path) -> None:
    run = Run(tmp_path, "--all-scenarios", "--jobs", "2", "--solver", "cbc", "--time-limit", "60")
    # two workers, each with a CBC child
    run.wait_for(lambda: len(_tree(run.proc.pid)) >= 4, "two workers solving")
    code, tree = run.signal_and_wait(signal.SIGHUP)
    _check_clean(run, code, tree, signal.SIGHUP)


def test_sigterm_while_the_plan_workbook_is_written(tmp_path: Path) -> None:
    run = Run(tmp_path, "--time-limit", "2", "--export", "mspdi", "--export", "csv", size=300)
    run.wait_for(lambda: _solving(run), "solve progress")
    run.wait_for(
        lambda: any(p.name.startswith(".out.xlsx.") for p in run.folder.iterdir()),
        "the plan workbook's temporary file",
    )
    # freeze it where it is (the workbook half-written, or written and waiting for the
    # exports), so the signal lands there however busy the machine is
    run.proc.send_signal(signal.SIGSTOP)
    assert not run.output.exists(), "the workbook was already in place"
    run.proc.send_signal(signal.SIGTERM)
    code, tree = run.signal_and_wait(signal.SIGCONT)
    _check_clean(run, code, tree, signal.SIGTERM)
    assert not run.output.exists()
