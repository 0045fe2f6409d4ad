"""One golden LP file per constraint family (``tests/lp_files/<family>.lp``).

A model change shows up as a diff of these files. Regenerate them after an intended change with
``ROADMAP_UPDATE_GOLDEN=1 python -m pytest tests/test_milp_golden.py``.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from test_milp_cases import ini, quarter, settings, values_of

from roadmap.domain import (
    BudgetLimit,
    Capability,
    CapacityChange,
    Dependency,
    GroupDependency,
    Lift,
    ObjectiveKind,
    Portfolio,
    SpendKind,
    Staffing,
    Status,
    Team,
)
from roadmap.optimize.derived import derive
from roadmap.optimize.milp.model.build import FAMILIES, build_model, write_lp_file
from roadmap.optimize.milp.model.data import model_data

GOLDEN = Path(__file__).parent / "lp_files"
ALL = {name for name, _ in FAMILIES}

PORTFOLIO = Portfolio(
    settings=settings(horizon=4, change_limit=1),
    capabilities=(Capability("CAP-1", "Customer data", current=1, target=3, importance=2),),
    initiatives=(
        ini("CDP", duration=2, owner_function="Data", funding_pool="IT", lifts=(Lift("CAP-1", 1),)),
        ini("Lake", duration=1, owner_function="Data", alternative_group="store"),
        ini("Ware house", duration=1, alternative_group="store", bundle="b1"),
        ini("BI", duration=2, mandatory=True, bundle="b1", must_finish_by=quarter(3)),
        ini("Old", duration=3, status=Status.IN_PROGRESS, actual_start=quarter(-1),
            owner_function="Data", lifts=(Lift("CAP-1", 1),)),
    ),
    dependencies=(Dependency("Lake", "CDP", lag=1),),
    group_dependencies=(GroupDependency("store", "CDP"),),
    teams=(Team("DATA", "Data & Analytics", capacity=3, over_allocation=0.1),),
    capacity_changes=(CapacityChange("DATA", quarter(2), 4),),
    staffing=(
        Staffing("CDP", "DATA", 2, profile=(0.5, 1.0)),
        Staffing("BI", "DATA", 1),
        Staffing("Old", "DATA", 1),
    ),
    budgets=(
        BudgetLimit(150, period=quarter(0)),
        BudgetLimit(400, fiscal_year=2027, pool="IT", kind=SpendKind.CAPEX),
    ),
)  # fmt: skip


def normalised(text: str) -> str:
    """LP text without pulp's comment lines and trailing blanks."""
    lines = [line.rstrip() for line in text.splitlines() if not line.startswith("\\*")]
    return "\n".join(line for line in lines if line) + "\n"


CASES = {
    "selection": ("selection", ObjectiveKind.NPV),
    "precedence": ("precedence", ObjectiveKind.NPV),
    "precedence_group": ("precedence_group", ObjectiveKind.NPV),
    "alternative": ("alternative", ObjectiveKind.NPV),
    "bundle": ("bundle", ObjectiveKind.NPV),
    "capacity": ("capacity", ObjectiveKind.NPV),
    "budget": ("budget", ObjectiveKind.NPV),
    "change": ("change", ObjectiveKind.NPV),
    "capability": (None, ObjectiveKind.CAPABILITY),
    "earliest_completion": (None, ObjectiveKind.EARLIEST_COMPLETION),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_family_lp_matches_golden(case: str, tmp_path: Path) -> None:
    family, objective = CASES[case]
    keep = {family} if family else set()
    p = PORTFOLIO
    if case == "budget":
        p = replace(p, settings=replace(p.settings, budget_carry_over=True))
    model = build_model(model_data(derive(p, values_of(p))), objective=objective, skip=ALL - keep)
    text = normalised(write_lp_file(model, tmp_path / f"{case}.lp").read_text())
    golden = GOLDEN / f"{case}.lp"
    if os.environ.get("ROADMAP_UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.write_text(text)
    assert text == golden.read_text()


def test_names_encode_family_and_key(tmp_path: Path) -> None:
    model = build_model(
        model_data(derive(PORTFOLIO, values_of(PORTFOLIO))), objective=ObjectiveKind.NPV
    )
    text = write_lp_file(model, tmp_path / "all.lp").read_text()
    for name in (
        "capacity__DATA__2027Q3",
        "budget__2027_Q1__0",
        "precedence__Lake__CDP__2027Q3",
        "precedence_group__store__CDP__2027Q3",
        "alternative__store",
        "bundle__b1__BI",
        "change__Data__2027Q1",
        "select__Ware_house",
        "started__CDP__2027Q3",
        "order__BI__2027Q2",
    ):
        assert name in text, name


def test_step_form_is_optional(tmp_path: Path) -> None:
    data = model_data(derive(PORTFOLIO, values_of(PORTFOLIO)))
    model = build_model(data, objective=ObjectiveKind.NPV, step=False)
    text = write_lp_file(model, tmp_path / "x.lp").read_text()
    assert "start__CDP__2027Q3" in text and "started__" not in text


def test_names_that_sanitise_alike_stay_distinct(tmp_path: Path) -> None:
    p = Portfolio(
        settings=settings(horizon=2, change_limit=1),
        initiatives=(
            ini("A-1", alternative_group="g 1", owner_function="Sales Ops"),
            ini("A_1", alternative_group="g_1", owner_function="Sales_Ops"),
            ini("B", alternative_group="g 1"),
            ini("C", alternative_group="g_1"),
        ),
    )
    model = build_model(model_data(derive(p, values_of(p))), objective=ObjectiveKind.NPV)
    names = list(model.prob.constraints)
    assert len(names) == len(set(names))
    assert {"alternative__g_1", "alternative__g_1_2"} <= set(names)
    assert "select__A_1" in names and "select__A_1_2" in names
