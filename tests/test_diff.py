"""Plan diff: the pure core on hand-made snapshots, then the workbook reader and the command."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.diff import FigureChange, PlanSnapshot, SnapshotRow, diff_plans

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
