"""Risk benchmarks: run by hand on a quiet machine (timings depend on load; say so when quoting).

    python tests/benchmarks/bench_risk.py                     # every row
    python tests/benchmarks/bench_risk.py --worlds 20 --rows reoptimise   # a quick look

Rows (targets on 2 idle cores):

- martech, 10,000 samples evaluated: <= 5 s, peak memory <= 1 GiB (the plan is solved first
  and not timed; draws, evaluation and summary are, in this process, with tracemalloc's peak
  of what numpy allocated and the process's peak resident memory beside it);
- retail, the worlds' best plans only (one solve per world, what ``--reoptimise`` cost before
  the regret of the choice), then ``--reoptimise 200`` as it runs (the best plan, the chosen
  set trimmed to fit and re-timed, skipping the solves an earlier plan answers) locally in
  worker processes, one per core: <= 60 s; the Check column counts the solves run;
- the same through a 2-worker local Dask cluster: within 20 % of the local time, and the same
  figures (every world's solves compared).

Every solve uses the plan's own solve options (Settings: time limit, gap), as the command does.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roadmap.input.reader import load_portfolio  # noqa: E402
from roadmap.optimize.milp.plan import solve_plan  # noqa: E402
from roadmap.optimize.options import SolveOptions  # noqa: E402
from roadmap.risk.evaluate import evaluate  # noqa: E402
from roadmap.risk.reoptimise import best_of, reoptimise, worker_init, world_options  # noqa: E402
from roadmap.risk.sampling import draw, planned  # noqa: E402
from roadmap.risk.summary import summarise  # noqa: E402
from roadmap.risk.worlds import world  # noqa: E402
from roadmap.runtime.executors import LocalProcesses, executor_for  # noqa: E402

RETAIL = ROOT / "samples" / "retail-d2c.xlsx"
MARTECH = ROOT / "samples" / "martech-rationalisation.xlsx"


def evaluate_row(samples: int, seed: int) -> list[str]:
    portfolio, _ = load_portfolio(MARTECH)
    plan = solve_plan(portfolio, SolveOptions(why_not=False))
    tracemalloc.start()
    began = time.perf_counter()
    d = draw(portfolio, samples, seed)
    o = evaluate(portfolio, plan.starts, d)
    s = summarise(o, evaluate(portfolio, plan.starts, planned(portfolio)), d)
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB (Linux)
    return [
        f"martech, {samples:,} samples evaluated",
        f"{seconds:.2f}",
        "<= 5 s",
        f"numpy peak {peak / 2**20:.0f} MiB, process peak {rss:.0f} MiB (<= 1 GiB)",
        f"P50 NPV {s.npv.p50:,.0f}",
    ]


def reoptimise_rows(worlds: int, seed: int, jobs: int | None, dask_row: bool) -> list[list[str]]:
    portfolio, _ = load_portfolio(RETAIL)
    options = SolveOptions(why_not=False)  # the plan's own, as `roadmap risk` solves it
    plan = solve_plan(portfolio, options)
    d = draw(portfolio, max(worlds, 10), seed)
    o = evaluate(portfolio, plan.starts, d)
    rows = []
    each = world_options(options)
    began = time.perf_counter()
    LocalProcesses(jobs, worker_init).run(
        best_of, [(world(portfolio, d, k), each) for k in range(worlds)]
    )
    best_s = time.perf_counter() - began
    rows.append(
        [f"retail, {worlds} worlds' best plans only, local", f"{best_s:.1f}", "",
         f"this machine, {jobs} worker(s)" if jobs else "this machine, one worker per core", f"{worlds} solves"]
    )  # fmt: skip
    began = time.perf_counter()
    local = reoptimise(
        portfolio, plan.starts, d, o, worlds, LocalProcesses(jobs, worker_init), options
    )
    local_s = time.perf_counter() - began
    runs = sum(w.runs for w in local.worlds)
    rows.append(
        [f"retail, --reoptimise {worlds}, local", f"{local_s:.1f}", "<= 60 s", local.executor,
         f"{runs} solves; {int(local.counted.sum())} counted, {len(local.stopped)} stopped; "
         f"chosen set misfits {int(local.chosen_misfits.sum())}"]
    )  # fmt: skip
    if not dask_row:
        return rows
    try:
        import distributed
    except ImportError:
        rows.append([f"retail, --reoptimise {worlds}, Dask", "-", "", "dask not installed", ""])
        return rows
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask = executor_for(f"dask://{cluster.scheduler_address}")
        try:
            began = time.perf_counter()
            remote = reoptimise(portfolio, plan.starts, d, o, worlds, dask, options)
            dask_s = time.perf_counter() - began
        finally:
            dask.close()  # type: ignore[attr-defined]
    same = remote.worlds == local.worlds
    rows.append(
        [f"retail, --reoptimise {worlds}, Dask (2 workers)", f"{dask_s:.1f}",
         f"<= {1.2 * local_s:.1f} s (local + 20 %)", remote.executor,
         "identical figures" if same else "FIGURES DIFFER"]
    )  # fmt: skip
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--worlds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument(
        "--rows",
        default="evaluate,reoptimise,dask",
        help="which rows, comma-separated: evaluate, reoptimise, dask",
    )
    args = parser.parse_args(argv)
    wanted = {r.strip() for r in args.rows.split(",")}
    rows = [evaluate_row(args.samples, args.seed)] if "evaluate" in wanted else []
    if wanted & {"reoptimise", "dask"}:
        rows += reoptimise_rows(args.worlds, args.seed, args.jobs, "dask" in wanted)
    head = ["Run", "Seconds", "Target", "Where / memory", "Check"]
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(head)]
    for line in (head, ["-" * w for w in widths], *rows):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
