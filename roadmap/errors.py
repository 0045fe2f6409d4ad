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


class OutputError(RoadmapError):
    """An output path the tool refuses (it is an input, exists without --force, or its folder is
    missing or read-only); found before any work, so a long solve never ends in a refusal."""

    exit_code = 2


class Interrupted(BaseException):
    """The run was stopped by a signal (Ctrl-C, SIGTERM, SIGHUP). A BaseException, like
    KeyboardInterrupt, so that no ``except Exception`` on the way up swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum
