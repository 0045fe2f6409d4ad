"""Where independent jobs run: worker processes on this machine, or an existing Dask cluster.

One seam for every multi-solve run (scenarios, frontier levels, re-optimised risk worlds):

- ``Executor.run(func, jobs, on_done)`` calls ``func(*job)`` for every job and returns the
  results in job order, never in completion order; ``on_done(index, result)`` is called as each
  finishes (for a progress bar). A job that fails stops the run and its error is raised.
- ``LocalProcesses``: worker processes started with ``spawn`` (nothing leaks from this
  process's state), the signal handling of ``runtime.processes`` (Ctrl-C, SIGTERM and SIGHUP
  stop every worker and its solver, and nothing is left running); one worker = in this process.
- ``DaskCluster``: the jobs go to the Dask scheduler at ``address`` (``dask://HOST:PORT`` on
  the command line; ``pip install 'roadmap[distributed]'``). Every solve there uses one solver
  thread, so a worker runs as many solves at once as it has task threads (Dask's default: one
  per core) and never more threads than that: HiGHS keeps one thread pool per process, and a
  worker that solved with one thread cannot later solve with two. An interruption cancels
  every job still queued or running.

Results depend only on the jobs: a job is a pure function of its arguments, so the same jobs
give the same results whatever the executor or the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol

from roadmap.errors import InputError, RoadmapError
from roadmap.runtime import processes

OnDone = Callable[[int, Any], None]
DASK_SCHEME = "dask://"
DASK_INSTALL = "pip install 'roadmap[distributed]'"
POLL_SECONDS = 0.05


class Executor(Protocol):
    def run(
        self,
        func: Callable[..., Any],
        jobs: Sequence[tuple[Any, ...]],
        on_done: OnDone | None = None,
    ) -> list[Any]: ...

    def solver_threads(self, wanted: int | None) -> int | None:
        """The solver threads one job may use here (``wanted`` capped), None = the solver's
        choice."""
        ...

    def describe(self) -> str: ...


def default_workers(n_jobs: int) -> int:
    return max(1, min(os.cpu_count() or 1, n_jobs))


@dataclass(frozen=True)
class LocalProcesses:
    """``workers`` processes on this machine (None: one per core, at most one per job; 1: in
    this process). ``initializer`` runs in each worker before its first job."""

    workers: int | None = None
    initializer: Callable[[], None] | None = None

    def describe(self) -> str:
        return "this machine" if self.workers is None else f"this machine, {self.workers} worker(s)"

    def solver_threads(self, wanted: int | None) -> int | None:
        return wanted

    def run(
        self,
        func: Callable[..., Any],
        jobs: Sequence[tuple[Any, ...]],
        on_done: OnDone | None = None,
    ) -> list[Any]:
        if not jobs:
            return []
        workers = (
            default_workers(len(jobs))
            if self.workers is None
            else max(1, min(self.workers, len(jobs)))
        )
        if workers == 1:
            out = []
            for k, job in enumerate(jobs):
                out.append(func(*job))
                if on_done is not None:
                    on_done(k, out[-1])
            return out
        return self._pool(func, jobs, workers, on_done)

    def _pool(
        self,
        func: Callable[..., Any],
        jobs: Sequence[tuple[Any, ...]],
        workers: int,
        on_done: OnDone | None,
    ) -> list[Any]:
        results: list[Any] = [None] * len(jobs)
        context = multiprocessing.get_context("spawn")
        init = self.initializer or processes.worker_init
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init)
        finished = False
        try:
            pending: dict[Future[Any], int] = {
                executor.submit(processes.run_job, func, *job): k for k, job in enumerate(jobs)
            }
            while pending:
                # each job as it finishes (FIRST_EXCEPTION would wait for all of them when none
                # fails, and the progress bar would jump from nothing to all at the end)
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: pending[f]):
                    k = pending.pop(future)
                    results[k] = future.result()  # a failed job raises its error here
                    if on_done is not None:
                        on_done(k, results[k])
            finished = True
        except BrokenProcessPool:
            processes.check()  # a worker stopped by an interruption is not a crash
            raise RoadmapError(
                "A worker process stopped unexpectedly (often: out of memory). "
                "Run again with fewer workers (--jobs 1), or with fewer jobs."
            ) from None
        finally:
            if finished:
                executor.shutdown(wait=True)
            else:  # interrupted, or a job failed: the other jobs are not wanted
                processes.stop_pool(executor)
        return results


class DaskCluster:
    """Jobs on an existing Dask cluster (``address``: host:port of its scheduler)."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise InputError(
                f"--executor {DASK_SCHEME}{address} needs Dask's distributed scheduler: "
                f"{DASK_INSTALL}"
            ) from None
        self.address = address
        try:
            self.client = Client(address, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise InputError(
                f"cannot reach the Dask scheduler at {address} ({exc}); start it first "
                "(dask scheduler, dask worker) or check the address"
            ) from None
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        if not workers:
            self.client.close()
            raise InputError(f"the Dask scheduler at {address} has no workers")
        cores = self.client.run(os.cpu_count)
        self.workers = len(workers)
        self.task_threads = sum(int(v.get("nthreads", 1)) for v in workers.values())
        self.cores = sum(int(cores.get(w) or 1) for w in workers)

    def describe(self) -> str:
        return (
            f"Dask cluster at {self.address}: {self.workers} worker(s), {self.task_threads} "
            "task thread(s), one solver thread each"
        )

    def solver_threads(self, wanted: int | None) -> int | None:
        return 1

    def run(
        self,
        func: Callable[..., Any],
        jobs: Sequence[tuple[Any, ...]],
        on_done: OnDone | None = None,
    ) -> list[Any]:
        if not jobs:
            return []
        futures = [self.client.submit(func, *job, pure=False) for job in jobs]
        results: list[Any] = [None] * len(jobs)
        pending = dict(enumerate(futures))
        finished = False
        try:
            while pending:
                ready = [k for k, f in pending.items() if f.done()]
                if not ready:
                    time.sleep(POLL_SECONDS)  # short: a signal stops the wait at once
                    continue
                for k in ready:
                    results[k] = pending.pop(k).result()  # a failed job raises its error here
                    if on_done is not None:
                        on_done(k, results[k])
            finished = True
        finally:
            if not finished:  # interrupted, or a job failed: stop the others on the cluster
                self.client.cancel(futures, force=True)
        return results

    def close(self) -> None:
        self.client.close()


def executor_for(
    spec: str | None, workers: int | None = None, initializer: Callable[[], None] | None = None
) -> Executor:
    """``None`` or "local": worker processes here; ``dask://HOST:PORT``: that Dask cluster."""
    if spec is None or spec.strip().lower() in ("", "local"):
        return LocalProcesses(workers, initializer)
    text = spec.strip()
    if text.lower().startswith(DASK_SCHEME):
        address = text[len(DASK_SCHEME) :]
        if not address:
            raise InputError(f"--executor {spec!r}: give the scheduler as dask://HOST:PORT")
        return DaskCluster(address)
    raise InputError(f"--executor {spec!r} is not 'local' or dask://HOST:PORT")
