"""The date rule: plan dates are working days, and every output shows the same ones."""

import csv
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan
from test_plan_workbook import table_rows

from roadmap.export.csv import write_milestones_csv
from roadmap.money.calendar import Calendar
from roadmap.plan_facts import plan_facts
from roadmap.plan_facts.dates import (
    is_working_day,
    nth_working_day,
    on_or_after,
    on_or_before,
    period_end,
    period_start,
    share_of,
    working_days,
)
from roadmap.report.plan_workbook import build_plan_workbook

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


@given(days)
def test_snapping_lands_on_the_nearest_working_day(day: date) -> None:
    after, before = on_or_after(day), on_or_before(day)
    assert is_working_day(after) and is_working_day(before)
    assert 0 <= (after - day).days <= 2 and 0 <= (day - before).days <= 2
    assert all(not is_working_day(day + timedelta(k)) for k in range((after - day).days))
    if is_working_day(day):
        assert after == before == day


@given(days, st.integers(min_value=1, max_value=300))
def test_nth_working_day_counts_working_days(first: date, n: int) -> None:
    day = nth_working_day(first, n)
    assert is_working_day(day)
    assert working_days(first, day) == n


@given(days, st.integers(min_value=1, max_value=400), st.floats(min_value=0.01, max_value=1))
def test_share_of_the_working_days(first: date, length: int, share: float) -> None:
    last = first + timedelta(days=length)
    first, last = on_or_after(first), on_or_before(last)
    if last < first:
        return
    day = share_of(first, last, share)
    assert first <= day <= last and is_working_day(day)


@pytest.mark.parametrize("start", [date(2028, 7, 1), date(2027, 1, 1), date(2026, 2, 1)])
def test_period_bounds_are_working_days_in_the_period(start: date) -> None:
    from roadmap.domain import PeriodKind

    for kind in PeriodKind:
        cal = Calendar(start, kind, 16)
        for t in range(-2, 16):
            first, last = period_start(cal, t), period_end(cal, t)
            assert is_working_day(first) and is_working_day(last)
            assert cal.period_of(first) == t == cal.period_of(last)
            assert (first - cal.start(t)).days <= 2 and (cal.end(t) - last).days <= 2


def weekend_plan():
    """The fixture plan moved to a calendar whose periods start on a Saturday and end on a
    Saturday or Sunday (2028-07-01, 2028-09-30, 2028-12-31 ...)."""
    plan = fixture_plan()
    p = plan.portfolio
    settings = replace(p.settings, plan_start=date(2028, 7, 1))
    return replace(plan, portfolio=replace(p, settings=settings))


def test_no_plan_date_falls_on_a_weekend() -> None:
    facts = plan_facts(weekend_plan())
    assert facts.milestones
    for m in facts.milestones:
        assert is_working_day(m.when), m
        assert facts.calendar.period_of(m.when) == m.period
    for row in facts.schedule:
        assert all(is_working_day(d) for d in (row.kickoff, row.go_live, row.end))
        assert row.kickoff == period_start(facts.calendar, row.start)
        assert row.go_live == period_end(facts.calendar, row.go_live_period)


def test_workbook_and_csv_show_the_same_dates(tmp_path) -> None:
    plan = weekend_plan()
    facts = plan_facts(plan)
    build_plan_workbook(plan, today=date(2028, 8, 1), facts=facts).save(tmp_path / "p.xlsx")
    wb = load_workbook(tmp_path / "p.xlsx")
    sheet = [
        (r["Initiative"], r["Milestone"], r["Date"].date())
        for r in table_rows(wb["Milestones"], "tbl_Milestones")
    ]
    path = write_milestones_csv(facts, tmp_path / "m.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    flat = [(r["Initiative"], r["Milestone"], date.fromisoformat(r["Date"])) for r in rows]
    assert sheet == flat == [(m.initiative, m.kind, m.when) for m in facts.milestones]
    roadmap = {r["ID"]: r for r in table_rows(wb["Roadmap"], "tbl_Roadmap")}
    go_lives = {(i, d) for i, k, d in flat if k == "Go-live"}
    assert go_lives == {(i, r["Go-live"].date()) for i, r in roadmap.items()}
    kickoffs = {(i, d) for i, k, d in flat if k == "Kick-off"}
    assert kickoffs == {(i, r["Start"].date()) for i, r in roadmap.items()}
