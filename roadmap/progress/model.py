"""What a PMO reports back, as plain data, with where each entry was read.

A progress report comes from a plan workbook the PMO filled in (the Roadmap sheet's PMO columns,
the Milestones sheet's Status and Actual date) or from an MS Project XML file saved after
tracking. Both readers produce a ``ProgressReport``: the entries as typed, each with its
``Place`` (sheet, row and column, or task UID) so every check can name the cell to fix; the
plan that was handed out (the baseline); and, when the file is itself a re-forecast, its Status
sheet (the previous report, for the trend).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from roadmap.domain import Finding, Severity
from roadmap.plan_facts.tracking import BaselineDates

# The Roadmap sheet's columns for the PMO to fill, in order: (header, what it holds).
PMO_COLUMNS: tuple[tuple[str, str], ...] = (
    ("% complete", "share of the build done, 0–100 %"),
    ("Actual start", "the day work started"),
    ("Actual go-live", "the day it went live (the build is finished)"),
    ("Spent to date", "build cost spent so far (capex and one-off opex), since it started"),
    ("Remaining (working days)", "working days still needed to go live, from the status date"),
    ("RAG", "your own Green, Amber or Red"),
    ("PMO comment", "anything the next plan should know"),
)
PMO_HEADERS = tuple(h for h, _ in PMO_COLUMNS)
RAG_VALUES = ("Green", "Amber", "Red")
MILESTONE_DONE = "Done"

# What a Status sheet calls each initiative's state
DONE, IN_PROGRESS, NOT_STARTED, STOPPED, NEW, DROPPED = (
    "done",
    "in progress",
    "not started",
    "stopped",
    "new",
    "dropped",
)

EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True)
class Place:
    """Where an entry was read: a sheet row (with a column letter per field), or an MS Project
    task (by UID, with the XML element per field)."""

    sheet: str
    row: int | None = None
    columns: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    uid: int | None = None
    task: str = ""  # the task's name, for messages

    def column(self, name: str) -> str | None:
        return self.columns.get(name)

    def finding(
        self,
        name: str,
        message: str,
        fix: str,
        *,
        severity: Severity = Severity.ERROR,
        code: str = "",
    ) -> Finding:
        """A finding at the cell (or task element) that holds ``name``."""
        if self.uid is not None:
            element = self.column(name)
            where = f"{self.sheet}, task UID {self.uid}"
            if self.task:
                where += f" ({self.task})"
            if element:
                where += f", {element}"
            return Finding(severity, where, message, fix, code=code)
        return Finding(severity, self.sheet, message, fix, self.row, self.column(name), code)


@dataclass(frozen=True)
class InitiativeReport:
    """One initiative's PMO entries; None (or "") = not filled in."""

    initiative: str
    place: Place
    percent: float | None = None  # 0–1
    start: date | None = None
    go_live: date | None = None
    spent: float | None = None
    remaining_days: int | None = None
    rag: str = ""
    comment: str = ""
    # the day the remaining days count from: the MS Project file's status date (its
    # RemainingDuration is as of then); None = the status date of the re-forecast
    remaining_from: date | None = None

    @property
    def empty(self) -> bool:
        return (
            self.percent is None
            and self.start is None
            and self.go_live is None
            and self.spent is None
            and self.remaining_days is None
            and not self.rag
            and not self.comment
        )


@dataclass(frozen=True)
class MilestoneReport:
    initiative: str
    kind: str  # Kick-off, Design sign-off, Build complete, Go-live, Benefits review
    place: Place
    status: str = ""  # as typed: Not started, On track, At risk, Late, Done ("" = blank)
    actual: date | None = None
    planned: date | None = None  # the date the plan gave it

    @property
    def done(self) -> bool:
        return self.status.strip().casefold() == MILESTONE_DONE.casefold()


@dataclass(frozen=True)
class PreviousLine:
    """One line of the previous Status sheet (``kind`` "" = the initiative itself)."""

    initiative: str
    kind: str
    state: str = ""
    rag: str = ""
    slip: int | None = None  # working days
    start: date | None = None  # actual start, when it had started
    go_live: date | None = None  # actual go-live, when it was done
    spent: float | None = None


@dataclass(frozen=True)
class ProgressReport:
    """Everything a progress file says, as read; nothing checked yet."""

    source: str  # the file's name
    initiatives: tuple[InitiativeReport, ...] = ()
    milestones: tuple[MilestoneReport, ...] = ()
    status_date: date | None = None  # the file's own (MS Project's StatusDate), if any
    plan_start: date | None = None  # the plan calendar the file was written on
    plan_end: date | None = None
    selected: frozenset[str] = frozenset()  # in the plan that was handed out
    not_selected: frozenset[str] = frozenset()  # candidates it left out
    predecessors: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: EMPTY)
    baseline: Mapping[str, BaselineDates] = field(default_factory=lambda: EMPTY)
    milestone_baseline: Mapping[tuple[str, str], date] = field(default_factory=lambda: EMPTY)
    previous: tuple[PreviousLine, ...] = ()  # the file's Status sheet (it is a re-forecast)
    previous_status_date: date | None = None
    baseline_figures: tuple[tuple[str, float | date | None], ...] = ()

    def initiative(self, iid: str) -> InitiativeReport | None:
        return next((r for r in self.initiatives if r.initiative == iid), None)

    def milestones_of(self, iid: str) -> tuple[MilestoneReport, ...]:
        return tuple(m for m in self.milestones if m.initiative == iid)
