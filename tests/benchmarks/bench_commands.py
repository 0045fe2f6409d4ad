"""End-to-end timings of the commands a finance user runs on the samples: run by hand.

    python tests/benchmarks/bench_commands.py            # median of 3 runs each
    python tests/benchmarks/bench_commands.py --runs 1 --only "retail plan"

Each command runs as a fresh process (Python start-up, reading, solving, why-not, writing), the
wall time of each run is measured and the median reported beside its target. "Main solve" is the
base case's own solve (the optimizer alone, without why-not), timed in this process; its share
of the median wall time shows where the rest of the time goes. The markdown table is printed and
appended to ``tests/benchmarks/RESULTS.md``. Timings depend on how busy the machine is: say so
when quoting them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).with_name("RESULTS.md")
RETAIL = ROOT / "samples" / "retail-d2c.xlsx"
MARTECH = ROOT / "samples" / "martech-rationalisation.xlsx"

# name, sample, arguments after the input path (output added), target seconds on 2 idle cores
COMMANDS: tuple[tuple[str, Path, tuple[str, ...], float], ...] = (
    ("retail plan", RETAIL, ("plan",), 3.0),
    ("martech plan", MARTECH, ("plan",), 10.0),
    ("retail --all-scenarios", RETAIL, ("plan", "--all-scenarios"), 15.0),
    ("retail frontier (11 steps)", RETAIL, ("frontier", "--steps", "11"), 15.0),
    ("retail --marginal", RETAIL, ("plan", "--marginal"), 10.0),
)


def command_line(args: tuple[str, ...], sample: Path, out: Path) -> list[str]:
    code = "import sys; from roadmap.cli import main; sys.argv[0] = 'roadmap'; main()"
    verb, *rest = args
    return [sys.executable, "-c", code, verb, str(sample), *rest, "-o", str(out), "--force", "-q"]


def run_once(args: tuple[str, ...], sample: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = command_line(args, sample, Path(tmp) / "out.xlsx")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        began = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def main_solve_seconds(sample: Path) -> tuple[float, str]:
    """The base case's solve alone (no why-not), as ``plan`` runs it; and its status."""
    sys.path.insert(0, str(ROOT))
    from roadmap.input.reader import load_portfolio
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.optimize.options import SolveOptions

    portfolio, _ = load_portfolio(sample)
    began = time.perf_counter()
    plan = solve_plan(portfolio, SolveOptions(why_not=False))
    gap = plan.report.gap
    status = plan.report.status.value + (f", gap {gap:.2%}" if gap is not None else "")
    return time.perf_counter() - began, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", help="run only the command(s) named so")
    args = parser.parse_args()
    chosen = [c for c in COMMANDS if not args.only or c[0] in args.only]
    solves = {sample: main_solve_seconds(sample) for sample in {c[1] for c in chosen}}
    rows = []
    for name, sample, cli_args, target in chosen:
        times = [run_once(cli_args, sample) for _ in range(args.runs)]
        median = statistics.median(times)
        solve, status = solves[sample]
        rows.append(
            f"| {name} | {median:.1f} | {min(times):.1f}–{max(times):.1f} | {target:.0f} | "
            f"{'yes' if median <= target else 'no'} | {solve:.2f} ({solve / median:.0%}) | "
            f"{status} |"
        )
        print(rows[-1], flush=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    header = [
        "",
        f"## End-to-end commands, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores "
        f"({'contended' if load >= 1.0 else 'idle'}), Python {platform.python_version()}, "
        f"load average {load:.1f} at the end, median of {args.runs}.",
        "",
        "| Command | Median s | Range s | Target s | Met | Main solve s (share) | Base plan |",
        "|---|---|---|---|---|---|---|",
    ]
    table = "\n".join([*header, *rows]) + "\n"
    print(table)
    with open(RESULTS, "a", encoding="utf-8") as fh:
        fh.write(table)


if __name__ == "__main__":
    main()
