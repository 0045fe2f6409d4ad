"""The risk workbook (``roadmap risk -o``): how sure the plan is, in sheets a board reads.

Summary (headline figures with P10/P50/P80/P90, the probabilities, the NPV and finish
S-curves), Tornado (what drives NPV and the finish, as bar charts), Budget (each line's spend
and its chance of an overrun), Capacity (each team's chance of overload per period), Go-lives
(each initiative's dates), Choice and Worlds (with ``--reoptimise``: regret and selection
stability, every world's solves; ``report.risk_choice``),
Curves (the data behind the S-curves) and Assumptions (method, seed, inputs). Every figure is
an estimate from the samples, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from roadmap import __version__
from roadmap.domain import Portfolio
from roadmap.excel.printing import describe
from roadmap.excel.writing import (
    DATE,
    DECIMAL,
    NUMBER,
    PERCENT,
    finish_sheet,
    put,
    save_atomic,
    write_table,
    write_title,
)
from roadmap.money.calendar import Calendar
from roadmap.plan_facts.dates import period_end
from roadmap.report.charts import OVER_FONT, mark_utilisation
from roadmap.report.layout import Formats, refit, section, wrap_rows, wrap_subtitle
from roadmap.report.risk_choice import add_choice_sheets
from roadmap.risk.reoptimise import Choice
from roadmap.risk.summary import RiskSummary

CHART_W, CHART_H = 21.0, 8.0  # cm
BLUE, ORANGE, GREY = "1F4E78", "C55A11", "7F7F7F"


@dataclass(frozen=True)
class RiskRun:
    """Facts about the run the figures do not hold."""

    input_name: str
    input_sha256: str
    plan_source: str  # "the optimal plan of INPUT" or the plan workbook's name
    plan_status: str  # the plan's solver status and gap, in words
    timestamp: datetime = field(default_factory=lambda: datetime.now().astimezone())


def _when(cal: Calendar, period: float) -> date:
    """The date a build ending at (exclusive) period ``period`` goes live: the last working day
    of its last build period."""
    return period_end(cal, int(period) - 1)


def _estimated(s: RiskSummary) -> str:
    return f"estimated from {s.samples:,} samples (seed {s.seed})"


def write_risk_workbook(
    summary: RiskSummary,
    portfolio: Portfolio,
    run: RiskRun,
    path: Path,
    *,
    choice: Choice | None = None,
    force: bool = False,
    protect: Path | None = None,
) -> None:
    wb = build_risk_workbook(summary, portfolio, run, choice=choice)
    save_atomic(wb, path, force=force, protect=protect)


def build_risk_workbook(
    summary: RiskSummary, portfolio: Portfolio, run: RiskRun, *, choice: Choice | None = None
) -> Workbook:
    fmt = Formats.for_currency(portfolio.settings.currency)
    cal = Calendar.from_settings(portfolio.settings)
    wb = Workbook()
    stem = Path(run.input_name).stem or "portfolio"
    describe(wb, f"Risk: {stem}", "How sure is the plan: money, dates and the choice")
    ws = wb.active
    assert ws is not None
    ws.title = "Summary"
    curves = wb.create_sheet("Curves")
    npv_spot, finish_spot = _curves(curves, summary, cal, fmt)
    _summary(ws, summary, cal, fmt, curves, npv_spot, finish_spot, portfolio.settings.currency)
    _tornado(wb.create_sheet("Tornado"), summary, fmt)
    _budget(wb.create_sheet("Budget"), summary, fmt)
    _capacity(wb.create_sheet("Capacity"), summary, cal)
    _go_lives(wb.create_sheet("Go-lives"), summary, portfolio, cal)
    if choice is not None:
        add_choice_sheets(wb, choice, fmt)
    wb.move_sheet(curves, offset=len(wb.sheetnames))
    _assumptions(wb.create_sheet("Assumptions"), summary, portfolio, run, choice)
    return wb


# ---------------------------------------------------------------- Summary and curves


def _summary(
    ws: Worksheet,
    s: RiskSummary,
    cal: Calendar,
    fmt: Formats,
    curves: Worksheet,
    npv_spot: tuple[int, int],
    finish_spot: tuple[int, int],
    currency: str,
) -> None:
    note = (
        f"The plan {_estimated(s)}: {s.distribution} ranges, owner-function correlation "
        f"{s.correlation:.0%}, risk events. P80 = 80 % of the samples at or below it. "
        "Method and seed on the Assumptions sheet."
    )
    top = write_title(ws, "How sure is the plan?", note)
    headers = ["Figure", "Plan", "P10", "P50", "P80", "P90", "Mean"]
    npv, fin = s.npv, s.finish
    rows: list[list[object]] = [
        ["NPV", s.planned_npv, npv.p10, npv.p50, npv.p80, npv.p90, npv.mean],
        [
            "Programme finish",
            *(_when(cal, x) for x in (s.planned_finish, fin.p10, fin.p50, fin.p80, fin.p90)),
            None,
        ],
    ]
    last, _ = write_table(ws, headers, rows, name="Risk headline", top=top)
    for c in range(2, 8):
        ws.cell(top + 1, c).number_format = fmt.money
        ws.cell(top + 2, c).number_format = DATE
    ptop = last + 2
    prob_rows: list[list[object]] = [
        ["NPV below zero", s.p_loss, "the portfolio loses money"],
        ["NPV below the plan's", s.p_below_plan, f"the plan's NPV: {s.planned_npv:,.0f}"],
        [
            "Finished on time",
            s.p_on_time,
            f"last go-live by {_when(cal, s.planned_finish).isoformat()}, as planned",
        ],
        ["Within every budget line", s.p_on_budget, "no line of the Budget sheet overrun"],
        ["On time and within budget", s.p_on_time_and_budget, "both at once (joint probability)"],
    ]
    last, _ = write_table(
        ws,
        ["Probability", "Estimate", "Meaning"],
        prob_rows,
        name="Risk probabilities",
        top=ptop,
        formats={"Estimate": PERCENT},
    )
    put(
        ws,
        last + 2,
        1,
        f"Sampling error of the mean NPV: ±{npv.std_error:,.0f} (one standard error).",
    )
    last += 1
    finish_sheet(ws, header_row=top, freeze_col=0)
    refit(ws, top, maximum=44)
    for col in "BCDEFG":  # the headline's figures; the Meaning text runs on to the right
        ws.column_dimensions[col].width = 15
    wrap_subtitle(ws, last_col=7)
    chart_row = last + 3
    ws.add_chart(_npv_curve(curves, npv_spot, currency), f"A{chart_row}")
    ws.add_chart(_finish_curve(curves, finish_spot), f"A{chart_row + 17}")
    ws.print_area = f"A1:G{chart_row + 34}"
    ws.page_setup.fitToHeight = 1


def _curves(
    ws: Worksheet, s: RiskSummary, cal: Calendar, fmt: Formats
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The S-curves' data: NPV by percentile, and the share finished by each finish date.
    Returns the first and last data rows of each table."""
    top = write_title(ws, "S-curves", f"The data behind the Summary's charts, {_estimated(s)}.")
    npv_rows = [[q, v] for v, q in s.npv_curve]
    last, _ = write_table(
        ws,
        ["Share of samples at or below", "NPV"],
        npv_rows,
        name="NPV curve",
        top=top,
        formats={"Share of samples at or below": PERCENT, "NPV": fmt.money},
    )
    npv_spot = (top + 1, last)
    left = 4
    fin_rows = [[_when(cal, t), t, p] for t, p in s.finish_curve]
    flast, _ = write_table(
        ws,
        ["Programme finish", "Period", "Share finished by then"],
        fin_rows,
        name="Finish curve",
        top=top,
        left=left,
        formats={"Share finished by then": PERCENT, "Period": NUMBER},
    )
    for r in range(top + 1, flast + 1):
        ws.cell(r, left + 1).value = cal.label(int(ws.cell(r, left + 1).value) - 1)
    # the plan's NPV as a vertical line on the NPV S-curve
    write_table(
        ws,
        ["The plan's NPV", "Share"],
        [[s.planned_npv, 0.0], [s.planned_npv, 1.0]],
        name="Plan NPV line",
        top=top,
        left=8,
        formats={"The plan's NPV": fmt.money, "Share": PERCENT},
    )
    finish_sheet(ws, header_row=top, freeze_col=0)
    refit(ws, top, maximum=30)
    return npv_spot, (top + 1, flast)


