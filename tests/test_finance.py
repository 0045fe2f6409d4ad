"""Cash flows and start values: hand-worked examples with the arithmetic written out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from roadmap.domain import (
    EvaluationWindow,
    Initiative,
    PeriodKind,
    Portfolio,
    Settings,
    Status,
    System,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import cash_flows, combine, earliest_start_period, start_values


def make(
    *initiatives: Initiative,
    rate: float = 0.0,
    horizon: int = 8,
    window: EvaluationWindow = EvaluationWindow.USEFUL_LIFE,
    risk: bool = True,
    systems: tuple[System, ...] = (),
) -> tuple[Portfolio, Calendar]:
    settings = Settings(
        plan_start=date(2027, 1, 1),
        period=PeriodKind.QUARTER,
        horizon=horizon,
        discount_rate=rate,
        evaluation_window=window,
        risk_adjusted=risk,
    )
    portfolio = Portfolio(settings=settings, initiatives=initiatives, systems=systems)
    return portfolio, Calendar.from_settings(settings)


def flows(ini: Initiative, start: int, portfolio: Portfolio, calendar: Calendar, **kw: object):
    return cash_flows(ini, start, calendar, portfolio.settings, portfolio, **kw)  # type: ignore[arg-type]


BASE = Initiative(
    id="A",
    name="Alpha",
    duration=2,
    capex=400.0,
    one_off_opex=100.0,
    run_cost=40.0,  # 10 per quarter
    benefit_revenue=200.0,
    benefit_saving=40.0,  # 240 a year = 60 per quarter
    ramp_up=2,
    useful_life=1.0,  # 4 quarters
    probability=0.5,
)


def test_hand_worked_series_quarterly() -> None:
    p, cal = make(BASE, horizon=8)
    cf = flows(BASE, 1, p, cal)
    # build in periods 1-2: capex 400/2, opex 100/2; live in 3..6 (4 quarters)
    assert cf.capex.tolist() == [0, 200, 200, 0, 0, 0, 0, 0]
    assert cf.opex.tolist() == [0, 50, 50, 0, 0, 0, 0, 0]
    assert cf.run_cost.tolist() == [0, 0, 0, 10, 10, 10, 10, 0]
    # 60 per quarter x ramp 1/3, 2/3, 1, 1 x probability 0.5
    assert cf.benefit == pytest.approx([0, 0, 0, 10, 20, 30, 30, 0])
    assert cf.net == pytest.approx([0, -250, -250, 0, 10, 20, 20, 0])


def test_legacy_savings_from_go_live_and_risk_scaled() -> None:
    ini = replace(BASE, retires=("S1", "S2", "missing"), probability=0.8)
    systems = (System("S1", run_cost=80.0), System("S2", run_cost=40.0))
    p, cal = make(ini, systems=systems)
    cf = flows(ini, 0, p, cal)
    # (80 + 40) / 4 = 30 per quarter, x 0.8 = 24, in live periods 2..5
    assert cf.legacy_saving == pytest.approx([0, 0, 24, 24, 24, 24, 0, 0])
    plain = flows(ini, 0, p, cal, risk_adjusted=False)
    assert plain.legacy_saving == pytest.approx([0, 0, 30, 30, 30, 30, 0, 0])
    assert plain.benefit[5] == pytest.approx(60.0)


def test_useful_life_window_runs_past_horizon_and_horizon_window_cuts() -> None:
    p, cal = make(BASE, horizon=4)
    cf = flows(BASE, 2, p, cal)
    # live 4..7, so 8 periods although the horizon is 4
    assert cf.length == 8 and cf.plan_window().length == 4
    assert cf.run_cost[4:].tolist() == [10, 10, 10, 10]
    ph, calh = make(BASE, horizon=4, window=EvaluationWindow.HORIZON)
    assert flows(BASE, 2, ph, calh).length == 4


def test_started_before_plan_drops_sunk_periods() -> None:
    p, cal = make(BASE)
    cf = flows(BASE, -1, p, cal)
    # offsets 0..5 land in periods -1..4: the first build period (-1) is sunk
    assert cf.capex.tolist()[:2] == [200, 0]
    assert cf.run_cost.tolist()[:5] == [0, 10, 10, 10, 10]


def test_cost_profile_spreads_by_phase() -> None:
    ini = replace(BASE, duration=3, capex=1000.0, one_off_opex=0.0, cost_profile=(1, 2, 2))
    p, cal = make(ini)
    assert flows(ini, 0, p, cal).capex[:3] == pytest.approx([200, 400, 400])


def test_useful_life_shorter_than_build() -> None:
    ini = replace(BASE, duration=4, useful_life=0.25)  # one quarter of life after a year's build
    p, cal = make(ini)
    cf = flows(ini, 0, p, cal)
    assert cf.run_cost.tolist()[:6] == [0, 0, 0, 0, 10, 0]
    assert cf.benefit[4] == pytest.approx(60 / 3 * 0.5)
    assert cf.benefit.sum() == pytest.approx(10.0)


def test_combine_sums_aligned_series() -> None:
    p, cal = make(BASE, horizon=4)
    a, b = flows(BASE, 0, p, cal), flows(BASE, 3, p, cal)
    total = combine([a, b], horizon=4)
    assert total.length == max(a.length, b.length)
    assert total.net.sum() == pytest.approx(a.net.sum() + b.net.sum())


@pytest.mark.parametrize("window", list(EvaluationWindow))
def test_start_values_match_cash_flows_at_every_start(window: EvaluationWindow) -> None:
    other = replace(BASE, id="B", duration=3, ramp_up=0, useful_life=2.5, cost_profile=(3, 1))
    p, cal = make(BASE, other, rate=0.1, horizon=10, window=window)
    sv = start_values(p, cal)
    r = cal.per_period_rate(0.1)
    assert sv.per_period_rate == pytest.approx(r)
    assert sv.npv.shape == (2, 10)
    for i, ini in enumerate(p.initiatives):
        for t in range(10):
            cf = flows(ini, t, p, cal)
            expected = sum(x / (1 + r) ** (k + 1) for k, x in enumerate(cf.net))
            assert sv.npv[i, t] == pytest.approx(expected, abs=1e-9)
        at0 = flows(ini, 0, p, cal)
        assert sv.capex[i] == pytest.approx(at0.capex[:10])
        assert sv.opex[i] == pytest.approx(at0.opex[:10] + at0.run_cost[:10])
        assert sv.total_cost[i] == pytest.approx(at0.costs.sum())


def test_start_values_total_cost_from_earliest_start_and_in_progress() -> None:
    later = replace(BASE, id="L", earliest_start=date(2027, 7, 1))  # period 2
    running = replace(BASE, id="R", status=Status.IN_PROGRESS, actual_start=date(2026, 10, 1))
    p, cal = make(later, running, horizon=4, window=EvaluationWindow.HORIZON)
    assert earliest_start_period(later, cal) == 2
    assert earliest_start_period(running, cal) == -1
    sv = start_values(p, cal)
    # L from period 2: build 2-3 inside the horizon = 500
    # R from -1: half the build sunk, 250 in period 0, then run 10 in periods 1-3 = 280
    assert sv.total_cost.tolist() == pytest.approx([500.0, 280.0])


def test_start_values_of_empty_portfolio() -> None:
    p, cal = make()
    sv = start_values(p, cal)
    assert sv.npv.shape == (0, 8) and sv.total_cost.shape == (0,)


def test_start_values_of_1000_by_48_are_finite() -> None:
    """Its speed is measured in tests/benchmarks/bench_start_values.py, not here."""
    inis = tuple(
        replace(BASE, id=f"I{k}", duration=1 + k % 12, useful_life=10.0, ramp_up=k % 6)
        for k in range(1000)
    )
    settings = Settings(date(2027, 1, 1), PeriodKind.MONTH, horizon=48, discount_rate=0.08)
    p = Portfolio(settings=settings, initiatives=inis)
    cal = Calendar.from_settings(settings)
    sv = start_values(p, cal)
    assert sv.npv.shape == (1000, 48)
    assert np.all(np.isfinite(sv.npv))


def test_work_in_progress_spends_in_every_plan_period() -> None:
    """Started two quarters before the plan: its run cost reaches the last plan period too."""
    from roadmap.domain import PeriodKind, Portfolio, Settings, SpendKind, Status
    from roadmap.optimize.limits import period_spend

    settings = Settings(plan_start=date(2027, 1, 1), period=PeriodKind.QUARTER, horizon=4)
    running = Initiative(
        "RUN", "Running", duration=1, run_cost=400.0, useful_life=5,
        status=Status.IN_PROGRESS, actual_start=date(2026, 7, 1),
    )  # fmt: skip
    portfolio = Portfolio(settings=settings, initiatives=(running,))
    calendar = Calendar.from_settings(settings)
    values = start_values(portfolio, calendar)
    spend = period_spend(portfolio, values, {"RUN": -2}, SpendKind.TOTAL, None, 4)
    assert spend.tolist() == [100.0, 100.0, 100.0, 100.0]
