"""Tiny models checked against brute force: every plan enumerated, filtered by the independent
plan checker, and the best one's objective compared with the optimizer's.

Also the helpers the other ``test_milp_*`` files share.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import pytest

from roadmap.domain import (
    BudgetLimit,
    Dependency,
    Initiative,
    ObjectiveKind,
    Plan,
    Portfolio,
    Settings,
    SolveStatus,
    SpendKind,
    Staffing,
    Status,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import StartValues, start_values
from roadmap.optimize.derived import derive
from roadmap.optimize.milp.model.data import model_data
from roadmap.optimize.milp.plan import solve_plan
from roadmap.optimize.options import SolveOptions
from roadmap.optimize.plan_check import check_plan

START = date(2027, 1, 1)


def settings(horizon: int = 4, **changes: object) -> Settings:
    return replace(Settings(plan_start=START, horizon=horizon, discount_rate=0.08), **changes)


def ini(iid: str, **fields: object) -> Initiative:
    base: dict[str, object] = {"duration": 1, "capex": 100.0, "benefit_saving": 100.0}
    base.update(fields)
    return Initiative(iid, f"Initiative {iid}", **base)  # type: ignore[arg-type]


def quarter(t: int) -> date:
    return Calendar(START, settings().period, 40).start(t)


def values_of(p: Portfolio) -> StartValues:
    return start_values(p, Calendar.from_settings(p.settings))


def solve(p: Portfolio, **kwargs: object) -> Plan:
    """``solve_plan`` with exact, single-thread options unless told otherwise."""
    options: dict[str, object] = {"gap": 0.0, "threads": 1, "why_not": False, "time_limit": 20}
    options.update(kwargs)
    own_keys = ("objective", "write_lp", "progress", "values", "scores")
    own = {k: options.pop(k) for k in own_keys if k in options}
    return solve_plan(p, SolveOptions(**options), **own)  # type: ignore[arg-type]


def plan_value(p: Portfolio, values: StartValues, starts: Mapping[str, int]) -> float:
    """The NPV objective of a plan: only starts the plan decides (inside the horizon) count."""
    index = p.index
    h = p.settings.horizon
    return float(
        sum(
            values.npv[index[iid], t]
            for iid, t in starts.items()
            if p.initiative_by_id[iid].status is Status.PROPOSED and 0 <= t < h
        )
    )


def brute_force(p: Portfolio) -> tuple[float | None, list[dict[str, int]]]:
    """Best NPV over every plan the independent checker accepts, and all plans reaching it."""
    cal = Calendar.from_settings(p.settings)
    values = values_of(p)
    fixed = {
        i.id: cal.period_of(i.actual_start)
        for i in p.initiatives
        if i.status is Status.IN_PROGRESS and i.actual_start
    }
    free = [i.id for i in p.initiatives if i.status is Status.PROPOSED]
    options = [None, *range(p.settings.horizon)]
    best: float | None = None
    best_plans: list[dict[str, int]] = []
    for choice in itertools.product(options, repeat=len(free)):
        plan = dict(fixed)
        plan.update({iid: t for iid, t in zip(free, choice, strict=True) if t is not None})
        if check_plan(p, plan, values, cal):
            continue
        value = plan_value(p, values, plan)
        if best is None or value > best + 1e-6:
            best, best_plans = value, [plan]
        elif abs(value - best) <= 1e-6:
            best_plans.append(plan)
    return best, best_plans


def random_portfolio(seed: int) -> Portfolio:
    """4 initiatives, 4 quarters, 2 teams, with every kind of limit drawn at random."""
    rng = random.Random(seed)
    teams = (Team("T1", "Data", capacity=rng.choice([2.0, 3.0])), Team("T2", "Web", capacity=2.0))
    inis = []
    for k in range(4):
        inis.append(
            ini(
                f"I{k}",
                duration=rng.choice([1, 2]),
                capex=float(rng.randint(50, 200)),
                benefit_saving=float(rng.randint(0, 300)),
                run_cost=float(rng.choice([0, 20])),
                mandatory=rng.random() < 0.15,
                owner_function=rng.choice(["Sales", "Ops"]),
                funding_pool=rng.choice(["IT", None]),
                alternative_group="G" if k in (2, 3) and seed % 3 == 0 else None,
                bundle="B" if k in (0, 1) and seed % 4 == 1 else None,
                earliest_start=quarter(1) if rng.random() < 0.2 else None,
                must_finish_by=quarter(2) if rng.random() < 0.2 else None,
            )
        )
    staffing = tuple(
        Staffing(i.id, rng.choice(["T1", "T2"]), float(rng.choice([1, 1.5, 2]))) for i in inis
    )
    deps = (Dependency("I0", "I2", lag=rng.choice([0, 1])),) if seed % 2 == 0 else ()
    budgets = [BudgetLimit(float(rng.randint(150, 300)), period=quarter(t)) for t in range(4)]
    budgets.append(BudgetLimit(float(rng.randint(200, 400)), fiscal_year=2027, pool="IT"))
    if seed % 5 == 2:
        budgets.append(BudgetLimit(150.0, kind=SpendKind.CAPEX, fiscal_year=2027))
    return Portfolio(
        settings=settings(
            budget_carry_over=seed % 3 == 1,
            change_limit=1 if seed % 4 == 3 else None,
        ),
        initiatives=tuple(inis),
        dependencies=deps,
        teams=teams,
        staffing=staffing,
        budgets=tuple(budgets),
    )


def test_step_form_gives_the_same_optimum() -> None:
    from roadmap.optimize.milp.model.build import build_model
    from roadmap.optimize.milp.model.extract import chosen_starts
    from roadmap.optimize.milp.search.solve import solve_model

    for seed in (0, 3, 6):
        p = random_portfolio(seed)
        best, plans = brute_force(p)
        data = model_data(derive(p, values_of(p)))
        model = build_model(data, objective=ObjectiveKind.NPV, step=True)
        report = solve_model(model, SolveOptions(gap=0.0, threads=1, time_limit=20))
        assert best is not None and report.objective == pytest.approx(best)
        assert chosen_starts(model) in plans


@pytest.mark.parametrize("seed", range(14))
def test_optimum_matches_brute_force(seed: int) -> None:
    p = random_portfolio(seed)
    best, plans = brute_force(p)
    plan = solve(p)
    if best is None:
        assert plan.report.status is SolveStatus.INFEASIBLE
        assert plan.shortfalls
        return
    assert plan.report.status is SolveStatus.OPTIMAL
    assert check_plan(p, plan.starts) == []
    assert plan.report.objective == pytest.approx(best, abs=1e-6)
    assert dict(plan.starts) in plans


def test_in_progress_work_is_kept_and_uses_capacity() -> None:
    p = Portfolio(
        settings=settings(),
        initiatives=(
            ini("R", status=Status.IN_PROGRESS, actual_start=quarter(-1), duration=3),
            ini("A", benefit_saving=300.0),
        ),
        teams=(Team("T1", capacity=2.0),),
        staffing=(Staffing("R", "T1", 2.0), Staffing("A", "T1", 1.0)),
    )
    plan = solve(p)
    assert plan.starts == {"R": -1, "A": 2}
    best, _ = brute_force(p)
    assert plan.report.objective == pytest.approx(best)


def test_objectives_other_than_npv_solve_and_satisfy_limits() -> None:
    p = random_portfolio(4)
    scores = {"I0": 10.0, "I1": 80.0, "I2": 50.0, "I3": 5.0}
    for kind in ObjectiveKind:
        plan = solve(p, objective=kind, scores=scores)
        assert plan.report.status is SolveStatus.OPTIMAL, kind
        assert check_plan(p, plan.starts) == []