def _line_series(ys: Reference, xs: Reference, colour: str, title: str) -> Series:
    series = Series(ys, xs, title=title)
    series.marker.symbol = "none"
    series.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.width = 28575
    series.smooth = False
    return series


def _npv_curve(ws: Worksheet, spot: tuple[int, int], currency: str) -> ScatterChart:
    chart = ScatterChart()
    chart.title = "NPV S-curve: chance the NPV is at or below"
    chart.style = 13
    xs = Reference(ws, min_col=2, min_row=spot[0], max_row=spot[1])
    ys = Reference(ws, min_col=1, min_row=spot[0], max_row=spot[1])
    chart.series.append(_line_series(ys, xs, BLUE, "Samples"))
    plan_x = Reference(ws, min_col=8, min_row=spot[0], max_row=spot[0] + 1)
    plan_y = Reference(ws, min_col=9, min_row=spot[0], max_row=spot[0] + 1)
    plan = _line_series(plan_y, plan_x, GREY, "The plan's NPV")
    plan.graphicalProperties.line.dashStyle = "dash"
    chart.series.append(plan)
    chart.x_axis.title = f"NPV ({currency} millions)"
    chart.x_axis.numFmt = '#,##0.0,,"m"'  # millions: full amounts crowd the axis
    chart.y_axis.title = "Share of samples"
    chart.y_axis.numFmt = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.legend.position = "b"
    return _sized(chart)


