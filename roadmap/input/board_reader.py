"""Read a plan workbook (``roadmap plan -o``) into the ``PlanPicture`` the board's slides, picture
and page are drawn from.

The plan workbook is the source, not the solver's memory: a PMO may have re-sorted rows, filled
in statuses and actual dates, or kept last quarter's file. Tables are found by their headers
(any order, any row near the top). The Summary and Roadmap sheets are required; a cell that does
not read (a start that is not a date, a go-live before the start) is an error naming its sheet
and cell (exit 2). Milestones, Budget, Capacity, Capabilities and Not selected are optional:
without one, the part drawn from it is left out and ``PlanPicture.notes`` says so.

An ``--all-scenarios`` workbook draws its first plan (Base) and compares the scenarios from its
Scenarios sheet.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.errors import InputError
from roadmap.input.board_data import (
    Bar,
    FiscalYear,
    Headline,
    LeftOut,
    Milestone,
    Period,
    PlanPicture,
    ScenarioFigures,
    TeamUse,
)
from roadmap.input.plan_workbook import FIX, SCAN_ROWS, as_date, header_row, open_plan_workbook
from roadmap.input.plan_workbook import cell as _cell

_MONTHS = {"month": 1, "quarter": 3, "year": 12}

Rows = list[tuple[object, ...]]


class _Book:
    """The workbook's sheets as value rows, looked up by name (case and spaces ignored), and the
    prefix of the plan drawn (``"Base "`` in an ``--all-scenarios`` workbook)."""

    def __init__(self, path: Path, wb: Workbook) -> None:
        self.path = path
        self.sheets = {ws.title.strip().casefold(): ws for ws in wb.worksheets}
        self.prefix = ""
        if "roadmap" not in self.sheets:
            for title in (ws.title for ws in wb.worksheets):
                if title.casefold().endswith(" roadmap"):
                    self.prefix = title[: -len("roadmap")]
                    break

    def rows(self, name: str, prefixed: bool = True) -> Rows | None:
        key = ((self.prefix if prefixed else "") + name).strip().casefold()
        ws: Worksheet | None = self.sheets.get(key)
        return None if ws is None else [tuple(r) for r in ws.iter_rows(values_only=True)]

    def sheet_name(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def error(self, sheet: str, problem: str, fix: str = FIX, cell: str = "") -> InputError:
        where = f"{self.path}, sheet {self.sheet_name(sheet)}" + (f", cell {cell}" if cell else "")
        return InputError(f"{where}: {problem}. {fix}")


def read_plan_picture(path: Path) -> PlanPicture:
    """The plan workbook at ``path`` as a ``PlanPicture``; InputError (exit 2) when it is not a
    plan workbook or a cell the picture needs does not read."""
    path = Path(path)
    wb = open_plan_workbook(path)
    try:
        return _read(_Book(path, wb))
    finally:
        wb.close()


def read_plan_picture_data(data: bytes, name: str) -> PlanPicture:
    """The same, from a plan workbook's bytes (``roadmap plan --export pptx`` draws the workbook
    it is writing before the file is put in place)."""
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return _read(_Book(Path(name), wb))
    finally:
        wb.close()


def _read(book: _Book) -> PlanPicture:
    roadmap = book.rows("Roadmap")
    if roadmap is None:
        if book.rows("Diagnosis") is not None:
            raise InputError(
                f"{book.path}: this plan workbook holds no plan (the portfolio had no feasible "
                "plan; see its Diagnosis sheet). Fix the limits it lists and plan again."
            )
        raise InputError(f"{book.path}: not a plan workbook: it has no Roadmap sheet. {FIX}")
    summary = book.rows("Summary")
    if summary is None:
        raise InputError(f"{book.path}: not a plan workbook: it has no Summary sheet. {FIX}")
    notes: list[str] = []
    settings = _assumptions(book.rows("Assumptions"))
    headline, title, subtitle = _summary(book, summary)
    bars, pools = _bars(book, roadmap)
    milestones = _optional(book, "Milestones", _milestones, notes, "milestones are not marked")
    periods, years = _optional(book, "Budget", _budget, notes, "the budget chart is left out") or (
        (),
        (),
    )
    teams = _optional(book, "Capacity", _capacity, notes, "the capacity chart is left out")
    left_out = _optional(book, "Not selected", _left_out, notes, "the left-out slide is omitted")
    capabilities = _optional(book, "Capabilities", _capabilities, notes, "")
    scenarios = _scenarios(book)
    kind = str(settings.get("period length", "") or "").strip().lower()
    start = as_date(settings.get("plan start"))
    horizon = settings.get("horizon (periods)")
    if start is None and periods:
        start = periods[0].first_day
    if start is None:
        start = min(b.start for b in bars) if bars else date.today()
    if kind not in _MONTHS:
        kind = _guess_kind(periods)
    if isinstance(horizon, int | float) and horizon >= 1:
        end = _add_months(start, _MONTHS[kind] * int(horizon))
    elif periods:
        end = _add_months(periods[-1].first_day, _MONTHS[kind])
    else:
        end = max((b.ramp_end for b in bars), default=_add_months(start, 12))
    currency = str(settings.get("currency") or _currency_from(subtitle) or "")
    return PlanPicture(
        source=book.path.name,
        title=title,
        subtitle=subtitle,
        currency=currency,
        plan_start=start,
        plan_end=end,
        period_kind=kind,
        headline=headline,
        bars=bars,
        milestones=milestones or (),
        periods=periods,
        years=years,
        teams=teams or (),
        left_out=left_out or (),
        capability_names=capabilities or (),
        scenarios=scenarios,
        notes=tuple(notes),
        has_pool_column=pools,
    )


def _optional(book: _Book, name: str, reader, notes: list[str], lost: str):  # type: ignore[no-untyped-def]
    rows = book.rows(name)
    if rows is None:
        if lost:
            notes.append(f"no {book.sheet_name(name)} sheet: {lost}")
        return None
    return reader(book, rows)


# --- cells -----------------------------------------------------------------------------------


def _header_row(rows: Rows, wanted: Iterable[str], start: int = 0) -> tuple[int, dict[str, int]]:
    """``header_row`` from row ``start`` on (the Budget sheet has a second table lower down)."""
    top, cols = header_row(rows[start:], wanted)
    return (top + start, cols) if top >= 0 else (-1, {})


def _ref(row_index: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row_index + 1}"


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def _guess_kind(periods: tuple[Period, ...]) -> str:
    if len(periods) >= 2:
        a, b = periods[0].first_day, periods[1].first_day
        months = (b.year - a.year) * 12 + b.month - a.month
        return {1: "month", 3: "quarter", 12: "year"}.get(months, "quarter")
    return "quarter"


def _currency_from(subtitle: str) -> str:
    match = re.search(r"amounts in ([A-Z]{3})", subtitle)
    return match.group(1) if match else ""


# --- sheets ----------------------------------------------------------------------------------


def _assumptions(rows: Rows | None) -> dict[str, object]:
    if rows is None:
        return {}
    top, cols = _header_row(rows, ("Group", "Item", "Value"))
    if top < 0:
        return {}
    out: dict[str, object] = {}
    for row in rows[top + 1 :]:
        group, item = _text(_cell(row, cols["group"])), _text(_cell(row, cols["item"]))
        if group.lower() == "setting" and item:
            out.setdefault(item.lower(), _cell(row, cols["value"]))
    return out


_FIGURES = {
    "initiatives selected": "selected",
    "candidates": "candidates",
    "total spend in the horizon": "spend",
    "total budget in the horizon": "budget",
    "portfolio npv": "npv",
    "irr (per year)": "irr",
    "payback date": "payback",
    "capability gap closed": "gap_closed",
    "solver status": "solver_status",
    "solver gap": "solver_gap",
}


_COMPUTED = {"solver_status", "solver_gap"}


def _summary(book: _Book, rows: Rows) -> tuple[Headline, str, str]:
    top, cols = _header_row(rows, ("Figure", "Value"))
    if top < 0:
        raise book.error(
            "Summary",
            "no header row with Figure and Value columns",
            "Keep the Summary sheet's figures table as `roadmap plan` wrote it.",
        )
    found: dict[str, object] = {}
    in_table = True
    for row in rows[top + 1 :]:
        label = _text(_cell(row, cols["figure"]))
        if not label:
            in_table = False  # the figures table ends at the first blank label
            continue
        key = _FIGURES.get(label.lower())
        # below it, only the solver's rows of the "How this was computed" block
        if key and (in_table or key in _COMPUTED):
            found.setdefault(key, _cell(row, cols["value"]))

    def count(key: str) -> int | None:
        value = _number(found.get(key))
        return None if value is None else round(value)

    headline = Headline(
        selected=count("selected"),
        candidates=count("candidates"),
        spend=_number(found.get("spend")),
        budget=_number(found.get("budget")),
        npv=_number(found.get("npv")),
        irr=_number(found.get("irr")),
        payback=as_date(found.get("payback")),
        gap_closed=_number(found.get("gap_closed")),
        solver_status=_text(found.get("solver_status")),
        solver_gap=_number(found.get("solver_gap")),
    )
    title = _text(_cell(rows[0], 0)) if rows else ""
    subtitle = _text(_cell(rows[1], 0)) if len(rows) > 1 else ""
    return headline, title, subtitle


_STATUSES = {"proposed", "in progress", "done"}


def _bars(book: _Book, rows: Rows) -> tuple[tuple[Bar, ...], bool]:
    """The Roadmap sheet's rows, and whether it has a Funding pool column."""
    top, cols = _header_row(rows, ("ID", "Name", "Start", "Go-live"))
    if top < 0:
        raise book.error(
            "Roadmap",
            "no header row with ID, Name, Start and Go-live columns",
            "Keep the Roadmap sheet's headers as `roadmap plan` wrote them.",
        )
    c = cols.get
    out: list[Bar] = []
    seen: dict[str, int] = {}
    for r in range(top + 1, len(rows)):
        row = rows[r]
        iid = _text(_cell(row, c("id")))
        if not iid:
            continue
        if iid in seen:
            raise book.error(
                "Roadmap",
                f"initiative {iid!r} appears twice (rows {seen[iid] + 1} and {r + 1})",
                "Keep one row per initiative.",
                _ref(r, cols["id"]),
            )
        seen[iid] = r
        start = _date_cell(book, rows, r, cols["start"], "Start")
        live = _date_cell(book, rows, r, cols["golive"], "Go-live")
        if live < start:
            raise book.error(
                "Roadmap",
                f"{iid} goes live on {live.isoformat()}, before its start {start.isoformat()}",
                "Correct the Start or Go-live date.",
                _ref(r, cols["golive"]),
            )
        ramp_col = c("endoframpup")
        ramp = live
        if ramp_col is not None and _cell(row, ramp_col) not in (None, ""):
            ramp = _date_cell(book, rows, r, ramp_col, "End of ramp-up")
            if ramp < live:
                raise book.error(
                    "Roadmap",
                    f"{iid}'s ramp-up ends on {ramp.isoformat()}, before its go-live "
                    f"{live.isoformat()}",
                    "Correct the End of ramp-up or Go-live date.",
                    _ref(r, ramp_col),
                )
        status = _text(_cell(row, c("status"))).lower() or "proposed"
        preds = _text(_cell(row, c("predecessors")))
        out.append(
            Bar(
                id=iid,
                name=_text(_cell(row, c("name"))) or iid,
                start=start,
                go_live=live,
                ramp_end=ramp,
                function=_text(_cell(row, c("ownerfunction"))),
                team=_text(_cell(row, c("accountableteam"))),
                pool=_text(_cell(row, c("fundingpool"))),
                capabilities=_text(_cell(row, c("capabilitieslifted"))),
                status=status if status in _STATUSES else "proposed",
                cost=_number(_cell(row, c("cost"))),
                npv=_number(_cell(row, c("npv"))),
                predecessors=tuple(p.strip() for p in preds.split(",") if p.strip()),
                note=_text(_cell(row, c("note"))),
                row=r + 1,
            )
        )
    return tuple(out), "fundingpool" in cols


