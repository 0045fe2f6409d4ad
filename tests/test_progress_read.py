"""The plan workbook's PMO columns: marked, validated, inside the Roadmap table, read back
with their cells; unreadable entries named; `roadmap progress` echoes what it read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.app.progress import read_progress
from roadmap.errors import InputError
from roadmap.progress.model import (
    PMO_HEADERS,
)
from roadmap.report.plan_workbook import build_plan_workbook

# --- the plan workbook's PMO columns, read back ---------------------------------------------


@pytest.fixture
def plan_book(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    build_plan_workbook(fixture_plan()).save(path)
    return path


def _roadmap(ws):
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "ID")
    cols = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(head + 1, ws.max_row + 1)}
    return head, cols, rows


def test_the_pmo_columns_are_marked_validated_and_inside_the_table(plan_book: Path) -> None:
    wb = load_workbook(plan_book)
    ws = wb["Roadmap"]
    head, cols, rows = _roadmap(ws)
    assert list(cols)[-len(PMO_HEADERS) :] == list(PMO_HEADERS)
    table = ws.tables["tbl_Roadmap"]
    last = table.ref.split(":")[1]
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    assert column_index_from_string(coordinate_from_string(last)[0]) == max(cols.values())
    for header in PMO_HEADERS:
        cell = ws.cell(head, cols[header])
        assert cell.fill.fgColor.rgb.endswith("C65911")  # the PMO's orange
        assert cell.comment is not None and "For the PMO" in cell.comment.text
    from openpyxl.utils import get_column_letter

    validated = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
        for dv in ws.data_validations.dataValidation
    }
    rag = validated[get_column_letter(cols["RAG"])]
    assert rag.type == "list" and "Green,Amber,Red" in rag.formula1
    assert validated[get_column_letter(cols["% complete"])].formula2 == "1"
    # work in progress when the plan was made: its actual start is filled in already
    assert ws.cell(rows["C"], cols["Actual start"]).value.date() == date(2026, 10, 1)


def test_pmo_entries_read_back_with_their_cells(plan_book: Path, tmp_path: Path) -> None:
    wb = load_workbook(plan_book)
    ws = wb["Roadmap"]
    _, cols, rows = _roadmap(ws)
    ws.cell(rows["A"], cols["% complete"]).value = 0.25
    ws.cell(rows["A"], cols["Actual start"]).value = date(2027, 1, 5)
    ws.cell(rows["A"], cols["Spent to date"]).value = "€120k"
    ws.cell(rows["A"], cols["Remaining (working days)"]).value = 44
    ws.cell(rows["A"], cols["RAG"]).value = "amber"
    ws.cell(rows["A"], cols["PMO comment"]).value = "late vendor"
    ws.cell(rows["B"], cols["% complete"]).value = 30  # typed as percent points, no % format
    ws.cell(rows["B"], cols["% complete"]).number_format = "General"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    rep = read_progress(edited)
    a = rep.initiative("A")
    assert (a.percent, a.start, a.spent, a.remaining_days, a.rag, a.comment) == (
        0.25, date(2027, 1, 5), 120_000.0, 44, "amber", "late vendor"
    )  # fmt: skip
    assert rep.initiative("B").percent == pytest.approx(0.3)
    from openpyxl.utils import get_column_letter

    spent = get_column_letter(cols["Spent to date"])
    assert a.place.finding("Spent to date", "x", "y").location == f"Roadmap!{spent}{rows['A']}"
    assert rep.selected == {"A", "B", "C"} and rep.not_selected == {"E"}
    assert rep.baseline["B"].start == date(2027, 7, 1)
    assert rep.predecessors["B"] == ("A",)
    stones = {(m.initiative, m.kind): m for m in rep.milestones}
    assert stones[("C", "Kick-off")].done  # before the plan start: done when planned
    assert rep.plan_start == date(2027, 1, 1) and rep.plan_end == date(2028, 12, 31)


@pytest.mark.parametrize(
    ("header", "value", "words"),
    [
        ("Actual start", "next week", "is not a date"),
        ("Spent to date", -5, "below zero"),
        ("Remaining (working days)", 2.5, "whole number"),
        ("% complete", "lots", "not a number"),
    ],
)
def test_unreadable_pmo_cells_are_named(plan_book: Path, tmp_path: Path, header, value, words):
    wb = load_workbook(plan_book)
    ws = wb["Roadmap"]
    _, cols, rows = _roadmap(ws)
    ws.cell(rows["A"], cols[header]).value = value
    edited = tmp_path / "bad.xlsx"
    wb.save(edited)
    with pytest.raises(InputError) as caught:
        read_progress(edited)
    from openpyxl.utils import get_column_letter

    (f,) = caught.value.findings
    assert f.location == f"Roadmap!{get_column_letter(cols[header])}{rows['A']}"
    assert words in f.message + f.fix


def test_progress_command_echoes_what_it_read(plan_book: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from roadmap.cli import cli

    wb = load_workbook(plan_book)
    ws = wb["Roadmap"]
    _, cols, rows = _roadmap(ws)
    ws.cell(rows["A"], cols["Actual start"]).value = date(2027, 1, 5)
    ws.cell(rows["A"], cols["% complete"]).value = 0.4
    ws.cell(rows["A"], cols["Spent to date"]).value = 100_000
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    before = edited.read_bytes()
    result = CliRunner().invoke(cli, ["progress", str(edited), "--as-of", "2027-04-01"])
    assert result.exit_code == 0, result.output
    assert (
        "A            in progress; started 2027-01-05; 40% complete; spent 100,000" in result.output
    )
    assert "No progress reported for 1: B" in result.output
    assert edited.read_bytes() == before
    ws.cell(rows["A"], cols["Actual start"]).value = date(2027, 5, 5)
    wb.save(edited)
    result = CliRunner().invoke(cli, ["progress", str(edited), "--as-of", "2027-04-01"])
    from openpyxl.utils import get_column_letter

    assert result.exit_code == 2
    assert f"Roadmap!{get_column_letter(cols['Actual start'])}{rows['A']}" in result.stderr
    assert "after the status date 2027-04-01" in result.stderr
