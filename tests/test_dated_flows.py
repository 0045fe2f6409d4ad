"""Dated flows (a Cash flows row with a Date): Excel's XNPV and XIRR examples through
``roadmap roi``, the move with the start, the optimizer's values and the checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest
from business_cases import case_workbook, roi
from click.testing import CliRunner
from openpyxl import load_workbook

from roadmap.cli import cli
from roadmap.domain import CashFlowLine, FlowCategory, Initiative, PeriodKind, Portfolio, Settings
from roadmap.money.calendar import Calendar
from roadmap.money.finance import cash_flows, initiative_metrics, start_values
from roadmap.money.xirr import xirr, xmirr

CENT = 0.005
# Excel's XNPV and XIRR help pages: rate 9 %, five dated flows
EXCEL = [
    ("capex", "2008-01-01", 10000),
    ("benefit", "2008-03-01", 2750),
    ("benefit", "2008-10-30", 4250),
    ("benefit", "2009-02-15", 3250),
    ("benefit", "2009-04-01", 2750),
]


def _excel_case(tmp_path: Path, period: str, horizon: int) -> Path:
    settings = {"plan_start": "2008-01-01", "period": period, "horizon": horizon}
    settings["discount_rate"] = "9%"
    flows = [{"initiative": "X", "category": c, "flow_date": d, "amount": a} for c, d, a in EXCEL]
    inis = [{"id": "X", "name": "Excel example", "duration": 1, "useful_life": 1}]
    return case_workbook(tmp_path / f"xnpv-{period}.xlsx", settings, inis, flows)


def _by_hand_xnpv(rate: float) -> float:
    d0 = date(2008, 1, 1)
    signs = {"capex": -1, "benefit": 1}
    return sum(
        signs[c] * a / (1 + rate) ** ((date.fromisoformat(d) - d0).days / 365) for c, d, a in EXCEL
    )


@pytest.mark.parametrize(("period", "horizon"), [("month", 24), ("quarter", 8), ("year", 2)])
def test_excel_xnpv_and_xirr_examples_to_the_cent(
    tmp_path: Path, period: str, horizon: int
) -> None:
    path = _excel_case(tmp_path, period, horizon)
    result, metrics = roi(path, "--start", "plan-start")
    assert result.exit_code == 0, result.output
    x = metrics["X"]
    assert round(x["NPV"], 2) == 2086.65  # Excel's XNPV page
    assert x["NPV"] == pytest.approx(_by_hand_xnpv(0.09), abs=1e-6)
    assert x["IRR (annual)"] == pytest.approx(0.373362535, abs=1e-8)  # Excel's XIRR page
    assert "dated flows by exact days, actual/365" in result.output
    # the Dated flows sheet redoes the XNPV by hand, and the Cash flows sheet adds up to it
    wb = load_workbook(path.with_name(path.stem + "-roi.xlsx"))
    ws = wb["Dated flows"]
    rows = list(ws.iter_rows(values_only=True))
    top = next(k for k, r in enumerate(rows) if r[0] == "ID")
    heads = rows[top]
    dated = [dict(zip(heads, r, strict=True)) for r in rows[top + 1 :] if r[0]]
    assert [r["Days from plan start"] for r in dated] == [0, 60, 303, 411, 456]
    for r in dated:
        assert r["Discount factor"] == pytest.approx(1.09 ** -(r["Days from plan start"] / 365))
    assert sum(r["Discounted net"] for r in dated) == pytest.approx(x["NPV"], abs=1e-6)
    cash = [r for r in wb["Cash flows"].iter_rows(values_only=True) if r[1] == "Discounted net"]
    assert sum(v for v in cash[0][2:] if v is not None) == pytest.approx(x["NPV"], abs=1e-6)


def test_xirr_and_xmirr_on_whole_periods_are_irr_and_mirr() -> None:
    flows = np.array([-100.0, 39, 59, 55, 20])
    times = np.arange(5.0)
    assert xirr(times, flows) == pytest.approx(npf.irr(flows), abs=1e-12)
    assert xmirr(times, flows, 0.1, 0.12) == pytest.approx(npf.mirr(flows, 0.1, 0.12), abs=1e-12)
    assert xirr(times, np.abs(flows)) is None
    # the root closest to zero when there are two (-100, +230, -132: 10 % and 20 %)
    assert xirr(np.arange(3.0), np.array([-100.0, 230, -132])) == pytest.approx(0.1)


def _portfolio(**settings: object) -> Portfolio:
    s = Settings(
        plan_start=date(2027, 1, 1), period=PeriodKind.QUARTER, horizon=8, discount_rate=0.1
    )
    s = Settings(**{**s.__dict__, **settings})
    lines = (
        CashFlowLine("A", FlowCategory.CAPEX, 1000.0, flow_date=date(2027, 2, 15)),
        CashFlowLine("A", FlowCategory.BENEFIT, 700.0, flow_date=date(2027, 11, 30)),
        CashFlowLine("A", FlowCategory.BENEFIT, 600.0, year=2),
        CashFlowLine("A", FlowCategory.OTHER, -50.0, flow_date=date(2028, 1, 31)),
    )
    inis = (
        Initiative("A", "Dated", duration=2, useful_life=2, hurdle_rate=0.12, probability=0.9),
        Initiative("B", "Plain", duration=1, capex=100.0, benefit_saving=200.0),
    )
    return Portfolio(settings=s, initiatives=inis, cash_flows=lines)


@pytest.mark.parametrize("window", ["useful life", "horizon"])
def test_dated_flows_move_with_the_start_and_the_optimizer_values_every_start(
    window: str,
) -> None:
    from roadmap.domain import EvaluationWindow

    p = _portfolio(cost_escalation=0.03, benefit_escalation=0.02,
                   evaluation_window=EvaluationWindow(window))  # fmt: skip
    cal = Calendar.from_settings(p.settings)
    ini = p.initiative_by_id["A"]
    at0 = cash_flows(ini, 0, cal, p.settings, p)
    at2 = cash_flows(ini, 2, cal, p.settings, p)
    assert list(at0.dated.days[:2]) == [date(2027, 2, 15), date(2027, 11, 30)]
    assert list(at2.dated.days[:2]) == [date(2027, 8, 15), date(2028, 5, 30)]
    assert at2.dated.period[0] == at0.dated.period[0] + 2
    # capex: in the period that holds the date, escalated to that period's end
    assert at0.capex[0] == pytest.approx(1000 * 1.03 ** (1 / 4))
    assert at2.capex[2] == pytest.approx(1000 * 1.03 ** (3 / 4))
    sv = start_values(p, cal)
    for t in range(cal.horizon):
        m = initiative_metrics(p, "A", cal, t)
        assert sv.npv[0, t] == pytest.approx(m.npv, abs=1e-9), t
        # by hand: every flow of the start-t series at its exact time, at the hurdle rate
        flows = cash_flows(ini, t, cal, p.settings, p)
        times, amounts = flows.moments()
        assert m.npv == pytest.approx(float(np.sum(amounts * 1.12 ** -(times / 4))), abs=1e-9)
    # budgets see the dated spend at its offset from the start, in plan-start prices
    assert sv.capex[0, 0] == pytest.approx(1000)
    assert sv.opex[0, 4] == pytest.approx(50)  # the later outlay, 4 quarters in


def test_bad_dated_rows_are_named_by_their_cell(tmp_path: Path) -> None:
    settings = {"plan_start": "2027-01-01", "period": "quarter", "horizon": 4}
    settings["evaluation_window"] = "horizon"
    inis = [
        {"id": "A", "name": "A", "duration": 1, "earliest_start": "2027-07-01"},
    ]
    flows = [
        {"initiative": "A", "category": "capex", "flow_date": "2027-08-01", "amount": 10},
        {"initiative": "A", "category": "capex", "flow_date": "2027-08-01", "year": 1,
         "amount": 10},
        {"initiative": "A", "category": "capex", "flow_date": "2027-03-01", "amount": 10},
        {"initiative": "A", "category": "benefit", "flow_date": "2028-02-01", "amount": 10},
        {"initiative": "A", "category": "benefit", "amount": 10},
    ]  # fmt: skip
    path = case_workbook(tmp_path / "bad.xlsx", settings, inis, flows)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    out = result.output
    ws = load_workbook(path)["Cash flows"]
    heads = {c.value: c.column_letter for c in next(ws.iter_rows(min_row=1, max_row=1))}
    head_row = 1
    if "Date" not in heads:  # a title above the table
        for row in ws.iter_rows():
            if any(c.value == "Date" for c in row):
                heads = {c.value: c.column_letter for c in row}
                head_row = row[0].row
                break
    d = heads["Date"]
    assert f"Cash flows!{d}{head_row + 2}" in out and "together with a Year" in out
    assert f"Cash flows!{d}{head_row + 3}" in out and "before 'A' starts (2027-07-01" in out
    assert f"Cash flows!{d}{head_row + 4}" in out and "after the plan's last day" in out
    assert "none of Year, Period and Date is given" in out
    assert f"Cash flows!{d}{head_row + 1}" not in out


def test_financials_discount_each_initiative_at_its_own_rate_and_add_up_to_the_plan_npv() -> None:
    from dataclasses import replace

    from plan_fixtures import plan as fixture_plan

    from roadmap.money.finance import plan_metrics
    from roadmap.plan_facts import plan_facts

    plan = fixture_plan()
    inis = tuple(
        replace(i, hurdle_rate=0.25) if k == 0 else i
        for k, i in enumerate(plan.portfolio.initiatives)
    )
    portfolio = replace(plan.portfolio, initiatives=inis)
    plan = replace(plan, portfolio=portfolio)
    facts = plan_facts(plan)
    cal = facts.calendar
    m = plan_metrics(portfolio, plan.starts, cal)
    assert m.npv_by_hurdle
    # by hand: each initiative's own series at its own rate
    by_hand = 0.0
    for iid, s in plan.starts.items():
        ini = portfolio.initiative_by_id[iid]
        rate = 0.25 if ini.hurdle_rate else portfolio.settings.discount_rate
        f = cash_flows(ini, s, cal, portfolio.settings, portfolio)
        times, amounts = f.moments()
        by_hand += float(np.sum(amounts * (1 + rate) ** -(times / cal.periods_per_year)))
    assert m.npv == pytest.approx(by_hand, abs=1e-6)
    assert sum(c.discounted for c in facts.cash) == pytest.approx(by_hand, abs=1e-6)
    assert facts.headline.metrics.npv == pytest.approx(by_hand, abs=1e-6)
    # the hurdle changes the figure (the test would pass on the plan rate otherwise)
    flat = replace(portfolio, initiatives=tuple(replace(i, hurdle_rate=None) for i in inis))
    assert abs(plan_metrics(flat, plan.starts, cal).npv - m.npv) > 1.0
