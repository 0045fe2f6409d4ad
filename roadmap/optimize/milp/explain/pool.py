"""Worker processes for forced re-solves: one place that starts them and one that stops them.

Each worker loads the base model once (``initializer``) and then answers ``Forcer.mip`` questions;
only small tasks (the rows to force, a warm start) and small answers travel. Workers are started
with ``spawn`` like the batch solves (nothing leaks from the parent's state), point their
standard output and error at the null device so that nothing the native solver prints reaches
the terminal, and are stopped by ``ForcedPool.close`` (also on an error or an interrupt).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import partial

import numpy as np

from roadmap.optimize.milp.explain.forced import ForcedResult, Forcer, Row, Target
from roadmap.optimize.milp.model.matrix import Matrix

_FORCER: Forcer | None = None


def quiet_streams() -> None:
    """Point file descriptors 1 and 2 of this process at the null device (native output too)."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


def _init(matrix: Matrix, log_file: str | None, options: dict) -> None:
    from roadmap.runtime.processes import worker_init

    global _FORCER
    worker_init()  # the parent decides when a worker stops (and stops its solver)
    quiet_streams()
    log = f"{log_file}.{os.getpid()}" if log_file else None
    _FORCER = Forcer(matrix, threads=1, log_file=log, options=options)


def _task(
    key: str,
    rows: list[Row],
    warm: np.ndarray | None,
    limit: float,
    nodes: int | None,
    target: Target | None,
) -> ForcedResult:
    from roadmap.runtime.processes import run_job

    assert _FORCER is not None, "worker not initialised"
    return run_job(partial(_FORCER.mip, nodes=nodes, target=target), key, rows, warm, limit)


# key, forcing rows, warm start, node budget, when to stop early
Task = tuple[str, list[Row], np.ndarray | None, int | None, Target | None]


class ForcedPool:
    """``workers`` processes, each with the model loaded; ``run`` yields answers as they come."""

    def __init__(
        self, matrix: Matrix, workers: int, *, log_file: str | None = None, options: dict
    ) -> None:
        self.workers = workers
        context = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init,
            initargs=(matrix, log_file, options),
        )

    def run(
        self, tasks: Iterable[Task], limit: Callable[[], float | None]
    ) -> Iterator[ForcedResult]:
        """Answers as they come; each task is handed to a free worker with ``limit()`` seconds
        (asked at that moment), and none is started once ``limit()`` says None."""
        queue = list(tasks)
        running: set[Future[ForcedResult]] = set()

        def submit() -> None:
            while queue and len(running) < self.workers:
                seconds = limit()
                if seconds is None:
                    queue.clear()
                    return
                key, rows, warm, nodes, target = queue.pop(0)
                running.add(self.executor.submit(_task, key, rows, warm, seconds, nodes, target))

        submit()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.discard(future)
                yield future.result()
            submit()

    def close(self, finished: bool = True) -> None:
        """Wait for the workers after a complete run; stop them at once otherwise."""
        from roadmap.runtime.processes import stop_pool

        if finished:
            self.executor.shutdown(wait=True)
        else:
            stop_pool(self.executor)

    def __enter__(self) -> ForcedPool:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.close(finished=kind is None)
