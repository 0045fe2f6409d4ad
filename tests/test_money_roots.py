"""IRR as Excel reports it when a series has several roots, XIRR likewise, no numpy warnings on
extreme flows, and payback on the day the cumulative cash turns for dated flows."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest

from roadmap.domain import CashFlowLine, FlowCategory, Initiative, PeriodKind, Portfolio, Settings
from roadmap.money.calendar import Calendar
from roadmap.money.finance import initiative_metrics
from roadmap.money.metrics import irr, irr_note, irr_result
from roadmap.money.xirr import irr_roots, xirr_result

# numpy-financial issue 44 (two sign changes): Excel, Google Sheets and numpy-financial >= 1.1
# give 100.43 %; numpy-financial 1.0 the root nearest zero, -99.98 %
GH44 = [-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, 4789.91, -1]
# numpy-financial issue 28: Excel 185 %, the root nearest zero -76 %
GH28 = [-50, -100, 600, 300, -100]


def _npv0(rate: float, flows: list[float]) -> float:
    return float(sum(x / (1 + rate) ** k for k, x in enumerate(flows)))


@pytest.mark.parametrize(("flows", "expected"), [(GH44, 1.0043), (GH28, 1.8544)])
def test_irr_with_two_roots_is_the_one_excel_reports(flows: list[float], expected: float) -> None:
    found = irr_result(flows)
    assert found is not None and round(found.rate, 4) == expected
    assert len(found.roots) == 2 and found.ambiguous
    for root in found.roots:  # both are roots, found independently of numpy-financial
        below, above = (
            _npv0(root - 1e-9 * (1 + root), flows),
            _npv0(root + 1e-9 * (1 + root), flows),
        )
        assert below * above < 0


def test_irr_does_not_depend_on_numpy_financial(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> float:
        raise AssertionError("numpy-financial's irr was called")

    monkeypatch.setattr(npf, "irr", refuse)
    assert irr(GH44) == pytest.approx(1.00427, abs=1e-5)


def test_one_root_is_the_only_root_whatever_the_guess() -> None:
    flows = [-100.0, 30, 40, 50]
    found = irr_result(flows)
    assert found is not None and not found.ambiguous
    assert _npv0(found.rate, flows) == pytest.approx(0.0, abs=1e-9)


def test_xirr_with_two_roots_takes_excels_root_in_years() -> None:
    # the GH44 flows a year apart as dated flows: XIRR equals the IRR
    days = [date(2027 + k, 1, 1) for k in range(len(GH44))]
    years = np.array([(d - days[0]).days / 365 for d in days])
    found = xirr_result(years, np.array(GH44, dtype=float))
    assert found is not None and found.ambiguous
    value = sum(x / (1 + found.rate) ** y for x, y in zip(GH44, years, strict=True))
    assert found.rate > 0.9 and value == pytest.approx(0.0, abs=1e-6)


def test_no_numpy_warning_on_long_dated_series_near_minus_100_percent() -> None:
    times = np.array([0.0, 0.5, 480.0, 481.0])
    amounts = np.array([-1e6, 5.0, 3e9, -1e-3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        roots = irr_roots(times, amounts)
        found = xirr_result(times, amounts)
    assert roots and found is not None


def _dated(*lines: tuple[FlowCategory, date, float]) -> tuple[Portfolio, Calendar]:
    s = Settings(
        plan_start=date(2027, 1, 1), period=PeriodKind.QUARTER, horizon=8, discount_rate=0.0
    )
    flows = tuple(CashFlowLine("A", c, a, flow_date=d) for c, d, a in lines)
    ini = Initiative("A", "Dated", duration=1, useful_life=2)
    p = Portfolio(settings=s, initiatives=(ini,), cash_flows=flows)
    return p, Calendar.from_settings(s)


def test_dated_payback_is_the_day_the_cumulative_cash_turns() -> None:
    p, cal = _dated(
        (FlowCategory.CAPEX, date(2027, 2, 15), 1000.0),
        (FlowCategory.BENEFIT, date(2027, 11, 30), 600.0),
        (FlowCategory.BENEFIT, date(2028, 5, 10), 500.0),
    )
    m = initiative_metrics(p, "A", cal)
    # cumulative: -1000 on 15 Feb 2027, -400 on 30 Nov 2027, +100 on 10 May 2028
    assert m.payback_date == date(2028, 5, 10)
    assert m.discounted_payback_date == date(2028, 5, 10)  # at 0 %
    # in periods: 5 whole quarters, then 39 of the 91 days of 2028's second quarter
    assert m.payback_periods == pytest.approx(5 + 39 / 91)


def test_dated_discounted_payback_at_a_rate_waits_for_the_discounted_cash() -> None:
    p, cal = _dated(
        (FlowCategory.CAPEX, date(2027, 2, 15), 1000.0),
        (FlowCategory.BENEFIT, date(2027, 11, 30), 600.0),
        (FlowCategory.BENEFIT, date(2028, 5, 10), 420.0),
        (FlowCategory.BENEFIT, date(2028, 9, 1), 100.0),
    )
    p = Portfolio(
        settings=Settings(**{**p.settings.__dict__, "discount_rate": 0.10}),
        initiatives=p.initiatives,
        cash_flows=p.cash_flows,
    )
    m = initiative_metrics(p, "A", cal)
    assert m.payback_date == date(2028, 5, 10)  # +20 undiscounted
    # discounted by days/365 at 10 %, 10 May 2028 is still short; 1 Sep 2028 recovers it
    d0 = cal.plan_start

    def pv(a: float, d: date) -> float:
        return a / 1.1 ** ((d - d0).days / 365)

    by_may = pv(-1000, date(2027, 2, 15)) + pv(600, date(2027, 11, 30)) + pv(420, date(2028, 5, 10))
    assert by_may < 0 < by_may + pv(100, date(2028, 9, 1))
    assert m.discounted_payback_date == date(2028, 9, 1)


def test_a_case_without_outlay_pays_back_on_its_first_inflow() -> None:
    p, cal = _dated((FlowCategory.BENEFIT, date(2027, 8, 20), 100.0))
    m = initiative_metrics(p, "A", cal)
    assert m.payback_date == date(2027, 8, 20)
    assert m.payback_periods is not None and m.payback_periods > 2


def test_irr_note_names_the_roots_and_points_to_mirr() -> None:
    from roadmap.money.metrics import Metrics

    m = Metrics(0, 1.0, 1.0, None, None, None, None, None, 0, 0, 0, 0, None,
                irr_roots=(-0.9998, 1.0043))  # fmt: skip
    note = irr_note(m)
    assert note is not None and "-100.0%" in note and "100.4%" in note and "MIRR" in note
    single = Metrics(0, 0.1, 0.1, None, None, None, None, None, 0, 0, 0, 0, None,
                     irr_roots=(0.1,))  # fmt: skip
    assert irr_note(single) is None


def test_roi_shows_excels_irr_and_says_there_are_two(tmp_path: Path) -> None:
    from business_cases import case_workbook, roi

    settings = {"plan_start": "2027-01-01", "period": "year", "horizon": 8}
    flows = [{"initiative": "G", "category": "capex", "year": 0, "amount": 1678.87}]
    flows += [
        {"initiative": "G", "category": "benefit", "year": k, "amount": a}
        for k, a in enumerate(GH44[1:-1], start=1)
    ]
    flows.append({"initiative": "G", "category": "other", "year": 7, "amount": -1})
    inis = [{"id": "G", "name": "Two roots", "duration": 1, "useful_life": 7}]
    path = case_workbook(tmp_path / "gh44.xlsx", settings, inis, flows)
    result, metrics = roi(path)
    assert result.exit_code == 0, result.output
    assert metrics["G"]["IRR (annual)"] == pytest.approx(1.00427, abs=1e-5)
    assert "2 rates make the NPV zero" in str(metrics["G"]["Note"])
    assert "MIRR" in str(metrics["G"]["Note"])
    assert "100.4% *" in result.output and "quote the MIRR" in result.output
