"""Weighted criteria scores (0–100) and criteria weights, given directly or by AHP.

Rules (the README says the same):

- Each score is placed on its criterion's scale: ``(value - min) / (max - min)``, clipped to 0..1;
  for "lower is better" criteria the result is inverted (``1 - x``).
- An initiative's score is ``100 * sum(w_c * x_c) / sum(w_c)``: 0 = worst on every criterion,
  100 = best on every criterion.
- A missing score counts as the WORST end of its scale, so a blank cell never helps an
  initiative; every gap is reported as a warning.
- Weights: when every criterion has a weight, those weights are used (any scale; they are
  normalised to sum to 1). When some weight is blank and a Pairwise sheet is given, the weights
  are the principal eigenvector of the pairwise matrix (analytic hierarchy process), with the
  consistency ratio ``CR = CI / RI(n)``, ``CI = (lambda_max - n) / (n - 1)`` and Saaty's random
  index ``RI``; above 0.10 a warning says the comparisons contradict each other. Without a
  Pairwise sheet, blank weights count as 0 (all blank: equal weights), with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from roadmap.domain import Criterion, Finding, Pairwise, Portfolio, Severity
from roadmap.errors import InputError

# Saaty's random consistency index by matrix size (Saaty 1980, extended to 15 criteria).
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
CONSISTENCY_LIMIT = 0.10


@dataclass(frozen=True)
class Weights:
    weights: dict[str, float]  # criterion id -> weight, summing to 1 (empty without criteria)
    method: Literal["direct", "ahp"] = "direct"
    consistency_ratio: float | None = None  # AHP only
    warnings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Scores:
    scores: dict[str, float]  # initiative id -> 0..100
    weights: Weights
    warnings: tuple[Finding, ...] = field(default=())


def _warning(sheet: str, message: str, fix: str = "", row: int | None = None) -> Finding:
    return Finding(Severity.WARNING, sheet, message, fix, row=row, code="criteria")


def ahp_weights(matrix: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Principal-eigenvector weights, ``lambda_max`` and the consistency ratio of a pairwise
    comparison matrix (``matrix[i, j]`` = importance of i over j)."""
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    weights = vector / vector.sum()
    lam = float(values[k].real)
    if n <= 2:
        return weights, lam, 0.0
    ci = (lam - n) / (n - 1)
    ri = RANDOM_INDEX.get(n, RANDOM_INDEX[max(RANDOM_INDEX)])
    return weights, lam, max(0.0, ci / ri)


def _from_pairwise(criteria: tuple[Criterion, ...], pairwise: Pairwise) -> Weights:
    warnings: list[Finding] = []
    ids = list(pairwise.criteria)
    a = np.array(pairwise.matrix, dtype=float)
    if a.shape != (len(ids), len(ids)) or not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise InputError(
            "the Pairwise sheet cannot be used",
            (
                Finding(
                    Severity.ERROR,
                    "Pairwise",
                    "the matrix must be square, one row and one column per criterion, "
                    "with positive numbers only",
                    "fill every cell with a value from the Saaty scale (1/9 … 9)",
                    code="pairwise-shape",
                ),
            ),
        )
    if not np.allclose(a * a.T, 1.0, rtol=1e-3, atol=1e-3):
        warnings.append(
            _warning(
                "Pairwise",
                "the matrix is not reciprocal (row i, column j should be 1 / row j, column i)",
                "fill only the cells above the diagonal and let the others be 1 / that value",
            )
        )
    vector, _, cr = ahp_weights(a)
    weights = {c.id: 0.0 for c in criteria}
    for cid, w in zip(ids, vector, strict=True):
        if cid in weights:
            weights[cid] = float(w)
    missing = [c.id for c in criteria if c.id not in ids]
    if missing:
        warnings.append(
            _warning(
                "Pairwise",
                f"criteria {', '.join(missing)} are not compared and get weight 0",
                "add a row and a column for each criterion",
            )
        )
    total = sum(weights.values())
    if total > 0:
        weights = {k: w / total for k, w in weights.items()}
    if cr > CONSISTENCY_LIMIT:
        warnings.append(
            _warning(
                "Pairwise",
                f"consistency ratio {cr:.2f} is above {CONSISTENCY_LIMIT:.2f}: the comparisons "
                "contradict each other",
                "revisit the comparisons (if A > B and B > C, A should be > C)",
            )
        )
    return Weights(weights, "ahp", cr, tuple(warnings))


