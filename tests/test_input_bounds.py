"""Bad values end as input errors naming the cell (exit 2), never as an unexpected failure: sane
upper bounds from the schema, profiles, repeated dependencies, YYYYMMDD dates, and scenario
overrides judged by the same rules as the cells they override."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import valid_tables, write_workbook

from roadmap.domain import Finding, Severity
from roadmap.input.reader import read_workbook
from roadmap.input.scenarios import apply_scenario
from roadmap.input.schema import INITIATIVES, MAX_LIFE_YEARS, MAX_PERIODS, SETTINGS
from roadmap.input.validate import validate

ROADMAP = [sys.executable, "-c", "from roadmap.cli import main; main()"]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def read(tmp_path: Path, change) -> tuple:  # type: ignore[no-untyped-def]
    tables, settings = valid_tables()
    change(tables, settings)
    return read_workbook(write_workbook(tmp_path / "in.xlsx", tables, settings))


def test_the_schema_bounds_sizes() -> None:
    assert INITIATIVES.column("duration").maximum == MAX_PERIODS
    assert INITIATIVES.column("ramp_up").maximum == MAX_PERIODS
    assert INITIATIVES.column("useful_life").maximum == MAX_LIFE_YEARS
    assert SETTINGS.column("plan_start").maximum is not None


@pytest.mark.parametrize(
    ("sheet", "key", "header"),
    [
        ("Initiatives", "duration", "Duration"),
        ("Initiatives", "ramp_up", "Ramp-up"),
        ("Initiatives", "useful_life", "Useful life"),
        ("Dependencies", "lag", "Lag"),
    ],
)
def test_a_million_periods_or_years_is_an_error_naming_the_cell(
    tmp_path: Path, sheet: str, key: str, header: str
) -> None:
    _, findings = read(tmp_path, lambda t, s: t[sheet][0].__setitem__(key, 1_000_000))
    (f,) = errors(findings)
    assert (f.sheet, f.row) == (sheet, 2)
    assert header in f.message and "above the maximum" in f.message and f.column


def test_a_far_deadline_still_means_no_deadline(tmp_path: Path) -> None:
    portfolio, findings = read(
        tmp_path, lambda t, s: t["Initiatives"][0].__setitem__("must_finish_by", "9999-12-31")
    )
    assert findings == [] and portfolio is not None


def test_plan_start_in_year_9999_is_an_error_not_a_crash(tmp_path: Path) -> None:
    _, findings = read(tmp_path, lambda t, s: s.__setitem__("plan_start", "9999-10-01"))
    (f,) = errors(findings)
    assert f.sheet == "Settings" and "2200-12-31" in f.fix and f.row == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda t, s: s.__setitem__("plan_start", "9999-10-01"),
        lambda t, s: t["Initiatives"][0].__setitem__("duration", 1_000_000),
        lambda t, s: t["Initiatives"][0].__setitem__("useful_life", 1_000_000),
        lambda t, s: t["Dependencies"][0].__setitem__("lag", 1_000_000),
        lambda t, s: t["Initiatives"][0].__setitem__("earliest_start", "9999-12-31"),
    ],
    ids=["plan-start", "duration", "useful-life", "lag", "earliest-start"],
)
@pytest.mark.parametrize("command", ["plan", "roi"])
def test_the_cli_exits_2_naming_the_cell(tmp_path: Path, change, command: str) -> None:  # type: ignore[no-untyped-def]
    tables, settings = valid_tables()
    change(tables, settings)
    path = write_workbook(tmp_path / "in.xlsx", tables, settings)
    args = [command, str(path)] + (["-o", str(tmp_path / "out.xlsx")] if command == "plan" else [])
    proc = subprocess.run([*ROADMAP, *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "unexpected" not in proc.stdout + proc.stderr
    assert "above the maximum" in proc.stdout + proc.stderr


# --- profiles ---------------------------------------------------------------------------------


def test_a_negative_cost_profile_is_refused_with_the_cell(tmp_path: Path) -> None:
    _, findings = read(
        tmp_path, lambda t, s: t["Initiatives"][1].__setitem__("cost_profile", "-1, 2, 1")
    )
    (f,) = errors(findings)
    assert (f.code, f.sheet, f.row) == ("bad-profile", "Initiatives", 3)
    assert "negative share (-1)" in f.message and f.column


def test_an_all_zero_phase_profile_is_refused(tmp_path: Path) -> None:
    _, findings = read(tmp_path, lambda t, s: t["Staffing"][1].__setitem__("profile", "0, 0"))
    (f,) = errors(findings)
    assert (f.code, f.sheet, f.row) == ("bad-profile", "Staffing", 3)


def test_more_phases_than_build_periods_is_a_warning(tmp_path: Path) -> None:
    _, findings = read(
        tmp_path, lambda t, s: t["Initiatives"][0].__setitem__("cost_profile", "1, 2, 1")
    )
    (f,) = findings
    assert f.code == "profile-longer-than-build" and f.severity is Severity.WARNING
    assert "3 phases" in f.message and "2 period(s)" in f.message


# --- dependencies -----------------------------------------------------------------------------


def test_a_repeated_dependency_row_is_dropped_with_a_warning(tmp_path: Path) -> None:
    portfolio, findings = read(
        tmp_path, lambda t, s: t["Dependencies"].append(dict(t["Dependencies"][0]))
    )
    (f,) = findings
    assert f.code == "duplicate-dependency" and f.row == 3 and "row 2" in f.message
    assert len(portfolio.dependencies) == 1


def test_a_repeated_dependency_with_another_lag_is_an_error_naming_both_rows(
    tmp_path: Path,
) -> None:
    def change(t, s):  # type: ignore[no-untyped-def]
        t["Dependencies"].append({**t["Dependencies"][0], "lag": 2})

    _, findings = read(tmp_path, change)
    (f,) = findings
    assert f.code == "conflicting-dependency" and f.severity is Severity.ERROR
    assert f.row == 3 and "row 2" in f.message and "lag 2" in f.message


def test_a_repeated_dependency_plans(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Dependencies"].append(dict(tables["Dependencies"][0]))
    path = write_workbook(tmp_path / "in.xlsx", tables, settings)
    proc = subprocess.run(
        [*ROADMAP, "plan", str(path), "-o", str(tmp_path / "out.xlsx")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- dates typed as numbers -------------------------------------------------------------------


def test_yyyymmdd_in_a_date_formatted_cell_is_read_as_that_date_with_a_warning(
    tmp_path: Path,
) -> None:
    tables, settings = valid_tables()
    tables["Initiatives"][0]["earliest_start"] = "2027-01-01"
    path = write_workbook(tmp_path / "in.xlsx", tables, settings)
    wb = openpyxl.load_workbook(path)
    ws = wb["Initiatives"]
    col = next(c.column for c in ws[1] if c.value == "Earliest start")
    assert ws.cell(2, col).is_date
    ws.cell(2, col).value = 20270401  # the cell keeps its date format, as when typed in Excel
    ws.cell(3, col).value = "20270701"
    wb.save(path)
    portfolio, findings = read_workbook(path)
    (f,) = findings
    assert f.code == "date-as-number" and f.severity is Severity.WARNING and f.row == 2
    assert "'20270401' was read as the date 2027-04-01" in f.message and "1 more" in f.message
    assert portfolio.initiative_by_id["INI-01"].earliest_start.isoformat() == "2027-04-01"
    assert portfolio.initiative_by_id["INI-02"].earliest_start.isoformat() == "2027-07-01"


def test_an_excel_error_in_a_cell_is_an_error_not_text(tmp_path: Path) -> None:
    tables, settings = valid_tables()
    tables["Initiatives"][0]["name"] = "#REF!"
    _, findings = read_workbook(write_workbook(tmp_path / "in.xlsx", tables, settings))
    (f,) = findings
    assert f.severity is Severity.ERROR and "Excel error #REF!" in f.message


# --- scenario overrides -----------------------------------------------------------------------


def _scenario(tmp_path: Path, parameter: str, value: object) -> tuple:  # type: ignore[no-untyped-def]
    def change(t, s):  # type: ignore[no-untyped-def]
        t["Scenarios"].append({"scenario": "What if", "parameter": parameter, "value": value})

    return read(tmp_path, change)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("discount_rate", "500%"),
        ("discount_rate", 500),
        ("discount_rate", "-5%"),
        ("discount_rate", "8%"),
        ("horizon", 1_000_000),
        ("horizon", 0),
        ("horizon", 2.5),
        ("horizon", 12),
        ("objective", "fastest"),
        ("objective", "score"),
    ],
)
def test_a_scenario_override_is_judged_like_the_settings_cell(
    tmp_path: Path, key: str, value: object
) -> None:
    _, as_setting = read(tmp_path, lambda t, s: s.__setitem__(key, value))
    _, as_override = _scenario(tmp_path, key, value)
    setting_errors, override_errors = errors(as_setting), errors(as_override)
    assert bool(setting_errors) == bool(override_errors), (as_setting, as_override)
    for f in override_errors:
        assert f.code == "scenario-bad-value" and f.sheet == "Scenarios" and f.row == 4


def test_a_scenario_horizon_is_bounded_like_the_setting(tmp_path: Path) -> None:
    (f,) = errors(_scenario(tmp_path, "horizon", 1_000_000)[1])
    assert "above the maximum 240" in f.message
    (f,) = errors(_scenario(tmp_path, "horizon", 2.5)[1])
    assert "whole number" in f.message


def test_percent_text_in_a_scenario_is_never_divided_by_100_again(tmp_path: Path) -> None:
    portfolio, findings = _scenario(tmp_path, "cost_overrun", "150%")
    assert findings == []
    changed = apply_scenario(portfolio, "What if")
    assert changed.initiative_by_id["INI-01"].capex == pytest.approx(250_000)
    portfolio, _ = _scenario(tmp_path, "discount_rate", "12%")
    assert apply_scenario(portfolio, "What if").settings.discount_rate == pytest.approx(0.12)
    portfolio, findings = _scenario(tmp_path, "discount_rate", 12)
    assert apply_scenario(portfolio, "What if").settings.discount_rate == pytest.approx(0.12)
    (f,) = findings  # read as 12 %, said as for the Settings cell
    assert f.code == "percent-as-number" and f.sheet == "Scenarios" and f.row == 4
    assert "12" in f.message and f.severity is Severity.WARNING


def test_validate_never_raises_on_out_of_range_settings(tmp_path: Path) -> None:
    portfolio, _ = read(tmp_path, lambda t, s: s.__setitem__("horizon", 100_000))
    assert portfolio is not None
    assert errors(validate(portfolio))
