"""Business-rule checks on a portfolio: each ``check_*`` returns findings pointing at a cell.

Every rule has a stable ``code`` (used in tests and documentation). Checks are pure: portfolio and
:class:`~roadmap.io.tables.Layout` in, findings out; the reader has already reported cells that
could not be read at all (codes ``missing-sheet``, ``missing-column``, ``wrong-type`` …).
``validate`` runs them all in a fixed order; ``strict`` turns warnings into errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from roadmap.calendar import Calendar
from roadmap.domain import Finding, Portfolio, Severity, Status
from roadmap.io.tables import Layout, column_letter
from roadmap.schema import (
    BUDGET,
    CAPABILITIES,
    CAPACITY_CHANGES,
    CRITERIA,
    DEPENDENCIES,
    INITIATIVES,
    PAIRWISE,
    SCENARIOS,
    SCORES,
    SETTINGS,
    SHEETS,
    STAFFING,
    SYSTEMS,
    TEAMS,
    Column,
)
from roadmap.windows import start_windows

ERROR, WARNING = Severity.ERROR, Severity.WARNING
MAX_MATURITY = 5.0
RECIPROCAL_TOLERANCE = 0.02  # 1/3 typed as 0.33 must pass
_ATTR = {
    CAPABILITIES.name: "capabilities",
    INITIATIVES.name: "initiatives",
    DEPENDENCIES.name: "dependencies",
    TEAMS.name: "teams",
    CAPACITY_CHANGES.name: "capacity_changes",
    STAFFING.name: "staffing",
    BUDGET.name: "budgets",
    SYSTEMS.name: "systems",
    CRITERIA.name: "criteria",
    SCORES.name: "scores",
}


class Where:
    """Builds findings located through the layout."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    def __call__(
        self,
        severity: Severity,
        sheet: str,
        row: int | None,
        key: str | None,
        code: str,
        message: str,
        fix: str = "",
    ) -> Finding:
        letter = self.layout.letter(sheet, key) if key else None
        return Finding(severity, self.layout.title(sheet), message, fix, row, letter, code)


Check = Callable[[Portfolio, Where], list[Finding]]


def _range_code(col: Column) -> str:
    if col.key == "duration":
        return "duration-too-short"
    if col.key in ("current", "target"):
        return "maturity-out-of-range"
    if col.type == "money":
        return "negative-money"
    if "FTE" in col.unit:
        return "negative-fte"
    return "out-of-range"


def _range_findings(
    where: Where, sheet_name: str, columns: Iterable[Column], record: Any, row: int | None
) -> list[Finding]:
    out = []
    for col in columns:
        low = 0.0 if col.type == "money" and col.minimum is None else col.minimum
        value = getattr(record, col.key, None)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        shown = f"{value:.0%}" if col.type == "percent" else f"{value:,g}"
        if low is not None and value < low:
            bound = f"{low:.0%}" if col.type == "percent" else f"{low:g}"
            out.append(
                where(
                    ERROR,
                    sheet_name,
                    row,
                    col.key,
                    _range_code(col),
                    f"{col.header} is {shown}, below the minimum {bound}",
                    f"use a value of at least {bound}",
                )
            )
        elif col.maximum is not None and value > col.maximum:
            bound = f"{col.maximum:.0%}" if col.type == "percent" else f"{col.maximum:g}"
            out.append(
                where(
                    ERROR,
                    sheet_name,
                    row,
                    col.key,
                    _range_code(col),
                    f"{col.header} is {shown}, above the maximum {bound}",
                    f"use a value of at most {bound}",
                )
            )
    return out


def check_ranges(p: Portfolio, where: Where) -> list[Finding]:
    """Schema minimum/maximum per column; money is never negative (codes depend on the column)."""
    out = []
    for sheet in SHEETS:
        attr = _ATTR.get(sheet.name)
        for record in getattr(p, attr) if attr else ():
            out += _range_findings(where, sheet.name, sheet.columns, record, record.row)
    for col in SETTINGS.columns:
        out += _range_findings(
            where, SETTINGS.name, [col], p.settings, where.layout.row(SETTINGS.name, col.key)
        )
    return out


def check_initiatives_present(p: Portfolio, where: Where) -> list[Finding]:
    if p.initiatives:
        return []
    return [
        where(
            ERROR,
            INITIATIVES.name,
            None,
            None,
            "no-initiatives",
            "there are no initiatives to plan",
            "add at least one row",
        )
    ]