def criteria_weights(portfolio: Portfolio) -> Weights:
    """Criterion weights summing to 1: direct when all are given, otherwise AHP (see module)."""
    criteria = portfolio.criteria
    if not criteria:
        return Weights({})
    blank = [c for c in criteria if c.weight is None]
    if blank and portfolio.pairwise is not None:
        return _from_pairwise(criteria, portfolio.pairwise)
    warnings: list[Finding] = []
    raw = {c.id: float(c.weight) if c.weight is not None else 0.0 for c in criteria}
    if blank:
        warnings.append(
            _warning(
                "Criteria",
                f"no weight for {', '.join(c.id for c in blank)} and no Pairwise sheet: "
                "counted as 0",
                "give every criterion a weight, or fill the Pairwise sheet",
                row=blank[0].row,
            )
        )
    total = sum(raw.values())
    if total <= 0:
        warnings.append(_warning("Criteria", "all weights are 0: every criterion counts equally"))
        raw = {k: 1.0 for k in raw}
        total = float(len(raw))
    return Weights({k: w / total for k, w in raw.items()}, "direct", None, tuple(warnings))


def normalise(value: float, criterion: Criterion) -> float:
    """A score on its scale, 0 (worst) .. 1 (best), clipped; inverted when lower is better."""
    span = criterion.scale_max - criterion.scale_min
    x = 0.0 if span <= 0 else (value - criterion.scale_min) / span
    x = min(1.0, max(0.0, x))
    return x if criterion.higher_is_better else 1.0 - x


def criteria_scores(portfolio: Portfolio) -> Scores:
    """Every initiative's weighted score 0..100 with the weights and warnings behind it."""
    weights = criteria_weights(portfolio)
    warnings = list(weights.warnings)
    by_id = {c.id: c for c in portfolio.criteria}
    given: dict[tuple[str, str], float] = {}
    for s in portfolio.scores:
        crit = by_id.get(s.criterion)
        if crit is None:
            continue  # an unknown criterion column is reported by the validator
        lo, hi = sorted((crit.scale_min, crit.scale_max))
        if not lo <= s.value <= hi:
            warnings.append(
                _warning(
                    "Scores",
                    f"{s.initiative} scores {s.value:g} on {s.criterion}, outside its scale "
                    f"{crit.scale_min:g}–{crit.scale_max:g}: clipped",
                    "use a value inside the scale on the Criteria sheet",
                    row=s.row,
                )
            )
        given[(s.initiative, s.criterion)] = s.value
    scores: dict[str, float] = {}
    for ini in portfolio.initiatives:
        if not by_id:
            scores[ini.id] = 0.0
            continue
        total = 0.0
        missing: list[str] = []
        for cid, crit in by_id.items():
            value = given.get((ini.id, cid))
            if value is None:
                missing.append(cid)
                continue  # worst end of the scale contributes 0
            total += weights.weights.get(cid, 0.0) * normalise(value, crit)
        if missing:
            warnings.append(
                _warning(
                    "Scores",
                    f"{ini.id} has no score for {', '.join(missing)}: counted as the worst value",
                    "fill the score, or accept that a blank is scored as the worst",
                )
            )
        scores[ini.id] = 100.0 * total
    return Scores(scores, weights, tuple(warnings))


def initiative_scores(portfolio: Portfolio) -> dict[str, float]:
    """Initiative id -> weighted criteria score, 0..100 (0 for all when there are no criteria)."""
    return criteria_scores(portfolio).scores