def _finish_curve(ws: Worksheet, spot: tuple[int, int]) -> LineChart:
    """One point per period (the finish table has every period from the first to the last
    finish), so the categories are evenly spaced dates."""
    chart = LineChart()
    chart.title = "Finish S-curve: chance the programme is done by"
    chart.add_data(Reference(ws, min_col=6, min_row=spot[0], max_row=spot[1]))
    chart.set_categories(Reference(ws, min_col=4, min_row=spot[0], max_row=spot[1]))
    series = chart.series[0]
    series.marker.symbol = "circle"
    series.marker.size = 7
    series.marker.graphicalProperties.solidFill = ORANGE
    series.marker.graphicalProperties.line.solidFill = ORANGE
    series.graphicalProperties.line.solidFill = ORANGE
    series.graphicalProperties.line.width = 28575
    series.smooth = False
    chart.x_axis.title = "Last go-live (month)"
    chart.x_axis.number_format = "yyyy-mm"  # the month the last go-live falls in: short labels
    chart.y_axis.title = "Share of samples"
    chart.y_axis.numFmt = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.legend = None
    return _sized(chart)


def _sized(chart):  # type: ignore[no-untyped-def]
    chart.width, chart.height = CHART_W, CHART_H
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


# ---------------------------------------------------------------- Tornado


