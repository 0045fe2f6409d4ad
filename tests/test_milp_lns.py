"""Fix-and-optimise beside the full model (``optimize/milp/lns.py``, ``neighbourhoods.py``):
neighbourhood choice as pure units, the restricted model against the full one, and tiny
portfolios where the plan is re-checked by the independent checker and compared with brute force.
"""

from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest

from roadmap.domain import SolveStatus
from roadmap.optimize.derived import derive
from roadmap.optimize.milp.model.matrix import Matrix, Restriction, feasible
from roadmap.optimize.milp.search import lns
from roadmap.optimize.milp.search import neighbourhoods as nb
from roadmap.optimize.plan_check import check_plan
from tests.test_milp_cases import brute_force, plan_value, random_portfolio, solve, values_of


def layout() -> nb.Layout:
    ids = tuple(f"I{k}" for k in range(10))
    return nb.Layout(
        ids=ids,
        earliest={i: 0 for i in ids},
        latest={i: 9 for i in ids},
        teams={i: frozenset({k % 3}) for k, i in enumerate(ids)},
        team_count=3,
        horizon=10,
    )


def test_window_frees_the_initiatives_nearest_a_period() -> None:
    lay = layout()
    incumbent = {f"I{k}": k for k in range(10)}
    rng = np.random.default_rng(3)
    for _ in range(20):
        chosen = nb.window(lay, incumbent, rng, 3)
        starts = sorted(incumbent[i] for i in chosen)
        assert len(chosen) == 3
        assert starts[-1] - starts[0] == 2  # three neighbouring periods, no gaps


def test_left_out_initiatives_sit_at_the_middle_of_their_window() -> None:
    assert nb.anchor(layout(), {}, "I4") == 4.5
    assert nb.anchor(layout(), {"I4": 1}, "I4") == 1.0


def test_team_neighbourhood_keeps_to_the_drawn_teams() -> None:
    lay = layout()
    rng = np.random.default_rng(1)
    for _ in range(20):
        chosen = nb.team(lay, {}, rng, 10)
        teams = {next(iter(lay.teams[i])) for i in chosen}
        assert 1 <= len(teams) <= 2
        # every initiative of a drawn team is in (size 10 leaves room for all of them)
        assert chosen == {i for i in lay.ids if lay.teams[i] & teams}


def test_random_subset_has_the_size_asked_for_and_never_more_than_all() -> None:
    lay = layout()
    rng = np.random.default_rng(0)
    assert len(nb.random(lay, rng, 4)) == 4
    assert nb.choose("random", lay, {}, rng, 50) == set(lay.ids)
    assert len(nb.choose("window", lay, {}, rng, 0)) == 1


def test_lp_disagreement_draws_where_the_relaxation_disagrees() -> None:
    lp = {"I0": {2: 1.0}, "I1": {2: 0.1, 5: 0.9}, "I2": {}, "I3": {4: 0.8}}
    d = nb.disagreement_of(lp, {"I0": 2, "I1": 2})
    assert d == pytest.approx({"I0": 0.0, "I1": 0.9, "I2": 0.0, "I3": 0.8})
    # in the plan where the relaxation starts nothing: full disagreement
    assert nb.disagreement_of({"I2": {}}, {"I2": 1}) == {"I2": 1.0}
    rng = np.random.default_rng(5)
    picks = [nb.choose("lp", layout(), {}, rng, 2, d) for _ in range(20)]
    assert sum(p == {"I1", "I3"} for p in picks) >= 18
    # without a relaxation the kind falls back to a random subset
    assert len(nb.choose("lp", layout(), {}, rng, 3, None)) == 3


def test_adaptive_size_grows_when_proven_and_shrinks_on_time_outs() -> None:
    a = nb.Adaptive(("window", "random"), 10.0, 4, 20)
    a.record("window", improved=False, proven=True)
    assert a.current == 12  # 12.5 rounds to 12
    a.record("window", improved=False, proven=False)
    assert a.size == pytest.approx(10.0)
    for _ in range(20):
        a.record("random", improved=False, proven=False)
    assert a.current == 4  # never below the floor
    assert a.weights is not None
    before = a.weights["random"]
    assert before < a.weights["window"]  # twenty rounds without gain against two
    a.record("random", improved=True, proven=True)
    assert a.current == 4  # a gain keeps the size
    assert a.weights["random"] > before


