"""The Currency setting goes into number formats as literal text: whatever it holds (a quote, a
formula, 300 characters), every format in the written workbooks is one Excel accepts."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from plan_fixtures import plan as fixture_plan

from roadmap.excel.writing import NUMBER_FORMAT_MAX, currency_format, format_literal
from roadmap.report.plan_workbook import build_plan_workbook

HOSTILE = [
    'EU"R',
    '"',
    '""',
    "=SUM(A1)",
    '=HYPERLINK("http://example.com","x")',
    "X" * 300,
    '"' * 300,
    "[Red]0;@",
    "a\\b",
    "line\nbreak\ttab",
    "€ ; £",
    "",
]

_BRACKET = re.compile(
    r"^(Black|Blue|Cyan|Green|Magenta|Red|White|Yellow|Color\d{1,2}|[<>=]{1,2}-?\d+(\.\d+)?"
    r"|\$[^\]]*)$",
    re.IGNORECASE,
)
_CODE_CHARS = set("0#?.,%+-:/() $E")


def format_problems(fmt: str) -> list[str]:
    """What Excel would object to in a number format code (for the money formats written here:
    digits, separators, sections, colours and literal text; date codes are not expected)."""
    problems = []
    if len(fmt) > NUMBER_FORMAT_MAX:
        problems.append(f"{len(fmt)} characters (Excel's limit is {NUMBER_FORMAT_MAX})")
    problems += [f"control character {c!r}" for c in fmt if not c.isprintable()]
    sections, i = 1, 0
    while i < len(fmt):
        c = fmt[i]
        if not c.isprintable():
            i += 1
        elif c == '"':
            end = fmt.find('"', i + 1)
            if end < 0:
                problems.append(f"unterminated quote at {i}")
                break
            i = end + 1
        elif c == "\\":
            if i + 1 >= len(fmt):
                problems.append("dangling backslash at the end")
            i += 2
        elif c in "_*":
            i += 2
        elif c == "[":
            end = fmt.find("]", i)
            if end < 0 or not _BRACKET.match(fmt[i + 1 : end]):
                problems.append(f"bad bracket at {i}: {fmt[i : end + 1]!r}")
                break
            i = end + 1
        elif c == ";":
            sections += 1
            i += 1
        elif c in _CODE_CHARS:
            i += 1
        else:
            problems.append(f"unquoted {c!r} at {i}")
            i += 1
    if sections > 4:
        problems.append(f"{sections} sections (at most 4)")
    return problems


def test_the_checker_finds_what_excel_rejects() -> None:
    assert format_problems('#,##0 "EU"R";[Red]-#,##0 "EU"R"')  # today's 'EU"R'
    assert format_problems("#,##0 " + '"' + "X" * 300 + '"')
    assert format_problems("#,##0 ABC")
    assert format_problems('#,##0 "A\nB"')
    assert format_problems('"€"#,##0;[Red]-"€"#,##0') == []


@pytest.mark.parametrize("code", HOSTILE)
def test_hostile_currency_settings_give_valid_formats(code: str) -> None:
    fmt = currency_format(code)
    assert format_problems(fmt) == [], fmt
    assert currency_format(code, decimals=2).count(".00") == 2


def test_a_quote_is_shown_as_a_quote() -> None:
    assert format_literal('EU"R') == '"EU"\\""R"'
    assert currency_format('EU"R') == '#,##0 "EU"\\""R";[Red]-#,##0 "EU"\\""R"'


def test_a_long_code_is_cut_visibly() -> None:
    fmt = currency_format("X" * 300)
    assert "…" in fmt and len(fmt) <= NUMBER_FORMAT_MAX


def test_known_codes_keep_their_symbol() -> None:
    assert currency_format("eur") == '"€"#,##0;[Red]-"€"#,##0'


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_valid_format(code: str) -> None:
    assert format_problems(currency_format(code)) == []


@pytest.mark.parametrize("code", ['EU"R', "=SUM(A1)", "Y" * 300])
def test_a_plan_workbook_with_a_hostile_currency_opens_with_valid_formats(
    code: str, tmp_path: Path
) -> None:
    plan = fixture_plan()
    portfolio = plan.portfolio
    plan = replace(
        plan, portfolio=replace(portfolio, settings=replace(portfolio.settings, currency=code))
    )
    path = tmp_path / "plan.xlsx"
    build_plan_workbook(plan).save(path)
    wb = load_workbook(path)
    formats = {c.number_format for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    money = [f for f in formats if "#,##0" in f]
    assert money, "no money formats found"
    bad = {f: format_problems(f) for f in formats if format_problems(f) and f != "General"}
    bad = {f: p for f, p in bad.items() if not f.startswith(("yyyy", "mmm", "d"))}
    assert bad == {}


def test_openpyxl_round_trips_the_escaped_format(tmp_path: Path) -> None:
    fmt = currency_format('EU"R')
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = 1234.5
    ws["A1"].number_format = fmt
    wb.save(tmp_path / "f.xlsx")
    back = load_workbook(tmp_path / "f.xlsx").active
    assert back is not None and back["A1"].number_format == fmt
