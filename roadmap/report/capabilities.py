"""Capabilities and Accountability sheets: what the plan builds and who answers for it."""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.writing import DECIMAL, finish_sheet, put, write_table, write_title
from roadmap.plan_facts import PlanFacts
from roadmap.report.layout import SECTION_FONT, Formats, refit

FLAG_FILL = PatternFill("solid", fgColor="FFC7CE")
FLAG_FONT = Font(color="9C0006")


def write_capabilities(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> None:
    top = write_title(
        ws,
        "Capabilities",
        "Maturity after the plan = current + the lifts of selected initiatives that go live within "
        "the horizon (capped at 5). Target reached = go-live of the initiative that closes the gap.",
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
    ]
    rows = [
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
        ]
        for c in facts.capabilities
    ]
    formats = {"Current": DECIMAL, "After plan": DECIMAL, "Target": DECIMAL}
    formats["Gap closed"] = fmt.percent
    formats["Target reached"] = fmt.date
    write_table(ws, headers, rows, name="Capabilities", top=top, formats=formats)
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top)


def write_accountability(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> None:
    teams = [t.id for t in facts.plan.portfolio.teams]
    top = write_title(
        ws,
        "Accountability",
        "R = the team staffs the initiative; A = the team is accountable for delivery. "
        "One need, one owner: each capability should have a single owning function.",
    )
    headers = ["ID", "Name", "Owner function", *teams]
    rows = []
    for row in facts.schedule:
        ini = row.initiative
        marks = facts.responsibility.get(ini.id, {})
        rows.append([ini.id, ini.name, ini.owner_function, *(marks.get(t, "") for t in teams)])
    write_table(ws, headers, rows, name="Accountability", top=top)

    # side by side, so the narrow R/A columns and the ownership texts each get their own widths
    left = len(headers) + 2
    put(ws, top - 1, left, "Capability ownership").font = SECTION_FONT
    cap_headers = ["Capability", "Name", "Owning function", "Functions lifting it", "Flag"]
    cap_rows = [
        [o.capability, o.name, o.owner_function, ", ".join(o.lifting_functions), o.flag]
        for o in facts.ownership
    ]
    cap_last, cap_right = write_table(
        ws, cap_headers, cap_rows, name="Ownership", top=top, left=left
    )
    first, flag = get_column_letter(left), get_column_letter(cap_right)
    ws.conditional_formatting.add(
        f"{first}{top + 1}:{flag}{cap_last}",
        FormulaRule(formula=[f"LEN(${flag}{top + 1})>0"], fill=FLAG_FILL, font=FLAG_FONT),
    )
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top)
    for k, team in enumerate(teams, start=4):
        ws.column_dimensions[get_column_letter(k)].width = max(7, len(team) + 3)
    ws.column_dimensions[get_column_letter(left - 1)].width = 3
