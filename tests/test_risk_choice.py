"""Does the choice hold: the regret of the chosen set in sampled worlds, against brute force.

In each world of a tiny portfolio every plan is enumerated (each initiative out, or started in
any period) and kept when the independent plan checker finds no broken rule; its value is the
plan's NPV from the finance code (no work in progress, so the objective is the NPV). From that
list: the world's best plan, the best timing of exactly the chosen set (none: it does not fit)
and the best plan within the chosen set (trimmed to fit), against what the solves report.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from test_risk import tiny

from roadmap.domain import Estimate, Portfolio, RiskEvent, SolveStatus, Status
from roadmap.money.calendar import Calendar
from roadmap.money.finance import plan_metrics
from roadmap.optimize.milp.plan import solve_plan
from roadmap.optimize.options import SolveOptions
from roadmap.optimize.plan_check import check_plan
from roadmap.risk.evaluate import evaluate
from roadmap.risk.reoptimise import (
    NOT_SOLVED,
    Choice,
    Solved,
    WorldResult,
    reoptimise,
    restricted,
    spread,
    stability,
)
from roadmap.risk.sampling import draw
from roadmap.risk.worlds import world
from roadmap.runtime.executors import LocalProcesses

WORLDS = 6
# a short time limit: a chosen set that does not fit costs the baseline scheduler a tenth of it
OPTIONS = SolveOptions(why_not=False, time_limit=2.0)


def uncertain() -> Portfolio:
    """The tiny portfolio with wide ranges and C worth little as estimated (the plan leaves it
    out): in some worlds C is worth taking, and in some the chosen set's cost breaks a fiscal
    year's budget whatever its timing."""
    base = tiny(risk_correlation=0.3)
    a, b, c = base.initiatives
    return replace(
        base,
        initiatives=(a, b, replace(c, benefit_saving=80_000)),
        estimates=(
            Estimate(
                "A",
                cost_low=0.8,
                cost_high=1.9,
                benefit_low=0.3,
                benefit_high=1.2,
                duration_high=3,
            ),
            Estimate("B", benefit_low=0.1, benefit_likely=0.9, benefit_high=1.5),
            Estimate("C", cost_low=0.6, cost_high=1.5, benefit_low=0.5, benefit_high=2.5),
        ),
        risks=(RiskEvent("Freeze", 0.3, owner_function="IT", delay=1, cost_impact=0.3),),
    )


def enumerated(portfolio: Portfolio) -> dict[frozenset[str], float]:
    """The best NPV of every selection that has a valid plan, over every timing of it."""
    cal = Calendar.from_settings(portfolio.settings)
    periods = [None, *range(portfolio.settings.horizon)]
    best: dict[frozenset[str], float] = {}
    for combo in itertools.product(periods, repeat=len(portfolio.initiatives)):
        starts = {
            i.id: s for i, s in zip(portfolio.initiatives, combo, strict=True) if s is not None
        }
        if check_plan(portfolio, starts, calendar=cal):
            continue
        value = plan_metrics(portfolio, starts, cal).npv
        key = frozenset(starts)
        best[key] = max(best.get(key, -np.inf), value)
    return best


@pytest.fixture(scope="module")
def run() -> tuple[Portfolio, dict[str, int], object, object, Choice]:
    p = uncertain()
    plan = solve_plan(p, OPTIONS)
    assert plan.report.status is SolveStatus.OPTIMAL and set(plan.starts) == {"A", "B"}
    d = draw(p, 40, seed=9)
    o = evaluate(p, plan.starts, d)
    return (
        p,
        dict(plan.starts),
        d,
        o,
        reoptimise(p, plan.starts, d, o, WORLDS, LocalProcesses(1), OPTIONS),
    )


