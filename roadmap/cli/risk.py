"""``roadmap risk``: how sure is the plan? Monte Carlo on money, dates and the choice.

Parsing, printing and exit codes only; the run itself is ``roadmap.app.risk_run``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from roadmap.app.risk_run import DEFAULT_SAMPLES, DEFAULT_SEED
from roadmap.cli.common import (
    debug_option,
    executor_for_option,
    executor_option,
    force_option,
    handle_errors,
    jobs_option,
    time_limit_option,
)
from roadmap.cli.progress import CountBar, SolveProgress
from roadmap.domain import Portfolio


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
    help="Also re-solve the first K sampled worlds: selection stability and the regret of the "
    "choice.",
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
    the chance of finishing on time and within budget. --reoptimise K re-solves K worlds as
    the plan was solved: how often each initiative is in a world's best plan, in how many
    worlds the chosen initiatives do not fit whatever their timing, and the regret of the
    choice (the world's best minus the chosen set re-timed, or trimmed to fit). The input
    files are only read.
    """
    from roadmap.app import risk_run as app
    from roadmap.app.plan_run import input_digest
    from roadmap.input.reader import load_portfolio
    from roadmap.runtime.outputs import claim_outputs

    app.require_scipy()
    if reoptimise_k is not None and reoptimise_k > samples:
        raise click.BadParameter(
            f"{reoptimise_k} worlds, but only {samples} samples: raise --samples",
            param_hint="--reoptimise",
        )
    if executor is not None and reoptimise_k is None:
        raise click.UsageError("--executor runs the --reoptimise solves; give --reoptimise K")
    out = output or app.default_output(input_path)
    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{out} should end in .xlsx", param_hint="-o")
    claim_outputs([out], force=force, protect=[p for p in (input_path, plan_path) if p])
    portfolio, warnings = load_portfolio(input_path)
    digest = input_digest(input_path)
    if warnings and not quiet:
        click.echo(
            f"{len(warnings)} warning(s) in {input_path.name}; see roadmap validate.", err=True
        )
    options = app.solve_options(time_limit)
    if plan_path is not None:
        plan = app.given_plan(portfolio, input_path.name, plan_path)
    else:
        limit = time_limit if time_limit is not None else portfolio.settings.time_limit
        with SolveProgress(quiet, limit) as progress:
            plan = app.solved_plan(portfolio, input_path.name, options, progress)
    with (
        executor_for_option(executor, jobs) as runner,
        CountBar(reoptimise_k or 0, "Worlds", quiet or reoptimise_k is None) as bar,
    ):
        result = app.assess(
            portfolio,
            plan,
            samples=samples,
            seed=seed,
            reoptimise=reoptimise_k,
            options=options,
            executor=runner,
            jobs=jobs,
            on_world=lambda _k, world: bar.tick(_world_note(world)),
        )
    app.write_risk(result, portfolio, plan, input_path, digest, out, force=force)
    if not quiet:
        for line in summary_lines(result.summary, portfolio, result.choice):
            click.echo(line)
        click.echo(f"Wrote {out}")


def _world_note(world: Any) -> str:
    """How one re-solved world ended, for the progress line."""
    label = f"world {world.world + 1}"
    if world.stopped:
        return f"{label}: stopped at the time limit"
    if not world.best.has_plan:
        return f"{label}: no plan fits"
    return f"{label}: chosen set " + ("fits" if world.chosen.has_plan else "does not fit")


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
        lines += choice_lines(choice, cur)
    return lines


def choice_lines(choice: Any, currency: str) -> list[str]:
    """What the re-solved worlds say about the choice, in a few lines."""
    from roadmap.cli.roi import money

    def amount(value: float | None) -> str:
        if value is None:
            return "n/a"
        return money(value, currency) if choice.objective == "npv" else f"{value:,.1f}"

    def regret(spread: Any) -> str:
        if not spread.worlds:
            return "no world to measure it in"
        return (
            f"regret mean {amount(spread.mean)}, P50 {amount(spread.p50)}, "
            f"P90 {amount(spread.p90)} over {spread.worlds} world(s)"
        )

    k, counted = len(choice.worlds), int(choice.counted.sum())
    robust = sum(x.verdict == "robust choice" for x in choice.stability)
    flips = sum(x.verdict == "coin-flip" for x in choice.stability)
    units = "" if choice.objective == "npv" else f" (in {choice.objective} units)"
    lines = [
        f"Choice     {k} worlds re-solved, {counted} counted: {robust} robust choice(s), "
        f"{flips} coin-flip(s)",
        f"           the plan as made fits {int(choice.held_fits.sum())} of {k}; the chosen "
        f"set does not fit in {int(choice.chosen_misfits.sum())} of {choice.with_plan}",
        f"           chosen set re-timed: {regret(choice.spread())}{units}",
        f"           chosen set trimmed to fit: {regret(choice.spread(trimmed=True))}{units}",
    ]
    if int(choice.no_plan.sum()):
        lines.append(f"           no plan fits at all in {int(choice.no_plan.sum())} world(s)")
    if choice.uncounted:
        from roadmap.report.risk_choice import listed

        lines.append(
            f"Note: world(s) {listed(choice.uncounted)}: a solve stopped at the time limit (or "
            "failed); left out of these figures."
        )
    return lines