def _tornado(ws: Worksheet, s: RiskSummary, fmt: Formats) -> None:
    note = (
        "What moves the figure most: its mean with the input in its lowest tenth of samples "
        "against its highest tenth (a risk event: did not happen, happened), each against the "
        f"overall mean; {_estimated(s)}."
    )
    top = write_title(ws, "Tornado: what drives NPV and the finish", note)
    headers = ["Input", "Low end", "High end", "Swing", "Low end is", "High end is"]
    row = top
    anchors = []
    for title, drivers, number_format, unit in (
        ("NPV (change in mean NPV)", s.tornado_npv, fmt.money, "NPV"),
        ("Programme finish (change in mean finish, periods)", s.tornado_finish, DECIMAL, "periods"),
    ):
        head = section(ws, row, title)
        rows = [[d.name, d.low, d.high, d.swing, d.low_label, d.high_label] for d in drivers]
        if not rows:
            rows = [["nothing in the ranges or risk events moves it", None, None, None, "", ""]]
        last, _ = write_table(
            ws,
            headers,
            rows,
            name=f"Tornado {unit}",
            top=head,
            formats={"Low end": number_format, "High end": number_format, "Swing": number_format},
        )
        anchors.append((head, last, drivers, number_format, title.split(" (")[0]))
        row = last + 3
    finish_sheet(ws, header_row=None, freeze_col=0)
    refit(ws, top, maximum=40)
    wrap_subtitle(ws, last_col=len(headers))
    chart_row = row
    ws.row_breaks.append(Break(id=row - 1))  # the charts on a page of their own
    for head, last, drivers, number_format, title in anchors:
        if not drivers:
            continue
        ws.add_chart(_tornado_chart(ws, head, last, number_format, title), f"A{chart_row}")
        chart_row += 2 + int(_bars_height(len(drivers)) / 0.5)
    ws.print_area = f"A1:F{chart_row}"


def _bars_height(bars: int) -> float:
    """cm: room for every bar's label (a label per bar, none skipped)."""
    return max(6.0, 2.5 + 0.75 * bars)


def _tornado_chart(ws: Worksheet, head: int, last: int, number_format: str, title: str) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"{title}: change in the mean"
    chart.grouping = "clustered"
    chart.overlap = 100
    chart.gapWidth = 40
    for col, colour in ((2, BLUE), (3, ORANGE)):
        chart.add_data(
            Reference(ws, min_col=col, min_row=head, max_row=last), titles_from_data=True
        )
        chart.series[-1].graphicalProperties.solidFill = colour
        chart.series[-1].graphicalProperties.line.solidFill = colour
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # the widest bar on top
    chart.x_axis.tickLblPos = "low"  # names at the left edge, clear of the bars
    chart.y_axis.numFmt = number_format
    chart.y_axis.majorGridlines = None
    chart.legend.position = "b"
    chart.width = CHART_W
    chart.height = _bars_height(last - head)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


# ---------------------------------------------------------------- Budget, Capacity, Go-lives


def _budget(ws: Worksheet, s: RiskSummary, fmt: Formats) -> None:
    note = (
        "Each budget line as the optimizer applies it (spend in plan-start prices), then each "
        f"fiscal year's spend over all pools; {_estimated(s)}."
    )
    top = write_title(ws, "Budget: will we overrun?", note)
    headers = ["Budget line", "Limit", "Plan", "P50", "P80", "P90", "Chance of overrun"]
    rows = [
        [
            x.line.label,
            x.line.limit,
            x.planned,
            x.spread.p50,
            x.spread.p80,
            x.spread.p90,
            x.p_overrun,
        ]
        for x in s.lines
    ]
    last, _ = write_table(
        ws,
        headers,
        rows,
        name="Risk budget",
        top=top,
        formats={**{h: fmt.money for h in headers[1:6]}, "Chance of overrun": PERCENT},
    )
    finish_sheet(ws, header_row=top)
    refit(ws, top, maximum=40)
    wrap_subtitle(ws, last_col=len(headers))
    col = "G"
    ws.conditional_formatting.add(f"{col}{top + 1}:{col}{last}", _red_above(0.2))


def _red_above(share: float):  # type: ignore[no-untyped-def]
    return CellIsRule(
        operator="greaterThan",
        formula=[str(share)],
        fill=PatternFill("solid", fgColor="F8CBAD"),
        font=Font(color="9C0006"),
    )


