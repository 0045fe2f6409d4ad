"""How the written workbooks print, judged from the files themselves (the page setup each sheet
carries): text at 8 pt or more on paper, no text cut by its neighbour, no repeated ID column
beside an unrelated table, no repeated header above a table it does not name, and a Frontier
chart whose axis names the series it plots. The same checks run on the samples' outputs, and
against LibreOffice's own pages, in the slow test_print.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import ScatterChart
from openpyxl.styles import Alignment
from paper import problems, repeated_columns_beside_other_tables, too_small
from plan_fixtures import plan as fixture_plan

from roadmap.analysis.batch import solve_many
from roadmap.analysis.diff import diff_plans
from roadmap.analysis.frontier import frontier
from roadmap.domain import SolveStatus
from roadmap.excel.legibility import (
    MIN_PRINTED,
    clipped_cells,
    column_points,
    page_size,
    printed,
    printed_scale,
)
from roadmap.excel.writing import print_setup, put, save_atomic
from roadmap.input.plan_workbook import read_snapshot
from roadmap.input.scenarios import scale_budgets
from roadmap.input.template import write_input_workbook
from roadmap.optimize.options import SolveOptions
from roadmap.report.diff import diff_workbook
from roadmap.report.frontier import frontier_workbook
from roadmap.report.plan_workbook import (
    build_diagnosis_workbook,
    build_plan_workbook,
    build_scenarios_workbook,
)
from roadmap.report.roi import roi_case, write_roi_workbook
from roadmap.testing.synthetic import synthetic_portfolio

TODAY = date(2027, 6, 1)


def saved(wb: Workbook, path: Path) -> Workbook:
    """The workbook as its reader gets it: through the writer (page furniture, fitting), back
    from the file."""
    save_atomic(wb, path)
    return load_workbook(path)


# --- the estimate itself --------------------------------------------------------------------


def test_a_sheet_fit_one_page_wide_prints_at_page_over_content_width() -> None:
    wb = Workbook()
    ws = wb.active
    for c in range(1, 41):
        put(ws, 1, c, "x")
        ws.column_dimensions[ws.cell(1, c).column_letter].width = 10
    print_setup(ws, header_row=None)
    expected = page_size(ws)[0] / (40 * column_points(10))
    assert printed_scale(ws) == pytest.approx(expected)
    assert printed(ws).smallest_printed == pytest.approx(11 * expected)
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = 55
    assert printed_scale(ws) == pytest.approx(0.55)


def test_text_running_past_its_column_widens_the_printed_page() -> None:
    """LibreOffice prints unwrapped text as far as it runs: the roi Method sheet's conventions,
    written on one line each, shrank it to 2.5 pt."""
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, "Item")
    put(ws, 2, 1, "a convention " * 60)
    print_setup(ws, header_row=None)
    long = printed_scale(ws)
    ws["A2"].alignment = Alignment(wrap_text=True)
    assert long < 0.3 and printed_scale(ws) == 1.0


def test_text_cut_by_its_neighbour_is_found() -> None:
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, "proven distance from the best possible plan")
    put(ws, 1, 2, 0.01)
    assert clipped_cells(ws) == ["A1"]
    ws["B1"] = None
    assert clipped_cells(ws) == []  # it runs on over the empty cell


# --- every workbook the product writes ------------------------------------------------------


@pytest.fixture(scope="module")
def solved():
    """A portfolio the size of a real one (30 initiatives, 8 teams), and a budget cut of it."""
    base = synthetic_portfolio(30, 12, 8, seed=3, budget_share=0.5)
    base = replace(base, source="Ventes & données.xlsx")
    jobs = [("", base), ("Budget cut 20%", scale_budgets(base, 0.8))]
    return solve_many(jobs, SolveOptions(time_limit=10, gap=0.01, why_not=False), jobs_n=1)


@pytest.fixture(scope="module")
def points(solved):
    options = SolveOptions(time_limit=5, gap=0.01, why_not=False)
    return frontier(solved[0].portfolio, steps=3, options=options, jobs_n=1)


@pytest.fixture(scope="module")
def written(solved, points, tmp_path_factory) -> dict[str, Workbook]:
    folder = tmp_path_factory.mktemp("paper")
    base, cut = solved
    books = {
        "plan": saved(build_plan_workbook(base, today=TODAY), folder / "plan.xlsx"),
        "cut": saved(build_plan_workbook(cut, today=TODAY), folder / "cut.xlsx"),
        "scenarios": saved(build_scenarios_workbook(solved), folder / "scenarios.xlsx"),
        "diagnosis": saved(
            build_diagnosis_workbook(
                replace(
                    fixture_plan(),
                    report=replace(fixture_plan().report, status=SolveStatus.INFEASIBLE),
                )
            ),
            folder / "diagnosis.xlsx",
        ),
    }
    diff = diff_plans(read_snapshot(folder / "plan.xlsx"), read_snapshot(folder / "cut.xlsx"))
    books["diff"] = saved(diff_workbook(diff), folder / "diff.xlsx")
    books["frontier"] = saved(frontier_workbook(points), folder / "frontier.xlsx")
    write_roi_workbook(roi_case(base.portfolio), folder / "roi.xlsx")
    books["roi"] = load_workbook(folder / "roi.xlsx")
    template = folder / "template.xlsx"
    write_input_workbook(template, {}, {"plan_start": "2027-01-01"}, overwrite=True)
    books["template"] = load_workbook(template)
    return books


@pytest.mark.parametrize(
    "book", ["plan", "cut", "scenarios", "diagnosis", "diff", "frontier", "roi", "template"]
)
def test_every_sheet_prints_legibly_and_whole(written, book: str) -> None:
    assert problems(written[book]) == []


def test_the_plan_has_sheets_printed_across_with_repeated_columns(written) -> None:
    """So the checks above meet the case they guard: a sheet too wide for one legible page."""
    across = [ws.title for ws in written["plan"].worksheets if ws.print_title_cols]
    assert "Roadmap" in across and len(across) >= 3


def test_accountability_prints_one_table_and_capabilities_carry_the_ownership(written) -> None:
    wb = written["plan"]
    assert list(wb["Accountability"].tables) == ["tbl_Accountability"]
    ws = wb["Capabilities"]
    header = [c.value for c in next(iter(ws[ws.tables["tbl_Capabilities"].ref]))]
    assert header[-2:] == ["Functions lifting it", "Ownership flag"]


def test_the_check_finds_a_table_beside_the_repeated_id_column() -> None:
    """The layout the Accountability sheet had: the ownership table right of the RACI table,
    the sheet printed two pages across with column A repeated."""
    from roadmap.excel.writing import write_table

    wb = Workbook()
    ws = wb.active
    write_table(ws, ["ID", "Name"], [["D2C-01", "x"]], name="RACI", top=1)
    write_table(ws, ["Capability", "Name"], [["CAP-01", "y"]], name="Owners", top=1, left=5)
    ws.print_title_cols = "A:A"
    assert repeated_columns_beside_other_tables(wb) == [
        "Sheet: table tbl_Owners starts right of the repeated columns"
    ]


def test_the_diff_prints_figures_first_and_repeats_only_the_changes_header(written) -> None:
    ws = written["diff"]["Diff"]
    figures = ws.tables["tbl_Diff_figures"].ref
    changes = ws.tables["tbl_Diff"].ref
    assert int(figures.split(":")[0][1:]) < int(changes.split(":")[0][1:])
    repeated = int(str(ws.print_title_rows).replace("$", "").split(":")[0])
    assert repeated == int(changes.split(":")[0][1:])


def test_the_frontier_chart_plots_what_its_axis_names(written, points) -> None:
    ws = written["frontier"]["Frontier"]
    chart = ws._charts[0]
    assert isinstance(chart, ScatterChart)
    axis = "".join(
        r.t for p in chart.y_axis.title.tx.rich.p for r in (p.r or []) if getattr(r, "t", None)
    )
    assert axis.startswith("Portfolio NPV")
    first = chart.series[0]
    # the series' name is its column's header: the NPV column, not the Objective
    title_ref = first.tx.strRef.f.split("!")[1].replace("$", "")
    assert ws[title_ref].value == "NPV"
    data_col = first.yVal.numRef.f.split("!")[1].split(":")[0].replace("$", "")
    assert data_col.rstrip("0123456789") == title_ref.rstrip("0123456789")
    # the portfolio NPV a plan's Summary shows, not the objective (work in progress left out)
    assert [p.npv for p in read_points(ws, title_ref)] == pytest.approx([p.npv for p in points])
    names = [s.tx.v for s in chart.series if s.tx is not None and s.tx.v]
    assert "Current budget" in names


def read_points(ws, title_ref: str):
    from types import SimpleNamespace

    col, row = title_ref.rstrip("0123456789"), int(title_ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    out, r = [], row + 1
    while isinstance(ws[f"{col}{r}"].value, int | float):
        out.append(SimpleNamespace(npv=ws[f"{col}{r}"].value))
        r += 1
    return out


def test_too_small_names_the_sheet_and_cell() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Method"
    put(ws, 1, 1, "x" * 2000)
    print_setup(ws, header_row=None)
    found = too_small(wb)
    assert found and found[0].startswith("Method: 11 pt at A1")
    assert MIN_PRINTED == 8.0


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("D2C-21, D2C-23, D2C-25, D2C-27, D2C-28", 13, 5),  # a word never splits between lines
        ("D2C-21, D2C-23, D2C-25", 16, 2),
        ("short", 10, 1),
        ("a" * 25, 10, 3),  # a word longer than the line breaks where it must
        ("first line\nsecond", 20, 2),
    ],
)
def test_wrapped_lines_break_between_words(text: str, width: int, lines: int) -> None:
    from roadmap.report.layout import wrapped_lines

    assert wrapped_lines(text, width) == lines


def test_a_chart_that_would_straddle_a_page_break_starts_a_new_page() -> None:
    """The risk Summary, let run on past one page, cut its second chart at the page's foot."""
    from openpyxl.chart import LineChart, Reference

    from roadmap.excel.printing import keep_charts_whole

    wb = Workbook()
    ws = wb.active
    for r in range(1, 31):
        put(ws, r, 1, float(r))
    print_setup(ws, header_row=None)
    chart = LineChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=30))
    chart.height = 7.5  # cm: about 14 rows
    ws.add_chart(chart, "C25")  # a page holds about 27 rows of 15 pt at 100 %
    keep_charts_whole(ws, 1.0)
    assert [b.id for b in ws.row_breaks.brk] == [24]
    ws.row_breaks.brk = []
    ws._charts[0].anchor = "C3"
    keep_charts_whole(ws, 1.0)
    assert ws.row_breaks.brk == []  # whole on the first page: no break


