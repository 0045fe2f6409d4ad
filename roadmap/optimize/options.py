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
    """Work for the why-not analysis's re-solves, in branch-and-bound nodes: work, not time, so
    the same input gives the same figures on any machine, however busy. Every figure the cheap
    steps leave unproven gets a forced re-solve: its first ``prove_nodes`` nodes try to prove it;
    after those, a quotable bracket ends the search, and ``nodes`` ends it in any case (a figure
    already quotable before the re-solve gets ``prove_nodes`` only). The small re-solve around
    each unit stops after ``neighbourhood_nodes``. ``total`` seconds only guard the command: a
    figure the clock cut short says so."""

    nodes: int = 400  # per forced re-solve; 0 = bounds and forced plans only, no re-solve
    prove_nodes: int = 100  # nodes that try for a proof before a quotable bracket may stop
    neighbourhood_nodes: int = 50  # per restricted re-solve around a unit; 0 = none
    total: float = 120.0  # seconds: the clock's guard over the whole stage
    workers: int | None = None  # worker processes (None: one per core); 1 = in this process
    log_file: str | None = None  # HiGHS log of the re-solves (one file per worker)


# How hard the why-not analysis works (``roadmap plan --why-not``): the same kind of work, more
# or less of it; every level stops on work, never on the clock.
WHY_NOT_EFFORT: dict[str, WhyNotBudget] = {
    "quick": WhyNotBudget(nodes=0, neighbourhood_nodes=50),
    "standard": WhyNotBudget(),
    "thorough": WhyNotBudget(nodes=4000, prove_nodes=1000, neighbourhood_nodes=200),
}


@dataclass(frozen=True)
class SolveOptions:
    """The solver choices of a solve; None = the portfolio's Settings sheet."""

    solver: str | None = None  # auto | cbc | highs | scip
    time_limit: float | None = None  # seconds for the whole solve, analyses included
    gap: float | None = None  # relative gap at which the solver may stop
    # branch-and-bound nodes the main search may take (HiGHS): work, not time, so a search that
    # stops there stops at the same plan on any machine; None = no limit but the clock
    nodes: int | None = None
    threads: int | None = None  # 0 = the solver's choice
    # "plain" (HiGHS on the full model), "neighbourhoods" (the full model beside
    # fix-and-optimise rounds; HiGHS only) or "auto"/None (a size rule decides)
    search: str | None = None
    why_not: bool = True  # explain what was left out (value lost, reasons)
    # explain an infeasible case (what falls short, by how much: an elastic model solved to
    # proof); off where only "no plan" counts, as in the re-solved worlds of a risk run
    diagnose: bool = True
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
