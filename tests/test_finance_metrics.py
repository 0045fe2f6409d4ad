"""NPV, IRR, ROI and payback: published worked examples and hand-worked cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from roadmap.domain import EvaluationWindow, Initiative, PeriodKind
from roadmap.money.finance import (
    annualise,
    initiative_metrics,
    irr,
    npv,
    plan_cash_flows,
    plan_metrics,
)
from tests.test_finance import make

# Microsoft's Excel NPV help: rate 10 %, an initial cost of 10,000 one year from today, then
# returns of 3,000, 4,200 and 6,800 -> 1,188.44.
# -10000/1.1 + 3000/1.1^2 + 4200/1.1^3 + 6800/1.1^4
#   = -9090.909 + 2479.339 + 3155.522 + 4644.491 = 1188.44


def test_excel_npv_example_to_the_cent() -> None:
    assert round(npv(0.10, [-10000, 3000, 4200, 6800]), 2) == 1188.44


def test_formcalc_npv_example() -> None:
    # Adobe FormCalc reference: NPV(0.10, 500, 1500, 4000, 10000) = 11529.60863329007
    assert npv(0.10, [500, 1500, 4000, 10000]) == pytest.approx(11529.60863329007, abs=1e-8)


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        # Excel IRR help: cost 70,000 then five years of net income; IRR(A2:A6) -2.1 %,
        # IRR(A2:A7) 8.7 %, IRR(A2:A4) -44.4 % (two years, needs a guess in Excel).
        ([-70000, 12000, 15000, 18000, 21000], -0.0212),
        ([-70000, 12000, 15000, 18000, 21000, 26000], 0.0866),
        ([-70000, 12000, 15000], -0.4435),
    ],
)
def test_excel_irr_examples(flows: list[float], expected: float) -> None:
    rate = irr(flows)
    assert rate is not None
    assert round(rate, 4) == expected
    # the definition: the rate at which Excel-style NPV of the flows after the first is -first
    assert flows[0] + npv(rate, flows[1:]) == pytest.approx(0.0, abs=1e-6)


def test_irr_undefined_without_sign_change_and_ignores_zero_padding() -> None:
    assert irr([0, 0]) is None
    assert irr([-5, -5]) is None
    assert irr([5, 5]) is None
    assert irr([0, -100, 110, 0, 0]) == pytest.approx(0.10)


def test_annualised_irr_compounds() -> None:
    # 2 % a quarter compounds to 1.02^4 - 1 = 8.243216 % a year
    assert annualise(0.02, 4) == pytest.approx(0.08243216)
    assert annualise(None, 4) is None


SIMPLE = Initiative(
    id="S",
    name="Simple",
    duration=1,
    capex=100.0,
    benefit_revenue=160.0,  # 40 a quarter, full from go-live
    useful_life=1.0,
)


def test_hand_worked_initiative_metrics_at_zero_rate() -> None:
    p, cal = make(SIMPLE, horizon=8)
    m = initiative_metrics(p, "S", cal)
    # net per quarter: -100, 40, 40, 40, 40; cumulative -100, -60, -20, +20, +60
    assert m.npv == pytest.approx(60.0)
    assert m.total_cost == 100.0 and m.total_inflow == 160.0
    assert m.roi == pytest.approx(0.6)  # (160 - 100) / 100
    assert m.benefit_cost_ratio == pytest.approx(1.6)
    # recovered in period 3: 20 of its 40 are needed -> 3.5 periods
    assert m.payback_periods == pytest.approx(3.5)
    # period 3 is 2027-10-01..2027-12-31 (92 days); half of it is 46 days -> 16 November
    assert m.payback_date == date(2027, 11, 16)
    assert m.discounted_payback_periods == pytest.approx(3.5)
    irr_p = m.irr_period
    assert irr_p is not None and npv(irr_p, [-100, 40, 40, 40, 40]) == pytest.approx(0.0, abs=1e-9)
    assert m.irr_annual == pytest.approx((1 + irr_p) ** 4 - 1)


def test_hand_worked_discounting_and_payback_from_a_later_start() -> None:
    p, cal = make(SIMPLE, rate=0.10, horizon=8)
    m = initiative_metrics(p, "S", cal, start=2)
    r = 1.1**0.25 - 1  # per quarter
    flows = [0, 0, -100, 40, 40, 40, 40]
    assert m.npv == pytest.approx(sum(x / (1 + r) ** (t + 1) for t, x in enumerate(flows)))
    assert m.origin == 2
    assert m.payback_periods == pytest.approx(3.5)  # counted from the start, 2027-07-01
    assert m.payback_date == date(
        2028, 5, 16
    )  # period 5: 2028-04-01 + 45.5 of 91 days, the 46th day
    # discounted: cumulative at the end of period 4 is still short; period 5 closes it
    pv = [x / (1 + r) ** (t + 1) for t, x in enumerate(flows)]
    before = sum(pv[:5])
    assert before < 0 < before + pv[5]
    assert m.discounted_payback_periods == pytest.approx(3 + -before / pv[5])
    assert m.discounted_payback_periods > m.payback_periods


def test_no_benefits_means_no_irr_and_no_payback() -> None:
    ini = replace(SIMPLE, benefit_revenue=0.0, run_cost=40.0)
    p, cal = make(ini)
    m = initiative_metrics(p, ini, cal)
    assert m.irr_period is None and m.irr_annual is None
    assert m.payback_periods is None and m.payback_date is None
    assert m.discounted_payback_periods is None
    assert m.roi == pytest.approx(-1.0)
    assert m.benefit_cost_ratio == 0.0


def test_zero_cost_initiative_has_no_roi_and_pays_back_at_first_benefit() -> None:
    ini = replace(SIMPLE, capex=0.0)  # benefits from the first live period, nothing spent
    p, cal = make(ini)
    m = initiative_metrics(p, ini, cal)
    assert m.roi is None and m.benefit_cost_ratio is None and m.irr_period is None
    assert m.payback_periods == 1.0  # go-live at the start of period 1, never before
    assert m.payback_date == date(2027, 4, 1)


def test_payback_does_not_count_sunk_costs_of_work_in_progress() -> None:
    p, cal = make(SIMPLE)
    m = initiative_metrics(p, SIMPLE, cal, start=-1)  # the 100 of capex was spent before
    assert m.origin == 0 and m.total_cost == 0.0
    assert m.payback_periods == 0.0


def test_horizon_window_cuts_value() -> None:
    long = replace(SIMPLE, useful_life=5.0)
    p, cal = make(long, horizon=4, window=EvaluationWindow.HORIZON)
    m = initiative_metrics(p, long, cal)
    assert m.periods == 4
    assert m.total_inflow == pytest.approx(3 * 40.0)


def test_plan_metrics_sum_initiatives() -> None:
    other = replace(SIMPLE, id="T", capex=300.0, duration=2)
    p, cal = make(SIMPLE, other, rate=0.08)
    starts = {"S": 0, "T": 3}
    plan = plan_metrics(p, starts, cal)
    parts = [initiative_metrics(p, i, cal, start=s) for i, s in starts.items()]
    assert plan.npv == pytest.approx(sum(m.npv for m in parts))
    assert plan.total_cost == pytest.approx(sum(m.total_cost for m in parts))
    flows = plan_cash_flows(p, starts, cal)
    assert np.allclose(flows.net[:3], [-100, 40, 40])


def test_risk_adjustment_can_be_switched_off() -> None:
    risky = replace(SIMPLE, probability=0.5)
    p, cal = make(risky)
    assert initiative_metrics(p, risky, cal).total_inflow == pytest.approx(80.0)
    plain = initiative_metrics(p, risky, cal, risk_adjusted=False)
    assert plain.total_inflow == pytest.approx(160.0)


def test_benefits_from_day_one_of_the_plan() -> None:
    # started a quarter before the plan with a one-quarter build: live from plan period 0
    ini = replace(SIMPLE, run_cost=40.0)  # 10 a quarter against 40 of benefit
    p, cal = make(ini)
    m = initiative_metrics(p, ini, cal, start=-1)
    assert m.total_inflow == pytest.approx(160.0) and m.total_cost == pytest.approx(40.0)
    assert m.payback_periods == 0.0 and m.payback_date == date(2027, 1, 1)
    assert m.irr_period is None  # only inflows: no rate makes the value zero
    assert m.roi == pytest.approx(3.0)  # (160 - 40) / 40


def test_monthly_payback_date_interpolates_by_days() -> None:
    ini = replace(SIMPLE, capex=100.0, benefit_revenue=480.0, useful_life=0.5)  # 40 a month
    p, cal = make(ini)
    monthly = replace(cal, kind=PeriodKind.MONTH)
    m = initiative_metrics(p, ini, monthly)
    # -100 in January, +40 from February: cumulative -60, -20, +20 -> inside April, half way
    assert m.payback_periods == pytest.approx(3.5)
    assert m.payback_date == date(2027, 4, 16)  # 1 April + 15 of 30 days
