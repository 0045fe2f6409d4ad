"""An initiative's cash flows on the plan calendar, and a plan's as their sum.

``CashFlows`` holds one series per component (``COMPONENTS``) over plan periods, plus the flows
at the valuation date itself; ``combine`` adds several on one calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from roadmap.money.dated import Dated

COMPONENTS = ("capex", "opex", "run_cost", "benefit", "legacy_saving", "other")


@dataclass(frozen=True, eq=False)
class CashFlows:
    """One series per component over plan periods ``0 .. L-1`` (L >= horizon); the first
    ``horizon`` entries are the plan window. Costs and inflows are positive amounts; ``other``
    is signed (+ in, − out); ``net`` is inflows minus costs.

    ``opening`` holds the flows at the valuation date itself (the plan start, discount factor
    1), one per component in ``COMPONENTS`` order: only a Cash flows row at year 0 of an
    initiative that starts at the plan start lands there.

    ``dated`` holds the dated flows (Cash flows rows with a Date), already counted in the
    per-period arrays, for their exact timing: ``discount`` values them by exact days."""

    initiative: str
    start: int
    horizon: int
    capex: np.ndarray
    opex: np.ndarray  # one-off opex during the build
    run_cost: np.ndarray
    benefit: np.ndarray  # revenue uplift + saving, ramped and (if asked) risk-adjusted
    legacy_saving: np.ndarray  # run cost of retired systems no longer paid
    other: np.ndarray = field(default_factory=lambda: np.zeros(0))  # signed; empty = zeros
    opening: np.ndarray = field(default_factory=lambda: np.zeros(len(COMPONENTS)))
    dated: Dated = field(default_factory=Dated)

    def __post_init__(self) -> None:
        if len(self.other) != len(self.capex):
            object.__setattr__(self, "other", np.zeros(len(self.capex)))

    @classmethod
    def of(
        cls,
        initiative: str,
        start: int,
        horizon: int,
        arrays: list[np.ndarray],
        opening: np.ndarray,
        dated: Dated | None = None,
    ) -> CashFlows:
        """From the component arrays in ``COMPONENTS`` order."""
        named = dict(zip(COMPONENTS, arrays, strict=True))
        return cls(initiative, start, horizon, opening=opening, dated=dated or Dated(), **named)

    @property
    def length(self) -> int:
        return len(self.capex)

    @property
    def costs(self) -> np.ndarray:
        return self.capex + self.opex + self.run_cost + np.maximum(-self.other, 0.0)

    @property
    def inflows(self) -> np.ndarray:
        return self.benefit + self.legacy_saving + np.maximum(self.other, 0.0)

    @property
    def net(self) -> np.ndarray:
        return self.inflows - self.costs

    @property
    def opening_costs(self) -> float:
        capex, opex, run, _, _, other = self.opening
        return float(capex + opex + run + max(-other, 0.0))

    @property
    def opening_inflows(self) -> float:
        _, _, _, benefit, legacy, other = self.opening
        return float(benefit + legacy + max(other, 0.0))

    @property
    def opening_net(self) -> float:
        return self.opening_inflows - self.opening_costs

    @property
    def has_opening(self) -> bool:
        return bool(np.any(np.abs(self.opening) > 1e-12))

    def _map(self, fn: Callable[[np.ndarray], np.ndarray], dated: Dated | None = None) -> CashFlows:
        arrays = [fn(getattr(self, name)) for name in COMPONENTS]
        return CashFlows.of(
            self.initiative,
            self.start,
            self.horizon,
            arrays,
            self.opening.copy(),
            self.dated if dated is None else dated,
        )

    def discount(self, rate: float) -> Discounted:
        """Present values at plan start at ``rate`` per period: period flows at the end of their
        period, ``(1 + rate) ** -(t + 1)``; dated flows by exact days, ``(1 + rate) ** -tau``."""
        v = (1.0 + rate) ** -(np.arange(self.length) + 1.0)
        x = self.dated
        if not len(x):
            return Discounted(
                self.opening_costs, self.opening_inflows, self.costs * v, self.inflows * v
            )
        parts = []
        exact = (1.0 + rate) ** -x.tau
        for series, dated in ((self.costs, x.costs), (self.inflows, x.inflows)):
            own = x.by_period(dated, self.length)
            parts.append((series - own) * v + x.by_period(dated * exact, self.length))
        return Discounted(
            self.opening_costs, self.opening_inflows, parts[0], parts[1], x.net * exact
        )

    def moments(self) -> tuple[np.ndarray, np.ndarray]:
        """Every net flow with its time in periods from the plan start: the valuation date at
        0, period ``t`` at ``t + 1``, dated flows at their exact ``tau``; in time order."""
        x = self.dated
        period_part = self.net - x.by_period(x.net, self.length)
        times = np.concatenate([[0.0], np.arange(self.length) + 1.0, x.tau])
        amounts = np.concatenate([[self.opening_net], period_part, x.net])
        order = np.argsort(times, kind="stable")
        return times[order], amounts[order]

    def padded(self, length: int) -> CashFlows:
        """The same flows over ``length`` periods (zeros appended)."""
        extra = max(0, length - self.length)
        return self._map(lambda a: np.concatenate([a, np.zeros(extra)]))

    def plan_window(self) -> CashFlows:
        """Only the plan's periods ``0 .. H-1`` (and the valuation date)."""
        return self._map(
            lambda a: a[: self.horizon], self.dated.where(self.dated.period < self.horizon)
        )


def combine(flows: Iterable[CashFlows], horizon: int, label: str = "plan") -> CashFlows:
    """The sum of several series, aligned on the plan calendar (a whole plan's cash flows)."""
    items = list(flows)
    length = max([horizon, *(f.length for f in items)])
    padded = [f.padded(length) for f in items]
    sums = [sum((getattr(f, name) for f in padded), np.zeros(length)) for name in COMPONENTS]
    opening = sum((f.opening for f in items), np.zeros(len(COMPONENTS)))
    dated = Dated.concat([f.dated for f in items])
    return CashFlows.of(label, 0, horizon, sums, opening, dated)


@dataclass(frozen=True)
class Discounted:
    """Present values at plan start: at the valuation date (factor 1) and per plan period."""

    opening_costs: float
    opening_inflows: float
    costs: np.ndarray
    inflows: np.ndarray
    # the present value of each dated flow (``CashFlows.dated`` order), already in the arrays
    dated_net: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def net(self) -> np.ndarray:
        return self.inflows - self.costs

    @property
    def opening_net(self) -> float:
        return self.opening_inflows - self.opening_costs

    @property
    def total(self) -> float:
        """The NPV: every discounted net flow, the valuation date's included."""
        return self.opening_net + float(self.net.sum())

    @staticmethod
    def sum(parts: Iterable[Discounted], length: int) -> Discounted:
        """Several present values on one calendar (each at its own rate)."""
        items = list(parts)

        def pad(a: np.ndarray) -> np.ndarray:
            return np.concatenate([a, np.zeros(max(0, length - len(a)))])[:length]

        return Discounted(
            sum((p.opening_costs for p in items), 0.0),
            sum((p.opening_inflows for p in items), 0.0),
            sum((pad(p.costs) for p in items), np.zeros(length)),
            sum((pad(p.inflows) for p in items), np.zeros(length)),
            np.concatenate([np.zeros(0), *(p.dated_net for p in items)]),
        )
