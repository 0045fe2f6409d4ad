"""What a PMO reported, read and checked as ``roadmap progress`` (and ``roadmap replan``) do:
from a plan workbook the PMO filled in or an MS Project XML file, against the status date and,
when given, the input the plan was made from."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from roadmap.domain import Finding, Portfolio, Severity
from roadmap.errors import InputError
from roadmap.money.calendar import Calendar
from roadmap.progress.checks import Reported, check_report
from roadmap.progress.model import ProgressReport


def read_progress(path: Path) -> ProgressReport:
    """A plan workbook (.xlsx) the PMO filled in, or an MS Project XML file (.xml)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xml":
        from roadmap.input.progress_xml import read_progress_xml

        return read_progress_xml(Path(path))
    if suffix in (".xlsx", ".xlsm"):
        from roadmap.input.progress_workbook import read_progress_workbook

        return read_progress_workbook(Path(path))
    raise InputError(
        f"{path}: give a plan workbook (.xlsx) the PMO filled in, or MS Project XML (.xml)"
    )


def status_date(report: ProgressReport, as_of: date | None) -> date:
    """``--as-of``, else the file's own status date (MS Project's StatusDate)."""
    if as_of is not None:
        return as_of
    if report.status_date is not None:
        return report.status_date
    raise InputError(
        f"{report.source} gives no status date; give --as-of DATE (the day progress was "
        "reported up to, e.g. --as-of 2027-04-01)"
    )


def check_progress(
    report: ProgressReport, as_of: date, portfolio: Portfolio | None = None
) -> tuple[dict[str, Reported], list[Finding]]:
    """The facts per initiative and the warnings; InputError (exit 2) with every implausible
    entry. With the input ``portfolio``, its calendar is the plan's and its initiatives the
    only known ones."""
    if portfolio is not None:
        cal = Calendar.from_settings(portfolio.settings)
        report = replace(report, plan_start=cal.start(0), plan_end=cal.end(cal.horizon - 1))
    reported, findings = check_report(report, as_of)
    if portfolio is not None:
        known = portfolio.initiative_by_id
        for entry in report.initiatives:
            if entry.initiative not in known:
                findings.append(
                    entry.place.finding(
                        "ID",
                        f"{entry.initiative!r} is not an initiative of {portfolio.source}",
                        "give the input workbook this plan was made from",
                    )
                )
                reported.pop(entry.initiative, None)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        raise InputError(
            f"{report.source}: {len(errors)} implausible entr{'y' if len(errors) == 1 else 'ies'}"
            "; nothing was written",
            tuple(findings),
        )
    return reported, findings
