"""Hand-made PMO progress reports for the progress tests: cells on the Roadmap and Milestones
sheets, a three-initiative baseline, and the errors a check finds, by cell."""

from __future__ import annotations

from datetime import date

from roadmap.domain import Severity
from roadmap.plan_facts.tracking import BaselineDates
from roadmap.progress.checks import check_report
from roadmap.progress.model import InitiativeReport, MilestoneReport, Place, ProgressReport

AS_OF = date(2027, 4, 1)
COLUMNS = {
    "ID": "A",
    "% complete": "R",
    "Actual start": "S",
    "Actual go-live": "T",
    "Spent to date": "U",
    "Remaining (working days)": "V",
    "RAG": "W",
}


def place(row: int) -> Place:
    return Place("Roadmap", row, COLUMNS)


def stone_place(row: int) -> Place:
    return Place("Milestones", row, {"Status": "I", "Actual date": "J", "Initiative": "D"})


def report(
    *entries: InitiativeReport, stones: tuple[MilestoneReport, ...] = (), **kw
) -> ProgressReport:
    base = {
        "A": BaselineDates(date(2027, 1, 1), date(2027, 6, 30)),
        "B": BaselineDates(date(2027, 7, 1), date(2027, 12, 31)),
        "C": BaselineDates(date(2026, 10, 1), date(2027, 3, 31)),
    }
    defaults = {
        "source": "plan.xlsx",
        "initiatives": entries,
        "milestones": stones,
        "plan_start": date(2027, 1, 1),
        "plan_end": date(2028, 12, 31),
        "selected": frozenset({"A", "B", "C"}),
        "not_selected": frozenset({"E"}),
        "predecessors": {"B": ("A",)},
        "baseline": base,
    }
    defaults.update(kw)
    return ProgressReport(**defaults)  # type: ignore[arg-type]


def errors(rep: ProgressReport, when: date = AS_OF) -> dict[str, str]:
    """Location -> every error message there, one per line."""
    _, findings = check_report(rep, when)
    out: dict[str, str] = {}
    for f in findings:
        if f.severity is Severity.ERROR:
            out[f.location] = (out.get(f.location, "") + "\n" + f.message).strip()
    return out
