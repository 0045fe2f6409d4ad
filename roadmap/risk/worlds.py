"""One sampled world as a Portfolio: each initiative's build cost and benefits scaled and its
duration replaced, in its Initiatives columns and in its Cash flows rows alike (as the cost
overrun and benefit haircut scenarios scale them)."""

from __future__ import annotations

from dataclasses import replace

from roadmap.domain import CashFlowLine, FlowCategory, Initiative, Portfolio
from roadmap.risk.sampling import Draws

BUILD = frozenset({FlowCategory.CAPEX, FlowCategory.ONE_OFF_OPEX})
BENEFIT = frozenset({FlowCategory.BENEFIT})


def scaled_initiative(ini: Initiative, cost: float, benefit: float, duration: int) -> Initiative:
    """The initiative with its build cost x ``cost``, benefits x ``benefit``, ``duration``."""
    return replace(
        ini,
        capex=ini.capex * cost,
        one_off_opex=ini.one_off_opex * cost,
        benefit_revenue=ini.benefit_revenue * benefit,
        benefit_saving=ini.benefit_saving * benefit,
        duration=int(duration),
    )


def scaled_line(line: CashFlowLine, cost: float, benefit: float) -> CashFlowLine:
    if line.category in BUILD:
        return replace(line, amount=line.amount * cost)
    if line.category in BENEFIT:
        return replace(line, amount=line.amount * benefit)
    return line


def single(
    portfolio: Portfolio, ini: Initiative, cost: float, benefit: float, duration: int
) -> Portfolio:
    """A portfolio of one initiative, scaled: enough for the money code to value it."""
    lines = tuple(
        scaled_line(c, cost, benefit) for c in portfolio.cash_flows_by_initiative.get(ini.id, ())
    )
    return replace(
        portfolio,
        initiatives=(scaled_initiative(ini, cost, benefit, duration),),
        cash_flows=lines,
        scenarios=(),
    )


def world(portfolio: Portfolio, draws: Draws, k: int) -> Portfolio:
    """Sampled world ``k``: every initiative as drawn (risk events included)."""
    index = {iid: j for j, iid in enumerate(draws.ids)}
    cost, benefit = draws.cost_factor[k], draws.benefit_factor[k]
    durations = draws.durations[k]

    def one(ini: Initiative) -> Initiative:
        j = index[ini.id]
        return scaled_initiative(ini, float(cost[j]), float(benefit[j]), int(durations[j]))

    lines = tuple(
        scaled_line(c, float(cost[index[c.initiative]]), float(benefit[index[c.initiative]]))
        if c.initiative in index
        else c
        for c in portfolio.cash_flows
    )
    return replace(
        portfolio,
        initiatives=tuple(one(i) for i in portfolio.initiatives),
        cash_flows=lines,
        scenarios=(),
        source=f"{portfolio.source} (world {k + 1})" if portfolio.source else f"world {k + 1}",
    )
