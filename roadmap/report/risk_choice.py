"""The risk workbook's Choice and Worlds sheets (``roadmap risk --reoptimise K``): does the
choice hold?

Choice: the counts first (worlds counted, no plan at all, the plan as made fits, the chosen set
does not fit), then the regret of the choice kept re-timed and trimmed to fit (mean, P50, P90,
share of worlds with none), how often each initiative is in a world's best plan. Worlds: every
world's solves. Money columns are NPVs in that world; regret is in the objective's units (money for
NPV). What the figures mean is ``risk.reoptimise``'s docstring.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.domain import ObjectiveKind, SolveStatus
from roadmap.excel.writing import DECIMAL, NUMBER, PERCENT, finish_sheet, write_table, write_title
from roadmap.report.layout import (
    Formats,
    refit,
    section,
    wrap_rows,
    wrap_subtitle,
    wrapped_lines,
)
from roadmap.risk.reoptimise import NOT_SOLVED, ROBUST, Choice, WorldResult


def listed(worlds: Sequence[int], most: int = 12) -> str:
    """World numbers in words, the first ``most`` of them: "3, 7 and 9", "1, 2, ... (40)"."""
    names = [str(w) for w in worlds]
    if len(names) > most:
        return f"{', '.join(names[:most])} ... ({len(names)} in all)"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _best_status(w: WorldResult) -> str:
    """Short, so the Worlds table stays one page across."""
    b = w.best
    if b.stopped:
        return f"stopped, gap {b.gap:.2%}" if b.has_plan and b.gap else "stopped"
    if b.status == SolveStatus.INFEASIBLE.value:
        return "no plan fits"
    if not b.has_plan:
        return f"solver {b.status}"
    return "optimal" if not b.gap or b.gap < 1e-9 else f"within {b.gap:.2%}"


def _chosen_status(w: WorldResult) -> str:
    c = w.chosen
    if c.status == NOT_SOLVED:
        return "not tried"
    if c.stopped:
        return "stopped"
    if c.has_plan:
        return "fits"
    return "does not fit" if c.status == SolveStatus.INFEASIBLE.value else f"solver {c.status}"


# Column widths of the Choice sheet, shared by its three tables: labels and IDs; meanings and
# names (wrapped); counts; shares; verdicts (and the mean regret, right-aligned beside the
# P50); then money or shares.
WIDTHS = (30, 42, 9, 13, 24, 13, 13)


def add_choice_sheets(wb: Workbook, c: Choice, fmt: Formats) -> None:
    """The Choice sheet (the counts, the regret of the choice, selection stability) and the
    Worlds sheet (each world's solves)."""
    _choice(wb.create_sheet("Choice"), c, fmt)
    _worlds(wb.create_sheet("Worlds"), c, fmt)


def _units(c: Choice, fmt: Formats) -> tuple[str, str]:
    """The regret's number format and its unit in a header ("" for money)."""
    if c.objective == ObjectiveKind.NPV.value:
        return fmt.money, ""
    return DECIMAL, f" ({c.objective})"


def _choice(ws: Worksheet, c: Choice, fmt: Formats) -> None:
    k = len(c.worlds)
    counted = int(c.counted.sum())
    amount, unit = _units(c, fmt)
    note = (
        f"The plan's choice of initiatives re-solved in {k} sampled worlds (samples 1-{k} of "
        "this run), every solve as the plan was solved; each world, solve by solve, on the "
        "Worlds sheet. Regret: the world's best plan minus the choice, kept whole and re-timed "
        "as the world allows, or trimmed to fit (chosen initiatives dropped where they no "
        "longer fit or pay); nothing is added to the choice."
    )
    top = write_title(ws, "Does the choice hold?", note)
    left_out = listed(c.uncounted) if c.uncounted else ""
    rows_top: list[list[object]] = [
        ["Worlds re-solved", f"samples 1-{k} of this run", k],
        [
            "Worlds counted",
            f"left out: world(s) {left_out}, where a solve stopped at the time limit (its "
            "figures depend on where the clock stopped)"
            if left_out
            else "every solve ended proven: optimal, or no plan possible",
            counted,
        ],
        [
            "No plan fits at all",
            "even the mandatory work breaks a budget or capacity limit",
            int(c.no_plan.sum()),
        ],
        [
            "The plan as made fits",
            f"of {k}: the same initiatives and starts stay within every budget line and team "
            "capacity",
            int(c.held_fits.sum()),
        ],
        [
            "The chosen set does not fit",
            f"of {c.with_plan} counted with a plan: no timing of the chosen initiatives stays "
            "within the world's budgets and capacity",
            int(c.chosen_misfits.sum()),
        ],
    ]
    last, _ = write_table(
        ws, ["Figure", "Meaning", "Worlds"], rows_top, name="Choice figures", top=top
    )
    wrap_at = [(top + 1, last)]
    headers = [top]
    head = section(ws, last + 2, f"Regret{unit}: the world's best plan minus the choice")
    regret_rows: list[list[object]] = []
    for label, meaning, sp in (
        ("Chosen set, re-timed", "in the worlds where the chosen set fits", c.spread()),
        (
            "Chosen set, trimmed to fit",
            "in every counted world with a plan",
            c.spread(trimmed=True),
        ),
    ):
        regret_rows.append([label, meaning, sp.worlds, sp.best_share, sp.mean, sp.p50, sp.p90])
    last, _ = write_table(
        ws,
        ["Choice kept as", "Measured", "Worlds", "No regret", "Mean", "P50", "P90"],
        regret_rows,
        name="Choice regret",
        top=head,
        formats={"Mean": amount, "P50": amount, "P90": amount, "No regret": PERCENT},
    )
    wrap_at.append((head + 1, last))
    headers.append(head)
    head = section(
        ws,
        last + 2,
        f"Selection stability: robust in {ROBUST:.0%} or more of the worlds' best plans, a "
        f"coin-flip between {1 - ROBUST:.0%} and {ROBUST:.0%}",
    )
    headers.append(head)
    dropped = _dropped_share(c)
    rows = [
        [
            x.initiative,
            x.name,
            "yes" if x.in_plan else "no",
            x.share,
            x.verdict,
            dropped.get(x.initiative) if x.in_plan else None,
        ]
        for x in c.stability
    ]
    write_table(
        ws,
        ["ID", "Name", "In the plan", "Selected in worlds", "Verdict", "Dropped when trimmed"],
        rows,
        name="Selection stability",
        top=head,
        formats={"Selected in worlds": PERCENT, "Dropped when trimmed": PERCENT},
    )
    finish_sheet(ws, header_row=None, freeze_col=0)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for first, end in wrap_at:
        wrap_rows(ws, first, end, [2])
    for row in headers:  # header cells wrap at the fixed widths: room for their lines
        ws.row_dimensions[row].height = 15 * max(
            wrapped_lines(str(cell.value or ""), max(1, int(width) - 2))
            for cell, width in zip(ws[row], WIDTHS, strict=False)
        )
    wrap_subtitle(ws, last_col=len(WIDTHS))


def _worlds(ws: Worksheet, c: Choice, fmt: Formats) -> None:
    amount, unit = _units(c, fmt)
    note = (
        "Each re-solved world: its best plan, the chosen set kept whole and re-timed, the chosen "
        "set trimmed to fit (how many chosen initiatives it drops), and whether the plan as made "
        "(same starts) fits. NPVs in that world; regret: the best plan's value minus the "
        "choice's. Stopped: a solve reached the time limit (gap: how far from proven), so the "
        "world is not counted on the Choice sheet."
    )
    top = write_title(ws, "Each world", note)
    regret, trimmed = c.regret, c.trimmed_regret
    rows: list[list[object]] = [
        [
            w.world + 1,
            "yes" if w.counted else "no",
            _best_status(w),
            w.best.npv,
            _chosen_status(w),
            w.chosen.npv,
            _number(regret[j]),
            w.trimmed.npv,
            len(c.dropped(j)) if w.trimmed.has_plan else None,
            _number(trimmed[j]),
            "fits" if c.held_fits[j] else "breaks a limit",
        ]
        for j, w in enumerate(c.worlds)
    ]
    headers = [
        "World",
        "Counted",
        "Best plan",
        "Best NPV",
        "Chosen set",
        "Re-timed NPV",
        f"Regret{unit}",
        "Trimmed NPV",
        "Dropped",
        f"Regret trimmed{unit}",
        "Plan as made",
    ]
    write_table(
        ws,
        headers,
        rows,
        name="Worlds",
        top=top,
        formats={
            "World": NUMBER,
            "Best NPV": fmt.money,
            "Re-timed NPV": fmt.money,
            f"Regret{unit}": amount,
            "Trimmed NPV": fmt.money,
            "Dropped": NUMBER,
            f"Regret trimmed{unit}": amount,
        },
    )
    finish_sheet(ws, header_row=top, freeze_col=1)
    refit(ws, top, maximum=30)
    wrap_subtitle(ws, last_col=len(headers))


def _number(value: float) -> float | None:
    return None if value != value else float(value)


def _dropped_share(c: Choice) -> dict[str, float]:
    """Per chosen initiative: the share of counted worlds with a plan whose trimmed plan
    leaves it out."""
    worlds = [j for j, w in enumerate(c.worlds) if w.counted and w.trimmed.has_plan]
    if not worlds:
        return {}
    out = dict.fromkeys(c.chosen, 0.0)
    for j in worlds:
        for iid in c.dropped(j):
            out[iid] += 1 / len(worlds)
    return out
