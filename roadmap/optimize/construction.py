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
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

# Passes without a shorter schedule after which the search stops before its time is up.
STALE_PASSES = 2000


class _State(Protocol):
    starts: dict[str, int]

    def copy(self) -> Any: ...


class _Scheduler(Protocol):
    windows: Mapping[str, Any]
    state: Any

    def find_start(self, iid: str, state: Any, preds: list[tuple[str, int]]) -> int | str: ...

    def place(self, iid: str, s: int, state: Any) -> None: ...


@dataclass
class Construction:
    """What the search did: the best state found (None: no placement), and how it got there."""

    state: Any | None
    passes: int = 0
    finish: int | None = None  # end of the forced work in the best state (exclusive)
    last_failure: tuple[str, str] | None = None  # (initiative, reason) of the latest failed pass
    seconds: float = 0.0
    failures: dict[str, int] = field(default_factory=dict)

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
) -> Construction:
    """Serial schedule generation over priority lists, within ``seconds`` (at least one pass);
    ``minimise_finish`` stops early at a finish of ``enough`` (a lower bound)."""
    began = time.perf_counter()
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
    bump: dict[str, float] = {}
    start_state = sched.state
    result = Construction(None)
    last_gain = 0
    while result.passes < max_passes:
        result.passes += 1
        if result.passes == 1:
            key = {iid: base[iid] for iid in forced}
        else:
            noise = rng.random(len(forced)) * spread * (0.5 if result.state is None else 1.0)
            key = {iid: base[iid] + float(n) for iid, n in zip(forced, noise, strict=True)}
        for iid, b in bump.items():
            key[iid] -= b
        state = start_state.copy()
        failed = _one_pass(sched, state, forced, fpreds, preds, succs, key, rank)
        if failed is None:
            finish = max((state.starts[i] + durations[i] for i in forced), default=0)
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
    result.seconds = time.perf_counter() - began
    return result


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
