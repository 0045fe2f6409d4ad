"""An independent check of a plan against every hard rule of the portfolio.

Written from the rules as the user states them (Settings, Initiatives, Dependencies, Teams,
Budget sheets), not from the optimizer's model: the only shared code is the arithmetic of limits
(``roadmap.optimize.limits``: what a budget row or a team's ceiling is) and money (``roadmap.money.finance``: what
an initiative spends when). Start windows are re-derived here from the dates, so a mistake in the
optimizer's windows shows up as a violation. Tests of every stage and the benchmark use it to
re-check plans read back from the solver.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from roadmap.domain import Portfolio, Status
from roadmap.money.calendar import Calendar
from roadmap.money.calendar import on_or_after as first_working_day
from roadmap.money.calendar import on_or_before as last_working_day
from roadmap.money.finance import StartValues, start_values
from roadmap.optimize.limits import budget_rows, capacity_ceiling, fte_demand, row_spend, team_load

# Money and FTE come out of float sums; a plan that uses a limit exactly must still pass.
_REL_TOL = 1e-7
_ABS_TOL = 1e-6


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``kind`` is the rule family, ``key`` what it is about."""

    kind: str  # unknown, done, excluded, mandatory, in-progress, window, dependency,
    # alternative, bundle, budget, capacity, change-limit
    key: str  # initiative id, "A -> B", group name, budget row label, "team period" …
    message: str
    excess: float = 0.0  # by how much a limit is exceeded (money, FTE or count), when numeric

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}: {self.message}"


def _over(used: float, limit: float) -> bool:
    return used > limit + max(_ABS_TOL, _REL_TOL * abs(limit))


def check_plan(
    portfolio: Portfolio,
    starts: Mapping[str, int],
    values: StartValues | None = None,
    calendar: Calendar | None = None,
) -> list[Violation]:
    """Every hard rule ``starts`` breaks (empty list: the plan is valid).

    ``starts`` maps each selected initiative, in-progress ones included, to its start period.
    ``values`` (spend by offset) and ``calendar`` are computed from the portfolio when omitted.
    """
    calendar = calendar or Calendar.from_settings(portfolio.settings)
    known = portfolio.initiative_by_id
    out: list[Violation] = [
        Violation("unknown", iid, "is not an initiative of the portfolio")
        for iid in starts
        if iid not in known
    ]
    plan = {iid: int(t) for iid, t in starts.items() if iid in known}
    out += check_selection(portfolio, plan, calendar)
    out += check_windows(portfolio, plan, calendar)
    out += check_dependencies(portfolio, plan)
    out += check_group_dependencies(portfolio, plan)
    out += check_groups(portfolio, plan)
    values = values or start_values(portfolio, calendar)
    out += check_budgets(portfolio, plan, values, calendar)
    out += check_capacity(portfolio, plan, calendar)
    out += check_change_limit(portfolio, plan, calendar)
    return out


def check_selection(
    portfolio: Portfolio, plan: Mapping[str, int], calendar: Calendar
) -> list[Violation]:
    """Mandatory in, excluded and done out, work in progress at its actual start."""
    out: list[Violation] = []
    for ini in portfolio.initiatives:
        chosen = ini.id in plan
        if ini.status is Status.DONE:
            if chosen:
                out.append(Violation("done", ini.id, "is done but scheduled again"))
            continue
        if ini.status is Status.IN_PROGRESS:
            actual = calendar.period_of(ini.actual_start) if ini.actual_start else 0
            if not chosen:
                out.append(Violation("in-progress", ini.id, "is in progress but left out"))
            elif plan[ini.id] != actual:
                out.append(
                    Violation(
                        "in-progress",
                        ini.id,
                        f"started in {calendar.label(actual)} but is planned to start in "
                        f"{calendar.label(plan[ini.id])}",
                    )
                )
            continue
        if ini.excluded and chosen:
            out.append(Violation("excluded", ini.id, "is excluded but selected"))
        if ini.mandatory and not chosen:
            out.append(Violation("mandatory", ini.id, "is mandatory but not selected"))
    return out


