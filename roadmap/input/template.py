"""Write an input workbook: sheets, headers, help and Excel conveniences, all from ``schema``.

The schema is the single source: a column added there appears here with its header, number
format, drop-down, note and a line on the Instructions sheet, without touching this module.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.writing import FORMULA_PREFIXES, save_atomic
from roadmap.input import schema
from roadmap.input.schema import INSTRUCTIONS_SHEET, SHEETS, Column, Sheet

Rows = Sequence[Mapping[str, object]]

NUMBER_FORMATS: dict[str, str] = {
    "money": "#,##0",
    "percent": "0%",
    "date": "yyyy-mm-dd",
    "int": "0",
}
BOOL_CHOICES = ("yes", "no")
# Drop-downs and formats reach this far below the header so rows the user adds get them too.
PREPARED_ROWS = 500
MAX_WIDTH = 60
# Excel evaluates text starting with these as a formula (or, for '-', '+', '@', as one after an
# edit); input must stay data, so such text is stored as a string and shown with a quote prefix.

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TITLE_FONT = Font(bold=True, size=14)
_SECTION_FONT = Font(bold=True, size=12)
_WRAP = Alignment(wrap_text=True, vertical="top")
_PERCENT_TEXT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*$")


def write_input_workbook(
    path: str | os.PathLike[str],
    tables: Mapping[str, Rows],
    settings: Mapping[str, object] | None = None,
    *,
    instructions: bool = True,
    overwrite: bool = False,
    only: Iterable[str] | None = None,
) -> None:
    """Write an input workbook at ``path`` with every sheet of ``schema.SHEETS``, in order
    (``only``: just the sheets named, e.g. Settings and Initiatives for a money case).

    ``tables`` maps sheet names to rows keyed by ``Column.key``; on the wide sheets (Scores,
    Pairwise) any other key is a criterion id and becomes a column. ``settings`` maps setting keys
    to values; missing ones take the schema default. The file appears complete or not at all.

    Raises ``FileExistsError`` when ``path`` exists and ``overwrite`` is false, and ``ValueError``
    for an unknown sheet name or column key (a typo would otherwise silently drop data).
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} already exists")
    unknown = set(tables) - {s.name for s in SHEETS}
    if unknown:
        raise ValueError(f"unknown sheet(s): {', '.join(sorted(unknown))}")
    unknown_settings = set(settings or {}) - {c.key for c in schema.SETTINGS.columns}
    if unknown_settings:
        raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown_settings))}")

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    wb.properties.title = "Roadmap input workbook"
    wb.properties.subject = "Portfolio, teams, budgets and scenarios for roadmap plan"
    if instructions:
        _write_instructions(wb.create_sheet(INSTRUCTIONS_SHEET))
    keep = None if only is None else set(only)
    for sheet in SHEETS:
        if keep is not None and sheet.name not in keep:
            continue
        ws = wb.create_sheet(sheet.name)
        if sheet.key_value:
            _write_settings(ws, sheet, settings or {})
        else:
            _write_table(ws, sheet, tables.get(sheet.name, ()))
    save_atomic(wb, target, force=True)  # existence was checked above, before any work


class _Fraction(float):
    """A percentage given as text ("150%") and written as its fraction in a % formatted cell."""

    __slots__ = ()


def cell_value(column: Column, value: object) -> object:
    """The value to put in a cell for ``column``: real dates and fractions, lists as text."""
    if value is None or value == "":
        return None
    kind = column.type
    if kind == "date":
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        if isinstance(value, str):
            day = date.fromisoformat(value.strip())
            return datetime(day.year, day.month, day.day)
    if kind == "percent" and isinstance(value, str):
        match = _PERCENT_TEXT.match(value)
        if match:
            return _Fraction(float(match.group(1)) / 100)
    if kind == "bool" and isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "lifts" and not isinstance(value, str):
        pairs = value.items() if isinstance(value, Mapping) else _lift_pairs(value)
        return ", ".join(f"{cap}: {_number_text(amount)}" for cap, amount in pairs)
    if kind in ("list", "numbers") and isinstance(value, Sequence) and not isinstance(value, str):
        return ", ".join(_number_text(v) if kind == "numbers" else str(v) for v in value)
    if isinstance(value, str | bool | int | float | datetime | date):
        return value
    return str(value)  # enums and other values with a readable text form


