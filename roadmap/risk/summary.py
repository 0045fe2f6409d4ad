"""What a board reads from the samples: percentiles, probabilities, S-curves and the tornado.

Every figure here is an estimate from the samples (the workbook says how many and the seed):
percentiles of money are interpolated between samples (numpy's default), percentiles of
periods are sample values (the first period by which that share of the samples is done).

The tornado ranks what drives NPV and the programme finish by the change in the output's mean
(as @RISK's "change in output mean"): the mean over the samples where an input is in its lowest
tenth against the mean where it is in its highest tenth (for a risk event: did not happen,
happened), each shown against the overall mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roadmap.risk.evaluate import Outcomes, SpendLine
from roadmap.risk.sampling import Draws

PERCENTILES = (10, 50, 80, 90)
TORNADO_BARS = 10
TAIL = 0.1  # the share of samples at each end of an input's range, for the tornado
NOISE = 3.0  # a tornado bar must exceed this many standard errors of its two means' difference
# the S-curve's points: shares of the samples at or below (percent)
CURVE_POINTS = (0, 1, 2.5, 5, 7.5, *range(10, 91, 5), 92.5, 95, 97.5, 99, 100)


@dataclass(frozen=True)
class Spread:
    """Percentiles (P10, P50, P80, P90) and the mean of one figure over the samples."""

    p10: float
    p50: float
    p80: float
    p90: float
    mean: float
    std_error: float  # of the mean: the sampling error of this estimate

    @classmethod
    def of(cls, x: np.ndarray, periods: bool = False) -> Spread:
        q = list(PERCENTILES)
        got = np.percentile(x, q, method="inverted_cdf") if periods else np.percentile(x, q)
        p10, p50, p80, p90 = (float(v) for v in got)
        std = float(np.std(x, ddof=1)) if len(x) > 1 else 0.0
        return cls(p10, p50, p80, p90, float(np.mean(x)), std / float(np.sqrt(max(1, len(x)))))


@dataclass(frozen=True)
class LineRisk:
    line: SpendLine
    planned: float
    spread: Spread
    p_overrun: float | None  # None: no limit


@dataclass(frozen=True)
class GoLiveRisk:
    initiative: str
    planned: int  # go-live period index (exclusive end of the build)
    spread: Spread  # of the go-live period
    p_later: float  # later than planned
    p_missed: float | None  # after its Must finish by (None: no deadline)


@dataclass(frozen=True)
class Driver:
    name: str
    low: float  # the output's mean with the input at its low end, minus the overall mean
    high: float  # ... at its high end
    low_label: str = "lowest tenth"
    high_label: str = "highest tenth"

    @property
    def swing(self) -> float:
        return abs(self.high - self.low)


@dataclass(frozen=True)
class RiskSummary:
    samples: int
    seed: int | None
    distribution: str
    correlation: float
    planned_npv: float
    npv: Spread
    p_loss: float  # P(NPV < 0)
    p_below_plan: float  # P(NPV < the plan's)
    npv_curve: tuple[tuple[float, float], ...]  # (NPV, share of samples at or below)
    planned_finish: int
    finish: Spread
    finish_curve: tuple[tuple[int, float], ...]  # (finish period, share finished by then)
    p_on_time: float
    p_on_budget: float
    p_on_time_and_budget: float
    lines: tuple[LineRisk, ...]
    go_lives: tuple[GoLiveRisk, ...]
    teams: tuple[str, ...]
    p_overloaded: np.ndarray  # (T, H)
    load_p80: np.ndarray  # (T, H) FTE at P80
    ceiling: np.ndarray  # (T, H)
    tornado_npv: tuple[Driver, ...]
    tornado_finish: tuple[Driver, ...]


def summarise(outcomes: Outcomes, planned: Outcomes, draws: Draws) -> RiskSummary:
    """The figures of ``outcomes`` (the samples) against ``planned`` (the deterministic plan)."""
    o = outcomes
    npv = o.npv
    planned_npv = float(planned.npv[0])
    finish = o.finish
    planned_finish = int(planned.finish[0])
    on_time = finish <= planned_finish
    on_budget = o.on_budget()
    overrun = o.overrun()
    lines = tuple(
        LineRisk(
            line,
            float(planned.spend[0, r]),
            Spread.of(o.spend[:, r]),
            None if line.limit is None else float(overrun[:, r].mean()),
        )
        for r, line in enumerate(o.lines)
    )
    late = o.late()
    go_live = o.go_live
    planned_live = planned.go_live[0]
    go_lives = tuple(
        GoLiveRisk(
            iid,
            int(planned_live[j]),
            Spread.of(go_live[:, j], periods=True),
            float((go_live[:, j] > planned_live[j]).mean()),
            float(late[:, j].mean()) if o.deadlines[j] >= 0 else None,
        )
        for j, iid in enumerate(o.ids)
    )
    qs = np.array(CURVE_POINTS)
    curve = np.percentile(npv, qs)
    periods = range(int(finish.min()), int(finish.max()) + 1) if len(finish) else range(0)
    finish_curve = tuple((int(t), float((finish <= t).mean())) for t in periods)
    return RiskSummary(
        samples=o.samples,
        seed=draws.seed,
        distribution=draws.distribution,
        correlation=draws.correlation,
        planned_npv=planned_npv,
        npv=Spread.of(npv),
        p_loss=float((npv < 0).mean()),
        p_below_plan=float((npv < planned_npv - 0.005).mean()),
        npv_curve=tuple((float(v), float(q) / 100.0) for v, q in zip(curve, qs, strict=True)),
        planned_finish=planned_finish,
        finish=Spread.of(finish, periods=True),
        finish_curve=finish_curve,
        p_on_time=float(on_time.mean()),
        p_on_budget=float(on_budget.mean()),
        p_on_time_and_budget=float((on_time & on_budget).mean()),
        lines=lines,
        go_lives=go_lives,
        teams=o.teams,
        p_overloaded=o.overloaded().mean(axis=0),
        load_p80=np.percentile(o.load, 80, axis=0) if o.samples else o.ceiling * 0,
        ceiling=o.ceiling,
        tornado_npv=tornado(inputs(o, draws), npv),
        tornado_finish=tornado(inputs(o, draws), finish.astype(float)),
    )


def inputs(o: Outcomes, draws: Draws) -> list[tuple[str, np.ndarray, bool]]:
    """(name, values per sample, is an event) of every input that varies and can move the
    plan: the ranges of its initiatives, then the risk events."""
    col = {iid: j for j, iid in enumerate(draws.ids)}
    out: list[tuple[str, np.ndarray, bool]] = []
    for iid in o.ids:
        j = col[iid]
        for label, values in (
            ("build cost", draws.cost[:, j]),
            ("benefit", draws.benefit[:, j]),
            ("duration", draws.duration[:, j].astype(float)),
        ):
            if np.ptp(values) > 1e-12:
                out.append((f"{iid} {label}", values, False))
    for e, name in enumerate(draws.event_names):
        happened = draws.happened[:, e]
        if happened.any() and not happened.all():
            out.append((f"Risk: {name}", happened, True))
    return out


def tornado(
    drivers: list[tuple[str, np.ndarray, bool]], y: np.ndarray, bars: int = TORNADO_BARS
) -> tuple[Driver, ...]:
    """The ``bars`` inputs that move ``y``'s mean most, widest first (ties by name). A bar
    within sampling noise (``NOISE`` standard errors of the difference of its two means) is
    left out: an input that does not move the figure is not shown as if it did."""
    if len(y) < 2:
        return ()
    overall = float(y.mean())
    tail = max(1, int(len(y) * TAIL))
    found: list[Driver] = []
    for name, x, event in drivers:
        if event:
            lo_y, hi_y = y[~x], y[x]
        else:
            order = np.argsort(x, kind="stable")
            lo_y, hi_y = y[order[:tail]], y[order[-tail:]]
        low, high = float(lo_y.mean()), float(hi_y.mean())
        if abs(high - low) <= max(1e-9, NOISE * _std_error(lo_y, hi_y)):
            continue
        labels = ("did not happen", "happened") if event else ("lowest tenth", "highest tenth")
        found.append(Driver(name, low - overall, high - overall, *labels))
    found.sort(key=lambda d: (-round(d.swing, 6), d.name))
    return tuple(found[:bars])


def _std_error(a: np.ndarray, b: np.ndarray) -> float:
    """Standard error of the difference of the means of ``a`` and ``b``."""
    var = sum(float(np.var(x, ddof=1)) / len(x) for x in (a, b) if len(x) > 1)
    return float(np.sqrt(var))
