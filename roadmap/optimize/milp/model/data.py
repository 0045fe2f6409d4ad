"""Everything the model needs, as arrays and dicts, computed once from the portfolio.

The builder reads only this object, so the constraint families never walk the portfolio's
records themselves and the same numbers feed the model, the diagnosis and the why-not analysis.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from roadmap.domain import Initiative, Portfolio, Status
from roadmap.money.calendar import Calendar
from roadmap.money.finance import StartValues
from roadmap.optimize.derived import Derived
from roadmap.optimize.limits import (
    BudgetRow,
    fte_demand,
    row_spend,
    spend_by_offset,
    team_capacity,
    team_load,
)
from roadmap.optimize.windows import Window


def safe_names(ids: Iterable[str]) -> dict[str, str]:
    """LP-safe, unique names for ids: the one place ids are sanitised for the model.

    Anything but letters, digits and ``_`` becomes ``_``; names that collide after that get a
    numeric suffix in order of appearance, so the mapping is stable for the same input.
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for raw in ids:
        if raw in out:
            continue
        base = re.sub(r"[^A-Za-z0-9_]", "_", raw)[:60] or "_"
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base}_{k}"
        used.add(name)
        out[raw] = name
    return out


def period_tag(label: str) -> str:
    """``2027-Q2`` -> ``2027Q2``: period labels as they appear in constraint names."""
    return re.sub(r"[^A-Za-z0-9]", "", label)


@dataclass
class ModelData:
    derived: Derived  # what the arrays below were computed from (order, required work…)
    portfolio: Portfolio
    calendar: Calendar
    values: StartValues
    windows: Mapping[str, Window]
    candidates: list[str]  # initiatives the model decides on (proposed, window not empty)
    fixed: dict[str, int]  # in-progress initiatives: their (constant) start period
    mandatory: list[str]  # mandatory candidates: must start exactly once
    impossible: list[str]  # mandatory initiatives that cannot be placed at all (empty window)
    demand: np.ndarray  # (n, teams, D) FTE by offset
    capacity: np.ndarray  # (teams, H) FTE
    ceiling: np.ndarray  # (teams, H) capacity x (1 + over-allocation)
    fixed_load: np.ndarray  # (teams, H) FTE already committed by work in progress
    budgets: list[BudgetRow]
    fixed_spend: np.ndarray  # (rows,) spend already committed by work in progress
    names: dict[str, str]  # initiative id -> LP-safe name
    team_names: dict[str, str]
    scores: Mapping[str, float] = field(default_factory=dict)
    # LP-safe names of everything else a row is named after (groups, bundles, functions, …)
    labels: dict[str, str] = field(default_factory=dict)

    def safe(self, text: str) -> str:
        return self.labels.get(text) or safe_names([text])[text]

    @property
    def horizon(self) -> int:
        return self.calendar.horizon

    @property
    def index(self) -> Mapping[str, int]:
        return self.portfolio.index

    def initiative(self, iid: str) -> Initiative:
        return self.portfolio.initiative_by_id[iid]

    def spend(self, row: BudgetRow) -> np.ndarray:
        """Spend of the row's kind by offset, (n, H): starts t >= 0 never reach offset H."""
        return spend_by_offset(self.values, row.kind)[:, : self.horizon]

    def dependencies(self) -> list[tuple[str, str, int]]:
        """(predecessor, successor, lag) between two candidates: the rows the model must enforce.

        A done predecessor is finished; an in-progress one is already in the successor's window.
        """
        cand = set(self.candidates)
        return [
            (d.predecessor, d.successor, d.lag)
            for d in self.portfolio.dependencies
            if d.predecessor in cand and d.successor in cand
        ]

    def group_dependencies(self) -> list[tuple[str, list[str], str, int]]:
        """(group, its candidate members, successor, lag) for every dependency on "whichever
        alternative is chosen" that the model must enforce: a done or in-progress member settles
        it (the successor's window already waits for the one under way)."""
        cand = set(self.candidates)
        by_id = self.portfolio.initiative_by_id
        out = []
        for d in self.portfolio.group_dependencies:
            members = self.portfolio.group_members.get(d.group, ())
            if d.successor not in cand or any(
                by_id[m].status is not Status.PROPOSED for m in members
            ):
                continue
            out.append((d.group, [m for m in members if m in cand], d.successor, d.lag))
        return out

    def groups(self, attr: str) -> dict[str, list[str]]:
        """Members of each alternative group (``attr='alternative_group'``) or bundle, in order."""
        out: dict[str, list[str]] = defaultdict(list)
        for ini in self.portfolio.initiatives:
            key = getattr(ini, attr)
            if key and not ini.excluded and ini.status is not Status.DONE:
                out[key].append(ini.id)
        return dict(out)


def model_data(derived: Derived, scores: Mapping[str, float] | None = None) -> ModelData:
    """The model's arrays for the portfolio ``derived`` (``optimize.derived.derive``) was made
    from, reusing its calendar, windows, budget rows and start values."""
    portfolio, values, calendar = derived.portfolio, derived.values, derived.calendar
    windows = derived.windows
    fixed = {iid: w.fixed for iid, w in windows.items() if w.fixed is not None}
    candidates = [
        i.id
        for i in portfolio.initiatives
        if i.status is Status.PROPOSED and not i.excluded and not windows[i.id].is_empty
    ]
    cand = set(candidates)
    mandatory = [i.id for i in portfolio.initiatives if i.mandatory and i.id in cand]
    impossible = [
        i.id
        for i in portfolio.initiatives
        if i.mandatory and i.status is Status.PROPOSED and i.id not in cand
    ]
    demand = fte_demand(portfolio)
    cap = team_capacity(portfolio, calendar)
    tolerance = np.array([1.0 + t.over_allocation for t in portfolio.teams])
    ceiling = cap * tolerance[:, None] if len(portfolio.teams) else cap
    rows = list(derived.budgets)
    return ModelData(
        derived=derived,
        portfolio=portfolio,
        calendar=calendar,
        values=values,
        windows=windows,
        candidates=candidates,
        fixed=fixed,
        mandatory=mandatory,
        impossible=impossible,
        demand=demand,
        capacity=cap,
        ceiling=ceiling,
        fixed_load=team_load(portfolio, calendar.horizon, fixed, demand),
        budgets=rows,
        fixed_spend=row_spend(rows, portfolio, values, fixed, calendar.horizon),
        names=safe_names(i.id for i in portfolio.initiatives),
        team_names=safe_names(t.id for t in portfolio.teams),
        scores=dict(scores or {}),
        labels=safe_names(_row_labels(portfolio, rows)),
    )


def _row_labels(portfolio: Portfolio, rows: list[BudgetRow]) -> list[str]:
    """Everything besides initiatives and teams that names a row, in a stable order, so that two
    texts that sanitise alike still get distinct names."""
    found: list[str] = []
    for ini in portfolio.initiatives:
        found += [ini.alternative_group or "", ini.bundle or "", ini.owner_function]
    found += [c.id for c in portfolio.capabilities] + [r.label for r in rows]
    seen: dict[str, None] = dict.fromkeys(f for f in found if f)
    return list(seen)
