"""The Summary a CFO puts in a board pack: the portfolio's name as the title, the key figures
first, the solver's side in a small "How this was computed" block, its precision in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import valid_tables, write_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.domain import SolveStatus
from roadmap.input.reader import read_workbook
from roadmap.plan_facts import plan_facts, plan_title, portfolio_name
from roadmap.report.plan_workbook import build_plan_workbook
from roadmap.report.summary import COMPUTED_TITLE, precision

TODAY = date(2027, 6, 1)
KEY_FIGURES = [
    "Portfolio NPV",
    "Spend vs budget",
    "Total spend in the horizon",
    "Total budget in the horizon",
    "IRR (per year)",
    "MIRR (per year)",
    "ROI",
    "Payback date",
    "Initiatives selected",
    "Candidates",
    "Capability gap closed",
]


def named(plan, name: str):
    settings = replace(plan.portfolio.settings, portfolio_name=name)
    return replace(plan, portfolio=replace(plan.portfolio, settings=settings))


def ref_top(ref: str) -> int:
    return int("".join(ch for ch in ref.split(":")[0] if ch.isdigit()))


def figures(ws) -> list[str]:
    ref = ws.tables["tbl_Summary"].ref
    return [row[0].value for row in list(ws[ref])[1:]]


def test_the_title_is_the_portfolios_name_else_the_file_name() -> None:
    plan = fixture_plan()
    assert build_plan_workbook(plan, today=TODAY)["Summary"]["A1"].value == "fixture"
    ws = build_plan_workbook(named(plan, "  Retail   D2C roadmap "), today=TODAY)["Summary"]
    assert ws["A1"].value == "Retail D2C roadmap"
    assert plan_title(named(plan, "Retail D2C roadmap")) == "Roadmap plan: Retail D2C roadmap"
    assert portfolio_name(plan.portfolio) == "fixture"


def test_key_figures_come_first_and_solver_terms_stay_out_of_them() -> None:
    ws = build_plan_workbook(fixture_plan(), today=TODAY)["Summary"]
    shown = figures(ws)
    assert shown[: len(KEY_FIGURES)] == KEY_FIGURES
    assert not any("olver" in f or "bjective" in f or "reedy" in f for f in shown)


def test_a_figure_with_a_wrapped_note_sits_level_with_its_first_line() -> None:
    # a tall row prints its unaligned cells at the foot: the MIRR read one line below its note
    ws = build_plan_workbook(fixture_plan(), today=TODAY)["Summary"]
    ref = ws.tables["tbl_Summary"].ref
    tall = [row for row in list(ws[ref])[1:] if (ws.row_dimensions[row[0].row].height or 15) > 15]
    assert any(row[0].value == "MIRR (per year)" for row in tall)
    for label, value, note in tall:
        assert note.value and note.alignment.wrap_text
        assert (
            label.alignment.vertical == value.alignment.vertical == note.alignment.vertical == "top"
        )
        # and keeps its table's indent, as the rows above it
        assert label.alignment.indent == ws.cell(ref_top(ref) + 1, 1).alignment.indent == 1


def test_the_how_this_was_computed_block_sits_below_the_figures() -> None:
    plan = fixture_plan()
    ws = build_plan_workbook(plan, today=TODAY)["Summary"]
    last = int(ws.tables["tbl_Summary"].ref.split(":")[1].lstrip("ABC"))
    block = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == COMPUTED_TITLE)
    assert block > last
    items = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(block + 1, block + 9)}
    assert items["Precision"] == precision(plan_facts(plan))
    assert items["Best possible (solver's bound)"] == plan.report.bound
    assert items["Solver status"] == "optimal"


@pytest.mark.parametrize(
    ("status", "objective", "bound", "gap", "words"),
    [
        (SolveStatus.OPTIMAL, 1000.0, 1000.0, 0.0, "proven optimal"),
        (SolveStatus.OPTIMAL, 1000.0, 1000.2, 0.0002, "proven optimal"),
        (SolveStatus.OPTIMAL, 1000.0, 1010.0, 0.01, "proven within EUR 10 (1.00%)"),
        (SolveStatus.FEASIBLE, 2_000_000.0, 2_135_599.0, 0.0635, "proven within EUR 135,599"),
        (SolveStatus.FEASIBLE, 1000.0, None, None, "no bound known"),
    ],
)
def test_precision_in_words(status, objective, bound, gap, words) -> None:
    plan = fixture_plan()
    report = replace(plan.report, status=status, objective=objective, bound=bound, gap=gap)
    assert precision(plan_facts(replace(plan, report=report))).startswith(words)


def test_the_portfolio_name_is_read_from_settings(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    settings["portfolio_name"] = "Données & ventes 2027"
    path = write_workbook(tmp_path / "named.xlsx", tables, settings)
    portfolio, findings = read_workbook(path)
    assert portfolio is not None and not findings
    assert portfolio.settings.portfolio_name == "Données & ventes 2027"
    tables, settings = valid_tables()
    path = write_workbook(tmp_path / "plain.xlsx", tables, settings)
    portfolio, _ = read_workbook(path)
    assert portfolio is not None
    assert portfolio.settings.portfolio_name == "" and portfolio_name(portfolio) == "plain"
