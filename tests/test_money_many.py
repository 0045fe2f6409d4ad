"""The metrics of many series at once give the one-series answers: IRRs found together by
bisection where the root is unique, MIRRs in one array expression, whole Metrics for every
initiative of the samples."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
from business_cases import case_workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.domain import Status
from roadmap.input.reader import load_portfolio
from roadmap.money.calendar import Calendar
from roadmap.money.finance import (
    cash_flows,
    earliest_start_period,
    initiative_metrics,
    initiatives_metrics,
)
from roadmap.money.many import irr_many, mirr_many
from roadmap.money.metrics import irr, mirr

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.xlsx"))


def npv_at(rate: float, x: np.ndarray) -> float:
    """Value at moment 0 of flows at moments 0, 1, … (independent of the money module)."""
    return float(sum(v / (1.0 + rate) ** k for k, v in enumerate(x)))


def is_root(rate: float, x: np.ndarray, rel: float) -> bool:
    """The NPV at ``rate`` is zero, relative to the size of the discounted flows (flows of
    1e-9 or less count as zero, as the money functions take them: at a rate of 1,000 % a
    period a 1e-12 at moment 0 outweighs real flows 15 periods later)."""
    x = np.where(np.abs(x) > 1e-9, x, 0.0)
    size = npv_at(rate, np.abs(x))
    return abs(npv_at(rate, x)) <= rel * size


def same(a: float | None, b: float | None, rel: float = 1e-8) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.isclose(a, b, rtol=rel, atol=1e-12))


def series_mix(seed: int, n: int) -> list[np.ndarray]:
    """Business cases (costs, then inflows: one sign change, IRR above and below 0), several
    sign changes, one sign only, leading and trailing zeros, tiny flows at the ends, a single
    flow and an empty series."""
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = [np.zeros(0), np.array([5.0]), np.zeros(4), np.array([-1.0, 1.0])]
    for k in range(n):
        length = int(rng.integers(2, 70))
        x = rng.normal(size=length) * 10 ** rng.uniform(-2, 7)
        kind = k % 4
        if kind == 0:  # spend, then earn (more or less than spent)
            cut = int(rng.integers(1, length))
            x = np.concatenate([-np.abs(x[:cut]), np.abs(x[cut:]) * rng.uniform(0.2, 3)])
        elif kind == 1:  # earn first, pay later (a loan)
            x = np.sort(x)[::-1]
        elif kind == 2:  # one sign only
            x = np.abs(x)
        if rng.random() < 0.3:
            x[: int(rng.integers(0, length))] = 0.0
        if rng.random() < 0.3:
            x[int(rng.integers(1, length)) :] = 0.0
        if rng.random() < 0.1:
            x = np.concatenate([[1e-12], x, [-1e-12]])
        out.append(x)
    return out


def test_irr_many_gives_irr_of_each_series() -> None:
    series = series_mix(3, 600)
    got = irr_many(series)
    assert len(got) == len(series)
    unique = 0
    for x, rate in zip(series, got, strict=True):
        assert same(rate, irr(x)), x
        if rate is not None:
            # a root: the NPV at it is zero relative to the flows' size
            assert is_root(rate, x, 1e-9)
            unique += 1
    assert unique > 200  # the bisection path was taken, not only the fallback
    assert irr_many([]) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(1.0, 1e6), min_size=1, max_size=12),
    st.lists(st.floats(1.0, 1e6), min_size=1, max_size=40),
    st.integers(0, 5),
)
def test_a_business_case_has_its_one_root(
    costs: list[float], inflows: list[float], gap: int
) -> None:
    x = np.array([*(-c for c in costs), *([0.0] * gap), *inflows])
    (rate,) = irr_many([x])
    assert rate is not None and rate > -1.0
    assert same(rate, irr(x), rel=1e-7)
    assert is_root(rate, x, 1e-9)


def test_mirr_many_gives_mirr_of_each_series() -> None:
    series = series_mix(5, 400)
    for finance, reinvest in ((0.01, 0.005), (0.0, 0.02), (0.1, 0.1)):
        got = mirr_many(series, finance, reinvest)
        for x, rate in zip(series, got, strict=True):
            assert same(rate, mirr(x, finance, reinvest), rel=1e-10), x


def mixed_case(path: Path) -> Path:
    """Hurdle rates, escalation, an explicit business case whose net changes sign three times,
    dated flows, a loss and a case without costs, beside plain parametric ones."""
    settings = {"plan_start": "2027-01-01", "period": "quarter", "horizon": 12}
    settings.update(discount_rate="8%", cost_escalation="2%", benefit_escalation="1%")
    inis = [
        {"id": "A", "name": "Plain", "duration": 2, "capex": 1000, "benefit_saving": 800},
        {"id": "H", "name": "Hurdle", "duration": 1, "capex": 500, "benefit_revenue": 300},
        {"id": "E", "name": "Explicit", "duration": 1},
        {"id": "D", "name": "Dated", "duration": 1},
        {"id": "L", "name": "Loss", "duration": 3, "capex": 9000, "benefit_saving": 100},
        {"id": "F", "name": "Free", "duration": 1, "benefit_saving": 100},
    ]
    inis[1]["hurdle_rate"] = "15%"
    flows = [
        {"initiative": "E", "category": "capex", "year": 0, "amount": 2000},
        *({"initiative": "E", "category": "benefit", "year": y, "amount": 900} for y in (1, 2, 3)),
        {"initiative": "E", "category": "other", "year": 4, "amount": -1500},
        {"initiative": "E", "category": "benefit", "year": 5, "amount": 400},
        {"initiative": "D", "category": "capex", "flow_date": "2027-02-10", "amount": 1000},
        {"initiative": "D", "category": "benefit", "flow_date": "2027-09-01", "amount": 700},
        {"initiative": "D", "category": "benefit", "flow_date": "2028-03-01", "amount": 700},
    ]
    return case_workbook(path, settings, inis, flows)


def cases(tmp: Path) -> list[Path]:
    return [*SAMPLES, mixed_case(tmp / "mixed.xlsx")]


def test_initiatives_metrics_match_one_by_one(tmp_path: Path) -> None:
    """Every metric of every initiative at two starts, as ``initiative_metrics`` gives it."""
    for path in cases(tmp_path):
        portfolio, _ = load_portfolio(path, purpose="roi")
        cal = Calendar.from_settings(portfolio.settings)
        dated = 0
        for shift in (0, 3):
            starts = {
                i.id: earliest_start_period(i, cal) + (shift if i.status is Status.PROPOSED else 0)
                for i in portfolio.initiatives
            }
            many = initiatives_metrics(portfolio, starts, cal)
            assert list(many) == list(starts)
            for iid, start in starts.items():
                one = initiative_metrics(portfolio, iid, cal, start)
                for f in fields(one):
                    a, b = getattr(many[iid], f.name), getattr(one, f.name)
                    if isinstance(a, float) or isinstance(b, float):
                        assert same(a, b, rel=1e-7), (path.name, iid, f.name, a, b)
                    elif isinstance(a, tuple):  # every IRR root, found by two methods
                        assert len(a) == len(b), (path.name, iid, f.name, a, b)
                        assert all(same(u, v, rel=1e-7) for u, v in zip(a, b, strict=True))
                    else:
                        assert a == b, (path.name, iid, f.name)
                ini = portfolio.initiative_by_id[iid]
                dated += bool(len(cash_flows(ini, start, cal, portfolio.settings, portfolio).dated))
        assert dated or path in SAMPLES
