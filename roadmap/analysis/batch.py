"""Many solves at once: scenarios, frontier steps and marginal-value probes in worker processes.

``solve_many`` returns one plan per job, in the order of the jobs, and the same plans whatever
the number of workers:

- every solve runs with the same solver options as ``roadmap plan`` would use for that case
  (the Settings sheet's, or the ones given), in a worker or not, so the base case of a batch is
  the very plan ``roadmap plan`` returns; the why-not re-solves of a job run inside its worker;
- the results are put back in input order, never in completion order;
- workers are started with ``spawn`` (not ``fork``), so nothing leaks from the parent's state
  (open solver handles, threads) and the behaviour is the same on Linux, macOS and Windows.

One caveat is honest rather than fixable: a solve stopped by its *time limit* keeps the best plan
found so far, and how far the search got depends on how busy the machine was. Plans proven
optimal (or within the gap) are identical; time-limited ones may differ between runs — their
status is "feasible" and the gap is reported with them.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

import click

from roadmap.domain import Plan, Portfolio
from roadmap.optimize.options import SolveOptions
from roadmap.runtime import processes
from roadmap.runtime.executors import Executor, LocalProcesses, default_workers

ProgressCallback = Callable[[int, int, str], None]  # (done, total, name of the job just done)


def solve_one(name: str, portfolio: Portfolio, options: SolveOptions) -> Plan:
    """One solve, labelled with its job name (``Plan.scenario``). Runs in a worker process;
    ``options.log`` becomes ``<log>.<job name>``."""
    # pulp is only needed where the solving happens
    from roadmap.optimize.milp.plan import solve_plan

    log = None
    if options.log is not None:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") or "job"
        log = options.log.with_name(f"{options.log.name}.{slug}")
    # the batch's workers already fill the cores: the why-not re-solves stay in each worker
    budget = replace(options.why_not_budget, workers=1)
    plan = solve_plan(portfolio, replace(options, why_not_budget=budget, log=log))
    return replace(plan, scenario=name)


def solve_many(
    jobs: Sequence[tuple[str, Portfolio]],
    options: SolveOptions = SolveOptions(),
    *,
    jobs_n: int | None = None,
    progress: bool | ProgressCallback = False,
    label: str = "Solving",
    executor: Executor | None = None,
    job_options: Sequence[SolveOptions] | None = None,
) -> list[Plan]:
    """Solve every ``(name, portfolio)`` job with the same ``options`` (or each with its own
    ``job_options``); one plan per job, in input order.

    ``jobs_n`` worker processes (default: one per CPU, at most one per job; 1 = in this process),
    or ``executor`` (``runtime.executors``: a Dask cluster) instead. The options' time limit
    applies to each solve. ``progress=True`` draws a bar on stderr; a callable gets ``(done,
    total, name)`` after each solve. Infeasible jobs come back as plans whose ``report.status``
    says so; an unexpected error in any job stops the batch and is raised with the job's name
    attached.
    """
    if not jobs:
        return []
    per_job = list(job_options) if job_options is not None else [options] * len(jobs)
    if len(per_job) != len(jobs):
        raise ValueError("one set of options per job")
    if executor is None:
        workers = default_workers(len(jobs)) if jobs_n is None else max(1, min(jobs_n, len(jobs)))
        executor = LocalProcesses(workers, _worker_init)
    else:
        per_job = [replace(o, threads=executor.solver_threads(o.threads)) for o in per_job]
    with _Progress(progress, len(jobs), label) as tick:
        return executor.run(
            solve_named,
            [(name, p, o) for (name, p), o in zip(jobs, per_job, strict=True)],
            lambda k, plan: tick(jobs[k][0], plan),
        )


def solve_named(name: str, portfolio: Portfolio, options: SolveOptions) -> Plan:
    """``solve_one``, its job's name attached to any error (in a worker, or not)."""
    return _named(name, partial(solve_one, name, portfolio, options))


def _worker_init() -> None:
    """Worker processes leave signals to the parent and print nothing: the native solver's
    output would reach the terminal."""
    from roadmap.optimize.milp.explain.pool import quiet_streams

    processes.worker_init()
    quiet_streams()


def _named(name: str, run: Callable[[], Plan]) -> Plan:
    try:
        return run()
    except Exception as exc:
        exc.add_note(f"while solving {name!r}")
        raise


class _Progress:
    """Progress on stderr (``progress=True``), a callback, or nothing; ``with ... as tick``.

    On a terminal, click's bar: solves done of all, elapsed time, the last one finished and the
    best objective so far. Otherwise one line per finished solve, at most every few seconds
    (and always the last), so that logs of long runs show the batch moving."""

    LINE_EVERY = 5.0

    def __init__(self, progress: bool | ProgressCallback, total: int, label: str) -> None:
        self.progress, self.total, self.label, self.done = progress, total, label, 0
        self.bar: Any = None
        self.began = time.perf_counter()
        self.last_line = 0.0
        self.best: float | None = None
        self.text = ""

    def __enter__(self) -> Callable[[str, Plan], None]:
        if self.progress is True and sys.stderr.isatty():
            self.bar = click.progressbar(
                length=self.total,
                label=self.label,
                file=sys.stderr,
                show_pos=True,
                show_percent=False,
                show_eta=False,
                item_show_func=lambda _: self.text,
            )
            self.bar.__enter__()
        return self.tick

    def tick(self, name: str, plan: Plan) -> None:
        self.done += 1
        r = plan.report
        if r.status.has_plan and r.objective is not None:
            self.best = r.objective if self.best is None else max(self.best, r.objective)
        elapsed = time.perf_counter() - self.began
        best = f"  best {self.best:,.0f}" if self.best is not None else ""
        self.text = f"{elapsed:.1f} s  last: {name} ({r.status.value}){best}"
        if self.bar is not None:
            self.bar.update(1, current_item=self.text)
        elif self.progress is True:
            now = time.perf_counter()
            if self.done == self.total or now - self.last_line >= self.LINE_EVERY:
                self.last_line = now
                click.echo(f"{self.label}: {self.done}/{self.total}  {self.text}", err=True)
        elif callable(self.progress):
            self.progress(self.done, self.total, name)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
