"""Cash flows and the money case (NPV, IRR, ROI, payback); the metrics themselves are in
``roadmap.money.metrics`` (re-exported here).

CONTRACT (agreed between the money, optimizer and report stages; extend, do not fork):

- ``cash_flows(initiative, start, calendar, settings, portfolio) -> CashFlows``: the initiative's
  per-period series on the plan calendar for any start period (negative = started before the plan;
  periods before 0 are sunk and left out).
- ``start_values(portfolio, calendar) -> StartValues``: for every initiative and every start
  period 0..H-1 at once (vectorised), what the optimizer needs.

CONVENTIONS (the README and the roi workbook's Method sheet say the same):

- Timing: every cash flow is booked at the END of its period, so a flow in plan period ``t`` is
  worth ``flow / (1 + r_p) ** (t + 1)`` at plan start, with the per-period rate
  ``r_p = (1 + r) ** (1 / periods per year) - 1`` (``Calendar.per_period_rate``).
- An initiative started in ``s`` builds in ``s .. s+D-1`` (D = duration) and goes live at the start
  of ``s+D``; it then runs for ``U = calendar.years_to_periods(useful_life)`` periods.
- Capex and one-off opex are spread over the build periods (evenly, or by ``cost_profile``).
- Run cost (annual / periods per year) is paid in every period of the useful life.
- Benefits (revenue uplift + saving, annual / periods per year) ramp up linearly: in the ``j``-th
  period after go-live (``j = 0, 1, …``) the benefit is ``full * min(1, (j + 1) / (ramp_up + 1))``,
  so ramp-up 0 means full benefit in the first live period and ramp-up 2 gives 1/3, 2/3, 1, 1, …
- Retiring a legacy system saves its annual run cost (Systems sheet) from go-live to the end of
  the useful life.
- Risk adjustment scales the benefits AND the legacy savings by the probability of success (a
  system is only switched off if its replacement works); costs are never scaled.
- Evaluation window "horizon": only plan periods ``0 .. H-1`` count; "useful life": every period to
  the end of the useful life counts, past the horizon if need be. Periods before 0 are sunk.
- Budget spend (``StartValues.capex`` / ``opex``) is gross: capex, one-off opex and new run costs
  (and money out on "other" rows, as opex); benefits and legacy savings never free up budget.
- An initiative with rows on the Cash flows sheet takes its capex, one-off opex, run cost and
  benefits from them instead (``roadmap.money.flows`` says how years and periods are laid out);
  risk adjustment scales its benefit rows; "other" rows are signed and never scaled; legacy
  savings still come from the Systems it retires, over its useful life.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from roadmap.domain import (
    EvaluationWindow,
    FlowCategory,
    Initiative,
    Portfolio,
    Settings,
    Status,
)
from roadmap.money.calendar import Calendar
from roadmap.money.flows import CATEGORIES, explicit
from roadmap.money.metrics import (
    IRR_SHOWN_LIMIT,
    Metrics,
    annualise,
    irr,
    irr_bound,
    metrics_of,
    mirr,
    npv,
)

__all__ = [
    "COMPONENTS",
    "IRR_SHOWN_LIMIT",
    "CashFlows",
    "Metrics",
    "StartValues",
    "annual_rate",
    "annualise",
    "cash_flows",
    "combine",
    "earliest_start_period",
    "escalation",
    "initiative_metrics",
    "irr",
    "irr_bound",
    "metrics_of",
    "mirr",
    "mirr_rates",
    "npv",
    "plan_cash_flows",
    "plan_metrics",
    "start_values",
]
from roadmap.money.profiles import spread


@dataclass(frozen=True)
class StartValues:
    """Rows follow ``portfolio.initiatives``; columns are start periods ``t = 0..H-1``
    (for ``npv``) or offsets ``k = 0..H-1`` from the start (for the spend arrays): an initiative
    started in ``t`` spends ``capex[i, k]`` in plan period ``t + k``.

    ``total_cost[i]`` is the undiscounted cost (capex + one-off opex + run cost) over the
    evaluation window when the initiative starts at its earliest start (``earliest_start_period``);
    costs before the plan start are sunk and left out.

    The spend arrays run to offset H-1+b, where b is how many periods before the plan the
    earliest work in progress started, so that work started at ``-b`` has its spend in every
    plan period (offsets below H cover every start ``t >= 0``).
    """

    ids: tuple[str, ...]
    npv: np.ndarray  # (n, H) value at plan start of starting in period t
    capex: np.ndarray  # (n, H + b) by offset
    opex: np.ndarray  # (n, H + b) by offset: one-off opex during build + run cost after go-live
    total_cost: np.ndarray  # (n,) undiscounted cost over the evaluation window
    per_period_rate: float = 0.0  # the discount rate used, per period


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


@dataclass(frozen=True)
class _Profile:
    """An initiative's flows by offset ``k`` from its start (length D + U, at least D), and
    ``pre``: the flows at the start moment, before offset 0 (``COMPONENTS`` order)."""

    capex: np.ndarray
    opex: np.ndarray
    run_cost: np.ndarray
    benefit: np.ndarray
    legacy_saving: np.ndarray
    other: np.ndarray
    pre: np.ndarray

    def arrays(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, name) for name in COMPONENTS)


def _profile(
    ini: Initiative, calendar: Calendar, portfolio: Portfolio, risk_adjusted: bool
) -> _Profile:
    d = max(1, ini.duration)
    u = max(0, calendar.years_to_periods(ini.useful_life))
    ppy = calendar.periods_per_year
    scale = ini.probability if risk_adjusted else 1.0
    lines = portfolio.cash_flows_by_initiative.get(ini.id)
    pre = np.zeros(len(COMPONENTS))
    if lines:
        # explicit business case: the rows replace the money columns (Cash flows sheet)
        x = explicit(lines, d, ppy, d + u)
        n = x.by_offset.shape[1]
        capex = x.category(FlowCategory.CAPEX).copy()
        opex = x.category(FlowCategory.ONE_OFF_OPEX).copy()
        run = x.category(FlowCategory.RUN_COST).copy()
        benefit = x.category(FlowCategory.BENEFIT) * scale
        other = x.category(FlowCategory.OTHER).copy()
        pre[:4] = [x.pre_of(c) for c in CATEGORIES[:4]]
        pre[3] *= scale
        pre[5] = x.pre_of(FlowCategory.OTHER)
    else:
        n = d + u
        capex, opex, run, benefit, other = (np.zeros(n) for _ in range(5))
        capex[:d] = spread(ini.capex, ini.cost_profile, d)
        opex[:d] = spread(ini.one_off_opex, ini.cost_profile, d)
        run[d:] = ini.run_cost / ppy
        ramp = np.minimum(1.0, (np.arange(u) + 1.0) / (max(0, ini.ramp_up) + 1.0))
        benefit[d:] = ini.annual_benefit / ppy * ramp * scale
    legacy = np.zeros(n)
    systems = portfolio.system_by_id
    retired = sum(systems[s].run_cost for s in ini.retires if s in systems)
    legacy[d : d + u] = retired / ppy * scale
    return _Profile(capex, opex, run, benefit, legacy, other, pre)


def _risk(settings: Settings, risk_adjusted: bool | None) -> bool:
    return settings.risk_adjusted if risk_adjusted is None else risk_adjusted


def annual_rate(initiative: Initiative, settings: Settings) -> float:
    """The initiative's discount rate a year: its hurdle rate, else the plan's discount rate."""
    return settings.discount_rate if initiative.hurdle_rate is None else initiative.hurdle_rate


def escalation(initiative: Initiative, settings: Settings) -> tuple[float, float]:
    """(cost, benefit) escalation a year: the initiative's own, else the Settings values."""
    cost = (
        settings.cost_escalation
        if initiative.cost_escalation is None
        else initiative.cost_escalation
    )
    benefit = (
        settings.benefit_escalation
        if initiative.benefit_escalation is None
        else initiative.benefit_escalation
    )
    return cost, benefit


