"""Business-rule checks on a portfolio (time windows, flags, staffing, money, scoring, scenarios).

Each ``check_*`` is pure: portfolio and a :class:`Where` (the layout of the workbook it came
from) in, findings out. Wording, codes and severities live in ``roadmap.input.rules``; the order in
which checks run is ``roadmap.input.validate.CHECKS``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from roadmap.domain import Finding, Portfolio, ScenarioOverride, Status
from roadmap.errors import InputError
from roadmap.input.cells import PercentText
from roadmap.input.rules import RULES, finding
from roadmap.input.scenarios import apply_override
from roadmap.input.schema import PAIRWISE, SETTINGS, Column
from roadmap.input.tables import Layout, column_letter
from roadmap.money.calendar import Calendar
from roadmap.money.criteria import CONSISTENCY_LIMIT, criteria_weights
from roadmap.optimize.windows import start_windows

MAX_MATURITY = 5.0
RECIPROCAL_TOLERANCE = 0.02  # 1/3 typed as 0.33 must pass
_SETTINGS_FIRST = (
    "horizon",
    "discount_rate",
    "objective",
)  # as roadmap.input.scenarios applies them


class Where:
    """Makes findings for rules, located through the layout (sheet title, column letter)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    def __call__(
        self, code: str, row: int | None, sheet: str = "", key: str | None = None, **facts: object
    ) -> Finding:
        rule = RULES[code]
        sheet = sheet or rule.sheet
        key = key or rule.key
        letter = self.layout.letter(sheet, key) if key else None
        return finding(code, self.layout.title(sheet), row, letter, **facts)


Check = Callable[[Portfolio, Where], list[Finding]]


