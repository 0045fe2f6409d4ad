"""Status sheet of a re-forecast plan: what moved since the plan was handed out.

Three tables, one under the other: the headline figures (baseline vs now), every initiative
(baseline and forecast dates, slip in working days, % complete, spend against plan, forecast
cost at completion, RAG by the stated thresholds, the PMO's own RAG and the trend against the
previous report) and every milestone. RAG cells are coloured; the thresholds are stated under
the title. ``roadmap replan`` reads this sheet back from its own output at the next cycle (the
baseline it carries, the work done and stopped, the previous RAG), so its headers are a
contract: ``input.progress_workbook`` finds them by name.
"""

from __future__ import annotations

from datetime import date

from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.writing import NUMBER, PERCENT_INT, finish_sheet, put, write_table, write_title
from roadmap.progress.status import AMBER, GREEN, RED, StatusLine, StatusReport, slip_days
from roadmap.report.layout import (
    Formats,
    refit,
    section,
    wrap_rows,
    wrap_subtitle,
    wrapped_lines,
)

SHEET = "Status"
NOTE_FROM, NOTE_TO = 3, 7  # the columns the notes under the headline wrap across (page 1)
RAG_FILLS = {
    GREEN: (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100", bold=True)),
    AMBER: (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700", bold=True)),
    RED: (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006", bold=True)),
}
FIGURE_HEADERS = ["Figure", "Baseline", "Now", "Change"]  # from column B; notes under it
INITIATIVE_HEADERS = [
    "ID",
    "Name",
    "State",
    "Baseline start",
    "Start",
    "Baseline go-live",
    "Go-live",
    "Slip (working days)",
    "% complete",
    "Spent to date",
    "Planned to date",
    "Budget",
    "Forecast at completion",
    "Over budget",
    "RAG",
    "PMO RAG",
    "Trend",
    "PMO comment",
]
MILESTONE_HEADERS = [
    "ID",
    "Name",
    "Milestone",
    "Baseline",
    "Date",
    "Done",
    "Slip (working days)",
    "RAG",
    "Trend",
]


def _subtitle(report: StatusReport) -> str:
    since = (
        f" Trend: against the previous report of {report.previous_as_of}."
        if report.previous_as_of
        else ""
    )
    return (
        f"Status at {report.as_of} against the plan handed out (the baseline). Start and "
        "go-live are actual for work done or under way, forecast otherwise; slip is in working "
        f"days, late positive. {report.thresholds.describe()}{since}"
    )


def write_status(ws: Worksheet, report: StatusReport, fmt: Formats) -> None:
    top = write_title(ws, f"Status at {report.as_of}", _subtitle(report))
    head = section(ws, top, "Headline: baseline vs now")
    figures: list[list[object]] = [["Status date", report.previous_as_of, report.as_of, None]]
    formats: list[str | None] = [fmt.date]
    for h in report.headline:
        change: object = None
        if isinstance(h.baseline, float) and isinstance(h.now, float):
            change = h.now - h.baseline
        elif isinstance(h.baseline, date) and isinstance(h.now, date):
            change = slip_days(h.baseline, h.now)
        figures.append([h.label, h.baseline, h.now, change])
        formats.append(fmt.money if h.kind == "money" else fmt.date if h.kind == "date" else NUMBER)
    last, _ = write_table(ws, FIGURE_HEADERS, figures, name="Status figures", top=head, left=2)
    for k, number_format in enumerate(formats):
        r = head + 1 + k
        for c in (3, 4):
            if number_format and ws.cell(row=r, column=c).value is not None:
                ws.cell(row=r, column=c).number_format = number_format
        moved = ws.cell(row=r, column=5)
        if moved.value is not None:
            moved.number_format = (
                '+#,##0" working days";-#,##0" working days";0'
                if number_format == fmt.date
                else NUMBER
                if number_format == NUMBER
                else fmt.money
            )
    row = last + 2
    notes = [f"Status date: {_previous(report)}."]
    notes += [f"{h.label}: {h.note}." for h in report.headline if h.note]
    notes += [f"Budget: {note}." for note in report.budget_notes]
    note_rows = []
    for note in notes:
        put(ws, row, NOTE_FROM, note).font = Font(italic=True, color="595959")
        note_rows.append(row)
        row += 1
    head = section(ws, row + 1, "Initiatives")
    rows = [_initiative_cells(line) for line in report.initiatives]
    last_i, _ = write_table(
        ws,
        INITIATIVE_HEADERS,
        rows,
        name="Status initiatives",
        top=head,
        formats={
            "Baseline start": fmt.date,
            "Start": fmt.date,
            "Baseline go-live": fmt.date,
            "Go-live": fmt.date,
            "Slip (working days)": "+#,##0;-#,##0;0",
            "% complete": PERCENT_INT,
            "Spent to date": fmt.money,
            "Planned to date": fmt.money,
            "Budget": fmt.money,
            "Forecast at completion": fmt.money,
            "Over budget": "+0.0%;-0.0%;0.0%",
        },
    )
    _colour(ws, head, last_i, [INITIATIVE_HEADERS.index(h) + 1 for h in ("RAG", "PMO RAG")])
    go_live = INITIATIVE_HEADERS.index("Go-live") + 1
    for k, line in enumerate(report.initiatives, start=head + 1):
        if line.how:  # how the forecast was made: a note on the forecast go-live
            ws.cell(row=k, column=go_live).comment = Comment(
                f"Forecast: {line.how}.", "roadmap", width=300, height=90
            )
    wrap_from = head
    head = section(ws, last_i + 2, "Milestones")
    stones = [_milestone_cells(line) for line in report.milestones]
    last_m, _ = write_table(
        ws,
        MILESTONE_HEADERS,
        stones,
        name="Status milestones",
        top=head,
        formats={"Baseline": fmt.date, "Date": fmt.date, "Slip (working days)": "+#,##0;-#,##0;0"},
    )
    _colour(ws, head, last_m, [MILESTONE_HEADERS.index(h) + 1 for h in ("RAG",)])
    finish_sheet(ws, header_row=None)
    refit(ws, top, maximum=20)
    comment = INITIATIVE_HEADERS.index("PMO comment") + 1
    for col, width in ((2, 44), (comment, 30)):
        ws.column_dimensions[get_column_letter(col)].width = width
    wrap_rows(ws, wrap_from + 1, last_i, [2, comment])
    wrap_rows(ws, head + 1, last_m, [2])
    wrap_subtitle(ws, last_col=9)
    _wrap_notes(ws, note_rows)
    ws.freeze_panes = ws.cell(row=top, column=3)


def _wrap_notes(ws: Worksheet, rows: list[int]) -> None:
    """The notes under the headline, each wrapped across columns C to G: past the label
    columns every printed page repeats, so each prints once, whole, on the first page."""
    width = sum(
        ws.column_dimensions[get_column_letter(c)].width or 8.43
        for c in range(NOTE_FROM, NOTE_TO + 1)
    )
    for r in rows:
        cell = ws.cell(row=r, column=NOTE_FROM)
        ws.merge_cells(start_row=r, start_column=NOTE_FROM, end_row=r, end_column=NOTE_TO)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = wrapped_lines(str(cell.value), max(10, int(width * 1.3)))  # text runs narrow
        ws.row_dimensions[r].height = 15 * lines


def _previous(report: StatusReport) -> str:
    if report.previous_as_of is None:
        return "first status report of this plan"
    return f"previous report {report.previous_as_of}"


def _initiative_cells(line: StatusLine) -> list[object]:
    return [
        line.initiative,
        line.name,
        line.state,
        line.baseline_start,
        line.start,
        line.baseline,
        line.forecast,
        line.slip,
        line.percent,
        line.spent,
        line.planned_to_date,
        line.budget,
        line.forecast_cost,
        line.overrun,
        line.rag or None,
        line.pmo_rag or None,
        _trend(line),
        line.comment or None,
    ]


def _milestone_cells(line: StatusLine) -> list[object]:
    return [
        line.initiative,
        line.name,
        line.kind,
        line.baseline,
        line.forecast,
        "yes" if line.done else "no",
        line.slip,
        line.rag or None,
        _trend(line),
    ]


def _trend(line: StatusLine) -> str | None:
    """Against the previous report: "worse (was Green)", "same", "better (was Red)"."""
    if not line.trend:
        return None
    return line.trend if line.trend == "same" else f"{line.trend} (was {line.previous_rag})"


def _colour(ws: Worksheet, head: int, last: int, columns: list[int]) -> None:
    """Red / amber / green cells coloured by their text (a conditional format, so a PMO who
    changes a RAG by hand sees the colour follow)."""
    for c in columns:
        letter = get_column_letter(c)
        ref = f"{letter}{head + 1}:{letter}{last}"
        for value, (fill, font) in RAG_FILLS.items():
            ws.conditional_formatting.add(
                ref, CellIsRule(operator="equal", formula=[f'"{value}"'], fill=fill, font=font)
            )
