"""What the board's picture of a plan is drawn from, as plain frozen data.

``roadmap.input.board_reader`` fills these from a plan workbook (never from the solver's memory),
so a plan a PMO has edited, or last quarter's plan, draws the same way; ``roadmap.board`` draws
them as a deck, a picture and a web page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

LANE_KINDS = ("function", "team", "capability", "pool")


@dataclass(frozen=True)
class Headline:
    """The Summary sheet's figures; None where the sheet has no value for one."""

    selected: int | None = None
    candidates: int | None = None
    spend: float | None = None
    budget: float | None = None
    npv: float | None = None
    irr: float | None = None
    payback: date | None = None
    gap_closed: float | None = None
    solver_status: str = ""
    solver_gap: float | None = None

    @property
    def proof(self) -> str:
        """How far the plan is from the best possible, in the board's words."""
        status = self.solver_status.strip().lower()
        if status == "optimal" and (self.solver_gap is None or self.solver_gap < 1e-6):
            return "proven optimal"
        if self.solver_gap is not None and status in ("optimal", "feasible"):
            tail = "" if status == "optimal" else " (stopped at the time limit)"
            return f"within {_share(self.solver_gap)} of the best possible plan{tail}"
        return f"solver: {status}" if status else "solver status not given"


def _share(value: float) -> str:
    pct = value * 100
    return f"{pct:.2f} %" if pct < 1 else f"{pct:.1f} %"


@dataclass(frozen=True)
class Period:
    """One plan period as the Budget sheet lists it."""

    label: str
    first_day: date
    fiscal_year: int | None = None


@dataclass(frozen=True)
class FiscalYear:
    """Spend against the limit in one fiscal year (Budget sheet, per fiscal year)."""

    label: str  # as the workbook names it: FY2028
    first_day: date
    spend: float
    limit: float | None = None


@dataclass(frozen=True)
class TeamUse:
    """Demand and capacity of one team per plan period (Capacity sheet), in FTE."""

    team: str
    demand: tuple[float, ...]
    capacity: tuple[float, ...]

    @property
    def average(self) -> float | None:
        cap = sum(self.capacity)
        return sum(self.demand) / cap if cap > 0 else None

    @property
    def peak(self) -> float | None:
        shares = [d / c for d, c in zip(self.demand, self.capacity, strict=False) if c > 0]
        return max(shares) if shares else None


@dataclass(frozen=True)
class Milestone:
    initiative: str
    kind: str  # Kick-off, Design sign-off, Build complete, Go-live, Benefits review
    day: date
    status: str = ""  # the PMO's Status column: Not started, On track, At risk, Late, Done
    actual: date | None = None

    @property
    def done(self) -> bool:
        return self.status.strip().lower() == "done" or self.actual is not None


@dataclass(frozen=True)
class Bar:
    """One selected initiative on the roadmap: build from start to go-live, then ramp-up."""

    id: str
    name: str
    start: date
    go_live: date
    ramp_end: date
    function: str = ""
    team: str = ""
    pool: str = ""
    capabilities: str = ""  # "CAP-01 +2, CAP-03 +0.5" as the Roadmap sheet writes it
    status: str = "proposed"  # proposed, in progress, done
    cost: float | None = None
    npv: float | None = None
    predecessors: tuple[str, ...] = ()
    note: str = ""
    row: int = 0  # the Roadmap sheet's row, for messages


@dataclass(frozen=True)
class LeftOut:
    """A candidate left out of the plan (Not selected sheet)."""

    id: str
    name: str
    why: str
    value_lost: float | None = None  # the proven figure, or the upper end of the range
    value_text: str = ""  # as the sheet shows it: "€332,629" or "between €1 and €2"


@dataclass(frozen=True)
class ScenarioFigures:
    """One column of the Scenarios sheet: a scenario's headline figures."""

    name: str
    figures: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class PlanPicture:
    """Everything the board's deck, picture and page show of one plan."""

    source: str  # the plan workbook's file name
    title: str
    subtitle: str
    currency: str
    plan_start: date
    plan_end: date  # the day after the last plan period
    period_kind: str  # month, quarter or year
    headline: Headline
    bars: tuple[Bar, ...]
    milestones: tuple[Milestone, ...] = ()
    periods: tuple[Period, ...] = ()
    years: tuple[FiscalYear, ...] = ()
    teams: tuple[TeamUse, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    capability_names: tuple[tuple[str, str], ...] = ()
    scenarios: tuple[ScenarioFigures, ...] = ()
    notes: tuple[str, ...] = field(default=())  # what could not be drawn, and why
    has_pool_column: bool = False  # the Roadmap sheet has a Funding pool column

    def go_live_done(self, initiative: str) -> bool:
        return any(m.done for m in self.milestones if m.initiative == initiative and _live(m))


def _live(m: Milestone) -> bool:
    return m.kind.strip().lower() == "go-live"