def check_windows(
    portfolio: Portfolio, plan: Mapping[str, int], calendar: Calendar
) -> list[Violation]:
    """Proposed work starts in the plan, not before its earliest start, and goes live in time.

    Go-live is at the end of period ``start + duration - 1``; that period must be inside the
    horizon and no later than the period containing ``must_finish_by``.
    """
    out: list[Violation] = []
    horizon = calendar.horizon
    for iid, t in plan.items():
        ini = portfolio.initiative_by_id[iid]
        if ini.status is not Status.PROPOSED:
            continue
        last = t + ini.duration - 1
        if t < 0:
            out.append(Violation("window", iid, "starts before the plan", float(-t)))
        if ini.earliest_start is not None:
            first = calendar.period_of(ini.earliest_start)
            if t < first:
                out.append(
                    Violation(
                        "window",
                        iid,
                        f"starts in period {t}, before its earliest start "
                        f"{ini.earliest_start.isoformat()} (period {first})",
                        float(first - t),
                    )
                )
        if last >= horizon:
            out.append(
                Violation(
                    "window",
                    iid,
                    f"goes live after the horizon (build ends in period {last}, horizon {horizon})",
                    float(last - horizon + 1),
                )
            )
        if ini.must_finish_by is not None:
            deadline = calendar.period_of(ini.must_finish_by)
            if last > deadline:
                out.append(
                    Violation(
                        "window",
                        iid,
                        f"finishes in period {last}, after its deadline "
                        f"{ini.must_finish_by.isoformat()} (period {deadline})",
                        float(last - deadline),
                    )
                )
        out += _freezes(portfolio, iid, t, calendar)
    return out


def _freezes(portfolio: Portfolio, iid: str, t: int, calendar: Calendar) -> list[Violation]:
    """A go-live (last working day of the last build period) or kick-off (first working day of
    the start period) inside a change freeze of the Calendar sheet that forbids it."""
    ini = portfolio.initiative_by_id[iid]
    go_live = last_working_day(calendar.end(t + ini.duration - 1))
    kick_off = first_working_day(calendar.start(t))
    out = []
    for b in portfolio.blackouts:
        span = f"the change freeze {b.start.isoformat()} to {b.end.isoformat()}"
        if b.go_live and b.start <= go_live <= b.end:
            out.append(Violation("window", iid, f"goes live on {go_live.isoformat()}, in {span}"))
        if b.kick_off and b.start <= kick_off <= b.end:
            out.append(Violation("window", iid, f"kicks off on {kick_off.isoformat()}, in {span}"))
    return out


def check_dependencies(portfolio: Portfolio, plan: Mapping[str, int]) -> list[Violation]:
    """A selected successor needs its predecessor done or selected, and finished (plus lag)
    before it starts. Work already in progress is a fact, not a decision, so it is not checked
    as a successor."""
    out: list[Violation] = []
    known = portfolio.initiative_by_id
    for dep in portfolio.dependencies:
        if dep.successor not in plan or dep.predecessor not in known:
            continue
        if known[dep.successor].status is Status.IN_PROGRESS:
            continue
        pred = known[dep.predecessor]
        key = f"{dep.predecessor} -> {dep.successor}"
        if pred.status is Status.DONE:
            continue
        if dep.predecessor not in plan:
            out.append(
                Violation("dependency", key, f"{dep.successor} is selected without {pred.id}")
            )
            continue
        ready = plan[dep.predecessor] + pred.duration + dep.lag
        if plan[dep.successor] < ready:
            out.append(
                Violation(
                    "dependency",
                    key,
                    f"{dep.successor} starts in period {plan[dep.successor]}, before "
                    f"{pred.id} finishes plus lag (period {ready})",
                    float(ready - plan[dep.successor]),
                )
            )
    return out


def check_group_dependencies(portfolio: Portfolio, plan: Mapping[str, int]) -> list[Violation]:
    """A selected successor of "whichever alternative of a group is chosen" needs a member of
    that group done or selected, finished (plus lag) before it starts."""
    out: list[Violation] = []
    known = portfolio.initiative_by_id
    for dep in portfolio.group_dependencies:
        succ = dep.successor
        if succ not in plan or known[succ].status is Status.IN_PROGRESS:
            continue
        members = [known[m] for m in portfolio.group_members.get(dep.group, ())]
        if any(m.status is Status.DONE for m in members):
            continue
        key = f"group {dep.group} -> {succ}"
        chosen = [m for m in members if m.id in plan]
        if not chosen:
            out.append(Violation("dependency", key, f"{succ} is selected without any of the group"))
            continue
        ready = max(plan[m.id] + m.duration for m in chosen) + dep.lag
        if plan[succ] < ready:
            out.append(
                Violation(
                    "dependency",
                    key,
                    f"{succ} starts in period {plan[succ]}, before the chosen alternative "
                    f"finishes plus lag (period {ready})",
                    float(ready - plan[succ]),
                )
            )
    return out


