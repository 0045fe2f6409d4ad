"""The cost of extra FTE: priced from the Teams sheet, discounted, netted off marginal gains."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roadmap.analysis.marginal import TEAM, MarginalValue, Probe, capacity_cost, with_cost
from roadmap.domain import Plan, Portfolio, SolveReport, SolveStatus
from roadmap.input.scenarios import add_capacity
from roadmap.money.calendar import Calendar
from roadmap.money.finance import npv
from roadmap.testing.synthetic import synthetic_portfolio


def plan_of(p: Portfolio) -> Plan:
    return Plan(p, {}, SolveReport(SolveStatus.OPTIMAL, objective=1e6))


def priced(cost: float | None):
    p = synthetic_portfolio(6, 8, 2, seed=1)
    return replace(p, teams=tuple(replace(t, cost_per_fte_year=cost) for t in p.teams))


def test_one_fte_for_the_whole_horizon_costs_its_discounted_salary() -> None:
    p = priced(120_000.0)
    cal = Calendar.from_settings(p.settings)
    more = add_capacity(p, p.teams[0].id, 1.0, cal.start(0))
    cost = capacity_cost(p, more)
    per_period = 120_000.0 / cal.periods_per_year
    flows = [per_period] * cal.horizon
    assert cost.fte_years == pytest.approx(cal.horizon / cal.periods_per_year)
    assert cost.nominal == pytest.approx(per_period * cal.horizon)
    rate = cal.per_period_rate(p.settings.discount_rate)
    assert cost.present_value == pytest.approx(npv(rate, flows))
    assert cost.present_value < cost.nominal


def test_from_a_later_period_and_removed_capacity() -> None:
    p = priced(100_000.0)
    cal = Calendar.from_settings(p.settings)
    later = capacity_cost(p, add_capacity(p, p.teams[1].id, 2.0, cal.start(4)))
    assert later.nominal == pytest.approx(2 * 100_000.0 / cal.periods_per_year * (cal.horizon - 4))
    fewer = capacity_cost(p, add_capacity(p, p.teams[1].id, -1.0, cal.start(0)))
    assert fewer.nominal is not None and fewer.nominal < 0  # a saving
    assert capacity_cost(p, p).fte_years == 0.0


def test_unpriced_team_leaves_the_cost_unknown() -> None:
    p = priced(None)
    cal = Calendar.from_settings(p.settings)
    cost = capacity_cost(p, add_capacity(p, p.teams[0].id, 1.0, cal.start(0)))
    assert cost.present_value is None and cost.unpriced == (p.teams[0].id,)


def test_marginal_value_net_of_the_fte_cost() -> None:
    p = priced(120_000.0)
    cal = Calendar.from_settings(p.settings)
    probe = Probe(TEAM, p.teams[0].id, "+1 FTE", add_capacity(p, p.teams[0].id, 1.0, cal.start(0)))
    value = MarginalValue(
        TEAM, probe.key, probe.change, 1e6, 1.5e6, 5e5, 6e5, SolveStatus.OPTIMAL, 0.0
    )
    out = with_cost(value, probe, p, plan_of(p))
    assert out.cost == pytest.approx(capacity_cost(p, probe.portfolio).present_value)
    assert out.net == pytest.approx(5e5 - out.cost)
    bare = priced(None)
    more = add_capacity(bare, bare.teams[0].id, 1.0, cal.start(0))
    unpriced = with_cost(value, replace(probe, portfolio=more), bare, plan_of(bare))
    assert unpriced.net is None and "no cost per FTE-year" in unpriced.note
