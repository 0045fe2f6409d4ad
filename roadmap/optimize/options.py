"""How to solve: the solver choices of one solve as one value, passed down whole.

``SolveOptions`` travels from the command line (``app``'s ``RunOptions``) through batches of
solves (``analysis.batch``) into ``optimize.milp.plan.solve_plan`` and on to every solver run,
instead of loose ``solver``/``time_limit``/``gap``/``threads`` arguments in every signature. A
field left None means the portfolio's Settings sheet; ``settled`` fills them in once, at the top
of a solve. Plain data: no solver is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from roadmap.domain import Settings


@dataclass(frozen=True)
class WhyNotBudget:
    """Time for the why-not analysis's forced re-solves: each gets ``per_solve`` seconds at most,
    and all together ``total`` seconds of wall time, whatever the main solve's time limit."""

    per_solve: float = 10.0
    total: float = 60.0
    workers: int | None = None  # worker processes (None: one per core); 1 = in this process
    log_file: str | None = None  # HiGHS log of the re-solves (one file per worker)


@dataclass(frozen=True)
class SolveOptions:
    """The solver choices of a solve; None = the portfolio's Settings sheet."""

    solver: str | None = None  # auto | cbc | highs | scip
    time_limit: float | None = None  # seconds for the whole solve, analyses included
    gap: float | None = None  # relative gap at which the solver may stop
    threads: int | None = None  # 0 = the solver's choice
    # "plain" (HiGHS on the full model), "neighbourhoods" (the full model beside
    # fix-and-optimise rounds; HiGHS only) or "auto"/None (a size rule decides)
    search: str | None = None
    why_not: bool = True  # explain what was left out (value lost, reasons)
    why_not_budget: WhyNotBudget = field(default_factory=WhyNotBudget)
    # append every solver log to this file (the why-not re-solves write beside it); None: the
    # solvers print nothing anywhere
    log: Path | None = None

    def settled(self, settings: Settings) -> SolveOptions:
        """These options with every choice left None taken from ``settings``."""
        return replace(
            self,
            solver=self.solver or settings.solver,
            time_limit=float(settings.time_limit if self.time_limit is None else self.time_limit),
            gap=float(settings.mip_gap if self.gap is None else self.gap),
            threads=settings.threads if self.threads is None else self.threads,
        )

    def within(self, seconds: float, *, gap: float | None = None) -> SolveOptions:
        """The same choices for one solver run of ``seconds`` (and ``gap``, when given)."""
        return replace(self, time_limit=seconds, gap=self.gap if gap is None else gap)
