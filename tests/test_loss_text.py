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


def test_a_quotable_bracket_is_one_figure_with_its_margin() -> None:
    w = WhyNot("I1", (), None, "m", 150_000.0, 160_000.0, quotable=True)
    assert loss_text(w, euros) == "≈ €155,000 (± €5,000)"
    assert w.figure == 155_000.0 and w.margin == 5_000.0


def test_the_quoting_rule_takes_the_wider_of_its_two_allowances() -> None:
    from roadmap.domain import quotable_width

    # 10 % of the upper end ...
    assert quotable_width(200_000.0, 35_000_000.0) == 20_000.0
    # ... or 0.01 % of the plan's objective, whichever is wider
    assert quotable_width(10_000.0, 35_000_000.0) == 3_500.0


def test_a_forced_plan_better_than_the_plan_says_so() -> None:
    proven = WhyNot("I1", (), -3_000.0, "m", -3_000.0, -3_000.0)
    assert loss_text(proven, euros).startswith("none: a plan with it is €3,000 better")
    bracket = WhyNot("I1", (), None, "m", -9_000.0, -2_000.0)
    assert loss_text(bracket, euros).startswith("none: a plan with it is at least €2,000 better")
