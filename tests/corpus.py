"""A generated corpus of malformed input files, for robustness tests.

A valid workbook is read once into a plain grid (sheet title -> rows of values); each mutation
edits a copy of the grid (delete a sheet or a column, put a bad value in a cell, merge cells, …)
and the result is written as a small workbook. File-level cases (an .xls, a CSV, a zip that is
not a workbook, truncated bytes …) are made from the base file's bytes. Every case has a stable
name, so a failure can be reproduced with ``make_case(base, name, folder)``.
"""

from __future__ import annotations

import contextlib
import copy
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

Rows = list[list[object]]

BAD_VALUES: dict[str, object] = {
    "garbage": "garbage ✗",
    "negative": -1,
    "huge": 1e300,
    "inf-text": "inf",
    "blank": None,
    "spaces": "   ",
    "formula-text": '=HYPERLINK("http://x")',
    "unicode": "Ünïcødé 🚀 \u202e ‮ 中文",
    "date-garbage": "31/02/20x7",
    "bool": True,
    "datetime": datetime(2027, 5, 17, 13, 45),
    "long": "x" * 32_000,
    "zero": 0,
    "fraction": 0.5,
    "thousands": "1,250,000",
    "compact-date": 20270401,
    "million": 1_000_000,
    "negative-profile": "-1, 2, 1",
    "excel-error": "#REF!",
    "year-9999": "9999-10-01",
}


@dataclass
class Draft:
    """A workbook being mutated: sheets as rows of values, plus merges and literal text cells."""

    sheets: dict[str, Rows]
    merges: list[tuple[str, str]] = field(default_factory=list)  # (sheet title, "A2:A3")
    formulas: list[tuple[str, str, str]] = field(default_factory=list)  # (title, cell, formula)


@dataclass(frozen=True)
class Case:
    name: str
    grid: Callable[[Draft], None] | None = None  # mutates a draft of the base workbook
    file: Callable[[bytes, Path], Path] | None = None  # writes a non-workbook file


def load_draft(path: Path) -> Draft:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {
            ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets
        }
    finally:
        wb.close()
    if "Instructions" in sheets:  # never read; a short stand-in keeps each case fast to write
        sheets["Instructions"] = sheets["Instructions"][:3]
    return Draft(sheets)


