"""``roadmap plan --why-not``: how hard the exclusions are priced, named on the Assumptions sheet;
and the same figures from two runs of the same input (they stop on work, never on the clock)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import valid_tables, write_workbook
from openpyxl import load_workbook

from roadmap.cli import cli


def _rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    wb = load_workbook(path, read_only=True)
    try:
        return list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def _not_selected(path: Path) -> list[tuple[object, ...]]:
    rows = _rows(path, "Not selected")
    head = next(k for k, r in enumerate(rows) if r and r[0] == "ID")
    return [r for r in rows[head + 1 :] if r and r[0]]


def _assumptions(path: Path) -> dict[object, object]:
    return {r[1]: r[2] for r in _rows(path, "Assumptions") if r and len(r) > 2}


def _tight_workbook(tmp_path: Path) -> Path:
    """The valid example with a budget too small for everything, so something is left out."""
    tables, settings = valid_tables()
    for row in tables["Budget"]:
        row["amount"] = 20_000
    return write_workbook(tmp_path / "in.xlsx", tables, settings)


def test_quick_prices_without_re_solves_and_says_so(tmp_path: Path) -> None:
    src = _tight_workbook(tmp_path)
    out = tmp_path / "quick.xlsx"
    result = CliRunner().invoke(cli, ["plan", str(src), "-o", str(out), "--why-not", "quick"])
    assert result.exit_code == 0, result.output
    rows = _not_selected(out)
    assert rows, "the tight budget leaves something out"
    methods = {str(r[-1]) for r in rows}
    assert not any("re-solved" in m for m in methods), methods
    assert _assumptions(out).get("why-not") == "quick"


def test_the_same_input_gives_the_same_figures(tmp_path: Path) -> None:
    src = _tight_workbook(tmp_path)
    outs = []
    for k in range(2):
        out = tmp_path / f"run{k}.xlsx"
        result = CliRunner().invoke(cli, ["plan", str(src), "-o", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(_not_selected(out))
    assert outs[0] == outs[1]
    assert "why-not" not in _assumptions(tmp_path / "run0.xlsx")  # the standard level
