"""Every business rule, one mutation of a clean portfolio at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import valid_tables, write_workbook

from roadmap.domain import (
    BudgetLimit,
    Capability,
    CapacityChange,
    Criterion,
    Dependency,
    Initiative,
    Lift,
    Pairwise,
    Portfolio,
    Scenario,
    ScenarioOverride,
    Score,
    Settings,
    Severity,
    Staffing,
    Status,
    System,
    Team,
)
from roadmap.input.docs import rules_markdown, schema_markdown
from roadmap.input.reader import read_workbook
from roadmap.input.rules import RULES
from roadmap.input.schema import SHEETS
from roadmap.input.validate import find_cycles, has_errors, validate


def base() -> Portfolio:
    return Portfolio(
        settings=Settings(plan_start=date(2027, 1, 1), horizon=8),
        capabilities=(
            Capability("CAP-01", "Customer data", current=2, target=4, row=2),
            Capability("CAP-02", "Checkout", current=3, target=3, row=3),
        ),
        initiatives=(
            Initiative(
                "INI-01",
                "CDP",
                accountable_team="DATA",
                duration=2,
                capex=1e5,
                lifts=(Lift("CAP-01", 1),),
                funding_pool="IT",
                row=2,
            ),
            Initiative(
                "INI-02",
                "Personalisation",
                duration=3,
                lifts=(Lift("CAP-01", 1),),
                retires=("SYS-01",),
                row=3,
            ),
            Initiative("INI-03", "Campaigns", duration=1, row=4),
        ),
        dependencies=(Dependency("INI-01", "INI-02", row=2),),
        teams=(Team("DATA", capacity=4, row=2), Team("MKT", capacity=2, row=3)),
        staffing=(
            Staffing("INI-01", "DATA", 2, row=2),
            Staffing("INI-02", "DATA", 1, row=3),
            Staffing("INI-03", "MKT", 1, row=4),
        ),
        budgets=(
            BudgetLimit(1e6, fiscal_year=2027, row=2),
            BudgetLimit(8e5, fiscal_year=2028, pool="IT", row=3),
        ),
        systems=(System("SYS-01", run_cost=5e4, row=2),),
        criteria=(Criterion("FIT", weight=60, row=2), Criterion("RISK", weight=40, row=3)),
        scores=(
            Score("INI-01", "FIT", 8, row=2),
            Score("INI-01", "RISK", 3, row=2),
            Score("INI-02", "FIT", 6, row=3),
            Score("INI-02", "RISK", 5, row=3),
            Score("INI-03", "FIT", 4, row=4),
            Score("INI-03", "RISK", 2, row=4),
        ),
        scenarios=(Scenario("Cut", overrides=(ScenarioOverride("budget_scale", 0.8, row=2),)),),
    )


def with_initiative(p: Portfolio, k: int, **changes: object) -> Portfolio:
    inits = list(p.initiatives)
    inits[k] = replace(inits[k], **changes)  # type: ignore[arg-type]
    return replace(p, initiatives=tuple(inits))


def found(p: Portfolio) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in validate(p):
        out.setdefault(f.code, []).append(f)
    return out


def only(p: Portfolio, code: str, severity: Severity = Severity.ERROR) -> list:
    """The findings of ``p``, which must all carry ``code`` and ``severity``."""
    got = found(p)
    assert set(got) == {code}, {c: [str(f) for f in fs] for c, fs in got.items()}
    assert all(f.severity is severity for f in got[code])
    assert all(f.fix for f in got[code])
    return got[code]


def test_base_is_clean() -> None:
    assert validate(base()) == []


def test_negative_money_and_fte() -> None:
    (f,) = only(with_initiative(base(), 0, capex=-5.0), "negative-money")
    assert f.location == "Initiatives!G2"
    p = base()
    p = replace(p, staffing=(replace(p.staffing[0], fte=-1.0), *p.staffing[1:]))
    assert only(p, "negative-fte")[0].location == "Staffing!C2"


def test_duration_below_one() -> None:
    assert only(with_initiative(base(), 2, duration=0), "duration-too-short")[0].column == "F"


def test_maturity_outside_one_to_five() -> None:
    p = base()
    p = replace(p, capabilities=(replace(p.capabilities[0], target=6), p.capabilities[1]))
    (f,) = only(p, "maturity-out-of-range")
    assert f.location == "Capabilities!E2"


def test_settings_out_of_range_point_at_the_value_cell() -> None:
    p = replace(base(), settings=replace(base().settings, horizon=0))
    (f,) = only(p, "out-of-range")
    assert f.location == "Settings!B4"


def test_duplicate_ids() -> None:
    p = base()
    p = replace(p, teams=(*p.teams, Team("DATA", capacity=1, row=4)))
    (f,) = only(p, "duplicate-id")
    assert f.location == "Teams!A4" and "row 2" in f.message


@pytest.mark.parametrize(
    "mutate",
    [
        lambda p: with_initiative(p, 0, lifts=(Lift("CAP-99", 1),)),
        lambda p: with_initiative(p, 0, accountable_team="NOPE"),
        lambda p: with_initiative(p, 1, retires=("SYS-99",)),
        lambda p: replace(p, staffing=(*p.staffing, Staffing("INI-03", "GHOST", 1, row=5))),
        lambda p: replace(p, staffing=(*p.staffing, Staffing("INI-99", "DATA", 1, row=5))),
        lambda p: replace(p, dependencies=(Dependency("INI-01", "INI-77", row=2),)),
        lambda p: replace(p, capacity_changes=(CapacityChange("X", date(2027, 4, 1), 3, row=2),)),
        lambda p: replace(p, scores=(*p.scores, Score("INI-99", "FIT", 5, row=3))),
        lambda p: replace(p, scores=(*p.scores, Score("INI-02", "COST", 5, row=3))),
    ],
)
def test_unknown_references(mutate) -> None:  # type: ignore[no-untyped-def]
    (f,) = only(mutate(base()), "unknown-reference")
    assert f.row is not None


def test_budget_pool_not_used_is_a_warning() -> None:
    p = replace(
        base(), budgets=(*base().budgets, BudgetLimit(1, fiscal_year=2027, pool="MKTG", row=4))
    )
    assert only(p, "unused-pool", Severity.WARNING)[0].row == 4


def test_dependency_cycle_is_printed_as_a_path() -> None:
    p = replace(
        base(),
        dependencies=(
            Dependency("INI-01", "INI-02", row=2),
            Dependency("INI-02", "INI-03", row=3),
            Dependency("INI-03", "INI-01", row=4),
        ),
    )
    (f,) = only(p, "dependency-cycle")
    assert "INI-01 → INI-02 → INI-03 → INI-01" in f.message


def test_find_cycles_self_loop_and_acyclic() -> None:
    assert find_cycles([("A", "A")]) == [["A", "A"]]
    assert find_cycles([("A", "B"), ("B", "C"), ("A", "C")]) == []
    assert len(find_cycles([("A", "B"), ("B", "A"), ("C", "D"), ("D", "C")])) == 2


def test_window_inverted_and_too_short() -> None:
    p = with_initiative(base(), 2, earliest_start=date(2027, 7, 1), must_finish_by=date(2027, 3, 1))
    assert only(p, "window-inverted")[0].column == "O"
    p = with_initiative(
        base(), 1, earliest_start=date(2027, 1, 1), must_finish_by=date(2027, 5, 1)
    )  # needs 3 quarters, has 2
    assert only(p, "window-too-short")[0].column == "P"


def test_mandatory_longer_than_horizon_and_window_outside() -> None:
    assert only(with_initiative(base(), 2, duration=9, mandatory=True), "mandatory-too-long")
    p = with_initiative(base(), 2, mandatory=True, earliest_start=date(2030, 1, 1))
    assert only(p, "mandatory-window")


def test_mandatory_chain_that_cannot_fit() -> None:
    # INI-02 (3 periods) must follow INI-01 (2 periods) and finish by the end of Q2 2027.
    p = with_initiative(base(), 1, mandatory=True, must_finish_by=date(2027, 6, 30))
    assert only(p, "mandatory-window")


def test_mandatory_and_excluded() -> None:
    assert only(with_initiative(base(), 2, mandatory=True, excluded=True), "mandatory-and-excluded")


def test_two_mandatory_alternatives() -> None:
    p = with_initiative(base(), 0, mandatory=True, alternative_group="G")
    p = with_initiative(p, 2, mandatory=True, alternative_group="G")
    assert "INI-01, INI-03" in only(p, "mandatory-alternatives")[0].message


def test_bundle_with_mandatory_and_excluded() -> None:
    p = with_initiative(base(), 0, mandatory=True, bundle="B")
    p = with_initiative(p, 2, excluded=True, bundle="B")
    assert only(p, "bundle-conflict")[0].row == 4


def test_staffing_on_a_team_without_capacity() -> None:
    p = replace(base(), teams=(base().teams[0], Team("MKT", capacity=0, row=3)))
    assert only(p, "zero-capacity-team")[0].location == "Staffing!B4"
    grown = replace(p, capacity_changes=(CapacityChange("MKT", date(2027, 7, 1), 2, row=2),))
    assert validate(grown) == []


def test_in_progress_needs_an_actual_start_before_the_plan() -> None:
    p = with_initiative(base(), 2, status=Status.IN_PROGRESS)
    assert only(p, "missing-actual-start")[0].column == "T"
    p = with_initiative(base(), 2, status=Status.IN_PROGRESS, actual_start=date(2027, 2, 1))
    assert only(p, "actual-start-after-plan-start")
    p = with_initiative(base(), 2, status=Status.IN_PROGRESS, actual_start=date(2026, 12, 1))
    assert validate(p) == []


def test_done_successor_of_open_work_warns() -> None:
    p = with_initiative(base(), 1, status=Status.DONE)
    assert only(p, "done-after-open", Severity.WARNING)


def test_system_retired_twice() -> None:
    p = with_initiative(base(), 2, retires=("SYS-01",))
    assert only(p, "system-retired-twice")[0].row == 4
    p = with_initiative(p, 1, alternative_group="G")
    p = with_initiative(p, 2, alternative_group="G")
    assert validate(p) == []


def test_target_below_current_and_lifts_past_five() -> None:
    p = base()
    caps = (replace(p.capabilities[0], current=4, target=3), p.capabilities[1])
    got = found(replace(p, capabilities=caps))
    assert set(got) == {"target-below-current", "lift-beyond-5"}
    assert all(f.severity is Severity.WARNING for fs in got.values() for f in fs)


def test_weights_blank_without_pairwise() -> None:
    p = base()
    p = replace(p, criteria=tuple(replace(c, weight=None) for c in p.criteria))
    assert "FIT, RISK" in only(p, "no-criteria-weights")[0].message
    ok = replace(p, pairwise=Pairwise(("FIT", "RISK"), ((1, 3), (1 / 3, 1))))
    assert validate(ok) == []
    partly = replace(p, criteria=(replace(p.criteria[0], weight=1.0), p.criteria[1]))
    assert "RISK" in only(partly, "blank-criteria-weights", Severity.WARNING)[0].message


def test_pairwise_not_reciprocal_names_the_cell() -> None:
    p = replace(base(), pairwise=Pairwise(("FIT", "RISK"), ((1, 3), (3, 1))))
    (f,) = only(p, "pairwise-not-reciprocal")
    assert f.column == "B"  # default layout: criterion ids from column B on


def test_budget_needs_exactly_one_of_period_and_year() -> None:
    both = BudgetLimit(1, period=date(2027, 1, 1), fiscal_year=2027, row=4)
    neither = BudgetLimit(1, row=5)
    p = replace(base(), budgets=(*base().budgets, both, neither))
    assert [f.row for f in only(p, "budget-period-or-year")] == [4, 5]


def test_budget_outside_horizon_warns() -> None:
    p = replace(
        base(),
        budgets=(
            *base().budgets,
            BudgetLimit(1, period=date(2031, 1, 1), row=4),
            BudgetLimit(1, fiscal_year=2040, row=5),
        ),
    )
    assert len(only(p, "budget-outside-horizon", Severity.WARNING)) == 2


@pytest.mark.parametrize(
    ("override", "code"),
    [
        (ScenarioOverride("budget_scale", "eighty", row=3), "scenario-bad-value"),
        (ScenarioOverride("horizon", 2.5, row=3), "scenario-bad-value"),
        (ScenarioOverride("objective", "profit", row=3), "scenario-bad-value"),
        (ScenarioOverride("force_in", "", target="INI-99", row=3), "scenario-unknown-target"),
        (ScenarioOverride("capacity_change", 2.0, target="", row=3), "scenario-unknown-target"),
        (ScenarioOverride("budget_scale", 0.9, target="NOPOOL", row=3), "scenario-unknown-target"),
        (ScenarioOverride("discount_rate", "-5%", row=3), "scenario-bad-value"),  # as Settings
    ],
)
def test_scenario_overrides(override: ScenarioOverride, code: str) -> None:
    p = replace(base(), scenarios=(Scenario("S", overrides=(override,)),))
    assert only(p, code)[0].row == 3


def test_scenario_targets_that_exist_pass() -> None:
    overrides = (
        ScenarioOverride("budget_scale", 0.9, target="2028"),
        ScenarioOverride("budget_scale", 0.9, target="IT"),
        ScenarioOverride("capacity_change", -1.0, target="DATA"),
        ScenarioOverride("objective", "score"),
        ScenarioOverride("force_out", "", target="INI-03"),
    )
    assert validate(replace(base(), scenarios=(Scenario("S", overrides=overrides),))) == []


def test_probability_zero_warns() -> None:
    assert only(with_initiative(base(), 2, probability=0.0), "zero-probability", Severity.WARNING)


def test_useful_life_shorter_than_one_period_is_an_error() -> None:
    # quarters: 0.1 year is 0.4 of a period and would round to no live period at all
    (f,) = only(
        with_initiative(base(), 2, useful_life=0.1), "useful-life-too-short", Severity.ERROR
    )
    assert f.location == "Initiatives!M4" and "0.25" in f.fix


def test_useful_life_not_a_whole_number_of_periods_is_rounded_and_said() -> None:
    (f,) = only(
        with_initiative(base(), 2, useful_life=1.1), "useful-life-rounded", Severity.WARNING
    )
    assert "4.4 quarters" in f.message and "counted as 4" in f.message


def test_cash_flows_rows_are_checked_cell_by_cell(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Cash flows"] = [
        {"initiative": "INI-03", "category": "benefit", "year": 1, "amount": 100},  # fine
        {"initiative": "INI-09", "category": "benefit", "year": 1, "amount": 100},
        {"initiative": "INI-03", "category": "capex", "year": 1, "period": 2, "amount": 5},
        {"initiative": "INI-03", "category": "run cost", "amount": 5},
        {"initiative": "INI-03", "category": "capex", "year": 2, "amount": -5},
        {"initiative": "INI-03", "category": "other", "year": 3, "amount": -5},  # fine
        {"initiative": "INI-03", "category": "refund", "year": 3, "amount": 5},
    ]
    _, findings = read_workbook(write_workbook(tmp_path / "cf.xlsx", tables, settings))
    got = {(f.code, f.location) for f in findings}
    assert got == {
        ("unknown-reference", "Cash flows!A3"),
        ("cash-flow-year-or-period", "Cash flows!C4"),
        ("cash-flow-year-or-period", "Cash flows!C5"),
        ("negative-cash-flow", "Cash flows!G6"),  # Amount: after Year, Period, Date, Counted from
        ("wrong-type", "Cash flows!B8"),
        ("cash-flows-replace-columns", "Initiatives!H4"),
    }, sorted(got)
    replaced = next(f for f in findings if f.code == "cash-flows-replace-columns")
    assert replaced.severity is Severity.WARNING
    assert "One-off opex, Cost saving per year" in replaced.message


def test_gap_no_initiative_addresses() -> None:
    p = with_initiative(base(), 0, lifts=())
    p = with_initiative(p, 1, lifts=())
    assert only(p, "unaddressed-gap", Severity.WARNING)[0].row == 2


def test_score_outside_the_scale_warns_and_empty_target_sheet_is_said_once() -> None:
    scores = (Score("INI-01", "FIT", 11, row=2), *base().scores[1:])
    p = replace(base(), scores=scores)
    assert only(p, "score-out-of-scale", Severity.WARNING)[0].column is None  # default layout
    (f,) = only(replace(base(), systems=()), "missing-target-sheet")
    assert "Systems" in f.message


def test_every_rule_has_a_test_and_documentation() -> None:
    tests = "".join(
        (Path(__file__).parent / name).read_text()
        for name in (
            "test_validate.py",
            "test_reader.py",
            "test_reader_fidelity.py",
            "test_cells.py",
            "test_input_bounds.py",
        )
    )
    untested = [code for code in RULES if f'"{code}"' not in tests]
    assert untested == []
    text = rules_markdown()
    assert all(f"`{code}`" in text for code in RULES)


def test_schema_markdown_lists_every_sheet_and_column() -> None:
    text = schema_markdown()
    for sheet in SHEETS:
        assert f"### {sheet.name}" in text
        for column in sheet.columns:
            assert f"| {column.header} |" in text
    assert "| Probability of success | percent |  |  | 100% | 0–100% |" in text


def test_unstaffed_initiative_and_idle_team() -> None:
    p = replace(base(), staffing=base().staffing[:2])
    got = found(p)
    assert set(got) == {"no-staffing", "idle-team"}


def test_no_initiatives() -> None:
    p = replace(base(), initiatives=(), dependencies=(), staffing=(), scores=(), budgets=())
    assert "no-initiatives" in found(p)


def test_strict_makes_warnings_errors() -> None:
    p = with_initiative(base(), 2, probability=0.0)
    assert not has_errors(validate(p))
    assert has_errors(validate(p, strict=True))


def test_findings_from_a_workbook_point_at_its_real_columns(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Dependencies"].append({"predecessor": "INI-02", "successor": "INI-01"})
    path = write_workbook(tmp_path / "cycle.xlsx", tables, settings)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["Dependencies"].insert_cols(1)
    wb["Dependencies"]["A1"] = "Comment"
    wb.save(path)
    _, findings = read_workbook(path)
    cycle = [f for f in findings if f.code == "dependency-cycle"]
    assert len(cycle) == 1 and cycle[0].column == "B"  # Predecessor moved from A to B


def test_cli_exit_codes_and_output(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from roadmap.cli import cli

    runner = CliRunner()
    tables, settings = valid_tables()
    clean = write_workbook(tmp_path / "clean.xlsx", tables, settings)
    result = runner.invoke(cli, ["validate", str(clean)])
    assert result.exit_code == 0 and "is valid" in result.output

    tables["Teams"].append({"id": "IDLE", "capacity": 1})
    warned = write_workbook(tmp_path / "warned.xlsx", tables, settings)
    result = runner.invoke(cli, ["validate", str(warned)])
    assert result.exit_code == 0 and "Teams!D4" in result.output
    result = runner.invoke(cli, ["validate", str(warned), "--strict"])
    assert result.exit_code == 2 and "--strict" in result.output

    tables["Initiatives"][0]["duration"] = 0
    broken = write_workbook(tmp_path / "broken.xlsx", tables, settings)
    result = runner.invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 2
    assert "Initiatives!F2" in result.output and "1 error(s), 1 warning(s)" in result.output

    result = runner.invoke(cli, ["validate", str(tmp_path / "missing.xlsx")])
    assert result.exit_code == 2 and "not found" in result.output


def test_dated_cash_flows_rows_are_checked_cell_by_cell(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    settings = {**settings, "evaluation_window": "horizon"}
    start = settings["plan_start"]
    tables["Cash flows"] = [
        {"initiative": "INI-03", "category": "benefit", "flow_date": start, "amount": 1},  # fine
        {"initiative": "INI-03", "category": "capex", "flow_date": start, "period": 2, "amount": 5},
        {"initiative": "INI-03", "category": "capex", "flow_date": "1990-01-01", "amount": 5},
        {"initiative": "INI-03", "category": "capex", "flow_date": "2199-01-01", "amount": 5},
        {"initiative": "INI-03", "category": "capex", "flow_date": start, "amount": 5,
         "counted_from": "go-live"},
    ]  # fmt: skip
    _, findings = read_workbook(write_workbook(tmp_path / "dated.xlsx", tables, settings))
    got = {(f.code, f.location) for f in findings if f.location.startswith("Cash flows")}
    assert got == {
        ("cash-flow-date-and-year", "Cash flows!E3"),
        ("cash-flow-date-before-start", "Cash flows!E4"),
        ("cash-flow-date-after-plan", "Cash flows!E5"),
        ("cash-flow-date-counted-from", "Cash flows!F6"),
    }, sorted(got)


def test_a_discount_rate_scenario_says_the_hurdle_rates_move_with_it() -> None:
    from roadmap.domain import Scenario, ScenarioOverride

    p = with_initiative(base(), 0, hurdle_rate=0.15)
    scenario = Scenario("Dear money", overrides=(ScenarioOverride("discount_rate", 0.10, row=5),))
    p = replace(p, scenarios=(scenario,))  # base discount rate 8 %: +2 points
    (f,) = only(p, "scenario-moves-hurdles", Severity.WARNING)
    assert f.location.startswith("Scenarios!") and f.location.endswith("5")
    assert "+2.00 points" in f.message and "15.00% → 17.00%" in f.message


# ---------------------------------------------------------------- risk inputs


def test_uncertainty_ranges_in_order_pass_and_blanks_take_the_plan_value() -> None:
    from roadmap.domain import Estimate

    p = replace(
        base(),
        estimates=(
            Estimate("INI-01", cost_low=0.9, cost_high=1.4, duration_high=4, row=2),
            Estimate("INI-02", benefit_low=0.5, benefit_likely=0.8, row=3),
        ),
    )
    assert validate(p) == validate(base())


def test_uncertainty_range_out_of_order_names_the_cell() -> None:
    from roadmap.domain import Estimate

    p = replace(base(), estimates=(Estimate("INI-01", cost_low=1.2, cost_high=1.5, row=5),))
    (f,) = only(p, "range-not-ordered")
    assert (f.row, f.column) == (5, "B")  # Cost low, the cell above the likely 100 %
    assert "120%" in f.message and "100%" in f.message
    # a high below the Initiatives duration (2 periods, the blank likely)
    p = replace(base(), estimates=(Estimate("INI-01", duration_high=1, row=6),))
    (f,) = only(p, "range-not-ordered")
    assert (f.row, f.column) == (6, "J")


def test_uncertainty_unknown_and_repeated_initiative() -> None:
    from roadmap.domain import Estimate

    p = replace(base(), estimates=(Estimate("INI-99", row=2),))
    assert only(p, "unknown-reference")[0].location == "Uncertainty!A2"
    p = replace(base(), estimates=(Estimate("INI-01", row=2), Estimate("INI-01", row=3)))
    assert only(p, "duplicate-id")[0].location == "Uncertainty!A3"


def test_risk_events_hit_something_known_and_change_something() -> None:
    from roadmap.domain import RiskEvent

    p = replace(base(), risks=(RiskEvent("Vendor late", 0.3, row=2, delay=1),))
    assert only(p, "risk-hits-nothing")[0].location == "Risks!C2"
    p = replace(base(), risks=(RiskEvent("Vendor late", 0.3, ("INI-07",), delay=1, row=3),))
    assert only(p, "unknown-reference")[0].location == "Risks!C3"
    p = replace(
        base(), risks=(RiskEvent("Vendor late", 0.3, owner_function="Legal", delay=1, row=4),)
    )
    assert only(p, "risk-unknown-function")[0].location == "Risks!D4"
    p = replace(base(), risks=(RiskEvent("Nothing", 0.3, ("INI-01",), row=5),))
    assert only(p, "risk-no-impact", Severity.WARNING)[0].location == "Risks!E5"
    p = replace(base(), risks=(RiskEvent("Certain", 1.5, ("INI-01",), delay=1, row=6),))
    assert only(p, "out-of-range")[0].location == "Risks!B6"


def test_risk_event_owner_function_matches_in_any_case() -> None:
    from roadmap.domain import RiskEvent

    p = with_initiative(base(), 0, owner_function="Marketing")
    event = RiskEvent("Agency change", 0.5, owner_function=" marketing", cost_impact=0.1, row=2)
    assert validate(replace(p, risks=(event,))) == validate(p)
    assert event.hits(p.initiatives[0]) and not event.hits(p.initiatives[1])


def test_rag_thresholds_amber_before_red(tmp_path: Path) -> None:
    """The status report's thresholds: an amber slip or overrun above the red one is an error
    naming the Settings cell; equal thresholds are fine (amber is then never shown)."""
    tables, settings = valid_tables()
    settings.update({"rag_amber_slip": 12, "rag_red_slip": 10, "rag_amber_overrun": 0.05,
                     "rag_red_overrun": 0.05})  # fmt: skip
    portfolio, findings = read_workbook(write_workbook(tmp_path / "rag.xlsx", tables, settings))
    assert portfolio is not None
    (f,) = [f for f in findings if f.code == "rag-thresholds-order"]
    assert f.severity is Severity.ERROR
    assert "amber slip (12 working days) is above RAG red slip (10 working days)" in f.message
    assert f.location.startswith("Settings!B")
    assert (portfolio.settings.rag_amber_slip, portfolio.settings.rag_red_overrun) == (12, 0.05)


def test_lifts_of_alternatives_are_not_added_up() -> None:
    # three alternatives lifting CAP-01 by 2 each: one plan lifts it by 2 at most (2 + 2 <= 5)
    p = base()
    p = with_initiative(p, 0, lifts=(Lift("CAP-01", 2),), alternative_group="G")
    p = with_initiative(p, 1, lifts=(Lift("CAP-01", 2),), alternative_group="G")
    p = with_initiative(p, 2, lifts=(Lift("CAP-01", 2),), alternative_group="G")
    p = replace(p, dependencies=())
    assert "lift-beyond-5" not in found(p)
    # plus an initiative outside the group: 2 (current) + 2 (group) + 2 > 5
    extra = Initiative("INI-04", "More", duration=1, lifts=(Lift("CAP-01", 2),), row=5)
    more = replace(p, initiatives=(*p.initiatives, extra), scores=())
    (f,) = [f for f in validate(more) if f.code == "lift-beyond-5"]
    assert "(4)" in f.message


def test_score_gaps_are_listed_per_initiative() -> None:
    p = replace(base(), scores=base().scores[:3])  # INI-02 lacks RISK, INI-03 has none
    got = only(p, "score-missing", Severity.WARNING)
    assert [(f.sheet, f.row) for f in got] == [("Scores", 3), ("Initiatives", 4)]
    assert "INI-02 has no score for RISK" in got[0].message
    assert "INI-03 has no score for FIT, RISK" in got[1].message


def test_pairwise_inconsistent_or_incomplete_and_zero_weights_warn() -> None:
    crits = (Criterion("A", row=2), Criterion("B", row=3), Criterion("C", row=4))
    scores = tuple(Score(i, c, 5, row=k) for k, i in enumerate(("INI-01", "INI-02", "INI-03"), 2)
                   for c in ("A", "B", "C"))  # fmt: skip
    # A > B (9), B > C (9), yet C > A (9): contradictory
    bad = Pairwise(("A", "B", "C"), ((1, 9, 1 / 9), (1 / 9, 1, 9), (9, 1 / 9, 1)))
    p = replace(base(), criteria=crits, scores=scores, pairwise=bad)
    (f,) = only(p, "pairwise-inconsistent", Severity.WARNING)
    assert "consistency ratio" in f.message
    two = Pairwise(("A", "B"), ((1, 3), (1 / 3, 1)))
    (g,) = only(replace(p, pairwise=two), "pairwise-missing-criteria", Severity.WARNING)
    assert "C" in g.message
    zero = tuple(replace(c, weight=0.0) for c in base().criteria)
    only(replace(base(), criteria=zero), "criteria-weights-zero", Severity.WARNING)


def test_a_temporary_capacity_change_must_end_after_it_starts() -> None:
    from roadmap.domain import CapacityChange

    dip = CapacityChange("DATA", date(2027, 10, 1), 2.0, end=date(2027, 12, 31), row=2)
    assert validate(replace(base(), capacity_changes=(dip,))) == []
    backwards = replace(dip, end=date(2027, 9, 30), row=3)
    (f,) = only(replace(base(), capacity_changes=(backwards,)), "capacity-change-ends-first")
    assert f.row == 3 and "2027-09-30" in f.message


def test_a_temporary_dip_returns_to_the_capacity_before_it() -> None:
    from roadmap.domain import CapacityChange
    from roadmap.money.calendar import Calendar
    from roadmap.optimize.limits import team_capacity

    hire = CapacityChange("DATA", date(2027, 4, 1), 6.0)
    dip = CapacityChange("DATA", date(2027, 10, 1), 2.0, end=date(2027, 12, 31))
    p = replace(base(), capacity_changes=(hire, dip))
    row = team_capacity(p, Calendar.from_settings(p.settings))[0]
    assert list(row) == [4, 6, 6, 2, 6, 6, 6, 6]


def test_a_change_freeze_must_end_after_it_starts() -> None:
    from roadmap.domain import Blackout

    freeze = Blackout(date(2027, 12, 1), date(2028, 1, 10), row=2)
    assert validate(replace(base(), blackouts=(freeze,))) == []
    backwards = Blackout(date(2027, 12, 1), date(2027, 11, 1), row=3)
    (f,) = only(replace(base(), blackouts=(backwards,)), "freeze-ends-first")
    assert f.row == 3 and f.sheet == "Calendar"


def test_a_group_dependency_cannot_point_into_its_own_group() -> None:
    from roadmap.domain import GroupDependency

    p = with_initiative(base(), 0, alternative_group="G")
    p = with_initiative(p, 2, alternative_group="G")
    assert validate(replace(p, group_dependencies=(GroupDependency("G", "INI-02"),))) == []
    bad = replace(p, group_dependencies=(GroupDependency("G", "INI-03", row=4),))
    (f,) = only(bad, "group-dependency-member")
    assert f.row == 4 and "INI-03" in f.message
