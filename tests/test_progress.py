"""The re-forecast's pure parts: the portfolio re-based at the status date, budgets net of
spend, the status figures. Tiny hand-made cases, checked against hand computation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from progress_fixtures import AS_OF

from roadmap.domain import (
    BudgetLimit,
    CashFlowLine,
    FlowBasis,
    FlowCategory,
    Initiative,
    Portfolio,
    Settings,
    Severity,
    SpendKind,
    Staffing,
    Status,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import cash_flows, start_values
from roadmap.optimize.limits import fte_demand
from roadmap.optimize.windows import start_windows
from roadmap.plan_facts.dates import working_days
from roadmap.progress.budgets import accrued
from roadmap.progress.checks import Reported
from roadmap.progress.model import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
)
from roadmap.progress.rebase import rebase, rebased_start
from roadmap.progress.status import Thresholds, planned_to_date, slip_days, trend

# --- status figures --------------------------------------------------------------------------


def test_slip_in_working_days() -> None:
    assert slip_days(date(2027, 6, 30), date(2027, 6, 30)) == 0
    assert slip_days(date(2027, 6, 25), date(2027, 6, 28)) == 1  # Friday -> Monday
    assert slip_days(date(2027, 6, 28), date(2027, 6, 25)) == -1
    assert slip_days(date(2027, 6, 30), date(2027, 9, 30)) == working_days(
        date(2027, 7, 1), date(2027, 9, 30)
    )
    assert slip_days(None, date(2027, 1, 1)) is None


def test_rag_by_the_stated_thresholds_and_trend() -> None:
    t = Thresholds(amber_slip=5, red_slip=10, amber_overrun=0.02, red_overrun=0.05)
    assert t.rag(5, 0.02) == "Green"  # at the threshold is within it
    assert t.rag(6, 0.0) == "Amber" and t.rag(0, 0.03) == "Amber"
    assert t.rag(11, 0.0) == "Red" and t.rag(0, 0.051) == "Red" and t.rag(-40, None) == "Green"
    assert trend("Green", "Red") == "better" and trend("Red", "Amber") == "worse"
    assert trend("Amber", "Amber") == "same" and trend("Green", "") == ""


def test_planned_to_date_spreads_the_budget_over_the_working_days() -> None:
    start, end = date(2027, 1, 4), date(2027, 1, 15)  # two working weeks
    assert planned_to_date(100.0, start, end, date(2027, 1, 8)) == pytest.approx(50.0)
    assert planned_to_date(100.0, start, end, date(2028, 1, 1)) == pytest.approx(100.0)
    assert planned_to_date(100.0, start, end, date(2026, 1, 1)) == 0.0


# --- the re-based portfolio ------------------------------------------------------------------


def small() -> Portfolio:
    """Quarterly from 2027-01-01 over 8 quarters; one team; X and Y in the plan."""
    settings = Settings(plan_start=date(2027, 1, 1), horizon=8, discount_rate=0.1)
    inis = (
        Initiative("X", "X", duration=4, capex=400_000, one_off_opex=100_000,
                   benefit_saving=400_000, cost_profile=(1, 2, 3, 4), funding_pool="IT"),
        Initiative("Y", "Y", duration=2, capex=100_000, benefit_saving=80_000, run_cost=20_000,
                   funding_pool="IT"),
        Initiative("W", "W", duration=3, capex=60_000, benefit_saving=60_000,
                   status=Status.IN_PROGRESS, actual_start=date(2026, 10, 1)),
    )  # fmt: skip
    return Portfolio(
        settings,
        initiatives=inis,
        teams=(Team("T", capacity=5),),
        staffing=(Staffing("X", "T", 2, (1, 0.5)), Staffing("W", "T", 1)),
        budgets=(
            BudgetLimit(1_000_000, fiscal_year=2027, pool="IT"),
            BudgetLimit(300_000, SpendKind.CAPEX, period=date(2027, 1, 1)),
            BudgetLimit(900_000, SpendKind.OPEX, fiscal_year=2028),
        ),
        source="small.xlsx",
    )


def test_the_re_forecast_starts_at_the_next_period_boundary_and_keeps_the_end() -> None:
    cal = Calendar.from_settings(small().settings)
    assert rebased_start(cal, date(2027, 4, 1)) == 1
    assert rebased_start(cal, date(2027, 4, 2)) == 2
    r = rebase(small(), {}, date(2027, 5, 15))
    assert (r.start, r.portfolio.settings.horizon) == (date(2027, 7, 1), 6)
    assert r.calendar.end(5) == cal.end(7)


def test_work_under_way_becomes_a_choice_to_continue_now_with_what_is_left() -> None:
    """X started 2027-01-04, 50 % complete, 60 working days to go at 2027-04-01: a candidate
    whose only start is the first period, for the periods left and half its budget."""
    rep = {"X": Reported("X", start=date(2027, 1, 4), percent=0.5, spent=300_000.0,
                         remaining_days=60)}  # fmt: skip
    r = rebase(small(), rep, AS_OF)
    x = r.portfolio.initiative_by_id["X"]
    track = r.tracks["X"]
    assert x.status is Status.PROPOSED and track.state == IN_PROGRESS
    # 60 working days from 2027-04-01 end in June: go-live at the end of 2027-Q2
    assert x.duration == track.periods_left == 1 and track.go_live == date(2027, 6, 30)
    assert x.capex + x.one_off_opex == pytest.approx(250_000)  # budget 500k x (1 - 50 %)
    assert x.capex / (x.capex + x.one_off_opex) == pytest.approx(0.8)  # capex share kept
    window = start_windows(r.portfolio, r.calendar)["X"]
    assert (window.earliest, window.latest, window.fixed) == (0, 0, None)
    # the team still works at the remaining phases' intensity (phase 2 of 2 of its profile)
    # half done: the team works at its second phase's intensity (0.5 x 2 FTE)
    (staff,) = r.portfolio.staffing_of("X")
    assert (staff.fte, staff.profile) == (1.0, ())
    assert fte_demand(r.portfolio)[r.portfolio.index["X"], 0, 0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("reported", "left"),
    [
        (Reported("X", start=date(2027, 1, 4), spent=150_000.0), 350_000.0),  # budget - spent
        (Reported("X", start=date(2027, 1, 4)), 500_000.0 * (2 + 3 + 4) / 10),  # as planned
    ],
)
def test_remaining_cost_without_percent_complete(reported: Reported, left: float) -> None:
    x = rebase(small(), {"X": reported}, AS_OF).portfolio.initiative_by_id["X"]
    assert x.capex + x.one_off_opex == pytest.approx(left)
    assert x.duration == 3  # as planned from its actual start: Q1..Q4 2027, 3 periods left


def test_done_work_is_done_and_not_started_work_is_a_candidate_again() -> None:
    rep = {"Y": Reported("Y", start=date(2027, 1, 4), go_live=date(2027, 3, 26), spent=1.0)}
    r = rebase(small(), rep, AS_OF)
    assert r.portfolio.initiative_by_id["Y"].status is Status.DONE
    assert r.tracks["Y"].state == DONE and r.tracks["X"].state == NOT_STARTED
    assert r.portfolio.initiative_by_id["X"] == small().initiative_by_id["X"]


def test_budgets_net_of_spend_and_of_committed_run_costs() -> None:
    """FY2027 IT (1.0m): Y spent 90k evenly over 2027-01-04..2027-04-01, of which the part
    before 2027-04-01 counts; Y's run cost (20k a year) from its go-live is committed. The
    2027-Q1 capex line has passed. FY2028 opex: Y's run cost, 20k."""
    rep = {"Y": Reported("Y", start=date(2027, 1, 4), go_live=date(2027, 3, 26), spent=90_000.0)}
    r = rebase(small(), rep, AS_OF)
    fy27, fy28 = r.portfolio.budgets
    share = working_days(date(2027, 1, 4), date(2027, 3, 31)) / working_days(
        date(2027, 1, 4), AS_OF
    )
    assert fy27.amount == pytest.approx(1_000_000 - 90_000 * share - 3 * 5_000)
    assert fy28.amount == pytest.approx(900_000 - 20_000)
    assert any("2027-Q1 capex: in the past, dropped" in n for n in r.budget_notes)
    assert (
        accrued(100.0, date(2027, 1, 4), date(2027, 1, 15), date(2027, 1, 11), date(2027, 1, 31))
        == 50.0
    )


