"""The portfolio and the plan as plain, immutable data.

Everything downstream of the reader works on these classes, and nothing here knows about Excel,
pandas or the solver. Money is in the workbook's currency; "per year" amounts are annual rates that
the finance module spreads over periods; FTE are full-time equivalents *per period* (a team of
4 FTE can run 4 FTE of work in each period).

Every record read from the workbook keeps ``row``: its 1-based row in its sheet, so that later
checks can point at the cell (``Initiatives!F12``). ``row`` is ``None`` for records built in code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Status(StrEnum):
    PROPOSED = "proposed"
    IN_PROGRESS = "in progress"
    DONE = "done"


class ObjectiveKind(StrEnum):
    NPV = "npv"
    SCORE = "score"
    CAPABILITY = "capability"
    BLEND = "blend"
    EARLIEST_COMPLETION = "earliest-completion"


class EvaluationWindow(StrEnum):
    """How far cash flows are followed when valuing an initiative."""

    HORIZON = "horizon"  # only the plan's periods
    USEFUL_LIFE = "useful life"  # from start to go-live + useful life, past the horizon if need be


class SpendKind(StrEnum):
    TOTAL = "total"
    CAPEX = "capex"
    OPEX = "opex"


class FlowCategory(StrEnum):
    """What a row of the Cash flows sheet is: a cost, a benefit, or a signed other flow."""

    CAPEX = "capex"
    ONE_OFF_OPEX = "one-off opex"
    RUN_COST = "run cost"
    BENEFIT = "benefit"  # revenue (as margin) or saving
    OTHER = "other"  # signed: + money in (salvage, refund), − money out (a later outlay)


class FlowBasis(StrEnum):
    """What a Cash flows row's year (or period) is counted from."""

    START = "start"
    GO_LIVE = "go-live"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found in the input, located as precisely as we can (sheet, row, column)."""

    severity: Severity
    sheet: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None  # a column letter ("F"), when the cell is known
    code: str = ""  # stable rule identifier, e.g. "duplicate-id"

    @property
    def location(self) -> str:
        if self.row is not None and self.column:
            return f"{self.sheet}!{self.column}{self.row}"
        if self.row is not None:
            return f"{self.sheet}!{self.row}:{self.row}"
        if self.column:
            return f"{self.sheet}!{self.column}:{self.column}"
        return self.sheet

    def __str__(self) -> str:
        text = f"{self.severity.value}: {self.location}: {self.message}"
        return f"{text} — {self.fix}" if self.fix else text


@dataclass(frozen=True)
class Settings:
    plan_start: date
    # what the plan's pages call the portfolio ("" = the input file's name)
    portfolio_name: str = ""
    period: PeriodKind = PeriodKind.QUARTER
    horizon: int = 12  # number of periods
    currency: str = "EUR"
    discount_rate: float = 0.08  # annual, as a fraction
    objective: ObjectiveKind = ObjectiveKind.NPV
    time_limit: float = 60.0  # seconds
    # relative gap at which the solver may stop: the plan is proven within this share of the
    # best possible (0 = proven optimal)
    mip_gap: float = 0.001
    threads: int = 0  # 0 = solver's choice
    solver: str = "auto"  # auto | cbc | highs
    risk_adjusted: bool = True  # scale benefits by probability of success
    evaluation_window: EvaluationWindow = EvaluationWindow.USEFUL_LIFE
    fiscal_year_start_month: int = 1  # 1 = January; 4 = April (FY named by the year it ends in)
    budget_carry_over: bool = False  # unspent budget rolls into the next period / year
    change_limit: int | None = None  # max initiatives running at once per owner function
    # MIRR: the rate paid on money out and the rate earned on money in (None = discount rate)
    finance_rate: float | None = None
    reinvestment_rate: float | None = None
    # annual escalation of costs and of benefits, compounding from the plan start (0 = none)
    cost_escalation: float = 0.0
    benefit_escalation: float = 0.0
    # weights for the blend objective; each part is normalised to its own best value first
    blend_npv: float = 0.5
    blend_score: float = 0.25
    blend_capability: float = 0.25
    # risk analysis (`roadmap risk`): the shape of every three-point range, and how strongly the
    # estimates of one owner function move together (0 = independent, 1 = in lockstep)
    risk_distribution: str = "triangular"  # triangular | pert
    risk_correlation: float = 0.0
    # status report of a re-forecast (`roadmap replan`): amber / red beyond these slips
    # (working days) and build-cost overruns (fractions of the budget)
    rag_amber_slip: int = 5
    rag_red_slip: int = 10
    rag_amber_overrun: float = 0.02
    rag_red_overrun: float = 0.05


@dataclass(frozen=True)
class Capability:
    id: str
    name: str
    area: str = ""  # marketing / technology / operations / data / people
    current: float = 1.0  # maturity 1–5
    target: float = 1.0
    importance: float = 1.0
    owner_function: str = ""
    row: int | None = field(default=None, compare=False)

    @property
    def gap(self) -> float:
        return max(0.0, self.target - self.current)


@dataclass(frozen=True)
class Lift:
    """An initiative raises a capability's maturity by ``amount`` levels when it goes live."""

    capability: str
    amount: float


