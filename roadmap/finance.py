"""Cash flows and the money case (NPV, IRR, ROI, payback). The only user of numpy-financial.

CONTRACT (agreed between the money, optimizer and report stages; extend, do not fork):

- ``cash_flows(initiative, start, calendar, settings, portfolio) -> CashFlows``: the initiative's
  per-period series on the plan calendar for any start period (negative = started before the plan;
  periods before 0 are sunk and left out).
- ``start_values(portfolio, calendar) -> StartValues``: for every initiative and every start
  period 0..H-1 at once (vectorised), what the optimizer needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roadmap.calendar import Calendar
from roadmap.domain import Portfolio


@dataclass(frozen=True)
class StartValues:
    """Rows follow ``portfolio.initiatives``; columns are start periods ``t = 0..H-1``
    (for ``npv``) or offsets ``k = 0..H-1`` from the start (for the spend arrays): an initiative
    started in ``t`` spends ``capex[i, k]`` in plan period ``t + k``."""

    ids: tuple[str, ...]
    npv: np.ndarray  # (n, H) value at plan start of starting in period t
    capex: np.ndarray  # (n, H) by offset
    opex: np.ndarray  # (n, H) by offset: one-off opex during build + run cost after go-live
    total_cost: np.ndarray  # (n,) undiscounted cost over the evaluation window


def start_values(portfolio: Portfolio, calendar: Calendar) -> StartValues:
    raise NotImplementedError("built by the money stage")