def _growth(annual: float, calendar: Calendar) -> float:
    """Per-period growth factor: (1 + e) ** (1 / periods per year)."""
    return float((1.0 + annual) ** (1.0 / calendar.periods_per_year))


def cash_flows(
    initiative: Initiative,
    start: int,
    calendar: Calendar,
    settings: Settings,
    portfolio: Portfolio,
    *,
    risk_adjusted: bool | None = None,
) -> CashFlows:
    """The initiative's cash flows on the plan calendar when it starts in period ``start``.

    Flows before period 0 are sunk and dropped. Under the "horizon" evaluation window the series
    has exactly H periods; under "useful life" it runs to the end of the useful life (at least H).
    ``risk_adjusted`` defaults to ``settings.risk_adjusted``.
    """
    p = _profile(initiative, calendar, portfolio, _risk(settings, risk_adjusted))
    h = calendar.horizon
    if settings.evaluation_window is EvaluationWindow.HORIZON:
        length = h
    else:
        length = max(h, start + len(p.capex))
    k = np.arange(len(p.capex))
    t = start + k
    keep = (t >= 0) & (t < length)

    def place(a: np.ndarray, pre: float) -> np.ndarray:
        out = np.zeros(length)
        out[t[keep]] = a[keep]
        if start >= 1:  # the start moment is the end of the period before the start
            out[start - 1] += pre
        return out

    arrays = [place(a, x) for a, x in zip(p.arrays(), p.pre, strict=True)]
    # escalation compounds from the plan start to each flow's moment (end of period t: t + 1)
    cost_e, benefit_e = escalation(initiative, settings)
    moments = np.arange(length) + 1.0
    cost_f = _growth(cost_e, calendar) ** moments
    benefit_f = _growth(benefit_e, calendar) ** moments
    for c, name in enumerate(COMPONENTS):
        if name == "benefit":
            arrays[c] = arrays[c] * benefit_f
        elif name != "other":  # costs, and the legacy run cost no longer paid
            arrays[c] = arrays[c] * cost_f
    # starting at the plan start, the start moment is the valuation date; before it, sunk
    opening = p.pre.copy() if start == 0 else np.zeros(len(COMPONENTS))
    return CashFlows.of(initiative.id, start, h, arrays, opening)


