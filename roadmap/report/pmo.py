"""The Roadmap sheet's columns for the PMO: % complete, actual start and go-live, spent to date,
remaining working days, their own RAG and a comment.

They sit inside the Roadmap table (a sort or filter keeps each row's entries with it), under a
header of their own colour, each with data validation (a percentage, a date, an amount, a whole
number, a RAG drop-down) and a note saying what it holds. ``roadmap progress`` and
``roadmap replan`` read them back. A re-forecast fills in what is already known (the actual
start, % complete and spend reported last time) so the next report starts from it.
"""

from __future__ import annotations

from datetime import date

from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import Initiative, Status
from roadmap.excel.writing import PERCENT_INT
from roadmap.plan_facts import PlanFacts
from roadmap.progress.model import PMO_COLUMNS, PMO_HEADERS, RAG_VALUES
from roadmap.report.layout import Formats

PMO_FILL = PatternFill("solid", fgColor="C65911")  # the PMO's columns: orange, not the blue
PMO_FONT = Font(bold=True, color="FFFFFF")
PMO_NOTE = (
    "The orange columns are the PMO's to fill: % complete, actual start and go-live, build "
    "cost spent to date, remaining working days, your RAG and a comment; `roadmap progress` "
    "reads them back and `roadmap replan` re-forecasts from them."
)
FIRST_DAY, LAST_DAY = date(1950, 1, 1), date(2200, 12, 31)


def pmo_cells(facts: PlanFacts, ini: Initiative) -> list[object]:
    """The PMO columns of one Roadmap row: what is already known, blanks for the rest."""
    actual = facts.tracking.of(ini.id)
    start = actual.start
    if start is None and ini.status is Status.IN_PROGRESS:
        start = ini.actual_start
    return [actual.percent, start, actual.go_live, actual.spent, None, actual.rag or None, None]


def mark_pmo_columns(
    ws: Worksheet, headers: list[str], top: int, last_row: int, fmt: Formats
) -> None:
    """Colour, formats, notes and data validation of the PMO columns (after the table)."""
    col = {h: headers.index(h) + 1 for h in PMO_HEADERS}
    rows = range(top + 1, last_row + 1)
    formats = {
        "% complete": PERCENT_INT,
        "Actual start": fmt.date,
        "Actual go-live": fmt.date,
        "Spent to date": fmt.money,
        "Remaining (working days)": "0",
    }
    for header, meaning in PMO_COLUMNS:
        cell = ws.cell(row=top, column=col[header])
        cell.fill, cell.font = PMO_FILL, PMO_FONT
        cell.comment = Comment(f"For the PMO: {meaning}.", "roadmap", width=240, height=60)
        for r in rows:
            if header in formats:
                ws.cell(row=r, column=col[header]).number_format = formats[header]
    checks = [
        ("% complete", DataValidation(type="decimal", operator="between", formula1="0", formula2="1"),
         "% complete", "A share between 0 % and 100 %."),
        ("Actual start", _date_rule(), "Actual start", "A date, on or before the status date."),
        ("Actual go-live", _date_rule(), "Actual go-live", "A date, on or after the actual start."),
        ("Spent to date", DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
         "Spent to date", "An amount of 0 or more."),
        ("Remaining (working days)",
         DataValidation(type="whole", operator="between", formula1="0", formula2="5000"),
         "Remaining working days", "A whole number of working days, 0 or more."),
        ("RAG", DataValidation(type="list", formula1=f'"{",".join(RAG_VALUES)}"'),
         "RAG", "Choose Green, Amber or Red."),
    ]  # fmt: skip
    for header, dv, title, error in checks:
        dv.allow_blank = True
        dv.errorTitle, dv.error = title, error
        dv.promptTitle, dv.prompt = title, error
        ws.add_data_validation(dv)
        letter = get_column_letter(col[header])
        dv.add(f"{letter}{top + 1}:{letter}{last_row}")


def _date_rule() -> DataValidation:
    first, last = (d.toordinal() - date(1899, 12, 30).toordinal() for d in (FIRST_DAY, LAST_DAY))
    return DataValidation(type="date", operator="between", formula1=str(first), formula2=str(last))
