"""Where the time of a plan goes, stage by stage: run by hand, alone on the machine.

    python tests/benchmarks/bench_stages.py                       # martech and the synthetic sizes
    python tests/benchmarks/bench_stages.py --only martech --only 100x24x8

Each portfolio is planned in a fresh child process, as ``roadmap plan`` would (reading, solving,
why-not, writing the workbook), with the solver's log kept. The table gives the seconds of each
stage the solve reports (``SolveReport.stages``: build, first plan, search, the why-not steps)
and, from HiGHS's own log of the main search, its presolve, its sub-MIP heuristics, the
branch-and-bound nodes and where its LP iterations went (strong branching, separation,
heuristics), then the writing of the workbook and the process start-up. Appended to
``tests/benchmarks/RESULTS.md`` with the load average it was taken at.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).with_name("RESULTS.md")
MARTECH = ROOT / "samples" / "martech-rationalisation.xlsx"
# name -> (initiatives, periods, teams, seed); synthetic portfolios are monthly
SIZES = {
    "martech": None,
    "100x24x8": (100, 24, 8, 2),
    "200x36x8": (200, 36, 8, 2),
    "300x36x10": (300, 36, 10, 2),
}

CHILD = r"""
import json, sys, time
began = time.perf_counter()
from pathlib import Path
from roadmap.optimize.milp.plan import solve_plan
from roadmap.optimize.options import SolveOptions
from roadmap.report.plan_workbook import write_plan_workbook
imported = time.perf_counter() - began
name, log, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
t = time.perf_counter()
if name == "martech":
    from roadmap.input.reader import load_portfolio
    portfolio, _ = load_portfolio(sys.argv[4])
else:
    from roadmap.testing.synthetic import synthetic_portfolio
    n, h, k, seed = (int(a) for a in sys.argv[4:8])
    portfolio = synthetic_portfolio(n, h, k, seed, period="month")
read = time.perf_counter() - t
plan = solve_plan(portfolio, SolveOptions(log=log))
t = time.perf_counter()
write_plan_workbook(plan, out)
written = time.perf_counter() - t
r = plan.report
print(json.dumps({"import": imported, "read": read, "stages": r.stages, "write": written,
                  "gap": r.gap, "clock": r.clock_stopped, "status": r.status.value}))
"""

_TIMING = re.compile(r"^\s+([\d.]+) \((Presolve|Solve)\)", re.M)
_SUBMIP = re.compile(r"subMIP time \[calls\] = ([\d.]+)")
_NODES = re.compile(r"^\s+Nodes\s+(\d+)", re.M)
_ITERS = re.compile(r"^\s+LP iterations\s+(\d+)\s*\n\s+(\d+) \(strong br\.\)\s*\n\s+(\d+) "
                    r"\(separation\)\s*\n\s+(\d+) \(heuristics\)", re.M)  # fmt: skip


def main_search_log(log: Path) -> dict:
    """HiGHS's own account of the main search (the first solve in the log)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    first = text.split("===== ")[1] if "===== " in text else text
    out: dict = {}
    for seconds, what in _TIMING.findall(first):
        out[what.lower()] = float(seconds)
    sub = _SUBMIP.findall(first)
    out["sub-MIP"] = sum(float(s) for s in sub[:2]) if sub else None
    nodes = _NODES.findall(first)
    out["nodes"] = int(nodes[0]) if nodes else None
    iters = _ITERS.findall(first)
    if iters:
        total, strong, separation, heuristics = (int(v) for v in iters[0])
        out["iterations"] = (total, strong, separation, heuristics)
    return out


def run(name: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        log, out = Path(tmp) / "solver.log", Path(tmp) / "plan.xlsx"
        size = SIZES[name]
        extra = [str(MARTECH)] if size is None else [str(v) for v in size]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, name, str(log), str(out), *extra],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - began
        if done.returncode != 0:
            raise SystemExit(f"{name} failed:\n{done.stderr}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["wall"] = wall
        figures["highs"] = main_search_log(log)
        return figures


def row(name: str, f: dict, load: float) -> str:
    stages = "; ".join(f"{s} {sec:.1f}" for s, sec in f["stages"])
    h = f["highs"]
    iters = h.get("iterations")
    lp = (
        f"{iters[0]:,} LP iterations ({iters[1]:,} strong branching, {iters[2]:,} separation, "
        f"{iters[3]:,} heuristics)"
        if iters
        else ""
    )
    highs = (
        f"presolve {h.get('presolve', 0):.1f}, search {h.get('solve', 0):.1f} (sub-MIPs "
        f"{h.get('sub-MIP') or 0:.1f}), {h.get('nodes')} nodes; {lp}"
    )
    gap = f"{f['gap']:.3%}" if f["gap"] is not None else "-"
    return (
        f"| {name} | {f['wall']:.1f} | {f['import']:.1f} | {f['read']:.1f} | {stages} | "
        f"{highs} | {f['write']:.1f} | {gap}{' (clock)' if f['clock'] else ''} | {load:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=list(SIZES))
    args = parser.parse_args()
    rows = []
    for name in args.only or list(SIZES):
        load = os.getloadavg()[0]
        rows.append(row(name, run(name), load))
        print(rows[-1], flush=True)
    header = [
        "",
        f"## Stages of a plan, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; seconds; load = 1-minute load average before the run.",
        "",
        "| Portfolio | Wall | Start-up | Read | Solve stages | HiGHS, main search | Write | "
        "Gap | Load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    table = "\n".join([*header, *rows]) + "\n"
    print(table)
    with open(RESULTS, "a", encoding="utf-8") as fh:
        fh.write(table)


if __name__ == "__main__":
    main()
