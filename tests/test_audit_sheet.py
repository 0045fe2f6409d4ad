"""The Audit sheet: live formulas over the plan's own tables beside the tool's values. Fast
checks read the formulas; the slow ones let LibreOffice recalculate the workbook (headless) and
require every difference to be zero, on the fixture plan and on both samples."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.cli import cli
from roadmap.report.plan_workbook import SHEETS, write_plan_workbook

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TOLERANCE = 1e-6  # currency units, rates and days alike


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_plan_workbook(fixture_plan(), tmp_path_factory.mktemp("audit") / "plan.xlsx")


def _checks(path: Path, data_only: bool) -> dict[str, tuple[object, object, object]]:
    ws = load_workbook(path, data_only=data_only)["Audit"]
    ref = ws.tables["tbl_Audit"].ref
    rows = [[c.value for c in r] for r in ws[ref]][1:]
    return {str(r[0]): (r[1], r[2], r[3]) for r in rows}


def test_the_audit_sheet_holds_formulas_and_every_other_sheet_values(book: Path) -> None:
    wb = load_workbook(book)
    assert wb.sheetnames[-3:] == ["Audit", "Audit periods", "Assumptions"] == list(SHEETS[-3:])
    checks = _checks(book, data_only=False)
    expected = {
        "Initiatives selected",
        "Total cost",
        "Total inflows",
        "ROI",
        "Portfolio NPV (sum of Discounted net)",
        "Portfolio NPV (Excel NPV of the Net column)",
        "Portfolio NPV (sum of the Roadmap's NPV column)",
        "IRR (per year)",
        "MIRR (per year)",
        "Payback date",
        "Discounted payback date",
        "Total spend in the horizon",
    }
    assert expected <= set(checks)
    assert any(label.startswith("Spend vs budget FY") for label in checks)
    for label, (formula, tool, diff) in checks.items():
        assert isinstance(formula, str) and formula.startswith("="), label
        assert not (isinstance(tool, str) and tool.startswith("=")), label
        assert isinstance(diff, str) and diff.startswith("=IF("), label
    npv = checks["Portfolio NPV (Excel NPV of the Net column)"][0]
    assert "'Financials'!" in str(npv) and "NPV(" in str(npv)
    assert "MIRR(" in str(checks["MIRR (per year)"][0])
    assert "'Budget'!" in str(checks["Total spend in the horizon"][0])
    assert "'Roadmap'!" in str(checks["Initiatives selected"][0])
    for name in wb.sheetnames:
        if name in ("Audit", "Audit periods"):
            continue
        for row in wb[name].iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{name}!{cell.coordinate} holds a formula"


def test_the_tools_values_are_the_headline_figures(book: Path) -> None:
    from roadmap.plan_facts import plan_facts

    m = plan_facts(fixture_plan()).headline.metrics
    checks = _checks(book, data_only=False)
    assert checks["Portfolio NPV (sum of Discounted net)"][1] == pytest.approx(m.npv)
    assert checks["IRR (per year)"][1] == pytest.approx(m.irr_annual)
    assert checks["MIRR (per year)"][1] == pytest.approx(m.mirr_annual)
    payback = checks["Payback date"][1]
    assert isinstance(payback, datetime) and payback.date() == m.payback_date


# --- recalculated by LibreOffice ---------------------------------------------------------------

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) recalculates the workbook"
)


def recalculated(path: Path, folder: Path) -> Path:
    """``path`` opened, recalculated and saved again by LibreOffice (headless): formulas that
    openpyxl wrote without values get them."""
    out = folder / "recalculated"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return out / path.name


def assert_reconciles(path: Path, folder: Path) -> dict[str, tuple[object, object, object]]:
    checks = _checks(recalculated(path, folder), data_only=True)
    for label, (formula, tool, diff) in checks.items():
        if tool == "see How":
            continue
        assert formula is not None and not str(formula).startswith("#"), (label, formula)
        if isinstance(tool, (int, float)):
            assert isinstance(formula, (int, float)), (label, formula)
            assert abs(formula - tool) <= TOLERANCE * max(1.0, abs(tool)), (label, formula, tool)
        elif isinstance(tool, (date, datetime)):
            assert formula == tool, (label, formula, tool)
        else:
            assert formula == tool, (label, formula, tool)
        assert diff == 0 or (isinstance(diff, float) and abs(diff) <= TOLERANCE * 1e3), label
    return checks


@pytest.mark.slow
@needs_office
def test_libreoffice_recalculates_the_fixture_with_zero_differences(
    book: Path, tmp_path: Path
) -> None:
    assert_reconciles(book, tmp_path)


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("name", ["retail-d2c", "martech-rationalisation"])
def test_libreoffice_recalculates_the_samples_with_zero_differences(
    name: str, tmp_path: Path
) -> None:
    out = tmp_path / f"{name}-plan.xlsx"
    result = CliRunner().invoke(cli, ["plan", str(SAMPLES / f"{name}.xlsx"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    checks = assert_reconciles(out, tmp_path)
    assert "Payback date" in checks and "MIRR (per year)" in checks
