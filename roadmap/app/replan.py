"""The PMO round trip as ``roadmap progress`` and ``roadmap replan`` run it, callable without
the command line: read what the PMO reported, check it, re-base the portfolio at the status
date, solve, show the plan as the PMO sees it with a Status sheet, and write the outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from roadmap.app.progress import check_progress
from roadmap.domain import Finding, Plan, Portfolio, WhyNot
from roadmap.progress.checks import Reported
from roadmap.progress.model import IN_PROGRESS, ProgressReport
from roadmap.progress.rebase import Rebased, rebase
from roadmap.progress.status import StatusReport, Thresholds, status_report, stop_reason


@dataclass(frozen=True)
class Replan:
    """A re-forecast: the plan solved on the re-based portfolio and everything shown with it."""

    plan: Plan
    rebased: Rebased
    reported: Mapping[str, Reported]
    report: ProgressReport
    warnings: tuple[Finding, ...] = ()
    facts: Any = None  # PlanFacts as the PMO sees them (None without a plan)
    status: StatusReport | None = None

    @property
    def continued(self) -> set[str]:
        return {i for i, t in self.rebased.tracks.items() if t.in_flight and i in self.plan.starts}

    @property
    def stopped(self) -> list[str]:
        return sorted(
            i for i, t in self.rebased.tracks.items() if t.in_flight and i not in self.plan.starts
        )


def replan(
    portfolio: Portfolio,
    report: ProgressReport,
    as_of: date,
    options: Any,
    *,
    progress: Callable[[Any], None] | None = None,
) -> Replan:
    """Check the report, re-base the portfolio at ``as_of`` and solve it (``options``: the
    run's ``RunOptions``)."""
    from roadmap.app.plan_run import plan_case
    from roadmap.plan_facts import plan_facts
    from roadmap.progress.forecast import forecast_facts

    reported, warnings = check_progress(report, as_of, portfolio)
    rebased = rebase(portfolio, reported, as_of)
    plan = plan_case(rebased.portfolio, options, progress=progress)
    warnings = [*warnings, *rebased.warnings]
    if not plan.report.status.has_plan:
        return Replan(plan, rebased, reported, report, tuple(warnings))
    plan = _explain_stops(plan, rebased)
    facts = forecast_facts(plan_facts(plan), rebased, reported, report)
    thresholds = Thresholds.of(portfolio.settings)
    status = status_report(report, reported, rebased, facts, thresholds)
    return Replan(plan, rebased, reported, report, tuple(warnings), facts, status)


def _explain_stops(plan: Plan, rebased: Rebased) -> Plan:
    """Work under way the plan does not continue: the Not selected sheet says why, with its
    remaining value and cost."""
    why = {w.initiative: w for w in plan.why_not}
    for iid, track in rebased.tracks.items():
        if track.state != IN_PROGRESS or iid in plan.starts:
            continue
        old = why.get(iid)
        reason = stop_reason(rebased, iid, old.reasons if old else ())
        why[iid] = replace(old, reasons=(reason,)) if old else WhyNot(iid, (reason,))
    order = [w.initiative for w in plan.why_not] + [i for i in why if i not in plan.why_not]
    ordered = [why[i] for i in dict.fromkeys(order) if i in why]
    return replace(plan, why_not=tuple(ordered))


def write_replan_outputs(
    result: Replan,
    output: Path,
    *,
    run: Any,
    input_path: Path,
    exports: Mapping[str, Path] | None = None,
    write_input: Path | None = None,
    force: bool = False,
    today: date | None = None,
    csv_delimiter: str = ",",
) -> list[Path]:
    """The new plan workbook with its Status sheet (after the Summary), the exports asked for
    and the next cycle's input; returns the paths written."""
    from roadmap.excel.writing import save_atomic
    from roadmap.export.csv import write_milestones_csv
    from roadmap.export.mspdi import write_mspdi
    from roadmap.input.next_cycle import write_next_input
    from roadmap.report.layout import Formats
    from roadmap.report.plan_workbook import build_plan_workbook
    from roadmap.report.status import SHEET, write_status

    assert result.status is not None and result.facts is not None
    plan, facts = result.plan, result.facts
    wb = build_plan_workbook(plan, run=run, today=today or date.today(), facts=facts)
    ws = wb.create_sheet(SHEET, index=1)
    write_status(ws, result.status, Formats.for_currency(plan.portfolio.settings.currency))
    save_atomic(wb, output, force=force, protect=input_path)
    written = [output]
    exports = exports or {}
    if "mspdi" in exports:
        written.append(write_mspdi(facts, exports["mspdi"]))
    if "csv" in exports:
        written.append(write_milestones_csv(facts, exports["csv"], delimiter=csv_delimiter))
    if write_input is not None:
        written.append(
            write_next_input(input_path, write_input, result.rebased, result.continued, force=force)
        )
    return written