@dataclass(frozen=True)
class Initiative:
    id: str
    name: str
    description: str = ""
    owner_function: str = ""  # the business function that owns the change (change-load limit)
    accountable_team: str = ""  # team id accountable for delivery
    duration: int = 1  # build periods; go-live is at the end of the last one
    capex: float = 0.0  # total, spread over the build periods
    one_off_opex: float = 0.0  # total, spread over the build periods
    run_cost: float = 0.0  # per year, from go-live
    benefit_revenue: float = 0.0  # per year at full ramp-up (revenue uplift, as margin)
    benefit_saving: float = 0.0  # per year at full ramp-up (cost saving)
    ramp_up: int = 0  # periods from go-live to full benefit (linear)
    useful_life: float = 5.0  # years after go-live
    probability: float = 1.0  # of success, 0–1
    earliest_start: date | None = None
    must_finish_by: date | None = None
    mandatory: bool = False
    excluded: bool = False
    status: Status = Status.PROPOSED
    actual_start: date | None = None  # for in-progress initiatives
    alternative_group: str | None = None  # at most one of a group
    bundle: str | None = None  # all or none of a bundle
    funding_pool: str | None = None
    retires: tuple[str, ...] = ()  # legacy system ids retired at go-live
    lifts: tuple[Lift, ...] = ()
    cost_profile: tuple[float, ...] = ()  # relative capex/opex weights per phase; () = even
    hurdle_rate: float | None = None  # annual; replaces the plan's discount rate for its NPV
    cost_escalation: float | None = None  # annual; None = the Settings value
    benefit_escalation: float | None = None  # annual; None = the Settings value
    row: int | None = field(default=None, compare=False)

    @property
    def annual_benefit(self) -> float:
        return self.benefit_revenue + self.benefit_saving


@dataclass(frozen=True)
class CashFlowLine:
    """One amount of an initiative's explicit business case (Cash flows sheet).

    ``year`` k >= 1 is the k-th year after the reference (its amount spread evenly over that
    year's periods); ``period`` k >= 1 is the k-th period after it; year 0 or period 0 is the
    reference moment itself. The reference is the initiative's start or its go-live. Or
    ``flow_date``: a dated flow, on that day when the initiative starts at its earliest start,
    moving by whole periods with the start, discounted by exact days (actual/365). Exactly one
    of ``year``, ``period`` and ``flow_date`` is given. Costs and benefits are positive;
    ``other`` is signed.
    """

    initiative: str
    category: FlowCategory
    amount: float
    year: int | None = None
    period: int | None = None
    counted_from: FlowBasis = FlowBasis.START
    note: str = ""
    row: int | None = field(default=None, compare=False)
    flow_date: date | None = None

    @property
    def dated(self) -> bool:
        return self.flow_date is not None


