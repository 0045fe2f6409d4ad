"""Three-point ranges as distributions, drawn by inversion: a uniform ``u`` in (0, 1) becomes
the value below which a share ``u`` of the range's probability lies.

- triangular(low, likely, high): the density rises linearly from ``low`` to ``likely`` and
  falls to ``high``; mean (low + likely + high) / 3.
- PERT(low, likely, high): a beta distribution on [low, high] with shape
  ``a = 1 + 4 (likely - low) / (high - low)``, ``b = 1 + 4 (high - likely) / (high - low)``;
  mean (low + 4 likely + high) / 6; less weight in the tails than the triangle.

A range with ``low == high`` is that value, whatever ``u``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

TRIANGULAR, PERT = "triangular", "pert"
DISTRIBUTIONS = (TRIANGULAR, PERT)


def triangular_ppf(
    u: np.ndarray, low: np.ndarray, likely: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """Inverse distribution of the triangle, elementwise (arrays broadcast)."""
    u, low, likely, high = np.broadcast_arrays(
        np.asarray(u, float),
        np.asarray(low, float),
        np.asarray(likely, float),
        np.asarray(high, float),
    )
    width = high - low
    flat = width <= 0
    safe = np.where(flat, 1.0, width)
    mode = (likely - low) / safe  # where the density peaks, as a share of the width
    left = low + np.sqrt(np.clip(u * safe * (likely - low), 0.0, None))
    right = high - np.sqrt(np.clip((1.0 - u) * safe * (high - likely), 0.0, None))
    out = np.where(u < mode, left, right)
    return np.where(flat, likely, out)


def pert_ppf(u: np.ndarray, low: np.ndarray, likely: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse distribution of the PERT (beta) range, elementwise."""
    u, low, likely, high = np.broadcast_arrays(
        np.asarray(u, float),
        np.asarray(low, float),
        np.asarray(likely, float),
        np.asarray(high, float),
    )
    width = high - low
    flat = width <= 0
    safe = np.where(flat, 1.0, width)
    a = 1.0 + 4.0 * (likely - low) / safe
    b = 1.0 + 4.0 * (high - likely) / safe
    x = special.betaincinv(np.where(flat, 1.0, a), np.where(flat, 1.0, b), u)
    return np.where(flat, likely, low + safe * x)


def ppf(
    kind: str, u: np.ndarray, low: np.ndarray, likely: np.ndarray, high: np.ndarray
) -> np.ndarray:
    if kind == PERT:
        return pert_ppf(u, low, likely, high)
    if kind == TRIANGULAR:
        return triangular_ppf(u, low, likely, high)
    raise ValueError(f"unknown distribution {kind!r}: use one of {', '.join(DISTRIBUTIONS)}")


def mean(kind: str, low: float, likely: float, high: float) -> float:
    """The analytic mean of a range."""
    if kind == PERT:
        return (low + 4.0 * likely + high) / 6.0
    return (low + likely + high) / 3.0


def cdf(kind: str, x: np.ndarray, low: float, likely: float, high: float) -> np.ndarray:
    """The analytic distribution function (share of the probability at or below ``x``)."""
    x = np.asarray(x, float)
    if high <= low:
        return (x >= likely).astype(float)
    z = np.clip((x - low) / (high - low), 0.0, 1.0)
    if kind == PERT:
        a = 1.0 + 4.0 * (likely - low) / (high - low)
        b = 1.0 + 4.0 * (high - likely) / (high - low)
        return np.asarray(special.betainc(a, b, z), float)
    m = (likely - low) / (high - low)
    below = np.where(m > 0, z * z / np.where(m > 0, m, 1.0), 1.0)
    above = 1.0 - np.where(m < 1, (1.0 - z) ** 2 / np.where(m < 1, 1.0 - m, 1.0), 0.0)
    return np.where(z <= m, np.where(z <= 0, 0.0, below), above)
