"""Many solves at once: scenarios, frontier steps and marginal-value probes in worker processes.

``solve_many`` returns one plan per job, in the order of the jobs, and the same plans whatever
the number of workers:

- every solve runs with the same solver options, including ``threads=1`` by default, also when
  there is a single worker: a multi-threaded MIP search may take a different path from run to
  run, and one worker per core is the better use of the machine anyway;
- the results are put back in input order, never in completion order;
- workers are started with ``spawn`` (not ``fork``), so nothing leaks from the parent's state
  (open solver handles, threads) and the behaviour is the same on Linux, macOS and Windows.

One caveat is honest rather than fixable: a solve stopped by its *time limit* keeps the best plan
found so far, and how far the search got depends on how busy the machine was. Plans proven
optimal (or within the gap) are identical; time-limited ones may differ between runs — their
status is "feasible" and the gap is reported with them.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import partial

import click

from roadmap.analysis import processes
from roadmap.domain import Plan, Portfolio
from roadmap.errors import RoadmapError

ProgressCallback = Callable[[int, int, str], None]  # (done, total, name of the job just done)


@dataclass(frozen=True)
class SolveOptions:
    """What every solve of a batch shares (passed to ``milp.solve_plan``)."""

    solver: str | None = None
    time_limit: float | None = None
    gap: float | None = None
    threads: int | None = 1
    why_not: bool = True


def default_workers(n_jobs: int) -> int:
    return max(1, min(os.cpu_count() or 1, n_jobs))


def solve_one(name: str, portfolio: Portfolio, options: SolveOptions) -> Plan:
    """One solve, labelled with its job name (``Plan.scenario``). Runs in a worker process."""
    from roadmap.optimize.milp import solve_plan  # pulp is only needed where the solving happens

    plan = solve_plan(
        portfolio,
        solver=options.solver,
        time_limit=options.time_limit,
        gap=options.gap,
        threads=options.threads,
        why_not=options.why_not,
    )
    return replace(plan, scenario=name)


def solve_many(
    jobs: Sequence[tuple[str, Portfolio]],
    *,
    jobs_n: int | None = None,
    solver: str | None = None,
    time_limit: float | None = None,
    gap: float | None = None,
    threads: int | None = 1,
    why_not: bool = True,
    progress: bool | ProgressCallback = False,
    label: str = "Solving",
) -> list[Plan]:
    """Solve every ``(name, portfolio)`` job; one plan per job, in input order.

    ``jobs_n`` worker processes (default: one per CPU, at most one per job; 1 = in this process).
    ``time_limit`` applies to each solve. ``progress=True`` draws a bar on stderr; a callable gets
    ``(done, total, name)`` after each solve. Infeasible jobs come back as plans whose
    ``report.status`` says so; an unexpected error in any job stops the batch and is raised
    with the job's name attached.
    """
    if not jobs:
        return []
    options = SolveOptions(solver, time_limit, gap, threads, why_not)
    workers = default_workers(len(jobs)) if jobs_n is None else max(1, min(jobs_n, len(jobs)))
    with _Progress(progress, len(jobs), label) as tick:
        if workers == 1:
            plans = []
            for name, portfolio in jobs:
                plans.append(_named(name, partial(solve_one, name, portfolio, options)))
                tick(name)
            return plans
        return _parallel(jobs, options, workers, tick)


def _named(name: str, run: Callable[[], Plan]) -> Plan:
    try:
        return run()
    except Exception as exc:
        exc.add_note(f"while solving {name!r}")
        raise


def _parallel(
    jobs: Sequence[tuple[str, Portfolio]],
    options: SolveOptions,
    workers: int,
    tick: Callable[[str], None],
) -> list[Plan]:
    results: list[Plan | None] = [None] * len(jobs)
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=processes.worker_init
    )
    finished = False
    try:
        pending: dict[Future[Plan], int] = {
            executor.submit(processes.run_job, solve_one, name, portfolio, options): k
            for k, (name, portfolio) in enumerate(jobs)
        }
        while pending:
            done, _ = wait(pending, return_when=FIRST_EXCEPTION)
            for future in sorted(done, key=lambda f: pending[f]):
                k = pending.pop(future)
                name = jobs[k][0]
                results[k] = _named(name, future.result)
                tick(name)
        finished = True
    except BrokenProcessPool:
        processes.check()  # a worker stopped by an interruption is not a crash
        raise RoadmapError(
            "A solver process stopped unexpectedly (often: out of memory). "
            "Run again with --jobs 1, or with fewer scenarios or steps."
        ) from None
    finally:
        if finished:
            executor.shutdown(wait=True)
        else:  # interrupted, or a job failed: the other solves are not wanted
            processes.stop_pool(executor)
    return [plan for plan in results if plan is not None]


class _Progress:
    """A progress bar on stderr, a callback, or nothing; used as ``with ... as tick``."""

    def __init__(self, progress: bool | ProgressCallback, total: int, label: str) -> None:
        self.progress, self.total, self.label, self.done = progress, total, label, 0
        self.bar: object | None = None

    def __enter__(self) -> Callable[[str], None]:
        if self.progress is True:
            self.bar = click.progressbar(
                length=self.total, label=self.label, file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()  # type: ignore[attr-defined]
        return self.tick

    def tick(self, name: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)  # type: ignore[attr-defined]
        elif callable(self.progress):
            self.progress(self.done, self.total, name)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)  # type: ignore[attr-defined]
