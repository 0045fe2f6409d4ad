"""The milestones as CSV, for PM tools and trackers that import a flat list."""

from __future__ import annotations

import csv
from pathlib import Path

from roadmap.excel.writing import FORMULA_PREFIXES
from roadmap.plan_facts import MILESTONE_COLUMNS, PlanFacts, milestone_cells
from roadmap.runtime.outputs import write_output

# as the workbook's Milestones sheet: the two columns a tracker fills in come along, empty
TRACKING_COLUMNS = ("Actual date", "Notes")
HEADERS = (*MILESTONE_COLUMNS, *TRACKING_COLUMNS)


def safe(text: str) -> str:
    """Text a spreadsheet opening the CSV will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def milestone_rows(facts: PlanFacts) -> list[list[str]]:
    rows = []
    for m in facts.milestones:
        _when, *text = milestone_cells(m, facts.calendar)
        rows.append(
            [m.when.isoformat(), *(safe(str(t)) for t in text), *("" for _ in TRACKING_COLUMNS)]
        )
    return rows


DELIMITERS = {",": ",", ";": ";", "tab": "\t", "|": "|"}


def write_milestones_csv(
    facts: PlanFacts, path: Path, *, force: bool = False, delimiter: str = ","
) -> Path:
    """UTF-8 with a byte-order mark, so Excel (and LibreOffice's text import dialog) read
    accented names correctly; written through
    the output guard (atomic, never over an existing file unless ``force``). ``delimiter`` ";"
    suits Excel set to a European locale, where the comma is the decimal separator."""
    rows = milestone_rows(facts)
    sep = DELIMITERS.get(delimiter, delimiter)
    if len(sep) != 1 or sep in '"\r\n':
        raise ValueError(f"a CSV delimiter is one character, not {delimiter!r}")

    def write(temp: Path) -> None:
        with temp.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh, delimiter=sep)
            writer.writerow(HEADERS)
            writer.writerows(rows)

    return write_output(Path(path), write, force=force)