def check_groups(portfolio: Portfolio, plan: Mapping[str, int]) -> list[Violation]:
    """At most one initiative per alternative group; all of a bundle or none.

    Done initiatives are not part of the plan and are ignored in bundles (they were delivered
    whatever the plan says).
    """
    out: list[Violation] = []
    alternatives: dict[str, list[str]] = defaultdict(list)
    bundles: dict[str, list[str]] = defaultdict(list)
    for ini in portfolio.initiatives:
        if ini.alternative_group and ini.id in plan:
            alternatives[ini.alternative_group].append(ini.id)
        if ini.bundle and ini.status is not Status.DONE:
            bundles[ini.bundle].append(ini.id)
    for group, members in alternatives.items():
        if len(members) > 1:
            out.append(
                Violation(
                    "alternative",
                    group,
                    f"{len(members)} alternatives chosen ({', '.join(members)}); at most one",
                    float(len(members) - 1),
                )
            )
    for bundle, members in bundles.items():
        chosen = [m for m in members if m in plan]
        if chosen and len(chosen) < len(members):
            missing = [m for m in members if m not in plan]
            out.append(
                Violation(
                    "bundle",
                    bundle,
                    f"{', '.join(chosen)} selected without {', '.join(missing)}",
                    float(len(missing)),
                )
            )
    return out


def check_budgets(
    portfolio: Portfolio, plan: Mapping[str, int], values: StartValues, calendar: Calendar
) -> list[Violation]:
    """Spend against each budget row (per period or fiscal year, per kind and pool, cumulative
    with carry-over) stays within its amount."""
    rows = budget_rows(portfolio, calendar)
    if not rows:
        return []
    spent = row_spend(rows, portfolio, values, plan, calendar.horizon)
    return [
        Violation(
            "budget",
            row.label,
            f"spends {used:,.0f} against a limit of {row.amount:,.0f}",
            float(used - row.amount),
        )
        for row, used in zip(rows, spent, strict=True)
        if _over(float(used), row.amount)
    ]


def check_capacity(
    portfolio: Portfolio, plan: Mapping[str, int], calendar: Calendar
) -> list[Violation]:
    """Each team's FTE load in each period stays within capacity plus its tolerance."""
    if not portfolio.teams:
        return []
    load = team_load(portfolio, calendar.horizon, plan, fte_demand(portfolio))
    ceiling = capacity_ceiling(portfolio, calendar)
    out: list[Violation] = []
    for j, t in zip(*np.nonzero(load > ceiling), strict=True):
        if not _over(float(load[j, t]), float(ceiling[j, t])):
            continue
        team = portfolio.teams[j].id
        out.append(
            Violation(
                "capacity",
                f"{team} {calendar.label(int(t))}",
                f"needs {load[j, t]:.2f} FTE, ceiling {ceiling[j, t]:.2f} FTE",
                float(load[j, t] - ceiling[j, t]),
            )
        )
    return out


def check_change_limit(
    portfolio: Portfolio, plan: Mapping[str, int], calendar: Calendar
) -> list[Violation]:
    """No owner function has more initiatives in build at once than the change limit.

    An initiative is in build from its start to its go-live; only plan periods count, and
    initiatives without an owner function are not limited.
    """
    limit = portfolio.settings.change_limit
    if limit is None:
        return []
    running: Counter[tuple[str, int]] = Counter()
    for iid, start in plan.items():
        ini = portfolio.initiative_by_id[iid]
        if not ini.owner_function:
            continue
        for t in range(max(0, start), min(calendar.horizon, start + ini.duration)):
            running[(ini.owner_function, t)] += 1
    return [
        Violation(
            "change-limit",
            f"{function} {calendar.label(t)}",
            f"{count} initiatives in build at once; the limit is {limit}",
            float(count - limit),
        )
        for (function, t), count in sorted(running.items())
        if count > limit
    ]
