"""How much of every hard limit a plan uses, updated one initiative at a time.

Shared by the why-not analysis (what adding an initiative would break) and the warm-start
improvement (which moves keep the plan within its limits). Arrays, not the solver: a move costs
O(teams x H + budget rows).
"""

from __future__ import annotations

import numpy as np

from roadmap.optimize.milp.model.constraints import budget_coefficients
from roadmap.optimize.milp.model.data import ModelData

EPS = 1e-6

Limit = tuple[
    str, tuple[int, ...]
]  # ("capacity", (team, t)), ("budget", (row,)), ("change", (f, t))


class Usage:
    """Incremental limit use of a plan: add or drop one initiative in O(teams x H + rows)."""

    def __init__(self, data: ModelData, starts: dict[str, int]) -> None:
        self.data = data
        h = data.horizon
        self.budget_coef = (
            np.stack([budget_coefficients(data, r) for r in range(len(data.budgets))])
            if data.budgets
            else np.zeros((0, len(data.portfolio.initiatives), h))
        )
        for r, row in enumerate(data.budgets):
            for iid, k in data.index.items():
                if not row.applies_to(data.initiative(iid)):
                    self.budget_coef[r, k] = 0.0
        self.budget_room = np.array([row.amount for row in data.budgets]) - data.fixed_spend
        self.cap_room = data.ceiling - data.fixed_load
        self.functions = sorted(
            {i.owner_function for i in data.portfolio.initiatives if i.owner_function}
        )
        limit = data.portfolio.settings.change_limit
        self.change_room = np.full(
            (len(self.functions), h), np.inf if limit is None else float(limit)
        )
        self.load = np.zeros_like(self.cap_room)
        self.spend = np.zeros(len(data.budgets))
        self.running = np.zeros_like(self.change_room)
        for iid, t in data.fixed.items():
            self._running(iid, t, -1.0, self.change_room)
        for iid, t in starts.items():
            if iid not in data.fixed:
                self.add(iid, t)

    def _running(self, iid: str, t: int, sign: float, target: np.ndarray) -> None:
        ini = self.data.initiative(iid)
        if ini.owner_function and self.data.portfolio.settings.change_limit is not None:
            f = self.functions.index(ini.owner_function)
            lo, hi = max(0, t), min(self.data.horizon, t + ini.duration)
            target[f, lo:hi] += sign

    def add(self, iid: str, t: int, sign: float = 1.0) -> None:
        data = self.data
        k = data.index[iid]
        d = data.initiative(iid).duration
        lo, hi = max(0, t), min(data.horizon, t + d)
        if lo < hi:
            self.load[:, lo:hi] += sign * data.demand[k, :, lo - t : hi - t]
        if 0 <= t < data.horizon and len(self.spend):
            self.spend += sign * self.budget_coef[:, k, t]
        self._running(iid, t, sign, self.running)

    def broken(self) -> list[tuple[str, tuple[int, ...]]]:
        """The limits the current plan breaks: ("capacity", (team, t)), ("budget", (r,)), …"""
        out: list[tuple[str, tuple[int, ...]]] = []
        over = self.load > self.cap_room + EPS
        out += [("capacity", (int(k), int(t))) for k, t in zip(*np.nonzero(over), strict=True)]
        out += [("budget", (int(r),)) for r in np.flatnonzero(self.spend > self.budget_room + EPS)]
        over_c = self.running > self.change_room + EPS
        out += [("change", (int(f), int(t))) for f, t in zip(*np.nonzero(over_c), strict=True)]
        return out

    def uses(self, iid: str, t: int, limit: tuple[str, tuple[int, ...]]) -> bool:
        data, (family, ref) = self.data, limit
        k = data.index[iid]
        d = data.initiative(iid).duration
        if family == "capacity":
            team, p = ref
            return 0 <= p - t < d and data.demand[k, team, p - t] > 0
        if family == "budget":
            return 0 <= t < data.horizon and self.budget_coef[ref[0], k, t] > 0
        ini = data.initiative(iid)
        return ini.owner_function == self.functions[ref[0]] and 0 <= ref[1] - t < d

    def users(self, plan: dict[str, int], broken: list[tuple[str, tuple[int, ...]]]) -> set[str]:
        """The initiatives of ``plan`` that use any of the ``broken`` limits (vectorised)."""
        data = self.data
        ids = [j for j in plan if j not in data.fixed]
        if not ids or not broken:
            return set()
        idx = np.array([data.index[j] for j in ids])
        start = np.array([plan[j] for j in ids])
        dur = np.array([data.initiative(j).duration for j in ids])
        inside = (start >= 0) & (start < data.horizon)
        hit = np.zeros(len(ids), dtype=bool)
        for family, ref in broken:
            if family == "capacity":
                team, p = ref
                off = p - start
                running = (off >= 0) & (off < dur)
                need = np.zeros(len(ids))
                need[running] = data.demand[idx[running], team, off[running]]
                hit |= need > 0
            elif family == "budget":
                spend = np.zeros(len(ids))
                spend[inside] = self.budget_coef[ref[0], idx[inside], start[inside]]
                hit |= spend > 0
            else:
                f, p = ref
                owner = np.array(
                    [data.initiative(j).owner_function == self.functions[f] for j in ids]
                )
                hit |= owner & (p - start >= 0) & (p - start < dur)
        return {ids[k] for k in np.flatnonzero(hit).tolist()}

    def describe(self, limit: tuple[str, tuple[int, ...]]) -> str:
        data, (family, ref) = self.data, limit
        if family == "capacity":
            team = data.portfolio.teams[ref[0]]
            return f"capacity of {team.name or team.id} in {data.calendar.label(ref[1])}"
        if family == "budget":
            return f"budget {data.budgets[ref[0]].label}"
        return f"change limit of {self.functions[ref[0]]} in {data.calendar.label(ref[1])}"