def _date_cell(book: _Book, rows: Rows, r: int, col: int, header: str) -> date:
    value = _cell(rows[r], col)
    day = as_date(value)
    if day is None:
        shown = "blank" if value in (None, "") else f"{value!r}, not a date"
        raise book.error(
            "Roadmap",
            f"{header} is {shown}",
            f"Type a date (YYYY-MM-DD) in the {header} column.",
            _ref(r, col),
        )
    return day


def _milestones(book: _Book, rows: Rows) -> tuple[Milestone, ...]:
    top, cols = _header_row(rows, ("Date", "Milestone", "Initiative"))
    if top < 0:
        raise book.error(
            "Milestones",
            "no header row with Date, Milestone and Initiative columns",
            "Keep the Milestones sheet's headers as `roadmap plan` wrote them.",
        )
    out: list[Milestone] = []
    for r in range(top + 1, len(rows)):
        row = rows[r]
        iid = _text(_cell(row, cols["initiative"]))
        if not iid:
            continue
        day = as_date(_cell(row, cols["date"]))
        if day is None:
            raise book.error(
                "Milestones",
                f"the {iid} milestone's Date is not a date",
                "Type a date (YYYY-MM-DD).",
                _ref(r, cols["date"]),
            )
        actual_col = cols.get("actualdate")
        actual_raw = _cell(row, actual_col)
        actual = as_date(actual_raw)
        if actual is None and actual_raw not in (None, "") and actual_col is not None:
            raise book.error(
                "Milestones",
                f"the Actual date {actual_raw!r} of {iid} is not a date",
                "Type the date the milestone was reached (YYYY-MM-DD), or leave it blank.",
                _ref(r, actual_col),
            )
        out.append(
            Milestone(
                iid,
                _text(_cell(row, cols["milestone"])),
                day,
                _text(_cell(row, cols.get("status"))),
                actual,
            )
        )
    return tuple(out)


