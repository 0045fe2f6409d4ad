"""A dependency on "whichever alternative of a group is chosen": a Dependencies row whose
Predecessor names an alternative group. Windows, the optimizer in both forms, the greedy
baseline and the independent plan checker agree, checked against brute force."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_milp_cases import brute_force, ini, random_portfolio, settings, solve, values_of

from roadmap.cli import cli
from roadmap.domain import (
    Dependency,
    GroupDependency,
    ObjectiveKind,
    Portfolio,
    Staffing,
    Status,
    Team,
)
from roadmap.money.calendar import Calendar
from roadmap.optimize.plan_check import check_plan
from roadmap.optimize.windows import start_windows


def _cdp_choice() -> Portfolio:
    """Two ways to build a CDP (buy: 1 quarter, build: 2), and personalisation that needs
    whichever is chosen."""
    return Portfolio(
        settings=settings(horizon=5),
        initiatives=(
            ini("BUY", duration=1, capex=300.0, benefit_saving=350.0, alternative_group="CDP"),
            ini("BUILD", duration=2, capex=100.0, benefit_saving=300.0, alternative_group="CDP"),
            ini("PERS", duration=1, capex=50.0, benefit_saving=400.0),
        ),
        group_dependencies=(GroupDependency("CDP", "PERS", lag=1),),
    )


def test_the_successor_waits_for_the_first_member_that_can_finish() -> None:
    p = _cdp_choice()
    w = start_windows(p, Calendar.from_settings(p.settings))
    assert w["PERS"].earliest == 2  # BUY finishes after quarter 0, plus a quarter's lag


def test_the_checker_wants_a_member_finished_first() -> None:
    p = _cdp_choice()
    assert check_plan(p, {"BUILD": 0, "PERS": 3}) == []
    assert check_plan(p, {"BUY": 0, "PERS": 2}) == []
    (late,) = check_plan(p, {"BUILD": 0, "PERS": 2})
    assert late.kind == "dependency" and "chosen alternative" in late.message
    (alone,) = check_plan(p, {"PERS": 2})
    assert "without any of the group" in alone.message
    done = replace(p, initiatives=(replace(p.initiatives[0], status=Status.DONE),
                                   *p.initiatives[1:]))  # fmt: skip
    assert check_plan(done, {"PERS": 0}) == []


def test_choosing_either_member_unblocks_the_successor() -> None:
    p = _cdp_choice()
    plan = solve(p)
    assert "PERS" in plan.starts and check_plan(p, plan.starts) == []
    # with BUY excluded the plan takes BUILD and still gets personalisation
    no_buy = replace(p, initiatives=(replace(p.initiatives[0], excluded=True),
                                     *p.initiatives[1:]))  # fmt: skip
    plan = solve(no_buy)
    assert {"BUILD", "PERS"} <= set(plan.starts) and plan.starts["PERS"] >= 3


def _grouped(seed: int) -> Portfolio:
    p = random_portfolio(seed)
    inis = list(p.initiatives)
    inis[2] = replace(inis[2], alternative_group="G")
    inis[3] = replace(inis[3], alternative_group="G")
    return replace(
        p,
        initiatives=tuple(inis),
        dependencies=tuple(d for d in p.dependencies if d.successor != "I1"),
        group_dependencies=(GroupDependency("G", "I1", lag=seed % 2),),
    )


@pytest.mark.parametrize("seed", range(8))
def test_optimum_matches_brute_force_in_both_forms(seed: int) -> None:
    from roadmap.optimize.derived import derive
    from roadmap.optimize.milp.model.build import build_model
    from roadmap.optimize.milp.model.data import model_data
    from roadmap.optimize.milp.model.extract import chosen_starts
    from roadmap.optimize.milp.search.solve import solve_model
    from roadmap.optimize.options import SolveOptions

    p = _grouped(seed)
    best, plans = brute_force(p)
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
def test_the_greedy_baseline_respects_group_dependencies(seed: int) -> None:
    from roadmap.errors import InfeasibleError
    from roadmap.optimize.derived import derive
    from roadmap.optimize.greedy import greedy_plan

    p = _grouped(seed)
    for mandatory in (False, True):
        if mandatory:
            inis = list(p.initiatives)
            inis[1] = replace(inis[1], mandatory=True)
            p = replace(p, initiatives=tuple(inis))
        try:
            starts = greedy_plan(derive(p, values_of(p)))
        except InfeasibleError:
            continue
        assert check_plan(p, starts) == [], (seed, mandatory, starts)
        if mandatory:
            assert "I1" in starts and ({"I2", "I3"} & set(starts))


def test_a_dependencies_row_naming_a_group_is_read_as_one(tmp_path: Path) -> None:
    from conftest import valid_tables, write_workbook

    from roadmap.input.reader import read_workbook

    tables, values = valid_tables()
    tables["Initiatives"][0]["alternative_group"] = "Data platform"
    tables["Initiatives"][2]["alternative_group"] = "Data platform"
    tables["Dependencies"] = [{"predecessor": "data platform", "successor": "INI-02", "lag": 1}]
    path = write_workbook(tmp_path / "group.xlsx", tables, values)
    portfolio, findings = read_workbook(path)
    assert portfolio is not None, findings
    assert portfolio.dependencies == ()
    assert portfolio.group_dependencies == (GroupDependency("Data platform", "INI-02", 1),)
    # a member cannot wait for its own group
    tables["Dependencies"] = [{"predecessor": "Data platform", "successor": "INI-03"}]
    bad = write_workbook(tmp_path / "bad.xlsx", tables, values)
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 2 and "is in that group itself" in result.output


def test_a_plan_on_the_template_portfolio_with_a_group_dependency(tmp_path: Path) -> None:
    p = Portfolio(
        settings=settings(horizon=6),
        initiatives=(
            ini("A1", duration=1, alternative_group="A", capex=200.0, benefit_saving=260.0),
            ini("A2", duration=2, alternative_group="A", capex=80.0, benefit_saving=240.0),
            ini("S", duration=1, capex=50.0, benefit_saving=400.0, mandatory=True),
            ini("T", duration=1, capex=20.0, benefit_saving=100.0),
        ),
        dependencies=(Dependency("S", "T"),),
        group_dependencies=(GroupDependency("A", "S"),),
        teams=(Team("T1", capacity=1.0),),
        staffing=(Staffing("A1", "T1", 1.0), Staffing("A2", "T1", 1.0), Staffing("S", "T1", 1.0)),
    )
    best, _ = brute_force(p)
    plan = solve(p)
    assert plan.report.objective == pytest.approx(best)
    assert check_plan(p, plan.starts) == []
