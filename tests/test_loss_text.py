"""How the Not selected sheet words a why-not figure: proven, bracketed, one end only."""

from __future__ import annotations

from roadmap.domain import WhyNot
from roadmap.report.notselected import loss_text


def euros(v: float) -> str:
    return f"€{v:,.0f}"


def text(value=None, low=None, high=None, method="m") -> str:  # type: ignore[no-untyped-def]
    return loss_text(WhyNot("I1", (), value, method, low, high), euros)


def test_proven_is_one_figure() -> None:
    assert text(value=1968.4, low=1968.4, high=1968.4) == "€1,968"


def test_bracket_names_both_ends() -> None:
    assert text(low=100.0, high=2500.0) == "between €100 and €2,500"


def test_a_hair_below_zero_is_zero_not_at_most() -> None:
    assert text(low=-1e-7, high=2500.0) == "between €0 and €2,500"
    assert text(low=-0.4, high=2500.0) == "between €0 and €2,500"


def test_a_real_negative_bound_says_a_plan_with_it_may_be_better() -> None:
    assert (
        text(low=-750.0, high=2500.0) == "at most €2,500 (a plan with it may be up to €750 better)"
    )


def test_one_end_only() -> None:
    assert text(high=2500.0) == "at most €2,500"
    assert text(low=100.0) == "at least €100"
    assert text() == "cannot be forced in"
    assert text(method="") == ""
