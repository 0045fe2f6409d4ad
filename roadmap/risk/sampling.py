"""The sampled worlds as arrays: per sample and initiative a build-cost factor, a benefit factor
and a duration; per sample and risk event whether it happened.

METHOD (the risk workbook's Assumptions sheet says the same):

- Randomness: numpy's default generator seeded from ``SeedSequence(seed)``, one independent
  stream per purpose (the ranges' own draws, the owner functions' common draws, the risk
  events), each filled sample by sample. Sample ``k`` is therefore a pure function of the
  portfolio, the seed and ``k``: the first 1,000 of 10,000 samples are the 1,000 samples of a
  run with ``--samples 1000``, and re-optimised world ``k`` is sample ``k``.
- Ranges: each initiative's cost, benefit and duration range (Uncertainty sheet; none = the
  plan's value) is drawn by inversion (``distributions``) from a uniform ``u = Phi(z)``.
- Correlation (Settings "Risk correlation" rho): ``z = sqrt(rho) * f + sqrt(1 - rho) * e``,
  with ``f`` one standard normal per sample, owner function and quantity (cost, benefit,
  duration) and ``e`` the initiative's own; initiatives of one function move together (rank
  correlation about rho between two of them), those without an owner function alone.
- Durations are drawn as numbers and rounded to whole build periods (halves up), at least 1.
- Risk events: each happens in a sample with its probability (one uniform per sample and
  event) and then hits all its initiatives at once: build cost x (1 + cost impact), benefits x
  (1 + benefit impact), duration + delay; several events multiply (and add delays).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from roadmap.domain import Portfolio
from roadmap.risk.distributions import ppf

QUANTITIES = ("cost", "benefit", "duration")
# spawn keys of the independent streams (never reorder: a seed must keep its figures)
_OWN, _COMMON, _EVENTS = 0, 1, 2


@dataclass(frozen=True, eq=False)
class Draws:
    """``samples`` sampled worlds of a portfolio; columns follow ``portfolio.initiatives``.

    ``cost``, ``benefit`` and ``duration`` are the ranges' draws alone (for the tornado);
    ``cost_factor``, ``benefit_factor`` and ``durations`` include the risk events (what a
    world is)."""

    ids: tuple[str, ...]
    cost: np.ndarray  # (S, n) build-cost factor from the range
    benefit: np.ndarray  # (S, n) benefit factor from the range
    duration: np.ndarray  # (S, n) int build periods from the range
    happened: np.ndarray  # (S, E) bool: the risk event happened
    event_names: tuple[str, ...]
    cost_factor: np.ndarray  # (S, n) with the events
    benefit_factor: np.ndarray  # (S, n)
    durations: np.ndarray  # (S, n) int, with the delays
    seed: int | None = None
    distribution: str = "triangular"
    correlation: float = 0.0

    @property
    def samples(self) -> int:
        return int(self.cost.shape[0])

    def head(self, k: int) -> Draws:
        """The first ``k`` samples."""
        return Draws(
            self.ids,
            self.cost[:k],
            self.benefit[:k],
            self.duration[:k],
            self.happened[:k],
            self.event_names,
            self.cost_factor[:k],
            self.benefit_factor[:k],
            self.durations[:k],
            self.seed,
            self.distribution,
            self.correlation,
        )


def ranges(portfolio: Portfolio) -> np.ndarray:
    """(3 quantities, 3 points low/likely/high, n) with blanks filled by the plan's values."""
    inis = portfolio.initiatives
    out = np.empty((3, 3, len(inis)))
    by_id = {e.initiative: e for e in portfolio.estimates}
    for i, ini in enumerate(inis):
        planned = {"cost": 1.0, "benefit": 1.0, "duration": float(max(1, ini.duration))}
        e = by_id.get(ini.id)
        for q, name in enumerate(QUANTITIES):
            if e is None:
                out[q, :, i] = planned[name]
            else:
                out[q, :, i] = e.range(name, planned[name])
    return out


