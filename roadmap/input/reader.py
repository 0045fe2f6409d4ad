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

from roadmap.domain import Finding, Portfolio, Severity
from roadmap.errors import InputError
from roadmap.input.files import SAVE_AS, read_bytes
from roadmap.input.rules import finding
from roadmap.input.schema import INSTRUCTIONS_SHEET, SHEETS, Sheet, header_lookup, normalise_header
from roadmap.input.tables import Layout, RawTable, column_letter

MAX_COLUMNS = 200
MAX_BLANK_RUN = 1000  # consecutive blank rows after which a sheet is taken to have ended
HEADER_SCAN_ROWS = 20


@dataclass
class Reading:
    """What the reader made of a workbook."""

    portfolio: Portfolio | None
    findings: list[Finding]
    layout: Layout
    partial: Portfolio | None = None  # what could be read when ``portfolio`` is None


def read_tables(data: bytes, name: str) -> tuple[dict[str, RawTable], list[Finding]]:
    """Find each schema sheet, its header row and its data rows (values not yet typed)."""
    import openpyxl  # deferred: keeps `roadmap --help` fast

    findings: list[Finding] = []
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise InputError(
            f"{name} could not be opened as a workbook ({type(exc).__name__}); {SAVE_AS}"
        ) from None
    tables: dict[str, RawTable] = {}
    with_formulas: dict[str, tuple[RawTable, list[tuple[object, ...]]]] = {}
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
                values = _values(ws)
                table = _table(sheet, ws.title, values, findings)
                table.merged = _merged_cells(xml)
                if table.rows and _FORMULA.search(xml):
                    with_formulas[ws.title] = (table, values)
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
        if sheet.required and sheet.name not in tables:
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
        return zf.read(str(path).lstrip("/"))
    except KeyError:
        return b""


def _values(ws: object) -> list[tuple[object, ...]]:
    """Rows of raw values, capped in width and cut after a long run of blank rows."""
    out: list[tuple[object, ...]] = []
    blank_run = 0
    for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):  # type: ignore[attr-defined]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
        else:
            blank_run = 0
        out.append(tuple(row))
    while out and all(v is None for v in out[-1]):
        out.pop()
    return out


def _header_row(sheet: Sheet, values: list[tuple[object, ...]]) -> int | None:
    """0-based index of the row with the most known headers among the first rows."""
    lookup = header_lookup(sheet)
    best, best_hits = None, 0
    for k, row in enumerate(values[:HEADER_SCAN_ROWS]):
        hits = sum(1 for v in row if v is not None and normalise_header(v) in lookup)
        if hits > best_hits:
            best, best_hits = k, hits
    return best


