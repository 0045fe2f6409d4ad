"""Shared fixtures: a tiny, valid input workbook (no errors, no warnings) to mutate in tests."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from roadmap.input.template import write_input_workbook

Tables = dict[str, list[dict[str, object]]]

_SETTINGS: dict[str, object] = {"plan_start": "2027-01-01", "horizon": 8, "period": "quarter"}
_TABLES: Tables = {
    "Capabilities": [
        {"id": "CAP-01", "name": "Customer data", "current": 2, "target": 4},
        {"id": "CAP-02", "name": "Checkout", "current": 3, "target": 3},
    ],
    "Initiatives": [
        {
            "id": "INI-01",
            "name": "Customer data platform",
            "accountable_team": "DATA",
            "duration": 2,
            "capex": 100000,
            "benefit_revenue": 150000,
            "probability": "90%",
            "lifts": "CAP-01: 1",
            "funding_pool": "IT",
        },
        {
            "id": "INI-02",
            "name": "Personalisation",
            "accountable_team": "DATA",
            "duration": 3,
            "capex": 200000,
            "benefit_revenue": 250000,
            "lifts": "CAP-01: 1",
            "retires": "SYS-01",
        },
        {
            "id": "INI-03",
            "name": "Campaign tool",
            "duration": 1,
            "one_off_opex": 30000,
            "benefit_saving": 40000,
        },
    ],
    "Dependencies": [{"predecessor": "INI-01", "successor": "INI-02", "lag": 0}],
    "Teams": [
        {"id": "DATA", "name": "Data", "capacity": 4},
        {"id": "MKT", "name": "Marketing", "capacity": 2, "over_allocation": "10%"},
    ],
    "Staffing": [
        {"initiative": "INI-01", "team": "DATA", "fte": 2},
        {"initiative": "INI-02", "team": "DATA", "fte": 1, "profile": "50%, 100%"},
        {"initiative": "INI-03", "team": "MKT", "fte": 1},
    ],
    "Budget": [
        {"fiscal_year": 2027, "amount": 1000000},
        {"fiscal_year": 2028, "amount": 800000, "pool": "IT"},
    ],
    "Systems": [{"id": "SYS-01", "name": "Legacy CRM", "run_cost": 50000}],
    "Criteria": [
        {"id": "FIT", "name": "Strategic fit", "weight": 60},
        {"id": "RISK", "name": "Delivery risk", "weight": 40, "direction": "lower is better"},
    ],
    "Scores": [
        {"initiative": "INI-01", "FIT": 8, "RISK": 3},
        {"initiative": "INI-02", "FIT": 7, "RISK": 6},
        {"initiative": "INI-03", "FIT": 4, "RISK": 2},
    ],
    "Scenarios": [
        {"scenario": "Budget cut", "parameter": "budget_scale", "value": "80%"},
        {"scenario": "Budget cut", "parameter": "force_in", "target": "INI-03"},
    ],
}


def valid_tables() -> tuple[Tables, dict[str, object]]:
    """Fresh copies of the valid tables and settings, safe to mutate."""
    return copy.deepcopy(_TABLES), dict(_SETTINGS)


def write_workbook(path: Path, tables: Tables, settings: dict[str, object]) -> Path:
    write_input_workbook(path, tables, settings, overwrite=True)
    return path


@pytest.fixture
def valid_workbook(tmp_path: Path) -> Path:
    tables, settings = valid_tables()
    return write_workbook(tmp_path / "valid.xlsx", tables, settings)
