"""Solution -> plan: read the start variables back by name, and describe overloads in words."""

from __future__ import annotations

from roadmap.optimize.limits import team_load
from roadmap.optimize.milp.model.data import ModelData
from roadmap.optimize.milp.model.variables import BuiltModel


def chosen_starts(model: BuiltModel) -> dict[str, int]:
    """Start period of every initiative in the plan: work in progress plus the chosen starts."""
    starts = dict(model.data.fixed)
    for iid, by_period in model.x.items():
        for t, v in by_period.items():
            if (v.varValue or 0.0) > 0.5:
                starts[iid] = t
                break
    return dict(sorted(starts.items(), key=lambda kv: model.data.index[kv[0]]))


def overloads(data: ModelData, starts: dict[str, int]) -> tuple[str, ...]:
    """Every team-period where the plan uses the over-allocation tolerance (or work already under
    way exceeds even that), one sentence each."""
    load = team_load(data.portfolio, data.horizon, starts, data.demand)
    labels = data.calendar.labels()
    out: list[str] = []
    for k, team in enumerate(data.portfolio.teams):
        for t in range(data.horizon):
            cap, used = float(data.capacity[k, t]), float(load[k, t])
            if used <= cap + 1e-6:
                continue
            name = team.name or team.id
            over = (used - cap) / cap if cap > 0 else float("inf")
            pct = f"{over:.0%}" if cap > 0 else "no capacity"
            text = (
                f"{name} in {labels[t]}: {used:.1f} FTE planned against a capacity of {cap:.1f} "
                f"({pct} over; tolerance {team.over_allocation:.0%})"
            )
            if used > float(data.ceiling[k, t]) + 1e-6:
                text += " - beyond the tolerance because of work already in progress"
            out.append(text)
    return tuple(out)
