"""The one date rule every output follows: plan dates are working days.

The project calendar is Monday to Friday (what the MS Project export declares). A plan period
runs from its first calendar day to its last, but what starts in a period starts on its first
*working* day and what finishes (builds, go-lives, milestones) finishes on its last working day.
The workbook, the CSV and the MS Project XML all take their dates from here, so they agree date
for date and no milestone falls on a weekend.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from roadmap.money.calendar import WORKING_WEEKDAYS as WORKING_WEEKDAYS  # the rule lives there
from roadmap.money.calendar import Calendar
from roadmap.money.calendar import is_working_day as is_working_day
from roadmap.money.calendar import on_or_after as on_or_after
from roadmap.money.calendar import on_or_before as on_or_before


def working_days(first: date, last: date) -> int:
    """Working days from ``first`` to ``last`` inclusive (0 when ``last`` is before ``first``)."""
    if last < first:
        return 0
    return int(np.busday_count(first, last + timedelta(days=1)))


def nth_working_day(first: date, n: int) -> date:
    """The ``n``-th working day (1-based) counting from ``first``."""
    return date.fromisoformat(
        str(np.busday_offset(on_or_after(first), max(1, n) - 1, roll="forward"))
    )


def period_start(calendar: Calendar, t: int) -> date:
    """First working day of period ``t``: when work planned for ``t`` starts."""
    return on_or_after(calendar.start(t))


def period_end(calendar: Calendar, t: int) -> date:
    """Last working day of period ``t``: when work planned to end in ``t`` finishes."""
    return on_or_before(calendar.end(t))


def share_of(first: date, last: date, share: float) -> date:
    """The working day that ends the first ``share`` of the working days ``first``..``last``."""
    days = working_days(first, last)
    return nth_working_day(first, max(1, round(days * share)))