def find_cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Dependency loops as closed paths [a, b, …, a]; one per set of members."""
    graph: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        graph[a].append(b)
    cycles: dict[frozenset[str], list[str]] = {}
    done: set[str] = set()
    for root in list(graph):
        if root in done:
            continue
        path, on_path = [root], {root: 0}
        stack = [iter(graph[root])]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                node = path.pop()
                del on_path[node]
                done.add(node)
            elif child in on_path:
                loop = [*path[on_path[child] :], child]
                cycles.setdefault(frozenset(loop), loop)
            elif child not in done:
                on_path[child] = len(path)
                path.append(child)
                stack.append(iter(graph[child]))
    return list(cycles.values())


def _calendar(p: Portfolio) -> Calendar | None:
    """The plan calendar, or None while the settings that define it are out of range."""
    s = p.settings
    if not all(_within(SETTINGS.column(k), getattr(s, k)) for k in _CALENDAR_SETTINGS):
        return None
    return Calendar.from_settings(s)


_CALENDAR_SETTINGS = ("plan_start", "horizon", "fiscal_year_start_month")


def _within(col: Column, value: Any) -> bool:
    """``value`` inside the schema bounds of ``col`` (reported by the range check when not)."""
    return (col.minimum is None or value >= col.minimum) and (
        col.maximum is None or value <= col.maximum
    )


def check_windows(p: Portfolio, where: Where) -> list[Finding]:
    """Dates that contradict each other or the horizon, and mandatory work that cannot fit."""
    cal = _calendar(p)
    if cal is None:
        return []
    out, flagged = [], set()
    for i in p.initiatives:
        s, f = i.earliest_start, i.must_finish_by
        if i.status is not Status.PROPOSED:
            continue
        if s and f and s > f:
            out.append(where("window-inverted", i.row, start=s, finish=f))
        elif s and f and cal.period_of(f) - cal.period_of(s) + 1 < i.duration:
            out.append(where("window-too-short", i.row, start=s, finish=f, duration=i.duration))
        elif i.mandatory and i.duration > cal.horizon:
            out.append(where("mandatory-too-long", i.row, duration=i.duration, horizon=cal.horizon))
        else:
            continue
        flagged.add(i.id)
    if find_cycles((d.predecessor, d.successor) for d in p.dependencies):
        return out  # windows of a cyclic graph say nothing new
    windows = start_windows(p, cal)
    return out + [
        where("mandatory-window", i.row)
        for i in p.initiatives
        if i.mandatory
        and not i.excluded
        and i.status is Status.PROPOSED
        and i.id not in flagged
        and windows[i.id].is_empty
    ]


def check_flags(p: Portfolio, where: Where) -> list[Finding]:
    """Mandatory/excluded contradictions within an initiative, a group or a bundle."""
    out = [
        where("mandatory-and-excluded", i.row) for i in p.initiatives if i.mandatory and i.excluded
    ]
    groups: dict[str, list[Any]] = defaultdict(list)
    bundles: dict[str, list[Any]] = defaultdict(list)
    for i in p.initiatives:
        if i.alternative_group:
            groups[i.alternative_group].append(i)
        if i.bundle:
            bundles[i.bundle].append(i)
    for name, members in groups.items():
        forced = [i for i in members if i.mandatory]
        if len(forced) > 1:
            ids = ", ".join(i.id for i in forced)
            out.append(where("mandatory-alternatives", forced[1].row, group=name, ids=ids))
    for name, members in bundles.items():
        musts = ", ".join(i.id for i in members if i.mandatory)
        dropped = [i for i in members if i.excluded]
        if musts and dropped:
            out.append(
                where(
                    "bundle-conflict",
                    dropped[0].row,
                    bundle=name,
                    forced=musts,
                    excluded=", ".join(i.id for i in dropped),
                )
            )
    return out


def check_capacity_changes(p: Portfolio, where: Where) -> list[Finding]:
    """A temporary change ('To' given) must not end before it starts."""
    return [
        where("capacity-change-ends-first", c.row, start=c.start.isoformat(), end=c.end.isoformat())
        for c in p.capacity_changes
        if c.end is not None and c.end < c.start
    ]


def check_group_dependencies(p: Portfolio, where: Where) -> list[Finding]:
    """A successor of "whichever alternative is chosen" must not be one of the alternatives."""
    return [
        where("group-dependency-member", d.row, group=d.group, id=d.successor)
        for d in p.group_dependencies
        if d.successor in p.group_members.get(d.group, ())
    ]


def check_blackouts(p: Portfolio, where: Where) -> list[Finding]:
    """A change freeze must not end before it starts."""
    return [
        where("freeze-ends-first", b.row, start=b.start.isoformat(), end=b.end.isoformat())
        for b in p.blackouts
        if b.end < b.start
    ]


def check_staffing(p: Portfolio, where: Where) -> list[Finding]:
    """Demand on teams with no capacity; initiatives without staffing; teams without demand."""
    grows = {c.team for c in p.capacity_changes if c.capacity > 0}
    out = [
        where("zero-capacity-team", s.row, fte=f"{s.fte:g}", team=s.team)
        for s in p.staffing
        if s.team in p.team_by_id
        and p.team_by_id[s.team].capacity <= 0
        and s.fte > 0
        and s.team not in grows
    ]
    staffed = {s.initiative for s in p.staffing}
    out += [
        where("no-staffing", i.row, id=i.id)
        for i in p.initiatives
        if i.id not in staffed and i.status is not Status.DONE and not i.excluded
    ]
    demand = {s.team for s in p.staffing if s.fte > 0}
    out += [
        where("idle-team", t.row, id=t.id) for t in p.teams if t.capacity > 0 and t.id not in demand
    ]
    return out


def check_progress(p: Portfolio, where: Where) -> list[Finding]:
    """Work under way needs a start before the plan; done work cannot follow open work."""
    out = []
    plan_start = p.settings.plan_start
    for i in p.initiatives:
        if i.status is Status.IN_PROGRESS and i.actual_start is None:
            out.append(where("missing-actual-start", i.row))
        elif i.status is Status.IN_PROGRESS and i.actual_start and i.actual_start > plan_start:
            out.append(
                where(
                    "actual-start-after-plan-start",
                    i.row,
                    start=i.actual_start,
                    plan_start=plan_start,
                )
            )
    status = {i.id: i.status for i in p.initiatives}
    out += [
        where("done-after-open", d.row, successor=d.successor, predecessor=d.predecessor)
        for d in p.dependencies
        if status.get(d.successor) is Status.DONE
        and status.get(d.predecessor) not in (Status.DONE, None)
    ]
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
            ids = " and ".join(i.id for i in inits)
            out.append(where("system-retired-twice", inits[1].row, system=system, ids=ids))
    return out


def most_lift(p: Portfolio) -> dict[str, float]:
    """The most each capability can be lifted by one plan: every initiative outside an
    alternative group, plus the largest lift of each group (at most one member is chosen)."""
    lifted: dict[str, float] = defaultdict(float)
    by_group: dict[tuple[str, str], float] = defaultdict(float)
    for i in p.initiatives:
        for lift in () if i.excluded else i.lifts:
            if i.alternative_group is None:
                lifted[lift.capability] += lift.amount
            else:
                key = (lift.capability, i.alternative_group)
                by_group[key] = max(by_group[key], lift.amount)
    for (capability, _), amount in by_group.items():
        lifted[capability] += amount
    return lifted


def check_capabilities(p: Portfolio, where: Where) -> list[Finding]:
    lifted = most_lift(p)
    out = []
    for c in p.capabilities:
        if c.target < c.current:
            out.append(
                where(
                    "target-below-current", c.row, target=f"{c.target:g}", current=f"{c.current:g}"
                )
            )
        if c.current + lifted.get(c.id, 0.0) > MAX_MATURITY:
            out.append(
                where("lift-beyond-5", c.row, current=f"{c.current:g}", lifted=f"{lifted[c.id]:g}")
            )
        if c.gap > 0 and lifted.get(c.id, 0.0) <= 0:
            out.append(where("unaddressed-gap", c.row, id=c.id, gap=f"{c.gap:g}"))
    return out


def check_criteria(p: Portfolio, where: Where) -> list[Finding]:
    """Weights come from the Criteria sheet or from a consistent pairwise matrix."""
    out = []
    blank = [c for c in p.criteria if c.weight is None]
    # A Pairwise sheet with rows that could not be read has been reported by the reader already.
    pairwise_rows = bool(where.layout.rows.get(PAIRWISE.name))
    if p.scores and blank and p.pairwise is None and not pairwise_rows:
        # All blank: nothing to weigh by (error). Some blank: they count as 0 (warning).
        code = "no-criteria-weights" if len(blank) == len(p.criteria) else "blank-criteria-weights"
        out.append(where(code, blank[0].row, ids=", ".join(c.id for c in blank)))
    if p.pairwise is not None:
        crits, m = p.pairwise.criteria, p.pairwise.matrix
        found = where.layout.has_sheet(PAIRWISE.name)
        for i in range(len(crits)):
            for j in range(i + 1, len(crits)):
                if abs(m[i][j] * m[j][i] - 1.0) > RECIPROCAL_TOLERANCE:
                    # Built in code: point where the template would put the cell.
                    row = where.layout.row(PAIRWISE.name, crits[j]) if found else j + 2
                    f = where(
                        "pairwise-not-reciprocal",
                        row,
                        key=crits[i],
                        row_id=crits[j],
                        col_id=crits[i],
                        value=f"{m[j][i]:.3g}",
                        mirror=f"{m[i][j]:.3g}",
                        reciprocal=f"{1 / m[i][j]:.3g}",
                    )
                    out.append(f if found else replace(f, column=column_letter(i + 2)))
    by_id = {c.id: c for c in p.criteria}
    for s in p.scores:
        c = by_id.get(s.criterion)
        if c and not min(c.scale_min, c.scale_max) <= s.value <= max(c.scale_min, c.scale_max):
            out.append(
                where(
                    "score-out-of-scale",
                    s.row,
                    key=s.criterion,
                    value=f"{s.value:g}",
                    criterion=c.id,
                    low=f"{c.scale_min:g}",
                    high=f"{c.scale_max:g}",
                )
            )
    return out


def check_scoring(p: Portfolio, where: Where) -> list[Finding]:
    """What the criteria score makes of the sheets beyond single cells: initiatives without a
    score on some criterion (scored as the worst value), a pairwise matrix whose comparisons
    contradict each other or leave criteria out, weights that are all zero."""
    if not p.criteria:
        return []
    out = []
    try:
        weights = criteria_weights(p)
    except InputError:
        weights = None  # an unusable Pairwise sheet is reported by the reader
    if weights is not None and weights.method == "ahp":
        if weights.consistency_ratio is not None and weights.consistency_ratio > CONSISTENCY_LIMIT:
            cr, limit = f"{weights.consistency_ratio:.2f}", f"{CONSISTENCY_LIMIT:.2f}"
            out.append(where("pairwise-inconsistent", None, cr=cr, limit=limit))
        assert p.pairwise is not None
        missing = [c.id for c in p.criteria if c.id not in p.pairwise.criteria]
        if missing:
            out.append(where("pairwise-missing-criteria", None, ids=", ".join(missing)))
    elif p.criteria and all(c.weight is not None and c.weight <= 0 for c in p.criteria):
        out.append(where("criteria-weights-zero", p.criteria[0].row))
    given = {(s.initiative, s.criterion) for s in p.scores}
    first_row: dict[str, int | None] = {}
    for s in p.scores:
        first_row.setdefault(s.initiative, s.row)
    for i in p.initiatives:
        if i.excluded:
            continue
        missing = [c.id for c in p.criteria if (i.id, c.id) not in given]
        if not missing:
            continue
        ids = ", ".join(missing)
        if i.id in first_row:
            out.append(where("score-missing", first_row[i.id], id=i.id, ids=ids))
        else:
            out.append(where("score-missing", i.row, "Initiatives", "id", id=i.id, ids=ids))
    return out


def check_budgets(p: Portfolio, where: Where) -> list[Finding]:
    cal = _calendar(p)
    if cal is None:
        return []
    years, labels = set(cal.fiscal_years()), cal.labels()
    out = []
    for b in p.budgets:
        if (b.period is None) == (b.fiscal_year is None):
            which = "both" if b.period is not None else "neither"
            out.append(where("budget-period-or-year", b.row, which=which))
        elif b.period is not None and not 0 <= cal.period_of(b.period) < cal.horizon:
            out.append(
                where(
                    "budget-outside-horizon",
                    b.row,
                    key="period",
                    what=f"period {b.period}",
                    first=labels[0],
                    last=labels[-1],
                )
            )
        elif b.fiscal_year is not None and b.fiscal_year not in years:
            out.append(
                where(
                    "budget-outside-horizon",
                    b.row,
                    key="fiscal_year",
                    what=f"fiscal year {b.fiscal_year}",
                    first=min(years),
                    last=max(years),
                )
            )
    return out


def check_scenarios(p: Portfolio, where: Where) -> list[Finding]:
    """Every override applies cleanly, exactly as ``roadmap.input.scenarios`` will apply it in a plan.

    Overrides are tried in the order the scenario applies them; one that fails is reported and
    skipped, so every bad row of a scenario shows up at once."""
    if _calendar(p) is None:
        return []  # the base settings are broken; scenarios cannot be judged yet
    out = []
    for scenario in p.scenarios:
        ordered = sorted(scenario.overrides, key=lambda o: o.parameter not in _SETTINGS_FIRST)
        current = p
        for o in ordered:
            try:
                current = apply_override(current, o, scenario.name)
            except InputError as exc:
                said = exc.findings[0] if exc.findings else None
                problem = said.message if said else str(exc)
                problem = problem.removeprefix(f"scenario {scenario.name!r}, ")
                problem = problem.removeprefix("Value: ").removeprefix("Parameter: ")
                code = "scenario-unknown-target" if "target" in problem else "scenario-bad-value"
                fix = said.fix if said and said.fix else "correct the override"
                out.append(where(code, o.row, parameter=o.parameter, problem=problem, fix=fix))
                continue
            out += _bare_percent(o, where)
            out += _hurdles_move(p, current, o, scenario.name, where)
    return out


def _hurdles_move(
    base: Portfolio, changed: Portfolio, o: ScenarioOverride, scenario: str, where: Where
) -> list[Finding]:
    """Said once per Discount rate override: the hurdle rates move with it."""
    if o.parameter.strip().lower() != "discount_rate":
        return []
    own = [i for i in base.initiatives if i.hurdle_rate is not None]
    if not own:
        return []
    delta = changed.settings.discount_rate - base.settings.discount_rate
    moved = changed.initiative_by_id
    shown = ", ".join(
        f"{i.id} {i.hurdle_rate:.2%} → {moved[i.id].hurdle_rate or 0.0:.2%}" for i in own[:3]
    ) + (f" and {len(own) - 3} more" if len(own) > 3 else "")
    return [
        where(
            "scenario-moves-hurdles",
            o.row,
            scenario=scenario,
            rate=f"{changed.settings.discount_rate:.2%}",
            delta=f"{delta * 100:+.2f}",
            moved=shown,
        )
    ]


# Scenario parameters whose bare numbers above the threshold are read as percentages.
_PERCENT_PARAMETERS = {
    "discount_rate": 1,
    "benefit_haircut": 1,
    "cost_overrun": 1,
    "budget_scale": 5,
}


def _bare_percent(o: Any, where: Where) -> list[Finding]:
    """A bare number read as a percentage is said, as for a Settings cell."""
    threshold = _PERCENT_PARAMETERS.get(o.parameter.strip().lower())
    value = o.value
    if threshold is None or isinstance(value, PercentText) or not isinstance(value, float):
        return []
    if value <= threshold:
        return []
    return [
        where(
            "percent-as-number",
            o.row,
            "Scenarios",
            "value",
            header=o.parameter,
            raw=repr(f"{value:g}"),
            number=f"{value:g}",
            taken=f"{value / 100:.6g}",
        )
    ]


def _profile_problem(profile: tuple[float, ...]) -> str | None:
    negative = [x for x in profile if x < 0]
    if negative:
        return f"'{', '.join(f'{x:g}' for x in profile)}' has a negative share ({negative[0]:g})"
    if profile and not any(x > 0 for x in profile):
        return "every share is 0, so nothing would be spent or staffed"
    return None


def check_profiles(p: Portfolio, where: Where) -> list[Finding]:
    """Cost and phase profiles: shares of 0 or more, not all 0, and no more phases than periods
    (a phase past the last build period would silently be dropped)."""
    rows: list[tuple[str, str, str, Any, tuple[float, ...]]] = [
        ("Initiatives", "cost_profile", "Cost profile", i, i.cost_profile) for i in p.initiatives
    ]
    by_id = p.initiative_by_id
    rows += [("Staffing", "profile", "Phase profile", s, s.profile) for s in p.staffing]
    out = []
    for sheet, key, header, record, profile in rows:
        problem = _profile_problem(profile)
        if problem:
            out.append(where("bad-profile", record.row, sheet, key, header=header, problem=problem))
            continue
        ini = record if sheet == "Initiatives" else by_id.get(record.initiative)
        if ini is not None and 1 <= ini.duration < len(profile):  # a bad Duration is said
            out.append(
                where(
                    "profile-longer-than-build",
                    record.row,
                    sheet,
                    key,
                    header=header,
                    phases=len(profile),
                    duration=ini.duration,
                    id=ini.id,
                )
            )
    return out


def check_rag_thresholds(p: Portfolio, where: Where) -> list[Finding]:
    """The status report's thresholds (`roadmap replan`): amber before red."""
    s, out = p.settings, []
    pairs = (
        ("slip", "rag_amber_slip", s.rag_amber_slip, s.rag_red_slip, "{:d} working days"),
        ("overrun", "rag_amber_overrun", s.rag_amber_overrun, s.rag_red_overrun, "{:.1%}"),
    )
    for what, key, amber, red, shown in pairs:
        if amber > red:
            row = where.layout.row(SETTINGS.name, key)
            out.append(
                where(
                    "rag-thresholds-order",
                    row,
                    key=key,
                    what=what,
                    amber=shown.format(amber),
                    red=shown.format(red),
                )
            )
    return out


def check_probability(p: Portfolio, where: Where) -> list[Finding]:
    return [where("zero-probability", i.row, id=i.id) for i in p.initiatives if i.probability == 0]