def _capacity(ws: Worksheet, s: RiskSummary, cal: Calendar) -> None:
    note = (
        "Chance that a team's load is above its capacity (with its tolerated over-allocation) "
        f"in each period, then the load at P80 against that limit; {_estimated(s)}."
    )
    top = write_title(ws, "Capacity: will a team be overloaded?", note)
    labels = cal.labels()
    headers = ["Team", *labels]
    rows = [[t, *(float(v) for v in s.p_overloaded[k])] for k, t in enumerate(s.teams)]
    last, _ = write_table(
        ws,
        headers,
        rows,
        name="Risk overload",
        top=top,
        formats=dict.fromkeys(labels, "0%"),
    )
    if s.teams:
        cells = f"B{top + 1}:{get_column_letter(len(headers))}{last}"
        ws.conditional_formatting.add(cells, _red_above(0.2))
    head = section(ws, last + 2, "Load at P80 / limit")
    rows = [
        [
            t,
            *(
                float(a / b) if b > 0 else None
                for a, b in zip(s.load_p80[k], s.ceiling[k], strict=True)
            ),
        ]
        for k, t in enumerate(s.teams)
    ]
    last2, _ = write_table(
        ws, headers, rows, name="Risk load P80", top=head, formats=dict.fromkeys(labels, "0%")
    )
    if s.teams:
        mark_utilisation(ws, f"B{head + 1}:{get_column_letter(len(headers))}{last2}", OVER_FONT)
    finish_sheet(ws, header_row=top)
    refit(ws, top, maximum=30)
    for k in range(len(labels)):
        ws.column_dimensions[get_column_letter(k + 2)].width = 9
    wrap_subtitle(ws, last_col=min(len(headers), 12))


def _go_lives(ws: Worksheet, s: RiskSummary, portfolio: Portfolio, cal: Calendar) -> None:
    note = (
        "Each initiative's go-live (the last working day of its build); late predecessors push "
        f"their successors. Must finish by from the Initiatives sheet; {_estimated(s)}."
    )
    top = write_title(ws, "Go-lives: when will it really be done?", note)
    headers = [
        "ID",
        "Name",
        "Plan",
        "P50",
        "P80",
        "P90",
        "Chance later than plan",
        "Must finish by",
        "Chance of missing it",
    ]
    by_id = portfolio.initiative_by_id
    rows = [
        [
            g.initiative,
            by_id[g.initiative].name,
            _when(cal, g.planned),
            _when(cal, g.spread.p50),
            _when(cal, g.spread.p80),
            _when(cal, g.spread.p90),
            g.p_later,
            by_id[g.initiative].must_finish_by,
            g.p_missed,
        ]
        for g in s.go_lives
    ]
    last, _ = write_table(
        ws,
        headers,
        rows,
        name="Risk go-lives",
        top=top,
        formats={"Chance later than plan": PERCENT, "Chance of missing it": PERCENT},
    )
    finish_sheet(ws, header_row=top, freeze_col=2)
    refit(ws, top, maximum=40)
    wrap_subtitle(ws, last_col=len(headers))
    ws.conditional_formatting.add(f"I{top + 1}:I{last}", _red_above(0.2))


# ---------------------------------------------------------------- Assumptions


