"""Risk benchmarks: run by hand on a quiet machine (timings depend on load; say so when quoting).

    python tests/benchmarks/bench_risk.py                     # all three rows
    python tests/benchmarks/bench_risk.py --worlds 20         # a quick look at re-optimising

Rows (targets on 2 idle cores):

- martech, 10,000 samples evaluated: <= 5 s, peak memory <= 1 GiB (the plan is solved first
  and not timed; draws, evaluation and summary are, in this process, with tracemalloc's peak
  of what numpy allocated and the process's peak resident memory beside it);
- retail, ``--reoptimise 200`` locally (worker processes, one per core): <= 60 s;
- the same through a 2-worker local Dask cluster: within 20 % of the local time, and the same
  figures (every world's selection and NPV compared).
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
from roadmap.risk.reoptimise import reoptimise, worker_init  # noqa: E402
from roadmap.risk.sampling import draw, planned  # noqa: E402
from roadmap.risk.summary import summarise  # noqa: E402
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


def reoptimise_rows(worlds: int, seed: int, jobs: int | None) -> list[list[str]]:
    portfolio, _ = load_portfolio(RETAIL)
    plan = solve_plan(portfolio, SolveOptions(why_not=False))
    d = draw(portfolio, max(worlds, 10), seed)
    o = evaluate(portfolio, plan.starts, d)
    rows = []
    began = time.perf_counter()
    local = reoptimise(portfolio, plan.starts, d, o, worlds, LocalProcesses(jobs, worker_init))
    local_s = time.perf_counter() - began
    rows.append(
        [f"retail, --reoptimise {worlds}, local", f"{local_s:.1f}", "<= 60 s", local.executor,
         f"{local.solved} solved, {local.timed_out} on time limit"]
    )  # fmt: skip
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
            remote = reoptimise(portfolio, plan.starts, d, o, worlds, dask)
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
    args = parser.parse_args(argv)
    rows = [evaluate_row(args.samples, args.seed)]
    rows += reoptimise_rows(args.worlds, args.seed, args.jobs)
    head = ["Run", "Seconds", "Target", "Where / memory", "Check"]
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(head)]
    for line in (head, ["-" * w for w in widths], *rows):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
