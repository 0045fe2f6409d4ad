"""Progress read back from a plan workbook the PMO filled in.

- Roadmap sheet: each row's PMO columns (% complete, Actual start, Actual go-live, Spent to
  date, Remaining (working days), RAG, PMO comment), its Start and Go-live as the plan gave them
  (the baseline), its Predecessors.
- Milestones sheet: each milestone's Status and Actual date, and its Date (the baseline).
- Not selected sheet: the candidates the plan left out.
- Status sheet (a re-forecast's workbook): the baseline it carried (the plan first handed out),
  the work done and stopped so far, and each line's RAG and slip (the previous report).
- Assumptions sheet: the plan calendar.

Headers are found by name, so re-sorted or extended sheets still read. A cell that cannot be
read (a date that is not one, a negative amount, a percentage above 100 %) is an error naming
the cell; every such error is collected and raised together (exit 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import Finding, Severity
from roadmap.errors import InputError
from roadmap.input.cells import (
    CellError,
    is_blank,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    parse_text,
    show,
)
from roadmap.input.plan_workbook import (
    FIX,
    ROADMAP,
    as_date,
    cell,
    find_sheet,
    open_plan_workbook,
    plan_error,
)
from roadmap.input.schema import normalise_header
from roadmap.plan_facts.schedule import MILESTONE_KINDS
from roadmap.plan_facts.tracking import BaselineDates
from roadmap.progress.model import (
    PMO_HEADERS,
    InitiativeReport,
    MilestoneReport,
    Place,
    PreviousLine,
    ProgressReport,
)

MILESTONES, NOT_SELECTED, STATUS, ASSUMPTIONS = (
    "Milestones",
    "Not selected",
    "Status",
    "Assumptions",
)
STATUS_INITIATIVES = ("ID", "State", "Baseline go-live", "RAG")
STATUS_MILESTONES = ("ID", "Milestone", "Baseline", "RAG")
STATUS_FIGURES = ("Figure", "Baseline", "Now")
STATUS_DATE = "Status date"


class _Rows:
    """A sheet's rows with its cells (values and number formats) for typed reading."""

    def __init__(self, ws: Worksheet) -> None:
        self.title = ws.title
        self.cells = [tuple(r) for r in ws.iter_rows()]
        self.values = [tuple(getattr(c, "value", None) for c in r) for r in self.cells]

    def table(self, wanted: Iterable[str]) -> tuple[int, dict[str, int]]:
        """Header row index and columns (normalised header -> index) of the first table whose
        header holds every ``wanted`` name, anywhere on the sheet (a Status sheet has three
        tables one under the other)."""
        keys = {normalise_header(w) for w in wanted}
        for r, row in enumerate(self.values):
            cols = {normalise_header(v): c for c, v in enumerate(row) if isinstance(v, str)}
            if keys <= cols.keys():
                return r, cols
        return -1, {}

    def fmt(self, r: int, c: int | None) -> str:
        if c is None or c >= len(self.cells[r]):
            return ""
        return str(getattr(self.cells[r][c], "number_format", "") or "")


def _letters(cols: dict[str, int], names: Iterable[str]) -> dict[str, str]:
    return {
        n: get_column_letter(cols[normalise_header(n)] + 1)
        for n in names
        if normalise_header(n) in cols
    }


def read_progress_workbook(path: Path) -> ProgressReport:
    """What the PMO entered in the plan workbook at ``path`` (nothing checked against the
    status date yet: ``progress.checks``); InputError (exit 2) listing every unreadable cell."""
    path = Path(path)
    wb = open_plan_workbook(path)
    findings: list[Finding] = []
    try:
        roadmap = find_sheet(wb, ROADMAP)
        if roadmap is None:
            raise plan_error(path, "not a plan workbook: it has no Roadmap sheet", FIX)
        rows = _Rows(roadmap)
        top, cols = rows.table(("ID", "Start"))
        if top < 0:
            raise plan_error(path, "the Roadmap sheet has no header row with ID and Start",
                             "Give a workbook written by `roadmap plan`, its headers kept.",
                             ROADMAP)  # fmt: skip
        initiatives, baseline, selected, preds = _roadmap(rows, top, cols, findings)
        stones, stone_baseline = _milestones(wb, findings)
        not_selected = _not_selected(wb)
        previous, carried, carried_stones, previous_date = _status(wb)
        plan_start, plan_end = _calendar(wb)
        figures = _figures(wb)
    finally:
        wb.close()
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        raise InputError(
            f"{path.name}: {len(errors)} PMO entr{'y' if len(errors) == 1 else 'ies'} cannot be "
            "read",
            tuple(findings),
        )
    # a re-forecast's Status sheet carries the baseline the plan started from
    baseline = {**baseline, **carried}
    stone_baseline = {**stone_baseline, **carried_stones}
    selected |= {p.initiative for p in previous if not p.kind}
    return ProgressReport(
        path.name,
        tuple(initiatives),
        tuple(stones),
        None,
        plan_start,
        plan_end,
        frozenset(selected),
        frozenset(not_selected - selected),
        preds,
        baseline,
        stone_baseline,
        tuple(previous),
        previous_date,
        figures,
    )


