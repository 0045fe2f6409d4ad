"""Write the sample portfolios: ``python samples/generate.py [OUTPUT_FOLDER]``.

Each sample is a data module next to this file (``retail_d2c.py``, ``martech.py``) holding plain
tables, money in thousands. This script turns the tables into workbook rows and writes them with
the same writer as ``roadmap template``. The output depends on nothing but the tables.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import martech  # noqa: E402
import retail_d2c  # noqa: E402

from roadmap.input.template import write_input_workbook  # noqa: E402

SAMPLES: dict[str, ModuleType] = {
    "retail-d2c.xlsx": retail_d2c,
    "martech-rationalisation.xlsx": martech,
}

THOUSAND = 1000
UNCERTAINTY_KEYS = (
    "initiative", "cost_low", "cost_likely", "cost_high", "benefit_low", "benefit_likely",
    "benefit_high", "duration_low", "duration_likely", "duration_high",
)  # fmt: skip
RISK_KEYS = (
    "name", "probability", "initiatives", "owner_function", "cost_impact", "benefit_impact",
    "delay",
)  # fmt: skip

Row = dict[str, object]


def _k(amount: float) -> float:
    return amount * THOUSAND


def _initiative(record: tuple[object, ...], module: ModuleType) -> Row:
    (iid, name, owner, team, duration, capex, opex, run, rev, save,
     ramp, life, prob, pool) = record  # fmt: skip
    row: Row = {
        "id": iid,
        "name": name,
        "owner_function": owner,
        "accountable_team": team,
        "duration": duration,
        "capex": _k(capex),  # type: ignore[arg-type]
        "one_off_opex": _k(opex),  # type: ignore[arg-type]
        "run_cost": _k(run),  # type: ignore[arg-type]
        "benefit_revenue": _k(rev),  # type: ignore[arg-type]
        "benefit_saving": _k(save),  # type: ignore[arg-type]
        "ramp_up": ramp,
        "useful_life": life,
        "probability": prob,
        "funding_pool": pool,
        "lifts": module.LIFTS.get(iid),
    }
    row.update(module.EXTRA.get(iid, {}))
    return {k: v for k, v in row.items() if v not in (None, 0, 0.0) or k == "duration"}


def _shares(row: tuple[object, ...], cols: range | tuple[int, ...]) -> tuple[object, ...]:
    """The values at positions ``cols`` written as percentages ("135%"), so that a share
    above 100 % lands in a % formatted cell instead of reading as a bare 1.35."""
    return tuple(
        f"{float(v) * 100:g}%" if k in cols and isinstance(v, int | float) else v  # type: ignore[arg-type]
        for k, v in enumerate(row)
    )


def _staffing(iid: str, spec: str) -> list[Row]:
    """'DIG 6@60%/100%, ENG 3' -> one row per team, the profile after '@'."""
    rows: list[Row] = []
    for part in spec.split(","):
        team, need = part.split()
        fte, _, profile = need.partition("@")
        row: Row = {"initiative": iid, "team": team, "fte": float(fte)}
        if profile:
            row["profile"] = profile.replace("/", ", ")
        rows.append(row)
    return rows


def build(module: ModuleType) -> tuple[dict[str, list[Row]], dict[str, object]]:
    """Workbook rows (by sheet name) and settings for one sample module."""
    m = module
    tables: dict[str, list[Row]] = {
        "Capabilities": [
            dict(
                zip(
                    ("id", "name", "area", "current", "target", "importance", "owner_function"),
                    c,
                    strict=True,
                )
            )
            for c in m.CAPABILITIES
        ],
        "Initiatives": [_initiative(r, m) for r in m.INITIATIVES],
        "Dependencies": [
            {"predecessor": p, "successor": s, **({"lag": lag} if lag else {})}
            for p, s, lag in m.DEPENDENCIES
        ],
        "Teams": [
            {
                "id": t,
                "name": n,
                "function": f,
                "capacity": c,
                "over_allocation": o or None,
                "cost_per_fte_year": _k(cost) if cost else None,
            }
            for t, n, f, c, o, cost in m.TEAMS
        ],
        "Capacity changes": [
            {"team": t, "start": a, "end": b, "capacity": c, "note": note}
            for t, a, b, c, note in m.CAPACITY_CHANGES
        ],
        "Staffing": [row for iid, spec in m.STAFFING.items() for row in _staffing(iid, spec)],
        "Budget": [
            {"period": p, "fiscal_year": fy, "pool": pool, "kind": kind, "amount": _k(amount)}
            for p, fy, pool, kind, amount in m.BUDGETS
        ],
        "Systems": [
            {"id": s, "name": n, "run_cost": _k(cost), "owner_function": o}
            for s, n, cost, o in m.SYSTEMS
        ],
        "Criteria": [
            {"id": c, "name": n, "weight": w, "direction": d, "scale_min": lo, "scale_max": hi}
            for c, n, w, d, lo, hi in m.CRITERIA
        ],
        "Scores": [
            {"initiative": iid, **dict(zip((c[0] for c in m.CRITERIA), values, strict=True))}
            for iid, values in m.SCORES.items()
        ],
        "Pairwise": [
            {"criterion": row_id, **dict(zip(m.PAIRWISE_ORDER, values, strict=True))}
            for row_id, values in getattr(m, "PAIRWISE", {}).items()
        ],
        "Scenarios": [
            {"scenario": s, "description": d, "parameter": p, "target": t, "value": v, "start": f}
            for s, d, p, t, v, f in m.SCENARIOS
        ],
        "Uncertainty": [
            dict(zip(UNCERTAINTY_KEYS, _shares(row, range(1, 7)), strict=True))
            for row in getattr(m, "UNCERTAINTY", [])
        ],
        "Risks": [
            dict(zip(RISK_KEYS, _shares(row, (1, 4, 5)), strict=True))
            for row in getattr(m, "RISKS", [])
        ],
    }
    return tables, dict(m.SETTINGS)


def candidate_spend(module: ModuleType) -> float:
    """What funding every open candidate would cost inside the horizon (€): build cost plus run
    cost from the earliest go-live, counting each alternative group once (its dearest member)."""
    per_year = 12 if module.SETTINGS.get("period") == "month" else 4
    horizon = int(module.SETTINGS["horizon"])  # type: ignore[call-overload]
    by_group: dict[str, float] = {}
    total = 0.0
    for record in module.INITIATIVES:
        iid, duration, capex, opex, run = record[0], record[4], record[5], record[6], record[7]
        extra = module.EXTRA.get(iid, {})
        if extra.get("status") in ("done", "in progress"):
            continue
        running_years = max(0, horizon - duration) / per_year
        spend = _k(capex + opex + run * running_years)
        group = extra.get("alternative_group")
        if group:
            by_group[group] = max(by_group.get(group, 0.0), spend)
        else:
            total += spend
    return total + sum(by_group.values())


def total_budget(module: ModuleType) -> float:
    """Sum of the fiscal-year limits (€); per-period rows only tighten within a year."""
    return sum(_k(amount) for _, fy, _, _, amount in module.BUDGETS if fy is not None)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    for name, module in SAMPLES.items():
        tables, settings = build(module)
        write_input_workbook(out / name, tables, settings, overwrite=True)
        share = total_budget(module) / candidate_spend(module)
        print(
            f"wrote {out / name}: {len(module.INITIATIVES)} initiatives, "
            f"budget covers {share:.0%} of candidate spend"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
