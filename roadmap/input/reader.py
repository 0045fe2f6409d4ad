"""Read the input workbook into raw tables: the only reading code that touches openpyxl.

The file is read into memory once and opened from there, so the input is never locked, never
written and never left open. Everything the reader knows about sheets and columns comes from
``roadmap.input.schema``; turning the tables into a ``Portfolio`` is ``roadmap.input.build``'s job.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roadmap.domain import Finding, Portfolio, Severity
from roadmap.errors import InputError
from roadmap.input.cells import parse_text
from roadmap.input.files import (
    SAVE_AS,
    STRICT_FIX,
    is_strict,
    read_bytes,
    read_member,
    strict_to_transitional,
)
from roadmap.input.headers import close_column, is_scaled, match_header
from roadmap.input.rules import finding
from roadmap.input.schema import INSTRUCTIONS_SHEET, SHEETS, Sheet, normalise_header
from roadmap.input.tables import Layout, RawTable, column_letter
from roadmap.runtime.bulk import bulk_work

# Cells looked at per sheet (blank ones included): bounds the work a sheet with stray cells far
# down and to the right can cause, without ever cutting a sheet short silently.
MAX_CELLS = 20_000_000
HEADER_SCAN_ROWS = 20


@dataclass
class Reading:
    """What the reader made of a workbook."""

    portfolio: Portfolio | None
    findings: list[Finding]
    layout: Layout
    partial: Portfolio | None = None  # what could be read when ``portfolio`` is None


def read_tables(
    data: bytes, name: str, *, purpose: str = "plan"
) -> tuple[dict[str, RawTable], list[Finding]]:
    """Find each schema sheet, its header row and its data rows (values not yet typed).

    ``purpose`` "roi" asks only for the sheets the money case needs (``Sheet.plan_only``)."""
    import openpyxl  # deferred: keeps `roadmap --help` fast

    findings: list[Finding] = []
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise InputError(
            f"{name} could not be opened as a workbook ({type(exc).__name__}); {SAVE_AS}"
        ) from None
    tables: dict[str, RawTable] = {}
    with_formulas: dict[str, tuple[RawTable, Grid]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for ws in wb.worksheets:
                sheet = _match_sheet(ws.title)
                if sheet is None:
                    if normalise_header(ws.title) != normalise_header(INSTRUCTIONS_SHEET):
                        findings.append(_unknown_sheet(ws.title))
                    continue
                if sheet.name in tables:
                    findings.append(
                        finding("duplicate-sheet", ws.title, first=tables[sheet.name].title)
                    )
                    continue
                xml = _sheet_xml(zf, ws)
                percent_cells: set[tuple[int, str]] = set()
                grid = _grid(ws, percent_cells)
                merges = _merges(xml)
                table = _table(sheet, ws.title, grid, merges, findings)
                table.merged = _covered(merges)
                table.percent_cells = percent_cells
                if table.rows and _FORMULA.search(xml):
                    with_formulas[ws.title] = (table, grid)
                tables[sheet.name] = table
        if with_formulas:
            for title, found in _uncached_formulas(data, with_formulas).items():
                with_formulas[title][0].uncached = found
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, SyntaxError, EOFError, KeyError, OSError, ValueError,
            TypeError) as exc:  # fmt: skip
        # SyntaxError covers XML parse errors in a damaged sheet.
        raise InputError(
            f"{name} is damaged and could not be read ({type(exc).__name__}); {SAVE_AS}"
        ) from None
    finally:
        wb.close()
    for sheet in SHEETS:
        needed = sheet.required and (purpose == "plan" or not sheet.plan_only)
        if needed and sheet.name not in tables:
            findings.append(finding("missing-sheet", sheet.name))
    return tables, findings


def _match_sheet(title: str) -> Sheet | None:
    wanted = normalise_header(title)
    for sheet in SHEETS:
        if wanted in {normalise_header(n) for n in (sheet.name, *sheet.aliases)}:
            return sheet
    return None


def _unknown_sheet(title: str) -> Finding:
    names = [s.name for s in SHEETS]
    close = difflib.get_close_matches(title, names, n=1, cutoff=0.6)
    fix = f"rename it to '{close[0]}'" if close else "remove it, or ignore this warning"
    return finding("unknown-sheet", title, title=title, fix=fix)


def _sheet_xml(zf: zipfile.ZipFile, ws: object) -> bytes:
    path = getattr(ws, "_worksheet_path", None)
    if not path:
        return b""
    try:
        return read_member(zf, str(path).lstrip("/"))
    except KeyError:
        return b""


# Row number (1-based) -> that row's values from column A; only rows with a value are kept.
Grid = dict[int, tuple[object, ...]]


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _grid(ws: Any, percent_cells: set[tuple[int, str]] | None = None) -> Grid:
    """Every non-blank row of the sheet, however far down or right, however sparse.

    The sheet's own dimension record is not trusted (programs write it wrong, and openpyxl stops
    there): rows are read to the last one in the file, each as wide as its last cell.
    ``percent_cells`` collects the numeric cells formatted as a percentage: a cell showing 150 %
    holds 1.5, so its number is already the fraction and must not be read as 1.5 %."""
    ws.reset_dimensions()
    grid: Grid = {}
    scanned = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for r, cells in enumerate(ws.iter_rows(), start=1):
            if not cells:  # a row missing from the file (openpyxl fills gaps with empty rows)
                scanned += 1
                continue
            row = tuple(getattr(c, "value", None) for c in cells)
            if percent_cells is not None:
                for j, (c, v) in enumerate(zip(cells, row, strict=True), start=1):
                    numeric = isinstance(v, int | float) and not isinstance(v, bool)
                    if numeric and "%" in _number_format(c):
                        percent_cells.add((r, column_letter(j)))
            scanned += len(row) + 1
            if scanned > MAX_CELLS:
                raise InputError(
                    f"sheet '{ws.title}' reaches row {r} and is too large to read (over "
                    f"{MAX_CELLS:,} cells); delete the unused rows and columns, or clear stray "
                    "cells far below or to the right of the data"
                )
            if not all(_blank(v) for v in row):
                grid[r] = tuple(row)
    _restore_numbers(grid, [str(w.message) for w in caught])
    return grid


def _number_format(cell: object) -> str:
    """The cell's number format; "" when the workbook's styles are missing or damaged."""
    try:
        return str(getattr(cell, "number_format", "") or "")
    except (IndexError, KeyError, AttributeError, ValueError):
        return ""


# openpyxl turns a number it cannot show as a date (20270401 typed into a date cell) into the
# text "#VALUE!" and says so in a warning; the number is what the user typed, so it is put back
# for the cell parser to judge. If the wording ever changes, the cell stays "#VALUE!" (an error).
_NOT_A_DATE = re.compile(r"Cell ([A-Z]+)(\d+) is marked as a date but the serial value (\S+) is")


def _restore_numbers(grid: Grid, messages: list[str]) -> None:
    for message in messages:
        m = _NOT_A_DATE.match(message)
        if m is None:
            continue
        r, c = int(m[2]), _col_index(m[1].encode()) - 1
        row = grid.get(r)
        if row is not None and c < len(row) and row[c] == "#VALUE!":
            try:
                number = float(m[3])
            except ValueError:
                continue
            grid[r] = (*row[:c], number, *row[c + 1 :])


def _header_row(sheet: Sheet, grid: Grid) -> int | None:
    """Row number of the row with the most known headers among the first rows."""
    best, best_hits = None, 0
    for r, row in grid.items():
        if r > HEADER_SCAN_ROWS:
            break
        hits = sum(1 for v in row if not _blank(v) and match_header(v, sheet)[0] is not None)
        if hits > best_hits:
            best, best_hits = r, hits
    return best


Merge = tuple[int, int, int, int]  # first column, first row, last column, last row (1-based)


def _table(
    sheet: Sheet, title: str, grid: Grid, merges: list[Merge], findings: list[Finding]
) -> RawTable:
    table = RawTable(sheet, title)
    if sheet.key_value:
        return _settings_table(table, grid, findings)
    h = _header_row(sheet, grid)
    if h is None:
        if grid:
            findings.append(
                finding("no-header", title, headers=", ".join(c.header for c in sheet.columns[:4]))
            )
        elif sheet.required:
            findings.append(finding("empty-sheet", title))
        return table
    positions = _columns(table, grid[h], h, findings)
    body = {r: row for r, row in grid.items() if r > h}
    _unplaced_columns(table, grid[h], h, body, merges, findings)
    for col in sheet.columns:
        if col.required and col.key not in positions:
            findings.append(finding("missing-column", title, h, header=col.header, header_row=h))
    table.letters = {k: column_letter(j + 1) for k, j in positions.items()}
    for r, row in body.items():
        cells = {key: row[j] if j < len(row) else None for key, j in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        table.rows.append((r, cells))
    return table


def _columns(
    table: RawTable, header: tuple[object, ...], h: int, findings: list[Finding]
) -> dict[str, int]:
    """Schema key (or criterion id) -> 0-based column index, from the header row."""
    sheet, title = table.sheet, table.title
    present = {c.key for v in header if not _blank(v) for c in [match_header(v, sheet)[0]] if c}
    positions: dict[str, int] = {}
    for j, v in enumerate(header):
        if _blank(v):
            continue
        letter = column_letter(j + 1)
        col, unit = match_header(v, sheet)
        if col is None and sheet.wide:
            crit = str(v).strip()
            if crit in positions:
                findings.append(finding("duplicate-criterion", title, h, letter, header=crit))
                continue
            table.extra.append(crit)
            positions[crit] = j
        elif col is None:
            close = close_column(v, sheet)
            if close is not None and close.key not in present:
                findings.append(
                    finding("misnamed-column", title, h, letter, header=v, close=close.header)
                )
                continue
            guess = close.header if close else None
            if guess is None:
                names = [c.header for c in sheet.columns]
                guess = next(iter(difflib.get_close_matches(str(v), names, 1, 0.75)), None)
            fix = (
                f"did you mean '{guess}'? Otherwise delete it"
                if guess
                else "it is ignored; delete it or ignore this warning"
            )
            findings.append(finding("unknown-column", title, h, letter, header=v, fix=fix))
        elif col.key in positions:
            findings.append(finding("duplicate-column", title, h, letter, header=col.header))
        elif col.type == "money" and is_scaled(unit):
            findings.append(
                finding("scaled-header", title, h, letter, header=v, name=col.header, unit=unit)
            )
            positions[col.key] = -1  # found, but its amounts cannot be read as they stand
        else:
            positions[col.key] = j
            if unit:
                table.units[col.key] = (str(v).strip(), unit, h)
    return {k: j for k, j in positions.items() if j >= 0}


def _unplaced_columns(
    table: RawTable,
    header: tuple[object, ...],
    h: int,
    body: Grid,
    merges: list[Merge],
    findings: list[Finding],
) -> None:
    """Values in columns without a header of their own are never dropped without a word.

    A header merged over several columns (G1:H1) names only its first column; the others are
    an error when they hold values. A column with values and a blank header is a warning."""
    with_values = {j for row in body.values() for j, v in enumerate(row) if not _blank(v)}
    covered: set[int] = set()
    for c1, r1, c2, r2 in merges:
        if not (r1 <= h <= r2 and c2 > c1):
            continue
        cols = set(range(c1, c2))  # 0-based indexes of the covered columns c1+1 .. c2
        covered |= cols
        if cols & with_values:
            ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
            lost = ", ".join(column_letter(j + 1) for j in sorted(cols & with_values))
            anchor = header[c1 - 1] if c1 - 1 < len(header) else None
            findings.append(
                finding(
                    "merged-header",
                    table.title,
                    h,
                    column_letter(c1),
                    ref=ref,
                    header=parse_text(anchor) if not _blank(anchor) else "",
                    lost=lost,
                )
            )
    for j in sorted(with_values - covered):
        if j >= len(header) or _blank(header[j]):
            first = min(r for r, row in body.items() if j < len(row) and not _blank(row[j]))
            findings.append(
                finding("unnamed-column", table.title, first, column_letter(j + 1), header_row=h)
            )


def _settings_table(table: RawTable, grid: Grid, findings: list[Finding]) -> RawTable:
    sheet = table.sheet
    value_col = 1
    for r, row in grid.items():
        if r > HEADER_SCAN_ROWS:
            break
        names = [normalise_header(v) if v is not None else "" for v in row]
        if "setting" in names and "value" in names:
            value_col = names.index("value")
            break
    table.letters = {c.key: column_letter(value_col + 1) for c in sheet.columns}
    unknown: list[Finding] = []
    for k, row in grid.items():
        name = row[0] if row else None
        if name is None or not str(name).strip() or normalise_header(name) in ("setting", ""):
            continue
        col = match_header(name, sheet)[0]
        if col is None:
            close = difflib.get_close_matches(str(name), [c.header for c in sheet.columns], 1, 0.7)
            fix = f"did you mean '{close[0]}'?" if close else "delete the row"
            unknown.append(finding("unknown-setting", table.title, k, "A", name=name, fix=fix))
            continue
        if any(key == col.key for _, cells in table.rows for key in cells):
            findings.append(finding("duplicate-setting", table.title, k, "A", name=col.header))
            continue
        value = row[value_col] if value_col < len(row) else None
        table.rows.append((k, {col.key: value}))
    if unknown and not table.rows:
        findings.append(finding("no-setting-names", table.title, None, "A"))
    else:
        findings.extend(unknown)
    return table


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _merges(xml: bytes) -> list[Merge]:
    out = []
    for m in _MERGE.finditer(xml):
        c1, r1 = _col_index(m[1]), int(m[2])
        c2, r2 = (_col_index(m[3]), int(m[4])) if m[3] else (c1, r1)
        out.append((min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)))
    return out


def _covered(merges: list[Merge]) -> set[tuple[int, str]]:
    """Cells covered by a merge other than its top-left one (read as blank)."""
    covered: set[tuple[int, str]] = set()
    for c1, r1, c2, r2 in merges:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
            continue  # a whole-sheet merge; checking it cell by cell is not worth it
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    covered.add((r, column_letter(c)))
    return covered


def _uncached_formulas(
    data: bytes, sheets: dict[str, tuple[RawTable, Grid]]
) -> dict[str, set[tuple[int, str]]]:
    """Formula cells whose saved result is missing (a file written by a program, never by Excel).

    One formula-reading pass, over only the sheets whose XML holds a formula."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    out: dict[str, set[tuple[int, str]]] = {}
    try:
        for title, (_, cached) in sheets.items():
            found = out.setdefault(title, set())
            ws = wb[title]
            ws.reset_dimensions()
            for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
                for c, v in enumerate(row, start=1):
                    is_formula = isinstance(v, str) and v.startswith("=")
                    if is_formula or type(v).__name__ in ("ArrayFormula", "DataTableFormula"):
                        saved_row = cached.get(r, ())
                        saved = saved_row[c - 1] if c <= len(saved_row) else None
                        if saved is None:
                            found.add((r, column_letter(c)))
    finally:
        wb.close()
    return out