def check_duplicates(p: Portfolio, where: Where) -> list[Finding]:
    """The same id twice on one sheet (Scores: the same initiative twice)."""
    out = []
    for sheet_name, records, key in (
        (CAPABILITIES.name, p.capabilities, "id"),
        (INITIATIVES.name, p.initiatives, "id"),
        (TEAMS.name, p.teams, "id"),
        (SYSTEMS.name, p.systems, "id"),
        (CRITERIA.name, p.criteria, "id"),
    ):
        first: dict[str, int | None] = {}
        for r in records:
            value = getattr(r, key)
            if value in first:
                out.append(
                    where(
                        ERROR,
                        sheet_name,
                        r.row,
                        key,
                        "duplicate-id",
                        f"ID '{value}' is used twice (first in row {first[value]})",
                        "give every row its own ID, or delete the copy",
                    )
                )
            else:
                first[value] = r.row
    seen: dict[tuple[str, str], int | None] = {}
    for s in p.scores:
        if (s.initiative, s.criterion) in seen:
            out.append(
                where(
                    ERROR,
                    SCORES.name,
                    s.row,
                    "initiative",
                    "duplicate-id",
                    f"initiative '{s.initiative}' is scored twice "
                    f"(first in row {seen[(s.initiative, s.criterion)]})",
                    "keep one row per initiative",
                )
            )
        seen.setdefault((s.initiative, s.criterion), s.row)
    return out


def check_references(p: Portfolio, where: Where) -> list[Finding]:
    """Every id that points at another sheet names a row that exists there."""
    inits, teams = set(p.initiative_by_id), set(p.team_by_id)
    caps, systems = set(p.capability_by_id), set(p.system_by_id)
    crits = {c.id for c in p.criteria}
    refs: list[tuple[str, int | None, str, str, set[str], str]] = []
    for i in p.initiatives:
        refs += [
            (INITIATIVES.name, i.row, "lifts", lift.capability, caps, CAPABILITIES.name)
            for lift in i.lifts
        ]
        refs += [(INITIATIVES.name, i.row, "retires", s, systems, SYSTEMS.name) for s in i.retires]
        if i.accountable_team:
            refs.append(
                (INITIATIVES.name, i.row, "accountable_team", i.accountable_team, teams, TEAMS.name)
            )
    for s in p.staffing:
        refs += [
            (STAFFING.name, s.row, "initiative", s.initiative, inits, INITIATIVES.name),
            (STAFFING.name, s.row, "team", s.team, teams, TEAMS.name),
        ]
    for d in p.dependencies:
        refs += [
            (DEPENDENCIES.name, d.row, "predecessor", d.predecessor, inits, INITIATIVES.name),
            (DEPENDENCIES.name, d.row, "successor", d.successor, inits, INITIATIVES.name),
        ]
    refs += [
        (CAPACITY_CHANGES.name, c.row, "team", c.team, teams, TEAMS.name)
        for c in p.capacity_changes
    ]
    for sc in p.scores:
        refs += [
            (SCORES.name, sc.row, "initiative", sc.initiative, inits, INITIATIVES.name),
            (SCORES.name, sc.row, sc.criterion, sc.criterion, crits, CRITERIA.name),
        ]
    if p.pairwise is not None:
        refs += [
            (
                PAIRWISE.name,
                where.layout.row(PAIRWISE.name, c),
                "criterion",
                c,
                crits,
                CRITERIA.name,
            )
            for c in p.pairwise.criteria
        ]
    out, reported = [], set()
    for sheet, row, key, value, known, target in refs:
        if value in known or (sheet, row, key, value) in reported:
            continue
        if not known:
            # The target sheet is missing or empty (reported already): one line, not one per row.
            if (sheet, target) not in reported:
                reported.add((sheet, target))
                out.append(
                    where(
                        ERROR,
                        sheet,
                        row,
                        key,
                        "unknown-reference",
                        f"refers to the {target} sheet, which has no rows",
                        f"fill in the {target} sheet",
                    )
                )
            continue
        reported.add((sheet, row, key, value))
        out.append(
            where(
                ERROR,
                sheet,
                row,
                key,
                "unknown-reference",
                f"'{value}' is not an ID on the {target} sheet",
                f"correct the ID or add '{value}' to the {target} sheet",
            )
        )
    return out


