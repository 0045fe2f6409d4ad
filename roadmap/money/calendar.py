"""The plan calendar: period indices <-> dates, labels, fiscal years and per-period rates.

Period ``t`` (0-based) runs from ``start(t)`` to ``end(t)`` inclusive. Cash flows are booked at
the *end* of their period, so period ``t`` is discounted by ``(1 + r_p) ** (t + 1)``.
Negative indices are valid and mean periods before the plan start (in-progress work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from roadmap.domain import PeriodKind, Settings

_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def add_months(day: date, months: int) -> date:
    """The first-of-month-aligned date ``months`` after ``day`` (day of month kept where it exists)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    last = _days_in_month(year, month0 + 1)
    return date(year, month0 + 1, min(day.day, last))


WORKING_WEEKDAYS = (0, 1, 2, 3, 4)  # Monday .. Friday (date.weekday())


def is_working_day(day: date) -> bool:
    return day.weekday() in WORKING_WEEKDAYS


def on_or_after(day: date) -> date:
    """The first working day on or after ``day``."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def on_or_before(day: date) -> date:
    """The last working day on or before ``day``."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


@dataclass(frozen=True)
class Calendar:
    plan_start: date
    kind: PeriodKind
    horizon: int
    fiscal_year_start_month: int = 1

    @classmethod
    def from_settings(cls, settings: Settings) -> Calendar:
        return cls(
            settings.plan_start,
            settings.period,
            settings.horizon,
            settings.fiscal_year_start_month,
        )

    @property
    def months_per_period(self) -> int:
        return _MONTHS[self.kind]

    @property
    def periods_per_year(self) -> int:
        return 12 // self.months_per_period

    def start(self, t: int) -> date:
        return add_months(self.plan_start, t * self.months_per_period)

    def end(self, t: int) -> date:
        """Last day of period ``t``."""
        return self.start(t + 1) - timedelta(days=1)

    def period_of(self, day: date) -> int:
        """Index of the period containing ``day`` (may be negative or >= horizon)."""
        months = (day.year - self.plan_start.year) * 12 + (day.month - self.plan_start.month)
        if day.day < self.plan_start.day:
            months -= 1
        return months // self.months_per_period

    def label(self, t: int) -> str:
        """``2027-Q2`` for calendar-aligned quarters, ``2027-03`` for months (and other quarters);
        years: ``2027`` for calendar years, ``FY2028`` for fiscal years, else ``2027-04``."""
        s = self.start(t)
        if self.kind is PeriodKind.QUARTER and s.month % 3 == 1 and s.day == 1:
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.YEAR and s.day == 1:
            if s.month == 1:
                return str(s.year)
            if s.month == self.fiscal_year_start_month:
                return f"FY{self.fiscal_year(t)}"
        return f"{s.year}-{s.month:02d}"

    def labels(self) -> list[str]:
        return [self.label(t) for t in range(self.horizon)]

    def fiscal_year(self, t: int) -> int:
        """Fiscal year of period ``t``, named by the calendar year in which that fiscal year ends."""
        s = self.start(t)
        if self.fiscal_year_start_month == 1:
            return s.year
        return s.year + 1 if s.month >= self.fiscal_year_start_month else s.year

    def fiscal_years(self) -> list[int]:
        """The fiscal years the horizon touches, in order."""
        years: list[int] = []
        for t in range(self.horizon):
            fy = self.fiscal_year(t)
            if not years or years[-1] != fy:
                years.append(fy)
        return years

    def periods_in_fiscal_year(self, fy: int) -> list[int]:
        return [t for t in range(self.horizon) if self.fiscal_year(t) == fy]

    def per_period_rate(self, annual_rate: float) -> float:
        """(1 + r) ** (1 / periods per year) - 1: the compounding-equivalent period rate."""
        return float((1.0 + annual_rate) ** (1.0 / self.periods_per_year) - 1.0)

    def years_to_periods(self, years: float) -> int:
        """Whole periods in ``years`` (rounded to nearest; useful life in periods). The validator
        refuses a useful life under one period and warns when it is not a whole number of them."""
        return round(years * self.periods_per_year)
