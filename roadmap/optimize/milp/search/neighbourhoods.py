"""Which initiatives a fix-and-optimise round frees: pure choices over the incumbent plan.

Every neighbourhood returns a set of candidate ids of (at most) the requested size; the search
(``lns.py``) fixes every other initiative's start to the incumbent and re-solves the rest. The
kinds, and why each exists:

- ``window``: the initiatives whose start (or, when left out, whose earliest start) lies closest
  to a random period: a band of periods re-planned as a whole, where capacity and budget rows of
  those periods are shared;
- ``team``: the initiatives staffed by one or two random teams, nearest to a random period when
  there are more: capacity rows of a team only change when its own work moves;
- ``random``: a uniform random subset, for diversity;
- ``lp``: initiatives drawn with probability growing with how far the LP relaxation's start
  profile is from the incumbent (1 - x_LP[i, incumbent start], or the LP's selection share when
  left out): where the relaxation sees value the incumbent misses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

KINDS = ("window", "team", "random", "lp")


@dataclass(frozen=True)
class Layout:
    """What the neighbourhoods know of the model: candidates, windows, the teams they use."""

    ids: tuple[str, ...]
    earliest: Mapping[str, int]
    latest: Mapping[str, int]
    teams: Mapping[str, frozenset[int]]  # team indices an initiative puts FTE on
    team_count: int
    horizon: int


def anchor(layout: Layout, incumbent: Mapping[str, int], iid: str) -> float:
    """Where an initiative sits in time: its start, or the middle of its window when left out."""
    if iid in incumbent:
        return float(incumbent[iid])
    return (layout.earliest[iid] + layout.latest[iid]) / 2.0


def _nearest(
    layout: Layout, incumbent: Mapping[str, int], pool: Sequence[str], period: float, size: int
) -> set[str]:
    # ties broken by id order so the same draw gives the same set
    ranked = sorted(pool, key=lambda i: (abs(anchor(layout, incumbent, i) - period), i))
    return set(ranked[:size])


def window(
    layout: Layout, incumbent: Mapping[str, int], rng: np.random.Generator, size: int
) -> set[str]:
    """The ``size`` initiatives sitting nearest to a random period."""
    period = float(rng.integers(0, max(layout.horizon, 1)))
    return _nearest(layout, incumbent, layout.ids, period, size)


def team(
    layout: Layout, incumbent: Mapping[str, int], rng: np.random.Generator, size: int
) -> set[str]:
    """Initiatives staffed by one or two random teams (nearest a random period beyond ``size``)."""
    if layout.team_count == 0:
        return random(layout, rng, size)
    picked = {int(rng.integers(0, layout.team_count))}
    if layout.team_count > 1 and rng.random() < 0.5:
        picked.add(int(rng.integers(0, layout.team_count)))
    pool = [i for i in layout.ids if layout.teams.get(i, frozenset()) & picked]
    if not pool:
        return random(layout, rng, size)
    period = float(rng.integers(0, max(layout.horizon, 1)))
    return _nearest(layout, incumbent, pool, period, size)


def random(layout: Layout, rng: np.random.Generator, size: int) -> set[str]:
    """A uniform random subset of ``size`` candidates."""
    size = min(size, len(layout.ids))
    chosen = rng.choice(len(layout.ids), size=size, replace=False)
    return {layout.ids[k] for k in chosen}


def lp_disagreement(
    layout: Layout, disagreement: Mapping[str, float], rng: np.random.Generator, size: int
) -> set[str]:
    """``size`` candidates drawn without replacement, weight = disagreement (+ a small floor so
    that agreeing initiatives can still be drawn alongside)."""
    size = min(size, len(layout.ids))
    weight = np.array([disagreement.get(i, 0.0) for i in layout.ids], dtype=float)
    weight = np.clip(weight, 0.0, None) + 1e-3
    chosen = rng.choice(len(layout.ids), size=size, replace=False, p=weight / weight.sum())
    return {layout.ids[k] for k in chosen}


def disagreement_of(
    lp_starts: Mapping[str, Mapping[int, float]], incumbent: Mapping[str, int]
) -> dict[str, float]:
    """Per initiative, how far the LP relaxation's start profile (period -> x_LP) is from the
    incumbent: 1 - x_LP at the incumbent's start, or sum_t x_LP when the incumbent leaves it out."""
    out: dict[str, float] = {}
    for iid, profile in lp_starts.items():
        if iid in incumbent:
            out[iid] = 1.0 - float(profile.get(incumbent[iid], 0.0))
        else:
            out[iid] = float(sum(profile.values()))
    return out


def choose(
    kind: str,
    layout: Layout,
    incumbent: Mapping[str, int],
    rng: np.random.Generator,
    size: int,
    disagreement: Mapping[str, float] | None = None,
) -> set[str]:
    """The neighbourhood of ``kind`` (one of ``KINDS``); ``lp`` without a relaxation is random."""
    size = max(1, min(size, len(layout.ids)))
    if kind == "window":
        return window(layout, incumbent, rng, size)
    if kind == "team":
        return team(layout, incumbent, rng, size)
    if kind == "lp" and disagreement:
        return lp_disagreement(layout, disagreement, rng, size)
    return random(layout, rng, size)


@dataclass
class Adaptive:
    """Roulette over the kinds with weights that follow success, and a size that follows how
    the sub-MIPs end: proven without gain -> larger (the neighbourhood was too easy), stopped on
    time -> smaller (too hard to search in a round)."""

    kinds: tuple[str, ...]
    size: float
    low: int
    high: int
    weights: dict[str, float] | None = None

    def __post_init__(self) -> None:
        if self.weights is None:
            self.weights = dict.fromkeys(self.kinds, 1.0)

    def pick(self, rng: np.random.Generator) -> str:
        assert self.weights is not None
        w = np.array([self.weights[k] for k in self.kinds], dtype=float)
        return self.kinds[int(rng.choice(len(self.kinds), p=w / w.sum()))]

    def record(self, kind: str, improved: bool, proven: bool) -> None:
        assert self.weights is not None
        # exponential smoothing towards 1 (gain) or a floor (no gain): no kind ever dies out
        self.weights[kind] = 0.8 * self.weights[kind] + 0.2 * (1.0 if improved else 0.1)
        if improved:
            return
        self.size *= 1.25 if proven else 0.8
        self.size = float(min(max(self.size, self.low), self.high))

    @property
    def current(self) -> int:
        return round(self.size)
