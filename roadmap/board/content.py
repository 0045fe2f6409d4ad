"""What the board sees, decided once for the deck, the picture and the page: figures as words,
lanes, status tags, Now / Next / Later and the left-out top ten. Pure functions of a
``PlanPicture``; nothing here draws."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from roadmap.errors import InputError
from roadmap.input.board_data import LANE_KINDS, Bar, LeftOut, PlanPicture

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}
LANE_TITLES = {
    "function": "owner function",
    "team": "accountable team",
    "capability": "capability lifted most",
    "pool": "funding pool",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def money(value: float | None, currency: str) -> str:
    """€21.4m, €850k, -€1.2bn; 'n/a' when unknown."""
    if value is None:
        return "n/a"
    sign = "-" if value < 0 else ""
    v = abs(value)
    symbol = SYMBOLS.get(currency.upper(), "")
    prefix = symbol or (f"{currency.upper()} " if currency else "")
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if v >= limit:
            number = v / limit
            digits = 0 if number >= 100 else 1
            return f"{sign}{prefix}{number:,.{digits}f}{suffix}"
    return f"{sign}{prefix}{v:,.0f}"


def percent(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def month_year(day: date | None) -> str:
    return "not within the window" if day is None else f"{MONTHS[day.month - 1]} {day.year}"


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def plan_name(picture: PlanPicture) -> str:
    """'retail-d2c' from 'Roadmap plan: retail-d2c.xlsx'."""
    name = picture.title
    for prefix in ("Roadmap plan:", "Roadmap plan"):
        if name.startswith(prefix):
            name = name[len(prefix) :].strip()
    name = name.split(" — ")[0]  # an --all-scenarios plan: "x.xlsx — scenario Base — …"
    return name.replace(".xlsx", "") or picture.source


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    detail: str = ""


def headline_tiles(picture: PlanPicture) -> list[Tile]:
    """The title slide's figures: what the board asks first."""
    h, cur = picture.headline, picture.currency
    selected = "n/a" if h.selected is None else str(h.selected)
    of = "" if h.candidates is None else f"of {h.candidates} candidates"
    if h.budget:
        spend_detail = f"of {money(h.budget, cur)} budget ({percent((h.spend or 0) / h.budget)})"
    else:
        spend_detail = "no budget limit given"
    return [
        Tile("Initiatives selected", selected, of),
        Tile("Spend in the plan", money(h.spend, cur), spend_detail),
        Tile("Net present value", money(h.npv, cur), "at plan start, risk-adjusted"),
        Tile("IRR", percent(h.irr, 1), "per year"),
        Tile("Payback", month_year(h.payback), "cumulative net cash flow turns positive"),
        Tile("Capability gap closed", percent(h.gap_closed), "of the weighted maturity gap"),
    ]


# --- lanes and status ------------------------------------------------------------------------


def lane_of(picture: PlanPicture, kind: str) -> Callable[[Bar], str]:
    """The lane each bar goes in, for ``--lanes KIND``."""
    if kind not in LANE_KINDS:
        raise ValueError(kind)
    if kind == "pool" and not picture.has_pool_column:
        raise InputError(
            f"{picture.source}: the Roadmap sheet has no Funding pool column, so the roadmap "
            "cannot be drawn by funding pool. Plan again with this version of roadmap, or use "
            "--lanes function, team or capability."
        )
    names = dict(picture.capability_names)

    def lane(bar: Bar) -> str:
        if kind == "function":
            return bar.function or "No owner function"
        if kind == "team":
            return bar.team or "No accountable team"
        if kind == "pool":
            return bar.pool or "No funding pool"
        first = top_capability(bar.capabilities)
        return names.get(first, first) if first else "No capability lifted"

    return lane


def top_capability(lifted: str) -> str:
    """The capability a bar lifts most ('CAP-01 +0.5, CAP-02 +2' -> 'CAP-02'); '' for none."""
    best, best_lift = "", float("-inf")
    for part in lifted.split(","):
        bits = part.split()
        if not bits:
            continue
        try:
            lift = float(bits[1]) if len(bits) > 1 else 0.0
        except ValueError:
            lift = 0.0
        if lift > best_lift:
            best, best_lift = bits[0], lift
    return best


def lanes(picture: PlanPicture, kind: str) -> list[tuple[str, list[Bar]]]:
    """Bars grouped by lane, lanes in the order they first appear on the Roadmap sheet (which
    is sorted by start), bars by start, go-live and ID within a lane."""
    lane = lane_of(picture, kind)
    grouped: dict[str, list[Bar]] = {}
    for bar in picture.bars:
        grouped.setdefault(lane(bar), []).append(bar)
    return [
        (name, sorted(bars, key=lambda b: (b.start, b.go_live, b.id)))
        for name, bars in grouped.items()
    ]


_WORST = ("late", "at risk")


def status_tag(picture: PlanPicture, bar: Bar) -> str:
    """'done', 'in progress', 'late', 'at risk' or '' (proposed and on track), from the Roadmap
    sheet's status and the PMO's milestone statuses."""
    mine = [m for m in picture.milestones if m.initiative == bar.id]
    if bar.status == "done" or picture.go_live_done(bar.id):
        return "done"
    flags = {m.status.strip().lower() for m in mine if not m.done}
    for worst in _WORST:
        if worst in flags:
            return worst
    if bar.status == "in progress" or any(m.done for m in mine):
        return "in progress"
    return ""