def number_format(column: Column, value: object = None) -> str:
    """Excel number format for a column (``value`` refines percents that are not whole)."""
    fmt = NUMBER_FORMATS.get(column.type, "General")
    bare = isinstance(value, int | float) and not isinstance(value, bool) and value > 1
    if column.type == "percent" and bare and not isinstance(value, _Fraction):
        return "General"  # a bare 8 stays a bare 8 (read as 8 % with a warning), not 800 %
    if column.type == "percent" and isinstance(value, float) and round(value * 100, 6) % 1:
        return "0.0%"
    return fmt


def example_tables() -> tuple[dict[str, list[dict[str, object]]], dict[str, object]]:
    """One row per sheet from the schema's ``example`` values, plus settings examples.

    Rows are completed so that the example validates: a choice without an example takes its
    first choice, and ids the examples refer to (a dependency's successor, a lifted capability)
    get a row of their own.
    """
    tables: dict[str, list[dict[str, object]]] = {}
    for sheet in SHEETS:
        if sheet.key_value or sheet is schema.PAIRWISE:  # Criteria already carry weights
            continue
        row = {c.key: _example(c) for c in sheet.columns}
        tables[sheet.name] = [{k: v for k, v in row.items() if v is not None}]
    tables[schema.INITIATIVES.name][0]["description"] = "Example row: replace with your own"
    settings = {c.key: c.example for c in schema.SETTINGS.columns if c.example is not None}

    initiatives = tables[schema.INITIATIVES.name]
    known = {r["id"] for r in initiatives}
    for dep in tables[schema.DEPENDENCIES.name]:
        for end in ("predecessor", "successor"):
            if dep[end] not in known:
                initiatives.append(
                    {**initiatives[0], "id": dep[end], "name": f"Follow-on {dep[end]}"}
                )
                known.add(dep[end])
    capabilities = tables[schema.CAPABILITIES.name]
    known_caps = {r["id"] for r in capabilities}
    for ini in list(initiatives):
        for cap in re.findall(r"([^\s,;:]+)\s*:", str(ini.get("lifts") or "")):
            if cap not in known_caps:
                capabilities.append({**capabilities[0], "id": cap, "name": f"Capability {cap}"})
                known_caps.add(cap)
    criteria = tables[schema.CRITERIA.name]
    for crit in criteria:
        low, high = crit.get("scale_min", 0), crit.get("scale_max", 10)
        mid = (float(low) + float(high)) / 2  # type: ignore[arg-type]
        for score_row in tables[schema.SCORES.name]:
            score_row[str(crit["id"])] = mid
    _example_business_case(tables)
    # Staffing and scores need one row per initiative, the follow-on included.
    for sheet in (schema.STAFFING, schema.SCORES):
        first = tables[sheet.name][0]
        tables[sheet.name] = [{**first, "initiative": i["id"]} for i in initiatives]
    return tables, settings


