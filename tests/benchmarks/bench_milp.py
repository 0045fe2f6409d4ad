"""Optimizer benchmark on seeded synthetic portfolios: run by hand, not by pytest.

    python tests/benchmarks/bench_milp.py
    python tests/benchmarks/bench_milp.py --sizes 30x8x6,100x24x6 --solvers highs --time-limit 60
    BENCH_FORM=start|step python tests/benchmarks/bench_milp.py ...   # force the model form
    BENCH_COLD=1 python tests/benchmarks/bench_milp.py ...            # no warm start
    python tests/benchmarks/bench_milp.py --solvers highs --methods plain,neighbourhoods \
        --sizes 1000x48x12 --seeds 1,2,3 --time-limit 120    # side by side, same model

Sizes are initiatives x periods x teams; horizons of up to 12 periods are quarters, longer ones
months. Every (size, solver) run happens in a fresh child process so that peak memory (the
child's own and that of the solver process it starts, e.g. CBC) belongs to that run alone. Each
run reports build and solve time, status, gap, peak RSS, the optimizer's NPV over the greedy
baseline's, and whether the independent checker (``roadmap.optimize.plan_check``) finds the plan valid.
The markdown table is printed and appended to ``tests/benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_SIZES = "30x8x6,100x24x6,500x36x10,1000x48x12"
RESULTS = Path(__file__).with_name("RESULTS.md")
SEED = 1


def _period(horizon: int) -> str:
    return "quarter" if horizon <= 12 else "month"


def _peak_rss_mb() -> float:
    """Largest resident set of this process and of any solver process it waited for (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


def run_one(
    n: int,
    horizon: int,
    teams: int,
    solver: str,
    time_limit: float,
    gap: float,
    why_not: bool,
    method: str = "auto",
    seed: int = SEED,
) -> dict:
    """One benchmark run (called in the child process); returns the figures as a dict."""
    from roadmap.money.calendar import Calendar
    from roadmap.money.finance import start_values
    from roadmap.optimize.derived import derive
    from roadmap.optimize.greedy import GreedyInfeasible, greedy_objective, greedy_plan
    from roadmap.optimize.plan_check import check_plan
    from roadmap.testing.synthetic import synthetic_portfolio

    portfolio = synthetic_portfolio(n, horizon, teams, seed, period=_period(horizon))
    calendar = Calendar.from_settings(portfolio.settings)
    values = start_values(portfolio, calendar)
    row: dict = {
        "size": f"{n}x{horizon}x{teams}",
        "period": _period(horizon),
        "solver": solver if method == "auto" else f"{solver} {method}",
        "seed": seed,
    }

    began = time.perf_counter()
    try:
        greedy = greedy_plan(derive(portfolio, values))
    except GreedyInfeasible:
        greedy = None
    row["greedy_s"] = time.perf_counter() - began
    row["greedy_npv"] = greedy_objective(portfolio, values, greedy) if greedy is not None else None
    row["greedy_valid"] = greedy is not None and not check_plan(portfolio, greedy, values, calendar)

    if solver == "greedy":
        row.update(status="-", valid=row["greedy_valid"], peak_rss_mb=_peak_rss_mb())
        return row

    import roadmap.optimize.milp.plan as milp
    from roadmap.optimize.milp.model import build
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.optimize.options import SolveOptions

    form = os.environ.get("BENCH_FORM", "auto")  # auto, step or start: the model form used
    if form != "auto":
        build.STEP_FORM_MAX_STARTS = 10**9 if form == "step" else -1
        build.STEP_FORM_MAX_HORIZON = 10**9
        milp.use_step_form = build.use_step_form
        row["solver"] += f" ({form} form)"
    if os.environ.get("BENCH_COLD") == "1":  # no warm start: measure what it is worth
        plain = milp.solve_model
        milp.solve_model = lambda model, *a, **kw: plain(model, *a, **{**kw, "warm_start": None})
        row["solver"] += " cold"

    began = time.perf_counter()
    options = SolveOptions(
        solver=solver, time_limit=time_limit, gap=gap, why_not=why_not, search=method
    )
    plan = solve_plan(portfolio, options)
    row["wall_s"] = time.perf_counter() - began  # the whole call: build, warm start, solve, why-not
    rep = plan.report
    row.update(
        build_s=rep.build_seconds,
        solve_s=rep.solve_seconds,
        status=rep.status.value,
        gap=rep.gap,
        objective=rep.objective,
        bound=rep.bound,
        message=rep.message,
        variables=rep.variables,
        constraints=rep.constraints,
        solver_version=rep.solver_version,
    )
    if rep.status.has_plan:
        violations = check_plan(portfolio, plan.starts, values, calendar)
        row["valid"] = not violations
        row["violations"] = [str(v) for v in violations[:5]]
        row["opt_npv"] = greedy_objective(portfolio, values, plan.starts)
        row["selected"] = len(plan.starts)
    if method == "neighbourhoods":
        from roadmap.optimize.milp.search import lns

        if lns.last_rounds:
            st = lns.last_rounds[-1]
            row["rounds"] = {k: [st.improved[k], st.tried[k], st.gained[k]] for k in st.tried}
            row["history"] = [
                [round(a, 1), k, n, round(s, 2), p, round(g)] for a, k, n, s, p, g in st.history
            ]
    row["peak_rss_mb"] = _peak_rss_mb()
    return row


def _in_child(
    size: tuple[int, int, int],
    solver: str,
    time_limit: float,
    gap: float,
    why_not: bool,
    method: str = "auto",
    seed: int = SEED,
) -> dict:
    args = [str(x) for x in (*size, solver, time_limit, gap, int(why_not), method, seed)]
    base = {
        "size": "x".join(map(str, size)),
        "period": _period(size[1]),
        "solver": solver if method == "auto" else f"{solver} {method}",
        "seed": seed,
    }
    cmd = [sys.executable, __file__, "--worker", *args]
    # the solve may overrun its limit a little (model build, solution read-back)
    wall = 3 * time_limit + 600
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=wall, check=False)
    except subprocess.TimeoutExpired:
        return {**base, "status": "killed", "note": f"no answer within {wall:g} s"}
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return {**base, "status": "crash", "note": tail[0][:300]}
    result: dict = json.loads(lines[-1])
    return result