def check_unused_pools(p: Portfolio, where: Where) -> list[Finding]:
    used = {i.funding_pool for i in p.initiatives if i.funding_pool}
    return [
        where(
            WARNING,
            BUDGET.name,
            b.row,
            "pool",
            "unused-pool",
            f"no initiative draws on funding pool '{b.pool}'",
            "set 'Funding pool' on the initiatives it funds, or correct the pool name",
        )
        for b in p.budgets
        if b.pool and b.pool not in used
    ]


def find_cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """One cycle (as a closed path a, b, …, a) per strongly connected group of dependencies."""
    graph: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        graph[a].append(b)
    cycles: list[list[str]] = []
    done: set[str] = set()
    for root in list(graph):
        if root in done:
            continue
        path: list[str] = []
        on_path: dict[str, int] = {}
        stack = [(root, iter(graph[root]))]
        path.append(root)
        on_path[root] = 0
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                del on_path[node]
                done.add(node)
            elif child in on_path:
                cycles.append([*path[on_path[child] :], child])
            elif child not in done:
                on_path[child] = len(path)
                path.append(child)
                stack.append((child, iter(graph[child])))
    # The same loop can be found from several entry points; keep one per set of members.
    unique: dict[frozenset[str], list[str]] = {}
    for c in cycles:
        unique.setdefault(frozenset(c), c)
    return list(unique.values())


def check_cycles(p: Portfolio, where: Where) -> list[Finding]:
    rows = {(d.predecessor, d.successor): d.row for d in p.dependencies}
    return [
        where(
            ERROR,
            DEPENDENCIES.name,
            rows.get((c[0], c[1])),
            "predecessor",
            "dependency-cycle",
            "dependencies go round in a circle: " + " → ".join(c),
            "remove one of these dependencies",
        )
        for c in find_cycles((d.predecessor, d.successor) for d in p.dependencies)
    ]


def _calendar(p: Portfolio) -> Calendar | None:
    """The plan calendar, or None while the settings that define it are out of range."""
    s = p.settings
    if not (1 <= s.horizon <= 240 and 1 <= s.fiscal_year_start_month <= 12):
        return None
    return Calendar.from_settings(s)


def check_windows(p: Portfolio, where: Where) -> list[Finding]:
    """Dates that contradict each other or the horizon, and mandatory work that cannot fit."""
    cal = _calendar(p)
    if cal is None:
        return []
    out = []
    for i in p.initiatives:
        if i.status is not Status.PROPOSED:
            continue
        s, f = i.earliest_start, i.must_finish_by
        if s and f and s > f:
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    i.row,
                    "earliest_start",
                    "window-inverted",
                    f"earliest start {s} is after must-finish-by {f}",
                    "correct one of the two dates",
                )
            )
        elif s and f and cal.period_of(f) - cal.period_of(s) + 1 < i.duration:
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    i.row,
                    "must_finish_by",
                    "window-too-short",
                    f"must finish by {f}, but starting on {s} it needs {i.duration} "
                    f"period(s) and finishes later",
                    "move a date or shorten it",
                )
            )
        elif i.mandatory and i.duration > cal.horizon:
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    i.row,
                    "duration",
                    "mandatory-too-long",
                    f"mandatory, but its {i.duration} periods exceed the "
                    f"{cal.horizon}-period horizon",
                    "lengthen the horizon (Settings) or split the initiative",
                )
            )
    if any(find_cycles((d.predecessor, d.successor) for d in p.dependencies)):
        return out  # windows of a cyclic graph say nothing new
    flagged = {i.id for i in p.initiatives if i.row in {f.row for f in out}}
    windows = start_windows(p, cal)
    for i in p.initiatives:
        if (
            i.mandatory
            and not i.excluded
            and i.status is Status.PROPOSED
            and i.id not in flagged
            and windows[i.id].is_empty
        ):
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    i.row,
                    "must_finish_by",
                    "mandatory-window",
                    "mandatory, but it cannot start and finish inside the plan horizon "
                    "given its dates and predecessors",
                    "move its dates, lengthen the horizon, or untick Mandatory",
                )
            )
    return out


