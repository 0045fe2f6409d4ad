"""Start values (NPV at every start, spend by offset) for large portfolios: parametric columns,
explicit Cash flows rows, and escalation with hurdle rates. Prints a table; run
``python tests/benchmarks/bench_start_values.py``."""

from __future__ import annotations

import time
from dataclasses import replace

from roadmap.domain import CashFlowLine, FlowBasis, FlowCategory
from roadmap.money.calendar import Calendar
from roadmap.money.finance import start_values
from roadmap.testing.synthetic import synthetic_portfolio


def _explicit(p):
    """Every initiative's money as yearly Cash flows rows (capex at the start, 5 benefit years)."""
    lines = []
    for ini in p.initiatives:
        lines.append(CashFlowLine(ini.id, FlowCategory.CAPEX, ini.capex + 1.0, year=0))
        for y in range(1, 6):
            amount = ini.annual_benefit * (0.5 + 0.2 * y)
            lines.append(
                CashFlowLine(
                    ini.id, FlowCategory.BENEFIT, amount, year=y, counted_from=FlowBasis.GO_LIVE
                )
            )
        lines.append(
            CashFlowLine(
                ini.id, FlowCategory.OTHER, -0.1 * ini.capex, year=4, counted_from=FlowBasis.GO_LIVE
            )
        )
    return replace(p, cash_flows=tuple(lines))


def _escalated(p):
    s = replace(p.settings, cost_escalation=0.03, benefit_escalation=0.02)
    inis = tuple(
        replace(i, hurdle_rate=0.12) if k % 3 == 0 else i for k, i in enumerate(p.initiatives)
    )
    return replace(p, settings=s, initiatives=inis)


def main() -> None:
    print("| initiatives | periods | case | seconds (best of 3) |")
    print("|---|---|---|---|")
    for n, period, horizon in ((200, "quarter", 16), (1000, "month", 48)):
        base = synthetic_portfolio(n, horizon, 8, 1, period=period)
        cal = Calendar.from_settings(base.settings)
        for name, p in (("parametric", base), ("Cash flows rows", _explicit(base)),
                        ("escalation + hurdles", _escalated(_explicit(base)))):  # fmt: skip
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                start_values(p, cal)
                best = min(best, time.perf_counter() - t0)
            print(f"| {n} | {horizon} {period}s | {name} | {best:.3f} |")


if __name__ == "__main__":
    main()
