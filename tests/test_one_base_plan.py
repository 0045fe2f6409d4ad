"""One input, one base plan: ``plan``, the Base of ``--all-scenarios``, the 100 % point of the
frontier and the base of ``--marginal`` are the same plan, whatever the number of workers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from roadmap.analysis.frontier import frontier
from roadmap.app.plan_run import RunOptions, marginal_sheet, plan_case, plan_scenarios
from roadmap.domain import Portfolio, Scenario, ScenarioOverride, SolveStatus

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def with_scenarios(p: Portfolio) -> Portfolio:
    scenarios = (
        Scenario("Cut", overrides=(ScenarioOverride("budget_scale", "80%"),)),
        Scenario("Hire", overrides=(ScenarioOverride("capacity_change", "+1", target="T01"),)),
    )
    return replace(p, scenarios=scenarios)


def base_plans(p: Portfolio, jobs: int) -> dict[str, dict[str, int]]:
    options = RunOptions(jobs=jobs)
    single = plan_case(p, options)
    # proven within the Settings' gap (0.1 % unless set), on work alone: no clock decided it
    assert single.report.status is SolveStatus.OPTIMAL and not single.report.clock_stopped
    assert single.report.gap is not None and single.report.gap <= p.settings.mip_gap + 1e-12
    scenarios = plan_scenarios(p, options)
    points = frontier(p, start=0.5, stop=1.5, steps=3, jobs_n=jobs)
    assert points[1].level == 1.0 and points[1].plan is not None
    marginal = marginal_sheet(single, options)  # its base is the plan it is given
    assert callable(marginal)
    return {
        "plan": dict(single.starts),
        "all-scenarios Base": dict(scenarios[0].starts),
        "frontier 100%": dict(points[1].plan.starts),
    }


@pytest.mark.parametrize("seed", [5, 11])
def test_the_same_base_plan_everywhere_with_one_or_two_workers(seed: int) -> None:
    from roadmap.testing.synthetic import synthetic_portfolio

    p = with_scenarios(synthetic_portfolio(12, 8, 2, seed=seed, budget_share=0.4))
    found = {**base_plans(p, 1), **{f"{k}, 2 jobs": v for k, v in base_plans(p, 2).items()}}
    first = next(iter(found.values()))
    assert all(starts == first for starts in found.values()), found


@pytest.mark.slow
def test_the_same_base_plan_on_the_retail_sample() -> None:
    from roadmap.input.reader import load_portfolio

    p, _ = load_portfolio(SAMPLES / "retail-d2c.xlsx")
    found = {**base_plans(p, 1), **{f"{k}, 2 jobs": v for k, v in base_plans(p, 2).items()}}
    first = next(iter(found.values()))
    assert all(starts == first for starts in found.values())
