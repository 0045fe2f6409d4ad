"""The Scenarios sheet: headline figures side by side, and when each initiative starts in each
scenario (cells that differ from the first plan — the base — highlighted)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import ObjectiveKind, Plan
from roadmap.excel.writing import (
    DATE,
    NUMBER,
    PERCENT,
    currency_format,
    finish_sheet,
    put,
    write_table,
    write_title,
)
from roadmap.money.calendar import Calendar
from roadmap.report.layout import refit, wrap_rows, wrap_subtitle

SHEET = "Scenarios"
CHANGED_FILL = PatternFill("solid", fgColor="FFE699")
SECTION_FONT = Font(bold=True, size=12)
# label and what it means (the second column, so the figures line up with the start matrix)
FIGURE_NOTES = (
    ("Optimised for", "the objective the solver maximised"),
    ("Objective", "its value in the plan"),
    (
        "Portfolio NPV",
        "at plan start, risk-adjusted as in Settings; an initiative with a hurdle rate at that "
        "rate, which a scenario's Discount rate moves by the same points",
    ),
    ("Total spend in the horizon", "capex + one-off opex + run cost inside the plan"),
    ("Initiatives selected", "work in progress included"),
    ("Capability gap closed", "share of the importance-weighted maturity gap"),
    ("Payback date", "when cumulative net cash flow turns positive"),
    ("Solver status", "optimal = proven within the requested gap"),
    ("Solver gap", "proven distance from the best possible plan"),
)
FIGURES = tuple(label for label, _ in FIGURE_NOTES)
POINTS = '#,##0.0 "pts"'
LINK_FONT = Font(color="0563C1", underline="single")
LINKS_LABEL = "Plan sheets"


@dataclass(frozen=True)
class ScenarioFigures:
    name: str
    objective_kind: str
    objective: float | None
    npv: float | None
    spend: float | None
    selected: int | None
    gap_closed: float | None
    payback: object  # a date, or None
    status: str
    solver_gap: float | None

    def values(self) -> list[object]:
        return [
            self.objective_kind,
            self.objective,
            self.npv,
            self.spend,
            self.selected,
            self.gap_closed,
            self.payback,
            self.status,
            self.solver_gap,
        ]


def figures(plan: Plan) -> ScenarioFigures:
    """The comparison figures of one plan, computed as the plan workbook's Summary does."""
    name = plan.scenario or "Base"
    report = plan.report
    if not report.status.has_plan:
        return ScenarioFigures(
            name,
            plan.objective.value,
            None,
            None,
            None,
            None,
            None,
            None,
            report.status.value,
            report.gap,
        )
    from roadmap.plan_facts import plan_facts

    h = plan_facts(plan).headline
    return ScenarioFigures(
        name,
        plan.objective.value,
        report.objective,
        h.metrics.npv,
        h.spend,
        h.selected,
        h.gap_closed,
        h.metrics.payback_date,
        report.status.value,
        report.gap,
    )


