"""Where things are in the workbook: sheet titles, column letters and key rows.

The reader fills a :class:`Layout` from the header rows it found; the validator uses it to point
each finding at a cell. For a portfolio built in code the layout falls back to the template's
column order, so findings still name a plausible cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from roadmap.input.schema import SETTINGS, SHEETS, Sheet


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA (1-based, like Excel)."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Layout:
    titles: Mapping[str, str] = field(default_factory=dict)  # schema sheet name -> title found
    letters: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # sheet -> key -> "F"
    rows: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # sheet -> key -> row

    def title(self, sheet: str) -> str:
        return self.titles.get(sheet, sheet)

    def has_sheet(self, sheet: str) -> bool:
        return sheet in self.titles

    def letter(self, sheet: str, key: str) -> str | None:
        return self.letters.get(sheet, {}).get(key)

    def row(self, sheet: str, key: str) -> int | None:
        return self.rows.get(sheet, {}).get(key)

    @classmethod
    def default(cls) -> Layout:
        """The template's layout: columns in schema order, settings one per row under a header."""
        letters: dict[str, dict[str, str]] = {}
        for sheet in SHEETS:
            if sheet.key_value:
                letters[sheet.name] = {c.key: "B" for c in sheet.columns}
            else:
                letters[sheet.name] = {
                    c.key: column_letter(k) for k, c in enumerate(sheet.columns, start=1)
                }
        rows = {SETTINGS.name: {c.key: k for k, c in enumerate(SETTINGS.columns, start=2)}}
        return cls({}, letters, rows)


@dataclass
class RawTable:
    """One sheet as found: the cells of each data row keyed by schema column key."""

    sheet: Sheet
    title: str
    letters: dict[str, str] = field(default_factory=dict)  # key (or criterion id) -> letter
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # wide sheets: criterion ids, in order
    merged: set[tuple[int, str]] = field(default_factory=set)  # covered, non-anchor cells
    uncached: set[tuple[int, str]] = field(default_factory=set)  # formulas with no saved value
    units: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # key -> header, unit, row
    percent_cells: set[tuple[int, str]] = field(default_factory=set)  # numbers formatted as %