def _table(
    sheet: Sheet, title: str, values: list[tuple[object, ...]], findings: list[Finding]
) -> RawTable:
    table = RawTable(sheet, title)
    if sheet.key_value:
        return _settings_table(table, values, findings)
    h = _header_row(sheet, values)
    if h is None:
        if any(any(v is not None for v in row) for row in values):
            findings.append(
                finding("no-header", title, headers=", ".join(c.header for c in sheet.columns[:4]))
            )
        elif sheet.required:
            findings.append(finding("empty-sheet", title))
        return table
    lookup = header_lookup(sheet)
    positions: dict[str, int] = {}
    for j, v in enumerate(values[h]):
        if v is None or not str(v).strip():
            continue
        letter = column_letter(j + 1)
        col = lookup.get(normalise_header(v))
        if col is None and sheet.wide:
            crit = str(v).strip()
            if crit in positions:
                findings.append(finding("duplicate-criterion", title, h + 1, letter, header=crit))
                continue
            table.extra.append(crit)
            positions[crit] = j
        elif col is None:
            close = difflib.get_close_matches(str(v), [c.header for c in sheet.columns], 1, 0.75)
            fix = (
                f"did you mean '{close[0]}'? Otherwise delete it"
                if close
                else "it is ignored; delete it or ignore this warning"
            )
            findings.append(finding("unknown-column", title, h + 1, letter, header=v, fix=fix))
        elif col.key in positions:
            findings.append(finding("duplicate-column", title, h + 1, letter, header=col.header))
        else:
            positions[col.key] = j
    for col in sheet.columns:
        if col.required and col.key not in positions:
            findings.append(
                finding("missing-column", title, h + 1, header=col.header, header_row=h + 1)
            )
    table.letters = {k: column_letter(j + 1) for k, j in positions.items()}
    for k, row in enumerate(values[h + 1 :], start=h + 2):
        cells = {key: row[j] if j < len(row) else None for key, j in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        table.rows.append((k, cells))
    return table


def _settings_table(
    table: RawTable, values: list[tuple[object, ...]], findings: list[Finding]
) -> RawTable:
    lookup = header_lookup(table.sheet)
    value_col = 1
    for row in values[:HEADER_SCAN_ROWS]:
        names = [normalise_header(v) if v is not None else "" for v in row]
        if "setting" in names and "value" in names:
            value_col = names.index("value")
            break
    table.letters = {c.key: column_letter(value_col + 1) for c in table.sheet.columns}
    unknown: list[Finding] = []
    for k, row in enumerate(values, start=1):
        name = row[0] if row else None
        if name is None or not str(name).strip() or normalise_header(name) in ("setting", ""):
            continue
        col = lookup.get(normalise_header(name))
        if col is None:
            close = difflib.get_close_matches(
                str(name), [c.header for c in table.sheet.columns], 1, 0.7
            )
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
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _merged_cells(xml: bytes) -> set[tuple[int, str]]:
    """Cells covered by a merge other than its top-left one (read as blank)."""
    covered: set[tuple[int, str]] = set()
    for m in _MERGE.finditer(xml):
        c1, r1, c2, r2 = _col_index(m[1]), int(m[2]), _col_index(m[3]), int(m[4])
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
            continue  # a whole-sheet merge; checking it cell by cell is not worth it
        for r in range(r1, r2 + 1):
            for c in range(c1, min(c2, MAX_COLUMNS) + 1):
                if (r, c) != (r1, c1):
                    covered.add((r, column_letter(c)))
    return covered


def _uncached_formulas(
    data: bytes, sheets: dict[str, tuple[RawTable, list[tuple[object, ...]]]]
) -> dict[str, set[tuple[int, str]]]:
    """Formula cells whose saved result is missing (a file written by a program, never by Excel).

    One formula-reading pass, over only the sheets whose XML holds a formula."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    out: dict[str, set[tuple[int, str]]] = {}
    try:
        for title, (_, cached) in sheets.items():
            found = out.setdefault(title, set())
            rows = wb[title].iter_rows(max_col=MAX_COLUMNS, max_row=len(cached), values_only=True)
            for r, row in enumerate(rows, start=1):
                for c, v in enumerate(row, start=1):
                    is_formula = isinstance(v, str) and v.startswith("=")
                    if is_formula or type(v).__name__ in ("ArrayFormula", "DataTableFormula"):
                        saved = cached[r - 1][c - 1] if c <= len(cached[r - 1]) else None
                        if saved is None:
                            found.add((r, column_letter(c)))
    finally:
        wb.close()
    return out


def read(path: str | os.PathLike[str]) -> Reading:
    """Read and type the workbook (no business-rule checks). Unusable files raise InputError."""
    data = read_bytes(path)
    from roadmap.input.build import build_portfolio

    with warnings.catch_warnings():
        # openpyxl warns about Excel features it drops (extensions, slicers …); they do not
        # matter for reading values and would only alarm the user.
        warnings.simplefilter("ignore")
        tables, findings = read_tables(data, str(path))
    portfolio, layout, partial = build_portfolio(tables, findings, Path(path).name)
    return Reading(portfolio, findings, layout, None if portfolio is not None else partial)


def read_workbook(path: str | os.PathLike[str]) -> tuple[Portfolio | None, list[Finding]]:
    """The portfolio and every finding (reading and validation). ``None`` when it cannot be built.

    Raises :class:`InputError` only for files that are not a readable workbook at all."""
    from roadmap.input.validate import validate

    reading = read(path)
    findings = list(reading.findings)
    if reading.portfolio is not None:
        findings += validate(reading.portfolio, reading.layout)
    elif reading.partial is not None:  # settings unusable: still check what does not need dates
        findings += validate(reading.partial, reading.layout, dated=False)
    return reading.portfolio, findings


def load_portfolio(
    path: str | os.PathLike[str], *, strict: bool = False
) -> tuple[Portfolio, list[Finding]]:
    """The portfolio and its warnings; raises :class:`InputError` with all findings on any error
    (on any warning too when ``strict``)."""
    portfolio, findings = read_workbook(path)
    failing = [f for f in findings if strict or f.severity is Severity.ERROR]
    if portfolio is None or failing:
        errors = sum(f.severity is Severity.ERROR for f in findings)
        what = f"{errors} error(s)" if errors else f"{len(failing)} warning(s) (strict mode)"
        raise InputError(f"{Path(path).name} has {what}; fix them and run again", tuple(findings))
    return portfolio, findings