def test_no_progress_changes_nothing_but_the_calendar() -> None:
    """With nothing reported the re-based portfolio is the input with its start moved (work in
    progress in the input stays as the plan treats it: its forecast is as planned)."""
    p = small()
    r = rebase(p, {}, AS_OF)
    assert r.portfolio.budgets == (p.budgets[0], p.budgets[2])
    for iid in ("X", "Y"):
        assert r.portfolio.initiative_by_id[iid] == p.initiative_by_id[iid]


def _flows_from_zero(portfolio: Portfolio, iid: str, start: int) -> np.ndarray:
    cal = Calendar.from_settings(portfolio.settings)
    cf = cash_flows(portfolio.initiative_by_id[iid], start, cal, portfolio.settings, portfolio)
    return np.stack([cf.capex, cf.opex, cf.run_cost, cf.benefit, cf.other])[:, : cal.horizon]


@pytest.mark.parametrize("explicit", [False, True])
def test_the_choice_to_continue_costs_and_earns_what_the_locked_work_would(explicit: bool) -> None:
    """W (in progress since 2026-10-01, two quarters) continued as the plan runs it (locked at
    its actual start) and as the re-forecast's candidate: the same money from the status date
    on, period by period, the same NPV, the same budget spend and team load. With an explicit
    business case too (Cash flows rows from the start and from the go-live)."""
    from roadmap.money.finance import initiative_metrics

    p = small()
    if explicit:
        rows = (
            CashFlowLine("W", FlowCategory.CAPEX, 50_000, period=1),
            CashFlowLine("W", FlowCategory.CAPEX, 30_000, period=2),
            CashFlowLine("W", FlowCategory.BENEFIT, 60_000, year=1, counted_from=FlowBasis.GO_LIVE),
            CashFlowLine("W", FlowCategory.RUN_COST, 4_000, period=4),
            CashFlowLine("W", FlowCategory.OTHER, -5_000, year=2),
        )
        p = replace(p, cash_flows=rows)
    r = rebase(p, {}, AS_OF)
    locked = replace(p, settings=r.portfolio.settings)  # the plan's own treatment, re-based
    cal = r.calendar
    a = cal.period_of(date(2026, 10, 1))
    assert a == -2 and r.tracks["W"].periods_left == 1
    assert np.allclose(_flows_from_zero(locked, "W", a), _flows_from_zero(r.portfolio, "W", 0))
    before = initiative_metrics(locked, "W", cal, a).npv
    assert initiative_metrics(r.portfolio, "W", cal, 0).npv == pytest.approx(before)
    fixed, choice = start_values(locked, cal), start_values(r.portfolio, cal)
    k, j = locked.index["W"], r.portfolio.index["W"]
    h = cal.horizon
    assert np.allclose(fixed.capex[k, -a : -a + h], choice.capex[j, :h])
    assert np.allclose(fixed.opex[k, -a : -a + h], choice.opex[j, :h])
    load_locked = fte_demand(locked)[k, :, -a:]
    load_choice = fte_demand(r.portfolio)[j, :, : load_locked.shape[1]]
    assert np.allclose(load_locked, load_choice)


