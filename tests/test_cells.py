"""Cell parsing, one schema type at a time."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.domain import Lift
from roadmap.input.cells import (
    MAX_MONEY,
    CellError,
    CompactDate,
    PercentReading,
    PercentText,
    parse_bool,
    parse_cell,
    parse_choice,
    parse_date,
    parse_int,
    parse_lifts,
    parse_list,
    parse_loose,
    parse_money,
    parse_number,
    parse_numbers,
    parse_percent,
    parse_text,
)
from roadmap.input.schema import INITIATIVES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,250,000", 1_250_000),
        ("€ 1.2", 1.2),
        ("1 250 000", 1_250_000),
        ("1\u00a0250\u00a0000", 1_250_000),
        ("1'250'000", 1_250_000),
        ("(1,000)", -1000),
        ("-€1,000", -1000),
        ("−42", -42),
        ("1.250.000,50", 1_250_000.5),
        ("1,250.50", 1250.5),
        ("1,5", 1.5),
        ("€1.2m", 1_200_000),
        ("2.5k", 2500),
        ("3bn", 3e9),
        ("1000 EUR", 1000),
        ("$ 12", 12),
        (".5", 0.5),
        ("+3", 3),
        ("50%", 0.5),
        (7, 7),
        (2.5, 2.5),
    ],
)
def test_numbers_in_the_forms_people_type(text: object, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["12abc", "inf", "nan", "—", "one", "1..2", "", "1-2"])
def test_non_numbers_are_refused_with_a_fix(text: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_number(text)
    assert exc.value.fix


@pytest.mark.parametrize("value", [1e300, float("inf"), float("nan"), "1e300", -1e16])
def test_absurd_numbers_are_refused(value: object) -> None:
    with pytest.raises(CellError):
        parse_number(value)


def test_money_above_the_plausible_limit_is_implausibly_large() -> None:
    assert parse_money(MAX_MONEY) == MAX_MONEY
    with pytest.raises(CellError, match="implausibly large"):
        parse_money(MAX_MONEY * 10)


def test_dates_and_booleans_are_not_numbers() -> None:
    with pytest.raises(CellError):
        parse_number(date(2027, 1, 1))
    with pytest.raises(CellError):
        parse_number(True)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_thousands_separated_integers_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n
    assert parse_number(f"{n:_}") == n


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_plain_floats_round_trip(x: float) -> None:
    assert parse_number(repr(x)) == pytest.approx(x)


def test_int_accepts_whole_numbers_only() -> None:
    assert parse_int(3.0) == 3
    assert parse_int("12") == 12
    with pytest.raises(CellError, match="whole number"):
        parse_int(2.5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("8%", 0.08), ("8 %", 0.08), (0.08, 0.08), (1, 1.0), ("0.5", 0.5), ("12.5%", 0.125)],
)
def test_percent_forms(value: object, expected: float) -> None:
    result = parse_percent(value)
    assert result == pytest.approx(expected)
    assert not isinstance(result, PercentReading)


def test_bare_number_above_one_in_a_percent_cell_is_a_percentage_and_flagged() -> None:
    result = parse_percent(8)
    assert result == pytest.approx(0.08)
    assert isinstance(result, PercentReading)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2027, 4, 1, 0, 0), date(2027, 4, 1)),
        (date(2027, 4, 1), date(2027, 4, 1)),
        ("2027-04-01", date(2027, 4, 1)),
        (" 2027-4-1 ", date(2027, 4, 1)),
        ("2027-04", date(2027, 4, 1)),
        ("2027/04/15", date(2027, 4, 15)),
        ("2027-Q2", date(2027, 4, 1)),
        ("Q4 2027", date(2027, 10, 1)),
        ("2027-04-01T00:00:00", date(2027, 4, 1)),
    ],
)
def test_dates(value: object, expected: date) -> None:
    assert parse_date(value) == expected


def test_excel_serial_numbers_are_dates() -> None:
    serial = (date(2027, 4, 1) - date(1899, 12, 30)).days
    assert parse_date(serial) == date(2027, 4, 1)
    assert parse_date(float(serial)) == date(2027, 4, 1)
    assert parse_date(str(serial)) == date(2027, 4, 1)


@pytest.mark.parametrize("value", [20270401, 20270401.0, "20270401", " 20270401 "])
def test_a_date_typed_as_yyyymmdd_is_that_date_and_marked(value: object) -> None:
    read = parse_date(value)
    assert read == date(2027, 4, 1) and isinstance(read, CompactDate)
    assert not isinstance(parse_date("2027-04-01"), CompactDate)


@pytest.mark.parametrize("value", [20271301, 20270231, 99999999, 2.02704e07 + 0.5])
def test_a_yyyymmdd_that_is_no_date_is_refused_as_typed(value: object) -> None:
    with pytest.raises(CellError) as exc:
        parse_date(value)
    assert "e+07" not in exc.value.message


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", " #name? "])
def test_excel_error_values_are_refused_in_every_column(error: str) -> None:
    from roadmap.input.schema import SHEETS

    for sheet in SHEETS:
        for column in sheet.columns:
            with pytest.raises(CellError, match="Excel error"):
                parse_cell(error, column)


@pytest.mark.parametrize(
    "value", ["01/04/2027", "next spring", "2027-02-30", "2027-13", 1e10, -5, True, "TBD", 2027]
)
def test_garbage_dates_are_refused(value: object) -> None:
    with pytest.raises(CellError):
        parse_date(value)


@pytest.mark.parametrize("value", ["yes", "Y", "TRUE", "1", "x", "X", 1, True])
def test_true_values(value: object) -> None:
    assert parse_bool(value) is True


@pytest.mark.parametrize("value", ["no", "N", "false", "0", "", None, 0, False, "  "])
def test_false_values(value: object) -> None:
    assert parse_bool(value) is False


def test_bool_refuses_anything_else() -> None:
    with pytest.raises(CellError, match="yes or no"):
        parse_bool("maybe")


def test_choice_is_case_and_spacing_insensitive() -> None:
    choices = ("proposed", "in progress", "done")
    assert parse_choice("In Progress", choices) == "in progress"
    assert parse_choice("in-progress", choices) == "in progress"
    assert parse_choice("DONE ", choices) == "done"
    with pytest.raises(CellError) as exc:
        parse_choice("finished", choices)
    assert "proposed" in exc.value.fix


def test_lists_split_on_commas_and_semicolons() -> None:
    assert parse_list("A, B; C,, ") == ("A", "B", "C")
    assert parse_numbers("20%, 50%; 30%") == pytest.approx((0.2, 0.5, 0.3))
    assert parse_numbers("1, 2, 1") == (1.0, 2.0, 1.0)
    assert parse_numbers(3) == (3.0,)
    with pytest.raises(CellError):
        parse_numbers("1, two")


def test_lifts_with_default_amount() -> None:
    assert parse_lifts("CAP-01: 1, CAP-02: 0.5; CAP-03") == (
        Lift("CAP-01", 1.0),
        Lift("CAP-02", 0.5),
        Lift("CAP-03", 1.0),
    )
    assert parse_lifts("CAP-01=2") == (Lift("CAP-01", 2.0),)
    with pytest.raises(CellError, match="capability lift"):
        parse_lifts("CAP-01: lots")


def test_text_is_trimmed_and_formula_looking_text_stays_text() -> None:
    assert parse_text("  Hello ") == "Hello"
    assert parse_text("=SUM(A1:A2)") == "=SUM(A1:A2)"
    assert parse_text(101.0) == "101"
    assert parse_text(datetime(2027, 1, 1)) == "2027-01-01"


def test_parse_cell_dispatches_on_the_schema_type() -> None:
    assert parse_cell("3", INITIATIVES.column("duration")) == 3
    assert parse_cell("in progress", INITIATIVES.column("status")) == "in progress"
    assert parse_cell("85%", INITIATIVES.column("probability")) == pytest.approx(0.85)
    with pytest.raises(CellError):
        parse_cell("-", INITIATIVES.column("capex"))


def test_loose_values_for_scenarios() -> None:
    assert parse_loose("80%") == pytest.approx(0.8)
    assert parse_loose(2) == 2.0
    assert parse_loose(" npv ") == "npv"
    assert parse_loose("1,000") == 1000.0
    assert parse_loose("force") == "force"
    assert isinstance(parse_loose("150%"), PercentText) and parse_loose("150%") == 1.5
    assert not isinstance(parse_loose(1.5), PercentText)


_ANY_CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
)


@given(_ANY_CELL)
def test_any_cell_value_parses_or_raises_a_cell_error(value: object) -> None:
    from roadmap.input.schema import SHEETS

    for sheet in SHEETS:
        for column in sheet.columns:
            try:
                result = parse_cell(value, column)
            except CellError as exc:
                assert exc.message
                continue
            if isinstance(result, float):
                assert math.isfinite(result)
