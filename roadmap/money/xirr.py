"""IRR and MIRR of flows at arbitrary times (Excel's XIRR; MIRR generalised to exact times).

Times are in periods of the plan calendar (``tau``: days / 365 x periods per year for dated
flows), rates per period; ``annualise`` turns them into annual rates, so with actual/365 times
the annual figure is Excel's XIRR.
"""

from __future__ import annotations

import numpy as np

_LOW, _HIGH = -0.999999, 1e6  # per-period rates searched for roots


def _value(rate: float, times: np.ndarray, amounts: np.ndarray) -> float:
    return float(np.sum(amounts * (1.0 + rate) ** -times))


def xirr(times: np.ndarray, amounts: np.ndarray) -> float | None:
    """The per-period rate at which the flows' value at time 0 is zero; ``None`` without both
    signs or without a root. With several roots, the one closest to zero (numpy-financial's
    irr chooses so too). Roots are bracketed on a log-spaced grid of 1 + rate, then bisected
    to machine precision."""
    t = np.asarray(times, dtype=float)
    x = np.asarray(amounts, dtype=float)
    live = np.abs(x) > 1e-9
    t, x = t[live], x[live]
    if not (np.any(x > 0) and np.any(x < 0)):
        return None
    t = t - t.min()  # the same roots, steadier powers
    grid = (
        np.concatenate(
            [np.geomspace(1.0 + _LOW, 1.0, 400)[:-1], np.geomspace(1.0, 1.0 + _HIGH, 600)]
        )
        - 1.0
    )
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        values = np.array([_value(g, t, x) for g in grid])
    roots: list[float] = []
    for k in range(len(grid) - 1):
        a, b, fa, fb = grid[k], grid[k + 1], values[k], values[k + 1]
        if not (np.isfinite(fa) and np.isfinite(fb)):
            continue
        if fa == 0.0:
            roots.append(float(a))
        elif fa * fb < 0:
            roots.append(_bisect(a, b, fa, t, x))
    if not roots:
        return None
    return min(roots, key=abs)


def _bisect(a: float, b: float, fa: float, t: np.ndarray, x: np.ndarray) -> float:
    for _ in range(200):
        m = 0.5 * (a + b)
        fm = _value(m, t, x)
        if fm == 0.0 or b - a <= 1e-15 * max(1.0, abs(m)):
            return m
        if (fm < 0) == (fa < 0):
            a, fa = m, fm
        else:
            b = m
    return 0.5 * (a + b)


def xmirr(times: np.ndarray, amounts: np.ndarray, finance: float, reinvest: float) -> float | None:
    """Modified IRR on exact times: money out discounted to the first moment at ``finance``,
    money in compounded to the last flow at ``reinvest``, per period:
    ``(FV(in) / -PV(out)) ** (1 / T) - 1`` with ``T`` the time from the first moment to the
    last flow. With times 0, 1, …, n-1 this is Excel's MIRR. ``None`` without both signs."""
    t = np.asarray(times, dtype=float)
    x = np.asarray(amounts, dtype=float)
    live = np.abs(x) > 1e-9
    if not (np.any(x[live] > 0) and np.any(x[live] < 0)):
        return None
    first, last = float(t.min()), float(t[live].max())
    span = last - first
    if span <= 0:
        return None
    out = x < 0
    pv_out = float(np.sum(x[out] * (1.0 + finance) ** -(t[out] - first)))
    fv_in = float(np.sum(x[~out] * (1.0 + reinvest) ** (last - t[~out])))
    return float((fv_in / -pv_out) ** (1.0 / span) - 1.0)
