"""The plan workbook's IRR and MIRR reconcile with Excel's functions over the Financials sheet's
Net cash flow column, and the sheet says how."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest
from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.money.calendar import Calendar
from roadmap.money.finance import mirr_rates
from roadmap.report.plan_workbook import write_plan_workbook


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fin") / "plan.xlsx"
    write_plan_workbook(fixture_plan(), out)
    return out


def _financials(path: Path) -> tuple[list[str], list[float], dict[str, tuple[object, object]]]:
    ws = load_workbook(path)["Financials"]
    ref = ws.tables["tbl_Financials"].ref
    rows = [[c.value for c in r] for r in ws[ref]]
    heads = rows[0]
    labels = [r[0] for r in rows[1:]]
    net = [float(r[heads.index("Net cash flow")]) for r in rows[1:]]
    notes = {
        str(r[0].value): (r[3].value, r[4].value)
        for r in ws.iter_rows(min_row=ws[ref][-1][0].row + 2)
        if r[0].value
    }
    return labels, net, notes


def _summary(path: Path, label: str) -> tuple[object, object]:
    ws = load_workbook(path)["Summary"]
    for row in ws.iter_rows(values_only=True):
        if row[0] == label:
            return row[1], row[2]
    raise KeyError(label)


def test_mirr_is_excels_mirr_over_the_net_column_from_the_plan_start(book: Path) -> None:
    labels, net, notes = _financials(book)
    assert labels[0] == "At plan start"  # present even when nothing falls on the plan start
    p = fixture_plan()
    cal = Calendar.from_settings(p.portfolio.settings)
    finance, reinvest = mirr_rates(p.portfolio.settings, cal)
    last = int(np.flatnonzero(np.abs(net) > 1e-9)[-1])
    excel = (1 + npf.mirr(net[: last + 1], finance, reinvest)) ** cal.periods_per_year - 1
    mirr, how = _summary(book, "MIRR (per year)")
    assert mirr == pytest.approx(excel, abs=1e-12)
    assert "Financials" in str(how)
    shown, convention = notes["MIRR (per year)"]
    assert shown == pytest.approx(excel, abs=1e-12)
    assert "MIRR(Net cash flow from 'At plan start'" in str(convention)
    assert f"{finance:.6f}" in str(convention)
    # without the plan-start row (Excel's MIRR over the periods only) the figure differs
    shifted = (1 + npf.mirr(net[1 : last + 1], finance, reinvest)) ** cal.periods_per_year - 1
    assert abs(shifted - excel) > 1e-6


def test_irr_is_excels_irr_over_the_net_column(book: Path) -> None:
    _, net, notes = _financials(book)
    p = fixture_plan()
    cal = Calendar.from_settings(p.portfolio.settings)
    shown, convention = notes["IRR (per year)"]
    per_period = (1 + float(shown)) ** (1 / cal.periods_per_year) - 1
    value = sum(x / (1 + per_period) ** k for k, x in enumerate(net))
    assert value == pytest.approx(0.0, abs=1e-6)
    assert "IRR(Net cash flow" in str(convention)
