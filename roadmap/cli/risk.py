"""``roadmap risk``: how sure is the plan? Monte Carlo on money, dates and the choice."""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path
from typing import Any

import click

from roadmap.cli.common import (
    debug_option,
    executor_option,
    force_option,
    handle_errors,
    jobs_option,
    time_limit_option,
)
from roadmap.domain import Plan, Portfolio, SolveStatus
from roadmap.errors import InfeasibleError, InputError, NoSolutionError, RoadmapError

DEFAULT_SAMPLES = 10_000
DEFAULT_SEED = 1


def default_output(input_path: Path) -> Path:
    return input_path.with_name(f"{input_path.stem}-risk.xlsx")


@click.command(
    "risk",
    short_help="How sure is the plan: Monte Carlo on money, dates and the choice.",
    epilog="""\b
Examples:
  roadmap risk samples/retail-d2c.xlsx
  roadmap risk samples/retail-d2c.xlsx -o risk.xlsx --samples 20000 --seed 7 --force
  roadmap risk my-portfolio.xlsx --plan my-portfolio-plan.xlsx -o risk.xlsx
  roadmap risk samples/retail-d2c.xlsx --reoptimise 200 --jobs 2 -o risk.xlsx --force
  roadmap risk samples/retail-d2c.xlsx --reoptimise 200 --executor dask://10.0.0.5:8786
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Evaluate this plan workbook (written by roadmap plan) instead of solving INPUT.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Risk workbook to write [default: INPUT-risk.xlsx beside the input].",
)
@click.option(
    "--samples",
    type=click.IntRange(10, 1_000_000),
    default=DEFAULT_SAMPLES,
    show_default=True,
    help="Sampled worlds the plan is evaluated in.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**63 - 1),
    default=DEFAULT_SEED,
    show_default=True,
    help="Random seed: the same seed and inputs give the same figures.",
)
@click.option(
    "--reoptimise",
    "reoptimise_k",
    type=click.IntRange(1, 100_000),
    help="Also re-solve the plan in the first K sampled worlds: selection stability and regret.",
)
@executor_option
@jobs_option("Local worker processes for --reoptimise [default: one per core].")
@time_limit_option("Solver time limit per solve, seconds [default: the Settings sheet's].")
@force_option()
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary; errors only.")
@debug_option
@handle_errors
def command(
    input_path: Path,
    plan_path: Path | None,
    output: Path | None,
    samples: int,
    seed: int,
    reoptimise_k: int | None,
    executor: str | None,
    jobs: int | None,
    time_limit: float | None,
    force: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Evaluate the plan of INPUT (the optimal plan, or --plan) in many sampled worlds and write
    the risk workbook.

    Ranges come from the Uncertainty sheet (low / likely / high build cost, benefit and
    duration), risk events from the Risks sheet, the distribution and the owner-function
    correlation from Settings; without them every world is the plan. The workbook shows NPV at
    P10/P50/P80/P90 and the chance of a loss, each budget line's chance of an overrun, each
    team's chance of overload per period, every go-live and the programme finish at P50/P80/P90
    (late predecessors push their successors), a tornado of what drives NPV and the finish, and
    the chance of finishing on time and within budget. --reoptimise K re-solves the plan in K
    worlds: how often each initiative is in the best plan, and the regret of keeping this one.
    The input files are only read.
    """
    try:
        import scipy  # noqa: F401
    except ImportError:
        raise InputError("roadmap risk needs scipy: pip install 'roadmap[risk]'") from None
    from roadmap.input.reader import load_portfolio
    from roadmap.report.risk import RiskRun, write_risk_workbook
    from roadmap.risk.evaluate import evaluate
    from roadmap.risk.sampling import draw, planned
    from roadmap.risk.summary import summarise
    from roadmap.runtime.outputs import claim_outputs

    if reoptimise_k is not None and reoptimise_k > samples:
        raise click.BadParameter(
            f"{reoptimise_k} worlds, but only {samples} samples: raise --samples",
            param_hint="--reoptimise",
        )
    if executor is not None and reoptimise_k is None:
        raise click.UsageError("--executor runs the --reoptimise solves; give --reoptimise K")
    out = output or default_output(input_path)
    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{out} should end in .xlsx", param_hint="-o")
    claim_outputs([out], force=force, protect=[p for p in (input_path, plan_path) if p])
    portfolio, warnings = load_portfolio(input_path)
    if time_limit is not None:
        from dataclasses import replace

        portfolio = replace(portfolio, settings=replace(portfolio.settings, time_limit=time_limit))
    if warnings and not quiet:
        click.echo(
            f"{len(warnings)} warning(s) in {input_path.name}; see roadmap validate.", err=True
        )
    starts, source, status = _plan_to_evaluate(portfolio, input_path, plan_path, quiet)
    draws = draw(portfolio, samples, seed)
    outcomes = evaluate(portfolio, starts, draws)
    baseline = evaluate(portfolio, starts, planned(portfolio))
    summary = summarise(outcomes, baseline, draws)
    choice = None
    if reoptimise_k is not None:
        choice = _reoptimise(
            portfolio, starts, draws, outcomes, reoptimise_k, executor, jobs, quiet
        )
    digest = hashlib.sha256(input_path.read_bytes()).hexdigest()
    run = RiskRun(input_path.name, digest, source, status)
    write_risk_workbook(
        summary, portfolio, run, out, choice=choice, force=force, protect=input_path
    )
    if not quiet:
        for line in summary_lines(summary, portfolio, choice):
            click.echo(line)
        click.echo(f"Wrote {out}")


def _plan_to_evaluate(
    portfolio: Portfolio, input_path: Path, plan_path: Path | None, quiet: bool
) -> tuple[dict[str, int], str, str]:
    """The plan's starts, where they came from, and its status in words."""
    from roadmap.money.calendar import Calendar

    if plan_path is not None:
        from roadmap.input.plan_workbook import read_snapshot

        snapshot = read_snapshot(plan_path)
        cal = Calendar.from_settings(portfolio.settings)
        starts: dict[str, int] = {}
        for row in snapshot.rows:
            where = f"{plan_path.name}, sheet Roadmap, row {row.row}"
            if row.id not in portfolio.initiative_by_id:
                raise InputError(
                    f"{where}: '{row.id}' is not an initiative of {input_path.name}. Give the "
                    "plan made from this input, or correct the ID."
                )
            if row.start is None:
                raise InputError(f"{where}: '{row.id}' has no Start date. Type its start date.")
            starts[row.id] = cal.period_of(row.start)
        return starts, f"{plan_path.name} (given plan)", "as given; not re-solved"
    from roadmap.cli.progress import SolveProgress
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.optimize.options import SolveOptions

    progress = SolveProgress(quiet, portfolio.settings.time_limit)
    try:
        plan = solve_plan(portfolio, SolveOptions(why_not=False), progress=progress)
    finally:
        progress.done()
    _check_status(plan)
    r = plan.report
    gap = f", gap {r.gap:.2%}" if r.gap is not None else ""
    timed = " (stopped at the time limit: the best plan found, not proven optimal)"
    status = f"{r.status.value}{gap}" + (timed if r.status is SolveStatus.FEASIBLE else "")
    return dict(plan.starts), f"the optimal plan of {input_path.name}", status


def _check_status(plan: Plan) -> None:
    status = plan.report.status
    if status is SolveStatus.INFEASIBLE:
        raise InfeasibleError("no plan satisfies every hard limit; run roadmap plan to see why")
    if status is SolveStatus.NO_SOLUTION:
        raise NoSolutionError("no plan found within the time limit; give the solver more time")
    if not status.has_plan:
        raise RoadmapError(f"the solver failed: {plan.report.message or status.value}")


def _reoptimise(
    portfolio: Portfolio,
    starts: dict[str, int],
    draws: Any,
    outcomes: Any,
    k: int,
    spec: str | None,
    jobs: int | None,
    quiet: bool,
) -> Any:
    from roadmap.risk.reoptimise import reoptimise, worker_init
    from roadmap.runtime.executors import executor_for

    runner = executor_for(spec, jobs, worker_init)
    bar = _Bar(k, "Worlds", quiet)
    try:
        return reoptimise(portfolio, starts, draws, outcomes, k, runner, bar.tick)
    finally:
        bar.close()
        close = getattr(runner, "close", None)
        if close is not None:
            close()


class _Bar:
    """Worlds solved of all: click's bar on a terminal, a line every few seconds otherwise."""

    EVERY = 5.0

    def __init__(self, total: int, label: str, quiet: bool) -> None:
        self.total, self.label, self.quiet, self.done = total, label, quiet, 0
        self.began = self.last = time.perf_counter()
        self.bar: Any = None
        if not quiet and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()

    def tick(self, _index: int, _result: object) -> None:
        self.done += 1
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.update(1)
            return
        now = time.perf_counter()
        if self.done == self.total or now - self.last >= self.EVERY:
            self.last = now
            click.echo(
                f"{self.label}: {self.done}/{self.total}  {now - self.began:.1f} s", err=True
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def summary_lines(summary: Any, portfolio: Portfolio, choice: Any) -> list[str]:
    from roadmap.cli.roi import money
    from roadmap.money.calendar import Calendar
    from roadmap.plan_facts.dates import period_end

    s = summary
    cur = portfolio.settings.currency
    cal = Calendar.from_settings(portfolio.settings)

    def when(t: float) -> str:
        return period_end(cal, int(t) - 1).isoformat()

    lines = [
        f"{s.samples:,} samples, seed {s.seed} ({s.distribution}, correlation {s.correlation:.0%})",
        f"NPV        plan {money(s.planned_npv, cur)}  P10 {money(s.npv.p10, cur)}  "
        f"P50 {money(s.npv.p50, cur)}  P90 {money(s.npv.p90, cur)}  chance below 0: {s.p_loss:.1%}",
        f"Finish     plan {when(s.planned_finish)}  P50 {when(s.finish.p50)}  "
        f"P80 {when(s.finish.p80)}  P90 {when(s.finish.p90)}",
        f"On time {s.p_on_time:.1%}, within budget {s.p_on_budget:.1%}, both {s.p_on_time_and_budget:.1%}",
    ]
    if s.tornado_npv:
        lines.append(f"Biggest NPV driver: {s.tornado_npv[0].name}")
    if choice is not None:
        robust = sum(x.verdict == "robust choice" for x in choice.stability)
        flips = sum(x.verdict == "coin-flip" for x in choice.stability)
        ok = choice.regret[choice.comparable]
        mean = money(float(ok.mean()), cur) if ok.size else "n/a"
        lines.append(
            f"Choice     {choice.solved}/{len(choice.worlds)} worlds solved: {robust} robust "
            f"choice(s), {flips} coin-flip(s); the plan fits {int(choice.fits.sum())} world(s), "
            f"mean regret there {mean}"
        )
        if choice.timed_out:
            lines.append(
                f"Note: {choice.timed_out} world(s) stopped at the time limit; their figures "
                "may differ between runs."
            )
    return lines
