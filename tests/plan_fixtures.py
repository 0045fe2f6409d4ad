"""A small hand-made portfolio and plan for the plan-workbook tests (no solver needed)."""

from __future__ import annotations

from datetime import date

from roadmap.domain import (
    BudgetLimit,
    Capability,
    Dependency,
    Initiative,
    Lift,
    Plan,
    Portfolio,
    Settings,
    SolveReport,
    SolveStatus,
    SpendKind,
    Staffing,
    Status,
    System,
    Team,
    WhyNot,
)


def portfolio() -> Portfolio:
    settings = Settings(plan_start=date(2027, 1, 1), horizon=8, fiscal_year_start_month=4)
    return Portfolio(
        settings=settings,
        capabilities=(
            Capability("CAP-1", "Customer data", current=2, target=4, owner_function="Marketing"),
            Capability("CAP-2", "Checkout", current=1, target=3, owner_function="Marketing, IT"),
            Capability("CAP-3", "Reporting", current=3, target=3, owner_function=""),
        ),
        initiatives=(
            Initiative(
                "A",
                "Customer data platform",
                owner_function="Marketing",
                accountable_team="DATA",
                duration=2,
                capex=400_000,
                one_off_opex=50_000,
                run_cost=40_000,
                benefit_revenue=300_000,
                ramp_up=1,
                retires=("SYS-1",),
                lifts=(Lift("CAP-1", 1),),
            ),
            Initiative(
                "B",
                "New checkout",
                owner_function="IT",
                accountable_team="WEB",
                duration=3,
                capex=600_000,
                benefit_saving=250_000,
                lifts=(Lift("CAP-1", 1.5), Lift("CAP-2", 1)),
                cost_profile=(1, 2, 1),
            ),
            Initiative(
                "C",
                "Loyalty app",
                owner_function="Marketing",
                accountable_team="WEB",
                duration=2,
                capex=200_000,
                benefit_revenue=100_000,
                status=Status.IN_PROGRESS,
                actual_start=date(2026, 10, 1),
            ),
            Initiative("D", "Old thing", duration=1, status=Status.DONE),
            Initiative(
                "E",
                '=HYPERLINK("x")',
                owner_function="Ops",
                accountable_team="DATA",
                duration=2,
                capex=900_000,
                benefit_saving=50_000,
            ),
        ),
        dependencies=(Dependency("A", "B"),),
        teams=(
            Team("DATA", "Data", "Data", capacity=4),
            Team("WEB", "Web", "Technology", capacity=3, over_allocation=0.1),
        ),
        staffing=(
            Staffing("A", "DATA", 2),
            Staffing("A", "WEB", 1, (0.5, 1.0)),
            Staffing("B", "WEB", 2),
            Staffing("C", "DATA", 1),
            Staffing("E", "DATA", 3),
        ),
        budgets=(
            BudgetLimit(300_000, period=date(2027, 1, 1)),
            BudgetLimit(1_500_000, fiscal_year=2027),
            BudgetLimit(1_200_000, fiscal_year=2028),
            BudgetLimit(500_000, SpendKind.CAPEX, fiscal_year=2028, pool="IT"),
        ),
        systems=(System("SYS-1", "Legacy CRM", run_cost=100_000),),
        source="fixture.xlsx",
    )


def plan(status: SolveStatus = SolveStatus.OPTIMAL) -> Plan:
    return Plan(
        portfolio(),
        {"A": 0, "B": 2, "C": -1},
        SolveReport(status, "CBC", "2.10.3", 1000.0, 1010.0, 0.01, 0.2, 1.5, 40, 30),
        greedy_objective=800.0,
        why_not=(WhyNot("E", ("over budget in FY2027",), 120.0, "re-solve"),),
        overloads=("WEB 2027-Q3: 3.2 FTE of 3.0",),
    )
