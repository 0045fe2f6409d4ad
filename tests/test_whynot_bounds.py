"""The why-not analysis's cheap pieces against brute force: the separable bound never falls
below the best forced plan, the plans the search harvests are feasible plans holding what they
claim, and the small re-solve around a unit returns a feasible forced plan at least as good as
its start."""

from __future__ import annotations

import numpy as np
import pytest
from test_milp_cases import brute_force, random_portfolio, solve
from test_whynot_exact import forced_best

from roadmap.domain import ObjectiveKind, Status
from roadmap.optimize.derived import derive
from roadmap.optimize.milp.explain.neighbourhood import improve_forced, with_rows
from roadmap.optimize.milp.explain.repair import Links
from roadmap.optimize.milp.explain.separable import dependants, separable_bound
from roadmap.optimize.milp.explain.units import make_units, plan_vector, x_coefficients
from roadmap.optimize.milp.model.build import build_model
from roadmap.optimize.milp.model.data import model_data
from roadmap.optimize.milp.model.matrix import feasible
from roadmap.optimize.milp.model.objective import evaluate
from roadmap.optimize.milp.search.harvest import Harvest
from roadmap.optimize.milp.search.solve import solve_model
from roadmap.optimize.options import SolveOptions


def _model(p, step=True):  # type: ignore[no-untyped-def]
    data = model_data(derive(p), {})
    return build_model(data, objective=ObjectiveKind.NPV, step=step)


@pytest.mark.parametrize("seed", range(16))
def test_separable_bound_is_never_below_the_best_forced_plan(seed: int) -> None:
    p = random_portfolio(seed)
    best, _ = brute_force(p)
    if best is None:
        pytest.skip("no plan for this seed")
    model = _model(p)
    coef = x_coefficients(model)
    links = Links(model)
    checked = 0
    for ini in p.initiatives:
        if ini.status is not Status.PROPOSED or ini.id not in model.x:
            continue
        members = [j.id for j in p.initiatives if ini.bundle and j.bundle == ini.bundle]
        members = [j for j in members if j in model.x] or [ini.id]
        if set(members) & links.required:
            continue  # always in every plan: never priced as left out
        truth = forced_best(p, tuple(members))
        bound = separable_bound(model, members, best, coef, links)
        assert bound is not None
        if truth is not None:
            assert truth <= bound + 1e-6, (ini.id, truth, bound)
            checked += 1
    if not checked:
        pytest.skip("no initiative of this seed can be forced in")


def test_dependants_follow_successor_chains_and_bundles() -> None:
    p = random_portfolio(0)  # seed 0: I0 -> I2
    model = _model(p)
    assert "I2" in dependants(model, ["I0"], Links(model))
    assert dependants(model, ["I2"], Links(model)) == set()


def test_a_bound_for_other_objectives_is_not_claimed() -> None:
    p = random_portfolio(1)
    data = model_data(derive(p), {})
    model = build_model(data, objective=ObjectiveKind.CAPABILITY)
    links = Links(model)
    assert separable_bound(model, ["I0"], 100.0, x_coefficients(model), links) is None


@pytest.mark.parametrize("seed", range(6))
def test_harvested_plans_are_feasible_and_hold_what_they_claim(seed: int) -> None:
    p = random_portfolio(seed)
    model = _model(p)
    model.harvest = Harvest(model)
    report = solve_model(model, SolveOptions(gap=0.0, threads=1, time_limit=20))
    if not report.status.has_plan:
        pytest.skip("no plan for this seed")
    assert model.harvest.plans, "HiGHS reports at least the plan it returns"
    for found in model.harvest.plans:
        plan = {**model.data.fixed, **found.starts}
        assert found.value == pytest.approx(evaluate(model, plan), abs=1e-6)
        assert plan_vector(model, model.matrix, plan) is not None  # every row holds
        best = model.harvest.best_with(sorted(found.selected)[:1])
        assert best is not None and best.value >= found.value - 1e-9
    assert model.harvest.best_with(["nobody"]) is None


@pytest.mark.parametrize("seed", range(10))
def test_the_restricted_re_solve_returns_a_better_feasible_forced_plan(seed: int) -> None:
    p = random_portfolio(seed)
    plan = solve(p)
    if not plan.report.status.has_plan:
        pytest.skip("no plan for this seed")
    model = _model(p)
    report = solve_model(model, SolveOptions(gap=0.0, threads=1, time_limit=20))
    assert report.status.has_plan
    matrix = model.matrix
    links = Links(model)
    starts = dict(plan.starts)
    left = [i for i in model.x if i not in starts]
    for u in make_units(model, left, links, plan.report.objective, matrix):
        truth = forced_best(p, tuple(u.members))
        if truth is None:
            continue
        forced = with_rows(matrix, u.rows)
        # start from the worst forced plan: the unit added where it fits, everything else out
        for worst in _plans_with(p, u.members):
            warm = plan_vector(model, forced, worst)
            if warm is None:
                continue
            x = improve_forced(model, forced, u.members, starts, warm, nodes=50)
            if x is not None:
                assert feasible(forced, x)
                value = forced.sign * float(forced.cost @ x)
                assert value > forced.sign * float(forced.cost @ warm)
                assert value <= truth + 1e-6
            break


def _plans_with(p, members):  # type: ignore[no-untyped-def]
    """Plans holding only the members (and work in progress), one start each."""
    _, plans = brute_force(p)
    fixed = {i.id for i in p.initiatives if i.status is Status.IN_PROGRESS}
    horizon = p.settings.horizon
    for t in range(horizon):
        yield {
            **{i: plans[0][i] for i in fixed if plans and i in plans[0]},
            **dict.fromkeys(members, t),
        }


def test_with_rows_appends_the_forcing_rows() -> None:
    p = random_portfolio(3)
    model = _model(p)
    solve_model(model, SolveOptions(gap=0.0, threads=1, time_limit=20))
    m = model.matrix
    units = make_units(model, list(model.x)[:1], Links(model), 0.0, m)
    forced = with_rows(m, units[0].rows)
    assert len(forced.row_lower) == len(m.row_lower) + len(units[0].rows)
    assert np.array_equal(forced.index[: len(m.index)], m.index)


def test_a_re_solve_stopped_by_its_target_does_not_stop_the_next_one() -> None:
    from roadmap.optimize.milp.explain.forced import Forcer, Target
    from roadmap.testing.synthetic import synthetic_portfolio

    p = synthetic_portfolio(30, 8, 3, 1)
    model = _model(p)
    solve_model(model, SolveOptions(gap=0.0, threads=1, time_limit=20))
    forcer = Forcer(model.matrix, threads=1)
    rows: list = []  # nothing forced: the base model itself, which needs a search
    # a target any bracket meets: the first re-solve stops at its first callback
    anything = Target(base=1e12, known_plan=None, known_bound=None, proof=1e12)
    first = forcer.mip("a", rows, None, 20.0, target=anything)
    assert first.status == "quotable"
    again = forcer.mip("b", rows, None, 20.0)
    assert again.status == "optimal" and again.nodes > 0, again