def test_a_deadline_that_can_no_longer_be_met_moves_to_the_earliest_finish() -> None:
    """M is mandatory by 2027-09-30 and waits for X (4 quarters), which has not started by
    2027-04-01: no plan can meet the date, so the re-forecast plans M as early as X allows
    (go-live at the end of 2028-Q3) and says so."""
    from roadmap.domain import Dependency

    p = small()
    m = Initiative("M", "M", duration=2, capex=10_000, mandatory=True,
                   must_finish_by=date(2027, 9, 30), row=9)  # fmt: skip
    p = replace(p, initiatives=(*p.initiatives, m), dependencies=(Dependency("X", "M"),))
    r = rebase(p, {}, AS_OF)
    assert r.portfolio.initiative_by_id["M"].must_finish_by == date(2028, 9, 30)
    assert r.deadlines == {"M": date(2028, 9, 30)}  # the next cycle's input gets it
    (w,) = [f for f in r.warnings if "M must finish by 2027-09-30" in f.message]
    assert w.severity is Severity.WARNING and w.location == "Initiatives!9:9"
    window = start_windows(r.portfolio, r.calendar)["M"]
    assert not window.is_empty and window.latest == 4


def test_remaining_days_count_from_the_day_they_were_given() -> None:
    """An MS Project file's RemainingDuration is what was left at its own status date: 80
    working days from 2027-03-01 end in June (go-live end of 2027-Q2), from 2027-04-01 in July
    (end of 2027-Q3)."""
    start = date(2027, 1, 4)
    given = Reported("X", start=start, remaining_days=80, remaining_from=date(2027, 3, 1))
    typed = Reported("X", start=start, remaining_days=80)
    assert rebase(small(), {"X": given}, AS_OF).tracks["X"].go_live == date(2027, 6, 30)
    assert rebase(small(), {"X": typed}, AS_OF).tracks["X"].go_live == date(2027, 9, 30)
