"""Pieces every command shares: the error boundary and common options."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from roadmap.domain import Finding, Severity
from roadmap.errors import InputError, Interrupted, RoadmapError

F = TypeVar("F", bound=Callable[..., Any])


def debug_option(func: F) -> F:
    return click.option(
        "--debug", is_flag=True, help="Show the full traceback when something goes wrong."
    )(func)


def format_findings(findings: Iterable[Finding]) -> str:
    """A plain-text table: severity, cell, message and how to fix it."""
    rows = [(f.severity.value, f.location, f.message, f.fix) for f in findings]
    if not rows:
        return ""
    headers = ("level", "where", "problem", "how to fix")
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(headers[:2])]
    lines = [f"{headers[0]:<{widths[0]}}  {headers[1]:<{widths[1]}}  {headers[2]}"]
    for sev, where, problem, fix in rows:
        lines.append(f"{sev:<{widths[0]}}  {where:<{widths[1]}}  {problem}")
        if fix:
            lines.append(f"{'':<{widths[0]}}  {'':<{widths[1]}}    fix: {fix}")
    return "\n".join(lines)


def summarise_findings(findings: Iterable[Finding]) -> str:
    findings = list(findings)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    return f"{errors} error(s), {warnings} warning(s)"


def handle_errors(func: F) -> F:
    """The one error boundary, around every command.

    - A RoadmapError becomes its message and exit code; anything else a short message (exit 1),
      with the traceback only under ``--debug``.
    - SIGINT, SIGTERM and SIGHUP stop the solvers and worker processes, remove every
      temporary file, leave no output, print "interrupted" and exit 128 + the signal (130 for
      Ctrl-C).
    - Files written through the output guard are put in place when the command ends
      (``output_session``), so an interrupted run leaves nothing behind.
    - A closed stdout (``roadmap roi in.xlsx | head -1``) ends the run quietly with exit 0.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from roadmap.runtime.outputs import output_session
        from roadmap.runtime.processes import handle_signals

        debug = bool(kwargs.get("debug", False))
        try:
            with handle_signals(), _forgiving_stdout(), output_session():
                return func(*args, **kwargs)
        except InputError as exc:
            if exc.findings:
                click.echo(format_findings(exc.findings), err=True)
                click.echo(summarise_findings(exc.findings), err=True)
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(exc.exit_code) from None
        except RoadmapError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(exc.exit_code) from None
        except Interrupted as exc:
            _say_interrupted()
            raise SystemExit(exc.exit_code) from None
        except KeyboardInterrupt:
            _say_interrupted()
            raise SystemExit(130) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise SystemExit(0) from None
        except (click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:
            if _stdout_closed(exc):
                _quiet_stdout()
                raise SystemExit(0) from None
            if debug:
                traceback.print_exc()
            click.echo(
                f"Error: unexpected {type(exc).__name__}: {exc}. "
                "Run again with --debug for details, and please report it.",
                err=True,
            )
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]


def _say_interrupted() -> None:
    from roadmap.runtime.outputs import last_written

    written = last_written()
    note = f" after writing {', '.join(map(str, written))}" if written else "; nothing was written"
    with contextlib.suppress(OSError, ValueError):
        click.echo(f"\ninterrupted{note}", err=True)


def _stdout_closed(exc: BaseException) -> bool:
    """click wraps an EPIPE on stdout in its own exceptions at times; look at the cause too."""
    seen = exc
    while seen is not None:
        if isinstance(seen, BrokenPipeError):
            return True
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
    return False


class _ForgivingStream:
    """stdout that outlives its reader: once the pipe is closed (``| head -1``) further output
    is dropped and the command carries on, so the files it was asked to write still appear."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._closed = False

    def write(self, text: str) -> int:
        if not self._closed:
            try:
                return int(self._stream.write(text))
            except BrokenPipeError:
                self._closed = True
                _quiet_stdout()
        return len(text)

    def flush(self) -> None:
        if not self._closed:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._closed = True
                _quiet_stdout()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _forgiving_stdout() -> Iterator[None]:
    original = sys.stdout
    sys.stdout = _ForgivingStream(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        with contextlib.suppress(BrokenPipeError):
            sys.stdout.flush()
        sys.stdout = original


def _quiet_stdout() -> None:
    """The reader of stdout has gone: point stdout at /dev/null so the interpreter's final
    flush does not report the broken pipe again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def parse_share(value: str | None) -> float | None:
    """'0.5%' or '0.005' -> 0.005 (a relative gap or a share)."""
    if value is None:
        return None
    text = value.strip()
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a number like 0.01 or 1%") from None
    share = number / 100 if text.endswith("%") else number
    if not 0 <= share < 1:
        raise click.BadParameter(f"{value!r} should be between 0 and 1 (or 0% and 100%)")
    return share


# Options that several commands share, so they read and behave the same everywhere.


def force_option(help: str = "Replace the output workbook if it exists.") -> Callable[[F], F]:
    return click.option("--force", is_flag=True, help=help)


def solver_option(func: F) -> F:
    return click.option(
        "--solver",
        type=click.Choice(["auto", "cbc", "highs", "scip"], case_sensitive=False),
        help="MILP solver [default: the Settings sheet's; auto = HiGHS when installed].",
    )(func)


def time_limit_option(
    help: str = "Solver time limit in seconds [default: the Settings sheet's].",
) -> Callable[[F], F]:
    return click.option("--time-limit", type=click.FloatRange(min=1), help=help)


def gap_option(func: F) -> F:
    return click.option(
        "--gap",
        callback=lambda _ctx, _param, value: parse_share(value),
        help="Stop within this relative gap, e.g. 0.5% or 0.005 [default: the Settings sheet's].",
    )(func)


def why_not_option(func: F) -> F:
    from roadmap.optimize.options import WHY_NOT_EFFORT

    return click.option(
        "--why-not",
        "why_not",
        type=click.Choice(list(WHY_NOT_EFFORT)),
        default="standard",
        show_default=True,
        help="How hard to price what is left out: 'quick' (bounds and forced plans, no "
        "re-solves), 'standard', 'thorough' (ten times the re-solve work: more figures proven "
        "or quotable on large portfolios).",
    )(func)


def jobs_option(help: str) -> Callable[[F], F]:
    return click.option("--jobs", type=click.IntRange(min=1), help=help)


def output_option(help: str) -> Callable[[F], F]:
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=help
    )


def quiet_option(help: str) -> Callable[[F], F]:
    return click.option("--quiet", "-q", is_flag=True, help=help)


solver_log_option = click.option(
    "--solver-log",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the solver's own log to this file (never shown on the terminal); re-solves in "
    "worker processes write FILE.<suffix> beside it.",
)


executor_option = click.option(
    "--executor",
    metavar="local|dask://HOST:PORT",
    help="Where the independent solves run: local worker processes (default), or an existing "
    "Dask cluster (pip install 'roadmap[distributed]'); the same figures either way.",
)


@contextlib.contextmanager
def executor_for_option(spec: str | None, jobs: int | None = None) -> Iterator[Any]:
    """The executor ``--executor`` names (None for the local default), closed at the end."""
    if spec is None or spec.strip().lower() in ("", "local"):
        yield None
        return
    from roadmap.runtime.executors import executor_for

    runner = executor_for(spec, jobs)
    try:
        yield runner
    finally:
        close = getattr(runner, "close", None)
        if close is not None:
            close()
