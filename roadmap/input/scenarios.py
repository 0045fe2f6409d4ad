"""What-if scenarios: a named set of overrides turned into a changed copy of the portfolio.

Pure: ``apply_scenario(portfolio, name)`` returns a new :class:`Portfolio` built with
``dataclasses.replace``; the base portfolio is never touched. Overrides are applied in a fixed
order so that their meaning does not depend on the row order of the Scenarios sheet more than it
must: first the settings (horizon, discount rate, objective) — capacity changes are laid on the
scenario's own calendar — then the other overrides in sheet order. Two overrides of the same kind
stack (two budget cuts of 90 % give 81 %; two capacity changes add up).

Values (the reader gives a number, or the text when it does not read as one):

- percentages (budget_scale, discount_rate, benefit_haircut, cost_overrun): ``80%``, ``0.8``; a
  bare number above 1 is a percentage (``15`` = 15 %), except for budget_scale where only numbers
  above 5 are (``1.2`` = 120 %, ``80`` = 80 %): a budget is never scaled by more than 500 %.
- capacity_change: signed FTE, ``+2``, ``-1.5``.
- horizon: whole periods; objective: one of the objective names.
- delay: whole periods (>= 1) by which the target initiatives' earliest starts move (blank
  target = every proposed initiative).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from roadmap.domain import (
    BudgetLimit,
    CapacityChange,
    Finding,
    FlowCategory,
    Initiative,
    ObjectiveKind,
    Portfolio,
    Scenario,
    ScenarioOverride,
    Severity,
    Status,
)
from roadmap.errors import InputError
from roadmap.input.cells import PercentText, parse_cell
from roadmap.input.schema import SCENARIO_PARAMETERS, SETTINGS, Column
from roadmap.money.calendar import Calendar

SHEET = "Scenarios"
BASE = "Base"  # the name plans of the unchanged portfolio carry in comparisons

_SETTINGS_FIRST = ("horizon", "discount_rate", "objective")
_FISCAL_YEAR = re.compile(r"^\s*(?:fy\s*-?\s*)?(\d{4})\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)


def _fail(
    override: ScenarioOverride, scenario: str, column: str, problem: str, fix: str
) -> InputError:
    where = f"row {override.row}" if override.row is not None else "an override"
    finding = Finding(
        Severity.ERROR,
        SHEET,
        f"scenario {scenario!r}, {column}: {problem}",
        fix,
        row=override.row,
        code="scenario-value",
    )
    return InputError(f"Scenarios sheet, {where}, column {column}: {problem}. {fix}", (finding,))


def parse_amount(value: float | str) -> float:
    """A signed number from a scenario cell: 0.8, "80%", "+2", "-1.5", "1,5", "−1". Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError("a yes/no is not a number")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return float(value)
    text = str(value).strip().replace("−", "-").replace("–", "-").replace(" ", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise ValueError(f"{value!r} is not a number")
    number = float(text)
    return number / 100.0 if percent else number


def _share(value: float | str, *, bare_percent_above: float = 1.0) -> float:
    """A fraction from "15%", 0.15 or 15 (a bare number above the threshold is a percentage)."""
    number = parse_amount(value)
    typed_percent = isinstance(value, PercentText) or str(value).strip().endswith("%")
    if not typed_percent and number > bare_percent_above:
        number /= 100.0
    return number


def _setting(o: ScenarioOverride, key: str) -> Any:
    """The override's value read and bounded exactly as the Settings cell it replaces."""
    col = SETTINGS.column(key)
    value = float(o.value) if isinstance(o.value, PercentText) else parse_cell(o.value, col)
    if isinstance(value, int | float):
        shown = f"{value:.0%}" if col.type == "percent" else f"{value:g}"
        if col.minimum is not None and value < col.minimum:  # type: ignore[operator]
            raise ValueError(f"{shown} is below the minimum {_bound(col, col.minimum)}")
        if col.maximum is not None and value > col.maximum:  # type: ignore[operator]
            raise ValueError(f"{shown} is above the maximum {_bound(col, col.maximum)}")
    return value


def _bound(col: Column, bound: object) -> str:
    return f"{bound:.0%}" if col.type == "percent" else f"{bound:g}"


def find_scenario(portfolio: Portfolio, name: str) -> Scenario:
    """The scenario called ``name`` (exact, else ignoring case and surrounding spaces)."""
    for s in portfolio.scenarios:
        if s.name == name:
            return s
    wanted = name.strip().casefold()
    for s in portfolio.scenarios:
        if s.name.strip().casefold() == wanted:
            return s
    available = ", ".join(repr(s.name) for s in portfolio.scenarios) or "none"
    raise InputError(
        f"No scenario called {name!r} on the Scenarios sheet. Available: {available}.",
        (
            Finding(
                Severity.ERROR,
                SHEET,
                f"no scenario called {name!r}",
                f"use one of: {available}",
                code="unknown-scenario",
            ),
        ),
    )


def apply_scenario(portfolio: Portfolio, name: str) -> Portfolio:
    """The portfolio as the scenario ``name`` sees it. Unknown name or unreadable value: InputError."""
    scenario = find_scenario(portfolio, name)
    ordered = sorted(
        scenario.overrides,
        key=lambda o: 0 if o.parameter.strip().lower() in _SETTINGS_FIRST else 1,
    )  # stable: sheet order kept within each group
    result = portfolio
    for override in ordered:
        result = apply_override(result, override, scenario.name)
    return result


def scenario_jobs(
    portfolio: Portfolio, names: Sequence[str] | None = None, *, include_base: bool = True
) -> list[tuple[str, Portfolio]]:
    """(name, portfolio) pairs ready for ``batch.solve_many``: the base case first (as ``BASE``),
    then each scenario in sheet order (or the ``names`` given, in that order)."""
    chosen = [s.name for s in portfolio.scenarios] if names is None else list(names)
    jobs: list[tuple[str, Portfolio]] = [(BASE, portfolio)] if include_base else []
    for name in chosen:
        jobs.append((find_scenario(portfolio, name).name, apply_scenario(portfolio, name)))
    return jobs


def apply_override(
    portfolio: Portfolio, override: ScenarioOverride, scenario: str = ""
) -> Portfolio:
    """One override applied to ``portfolio`` (see the module docstring for the values)."""
    handler = _HANDLERS.get(override.parameter.strip().lower())
    if handler is None:
        known = ", ".join(SCENARIO_PARAMETERS)
        raise _fail(
            override,
            scenario,
            "Parameter",
            f"unknown parameter {override.parameter!r}",
            f"use one of: {known}",
        )
    try:
        return handler(portfolio, override, scenario)
    except ValueError as exc:
        hint = SCENARIO_PARAMETERS.get(override.parameter.strip().lower(), "")
        raise _fail(override, scenario, "Value", str(exc), f"expected: {hint}") from None


# --- settings -------------------------------------------------------------------------------


def _horizon(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    horizon = _setting(o, "horizon")
    return replace(p, settings=replace(p.settings, horizon=horizon))


def _discount_rate(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    """A new cost of capital. Hurdle rates are read as the discount rate plus the initiative's
    premium, so they move by the same points (README, Scenarios sheet)."""
    rate = float(_setting(o, "discount_rate"))
    delta = rate - p.settings.discount_rate
    inis = tuple(
        i if i.hurdle_rate is None else replace(i, hurdle_rate=i.hurdle_rate + delta)
        for i in p.initiatives
    )
    if any(i.hurdle_rate is not None and i.hurdle_rate <= -1.0 for i in inis):
        raise ValueError(f"{rate:.2%} would take a hurdle rate to -100 % or below")
    return replace(p, initiatives=inis, settings=replace(p.settings, discount_rate=rate))


def _objective(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    text = str(o.value).strip().lower().replace("_", "-")
    try:
        kind = ObjectiveKind(text)
    except ValueError:
        names = ", ".join(k.value for k in ObjectiveKind)
        raise ValueError(f"{o.value!r} is not an objective (one of {names})") from None
    return replace(p, settings=replace(p.settings, objective=kind))


# --- budgets --------------------------------------------------------------------------------


def budget_matcher(
    portfolio: Portfolio, target: str, start: date | None = None
) -> Callable[[BudgetLimit], bool]:
    """Which budget rows a target means: blank = all, a fiscal year (``FY2028``, ``2028``) or a
    funding pool. With ``start``, only rows from the period / fiscal year containing it on.
    Raises ValueError when the target names neither a fiscal year nor a pool."""
    calendar = Calendar.from_settings(portfolio.settings)

    def fiscal_year(b: BudgetLimit) -> int | None:
        if b.fiscal_year is not None:
            return b.fiscal_year
        if b.period is not None:
            return calendar.fiscal_year(calendar.period_of(b.period))
        return None

    def from_start(b: BudgetLimit) -> bool:
        if start is None:
            return True
        if b.period is not None:
            return calendar.period_of(b.period) >= calendar.period_of(start)
        first = calendar.fiscal_year(calendar.period_of(start))
        return b.fiscal_year is None or b.fiscal_year >= first

    target = target.strip()
    if not target:
        return from_start
    pools = {b.pool for b in portfolio.budgets if b.pool}
    if target in pools:
        return lambda b: b.pool == target and from_start(b)
    folded = {p.casefold(): p for p in pools}
    if target.casefold() in folded:
        pool = folded[target.casefold()]
        return lambda b: b.pool == pool and from_start(b)
    m = _FISCAL_YEAR.match(target)
    if m:
        fy = int(m.group(1))
        return lambda b: fiscal_year(b) == fy and from_start(b)
    known = ", ".join(sorted(pools)) or "none"
    raise ValueError(
        f"target {target!r} is neither a fiscal year (FY2028) nor a funding pool (pools: {known})"
    )


def scale_budgets(
    portfolio: Portfolio, factor: float, target: str = "", start: date | None = None
) -> Portfolio:
    """Every budget row the target selects (see ``budget_matcher``) multiplied by ``factor``."""
    if factor < 0:
        raise ValueError(f"a budget scale of {factor:.0%} is negative")
    match = budget_matcher(portfolio, target, start)
    budgets = tuple(
        replace(b, amount=b.amount * factor) if match(b) else b for b in portfolio.budgets
    )
    return replace(portfolio, budgets=budgets)


def _budget_scale(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    return scale_budgets(p, _share(o.value, bare_percent_above=5.0), o.target, o.start)


# --- capacity -------------------------------------------------------------------------------


def add_capacity(
    portfolio: Portfolio, team: str, delta: float, start: date | None = None
) -> Portfolio:
    """``delta`` FTE added to ``team`` in every plan period from the one containing ``start``
    (blank = plan start) to the end of the horizon, on top of the base capacity AND of the
    capacity changes already there.

    Capacity changes are absolute ("from July the team has 8 FTE"), so a delta cannot be a new
    row: a later absolute row would wipe it out, or it would wipe out an earlier one. Instead the
    team's capacity is worked out for every period (``limits.team_capacity``), the delta added,
    and the team's changes replaced by one row per run of equal capacity. A capacity never drops
    below zero. Raises ValueError for an unknown team.
    """
    from roadmap.optimize.limits import (
        team_capacity,  # numpy; kept out of module import for the CLI
    )

    ids = [t.id for t in portfolio.teams]
    if team not in ids:
        folded = {t.casefold(): t for t in ids}
        if team.strip().casefold() not in folded:
            known = ", ".join(ids) or "none"
            raise ValueError(f"target {team!r} is not a team on the Teams sheet (teams: {known})")
        team = folded[team.strip().casefold()]
    calendar = Calendar.from_settings(portfolio.settings)
    row = ids.index(team)
    caps = [float(c) for c in team_capacity(portfolio, calendar)[row]]
    first = 0 if start is None else max(0, calendar.period_of(start))
    for t in range(first, len(caps)):
        caps[t] = max(0.0, caps[t] + delta)
    base = portfolio.teams[row].capacity
    changes: list[CapacityChange] = []
    t = 0
    while t < len(caps):
        end = t
        while end + 1 < len(caps) and caps[end + 1] == caps[t]:
            end += 1
        last = end == len(caps) - 1
        if caps[t] != base or changes:
            note = f"{delta:+g} FTE (scenario)" if t >= first else ""
            changes.append(
                CapacityChange(
                    team, calendar.start(t), caps[t], None if last else calendar.end(end), note
                )
            )
        t = end + 1
    kept = tuple(c for c in portfolio.capacity_changes if c.team != team)
    return replace(portfolio, capacity_changes=kept + tuple(changes))


def _capacity_change(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    return add_capacity(p, o.target, parse_amount(o.value), o.start)


# --- initiatives ----------------------------------------------------------------------------


def _initiative_target(p: Portfolio, o: ScenarioOverride, *, required: bool) -> set[str]:
    target = o.target.strip()
    if not target:
        if required:
            raise ValueError("the Target column must name an initiative ID")
        return {i.id for i in p.initiatives}
    wanted = {part.strip() for part in re.split(r"[,;]", target) if part.strip()}
    ids = {i.id for i in p.initiatives}
    folded = {i.casefold(): i for i in ids}
    out: set[str] = set()
    for w in wanted:
        if w in ids:
            out.add(w)
        elif w.casefold() in folded:
            out.add(folded[w.casefold()])
        else:
            raise ValueError(f"target {w!r} is not an initiative ID on the Initiatives sheet")
    return out


def _map_initiatives(
    p: Portfolio, ids: set[str], change: Callable[[Initiative], Initiative]
) -> Portfolio:
    return replace(p, initiatives=tuple(change(i) if i.id in ids else i for i in p.initiatives))


def _scale_flows(
    p: Portfolio, ids: set[str], categories: set[FlowCategory], factor: float
) -> Portfolio:
    """The same change on the explicit business cases (Cash flows sheet) of ``ids``."""
    lines = tuple(
        replace(c, amount=c.amount * factor)
        if c.initiative in ids and c.category in categories
        else c
        for c in p.cash_flows
    )
    return replace(p, cash_flows=lines)


def _force_in(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    ids = _initiative_target(p, o, required=True)
    return _map_initiatives(p, ids, lambda i: replace(i, mandatory=True, excluded=False))


def _force_out(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    ids = _initiative_target(p, o, required=True)
    return _map_initiatives(p, ids, lambda i: replace(i, excluded=True, mandatory=False))


def _benefit_haircut(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    cut = _share(o.value)
    if not 0 <= cut <= 1:
        raise ValueError(f"{o.value!r} is not a haircut between 0% and 100%")
    keep = 1.0 - cut
    ids = _initiative_target(p, o, required=False)
    p = _scale_flows(p, ids, {FlowCategory.BENEFIT}, keep)
    return _map_initiatives(
        p,
        ids,
        lambda i: replace(
            i, benefit_revenue=i.benefit_revenue * keep, benefit_saving=i.benefit_saving * keep
        ),
    )


def _cost_overrun(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    over = _share(o.value)
    if over < -1:
        raise ValueError(f"{o.value!r} would make costs negative")
    grow = 1.0 + over
    ids = _initiative_target(p, o, required=False)
    p = _scale_flows(p, ids, {FlowCategory.CAPEX, FlowCategory.ONE_OFF_OPEX}, grow)
    return _map_initiatives(
        p, ids, lambda i: replace(i, capex=i.capex * grow, one_off_opex=i.one_off_opex * grow)
    )


def _delay(p: Portfolio, o: ScenarioOverride, scenario: str) -> Portfolio:
    """Proposed work starts ``value`` whole periods later than it may in the base case: each
    target's earliest start moves that many periods on (its dated cash flows move with it).
    Work in progress keeps its actual start."""
    amount = parse_amount(o.value)
    if amount != int(amount) or amount < 1:
        raise ValueError(f"{o.value!r} is not a whole number of periods of at least 1")
    periods = int(amount)
    calendar = Calendar.from_settings(p.settings)
    ids = _initiative_target(p, o, required=False)

    def later(i: Initiative) -> Initiative:
        if i.status is not Status.PROPOSED:
            return i
        first = max(0, calendar.period_of(i.earliest_start)) if i.earliest_start else 0
        return replace(i, earliest_start=calendar.start(first + periods))

    return _map_initiatives(p, ids, later)


_HANDLERS: dict[str, Callable[[Portfolio, ScenarioOverride, str], Portfolio]] = {
    "budget_scale": _budget_scale,
    "capacity_change": _capacity_change,
    "discount_rate": _discount_rate,
    "horizon": _horizon,
    "objective": _objective,
    "force_in": _force_in,
    "force_out": _force_out,
    "benefit_haircut": _benefit_haircut,
    "cost_overrun": _cost_overrun,
    "delay": _delay,
}
