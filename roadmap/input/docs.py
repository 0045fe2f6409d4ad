"""The README's "input workbook" and "validation" sections, generated from the declarations.

``schema_markdown()`` renders ``roadmap.input.schema`` (sheets, columns, types, units, defaults) and
``rules_markdown()`` renders ``roadmap.input.rules`` (every check's code, level and wording), so the
documentation cannot drift from what the reader and the validator do.
"""

from __future__ import annotations

import re
from datetime import date

from roadmap.input import schema
from roadmap.input.rules import RULES
from roadmap.input.schema import SHEETS, Column, Sheet


def _required(sheet: Sheet) -> str:
    if not sheet.required:
        return "optional"
    return "for `plan` (not `roi`)" if sheet.plan_only else "yes"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _number(value: float | date) -> str:
    return value.isoformat() if isinstance(value, date) else f"{value:g}"


def _default(column: Column) -> str:
    value = column.default
    if value is None or value == "":
        return ""
    if column.type == "percent" and isinstance(value, int | float):
        return f"{value * 100:g}%"
    if column.type == "bool":
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _allowed(column: Column) -> str:
    if column.choices:
        return ", ".join(column.choices)
    if column.type == "percent" and (column.minimum, column.maximum) == (0, 1):
        return "0–100%"
    low = "" if column.minimum is None else _number(column.minimum)
    high = "" if column.maximum is None else _number(column.maximum)
    if column.type == "money" and not low:
        low = "0"
    if low and high:
        return f"{low}–{high}"
    return f"≥ {low}" if low else (f"≤ {high}" if high else "")


# What the reader accepts beyond the schema's one-line summary (see roadmap.input.cells).
_ACCEPTED = {
    "number": "a number; thousands separators (1,250,000 / 1 250 000 / 1.250.000,50), currency "
    "signs and codes (€, $, EUR), k/m/bn suffixes (€1.2m) and accounting negatives ((1,000) = −1000)",
    "money": "as number, in the workbook's currency; never negative, at most 1e13",
    "percent": "8%, 8 % or 0.08 all mean 8 %; a cell formatted as a percentage is read as it "
    "shows (150 % = 1.5); a bare number above 1 and up to 100 (8) is read as 8 % with a warning "
    "naming the cell and the value taken; a bare number above 100 is refused",
    "date": "a real Excel date, ISO text (2027-04-01), a month (2027-04 = its 1st day), a "
    "quarter (2027-Q2) or an Excel serial number; 01/04/2027 is refused as ambiguous",
    "bool": "yes/no, true/false, y/n, 1/0, x; blank = no",
    "choice": "one of the values listed under Allowed, in any case (In Progress = in progress)",
    "lifts": "capability lifts: 'CAP-01: 1, CAP-02: 0.5'; a capability without an amount gains 1",
}


def type_legend() -> dict[str, str]:
    """Cell type -> what is accepted: the schema module's docstring, refined by the reader's rules."""
    legend: dict[str, str] = {}
    for line in (schema.__doc__ or "").splitlines():
        match = re.match(r"^- ``(\w+)``\s+(.*)$", line.strip())
        if match:
            legend[match.group(1)] = match.group(2).replace("``", "`")
    return legend | {k: v for k, v in _ACCEPTED.items() if k in legend}


def sheet_markdown(sheet: Sheet) -> str:
    note = "" if sheet.required else " (optional)"
    note = " (needed by `plan`, not by `roi`)" if sheet.required and sheet.plan_only else note
    lines = [f"### {sheet.name}" + note, "", sheet.help, ""]
    if sheet.wide:
        lines += ["Plus one column per criterion, headed with the criterion's ID.", ""]
    lines += [
        "| Column | Type | Unit | Required | Default | Allowed | Meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in sheet.columns:
        cells = (
            c.header,
            c.type,
            c.unit,
            "yes" if c.required else "",
            _default(c),
            _allowed(c),
            c.help,
        )
        lines.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    return "\n".join(lines)


def schema_markdown() -> str:
    """The input workbook section: sheets, then each sheet's columns, then the cell types."""
    out = [
        "## The input workbook",
        "",
        "One Excel workbook (.xlsx), one sheet per topic. Sheet names and column headers are "
        "matched ignoring case, spaces and punctuation; columns may be in any order; extra "
        "columns and sheets are ignored (with a warning); blank rows are skipped. Formulas are "
        "read from their saved results. `roadmap template FILE.xlsx` writes a blank workbook "
        "with every sheet, header note and drop-down.",
        "",
        "| Sheet | Required | What it holds |",
        "|---|---|---|",
    ]
    out += [f"| {s.name} | {_required(s)} | {_cell(s.help)} |" for s in SHEETS]
    out += ["", "### Cell types", "", "| Type | Accepted |", "|---|---|"]
    out += [f"| `{k}` | {_cell(v)} |" for k, v in type_legend().items()]
    out += [
        "",
        "Merged cells hold their value in the top-left cell only, so a merge over a required "
        "column is an error; text starting with = is kept as text.",
        "",
    ]
    out += [sheet_markdown(s) + "\n" for s in SHEETS]
    return "\n".join(out).rstrip() + "\n"


def rules_markdown() -> str:
    """The validation section: what `roadmap validate` checks, by stable code."""
    out = [
        "## Validation",
        "",
        "`roadmap validate INPUT` lists every problem with its cell (e.g. `Initiatives!F12`) and "
        "how to fix it. Exit code 0: the workbook can be planned (warnings allowed); 2: it has "
        "errors. `--strict` treats warnings as errors. The input file is only read.",
        "",
        "| Code | Level | Message |",
        "|---|---|---|",
    ]
    for rule in RULES.values():
        message = rule.doc or re.sub(r"\{[^}]*\}", "…", rule.message)
        out.append(f"| `{rule.code}` | {rule.severity.value} | {_cell(message)} |")
    return "\n".join(out) + "\n"
