"""Parallel solves: plans pickle, come back in input order, and do not depend on the workers."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from roadmap.analysis.batch import default_workers, solve_many
from roadmap.domain import Plan, SolveReport, SolveStatus
from roadmap.optimize.options import SolveOptions
from roadmap.testing.synthetic import synthetic_portfolio


@pytest.fixture(scope="module")
def jobs():
    return [
        (f"seed {seed}", synthetic_portfolio(10, 8, 2, seed=seed, budget_share=share))
        for seed, share in ((1, 0.6), (2, 0.4), (3, 0.5))
    ]


def test_plans_pickle_with_their_cached_lookups(jobs) -> None:
    portfolio = jobs[0][1]
    assert portfolio.initiative_by_id and portfolio.index  # fill the caches first
    plan = Plan(portfolio, {portfolio.initiatives[0].id: 0}, SolveReport(SolveStatus.OPTIMAL))
    back = pickle.loads(pickle.dumps(plan))
    assert back == plan
    assert back.portfolio.initiative_by_id == portfolio.initiative_by_id


def test_empty_batch() -> None:
    assert solve_many([]) == []


def test_default_workers_never_exceed_the_jobs() -> None:
    assert default_workers(1) == 1
    assert 1 <= default_workers(100) <= 100


def _key(plan: Plan) -> tuple:
    r = plan.report
    return (plan.scenario, dict(plan.starts), r.status, round(r.objective or 0.0, 6))


def test_parallel_and_serial_give_identical_plans_in_input_order(jobs) -> None:
    seen: list[tuple[int, int, str]] = []
    serial = solve_many(jobs, SolveOptions(gap=0.0, why_not=False), jobs_n=1)
    parallel = solve_many(
        jobs, SolveOptions(gap=0.0, why_not=False), jobs_n=2, progress=lambda *a: seen.append(a)
    )
    assert [p.scenario for p in serial] == [name for name, _ in jobs]
    assert [_key(p) for p in serial] == [_key(p) for p in parallel]
    assert all(p.report.status is SolveStatus.OPTIMAL for p in serial)
    assert sorted(done for done, _, _ in seen) == [1, 2, 3]
    assert {total for _, total, _ in seen} == {3}
    # the same plan as a direct solve, labelled with its job name
    from roadmap.optimize.milp.plan import solve_plan

    direct = solve_plan(jobs[1][1], SolveOptions(gap=0.0, threads=1, why_not=False))
    assert _key(replace(direct, scenario="seed 2")) == _key(serial[1])


def test_an_error_names_the_job(jobs, monkeypatch) -> None:
    import roadmap.optimize.milp.plan

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(roadmap.optimize.milp.plan, "solve_plan", broken)
    with pytest.raises(RuntimeError) as err:
        solve_many(jobs[:1], jobs_n=1)
    assert "while solving 'seed 1'" in "".join(getattr(err.value, "__notes__", []))
