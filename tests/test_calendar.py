from datetime import date

import pytest

from roadmap.domain import PeriodKind
from roadmap.money.calendar import Calendar, add_months


def test_quarter_labels_and_dates() -> None:
    cal = Calendar(date(2027, 1, 1), PeriodKind.QUARTER, 12)
    assert cal.labels()[:3] == ["2027-Q1", "2027-Q2", "2027-Q3"]
    assert cal.start(4) == date(2028, 1, 1)
    assert cal.end(0) == date(2027, 3, 31)
    assert cal.period_of(date(2027, 5, 15)) == 1
    assert cal.period_of(date(2026, 12, 31)) == -1
    assert cal.periods_per_year == 4


def test_fiscal_years_named_by_year_they_end_in() -> None:
    cal = Calendar(date(2027, 1, 1), PeriodKind.MONTH, 24, fiscal_year_start_month=4)
    assert cal.fiscal_year(0) == 2027  # Jan 2027 is in FY Apr 2026 - Mar 2027
    assert cal.fiscal_year(3) == 2028  # Apr 2027 starts FY2028
    assert cal.fiscal_years() == [2027, 2028, 2029]
    assert cal.periods_in_fiscal_year(2027) == [0, 1, 2]


def test_per_period_rate_compounds_back_to_annual() -> None:
    cal = Calendar(date(2027, 1, 1), PeriodKind.QUARTER, 4)
    r = cal.per_period_rate(0.10)
    assert (1 + r) ** 4 == pytest.approx(1.10)


def test_add_months_clamps_day() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
