"""The roi workbook of a large portfolio: period-by-period tables for the first N initiatives by
rank, every initiative on the Cash flows by year sheet. Read back and re-checked against the
Metrics sheet, the Cash flows sheet's own periods and the money module."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from business_cases import case_workbook
from click.testing import CliRunner
from openpyxl import load_workbook
from test_roi_cli import check_workbook, read_back

from roadmap.cli import cli
from roadmap.cli.roi import CASH_FLOW_TABLES as CLI_DEFAULT
from roadmap.input.reader import load_portfolio
from roadmap.money.calendar import Calendar
from roadmap.report.roi import roi_case
from roadmap.report.roi_flows import BY_YEAR_SHEET, CASH_FLOW_TABLES

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
MARTECH = SAMPLES / "martech-rationalisation.xlsx"  # 80 initiatives, fiscal years from April


def run(*args: str):
    return CliRunner().invoke(cli, ["roi", *args])


@lru_cache(maxsize=8)
def sheets(path: Path, stamp: float) -> dict[str, list[tuple]]:
    """Every sheet's rows of values, read once per written file (``stamp``: its mtime)."""
    wb = load_workbook(path, read_only=True)
    out = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    wb.close()
    return out


def values(path: Path, sheet: str) -> list[tuple]:
    return sheets(path, path.stat().st_mtime)[sheet]


def rows_of(path: Path, sheet: str, first: str) -> list[dict[str, object]]:
    """The table under the header row whose first cell is ``first``."""
    rows = values(path, sheet)
    top = next(k for k, r in enumerate(rows) if r and r[0] == first)
    heads = list(rows[top])
    return [dict(zip(heads, r, strict=True)) for r in rows[top + 1 :] if r[1] is not None]


def fiscal_year(day: date, start_month: int) -> int:
    """The fiscal year a day falls in, named by the calendar year it ends in."""
    return day.year + 1 if start_month > 1 and day.month >= start_month else day.year


def period_nets(path: Path) -> dict[str, list[tuple[date | None, float]]]:
    """Each table's net cash flow on the Cash flows sheet, with the period-end date of each
    column (None for the 'At plan start' column)."""
    rows = values(path, "Cash flows")
    head = next(k for k, r in enumerate(rows) if r and r[0] == "ID")
    labels, dates = rows[head - 1], rows[head]
    when = [
        dates[c].date() if isinstance(dates[c], datetime) and labels[c] != "At plan start" else None
        for c in range(len(dates))
    ]
    out: dict[str, list[tuple[date | None, float]]] = {}
    for r in rows[head + 1 :]:
        if r[1] == "Net cash flow":
            out[str(r[0])] = [(when[c], float(r[c])) for c in range(2, len(r)) if r[c] is not None]
    return out


def by_year_check(path: Path, portfolio_path: Path) -> list[dict[str, object]]:
    """Every Metrics initiative once, in rank order; per row the discounted nets add up to the
    NPV and the nets to benefits less cost; where the Cash flows sheet has the initiative's
    table, its period nets summed by fiscal year (from the period-end dates) give the row."""
    metrics = rows_of(path, "Metrics", "Rank")
    years = rows_of(path, BY_YEAR_SHEET, "Rank")
    assert [r["ID"] for r in years] == [m["ID"] for m in metrics]
    assert [r["Rank"] for r in years] == list(range(1, len(metrics) + 1))
    for m, y in zip(metrics, years, strict=True):
        net = sum(float(v) for k, v in y.items() if str(k).startswith("Net "))  # type: ignore[arg-type]
        disc = sum(float(v) for k, v in y.items() if str(k).startswith("Discounted "))  # type: ignore[arg-type]
        assert disc == pytest.approx(m["NPV"], abs=0.01), m["ID"]
        assert net == pytest.approx(m["Benefits"] - m["Total cost"], abs=0.01), m["ID"]  # type: ignore[operator]
    settings = load_portfolio(portfolio_path, purpose="roi")[0].settings
    for iid, by_column in period_nets(path).items():
        want: dict[str, float] = {}
        for when, x in by_column:
            key = (
                "Net At plan start"
                if when is None
                else f"Net FY{fiscal_year(when, settings.fiscal_year_start_month)}"
            )
            want[key] = want.get(key, 0.0) + x
        row = next(y for y in years if y["ID"] == iid)
        got = {k: v for k, v in row.items() if str(k).startswith("Net ")}
        assert got.keys() >= want.keys(), iid
        for key, value in got.items():
            assert value == pytest.approx(want.get(key, 0.0), abs=1e-6), (iid, key)
    return years


