"""Placing the forced work when placing it in dependency order does not fit.

Serial schedule generation: repeatedly take, among the forced initiatives whose predecessors
are all placed, the one with the smallest priority key and place it at its earliest start that
keeps every limit (budget, capacity, change limit, window). The first pass uses the latest
allowed start as the key (the most urgent first). When an initiative cannot be placed, the pass
stops and the next one moves that initiative ahead of everything it lost to (its key drops below
the smallest key so far): a backtrack on the priority list rather than on single starts. Later
passes also draw keys at random around the latest starts (regret-biased sampling), which is how
project-scheduling heuristics find short schedules.

``minimise_finish`` keeps searching after the first success for the pass whose forced work ends
earliest (the earliest-completion objective); otherwise the first placement that fits is kept.
It then also cycles through other priority rules of the project-scheduling literature (latest
finish, most total successors, greatest work), each sampled at random around its order, and
improves every schedule found by forward-backward improvement (``justify``): every initiative
moved as late as it can go before the finish, latest first, then as early as it can go in the
order of those late starts; repeated while the finish drops. A justified schedule never ends
later than the one it came from (the better of the two is kept).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from roadmap.optimize.flat_schedule import FlatScheduler

# Passes without a shorter schedule after which the search stops before its time is up.
STALE_PASSES = 2000
# Share of the passes (once a schedule is found) drawn near the best one rather than a rule.
NEAR_BEST = 0.5


class _State(Protocol):
    starts: dict[str, int]

    def copy(self) -> Any: ...


class _Scheduler(Protocol):
    windows: Mapping[str, Any]
    state: Any

    def find_start(self, iid: str, state: Any, preds: list[tuple[str, int]]) -> int | str: ...

    def place(self, iid: str, s: int, state: Any) -> None: ...

    def last_start(self, iid: str, lo: int, hi: int, state: Any) -> int | None: ...

    def feasible(self, iid: str, lo: int, hi: int, state: Any) -> np.ndarray: ...

    def ready_after(self, iid: str, state: Any, preds: list[tuple[str, int]]) -> int | None: ...


@dataclass
class Construction:
    """What the search did: the best state found (None: no placement), and how it got there."""

    state: Any | None
    passes: int = 0
    finish: int | None = None  # end of the forced work in the best state (exclusive)
    last_failure: tuple[str, str] | None = None  # (initiative, reason) of the latest failed pass
    seconds: float = 0.0
    failures: dict[str, int] = field(default_factory=dict)
    first_finish: int | None = None  # finish of the first pass that placed everything
    justified: int = 0  # schedules that forward-backward improvement made shorter

    def summary(self) -> str:
        return (
            f"{self.passes} priority order{'s' if self.passes != 1 else ''} in {self.seconds:.1f} s"
        )


def tails(
    forced: Sequence[str],
    durations: Mapping[str, int],
    succs: Mapping[str, list[tuple[str, int]]],
    order: Sequence[str],
) -> dict[str, int]:
    """Longest path (durations and lags) from an initiative's start to the end of the work in
    ``forced`` that follows it: no plan that ends that work by U starts it after U - tail."""
    inside = set(forced)
    tail: dict[str, int] = {}
    for iid in reversed(order):
        if iid not in inside:
            continue
        tail[iid] = durations[iid] + max(
            (lag + tail[s] for s, lag in succs.get(iid, []) if s in tail), default=0
        )
    return tail


def place_forced(
    sched: _Scheduler,
    forced: Sequence[str],
    preds: Mapping[str, list[tuple[str, int]]],
    durations: Mapping[str, int],
    order: Sequence[str],
    *,
    seconds: float,
    minimise_finish: bool = False,
    seed: int = 20270101,
    max_passes: int = 100_000,
    enough: int = 0,
    work: Mapping[str, float] | None = None,
    flat: bool = True,
) -> Construction:
    """Serial schedule generation over priority lists, within ``seconds`` (at least one pass);
    ``minimise_finish`` stops early at a finish of ``enough`` (a lower bound). ``work`` (FTE
    periods per initiative) feeds the greatest-work priority rule."""
    began = time.perf_counter()
    general, lists = sched, None
    needs = sched.flat_needs(forced) if flat and hasattr(sched, "flat_needs") else None
    if needs is not None:
        sched = lists = FlatScheduler(general, needs, durations)  # same search, far faster
    rng = np.random.default_rng(seed)
    inside = set(forced)
    fpreds = {iid: [(p, lag) for p, lag in preds.get(iid, []) if p in inside] for iid in forced}
    succs: dict[str, list[tuple[str, int]]] = {iid: [] for iid in forced}
    for iid in forced:
        for p, lag in fpreds[iid]:
            succs[p].append((iid, lag))
    base = {iid: float(sched.windows[iid].latest) for iid in forced}
    spread = max(1.0, float(np.std(list(base.values())))) if base else 1.0
    rank = {iid: k for k, iid in enumerate(order)}
    rules = [base]
    if minimise_finish:
        rules += _other_rules(forced, base, durations, succs, work or {}, rank)
    bump: dict[str, float] = {}
    start_state = sched.state
    result = Construction(None)
    last_gain = 0
    while result.passes < max_passes:
        result.passes += 1
        rule = rules[(result.passes - 1) % len(rules)]
        if result.passes <= len(rules):
            key = dict(rule)  # each rule once as it is, then sampled around it
        elif minimise_finish and result.state is not None and rng.random() < NEAR_BEST:
            # near the best schedule: its own starts as the priority, slightly shaken
            width = float(rng.choice((2.0, 5.0, 10.0)))
            noise = rng.random(len(forced)) * width
            best = result.state.starts
            key = {iid: best[iid] + float(n) for iid, n in zip(forced, noise, strict=True)}
        else:
            scale = 0.5 if result.state is None else float(rng.choice((0.25, 0.5, 1.0)))
            noise = rng.random(len(forced)) * spread * scale
            key = {iid: rule[iid] + float(n) for iid, n in zip(forced, noise, strict=True)}
        for iid, b in bump.items():
            key[iid] -= b
        state = start_state.copy()
        failed = _one_pass(sched, state, forced, fpreds, preds, succs, key, rank)
        if failed is None:
            finish = _finish(state, forced, durations)
            if result.first_finish is None:
                result.first_finish = finish
            if minimise_finish and finish > enough:
                better = justify(sched, start_state, state, forced, preds, succs, durations, rank)
                if better is not None and _finish(better, forced, durations) < finish:
                    state, finish = better, _finish(better, forced, durations)
                    result.justified += 1
            if result.finish is None or finish < result.finish:
                result.state, result.finish = state, finish
                last_gain = result.passes
            if not minimise_finish or finish <= enough:
                break
        else:
            iid, _ = failed
            result.last_failure = failed
            result.failures[iid] = result.failures.get(iid, 0) + 1
            # move the one that did not fit (and what it waits for) ahead of the rest
            lift = spread * result.failures[iid] + (max(key.values()) - min(key.values()))
            for j in _with_ancestors(iid, fpreds):
                bump[j] = bump.get(j, 0.0) + lift
        if time.perf_counter() - began > seconds:
            break
        if result.state is not None and result.passes - last_gain > STALE_PASSES:
            break  # long without a shorter schedule: more of the same rarely helps
    if lists is not None and result.state is not None:
        result.state = lists.replay(result.state, forced)
        if result.state is None:  # cannot happen unless the flat view misses a limit
            return place_forced(
                general,
                forced,
                preds,
                durations,
                order,
                seconds=seconds,
                minimise_finish=minimise_finish,
                seed=seed,
                max_passes=max_passes,
                enough=enough,
                work=work,
                flat=False,
            )
    result.seconds = time.perf_counter() - began
    return result


def _finish(state: Any, forced: Sequence[str], durations: Mapping[str, int]) -> int:
    return max((state.starts[i] + durations[i] for i in forced), default=0)


def _other_rules(
    forced: Sequence[str],
    base: Mapping[str, float],
    durations: Mapping[str, int],
    succs: Mapping[str, list[tuple[str, int]]],
    work: Mapping[str, float],
    rank: Mapping[str, int],
) -> list[dict[str, float]]:
    """Latest finish, most total successors, greatest work: each as an order laid on the values
    of the latest-start keys (smallest first), so that the same random spread suits every rule."""
    below: dict[str, set[str]] = {}
    for iid in sorted(forced, key=lambda j: -rank.get(j, 0)):  # successors first
        seen: set[str] = set()
        for s, _ in succs.get(iid, []):
            seen |= below.get(s, set()) | {s}
        below[iid] = seen
    scores = [
        {i: base[i] + durations[i] for i in forced},
        {i: -float(len(below[i])) for i in forced},
        {i: -float(work.get(i, 0.0)) for i in forced},
    ]
    values = sorted(base.values())
    out = []
    for score in scores:
        ranked = sorted(forced, key=lambda j: (score[j], base[j], rank.get(j, 0)))
        out.append({iid: values[k] for k, iid in enumerate(ranked)})
    return out


def justify(
    sched: _Scheduler,
    start_state: Any,
    state: Any,
    forced: Sequence[str],
    preds: Mapping[str, list[tuple[str, int]]],
    succs: Mapping[str, list[tuple[str, int]]],
    durations: Mapping[str, int],
    rank: Mapping[str, int],
) -> Any | None:
    """Forward-backward improvement of a complete schedule ``state`` of ``forced``, repeated
    while its finish drops; None when the first backward pass finds no place for one initiative.

    Backward: latest finish first, each at its latest start that keeps every limit, ends by the
    schedule's finish F and leaves lag before the (already moved) successors. Forward: in the
    order of those late starts, each at its earliest feasible start. With constant limits the
    forward schedule never ends later than F (each start at most its late start, by induction);
    budgets and capacity that change over time can break that, so the caller keeps the shorter.
    """
    inside = set(forced)
    outside = {
        iid: [(p, lag) for p, lag in preds.get(iid, []) if p not in inside] for iid in forced
    }
    best = None
    current = state
    finish = _finish(state, forced, durations)
    while True:
        late = start_state.copy()
        by_end = sorted(
            forced,
            key=lambda i: (current.starts[i] + durations[i], current.starts[i], rank.get(i, 0)),
            reverse=True,
        )
        for iid in by_end:
            hi = min(sched.windows[iid].latest, finish - durations[iid])
            for s, lag in succs.get(iid, []):
                if s not in late.starts:
                    return best
                hi = min(hi, late.starts[s] - lag - durations[iid])
            lo = sched.ready_after(iid, late, outside[iid])
            at = None if lo is None else sched.last_start(iid, lo, hi, late)
            if at is None:
                return best
            sched.place(iid, at, late)
        early = start_state.copy()
        for iid in sorted(forced, key=lambda i: (late.starts[i], rank.get(i, 0))):
            start = sched.find_start(iid, early, list(preds.get(iid, [])))
            if isinstance(start, str):
                return best
            sched.place(iid, start, early)
        now = _finish(early, forced, durations)
        if now >= finish:
            return best
        best, current, finish = early, early, now


def _with_ancestors(iid: str, fpreds: Mapping[str, list[tuple[str, int]]]) -> set[str]:
    seen: set[str] = set()
    stack = [iid]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(p for p, _ in fpreds.get(node, []))
    return seen


def _one_pass(
    sched: _Scheduler,
    state: Any,
    forced: Sequence[str],
    fpreds: Mapping[str, list[tuple[str, int]]],
    preds: Mapping[str, list[tuple[str, int]]],
    succs: Mapping[str, list[tuple[str, int]]],
    key: Mapping[str, float],
    rank: Mapping[str, int],
) -> tuple[str, str] | None:
    """Place every forced initiative in priority order; (initiative, reason) when one fails."""
    waiting = {iid: len(fpreds[iid]) for iid in forced}
    ready = [iid for iid in forced if waiting[iid] == 0]
    while ready:
        iid = min(ready, key=lambda j: (key[j], rank.get(j, 0)))
        ready.remove(iid)
        start = sched.find_start(iid, state, preds.get(iid, []))
        if isinstance(start, str):
            return iid, start
        sched.place(iid, start, state)
        for s, _ in succs[iid]:
            waiting[s] -= 1
            if waiting[s] == 0:
                ready.append(s)
    for iid in forced:
        if iid not in state.starts:
            return iid, "a predecessor it needs could not be placed"
    return None
