"""Risk: the sampled worlds and a fixed plan evaluated in them, against independent figures.

- degenerate ranges give the deterministic plan's figures exactly;
- one known distribution gives its analytic mean and percentiles within sampling error;
- a risk event with probability 1 is the deterministic shifted case;
- budget overruns, NPV and dates per sample against a brute-force loop over sampled worlds.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from roadmap.domain import (
    BudgetLimit,
    Dependency,
    Estimate,
    Initiative,
    Portfolio,
    RiskEvent,
    Settings,
    Staffing,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import plan_metrics, start_values
from roadmap.optimize.limits import budget_rows, row_spend, team_load
from roadmap.risk.distributions import cdf, mean, ppf
from roadmap.risk.evaluate import evaluate
from roadmap.risk.sampling import draw, planned
from roadmap.risk.summary import summarise
from roadmap.risk.worlds import world


def tiny(**settings: object) -> Portfolio:
    """Three initiatives on quarters over two years: A -> B, C alone; one team; two FY budgets."""
    return Portfolio(
        settings=Settings(plan_start=date(2027, 1, 1), horizon=8, **settings),  # type: ignore[arg-type]
        initiatives=(
            Initiative(
                "A",
                "Platform",
                owner_function="IT",
                duration=2,
                capex=400_000,
                one_off_opex=100_000,
                run_cost=40_000,
                benefit_saving=300_000,
                useful_life=3,
            ),
            Initiative(
                "B",
                "Personalisation",
                owner_function="Marketing",
                duration=2,
                capex=200_000,
                benefit_revenue=500_000,
                ramp_up=1,
                useful_life=3,
            ),
            Initiative(
                "C",
                "Reporting",
                owner_function="IT",
                duration=1,
                capex=150_000,
                benefit_saving=120_000,
                useful_life=2,
            ),
        ),
        dependencies=(Dependency("A", "B", lag=0),),
        teams=(Team("ENG", capacity=4),),
        staffing=(Staffing("A", "ENG", 2), Staffing("B", "ENG", 2), Staffing("C", "ENG", 1)),
        budgets=(BudgetLimit(700_000, fiscal_year=2027), BudgetLimit(500_000, fiscal_year=2028)),
    )


STARTS = {"A": 0, "B": 2, "C": 1}


def test_degenerate_ranges_give_the_plan_figures_exactly() -> None:
    p = replace(
        tiny(cost_escalation=0.03),
        estimates=(
            Estimate("A", 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2, 2, 2),
            Estimate("B", duration_low=2, duration_high=2),
        ),
    )
    cal = Calendar.from_settings(p.settings)
    o = evaluate(p, STARTS, draw(p, 50, seed=7))
    assert np.allclose(o.npv, plan_metrics(p, STARTS, cal).npv, rtol=0, atol=1e-6)
    rows = budget_rows(p, cal)
    spent = row_spend(rows, p, start_values(p, cal), STARTS, cal.horizon)
    assert np.allclose(o.spend[:, : len(rows)], spent[None, :], rtol=0, atol=1e-6)
    assert np.allclose(o.load, team_load(p, cal.horizon, STARTS)[None], rtol=0, atol=1e-9)
    assert (o.go_live == [[2, 4, 2]]).all() and (o.finish == 4).all()
    s = summarise(o, evaluate(p, STARTS, planned(p)), draw(p, 50, seed=7))
    assert s.npv.p10 == pytest.approx(s.planned_npv, abs=1e-6) and s.p_loss in (0.0, 1.0)
    assert s.p_on_time == 1.0 and s.tornado_npv == () and s.finish.p90 == 4


@pytest.mark.parametrize("kind", ["triangular", "pert"])
def test_one_cost_range_gives_its_analytic_mean_and_percentiles(kind: str) -> None:
    """Capex 1,000,000 at a 0 % discount rate: NPV = -1,000,000 x the cost factor. 20,000
    samples: the mean within 4 standard errors, each percentile where the analytic
    distribution puts 10/50/80/90 % within 0.01 (5 standard errors of a share)."""
    low, likely, high = 0.8, 1.0, 1.6
    p = Portfolio(
        settings=Settings(
            plan_start=date(2027, 1, 1), horizon=4, discount_rate=0.0, risk_distribution=kind
        ),
        initiatives=(Initiative("X", "X", duration=1, capex=1_000_000, useful_life=1),),
        estimates=(Estimate("X", cost_low=low, cost_likely=likely, cost_high=high),),
    )
    s = summarise(
        evaluate(p, {"X": 0}, d := draw(p, 20_000, seed=3)), evaluate(p, {"X": 0}, planned(p)), d
    )
    factor = -np.array([s.npv.p90, s.npv.p50, s.npv.p10]) / 1e6  # NPV falls as cost rises
    assert np.allclose(cdf(kind, factor, low, likely, high), [0.1, 0.5, 0.9], atol=0.01)
    assert -s.npv.mean / 1e6 == pytest.approx(
        mean(kind, low, likely, high), abs=4 * s.npv.std_error / 1e6
    )
    assert s.p_below_plan == pytest.approx(
        1 - cdf(kind, np.array(1.0), low, likely, high), abs=0.01
    )


def test_durations_round_to_whole_periods_with_the_analytic_probabilities() -> None:
    low, likely, high = 1.0, 2.0, 5.0
    p = Portfolio(
        settings=Settings(plan_start=date(2027, 1, 1), horizon=8),
        initiatives=(Initiative("X", "X", duration=2, capex=10),),
        estimates=(Estimate("X", duration_low=low, duration_likely=likely, duration_high=high),),
    )
    o = evaluate(p, {"X": 0}, draw(p, 20_000, seed=11))
    got = np.bincount(o.go_live[:, 0], minlength=7)[1:6] / o.samples
    edges = np.array([0.0, 1.5, 2.5, 3.5, 4.5, 5.5])
    want = np.diff(cdf("triangular", edges, low, likely, high))
    assert np.allclose(got, want, atol=0.01)


def test_a_certain_risk_event_is_the_deterministic_shifted_case() -> None:
    event = RiskEvent("Vendor late", 1.0, ("A",), cost_impact=0.2, benefit_impact=-0.1, delay=1)
    p = replace(tiny(), risks=(event,))
    o = evaluate(p, STARTS, draw(p, 20, seed=1))
    a = p.initiatives[0]
    shifted = replace(
        p,
        risks=(),
        initiatives=(
            replace(
                a,
                capex=a.capex * 1.2,
                one_off_opex=a.one_off_opex * 1.2,
                benefit_saving=a.benefit_saving * 0.9,
                duration=3,
            ),
            *p.initiatives[1:],
        ),
    )
    starts = {"A": 0, "B": 3, "C": 1}  # B waits for A's extra period
    cal = Calendar.from_settings(p.settings)
    assert np.allclose(o.npv, plan_metrics(shifted, starts, cal).npv, atol=1e-6)
    rows = budget_rows(shifted, cal)
    spent = row_spend(rows, shifted, start_values(shifted, cal), starts, cal.horizon)
    assert np.allclose(o.spend[:, : len(rows)], spent, atol=1e-6)
    assert (o.starts == [[0, 3, 1]]).all() and (o.finish == 5).all()


def test_budget_overruns_npv_and_dates_against_a_brute_force_loop() -> None:
    """Per sample: the world as a Portfolio, starts pushed by hand, spend through the
    optimizer's own budget rows, NPV through plan_metrics; counted one by one."""
    p = replace(
        tiny(risk_correlation=0.5, risk_distribution="pert"),
        estimates=(
            Estimate("A", cost_low=0.9, cost_high=1.5, duration_low=2, duration_high=4),
            Estimate("C", cost_low=0.8, cost_likely=1.1, cost_high=1.6, benefit_low=0.5),
        ),
        risks=(RiskEvent("IT freeze", 0.3, owner_function="it", delay=1, cost_impact=0.1),),
    )
    samples = 150
    d = draw(p, samples, seed=2027)
    o = evaluate(p, STARTS, d)
    cal = Calendar.from_settings(p.settings)
    rows = budget_rows(p, cal)
    overruns = np.zeros(len(rows), dtype=int)
    for k in range(samples):
        w = world(p, d, k)
        dur = {i.id: i.duration for i in w.initiatives}
        starts = dict(STARTS)
        starts["B"] = max(STARTS["B"], starts["A"] + dur["A"])
        assert [starts[i] for i in "ABC"] == list(o.starts[k])
        assert o.finish[k] == max(starts[i] + dur[i] for i in "ABC")
        spent = row_spend(rows, w, start_values(w, cal), starts, cal.horizon)
        assert np.allclose(o.spend[k, : len(rows)], spent, atol=1e-6)
        overruns += spent > np.array([r.amount for r in rows]) + 0.005
        assert o.npv[k] == pytest.approx(plan_metrics(w, starts, cal).npv, abs=1e-6)
        assert np.allclose(o.load[k], team_load(w, cal.horizon, starts), atol=1e-9)
    assert list(o.overrun()[:, : len(rows)].sum(axis=0)) == list(overruns)
    assert 0 < overruns.sum() < samples * len(rows)  # the case really has overruns to count


