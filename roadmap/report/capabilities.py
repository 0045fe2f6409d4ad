"""Capabilities and Accountability sheets: what the plan builds and who answers for it."""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.writing import DECIMAL, finish_sheet, write_table, write_title
from roadmap.plan_facts import PlanFacts
from roadmap.report.layout import Formats, refit, wrap_rows

FLAG_FILL = PatternFill("solid", fgColor="FFC7CE")
FLAG_FONT = Font(color="9C0006")


def write_capabilities(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> None:
    top = write_title(
        ws,
        "Capabilities",
        "Maturity after the plan = current + the lifts of selected initiatives that go live within "
        "the horizon (capped at 5). Target reached = go-live of the initiative that closes the gap. "
        "One need, one owner: each capability should have a single owning function, and the "
        "initiatives lifting it should belong to it (Ownership flag).",
    )
    headers = [
        "ID",
        "Name",
        "Owner function",
        "Current",
        "After plan",
        "Target",
        "Gap closed",
        "Contributing initiatives",
        "Target reached",
        "Functions lifting it",
        "Ownership flag",
    ]
    ownership = {o.capability: o for o in facts.ownership}
    rows = []
    for c in facts.capabilities:
        owned = ownership.get(c.id)
        rows.append(
            [
                c.id,
                c.name,
                c.owner_function,
                c.current,
                c.after,
                c.target,
                "no gap" if c.gap_closed is None else c.gap_closed,
                ", ".join(c.contributors),
                "not reached" if c.reached is None else c.reached,
                ", ".join(owned.lifting_functions) if owned else "",
                owned.flag if owned else "",
            ]
        )
    formats = {"Current": DECIMAL, "After plan": DECIMAL, "Target": DECIMAL}
    formats["Gap closed"] = fmt.percent
    formats["Target reached"] = fmt.date
    last, right = write_table(ws, headers, rows, name="Capabilities", top=top, formats=formats)
    flag = get_column_letter(right)
    ws.conditional_formatting.add(
        f"A{top + 1}:{flag}{last}",
        FormulaRule(formula=[f"LEN(${flag}{top + 1})>0"], fill=FLAG_FILL, font=FLAG_FONT),
    )
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top, maximum=20)  # one legible page wide; the longer texts wrap
    ws.column_dimensions[get_column_letter(headers.index("Target reached") + 1)].width = 11
    wrap_rows(
        ws,
        top + 1,
        last,
        [
            headers.index(h) + 1
            for h in ("Name", "Contributing initiatives", "Functions lifting it", "Ownership flag")
        ],
    )


def write_accountability(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> None:
    """The RACI table alone: the capabilities' ownership check is a column of the Capabilities
    sheet (side by side here, a second table printed beside the repeated ID column of this one)."""
    teams = [t.id for t in facts.plan.portfolio.teams]
    top = write_title(
        ws,
        "Accountability",
        "R = the team staffs the initiative; A = the team is accountable for delivery. Whether "
        "each capability has a single owning function: the Capabilities sheet.",
    )
    headers = ["ID", "Name", "Owner function", *teams]
    rows = []
    for row in facts.schedule:
        ini = row.initiative
        marks = facts.responsibility.get(ini.id, {})
        rows.append([ini.id, ini.name, ini.owner_function, *(marks.get(t, "") for t in teams)])
    write_table(ws, headers, rows, name="Accountability", top=top)
    finish_sheet(ws, header_row=top, freeze_col=2)
    refit(ws, top)
    for k, team in enumerate(teams, start=4):
        ws.column_dimensions[get_column_letter(k)].width = max(7, len(team) + 3)