def test_regret_of_the_choice_against_brute_force(run) -> None:
    p, starts, d, _, c = run
    chosen = frozenset(starts)
    assert frozenset(c.chosen) == chosen
    fits = 0
    for k, w in enumerate(c.worlds):
        plans = enumerated(world(p, d, k))
        best = max(plans.values())
        assert w.best.status == "optimal" and w.best.objective == pytest.approx(best, abs=0.01)
        assert w.best.npv == pytest.approx(best, abs=0.01)
        trimmed = max(v for s, v in plans.items() if s <= chosen)
        assert w.trimmed.objective == pytest.approx(trimmed, abs=0.01)
        assert set(w.trimmed.selected) <= chosen
        assert c.trimmed_regret[k] == pytest.approx(best - trimmed, abs=0.01)
        # a solve is skipped only when an earlier plan answers it
        skipped_trim = set(w.best.selected) <= chosen
        skipped_whole = set(w.trimmed.selected) == chosen
        assert w.runs == 3 - skipped_trim - skipped_whole
        if chosen in plans:
            fits += 1
            assert w.chosen.status == "optimal"
            assert w.chosen.objective == pytest.approx(plans[chosen], abs=0.01)
            assert set(w.chosen.selected) == chosen
            assert c.regret[k] == pytest.approx(best - plans[chosen], abs=0.01)
            assert c.regret[k] >= c.trimmed_regret[k] - 0.01  # trimming can only help
        else:
            assert w.chosen.status == "infeasible" and not w.chosen.has_plan
            assert np.isnan(c.regret[k])
    # the case is worth testing: the chosen set fits some worlds and not others, and in some
    # worlds another selection is better
    assert 0 < fits < WORLDS
    assert int(c.chosen_fits.sum()) == fits and int(c.chosen_misfits.sum()) == WORLDS - fits
    assert (c.trimmed_regret > 1.0).any()


def test_a_chosen_set_that_does_not_fit_is_counted_not_averaged(run) -> None:
    *_, c = run
    misfit = c.chosen_misfits
    fitting = c.regret[~misfit]
    s = c.spread()
    assert s.worlds == int((~misfit).sum()) == len(fitting) > 0
    assert s.mean == pytest.approx(float(fitting.mean()))
    assert s.p90 == pytest.approx(float(np.percentile(fitting, 90)))
    assert s.p50 == pytest.approx(float(np.median(fitting)))
    trimmed = c.spread(trimmed=True)
    assert trimmed.worlds == WORLDS  # every world has a plan within the chosen set (maybe none)
    assert trimmed.mean == pytest.approx(float(c.trimmed_regret.mean()))
    best_is_choice = np.abs(c.trimmed_regret) < 1e-3
    assert trimmed.best_share == pytest.approx(best_is_choice.mean())


def test_the_plan_as_made_is_a_separate_figure(run) -> None:
    _, _, _, o, c = run
    assert list(c.held_npv) == list(o.npv[:WORLDS])
    held = o.on_budget()[:WORLDS] & ~o.overloaded()[:WORLDS].any(axis=(1, 2))
    assert list(c.held_fits) == list(held)


def test_each_solve_is_the_restricted_world_solved_directly(run) -> None:
    """The skipped solves (an earlier plan answers them) agree with solving them."""
    p, starts, d, _, c = run
    assert c.chosen_misfits[4]
    for k in (0, 1, 4):
        w = world(p, d, k)
        whole = solve_plan(restricted(w, tuple(starts), whole=True), replace(OPTIONS, threads=1))
        part = solve_plan(restricted(w, tuple(starts), whole=False), replace(OPTIONS, threads=1))
        assert c.worlds[k].chosen.status == whole.report.status.value
        assert c.worlds[k].trimmed.status == part.report.status.value == "optimal"
        if whole.report.status.has_plan:
            assert c.worlds[k].chosen.objective == pytest.approx(whole.report.objective, abs=0.01)
        assert c.worlds[k].trimmed.objective == pytest.approx(part.report.objective, abs=0.01)


