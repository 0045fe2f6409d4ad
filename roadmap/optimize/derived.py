"""What every optimisation stage derives from a portfolio, computed once and passed down.

The calendar, the start windows, the budget rows and the start values (cash flows and objective
coefficients by start period) feed the MILP data, the greedy baseline, the improver and the
why-not analysis. Each used to rebuild them; now ``derive`` does it once per portfolio and the
stages read this object, so they also cannot disagree on what a window or a budget row is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from roadmap.domain import Portfolio
from roadmap.money.calendar import Calendar
from roadmap.money.finance import StartValues, start_values
from roadmap.optimize.limits import BudgetRow, budget_rows
from roadmap.optimize.windows import Window, start_windows


@dataclass(frozen=True)
class Derived:
    portfolio: Portfolio
    calendar: Calendar
    windows: Mapping[str, Window]
    budgets: tuple[BudgetRow, ...]
    values: StartValues


def derive(portfolio: Portfolio, values: StartValues | None = None) -> Derived:
    """Calendar, windows, budget rows and (unless given) start values of ``portfolio``."""
    calendar = Calendar.from_settings(portfolio.settings)
    if values is None:
        values = start_values(portfolio, calendar)
    return Derived(
        portfolio=portfolio,
        calendar=calendar,
        windows=start_windows(portfolio, calendar),
        budgets=tuple(budget_rows(portfolio, calendar)),
        values=values,
    )