# --- fiscal years ----------------------------------------------------------------------------


def fiscal_start_month(picture: PlanPicture) -> int:
    """The month fiscal years start in, as the Budget sheet numbers them (1 = January)."""
    periods = picture.periods
    for a, b in pairwise(periods):
        if (
            a.fiscal_year is not None
            and b.fiscal_year is not None
            and b.fiscal_year != a.fiscal_year
        ):
            return b.first_day.month
    if len(picture.years) > 1:
        return picture.years[1].first_day.month
    return 1


def fiscal_year(day: date, start_month: int) -> int:
    """The workbook's numbering: a fiscal year is named after the calendar year it ends in."""
    return day.year if start_month == 1 or day.month < start_month else day.year + 1


def year_label(picture: PlanPicture, number: int) -> str:
    for y in picture.years:
        if y.label.endswith(str(number)):
            return y.label
    return f"FY{number}"


# --- Now / Next / Later ----------------------------------------------------------------------


def quarter_start(day: date, start_month: int = 1) -> date:
    """The first day of the (fiscal) quarter holding ``day``; quarters run from the month the
    fiscal year starts in."""
    back = (day.month - start_month) % 3
    return add_months(date(day.year, day.month, 1), -back)


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Horizons:
    now: tuple[Bar, ...]
    next: tuple[Bar, ...]
    later: tuple[Bar, ...]
    done: tuple[Bar, ...]
    now_from: date
    next_from: date
    later_from: date
    labels: tuple[str, str, str] = ("", "", "")  # this quarter, the next two, the one after


def horizons(picture: PlanPicture, today: date) -> Horizons:
    """Now = work in build this quarter; Next = starting in the two quarters after; Later =
    starting after that. 'This quarter' is today's, or the plan's first when today is before
    the plan (a plan drawn ahead of its start)."""
    anchor = max(today, picture.plan_start)
    now_from = quarter_start(anchor, fiscal_start_month(picture))
    next_from = add_months(now_from, 3)
    later_from = add_months(now_from, 9)
    now, nxt, later, done = [], [], [], []
    for bar in sorted(picture.bars, key=lambda b: (b.start, b.go_live, b.id)):
        finished = status_tag(picture, bar) == "done" or bar.go_live < now_from
        if finished:
            done.append(bar)
        elif bar.start < next_from:
            now.append(bar)
        elif bar.start < later_from:
            nxt.append(bar)
        else:
            later.append(bar)
    labels = (
        quarter_label(picture, now_from),
        span_label(picture, next_from, later_from),
        quarter_label(picture, later_from),
    )
    return Horizons(
        tuple(now), tuple(nxt), tuple(later), tuple(done), now_from, next_from, later_from, labels
    )


def quarter_label(picture: PlanPicture, day: date) -> str:
    """'FY2028 Q2': the quarter as the roadmap's axis names it (fiscal years as the workbook
    names them, quarters counted from the month they start in)."""
    month = fiscal_start_month(picture)
    number = fiscal_year(day, month) if month != 1 else day.year
    return f"{year_label(picture, number)} Q{((day.month - month) % 12) // 3 + 1}"


def span_label(picture: PlanPicture, first: date, last_exclusive: date) -> str:
    """'FY2028 Q2 – Q3' for a run of quarters."""
    last = quarter_start(last_exclusive - timedelta(days=1), fiscal_start_month(picture))
    a, b = quarter_label(picture, first), quarter_label(picture, last)
    if a == b:
        return a
    if a.split()[0] == b.split()[0]:
        return f"{a} – {b.split()[-1]}"
    return f"{a} – {b}"


# --- left out --------------------------------------------------------------------------------


def top_left_out(picture: PlanPicture, n: int = 10) -> list[LeftOut]:
    """The ``n`` candidates whose absence costs most (value lost if forced in), largest first;
    those without a figure last."""
    return sorted(
        picture.left_out,
        key=lambda x: (x.value_lost is None, -(x.value_lost or 0.0), x.id),
    )[:n]


def why_in_plan(picture: PlanPicture, bar: Bar) -> str:
    """One line on why the initiative is in the plan: its own value, what it lifts and what
    needs it."""
    parts = []
    if bar.status in ("in progress", "done"):
        parts.append(f"already {bar.status}")
    if bar.npv is not None:
        parts.append(f"NPV {money(bar.npv, picture.currency)}")
    if bar.capabilities:
        names = dict(picture.capability_names)
        lifts = []
        for part in bar.capabilities.split(","):
            bits = part.split()
            if bits:
                lifts.append(" ".join([names.get(bits[0], bits[0]), *bits[1:]]))
        parts.append("lifts " + ", ".join(lifts))
    needed_by = [b.id for b in picture.bars if bar.id in b.predecessors]
    if needed_by:
        parts.append("needed by " + ", ".join(needed_by))
    return "; ".join(parts) or "chosen by the optimizer"
