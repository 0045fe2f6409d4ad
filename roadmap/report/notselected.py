"""Not selected sheet: every candidate the plan leaves out, and why."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import ObjectiveKind
from roadmap.plan_facts import PlanFacts, not_selected
from roadmap.report.excel import DECIMAL, finish_sheet, write_table, write_title
from roadmap.report.layout import Formats, refit, wrap_rows

METHODS = {
    "re-solve": "re-solved with the initiative forced in",
    "estimate": "estimated from the initiative's best start",
}


def write_not_selected(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> None:
    top = write_title(
        ws,
        "Not selected",
        "Value lost = how much the objective drops if the initiative is forced into the plan "
        "(blank: it cannot be forced in).",
    )
    # value lost is in the objective's units: money only when the objective is NPV
    value_format = fmt.money if facts.plan.objective is ObjectiveKind.NPV else DECIMAL
    why = {w.initiative: w for w in facts.plan.why_not}
    headers = [
        "ID",
        "Name",
        "Owner function",
        "Flags",
        "Why not",
        "Value lost if forced in",
        "Method",
    ]
    rows = []
    for ini in not_selected(facts.plan):
        w = why.get(ini.id)
        flags = [x for x, on in (("excluded", ini.excluded), ("mandatory", ini.mandatory)) if on]
        reasons = "; ".join(w.reasons) if w and w.reasons else "not analysed"
        method = METHODS.get(w.method, w.method) if w else ""
        rows.append(
            [
                ini.id,
                ini.name,
                ini.owner_function,
                ", ".join(flags),
                reasons,
                w.value_lost if w else None,
                method,
            ]
        )
    last, _ = write_table(
        ws,
        headers,
        rows,
        name="Not_selected",
        top=top,
        formats={"Value lost if forced in": value_format},
    )
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top, maximum=70)
    wrapped = []
    for header, width in (("Why not", 70), ("Method", 44)):  # figures like (-1,968) stay whole
        col = headers.index(header) + 1
        ws.column_dimensions[get_column_letter(col)].width = width
        wrapped.append(col)
    wrap_rows(ws, top + 1, last, wrapped)
