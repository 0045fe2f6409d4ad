"""What the terminal says about plans: the summary of one plan, the diagnosis of an infeasible
one, one status line per scenario. Text only; the commands print it."""

from __future__ import annotations

from typing import Any

from roadmap.domain import Plan, SolveStatus


def summary_lines(plan: Plan, facts: Any) -> list[tuple[str, str]]:
    """The headline of a plan as (label, text) pairs."""
    from roadmap.cli.roi import money, percent, rate

    cur = plan.portfolio.settings.currency
    h, m, r = facts.headline, facts.headline.metrics, plan.report
    budget = f" of {money(h.budget, cur)} ({percent(h.spend_share)})" if h.budget else ""
    gap = f", gap {r.gap:.2%}" if r.gap is not None else ""
    timed = " (stopped at the time limit)" if r.status is SolveStatus.FEASIBLE else ""
    return [
        ("Selected", f"{h.selected} of {h.candidates} candidates"),
        ("Spend", f"{money(h.spend, cur)}{budget}"),
        ("NPV", money(m.npv, cur)),
        ("IRR", rate(m.irr_annual)),
        ("MIRR", rate(m.mirr_annual)),
        ("Payback", m.payback_date.isoformat() if m.payback_date else "not within window"),
        ("Gap closed", percent(h.gap_closed)),
        ("Solver", f"{r.solver} {r.status.value}{gap}{timed}"),
        ("Gain over greedy", percent(h.gain_over_greedy)),
    ]


def diagnosis(plan: Plan) -> str:
    """Why no plan exists: the limits that would have to give, one per line."""
    if not plan.shortfalls:
        reason = plan.report.message or "the hard limits contradict each other"
        return f"No feasible plan: {reason}."
    lines = ["No feasible plan. To find one, these limits would have to give:"]
    lines += [f"  - {s.family} {s.key}: {s.message}" for s in plan.shortfalls]
    return "\n".join(lines)


def scenario_line(plan: Plan) -> str:
    """One scenario's plan in a line: its name, how many were selected, status and gap."""
    r = plan.report
    gap = f", gap {r.gap:.2%}" if r.gap is not None and r.status.has_plan else ""
    chosen = f"{len(plan.starts)} selected, " if r.status.has_plan else ""
    return f"{plan.scenario:<28} {chosen}{r.status.value}{gap}"
