"""Assumptions sheet: every setting and fact needed to reproduce or audit the plan."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl.worksheet.worksheet import Worksheet

from roadmap import __version__
from roadmap.plan_facts import PlanFacts
from roadmap.report.excel import finish_sheet, write_table, write_title
from roadmap.report.layout import Formats, refit


@dataclass(frozen=True)
class RunInfo:
    """Facts about the run that the plan itself does not hold."""

    input_name: str = ""
    input_sha256: str = ""
    timestamp: datetime = field(default_factory=lambda: datetime.now().astimezone())
    options: tuple[tuple[str, str], ...] = ()  # command-line choices, as shown to the user
    time_limit: float | None = None  # seconds the solver was given


def _text(value: object) -> object:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, date)):
        return value
    return str(value)


def timed_out(facts: PlanFacts) -> bool:
    """The solver stopped before proving the plan optimal (a time-out with a plan)."""
    return facts.plan.report.status.value == "feasible"


def write_assumptions(ws: Worksheet, facts: PlanFacts, fmt: Formats, run: RunInfo) -> None:
    plan, report = facts.plan, facts.plan.report
    top = write_title(ws, "Assumptions", "Everything used to produce this plan.")
    rows: list[list[object]] = []
    for f in dataclasses.fields(plan.portfolio.settings):
        rows.append(
            ["Setting", f.name.replace("_", " "), _text(getattr(plan.portfolio.settings, f.name))]
        )
    for name, value in run.options:
        rows.append(["Command line", name, value])
    status = report.status.value
    if timed_out(facts):
        status += " (stopped at the time limit; the best plan found so far)"
    run_rows = [
        ("Scenario", plan.scenario or "base case"),
        ("Input file", run.input_name or plan.portfolio.source),
        ("Input SHA-256", run.input_sha256),
        ("Tool version", f"roadmap {__version__}"),
        ("Solver", report.solver),
        ("Solver version", report.solver_version),
        ("Solver status", status),
        ("Solver message", report.message),
        ("Objective", plan.objective.value),
        ("Objective value", report.objective),
        ("Best bound", report.bound),
        ("Relative gap", report.gap),
        ("Time limit (s)", run.time_limit),
        ("Build time (s)", round(report.build_seconds, 2)),
        ("Solve time (s)", round(report.solve_seconds, 2)),
        ("Variables", report.variables),
        ("Constraints", report.constraints),
        ("Greedy baseline objective", plan.greedy_objective),
        ("Generated", run.timestamp.replace(tzinfo=None, microsecond=0)),
    ]
    rows += [["Run", name, _text(value)] for name, value in run_rows]
    rows += [["Overload used", "", text] for text in plan.overloads]
    if not plan.overloads:
        rows.append(["Overload used", "", "none: every team within its capacity"])
    write_table(ws, ["Group", "Item", "Value"], rows, name="Assumptions", top=top)
    for r in range(top + 1, top + 1 + len(rows)):
        cell = ws.cell(row=r, column=3)
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        elif ws.cell(row=r, column=2).value == "Relative gap" and cell.value != "(none)":
            cell.number_format = "0.00%"
    finish_sheet(ws, header_row=top, freeze_col=0)
    refit(ws, top, maximum=80)
