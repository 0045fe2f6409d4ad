"""The README's "input workbook" and "validation" sections, generated from the declarations.

``schema_markdown()`` renders ``roadmap.schema`` (sheets, columns, types, units, defaults) and
``rules_markdown()`` renders ``roadmap.rules`` (every check's code, level and wording), so the
documentation cannot drift from what the reader and the validator do.
"""

from __future__ import annotations

import re

from roadmap import schema
from roadmap.rules import RULES
from roadmap.schema import SHEETS, Column, Sheet


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _number(value: float) -> str:
    return f"{value:g}"


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


def type_legend() -> dict[str, str]:
    """Cell type -> meaning, from the schema module's docstring."""
    legend: dict[str, str] = {}
    for line in (schema.__doc__ or "").splitlines():
        match = re.match(r"^- ``(\w+)``\s+(.*)$", line.strip())
        if match:
            legend[match.group(1)] = match.group(2)
    return legend


def sheet_markdown(sheet: Sheet) -> str:
    lines = [f"### {sheet.name}" + ("" if sheet.required else " (optional)"), "", sheet.help, ""]
    if sheet.key_value:
        lines += ["One row per setting: the name in column A, the value in column B.", ""]
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
    out += [
        f"| {s.name} | {'yes' if s.required else 'optional'} | {_cell(s.help)} |" for s in SHEETS
    ]
    out += ["", "### Cell types", "", "| Type | Accepted |", "|---|---|"]
    out += [f"| `{k}` | {_cell(v)} |" for k, v in type_legend().items()]
    out += [
        "",
        "A bare number above 1 in a percent cell (8) is read as a percentage (8 %), "
        "with a warning; 1 and below are fractions.",
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
