"""``roadmap validate`` on hundreds of malformed inputs: a message and exit code 0 or 2, never a
traceback, and the input file left byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import valid_tables, write_workbook
from corpus import Case, all_cases, load_draft, make_case, sample

from roadmap.cli import cli

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
