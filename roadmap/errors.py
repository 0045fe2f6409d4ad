"""Exceptions that carry what the user needs to see; the CLI turns each into a message and an exit code."""

from __future__ import annotations

from roadmap.domain import Finding


class RoadmapError(Exception):
    """A problem the user can fix; shown without a traceback."""

    exit_code = 1


class InputError(RoadmapError):
    """The input workbook cannot be used: the findings say where and how to fix it."""

    exit_code = 2

    def __init__(self, message: str, findings: tuple[Finding, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings


class InfeasibleError(RoadmapError):
    exit_code = 3


class NoSolutionError(RoadmapError):
    exit_code = 4
