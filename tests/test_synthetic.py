"""Synthetic portfolios: deterministic per seed, valid input, and limits that really bind."""

from collections import Counter

import pytest

from roadmap.domain import Severity, Status
from roadmap.input.validate import validate
from roadmap.money.calendar import Calendar
from roadmap.money.finance import start_values
from roadmap.optimize.plan_check import check_plan
from roadmap.optimize.windows import start_windows, topological_order
from roadmap.testing.synthetic import synthetic_portfolio


def test_same_seed_same_portfolio_other_seed_other_portfolio() -> None:
    a = synthetic_portfolio(40, 12, 4, seed=7)
    assert a == synthetic_portfolio(40, 12, 4, seed=7)
    assert a.initiatives != synthetic_portfolio(40, 12, 4, seed=8).initiatives


@pytest.mark.parametrize(
    ("n", "h", "teams", "period"),
    [(30, 8, 6, "quarter"), (100, 24, 6, "quarter"), (300, 36, 10, "month"), (8, 4, 1, "month")],
)
def test_generated_portfolio_passes_validation(n: int, h: int, teams: int, period: str) -> None:
    p = synthetic_portfolio(n, h, teams, seed=n + h, period=period)
    errors = [f for f in validate(p) if f.severity is Severity.ERROR]
    assert errors == []
    assert len(p.initiatives) == n and len(p.teams) == teams
    assert p.settings.horizon == h and p.settings.period.value == period


def test_shape_of_a_large_portfolio() -> None:
    p = synthetic_portfolio(1000, 48, 12, seed=3, period="month")
    _, cyclic = topological_order(p)
    assert cyclic == set()
    assert 0.5 <= len(p.dependencies) / len(p.initiatives) <= 1.0
    groups = Counter(i.alternative_group for i in p.initiatives if i.alternative_group)
    bundles = Counter(i.bundle for i in p.initiatives if i.bundle)
    assert groups and set(groups.values()) == {2}
    assert bundles and set(bundles.values()) == {2}
    per_initiative = Counter(s.initiative for s in p.staffing)
    assert set(per_initiative.values()) <= {1, 2, 3}
    mandatory = [i for i in p.initiatives if i.mandatory]
    assert mandatory and all(i.status is Status.PROPOSED and not i.excluded for i in mandatory)
    successors = {d.successor for d in p.dependencies}
    assert not successors & {i.id for i in mandatory}


def test_forced_work_fits_and_limits_bind() -> None:
    p = synthetic_portfolio(200, 16, 6, seed=11)
    cal = Calendar.from_settings(p.settings)
    values = start_values(p, cal)
    windows = start_windows(p, cal)
    fixed = {iid: w.fixed for iid, w in windows.items() if w.fixed is not None}
    forced = {i.id: 0 for i in p.initiatives if i.mandatory}
    assert check_plan(p, {**fixed, **forced}, values, cal) == []
    # every initiative that could start, at its earliest start: far more than the limits allow
    everything = {
        iid: (w.fixed if w.fixed is not None else w.earliest)
        for iid, w in windows.items()
        if not w.is_empty
    }
    found = Counter(v.kind for v in check_plan(p, everything, values, cal))
    assert found["budget"] >= 1 and found["capacity"] >= 1
