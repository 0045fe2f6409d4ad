"""The greedy baseline keeps every hard rule and schedules the way its docstring says."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.domain import (
    BudgetLimit,
    Dependency,
    Initiative,
    Portfolio,
    Settings,
    Staffing,
    Status,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import start_values
from roadmap.optimize.derived import derive
from roadmap.optimize.greedy import GreedyInfeasible, greedy_objective, greedy_plan
from roadmap.optimize.plan_check import check_plan
from roadmap.optimize.windows import required_ids
from roadmap.testing.synthetic import synthetic_portfolio

START = date(2027, 1, 1)
SETTINGS = Settings(plan_start=START, horizon=8)


def ini(iid: str, benefit: float = 400.0, **kw: object) -> Initiative:
    base: dict[str, object] = {"duration": 2, "capex": 100.0, "benefit_saving": benefit}
    base.update(kw)
    return Initiative(iid, iid, **base)  # type: ignore[arg-type]


def plan(*initiatives: Initiative, **parts: object) -> tuple[Portfolio, dict[str, int]]:
    settings = parts.pop("settings", SETTINGS)
    p = Portfolio(settings=settings, initiatives=initiatives, **parts)  # type: ignore[arg-type]
    cal = Calendar.from_settings(p.settings)
    values = start_values(p, cal)
    starts = greedy_plan(derive(p, values))
    assert check_plan(p, starts, values, cal) == []
    return p, starts


TIGHT_BUDGET = tuple(
    BudgetLimit(60.0, period=Calendar(START, SETTINGS.period, 8).start(t)) for t in range(8)
)


def test_budget_delays_the_lesser_initiative() -> None:
    _, starts = plan(ini("A", 300.0), ini("B", 400.0), budgets=TIGHT_BUDGET)
    assert starts == {"B": 0, "A": 2}  # 50 + 50 a quarter would break the 60 limit


def test_capacity_delays_unless_the_tolerance_covers_it() -> None:
    staffing = (Staffing("A", "T", 1.5), Staffing("B", "T", 1.0))
    _, starts = plan(ini("A"), ini("B", 300.0), teams=(Team("T", capacity=2.0),), staffing=staffing)
    assert starts == {"A": 0, "B": 2}
    tolerant = (Team("T", capacity=2.0, over_allocation=0.25),)
    _, starts = plan(ini("A"), ini("B", 300.0), teams=tolerant, staffing=staffing)
    assert starts == {"A": 0, "B": 0}


def test_successor_waits_for_predecessor_and_lag() -> None:
    deps = (Dependency("A", "B", lag=1),)
    _, starts = plan(ini("A", 200.0, duration=3), ini("B", 900.0), dependencies=deps)
    assert starts == {"A": 0, "B": 4}


def test_successor_of_a_left_out_predecessor_is_left_out() -> None:
    deps = (Dependency("A", "B"),)
    _, starts = plan(ini("A", 0.0), ini("B", 900.0), dependencies=deps)
    assert starts == {}


def test_one_alternative_the_better_value_for_money() -> None:
    _, starts = plan(
        ini("A", 300.0, alternative_group="G"),
        ini("B", 500.0, capex=120.0, alternative_group="G"),
        ini("C", 100.0),
    )
    assert starts == {"B": 0, "C": 0}


def test_bundle_goes_in_whole_or_not_at_all() -> None:
    team = (Team("T", capacity=1.0),)
    bundle = (ini("A", bundle="K"), ini("B", 0.0, bundle="K"), ini("C", 50.0))
    # B alone is worthless but the bundle as a whole pays off
    _, starts = plan(*bundle, teams=team, staffing=(Staffing("A", "T", 1.0),))
    assert starts == {"A": 0, "B": 0, "C": 0}
    # B needs more than the team has: neither goes in, C is unaffected
    _, starts = plan(*bundle, teams=team, staffing=(Staffing("B", "T", 2.0),))
    assert starts == {"C": 0}


def test_mandatory_work_and_its_predecessor_go_in_even_at_a_loss() -> None:
    deps = (Dependency("P", "M"),)
    _, starts = plan(ini("P", 0.0), ini("M", 0.0, mandatory=True), ini("X", 0.0), dependencies=deps)
    assert starts == {"P": 0, "M": 2}


def test_work_in_progress_stays_and_uses_its_share_of_limits() -> None:
    running = ini("R", status=Status.IN_PROGRESS, actual_start=date(2026, 10, 1))
    _, starts = plan(running, ini("A"), budgets=TIGHT_BUDGET)
    # R still spends 50 in Q1, so A (50 a quarter) only fits from Q2
    assert starts == {"R": -1, "A": 1}


def test_change_limit_and_earliest_start() -> None:
    limited = replace(SETTINGS, change_limit=1)
    _, starts = plan(
        ini("A", owner_function="Sales"),
        ini("B", 300.0, owner_function="Sales"),
        ini("C", 300.0, owner_function="Ops", earliest_start=date(2027, 7, 1)),
        settings=limited,
    )
    assert starts == {"A": 0, "B": 2, "C": 2}


def test_free_initiatives_first_and_losers_left_out() -> None:
    _, starts = plan(
        ini("FREE", 50.0, capex=0.0, duration=1),
        ini("A", 400.0),
        ini("LOSS", 1.0),
        budgets=tuple(BudgetLimit(50.0, period=b.period) for b in TIGHT_BUDGET),
    )
    assert starts == {"FREE": 0, "A": 0}


def test_unplaceable_mandatory_work_is_reported() -> None:
    with pytest.raises(GreedyInfeasible) as info:
        plan(
            ini("M", mandatory=True),
            teams=(Team("T", capacity=1.0),),
            staffing=(Staffing("M", "T", 3.0),),
        )
    assert info.value.initiative == "M"
    assert "capacity" in str(info.value)


def test_objective_is_the_npv_of_starts_inside_the_plan() -> None:
    running = ini("R", status=Status.IN_PROGRESS, actual_start=date(2026, 10, 1))
    p = Portfolio(settings=SETTINGS, initiatives=(running, ini("A"), ini("B")))
    values = start_values(p, Calendar.from_settings(SETTINGS))
    got = greedy_objective(p, values, {"R": -1, "A": 0, "B": 3})
    assert got == pytest.approx(values.npv[1, 0] + values.npv[2, 3])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 25),
    horizon=st.integers(2, 12),
    teams=st.integers(1, 4),
    seed=st.integers(0, 10_000),
    period=st.sampled_from(["quarter", "month"]),
    budget_share=st.floats(0.1, 1.5),
    capacity_share=st.floats(0.1, 1.5),
    change_limit=st.one_of(st.none(), st.integers(1, 4)),
    carry_over=st.booleans(),
)
def test_greedy_plans_always_pass_the_checker(
    n: int,
    horizon: int,
    teams: int,
    seed: int,
    period: str,
    budget_share: float,
    capacity_share: float,
    change_limit: int | None,
    carry_over: bool,
) -> None:
    p = synthetic_portfolio(
        n,
        horizon,
        teams,
        seed,
        period=period,
        budget_share=budget_share,
        capacity_share=capacity_share,
        change_limit=change_limit,
        carry_over=carry_over,
    )
    cal = Calendar.from_settings(p.settings)
    values = start_values(p, cal)
    starts = greedy_plan(derive(p, values))
    assert check_plan(p, starts, values, cal) == []
    # nothing is taken at a loss unless something forces it (mandatory chain, bundle)
    forced = required_ids(p)
    for iid, t in starts.items():
        i = p.initiative_by_id[iid]
        if i.status is Status.PROPOSED and iid not in forced and not i.bundle:
            assert values.npv[p.index[iid], t] > 0


def test_large_portfolio_is_valid() -> None:
    """Its speed is measured in tests/benchmarks/bench_milp.py (greedy columns), not here."""
    p = synthetic_portfolio(1000, 48, 12, seed=1, period="month")
    cal = Calendar.from_settings(p.settings)
    values = start_values(p, cal)
    starts = greedy_plan(derive(p, values))
    assert check_plan(p, starts, values, cal) == []
    assert len(starts) > 100 and np.isfinite(greedy_objective(p, values, starts))