def test_the_cli_and_the_report_agree_on_the_default() -> None:
    assert CLI_DEFAULT == CASH_FLOW_TABLES


def text_in_row(path: Path, sheet: str, row: int) -> str | None:
    """The text of a note row (printing may move a long note beside the repeated columns)."""
    found = [v for v in values(path, sheet)[row - 1] if isinstance(v, str) and v]
    return found[0] if found else None


def method_of(path: Path) -> dict[object, object]:
    return {r[0]: r[1] for r in values(path, "Method") if r}


def test_tables_for_the_first_n_and_every_initiative_by_year(tmp_path: Path) -> None:
    out = tmp_path / "roi.xlsx"
    result = run(str(MARTECH), "-o", str(out), "--cash-flow-tables", "7")
    assert result.exit_code == 0, result.output
    metrics = rows_of(out, "Metrics", "Rank")
    _, _, _, blocks, _ = read_back(out)
    assert list(blocks) == [m["ID"] for m in metrics[:7]]  # the best seven, in rank order
    assert check_workbook(out, tabled=7) == len(metrics)  # their figures from their tables
    years = by_year_check(out, MARTECH)
    assert len(years) == len(metrics) > 7
    # the reader is told, where it looks: the Cash flows sheet, Metrics and Method
    note = str(text_in_row(out, "Cash flows", 3))
    assert f"first 7 of {len(metrics)} initiatives" in note and BY_YEAR_SHEET in note
    assert "--cash-flow-tables all" in note
    head = str(text_in_row(out, "Metrics", 2))
    assert "first 7" in head and BY_YEAR_SHEET in head
    assert "first 7 of" in str(method_of(out)["Cash-flow tables"])


def test_every_table_when_there_are_no_more_than_the_default(tmp_path: Path) -> None:
    out = tmp_path / "roi.xlsx"
    assert run(str(MARTECH), "-o", str(out)).exit_code == 0  # 78 candidates <= 100
    metrics = rows_of(out, "Metrics", "Rank")
    assert list(period_nets(out)) == [m["ID"] for m in metrics]
    assert text_in_row(out, "Cash flows", 3) is None  # no note: nothing left out
    assert "every initiative" in str(method_of(out)["Cash-flow tables"])
    by_year_check(out, MARTECH)


@pytest.mark.parametrize(("tables", "count"), [("all", 4), ("0", 0), ("3", 3)])
def test_all_none_or_some_tables(tmp_path: Path, tables: str, count: int) -> None:
    path = mixed_case(tmp_path / "mixed.xlsx")
    out = tmp_path / "roi.xlsx"
    result = run(str(path), "-o", str(out), "--cash-flow-tables", tables)
    assert result.exit_code == 0, result.output
    metrics = rows_of(out, "Metrics", "Rank")
    assert list(period_nets(out)) == [m["ID"] for m in metrics[:count]]
    assert len(by_year_check(out, path)) == len(metrics) == 4


