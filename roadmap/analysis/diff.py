"""What changed between two plans: initiatives added, dropped or moved, and the headline figures.

Pure: two ``PlanSnapshot`` values in (read from plan workbooks by ``input.plan_workbook``, or
built from plans in code), one ``PlanDiff`` out. An initiative has moved when its start or its
go-live changed; a figure has changed when it differs by more than a rounding error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from roadmap.domain import PlanSnapshot, SnapshotRow, SnapshotValue

TOLERANCE = 1e-9  # relative; below it two figures are the same number written twice


@dataclass(frozen=True)
class Move:
    id: str
    name: str
    old_start: date | None
    new_start: date | None
    old_go_live: date | None
    new_go_live: date | None

    @property
    def shift_days(self) -> int | None:
        """Days the start moved (later is positive); None when a start is unknown."""
        if self.old_start is None or self.new_start is None:
            return None
        return (self.new_start - self.old_start).days


@dataclass(frozen=True)
class FigureChange:
    label: str
    old: SnapshotValue
    new: SnapshotValue

    @property
    def change(self) -> float | None:
        """new - old for numbers; None otherwise."""
        if _is_number(self.old) and _is_number(self.new):
            return float(self.new) - float(self.old)  # type: ignore[arg-type]
        return None

    @property
    def relative(self) -> float | None:
        delta = self.change
        if delta is None or abs(float(self.old)) < 1e-12:  # type: ignore[arg-type]
            return None
        return delta / abs(float(self.old))  # type: ignore[arg-type]

    @property
    def changed(self) -> bool:
        if _is_number(self.old) and _is_number(self.new):
            old, new = float(self.old), float(self.new)  # type: ignore[arg-type]
            return abs(new - old) > TOLERANCE * max(1.0, abs(old), abs(new))
        return _text(self.old) != _text(self.new)


@dataclass(frozen=True)
class PlanDiff:
    old_source: str
    new_source: str
    added: tuple[SnapshotRow, ...]
    dropped: tuple[SnapshotRow, ...]
    moved: tuple[Move, ...]
    unchanged: tuple[str, ...]  # ids kept on the same dates
    figures: tuple[FigureChange, ...]  # every figure either plan shows, in the new plan's order
    percent: frozenset[str] = frozenset()  # figure labels shown as percentages
    formats: tuple[tuple[str, str], ...] = ()  # (label, number format): the new plan's win

    @property
    def changed_figures(self) -> tuple[FigureChange, ...]:
        return tuple(f for f in self.figures if f.changed)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.dropped or self.moved or self.changed_figures)


def _is_number(value: SnapshotValue) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: SnapshotValue) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def diff_plans(old: PlanSnapshot, new: PlanSnapshot) -> PlanDiff:
    """Compare two plans. Added and moved follow the new plan's row order, dropped the old one's."""
    before, after = old.by_id(), new.by_id()
    added = tuple(r for r in new.rows if r.id not in before)
    dropped = tuple(r for r in old.rows if r.id not in after)
    moved: list[Move] = []
    unchanged: list[str] = []
    for r in new.rows:
        o = before.get(r.id)
        if o is None:
            continue
        if o.start != r.start or o.go_live != r.go_live:
            moved.append(Move(r.id, r.name or o.name, o.start, r.start, o.go_live, r.go_live))
        else:
            unchanged.append(r.id)
    return PlanDiff(
        old.source,
        new.source,
        added,
        dropped,
        tuple(moved),
        tuple(unchanged),
        _figures(old.figures, new.figures),
        old.percent | new.percent,
        tuple({**dict(old.formats), **dict(new.formats)}.items()),
    )


def _figures(
    old: Sequence[tuple[str, SnapshotValue]], new: Sequence[tuple[str, SnapshotValue]]
) -> tuple[FigureChange, ...]:
    before = dict(old)
    after = dict(new)
    labels = [label for label, _ in new] + [label for label, _ in old if label not in after]
    return tuple(FigureChange(label, before.get(label), after.get(label)) for label in labels)