def _budget(book: _Book, rows: Rows) -> tuple[tuple[Period, ...], tuple[FiscalYear, ...]]:
    wanted = ("Period", "First day", "Fiscal year", "Total spend", "Limit")
    top, cols = _header_row(rows, wanted)
    if top < 0:
        raise book.error(
            "Budget",
            "no header row with Period, First day, Fiscal year, Total spend and Limit columns",
            "Keep the Budget sheet's tables as `roadmap plan` wrote them.",
        )
    periods: list[Period] = []
    r = top + 1
    while r < len(rows) and _text(_cell(rows[r], cols["period"])):
        row = rows[r]
        first = as_date(_cell(row, cols["firstday"]))
        if first is None:
            raise book.error(
                "Budget", "First day is not a date", "Type a date.", _ref(r, cols["firstday"])
            )
        fy = _number(_cell(row, cols["fiscalyear"]))
        periods.append(
            Period(_text(_cell(row, cols["period"])), first, None if fy is None else int(fy))
        )
        r += 1
    years: list[FiscalYear] = []
    top2, cols2 = _header_row(rows, wanted, start=r)
    if top2 >= 0:
        r = top2 + 1
        while r < len(rows) and _text(_cell(rows[r], cols2["period"])):
            row = rows[r]
            spend = _number(_cell(row, cols2["totalspend"]))
            first = as_date(_cell(row, cols2["firstday"]))
            if spend is None or first is None:
                col = cols2["totalspend"] if spend is None else cols2["firstday"]
                raise book.error(
                    "Budget",
                    "a fiscal year's Total spend or First day does not read",
                    "Keep the per-fiscal-year table as `roadmap plan` wrote it.",
                    _ref(r, col),
                )
            years.append(
                FiscalYear(
                    _text(_cell(row, cols2["period"])),
                    first,
                    spend,
                    _number(_cell(row, cols2["limit"])),
                )
            )
            r += 1
    return tuple(periods), tuple(years)


