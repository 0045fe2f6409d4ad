"""Run the solver and normalise what it says into ``SolveReport``.

Solver choice lives here and only here: ``auto`` is HiGHS when highspy can be imported, CBC
otherwise. Both report "Optimal" when stopped on time with a plan in hand; the solution status
(``LpSolutionIntegerFeasible``) tells the two apart, and the report says FEASIBLE with the gap.

Bound and gap: HiGHS gives its dual bound directly (``getInfo().mip_dual_bound``). CBC states a
bound only when stopped early (the "Upper bound:" / "Lower bound:" line of its final summary,
read from its log); when it closes its search it does so with the relative-gap cutoff, so the
report gives the valid bound objective x (1 + gap) and the requested gap as an upper limit.
While CBC runs, progress comes from its log lines (in its internal minimisation sense, so
negated for a maximisation). Gap = |bound - objective| / max(|objective|, 1e-9), as HiGHS has it.
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pulp

from roadmap.domain import SolveReport, SolveStatus
from roadmap.errors import RoadmapError
from roadmap.optimize.milp.model.matrix import Matrix, load, matrix_of
from roadmap.optimize.milp.model.variables import BuiltModel
from roadmap.optimize.options import SolveOptions

SEED = 20270101
# A solver run whose options leave these None (a direct call; solve_plan settles them from the
# Settings sheet first)
DEFAULT_TIME_LIMIT = 60.0
DEFAULT_GAP = 0.005

# HiGHS options away from its defaults, each measured (models/formulation.md §11). The shifting
# heuristic moves fractional starts to nearby integral ones, the repair the time-indexed rows need:
# 500x36x10 at 60 s, gap 3.1 % -> 1.7 %; 100x24x6 seed 1 proven optimal in 25 s -> 10 s.
HIGHS_OPTIONS: dict[str, bool | int | float | str] = {"mip_heuristic_run_shifting": True}


@dataclass(frozen=True)
class ProgressEvent:
    """Where the search stands; ``stage`` is "solve", "diagnose" or "why-not"."""

    elapsed: float
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    stage: str = "solve"
    done: int | None = None  # multi-solve stages: solves finished of ``total``
    total: int | None = None


Progress = Callable[[ProgressEvent], None]


def highs_available() -> bool:
    try:
        import highspy  # noqa: F401
    except ImportError:
        return False
    return True


class SolverChoiceError(RoadmapError, ValueError):
    """The solver asked for (Settings: Solver, or --solver) is unknown or not installed."""


def scip_available() -> bool:
    try:
        import pyscipopt  # noqa: F401
    except ImportError:
        return False
    return True


def choose_solver(name: str | None) -> str:
    """``auto`` / None -> "highs" when highspy imports, else "cbc"; names are case-insensitive.

    "scip" needs pyscipopt (``pip install pyscipopt``)."""
    choice = (name or "auto").strip().lower()
    if choice == "auto":
        return "highs" if highs_available() else "cbc"
    if choice not in ("highs", "cbc", "scip"):
        raise SolverChoiceError(
            f"unknown solver {name!r}: use auto, cbc, highs or scip (Settings sheet, 'Solver')"
        )
    if choice == "highs" and not highs_available():
        raise SolverChoiceError(
            "solver 'highs' needs the highspy package (pip install highspy), or choose cbc"
        )
    if choice == "scip" and not scip_available():
        raise SolverChoiceError(
            "solver 'scip' needs the pyscipopt package (pip install pyscipopt), or choose highs"
        )
    return choice


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(abs(objective), 1e-9)


class _Ticker:
    """Calls ``progress`` about once a second from a side thread with the latest known figures."""

    def __init__(self, progress: Progress | None, stage: str, poll: Callable[[], None] | None):
        self.progress, self.stage, self.poll = progress, stage, poll
        self.objective: float | None = None
        self.bound: float | None = None
        self.began = time.perf_counter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Ticker:
        if self.progress is not None:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self.emit()  # the last word, so even a sub-second solve is seen once

    def emit(self) -> None:
        if self.progress is None:
            return
        if self.poll is not None:
            self.poll()
        self.progress(
            ProgressEvent(
                time.perf_counter() - self.began,
                self.objective,
                self.bound,
                relative_gap(self.objective, self.bound),
                self.stage,
            )
        )

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.emit()


_NUMBER = r"(-?\d[\d.]*(?:e[+-]?\d+)?)"
_CBC_INCUMBENT = re.compile(
    rf"(?:Integer solution of {_NUMBER}|{_NUMBER} best solution|best objective {_NUMBER})"
)
_CBC_BOUND = re.compile(rf"best possible {_NUMBER}")
_CBC_FINAL_BOUND = re.compile(rf"^(?:Upper|Lower) bound:\s+{_NUMBER}", re.M)


def _cbc_log_figures(text: str, maximise: bool) -> tuple[float | None, float | None]:
    """(objective, bound) in the model's own sense from a CBC log, as far as it says.

    CBC minimises internally (a maximisation is negated), so its progress lines are turned back.
    """
    sign = -1.0 if maximise else 1.0
    found = [float(x) for hit in _CBC_INCUMBENT.findall(text) for x in hit if x]
    found = [f for f in found if abs(f) < 1e49]
    objective = sign * min(found) if found else None
    bounds = _CBC_BOUND.findall(text)
    bound = sign * float(bounds[-1]) if bounds else None
    final = _CBC_FINAL_BOUND.findall(text)
    if final:
        bound = float(final[-1])
    return objective, bound


class _Highs(pulp.HiGHS):  # type: ignore[misc,name-defined]
    """pulp's HiGHS with a warm start, a progress hook, and a bulk model load.

    pulp loads the model one column and one row at a time and lists the problem's variables
    four times; at 1000x48 that took 8 of the 10 seconds before the search began. Here the
    matrix goes in with one call per kind, and the time limit counts from the call to solve.
    """

    def __init__(
        self,
        warm: list[tuple[pulp.LpVariable, float]],
        ticker: _Ticker,
        deadline: float,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        self.warm = warm
        self.ticker = ticker
        self.deadline = deadline
        self.info: object = None
        self.columns: list[pulp.LpVariable] = []
        self.matrix: Matrix | None = None
        self.log: Path | None = None
        self.nodes: int | None = None
        self.on_plan: PlanSink | None = None
        self.model_status = ""

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        import highspy

        cols = self.columns = lp.variables()
        self.matrix = matrix_of(lp, cols, highspy.kHighsInf)
        load(lp.solverModel, self.matrix, integral=bool(self.mip))

    def findSolutionValues(self, lp: pulp.LpProblem) -> tuple[int, int]:
        import highspy

        h = lp.solverModel
        status = h.getModelStatus()
        has_solution = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
        for v, x in zip(self.columns, list(h.getSolution().col_value), strict=False):
            v.varValue = x
        ms = highspy.HighsModelStatus
        if status in (ms.kOptimal, ms.kModelEmpty):
            return pulp.LpStatusOptimal, pulp.LpSolutionOptimal
        if status in (ms.kInfeasible, ms.kUnboundedOrInfeasible):
            return pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible
        if status == ms.kUnbounded:
            return pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded
        if has_solution:
            return pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible
        return pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound

    def callSolver(self, lp: pulp.LpProblem) -> None:
        h = lp.solverModel
        # never on the terminal; into a log file only when one was asked for
        h.setOptionValue("output_flag", self.log is not None)
        h.setOptionValue("log_to_console", False)
        if self.log is not None:
            h.setOptionValue("log_file", str(self.log))
        h.setOptionValue("random_seed", SEED % 2_147_483_647)
        for option, value in HIGHS_OPTIONS.items():
            h.setOptionValue(option, value)
        h.setOptionValue("time_limit", max(1.0, self.deadline - time.perf_counter()))
        if self.nodes is not None:
            h.setOptionValue("mip_max_nodes", max(1, self.nodes))
        cols = self.columns
        warm = [
            (v.index, val)
            for v, val in self.warm
            if getattr(v, "index", None) is not None and v.index < len(cols) and cols[v.index] is v
        ]
        if warm:
            index = np.array([k for k, _ in warm], dtype=np.int32)
            start_values = np.array([val for _, val in warm], dtype=float)
            h.setSolution(len(index), index, start_values)
        sign = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        ticker = self.ticker

        deadline = self.deadline

        def on_mip(event: object) -> None:
            out = event.data_out  # type: ignore[attr-defined]
            if abs(out.mip_primal_bound) < 1e49:
                ticker.objective = sign * out.mip_primal_bound
            if abs(out.mip_dual_bound) < 1e49:
                ticker.bound = sign * out.mip_dual_bound
            # HiGHS checks its own time limit only between some steps; on large models a
            # sub-MIP ran 15 s past it
            if time.perf_counter() > deadline:
                event.interrupt()  # type: ignore[attr-defined]

        def on_lp(event: object) -> None:
            # the root LP and the cut loop of a large model call only the LP interrupt: at
            # 1000x48x12 the solve ran 11 s past a 55 s limit before this
            if time.perf_counter() > deadline:
                event.interrupt()  # type: ignore[attr-defined]

        on_plan = self.on_plan

        def on_solution(event: object) -> None:
            out = event.data_out  # type: ignore[attr-defined]
            assert on_plan is not None
            on_plan(sign * out.objective_function_value, np.asarray(out.mip_solution))

        if on_plan is not None:
            h.cbMipSolution.subscribe(on_solution)
        h.cbMipInterrupt.subscribe(on_mip)
        h.cbSimplexInterrupt.subscribe(on_lp)
        h.cbIpmInterrupt.subscribe(on_lp)
        h.run()
        self.info = h.getInfo()
        self.model_status = h.modelStatusToString(h.getModelStatus())


def solve_model(
    model: BuiltModel,
    options: SolveOptions = SolveOptions(),
    *,
    warm_start: Mapping[str, int] | None = None,
    progress: Progress | None = None,
    stage: str = "solve",
    abs_gap: float | None = None,
) -> SolveReport:
    """Solve ``model`` in place (variable values are set) and report how it went.

    ``options``: solver, time limit, gap and threads of this run (left None: ``DEFAULT_TIME_LIMIT``
    and ``DEFAULT_GAP``; ``solve_plan`` settles them from the Settings sheet first). ``abs_gap``
    also stops the search when bound and plan are that close in objective units (an integer
    objective is proven once they are less than 1 apart).
    """
    name = choose_solver(options.solver)
    limits = Limits.of(options, abs_gap)
    gap = limits.gap
    prob = model.prob
    warm_vars = model.warm_values(warm_start) if warm_start else []
    # CBC is better off without the baseline (500x36x10 at 60 s: 9.45 % with it, 1.61 % without,
    # models/formulation.md §11); the baseline stays the fallback when CBC finds nothing in time
    fallback = warm_vars if name == "cbc" else []
    if name == "cbc":
        warm_vars = []
    began = time.perf_counter()
    run = {"highs": _run_highs, "scip": _run_scip}.get(name, _run_cbc)
    try:
        result = run(
            prob,
            warm_vars,
            limits,
            _Ticker(progress, stage, None),
            model.harvest.offer if model.harvest is not None else None,
        )
        status, bound, version = result.status, result.bound, result.version
    except pulp.PulpSolverError as exc:
        # e.g. the solver process crashed: a status to report, not a traceback to show
        return SolveReport(
            SolveStatus.ERROR,
            solver=name,
            build_seconds=model.build_seconds,
            solve_seconds=time.perf_counter() - began,
            variables=model.variable_count(),
            constraints=len(prob.constraints),
            message=f"the {name} solver failed: {exc}",
        )
    seconds = time.perf_counter() - began
    if fallback and status == pulp.LpStatusNotSolved:
        for v, value in fallback:
            v.varValue = value
        status, prob.sol_status = pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible
        version += " (no plan of its own in time: the improved baseline plan)"
    model.matrix = result.matrix  # the model as the solver saw it, for the why-not re-solves
    model.sync_x()
    report = _normalise(prob, status, name, version, seconds, model, result.stopped)
    report = replace(report, nodes=result.nodes)
    maximise = prob.sense == pulp.LpMaximize
    if report.status.has_plan:
        if report.status is SolveStatus.OPTIMAL and bound is None and report.objective is not None:
            # CBC closed its tree with the relative-gap cutoff: the optimum is at most that far.
            step = gap * abs(report.objective)
            bound = report.objective + (step if maximise else -step)
        report = replace(report, bound=bound, gap=relative_gap(report.objective, bound))
    return report


def _highs_version() -> str:
    import highspy

    h = highspy.Highs()
    return f"HiGHS {h.version()}" if hasattr(h, "version") else "HiGHS"


@dataclass(frozen=True)
class Limits:
    time_limit: float
    gap: float
    threads: int | None
    abs_gap: float | None = None
    nodes: int | None = None  # branch-and-bound nodes at most (HiGHS): work, not time

    @classmethod
    def of(cls, options: SolveOptions, abs_gap: float | None = None) -> Limits:
        return cls(
            DEFAULT_TIME_LIMIT if options.time_limit is None else options.time_limit,
            DEFAULT_GAP if options.gap is None else options.gap,
            options.threads or None,
            abs_gap,
            options.nodes,
        )


@dataclass(frozen=True)
class RunResult:
    """What a solver run says, before it is normalised into a ``SolveReport``."""

    status: int  # pulp status
    bound: float | None
    version: str
    matrix: Matrix | None = None  # the model as HiGHS saw it (HiGHS only)
    nodes: int = 0  # branch-and-bound nodes (HiGHS only)
    # what ended a search that stopped short of its gap: "work" (the node budget: the same on
    # any machine) or "time" (the clock: the result depends on the machine's speed and load)
    stopped: str = ""


# Where the solver's own output goes: nowhere (the default) or appended to this file.
_SOLVER_LOG: list[Path] = []


@contextmanager
def solver_log(path: Path | None) -> Iterator[None]:
    """Within the block, every solve appends the solver's log to ``path`` (None: no log).

    The solvers are always told to stay silent on the terminal; their log goes to a temporary
    file first, appended here after each solve, so that several solves keep every log."""
    if path is None:
        yield
        return
    Path(path).write_text("")
    _SOLVER_LOG.append(Path(path))
    try:
        yield
    finally:
        _SOLVER_LOG.pop()


def current_solver_log() -> Path | None:
    return _SOLVER_LOG[-1] if _SOLVER_LOG else None


def _append_log(source: Path, title: str) -> None:
    target = current_solver_log()
    if target is None or not source.exists():
        return
    with open(target, "a", encoding="utf-8") as out:
        out.write(f"===== {title} =====\n")
        out.write(source.read_text(encoding="utf-8", errors="replace"))
        out.write("\n")


# Called with (model-sense objective, full column vector) for every feasible plan the solver
# reports on its way (HiGHS only; CBC and SCIP through pulp report none).
PlanSink = Callable[[float, np.ndarray], None]


def _run_highs(
    prob: pulp.LpProblem,
    warm: list[tuple[pulp.LpVariable, float]],
    lim: Limits,
    ticker: _Ticker,
    on_plan: PlanSink | None = None,
) -> RunResult:
    with tempfile.TemporaryDirectory(prefix="roadmap-") as tmp:
        log = Path(tmp) / "highs.log" if current_solver_log() is not None else None
        result = _run_highs_logged(prob, warm, lim, ticker, log, on_plan)
        if log is not None:
            _append_log(log, f"HiGHS, {ticker.stage}")
    return result


def _run_highs_logged(
    prob: pulp.LpProblem,
    warm: list[tuple[pulp.LpVariable, float]],
    lim: Limits,
    ticker: _Ticker,
    log: Path | None,
    on_plan: PlanSink | None = None,
) -> RunResult:
    cmd = _Highs(
        warm,
        ticker,
        time.perf_counter() + lim.time_limit,
        msg=False,
        timeLimit=lim.time_limit,
        gapRel=lim.gap,
        gapAbs=lim.abs_gap,
        threads=lim.threads,
    )
    cmd.log = log
    cmd.on_plan = on_plan
    cmd.nodes = lim.nodes
    with ticker:
        status = prob.solve(cmd)
    bound = None
    info = cmd.info
    if info is not None and abs(info.mip_dual_bound) < 1e49:  # type: ignore[attr-defined]
        sign = -1.0 if prob.sense == pulp.LpMaximize else 1.0
        bound = sign * info.mip_dual_bound  # type: ignore[attr-defined]
    stopped = ""
    if cmd.model_status == "Solution limit reached":
        stopped = "work"
    elif cmd.model_status in ("Time limit reached", "Interrupted by user"):
        stopped = "time"
    nodes = int(info.mip_node_count) if info is not None else 0  # type: ignore[attr-defined]
    return RunResult(int(status), bound, _highs_version(), cmd.matrix, nodes, stopped)


def _run_cbc(
    prob: pulp.LpProblem,
    warm: list[tuple[pulp.LpVariable, float]],
    lim: Limits,
    ticker: _Ticker,
    on_plan: PlanSink | None = None,  # not reported through pulp
) -> RunResult:
    maximise = prob.sense == pulp.LpMaximize
    with tempfile.TemporaryDirectory(prefix="roadmap-") as tmp:
        log = Path(tmp) / "cbc.log"

        def poll() -> None:
            if log.exists():
                ticker.objective, ticker.bound = _cbc_log_figures(log.read_text(), maximise)

        ticker.poll = poll
        _set_initial(warm)
        cmd = pulp.PULP_CBC_CMD(
            msg=False,
            timeLimit=lim.time_limit,
            gapRel=lim.gap,
            gapAbs=lim.abs_gap,
            threads=lim.threads,
            warmStart=bool(warm),
            logPath=str(log),
            options=[f"randomCbcSeed {SEED % 100000}", f"randomSeed {SEED % 100000}"],
        )
        cmd.tmpDir = tmp  # pulp's model and solution files too, so an interruption leaves none
        with ticker:
            status = prob.solve(cmd)
        text = log.read_text() if log.exists() else ""
        _append_log(log, f"CBC, {ticker.stage}")
    # Only the final summary of a stopped search states a current bound; progress lines go
    # stale once the tree is closed.
    final = _CBC_FINAL_BOUND.findall(text)
    bound = float(final[-1]) if final else None
    stopped = "time" if prob.sol_status == pulp.LpSolutionIntegerFeasible else ""
    return RunResult(int(status), bound, _cbc_version(text), stopped=stopped)


def _run_scip(
    prob: pulp.LpProblem,
    warm: list[tuple[pulp.LpVariable, float]],
    lim: Limits,
    ticker: _Ticker,
    on_plan: PlanSink | None = None,  # not reported through pulp
) -> RunResult:
    """SCIP through pulp (``SCIP_PY``). pulp reports a stop on time with a plan as Not Solved;
    here it becomes Optimal with an integer-feasible solution, as for the other two."""
    _set_initial(warm)
    cmd = pulp.SCIP_PY(
        msg=False,
        timeLimit=lim.time_limit,
        gapRel=lim.gap,
        gapAbs=lim.abs_gap,
        warmStart=bool(warm),
        options=["randomization/randomseedshift", SEED % 1000],
    )
    with ticker:
        status = prob.solve(cmd)
    m = prob.solverModel
    state = m.getStatus()
    has_plan = m.getNSols() > 0
    if state == "infeasible":
        status = pulp.LpStatusInfeasible
    elif has_plan and state in ("optimal", "gaplimit"):
        status, prob.sol_status = pulp.LpStatusOptimal, pulp.LpSolutionOptimal
    elif has_plan:
        status, prob.sol_status = pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible
    bound = float(m.getDualbound()) if has_plan and abs(m.getDualbound()) < 1e19 else None
    stopped = "time" if prob.sol_status == pulp.LpSolutionIntegerFeasible else ""
    return RunResult(int(status), bound, f"SCIP {m.version()}", stopped=stopped)


def _cbc_version(log: str) -> str:
    found = re.search(r"^Version:\s*(\S+)", log, re.M)
    return f"CBC {found.group(1)}" if found else "CBC"


def _set_initial(warm_vars: list[tuple[pulp.LpVariable, float]]) -> None:
    for v, val in warm_vars:
        v.setInitialValue(val, check=False)


def _normalise(
    prob: pulp.LpProblem,
    status: int,
    solver: str,
    version: str,
    seconds: float,
    model: BuiltModel,
    stopped: str = "",
) -> SolveReport:
    sol = prob.sol_status
    if status == pulp.LpStatusOptimal and sol == pulp.LpSolutionOptimal:
        state, message = SolveStatus.OPTIMAL, "proven optimal within the requested gap"
    elif status == pulp.LpStatusOptimal and sol == pulp.LpSolutionIntegerFeasible:
        state = SolveStatus.FEASIBLE
        message = (
            "stopped at its work limit (branch-and-bound nodes) with a plan in hand"
            if stopped == "work"
            else "stopped at the time limit with a plan in hand"
        )
    elif status == pulp.LpStatusInfeasible:
        state, message = SolveStatus.INFEASIBLE, "no plan satisfies every hard limit"
    elif status == pulp.LpStatusNotSolved:
        state, message = SolveStatus.NO_SOLUTION, "time ran out before any plan was found"
    else:
        state, message = SolveStatus.ERROR, f"solver status {pulp.LpStatus.get(status, status)}"
    objective = pulp.value(prob.objective) if state.has_plan else None
    return SolveReport(
        status=state,
        solver=solver,
        solver_version=version,
        objective=None if objective is None else float(objective),
        build_seconds=model.build_seconds,
        solve_seconds=seconds,
        variables=model.variable_count(),
        constraints=len(prob.constraints),
        message=message,
        clock_stopped=stopped == "time" or state is SolveStatus.NO_SOLUTION,
    )
