"""Checks on the risk inputs (Uncertainty and Risks sheets): ranges in order, every initiative
and owner function known, every event hitting something.

Same shape as ``roadmap.input.checks``: portfolio and a ``Where`` in, findings out; the wording
lives in ``roadmap.input.rules``. Probabilities and the other bounds are the schema's (checked
with every column by ``check_ranges``).
"""

from __future__ import annotations

from roadmap.domain import Finding, Portfolio
from roadmap.input.checks import Where

SHEET, RISKS = "Uncertainty", "Risks"
QUANTITIES = ("cost", "benefit", "duration")


def _show(quantity: str, value: float) -> str:
    return f"{value:g}" if quantity == "duration" else f"{value:.0%}"


def check_uncertainty(p: Portfolio, where: Where) -> list[Finding]:
    """Every row names a known initiative once, and each range is low <= likely <= high."""
    out: list[Finding] = []
    first: dict[str, int | None] = {}
    for e in p.estimates:
        ini = p.initiative_by_id.get(e.initiative)
        if e.initiative in first:
            out.append(
                where(
                    "duplicate-id",
                    e.row,
                    SHEET,
                    "initiative",
                    value=e.initiative,
                    first=first[e.initiative],
                )
            )
            continue
        first[e.initiative] = e.row
        if ini is None:
            out.append(
                where(
                    "unknown-reference",
                    e.row,
                    SHEET,
                    "initiative",
                    value=e.initiative,
                    target="Initiatives",
                )
            )
            continue
        for q in QUANTITIES:
            planned = float(ini.duration) if q == "duration" else 1.0
            low, likely, high = e.range(q, planned)
            if low <= likely <= high:
                continue
            # point at the cell that breaks the order: the low when above the likely value
            key = f"{q}_low" if low > likely else f"{q}_high"
            if getattr(e, key) is None:
                key = f"{q}_likely"
            out.append(
                where(
                    "range-not-ordered",
                    e.row,
                    SHEET,
                    key,
                    quantity=q.capitalize(),
                    low=_show(q, low),
                    likely=_show(q, likely),
                    high=_show(q, high),
                    default="the Initiatives duration" if q == "duration" else "100%",
                )
            )
    return out


def check_risks(p: Portfolio, where: Where) -> list[Finding]:
    """Each event is named once, hits something that exists, and changes something."""
    out: list[Finding] = []
    functions = {i.owner_function.strip() for i in p.initiatives if i.owner_function.strip()}
    known_folded = {f.casefold() for f in functions}
    first: dict[str, int | None] = {}
    for r in p.risks:
        if r.name in first:
            out.append(
                where("duplicate-id", r.row, RISKS, "name", value=r.name, first=first[r.name])
            )
        first.setdefault(r.name, r.row)
        if not r.initiatives and not r.owner_function:
            out.append(where("risk-hits-nothing", r.row, name=r.name))
        for iid in dict.fromkeys(r.initiatives):
            if iid not in p.initiative_by_id:
                out.append(
                    where(
                        "unknown-reference",
                        r.row,
                        RISKS,
                        "initiatives",
                        value=iid,
                        target="Initiatives",
                    )
                )
        if r.owner_function.strip() and r.owner_function.strip().casefold() not in known_folded:
            known = ", ".join(sorted(functions)) or "none are given"
            out.append(
                where("risk-unknown-function", r.row, function=r.owner_function, known=known)
            )
        if r.cost_impact == 0 and r.benefit_impact == 0 and r.delay == 0:
            out.append(where("risk-no-impact", r.row, name=r.name))
    return out
