"""``roadmap roi`` end to end: the workbook is read back and every metric recomputed from its own
Cash flows sheet, independently of the finance module."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from roadmap.cli import cli
from roadmap.cli.roi import money, percent, table

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.xlsx"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roi") / "example.xlsx"
    result = CliRunner().invoke(cli, ["template", str(path), "--example"])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["roi", *args])


def _day(value: object) -> date | None:
    return value.date() if isinstance(value, datetime) else None


def read_back(
    path: Path,
) -> tuple[float, int, list[date], dict[str, dict[str, list[float]]], list]:
    wb = load_workbook(path)
    method = {r[0]: r[1] for r in wb["Method"].iter_rows(values_only=True) if r[0]}
    rate = float(method["Discount rate (per period)"])
    ppy = int(method["Periods per year"])  # type: ignore[arg-type]
    ws = wb["Cash flows"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(k for k, r in enumerate(rows) if r[0] == "ID")
    ends = [_day(v) for v in rows[header][2:] if v is not None]
    blocks: dict[str, dict[str, list[float]]] = {}
    for r in rows[header + 1 :]:
        if r[0] is None:
            continue
        values = [float(v) for v in r[2:] if v is not None]
        blocks.setdefault(str(r[0]), {})[str(r[1])] = values
    mws = wb["Metrics"]
    mrows = list(mws.iter_rows(values_only=True))
    top = next(k for k, r in enumerate(mrows) if r[0] == "Rank")
    heads = list(mrows[top])
    metrics = [dict(zip(heads, r, strict=True)) for r in mrows[top + 1 :] if r[1] is not None]
    assert list(mws.tables) == ["tbl_Metrics"]
    return rate, ppy, ends, blocks, metrics  # type: ignore[return-value]


def independent_payback(net: list[float], inflow: list[float], start: int) -> float | None:
    cum, seen = 0.0, 0.0
    for t, x in enumerate(net):
        before = cum
        cum += x
        seen += inflow[t]
        if t >= start and seen > 0 and cum >= -1e-6:
            part = 0.0 if before >= 0 or x <= 0 else -before / x
            return t - start + part
    return None


def check_workbook(path: Path, tabled: int | None = None) -> int:
    """Every metric recomputed from the initiative's table on the Cash flows sheet (of the first
    ``tabled`` initiatives by rank, when the sheet holds only those)."""
    rate, ppy, ends, blocks, metrics = read_back(path)
    assert metrics, "no initiative in the Metrics table"
    npvs = [m["NPV"] for m in metrics]
    assert npvs == sorted(npvs, reverse=True)  # ranked by NPV
    for m in metrics[:tabled]:
        b = blocks[m["ID"]]
        net = np.array(b["Net cash flow"])
        costs = np.array(b["Capex"]) + np.array(b["One-off opex"]) + np.array(b["Run cost"])
        other = np.array(b["Other (signed)"])
        inflow = np.array(b["Benefits"]) + np.array(b["Legacy savings"]) + np.maximum(other, 0)
        costs = costs + np.maximum(-other, 0)
        assert net == pytest.approx(inflow - costs, abs=1e-6)
        t = np.arange(len(net))
        assert m["NPV"] == pytest.approx(float(np.sum(net / (1 + rate) ** (t + 1))), abs=0.01)
        assert m["Total cost"] == pytest.approx(costs.sum(), abs=0.01)
        assert m["Benefits"] == pytest.approx(inflow.sum(), abs=0.01)
        if costs.sum() > 0:
            assert m["ROI"] == pytest.approx((inflow.sum() - costs.sum()) / costs.sum())
        else:
            assert m["ROI"] is None and "ROI: no costs" in m["Note"]
        if m["IRR (annual)"] is not None and m["IRR (annual)"] > 10:
            # shown as the bound "> 1,000 %": the NPV at 1,000 % a year is still > 0
            r_p = 11.0 ** (1.0 / ppy) - 1.0
            first = int(np.flatnonzero(np.abs(net) > 1e-9)[0])
            assert float(np.sum(net[first:] / (1 + r_p) ** (t[first:] - first))) > 0
        elif m["IRR per period"] is not None:  # a root of the NPV polynomial, from the start on
            irr = m["IRR per period"]
            assert float(np.sum(net / (1 + irr) ** (t + 1))) == pytest.approx(0, abs=1e-3)
        else:
            assert not (np.any(net > 1e-9) and np.any(net < -1e-9))
            assert "IRR" in m["Note"]
        start = next(k for k, end in enumerate(ends) if end >= _day(m["Start"]))
        expected = independent_payback(net.tolist(), inflow.tolist(), start)
        got = m["Payback (periods)"]
        if expected is None:
            # empty cells (they still sort and filter as numbers and dates), the reason beside
            assert got is None and m["Payback date"] is None
            assert "payback not reached within the evaluation window" in m["Note"]
        else:
            assert got == pytest.approx(expected, abs=1e-9)
            # payback is elapsed time from the start: k periods is the first day of period k;
            # the tolerance keeps 12.999999999999996 periods from reading as period 12
            whole = start + math.floor(expected + 1e-9)
            day = _day(m["Payback date"])
            assert day <= ends[whole]
            assert whole == 0 or ends[whole - 1] < day
    return len(metrics)


def test_roi_on_the_template_example(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "roi.xlsx"
    before = example.read_bytes()
    result = run(str(example), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "NPV" in result.output and "IRR (annual)" in result.output
    assert "end of each period" in result.output
    assert check_workbook(out) >= 1
    assert example.read_bytes() == before  # the input is never written


@pytest.mark.skipif(not SAMPLES, reason="no sample workbooks yet")
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_roi_on_every_sample(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "roi.xlsx"
    result = run(str(sample), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert check_workbook(out) >= 1


def test_options_change_the_case(example: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run(str(example), "-o", str(a)).exit_code == 0
    result = run(str(example), "-o", str(b), "--no-risk", "--start", "2027-07-01")
    assert result.exit_code == 0, result.output
    check_workbook(b)
    _, _, _, risky, _ = read_back(a)
    _, _, _, plain, mb = read_back(b)
    assert sum(plain["INI-01"]["Benefits"]) > sum(risky["INI-01"]["Benefits"])
    assert {m["Start"] for m in mb} == {datetime(2027, 7, 1)}


def test_refuses_existing_output_and_the_input(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "roi.xlsx"
    out.write_bytes(b"keep me")
    result = run(str(example), "-o", str(out))
    assert result.exit_code != 0 and "--force" in result.output
    assert out.read_bytes() == b"keep me"
    assert run(str(example), "-o", str(out), "--force").exit_code == 0
    before = example.read_bytes()
    result = run(str(example), "-o", str(example), "--force")
    assert result.exit_code != 0 and "input" in result.output
    assert example.read_bytes() == before


def test_bad_start_and_missing_input_are_clear(example: Path, tmp_path: Path) -> None:
    result = run(str(example), "--start", "soon")
    assert result.exit_code == 2 and "--start" in result.output
    result = run(str(tmp_path / "nope.xlsx"))
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_text_formatting() -> None:
    assert money(1234567.4, "EUR") == "€1,234,567"
    assert money(-1234.0, "USD") == "-$1,234"
    assert money(-0.3, "EUR") == "€0"
    assert money(10, "CHF") == "10 CHF"
    assert percent(None) == "n/a" and percent(0.1234) == "12.3%"
    lines = table(["a", "n"], [["x", "1"], ["yy", "22"]], right={1}).splitlines()
    assert lines[2] == "x    1" and lines[3] == "yy  22"
