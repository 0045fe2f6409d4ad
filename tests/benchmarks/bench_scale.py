"""Size benchmark: reading, money and writing at 2,000-20,000 initiatives. Run by hand on a quiet
machine (timings depend on load; say so when quoting), not by pytest.

    python tests/benchmarks/bench_scale.py                  # every row (about ten minutes)
    python tests/benchmarks/bench_scale.py --small          # 2,080 initiatives only
    python tests/benchmarks/bench_scale.py --keep /tmp/scale  # keep (and reuse) the inputs

Rows (targets on 2 idle cores, from issue 19):

- ``roadmap roi INPUT -o roi.xlsx`` on the martech sample copied 26 times (2,080 initiatives):
  <= 2 s; copied 257 times (20,046): <= 20 s. The whole command in a fresh process, imports
  included;
- its parts, each in a fresh process: reading the workbook (``load_portfolio``), the money
  case (``roi_case``) and writing the roi workbook (``write_roi_workbook``);
- the plan workbook of the 2,080-initiative portfolio written (``write_plan_workbook``, why-not
  reasons included in the plan); the plan is solved first in its own process (30 s limit, no
  why-not re-solves) and not timed. Its change limit is scaled with the copies as the team
  capacities and budgets are (``scaled.py`` leaves it at 10, which the copies' work in progress
  alone exceeds, so that portfolio has no feasible plan).

Every case runs in a child process, so its peak resident memory (ru_maxrss) is its own; the
inputs are written beforehand. "cells" counts the cells in the written file's sheets.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for path in (ROOT, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


@dataclass(frozen=True)
class Case:
    name: str
    copies: int
    target: str = ""


SMALL, LARGE = 26, 257
CASES = (
    Case("roi command", SMALL, "<= 2 s"),
    Case("read", SMALL),
    Case("money", SMALL),
    Case("write roi workbook", SMALL),
    Case("write plan workbook", SMALL),
    Case("roi command", LARGE, "<= 20 s"),
    Case("read", LARGE),
    Case("money", LARGE),
    Case("write roi workbook", LARGE),
)


def inputs(folder: Path, copies: int) -> Path:
    """The martech sample copied ``copies`` times (made once per folder)."""
    path = folder / f"martech-x{copies}.xlsx"
    if not path.exists():
        from scaled import scaled_workbook

        scaled_workbook(path, copies)
    return path


def plan_inputs(folder: Path, copies: int) -> Path:
    """As ``inputs``, with the change limit per function scaled like the capacities."""
    path = folder / f"martech-x{copies}-plan.xlsx"
    if not path.exists():
        from scaled import scaled_tables

        from roadmap.input.template import write_input_workbook

        tables, settings = scaled_tables(copies)
        settings = {**settings, "change_limit": int(settings["change_limit"]) * copies}
        write_input_workbook(path, tables, settings, overwrite=True)
    return path


def solved_plan(folder: Path, copies: int) -> Path:
    """The plan of ``plan_inputs``, pickled (30 s, one thread, no why-not re-solves)."""
    target = folder / f"plan-x{copies}.pickle"
    if not target.exists():
        from roadmap.input.reader import load_portfolio
        from roadmap.optimize.milp.plan import solve_plan

        portfolio, _ = load_portfolio(plan_inputs(folder, copies))
        plan = solve_plan(portfolio, time_limit=30, threads=1, why_not=False)
        target.write_bytes(pickle.dumps(plan))
    return target


def cells_in(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(
            z.read(n).count(b"<c ")
            for n in z.namelist()
            if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")
        )


def child(case: Case, folder: Path) -> dict[str, object]:
    """One case, timed in this (fresh) process."""
    out = folder / f"out-{case.name.replace(' ', '-')}-x{case.copies}.xlsx"
    source = inputs(folder, case.copies)
    note = ""
    if case.name == "roi command":
        from roadmap.cli import main

        sys.argv = ["roadmap", "roi", str(source), "-o", str(out), "--force"]
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            main()
        except SystemExit as stop:
            if stop.code:
                raise
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    elif case.name == "write plan workbook":
        from roadmap.report.plan_workbook import write_plan_workbook

        plan = pickle.loads(solved_plan(folder, case.copies).read_bytes())
        wall, cpu = time.perf_counter(), time.process_time()
        write_plan_workbook(plan, out, force=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        note = f"{len(plan.starts):,} selected, {plan.report.status.value}"
    else:
        from roadmap.input.reader import load_portfolio
        from roadmap.report.roi import roi_case, write_roi_workbook

        wall, cpu = time.perf_counter(), time.process_time()
        portfolio, _ = load_portfolio(source, purpose="roi")
        if case.name != "read":
            wall, cpu = time.perf_counter(), time.process_time()
            roi = roi_case(portfolio)
            note = f"{len(roi.lines):,} candidates"
        if case.name == "write roi workbook":
            wall, cpu = time.perf_counter(), time.process_time()
            write_roi_workbook(roi, out, force=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        note = note or f"{len(portfolio.initiatives):,} initiatives read"
    written = case.name not in ("read", "money") and out.exists()
    return {
        "s": wall,
        "cpu": cpu,
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "mb": out.stat().st_size / 1e6 if written else None,
        "cells": cells_in(out) if written else None,
        "note": note,
    }


def row(case: Case, r: dict[str, object] | None, error: str = "") -> str:
    from scaled import scaled_tables

    size = f"{len(scaled_tables(case.copies)[0]['Initiatives']):,}"
    if r is None:
        return f"| {case.name} | {size} | | | | | | {case.target} | failed: {error} |"
    mb = "" if r["mb"] is None else f"{r['mb']:.1f}"
    cells = "" if r["cells"] is None else f"{r['cells']:,}"
    return (
        f"| {case.name} | {size} | {r['s']:.2f} | {r['cpu']:.2f} | {r['peak']:.0f} | {mb} | "
        f"{cells} | {case.target} | {r['note']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="only the 2,080-initiative rows")
    parser.add_argument("--keep", type=Path, help="folder for the inputs (kept and reused)")
    args = parser.parse_args()
    cases = [c for c in CASES if c.copies == SMALL or not args.small]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for copies in sorted({c.copies for c in cases}):
            inputs(folder, copies)  # written before any case is timed
        if any(c.name == "write plan workbook" for c in cases):
            subprocess.run([sys.executable, __file__, "--prepare-plan", str(folder)], check=True)
        lines = []
        for case in cases:
            spec = json.dumps([case.name, case.copies])
            proc = subprocess.run(
                [sys.executable, __file__, "--child", spec, str(folder)],
                capture_output=True,
                text=True,
                check=False,
            )
            found = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
            lines.append(
                row(case, json.loads(found[-1]))
                if found
                else row(case, None, proc.stderr.strip().splitlines()[-1:][0][-80:])
            )
    print("| case | initiatives | wall s | CPU s | peak RSS MB | file MB | cells | target | |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        name, copies = json.loads(sys.argv[2])
        print(json.dumps(child(Case(name, copies), Path(sys.argv[3]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "--prepare-plan":
        solved_plan(Path(sys.argv[2]), SMALL)
    else:
        main()