def _example_business_case(tables: dict[str, list[dict[str, object]]]) -> None:
    """A yearly business case as finance writes it, on the Cash flows sheet: build outlay,
    uneven benefits, a re-platforming outlay in year 4 and a salvage value at the end."""
    first = tables[schema.INITIATIVES.name][0]
    case = schema.CASH_FLOWS.column("initiative").example
    tables[schema.INITIATIVES.name].append(
        {
            "id": case,
            "name": "Order management (yearly business case)",
            "description": "Money from the Cash flows sheet, not from the columns here",
            "owner_function": first.get("owner_function"),
            "accountable_team": first.get("accountable_team"),
            "duration": first.get("duration"),
            "useful_life": 5,
            "funding_pool": first.get("funding_pool"),
        }
    )
    rows = tables[schema.CASH_FLOWS.name]
    more: list[tuple[str, int, str, float, str]] = [
        ("one-off opex", 1, "start", 60000, "Training and data migration"),
        ("benefit", 1, "go-live", 200000, "Fewer lost orders"),
        ("benefit", 2, "go-live", 500000, ""),
        ("benefit", 3, "go-live", 800000, ""),
        ("run cost", 1, "go-live", 40000, "Licences, every year"),
        ("capex", 4, "go-live", 150000, "Re-platforming"),
        ("benefit", 4, "go-live", 800000, ""),
        ("benefit", 5, "go-live", 700000, ""),
        ("other", 5, "go-live", 50000, "Salvage value of the hardware"),
    ]
    for category, year, basis, amount, note in more:
        rows.append(
            {
                "initiative": case,
                "category": category,
                "year": year,
                "counted_from": basis,
                "amount": amount,
                **({"note": note} if note else {}),
            }
        )
    for year in range(2, 6):
        rows.append(
            {
                "initiative": case,
                "category": "run cost",
                "year": year,
                "counted_from": "go-live",
                "amount": 40000,
            }
        )


def _example(column: Column) -> object:
    if column.example is not None:
        return column.example
    if column.required and column.choices:
        return column.choices[0]
    return None


def _lift_pairs(value: object) -> list[tuple[str, object]]:
    """(capability, amount) pairs from tuples or ``domain.Lift`` records."""
    return [
        (str(item[0]), item[1]) if isinstance(item, tuple) else (item.capability, item.amount)
        for item in value  # type: ignore[attr-defined]
    ]


def _number_text(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _put(ws: Worksheet, row: int, col: int, column: Column, value: object) -> Cell:
    cell: Cell = ws.cell(row=row, column=col)
    written = cell_value(column, value)
    cell.value = written
    if isinstance(written, str):
        _as_text(cell)
    elif written is not None:
        cell.number_format = number_format(column, written)
    return cell


def _as_text(cell: Cell) -> None:
    """Keep a string a string, even one that looks like a formula."""
    cell.data_type = "s"
    if str(cell.value).startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def _header(ws: Worksheet, row: int, col: int, text: str, note: str = "") -> None:
    cell = ws.cell(row=row, column=col, value=text)
    _as_text(cell)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    if note:
        comment = Comment(note, "roadmap")
        comment.width, comment.height = 300, 120
        cell.comment = comment


def _column_note(column: Column) -> str:
    parts = [column.help] if column.help else []
    facts = [column.type + (f", {column.unit}" if column.unit else "")]
    if column.required:
        facts.append("required")
    if column.default not in (None, ""):
        facts.append(f"default {_default_text(column)}")
    parts.append("(" + "; ".join(facts) + ")")
    return " ".join(parts)


def _default_text(column: Column) -> str:
    value = column.default
    if column.type == "percent" and isinstance(value, int | float):
        return f"{value * 100:g}%"
    if column.type == "bool":
        return "yes" if value else "no"
    if column.type == "money" and isinstance(value, int | float):
        return f"{value:,.0f}"
    return _number_text(value)


def _allowed(column: Column) -> tuple[str, ...]:
    if column.type == "bool":
        return BOOL_CHOICES
    return column.choices


def _drop_down(ws: Worksheet, column: Column, cells: str) -> None:
    choices = _allowed(column)
    if not choices:
        return
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=column.header,
        error="Choose one of: " + ", ".join(choices),
    )
    ws.add_data_validation(dv)
    dv.add(cells)


