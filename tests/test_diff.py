"""Plan diff: the pure core on hand-made snapshots, then the workbook reader and the command."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.analysis.diff import FigureChange, diff_plans
from roadmap.domain import PlanSnapshot, SnapshotRow
from roadmap.optimize.options import SolveOptions

OLD = PlanSnapshot(
    rows=(
        SnapshotRow("A", "Alpha", date(2027, 1, 1), date(2027, 6, 30)),
        SnapshotRow("B", "Beta", date(2027, 4, 1), date(2027, 9, 30)),
        SnapshotRow("C", "Gamma", date(2027, 7, 1), date(2027, 12, 31)),
    ),
    figures=(("Portfolio NPV", 1000.0), ("Initiatives selected", 3), ("Solver status", "optimal")),
    source="old.xlsx",
)
NEW = PlanSnapshot(
    rows=(
        SnapshotRow("C", "Gamma", date(2027, 10, 1), date(2028, 3, 31)),
        SnapshotRow("A", "Alpha", date(2027, 1, 1), date(2027, 6, 30)),
        SnapshotRow("D", "Delta", date(2028, 1, 1), date(2028, 6, 30)),
    ),
    figures=(("Portfolio NPV", 1250.0), ("Initiatives selected", 3), ("Solver gap", 0.01)),
    source="new.xlsx",
)


def test_added_dropped_moved_unchanged() -> None:
    d = diff_plans(OLD, NEW)
    assert [r.id for r in d.added] == ["D"]
    assert [r.id for r in d.dropped] == ["B"]
    assert [m.id for m in d.moved] == ["C"]
    assert d.moved[0].shift_days == (date(2027, 10, 1) - date(2027, 7, 1)).days
    assert d.moved[0].new_go_live == date(2028, 3, 31)
    assert d.unchanged == ("A",)
    assert not d.is_empty


def test_figures_follow_the_new_order_then_old_only_ones() -> None:
    figures = diff_plans(OLD, NEW).figures
    assert [f.label for f in figures] == [
        "Portfolio NPV",
        "Initiatives selected",
        "Solver gap",
        "Solver status",
    ]
    npv = figures[0]
    assert npv.change == pytest.approx(250.0) and npv.relative == pytest.approx(0.25)
    assert [f.label for f in diff_plans(OLD, NEW).changed_figures] == [
        "Portfolio NPV",
        "Solver gap",
        "Solver status",
    ]


def test_go_live_change_alone_is_a_move() -> None:
    old = PlanSnapshot((SnapshotRow("A", "", date(2027, 1, 1), date(2027, 3, 31)),))
    new = PlanSnapshot((SnapshotRow("A", "", date(2027, 1, 1), date(2027, 6, 30)),))
    d = diff_plans(old, new)
    assert [m.id for m in d.moved] == ["A"] and d.moved[0].shift_days == 0


def test_rounding_noise_is_not_a_change() -> None:
    assert not FigureChange("NPV", 1_000_000.0, 1_000_000.0000000001).changed
    assert FigureChange("NPV", 1_000_000.0, 1_000_001.0).changed
    assert FigureChange("Payback", date(2028, 1, 1), None).changed
    assert FigureChange("Payback", None, None).change is None


rows = st.builds(
    SnapshotRow,
    st.text("ABCDEFG", min_size=1, max_size=3),
    st.text(max_size=5),
    st.one_of(st.none(), st.dates()),
    st.one_of(st.none(), st.dates()),
)
figures = st.lists(
    st.tuples(
        st.text(min_size=1, max_size=8),
        st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=4)),
    ),
    max_size=5,
    unique_by=lambda f: f[0],
)


def _unique(items: list[SnapshotRow]) -> tuple[SnapshotRow, ...]:
    return tuple({r.id: r for r in items}.values())


@given(st.lists(rows, max_size=8), figures)
def test_a_plan_against_itself_is_empty(items: list[SnapshotRow], figs) -> None:
    snap = PlanSnapshot(_unique(items), tuple(figs))
    d = diff_plans(snap, snap)
    assert d.is_empty
    assert d.unchanged == tuple(r.id for r in snap.rows)


@given(st.lists(rows, max_size=8), st.lists(rows, max_size=8))
def test_every_id_is_accounted_for_once(a: list[SnapshotRow], b: list[SnapshotRow]) -> None:
    old, new = PlanSnapshot(_unique(a)), PlanSnapshot(_unique(b))
    d = diff_plans(old, new)
    new_side = [r.id for r in d.added] + [m.id for m in d.moved] + list(d.unchanged)
    assert sorted(new_side) == sorted(r.id for r in new.rows)
    old_side = [r.id for r in d.dropped] + [m.id for m in d.moved] + list(d.unchanged)
    assert sorted(old_side) == sorted(r.id for r in old.rows)


# --- plan workbooks ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    from roadmap.analysis.batch import solve_many
    from roadmap.input.scenarios import scale_budgets
    from roadmap.report.plan_workbook import write_plan_workbook
    from roadmap.testing.synthetic import synthetic_portfolio

    folder = tmp_path_factory.mktemp("plans")
    base = synthetic_portfolio(12, 8, 2, seed=5, budget_share=0.4)
    jobs = [("base", base), ("more", scale_budgets(base, 1.3))]
    plans = solve_many(jobs, SolveOptions(gap=0.0, why_not=False), jobs_n=1)
    paths = []
    for plan in plans:
        path = folder / f"{plan.scenario}.xlsx"
        write_plan_workbook(plan, path, today=date(2027, 1, 1))
        paths.append(path)
    return plans, paths


def test_snapshot_reads_what_the_plan_says(workbooks) -> None:
    from roadmap.input.plan_workbook import read_snapshot
    from roadmap.money.calendar import Calendar
    from roadmap.plan_facts import plan_facts
    from roadmap.plan_facts.dates import period_start

    plans, paths = workbooks
    for plan, path in zip(plans, paths, strict=True):
        snap = read_snapshot(path)
        cal = Calendar.from_settings(plan.portfolio.settings)
        assert {r.id: r.start for r in snap.rows} == {
            i: period_start(cal, t) for i, t in plan.starts.items()
        }
        figures = dict(snap.figures)
        assert figures["Initiatives selected"] == len(plan.starts)
        # the key figures only: the solver's side is a block of its own, not a plan figure
        assert figures["Portfolio NPV"] == pytest.approx(plan_facts(plan).headline.metrics.npv)
        assert "Solver status" not in figures and "Solver gap" not in figures


def test_workbook_diff_matches_the_plans(workbooks) -> None:
    from roadmap.input.plan_workbook import read_snapshot

    (old, new), (old_path, new_path) = workbooks
    d = diff_plans(read_snapshot(old_path), read_snapshot(new_path))
    assert {r.id for r in d.added} == set(new.starts) - set(old.starts)
    assert {r.id for r in d.dropped} == set(old.starts) - set(new.starts)
    both = set(old.starts) & set(new.starts)
    assert {m.id for m in d.moved} == {i for i in both if old.starts[i] != new.starts[i]}
    assert d.added and d.dropped and d.moved  # else this test would prove little


def test_diff_command(workbooks, tmp_path) -> None:
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from roadmap.cli import cli

    _, (old_path, new_path) = workbooks
    runner = CliRunner()
    same = runner.invoke(cli, ["diff", str(old_path), str(old_path)])
    assert same.exit_code == 0 and "No differences" in same.output
    out = tmp_path / "diff.xlsx"
    result = runner.invoke(cli, ["diff", str(old_path), str(new_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Portfolio NPV" in result.output
    assert load_workbook(out).sheetnames == ["Diff"]
    again = runner.invoke(cli, ["diff", str(old_path), str(new_path), "-o", str(out)])
    assert again.exit_code != 0 and "--force" in again.output


def test_bad_files_exit_2(workbooks, valid_workbook, tmp_path) -> None:
    from click.testing import CliRunner

    from roadmap.cli import cli

    _, (old_path, _) = workbooks
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    runner = CliRunner()
    for bad in (valid_workbook, text, tmp_path / "missing.xlsx"):
        result = runner.invoke(cli, ["diff", str(old_path), str(bad)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    result = runner.invoke(cli, ["diff", str(valid_workbook), str(old_path)])
    assert "not a plan workbook" in result.output


def test_headers_are_found_by_name_in_any_order(tmp_path) -> None:
    from openpyxl import Workbook

    from roadmap.input.plan_workbook import read_snapshot

    wb = Workbook()
    ws = wb.active
    ws.title = "Roadmap"
    ws.append(["My own title"])
    ws.append([])
    ws.append(["Go-live", "Notes", "start", "Name", "id"])
    ws.append([date(2027, 6, 30), "x", date(2027, 1, 1), "Alpha", "A"])
    ws.append([None, None, None, None, None])
    ws.append(["2027-12-31", "", "2027-07-01", "Beta", "B"])
    summary = wb.create_sheet("Summary")
    summary.append(["Value", "Figure"])
    summary.append([12.5, "Portfolio NPV"])
    summary.append(["n/a", "Payback date"])
    wb.save(tmp_path / "p.xlsx")
    snap = read_snapshot(tmp_path / "p.xlsx")
    assert snap.rows == (
        SnapshotRow("A", "Alpha", date(2027, 1, 1), date(2027, 6, 30)),
        SnapshotRow("B", "Beta", date(2027, 7, 1), date(2027, 12, 31)),
    )
    assert snap.figures == (("Portfolio NPV", 12.5), ("Payback date", None))


def test_a_plan_that_could_not_be_found_reads_as_empty(workbooks, tmp_path) -> None:
    from roadmap.input.plan_workbook import read_snapshot
    from roadmap.input.scenarios import scale_budgets
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.report.plan_workbook import write_plan_workbook

    plans, (old_path, _) = workbooks
    broke = solve_plan(
        scale_budgets(plans[0].portfolio, 0.1), SolveOptions(threads=1, why_not=False)
    )
    assert not broke.report.status.has_plan
    path = tmp_path / "none.xlsx"
    write_plan_workbook(broke, path)
    snap = read_snapshot(path)
    assert snap.rows == ()
    d = diff_plans(read_snapshot(old_path), snap)
    assert {r.id for r in d.dropped} == set(plans[0].starts)


def test_diff_workbook_formats_each_figure_as_the_plan_does(workbooks, tmp_path) -> None:
    """Counts as whole numbers, money with the currency and no cents, percentage changes in
    percentage points; read back from the saved Diff sheet."""
    from openpyxl import load_workbook

    from roadmap.input.plan_workbook import read_snapshot
    from roadmap.report.diff import PP, diff_workbook

    _, (old_path, new_path) = workbooks
    d = diff_plans(read_snapshot(old_path), read_snapshot(new_path))
    diff_workbook(d).save(tmp_path / "d.xlsx")
    ws = load_workbook(tmp_path / "d.xlsx")["Diff"]
    ref = ws.tables["tbl_Diff_figures"].ref
    body = list(ws[ref])[1:]
    cells = {row[0].value: row for row in body}
    count = cells["Initiatives selected"]
    assert count[1].number_format == "#,##0" and count[3].number_format.startswith("+#,##0")
    npv = cells["Portfolio NPV"]
    assert "€" in npv[1].number_format and "." not in npv[1].number_format
    share = cells["Spend vs budget"]
    assert "%" in share[1].number_format and share[3].number_format == PP
    change = d.figures[[f.label for f in d.figures].index("Spend vs budget")].change
    if change is not None:
        assert share[3].value == pytest.approx(change * 100)  # points, not a fraction
        assert share[4].value is None  # no relative change of a percentage
    for letter in "ABCDEFGH":  # no 43-character column
        assert (ws.column_dimensions[letter].width or 0) <= 34
