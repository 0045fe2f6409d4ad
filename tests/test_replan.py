"""Re-forecasts of tiny portfolios solved for real: sunk cost is out of the decision, work under
way is continued only when what is left is worth it, done work is done, the Status sheet and
the next cycle's input say so; and the plan workbook's PMO columns read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.app.plan_run import RunOptions
from roadmap.app.replan import replan, write_replan_outputs
from roadmap.domain import Initiative, Portfolio, Settings, Staffing, Status, Team
from roadmap.money.calendar import Calendar
from roadmap.money.finance import initiative_metrics
from roadmap.plan_facts.tracking import BaselineDates
from roadmap.progress.model import (
    InitiativeReport,
    Place,
    ProgressReport,
)
from roadmap.report.plan_workbook import build_plan_workbook

AS_OF = date(2027, 4, 1)


def portfolio(benefit: float) -> Portfolio:
    """S started 2026-07-01 (4 quarters, budget 1.0m); N is new work that fits beside it."""
    settings = Settings(plan_start=date(2027, 1, 1), horizon=8, discount_rate=0.1, time_limit=30)
    return Portfolio(
        settings,
        initiatives=(
            Initiative(
                "S",
                "Sunk",
                duration=4,
                capex=1_000_000,
                benefit_saving=benefit,
                useful_life=3,
                status=Status.IN_PROGRESS,
                actual_start=date(2026, 7, 1),
            ),
            Initiative("N", "New", duration=2, capex=200_000, benefit_saving=300_000),
        ),
        teams=(Team("T", capacity=4),),
        staffing=(Staffing("S", "T", 2), Staffing("N", "T", 1)),
        source="sunk.xlsx",
    )


def report(percent: float, spent: float) -> ProgressReport:
    place = Place("Roadmap", 5, {"% complete": "R", "Spent to date": "U"})
    return ProgressReport(
        "sunk-plan.xlsx",
        (InitiativeReport("S", place, percent, date(2026, 7, 1), None, spent),),
        plan_start=date(2027, 1, 1),
        plan_end=date(2028, 12, 31),
        selected=frozenset({"S", "N"}),
        baseline={
            "S": BaselineDates(date(2026, 7, 1), date(2027, 6, 30)),
            "N": BaselineDates(date(2027, 1, 1), date(2027, 6, 30)),
        },
    )


@pytest.mark.parametrize(
    ("percent", "continued"),
    [
        (0.1, False),  # 900k spent, 10 % done: 900k still to spend for ~230k of value: stop
        (0.9, True),  # 900k spent, 90 % done: 100k still to spend for the same value: go on
    ],
)
def test_sunk_cost_is_out_of_the_decision(percent: float, continued: bool) -> None:
    """In both cases 900k is already spent on S and its whole case is a loss (1.0m for about
    230k of benefit). What is spent is sunk: only what is left counts."""
    p = portfolio(benefit=100_000)
    whole = initiative_metrics(p, "S", Calendar.from_settings(p.settings), 0).npv
    assert whole < 0  # the initiative as first planned loses money
    result = replan(p, report(percent, 900_000), AS_OF, RunOptions())
    assert result.plan.report.status.has_plan
    assert ("S" in result.plan.starts) is continued
    track = result.rebased.tracks["S"]
    assert track.remaining_cost == pytest.approx(1_000_000 * (1 - percent))
    value = initiative_metrics(result.rebased.portfolio, "S", result.rebased.calendar, 0)
    assert (value.npv > 0) is continued  # remaining value against remaining cost
    line = next(s for s in result.status.initiatives if s.initiative == "S")
    if continued:
        assert line.state == "in progress" and line.start == date(2026, 7, 1)
        row = next(r for r in result.facts.schedule if r.initiative.id == "S")
        assert row.kickoff == date(2026, 7, 1)  # locked at its actual start
    else:
        (why,) = [w for w in result.plan.why_not if w.initiative == "S"]
        assert why.reasons[0].startswith("stop: remaining value below remaining cost")
        assert line.state == "stopped"
        assert result.stopped == ["S"]


def test_outputs_status_sheet_and_next_input(tmp_path: Path) -> None:
    """The workbook has a Status sheet after the Summary; the stop is on the Not selected
    sheet; the next cycle's input is written from a real input workbook."""
    p = portfolio(benefit=100_000)
    result = replan(p, report(0.1, 900_000), AS_OF, RunOptions())
    out = tmp_path / "new.xlsx"
    source = tmp_path / "input.xlsx"
    _input_workbook(p, source)
    written = write_replan_outputs(
        result, out, run=None, input_path=source, write_input=tmp_path / "next.xlsx"
    )
    assert written == [out, tmp_path / "next.xlsx"]
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["Summary", "Status", "Roadmap"]
    why = [r for r in wb["Not selected"].iter_rows(values_only=True) if r and r[0] == "S"]
    assert "stop: remaining value below remaining cost" in str(why[0])
    from roadmap.input.reader import load_portfolio

    nxt, _ = load_portfolio(tmp_path / "next.xlsx")
    s = nxt.initiative_by_id["S"]
    assert (s.status.value, s.excluded) == ("proposed", True)  # stopped: not restarted
    assert nxt.settings.plan_start == AS_OF and nxt.settings.horizon == 7


def _input_workbook(p: Portfolio, path: Path) -> None:
    """The tiny portfolio as an input workbook (through the template writer's table kit)."""
    from conftest import write_workbook

    ini = [
        {"id": i.id, "name": i.name, "duration": i.duration, "capex": i.capex,
         "benefit_saving": i.benefit_saving, "useful_life": i.useful_life,
         "status": i.status.value, "actual_start": i.actual_start}
        for i in p.initiatives
    ]  # fmt: skip
    tables = {
        "Initiatives": ini,
        "Teams": [{"id": "T", "capacity": 4}],
        "Staffing": [
            {"initiative": s.initiative, "team": s.team, "fte": s.fte} for s in p.staffing
        ],
        "Capabilities": [{"id": "C", "name": "C", "current": 1, "target": 2}],
    }
    settings = {"plan_start": date(2027, 1, 1), "horizon": 8, "discount_rate": 0.1}
    write_workbook(path, tables, settings)


def test_replan_needs_a_status_date_and_a_progress_file_it_can_read(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from roadmap.cli import cli

    plan = tmp_path / "plan.xlsx"
    build_plan_workbook(fixture_plan()).save(plan)
    src = tmp_path / "in.xlsx"
    _input_workbook(portfolio(1.0), src)
    result = CliRunner().invoke(cli, ["replan", str(src), "--progress", str(plan)])
    assert result.exit_code == 2 and "give --as-of DATE" in result.stderr
    bad = tmp_path / "tracked.xml"
    bad.write_text("<Project><oops")
    result = CliRunner().invoke(cli, ["replan", str(src), "--progress", str(bad)])
    assert result.exit_code == 2 and "cannot be read as MS Project XML" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx", "plan.xlsx", "tracked.xml"]
