"""Always a plan: the forced work is placed whenever a placement exists, and "no plan" says
what was searched."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from roadmap.domain import (
    Initiative,
    ObjectiveKind,
    Portfolio,
    Settings,
    SolveStatus,
    Staffing,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import start_values
from roadmap.optimize import greedy
from roadmap.optimize.derived import derive
from roadmap.optimize.greedy import GreedyInfeasible, greedy_plan
from roadmap.optimize.milp.model.build import build_model
from roadmap.optimize.milp.model.data import model_data
from roadmap.optimize.milp.plan import solve_plan
from roadmap.optimize.milp.search.first_plan import first_plan
from roadmap.optimize.milp.search.programme import finish_lower_bound
from roadmap.optimize.options import SolveOptions
from roadmap.optimize.plan_check import check_plan
from roadmap.testing.programmes import makespan, programme

START = date(2027, 1, 1)
CAL = Calendar(START, Settings(plan_start=START).period, 8)


def ini(iid: str, **kw: object) -> Initiative:
    base: dict[str, object] = {"duration": 1, "capex": 10.0, "benefit_saving": 50.0}
    base.update(kw)
    return Initiative(iid, iid, **base)  # type: ignore[arg-type]


def urgent_last() -> Portfolio:
    """A (long) comes first in the sheet and in dependency order, but B must be done in the
    first quarter and both need the whole team: only B first fits."""
    return Portfolio(
        settings=Settings(plan_start=START, horizon=4),
        initiatives=(
            ini("A", duration=2, mandatory=True),
            ini("B", mandatory=True, must_finish_by=CAL.end(0)),
        ),
        teams=(Team("T", capacity=1.0),),
        staffing=(Staffing("A", "T", 1.0), Staffing("B", "T", 1.0)),
    )


def values(p: Portfolio):
    return start_values(p, Calendar.from_settings(p.settings))


def test_urgent_work_is_placed_first_when_dependency_order_does_not_fit() -> None:
    p = urgent_last()
    starts = greedy_plan(derive(p, values(p)), construct_seconds=0.5)
    assert starts == {"B": 0, "A": 1}
    assert check_plan(p, starts) == []


def test_no_placement_names_what_was_tried() -> None:
    p = urgent_last()
    tight = Portfolio(
        settings=Settings(plan_start=START, horizon=2),
        initiatives=p.initiatives,
        teams=p.teams,
        staffing=p.staffing,
    )
    with pytest.raises(GreedyInfeasible, match="priority order"):
        greedy_plan(derive(tight, values(tight)), construct_seconds=0.2)


def _brute_makespan(prog) -> int | None:
    p = prog.portfolio
    ids = [i.id for i in p.initiatives]
    best = None
    v = values(p)
    h = p.settings.horizon
    ranges = [range(h - i.duration + 1) for i in p.initiatives]
    for choice in itertools.product(*ranges):
        starts = dict(zip(ids, choice, strict=True))
        if not check_plan(p, starts, v):
            span = makespan(starts, prog)
            best = span if best is None else min(best, span)
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_programmes_reach_the_brute_force_finish(seed: int) -> None:
    prog = programme(5, 2, seed, strength=0.3, max_duration=2, max_demand=4)
    best = _brute_makespan(prog)
    assert best is not None  # the horizon is the sum of durations: one after the other fits
    plan = solve_plan(
        prog.portfolio, SolveOptions(time_limit=20, gap=0.0, why_not=False, threads=1)
    )
    assert plan.report.status is SolveStatus.OPTIMAL
    assert makespan(dict(plan.starts), prog) == best == plan.report.finish
    p = prog.portfolio
    data = model_data(derive(p, values(p)))
    assert finish_lower_bound(data) <= best


def test_feasibility_search_when_the_baseline_finds_nothing(monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> dict[str, int]:
        raise GreedyInfeasible("A", "made up for the test", tried="dependency order")

    monkeypatch.setattr(greedy, "greedy_plan", refuse)
    p = urgent_last()
    v = values(p)
    data = model_data(derive(p, v))
    model = build_model(data, objective=ObjectiveKind.NPV)
    found = first_plan(model, SolveOptions(time_limit=10))
    assert found.baseline is None and found.plan is not None
    assert check_plan(p, found.plan) == []
    assert "found one" in found.tried[-1]

    plan = solve_plan(p, SolveOptions(time_limit=10, why_not=False))
    assert plan.report.status is SolveStatus.OPTIMAL and check_plan(p, dict(plan.starts)) == []


def test_feasibility_search_proves_that_no_plan_exists(monkeypatch) -> None:
    p = urgent_last()
    tight = Portfolio(
        settings=Settings(plan_start=START, horizon=2),
        initiatives=p.initiatives,
        teams=p.teams,
        staffing=p.staffing,
    )
    plan = solve_plan(tight, SolveOptions(time_limit=10, why_not=False))
    assert plan.report.status is SolveStatus.INFEASIBLE
    assert plan.shortfalls  # the diagnosis ran
