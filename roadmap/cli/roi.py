"""``roadmap roi``: the money case of every candidate, ranked by NPV."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from roadmap.cli.common import debug_option, force_option, handle_errors, output_option

CASH_FLOW_TABLES = 100  # as roadmap.report.roi_flows: the command imports the report lazily

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}
NA = "n/a"


def money(value: float, currency: str) -> str:
    """'€1,234,567' / '-€1,234' / '1,234 CHF': whole units, thousands separated."""
    symbol = SYMBOLS.get(currency.upper())
    amount = f"{abs(value):,.0f}"
    sign = "-" if round(value) < 0 else ""
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency.upper()}"


def percent(value: float | None) -> str:
    return NA if value is None else f"{value:.1%}"


def rate(value: float | None) -> str:
    """An IRR: a percentage, or a bound beyond ±1,000 %."""
    from roadmap.money.finance import irr_bound

    return irr_bound(value) or percent(value)


def years(periods: float | None, periods_per_year: int) -> str:
    return NA if periods is None else f"{periods / periods_per_year:.1f}"


def number(value: float | None) -> str:
    return NA if value is None else f"{value:.1f}"


def day(value: date | None) -> str:
    return "not within window" if value is None else value.isoformat()


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    """A plain text table; columns in ``right`` are right-aligned (numbers)."""
    widths = [
        max(len(h), *(len(r[k]) for r in rows)) if rows else len(h) for k, h in enumerate(headers)
    ]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if k in right else c.ljust(w)
            for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([fmt(headers), fmt(["-" * w for w in widths]), *map(fmt, rows)])


def _start_rule(value: str) -> str:
    if value in ("earliest", "plan-start"):
        return value
    try:
        date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not 'earliest', 'plan-start' or a date like 2027-04-01",
            param_hint="--start",
        ) from None
    return value


def _tables(value: str) -> int | None:
    """--cash-flow-tables: 'all' (None) or a number of initiatives."""
    if value.strip().lower() == "all":
        return None
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise click.BadParameter(
            f"{value!r} is not 'all' or a number of initiatives like 100",
            param_hint="--cash-flow-tables",
        )
    return count


@click.command(
    "roi",
    epilog="""\b
Examples:
  roadmap roi samples/retail-d2c.xlsx
  roadmap roi samples/retail-d2c.xlsx -o roi.xlsx
  roadmap roi my-portfolio.xlsx --start plan-start --no-risk -o roi.xlsx --force
  roadmap roi my-portfolio.xlsx --start 2027-07-01
  roadmap roi big-portfolio.xlsx -o roi.xlsx --cash-flow-tables all
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@output_option("Also write a workbook with the metrics, every cash flow and the method.")
@click.option(
    "--start",
    "start",
    default="earliest",
    show_default=True,
    help="When each initiative starts: earliest (its earliest allowed start, after its "
    "predecessors can finish), plan-start, or "
    "a date (the period containing it). Work in progress keeps its actual start.",
)
@click.option(
    "--cash-flow-tables",
    "tables",
    default=str(CASH_FLOW_TABLES),
    show_default=True,
    metavar="N|all",
    help="How many initiatives, best NPV first, get a period-by-period table on the -o "
    "workbook's Cash flows sheet; 'all' for every one. Every initiative's cash flows by fiscal "
    "year are on its Cash flows by year sheet whatever this says.",
)
@click.option(
    "--no-risk",
    is_flag=True,
    help="Take benefits at face value instead of scaling them by the probability of success.",
)
@force_option()
@debug_option
@handle_errors
def command(
    input_path: Path,
    output: Path | None,
    start: str,
    tables: str,
    no_risk: bool,
    force: bool,
    debug: bool,
) -> None:
    """Show the money case of every candidate initiative, ranked by NPV.

    For each initiative (done and excluded ones are left out): total cost of ownership, NPV at
    plan start, IRR and MIRR (annual), ROI, payback date and years, and criteria score. Cash
    flows are booked at the end of each period and discounted at the Settings discount rate (or
    the initiative's hurdle rate) converted to a rate per period; business cases on the Cash
    flows sheet replace the money columns. Needs only the Settings and Initiatives sheets (and
    Cash flows when used); see the Method sheet of the -o workbook for every convention.
    """
    from roadmap.input.reader import load_portfolio
    from roadmap.report.roi import roi_case, write_roi_workbook

    rule = _start_rule(start)
    table_count = _tables(tables)
    if output is not None:
        if output.suffix.lower() != ".xlsx":
            raise click.BadParameter(f"{output} should end in .xlsx", param_hint="-o")
        from roadmap.runtime.outputs import claim_outputs

        claim_outputs([output], force=force, protect=[input_path])
    portfolio, findings = load_portfolio(input_path, purpose="roi")
    case = roi_case(portfolio, start=rule, risk_adjusted=False if no_risk else None)
    s = portfolio.settings
    cur = s.currency
    click.echo(
        f"Money case for {portfolio.source or input_path.name}: values at plan start "
        f"{case.calendar.plan_start.isoformat()} in {cur}, discount rate {s.discount_rate:.2%} a "
        f"year ({case.rate:.3%} a {s.period.value}), cash flows at the end of each period"
        + (
            " (dated flows by exact days, actual/365; IRR as XIRR)"
            if any(len(line.flows.dated) for line in case.lines)
            else ""
        )
        + f", window: {s.evaluation_window.value}, "
        + ("risk-adjusted benefits." if case.risk_adjusted else "benefits not risk-adjusted.")
    )
    headers = [
        "#",
        "ID",
        "Name",
        "Cost",
        "NPV",
        "IRR (annual)",
        "MIRR (annual)",
        "ROI",
        "Payback",
        "Payback (years)",
        "Score",
    ]
    ppy = case.calendar.periods_per_year
    rows = []
    for k, line in enumerate(case.lines, start=1):
        m = line.metrics
        name = line.initiative.name
        rows.append(
            [
                str(k),
                line.initiative.id,
                name if len(name) <= 32 else name[:31] + "…",
                money(m.total_cost, cur),
                money(m.npv, cur),
                rate(m.irr_annual) + (" *" if m.irr_ambiguous else ""),
                rate(m.mirr_annual),
                percent(m.roi),
                day(m.payback_date),
                years(m.payback_periods, ppy),
                number(line.score),
            ]
        )
    click.echo(table(headers, rows, right={0, 3, 4, 5, 6, 7, 9, 10}))
    ambiguous = [line.initiative.id for line in case.lines if line.metrics.irr_ambiguous]
    if ambiguous:
        click.echo(
            f"* several rates make the NPV zero ({', '.join(ambiguous)}): the IRR shown is the "
            "one Excel reports; quote the MIRR instead."
        )
    if case.left_out:
        click.echo(f"Left out (done or excluded): {', '.join(case.left_out)}")
    if findings:  # exactly what `validate --for roi` lists
        click.echo(
            f"{len(findings)} warning(s); run 'roadmap validate --for roi {input_path}' to see them."
        )
    if output is not None:
        write_roi_workbook(case, output, force=force, protect=input_path, tables=table_count)
        click.echo(f"Wrote {output}")