def test_restricted_leaves_work_in_progress_and_done_work_alone() -> None:
    p = replace(
        tiny(),
        initiatives=(
            replace(tiny().initiatives[0], status=Status.IN_PROGRESS),
            tiny().initiatives[1],
            replace(tiny().initiatives[2], status=Status.DONE),
        ),
    )
    whole = {i.id: i for i in restricted(p, ("B",), whole=True).initiatives}
    assert whole["A"] == p.initiatives[0] and whole["C"] == p.initiatives[2]
    assert whole["B"].mandatory and not whole["B"].excluded
    none = {i.id: i for i in restricted(p, (), whole=False).initiatives}
    assert none["B"].excluded and not none["B"].mandatory
    kept = {i.id: i for i in restricted(p, ("B",), whole=False).initiatives}
    assert kept["B"] == p.initiatives[1]


def _world(k: int, best: str, chosen: str, trimmed: str, value: float = 10.0) -> WorldResult:
    def solved(status: str, objective: float | None, selected: tuple[str, ...]) -> Solved:
        has = status in ("optimal", "feasible")
        return Solved(status, 0.0, objective if has else None, objective if has else None,
                      selected if has else ())  # fmt: skip

    return WorldResult(
        k,
        solved(best, value, ("A", "C")),
        solved(chosen, value - 4.0, ("A", "B")),
        solved(trimmed, value - 1.0, ("A",)),
    )


def test_a_world_stopped_by_the_clock_is_named_and_left_out() -> None:
    worlds = (
        _world(0, "optimal", "optimal", "optimal"),
        _world(1, "feasible", "optimal", "optimal", value=1000.0),  # best stopped on time
        _world(2, "optimal", "no solution", "optimal", value=1000.0),
        _world(3, "optimal", "infeasible", "optimal", value=20.0),
        _world(4, "infeasible", NOT_SOLVED, NOT_SOLVED),
    )
    p = tiny()
    c = Choice(
        worlds,
        ("A", "B"),
        np.zeros(5),
        np.zeros(5, dtype=bool),
        stability(p, {"A": 0, "B": 2}, worlds),
    )
    assert c.stopped == (2, 3) and c.uncounted == (2, 3)
    assert list(c.counted) == [True, False, False, True, True]
    assert list(c.no_plan) == [False, False, False, False, True]
    assert list(c.chosen_misfits) == [False, False, False, True, False]
    s = c.spread()
    assert (s.worlds, s.mean) == (1, 4.0)  # world 1 only: 3's set does not fit, 2 and 4 stopped
    t = c.spread(trimmed=True)
    assert (t.worlds, t.mean, t.best_share) == (2, 1.0, 0.0)
    # the selection of a stopped world counts nowhere: C is in both counted best plans
    shares = {x.initiative: x.share for x in c.stability}
    assert shares == {"A": 1.0, "B": 0.0, "C": 1.0}


def test_spread_of_no_world_is_empty_and_zero_regret_is_the_best() -> None:
    assert spread(np.array([np.nan, np.nan])).worlds == 0
    s = spread(np.array([0.0, 1e-7, 5.0, np.nan]), [1e6, 1e6, 1e6, None])
    assert s.worlds == 3 and s.best_share == pytest.approx(2 / 3)


def test_left_out_worlds_are_named_and_a_long_list_is_cut() -> None:
    from roadmap.report.risk_choice import listed

    assert listed([3]) == "3" and listed([3, 7, 9]) == "3, 7 and 9"
    assert listed(list(range(1, 41))).endswith("12 ... (40 in all)")


def test_a_world_is_solved_without_why_not_or_diagnosis_on_one_thread() -> None:
    from roadmap.optimize.options import SolveOptions
    from roadmap.risk.reoptimise import world_options

    o = world_options(SolveOptions(threads=2))
    assert (o.why_not, o.diagnose, o.threads, o.log) == (False, False, 1, None)