def _write_table(ws: Worksheet, sheet: Sheet, rows: Rows) -> None:
    keys = [c.key for c in sheet.columns]
    extra: list[str] = []  # criterion ids on wide sheets, in order of first appearance
    for row in rows:
        for key in row:
            if key not in keys and key not in extra:
                if not sheet.wide:
                    raise ValueError(f"{sheet.name}: unknown column key {key!r}")
                extra.append(key)
    columns = list(sheet.columns) + [Column(k, k, "number") for k in extra]
    for j, column in enumerate(columns, start=1):
        _header(ws, 1, j, column.header, _column_note(column) if j <= len(keys) else "")
    for i, row in enumerate(rows, start=2):
        for j, column in enumerate(columns, start=1):
            _put(ws, i, j, column, row.get(column.key))
    last = max(len(rows) + 1, PREPARED_ROWS)
    for j, column in enumerate(columns, start=1):
        letter = get_column_letter(j)
        _drop_down(ws, column, f"{letter}2:{letter}{last}")
        if column.type in NUMBER_FORMATS:
            ws.column_dimensions[letter].number_format = NUMBER_FORMATS[column.type]
        ws.column_dimensions[letter].width = _width(
            [column.header, *(ws.cell(row=i, column=j).value for i in range(2, len(rows) + 2))]
        )
    # Keep the header, and on id-keyed sheets the first column, in view while scrolling.
    ws.freeze_panes = "B2" if sheet.id_column else "A2"
    _print_form(ws, len(columns), len(rows) + 1)


def _write_settings(ws: Worksheet, sheet: Sheet, values: Mapping[str, object]) -> None:
    for j, text in enumerate(("Setting", "Value", "Help"), start=1):
        _header(ws, 1, j, text)
    for i, column in enumerate(sheet.columns, start=2):
        name = ws.cell(row=i, column=1, value=column.header)
        name.font = _HEADER_FONT
        note = _column_note(column)
        name.comment = Comment(note, "roadmap")
        _put(ws, i, 2, column, values.get(column.key, column.default))
        _drop_down(ws, column, f"B{i}")
        help_cell = ws.cell(row=i, column=3, value=note)
        _as_text(help_cell)
    ws.column_dimensions["A"].width = _width([c.header for c in sheet.columns])
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 90
    ws.freeze_panes = "A2"
    for r in range(2, len(sheet.columns) + 2):
        value = ws.cell(row=r, column=2).value
        # a long text value (a portfolio's name) wraps rather than being cut by the help
        long = isinstance(value, str) and len(value) > 14
        _wrap_to_fit(ws, r, {2: 16.0, 3: 90.0} if long else {3: 90.0})
    _print_form(ws, 3, len(sheet.columns) + 1)


PRINTED_WIDTH = 140  # characters of column width a landscape page holds legibly
PRINTED_BLANK_ROWS = 15  # a blank template prints its headers and a few ruled rows to fill in


def _print_form(ws: Worksheet, columns: int, last_row: int) -> None:
    """Landscape, header row (and the first column) on every page, gridlines: a form to fill in.
    A wide sheet prints over as many pages across as keep it legible, not shrunk onto one."""
    width = sum(
        ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, columns + 1)
    )
    across = max(1, math.ceil(width / PRINTED_WIDTH))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = across
    if across > 1:
        ws.print_title_cols = "A:A"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.print_title_rows = "1:1"
    last = max(last_row, PRINTED_BLANK_ROWS + 1)
    ws.print_area = f"A1:{get_column_letter(max(1, columns))}{last}"


def _required(sheet: Sheet) -> str:
    """What the Instructions' Required column says of a sheet."""
    if not sheet.required:
        return "optional"
    return "to plan (roi runs without)" if sheet.plan_only else "yes"


