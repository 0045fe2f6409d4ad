"""Pieces every command shares: the error boundary and common options."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from roadmap.domain import Finding, Severity
from roadmap.errors import InputError, RoadmapError

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
    """The one error boundary: a RoadmapError becomes its message and exit code; anything else
    becomes a short message (exit 1), with the traceback only under ``--debug``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug", False))
        try:
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
        except (click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                traceback.print_exc()
            click.echo(
                f"Error: unexpected {type(exc).__name__}: {exc}. "
                "Run again with --debug for details, and please report it.",
                err=True,
            )
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]


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
        type=click.Choice(["auto", "cbc", "highs"], case_sensitive=False),
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


def jobs_option(help: str) -> Callable[[F], F]:
    return click.option("--jobs", type=click.IntRange(min=1), help=help)
