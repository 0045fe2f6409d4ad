"""Not selected sheet: every candidate the plan leaves out, and why."""

from __future__ import annotations

from collections.abc import Callable

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import ObjectiveKind, WhyNot
from roadmap.excel.writing import DECIMAL, finish_sheet, write_table, write_title
from roadmap.plan_facts import PlanFacts, not_selected
from roadmap.report.layout import Formats, refit, wrap_rows

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}
# a forced plan can beat the plan only by as much as the plan may lie below the best possible
WITHIN = " (the plan is proven within that much of the best possible)"


def loss_text(w: WhyNot, number: Callable[[float], str]) -> str:
    """The loss in words: one figure when proven; "≈ X (± Y)" when the proven bracket is narrow
    enough to quote (``domain.quotable_width``); otherwise the bracket, both ends of which are
    proven; "cannot be forced in" when no plan can hold it."""
    if w.value_lost is not None and w.value_lost < 0:
        return f"none: a plan with it is {number(-w.value_lost)} better{WITHIN}"
    if w.value_lost is not None:
        return number(w.value_lost)
    if w.lost_high is not None and w.lost_high < 0:
        return f"none: a plan with it is at least {number(-w.lost_high)} better{WITHIN}"
    if w.figure is not None:
        return f"≈ {number(w.figure)} (± {number(w.margin)})"
    low, high = w.lost_low, w.lost_high
    if low is None and high is None:
        return "cannot be forced in" if w.method else ""
    if high is None:
        return f"at least {number(max(low or 0.0, 0.0))}"
    if low is None:
        return f"at most {number(high)}"
    if low < 0 and number(-low) == number(0.0):
        low = 0.0  # a bound a hair below zero (solver tolerance) shows as 0, not as "-0"
    if low < 0:
        # the base plan is not proven optimal: a plan with it may even be better, by up to -low
        return f"at most {number(high)} (a plan with it may be up to {number(-low)} better)"
    return f"between {number(low)} and {number(high)}"


def _number(currency: str | None) -> Callable[[float], str]:
    if currency is None:
        return lambda v: f"{v:,.2f}"
    symbol = SYMBOLS.get(currency.upper())
    return lambda v: f"{symbol}{v:,.0f}" if symbol else f"{v:,.0f} {currency}"


def write_not_selected(ws: Worksheet, facts: PlanFacts, fmt: Formats) -> None:
    top = write_title(
        ws,
        "Not selected",
        "Value lost = how much the objective drops if the initiative (with its bundle) is forced "
        "into the plan: one figure when proven; ≈ X (± Y) when the proven range is narrower "
        "than 10 % of its upper end (or 0.01 % of the plan's objective); otherwise the range "
        "it is proven to lie in.",
    )
    # value lost is in the objective's units: money only when the objective is NPV
    value_format = fmt.money if facts.plan.objective is ObjectiveKind.NPV else DECIMAL
    why = {w.initiative: w for w in facts.plan.why_not}
    money = facts.plan.objective is ObjectiveKind.NPV
    number = _number(facts.plan.portfolio.settings.currency if money else None)
    headers = [
        "ID",
        "Name",
        "Owner function",
        "Flags",
        "Why not",
        "Value lost if forced in",
        "Value lost (proven range)",
        "At least",
        "At most",
        "Method",
    ]
    rows = []
    for ini in not_selected(facts.plan):
        w = why.get(ini.id)
        flags = [x for x, on in (("excluded", ini.excluded), ("mandatory", ini.mandatory)) if on]
        reasons = "; ".join(w.reasons) if w and w.reasons else "not analysed"
        method = w.method if w else ""
        if w and len(w.unit) > 1:
            method = f"{method} (priced with its bundle: {', '.join(w.unit)})"
        rows.append(
            [
                ini.id,
                ini.name,
                ini.owner_function,
                ", ".join(flags),
                reasons,
                w.figure if w else None,
                loss_text(w, number) if w else "",
                w.lost_low if w else None,
                w.lost_high if w else None,
                method,
            ]
        )
    last, _ = write_table(
        ws,
        headers,
        rows,
        name="Not_selected",
        top=top,
        formats={
            "Value lost if forced in": value_format,
            "At least": value_format,
            "At most": value_format,
        },
    )
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top, maximum=70)
    wrapped = []
    # wrapped columns narrow enough that the table prints two pages across at a legible size
    for header, width in (
        ("Name", 30),
        ("Why not", 50),
        ("Value lost (proven range)", 28),
        ("Method", 34),
    ):
        col = headers.index(header) + 1
        ws.column_dimensions[get_column_letter(col)].width = width
        wrapped.append(col)
    wrap_rows(ws, top + 1, last, wrapped)
