"""'Why in the plan' and probability of success on the Roadmap and Financials sheets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.domain import (
    Dependency,
    Initiative,
    Lift,
    ObjectiveKind,
    Plan,
    Portfolio,
    Settings,
    SolveReport,
    SolveStatus,
)
from roadmap.money.calendar import Calendar
from roadmap.money.finance import Metrics, plan_cash_flows
from roadmap.plan_facts.reasons import why_in_plan
from roadmap.report.plan_workbook import write_plan_workbook


def _m(npv: float) -> Metrics:
    return Metrics(npv, None, None, None, None, None, None, None, 0.0, 0.0, 0.0, 0.0, None)


def _plan(objective: ObjectiveKind = ObjectiveKind.NPV) -> Plan:
    inis = (
        Initiative("LAW", "Regulation", duration=1, mandatory=True),
        Initiative("BASE", "Platform", duration=1),
        Initiative("APP", "App", duration=1),
        Initiative("P1", "Pair one", duration=1, bundle="Pair"),
        Initiative("P2", "Pair two", duration=1, bundle="Pair"),
        Initiative("CAP", "Capability", duration=1, lifts=(Lift("C1", 1),)),
        Initiative("GOOD", "Good", duration=1),
    )
    deps = (Dependency("BASE", "LAW"), Dependency("BASE", "APP"))
    p = Portfolio(
        settings=Settings(plan_start=date(2027, 1, 1), horizon=4),
        initiatives=inis,
        dependencies=deps,
    )
    starts = {i.id: 0 for i in inis}
    return Plan(p, starts, SolveReport(SolveStatus.OPTIMAL), objective=objective)


def test_every_selected_initiative_says_why_and_negative_npv_is_explained() -> None:
    money = {"LAW": _m(-5), "BASE": _m(-10), "APP": _m(50), "P1": _m(-3), "P2": _m(20),
             "CAP": _m(-1), "GOOD": _m(7)}  # fmt: skip
    why = why_in_plan(_plan(), money)
    assert why["LAW"].startswith("mandatory")
    assert "needed by mandatory LAW" in why["BASE"] and "predecessor of APP, LAW" in why["BASE"]
    assert "bundle 'Pair' with P2 (all or none)" in why["P1"]
    assert why["GOOD"] == "positive NPV"
    assert "positive NPV" in why["APP"]
    for iid, m in money.items():
        if m.npv < 0:
            assert "NPV is negative" in why[iid] and "positive NPV" not in why[iid], iid
    # nothing ties CAP in: the objective is what chose it
    assert "chosen by the optimizer" in why["CAP"]
    capability = why_in_plan(_plan(ObjectiveKind.CAPABILITY), money)
    assert "closes capability gaps (C1 +1)" in capability["CAP"]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = fixture_plan()
    inis = tuple(replace(i, probability=0.8) if i.id == "A" else i for i in p.portfolio.initiatives)
    settings = replace(p.portfolio.settings, risk_adjusted=True)
    plan = replace(p, portfolio=replace(p.portfolio, initiatives=inis, settings=settings))
    return write_plan_workbook(plan, tmp_path_factory.mktemp("why") / "plan.xlsx")


def _table(ws, name: str) -> list[dict[str, object]]:
    rows = [[c.value for c in r] for r in ws[ws.tables[name].ref]]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_roadmap_shows_probability_and_why(book: Path) -> None:
    rows = {r["ID"]: r for r in _table(load_workbook(book)["Roadmap"], "tbl_Roadmap")}
    assert rows["A"]["Probability of success"] == pytest.approx(0.8)
    assert rows["B"]["Probability of success"] == pytest.approx(1.0)
    assert "predecessor of B" in str(rows["A"]["Why in the plan"])
    assert "under way" in str(rows["C"]["Why in the plan"])


def test_financials_state_the_risk_adjustment(book: Path) -> None:
    p = fixture_plan()
    cal = Calendar.from_settings(p.portfolio.settings)
    inis = tuple(replace(i, probability=0.8) if i.id == "A" else i for i in p.portfolio.initiatives)
    face = plan_cash_flows(
        replace(p.portfolio, initiatives=inis), p.starts, cal, risk_adjusted=False
    )
    expected = float(face.benefit.sum() + face.legacy_saving.sum())
    ws = load_workbook(book)["Financials"]
    notes = {r[0]: (r[3], r[4]) for r in ws.iter_rows(values_only=True) if r[0]}
    value, how = notes["Benefits + legacy savings at 100 % probability of success"]
    assert value == pytest.approx(expected)
    shown = sum(
        float(r["Benefits"]) + float(r["Legacy savings"]) for r in _table(ws, "tbl_Financials")
    )
    assert shown < expected  # A's benefits are scaled by 80 %
    assert f"{shown - expected:,.0f}" in str(how)
