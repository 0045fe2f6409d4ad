"""The Summary's programme finish rows, re-derived from the plan's starts and durations."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.domain import ObjectiveKind
from roadmap.money.calendar import Calendar
from roadmap.optimize.milp.plan import solve_plan
from roadmap.optimize.options import SolveOptions
from roadmap.report.plan_workbook import write_plan_workbook


def summary(path) -> dict[str, object]:
    ws = load_workbook(path)["Summary"]
    ref = ws.tables["tbl_Summary"].ref
    return {r[0].value: r[1].value for r in list(ws[ref])[1:]}


def as_date(value: object):
    return value.date() if isinstance(value, datetime) else value


def test_programme_finish_for_every_objective(tmp_path) -> None:
    base = fixture_plan().portfolio
    first, *rest = base.initiatives
    portfolio = replace(base, initiatives=(replace(first, mandatory=True), *rest))
    for kind in (ObjectiveKind.NPV, ObjectiveKind.EARLIEST_COMPLETION):
        options = SolveOptions(time_limit=20, gap=0.0, why_not=False)
        plan = solve_plan(portfolio, options, objective=kind)
        out = tmp_path / f"{kind.value}.xlsx"
        write_plan_workbook(plan, out)
        got = summary(out)
        cal = Calendar.from_settings(plan.portfolio.settings)
        ends = {i.id: plan.starts[i.id] + i.duration - 1 for i in plan.selected()}
        assert as_date(got["Programme finish (last go-live)"]) == cal.end(max(ends.values()))
        mandatory = [ends[i.id] for i in plan.selected() if i.mandatory]
        assert mandatory
        if mandatory:
            assert as_date(got["Mandatory work finishes"]) == cal.end(max(mandatory))
        if kind is ObjectiveKind.EARLIEST_COMPLETION and mandatory:
            # proven: the earliest possible finish is the plan's own
            assert (
                got["Earliest possible finish of mandatory work"] == got["Mandatory work finishes"]
            )
        else:
            assert "Earliest possible finish of mandatory work" not in got


def test_an_unproven_finish_shows_the_bound(tmp_path) -> None:
    plan = fixture_plan()
    report = replace(plan.report, finish=6, finish_bound=4)
    out = tmp_path / "bound.xlsx"
    write_plan_workbook(replace(plan, report=report), out)
    cal = Calendar.from_settings(plan.portfolio.settings)
    assert as_date(summary(out)["Earliest possible finish of mandatory work"]) == cal.end(3)
