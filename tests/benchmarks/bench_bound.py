"""Root bounds of the time-indexed model with candidate cut families, run by hand.

    python tests/benchmarks/bench_bound.py                 # the three synthetic sizes and the samples

For each model (NPV objective, the samples' own objective; start form, whose LP equals the step
form's: z_t = sum of x_s up to t is a change of variables) the LP relaxation is solved by HiGHS
(integrality dropped) with, in turn:

- nothing added (the LP bound);
- aggregated energy rows per team over every window of consecutive periods: the FTE-periods
  of every start inside the window, against the window's capacity. This is the sum of the
  window's capacity rows, so it cannot move the LP bound; it is measured to show it;
- lifted (extended) cover cuts on the budget rows, separated from the LP solution for a few
  rounds: a cover is a set of starts of distinct initiatives whose spend in the row exceeds its
  amount, at most |C| - 1 of them can be chosen, and every start whose spend is at least the
  largest in C joins the left-hand side (extension). One start per initiative (GUB) keeps it
  valid;
- HiGHS's own root (its cut loop and heuristics, one node), for reference.

The Lagrangian bound over the capacity and budget rows with one-start-per-initiative subproblems
equals the LP bound (the subproblem polytope is integral), so it is not computed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SIZES = [(100, 24, 6), (500, 36, 10), (100, 48, 10)]
SAMPLES = ["retail-d2c.xlsx", "martech-rationalisation.xlsx"]


def _model(name: str):
    from roadmap.domain import ObjectiveKind
    from roadmap.money.calendar import Calendar
    from roadmap.money.finance import start_values
    from roadmap.optimize.derived import derive
    from roadmap.optimize.milp.model.build import build_model
    from roadmap.optimize.milp.model.data import model_data

    if name.endswith(".xlsx"):
        from roadmap.input.reader import load_portfolio

        p, _ = load_portfolio(ROOT / "samples" / name)
    else:
        from roadmap.testing.synthetic import synthetic_portfolio

        n, h, t = (int(x) for x in name.split("x"))
        p = synthetic_portfolio(n, h, t, 1, period="quarter" if h <= 12 else "month")
    values = start_values(p, Calendar.from_settings(p.settings))
    data = model_data(derive(p, values))
    objective = p.settings.objective if name.endswith(".xlsx") else ObjectiveKind.NPV
    # the start form: the covers need x; the step form is a change of variables with the same LP
    return build_model(data, objective=objective, step=False)


def _lp(model, extra: list[tuple[dict, float]]) -> tuple[float, np.ndarray, float]:
    """LP bound (model sense), the column values, seconds; ``extra`` rows are sum <= rhs."""
    import highspy

    from roadmap.optimize.milp.model.matrix import load, matrix_of

    columns = model.prob.variables()
    m = matrix_of(model.prob, columns, highspy.kHighsInf)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    load(h, m, integral=False)
    for terms, rhs in extra:
        idx = np.array([v.index for v in terms], dtype=np.int32)
        val = np.array(list(terms.values()), dtype=float)
        h.addRow(-highspy.kHighsInf, rhs, len(idx), idx, val)
    began = time.perf_counter()
    h.run()
    took = time.perf_counter() - began
    x = np.array(h.getSolution().col_value)
    return m.sign * h.getInfo().objective_function_value, x, took


def _root(model, seconds: float) -> tuple[float, float]:
    """HiGHS's bound after its root node (cuts, one node), and the seconds."""
    import highspy

    from roadmap.optimize.milp.model.matrix import load, matrix_of

    m = matrix_of(model.prob, model.prob.variables(), highspy.kHighsInf)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_max_nodes", 1)
    h.setOptionValue("time_limit", seconds)
    load(h, m)
    began = time.perf_counter()
    h.run()
    return m.sign * h.getInfo().mip_dual_bound, time.perf_counter() - began


def _capacity_rows(model) -> dict[tuple[str, int], tuple[dict, float]]:
    """(team, k-th period row of the team) -> (terms, rhs); rows are built in period order."""
    out = {}
    seen: dict[str, int] = {}
    for name, con in model.prob.constraints.items():
        if name.startswith("capacity__"):
            team = name[len("capacity__") :].rsplit("__", 1)[0]
            k = seen[team] = seen.get(team, -1) + 1
            out[(team, k)] = (dict(con.items()), -con.constant)
    return out


