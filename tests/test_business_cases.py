"""Business cases as finance writes them: yearly periods, clear money inputs, and a money case
that needs only Settings and Initiatives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from business_cases import case_workbook, roi
from click.testing import CliRunner

from roadmap.cli import cli
from roadmap.domain import PeriodKind
from roadmap.money.calendar import Calendar
from roadmap.money.finance import irr_bound

YEARLY = {"plan_start": "2027-01-01", "period": "year", "horizon": 5, "discount_rate": "10%"}


def test_yearly_calendar_labels_dates_and_fiscal_years() -> None:
    cal = Calendar(date(2027, 1, 1), PeriodKind.YEAR, 4)
    assert cal.labels() == ["2027", "2028", "2029", "2030"]
    assert cal.end(0) == date(2027, 12, 31) and cal.periods_per_year == 1
    assert cal.per_period_rate(0.1) == pytest.approx(0.1)
    assert cal.period_of(date(2028, 6, 30)) == 1
    fiscal = Calendar(date(2027, 4, 1), PeriodKind.YEAR, 3, fiscal_year_start_month=4)
    assert fiscal.labels() == ["FY2028", "FY2029", "FY2030"]
    assert fiscal.fiscal_years() == [2028, 2029, 2030]
    odd = Calendar(date(2027, 7, 1), PeriodKind.YEAR, 2)
    assert odd.labels() == ["2027-07", "2028-07"]


def test_money_case_needs_only_settings_and_initiatives(tmp_path: Path) -> None:
    path = case_workbook(
        tmp_path / "case.xlsx",
        YEARLY,
        [{"id": "A", "name": "Shop", "duration": 1, "capex": 1000, "benefit_saving": 400}],
    )
    result, metrics = roi(path)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    # capex 1000 at the end of 2027, 400 a year at the ends of 2028..2032 (5-year life)
    expected = -1000 / 1.1 + sum(400 / 1.1**k for k in range(2, 7))
    assert metrics["A"]["NPV"] == pytest.approx(expected, abs=0.005)
    assert metrics["A"]["Payback (years)"] == pytest.approx(metrics["A"]["Payback (periods)"])
    planned = CliRunner().invoke(cli, ["plan", str(path), "-o", str(tmp_path / "plan.xlsx")])
    assert planned.exit_code == 2
    assert "Teams" in planned.output and "missing" in planned.output


def test_irr_beyond_1000_percent_is_shown_as_a_bound(tmp_path: Path) -> None:
    monthly = {"plan_start": "2027-01-01", "period": "month", "horizon": 12}
    path = case_workbook(
        tmp_path / "fast.xlsx",
        monthly,
        [
            {
                "id": "Q",
                "name": "Quick win",
                "duration": 1,
                "one_off_opex": 100,
                "benefit_saving": 6000,
            }
        ],
    )
    result, metrics = roi(path)
    assert result.exit_code == 0, result.output
    assert metrics["Q"]["IRR (annual)"] == "> 1,000 %"
    assert "> 1,000 %" in result.output
    assert irr_bound(9.99) is None and irr_bound(10.01) == "> 1,000 %"


def test_payback_in_years_with_quarters(tmp_path: Path) -> None:
    quarterly = {"plan_start": "2027-01-01", "period": "quarter", "horizon": 12}
    path = case_workbook(
        tmp_path / "q.xlsx",
        quarterly,
        [{"id": "P", "name": "Pay", "duration": 2, "capex": 1000, "benefit_saving": 800}],
    )
    result, metrics = roi(path)
    assert result.exit_code == 0, result.output
    m = metrics["P"]
    # 1000 spent over 2 quarters, 200 a quarter from the third: paid back after 2 + 5 quarters
    assert m["Payback (periods)"] == pytest.approx(7.0)
    assert m["Payback (years)"] == pytest.approx(1.75)
