"""IRR and MIRR of flows at arbitrary times (Excel's IRR and XIRR; MIRR generalised to exact
times).

Times are in any unit (periods of the plan calendar, or years for Excel's XIRR); a rate is per
that unit. For flows at whole periods 0, 1, … the rate is Excel's IRR; with times in years from
actual/365 days, Excel's XIRR.

WHICH ROOT. A series whose sign changes more than once can have several IRRs. Every real root
above -100 % is found (bracketed on a log-spaced grid of 1 + rate from 1e-12 (-99.9999999999 %) to
+100,000,000 %, each bracket bisected to machine precision), then the one reported is the root
Excel reports: Newton's iteration from Excel's default guess of 10 % (up to 50 steps); when that
iteration does not settle on a root, the root nearest 10 %. This rule is the tool's own, so
the answer does not depend on the installed numpy-financial (whose older releases return the
root nearest zero). ``IrrResult.roots`` keeps them all: more than one means the IRR is
ambiguous and MIRR is the figure to quote.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_LOW, _HIGH = -1.0 + 1e-12, 1e6  # rates searched for roots (1 + rate from 1e-12 up)
GUESS = 0.10  # Excel's default guess for IRR and XIRR


@dataclass(frozen=True)
class IrrResult:
    """The rate reported and every real root (ascending), per unit of time."""

    rate: float
    roots: tuple[float, ...]

    @property
    def ambiguous(self) -> bool:
        return len(self.roots) > 1


def _signed_value(rate: float, t: np.ndarray, x: np.ndarray) -> float:
    """A positive multiple of the flows' value at time 0 (same sign, same roots): the powers are
    scaled by their largest, so no term overflows at rates near -100 %."""
    e = -t * np.log1p(rate)
    return float(np.sum(x * np.exp(e - e.max())))


def _value_and_slope(rate: float, t: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        d = (1.0 + rate) ** -t
        return float(np.sum(x * d)), float(np.sum(-t * x * d / (1.0 + rate)))


def _live(times: np.ndarray, amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    t = np.asarray(times, dtype=float)
    x = np.asarray(amounts, dtype=float)
    live = np.abs(x) > 1e-9
    t, x = t[live], x[live]
    if not (np.any(x > 0) and np.any(x < 0)):
        return None
    return t - t.min(), x  # the same roots, steadier powers


def irr_roots(times: np.ndarray, amounts: np.ndarray) -> tuple[float, ...]:
    """Every real rate above -100 % at which the flows' value at time 0 is zero, ascending;
    empty without both signs. A root where the value touches zero without crossing it is
    missed (it has no bracket)."""
    live = _live(times, amounts)
    if live is None:
        return ()
    t, x = live
    grid = (
        np.concatenate(
            [np.geomspace(1.0 + _LOW, 1.0, 400)[:-1], np.geomspace(1.0, 1.0 + _HIGH, 600)]
        )
        - 1.0
    )
    signs = np.sign([_signed_value(g, t, x) for g in grid])
    roots: list[float] = []
    for k in range(len(grid) - 1):
        if signs[k] == 0.0:
            roots.append(float(grid[k]))
        elif signs[k] * signs[k + 1] < 0:
            roots.append(_bisect(float(grid[k]), float(grid[k + 1]), signs[k], t, x))
    return tuple(roots)


def _bisect(a: float, b: float, sign_a: float, t: np.ndarray, x: np.ndarray) -> float:
    for _ in range(200):
        m = 0.5 * (a + b)
        fm = _signed_value(m, t, x)
        if fm == 0.0 or b - a <= 1e-15 * max(1.0, abs(m)):
            return m
        if np.sign(fm) == sign_a:
            a = m
        else:
            b = m
    return 0.5 * (a + b)


def _newton(t: np.ndarray, x: np.ndarray, guess: float) -> float | None:
    """Where Newton's iteration from ``guess`` settles, as Excel's IRR iterates; ``None`` when
    it leaves the rates above -100 % or does not settle."""
    r = guess
    for _ in range(50):
        f, slope = _value_and_slope(r, t, x)
        if not (np.isfinite(f) and np.isfinite(slope)) or slope == 0.0:
            return None
        step = f / slope
        r -= step
        if not np.isfinite(r) or r <= -1.0:
            return None
        if abs(step) <= 1e-12 * max(1.0, abs(r)):
            return r
    return None


def xirr_result(times: np.ndarray, amounts: np.ndarray, guess: float = GUESS) -> IrrResult | None:
    """The IRR Excel reports for these flows (see the module docstring), with every root;
    ``None`` without both signs or without a root."""
    roots = irr_roots(times, amounts)
    if not roots:
        return None
    live = _live(times, amounts)
    assert live is not None
    settled = _newton(*live, guess)
    if settled is not None:
        nearest = min(roots, key=lambda r: abs(r - settled))
        if abs(nearest - settled) <= 1e-6 * max(1.0, abs(settled)):
            return IrrResult(nearest, roots)
    return IrrResult(min(roots, key=lambda r: abs(r - guess)), roots)


def xirr(times: np.ndarray, amounts: np.ndarray, guess: float = GUESS) -> float | None:
    """The rate of :func:`xirr_result`, or ``None``."""
    found = xirr_result(times, amounts, guess)
    return None if found is None else found.rate


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
