"""Validate a portfolio: run every check in a fixed order, pointing each finding at a cell.

The reader (``roadmap.input``) has already reported what could not be read at all (missing sheets
and columns, wrong types …). This module holds the structural checks (ranges, duplicate ids,
references, dependency cycles) and ``validate``; the business rules are in ``roadmap.input.checks``.
Every rule's code, severity and wording is declared in ``roadmap.input.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from roadmap.domain import Finding, Portfolio, Severity
from roadmap.input.checks import (
    Check,
    Where,
    check_blackouts,
    check_budgets,
    check_capabilities,
    check_capacity_changes,
    check_criteria,
    check_flags,
    check_group_dependencies,
    check_probability,
    check_profiles,
    check_progress,
    check_rag_thresholds,
    check_scenarios,
    check_scoring,
    check_staffing,
    check_systems,
    check_windows,
    find_cycles,
)
from roadmap.input.money_checks import check_cash_flows, check_useful_life
from roadmap.input.risk_checks import check_risks, check_uncertainty
from roadmap.input.rules import RULES
from roadmap.input.schema import PAIRWISE, SETTINGS, SHEETS, Column
from roadmap.input.tables import Layout

__all__ = ["CHECKS", "Where", "find_cycles", "has_errors", "validate"]

_ATTR = {
    "Capabilities": "capabilities",
    "Initiatives": "initiatives",
    "Dependencies": "dependencies",
    "Teams": "teams",
    "Capacity changes": "capacity_changes",
    "Staffing": "staffing",
    "Budget": "budgets",
    "Systems": "systems",
    "Criteria": "criteria",
    "Scores": "scores",
    "Cash flows": "cash_flows",
    "Uncertainty": "estimates",
    "Risks": "risks",
}


def _range_code(col: Column) -> str:
    if col.key == "duration":
        return "duration-too-short"
    if col.key in ("current", "target"):
        return "maturity-out-of-range"
    if col.type == "money":
        return "negative-money"
    return "negative-fte" if "FTE" in col.unit else "out-of-range"


def _show(col: Column, value: float | date) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return f"{value:.0%}" if col.type == "percent" else f"{value:,g}"


def _ranges(
    where: Where, sheet: str, columns: Iterable[Column], record: Any, row: int | None
) -> list[Finding]:
    out = []
    for col in columns:
        low = 0.0 if col.type == "money" and col.minimum is None else col.minimum
        high = col.maximum
        value = getattr(record, col.key, None)
        if isinstance(value, date):
            if not isinstance(low, date | None) or not isinstance(high, date | None):
                continue
        elif (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or isinstance(low, date)
            or isinstance(high, date)
        ):
            continue
        if low is not None and value < low:  # type: ignore[operator]
            relation, wanted, bound = "below the minimum", "of at least", low
        elif high is not None and value > high:  # type: ignore[operator]
            relation, wanted, bound = "above the maximum", "of at most", high
        else:
            continue
        out.append(
            where(
                _range_code(col),
                row,
                sheet,
                col.key,
                header=col.header,
                value=_show(col, value),
                relation=relation,
                wanted=wanted,
                bound=_show(col, bound),
            )
        )
    return out


def check_ranges(p: Portfolio, where: Where) -> list[Finding]:
    """Schema minimum/maximum per column; money is never negative."""
    out = []
    for sheet in SHEETS:
        for record in getattr(p, _ATTR[sheet.name]) if sheet.name in _ATTR else ():
            out += _ranges(where, sheet.name, sheet.columns, record, record.row)
    for col in SETTINGS.columns:
        row = where.layout.row(SETTINGS.name, col.key)
        out += _ranges(where, SETTINGS.name, [col], p.settings, row)
    return out


def check_initiatives_present(p: Portfolio, where: Where) -> list[Finding]:
    return [] if p.initiatives else [where("no-initiatives", None)]


def check_duplicates(p: Portfolio, where: Where) -> list[Finding]:
    """The same id twice on one sheet (Scores: the same initiative twice)."""
    out = []
    keyed: list[tuple[str, tuple[Any, ...], str]] = [
        ("Capabilities", p.capabilities, "id"),
        ("Initiatives", p.initiatives, "id"),
        ("Teams", p.teams, "id"),
        ("Systems", p.systems, "id"),
        ("Criteria", p.criteria, "id"),
    ]
    keyed += [("Scores", p.scores, "initiative")]
    for sheet, records, key in keyed:
        first: dict[object, int | None] = {}
        for r in records:
            value = getattr(r, key)
            ident = (value, r.criterion) if sheet == "Scores" else value
            if ident in first:
                out.append(
                    where("duplicate-id", r.row, sheet, key, value=value, first=first[ident])
                )
            first.setdefault(ident, r.row)
    return out


def check_references(p: Portfolio, where: Where) -> list[Finding]:
    """Every id that points at another sheet names a row that exists there."""
    inits, teams = set(p.initiative_by_id), set(p.team_by_id)
    caps, systems, crits = set(p.capability_by_id), set(p.system_by_id), {c.id for c in p.criteria}
    refs: list[tuple[str, int | None, str, str, set[str], str]] = []
    for i in p.initiatives:
        refs += [
            ("Initiatives", i.row, "lifts", x.capability, caps, "Capabilities") for x in i.lifts
        ]
        refs += [("Initiatives", i.row, "retires", s, systems, "Systems") for s in i.retires]
        if i.accountable_team:
            refs += [("Initiatives", i.row, "accountable_team", i.accountable_team, teams, "Teams")]
    for s in p.staffing:
        refs += [
            ("Staffing", s.row, "initiative", s.initiative, inits, "Initiatives"),
            ("Staffing", s.row, "team", s.team, teams, "Teams"),
        ]
    for d in p.dependencies:
        refs += [
            ("Dependencies", d.row, k, getattr(d, k), inits, "Initiatives")
            for k in ("predecessor", "successor")
        ]
    refs += [
        ("Dependencies", d.row, "successor", d.successor, inits, "Initiatives")
        for d in p.group_dependencies
    ]
    refs += [
        ("Capacity changes", c.row, "team", c.team, teams, "Teams") for c in p.capacity_changes
    ]
    for sc in p.scores:
        refs += [
            ("Scores", sc.row, "initiative", sc.initiative, inits, "Initiatives"),
            ("Scores", sc.row, sc.criterion, sc.criterion, crits, "Criteria"),
        ]
    if p.pairwise is not None:
        refs += [
            ("Pairwise", where.layout.row(PAIRWISE.name, c), "criterion", c, crits, "Criteria")
            for c in p.pairwise.criteria
        ]
    out: list[Finding] = []
    reported: set[tuple[object, ...]] = set()
    for sheet, row, key, value, known, target in refs:
        if value in known or (sheet, row, key, value) in reported:
            continue
        reported.add((sheet, row, key, value))
        if known:
            out.append(where("unknown-reference", row, sheet, key, value=value, target=target))
        elif (sheet, target) not in reported:  # target sheet missing or empty: say it once
            reported.add((sheet, target))
            out.append(where("missing-target-sheet", row, sheet, key, target=target))
    return out


def check_unused_pools(p: Portfolio, where: Where) -> list[Finding]:
    used = {i.funding_pool for i in p.initiatives if i.funding_pool}
    return [
        where("unused-pool", b.row, pool=b.pool) for b in p.budgets if b.pool and b.pool not in used
    ]


def check_cycles(p: Portfolio, where: Where) -> list[Finding]:
    rows = {(d.predecessor, d.successor): d.row for d in p.dependencies}
    return [
        where("dependency-cycle", rows.get((c[0], c[1])), path=" → ".join(c))
        for c in find_cycles((d.predecessor, d.successor) for d in p.dependencies)
    ]


CHECKS: tuple[Check, ...] = (
    check_initiatives_present,
    check_ranges,
    check_duplicates,
    check_references,
    check_unused_pools,
    check_cycles,
    check_windows,
    check_flags,
    check_staffing,
    check_capacity_changes,
    check_blackouts,
    check_group_dependencies,
    check_profiles,
    check_progress,
    check_systems,
    check_capabilities,
    check_criteria,
    check_scoring,
    check_budgets,
    check_scenarios,
    check_probability,
    check_rag_thresholds,
    check_useful_life,
    check_cash_flows,
    check_uncertainty,
    check_risks,
)


# Checks that read the plan start, the horizon or the fiscal calendar.
DATED: frozenset[Check] = frozenset(
    {check_windows, check_progress, check_budgets, check_scenarios, check_useful_life}
)


def validate(
    portfolio: Portfolio,
    layout: Layout | None = None,
    *,
    strict: bool = False,
    dated: bool = True,
    purpose: str = "plan",
) -> list[Finding]:
    """All findings for ``portfolio``, errors first; ``strict`` makes every warning an error.

    ``dated=False`` skips the checks that need real settings (the reader uses it when the
    settings are unusable, to report everything else at once). ``purpose`` "roi" leaves out what
    only matters to the optimizer when its sheets are absent (references to an empty Teams or
    Capabilities sheet, initiatives without staffing)."""
    where = Where(layout or Layout.default())
    checks = [c for c in CHECKS if dated or c not in DATED]
    findings = [f for check in checks for f in check(portfolio, where)]
    if purpose == "roi":
        findings = [f for f in findings if not _optimizer_only(f, portfolio)]
    if strict:
        findings = [replace(f, severity=Severity.ERROR) for f in findings]
    return sorted(findings, key=lambda f: f.severity is not Severity.ERROR)


def _optimizer_only(f: Finding, p: Portfolio) -> bool:
    """A finding about sheets only the optimizer reads, raised because they are absent."""
    if f.code == "no-staffing":
        return not p.staffing
    if f.code == "missing-target-sheet":
        plan_only = [s.name for s in SHEETS if s.plan_only]
        return any(f.message == RULES[f.code].message.format(target=t) for t in plan_only)
    return False


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
