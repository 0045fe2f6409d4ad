"""`roadmap plan --all-scenarios / --split / --marginal`: end to end, the output read back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from roadmap.cli import cli
from roadmap.input.template import example_tables, write_input_workbook
from roadmap.report.plan_workbook import SHEETS, is_legal_sheet_name

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "retail-d2c.xlsx"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    tables, settings = example_tables()
    path = tmp_path / "example.xlsx"
    write_input_workbook(path, tables, settings)
    return path


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_all_scenarios_one_workbook_with_comparison_first(tmp_path: Path) -> None:
    before = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    out = tmp_path / "scenarios.xlsx"
    code, output = _run(
        "plan", SAMPLE, "--all-scenarios", "-o", out, "--time-limit", 15, "--jobs", 2
    )
    assert code == 0, output
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Scenarios"
    # every scenario of the input, plus the base case, gets the full set of plan sheets
    scenarios = {"Base", "Budget cut 20%", "Hire two data engineers", "Benefit haircut 25%"}
    # a short code per scenario names its sheets; the full name is in each sheet's title
    codes = ["Base", "S1", "S2", "S3"]
    for code in codes:
        assert all(is_legal_sheet_name(f"{code} {sheet}") for sheet in SHEETS)
        assert all(f"{code} {sheet}" in wb.sheetnames for sheet in SHEETS), code
    titles = {wb[f"{code} Roadmap"]["A1"].value.split(": ", 1)[-1] for code in codes}
    assert titles == scenarios  # the first four: base and three named scenarios
    links = [
        c.hyperlink.location for row in wb["Scenarios"].iter_rows() for c in row if c.hyperlink
    ]
    summaries = [name for name in wb.sheetnames if name.endswith(" Summary")]
    assert sorted(links) == sorted(f"'{name}'!A1" for name in summaries)
    assert len(summaries) >= len(codes)
    tables = [t for ws in wb.worksheets for t in ws.tables]
    assert len(tables) == len({t.casefold() for t in tables}), "Excel needs unique table names"
    comparison = [c.value for row in wb["Scenarios"].iter_rows() for c in row]
    for name in scenarios:
        assert name in comparison
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == before


def test_split_writes_one_plan_per_scenario(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    code, output = _run("plan", example, "--all-scenarios", "--split", "-o", out, "-q")
    assert code == 0, output
    assert load_workbook(out).sheetnames == ["Scenarios"]
    split = sorted(p.name for p in tmp_path.glob("plan-*.xlsx"))
    assert split == ["plan-base.xlsx", "plan-budget-cut-20.xlsx"]
    assert load_workbook(tmp_path / "plan-base.xlsx").sheetnames == list(SHEETS)
    # a second run refuses before solving, and leaves every file as it was
    stamp = (tmp_path / "plan-base.xlsx").stat().st_mtime_ns
    code, output = _run("plan", example, "--all-scenarios", "--split", "-o", out, "-q")
    assert code != 0 and "already exists" in output
    assert (tmp_path / "plan-base.xlsx").stat().st_mtime_ns == stamp


def test_marginal_sheet_is_added_after_the_plan_sheets(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    code, output = _run("plan", example, "--marginal", "-o", out, "-q")
    assert code == 0, output
    wb = load_workbook(out)
    assert wb.sheetnames == [*SHEETS, "Marginal value"]
    header = next(
        row for row in wb["Marginal value"].iter_rows(values_only=True) if row[0] == "Rank"
    )
    assert "Objective gain" in header


@pytest.mark.parametrize(
    "args, message",
    [
        (["--all-scenarios", "--scenario", "X"], "either --scenario"),
        (["--split"], "--split goes with --all-scenarios"),
        (["--all-scenarios", "--export", "csv"], "plan one case"),
    ],
)
def test_conflicting_options_are_refused(
    example: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    code, output = _run("plan", example, "-o", tmp_path / "p.xlsx", *args)
    assert code == 2
    assert message in output
    assert not (tmp_path / "p.xlsx").exists()
