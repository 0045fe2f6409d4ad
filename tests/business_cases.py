"""Business cases as finance writes them: small workbooks built in the test, valued through
``roadmap roi`` and read back from the roi workbook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from roadmap.cli import cli
from roadmap.input.template import write_input_workbook

MONEY_SHEETS = ("Settings", "Initiatives", "Cash flows")


def case_workbook(
    path: Path,
    settings: Mapping[str, object],
    initiatives: Sequence[Mapping[str, object]],
    cash_flows: Sequence[Mapping[str, object]] = (),
    **sheets: Sequence[Mapping[str, object]],
) -> Path:
    """A workbook with only Settings, Initiatives and (when given) Cash flows, plus ``sheets``
    (keyword = sheet name with spaces as underscores)."""
    tables: dict[str, list[dict[str, object]]] = {"Initiatives": [dict(r) for r in initiatives]}
    names = ["Settings", "Initiatives"]
    if cash_flows:
        tables["Cash flows"] = [dict(r) for r in cash_flows]
        names.append("Cash flows")
    for key, rows in sheets.items():
        name = key.replace("_", " ")
        tables[name] = [dict(r) for r in rows]
        names.append(name)
    write_input_workbook(path, tables, dict(settings), overwrite=True, only=names)
    return path


def roi(path: Path, *args: str) -> tuple[Result, dict[str, dict[str, object]]]:
    """Run ``roadmap roi`` with a workbook output; the Metrics rows by initiative id."""
    out = path.with_name(path.stem + "-roi.xlsx")
    result = CliRunner().invoke(cli, ["roi", str(path), "-o", str(out), "--force", *args])
    if result.exit_code != 0:
        return result, {}
    return result, metrics_by_id(out)


def metrics_by_id(path: Path) -> dict[str, dict[str, object]]:
    ws = load_workbook(path)["Metrics"]
    rows = list(ws.iter_rows(values_only=True))
    top = next(k for k, r in enumerate(rows) if r[0] == "Rank")
    heads = list(rows[top])
    return {
        str(r[1]): dict(zip(heads, r, strict=True)) for r in rows[top + 1 :] if r[1] is not None
    }


def method(path: Path) -> dict[str, object]:
    ws = load_workbook(path.with_name(path.stem + "-roi.xlsx"))["Method"]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
