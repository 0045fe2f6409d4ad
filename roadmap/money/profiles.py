"""Phase profiles: how a total (spend) or a peak (FTE) is spread over an initiative's build periods."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def phase_weights(profile: Sequence[float], duration: int) -> np.ndarray:
    """Relative intensity in each of ``duration`` build periods.

    The ``k`` phases of ``profile`` are laid evenly over the build: build period ``p`` belongs to
    phase ``floor(p * k / duration)``. An empty profile is flat (all ones).

    >>> phase_weights([0.5, 1.0], 4).tolist()
    [0.5, 0.5, 1.0, 1.0]
    >>> phase_weights([1, 2, 1], 2).tolist()
    [1.0, 2.0]
    """
    if duration < 1:
        raise ValueError("duration must be at least 1 period")
    if not profile:
        return np.ones(duration)
    weights = np.asarray(profile, dtype=float)
    phase = (np.arange(duration) * len(weights)) // duration
    return weights[phase]


def spread(total: float, profile: Sequence[float], duration: int) -> np.ndarray:
    """Split ``total`` over the build periods in proportion to the phase weights (sums to total)."""
    w = phase_weights(profile, duration)
    s = w.sum()
    if s <= 0:
        return np.full(duration, total / duration)
    return total * w / s


def fte_by_period(peak_fte: float, profile: Sequence[float], duration: int) -> np.ndarray:
    """FTE needed in each build period: the peak scaled by the phase intensity (1.0 = peak)."""
    return peak_fte * phase_weights(profile, duration)
