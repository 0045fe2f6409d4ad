"""The metrics of many cash-flow series at once (thousands of initiatives in ``roadmap roi``
and in a plan workbook): their IRRs and MIRRs are found together.

Each series is a row of net flows at moments 0, 1, … (as :func:`roadmap.money.metrics.irr`
takes them). The answers are those of the one-series functions:

- IRR: a series whose nonzero flows change sign exactly once has exactly one IRR above -100 %
  (Descartes' rule of signs on ``sum x_k v^k``, ``v = 1 / (1 + r) > 0``): those are solved
  together by bisection on ``v``. Every other series (no sign change, or several, where the
  choice among roots is :func:`~roadmap.money.metrics.irr`'s) goes through ``irr`` one by one.
- MIRR: Excel's (numpy-financial's) formula, row by row in one array expression.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from roadmap.money.calendar import Calendar
from roadmap.money.metrics import Metrics, irr, metrics_of, period_moments
from roadmap.money.series import CashFlows

TINY = 1e-9  # flows this small at either end are dropped, as the one-series functions do
# halvings of [0, 1]: 2**-64 is below the spacing of doubles at any v above 0.001 (a rate up
# to 100,000 % a period)
BISECTIONS = 64


def as_matrix(series: Sequence[np.ndarray]) -> np.ndarray:
    """The series as rows of one matrix, zeros after each row's end."""
    width = max((len(s) for s in series), default=0)
    out = np.zeros((len(series), width))
    for i, s in enumerate(series):
        out[i, : len(s)] = s
    return out


def _ends(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: whether any flow is larger than ``TINY``, and the first and last such column."""
    big = np.abs(x) > TINY
    has = big.any(axis=1)
    first = np.argmax(big, axis=1)
    last = x.shape[1] - 1 - np.argmax(big[:, ::-1], axis=1)
    return has, first, last


def _aligned(x: np.ndarray, first: np.ndarray, last: np.ndarray, reverse: bool) -> np.ndarray:
    """Each row's flows from ``first`` to ``last`` moved to column 0 (``reverse``: from ``last``
    down to ``first``), zeros after."""
    n, width = x.shape
    k = np.arange(width)[None, :]
    span = (last - first)[:, None]
    cols = (last[:, None] - k) if reverse else (first[:, None] + k)
    inside = k <= span
    return np.where(inside, x[np.arange(n)[:, None], np.clip(cols, 0, width - 1)], 0.0)


def _sign_changes(x: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Sign changes between consecutive nonzero flows of each row (zeros are skipped)."""
    signs = np.where(inside, np.sign(x), 0.0)
    # carry the last nonzero sign forward over zeros, then count the flips
    idx = np.where(signs != 0, np.arange(x.shape[1])[None, :], 0)
    np.maximum.accumulate(idx, axis=1, out=idx)
    carried = np.take_along_axis(signs, idx, axis=1)
    flips = (carried[:, 1:] * carried[:, :-1]) < 0
    return flips.sum(axis=1)


def _root_in_unit(c: np.ndarray) -> np.ndarray:
    """For rows of coefficients ``c`` whose polynomial ``sum c_k z^k`` changes sign exactly once
    on [0, 1] (its sign at 0 is that of ``c_0``): that point, by bisection."""
    n, width = c.shape
    lo, hi = np.zeros(n), np.ones(n)
    at_zero = np.sign(c[:, 0])
    columns = [c[:, k].copy() for k in range(width)]
    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        value = columns[-1].copy()
        for k in range(width - 2, -1, -1):  # Horner
            value *= mid
            value += columns[k]
        same = np.sign(value) == at_zero
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    return 0.5 * (lo + hi)


def irr_many(series: Sequence[np.ndarray]) -> list[float | None]:
    """:func:`~roadmap.money.metrics.irr` of every series (per period; ``None`` = undefined)."""
    x = as_matrix([np.asarray(s, dtype=float) for s in series])
    out: list[float | None] = [None] * len(series)
    if not len(series) or not x.shape[1]:
        return out
    has, first, last = _ends(x)
    first, last = np.where(has, first, 0), np.where(has, last, 0)
    forward = _aligned(x, first, last, reverse=False)
    inside = np.arange(x.shape[1])[None, :] <= (last - first)[:, None]
    changes = np.where(has, _sign_changes(forward, inside), 0)
    one = np.flatnonzero(changes == 1)
    if one.size:
        # p(v) = sum x_k v^k from the first flow; p(1) is the plain sum of the flows
        total = forward[one].sum(axis=1)
        v = np.ones(one.size)
        below = total * forward[one, 0] < 0  # sign differs at 0 and 1: root in (0, 1), r > 0
        if below.any():
            v[below] = _root_in_unit(forward[one[below]])
        above = (total * forward[one, 0] > 0) & ~below  # root beyond 1 (-100 % < r < 0)
        if above.any():
            # with w = 1 / v, w^(K-1) p(1 / w) is the reversed polynomial: its root in (0, 1)
            rows = one[above]
            w = _root_in_unit(_aligned(x[rows], first[rows], last[rows], reverse=True))
            v[above] = 1.0 / w
        for i, root in zip(one.tolist(), v.tolist(), strict=True):
            rate = 1.0 / root - 1.0 if root > 0 else np.inf
            out[i] = float(rate) if np.isfinite(rate) else None
    for j in np.flatnonzero(changes > 1).tolist():
        out[j] = irr(series[j])
    return out


def mirr_many(series: Sequence[np.ndarray], finance: float, reinvest: float) -> list[float | None]:
    """:func:`~roadmap.money.metrics.mirr` of every series: money out discounted to moment 0 at
    ``finance``, money in compounded to the series' last flow at ``reinvest`` (per period)."""
    x = as_matrix([np.asarray(s, dtype=float) for s in series])
    out: list[float | None] = [None] * len(series)
    if not len(series) or not x.shape[1]:
        return out
    has, _, last = _ends(x)
    k = np.arange(x.shape[1])
    live = k[None, :] <= last[:, None]
    x = np.where(live, x, 0.0)
    both = has & (x > TINY).any(axis=1) & (x < -TINY).any(axis=1) & (last >= 1)
    gains = np.abs((np.where(x > 0, x, 0.0) / (1.0 + reinvest) ** k).sum(axis=1))
    costs = np.abs((np.where(x < 0, x, 0.0) / (1.0 + finance) ** k).sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rate = (gains / costs) ** (1.0 / np.maximum(last, 1)) * (1.0 + reinvest) - 1.0
    for i in np.flatnonzero(both):
        if np.isfinite(rate[i]):
            out[i] = float(rate[i])
    return out


def metrics_many(
    flows: Sequence[CashFlows],
    calendar: Calendar,
    rates: Sequence[float],
    origins: Sequence[int],
    finance: float,
    reinvest: float,
) -> list[Metrics]:
    """:func:`~roadmap.money.metrics.metrics_of` of every series (each at its own discount rate
    per period and from its own start), with the IRRs and MIRRs of the series without dated
    flows found together (those with dated flows take the XIRR, one by one)."""
    plain = [i for i, f in enumerate(flows) if not len(f.dated)]
    moments = [period_moments(flows[i], origins[i]) for i in plain]
    found = zip(irr_many(moments), mirr_many(moments, finance, reinvest), strict=True)
    known = dict(zip(plain, found, strict=True))
    return [
        metrics_of(f, calendar, rate, origin, finance, reinvest, known=known.get(i))
        for i, (f, rate, origin) in enumerate(zip(flows, rates, origins, strict=True))
    ]
