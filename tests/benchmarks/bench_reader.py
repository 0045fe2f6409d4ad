"""Reader benchmark on awkward layouts and hostile zips: run by hand, not by pytest.

    python tests/benchmarks/bench_reader.py

Each case runs in a fresh child process so that its peak memory (ru_maxrss) is its own. Cases:
the samples as they are; a valid workbook with a value in its last possible row (1,048,576) or
column (XFD); 20,000 Initiatives rows spread over a million rows; a member that declares 100
bytes and inflates to 200 MB or 1 GB (refused while inflating). Prints a markdown table.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

CASES = ("retail-d2c", "martech", "last-row", "last-column", "sparse-20k", "liar-200MB", "liar-1GB")


def _make(case: str, folder: Path) -> Path:
    import openpyxl
    from conftest import valid_tables, write_workbook
    from corpus import under_declared_zip

    if case == "retail-d2c":
        return ROOT / "samples" / "retail-d2c.xlsx"
    if case == "martech":
        return ROOT / "samples" / "martech-rationalisation.xlsx"
    tables, settings = valid_tables()
    path = write_workbook(folder / f"{case}.xlsx", tables, settings)
    if case.startswith("liar"):
        size = 200_000_000 if case == "liar-200MB" else 1_000_000_000
        path.write_bytes(under_declared_zip(path.read_bytes(), inflated=size))
        return path
    wb = openpyxl.load_workbook(path)
    ws = wb["Initiatives"]
    if case == "last-row":
        ws.cell(1_048_576, 2, "a note far below")
    elif case == "last-column":
        ws.cell(3, 16_384, "a note far right")
    elif case == "sparse-20k":
        for k in range(20_000):
            r = 10 + k * 50
            ws.cell(r, 1, f"X-{k:05d}")
            ws.cell(r, 2, "Far")
            ws.cell(r, 6, 1)
    wb.save(path)
    return path


def _child(case: str, folder: str) -> None:
    path = _make(case, Path(folder))
    from roadmap.errors import InputError
    from roadmap.input.reader import read_workbook

    started = time.perf_counter()
    try:
        portfolio, findings = read_workbook(path)
        outcome = f"{len(portfolio.initiatives) if portfolio else 0} initiatives, " + (
            f"{len(findings)} finding(s)"
        )
    except InputError as exc:
        outcome = f"refused: {str(exc)[-60:]}"
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = path.stat().st_size / 1e6
    print(json.dumps({"case": case, "mb": size, "s": seconds, "peak": peak_mb, "out": outcome}))


def main() -> None:
    import tempfile

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for case in CASES:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", case, folder],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
            if not lines:
                rows.append(f"| {case} | | | | failed: {proc.stderr.strip()[-80:]} |")
                continue
            r = json.loads(lines[-1])
            rows.append(f"| {case} | {r['mb']:.2f} | {r['s']:.2f} | {r['peak']:.0f} | {r['out']} |")
    print("| case | file MB | read s | peak RSS MB (incl. case setup) | outcome |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        main()