def read(path: str | os.PathLike[str], *, purpose: str = "plan") -> Reading:
    """Read and type the workbook (no business-rule checks). Unusable files raise InputError."""
    data = read_bytes(path)
    from roadmap.input.build import build_portfolio

    strict = is_strict(data)
    if strict:
        try:
            data = strict_to_transitional(data)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, KeyError):
            raise InputError(
                f"{path} is saved as Strict Open XML and could not be converted; {STRICT_FIX}"
            ) from None
    with warnings.catch_warnings():
        # openpyxl warns about Excel features it drops (extensions, slicers …); they do not
        # matter for reading values and would only alarm the user.
        warnings.simplefilter("ignore")
        tables, findings = read_tables(data, str(path), purpose=purpose)
    if strict:
        findings.insert(0, finding("strict-workbook", Path(path).name, fix=STRICT_FIX))
    portfolio, layout, partial = build_portfolio(tables, findings, Path(path).name)
    return Reading(portfolio, findings, layout, None if portfolio is not None else partial)


@bulk_work()
def read_workbook(
    path: str | os.PathLike[str], *, purpose: str = "plan"
) -> tuple[Portfolio | None, list[Finding]]:
    """The portfolio and every finding (reading and validation). ``None`` when it cannot be built.

    ``purpose`` "roi": the sheets only the optimizer needs may be absent, and nothing is said
    about what they would have held. Raises :class:`InputError` only for files that are not a
    readable workbook at all."""
    from roadmap.input.validate import validate

    reading = read(path, purpose=purpose)
    findings = list(reading.findings)
    if reading.portfolio is not None:
        findings += validate(reading.portfolio, reading.layout, purpose=purpose)
    elif reading.partial is not None:  # settings unusable: still check what does not need dates
        findings += validate(reading.partial, reading.layout, dated=False, purpose=purpose)
    return reading.portfolio, findings


def load_portfolio(
    path: str | os.PathLike[str], *, strict: bool = False, purpose: str = "plan"
) -> tuple[Portfolio, list[Finding]]:
    """The portfolio and its warnings; raises :class:`InputError` with all findings on any error
    (on any warning too when ``strict``). ``purpose``: see :func:`read_workbook`."""
    portfolio, findings = read_workbook(path, purpose=purpose)
    failing = [f for f in findings if strict or f.severity is Severity.ERROR]
    if portfolio is None or failing:
        errors = sum(f.severity is Severity.ERROR for f in findings)
        what = f"{errors} error(s)" if errors else f"{len(failing)} warning(s) (strict mode)"
        raise InputError(f"{Path(path).name} has {what}; fix them and run again", tuple(findings))
    return portfolio, findings
