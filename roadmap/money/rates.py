"""The rates that apply to one initiative: its discount rate (hurdle rate), its escalation, and
the plan's MIRR finance and reinvestment rates."""

from __future__ import annotations

from roadmap.domain import Initiative, Settings
from roadmap.money.calendar import Calendar


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


def growth(annual: float, calendar: Calendar) -> float:
    """Per-period growth factor: (1 + e) ** (1 / periods per year)."""
    return float((1.0 + annual) ** (1.0 / calendar.periods_per_year))


def mirr_rates(settings: Settings, calendar: Calendar) -> tuple[float, float]:
    """The MIRR's finance and reinvestment rates per period (blank settings: the discount rate)."""
    finance = settings.discount_rate if settings.finance_rate is None else settings.finance_rate
    reinvest = (
        settings.discount_rate if settings.reinvestment_rate is None else settings.reinvestment_rate
    )
    return calendar.per_period_rate(finance), calendar.per_period_rate(reinvest)
