"""Large input workbooks for the benchmarks: the martech sample copied k times.

``scaled_workbook(path, copies)`` writes the martech sample with every initiative, dependency,
staffing row, system, score and uncertainty row copied ``copies`` times under new ids (``MT-07``
becomes ``MT-07``, ``MT-07.2``, ``MT-07.3`` …), each team's capacity, every budget limit and the
change limit per function multiplied by ``copies``, so the copies compete as the original does. 26 copies give 2,080
initiatives, 257 give 20,046. Alternative groups and bundles stay within their copy.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "samples"))


def _suffix(value: object, k: int) -> object:
    return value if k == 1 or not value else f"{value}.{k}"


def _ids(text: object, k: int) -> object:
    """A comma-separated list of ids with the copy suffix on each."""
    if k == 1 or not isinstance(text, str) or not text.strip():
        return text
    return ", ".join(_suffix(part.strip(), k) for part in text.split(",") if part.strip())


def scaled_tables(copies: int) -> tuple[dict[str, list[dict[str, object]]], dict[str, object]]:
    import generate
    import martech

    tables, settings = generate.build(martech)
    out = dict(tables)
    ini_keys = ("id", "alternative_group", "bundle")
    out["Initiatives"] = [
        {
            **row,
            **{key: _suffix(row[key], k) for key in ini_keys if row.get(key)},
            **({"retires": _ids(row["retires"], k)} if row.get("retires") else {}),
        }
        for k in range(1, copies + 1)
        for row in tables["Initiatives"]
    ]
    out["Systems"] = [
        {**row, "id": _suffix(row["id"], k)}
        for k in range(1, copies + 1)
        for row in tables["Systems"]
    ]
    for sheet, keys in (
        ("Dependencies", ("predecessor", "successor")),
        ("Staffing", ("initiative",)),
        ("Scores", ("initiative",)),
        ("Uncertainty", ("initiative",)),
    ):
        out[sheet] = [
            {**row, **{key: _suffix(row[key], k) for key in keys}}
            for k in range(1, copies + 1)
            for row in tables[sheet]
        ]
    out["Risks"] = [
        {**row, "name": _suffix(row["name"], k), "initiatives": _ids(row.get("initiatives"), k)}
        for k in range(1, copies + 1)
        for row in tables["Risks"]
    ]
    out["Teams"] = [{**row, "capacity": row["capacity"] * copies} for row in tables["Teams"]]
    out["Capacity changes"] = [
        {**row, "capacity": row["capacity"] * copies} for row in tables["Capacity changes"]
    ]
    out["Budget"] = [{**row, "amount": row["amount"] * copies} for row in tables["Budget"]]
    out["Scenarios"] = []  # scenario rows name sample ids; the benchmarks run the base case
    if settings.get("change_limit"):
        settings = {**settings, "change_limit": int(settings["change_limit"]) * copies}
    return out, settings


def scaled_workbook(path: Path, copies: int) -> Path:
    from roadmap.input.template import write_input_workbook

    tables, settings = scaled_tables(copies)
    write_input_workbook(path, tables, settings, overwrite=True)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1])
    n = int(sys.argv[2])
    scaled_workbook(target, n)
    print(f"wrote {target}: {n} copies of the martech sample")
