"""The speed targets of the product, measured end to end: run by hand, alone on the machine.

    python tests/benchmarks/bench_targets.py                 # every case, median of 3
    python tests/benchmarks/bench_targets.py --runs 1 --only "martech plan"
    python tests/benchmarks/bench_targets.py --list

Each case runs as a fresh process (Python start-up, reading, solving, why-not, writing) and its
wall time is measured; the median over ``--runs`` is compared with the target. Plan workbooks
are read back: the base plan's precision (Summary), and every why-not figure on the Not selected
sheet sorted into proven (one figure), quotable ("≈ X (± Y)") and range. Synthetic portfolios
(``roadmap.testing.synthetic``, monthly) run through the library in a child process, as the
issue measured them: ``solve_plan`` with why-not, the plan's gap and the figures' kinds.

Timings depend on how busy the machine is: the load average is read before every run and the
table says when a run started above 0.5 (contended). The table is printed and appended to
``tests/benchmarks/RESULTS.md``. ``--repeat-figures`` runs a case twice more and checks that
every figure is identical (the figures stop on work, never on the clock).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).with_name("RESULTS.md")
RETAIL = ROOT / "samples" / "retail-d2c.xlsx"
MARTECH = ROOT / "samples" / "martech-rationalisation.xlsx"
QUIET = 0.5  # load average above which a timing is marked contended
CLI = "import sys; from roadmap.cli import main; sys.argv[0] = 'roadmap'; main()"
WATCH = ("MT-07", "MT-20", "MT-39", "MT-60")  # the martech figures the issue quotes


@dataclass(frozen=True)
class Case:
    name: str
    target: float  # seconds
    run: Callable[[Path], dict]  # runs once in a scratch folder; returns what it measured
    gap: float | None = None  # the main plan's gap the target also asks for
    quotable: float | None = None  # the share of why-not figures it asks to be quotable


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _command(args: list[str], out: Path) -> float:
    quiet = [] if args[0] == "roi" else ["-q"]  # roi prints its summary only; no --quiet
    cmd = [sys.executable, "-c", CLI, *args, "--force", *quiet]
    began = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def figures_of(workbook: Path) -> dict:
    """Precision of the base plan and the why-not figures, read back from a plan workbook."""
    import openpyxl

    wb = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    kinds = {"proven": 0, "quotable": 0, "range": 0}
    watched: dict[str, str] = {}
    if "Not selected" in wb.sheetnames:
        rows = list(wb["Not selected"].iter_rows(values_only=True))
        head = next(k for k, r in enumerate(rows) if r and r[0] == "ID")
        col = rows[head].index("Value lost (proven range)")
        for r in rows[head + 1 :]:
            text = r[col] if r and col < len(r) else None
            if not r or not r[0] or not text or text == "cannot be forced in":
                continue
            text = str(text)
            kind = "quotable" if text.startswith("≈") else "range"
            if not any(w in text for w in ("between", "at most", "at least", "≈")):
                kind = "proven"
            kinds[kind] += 1
            if r[0] in WATCH:
                watched[str(r[0])] = text
    summary = {}
    if "Summary" in wb.sheetnames:
        for r in wb["Summary"].iter_rows(values_only=True):
            if r and isinstance(r[0], str) and r[0].strip().lower() in ("solver", "precision"):
                summary[r[0].strip().lower()] = next((str(v) for v in r[1:] if v), "")
    return {"figures": kinds, "watched": watched, **summary}


def plan_case(sample: Path, *extra: str) -> Callable[[Path], dict]:
    def run(folder: Path) -> dict:
        out = folder / "plan.xlsx"
        seconds = _command(["plan", str(sample), *extra, "-o", str(out)], out)
        return {"seconds": seconds, **figures_of(out)}

    return run


def command_case(verb: str, sample: Path, *extra: str) -> Callable[[Path], dict]:
    def run(folder: Path) -> dict:
        out = folder / "out.xlsx"
        return {"seconds": _command([verb, str(sample), *extra, "-o", str(out)], out)}

    return run


SYNTHETIC = """
import json, sys, time
from roadmap.testing.synthetic import synthetic_portfolio
from roadmap.optimize.milp.plan import solve_plan
n, h, k, seed = (int(a) for a in sys.argv[1:5])
p = synthetic_portfolio(n, h, k, seed, period="month")
began = time.perf_counter()
plan = solve_plan(p)
seconds = time.perf_counter() - began
kinds = {"proven": 0, "quotable": 0, "range": 0}
for w in plan.why_not:
    if w.method and (w.lost_low is not None or w.lost_high is not None or w.proven):
        kinds["proven" if w.proven else "quotable" if w.quotable else "range"] += 1
r = plan.report
print(json.dumps({"seconds": seconds, "gap": r.gap, "status": r.status.value,
                  "clock": r.clock_stopped, "figures": kinds}))