def energy_rows(model, longest: int = 6) -> list[tuple[dict, float]]:
    """Per team, every window of 2 to ``longest`` consecutive periods: the sum of its capacity
    rows (longer windows only make the LP larger: the sum is implied all the same)."""
    rows = _capacity_rows(model)
    teams: dict[str, list[int]] = {}
    for team, period in rows:
        teams.setdefault(team, []).append(period)
    out = []
    for team, periods in teams.items():
        periods.sort()
        for a in range(len(periods)):
            terms: dict = {}
            rhs = 0.0
            for b in range(a, min(len(periods), a + longest)):
                coef, cap = rows[(team, periods[b])]
                for v, c in coef.items():
                    terms[v] = terms.get(v, 0.0) + c
                rhs += cap
                if b > a:
                    out.append((dict(terms), rhs))
    return out


def cover_cuts(model, x: np.ndarray) -> list[tuple[dict, float]]:
    """Violated extended covers on the budget rows at the LP point ``x``."""
    owner = {}
    for iid, by_t in model.x.items():
        for v in by_t.values():
            owner[v] = iid
    cuts = []
    for name, con in model.prob.constraints.items():
        if not name.startswith("budget__"):
            continue
        rhs = -con.constant
        items = [(v, c) for v, c in con.items() if c > 1e-9 and v in owner]
        if rhs <= 0 or sum(c for _, c in items) <= rhs:
            continue
        # greedy: the most "used" per unit of spend first, one start per initiative
        items.sort(key=lambda vc: (1.0 - x[vc[0].index]) / vc[1])
        cover, used, total = [], set(), 0.0
        for v, c in items:
            if owner[v] in used:
                continue
            cover.append((v, c))
            used.add(owner[v])
            total += c
            if total > rhs + 1e-6:
                break
        if total <= rhs + 1e-6:
            continue
        # drop the smallest while still a cover (minimal), then extend
        cover.sort(key=lambda vc: vc[1])
        while len(cover) > 1 and total - cover[0][1] > rhs + 1e-6:
            total -= cover.pop(0)[1]
        biggest = max(c for _, c in cover)
        lhs = {v: 1.0 for v, _ in cover}
        for v, c in items:
            if c >= biggest:
                lhs[v] = 1.0
        if sum(x[v.index] for v in lhs) > len(cover) - 1 + 1e-4:
            cuts.append((lhs, float(len(cover) - 1)))
    return cuts


def measure(name: str, root_seconds: float) -> dict:
    model = _model(name)
    row: dict = {"model": name, "form": "step" if model.step else "start"}
    base, x, took = _lp(model, [])
    row["lp"], row["lp_s"] = base, took
    energy = energy_rows(model)
    row["energy_rows"] = len(energy)
    row["energy"], _, row["energy_s"] = _lp(model, energy) if energy else (base, x, 0.0)
    cuts: list[tuple[dict, float]] = []
    bound, xx = base, x
    for _ in range(5 if not model.step else 0):  # covers need the one-start-per-initiative x
        new = cover_cuts(model, xx)
        if not new:
            break
        cuts += new
        bound, xx, _ = _lp(model, cuts)
    row["covers"], row["cover_cuts"] = (bound, len(cuts)) if not model.step else (None, 0)
    row["root"], row["root_s"] = _root(model, root_seconds)
    return row


def _fig(x: float | None) -> str:
    return "n/a (step form)" if x is None else f"{x:,.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(["x".join(map(str, s)) for s in SIZES]))
    parser.add_argument("--samples", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--root-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    names = args.models.split(",") + (SAMPLES if args.samples else [])
    print(
        "| model | form | LP bound | + energy rows (count) | + extended covers (cuts) "
        "| HiGHS root (s) |\n|---|---|---|---|---|---|"
    )
    for name in names:
        r = measure(name, args.root_seconds)
        print(
            f"| {r['model']} | {r['form']} | {r['lp']:,.1f} | {r['energy']:,.1f} "
            f"({r['energy_rows']}) | {_fig(r['covers'])} ({r['cover_cuts']}) "
            f"| {r['root']:,.1f} ({r['root_s']:.1f}) |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