@dataclass(frozen=True)
class Dependency:
    """``successor`` starts no earlier than ``predecessor`` finishes plus ``lag`` periods."""

    predecessor: str
    successor: str
    lag: int = 0
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Team:
    id: str
    name: str = ""
    function: str = ""  # marketing / technology / operations / data & analytics …
    capacity: float = 0.0  # FTE per period
    over_allocation: float = 0.0  # tolerated overload as a fraction of capacity (0.1 = 10 %)
    cost_per_fte_year: float | None = None  # fully loaded cost of one FTE for a year
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class GroupDependency:
    """``successor`` starts no earlier than whichever initiative of the alternative group
    ``group`` is chosen finishes, plus ``lag`` periods; without a chosen (or done) member it
    cannot be selected. A Dependencies row whose Predecessor names a group."""

    group: str
    successor: str
    lag: int = 0
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Blackout:
    """From ``start`` to ``end`` (inclusive) no go-live (``applies_to`` "go-live"), no kick-off
    ("kick-off") or neither ("both") may fall: a change freeze. A go-live is the last working
    day of an initiative's last build period, a kick-off the first working day of its start
    period."""

    start: date
    end: date
    applies_to: str = "go-live"  # go-live | kick-off | both
    note: str = ""
    row: int | None = field(default=None, compare=False)

    @property
    def go_live(self) -> bool:
        return self.applies_to in ("go-live", "both")

    @property
    def kick_off(self) -> bool:
        return self.applies_to in ("kick-off", "both")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class CapacityChange:
    """From ``start`` (to ``end`` inclusive, or open-ended) the team's capacity is ``capacity`` FTE."""

    team: str
    start: date
    capacity: float
    end: date | None = None
    note: str = ""
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Staffing:
    """FTE an initiative needs from a team in each build period.

    ``fte`` is the peak; ``profile`` gives relative intensities per phase (1.0 = peak), the
    phases spread evenly over the build. An empty profile means flat ``fte`` throughout.
    """

    initiative: str
    team: str
    fte: float
    profile: tuple[float, ...] = ()
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class BudgetLimit:
    """A spending limit for one plan period or one fiscal year, optionally for one funding pool."""

    amount: float
    kind: SpendKind = SpendKind.TOTAL
    period: date | None = None  # a date inside the plan period
    fiscal_year: int | None = None  # named by the calendar year it ends in
    pool: str | None = None
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class System:
    id: str
    name: str = ""
    run_cost: float = 0.0  # per year
    owner_function: str = ""
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str = ""
    weight: float | None = None  # None when weights come from the pairwise matrix
    higher_is_better: bool = True  # False for criteria like risk or complexity
    scale_min: float = 0.0
    scale_max: float = 10.0
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Score:
    initiative: str
    criterion: str
    value: float
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Pairwise:
    """Saaty pairwise comparison: ``matrix[i][j]`` is how much more important criterion i is than j."""

    criteria: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class ScenarioOverride:
    """One change a scenario makes to the base case. Parameters are listed in ``schema.SCENARIO_PARAMETERS``."""

    parameter: str
    value: float | str
    target: str = ""  # team, initiative, fiscal year or pool the change applies to; "" = all
    start: date | None = None
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str = ""
    overrides: tuple[ScenarioOverride, ...] = ()


@dataclass(frozen=True)
class Estimate:
    """Three-point ranges for one initiative (Uncertainty sheet), for risk analysis only.

    Cost and benefit are shares of the estimate the plan uses (0.9 = 10 % under it); cost is the
    build cost (capex and one-off opex), benefit the benefits (revenue uplift and saving).
    Durations are build periods. ``None`` = no range: the plan's value."""

    initiative: str
    cost_low: float | None = None
    cost_likely: float | None = None
    cost_high: float | None = None
    benefit_low: float | None = None
    benefit_likely: float | None = None
    benefit_high: float | None = None
    duration_low: float | None = None
    duration_likely: float | None = None
    duration_high: float | None = None
    row: int | None = field(default=None, compare=False)

    def range(self, quantity: str, planned: float) -> tuple[float, float, float]:
        """(low, likely, high) of ``quantity`` (cost, benefit or duration) with the blanks
        filled: likely = the plan's value (``planned``), low and high = likely."""
        likely = getattr(self, f"{quantity}_likely")
        likely = planned if likely is None else likely
        low = getattr(self, f"{quantity}_low")
        high = getattr(self, f"{quantity}_high")
        return (likely if low is None else low, likely, likely if high is None else high)


@dataclass(frozen=True)
class RiskEvent:
    """Something that may happen (Risks sheet): with ``probability`` it hits every initiative it
    names and every initiative of ``owner_function`` at once. Impacts are shares (0.2 = build
    cost +20 %, -0.3 = benefits -30 %) and whole periods of delay."""

    name: str
    probability: float
    initiatives: tuple[str, ...] = ()
    owner_function: str = ""
    cost_impact: float = 0.0
    benefit_impact: float = 0.0
    delay: int = 0
    row: int | None = field(default=None, compare=False)

    def hits(self, initiative: Initiative) -> bool:
        """It names the initiative, or the initiative's owner function (any case)."""
        if initiative.id in self.initiatives:
            return True
        mine, theirs = self.owner_function.strip(), initiative.owner_function.strip()
        return bool(mine) and mine.casefold() == theirs.casefold()