def _unique(names: Sequence[str]) -> list[str]:
    """Table headers must differ: repeated names get a number."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def start_matrix(plans: Sequence[Plan]) -> tuple[list[tuple[str, str]], list[list[str | None]]]:
    """(id, name) of every initiative selected in any plan (base portfolio order, then others),
    and per initiative the start period label in each plan (None: not selected)."""
    order: dict[str, str] = {}
    for plan in plans:
        for ini in plan.portfolio.initiatives:
            if ini.id in plan.starts and ini.id not in order:
                order[ini.id] = ini.name
    if plans:
        base_order = [i.id for i in plans[0].portfolio.initiatives]
        rank = {iid: k for k, iid in enumerate(base_order)}
        keys = sorted(order, key=lambda i: (rank.get(i, len(rank)), i))
        order = {k: order[k] for k in keys}
    calendars = [Calendar.from_settings(p.portfolio.settings) for p in plans]
    labels = [
        [
            cal.label(p.starts[iid]) if iid in p.starts else None
            for p, cal in zip(plans, calendars, strict=True)
        ]
        for iid in order
    ]
    return list(order.items()), labels


CAPACITY_COST = "Cost of capacity added"
NET_NPV = "Portfolio NPV net of capacity cost"
NET_OBJECTIVE = "Objective net of capacity cost"


def capacity_cost_rows(
    plans: Sequence[Plan], npvs: Sequence[float | None] | None = None
) -> list[list[object]]:
    """When a scenario changes team capacity: what the change costs (FTE at the team's cost per
    FTE-year, discounted to plan start), the Portfolio NPV net of it (whatever each plan was
    optimised for: a hire that adds less value than it costs loses money), and, for plans
    optimised for NPV, the objective net of it. None = unpriced or not money."""
    from roadmap.analysis.marginal import capacity_cost

    if not plans:
        return []
    base = plans[0].portfolio
    costs = [capacity_cost(base, p.portfolio) for p in plans]
    if all(abs(c.fte_years) < 1e-9 for c in costs):
        return []
    if npvs is None:
        npvs = [figures(p).npv for p in plans]
    rows: list[list[object]] = [
        [
            CAPACITY_COST,
            "extra FTE x cost per FTE-year (Teams sheet), discounted; blank = no cost given",
            *(c.present_value if abs(c.fte_years) > 1e-9 else 0.0 for c in costs),
        ]
    ]

    def net_of(value: float | None, c: object) -> float | None:
        pv = getattr(c, "present_value", None)
        return None if value is None or pv is None else value - pv

    rows.append(
        [
            NET_NPV,
            "Portfolio NPV minus the cost of capacity added: what the scenario is worth",
            *(net_of(v, c) for v, c in zip(npvs, costs, strict=True)),
        ]
    )
    if any(p.objective is ObjectiveKind.NPV for p in plans):
        net = [
            net_of(
                p.report.objective
                if p.report.status.has_plan and p.objective is ObjectiveKind.NPV
                else None,
                c,
            )
            for p, c in zip(plans, costs, strict=True)
        ]
        rows.append(
            [NET_OBJECTIVE, "the objective minus the cost of capacity added (NPV only)", *net]
        )
    return rows


def add_scenario_comparison(
    wb: Workbook, plans: Sequence[Plan], index: int = 0, currency: str | None = None
) -> Worksheet:
    """Insert the Scenarios sheet at ``index`` (first by default). ``plans[0]`` is the reference
    the start matrix highlights differences against (normally the base case)."""
    ws = wb.create_sheet(SHEET, index)
    if currency is None:
        currency = plans[0].portfolio.settings.currency if plans else "EUR"
    money = currency_format(currency)
    names = _unique([p.scenario or "Base" for p in plans])
    top = write_title(
        ws,
        "Scenario comparison",
        f"Amounts in {currency}. Start periods that differ from '{names[0] if names else ''}' "
        "are highlighted; blank = not selected.",
    )
    figs = [figures(p) for p in plans]
    data = [f.values() for f in figs]
    table = [
        [label, note, *(row[k] for row in data)] for k, (label, note) in enumerate(FIGURE_NOTES)
    ]
    table += capacity_cost_rows(plans, [f.npv for f in figs])
    last, _ = write_table(
        ws, ["Figure", "Meaning", *names], table, name="Scenario_figures", top=top
    )
    formats = {
        "Objective": money,
        "Portfolio NPV": money,
        "Total spend in the horizon": money,
        "Initiatives selected": NUMBER,
        "Capability gap closed": PERCENT,
        "Payback date": DATE,
        "Solver gap": "0.00%",
    }
    formats[CAPACITY_COST] = money
    formats[NET_OBJECTIVE] = money
    formats[NET_NPV] = money
    for r, label in enumerate([str(row[0]) for row in table], start=top + 1):
        for c, plan in enumerate(plans, start=3):
            cell = ws.cell(row=r, column=c)
            if cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = formats.get(label, NUMBER)
                if label == "Objective" and plan.objective is not ObjectiveKind.NPV:
                    cell.number_format = POINTS  # a score, not money: one format per unit

    matrix_top = last + 4  # a row for the plan-sheet links, a blank, the heading
    put(ws, matrix_top - 1, 1, "Start period by scenario").font = SECTION_FONT
    initiatives, labels = start_matrix(plans)
    body = [[iid, name, *row] for (iid, name), row in zip(initiatives, labels, strict=True)]
    write_table(ws, ["ID", "Name", *names], body, name="Scenario_starts", top=matrix_top)
    for r, row in enumerate(labels, start=matrix_top + 1):
        for c, value in enumerate(row[1:], start=4):
            if value != row[0]:
                ws.cell(row=r, column=c).fill = CHANGED_FILL
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top)
    ws.column_dimensions["B"].width = min(ws.column_dimensions["B"].width or 8, 44)
    # the meanings and names wrap: cut at the next column's figure, they read "proven dista"
    wrap_rows(ws, top + 1, last, [2])
    wrap_rows(ws, matrix_top + 1, matrix_top + max(1, len(body)), [2])
    wrap_subtitle(ws, last_col=max(3, len(names) + 2))
    return ws


def link_scenario_sheets(ws: Worksheet, first_sheets: dict[int, str]) -> None:
    """Under the figures table, one link per scenario column to that scenario's first sheet
    (``first_sheets`` maps the scenario's position among the plans to the sheet name)."""
    ref = ws.tables["tbl_Scenario_figures"].ref
    row = int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1
    if not first_sheets:
        return
    put(ws, row, 1, LINKS_LABEL).font = Font(bold=True)
    put(ws, row, 2, "each scenario's own sheets start here")
    for k, sheet in first_sheets.items():
        cell = put(ws, row, 3 + k, sheet.rsplit(" ", 1)[0] + " →")
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1")
        cell.font = LINK_FONT


def split_paths(output: Path, names: Sequence[str]) -> list[Path]:
    """One workbook path per scenario next to ``output`` (``plan.xlsx`` + "Budget cut 20%" ->
    ``plan-budget-cut-20.xlsx``); names that slug alike get ``-2``, ``-3`` …"""
    taken: set[str] = set()
    out = []
    for name in names:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or "scenario"
        candidate, k = slug, 1
        while candidate in taken:
            k += 1
            candidate = f"{slug}-{k}"
        taken.add(candidate)
        out.append(output.with_name(f"{output.stem}-{candidate}{output.suffix or '.xlsx'}"))
    return out