def check_flags(p: Portfolio, where: Where) -> list[Finding]:
    """Mandatory/excluded contradictions within an initiative, a group or a bundle."""
    out = []
    groups: dict[str, list[Any]] = defaultdict(list)
    bundles: dict[str, list[Any]] = defaultdict(list)
    for i in p.initiatives:
        if i.mandatory and i.excluded:
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    i.row,
                    "excluded",
                    "mandatory-and-excluded",
                    "both Mandatory and Excluded",
                    "untick one of them",
                )
            )
        if i.alternative_group:
            groups[i.alternative_group].append(i)
        if i.bundle:
            bundles[i.bundle].append(i)
    for name, members in groups.items():
        forced = [i for i in members if i.mandatory]
        if len(forced) > 1:
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    forced[1].row,
                    "alternative_group",
                    "mandatory-alternatives",
                    f"alternative group '{name}' allows one initiative, but "
                    + ", ".join(i.id for i in forced)
                    + " are all mandatory",
                    "keep Mandatory on one of them",
                )
            )
    for name, members in bundles.items():
        forced = [i.id for i in members if i.mandatory]
        out_ = [i for i in members if i.excluded]
        if forced and out_:
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    out_[0].row,
                    "bundle",
                    "bundle-conflict",
                    f"bundle '{name}' must be all or nothing, but {', '.join(forced)} "
                    f"is mandatory and {', '.join(i.id for i in out_)} is excluded",
                    "untick Excluded or Mandatory, or take it out of the bundle",
                )
            )
    return out


def check_staffing(p: Portfolio, where: Where) -> list[Finding]:
    """Demand on teams with no capacity; initiatives without staffing; teams without demand."""
    out = []
    grows = {c.team for c in p.capacity_changes if c.capacity > 0}
    demand = {s.team for s in p.staffing if s.fte > 0}
    for s in p.staffing:
        team = p.team_by_id.get(s.team)
        if team is not None and team.capacity <= 0 and s.fte > 0 and s.team not in grows:
            out.append(
                where(
                    ERROR,
                    STAFFING.name,
                    s.row,
                    "team",
                    "zero-capacity-team",
                    f"needs {s.fte:g} FTE from team '{s.team}', which has no capacity",
                    "give the team capacity (Teams or Capacity changes) or move the "
                    "work to another team",
                )
            )
    staffed = {s.initiative for s in p.staffing}
    for i in p.initiatives:
        if i.id not in staffed and i.status is not Status.DONE and not i.excluded:
            out.append(
                where(
                    WARNING,
                    INITIATIVES.name,
                    i.row,
                    "id",
                    "no-staffing",
                    f"'{i.id}' needs no people from any team",
                    "add its FTE on the Staffing sheet, if it needs any",
                )
            )
    for t in p.teams:
        if t.capacity > 0 and t.id not in demand:
            out.append(
                where(
                    WARNING,
                    TEAMS.name,
                    t.row,
                    "capacity",
                    "idle-team",
                    f"team '{t.id}' has capacity but no initiative needs it",
                    "add its staffing, or remove the team",
                )
            )
    return out


def check_progress(p: Portfolio, where: Where) -> list[Finding]:
    """Work under way needs a start before the plan; done work cannot follow open work."""
    out = []
    start = p.settings.plan_start
    for i in p.initiatives:
        if i.status is not Status.IN_PROGRESS:
            continue
        if i.actual_start is None:
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    i.row,
                    "actual_start",
                    "missing-actual-start",
                    "in progress, but the actual start is blank",
                    "type the date the work started",
                )
            )
        elif i.actual_start > start:
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    i.row,
                    "actual_start",
                    "actual-start-after-plan-start",
                    f"in progress, but it started on {i.actual_start}, after the plan "
                    f"start {start}",
                    "set the status to proposed (and use Earliest start), or correct the date",
                )
            )
    status = {i.id: i.status for i in p.initiatives}
    for d in p.dependencies:
        if status.get(d.successor) is Status.DONE and status.get(d.predecessor) not in (
            Status.DONE,
            None,
        ):
            out.append(
                where(
                    WARNING,
                    DEPENDENCIES.name,
                    d.row,
                    "successor",
                    "done-after-open",
                    f"'{d.successor}' is done but its predecessor '{d.predecessor}' is not",
                    "check both statuses, or remove the dependency",
                )
            )
    return out


