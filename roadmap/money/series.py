"""An initiative's cash flows on the plan calendar, and a plan's as their sum.

``CashFlows`` holds one series per component (``COMPONENTS``) over plan periods, plus the flows
at the valuation date itself; ``combine`` adds several on one calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

COMPONENTS = ("capex", "opex", "run_cost", "benefit", "legacy_saving", "other")


@dataclass(frozen=True, eq=False)
class CashFlows:
    """One series per component over plan periods ``0 .. L-1`` (L >= horizon); the first
    ``horizon`` entries are the plan window. Costs and inflows are positive amounts; ``other``
    is signed (+ in, − out); ``net`` is inflows minus costs.

    ``opening`` holds the flows at the valuation date itself (the plan start, discount factor
    1), one per component in ``COMPONENTS`` order: only a Cash flows row at year 0 of an
    initiative that starts at the plan start lands there."""

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
    ) -> CashFlows:
        """From the component arrays in ``COMPONENTS`` order."""
        named = dict(zip(COMPONENTS, arrays, strict=True))
        return cls(initiative, start, horizon, opening=opening, **named)

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

    def _map(self, fn: Callable[[np.ndarray], np.ndarray]) -> CashFlows:
        arrays = [fn(getattr(self, name)) for name in COMPONENTS]
        return CashFlows.of(self.initiative, self.start, self.horizon, arrays, self.opening.copy())

    def padded(self, length: int) -> CashFlows:
        """The same flows over ``length`` periods (zeros appended)."""
        extra = max(0, length - self.length)
        return self._map(lambda a: np.concatenate([a, np.zeros(extra)]))

    def plan_window(self) -> CashFlows:
        """Only the plan's periods ``0 .. H-1`` (and the valuation date)."""
        return self._map(lambda a: a[: self.horizon])


def combine(flows: Iterable[CashFlows], horizon: int, label: str = "plan") -> CashFlows:
    """The sum of several series, aligned on the plan calendar (a whole plan's cash flows)."""
    items = list(flows)
    length = max([horizon, *(f.length for f in items)])
    padded = [f.padded(length) for f in items]
    sums = [sum((getattr(f, name) for f in padded), np.zeros(length)) for name in COMPONENTS]
    opening = sum((f.opening for f in items), np.zeros(len(COMPONENTS)))
    return CashFlows.of(label, 0, horizon, sums, opening)