def _typed(findings: list[Finding], place: Place, name: str, raw: object, parse, what: str):
    if is_blank(raw):
        return None
    try:
        return parse(raw)
    except CellError as exc:
        findings.append(place.finding(name, f"{name}: {exc.message}", exc.fix or what))
        return None


def _text(raw: object) -> str:
    return "" if is_blank(raw) else parse_text(raw)


def _percent(raw: object, number_format: str) -> float:
    """A % complete cell as a share: as it shows when formatted as a percentage (0.4 = 40 %),
    a bare number up to 1 as a share and above 1 as percent points (40 = 40 %)."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        return parse_number(raw)
    value = parse_number(raw)
    if "%" in number_format or -1 <= value <= 1:
        return value
    return value / 100.0


def _roadmap(rows: _Rows, top: int, cols: dict[str, int], findings: list[Finding]):
    names = ("ID", "Start", "Go-live", "Predecessors", *PMO_HEADERS)
    letters = _letters(cols, names)
    col = {n: cols.get(normalise_header(n)) for n in names}
    out: list[InitiativeReport] = []
    baseline: dict[str, BaselineDates] = {}
    selected: set[str] = set()
    preds: dict[str, tuple[str, ...]] = {}
    seen: dict[str, int] = {}
    for r in range(top + 1, len(rows.values)):
        row = rows.values[r]
        raw = cell(row, col["ID"])
        if is_blank(raw):
            continue
        excel_row = r + 1
        place = Place(rows.title, excel_row, letters)
        iid = str(raw).strip()
        if iid in seen:
            findings.append(place.finding("ID", f"{iid} appears twice (also on row {seen[iid]})",
                                          "keep one row per initiative"))  # fmt: skip
            continue
        seen[iid] = excel_row
        start, go_live = as_date(cell(row, col["Start"])), as_date(cell(row, col["Go-live"]))
        if start is not None and go_live is not None:
            baseline[iid] = BaselineDates(start, go_live)
            selected.add(iid)
        linked = cell(row, col["Predecessors"])
        if not is_blank(linked):
            preds[iid] = tuple(
                p.strip() for p in str(linked).replace(";", ",").split(",") if p.strip()
            )

        def get(name: str, parse, what: str, _row=row, _place=place):
            return _typed(findings, _place, name, cell(_row, col[name]), parse, what)

        fmt = rows.fmt(r, col["% complete"])
        percent = get("% complete", partial(_percent, number_format=fmt), "type e.g. 40 %")
        spent = get("Spent to date", parse_money, "type an amount, e.g. 250000")
        if spent is not None and spent < 0:
            findings.append(place.finding("Spent to date", f"Spent to date of {iid} is "
                                          f"{spent:,.0f}, below zero", "type 0 or more"))  # fmt: skip
            spent = None
        remaining = get("Remaining (working days)", parse_int, "type a whole number of days")
        if remaining is not None and remaining < 0:
            findings.append(place.finding("Remaining (working days)",
                                          f"Remaining of {iid} is {remaining}, below 0",
                                          "type 0 or more working days"))  # fmt: skip
            remaining = None
        out.append(
            InitiativeReport(
                iid,
                place,
                percent,
                get("Actual start", parse_date, "type the date as 2027-04-01"),
                get("Actual go-live", parse_date, "type the date as 2027-04-01"),
                spent,
                remaining,
                _text(cell(row, col["RAG"])),
                _text(cell(row, col["PMO comment"])),
            )
        )
    return out, baseline, selected, preds


def _milestones(wb, findings: list[Finding]):
    ws = find_sheet(wb, MILESTONES)
    if ws is None:
        return [], {}
    rows = _Rows(ws)
    top, cols = rows.table(("Milestone", "Initiative", "Status"))
    if top < 0:
        return [], {}
    names = ("Date", "Milestone", "Initiative", "Status", "Actual date")
    letters = _letters(cols, names)
    col = {n: cols.get(normalise_header(n)) for n in names}
    kinds = {k.casefold(): k for k in MILESTONE_KINDS}
    out: list[MilestoneReport] = []
    baseline: dict[tuple[str, str], date] = {}
    for r in range(top + 1, len(rows.values)):
        row = rows.values[r]
        iid, kind = cell(row, col["Initiative"]), cell(row, col["Milestone"])
        if is_blank(iid) and is_blank(kind):
            continue
        place = Place(rows.title, r + 1, letters)
        known = kinds.get(str(kind).strip().casefold()) if not is_blank(kind) else None
        if is_blank(iid) or known is None:
            findings.append(place.finding(
                "Milestone" if known is None else "Initiative",
                f"row {r + 1} has milestone {show(kind)} of initiative {show(iid)}",
                "give an Initiative ID and one of: " + ", ".join(MILESTONE_KINDS)))  # fmt: skip
            continue
        planned = as_date(cell(row, col["Date"]))
        actual = _typed(findings, place, "Actual date", cell(row, col["Actual date"]),
                        parse_date, "type the date as 2027-04-01")  # fmt: skip
        status = "" if is_blank(cell(row, col["Status"])) else str(cell(row, col["Status"])).strip()
        key = (str(iid).strip(), known)
        if planned is not None:
            baseline[key] = planned
        out.append(MilestoneReport(key[0], known, place, status, actual, planned))
    return out, baseline


def _not_selected(wb) -> set[str]:
    ws = find_sheet(wb, NOT_SELECTED)
    if ws is None:
        return set()
    rows = _Rows(ws)
    top, cols = rows.table(("ID", "Name"))
    if top < 0:
        return set()
    return {
        str(cell(row, cols["id"])).strip()
        for row in rows.values[top + 1 :]
        if not is_blank(cell(row, cols["id"]))
    }


def _status(wb):
    """The previous report (a re-forecast's Status sheet): its lines, the baseline it carried,
    and its status date."""
    ws = find_sheet(wb, STATUS)
    if ws is None:
        return [], {}, {}, None
    rows = _Rows(ws)
    previous: list[PreviousLine] = []
    baseline: dict[str, BaselineDates] = {}
    stones: dict[tuple[str, str], date] = {}
    status_date = None
    top, cols = rows.table(STATUS_FIGURES)
    if top >= 0:
        for row in rows.values[top + 1 :]:
            label = cell(row, cols["figure"])
            if is_blank(label):
                break
            if str(label).strip() == STATUS_DATE:
                status_date = as_date(cell(row, cols["now"]))
    top, cols = rows.table(STATUS_INITIATIVES)
    if top >= 0:
        for row in rows.values[top + 1 :]:
            iid = cell(row, cols["id"])
            if is_blank(iid):
                break
            iid = str(iid).strip()
            state = str(cell(row, cols["state"]) or "").strip()
            b_start = as_date(cell(row, cols.get("baselinestart")))
            b_live = as_date(cell(row, cols.get("baselinegolive")))
            if b_start is not None and b_live is not None:
                baseline[iid] = BaselineDates(b_start, b_live)
            spent = cell(row, cols.get("spenttodate"))
            slip = cell(row, cols.get("slipworkingdays"))
            previous.append(
                PreviousLine(
                    iid,
                    "",
                    state,
                    str(cell(row, cols["rag"]) or "").strip(),
                    int(slip) if isinstance(slip, int | float) else None,
                    as_date(cell(row, cols.get("start"))),
                    as_date(cell(row, cols.get("golive"))),
                    float(spent) if isinstance(spent, int | float) else None,
                )
            )
    top, cols = rows.table(STATUS_MILESTONES)
    if top >= 0:
        for row in rows.values[top + 1 :]:
            iid, kind = cell(row, cols["id"]), cell(row, cols["milestone"])
            if is_blank(iid):
                break
            key = (str(iid).strip(), str(kind).strip())
            when = as_date(cell(row, cols["baseline"]))
            if when is not None:
                stones[key] = when
            slip = cell(row, cols.get("slipworkingdays"))
            previous.append(
                PreviousLine(
                    key[0],
                    key[1],
                    rag=str(cell(row, cols["rag"]) or "").strip(),
                    slip=int(slip) if isinstance(slip, int | float) else None,
                )
            )
    return previous, baseline, stones, status_date


def _calendar(wb) -> tuple[date | None, date | None]:
    """The plan's first and last day, from its Assumptions sheet."""
    from roadmap.domain import PeriodKind
    from roadmap.money.calendar import Calendar

    ws = find_sheet(wb, ASSUMPTIONS)
    if ws is None:
        return None, None
    rows = _Rows(ws)
    top, cols = rows.table(("Group", "Item", "Value"))
    if top < 0:
        return None, None
    items = {
        normalise_header(str(cell(row, cols["item"]) or "")): cell(row, cols["value"])
        for row in rows.values[top + 1 :]
    }
    start = as_date(items.get("planstart"))
    horizon = items.get("horizonperiods")
    period = str(items.get("periodlength") or "quarter").strip().lower()
    if start is None or not isinstance(horizon, int | float):
        return start, None
    try:
        kind = PeriodKind(period)
    except ValueError:
        return start, None
    cal = Calendar(start, kind, int(horizon))
    return start, cal.end(cal.horizon - 1)


def _figures(wb) -> tuple[tuple[str, float | date | None], ...]:
    from roadmap.input.plan_workbook import SUMMARY, figure_value

    ws = find_sheet(wb, SUMMARY)
    if ws is None:
        return ()
    rows = _Rows(ws)
    top, cols = rows.table(("Figure", "Value"))
    out: list[tuple[str, float | date | None]] = []
    if top < 0:
        return ()
    for row in rows.values[top + 1 :]:
        label = cell(row, cols["figure"])
        if is_blank(label):
            break
        value = figure_value(cell(row, cols["value"]))
        out.append((str(label).strip(), value if not isinstance(value, str) else None))
    return tuple(out)
