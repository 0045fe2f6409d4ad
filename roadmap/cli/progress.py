"""Progress on stderr while solving: a bar on a terminal (click's), a line every few seconds
otherwise. Nothing at all with --quiet.

One solve: the bar runs against the time limit and shows the best plan found and, when it means
something, the proven gap. The why-not stage: initiatives priced of all left out. The gap is
shown only against a positive objective (a relative gap against a negative or near-zero
objective says nothing)."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

LINE_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal


def meaningful_gap(objective: float | None, bound: float | None, gap: float | None) -> bool:
    return (
        gap is not None
        and objective is not None
        and bound is not None
        and objective > 0
        and bound >= 0
        and gap < 10.0
    )


def describe(event: Any) -> str:
    """The figures of one progress event in words (no stage name)."""
    parts: list[str] = []
    done, total = getattr(event, "done", None), getattr(event, "total", None)
    if done is not None and total is not None:
        parts.append(f"{done}/{total} priced")
    parts.append(f"{getattr(event, 'elapsed', 0.0):.1f} s")
    objective = getattr(event, "objective", None)
    if objective is not None:
        parts.append(f"best {objective:,.0f}")
        if meaningful_gap(objective, getattr(event, "bound", None), getattr(event, "gap", None)):
            parts.append(f"gap {event.gap:.2%}")
    return "  ".join(parts)


class SolveProgress:
    """Callable given to ``solve_plan(progress=...)``; ``with SolveProgress(...) as progress``
    closes the bar however the solve ends."""

    def __init__(self, quiet: bool, time_limit: float | None = None, stream: Any = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.limit = max(1.0, float(time_limit or 60.0))
        self.stage: str | None = None
        self.bar: Any = None
        self.pos = 0
        self.text = ""
        self.last = 0.0

    def __call__(self, event: Any) -> None:
        if self.quiet:
            return
        stage = getattr(event, "stage", "solve")
        if not self.tty:
            now = time.perf_counter()
            final = getattr(event, "done", None) is not None and event.done == event.total
            if stage != self.stage or final or now - self.last >= LINE_EVERY:
                self.stage, self.last = stage, now
                click.echo(f"{stage}: {describe(event)}", file=self.stream)
            return
        total = getattr(event, "total", None)
        if stage != self.stage:
            self._close()
            self.stage = stage
            length = int(total) if total else int(self.limit * 10)
            label = {"solve": "Solving", "why-not": "Why not", "diagnose": "Diagnosing"}
            self.bar = click.progressbar(
                length=max(1, length),
                label=label.get(stage, stage),
                file=self.stream,
                show_pos=bool(total),
                show_percent=False,
                show_eta=False,
                item_show_func=lambda _: self.text,
            )
            self.bar.__enter__()
            self.pos = 0
        self.text = describe(event)
        target = int(event.done) if total else int(min(event.elapsed, self.limit) * 10)
        step = max(0, min(target, self.bar.length) - self.pos)
        self.pos += step
        self.bar.update(step, current_item=self.text)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def done(self) -> None:
        self._close()

    def __enter__(self) -> SolveProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()


class CountBar:
    """Jobs done of all (re-solved worlds): click's bar on a terminal, a line every few seconds
    otherwise (and always the last); nothing when ``quiet``. ``with CountBar(...) as bar``,
    then ``bar.tick(text)`` as each job finishes, ``text`` saying how it ended."""

    def __init__(self, total: int, label: str, quiet: bool, stream: Any = None) -> None:
        self.total, self.label, self.quiet, self.done = total, label, quiet, 0
        self.stream = stream or sys.stderr
        self.began = self.last = time.perf_counter()
        self.text = ""
        self.bar: Any = None

    def __enter__(self) -> CountBar:
        if not self.quiet and self.total and getattr(self.stream, "isatty", lambda: False)():
            self.bar = click.progressbar(
                length=self.total,
                label=self.label,
                file=self.stream,
                show_pos=True,
                show_percent=False,
                show_eta=False,
                item_show_func=lambda _: self.text,
            )
            self.bar.__enter__()
        return self

    def tick(self, text: str = "") -> None:
        self.done += 1
        if self.quiet:
            return
        now = time.perf_counter()
        self.text = (
            f"{now - self.began:.1f} s  last: {text}" if text else f"{now - self.began:.1f} s"
        )
        if self.bar is not None:
            self.bar.update(1, current_item=self.text)
        elif self.done == self.total or now - self.last >= LINE_EVERY:
            self.last = now
            click.echo(f"{self.label}: {self.done}/{self.total}  {self.text}", file=self.stream)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
            self.bar = None
