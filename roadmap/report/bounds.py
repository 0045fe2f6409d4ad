"""Number formats that show a rate beyond what a figure can usefully say as a bound, while the
cell keeps its number (so sorting, filters and formulas still work).

Excel and LibreOffice both honour conditional sections in a number format:
``[>10]"> 1,000 %";[<-10]"< -1,000 %";0.0%`` shows 12.5 (1,250 %) as "> 1,000 %" and 0.125 as
12.5 %.
"""

from __future__ import annotations

from roadmap.money.finance import IRR_SHOWN_LIMIT


def bounded_percent(base: str = "0.0%", periods_per_year: int = 1) -> str:
    """``base`` for an ordinary rate; "> 1,000 %" / "< -1,000 %" beyond the annual limit. For a
    rate per period the limit is the per-period equivalent of 1,000 % a year."""
    if periods_per_year == 1:
        high, low, unit = IRR_SHOWN_LIMIT, -IRR_SHOWN_LIMIT, ""
    else:
        high = (1.0 + IRR_SHOWN_LIMIT) ** (1.0 / periods_per_year) - 1.0
        low, unit = -high, "/yr"
    return f'[>{high:.6g}]"> 1,000 %{unit}";[<{low:.6g}]"< -1,000 %{unit}";{base}'