def test_the_same_seed_gives_the_same_worlds_and_more_samples_extend_them() -> None:
    p = replace(
        tiny(risk_correlation=0.3),
        estimates=(Estimate("A", cost_low=0.9, cost_high=1.5, duration_high=3),),
        risks=(RiskEvent("Late", 0.5, ("B",), delay=1),),
    )
    a, b, c = draw(p, 400, seed=5), draw(p, 400, seed=5), draw(p, 100, seed=5)
    for name in ("cost_factor", "benefit_factor", "durations", "happened"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
        assert np.array_equal(getattr(a, name)[:100], getattr(c, name))
    assert not np.array_equal(a.cost, draw(p, 400, seed=6).cost)


def test_full_correlation_moves_one_function_in_lockstep() -> None:
    p = replace(
        tiny(risk_correlation=1.0),
        estimates=tuple(Estimate(i, cost_low=0.5, cost_high=2.0) for i in "ABC"),
    )
    d = draw(p, 500, seed=1)
    assert np.allclose(d.cost[:, 0], d.cost[:, 2])  # A and C: both IT
    assert abs(np.corrcoef(d.cost[:, 0], d.cost[:, 1])[0, 1]) < 0.2  # B: Marketing


def test_the_tornado_puts_the_biggest_driver_first() -> None:
    p = replace(
        tiny(),
        estimates=(Estimate("C", cost_low=0.5, cost_high=2.0),),
        risks=(
            RiskEvent("B's market shrinks", 0.5, ("B",), benefit_impact=-0.6),
            RiskEvent("A tiny fee", 0.5, ("A",), cost_impact=0.0001),  # within sampling noise
        ),
    )
    d = draw(p, 2000, seed=4)
    s = summarise(evaluate(p, STARTS, d), evaluate(p, STARTS, planned(p)), d)
    first = s.tornado_npv[0]
    assert first.name == "Risk: B's market shrinks" and first.high < 0 < first.low
    assert [x.name for x in s.tornado_npv] == ["Risk: B's market shrinks", "C build cost"]
    assert s.tornado_finish == ()  # nothing moves a date


def test_ppf_of_a_flat_range_is_its_value() -> None:
    u = np.linspace(0.01, 0.99, 5)
    assert np.array_equal(ppf("pert", u, 2.0, 2.0, 2.0), np.full(5, 2.0))
    with pytest.raises(ValueError, match="unknown distribution"):
        ppf("normal", u, 1.0, 2.0, 3.0)
