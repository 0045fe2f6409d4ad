"""The forced re-solves' own HiGHS options (``FORCED_MIP_OPTIONS``) change how fast a figure is
proven, never the figure: against a re-solve with HiGHS's defaults, same status and optimum."""

from __future__ import annotations

import pytest
from test_milp_cases import random_portfolio, solve

from roadmap.optimize.milp.explain.forced import FORCED_MIP_OPTIONS, Forcer, Row
from roadmap.optimize.milp.model.variables import BuiltModel, selected


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[BuiltModel]:
    """The models the solves build (``solve_plan`` hands back only the plan)."""
    from roadmap.optimize.milp.search.solve import solve_model

    kept: list[BuiltModel] = []

    def keep(model, *args, **kwargs):  # type: ignore[no-untyped-def]
        kept.append(model)
        return solve_model(model, *args, **kwargs)

    monkeypatch.setattr("roadmap.optimize.milp.plan.solve_model", keep)
    return kept


def _forced_row(model: BuiltModel, iid: str) -> Row:
    terms = model.lp_terms(selected(model.x, iid))
    return (tuple(int(v.index) for v in terms), tuple(float(c) for c in terms.values()), 1.0, 1.0)


@pytest.mark.parametrize("seed", range(10))
def test_forced_options_give_the_same_optimum(seed: int, built: list[BuiltModel]) -> None:
    plan = solve(random_portfolio(seed))
    if not plan.report.status.has_plan or built[-1].matrix is None:
        pytest.skip("no HiGHS model for this seed")
    model = built[-1]
    tuned, plain = Forcer(model.matrix), Forcer(model.matrix, mip_options={})
    for iid in model.x:  # in the plan or not: forcing it in is a question either way
        a = tuned.mip(iid, [_forced_row(model, iid)], None, 20.0)
        b = plain.mip(iid, [_forced_row(model, iid)], None, 20.0)
        assert a.status == b.status, iid
        if a.status == "optimal":
            assert a.objective == pytest.approx(b.objective, rel=1e-9, abs=1e-6), iid
            assert a.bound == pytest.approx(b.bound, rel=1e-9, abs=1e-6), iid


def test_forced_options_are_put_back_after_each_solve(built: list[BuiltModel]) -> None:
    solve(random_portfolio(0))
    model = built[-1]
    f = Forcer(model.matrix)
    before = {o: f.h.getOptionValue(o) for o in FORCED_MIP_OPTIONS}  # type: ignore[attr-defined]
    iid = next(iter(model.x))
    f.mip(iid, [_forced_row(model, iid)], None, 5.0)
    after = {o: f.h.getOptionValue(o) for o in FORCED_MIP_OPTIONS}  # type: ignore[attr-defined]
    assert after == before
    assert all(v != FORCED_MIP_OPTIONS[o] for o, v in ((o, v[1]) for o, v in after.items()))
