"""Stopping cleanly: a signal becomes ``Interrupted``, child processes are stopped, and the few
steps that must not be cut in half run with signals deferred.

The one place that knows how this process and its children end:

- ``handle_signals()`` (the main process, around a whole command): SIGINT, SIGTERM and SIGHUP
  stop every process this one started — a CBC solver, the worker processes of a batch and the
  solvers those started — and then raise ``Interrupted`` in the main thread, so every ``finally``
  on the way up removes its temporary files. A second signal while that happens is noted and
  ignored: the cleanup is short and must not itself be cut off.
- ``worker_init`` / ``run_job`` (worker processes): Ctrl-C, which a terminal sends to the whole
  process group, is left to the parent; the parent stops a worker with SIGTERM, and the worker
  then stops its own solver, unwinds (removing its temporary files) and exits.
- ``stop_processes`` / ``stop_pool``: SIGTERM, a short grace period, then SIGKILL.
- ``deferred()``: a section (renaming a finished file into place) during which a signal is noted
  and raised at the section's end, so a file is either fully in place or not at all.

A solver running inside this process (HiGHS) sees the exception at its next callback, well
under a second apart during the search; CBC runs as a child process and is stopped directly.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from types import FrameType
from typing import Any, TypeVar

from roadmap.errors import Interrupted

T = TypeVar("T")

SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
GRACE_SECONDS = 3.0  # how long a child gets to exit after SIGTERM before SIGKILL


class _State:
    received: int | None = None  # the first signal of this run
    pending: int | None = None  # a signal that arrived inside a deferred() section
    depth = 0  # deferred() nesting
    installed = False


_state = _State()


def received() -> int | None:
    """The signal that interrupted this run, if one did."""
    return _state.received


def check() -> None:
    """Raise ``Interrupted`` if a signal arrived (for code that noted one and carried on)."""
    if _state.received is not None:
        raise Interrupted(_state.received)


# ---------------------------------------------------------------- child processes


def _children_proc(pid: int) -> list[int] | None:
    """Direct children of ``pid`` from /proc (Linux); None where there is no /proc."""
    base = "/proc"
    if not os.path.isdir(f"{base}/self"):
        return None
    found = []
    for entry in os.listdir(base):
        if not entry.isdigit():
            continue
        try:
            with open(f"{base}/{entry}/stat", "rb") as fh:
                stat = fh.read().decode(errors="replace")
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and fields[1] == str(pid) and fields[0] != "Z":
            found.append(int(entry))
    return found


def _children_pgrep(pid: int) -> list[int]:
    try:
        out = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [int(x) for x in out.split() if x.isdigit()]


def descendants(pid: int | None = None) -> list[int]:
    """Every live process below ``pid`` (default: this one), parents before their children."""
    root = os.getpid() if pid is None else pid
    order: list[int] = []
    queue = [root]
    while queue:
        parent = queue.pop(0)
        kids = _children_proc(parent)
        if kids is None:
            kids = _children_pgrep(parent)
        for kid in kids:
            if kid not in order and kid != root:
                order.append(kid)
                queue.append(kid)
    return order


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode(errors="replace")
        return stat[stat.rfind(")") + 2 :].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_processes(pids: Iterable[int], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM each process, wait up to ``grace`` seconds for all to end, SIGKILL the rest."""
    targets = [p for p in pids if p != os.getpid()]
    for pid in targets:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(p) for p in targets):
        time.sleep(0.02)
    kill = getattr(signal, "SIGKILL", signal.SIGTERM)
    for pid in targets:
        if alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, kill)


def stop_children(grace: float = GRACE_SECONDS) -> None:
    """Stop every process below this one (listed before any is signalled, so none is missed
    when a parent's exit re-parents its children).

    multiprocessing's resource tracker is spared: it runs no solve, ends by itself once this
    process has gone, and killing it first makes the pool print tracebacks on the way out."""
    spare = _resource_tracker_pid()
    stop_processes([pid for pid in descendants() if pid != spare], grace)


def _resource_tracker_pid() -> int | None:
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    pid = getattr(getattr(tracker, "_resource_tracker", None), "_pid", None)
    return pid if isinstance(pid, int) else None


def stop_pool(executor: ProcessPoolExecutor, grace: float = GRACE_SECONDS) -> None:
    """End a process pool now: its workers (and their solvers) are stopped, queued jobs dropped.

    ``executor.shutdown(wait=True)`` would wait for every running solve to finish; after an
    interruption or a failed job nobody wants those results."""
    workers = list(getattr(executor, "_processes", None) or {})
    pids = [pid for worker in workers for pid in (worker, *descendants(worker))]
    stop_processes(pids, grace)
    executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------- signals


def _raise_or_defer(signum: int) -> None:
    if _state.depth:
        _state.pending = signum
        return
    raise Interrupted(signum)


def _main_handler(signum: int, _frame: FrameType | None) -> None:
    if _state.received is not None:
        return  # already stopping: let the cleanup finish
    _state.received = signum
    stop_children()
    _raise_or_defer(signum)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def handle_signals() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into ``Interrupted`` for the duration (main thread only;
    elsewhere, or when already active, it does nothing). Earlier handlers are restored after."""
    if _state.installed or not _in_main_thread():
        yield
        return
    previous: dict[signal.Signals, Any] = {}
    for sig in SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            previous[sig] = signal.signal(sig, _main_handler)
    _state.installed = True
    _state.received = _state.pending = None
    try:
        yield
    finally:
        for sig, handler in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(sig, handler)
        _state.installed = False
        _state.received = _state.pending = None


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Run a short step whole: a signal arriving inside is raised when the step is done."""
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
        pending, _state.pending = _state.pending, None
        if not _state.depth and pending is not None:
            raise Interrupted(pending)


def _worker_handler(signum: int, _frame: FrameType | None) -> None:
    if _state.received is not None:
        return
    _state.received = signum
    stop_children()
    _raise_or_defer(signum)


def worker_init() -> None:
    """Initializer for worker processes: the parent decides when a worker stops."""
    for sig in SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            if sig == signal.SIGTERM:
                signal.signal(sig, _worker_handler)
            else:
                signal.signal(sig, signal.SIG_IGN)


def run_job(func: Callable[..., T], *args: Any) -> T:
    """Run one job in a worker; when the worker is stopped, exit once the job has unwound
    (its temporary files removed) instead of reporting back to a parent that left."""
    try:
        return func(*args)
    except Interrupted as stop:
        sys.stderr.flush()
        os._exit(stop.exit_code)