def check_systems(p: Portfolio, where: Where) -> list[Finding]:
    """A system can be retired once, unless the retirers are alternatives to each other."""
    retirers: dict[str, list[Any]] = defaultdict(list)
    for i in p.initiatives:
        for s in dict.fromkeys(i.retires):
            retirers[s].append(i)
    out = []
    for system, inits in retirers.items():
        groups = {i.alternative_group for i in inits}
        if len(inits) > 1 and (len(groups) > 1 or None in groups):
            out.append(
                where(
                    ERROR,
                    INITIATIVES.name,
                    inits[1].row,
                    "retires",
                    "system-retired-twice",
                    f"system '{system}' is retired by " + " and ".join(i.id for i in inits),
                    "put these initiatives in one alternative group, or let only one retire it",
                )
            )
    return out


def check_capabilities(p: Portfolio, where: Where) -> list[Finding]:
    out = []
    lifted: dict[str, float] = defaultdict(float)
    for i in p.initiatives:
        if not i.excluded:
            for lift in i.lifts:
                lifted[lift.capability] += lift.amount
    for c in p.capabilities:
        if c.target < c.current:
            out.append(
                where(
                    WARNING,
                    CAPABILITIES.name,
                    c.row,
                    "target",
                    "target-below-current",
                    f"target maturity {c.target:g} is below the current {c.current:g}",
                    "raise the target (or lower the current maturity)",
                )
            )
        if c.current + lifted.get(c.id, 0.0) > MAX_MATURITY:
            out.append(
                where(
                    WARNING,
                    CAPABILITIES.name,
                    c.row,
                    "current",
                    "lift-beyond-5",
                    f"current {c.current:g} plus all lifts ({lifted[c.id]:g}) goes past "
                    f"{MAX_MATURITY:g}; the excess counts for nothing",
                    "check the lifts on the Initiatives sheet",
                )
            )
        if c.gap > 0 and lifted.get(c.id, 0.0) <= 0:
            out.append(
                where(
                    WARNING,
                    CAPABILITIES.name,
                    c.row,
                    "id",
                    "unaddressed-gap",
                    f"'{c.id}' has a gap of {c.gap:g} but no initiative lifts it",
                    "add a lift to an initiative, or accept the gap",
                )
            )
    return out


def check_criteria(p: Portfolio, where: Where) -> list[Finding]:
    """Weights come from the Criteria sheet or from a consistent pairwise matrix."""
    out = []
    if p.scores and p.pairwise is None and not where.layout.has_sheet(PAIRWISE.name):
        blank = [c for c in p.criteria if c.weight is None]
        if blank:
            out.append(
                where(
                    ERROR,
                    CRITERIA.name,
                    blank[0].row,
                    "weight",
                    "no-criteria-weights",
                    "criteria " + ", ".join(c.id for c in blank) + " have no weight "
                    "and there is no Pairwise sheet",
                    "type a weight for every criterion, or fill a Pairwise sheet",
                )
            )
    if p.pairwise is not None:
        crits, m = p.pairwise.criteria, p.pairwise.matrix
        found_sheet = where.layout.has_sheet(PAIRWISE.name)
        for i in range(len(crits)):
            for j in range(i + 1, len(crits)):
                if abs(m[i][j] * m[j][i] - 1.0) > RECIPROCAL_TOLERANCE:
                    # Built in code: point where the template would put the cell.
                    row = where.layout.row(PAIRWISE.name, crits[j]) if found_sheet else j + 2
                    f = where(
                        ERROR,
                        PAIRWISE.name,
                        row,
                        crits[i],
                        "pairwise-not-reciprocal",
                        f"{crits[j]} vs {crits[i]} is {m[j][i]:.3g} but "
                        f"{crits[i]} vs {crits[j]} is {m[i][j]:.3g}",
                        f"make it {1 / m[i][j]:.3g} (the reciprocal), or blank",
                    )
                    out.append(f if found_sheet else replace(f, column=column_letter(i + 2)))
    by_id = {c.id: c for c in p.criteria}
    for s in p.scores:
        c = by_id.get(s.criterion)
        if c is not None and not (
            min(c.scale_min, c.scale_max) <= s.value <= max(c.scale_min, c.scale_max)
        ):
            out.append(
                where(
                    WARNING,
                    SCORES.name,
                    s.row,
                    s.criterion,
                    "score-out-of-scale",
                    f"score {s.value:g} is outside {c.id}'s scale {c.scale_min:g}–{c.scale_max:g}",
                    "correct the score or scale",
                )
            )
    return out


