"""The milestones CSV as its readers open it: the bytes start with UTF-8's byte-order mark (Excel
and LibreOffice's import dialog take the encoding from it), accents survive a round trip through
pandas and through LibreOffice, and the columns match the workbook's Milestones sheet."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.export.csv import HEADERS, write_milestones_csv
from roadmap.plan_facts import plan_facts
from roadmap.report.plan_workbook import build_plan_workbook

BOM = b"\xef\xbb\xbf"
ACCENTED = "Plateforme de données – €, ü, ø"


@pytest.fixture(scope="module")
def facts():
    plan = fixture_plan()
    first = plan.portfolio.initiatives[0]
    renamed = replace(first, name=ACCENTED)
    portfolio = replace(plan.portfolio, initiatives=(renamed, *plan.portfolio.initiatives[1:]))
    return plan_facts(replace(plan, portfolio=portfolio))


def test_the_bytes_start_with_the_bom_and_hold_utf8(facts, tmp_path: Path) -> None:
    data = write_milestones_csv(facts, tmp_path / "m.csv").read_bytes()
    assert data.startswith(BOM) and not data.startswith(BOM * 2)
    assert ACCENTED.encode("utf-8") in data


def test_pandas_reads_the_accents_back(facts, tmp_path: Path) -> None:
    path = write_milestones_csv(facts, tmp_path / "m.csv")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(HEADERS)  # no BOM glued to the first header
    assert ACCENTED in set(frame["Name"])


def test_the_columns_are_the_milestones_sheets(facts, tmp_path: Path) -> None:
    wb = build_plan_workbook(facts.plan, facts=facts)
    ws = wb["Milestones"]
    ref = ws.tables["tbl_Milestones"].ref
    sheet_headers = [c.value for c in next(iter(ws[ref]))]
    assert tuple(sheet_headers) == HEADERS
    assert "Actual date" in HEADERS and "Notes" in HEADERS
    path = write_milestones_csv(facts, tmp_path / "m.csv")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(frame) == len(facts.milestones)
    assert (frame["Actual date"] == "").all() and (frame["Notes"] == "").all()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is needed")
def test_libreoffice_reads_the_accents_back(facts, tmp_path: Path) -> None:
    """LibreOffice imports the file as UTF-8 (what its import dialog picks from the BOM; a
    headless conversion has no dialog and is told, as the README says)."""
    path = write_milestones_csv(facts, tmp_path / "m.csv")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--infilter=CSV:44,34,76",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    ws = load_workbook(tmp_path / "out" / "m.xlsx").active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert tuple(rows[0]) == HEADERS  # the BOM read as the mark it is, not as text
    assert any(ACCENTED in row for row in rows)
