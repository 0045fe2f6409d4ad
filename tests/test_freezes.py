"""Change freezes (Calendar sheet): no go-live or kick-off inside a freeze. Start windows get
holes; the optimizer in both forms, the greedy baseline and the independent plan checker agree,
checked against brute force on tiny portfolios."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_milp_cases import brute_force, ini, random_portfolio, settings, solve, values_of

from roadmap.cli import cli
from roadmap.domain import Blackout, ObjectiveKind, Portfolio
from roadmap.money.calendar import Calendar
from roadmap.optimize.plan_check import check_plan
from roadmap.optimize.windows import start_windows

# 2027: Q2 ends Wednesday 30 June, Q4 starts Friday 1 October
GO_LIVE_FREEZE = Blackout(date(2027, 6, 15), date(2027, 7, 10), "go-live", row=2)
KICK_OFF_FREEZE = Blackout(date(2027, 9, 28), date(2027, 10, 3), "kick-off", row=3)


def test_windows_get_holes_and_their_ends_move_in() -> None:
    p = Portfolio(
        settings=settings(horizon=6),
        initiatives=(ini("A", duration=1), ini("B", duration=2), ini("C", duration=1)),
        blackouts=(GO_LIVE_FREEZE, KICK_OFF_FREEZE),
    )
    w = start_windows(p, Calendar.from_settings(p.settings))
    # A (1 quarter): going live in Q2 (start 1) is frozen, kicking off in Q4 (start 3) too
    assert w["A"].periods() == [0, 2, 4, 5] and 1 not in w["A"] and 3 not in w["A"]
    # B (2 quarters): start 0 goes live in Q2, start 3 kicks off in Q4
    assert (w["B"].earliest, w["B"].periods()) == (1, [1, 2, 4])


def test_a_successor_counts_from_its_predecessors_first_allowed_start() -> None:
    from roadmap.domain import Dependency

    freeze = Blackout(date(2027, 3, 1), date(2027, 3, 31), "go-live")
    p = Portfolio(
        settings=settings(horizon=6),
        initiatives=(ini("A", duration=1), ini("B", duration=1)),
        dependencies=(Dependency("A", "B"),),
        blackouts=(freeze,),
    )
    w = start_windows(p, Calendar.from_settings(p.settings))
    assert w["A"].earliest == 1 and w["B"].earliest == 2


def _frozen(seed: int) -> Portfolio:
    p = random_portfolio(seed)
    return replace(p, blackouts=(GO_LIVE_FREEZE, KICK_OFF_FREEZE))


@pytest.mark.parametrize("seed", range(8))
def test_optimum_with_freezes_matches_brute_force_in_both_forms(seed: int) -> None:
    from roadmap.optimize.derived import derive
    from roadmap.optimize.milp.model.build import build_model
    from roadmap.optimize.milp.model.data import model_data
    from roadmap.optimize.milp.model.extract import chosen_starts
    from roadmap.optimize.milp.search.solve import solve_model
    from roadmap.optimize.options import SolveOptions

    p = _frozen(seed)
    best, plans = brute_force(p)  # the checker rejects every plan with a frozen go-live
    if best is None:
        return
    plan = solve(p)
    assert check_plan(p, plan.starts) == []
    assert plan.report.objective == pytest.approx(best, abs=1e-6)
    for step in (False, True):
        data = model_data(derive(p, values_of(p)))
        model = build_model(data, objective=ObjectiveKind.NPV, step=step)
        report = solve_model(model, SolveOptions(gap=0.0, threads=1, time_limit=20))
        assert report.objective == pytest.approx(best, abs=1e-6), step
        assert chosen_starts(model) in plans, step


@pytest.mark.parametrize("seed", range(8))
def test_the_greedy_baseline_respects_freezes(seed: int) -> None:
    from roadmap.errors import InfeasibleError
    from roadmap.optimize.derived import derive
    from roadmap.optimize.greedy import greedy_plan

    p = _frozen(seed)
    try:
        starts = greedy_plan(derive(p, values_of(p)))
    except InfeasibleError:
        return
    assert check_plan(p, starts) == []


def test_the_checker_names_the_freeze() -> None:
    p = Portfolio(
        settings=settings(horizon=4),
        initiatives=(ini("A", duration=1),),
        blackouts=(GO_LIVE_FREEZE, KICK_OFF_FREEZE),
    )
    (v,) = check_plan(p, {"A": 1})
    assert v.kind == "window" and "goes live on 2027-06-30" in v.message
    (k,) = check_plan(p, {"A": 3})
    assert "kicks off on 2027-10-01" in k.message
    assert check_plan(p, {"A": 2}) == []


def test_the_calendar_sheet_is_read_and_checked_cell_by_cell(tmp_path: Path) -> None:
    from conftest import valid_tables, write_workbook

    tables, values = valid_tables()
    tables["Calendar"] = [
        {"start": "2027-12-01", "end": "2028-01-10", "applies_to": "go-live", "note": "Peak"},
        {"start": "2027-06-01", "end": "2027-05-01"},
    ]
    path = write_workbook(tmp_path / "freeze.xlsx", tables, values)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Calendar!B3" in result.output and "before it starts" in result.output
    tables["Calendar"] = tables["Calendar"][:1]
    good = write_workbook(tmp_path / "good.xlsx", tables, values)
    from roadmap.input.reader import read_workbook

    portfolio, _ = read_workbook(good)
    assert portfolio is not None
    assert portfolio.blackouts == (
        Blackout(date(2027, 12, 1), date(2028, 1, 10), "go-live", "Peak"),
    )
