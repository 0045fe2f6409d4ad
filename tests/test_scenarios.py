"""apply_scenario: one test family per parameter, plus names, values and stacking."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from roadmap.domain import (
    BudgetLimit,
    CapacityChange,
    Initiative,
    ObjectiveKind,
    Portfolio,
    Scenario,
    ScenarioOverride,
    Settings,
    SolveStatus,
    Team,
)
from roadmap.errors import InputError
from roadmap.input.scenarios import (
    BASE,
    add_capacity,
    apply_scenario,
    parse_amount,
    scale_budgets,
    scenario_jobs,
)
from roadmap.money.calendar import Calendar
from roadmap.optimize.limits import team_capacity
from roadmap.optimize.options import SolveOptions


def make_portfolio(*scenarios: Scenario, changes: tuple[CapacityChange, ...] = ()) -> Portfolio:
    return Portfolio(
        settings=Settings(plan_start=date(2027, 1, 1), horizon=8, fiscal_year_start_month=1),
        initiatives=(
            Initiative("A", "Alpha", capex=100.0, one_off_opex=10.0, benefit_revenue=50.0),
            Initiative("B", "Beta", capex=200.0, benefit_saving=80.0, excluded=True),
            Initiative("C", "Gamma", capex=40.0, benefit_revenue=30.0, benefit_saving=10.0),
        ),
        teams=(Team("DATA", "Data", capacity=4.0), Team("WEB", "Web", capacity=2.0)),
        capacity_changes=changes,
        budgets=(
            BudgetLimit(1000.0, fiscal_year=2027),
            BudgetLimit(1200.0, fiscal_year=2028),
            BudgetLimit(300.0, fiscal_year=2027, pool="IT"),
            BudgetLimit(50.0, period=date(2028, 4, 1)),
        ),
        scenarios=scenarios,
    )


def one(
    parameter: str, value: float | str, target: str = "", start: date | None = None
) -> Scenario:
    return Scenario("S", overrides=(ScenarioOverride(parameter, value, target, start, row=7),))


def amounts(p: Portfolio) -> list[float]:
    return [b.amount for b in p.budgets]


def test_unknown_name_lists_the_available_ones() -> None:
    p = make_portfolio(Scenario("Budget cut"), Scenario("Hiring"))
    with pytest.raises(InputError) as err:
        apply_scenario(p, "Nope")
    assert "'Budget cut'" in str(err.value) and "'Hiring'" in str(err.value)


def test_name_matches_ignoring_case_and_spaces() -> None:
    p = make_portfolio(Scenario("Budget cut", overrides=(ScenarioOverride("budget_scale", 0.5),)))
    assert amounts(apply_scenario(p, " budget CUT ")) == [500.0, 600.0, 150.0, 25.0]


def test_scale_100_percent_and_no_overrides_leave_the_portfolio_equal() -> None:
    p = make_portfolio(Scenario("Same", overrides=(ScenarioOverride("budget_scale", "100%"),)))
    assert apply_scenario(p, "Same") == p
    empty = make_portfolio(Scenario("Empty"))
    assert apply_scenario(empty, "Empty") == empty


@pytest.mark.parametrize("value", [0.8, "80%", "80 %", 80, "0.8", "0,8"])
def test_budget_scale_values(value: float | str) -> None:
    p = make_portfolio(one("budget_scale", value))
    assert amounts(apply_scenario(p, "S")) == pytest.approx([800.0, 960.0, 240.0, 40.0])


def test_budget_scale_targets_a_fiscal_year_including_its_period_rows() -> None:
    p = make_portfolio(one("budget_scale", "50%", "FY2028"))
    assert amounts(apply_scenario(p, "S")) == [1000.0, 600.0, 300.0, 25.0]
    p = make_portfolio(one("budget_scale", "50%", "2027"))
    assert amounts(apply_scenario(p, "S")) == [500.0, 1200.0, 150.0, 50.0]


def test_budget_scale_targets_a_pool() -> None:
    p = make_portfolio(one("budget_scale", "200%", "it"))
    assert amounts(apply_scenario(p, "S")) == [1000.0, 1200.0, 600.0, 50.0]


def test_budget_scale_from_a_date_only_touches_later_rows() -> None:
    p = make_portfolio(one("budget_scale", 0.5, "", date(2028, 1, 1)))
    assert amounts(apply_scenario(p, "S")) == [1000.0, 600.0, 300.0, 25.0]


def test_budget_scale_unknown_target_names_the_row() -> None:
    p = make_portfolio(one("budget_scale", 0.5, "MARKETING"))
    with pytest.raises(InputError) as err:
        apply_scenario(p, "S")
    assert "row 7" in str(err.value)
    assert err.value.findings[0].row == 7 and err.value.findings[0].sheet == "Scenarios"


@pytest.mark.parametrize("value", ["lots", "", "80%%", True])
def test_unreadable_value_names_the_scenarios_row(value: object) -> None:
    p = make_portfolio(one("budget_scale", value))  # type: ignore[arg-type]
    with pytest.raises(InputError) as err:
        apply_scenario(p, "S")
    assert "Scenarios sheet, row 7, column Value" in str(err.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("+2", 2.0), ("-1.5", -1.5), ("−1", -1.0), ("80%", 0.8), (3, 3.0), ("1,5", 1.5)],
)
def test_parse_amount(text: float | str, expected: float) -> None:
    assert parse_amount(text) == pytest.approx(expected)


def capacities(p: Portfolio, team: str = "DATA") -> list[float]:
    cal = Calendar.from_settings(p.settings)
    row = [t.id for t in p.teams].index(team)
    return team_capacity(p, cal)[row].tolist()


def test_capacity_change_adds_from_its_date_on() -> None:
    p = make_portfolio(one("capacity_change", "+2", "DATA", date(2027, 7, 1)))
    out = apply_scenario(p, "S")
    assert capacities(out) == [4, 4, 6, 6, 6, 6, 6, 6]
    assert capacities(out, "WEB") == capacities(p, "WEB")
    assert out.teams == p.teams  # base capacity untouched: the change is a CapacityChange


def test_capacity_change_stacks_on_existing_absolute_overrides() -> None:
    changes = (
        CapacityChange("DATA", date(2027, 4, 1), 1.0, end=date(2027, 9, 30)),
        CapacityChange("DATA", date(2028, 1, 1), 8.0),
    )
    p = make_portfolio(one("capacity_change", -1.5, "DATA", date(2027, 7, 1)), changes=changes)
    before = np.array(capacities(p))
    assert before.tolist() == [4, 1, 1, 4, 8, 8, 8, 8]
    after = np.array(capacities(apply_scenario(p, "S")))
    assert after.tolist() == [4, 1, 0, 2.5, 6.5, 6.5, 6.5, 6.5]  # floor at zero in Q3


def test_two_capacity_changes_add_up() -> None:
    s = Scenario(
        "S",
        overrides=(
            ScenarioOverride("capacity_change", "+1", "DATA", date(2027, 4, 1)),
            ScenarioOverride("capacity_change", "+2", "data", date(2028, 1, 1)),
        ),
    )
    assert capacities(apply_scenario(make_portfolio(s), "S")) == [4, 5, 5, 5, 7, 7, 7, 7]


def test_capacity_change_without_date_starts_at_plan_start() -> None:
    assert capacities(add_capacity(make_portfolio(), "WEB", 1.0), "WEB") == [3.0] * 8


def test_capacity_change_unknown_team() -> None:
    with pytest.raises(InputError, match="not a team"):
        apply_scenario(make_portfolio(one("capacity_change", "+1", "NOPE")), "S")


def test_capacity_change_follows_a_horizon_override_in_the_same_scenario() -> None:
    s = Scenario(
        "S",
        overrides=(
            ScenarioOverride("capacity_change", "+1", "DATA"),
            ScenarioOverride("horizon", 12),
        ),
    )
    out = apply_scenario(make_portfolio(s), "S")
    assert out.settings.horizon == 12
    assert capacities(out) == [5.0] * 12


@pytest.mark.parametrize(("value", "rate"), [("10%", 0.10), (0.12, 0.12), (6, 0.06)])
def test_discount_rate(value: float | str, rate: float) -> None:
    out = apply_scenario(make_portfolio(one("discount_rate", value)), "S")
    assert out.settings.discount_rate == pytest.approx(rate)


def test_horizon_must_be_whole() -> None:
    assert apply_scenario(make_portfolio(one("horizon", "16")), "S").settings.horizon == 16
    with pytest.raises(InputError, match="whole number"):
        apply_scenario(make_portfolio(one("horizon", 2.5)), "S")


@pytest.mark.parametrize("kind", list(ObjectiveKind))
def test_objective(kind: ObjectiveKind) -> None:
    out = apply_scenario(make_portfolio(one("objective", kind.value.upper())), "S")
    assert out.settings.objective is kind


def test_objective_unknown() -> None:
    with pytest.raises(InputError, match="not an objective"):
        apply_scenario(make_portfolio(one("objective", "profit")), "S")


def test_force_in_makes_mandatory_and_clears_excluded() -> None:
    out = apply_scenario(make_portfolio(one("force_in", "", "B")), "S")
    b = out.initiative_by_id["B"]
    assert b.mandatory and not b.excluded
    assert out.initiative_by_id["A"] == make_portfolio().initiative_by_id["A"]


def test_force_out_excludes() -> None:
    p = make_portfolio(one("force_out", "", "A, C"))
    p = replace(p, initiatives=tuple(replace(i, mandatory=True) for i in p.initiatives))
    out = apply_scenario(p, "S")
    assert all(out.initiative_by_id[i].excluded for i in ("A", "C"))
    assert not any(out.initiative_by_id[i].mandatory for i in ("A", "C"))


@pytest.mark.parametrize("parameter", ["force_in", "force_out"])
def test_force_needs_a_known_initiative(parameter: str) -> None:
    with pytest.raises(InputError, match="initiative ID"):
        apply_scenario(make_portfolio(one(parameter, "", "")), "S")
    with pytest.raises(InputError, match="'Z'"):
        apply_scenario(make_portfolio(one(parameter, "", "Z")), "S")


def test_benefit_haircut_cuts_both_benefit_kinds() -> None:
    base = make_portfolio()
    out = apply_scenario(make_portfolio(one("benefit_haircut", "20%")), "S")
    for before, after in zip(base.initiatives, out.initiatives, strict=True):
        assert after.benefit_revenue == pytest.approx(before.benefit_revenue * 0.8)
        assert after.benefit_saving == pytest.approx(before.benefit_saving * 0.8)
        assert after.capex == before.capex


def test_benefit_haircut_on_one_initiative() -> None:
    out = apply_scenario(make_portfolio(one("benefit_haircut", 50, "C")), "S")
    assert out.initiative_by_id["C"].annual_benefit == pytest.approx(20.0)
    assert out.initiative_by_id["A"].annual_benefit == pytest.approx(50.0)


def test_benefit_haircut_out_of_range() -> None:
    with pytest.raises(InputError, match="haircut"):
        apply_scenario(make_portfolio(one("benefit_haircut", "150%")), "S")


def test_cost_overrun_grows_capex_and_one_off_opex() -> None:
    base = make_portfolio()
    out = apply_scenario(make_portfolio(one("cost_overrun", 0.15)), "S")
    for before, after in zip(base.initiatives, out.initiatives, strict=True):
        assert after.capex == pytest.approx(before.capex * 1.15)
        assert after.one_off_opex == pytest.approx(before.one_off_opex * 1.15)
        assert after.annual_benefit == before.annual_benefit


def test_overrides_stack_and_base_is_untouched() -> None:
    s = Scenario(
        "S",
        overrides=(ScenarioOverride("budget_scale", 0.9), ScenarioOverride("budget_scale", 0.9)),
    )
    p = make_portfolio(s)
    snapshot = amounts(p)
    assert amounts(apply_scenario(p, "S")) == pytest.approx([a * 0.81 for a in snapshot])
    assert amounts(p) == snapshot


def test_scale_budgets_rejects_negative() -> None:
    with pytest.raises(ValueError):
        scale_budgets(make_portfolio(), -0.5)


def test_scenario_jobs_put_the_base_first() -> None:
    p = make_portfolio(one("horizon", 4), Scenario("T"))
    jobs = scenario_jobs(p)
    assert [name for name, _ in jobs] == [BASE, "S", "T"]
    assert jobs[0][1] is p and jobs[1][1].settings.horizon == 4
    assert [n for n, _ in scenario_jobs(p, ["t"], include_base=False)] == ["T"]


# --- with the optimizer ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic() -> Portfolio:
    from roadmap.testing.synthetic import synthetic_portfolio

    p = synthetic_portfolio(12, 8, 2, seed=5, budget_share=0.4)
    scenarios = (
        Scenario("Same", overrides=(ScenarioOverride("budget_scale", "100%"),)),
        Scenario("Cut", overrides=(ScenarioOverride("budget_scale", "80%"),)),
        Scenario("Haircut", overrides=(ScenarioOverride("benefit_haircut", "30%"),)),
    )
    return replace(p, scenarios=scenarios)


@pytest.fixture(scope="module")
def plans(synthetic: Portfolio):
    from roadmap.analysis.batch import solve_many

    return solve_many(scenario_jobs(synthetic), SolveOptions(gap=0.0, why_not=False), jobs_n=2)


def test_budget_scale_100_percent_gives_the_base_plan(plans) -> None:
    base, same = plans[0], plans[1]
    assert (base.scenario, same.scenario) == (BASE, "Same")
    assert dict(same.starts) == dict(base.starts)
    assert same.report.objective == pytest.approx(base.report.objective)
    assert all(p.report.status is SolveStatus.OPTIMAL for p in plans)
    assert plans[2].report.objective <= base.report.objective + 1e-6  # a cut never helps


def test_scenario_comparison_sheet(plans, tmp_path) -> None:
    from openpyxl import Workbook, load_workbook

    from roadmap.excel.writing import save_atomic
    from roadmap.money.finance import plan_metrics
    from roadmap.report.scenarios import CHANGED_FILL, FIGURES, add_scenario_comparison

    wb = Workbook()
    wb.active.title = "Other"
    add_scenario_comparison(wb, plans)
    save_atomic(wb, tmp_path / "s.xlsx")
    wb = load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames[0] == "Scenarios"
    ws = wb["Scenarios"]
    cells = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    head = cells["Figure"]
    assert [ws.cell(head, c).value for c in range(3, 7)] == [BASE, "Same", "Cut", "Haircut"]
    npv_row = cells["Portfolio NPV"]
    for c, plan in enumerate(plans, start=3):
        cal = Calendar.from_settings(plan.portfolio.settings)
        want = plan_metrics(plan.portfolio, plan.starts, cal).npv
        assert ws.cell(npv_row, c).value == pytest.approx(want)
        assert ws.cell(cells["Initiatives selected"], c).value == len(plan.starts)
    assert set(FIGURES) <= set(cells)
    # the start matrix: one row per initiative selected anywhere, highlighted where != base
    top = cells["ID"]
    ids = {p for plan in plans for p in plan.starts}
    rows = range(top + 1, top + 1 + len(ids))
    assert {ws.cell(r, 1).value for r in rows} == ids
    base_cal = Calendar.from_settings(plans[0].portfolio.settings)
    for r in rows:
        iid = ws.cell(r, 1).value
        base_label = base_cal.label(plans[0].starts[iid]) if iid in plans[0].starts else None
        assert ws.cell(r, 3).value == base_label
        for c in range(4, 3 + len(plans)):
            differs = ws.cell(r, c).value != base_label
            highlighted = ws.cell(r, c).fill.fgColor.rgb.endswith(CHANGED_FILL.fgColor.rgb[-6:])
            assert differs == highlighted


def test_work_in_progress_and_done_stay_where_they_are(synthetic: Portfolio) -> None:
    """Re-planning: lock what the first plan started early, change the case, solve again."""
    from roadmap.domain import Status
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.optimize.plan_check import check_plan

    cal = Calendar.from_settings(synthetic.settings)
    first = solve_plan(synthetic, SolveOptions(gap=0.0, threads=1, why_not=False))
    early = {
        i: t
        for i, t in first.starts.items()
        if t <= 1 and synthetic.initiative_by_id[i].status is Status.PROPOSED
    }
    assert early, "the first plan starts nothing early: the test would prove nothing"
    locked = tuple(
        replace(i, status=Status.IN_PROGRESS, actual_start=cal.start(early[i.id]))
        if i.id in early
        else i
        for i in synthetic.initiatives
    )
    haircut = Scenario("H", overrides=(ScenarioOverride("benefit_haircut", "60%"),))
    again = apply_scenario(replace(synthetic, initiatives=locked, scenarios=(haircut,)), "H")
    second = solve_plan(again, SolveOptions(gap=0.0, threads=1, why_not=False))
    assert second.report.status.has_plan
    for i in again.initiatives:
        if i.status is Status.IN_PROGRESS:
            assert second.starts[i.id] == cal.period_of(i.actual_start)
        if i.status is Status.DONE:
            assert i.id not in second.starts
    assert {i: second.starts[i] for i in early} == early
    assert not check_plan(again, second.starts)


def test_split_paths_are_safe_and_distinct(tmp_path) -> None:
    from roadmap.report.scenarios import split_paths

    paths = split_paths(
        tmp_path / "plan.xlsx", ["Base", "Budget cut 20%", "budget CUT 20 %", "../x", "é"]
    )
    assert [p.name for p in paths] == [
        "plan-base.xlsx",
        "plan-budget-cut-20.xlsx",
        "plan-budget-cut-20-2.xlsx",
        "plan-x.xlsx",
        "plan-scenario.xlsx",
    ]
    assert all(p.parent == tmp_path for p in paths)


def test_a_discount_rate_scenario_moves_hurdle_rates_by_the_same_points() -> None:
    from roadmap.money.finance import cash_flows, initiative_metrics

    p = make_portfolio(one("discount_rate", 0.12))
    hurdle = replace(p.initiatives[0], hurdle_rate=0.15, useful_life=3.0)
    p = replace(p, initiatives=(hurdle, *p.initiatives[1:]))
    out = apply_scenario(p, "S")
    a = out.initiative_by_id["A"]
    assert out.settings.discount_rate == pytest.approx(0.12)
    assert a.hurdle_rate == pytest.approx(0.15 + (0.12 - p.settings.discount_rate))
    assert out.initiative_by_id["C"].hurdle_rate is None
    # the scenario's NPV of A is its base case at the moved hurdle, recomputed by hand
    cal = Calendar.from_settings(out.settings)
    m = initiative_metrics(out, "A", cal, 0)
    flows = cash_flows(a, 0, cal, out.settings, out)
    times, amounts = flows.moments()
    r = a.hurdle_rate
    assert m.npv == pytest.approx(float(np.sum(amounts * (1 + r) ** -(times / 4))), abs=1e-9)


def test_delay_moves_earliest_starts_of_proposed_work_and_the_solver_follows() -> None:
    from roadmap.domain import Status
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.optimize.windows import start_windows

    p = make_portfolio(one("delay", "2", target="A, C"))
    inis = list(p.initiatives)
    inis[2] = replace(inis[2], earliest_start=date(2027, 4, 1))
    p = replace(p, initiatives=tuple(inis))
    delayed = apply_scenario(p, "S")
    by_id = delayed.initiative_by_id
    assert by_id["A"].earliest_start == date(2027, 7, 1)  # plan start + 2 quarters
    assert by_id["C"].earliest_start == date(2027, 10, 1)  # its own Q2 + 2 quarters
    cal = Calendar.from_settings(delayed.settings)
    windows = start_windows(delayed, cal)
    assert windows["A"].earliest == 2 and windows["C"].earliest == 3
    plan = solve_plan(replace(delayed, budgets=()), SolveOptions(time_limit=30, why_not=False))
    assert plan.report.status is SolveStatus.OPTIMAL
    assert all(t >= windows[i].earliest for i, t in plan.starts.items())
    # all proposed work by default; work in progress keeps its actual start
    under_way = replace(p.initiatives[0], status=Status.IN_PROGRESS, actual_start=date(2026, 10, 1))
    q = replace(p, initiatives=(under_way, *p.initiatives[1:]), scenarios=(one("delay", 1),))
    moved = apply_scenario(q, "S").initiative_by_id
    assert moved["A"].earliest_start is None and moved["C"].earliest_start == date(2027, 7, 1)


@pytest.mark.parametrize("value", ["0", "1.5", "soon"])
def test_delay_needs_whole_periods(value: str) -> None:
    p = make_portfolio(one("delay", value))
    with pytest.raises(InputError) as caught:
        apply_scenario(p, "S")
    assert "row 7" in str(caught.value) or caught.value.findings[0].row == 7