def _fmt(value: object, spec: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return format(value, spec or ".2f")
    return str(value)


def table(rows: list[dict]) -> str:
    head = (
        "| size (n×H×T) | seed | period | solver | build s | solve s | whole call s | status "
        "| gap | objective | bound | peak RSS MB | greedy s | greedy NPV | optimizer NPV "
        "| opt/greedy | valid |"
    )
    lines = [head, "|" + "---|" * 17]
    for r in rows:
        ratio = None
        if r.get("opt_npv") is not None and r.get("greedy_npv"):
            ratio = r["opt_npv"] / r["greedy_npv"]
        gap = r.get("gap")
        lines.append(
            "| "
            + " | ".join(
                [
                    r.get("size", ""),
                    _fmt(r.get("seed")),
                    r.get("period", ""),
                    r.get("solver", ""),
                    _fmt(r.get("build_s")),
                    _fmt(r.get("solve_s")),
                    _fmt(r.get("wall_s")),
                    r.get("status", ""),
                    "–" if gap is None else f"{100 * gap:.2f} %",
                    _fmt(r.get("objective"), ",.0f"),
                    _fmt(r.get("bound"), ",.0f"),
                    _fmt(r.get("peak_rss_mb"), ".0f"),
                    _fmt(r.get("greedy_s"), ".3f"),
                    _fmt(r.get("greedy_npv"), ",.0f"),
                    _fmt(r.get("opt_npv"), ",.0f"),
                    _fmt(ratio, ".3f"),
                    _fmt(r.get("valid")),
                ]
            )
            + " |"
        )
    notes = [f"- {r['size']} {r['solver']}: {r['note']}" for r in rows if r.get("note")]
    return "\n".join(lines + (["", *notes] if notes else []))


def _machine() -> str:
    return (
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} logical CPUs (2 shared cores)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="e.g. 30x8x6,100x24x6")
    parser.add_argument("--solvers", default="cbc,highs", help="cbc, highs and/or greedy")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per solve")
    parser.add_argument("--gap", type=float, default=0.005, help="relative MIP gap to stop at")
    parser.add_argument("--no-append", action="store_true", help="do not write RESULTS.md")
    parser.add_argument(
        "--why-not", action="store_true", help="run the why-not analysis too (inside the limit)"
    )
    parser.add_argument(
        "--methods", default="auto", help="auto, plain and/or neighbourhoods (HiGHS search)"
    )
    parser.add_argument("--seeds", default=str(SEED), help="portfolio seeds, e.g. 1,2,3")
    parser.add_argument("--worker", nargs=9, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        n, h, t, solver, limit, gap, why, method, seed = args.worker
        row = run_one(
            int(n), int(h), int(t), solver, float(limit), float(gap), why == "1", method, int(seed)
        )
        print(json.dumps(row))
        return 0

    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    note = ""
    try:
        from roadmap.optimize.milp.plan import solve_plan  # noqa: F401
    except ImportError:
        solvers, note = ["greedy"], "The optimizer is not available: greedy baseline only."
    sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",")]
    rows = []
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    # one after the other: concurrent runs would fight for the two cores; the methods of one
    # model next to each other, so that they meet the same load
    for size in sizes:
        for seed in seeds:
            for solver in solvers:
                for method in methods if solver == "highs" else ["auto"]:
                    row = _in_child(
                        size,  # type: ignore[arg-type]
                        solver,
                        args.time_limit,
                        args.gap,
                        args.why_not,
                        method,
                        seed,
                    )
                    rows.append(row)
                    print(json.dumps(row), file=sys.stderr, flush=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"## {stamp}\n\n{_machine()}; seeds {args.seeds}; time limit {args.time_limit:g} s per solve"
        f"{' (why-not analysis included)' if args.why_not else ''}; "
        f"gap {100 * args.gap:g} %; NPV as the optimizer counts it (starts inside the plan).\n"
        + (f"{note}\n" if note else "")
        + "\n"
        + table(rows)
        + "\n"
    )
    print(text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(("\n" if RESULTS.exists() and RESULTS.stat().st_size else "") + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
