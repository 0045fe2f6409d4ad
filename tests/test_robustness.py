"""``roadmap validate`` on hundreds of malformed inputs: a message and exit code 0 or 2, never a
traceback, and the input file left byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import valid_tables, write_workbook
from corpus import Case, all_cases, load_draft, make_case, sample

from roadmap.cli import cli
from roadmap.domain import Severity
from roadmap.errors import InputError
from roadmap.input.reader import read_workbook
from roadmap.input.schema import SHEET_BY_NAME

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEFAULT_CASES = 200  # of the fixture's ~1,900 mutations (every file-level case included)
SAMPLE_CASES = 20  # per sample workbook, in the default run
ROADMAP = [
    sys.executable,
    "-c",
    "from roadmap.cli import main; main()",
]  # per sample workbook, in the default run


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _problem(result_code: int, output: str, before: str, after: str) -> str | None:
    if result_code not in (0, 2):
        return f"exit code {result_code}"
    if "Traceback" in output:
        return "traceback"
    if not output.strip():
        return "no message"
    if before != after:
        return "input file changed"
    return None


def _run_cases(base: Path, cases: list[Case], folder: Path) -> tuple[list[str], dict[int, int]]:
    draft = load_draft(base)
    runner = CliRunner()
    failures: list[str] = []
    exits: dict[int, int] = {}
    for k, case in enumerate(cases):
        path = make_case(base, case, folder / str(k), draft)
        before = _digest(path) if path.is_file() else ""
        result = runner.invoke(cli, ["validate", str(path)])
        exits[result.exit_code] = exits.get(result.exit_code, 0) + 1
        after = _digest(path) if path.is_file() else ""
        problem = _problem(result.exit_code, result.output, before, after)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            problem = f"raised {type(result.exception).__name__}: {result.exception}"
        if problem:
            failures.append(f"{case.name}: {problem}\n{result.output[-400:]}")
    return failures, exits


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tables, settings = valid_tables()
    return write_workbook(tmp_path_factory.mktemp("base") / "base.xlsx", tables, settings)


def test_corpus_is_large_and_varied(base: Path) -> None:
    cases = all_cases(base)
    assert len(cases) >= 1000
    kinds = {c.name.rsplit("/", 1)[-1] for c in cases}
    for kind in (
        "drop-sheet",
        "drop-column",
        "garbage",
        "huge",
        "negative",
        "unicode",
        "formula-text",
        "rename-header",
        "swap-columns",
        "date-garbage",
        "formula-no-value",
        "merge-down",
        "duplicate-first-row",
        "cycle",
        "xls",
        "csv",
        "merged-header",
        "far-column",
        "blank-gap",
        "unit-header",
        "misspelt-header",
        "compact-date",
        "million",
        "negative-profile",
        "repeated-row",
        "strict-open-xml",
        "under-declared-size",
    ):
        assert kind in kinds, kind
    assert sum(" + " in c.name for c in cases) >= 100  # pairs of mutations


def test_seeded_corpus_never_crashes(base: Path, tmp_path: Path) -> None:
    cases = sample(all_cases(base), DEFAULT_CASES, seed=20270101)
    assert len(cases) >= 200
    failures, exits = _run_cases(base, cases, tmp_path)
    assert not failures, "\n\n".join(failures[:10])
    # The corpus must exercise both outcomes, or it is not testing much.
    assert exits.get(2, 0) > 50 and exits.get(0, 0) > 10, exits


@pytest.mark.parametrize("sample_path", sorted(SAMPLES.glob("*.xlsx")), ids=lambda p: p.stem)
def test_sample_mutations_never_crash(sample_path: Path, tmp_path: Path) -> None:
    cases = sample(all_cases(sample_path), SAMPLE_CASES, seed=7)
    failures, _ = _run_cases(sample_path, cases, tmp_path)
    assert not failures, "\n\n".join(failures[:10])


@pytest.mark.slow
def test_full_corpus_never_crashes(base: Path, tmp_path: Path) -> None:
    bases = [base, *sorted(SAMPLES.glob("*.xlsx"))]
    failures: list[str] = []
    for k, b in enumerate(bases):
        failures += _run_cases(b, all_cases(b), tmp_path / str(k))[0]
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:10])


@pytest.mark.parametrize(
    "name", ["file/xls", "file/truncated", "Initiatives/drop-sheet", "Initiatives/ID/garbage"]
)
def test_real_process_exits_cleanly(base: Path, tmp_path: Path, name: str) -> None:
    (case,) = [c for c in all_cases(base) if c.name == name]
    path = make_case(base, case, tmp_path)
    before = _digest(path)
    proc = subprocess.run(
        [*ROADMAP, "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output and output.strip()
    assert _digest(path) == before


def test_real_process_valid_file(base: Path) -> None:
    proc = subprocess.run(
        [*ROADMAP, "validate", str(base), "--strict"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "is valid" in proc.stdout


# --- layouts that must read exactly as the base workbook ----------------------------------------

_SAME_READING = ("far-column", "blank-gap", "unit-header", "file/strict-open-xml")


def _same_reading_cases(base: Path) -> list[Case]:
    out = []
    for case in all_cases(base, combos=0):
        kind = case.name.rsplit("/", 1)[-1]
        if case.name not in _SAME_READING and kind not in _SAME_READING:
            continue
        sheet = SHEET_BY_NAME.get(case.name.split("/", 1)[0])
        if kind == "unit-header" and sheet is not None and sheet.wide:
            header = case.name.split("/")[1]
            if header not in {c.header for c in sheet.columns}:
                continue  # a criterion column: its header is its criterion id
        out.append(case)
    return out


def test_layout_changes_read_the_very_same_portfolio(base: Path, tmp_path: Path) -> None:
    """Far columns, rows past long gaps, units in headers and Strict Open XML change nothing."""
    expected, _ = read_workbook(base)
    assert expected is not None
    cases = _same_reading_cases(base)
    assert len(cases) > 60
    draft = load_draft(base)
    wrong = []
    for k, case in enumerate(cases):
        portfolio, findings = read_workbook(make_case(base, case, tmp_path / str(k), draft))
        errors = [str(f) for f in findings if f.severity is Severity.ERROR]
        if portfolio is not None:
            portfolio = replace(portfolio, source=expected.source)
        if errors or portfolio != expected:
            wrong.append(f"{case.name}: {errors or 'a different portfolio'}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Initiatives/merged-header", "merged-header"),
        ("Budget/merged-header", "merged-header"),
        ("Initiatives/Capex/misspelt-header", "misnamed-column"),
        ("Initiatives/Run cost per year/misspelt-header", "misnamed-column"),
        ("Initiatives/Cost profile/negative-profile", "bad-profile"),
        ("Initiatives/Duration/million", "duration-too-short"),
        ("Initiatives/Useful life/million", "out-of-range"),
        ("Dependencies/Lag/million", "out-of-range"),
        ("Settings/Value/year-9999", "out-of-range"),
        ("Initiatives/Earliest start/excel-error", "wrong-type"),
        ("Initiatives/Earliest start/compact-date", "date-as-number"),
        ("Dependencies/repeated-row", "duplicate-dependency"),
    ],
)
def test_each_new_class_is_reported_with_its_code(
    base: Path, tmp_path: Path, name: str, code: str
) -> None:
    (case,) = [c for c in all_cases(base, combos=0) if c.name == name]
    _, findings = read_workbook(make_case(base, case, tmp_path))
    assert code in {f.code for f in findings}, [str(f) for f in findings]
    (f,) = [f for f in findings if f.code == code]
    assert f.row is not None and (f.column or f.sheet == "Settings")


def test_a_zip_that_under_declares_a_size_is_refused(base: Path, tmp_path: Path) -> None:
    (case,) = [c for c in all_cases(base, combos=0) if c.name == "file/under-declared-size"]
    with pytest.raises(InputError, match="more data than its zip headers declare"):
        read_workbook(make_case(base, case, tmp_path))
