from datetime import date

from roadmap.domain import Dependency, Initiative, Portfolio, Settings, Status
from roadmap.money.calendar import Calendar
from roadmap.optimize.windows import Window, required_ids, start_windows, topological_order

SETTINGS = Settings(plan_start=date(2027, 1, 1), horizon=8)
CAL = Calendar.from_settings(SETTINGS)


def portfolio(*initiatives: Initiative, deps: tuple[Dependency, ...] = ()) -> Portfolio:
    return Portfolio(settings=SETTINGS, initiatives=initiatives, dependencies=deps)


def test_proposed_must_finish_within_horizon() -> None:
    w = start_windows(portfolio(Initiative("A", "A", duration=3)), CAL)["A"]
    assert w == Window(0, 5)
    assert list(w.periods()) == [0, 1, 2, 3, 4, 5]
    assert 5 in w and 6 not in w


def test_earliest_start_and_must_finish_by() -> None:
    ini = Initiative(
        "A", "A", duration=2, earliest_start=date(2027, 5, 10), must_finish_by=date(2028, 2, 1)
    )
    w = start_windows(portfolio(ini), CAL)["A"]
    # earliest in 2027-Q2 (period 1); go-live at end of 2028-Q1 (period 4) at the latest
    assert (w.earliest, w.latest) == (1, 3)


def test_earliest_start_before_plan_is_clipped_to_zero() -> None:
    ini = Initiative("A", "A", earliest_start=date(2025, 1, 1))
    assert start_windows(portfolio(ini), CAL)["A"].earliest == 0


def test_predecessor_chain_pushes_earliest_with_lags() -> None:
    p = portfolio(
        Initiative("A", "A", duration=2, earliest_start=date(2027, 4, 1)),
        Initiative("B", "B", duration=1),
        Initiative("C", "C", duration=1),
        deps=(Dependency("A", "B", lag=1), Dependency("B", "C"), Dependency("A", "C")),
    )
    w = start_windows(p, CAL)
    assert w["A"].earliest == 1
    assert w["B"].earliest == 1 + 2 + 1
    assert w["C"].earliest == 4 + 1


def test_done_predecessor_counts_as_finished_and_in_progress_pins() -> None:
    p = portfolio(
        Initiative("D", "D", duration=4, status=Status.DONE),
        Initiative("P", "P", duration=3, status=Status.IN_PROGRESS, actual_start=date(2026, 7, 1)),
        Initiative("S", "S", duration=1),
        deps=(Dependency("D", "S"), Dependency("P", "S")),
    )
    w = start_windows(p, CAL)
    assert w["D"].is_empty
    assert w["P"] == Window(-2, -2, -2)
    assert w["S"].earliest == -2 + 3


def test_excluded_predecessor_empties_successor_chain() -> None:
    p = portfolio(
        Initiative("A", "A", excluded=True),
        Initiative("B", "B"),
        Initiative("C", "C"),
        deps=(Dependency("A", "B"), Dependency("B", "C")),
    )
    w = start_windows(p, CAL)
    assert w["A"].is_empty and w["B"].is_empty and w["C"].is_empty


def test_predecessor_that_cannot_fit_empties_successor() -> None:
    p = portfolio(
        Initiative("A", "A", duration=8, earliest_start=date(2027, 4, 1)),
        Initiative("B", "B"),
        deps=(Dependency("A", "B"),),
    )
    w = start_windows(p, CAL)
    assert w["A"].is_empty and w["B"].is_empty


def test_mandatory_deadline_propagates_back_to_predecessors_only() -> None:
    p = portfolio(
        Initiative("A", "A", duration=2),
        Initiative("B", "B"),
        Initiative("M", "M", duration=1, mandatory=True, must_finish_by=date(2027, 12, 31)),
        Initiative("N", "N", duration=1, must_finish_by=date(2027, 9, 30)),
        deps=(Dependency("A", "M", lag=1), Dependency("B", "N")),
    )
    w = start_windows(p, CAL)
    assert w["M"].latest == 3
    assert w["A"].latest == 3 - 2 - 1
    # N is optional: B need not finish before N's deadline
    assert w["B"].latest == 7
    assert required_ids(p) == {"A", "M"}


def test_cycle_is_empty_and_reported() -> None:
    p = portfolio(
        Initiative("A", "A"),
        Initiative("B", "B"),
        Initiative("C", "C"),
        deps=(Dependency("A", "B"), Dependency("B", "A")),
    )
    order, cyclic = topological_order(p)
    assert cyclic == {"A", "B"} and order == ["C"]
    w = start_windows(p, CAL)
    assert w["A"].is_empty and w["B"].is_empty and not w["C"].is_empty
