"""Criteria weights (direct and AHP) and the 0–100 weighted score."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from roadmap.domain import Criterion, Initiative, Pairwise, Portfolio, Score, Settings
from roadmap.errors import InputError
from roadmap.money.criteria import (
    RANDOM_INDEX,
    ahp_weights,
    criteria_scores,
    criteria_weights,
    initiative_scores,
    normalise,
)

SETTINGS = Settings(plan_start=date(2027, 1, 1))
INIS = (Initiative("A", "A"), Initiative("B", "B"))


def portfolio(criteria, scores=(), pairwise=None) -> Portfolio:
    return Portfolio(
        settings=SETTINGS,
        initiatives=INIS,
        criteria=tuple(criteria),
        scores=tuple(scores),
        pairwise=pairwise,
    )


def test_consistent_matrix_gives_back_the_weights_it_was_built_from() -> None:
    w = np.array([0.5, 0.3, 0.2])
    weights, lam, cr = ahp_weights(np.outer(w, 1 / w))  # a[i, j] = w_i / w_j
    assert weights == pytest.approx(w)
    assert lam == pytest.approx(3.0)
    assert cr == pytest.approx(0.0, abs=1e-9)


def test_saaty_three_by_three_example() -> None:
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    weights, lam, cr = ahp_weights(a)
    # the principal eigenvector satisfies A w = lambda w
    assert a @ weights == pytest.approx(lam * weights)
    assert weights == pytest.approx([0.637, 0.258, 0.105], abs=1e-3)
    assert lam == pytest.approx(3.0385, abs=1e-4)
    assert cr == pytest.approx((lam - 3) / 2 / RANDOM_INDEX[3])
    assert cr < 0.10


def test_inconsistent_comparisons_warn() -> None:
    # A > B, B > C, but C > A strongly: a cycle
    m = ((1, 5, 1 / 5), (1 / 5, 1, 5), (5, 1 / 5, 1))
    crit = [Criterion("A"), Criterion("B"), Criterion("C")]
    w = criteria_weights(portfolio(crit, pairwise=Pairwise(("A", "B", "C"), m)))
    assert w.method == "ahp"
    assert w.consistency_ratio is not None and w.consistency_ratio > 0.10
    assert any("consistency ratio" in f.message for f in w.warnings)
    assert sum(w.weights.values()) == pytest.approx(1.0)


def test_malformed_pairwise_is_an_input_error() -> None:
    crit = [Criterion("A"), Criterion("B")]
    with pytest.raises(InputError) as err:
        criteria_weights(portfolio(crit, pairwise=Pairwise(("A", "B"), ((1, 0), (0, 1)))))
    assert err.value.findings[0].sheet == "Pairwise"


def test_direct_weights_normalised_and_blank_ones_warned() -> None:
    w = criteria_weights(portfolio([Criterion("F", weight=30), Criterion("R", weight=10)]))
    assert w.method == "direct" and w.weights == pytest.approx({"F": 0.75, "R": 0.25})
    w = criteria_weights(portfolio([Criterion("F", weight=30), Criterion("R")]))
    assert w.weights == pytest.approx({"F": 1.0, "R": 0.0}) and w.warnings
    w = criteria_weights(portfolio([Criterion("F"), Criterion("R")]))
    assert w.weights == pytest.approx({"F": 0.5, "R": 0.5})


def test_normalise_scale_and_direction() -> None:
    assert normalise(7.5, Criterion("F", scale_min=0, scale_max=10)) == pytest.approx(0.75)
    assert normalise(2, Criterion("R", higher_is_better=False, scale_min=1, scale_max=5)) == (
        pytest.approx(0.75)
    )
    assert normalise(99, Criterion("F")) == 1.0
    assert normalise(-3, Criterion("F")) == 0.0


def test_hand_worked_weighted_score() -> None:
    crit = [
        Criterion("FIT", weight=3, scale_min=0, scale_max=10),
        Criterion("RISK", weight=1, higher_is_better=False, scale_min=1, scale_max=5),
    ]
    scores = [
        Score("A", "FIT", 8),
        Score("A", "RISK", 2),
        Score("B", "FIT", 4),  # no RISK score: counted as the worst (risk 5)
    ]
    result = criteria_scores(portfolio(crit, scores))
    # A: 100 * (0.75 * 0.8 + 0.25 * (1 - 0.25)) = 100 * (0.6 + 0.1875) = 78.75
    # B: 100 * (0.75 * 0.4 + 0.25 * 0) = 30
    assert result.scores == pytest.approx({"A": 78.75, "B": 30.0})
    assert any("B has no score for RISK" in f.message for f in result.warnings)


def test_no_criteria_scores_zero() -> None:
    assert initiative_scores(portfolio([])) == {"A": 0.0, "B": 0.0}


def test_out_of_scale_scores_are_clipped_with_a_warning() -> None:
    result = criteria_scores(portfolio([Criterion("F", weight=1)], [Score("A", "F", 12, row=3)]))
    assert result.scores["A"] == 100.0
    assert any(f.row == 3 and "outside its scale" in f.message for f in result.warnings)