def _team_block(rows: Rows, title: str) -> tuple[int, dict[str, tuple[float, ...]]]:
    """The team x period block under the row whose first cell is ``title``."""
    for r, row in enumerate(rows):
        if _text(_cell(row, 0)).lower() == title.lower():
            out: dict[str, tuple[float, ...]] = {}
            k = r + 2  # the title, then the Team header
            while k < len(rows) and _text(_cell(rows[k], 0)):
                row_k = rows[k]
                out[_text(row_k[0])] = tuple(_number(v) or 0.0 for v in row_k[1:] if v is not None)
                k += 1
            return r, out
    return -1, {}


def _capacity(book: _Book, rows: Rows) -> tuple[TeamUse, ...]:
    at, demand = _team_block(rows, "Demand (FTE)")
    _, capacity = _team_block(rows, "Capacity (FTE)")
    if at < 0 or not capacity:
        raise book.error(
            "Capacity",
            "no 'Demand (FTE)' and 'Capacity (FTE)' tables",
            "Keep the Capacity sheet's tables as `roadmap plan` wrote them.",
        )
    return tuple(
        TeamUse(team, demand.get(team, ()), capacity[team]) for team in capacity if team in demand
    )


def _left_out(book: _Book, rows: Rows) -> tuple[LeftOut, ...]:
    top, cols = _header_row(rows, ("ID", "Name", "Why not"))
    if top < 0:
        raise book.error(
            "Not selected",
            "no header row with ID, Name and Why not columns",
            "Keep the Not selected sheet's headers as `roadmap plan` wrote them.",
        )
    out: list[LeftOut] = []
    for row in rows[top + 1 :]:
        iid = _text(_cell(row, cols["id"]))
        if not iid:
            continue
        value = _number(_cell(row, cols.get("valuelostifforcedin")))
        if value is None:
            value = _number(_cell(row, cols.get("atmost")))
        out.append(
            LeftOut(
                iid,
                _text(_cell(row, cols["name"])) or iid,
                _text(_cell(row, cols["whynot"])),
                value,
                _text(_cell(row, cols.get("valuelostprovenrange"))),
            )
        )
    return tuple(out)