def write_draft(draft: Draft, path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for title, rows in draft.sheets.items():
        ws = wb.create_sheet(title[:31] or "Sheet")
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text that looks like a formula stays text
    for title, ref in draft.merges:
        if title in wb.sheetnames:
            wb[title].merge_cells(ref)
    for title, ref, formula in draft.formulas:
        if title in wb.sheetnames:
            wb[title][ref] = formula
    wb.save(path)
    return path


def _set(rows: Rows, r: int, c: int, value: object) -> None:
    while len(rows) <= r:
        rows.append([])
    row = rows[r]
    while len(row) <= c:
        row.append(None)
    row[c] = value


def _grid_cases(draft: Draft) -> Iterator[Case]:
    for title, rows in draft.sheets.items():
        header = rows[0] if rows else []
        width = len(header)
        yield Case(f"{title}/drop-sheet", lambda d, t=title: d.sheets.pop(t))
        yield Case(
            f"{title}/header-only", lambda d, t=title: d.sheets.__setitem__(t, d.sheets[t][:1])
        )
        yield Case(
            f"{title}/no-header", lambda d, t=title: d.sheets.__setitem__(t, d.sheets[t][1:])
        )
        yield Case(
            f"{title}/rows-above-header",
            lambda d, t=title: d.sheets.__setitem__(t, [[], [], ["Title"], *d.sheets[t]]),
        )
        yield Case(
            f"{title}/misspelt-name",
            lambda d, t=title: d.sheets.__setitem__(t[:-1] + "z", d.sheets.pop(t)),
        )
        yield Case(
            f"{title}/duplicate-first-row",
            lambda d, t=title: (
                d.sheets[t].insert(2, list(d.sheets[t][1])) if len(d.sheets[t]) > 1 else None
            ),
        )
        yield Case(f"{title}/far-away-cell", lambda d, t=title: _set(d.sheets[t], 4999, 2, "x"))
        yield Case(f"{title}/wide-cell", lambda d, t=title: _set(d.sheets[t], 1, 299, 7))
        if width > 1:
            yield Case(f"{title}/swap-headers", _swap_headers(title))
            yield Case(f"{title}/swap-columns", _swap_columns(title))
            yield Case(f"{title}/merged-header", _merge_header(title))
        yield Case(f"{title}/far-column", _far_column(title))
        yield Case(f"{title}/blank-gap", _blank_gap(title))
        for c in range(width):
            label = f"{title}/{header[c]}"
            yield Case(
                f"{label}/drop-column",
                lambda d, t=title, c=c: [row.pop(c) for row in d.sheets[t] if len(row) > c],
            )
            yield Case(
                f"{label}/rename-header",
                lambda d, t=title, c=c: _set(d.sheets[t], 0, c, "Mystery column"),
            )
            yield Case(
                f"{label}/shouty-header",
                lambda d, t=title, c=c: _set(
                    d.sheets[t], 0, c, f" {str(d.sheets[t][0][c]).upper()}: "
                ),
            )
            yield Case(
                f"{label}/unit-header",
                lambda d, t=title, c=c: _set(d.sheets[t], 0, c, f"{d.sheets[t][0][c]} (EUR)"),
            )
            yield Case(
                f"{label}/misspelt-header",
                lambda d, t=title, c=c: _set(d.sheets[t], 0, c, _misspell(d.sheets[t][0][c])),
            )
            yield Case(f"{label}/formula-no-value", _formula(title, c))
            yield Case(f"{label}/merge-down", _merge(title, c))
            for bad, value in BAD_VALUES.items():
                yield Case(
                    f"{label}/{bad}", lambda d, t=title, c=c, v=value: _set(d.sheets[t], 1, c, v)
                )
    yield Case("Dependencies/cycle", _cycle)
    yield Case("Dependencies/repeated-row", _repeat_dependency)
    yield Case(
        "Settings/all-blank-values",
        lambda d: [
            row.__setitem__(1, None) for row in d.sheets.get("Settings", [])[1:] if len(row) > 1
        ],
    )
    yield Case("all-sheets-empty", lambda d: [rows.clear() for rows in d.sheets.values()])
    yield Case(
        "only-instructions",
        lambda d: [d.sheets.pop(t) for t in list(d.sheets) if t != "Instructions"],
    )


def _misspell(header: object) -> object:
    """One letter dropped from the middle ('Capex' -> 'Capx'), as a typo does."""
    text = str(header)
    k = len(text) // 2
    while k < len(text) and not text[k].isalnum():
        k += 1
    return text if len(text) < 4 or k == len(text) else text[:k] + text[k + 1 :]


def _merge_header(title: str) -> Callable[[Draft], None]:
    """The first header cell merged over the second column (as G1:H1 in the issue)."""

    def change(d: Draft) -> None:
        d.sheets[title][0][1] = None
        d.merges.append((title, "A1:B1"))

    return change


FAR_COLUMN = 210  # past the 200 columns once read


def _far_column(title: str) -> Callable[[Draft], None]:
    """The last column moved to column 210."""

    def change(d: Draft) -> None:
        rows = d.sheets[title]
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            value = row.pop(width - 1) if len(row) == width and width else None
            _set_row(row, FAR_COLUMN - 1, value)

    return change


BLANK_GAP = 1200  # more than the 1,000 blank rows after which sheets were once cut


def _blank_gap(title: str) -> Callable[[Draft], None]:
    """1,200 blank rows before the sheet's last row."""

    def change(d: Draft) -> None:
        rows = d.sheets[title]
        if len(rows) > 2:
            rows[-1:-1] = [[] for _ in range(BLANK_GAP)]

    return change


def _set_row(row: list[object], c: int, value: object) -> None:
    while len(row) <= c:
        row.append(None)
    row[c] = value


def _repeat_dependency(d: Draft) -> None:
    deps = d.sheets.get("Dependencies")
    if deps and len(deps) > 1:
        deps.append(list(deps[1]))


def _swap_headers(title: str) -> Callable[[Draft], None]:
    def change(d: Draft) -> None:
        h = d.sheets[title][0]
        h[0], h[1] = h[1], h[0]

    return change


def _swap_columns(title: str) -> Callable[[Draft], None]:
    def change(d: Draft) -> None:
        for row in d.sheets[title]:
            if len(row) > 1:
                row[0], row[1] = row[1], row[0]

    return change


def _formula(title: str, c: int) -> Callable[[Draft], None]:
    def change(d: Draft) -> None:
        _set(d.sheets[title], 1, c, None)
        d.formulas.append((title, f"{get_column_letter(c + 1)}2", "=1+1"))

    return change


def _merge(title: str, c: int) -> Callable[[Draft], None]:
    def change(d: Draft) -> None:
        letter = get_column_letter(c + 1)
        if len(d.sheets[title]) > 2:
            d.merges.append((title, f"{letter}2:{letter}3"))

    return change


def _cycle(d: Draft) -> None:
    deps = d.sheets.get("Dependencies")
    if deps and len(deps) > 1 and len(deps[1]) > 1:
        deps.append([deps[1][1], deps[1][0]])


def _bytes_case(name: str, suffix: str, make: Callable[[bytes], bytes]) -> Case:
    def write(base: bytes, folder: Path) -> Path:
        path = folder / f"case{suffix}"
        path.write_bytes(make(base))
        return path

    return Case(f"file/{name}", file=write)


def _zip(entries: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return buf.getvalue()


def _without(base: bytes, drop: str) -> bytes:
    src, buf = zipfile.ZipFile(io.BytesIO(base)), io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            if not item.filename.startswith(drop):
                dst.writestr(item, src.read(item))
    return buf.getvalue()


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _damage(base: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    src, buf = zipfile.ZipFile(io.BytesIO(base)), io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item.filename, change(data) if item.filename.startswith(part) else data)
    return buf.getvalue()


def _flip_bytes(data: bytes, at: float) -> bytes:
    k = int(len(data) * at)
    return data[:k] + bytes(b ^ 0x5A for b in data[k : k + 64]) + data[k + 64 :]


def _file_cases() -> Iterator[Case]:
    yield _bytes_case("xls", ".xls", lambda b: _OLE + b"\0" * 1024)
    yield _bytes_case("encrypted", ".xlsx", lambda b: _OLE + "EncryptionInfo".encode("utf-16-le"))
    yield _bytes_case("csv", ".csv", lambda b: b"ID,Name\nINI-01,CDP\n")
    yield _bytes_case("text", ".txt", lambda b: "Just some notes ✓".encode())
    yield _bytes_case("text-as-xlsx", ".xlsx", lambda b: b"ID;Name\n")
    yield _bytes_case("empty", ".xlsx", lambda b: b"")
    yield _bytes_case("zip-not-workbook", ".xlsx", lambda b: _zip({"a.txt": "hi"}))
    yield _bytes_case(
        "ods",
        ".ods",
        lambda b: _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
    )
    yield _bytes_case("truncated", ".xlsx", lambda b: b[: len(b) // 2])
    yield _bytes_case("first-kb", ".xlsx", lambda b: b[:1024])
    yield _bytes_case("random", ".xlsx", lambda b: random.Random(7).randbytes(4096))
    yield _bytes_case("no-workbook-part", ".xlsx", lambda b: _without(b, "xl/workbook.xml"))
    yield _bytes_case("no-styles", ".xlsx", lambda b: _without(b, "xl/styles.xml"))
    yield _bytes_case("no-sheets", ".xlsx", lambda b: _without(b, "xl/worksheets/"))
    yield _bytes_case("no-content-types", ".xlsx", lambda b: _without(b, "[Content_Types]"))
    yield _bytes_case("html", ".xlsx", lambda b: b"<html><body><table></table></body></html>")
    yield _bytes_case(
        "sheet-xml-cut", ".xlsx", lambda b: _damage(b, "xl/worksheets/", lambda x: x[: len(x) // 2])
    )
    yield _bytes_case(
        "sheet-xml-garbled",
        ".xlsx",
        lambda b: _damage(b, "xl/worksheets/", lambda x: _flip_bytes(x, 0.5)),
    )
    yield _bytes_case(
        "shared-strings-cut",
        ".xlsx",
        lambda b: _damage(b, "xl/sharedStrings", lambda x: x[: len(x) // 3]),
    )
    yield _bytes_case(
        "styles-garbled", ".xlsx", lambda b: _damage(b, "xl/styles", lambda x: _flip_bytes(x, 0.3))
    )
    yield _bytes_case("bytes-flipped-mid-file", ".xlsx", lambda b: _flip_bytes(b, 0.5))
    yield _bytes_case("strict-open-xml", ".xlsx", to_strict)
    yield _bytes_case("under-declared-size", ".xlsx", lambda b: under_declared_zip(b, 30_000_000))
    yield _bytes_case(
        "entity-bomb",
        ".xlsx",
        lambda b: _damage(
            b,
            "xl/worksheets/sheet2",
            lambda x: (
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;">]>' + x[x.index(b"<worksheet") :]
            ),
        ),
    )


def under_declared_zip(base: bytes, inflated: int = 50_000_000, declared: int = 100) -> bytes:
    """``base`` plus a member of ``inflated`` zero bytes whose headers declare ``declared``."""
    buf = io.BytesIO()
    name = "customXml/item9.xml"
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        chunk = b"\0" * 1_000_000
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w") as member:
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    data = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        offset = zf.getinfo(name).header_offset
    struct.pack_into("<I", data, offset + 22, declared)  # local header: uncompressed size
    central = data.index(name.encode(), data.index(b"PK\x05\x06") - 10_000) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, central + 24, declared)  # central directory: the same
    return bytes(data)


def to_strict(base: bytes) -> bytes:
    """``base`` saved as Strict Open XML: the transitional namespace names replaced."""

    def strict_name(m: re.Match[bytes]) -> bytes:
        area, name = m[1], m[2]
        if area == b"package":
            return m[0]
        name = {b"extended-properties": b"extendedProperties"}.get(name, name)
        return b"http://purl.oclc.org/ooxml/%s/%s" % (area, name)

    pattern = re.compile(rb"http://schemas\.openxmlformats\.org/(\w+)/2006/([\w-]+)")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith((".xml", ".rels")):
                data = pattern.sub(strict_name, data)
                if item.filename == "xl/workbook.xml":
                    data = data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
            dst.writestr(item, data)
    return buf.getvalue()


def _combined(first: Case, second: Case) -> Case:
    def change(d: Draft) -> None:
        for case in (first, second):
            # The first mutation may have removed what the second one edits.
            with contextlib.suppress(KeyError, IndexError):
                case.grid(d)  # type: ignore[misc]

    return Case(f"{first.name} + {second.name}", change)


def all_cases(base: Path, combos: int = 300) -> list[Case]:
    """Every single mutation of ``base``, ``combos`` seeded pairs of them, and the file cases."""
    single = list(_grid_cases(load_draft(base)))
    rng = random.Random(len(single))
    pairs = [_combined(*rng.sample(single, 2)) for _ in range(combos)]
    return [*single, *pairs, *_file_cases()]


def make_case(base: Path, case: Case, folder: Path, draft: Draft | None = None) -> Path:
    """Write ``case`` (a mutation of ``base``, whose ``draft`` may be given to save re-reading
    it) into ``folder`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    if case.file is not None:
        return case.file(base.read_bytes(), folder)
    draft = copy.deepcopy(draft) if draft is not None else load_draft(base)
    assert case.grid is not None
    case.grid(draft)
    return write_draft(draft, folder / "case.xlsx")


def sample(cases: list[Case], n: int, seed: int = 0) -> list[Case]:
    """``n`` cases drawn with a fixed seed, always including every file-level case."""
    files = [c for c in cases if c.file is not None]
    grids = [c for c in cases if c.file is None]
    rest = max(0, n - len(files))
    return files + random.Random(seed).sample(grids, min(rest, len(grids)))
