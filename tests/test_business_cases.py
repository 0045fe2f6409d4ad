"""Business cases as finance writes them: yearly periods, clear money inputs, and a money case
that needs only Settings and Initiatives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from business_cases import case_workbook, roi
from click.testing import CliRunner
from openpyxl import load_workbook

from roadmap.cli import cli
from roadmap.domain import PeriodKind
from roadmap.money.calendar import Calendar
from roadmap.money.finance import irr_bound

CENT = 0.005
YEARLY = {"plan_start": "2027-01-01", "period": "year", "horizon": 5, "discount_rate": "10%"}


def test_yearly_calendar_labels_dates_and_fiscal_years() -> None:
    cal = Calendar(date(2027, 1, 1), PeriodKind.YEAR, 4)
    assert cal.labels() == ["2027", "2028", "2029", "2030"]
    assert cal.end(0) == date(2027, 12, 31) and cal.periods_per_year == 1
    assert cal.per_period_rate(0.1) == pytest.approx(0.1)
    assert cal.period_of(date(2028, 6, 30)) == 1
    fiscal = Calendar(date(2027, 4, 1), PeriodKind.YEAR, 3, fiscal_year_start_month=4)
    assert fiscal.labels() == ["FY2028", "FY2029", "FY2030"]
    assert fiscal.fiscal_years() == [2028, 2029, 2030]
    odd = Calendar(date(2027, 7, 1), PeriodKind.YEAR, 2)
    assert odd.labels() == ["2027-07", "2028-07"]


def test_money_case_needs_only_settings_and_initiatives(tmp_path: Path) -> None:
    path = case_workbook(
        tmp_path / "case.xlsx",
        YEARLY,
        [{"id": "A", "name": "Shop", "duration": 1, "capex": 1000, "benefit_saving": 400}],
    )
    result, metrics = roi(path)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    # capex 1000 at the end of 2027, 400 a year at the ends of 2028..2032 (5-year life)
    expected = -1000 / 1.1 + sum(400 / 1.1**k for k in range(2, 7))
    assert metrics["A"]["NPV"] == pytest.approx(expected, abs=0.005)
    assert metrics["A"]["Payback (years)"] == pytest.approx(metrics["A"]["Payback (periods)"])
    planned = CliRunner().invoke(cli, ["plan", str(path), "-o", str(tmp_path / "plan.xlsx")])
    assert planned.exit_code == 2
    assert "Teams" in planned.output and "missing" in planned.output


def test_irr_beyond_1000_percent_is_shown_as_a_bound(tmp_path: Path) -> None:
    monthly = {"plan_start": "2027-01-01", "period": "month", "horizon": 12}
    path = case_workbook(
        tmp_path / "fast.xlsx",
        monthly,
        [
            {
                "id": "Q",
                "name": "Quick win",
                "duration": 1,
                "one_off_opex": 100,
                "benefit_saving": 6000,
            }
        ],
    )
    result, metrics = roi(path)
    assert result.exit_code == 0, result.output
    # a number (it sorts and computes), shown as the bound by its number format
    irr = metrics["Q"]["IRR (annual)"]
    assert isinstance(irr, (int, float)) and irr > 10
    assert "> 1,000 %" in result.output
    ws = load_workbook(path.with_name(path.stem + "-roi.xlsx"))["Metrics"]
    cells = {c.value: c.column for c in ws[4] if c.value}
    row = next(r for r in ws.iter_rows() if r[1].value == "Q")
    for header in ("IRR per period", "IRR (annual)", "MIRR (annual)"):
        cell = row[cells[header] - 1]
        assert cell.data_type == "n" and '"> 1,000 %' in cell.number_format, header
    assert irr_bound(9.99) is None and irr_bound(10.01) == "> 1,000 %"


def test_payback_in_years_with_quarters(tmp_path: Path) -> None:
    quarterly = {"plan_start": "2027-01-01", "period": "quarter", "horizon": 12}
    path = case_workbook(
        tmp_path / "q.xlsx",
        quarterly,
        [{"id": "P", "name": "Pay", "duration": 2, "capex": 1000, "benefit_saving": 800}],
    )
    result, metrics = roi(path)
    assert result.exit_code == 0, result.output
    m = metrics["P"]
    # 1000 spent over 2 quarters, 200 a quarter from the third: paid back after 2 + 5 quarters
    assert m["Payback (periods)"] == pytest.approx(7.0)
    assert m["Payback (years)"] == pytest.approx(1.75)


def _rows(ws, name: str) -> list[dict[str, object]]:
    ref = ws.tables[name].ref
    cells = list(ws[ref])
    heads = [c.value for c in cells[0]]
    return [dict(zip(heads, (c.value for c in r), strict=True)) for r in cells[1:]]


def test_a_yearly_business_case_with_uneven_and_negative_flows_is_valued_and_planned(
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    settings = {**YEARLY, "horizon": 6, "discount_rate": "9%"}
    inis = [
        {"id": "OMS", "name": "Order management", "duration": 1, "useful_life": 5,
         "accountable_team": "IT", "lifts": "CAP-1: 1"},
        {"id": "CRM", "name": "CRM refresh", "duration": 1, "capex": 400000,
         "benefit_saving": 150000, "useful_life": 4, "accountable_team": "IT"},
    ]  # fmt: skip
    live = "go-live"
    flows = [
        {"initiative": "OMS", "category": "capex", "year": 0, "amount": 500000},
        {"initiative": "OMS", "category": "one-off opex", "year": 1, "amount": 80000},
        {"initiative": "OMS", "category": "benefit", "year": 1, "counted_from": live, "amount": 200000},
        {"initiative": "OMS", "category": "benefit", "year": 2, "counted_from": live, "amount": 500000},
        {"initiative": "OMS", "category": "benefit", "year": 3, "counted_from": live, "amount": 800000},
        {"initiative": "OMS", "category": "other", "year": 4, "counted_from": live, "amount": -250000,
         "note": "re-platforming"},
        {"initiative": "OMS", "category": "benefit", "year": 4, "counted_from": live, "amount": 100000},
        {"initiative": "OMS", "category": "other", "year": 5, "counted_from": live, "amount": 60000,
         "note": "salvage"},
    ]  # fmt: skip
    path = case_workbook(
        tmp_path / "plan-case.xlsx",
        settings,
        inis,
        flows,
        Capabilities=[{"id": "CAP-1", "name": "Orders", "current": 2, "target": 3}],
        Teams=[{"id": "IT", "name": "IT", "capacity": 4}],
        Staffing=[
            {"initiative": "OMS", "team": "IT", "fte": 3},
            {"initiative": "CRM", "team": "IT", "fte": 3},
        ],
        Budget=[{"fiscal_year": y, "amount": 700000} for y in range(2027, 2033)],
    )
    result, metrics = roi(path, "--start", "plan-start")
    assert result.exit_code == 0, result.output
    rate = 0.09
    oms = [-500000, -80000, 200000, 500000, 800000, 100000 - 250000, 60000]  # moments 0..6
    expected = sum(x / (1 + rate) ** k for k, x in enumerate(oms))
    assert metrics["OMS"]["NPV"] == pytest.approx(expected, abs=CENT)
    out = tmp_path / "plan.xlsx"
    planned = CliRunner().invoke(cli, ["plan", str(path), "-o", str(out), "--force"])
    assert planned.exit_code == 0, planned.output
    wb = load_workbook(out)
    starts = {r["ID"]: r["Start"] for r in _rows(wb["Roadmap"], "tbl_Roadmap")}
    assert "OMS" in starts  # worth doing; IT can run only one of the two at a time
    cash = _rows(wb["Financials"], "tbl_Financials")
    assert any(r["Other (signed)"] < 0 for r in cash) and any(r["Other (signed)"] > 0 for r in cash)
    for r in cash:
        inflow = r["Benefits"] + r["Legacy savings"] + r["Other (signed)"]
        cost = r["Capex"] + r["One-off opex"] + r["Run cost"]
        assert r["Net cash flow"] == pytest.approx(inflow - cost)
    npv = sum(r["Discounted net"] for r in cash)
    summary_rows = _rows(wb["Summary"], "tbl_Summary")
    summary = {r["Figure"]: r["Value"] for r in summary_rows}
    # numbers stay numbers: no "n/a" text in the Value column, the reason is in Note
    for r in summary_rows:
        if r["Figure"] != "Solver status":
            assert not isinstance(r["Value"], str), r
        # a note explains an empty cell, or how a figure is obtained (MIRR, ambiguous IRR)
        if r["Figure"] not in ("MIRR (per year)", "IRR (per year)"):
            assert (r["Value"] is None) == (r["Note"] is not None), r
        elif r["Value"] is None:
            assert r["Note"] is not None, r
    irr_cell = next(
        c for row in wb["Summary"].iter_rows() for c in row if c.value == "IRR (per year)"
    ).offset(column=1)
    assert irr_cell.data_type == "n" and '"> 1,000 %"' in irr_cell.number_format
    assert summary["Portfolio NPV"] == pytest.approx(npv, abs=CENT)
    # the budget sees the 500,000 paid on the first day in the first year the case runs
    periods = _rows(wb["Budget"], "tbl_Budget_periods")
    first = starts["OMS"].year
    spend = next(r["Total spend"] for r in periods if str(first) in str(r["Period"]))
    assert spend >= 500000 + 80000 - CENT
    assert all(r["Total spend"] <= 700000 + CENT for r in periods)