def tiny_matrix() -> Matrix:
    # rows: x0 + x1 + x2 <= 2;  x2 + x3 >= 1;  2 x0 + x3 <= 2;  4 binaries
    starts = np.array([0, 3, 5], dtype=np.int32)
    index = np.array([0, 1, 2, 2, 3, 0, 3], dtype=np.int32)
    value = np.array([1, 1, 1, 1, 1, 2, 1], dtype=float)
    inf = np.inf
    return Matrix(
        cost=np.array([-3.0, -2.0, -1.0, -1.0]),
        lower=np.zeros(4),
        upper=np.ones(4),
        integer=np.arange(4, dtype=np.int32),
        row_lower=np.array([-inf, 1.0, -inf]),
        row_upper=np.array([2.0, inf, 2.0]),
        starts=starts,
        index=index,
        value=value,
        sign=-1.0,
    )


@pytest.mark.parametrize("free", [[0], [1, 3], [0, 2, 3], [3]])
def test_restricted_model_accepts_exactly_what_the_full_model_accepts(free: list[int]) -> None:
    m = tiny_matrix()
    x = np.array([0.0, 1.0, 1.0, 0.0])  # a feasible incumbent
    assert feasible(m, x)
    sub = Restriction(m).cut(np.array(free, dtype=np.int32), x)
    assert sub.columns == len(free)
    for bits in itertools.product([0.0, 1.0], repeat=len(free)):
        y = x.copy()
        y[free] = bits
        assert feasible(sub, np.array(bits)) == feasible(m, y), (free, bits)


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 6])
def test_plan_is_checked_valid_never_below_the_warm_start_and_reaches_brute_force(
    seed: int,
) -> None:
    p = random_portfolio(seed)
    best, _ = brute_force(p)
    plan = solve(p, search="neighbourhoods", time_limit=10)
    values = values_of(p)
    from roadmap.money.calendar import Calendar

    assert not check_plan(p, plan.starts, values, Calendar.from_settings(p.settings))
    assert best is not None
    assert plan_value(p, values, plan.starts) == pytest.approx(best, abs=1e-6)
    assert plan.greedy_objective is not None
    assert plan.report.objective is not None
    assert plan.report.objective >= plan.greedy_objective - 1e-6
    rep = plan.report
    assert rep.bound is not None and rep.bound >= rep.objective - 1e-6
    assert "neighbourhood" in rep.solver_version


def test_rounds_alone_never_claim_optimal_and_report_no_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the full-model run there is no bound: even at the optimum (found by the rounds,
    which free everything on a model this small) the status stays feasible."""

    def no_full_run(*args: object) -> None:
        return None

    monkeypatch.setattr(lns, "_full_run", no_full_run)
    p = random_portfolio(1)
    best, _ = brute_force(p)
    plan = solve(p, search="neighbourhoods", time_limit=2)
    assert plan.report.status is SolveStatus.FEASIBLE
    assert plan.report.bound is None and plan.report.gap is None
    assert plan.report.objective == pytest.approx(best)
    assert plan.report.solve_seconds < 4.0  # the rounds stop at the deadline


def test_the_full_run_proves_what_it_closes() -> None:
    p = random_portfolio(2)
    plan = solve(p, search="neighbourhoods", time_limit=20)
    assert plan.report.status is SolveStatus.OPTIMAL
    assert plan.report.gap is not None and plan.report.gap <= 1e-9
    assert threading.active_count() < 10  # no search left running behind


def test_search_setting_is_checked_and_only_applies_to_highs() -> None:
    from roadmap.errors import RoadmapError
    from roadmap.optimize.milp.model.data import model_data

    p = random_portfolio(0)
    data = model_data(derive(p, values_of(p)))
    assert lns.use_neighbourhoods(data, "highs", "neighbourhoods")
    assert not lns.use_neighbourhoods(data, "cbc", "neighbourhoods")
    assert not lns.use_neighbourhoods(data, "highs", "plain")
    assert not lns.use_neighbourhoods(data, "highs", "auto")  # tiny: plain HiGHS
    with pytest.raises(RoadmapError, match="unknown search"):
        lns.use_neighbourhoods(data, "highs", "tabu")


def test_auto_picks_the_search_by_horizon_and_size() -> None:
    from roadmap.optimize.milp.model.data import model_data
    from roadmap.testing.synthetic import synthetic_portfolio

    long = synthetic_portfolio(120, 48, 4, 1, period="month")
    short = synthetic_portfolio(120, 36, 4, 1, period="month")
    few = synthetic_portfolio(30, 48, 4, 1, period="month")
    assert lns.use_neighbourhoods(model_data(derive(long, values_of(long))), "highs", None)
    assert not lns.use_neighbourhoods(model_data(derive(short, values_of(short))), "highs", "auto")
    assert not lns.use_neighbourhoods(model_data(derive(few, values_of(few))), "highs", "auto")
    assert not lns.use_neighbourhoods(model_data(derive(long, values_of(long))), "highs", "plain")