def earliest_start_period(initiative: Initiative, calendar: Calendar) -> int:
    """The actual start for work in progress; otherwise the first allowed period (>= 0)."""
    if initiative.status is Status.IN_PROGRESS and initiative.actual_start is not None:
        return calendar.period_of(initiative.actual_start)
    if initiative.earliest_start is not None:
        return max(0, calendar.period_of(initiative.earliest_start))
    return 0


def start_values(
    portfolio: Portfolio, calendar: Calendar, *, risk_adjusted: bool | None = None
) -> StartValues:
    """NPV at every start and spend by offset for every initiative, vectorised.

    With per-offset net flows ``x[i, k]`` and ``v = 1 / (1 + r_p)``:
    ``npv[i, t] = v**t * sum_{k in window} x[i, k] * v**(k + 1)`` where the window is all ``k``
    ("useful life") or ``k <= H - 1 - t`` ("horizon"). One cumulative sum serves every start.
    Benchmark: 1000 initiatives x 48 monthly periods with 10-year lives takes about 0.05 s.
    """
    settings = portfolio.settings
    risk = _risk(settings, risk_adjusted)
    h = calendar.horizon
    inis = portfolio.initiatives
    n = len(inis)
    profiles = [_profile(ini, calendar, portfolio, risk) for ini in inis]
    width = max([h, *(len(p.capex) for p in profiles)])
    capex, opex, run, out, inflow = (np.zeros((n, width)) for _ in range(5))
    pre = np.zeros((n, len(COMPONENTS)))
    for i, p in enumerate(profiles):
        m = len(p.capex)
        capex[i, :m] = p.capex
        opex[i, :m] = p.opex
        run[i, :m] = p.run_cost
        out[i, :m] = np.maximum(-p.other, 0.0)  # "other" money out
        inflow[i, :m] = p.benefit + p.legacy_saving + np.maximum(p.other, 0.0)
        pre[i] = p.pre
    pre_capex = pre[:, 0]
    pre_opex = pre[:, 1] + pre[:, 2] + np.maximum(-pre[:, 5], 0.0)
    rate = calendar.per_period_rate(settings.discount_rate)
    # per initiative: discount (hurdle rate) and escalation factors per period
    v = 1.0 / (1.0 + np.array([calendar.per_period_rate(annual_rate(i, settings)) for i in inis]))
    rates = [escalation(i, settings) for i in inis]
    g_cost = np.array([_growth(c, calendar) for c, _ in rates])
    g_benefit = np.array([_growth(b, calendar) for _, b in rates])
    costs = capex + opex + run + out
    # a flow at offset k of a start t is escalated and discounted over t + k + 1 periods, the
    # start moment over t: three parts (cost-escalated, benefit-escalated, "other" as typed)
    benefit_part = np.zeros((n, width))
    other_part = np.zeros((n, width))
    for i, p in enumerate(profiles):
        m = len(p.capex)
        benefit_part[i, :m] = p.benefit
        other_part[i, :m] = p.other
    cost_part = inflow - benefit_part - np.maximum(other_part, 0.0) - (capex + opex + run)
    pre_cost_part = pre[:, 4] - pre[:, 0] - pre[:, 1] - pre[:, 2]
    k1 = np.arange(width) + 1.0
    t = np.arange(h)
    horizon_only = settings.evaluation_window is EvaluationWindow.HORIZON
    last = (h - 1 - t) if horizon_only else np.full(h, width - 1)
    npv = np.zeros((n, h))
    for part, pre_part, g in (
        (cost_part, pre_cost_part, g_cost),
        (benefit_part, pre[:, 3], g_benefit),
        (other_part, pre[:, 5], np.ones(n)),
    ):
        gv = (g * v)[:, None]
        cum = np.cumsum(part * gv**k1, axis=1)
        # the start moment (year 0 of an explicit case) is worth its amount at t
        npv += (cum[:, last] + pre_part[:, None]) * gv ** t[None, :] if n else 0.0

    # total cost at the earliest start: offsets lo..hi of the cumulative cost row
    starts = np.array([earliest_start_period(ini, calendar) for ini in inis], dtype=int)
    cum_cost = np.concatenate([np.zeros((n, 1)), np.cumsum(costs, axis=1)], axis=1)
    lo = np.clip(-starts, 0, width)
    hi = np.clip((h - starts) if horizon_only else np.full(n, width), 0, width)
    hi = np.maximum(hi, lo)
    rows = np.arange(n)
    total_cost = cum_cost[rows, hi] - cum_cost[rows, lo]
    total_cost = total_cost + np.where(starts >= 0, pre_capex + pre_opex, 0.0)
    # budgets: what is paid at the start moment is spent in the initiative's first period
    capex[:, 0] += pre_capex
    opex[:, 0] += pre_opex
    # work started before the plan (start -b) spends in plan periods up to offset H-1+b
    backlog = int(max(0, -starts.min())) if n else 0
    spend_width = h + backlog
    if spend_width > width:
        pad = np.zeros((n, spend_width - width))
        capex, opex, run, out = (np.concatenate([a, pad], axis=1) for a in (capex, opex, run, out))
    return StartValues(
        ids=tuple(ini.id for ini in inis),
        npv=npv,
        capex=capex[:, :spend_width].copy(),
        opex=(opex + run + out)[:, :spend_width].copy(),
        total_cost=total_cost,
        per_period_rate=rate,
    )


