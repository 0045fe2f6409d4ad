"""An initiative's explicit business case (Cash flows sheet) laid out by offset from its start.

CONVENTIONS (the README and the roi workbook's Method sheet say the same):

- The reference is the initiative's start (offset 0 is its first period) or its go-live (offset
  D, the first period after a build of D periods).
- Year k >= 1 is the k-th year after the reference: its amount is spread evenly over that
  year's periods (offsets ref + (k-1)·P … ref + k·P - 1 with P periods per year), each part
  booked at the end of its period like every other flow.
- Period k >= 1 is the k-th period after the reference: offset ref + k - 1.
- Year 0 / period 0 is the reference moment itself: the start of offset ref, which is the end
  of offset ref - 1. From go-live that is the end of the last build period. From the start it
  is the moment before the first period: for an initiative starting at the plan start, the
  valuation date itself (discount factor 1, as the first value in numpy-financial's npv and
  the value outside Excel's NPV); budgets count it in the initiative's first period.
- Amounts of the same initiative, category and offset add up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from roadmap.domain import CashFlowLine, FlowBasis, FlowCategory

CATEGORIES = tuple(FlowCategory)


@dataclass(frozen=True)
class Explicit:
    """Amounts by category and offset (``by_offset[c, k]``) and at the start moment (``pre[c]``),
    categories in ``CATEGORIES`` order."""

    by_offset: np.ndarray  # (5, n)
    pre: np.ndarray  # (5,)

    def category(self, c: FlowCategory) -> np.ndarray:
        return self.by_offset[CATEGORIES.index(c)]

    def pre_of(self, c: FlowCategory) -> float:
        return float(self.pre[CATEGORIES.index(c)])


def offsets(line: CashFlowLine, duration: int, periods_per_year: int) -> tuple[int, int]:
    """The offsets ``lo .. hi - 1`` a row's amount is spread over; ``(-1, 0)`` = the start
    moment (before offset 0) from the start, the end of the build's last period from go-live."""
    ref = duration if line.counted_from is FlowBasis.GO_LIVE else 0
    if line.year is not None:
        if line.year == 0:
            return ref - 1, ref
        lo = ref + (line.year - 1) * periods_per_year
        return lo, lo + periods_per_year
    k = line.period or 0
    if k == 0:
        return ref - 1, ref
    return ref + k - 1, ref + k


def explicit(
    lines: Iterable[CashFlowLine], duration: int, periods_per_year: int, length: int = 0
) -> Explicit:
    """Lay the rows out by offset; at least ``length`` offsets (more if a row lies later)."""
    items = list(lines)
    spans = [offsets(line, duration, periods_per_year) for line in items]
    n = max([length, duration, *(hi for _, hi in spans)])
    by_offset = np.zeros((len(CATEGORIES), n))
    pre = np.zeros(len(CATEGORIES))
    for line, (lo, hi) in zip(items, spans, strict=True):
        c = CATEGORIES.index(line.category)
        if lo < 0:
            pre[c] += line.amount
        else:
            by_offset[c, lo:hi] += line.amount / (hi - lo)
    return Explicit(by_offset, pre)
