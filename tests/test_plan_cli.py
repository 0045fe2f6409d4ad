"""End-to-end runs of ``roadmap plan`` on the samples; the workbook is read back and re-checked
independently (budget, capacity, dependencies) rather than trusted."""

import hashlib
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from defusedxml import ElementTree as SafeET
from openpyxl import Workbook, load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.cli import cli
from roadmap.domain import Portfolio, SolveReport, SolveStatus
from roadmap.input.reader import load_portfolio
from roadmap.money.calendar import Calendar
from roadmap.report.plan_workbook import DIAGNOSIS_SHEETS, SHEETS

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_NAMES = ("retail-d2c.xlsx", "martech-rationalisation.xlsx")
TOL = 1e-6


@dataclass
class Run:
    input: Path
    output: Path
    input_hash: str
    exit_code: int
    stdout: str
    stderr: str
    portfolio: Portfolio


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module", params=SAMPLE_NAMES)
def run(request, tmp_path_factory) -> Run:
    folder = tmp_path_factory.mktemp("plan")
    src = folder / request.param
    shutil.copy(SAMPLES / request.param, src)
    before = digest(src)
    result = CliRunner().invoke(
        cli, ["plan", str(src), "--time-limit", "20", "--export", "mspdi", "--export", "csv"]
    )
    portfolio, _ = load_portfolio(src)
    out = folder / f"{src.stem}-plan.xlsx"
    return Run(src, out, before, result.exit_code, result.stdout, result.stderr, portfolio)


def rows_of(ws, name: str) -> list[dict[str, object]]:
    cells = list(ws[ws.tables[name].ref])
    headers = [c.value for c in cells[0]]
    return [dict(zip(headers, (c.value for c in r), strict=True)) for r in cells[1:]]


@pytest.fixture(scope="module")
def book(run: Run):
    assert run.exit_code == 0, run.stderr
    return load_workbook(run.output)


def test_plan_written_beside_the_input(run: Run) -> None:
    assert run.exit_code == 0, run.stderr
    assert run.output.exists()
    assert f"Wrote {run.output}" in run.stdout
    assert digest(run.input) == run.input_hash


def test_every_sheet_in_order(book) -> None:
    assert book.sheetnames == list(SHEETS)


def test_summary_totals_match_budget_and_financials(book) -> None:
    summary = {r["Figure"]: r["Value"] for r in rows_of(book["Summary"], "tbl_Summary")}
    periods = rows_of(book["Budget"], "tbl_Budget_periods")
    years = rows_of(book["Budget"], "tbl_Budget_years")
    spend = sum(r["Total spend"] for r in periods)
    assert summary["Total spend in the horizon"] == pytest.approx(spend)
    assert sum(r["Total spend"] for r in years) == pytest.approx(spend)
    cash = rows_of(book["Financials"], "tbl_Financials")
    assert summary["Portfolio NPV"] == pytest.approx(sum(r["Discounted net"] for r in cash))


def test_every_selected_initiative_has_its_milestones(book) -> None:
    ids = [r["ID"] for r in rows_of(book["Roadmap"], "tbl_Roadmap")]
    stones = rows_of(book["Milestones"], "tbl_Milestones")
    assert ids
    for iid in ids:
        kinds = {r["Milestone"] for r in stones if r["Initiative"] == iid}
        assert len(kinds) == 5, iid


def test_no_budget_limit_exceeded(book) -> None:
    for r in rows_of(book["Budget"], "tbl_Budget_limits"):
        assert r["Spend"] <= r["Limit"] * (1 + TOL) + TOL, r["Budget line"]


def test_no_team_over_capacity_beyond_tolerance(run: Run, book) -> None:
    ws = book["Capacity"]
    demand = {r["Team"]: r for r in rows_of(ws, "tbl_Capacity_demand")}
    capacity = {r["Team"]: r for r in rows_of(ws, "tbl_Capacity_capacity")}
    for team in run.portfolio.teams:
        for label, used in demand[team.id].items():
            if label == "Team":
                continue
            ceiling = capacity[team.id][label] * (1 + team.over_allocation)
            assert used <= ceiling + 1e-6, (team.id, label)


def test_dependencies_respected_in_the_dates(run: Run, book) -> None:
    cal = Calendar.from_settings(run.portfolio.settings)
    rows = {r["ID"]: r for r in rows_of(book["Roadmap"], "tbl_Roadmap")}
    done = {i.id for i in run.portfolio.initiatives if i.status.value == "done"}
    checked = 0
    for dep in run.portfolio.dependencies:
        if dep.successor not in rows:
            continue
        assert dep.predecessor in rows or dep.predecessor in done, dep
        if dep.predecessor not in rows:
            continue
        go_live = rows[dep.predecessor]["Go-live"].date()
        start = rows[dep.successor]["Start"].date()
        earliest = cal.start(cal.period_of(go_live) + 1 + dep.lag)
        assert start >= earliest, (dep, start, earliest)
        checked += 1
    assert checked or not run.portfolio.dependencies


