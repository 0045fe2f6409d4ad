"""The committed sample workbooks: reproducible from their generator, valid, and shaped as promised."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from roadmap.cli import cli
from roadmap.domain import PeriodKind, Portfolio, Status

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NAMES = ("retail-d2c.xlsx", "martech-rationalisation.xlsx")


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    subprocess.run(
        [sys.executable, str(SAMPLES / "generate.py"), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


@pytest.mark.parametrize("name", NAMES)
def test_committed_sample_matches_its_generator(regenerated: Path, name: str) -> None:
    committed, fresh = _cells(SAMPLES / name), _cells(regenerated / name)
    assert list(committed) == list(fresh)
    for sheet in committed:
        assert committed[sheet] == fresh[sheet], f"{name}: sheet {sheet} differs; rerun generate.py"


def _portfolio(name: str) -> Portfolio:
    reader = pytest.importorskip("roadmap.input.reader")
    portfolio, findings = reader.read_workbook(SAMPLES / name)
    assert portfolio is not None
    assert [str(f) for f in findings] == []
    return portfolio


@pytest.mark.parametrize("name", NAMES)
def test_sample_validates_cleanly(name: str) -> None:
    pytest.importorskip("roadmap.cli.validate")
    result = CliRunner().invoke(cli, ["validate", str(SAMPLES / name)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def _budget_share(module_name: str) -> float:
    sys.path.insert(0, str(SAMPLES))
    try:
        import generate

        module = generate.SAMPLES[module_name]
        return generate.total_budget(module) / generate.candidate_spend(module)
    finally:
        sys.path.remove(str(SAMPLES))


@pytest.mark.parametrize("name", NAMES)
def test_budgets_cannot_fund_everything(name: str) -> None:
    assert 0.55 <= _budget_share(name) <= 0.70


def _common_shape(p: Portfolio) -> None:
    statuses = Counter(i.status for i in p.initiatives)
    assert statuses[Status.IN_PROGRESS] >= 1 and statuses[Status.DONE] >= 1
    for ini in p.initiatives:
        if ini.status is Status.IN_PROGRESS:
            assert ini.actual_start is not None and ini.actual_start < p.settings.plan_start
    groups = Counter(i.alternative_group for i in p.initiatives if i.alternative_group)
    assert len(groups) >= 2 and all(n >= 2 for n in groups.values())
    bundles = Counter(i.bundle for i in p.initiatives if i.bundle)
    assert bundles and all(n >= 2 for n in bundles.values())
    assert any(i.mandatory for i in p.initiatives)
    assert len(p.scenarios) >= 3
    assert {b.pool for b in p.budgets} >= {i.funding_pool for i in p.initiatives}
    assert p.capacity_changes and p.dependencies and p.criteria and p.scores
    # Plausible figures for the sector.
    assert all(3 <= t.capacity <= 15 for t in p.teams)
    assert all(50_000 <= s.run_cost <= 800_000 for s in p.systems)
    assert all(i.capex <= 3_000_000 for i in p.initiatives)
    retired = {s for i in p.initiatives for s in i.retires}
    assert retired == {s.id for s in p.systems}  # every legacy system has a way out


def _no_successor_needs_two_alternatives(p: Portfolio) -> None:
    """Dependencies on two members of one alternative group would make the successor impossible."""
    group = {i.id: i.alternative_group for i in p.initiatives if i.alternative_group}
    needs: dict[str, list[str]] = {}
    for d in p.dependencies:
        if d.predecessor in group:
            needs.setdefault(d.successor, []).append(group[d.predecessor])
    for successor, groups in needs.items():
        assert len(groups) == len(set(groups)), successor


def test_retail_sample_shape() -> None:
    p = _portfolio("retail-d2c.xlsx")
    s = p.settings
    assert (s.plan_start, s.period, s.horizon) == (date(2027, 1, 1), PeriodKind.QUARTER, 12)
    assert 28 <= len(p.initiatives) <= 35
    assert len(p.capabilities) == 12 and len(p.teams) == 6
    assert {b.pool for b in p.budgets} == {"IT", "MKT"}
    assert any(b.period is not None for b in p.budgets)  # per-period limits too
    assert all(c.weight for c in p.criteria) and p.pairwise is None
    assert any(not c.higher_is_better for c in p.criteria)
    _common_shape(p)
    _no_successor_needs_two_alternatives(p)


def test_martech_sample_shape() -> None:
    p = _portfolio("martech-rationalisation.xlsx")
    s = p.settings
    assert (s.period, s.horizon, s.fiscal_year_start_month) == (PeriodKind.MONTH, 24, 4)
    assert 75 <= len(p.initiatives) <= 85
    assert 8 <= len(p.teams) <= 10 and len(p.capabilities) >= 12
    assert len({sid for i in p.initiatives for sid in i.retires}) >= 10
    assert all(b.fiscal_year is not None or b.period is not None for b in p.budgets)
    assert all(c.weight is None for c in p.criteria)
    assert p.pairwise is not None
    assert set(p.pairwise.criteria) == {c.id for c in p.criteria}
    _common_shape(p)
    _no_successor_needs_two_alternatives(p)


def test_martech_pairwise_is_consistent() -> None:
    p = _portfolio("martech-rationalisation.xlsx")
    assert p.pairwise is not None
    a = np.array(p.pairwise.matrix)
    n = len(a)
    assert np.allclose(a * a.T, 1.0)  # reciprocal
    lambda_max = max(np.linalg.eigvals(a).real)
    random_index = {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32}[n]
    assert (lambda_max - n) / (n - 1) / random_index < 0.1  # Saaty's consistency ratio


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_sample_has_a_feasible_plan(tmp_path: Path, name: str) -> None:
    pytest.importorskip("roadmap.cli.plan")
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(
        cli, ["plan", str(SAMPLES / name), "-o", str(out), "--time-limit", "60", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert out.exists()