def initiative_metrics(
    portfolio: Portfolio,
    initiative: Initiative | str,
    calendar: Calendar,
    start: int | None = None,
    *,
    risk_adjusted: bool | None = None,
) -> Metrics:
    """Metrics of one initiative started in ``start`` (default: its earliest start)."""
    ini = portfolio.initiative_by_id[initiative] if isinstance(initiative, str) else initiative
    s = earliest_start_period(ini, calendar) if start is None else start
    settings = portfolio.settings
    cf = cash_flows(ini, s, calendar, settings, portfolio, risk_adjusted=risk_adjusted)
    rate = calendar.per_period_rate(annual_rate(ini, settings))
    return metrics_of(cf, calendar, rate, s, *mirr_rates(settings, calendar))


def mirr_rates(settings: Settings, calendar: Calendar) -> tuple[float, float]:
    """The MIRR's finance and reinvestment rates per period (blank settings: the discount rate)."""
    finance = settings.discount_rate if settings.finance_rate is None else settings.finance_rate
    reinvest = (
        settings.discount_rate if settings.reinvestment_rate is None else settings.reinvestment_rate
    )
    return calendar.per_period_rate(finance), calendar.per_period_rate(reinvest)


def plan_cash_flows(
    portfolio: Portfolio,
    starts: Mapping[str, int],
    calendar: Calendar,
    *,
    risk_adjusted: bool | None = None,
) -> CashFlows:
    """The sum of the selected initiatives' cash flows at their starts."""
    settings = portfolio.settings
    by_id = portfolio.initiative_by_id
    return combine(
        (
            cash_flows(by_id[i], s, calendar, settings, portfolio, risk_adjusted=risk_adjusted)
            for i, s in starts.items()
        ),
        calendar.horizon,
    )


def plan_metrics(
    portfolio: Portfolio,
    starts: Mapping[str, int],
    calendar: Calendar,
    *,
    risk_adjusted: bool | None = None,
) -> Metrics:
    """Metrics of a whole plan; payback is counted from the plan start. With hurdle rates, the
    NPV is the sum of each initiative's NPV at its own rate (``npv_by_hurdle``); the other
    discounted figures use the plan's discount rate."""
    settings = portfolio.settings
    cf = plan_cash_flows(portfolio, starts, calendar, risk_adjusted=risk_adjusted)
    rate = calendar.per_period_rate(settings.discount_rate)
    m = metrics_of(cf, calendar, rate, 0, *mirr_rates(settings, calendar))
    by_id = portfolio.initiative_by_id
    if not any(by_id[i].hurdle_rate is not None for i in starts):
        return m
    total = 0.0
    for iid, s in starts.items():
        one = cash_flows(by_id[iid], s, calendar, settings, portfolio, risk_adjusted=risk_adjusted)
        own = calendar.per_period_rate(annual_rate(by_id[iid], settings))
        total += one.opening_net + npv(own, one.net)
    return replace(m, npv=total, npv_by_hurdle=True)
