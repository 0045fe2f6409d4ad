"""Re-solves of one loaded model with something forced in: the work behind the why-not figures.

A ``Forcer`` holds one ``highspy.Highs`` object with the base model (``matrix.Matrix``) loaded
once; each question adds the forcing rows, solves, and takes them out again, so no re-solve
builds or loads a model. Two questions:

- ``lp_bound``: the LP relaxation's optimum with the rows added: no forced plan can beat it, so
  ``base - bound`` bounds the loss from below;
- ``mip``: the MILP with the rows, warm-started from a feasible forced plan, up to a time limit;
  its dual bound and its incumbent bracket the best forced plan.

HiGHS's own output is switched off (``output_flag``) unless a log file is given; worker
processes also point their standard streams at the null device, so nothing the native library
prints reaches the terminal (``pool.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roadmap.optimize.milp.model.matrix import Matrix, load

# HiGHS options for every re-solve; the same as the main solve's where they matter for the path.
SEED = 20270101
# Extra options for the forced MILPs only (not the LP bounds, not the main solve). A forced
# re-solve starts from a checked repair and closes in a few nodes: its time is the root's
# (cut rounds, restarts after presolve, cut pool upkeep), not the search. These cut that work
# without touching what is proven: the gap stays 0, so the figure is the same optimum.
# Measured on retail-d2c's 13 forced re-solves, in one process side by side (contended,
# 2 cores): 44.5 s -> 18.0 s in all, every objective equal to 1e-7 relative.
FORCED_MIP_OPTIONS: dict[str, bool | int | float | str] = {
    "mip_allow_restart": False,  # a restart re-presolves and redoes the root: 1-2 per solve
    "mip_allow_cut_separation_at_nodes": False,  # the few nodes left do not need new cuts
    "mip_pool_soft_limit": 50,  # thousands of cuts kept for a ~300-row model
}
Row = tuple[tuple[int, ...], tuple[float, ...], float, float]  # columns, coefficients, lo, hi


_NO_NODE_LIMIT = 2**62  # HiGHS's own default for mip_max_nodes


@dataclass(frozen=True)
class Target:
    """When a forced re-solve may stop before its proof: once the best forced plan and the
    bound on forced plans (each the better of the solver's and what was known before it ran)
    bracket the value lost within the quoting rule (``domain.quotable_width``)."""

    base: float  # the base plan's objective (model sense)
    known_plan: float | None  # best forced plan value known before the re-solve
    known_bound: float | None  # best bound on forced plans known before the re-solve
    proof: float  # tolerance below which the figure counts as proven
    # nodes spent on trying to prove the figure before a quotable bracket may stop the search
    after_nodes: int = 0

    def settled(self, plan: float, bound: float) -> bool:
        from roadmap.domain import quotable_width

        if self.known_plan is not None:
            plan = max(plan, self.known_plan)
        if self.known_bound is not None:
            bound = min(bound, self.known_bound)
        width = bound - plan
        return width <= max(self.proof, quotable_width(self.base - plan, self.base))


@dataclass(frozen=True)
class ForcedResult:
    key: str
    # "optimal", "quotable" (stopped once the bracket was narrow enough), "work limit" (node
    # budget), "time limit" (the clock), "infeasible", "error"
    status: str
    objective: float | None  # best forced plan found (model sense)
    bound: float | None  # no forced plan is better than this (model sense)
    seconds: float
    nodes: int = 0


class Forcer:
    """One HiGHS model, loaded once, asked forced questions one after another."""

    def __init__(
        self,
        matrix: Matrix,
        *,
        threads: int = 1,
        log_file: str | None = None,
        options: dict | None = None,
        highs: object = None,
        mip_options: dict | None = None,
    ) -> None:
        """``options`` hold for every question; ``mip_options`` (default
        ``FORCED_MIP_OPTIONS``) only while a forced MILP runs."""
        import highspy

        self.m = matrix
        if highs is None:
            highs = highspy.Highs()
            highs.setOptionValue("output_flag", False)
            load(highs, matrix)
        self.h = highs
        h = self.h
        h.setOptionValue("log_to_console", False)  # type: ignore[attr-defined]
        if log_file:
            h.setOptionValue("output_flag", True)  # type: ignore[attr-defined]
            h.setOptionValue("log_file", log_file)  # type: ignore[attr-defined]
        else:
            h.setOptionValue("output_flag", False)  # type: ignore[attr-defined]
        h.setOptionValue("random_seed", SEED % 2_147_483_647)  # type: ignore[attr-defined]
        h.setOptionValue("threads", max(1, threads))  # type: ignore[attr-defined]
        h.setOptionValue("mip_rel_gap", 0.0)  # type: ignore[attr-defined]
        for option, value in (options or {}).items():
            h.setOptionValue(option, value)  # type: ignore[attr-defined]
        self._mip_options = dict(FORCED_MIP_OPTIONS if mip_options is None else mip_options)
        self.base_rows = int(h.getNumRow())  # type: ignore[attr-defined]
        self._integer = matrix.integer
        self._kinds = {}
        if len(self._integer):
            self._kinds = {
                "integer": np.full(
                    len(self._integer), int(highspy.HighsVarType.kInteger), dtype=np.uint8
                ),
                "continuous": np.full(
                    len(self._integer), int(highspy.HighsVarType.kContinuous), dtype=np.uint8
                ),
            }

    def _with_rows(self, rows: list[Row]) -> None:
        h = self.h
        for cols, vals, lo, hi in rows:
            h.addRow(  # type: ignore[attr-defined]
                lo, hi, len(cols), np.array(cols, dtype=np.int32), np.array(vals, dtype=float)
            )

    def _without_rows(self) -> None:
        h = self.h
        extra = int(h.getNumRow()) - self.base_rows  # type: ignore[attr-defined]
        if extra > 0:
            h.deleteRows(extra, np.arange(self.base_rows, self.base_rows + extra, dtype=np.int32))  # type: ignore[attr-defined]
        h.clearSolver()  # type: ignore[attr-defined]

    def _integrality(self, kind: str) -> None:
        if len(self._integer):
            self.h.changeColsIntegrality(len(self._integer), self._integer, self._kinds[kind])  # type: ignore[attr-defined]

    def lp_bound(self, rows: list[Row], time_limit: float = 30.0) -> tuple[str, float | None]:
        """The LP relaxation with ``rows`` added: ("optimal", its optimum in model sense),
        ("infeasible", None), or ("unknown", None) when it stopped (time) without either."""
        import highspy

        h = self.h
        self._integrality("continuous")
        self._with_rows(rows)
        try:
            h.setOptionValue("time_limit", float(time_limit))  # type: ignore[attr-defined]
            h.run()  # type: ignore[attr-defined]
            status = h.getModelStatus()  # type: ignore[attr-defined]
            ms = highspy.HighsModelStatus
            if status == ms.kOptimal:
                value = self.m.sign * float(h.getInfo().objective_function_value)  # type: ignore[attr-defined]
                return "optimal", value
            if status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
                return "infeasible", None
            return "unknown", None
        finally:
            self._without_rows()
            self._integrality("integer")

    def mip(
        self,
        key: str,
        rows: list[Row],
        warm: np.ndarray | None,
        time_limit: float,
        *,
        nodes: int | None = None,
        target: Target | None = None,
    ) -> ForcedResult:
        """The MILP with ``rows`` added, warm-started from the full column vector ``warm``.

        It stops at the proof, after ``nodes`` branch-and-bound nodes (work, so the same on any
        machine), once ``target`` says the bracket is narrow enough, or at ``time_limit``
        seconds (the clock: a guard, reported as such)."""
        import time

        import highspy

        h = self.h
        began = time.perf_counter()
        self._with_rows(rows)
        before = self._set({**self._mip_options, "mip_max_nodes": nodes or _NO_NODE_LIMIT})
        sign = self.m.sign
        narrow = [False]

        def on_mip(event: object) -> None:
            # the flag outlives a run on a reused Highs object: a question interrupted last time
            # would stop this one at its first node
            event.interrupt(False)  # type: ignore[attr-defined]
            out = event.data_out  # type: ignore[attr-defined]
            if target is None or abs(out.mip_primal_bound) >= 1e49:
                return
            if out.mip_node_count < target.after_nodes:
                return
            if abs(out.mip_dual_bound) >= 1e49:
                return
            if target.settled(sign * out.mip_primal_bound, sign * out.mip_dual_bound):
                narrow[0] = True
                event.interrupt()  # type: ignore[attr-defined]

        h.cbMipInterrupt.subscribe(on_mip)  # type: ignore[attr-defined]
        try:
            h.setOptionValue("time_limit", max(0.05, float(time_limit)))  # type: ignore[attr-defined]
            if warm is not None:
                idx = np.arange(len(warm), dtype=np.int32)
                h.setSolution(len(idx), idx, np.asarray(warm, dtype=float))  # type: ignore[attr-defined]
            h.run()  # type: ignore[attr-defined]
            info = h.getInfo()  # type: ignore[attr-defined]
            status = h.getModelStatus()  # type: ignore[attr-defined]
            ms = highspy.HighsModelStatus
            has = info.primal_solution_status == 2
            objective = sign * float(info.objective_function_value) if has else None
            bound = sign * float(info.mip_dual_bound) if abs(info.mip_dual_bound) < 1e49 else None
            if status == ms.kOptimal:
                state = "optimal"
                bound = objective if bound is None else bound
            elif status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
                state, objective, bound = "infeasible", None, None
            elif status == ms.kInterrupt and narrow[0]:
                state = "quotable"
            elif status == ms.kSolutionLimit:
                state = "work limit"  # mip_max_nodes
            elif status in (ms.kTimeLimit, ms.kInterrupt):
                state = "time limit"
            else:
                state = "error"
            nodes_done = int(info.mip_node_count)
            return ForcedResult(
                key, state, objective, bound, time.perf_counter() - began, nodes_done
            )
        finally:
            h.cbMipInterrupt.unsubscribe(on_mip)  # type: ignore[attr-defined]
            self._without_rows()
            self._set(before)

    def _set(self, options: dict) -> dict:
        """Set ``options``; returns the values they replace (to put back after)."""
        before = {}
        for option, value in options.items():
            got = self.h.getOptionValue(option)  # type: ignore[attr-defined]
            before[option] = got[1] if isinstance(got, tuple) else got  # (status, value)
            self.h.setOptionValue(option, value)  # type: ignore[attr-defined]
        return before