def test_pages_break_between_whole_columns() -> None:
    """Three columns of 60 points on pages of 100 take three pages, not two: a page breaks
    between columns, so the zoom that fits them on two is 100/120, not 100/90."""
    from roadmap.excel.legibility import _fit, pages_needed

    sizes = [(1, 60.0), (2, 60.0), (3, 60.0)]
    assert pages_needed(sizes, None, 100.0) == 3
    assert _fit(sizes, None, 100.0, 2) == pytest.approx(100 / 120, abs=1e-6)
    # a repeated first column is printed again on every page after the first
    assert pages_needed([(1, 30.0), (2, 60.0), (3, 60.0)], (1, 1), 100.0) == 2
    assert pages_needed([(1, 50.0), (2, 60.0), (3, 60.0)], (1, 1), 100.0) == 3


def test_a_title_wrapped_in_the_repeated_column_keeps_its_words_whole() -> None:
    """'Not selected' in a 12-character ID column printed 'Not / selecte / d', the last line cut
    by the row: the column widens to hold the title's longest word, the row holds its lines."""
    from roadmap.excel.printing import wrap_within_titles
    from roadmap.excel.writing import TITLE_FONT, write_table

    wb = Workbook()
    ws = wb.active
    ws.title = "Not selected"
    put(ws, 1, 1, "Not selected").font = TITLE_FONT
    write_table(ws, ["ID", "Why not"], [["D2C-04", "x" * 200]], name="NS", top=3)
    ws.column_dimensions["A"].width = 9
    ws.print_title_cols = "A:A"
    assert repeated_columns_beside_other_tables(wb) != []  # as it stood: cut on pages across
    wrap_within_titles(ws, 1.0)
    assert repeated_columns_beside_other_tables(wb) == []
    assert ws.column_dimensions["A"].width > 9
    assert ws.row_dimensions[1].height >= 2 * 14