"""


def synthetic_case(n: int, h: int, k: int, seed: int) -> Callable[[Path], dict]:
    def run(folder: Path) -> dict:
        cmd = [sys.executable, "-c", SYNTHETIC, str(n), str(h), str(k), str(seed)]
        done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), check=False)
        if done.returncode != 0:
            raise SystemExit(f"synthetic {n}x{h}x{k} seed {seed} failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run


def scaled_case(verb: str, copies: int, *extra: str) -> Callable[[Path], dict]:
    def run(folder: Path) -> dict:
        sys.path.insert(0, str(Path(__file__).parent))
        from scaled import scaled_workbook

        source = scaled_workbook(folder / f"martech-x{copies}.xlsx", copies)
        out = folder / "out.xlsx"
        return {"seconds": _command([verb, str(source), *extra, "-o", str(out)], out)}

    return run


CASES = (
    Case("retail plan", 3.0, plan_case(RETAIL)),
    Case("martech plan", 10.0, plan_case(MARTECH), quotable=1.0),
    Case("martech --all-scenarios", 60.0, command_case("plan", MARTECH, "--all-scenarios")),
    Case("martech frontier (11 levels)", 30.0, command_case("frontier", MARTECH, "--steps", "11")),
    Case("retail --marginal", 10.0, plan_case(RETAIL, "--marginal")),
    Case("retail --all-scenarios", 15.0, command_case("plan", RETAIL, "--all-scenarios")),
    Case("synthetic 100x24x8 seed 2", 20.0, synthetic_case(100, 24, 8, 2), 0.001, 0.9),
    Case("synthetic 100x24x8 seed 3", 20.0, synthetic_case(100, 24, 8, 3), 0.001, 0.9),
    Case("synthetic 200x36x8 seed 2", 60.0, synthetic_case(200, 36, 8, 2), 0.001, 0.9),
    Case("synthetic 200x36x8 seed 3", 60.0, synthetic_case(200, 36, 8, 3), 0.001, 0.9),
    Case("synthetic 300x36x10 seed 2", 120.0, synthetic_case(300, 36, 10, 2), 0.005),
    Case("roi 2,080 initiatives", 2.0, scaled_case("roi", 26)),
    Case("roi 20,046 initiatives", 20.0, scaled_case("roi", 257)),
    Case("plan 2,080 initiatives", 120.0, scaled_case("plan", 26)),
)


def _row(case: Case, runs: list[dict], loads: list[float]) -> str:
    times = [r["seconds"] for r in runs]
    median = statistics.median(times)
    last = runs[-1]
    what = []
    if "figures" in last:
        f = last["figures"]
        total = sum(f.values())
        good = f["proven"] + f["quotable"]
        what.append(f"why-not {good}/{total} quotable ({f['proven']} proven, {f['range']} ranges)")
    if last.get("gap") is not None:
        what.append(f"gap {last['gap']:.3%}" + (" (clock)" if last.get("clock") else ""))
    for key in ("solver", "precision"):
        if last.get(key):
            what.append(f"{key}: {last[key]}")
    if last.get("watched"):
        what.append("; ".join(f"{k} {v}" for k, v in sorted(last["watched"].items())))
    contended = max(loads) >= QUIET
    met = median <= case.target
    if case.gap is not None:  # the plan's precision is part of the target
        met = met and last.get("gap") is not None and last["gap"] <= case.gap + 1e-12
    if case.quotable is not None and "figures" in last:
        f = last["figures"]
        met = met and f["proven"] + f["quotable"] >= case.quotable * max(1, sum(f.values()))
    return (
        f"| {case.name} | {median:.1f} | {min(times):.1f}–{max(times):.1f} | {case.target:.0f} | "
        f"{'yes' if met else 'no'} | {max(loads):.2f}"
        f"{' (contended)' if contended else ''} | {'; '.join(what)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", help="run only the case(s) named so")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("--repeat-figures", action="store_true", help="check run-to-run identity")
    args = parser.parse_args()
    if args.list:
        for case in CASES:
            print(f"{case.name} (target {case.target:.0f} s)")
        return
    chosen = [c for c in CASES if not args.only or c.name in args.only]
    rows = []
    for case in chosen:
        runs, loads = [], []
        for _ in range(args.runs):
            loads.append(os.getloadavg()[0])
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    runs.append(case.run(Path(tmp)))
                except SystemExit as failed:  # one failing case does not lose the others' rows
                    print(failed, file=sys.stderr, flush=True)
                    break
        if not runs:
            rows.append(f"| {case.name} | failed | | {case.target:.0f} | no | | see the log |")
            continue
        if args.repeat_figures:
            same = all(
                r.get("figures") == runs[0].get("figures")
                and r.get("watched") == runs[0].get("watched")
                for r in runs
            )
            print(f"{case.name}: figures identical over {len(runs)} runs: {same}", flush=True)
        rows.append(_row(case, runs, loads[: len(runs)]))
        print(rows[-1], flush=True)
    header = [
        "",
        f"## Targets, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, median of {args.runs}; load = the 1-minute load average "
        "before each run (the highest shown).",
        "",
        "| Case | Median s | Range s | Target s | Met | Load | What came back |",
        "|---|---|---|---|---|---|---|",
    ]
    table = "\n".join([*header, *rows]) + "\n"
    print(table)
    with open(RESULTS, "a", encoding="utf-8") as fh:
        fh.write(table)


if __name__ == "__main__":
    main()
