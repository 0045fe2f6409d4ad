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


@dataclass(frozen=True)
class ForcedResult:
    key: str
    status: str  # "optimal", "time limit", "infeasible", "error"
    objective: float | None  # best forced plan found (model sense)
    bound: float | None  # no forced plan is better than this (model sense)
    solution: np.ndarray | None  # column values of ``objective``'s plan
    seconds: float


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
        keep_above: float | None = None,
    ) -> ForcedResult:
        """The MILP with ``rows`` added, warm-started from the full column vector ``warm``.

        The solution vector comes back only when its objective is above ``keep_above`` (a
        forced plan better than the base plan: the caller then takes it as the base)."""
        import time

        import highspy

        h = self.h
        began = time.perf_counter()
        self._with_rows(rows)
        before = self._set(self._mip_options)
        try:
            h.setOptionValue("time_limit", max(0.05, float(time_limit)))  # type: ignore[attr-defined]
            if warm is not None:
                idx = np.arange(len(warm), dtype=np.int32)
                h.setSolution(len(idx), idx, np.asarray(warm, dtype=float))  # type: ignore[attr-defined]
            h.run()  # type: ignore[attr-defined]
            info = h.getInfo()  # type: ignore[attr-defined]
            status = h.getModelStatus()  # type: ignore[attr-defined]
            ms = highspy.HighsModelStatus
            sign = self.m.sign
            has = info.primal_solution_status == 2
            objective = sign * float(info.objective_function_value) if has else None
            bound = sign * float(info.mip_dual_bound) if abs(info.mip_dual_bound) < 1e49 else None
            if status == ms.kOptimal:
                state = "optimal"
                bound = objective if bound is None else bound
            elif status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
                state, objective, bound = "infeasible", None, None
            elif status in (ms.kTimeLimit, ms.kInterrupt, ms.kSolutionLimit):
                state = "time limit"
            else:
                state = "error"
            solution = None
            if objective is not None and keep_above is not None and objective > keep_above:
                solution = np.array(h.getSolution().col_value, dtype=np.float64)  # type: ignore[attr-defined]
            return ForcedResult(key, state, objective, bound, solution, time.perf_counter() - began)
        finally:
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
