"""Assumptions sheet: every setting and fact needed to reproduce or audit the plan."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from roadmap import __version__
from roadmap.domain import ObjectiveKind, Settings
from roadmap.excel.writing import DECIMAL, finish_sheet, write_table, write_title
from roadmap.input.schema import SETTINGS
from roadmap.plan_facts import PlanFacts
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


SHARE = "0.0##%"
COMMAND_LINE_SETTING = {"gap": "mip_gap"}  # option name -> the setting it overrides
INPUT_FORMATS = {"percent": SHARE, "int": "#,##0", "number": "#,##0.###", "date": "yyyy-mm-dd"}


def setting_rows(settings: Settings, fmt: Formats) -> list[tuple[str, object, str | None]]:
    """Every setting as the input workbook names and formats it: 'Solver gap' 0.5 %, not
    'mip gap' 0.005; a setting the Settings sheet does not have keeps its own name."""
    columns = {c.key: c for c in SETTINGS.columns}
    out: list[tuple[str, object, str | None]] = []
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        column = columns.get(f.name)
        if column is None:
            out.append((f.name.replace("_", " ").capitalize(), _text(value), None))
            continue
        label = f"{column.header} ({column.unit})" if column.unit else column.header
        number_format = fmt.money if column.type == "money" else INPUT_FORMATS.get(column.type)
        if isinstance(value, Enum):
            value = value.value
        out.append((label, _text(value), number_format))
    return out


def timed_out(facts: PlanFacts) -> bool:
    """The clock, not the gap or the work limit, stopped the search: the plan may differ on a
    faster or quieter machine."""
    return facts.plan.report.clock_stopped and facts.plan.report.status.has_plan


def write_assumptions(ws: Worksheet, facts: PlanFacts, fmt: Formats, run: RunInfo) -> None:
    plan, report = facts.plan, facts.plan.report
    top = write_title(ws, "Assumptions", "Everything used to produce this plan.")
    rows: list[list[object]] = []
    formats: dict[int, str] = {}  # row index -> number format
    objective_format = fmt.money if plan.objective is ObjectiveKind.NPV else DECIMAL
    for label, value, number_format in setting_rows(plan.portfolio.settings, fmt):
        if number_format:
            formats[len(rows)] = number_format
        rows.append(["Setting", label, value])
    columns = {c.key: c for c in SETTINGS.columns}
    for name, value in run.options:
        # a command-line option that overrides a setting is named and formatted like it
        column = columns.get(COMMAND_LINE_SETTING.get(name, name.replace(" ", "_")))
        label = name
        shown: object = value
        if column is not None:
            label = f"{column.header} ({column.unit})" if column.unit else column.header
            number_format = INPUT_FORMATS.get(column.type)
            if number_format:
                try:
                    shown = float(value)
                    formats[len(rows)] = number_format
                except ValueError:
                    pass
        rows.append(["Command line", label, shown])
    status = report.status.value
    if timed_out(facts):
        status += " (stopped at the time limit; the best plan found so far)"
    elif report.status.value == "feasible":
        status += " (stopped at its work limit; the best plan found within it)"
    run_rows = [
        ("Scenario", plan.scenario or "base case"),
        ("Input file", run.input_name or plan.portfolio.source),
        ("Input SHA-256", run.input_sha256),
        ("Tool version", f"roadmap {__version__}"),
        ("Solver used", report.solver),
        ("Solver version", report.solver_version),
        ("Solver status", status),
        ("Solver message", report.message),
        ("Objective optimised", plan.objective.value),
        ("Objective value", report.objective),
        ("Best bound", report.bound),
        ("Relative gap", report.gap),
        ("Time limit (s)", run.time_limit),
        ("Build time (s)", round(report.build_seconds, 2)),
        ("Solve time (s)", round(report.solve_seconds, 2)),
        ("Branch-and-bound nodes", report.nodes),
        ("Stage times (s)", "; ".join(f"{name} {sec:.2f}" for name, sec in report.stages)),
        ("Variables", report.variables),
        ("Constraints", report.constraints),
        ("Greedy baseline objective", plan.greedy_objective),
        ("Generated", run.timestamp.replace(tzinfo=None, microsecond=0)),
    ]
    for name, value in run_rows:
        if name in ("Objective value", "Best bound", "Greedy baseline objective"):
            formats[len(rows)] = objective_format
        elif name == "Relative gap":
            formats[len(rows)] = "0.00%"
        rows.append(["Run", name, _text(value)])
    rows += [["Overload used", "", text] for text in plan.overloads]
    if not plan.overloads:
        rows.append(["Overload used", "", "none: every team within its capacity"])
    write_table(ws, ["Group", "Item", "Value"], rows, name="Assumptions", top=top)
    for k in range(len(rows)):
        cell = ws.cell(row=top + 1 + k, column=3)
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        elif k in formats and isinstance(cell.value, (int, float)):
            cell.number_format = formats[k]
        if isinstance(cell.value, (int, float, date)):
            cell.alignment = Alignment(horizontal="left", indent=1)  # in line with the text
    finish_sheet(ws, header_row=top, freeze_col=0)
    refit(ws, top, maximum=80)
