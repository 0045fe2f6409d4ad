"""Where independent solves run: the same results, in job order, whatever the executor or the
number of workers; a local Dask cluster started here stands in for a real one."""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import valid_tables, write_workbook
from test_risk import STARTS, tiny

from roadmap.analysis.batch import solve_many
from roadmap.cli import cli
from roadmap.domain import Estimate, RiskEvent
from roadmap.errors import InputError
from roadmap.optimize.milp.plan import solve_plan
from roadmap.optimize.options import SolveOptions
from roadmap.risk.evaluate import evaluate
from roadmap.risk.reoptimise import reoptimise, worker_init
from roadmap.risk.sampling import draw
from roadmap.risk.worlds import world
from roadmap.runtime.executors import DaskCluster, LocalProcesses, executor_for

# the risk run's solve options; a short limit: a chosen set that does not fit costs the
# baseline scheduler a tenth of it
OPTIONS = SolveOptions(why_not=False, time_limit=2.0)


def square_after(k: int, delay: float) -> int:
    import time

    time.sleep(delay)
    return k * k


def portfolio():
    return replace(
        tiny(risk_correlation=0.5),
        estimates=(
            Estimate("A", cost_low=0.8, cost_high=1.8, benefit_low=0.3, duration_high=4),
            Estimate("B", benefit_low=0.2, benefit_likely=0.9, benefit_high=1.3),
            Estimate("C", cost_low=0.5, cost_high=3.0),
        ),
        risks=(RiskEvent("Freeze", 0.4, owner_function="IT", delay=1, cost_impact=0.3),),
    )


def test_local_results_come_back_in_job_order_and_are_reported_as_they_finish() -> None:
    jobs = [(k, 1.5 if k == 0 else 0.0) for k in range(4)]  # the first finishes last
    seen: list[int] = []
    out = LocalProcesses(2).run(square_after, jobs, lambda k, _r: seen.append(k))
    assert out == [0, 1, 4, 9] and sorted(seen) == [0, 1, 2, 3]
    assert seen[-1] == 0, "each job is reported when it finishes, not all at the end"
    assert LocalProcesses(1).run(square_after, jobs[1:]) == out[1:]


def test_reoptimised_worlds_are_the_same_whatever_the_workers() -> None:
    p = portfolio()
    d = draw(p, 50, seed=9)
    o = evaluate(p, STARTS, d)
    one = reoptimise(p, STARTS, d, o, 5, LocalProcesses(1), OPTIONS)
    two = reoptimise(p, STARTS, d, o, 5, LocalProcesses(2, worker_init), OPTIONS)
    assert one.worlds == two.worlds and one.stability == two.stability
    assert np.array_equal(one.regret, two.regret, equal_nan=True)
    assert np.array_equal(one.trimmed_regret, two.trimmed_regret, equal_nan=True)
    for w in one.worlds:  # each world's best is its own solve, with the plan's options
        direct = solve_plan(world(p, d, w.world), replace(OPTIONS, threads=1))
        assert w.best.selected == tuple(i for i in "ABC" if i in direct.starts)
        assert w.best.objective == pytest.approx(direct.report.objective)
    assert list(one.held_npv) == list(o.npv[:5])
    # with room in the budgets the chosen set fits every world: no world's best is worse
    roomy = replace(p, budgets=tuple(replace(b, amount=b.amount * 10) for b in p.budgets))
    o = evaluate(roomy, STARTS, d)
    loose = reoptimise(roomy, STARTS, d, o, 5, LocalProcesses(1), OPTIONS)
    assert loose.chosen_fits.all() and loose.spread().worlds == 5
    assert (loose.regret >= -1e-6).all() and (loose.regret >= loose.trimmed_regret - 1e-6).all()


def test_a_missing_dask_names_the_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(InputError, match=r"pip install 'roadmap\[distributed\]'"):
        executor_for("dask://127.0.0.1:8786")
    with pytest.raises(InputError, match="not 'local'"):
        executor_for("ssh://somewhere")


def test_a_local_dask_cluster_gives_the_same_worlds_and_scenarios(tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    p = portfolio()
    d = draw(p, 50, seed=9)
    o = evaluate(p, STARTS, d)
    local = reoptimise(p, STARTS, d, o, 5, LocalProcesses(1), OPTIONS)
    jobs = [("base", p), ("cheap", replace(p, budgets=p.budgets[:1]))]
    serial = solve_many(jobs, SolveOptions(gap=0.0, why_not=False), jobs_n=1)
    workbook = write_workbook(tmp_path / "in.xlsx", *valid_tables())
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask = executor_for(f"dask://{cluster.scheduler_address}")
        assert isinstance(dask, DaskCluster)
        try:
            assert dask.workers == 2 and dask.solver_threads(None) == dask.solver_threads(4) == 1
            done: list[int] = []
            remote = reoptimise(p, STARTS, d, o, 5, dask, OPTIONS, lambda k, _r: done.append(k))
            plans = solve_many(jobs, SolveOptions(gap=0.0, why_not=False), executor=dask)
        finally:
            dask.close()
        # the commands: frontier levels on the cluster, the same table as on this machine
        args = ["frontier", str(workbook), "--steps", "3", "--gap", "0", "-q"]
        here = CliRunner().invoke(cli, args)
        there = CliRunner().invoke(
            cli, [*args, "--executor", f"dask://{cluster.scheduler_address}"]
        )
    assert remote.worlds == local.worlds and sorted(done) == [0, 1, 2, 3, 4]
    assert np.array_equal(remote.regret, local.regret, equal_nan=True)
    assert remote.stability == local.stability
    assert [x.report.status for x in plans] == [x.report.status for x in serial], [
        x.report for x in plans
    ]
    assert [dict(x.starts) for x in plans] == [dict(x.starts) for x in serial]
    assert [x.scenario for x in plans] == ["base", "cheap"]
    assert here.exit_code == there.exit_code == 0 and here.output == there.output
