"""What every optimisation stage derives from a portfolio, computed once and passed down.

The calendar, the dependency order, the required work, the start windows, the budget rows and
the start values (cash flows and objective coefficients by start period) feed the MILP data, the
greedy baseline, the improver, the earliest-completion bounds, the repair, the diagnosis and the
why-not analysis. ``derive`` computes them once per portfolio and the stages read this object
(never the portfolio's raw records again), so they also cannot disagree on what a window, a
budget row or "required" is. The independent plan checker (``plan_check``) derives its own on
purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from roadmap.domain import Portfolio
from roadmap.money.calendar import Calendar
from roadmap.money.finance import StartValues, start_values
from roadmap.optimize.limits import BudgetRow, budget_rows
from roadmap.optimize.windows import Window, required_ids, topological_order, windows_in_order


@dataclass(frozen=True)
class Derived:
    portfolio: Portfolio
    calendar: Calendar
    windows: Mapping[str, Window]
    budgets: tuple[BudgetRow, ...]
    values: StartValues
    # initiative ids with every predecessor before its successors (those in a cycle left out)
    order: tuple[str, ...]
    cyclic: frozenset[str]  # ids caught in a dependency cycle
    required: frozenset[str]  # mandatory initiatives and everything they need (not done)


def derive(portfolio: Portfolio, values: StartValues | None = None) -> Derived:
    """Everything above for ``portfolio``; ``values`` when the caller has them already (they
    must follow the portfolio's initiatives in order)."""
    calendar = Calendar.from_settings(portfolio.settings)
    if values is None:
        values = start_values(portfolio, calendar)
    elif values.ids != tuple(i.id for i in portfolio.initiatives):
        raise ValueError("start values must follow the portfolio's initiatives in order")
    order, cyclic = topological_order(portfolio)
    required = frozenset(required_ids(portfolio))
    return Derived(
        portfolio=portfolio,
        calendar=calendar,
        windows=windows_in_order(portfolio, calendar, order, cyclic, required),
        budgets=tuple(budget_rows(portfolio, calendar)),
        values=values,
        order=tuple(order),
        cyclic=frozenset(cyclic),
        required=required,
    )