def _capabilities(book: _Book, rows: Rows) -> tuple[tuple[str, str], ...]:
    top, cols = _header_row(rows, ("ID", "Name"))
    if top < 0:
        return ()
    out = []
    for row in rows[top + 1 :]:
        cid = _text(_cell(row, cols["id"]))
        if cid:
            out.append((cid, _text(_cell(row, cols["name"])) or cid))
    return tuple(out)


def _scenarios(book: _Book) -> tuple[ScenarioFigures, ...]:
    """The Scenarios sheet of an ``--all-scenarios`` workbook: one column per scenario (after
    Figure and Meaning), one row per figure, under a header row that starts with 'Figure'."""
    rows = book.rows("Scenarios", prefixed=False)
    if rows is None:
        return ()
    top = next(
        (r for r, row in enumerate(rows[:SCAN_ROWS]) if _text(_cell(row, 0)).lower() == "figure"),
        -1,
    )
    if top < 0:
        return ()
    names = [
        (c, _text(v))
        for c, v in enumerate(rows[top])
        if c > 0 and _text(v) and _text(v).lower() != "meaning"
    ]
    figures: dict[int, list[tuple[str, object]]] = {c: [] for c, _ in names}
    for row in rows[top + 1 :]:
        label = _text(_cell(row, 0))
        if not label:
            break
        for c, _ in names:
            value = _cell(row, c)
            figures[c].append((label, value.date() if isinstance(value, datetime) else value))
    return tuple(ScenarioFigures(name, tuple(figures[c])) for c, name in names)