def test_exports_written(run: Run, book) -> None:
    xml = run.output.with_suffix(".xml")
    root = SafeET.parse(xml).getroot()
    ns = {"p": "http://schemas.microsoft.com/project"}
    builds = [t for t in root.iter(f"{{{ns['p']}}}Name") if (t.text or "").endswith(" build")]
    assert len(builds) == len(rows_of(book["Roadmap"], "tbl_Roadmap"))
    lines = run.output.with_name(f"{run.output.stem}-milestones.csv").read_text("utf-8-sig")
    assert len(lines.strip().splitlines()) - 1 == len(rows_of(book["Milestones"], "tbl_Milestones"))


def test_second_run_without_force_refuses(run: Run) -> None:
    before = digest(run.output)
    result = CliRunner().invoke(cli, ["plan", str(run.input), "--time-limit", "5"])
    assert result.exit_code != 0
    assert "--force" in result.stderr
    assert digest(run.output) == before


def _edit(src: Path, dst: Path, sheet: str, header: str, value: object, all_rows: bool) -> None:
    wb = load_workbook(src)
    ws = wb[sheet]
    head = [c.value for c in ws[1]]
    col = head.index(header) + 1
    last = ws.max_row if all_rows else 2
    for r in range(2, last + 1):
        if any(ws.cell(row=r, column=c).value is not None for c in (1, 2)):
            ws.cell(row=r, column=col, value=value)
    wb.save(dst)


def test_infeasible_input_exits_3_with_diagnosis(tmp_path: Path) -> None:
    src = tmp_path / "tiny-budget.xlsx"
    _edit(SAMPLES / SAMPLE_NAMES[0], src, "Budget", "Limit", 1000, all_rows=True)
    out = tmp_path / "diag.xlsx"
    result = CliRunner().invoke(cli, ["plan", str(src), "-o", str(out), "--time-limit", "20"])
    assert result.exit_code == 3, result.stderr
    assert "No feasible plan" in result.stderr and "budget" in result.stderr
    assert load_workbook(out).sheetnames == list(DIAGNOSIS_SHEETS)


def test_invalid_input_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "bad.xlsx"
    _edit(SAMPLES / SAMPLE_NAMES[0], src, "Initiatives", "Duration", "three", all_rows=False)
    result = CliRunner().invoke(cli, ["plan", str(src)])
    assert result.exit_code == 2
    assert "Initiatives!F2" in result.stderr
    assert not (tmp_path / "bad-plan.xlsx").exists()


@pytest.fixture
def no_solve(monkeypatch, tmp_path: Path):
    """The CLI with the reader and the optimizer replaced by the hand-made plan (fast)."""
    import roadmap.input.reader as reader
    import roadmap.optimize.milp.plan as milp

    src = tmp_path / "in.xlsx"
    src.write_bytes(b"stand-in")
    state = {"plan": fixture_plan()}
    monkeypatch.setattr(reader, "load_portfolio", lambda path: (state["plan"].portfolio, []))
    monkeypatch.setattr(milp, "solve_plan", lambda portfolio, *a, **kw: state["plan"])
    return src, state


def test_interrupted_write_leaves_no_file(no_solve, monkeypatch) -> None:
    src, _ = no_solve

    def crash(self, filename):
        Path(filename).write_bytes(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", crash)
    result = CliRunner().invoke(cli, ["plan", str(src)])
    assert result.exit_code == 1
    assert sorted(p.name for p in src.parent.iterdir()) == ["in.xlsx"]


def test_time_out_without_plan_exits_4(no_solve) -> None:
    src, state = no_solve
    state["plan"] = replace(
        fixture_plan(), starts={}, report=SolveReport(SolveStatus.NO_SOLUTION, "CBC")
    )
    result = CliRunner().invoke(cli, ["plan", str(src), "--time-limit", "3"])
    assert result.exit_code == 4
    assert "--time-limit" in result.stderr
    assert not src.with_name("in-plan.xlsx").exists()


def test_time_out_with_plan_still_writes(no_solve) -> None:
    src, state = no_solve
    state["plan"] = fixture_plan(SolveStatus.FEASIBLE)
    result = CliRunner().invoke(cli, ["plan", str(src)])
    assert result.exit_code == 0, result.stderr
    assert "time limit" in result.stdout
    assert src.with_name("in-plan.xlsx").exists()


def test_quiet_prints_nothing(no_solve) -> None:
    src, _ = no_solve
    result = CliRunner().invoke(
        cli, ["plan", str(src), "--quiet", "-o", str(src.with_name("q.xlsx"))]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_unknown_scenario_exits_2(no_solve) -> None:
    src, _ = no_solve
    result = CliRunner().invoke(cli, ["plan", str(src), "--scenario", "Moonshot"])
    assert result.exit_code == 2
    assert "Moonshot" in result.stderr
