from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_fixtures import plan as fixture_plan

from roadmap.domain import SpendKind
from roadmap.money.finance import cash_flows, plan_metrics
from roadmap.money.profiles import fte_by_period
from roadmap.plan_facts import (
    MILESTONE_KINDS,
    calendar_of,
    capability_facts,
    milestones,
    not_selected,
    ownership_checks,
    plan_facts,
    responsibility,
    schedule,
)


@pytest.fixture(scope="module")
def facts():
    return plan_facts(fixture_plan())


def test_schedule_dates_follow_the_calendar(facts) -> None:
    cal = facts.calendar
    assert {r.initiative.id for r in facts.schedule} == set(facts.plan.starts)
    for r in facts.schedule:
        d, ramp = r.initiative.duration, r.initiative.ramp_up
        assert r.kickoff == cal.start(r.start)
        assert r.go_live == cal.end(r.start + d - 1)
        assert r.end == cal.end(r.start + d - 1 + ramp)
        assert r.kickoff < r.go_live <= r.end


def test_five_milestones_per_initiative_in_order(facts) -> None:
    by_ini: dict[str, list] = {}
    for m in facts.milestones:
        by_ini.setdefault(m.initiative, []).append(m)
    assert set(by_ini) == set(facts.plan.starts)
    rows = {r.initiative.id: r for r in facts.schedule}
    for iid, ms in by_ini.items():
        ms.sort(key=lambda m: MILESTONE_KINDS.index(m.kind))
        assert [m.kind for m in ms] == list(MILESTONE_KINDS)
        dates = [m.when for m in ms]
        assert dates == sorted(dates)
        assert ms[0].when == rows[iid].kickoff and ms[3].when == rows[iid].go_live
        for m in ms:
            assert facts.calendar.start(m.period) <= m.when <= facts.calendar.end(m.period)
    whens = [m.when for m in facts.milestones]
    assert whens == sorted(whens)


@settings(max_examples=40, deadline=None)
@given(a=st.integers(0, 6), gap=st.integers(0, 3))
def test_milestones_hold_for_any_start(a: int, gap: int) -> None:
    plan = replace(fixture_plan(), starts={"A": a, "B": a + 2 + gap, "C": -1})
    stones = milestones(plan)
    for r in schedule(plan):
        ms = {m.kind: m.when for m in stones if m.initiative == r.initiative.id}
        assert set(ms) == set(MILESTONE_KINDS)
        assert ms["Kick-off"] == r.kickoff and ms["Go-live"] == r.go_live
        assert r.kickoff <= ms["Design sign-off"] <= ms["Build complete"] <= r.go_live
        assert ms["Benefits review"] > r.end >= r.go_live


def test_period_spend_matches_finance_cash_flows(facts) -> None:
    plan, cal = facts.plan, facts.calendar
    expected = np.zeros(cal.horizon)
    for iid, s in plan.starts.items():
        cf = cash_flows(
            plan.portfolio.initiative_by_id[iid], s, cal, plan.portfolio.settings, plan.portfolio
        )
        expected += (cf.capex + cf.opex + cf.run_cost)[: cal.horizon]
    got = np.array([p.total for p in facts.periods])
    assert np.allclose(got, expected)
    assert sum(y.total for y in facts.years) == pytest.approx(sum(p.total for p in facts.periods))
    assert facts.headline.spend == pytest.approx(float(expected.sum()))


def test_limit_use_sums_its_periods(facts) -> None:
    totals = {p.label: p.total for p in facts.periods}
    for use in facts.limits:
        if use.kind is SpendKind.TOTAL and use.pool is None:
            assert use.spend == pytest.approx(sum(totals[label] for label in use.periods))
        assert use.headroom == pytest.approx(use.limit - use.spend)


def test_budget_total_uses_fiscal_year_limits(facts) -> None:
    budgets = facts.plan.portfolio.budgets
    years = sum(b.amount for b in budgets if b.fiscal_year and b.pool is None)
    assert facts.headline.budget == pytest.approx(years)


def test_capacity_demand_from_staffing(facts) -> None:
    plan, cap = facts.plan, facts.capacity
    expected = np.zeros_like(cap.demand)
    teams = list(cap.teams)
    for s in plan.portfolio.staffing:
        if s.initiative not in plan.starts:
            continue
        ini = plan.portfolio.initiative_by_id[s.initiative]
        for k, fte in enumerate(fte_by_period(s.fte, s.profile, ini.duration)):
            t = plan.starts[s.initiative] + k
            if 0 <= t < len(cap.labels):
                expected[teams.index(s.team), t] += fte
    assert np.allclose(cap.demand, expected)
    assert np.allclose(cap.utilisation, expected / cap.capacity)


def test_capability_maturity_and_date_reached() -> None:
    plan = fixture_plan()
    cal = calendar_of(plan)
    rows = {r.initiative.id: r for r in schedule(plan, cal)}
    facts = {c.id: c for c in capability_facts(plan, cal)}
    for cap in plan.portfolio.capabilities:
        lifts = sum(
            li.amount
            for iid in plan.starts
            for li in plan.portfolio.initiative_by_id[iid].lifts
            if li.capability == cap.id and rows[iid].live_in_horizon
        )
        assert facts[cap.id].after == pytest.approx(min(5.0, cap.current + lifts))
    cap1 = facts["CAP-1"]
    # A alone (+1) leaves CAP-1 short of its target; B's go-live closes it
    assert cap1.reached == rows["B"].go_live
    assert facts["CAP-2"].reached is None and facts["CAP-2"].gap_closed == pytest.approx(0.5)
    assert facts["CAP-3"].gap_closed is None


def test_accountability_marks_and_ownership_flags() -> None:
    plan = fixture_plan()
    marks = responsibility(plan)
    assert marks["A"] == {"DATA": "A/R", "WEB": "R"}
    assert marks["C"] == {"DATA": "R", "WEB": "A"}
    flags = {o.capability: o.flag for o in ownership_checks(plan)}
    assert "different functions" in flags["CAP-1"]
    assert "more than one function" in flags["CAP-2"]
    assert "no owning function" in flags["CAP-3"]


def test_cash_rows_recompute_npv(facts) -> None:
    plan = facts.plan
    m = plan_metrics(plan.portfolio, plan.starts, facts.calendar)
    assert sum(c.discounted for c in facts.cash) == pytest.approx(m.npv)
    assert facts.headline.metrics.npv == pytest.approx(m.npv)
    assert [c.period for c in facts.cash] == list(range(len(facts.cash)))


def test_not_selected_and_greedy_gain(facts) -> None:
    plan = facts.plan
    left = [i.id for i in not_selected(plan)]
    assert left == [
        i.id
        for i in plan.portfolio.initiatives
        if i.id not in plan.starts and i.status.value != "done"
    ]
    greedy = plan.greedy_objective
    assert facts.headline.gain_over_greedy == pytest.approx(
        (plan.report.objective - greedy) / greedy
    )
    assert facts.headline.candidates == len(plan.starts) + len(left)
