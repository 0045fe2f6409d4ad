"""Checks on the money inputs that need the plan calendar: useful life against the period length.

Same shape as ``roadmap.input.checks``: portfolio and a ``Where`` in, findings out; the wording
lives in ``roadmap.input.rules``.
"""

from __future__ import annotations

from roadmap.domain import Finding, Portfolio
from roadmap.input.checks import Where, _calendar

_TOLERANCE = 1e-6


def check_useful_life(p: Portfolio, where: Where) -> list[Finding]:
    """A useful life shorter than one period is an error (it would round to no live period, and
    the benefits would silently vanish); one that is not a whole number of periods is rounded to
    the nearest, and said."""
    cal = _calendar(p)
    if cal is None:
        return []
    ppy, period = cal.periods_per_year, p.settings.period.value
    out = []
    for ini in p.initiatives:
        exact = ini.useful_life * ppy
        if ini.useful_life < 0:
            continue  # below the column minimum: said by check_ranges
        if exact < 1 - _TOLERANCE:
            out.append(
                where(
                    "useful-life-too-short",
                    ini.row,
                    id=ini.id,
                    years=f"{ini.useful_life:g}",
                    period=period,
                    shortest=f"{1 / ppy:.4g}",
                )
            )
        elif abs(exact - round(exact)) > _TOLERANCE:
            out.append(
                where(
                    "useful-life-rounded",
                    ini.row,
                    id=ini.id,
                    years=f"{ini.useful_life:g}",
                    exact=f"{exact:.4g}",
                    period=period,
                    taken=cal.years_to_periods(ini.useful_life),
                )
            )
    return out