def check_budgets(p: Portfolio, where: Where) -> list[Finding]:
    cal = _calendar(p)
    if cal is None:
        return []
    years = set(cal.fiscal_years())
    out = []
    for b in p.budgets:
        if (b.period is None) == (b.fiscal_year is None):
            which = "both" if b.period is not None else "neither"
            out.append(
                where(
                    ERROR,
                    BUDGET.name,
                    b.row,
                    "period",
                    "budget-period-or-year",
                    f"{which} Period and Fiscal year are given",
                    "fill exactly one: a date inside the period, or the fiscal year",
                )
            )
        elif b.period is not None and not 0 <= cal.period_of(b.period) < cal.horizon:
            out.append(
                where(
                    WARNING,
                    BUDGET.name,
                    b.row,
                    "period",
                    "budget-outside-horizon",
                    f"period {b.period} is outside the plan ({cal.labels()[0]} to "
                    f"{cal.labels()[-1]}) and is ignored",
                    "correct the date",
                )
            )
        elif b.fiscal_year is not None and b.fiscal_year not in years:
            out.append(
                where(
                    WARNING,
                    BUDGET.name,
                    b.row,
                    "fiscal_year",
                    "budget-outside-horizon",
                    f"fiscal year {b.fiscal_year} is outside the plan and is ignored",
                    "correct the year",
                )
            )
    return out


_NUMERIC = {
    "budget_scale",
    "capacity_change",
    "discount_rate",
    "horizon",
    "benefit_haircut",
    "cost_overrun",
}


def check_scenarios(p: Portfolio, where: Where) -> list[Finding]:
    """Each override's value reads as its parameter needs, and its target exists."""
    from roadmap.domain import ObjectiveKind

    out = []
    cal = _calendar(p)
    years = {str(y) for y in cal.fiscal_years()} if cal else set()
    pools = {b.pool for b in p.budgets if b.pool} | {
        i.funding_pool for i in p.initiatives if i.funding_pool
    }
    for sc in p.scenarios:
        for o in sc.overrides:
            v, t = o.value, o.target
            bad = ""
            if o.parameter in _NUMERIC and not isinstance(v, float):
                bad = "a number (e.g. 80% or 2)"
            elif o.parameter == "horizon" and isinstance(v, float) and (v < 1 or v % 1):
                bad = "a whole number of periods"
            elif o.parameter == "objective" and str(v).lower() not in set(ObjectiveKind):
                bad = "one of " + ", ".join(ObjectiveKind)
            if bad:
                out.append(
                    where(
                        ERROR,
                        SCENARIOS.name,
                        o.row,
                        "value",
                        "scenario-bad-value",
                        f"'{v}' is not a valid value for {o.parameter}",
                        f"type {bad}",
                    )
                )
            known: set[str] | None = None
            if o.parameter in ("force_in", "force_out"):
                known = set(p.initiative_by_id)
            elif o.parameter == "capacity_change":
                known = set(p.team_by_id)
            elif o.parameter == "budget_scale" and t:
                known = years | pools
            elif o.parameter in ("benefit_haircut", "cost_overrun") and t:
                known = set(p.initiative_by_id)
            if known is not None and t not in known:
                out.append(
                    where(
                        ERROR,
                        SCENARIOS.name,
                        o.row,
                        "target",
                        "scenario-unknown-target",
                        f"{o.parameter} target '{t}' does not exist"
                        if t
                        else f"{o.parameter} needs a target",
                        "type an existing ID"
                        + (" (team)" if o.parameter == "capacity_change" else ""),
                    )
                )
    return out


def check_probability(p: Portfolio, where: Where) -> list[Finding]:
    return [
        where(
            WARNING,
            INITIATIVES.name,
            i.row,
            "probability",
            "zero-probability",
            f"'{i.id}' has a 0% chance of success, so it brings no risk-adjusted benefit",
            "type its real probability, or exclude it",
        )
        for i in p.initiatives
        if i.probability == 0
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
    check_progress,
    check_systems,
    check_capabilities,
    check_criteria,
    check_budgets,
    check_scenarios,
    check_probability,
)


def validate(
    portfolio: Portfolio, layout: Layout | None = None, *, strict: bool = False
) -> list[Finding]:
    """All findings for ``portfolio``, errors first; ``strict`` makes every warning an error."""
    where = Where(layout or Layout.default())
    findings = [f for check in CHECKS for f in check(portfolio, where)]
    if strict:
        findings = [replace(f, severity=ERROR) for f in findings]
    return sorted(findings, key=lambda f: f.severity is not ERROR)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is ERROR for f in findings)
