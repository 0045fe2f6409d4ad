"""Programme finish from schedule generation: priority rules, sampling near the best schedule and
forward-backward improvement, on plain lists when only flat team capacity binds."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from roadmap.domain import BudgetLimit
from roadmap.money.calendar import Calendar
from roadmap.money.finance import start_values
from roadmap.optimize import schedule_generation as construction
from roadmap.optimize.derived import derive
from roadmap.optimize.flat_schedule import FlatScheduler
from roadmap.optimize.greedy import _Scheduler, greedy_plan
from roadmap.optimize.limits import budget_rows
from roadmap.optimize.milp.model.data import model_data
from roadmap.optimize.milp.search.programme import finish_lower_bound
from roadmap.optimize.plan_check import check_plan
from roadmap.optimize.windows import start_windows
from roadmap.testing.programmes import makespan, programme


def _values(p):
    return start_values(p, Calendar.from_settings(p.settings))


def _brute_makespan(prog) -> int:
    """Shortest programme by enumerating every start of every activity (index order is a
    topological order), straight from the plain arrays: precedence and capacity per period."""
    n, h = len(prog.durations), prog.horizon
    preds = [[a for a, b in prog.predecessors if b == j] for j in range(n)]
    use = [[0] * h for _ in prog.capacity]
    starts = [0] * n
    best = h + 1

    def fits(j: int, s: int) -> bool:
        return all(
            use[k][t] + prog.demand[j][k] <= prog.capacity[k]
            for k in range(len(prog.capacity))
            for t in range(s, s + prog.durations[j])
        )

    def add(j: int, s: int, sign: int) -> None:
        for k in range(len(prog.capacity)):
            for t in range(s, s + prog.durations[j]):
                use[k][t] += sign * prog.demand[j][k]

    def go(j: int, span: int) -> None:
        nonlocal best
        if j == n:
            best = min(best, span)
            return
        lo = max((starts[a] + prog.durations[a] for a in preds[j]), default=0)
        for s in range(lo, min(h, best - 1) - prog.durations[j] + 1):
            if fits(j, s):
                starts[j] = s
                add(j, s, 1)
                go(j + 1, max(span, s + prog.durations[j]))
                add(j, s, -1)

    go(0, 0)
    assert best <= h
    return best


def _searched(prog, seconds: float) -> dict[str, int]:
    p = prog.portfolio
    derived = derive(p, _values(p))
    lb = finish_lower_bound(model_data(derived))
    return greedy_plan(derived, construct_seconds=seconds, minimise_finish=True, finish_bound=lb)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_small_programmes_end_at_the_brute_force_minimum(seed: int) -> None:
    prog = programme(5, 2, seed, strength=0.2, max_duration=3, max_demand=5)
    starts = _searched(prog, 0.5)
    assert check_plan(prog.portfolio, starts) == []
    assert makespan(starts, prog) == _brute_makespan(prog)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_searched_first_plan_is_valid_and_never_later_than_the_plain_serial_one(seed: int) -> None:
    prog = programme(30, 4, seed, strength=0.2)
    p = prog.portfolio
    plain = greedy_plan(derive(p, _values(p)))  # dependency order, one pass
    searched = _searched(prog, 0.5)
    assert check_plan(p, searched) == []
    assert makespan(searched, prog) <= makespan(plain, prog)
    # the tight programmes leave the plain schedule well behind: the search is doing something
    assert makespan(searched, prog) < makespan(plain, prog)


def _scheduler(p):
    cal = Calendar.from_settings(p.settings)
    return _Scheduler(p, _values(p), start_windows(p, cal), cal, budget_rows(p, cal))


@pytest.mark.parametrize("seed", [1, 2])
def test_flat_lists_answer_as_the_general_scheduler(seed: int) -> None:
    """Earliest and latest feasible starts agree, one initiative at a time, on a filling plan."""
    prog = programme(30, 4, seed, strength=0.2)
    p = prog.portfolio
    general = _scheduler(p)
    ids = [i.id for i in p.initiatives]
    durations = {i.id: i.duration for i in p.initiatives}
    needs = general.flat_needs(ids)
    assert needs is not None
    flat = FlatScheduler(general, needs, durations)
    g_state, f_state = general.state.copy(), flat.state.copy()
    rng = np.random.default_rng(seed)
    for iid in rng.permutation(ids).tolist():
        w = general.windows[iid]
        lo = int(rng.integers(w.earliest, w.latest + 1))
        ok = general.feasible(iid, lo, w.latest, g_state)
        assert np.array_equal(ok, flat.feasible(iid, lo, w.latest, f_state))
        assert general.last_start(iid, lo, w.latest, g_state) == flat.last_start(
            iid, lo, w.latest, f_state
        )
        first = flat.earliest(iid, lo, w.latest, f_state)
        assert first == (lo + int(np.argmax(ok)) if ok.any() else None)
        if first is not None:
            general.place(iid, first, g_state)
            flat.place(iid, first, f_state)
    assert np.allclose(np.array(f_state.slack), g_state.slack)


def test_a_budget_keeps_the_general_scheduler_and_its_limits() -> None:
    prog = programme(8, 2, 3, strength=0.3)
    cal = Calendar.from_settings(prog.portfolio.settings)
    budgets = tuple(BudgetLimit(1e9, period=cal.start(t)) for t in range(cal.horizon))
    p = dataclasses.replace(prog.portfolio, budgets=budgets)
    sched = _scheduler(p)
    assert sched.flat_needs([i.id for i in p.initiatives]) is None
    starts = _searched(dataclasses.replace(prog, portfolio=p), 0.3)
    assert check_plan(p, starts) == []


def test_forward_backward_improvement_never_ends_later() -> None:
    prog = programme(30, 4, 4, strength=0.2)
    p = prog.portfolio
    sched = _scheduler(p)
    ids = [i.id for i in p.initiatives]
    durations = {i.id: i.duration for i in p.initiatives}
    preds: dict[str, list[tuple[str, int]]] = {i: [] for i in ids}
    succs: dict[str, list[tuple[str, int]]] = {i: [] for i in ids}
    for dep in p.dependencies:
        preds[dep.successor].append((dep.predecessor, dep.lag))
        succs[dep.predecessor].append((dep.successor, dep.lag))
    rank = {iid: k for k, iid in enumerate(ids)}
    gained = 0
    rng = np.random.default_rng(7)
    for _ in range(10):
        key = {iid: float(x) for iid, x in zip(ids, rng.random(len(ids)), strict=True)}
        state = sched.state.copy()
        assert construction._one_pass(sched, state, ids, preds, preds, succs, key, rank) is None
        before = max(state.starts[i] + durations[i] for i in ids)
        better = construction.justify(sched, sched.state, state, ids, preds, succs, durations, rank)
        if better is not None:
            after = max(better.starts[i] + durations[i] for i in ids)
            assert after < before
            assert check_plan(p, dict(better.starts)) == []
            gained += 1
    assert gained > 0  # random orders leave room that justification recovers
