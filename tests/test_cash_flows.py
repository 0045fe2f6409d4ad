"""Explicit business cases (Cash flows sheet): published worked examples reproduced to the cent
through ``roadmap roi`` on workbooks built here, and the properties that tie the explicit rows to
the parametric columns and to the optimizer's vectorised start values."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from business_cases import case_workbook, method, roi

from roadmap.domain import (
    CashFlowLine,
    EvaluationWindow,
    FlowBasis,
    FlowCategory,
    Initiative,
    PeriodKind,
    Portfolio,
    Settings,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import cash_flows, initiative_metrics, start_values

YEARLY = {"plan_start": "2027-01-01", "period": "year", "horizon": 3}
CENT = 0.005


def _ini(iid: str, **extra: object) -> dict[str, object]:
    return {"id": iid, "name": f"Case {iid}", "duration": 1, "useful_life": 1, **extra}


def _series(iid: str, flows: list[float], first_year: int = 0) -> list[dict[str, object]]:
    """One row per year, counted from the start: negative = an outlay (capex), positive = a
    benefit, exactly as a finance lead types a row of yearly figures."""
    rows: list[dict[str, object]] = []
    for k, x in enumerate(flows, start=first_year):
        if x:
            category = "capex" if x < 0 else "benefit"
            rows.append({"initiative": iid, "category": category, "year": k, "amount": abs(x)})
    return rows


def test_excel_npv_examples(tmp_path: Path) -> None:
    """Microsoft's NPV function page (support.microsoft.com/en-us/office/npv-function-
    8672cb67-2576-4d07-b67b-ac28acf2a568). Example 1: 10 %, -10,000 one year from today, then
    3,000, 4,200 and 6,800: NPV $1,188.44. Example 2: 8 %, an initial investment of 40,000 today
    (added outside NPV) and 8,000, 9,200, 10,000, 12,000, 14,500: $1,922.06; with a 9,000 loss in
    year 6: -$3,749.47."""
    rows = _series("X1", [-10000, 3000, 4200, 6800], first_year=1)
    rows += _series("X2", [-40000, 8000, 9200, 10000, 12000, 14500])
    rows += _series("X3", [-40000, 8000, 9200, 10000, 12000, 14500])
    rows.append({"initiative": "X3", "category": "other", "year": 6, "amount": -9000})
    inis = [_ini("X1"), _ini("X2"), _ini("X3")]
    path = case_workbook(tmp_path / "npv.xlsx", {**YEARLY, "discount_rate": "10%"}, inis, rows)
    result, m = roi(path)
    assert result.exit_code == 0, result.output
    assert round(m["X1"]["NPV"], 2) == 1188.44
    path = case_workbook(tmp_path / "npv8.xlsx", {**YEARLY, "discount_rate": "8%"}, inis, rows)
    result, m = roi(path)
    assert result.exit_code == 0, result.output
    assert round(m["X2"]["NPV"], 2) == 1922.06
    assert round(m["X3"]["NPV"], 2) == -3749.47
    assert "X1, X2, X3" in str(method(path)["Cash flows sheet"])


def test_excel_irr_examples(tmp_path: Path) -> None:
    """Microsoft's IRR function page (support.microsoft.com/en-us/office/irr-function-
    64925eaa-9988-495b-b290-3ad0c163c1bc): a business costing 70,000 with net income 12,000,
    15,000, 18,000, 21,000 and 26,000: IRR after four years -2.1 %, after five 8.7 %
    (8.66 % to the hundredth of a percent)."""
    four = _series("Y4", [-70000, 12000, 15000, 18000, 21000])
    five = _series("Y5", [-70000, 12000, 15000, 18000, 21000, 26000])
    path = case_workbook(tmp_path / "irr.xlsx", YEARLY, [_ini("Y4"), _ini("Y5")], four + five)
    result, m = roi(path)
    assert result.exit_code == 0, result.output
    assert round(m["Y4"]["IRR (annual)"], 3) == -0.021
    assert round(m["Y5"]["IRR (annual)"], 4) == 0.0866
    assert "8.7%" in result.output and "-2.1%" in result.output


def test_numpy_financial_npv_and_a_textbook_irr(tmp_path: Path) -> None:
    """numpy-financial's npv page (numpy.org/numpy-financial/latest/npv.html): an initial
    investment of 40,000 and 5,000, 8,000, 12,000, 30,000 at the end of each period, 8 %:
    3,065.22. Its irr page, after Gitman, Principles of Managerial Finance (uneven flows):
    -100, 39, 59, 55, 20 has an IRR of 28.09 %."""
    rows = _series("N", [-40000, 5000, 8000, 12000, 30000])
    rows += _series("G", [-100, 39, 59, 55, 20])
    settings = {**YEARLY, "discount_rate": "8%"}
    path = case_workbook(tmp_path / "np.xlsx", settings, [_ini("N"), _ini("G")], rows)
    result, m = roi(path)
    assert result.exit_code == 0, result.output
    assert round(m["N"]["NPV"], 2) == 3065.22
    assert round(m["G"]["IRR (annual)"], 4) == 0.2809


def test_quarterly_case_entered_by_year_is_spread_over_the_quarters(tmp_path: Path) -> None:
    rows = [
        {"initiative": "Q", "category": "capex", "year": 1, "amount": 400},
        {"initiative": "Q", "category": "benefit", "year": 1, "counted_from": "go-live",
         "amount": 800},
    ]  # fmt: skip
    settings = {"plan_start": "2027-01-01", "period": "quarter", "horizon": 8}
    inis = [_ini("Q", duration=4, useful_life=1)]
    path = case_workbook(tmp_path / "q.xlsx", settings, inis, rows)
    result, m = roi(path)
    assert result.exit_code == 0, result.output
    r = 1.08**0.25 - 1
    expected = sum(-100 / (1 + r) ** t for t in range(1, 5))
    expected += sum(200 / (1 + r) ** t for t in range(5, 9))
    assert m["Q"]["NPV"] == pytest.approx(expected, abs=CENT)


# --- properties, on portfolios built in code -----------------------------------------------------


def _portfolio(*initiatives: Initiative, lines: tuple[CashFlowLine, ...] = (), **s: object):
    settings = Settings(plan_start=date(2027, 1, 1), period=PeriodKind.QUARTER, horizon=12)
    return Portfolio(settings=replace(settings, **s), initiatives=initiatives, cash_flows=lines)


PARAMETRIC = Initiative(
    "P", "Parametric", duration=3, capex=1200, one_off_opex=300, run_cost=800,
    benefit_revenue=3000, benefit_saving=1000, useful_life=2, probability=0.8,
)  # fmt: skip


def _explicit_twin() -> tuple[Initiative, tuple[CashFlowLine, ...]]:
    """The parametric case above typed as Cash flows rows, by period and by year."""
    twin = Initiative("P", "Explicit", duration=3, useful_life=2, probability=0.8)
    lines = [CashFlowLine("P", FlowCategory.CAPEX, 400, period=k) for k in (1, 2, 3)]
    lines += [CashFlowLine("P", FlowCategory.ONE_OFF_OPEX, 100, period=k) for k in (1, 2, 3)]
    live = FlowBasis.GO_LIVE
    lines += [
        CashFlowLine("P", FlowCategory.RUN_COST, 800, year=y, counted_from=live) for y in (1, 2)
    ]
    lines += [
        CashFlowLine("P", FlowCategory.BENEFIT, 4000, year=y, counted_from=live) for y in (1, 2)
    ]
    return twin, tuple(lines)


@pytest.mark.parametrize("window", list(EvaluationWindow))
def test_rows_equal_to_the_parametric_flows_give_identical_figures(
    window: EvaluationWindow,
) -> None:
    twin, lines = _explicit_twin()
    a = _portfolio(PARAMETRIC, evaluation_window=window)
    b = _portfolio(twin, lines=lines, evaluation_window=window)
    cal = Calendar.from_settings(a.settings)
    for s in (0, 4, 11):
        ma, mb = (initiative_metrics(p, "P", cal, s) for p in (a, b))
        assert mb.npv == pytest.approx(ma.npv, abs=1e-9)
        assert mb.irr_period == pytest.approx(ma.irr_period, abs=1e-12)
        assert mb.payback_periods == pytest.approx(ma.payback_periods)
        assert mb.total_cost == pytest.approx(ma.total_cost)
    sa, sb = start_values(a, cal), start_values(b, cal)
    for field in ("npv", "capex", "opex", "total_cost"):
        assert np.allclose(getattr(sa, field), getattr(sb, field), atol=1e-9), field


def _uneven() -> Portfolio:
    """A yearly case with an outlay at the start moment, uneven benefits, a later outlay and a
    salvage value, on quarters."""
    ini = Initiative("U", "Uneven", duration=2, useful_life=1)
    live = FlowBasis.GO_LIVE
    lines = (
        CashFlowLine("U", FlowCategory.CAPEX, 1000, year=0),
        CashFlowLine("U", FlowCategory.BENEFIT, 200, year=1, counted_from=live),
        CashFlowLine("U", FlowCategory.BENEFIT, 900, year=2, counted_from=live),
        CashFlowLine("U", FlowCategory.OTHER, -300, year=3, counted_from=live),
        CashFlowLine("U", FlowCategory.OTHER, 120, period=0, counted_from=live),
    )
    return _portfolio(ini, lines=lines, risk_adjusted=False, horizon=16)


def test_shifting_the_start_shifts_the_flows_and_discounts_the_value() -> None:
    p = _uneven()
    cal = Calendar.from_settings(p.settings)
    ini = p.initiatives[0]
    base = cash_flows(ini, 1, cal, p.settings, p)
    later = cash_flows(ini, 3, cal, p.settings, p)
    assert base.net[0] == pytest.approx(-1000)  # the start moment of a start in period 1
    assert later.net[2:] == pytest.approx(base.net[: len(later.net) - 2])
    sv = start_values(p, cal)
    v = 1 / (1 + sv.per_period_rate)
    assert sv.npv[0, 1:] == pytest.approx(sv.npv[0, :-1] * v)
    for t in range(cal.horizon):  # vectorised = one series at a time, valuation date included
        assert sv.npv[0, t] == pytest.approx(initiative_metrics(p, "U", cal, t).npv, abs=1e-9)
    at0 = cash_flows(ini, 0, cal, p.settings, p)
    assert at0.has_opening and at0.opening_net == pytest.approx(-1000)
    assert initiative_metrics(p, "U", cal, 0).total_cost == pytest.approx(1000 + 300)


def test_budgets_count_explicit_spend_in_the_first_period_and_other_outlays_as_opex() -> None:
    p = _uneven()
    cal = Calendar.from_settings(p.settings)
    sv = start_values(p, cal)
    assert sv.capex[0, 0] == pytest.approx(1000)  # paid on the first day
    assert sv.capex[0].sum() == pytest.approx(1000)
    # the -300 'other' in year 3 after go-live (offsets 2 + 8 .. 2 + 11) is money out
    assert sv.opex[0, 10:14] == pytest.approx([75, 75, 75, 75])
    assert sv.opex[0].sum() == pytest.approx(300)


def test_excel_mirr_examples(tmp_path: Path) -> None:
    """Microsoft's MIRR function page (support.microsoft.com/en-us/office/mirr-function-
    b020f038-7492-4fb4-93c1-35c345b53524): a 120,000 loan at 10 % for a boat that earns 39,000,
    30,000, 21,000, 37,000 and 46,000, profits reinvested at 12 %: MIRR after five years 12.61 %,
    after three -4.80 %; reinvested at 14 %: 13.48 %."""
    five = _series("M5", [-120000, 39000, 30000, 21000, 37000, 46000])
    three = _series("M3", [-120000, 39000, 30000, 21000])
    settings = {**YEARLY, "finance_rate": "10%", "reinvestment_rate": "12%"}
    inis = [_ini("M5"), _ini("M3")]
    path = case_workbook(tmp_path / "mirr.xlsx", settings, inis, five + three)
    result, m = roi(path)
    assert result.exit_code == 0, result.output
    assert round(m["M5"]["MIRR (annual)"], 4) == 0.1261
    assert round(m["M3"]["MIRR (annual)"], 4) == -0.0480
    assert "12.6%" in result.output
    path = case_workbook(
        tmp_path / "mirr14.xlsx", {**settings, "reinvestment_rate": "14%"}, inis, five + three
    )
    result, m = roi(path)
    assert round(m["M5"]["MIRR (annual)"], 4) == 0.1348


def test_escalation_compounds_from_the_plan_start(tmp_path: Path) -> None:
    rows = [
        {"initiative": "E", "category": "capex", "year": 0, "amount": 1000},  # today's price
        {"initiative": "E", "category": "capex", "year": 1, "amount": 1000},
        {"initiative": "E", "category": "benefit", "year": 2, "amount": 900},
        {"initiative": "E", "category": "other", "year": 2, "amount": 100},  # as typed
    ]
    settings = {**YEARLY, "discount_rate": "10%", "cost_escalation": "3%"}
    settings["benefit_escalation"] = "5%"
    inis = [_ini("E"), _ini("F", benefit_escalation="0%")]
    rows += [{**r, "initiative": "F"} for r in rows]
    path = case_workbook(tmp_path / "esc.xlsx", settings, inis, rows)
    result, m = roi(path)
    assert result.exit_code == 0, result.output
    e = -1000 - 1000 * 1.03 / 1.1 + (900 * 1.05**2 + 100) / 1.1**2
    f = -1000 - 1000 * 1.03 / 1.1 + (900 + 100) / 1.1**2
    assert m["E"]["NPV"] == pytest.approx(e, abs=CENT)
    assert m["F"]["NPV"] == pytest.approx(f, abs=CENT)
    assert "3.00%" in str(method(path)["Escalation"])


@pytest.mark.parametrize("window", list(EvaluationWindow))
def test_escalation_zero_changes_nothing_and_vectorised_values_follow_escalation(
    window: EvaluationWindow,
) -> None:
    twin, lines = _explicit_twin()
    for ini, rows in ((PARAMETRIC, ()), (twin, lines)):
        plain = _portfolio(ini, lines=rows, evaluation_window=window)
        zero = _portfolio(replace(ini, cost_escalation=0.0), lines=rows, evaluation_window=window)
        zero = replace(zero, settings=replace(zero.settings, benefit_escalation=0.0))
        cal = Calendar.from_settings(plain.settings)
        a, b = start_values(plain, cal), start_values(zero, cal)
        assert np.array_equal(a.npv, b.npv) and np.array_equal(a.capex, b.capex)
        for s in (0, 5):
            assert initiative_metrics(plain, "P", cal, s) == initiative_metrics(zero, "P", cal, s)
        grown = _portfolio(
            replace(ini, hurdle_rate=0.15, benefit_escalation=0.04),
            lines=rows,
            evaluation_window=window,
            cost_escalation=0.03,
        )
        sv = start_values(grown, cal)
        for t in range(cal.horizon):
            one = initiative_metrics(grown, "P", cal, t).npv
            assert sv.npv[0, t] == pytest.approx(one, abs=1e-9)
        assert np.array_equal(sv.capex, a.capex)  # budgets: plan-start prices


def test_hurdle_rate_per_initiative_and_the_plan_npv_adds_them() -> None:
    from roadmap.money.finance import plan_metrics

    a = replace(PARAMETRIC, id="A")
    b = replace(PARAMETRIC, id="B", hurdle_rate=0.20)
    p = _portfolio(a, b)
    cal = Calendar.from_settings(p.settings)
    ma, mb = initiative_metrics(p, "A", cal, 0), initiative_metrics(p, "B", cal, 0)
    at_plan_rate = initiative_metrics(_portfolio(replace(b, hurdle_rate=None)), "B", cal, 0)
    assert mb.npv < at_plan_rate.npv and mb.irr_period == pytest.approx(at_plan_rate.irr_period)
    plan = plan_metrics(p, {"A": 0, "B": 0}, cal)
    assert plan.npv_by_hurdle and plan.npv == pytest.approx(ma.npv + mb.npv)
    sv = start_values(p, cal)
    assert sv.npv[1, 0] == pytest.approx(mb.npv)
    assert not plan_metrics(p, {"A": 0}, cal).npv_by_hurdle


def test_scenario_haircut_and_overrun_reach_the_cash_flows_rows() -> None:
    from roadmap.domain import ScenarioOverride
    from roadmap.input.scenarios import apply_override

    twin, lines = _explicit_twin()
    explicit, parametric = _portfolio(twin, lines=lines), _portfolio(PARAMETRIC)
    cal = Calendar.from_settings(explicit.settings)
    for override in (
        ScenarioOverride("benefit_haircut", 0.2),
        ScenarioOverride("cost_overrun", 0.15),
    ):
        a = apply_override(parametric, override, "what-if")
        b = apply_override(explicit, override, "what-if")
        ma, mb = initiative_metrics(a, "P", cal, 0), initiative_metrics(b, "P", cal, 0)
        assert mb.npv == pytest.approx(ma.npv, abs=1e-9)
        assert mb.npv != pytest.approx(initiative_metrics(explicit, "P", cal, 0).npv)