def _wrap_to_fit(ws: Worksheet, row: int, widths: Mapping[int, float]) -> None:
    """Wrap the long cells of ``row`` (column -> printed width in characters) and make the row
    tall enough for them: no spreadsheet re-measures row heights of a file written by a program."""
    lines = 1
    for col, width in widths.items():
        cell = ws.cell(row=row, column=col)
        cell.alignment = _WRAP
        if isinstance(cell.value, str) and cell.value:
            text_lines = cell.value.splitlines() or [cell.value]
            lines = max(lines, sum(-(-int(len(t) * 1.1) // max(1, int(width))) for t in text_lines))
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def _width(values: Sequence[object]) -> float:
    longest = 0
    for v in values:
        if isinstance(v, datetime):
            longest = max(longest, 10)
        elif isinstance(v, float):
            longest = max(longest, len(f"{v:,.2f}"))
        elif v is not None:
            longest = max(longest, len(str(v)))
    return min(MAX_WIDTH, max(8, longest + 2))


def _type_legend() -> dict[str, str]:
    """Cell types and their meaning, taken from the schema module's docstring."""
    legend: dict[str, str] = {}
    for line in (schema.__doc__ or "").splitlines():
        match = re.match(r"^- ``(\w+)``\s+(.*)$", line.strip())
        if match:
            legend[match.group(1)] = match.group(2).replace(
                "``Column.choices``", "the listed values"
            )
    return legend


_INSTRUCTION_HEADERS = ("Column", "Type", "Unit", "Required", "Default", "Allowed values", "Help")


# one landscape page wide at 8 pt or more (the help texts wrap in the last column)
_INSTRUCTION_WIDTHS = (24, 10, 14, 9, 12, 28, 56)


def _write_instructions(ws: Worksheet) -> None:
    last_col = len(_INSTRUCTION_WIDTHS)

    def line(row: int, *values: object, font: Font | None = None) -> None:
        for j, v in enumerate(values, start=1):
            cell = ws.cell(row=row, column=j, value=v)
            if isinstance(v, str):
                _as_text(cell)
            if font is not None:
                cell.font = font
        # the last text of a line gets the rest of the row (merged), wrapped, and the row the
        # height its wrapped text needs: long text never runs under its neighbours
        widths = {j: float(_INSTRUCTION_WIDTHS[j - 1]) for j in range(1, len(values))}
        last = len(values)
        if last < last_col and isinstance(values[-1], str):
            ws.merge_cells(start_row=row, start_column=last, end_row=row, end_column=last_col)
        widths[last] = float(
            sum(
                _INSTRUCTION_WIDTHS[last - 1 :]
                if last < last_col
                else _INSTRUCTION_WIDTHS[last - 1 : last]
            )
        )
        if font is None or len(values) == 1:
            _wrap_to_fit(ws, row, widths)

    line(1, "Roadmap input workbook", font=_TITLE_FONT)
    line(
        2,
        "Fill one sheet per topic below. Headers must stay as written (case and spacing do "
        "not matter); columns can be moved, and columns marked 'no' under Required can be "
        "left out. Sheets marked optional can be empty or removed.",
    )
    r = 4
    line(r, "Sheet", "Required", "What it is for", font=_HEADER_FONT)
    for sheet in SHEETS:
        r += 1
        line(r, sheet.name, _required(sheet), sheet.help)
    r += 2
    line(r, "Cell type", "Meaning", font=_HEADER_FONT)
    for kind, meaning in _type_legend().items():
        r += 1
        line(r, kind, meaning)
    for sheet in SHEETS:
        r += 2
        line(r, sheet.name, font=_SECTION_FONT)
        r += 1
        line(r, sheet.help)
        if sheet.key_value:
            r += 1
            line(r, "One row per setting: its name under 'Setting', its value under 'Value'.")
        if sheet.wide:
            r += 1
            line(r, "Plus one column per criterion, headed with the criterion's ID.")
        r += 1
        line(r, *_INSTRUCTION_HEADERS, font=_HEADER_FONT)
        for column in sheet.columns:
            r += 1
            line(r, *_column_facts(column))
    for j, width in enumerate(_INSTRUCTION_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _column_facts(column: Column) -> tuple[str, ...]:
    limits = []
    for word, bound in (("at least", column.minimum), ("at most", column.maximum)):
        if bound is not None:
            if isinstance(bound, date):
                shown = bound.isoformat()
            elif column.type == "percent":
                shown = f"{bound * 100:g}%"
            else:
                shown = _number_text(bound)
            limits.append(f"{word} {shown}")
    allowed = ", ".join(_allowed(column)) or "; ".join(limits)
    default = "" if column.default in (None, "") else _default_text(column)
    return (
        column.header,
        column.type,
        column.unit,
        "yes" if column.required else "no",
        default,
        allowed,
        column.help,
    )