def _assumptions(
    ws: Worksheet, s: RiskSummary, portfolio: Portfolio, run: RiskRun, choice: Choice | None
) -> None:
    top = write_title(
        ws,
        "Assumptions",
        "How the figures were obtained: the same inputs and seed give the same figures.",
    )
    settings = portfolio.settings
    rows: list[list[object]] = [
        ["Run", "Input file", run.input_name],
        ["Run", "Input SHA-256", run.input_sha256],
        ["Run", "Plan evaluated", run.plan_source],
        ["Run", "Plan status", run.plan_status],
        ["Run", "Samples", s.samples],
        ["Run", "Seed", s.seed],
        ["Run", "Tool version", f"roadmap {__version__}"],
        ["Run", "Generated", run.timestamp.replace(tzinfo=None, microsecond=0)],
        [
            "Method",
            "Random numbers",
            "numpy's default generator (PCG64) from SeedSequence(seed), one stream per purpose (ranges, owner-function factors, risk events), filled sample by sample: sample k depends only on the seed and k",
        ],
        [
            "Method",
            "Ranges",
            f"{settings.risk_distribution}: each initiative's low / likely / high build cost and benefit (shares of the estimate) and duration (periods), Uncertainty sheet; none given = the plan's value",
        ],
        [
            "Method",
            "Correlation",
            f"{settings.risk_correlation:.0%}: a common normal factor per owner function and quantity (Gaussian copula); initiatives without an owner function vary alone",
        ],
        [
            "Method",
            "Durations",
            "drawn as numbers and rounded to whole build periods (halves up), at least 1",
        ],
        [
            "Method",
            "Risk events",
            "each happens with its probability and hits its initiatives and owner function at once: build cost x (1 + impact), benefits x (1 + impact), duration + delay",
        ],
        [
            "Method",
            "Schedule",
            "the plan's starts kept; a successor is pushed when a predecessor finishes later (finish-to-start plus lag); work in progress keeps its start; nothing moves earlier; budgets and capacity are measured, not enforced",
        ],
        [
            "Method",
            "Money",
            "the plan's finance code: cash flows, escalation, hurdle rates, dated flows, risk-adjusted benefits as in the plan; build cost = capex and one-off opex; legacy savings and run costs move with the go-live",
        ],
        [
            "Method",
            "Percentiles",
            "money: interpolated between samples; dates: the first period by which that share of samples is done",
        ],
        [
            "Method",
            "Tornado",
            f"change in the output's mean between the lowest and highest {10}% of samples of each input (events: not happened / happened)",
        ],
        ["Inputs", "Uncertainty rows", len(portfolio.estimates)],
        ["Inputs", "Risk events", len(portfolio.risks)],
    ]
    rows += [
        [
            "Risk event",
            r.name,
            f"{r.probability:.0%}: cost {r.cost_impact:+.0%}, benefit {r.benefit_impact:+.0%}, delay {r.delay} period(s); hits {', '.join(r.initiatives) or ''}{' and ' if r.initiatives and r.owner_function else ''}{r.owner_function}",
        ]
        for r in portfolio.risks
    ]
    if choice is not None:
        rows += [
            [
                "Choice",
                "Worlds",
                f"{len(choice.worlds)}: samples 1-{len(choice.worlds)} of this run; in each up to three solves, as the plan was solved ({choice.solved_as}): the world's best plan; the chosen set re-timed (the plan's initiatives mandatory, every other candidate excluded); the chosen set trimmed to fit (every other candidate excluded, the plan's initiatives optional). A solve whose answer follows from an earlier plan is not run",
            ],
            [
                "Choice",
                "Regret",
                f"the world's best objective ({choice.objective}) minus the chosen set's, re-timed or trimmed; a world counts only when every solve of it is proven (optimal within the gap, or no plan possible); a world with a solve stopped at the time limit is named and left out, as is its selection",
            ],
            ["Choice", "Ran on", choice.executor],
        ]
    last, _ = write_table(ws, ["Group", "Item", "Value"], rows, name="Risk assumptions", top=top)
    for r in range(top + 1, last + 1):
        cell = ws.cell(r, 3)
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        if isinstance(cell.value, int | float | datetime):
            cell.alignment = Alignment(horizontal="left", indent=1)  # in line with the text
    finish_sheet(ws, header_row=top, freeze_col=0)
    refit(ws, top, maximum=90)
    wrap_rows(ws, top + 1, last, [3])