@pytest.mark.parametrize("bad", ["-1", "some", "1.5"])
def test_a_bad_table_count_is_refused_before_anything_is_written(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "roi.xlsx"
    result = run(str(mixed_case(tmp_path / "in.xlsx")), "-o", str(out), "--cash-flow-tables", bad)
    assert result.exit_code == 2
    assert "--cash-flow-tables" in result.output and "Traceback" not in result.output
    assert not out.exists()


def mixed_case(path: Path) -> Path:
    """Dated flows, a year-0 flow at the start moment, a hurdle rate, fiscal years from July."""
    settings = {"plan_start": "2027-01-01", "period": "quarter", "horizon": 8}
    settings.update(discount_rate="8%", fiscal_year_start_month=7)
    inis = [
        {"id": "A", "name": "Plain", "duration": 2, "capex": 1000, "benefit_saving": 800},
        {"id": "H", "name": "Hurdle", "duration": 1, "capex": 500, "benefit_revenue": 300},
        {"id": "E", "name": "Explicit", "duration": 1},
        {"id": "D", "name": "Dated", "duration": 1},
    ]
    inis[1]["hurdle_rate"] = "15%"
    flows = [
        {"initiative": "E", "category": "capex", "year": 0, "amount": 2000},
        {"initiative": "E", "category": "benefit", "year": 1, "amount": 900},
        {"initiative": "E", "category": "benefit", "year": 2, "amount": 1900},
        {"initiative": "D", "category": "capex", "flow_date": "2027-02-10", "amount": 1000},
        {"initiative": "D", "category": "benefit", "flow_date": "2027-09-01", "amount": 700},
        {"initiative": "D", "category": "benefit", "flow_date": "2028-03-01", "amount": 700},
    ]
    return case_workbook(path, settings, inis, flows)


def test_by_year_with_dated_flows_opening_flows_and_hurdle_rates(tmp_path: Path) -> None:
    """Exact factors of dated flows, a flow at the valuation date itself ('At plan start') and
    an initiative's own rate all reach the by-year sheet: its discounted nets add up to each
    NPV, and they match the money module's per-period present values."""
    path = mixed_case(tmp_path / "mixed.xlsx")
    out = tmp_path / "roi.xlsx"
    result = run(str(path), "-o", str(out), "--start", "plan-start", "--cash-flow-tables", "2")
    assert result.exit_code == 0, result.output
    years = by_year_check(out, path)
    assert "Net At plan start" in years[0]  # E's year-0 capex falls on the plan start
    # against the money module: each line's present values by fiscal year
    portfolio, _ = load_portfolio(path, purpose="roi")
    case = roi_case(portfolio, start="plan-start")
    cal = Calendar.from_settings(portfolio.settings)
    for line, row in zip(case.lines, years, strict=True):
        assert row["ID"] == line.initiative.id
        pv = line.flows.discount(line.rate if line.rate is not None else case.rate)
        for fy in {cal.fiscal_year(t) for t in range(line.flows.length)}:
            want = sum(
                float(pv.net[t]) for t in range(line.flows.length) if cal.fiscal_year(t) == fy
            )
            assert row[f"Discounted FY{fy}"] == pytest.approx(want, abs=1e-9), (row["ID"], fy)
    fy_2027 = [k for k in years[0] if str(k).endswith("FY2027")]
    assert fy_2027 == ["Net FY2027", "Discounted FY2027"]  # Jan-Jun 2027 ends FY2027
    note = str(text_in_row(out, BY_YEAR_SHEET, 2))
    assert "FY2027 counts from 2027-01-01 (the plan start) to 2027-06-30" in note
    assert isinstance(rows_of(out, "Metrics", "Rank")[0]["Start"], datetime)
    assert np.isfinite([float(v) for v in years[0].values() if isinstance(v, float)]).all()


def test_method_notes_name_fifty_and_count_the_rest(tmp_path: Path) -> None:
    """A note naming every initiative with its own rate would be unreadable (and past what a
    cell holds) at 20,000: fifty are named, the rest counted, and where to see them all said."""
    settings = {"plan_start": "2027-01-01", "period": "year", "horizon": 3, "discount_rate": "8%"}
    inis = [
        {"id": f"H{k:02d}", "name": f"Hurdle {k}", "duration": 1, "capex": 100 + k}
        | {"benefit_saving": 60, "hurdle_rate": "12%"}
        for k in range(60)
    ]
    path = case_workbook(tmp_path / "hurdles.xlsx", settings, inis)
    out = tmp_path / "roi.xlsx"
    assert run(str(path), "-o", str(out)).exit_code == 0
    note = str(method_of(out)["Hurdle rates"])
    named = [f"H{k:02d} at 12.00%" for k in range(60) if f"H{k:02d} at" in note]
    assert len(named) == 50
    assert "and 10 more (all 60: the Discount rate column of Metrics)" in note
    rates = [m["Discount rate"] for m in rows_of(out, "Metrics", "Rank")]
    assert rates == pytest.approx([0.12] * 60)