def hit_matrix(portfolio: Portfolio) -> np.ndarray:
    """(E, n) bool: risk event e hits initiative i."""
    return np.array(
        [[r.hits(ini) for ini in portfolio.initiatives] for r in portfolio.risks], dtype=bool
    ).reshape(len(portfolio.risks), len(portfolio.initiatives))


def _groups(portfolio: Portfolio) -> tuple[np.ndarray, int]:
    """Owner-function group of each initiative (-1 = none) and the number of groups, numbered
    in order of first appearance."""
    seen: dict[str, int] = {}
    group = []
    for ini in portfolio.initiatives:
        key = ini.owner_function.strip().casefold()
        group.append(seen.setdefault(key, len(seen)) if key else -1)
    return np.array(group, dtype=int), len(seen)


def round_periods(x: np.ndarray) -> np.ndarray:
    """Whole build periods: halves up, at least one."""
    return np.maximum(1, np.floor(x + 0.5)).astype(int)


def draw(portfolio: Portfolio, samples: int, seed: int) -> Draws:
    """``samples`` sampled worlds of ``portfolio`` (see the module's METHOD)."""
    settings = portfolio.settings
    kind, rho = settings.risk_distribution, float(settings.risk_correlation)
    n, events = len(portfolio.initiatives), portfolio.risks
    root = np.random.SeedSequence(seed)

    def stream(purpose: int) -> np.random.Generator:
        key = (*root.spawn_key, purpose)
        return np.random.default_rng(np.random.SeedSequence(root.entropy, spawn_key=key))

    own = stream(_OWN).standard_normal((samples, n, 3))
    group, groups = _groups(portfolio)
    common = stream(_COMMON).standard_normal((samples, max(groups, 1), 3))
    shared = np.where(group[None, :, None] >= 0, common[:, np.maximum(group, 0), :], 0.0)
    weight = np.where(group >= 0, np.sqrt(rho), 0.0)[None, :, None]
    z = weight * shared + np.sqrt(1.0 - weight**2) * own
    u = special.ndtr(z)
    r = ranges(portfolio)
    values = [ppf(kind, u[:, :, q], r[q, 0], r[q, 1], r[q, 2]) for q in range(3)]
    cost, benefit = values[0], values[1]
    duration = round_periods(values[2])
    happened = stream(_EVENTS).random((samples, len(events))) < np.array(
        [e.probability for e in events], dtype=float
    )
    hits = hit_matrix(portfolio)
    cost_factor, benefit_factor, durations = cost.copy(), benefit.copy(), duration.copy()
    for e, event in enumerate(events):
        on = happened[:, e : e + 1] & hits[e][None, :]
        cost_factor = np.where(on, cost_factor * (1.0 + event.cost_impact), cost_factor)
        benefit_factor = np.where(on, benefit_factor * (1.0 + event.benefit_impact), benefit_factor)
        durations = np.where(on, durations + int(event.delay), durations)
    return Draws(
        ids=tuple(i.id for i in portfolio.initiatives),
        cost=cost,
        benefit=benefit,
        duration=duration,
        happened=happened,
        event_names=tuple(e.name for e in events),
        cost_factor=cost_factor,
        benefit_factor=np.maximum(benefit_factor, 0.0),
        durations=np.maximum(durations, 1),
        seed=seed,
        distribution=kind,
        correlation=rho,
    )


def planned(portfolio: Portfolio) -> Draws:
    """One world where everything is as planned (factors 1, the Initiatives durations, no risk
    event): the deterministic plan's figures."""
    n, e = len(portfolio.initiatives), len(portfolio.risks)
    ones = np.ones((1, n))
    durations = np.array([[max(1, i.duration) for i in portfolio.initiatives]], dtype=int)
    durations = durations.reshape(1, n)
    return Draws(
        tuple(i.id for i in portfolio.initiatives),
        ones,
        ones.copy(),
        durations,
        np.zeros((1, e), dtype=bool),
        tuple(r.name for r in portfolio.risks),
        ones.copy(),
        ones.copy(),
        durations.copy(),
        distribution=portfolio.settings.risk_distribution,
        correlation=portfolio.settings.risk_correlation,
    )
