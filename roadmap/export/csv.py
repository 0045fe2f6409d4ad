"""The milestones as CSV, for PM tools and trackers that import a flat list."""

from __future__ import annotations

import csv
from pathlib import Path

from roadmap.plan_facts import MILESTONE_COLUMNS, PlanFacts, milestone_cells
from roadmap.report.excel import FORMULA_PREFIXES

HEADERS = MILESTONE_COLUMNS


def safe(text: str) -> str:
    """Text a spreadsheet opening the CSV will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def milestone_rows(facts: PlanFacts) -> list[list[str]]:
    rows = []
    for m in facts.milestones:
        _when, *text = milestone_cells(m, facts.calendar)
        rows.append([m.when.isoformat(), *(safe(str(t)) for t in text)])
    return rows


def write_milestones_csv(facts: PlanFacts, path: Path) -> Path:
    """UTF-8 with a byte-order mark, so Excel reads accented names correctly."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with tmp.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            writer.writerows(milestone_rows(facts))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
