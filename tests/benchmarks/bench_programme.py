"""Programme-finish benchmark: mandatory-only project-scheduling instances, run by hand.

    python tests/benchmarks/bench_programme.py                      # 30 activities, 4 resources
    python tests/benchmarks/bench_programme.py --seeds 1-12 --strengths 0.2,0.5 --time-limit 30

Instances come from ``roadmap.testing.programmes`` (30 activities, 4 resources, resource strength
RS, horizon = sum of durations). Their exact optimum (shortest programme) comes from an
independent solver, OR-Tools CP-SAT (``pip install .[bench]``), given up to ``--exact-limit``
seconds; an instance it does not prove is reported with its bounds. Then ``solve_plan`` runs the
earliest-completion objective with the time limit, and the table says whether it reached the
optimum, whether it proved it, and how long the whole call took. ``--tight`` sets the horizon to
the optimum itself (a programme with no slack at all), to check that a plan is always found.
The table is printed and appended to ``tests/benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from roadmap.testing.programmes import Programme, makespan, programme

RESULTS = Path(__file__).with_name("RESULTS.md")


def exact_finish(p: Programme, seconds: float) -> tuple[int | None, int, bool]:
    """(best makespan, lower bound, proven) from CP-SAT on the plain arrays."""
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    h = p.horizon
    starts, ends, intervals = [], [], []
    for i, d in enumerate(p.durations):
        s = m.NewIntVar(0, h - d, f"s{i}")
        e = m.NewIntVar(d, h, f"e{i}")
        intervals.append(m.NewIntervalVar(s, d, e, f"a{i}"))
        starts.append(s)
        ends.append(e)
    for a, b in p.predecessors:
        m.Add(starts[b] >= ends[a])
    for k, cap in enumerate(p.capacity):
        use = [(intervals[i], p.demand[i][k]) for i in range(len(p.durations)) if p.demand[i][k]]
        if use:
            m.AddCumulative([u for u, _ in use], [q for _, q in use], cap)
    span = m.NewIntVar(0, h, "span")
    m.AddMaxEquality(span, ends)
    m.Minimize(span)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.Solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, int(solver.BestObjectiveBound()), False
    return (
        int(solver.ObjectiveValue()),
        int(solver.BestObjectiveBound()),
        status == cp_model.OPTIMAL,
    )


def exact_in_child(
    seed: int, strength: float, seconds: float, cache: Path | None = None
) -> tuple[int | None, int, bool]:
    """CP-SAT in its own process: OR-Tools and highspy ship HiGHS builds that clash in one.

    With ``cache`` (a JSON file), a proven optimum found before is reused (same instance, same
    generator), so that two runs side by side spend their time on the tool, not on CP-SAT."""
    key = f"{seed}/{strength:g}"
    known = json.loads(cache.read_text()) if cache is not None and cache.exists() else {}
    if key in known and known[key][2]:
        best, lower, proven = known[key]
        return best, lower, proven
    cmd = [sys.executable, __file__, "--exact", str(seed), str(strength), str(seconds)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 120)
    best, lower, proven = json.loads(done.stdout.strip().splitlines()[-1])
    if cache is not None:
        known[key] = [best, lower, proven]
        cache.write_text(json.dumps(known, indent=1))
    return best, lower, proven


def run(
    seed: int,
    strength: float,
    limit: float,
    exact_limit: float,
    tight: bool,
    cache: Path | None = None,
) -> dict:
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.optimize.options import SolveOptions
    from roadmap.optimize.plan_check import check_plan

    form = os.environ.get("BENCH_FORM", "auto")  # auto, step or start: the model form used
    if form != "auto":
        from roadmap.optimize.milp.model import build

        build.STEP_FORM_MAX_STARTS = 10**9 if form == "step" else -1
        build.STEP_FORM_MAX_HORIZON = 10**9
    inst = programme(30, 4, seed, strength=strength)
    best, lower, proven = exact_in_child(seed, strength, exact_limit, cache)
    if tight and best is not None:
        inst = programme(30, 4, seed, strength=strength, horizon=best)
    began = time.perf_counter()
    plan = solve_plan(inst.portfolio, SolveOptions(time_limit=limit, why_not=False))
    wall = time.perf_counter() - began
    rep = plan.report
    got = makespan(dict(plan.starts), inst) if rep.status.has_plan else None
    valid = rep.status.has_plan and not check_plan(inst.portfolio, dict(plan.starts))
    return {
        "seed": seed,
        "rs": strength,
        "horizon": inst.horizon,
        "exact": best,
        "exact_lb": lower,
        "exact_proven": proven,
        "finish": got,
        "finish_bound": rep.finish_bound,
        "status": rep.status.value,
        "wall_s": wall,
        "valid": valid,
        "reached": got is not None and best is not None and got <= best,
    }


def table(rows: list[dict]) -> str:
    head = (
        "| seed | RS | horizon | CP-SAT finish (bound) | our finish | our proven bound | status "
        "| whole call s | reached | valid |"
    )
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        exact = "–" if r["exact"] is None else str(r["exact"])
        if not r["exact_proven"]:
            exact += f" (≥ {r['exact_lb']})"
        lines.append(
            f"| {r['seed']} | {r['rs']:g} | {r['horizon']} | {exact} | {r['finish'] or '–'} "
            f"| {r['finish_bound'] if r['finish_bound'] is not None else '–'} | {r['status']} "
            f"| {r['wall_s']:.1f} | {'yes' if r['reached'] else 'NO'} "
            f"| {'yes' if r['valid'] else 'NO'} |"
        )
    return "\n".join(lines)


def _seeds(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1-6")
    parser.add_argument("--strengths", default="0.2,0.5,0.7,1.0")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--exact-limit", type=float, default=60.0)
    parser.add_argument("--tight", action="store_true", help="horizon = the exact optimum")
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--exact-cache", type=Path, help="JSON file of proven CP-SAT optima")
    parser.add_argument("--rows", type=Path, help="also write the rows as JSON lines here")
    parser.add_argument("--exact", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.exact:
        seed, strength, seconds = args.exact
        inst = programme(30, 4, int(seed), strength=float(strength))
        print(json.dumps(exact_finish(inst, float(seconds))))
        return 0
    rows = []
    for strength in [float(x) for x in args.strengths.split(",")]:
        for seed in _seeds(args.seeds):
            row = run(
                seed, strength, args.time_limit, args.exact_limit, args.tight, args.exact_cache
            )
            rows.append(row)
            print(row, file=sys.stderr, flush=True)
            if args.rows is not None:
                with args.rows.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(row) + "\n")
    reached = sum(r["reached"] for r in rows)
    proven = sum(r["status"] == "optimal" or r["finish_bound"] == r["finish"] for r in rows)
    planned = sum(r["finish"] is not None for r in rows)
    walls = [r["wall_s"] for r in rows]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"## {stamp} — programme finish, 30 activities × 4 resources"
        f"{', tight horizon (= optimum)' if args.tight else ', horizon = sum of durations'}\n\n"
        f"2 shared cores (contended); HiGHS; limit {args.time_limit:g} s per instance; CP-SAT "
        f"(2 workers, {args.exact_limit:g} s) for the exact optimum.\n\n"
        + table(rows)
        + f"\n\n- plan found: {planned}/{len(rows)}; reached the optimum: {reached}/{len(rows)}; "
        f"finish proven: {proven}/{len(rows)}; whole call median {statistics.median(walls):.1f} s, "
        f"max {max(walls):.1f} s.\n"
    )
    print(text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