@dataclass(frozen=True)
class Portfolio:
    settings: Settings
    capabilities: tuple[Capability, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    teams: tuple[Team, ...] = ()
    capacity_changes: tuple[CapacityChange, ...] = ()
    blackouts: tuple[Blackout, ...] = ()  # Calendar sheet: go-live and kick-off freezes
    group_dependencies: tuple[GroupDependency, ...] = ()  # on whichever alternative is chosen
    staffing: tuple[Staffing, ...] = ()
    budgets: tuple[BudgetLimit, ...] = ()
    systems: tuple[System, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    scores: tuple[Score, ...] = ()
    pairwise: Pairwise | None = None
    scenarios: tuple[Scenario, ...] = ()
    cash_flows: tuple[CashFlowLine, ...] = ()  # explicit business cases (Cash flows sheet)
    estimates: tuple[Estimate, ...] = ()  # three-point ranges (Uncertainty sheet)
    risks: tuple[RiskEvent, ...] = ()  # risk events (Risks sheet)
    source: str = ""  # the input file name, for reports

    @cached_property
    def initiative_by_id(self) -> Mapping[str, Initiative]:
        return {i.id: i for i in self.initiatives}

    @cached_property
    def team_by_id(self) -> Mapping[str, Team]:
        return {t.id: t for t in self.teams}

    @cached_property
    def capability_by_id(self) -> Mapping[str, Capability]:
        return {c.id: c for c in self.capabilities}

    @cached_property
    def system_by_id(self) -> Mapping[str, System]:
        return {s.id: s for s in self.systems}

    @cached_property
    def index(self) -> Mapping[str, int]:
        """Position of each initiative in ``initiatives``: the row of every per-initiative array."""
        return {i.id: k for k, i in enumerate(self.initiatives)}

    @cached_property
    def cash_flows_by_initiative(self) -> Mapping[str, tuple[CashFlowLine, ...]]:
        """The Cash flows rows of each initiative that has any (those replace its money columns)."""
        out: dict[str, list[CashFlowLine]] = {}
        for line in self.cash_flows:
            out.setdefault(line.initiative, []).append(line)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def group_members(self) -> Mapping[str, tuple[str, ...]]:
        """The initiatives of each alternative group, in sheet order."""
        out: dict[str, list[str]] = {}
        for i in self.initiatives:
            if i.alternative_group:
                out.setdefault(i.alternative_group, []).append(i.id)
        return {k: tuple(v) for k, v in out.items()}

    def staffing_of(self, initiative_id: str) -> tuple[Staffing, ...]:
        return tuple(s for s in self.staffing if s.initiative == initiative_id)


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a plan, but the gap was not closed within the limits
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no solution"  # time ran out before any plan was found
    ERROR = "error"

    @property
    def has_plan(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


@dataclass(frozen=True)
class SolveReport:
    status: SolveStatus
    solver: str = ""
    solver_version: str = ""
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None  # relative, 0.01 = 1 %
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    variables: int = 0
    constraints: int = 0
    message: str = ""
    # earliest-completion: end (exclusive period index) of the mandatory work in the plan, and
    # the earliest end any plan can have (equal when proven)
    finish: int | None = None
    finish_bound: int | None = None
    nodes: int = 0  # branch-and-bound nodes the search took (HiGHS)
    # wall seconds of each stage of the solve, in order ("build", "first plan", "search",
    # "why-not: bounds", …): where the time went, for the Assumptions sheet and the benchmarks
    stages: tuple[tuple[str, float], ...] = ()
    # the clock, not the gap or the work limit, ended the search: the plan and its figures may
    # differ on a faster or quieter machine
    clock_stopped: bool = False

    @property
    def proven_within(self) -> float | None:
        """How far the plan may lie below the best possible, in objective units (0 = proven
        optimal); None without a bound."""
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, self.bound - self.objective)


@dataclass(frozen=True)
class Shortfall:
    """A hard limit that had to be broken to find any plan (infeasibility diagnosis)."""

    family: str  # capacity, budget, mandatory, window, dependency, …
    key: str  # e.g. team and period label
    amount: float
    message: str  # in business words


# A bracket on a figure is narrow enough to quote as one figure with its margin ("about X, give
# or take Y") when it is narrower than this share of its upper end, or than this share of the
# plan's objective, whichever is wider. Anything wider is shown as the range it is.
QUOTE_SHARE_OF_FIGURE = 0.10
QUOTE_SHARE_OF_PLAN = 1e-4


def quotable_width(high: float, plan_objective: float) -> float:
    """The widest bracket ``[low, high]`` that may be quoted as one figure with its margin."""
    return max(QUOTE_SHARE_OF_FIGURE * abs(high), QUOTE_SHARE_OF_PLAN * abs(plan_objective))


@dataclass(frozen=True)
class WhyNot:
    """Why a candidate is out and what forcing it in would cost (objective units).

    ``value_lost`` is the loss when proven; otherwise None and the loss lies between
    ``lost_low`` and ``lost_high`` (either end None when unknown). All three None with a method:
    it cannot be forced in at all. ``unit``: the bundle members priced together with it.
    ``quotable``: not proven, but the bracket is narrow enough (``quotable_width``) to quote as
    ``figure`` give or take ``margin``."""

    initiative: str
    reasons: tuple[str, ...]
    value_lost: float | None = None
    method: str = ""  # how the figure was obtained, in words
    lost_low: float | None = None
    lost_high: float | None = None
    unit: tuple[str, ...] = ()
    quotable: bool = False

    @property
    def proven(self) -> bool:
        return self.value_lost is not None

    @property
    def figure(self) -> float | None:
        """The figure to quote: the proven loss, or the middle of a quotable bracket."""
        if self.value_lost is not None:
            return self.value_lost
        if self.quotable and self.lost_low is not None and self.lost_high is not None:
            return (self.lost_low + self.lost_high) / 2
        return None

    @property
    def margin(self) -> float:
        """How far the true loss may lie from ``figure`` (0 when proven)."""
        if self.value_lost is None and self.quotable and self.lost_low is not None:
            return (self.lost_high - self.lost_low) / 2 if self.lost_high is not None else 0.0
        return 0.0


@dataclass(frozen=True)
class Plan:
    """The optimizer's answer: which initiatives start when, and how good that is.

    ``starts`` maps each selected initiative (including those in progress) to its start period
    index on the plan calendar; an in-progress initiative that started before the plan has a
    negative index. Done initiatives are not in ``starts``.
    """

    portfolio: Portfolio
    starts: Mapping[str, int]
    report: SolveReport
    objective: ObjectiveKind = ObjectiveKind.NPV
    greedy_objective: float | None = None
    why_not: tuple[WhyNot, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    overloads: tuple[str, ...] = ()  # uses of the over-allocation tolerance, in words
    scenario: str = ""
    # a scenario's team capacity over the base case's: FTE-years added (net of any removed) and
    # their cost at the Teams' cost per FTE-year, discounted to plan start (None: unpriced)
    capacity_fte_years: float = 0.0
    capacity_cost: float | None = None

    def selected(self) -> tuple[Initiative, ...]:
        return tuple(i for i in self.portfolio.initiatives if i.id in self.starts)


# What a plan workbook says (read back by ``input.plan_workbook``, compared by ``analysis.diff``)

SnapshotValue = float | int | str | date | None  # a figure as a plan workbook shows it


@dataclass(frozen=True)
class SnapshotRow:
    id: str
    name: str = ""
    start: date | None = None
    go_live: date | None = None
    row: int | None = field(default=None, compare=False)  # its row on the Roadmap sheet


@dataclass(frozen=True)
class PlanSnapshot:
    """What a plan workbook says: its scheduled initiatives and its headline figures."""

    rows: tuple[SnapshotRow, ...]
    figures: tuple[tuple[str, SnapshotValue], ...] = ()  # (label, value) in the order shown
    source: str = ""
    percent: frozenset[str] = frozenset()  # figure labels shown as percentages
    formats: tuple[tuple[str, str], ...] = ()  # (label, number format) as the workbook shows it

    def by_id(self) -> dict[str, SnapshotRow]:
        return {r.id: r for r in self.rows}
