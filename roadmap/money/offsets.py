"""An initiative's flows laid out by offset from its start, whatever its start: from the
Initiatives columns (parametric) or from its Cash flows rows (explicit)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roadmap.domain import FlowCategory, Initiative, Portfolio, Settings
from roadmap.money.calendar import Calendar
from roadmap.money.dated import COMPONENT_OF, DatedAmount
from roadmap.money.flows import CATEGORIES, explicit
from roadmap.money.profiles import spread
from roadmap.money.series import COMPONENTS


@dataclass(frozen=True)
class OffsetProfile:
    """An initiative's flows by offset ``k`` from its start (length D + U, at least D), and
    ``pre``: the flows at the start moment, before offset 0 (``COMPONENTS`` order); ``dated``:
    the dated Cash flows rows, which are placed by their date, not by offset."""

    capex: np.ndarray
    opex: np.ndarray
    run_cost: np.ndarray
    benefit: np.ndarray
    legacy_saving: np.ndarray
    other: np.ndarray
    pre: np.ndarray
    dated: tuple[DatedAmount, ...] = ()

    def arrays(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, name) for name in COMPONENTS)


def offset_profile(
    ini: Initiative, calendar: Calendar, portfolio: Portfolio, risk_adjusted: bool
) -> OffsetProfile:
    d = max(1, ini.duration)
    u = max(0, calendar.years_to_periods(ini.useful_life))
    ppy = calendar.periods_per_year
    scale = ini.probability if risk_adjusted else 1.0
    rows = portfolio.cash_flows_by_initiative.get(ini.id, ())
    pre = np.zeros(len(COMPONENTS))
    dated = tuple(
        DatedAmount(
            COMPONENT_OF[r.category],
            r.amount * (scale if r.category is FlowCategory.BENEFIT else 1.0),
            r.flow_date,
        )
        for r in rows
        if r.flow_date is not None
    )
    if rows:
        # explicit business case: the rows replace the money columns (Cash flows sheet)
        x = explicit([r for r in rows if r.flow_date is None], d, ppy, d + u)
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
    return OffsetProfile(capex, opex, run, benefit, legacy, other, pre, dated)


def risk_of(settings: Settings, risk_adjusted: bool | None) -> bool:
    return settings.risk_adjusted if risk_adjusted is None else risk_adjusted
