"""The Audit sheet: live Excel formulas that recompute the headline figures from the plan's own
tables (Financials, Budget, Roadmap), each beside the tool's value, with the difference.

Every other sheet holds values, so programs reading the workbook get numbers; here a finance
reviewer can trace each figure to its cells. The formulas use only functions Excel and
LibreOffice share (SUM, SUMIF, NPV, IRR, MIRR, INDEX, MATCH, IFERROR), and a period-by-period
second sheet, Audit periods, rebuilds the cumulative cash period by period behind the payback
dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.excel.writing import DATE, finish_sheet, put, write_table, write_title
from roadmap.plan_facts import PlanFacts
from roadmap.report.financials import has_dated, table_rows
from roadmap.report.layout import Formats, TableSpot, refit, section, wrap_rows

HEADERS = ["Check", "Recomputed (formula)", "Tool's value", "Difference", "How"]
NOTE = (
    "Each check recomputes a figure with a live formula over the plan's own tables (Financials, "
    "Budget, Roadmap) and sets it beside the value the tool wrote; Difference = recomputed minus "
    "the tool's (days for dates). Every other sheet keeps its figures as values. The Audit "
    "periods sheet rebuilds the cumulative cash period by period for the payback dates."
)
EPS = "1E-6"  # currency units: a cumulative this close to zero counts as recovered
NOT_REACHED = "not reached"


def ref(sheet: str, col: int, row: int, absolute: bool = False) -> str:
    """An A1 reference to ``sheet`` (always quoted: a scenario's sheets have spaces)."""
    letter = get_column_letter(col)
    cell = f"${letter}${row}" if absolute else f"{letter}{row}"
    return f"'{sheet}'!{cell}"


def span(spot: TableSpot, header: str, first: int | None = None, last: int | None = None) -> str:
    """The data cells of one column of a written table, as a range on its sheet."""
    col = get_column_letter(spot.col(header))
    top = spot.header_row + 1 if first is None else first
    bottom = spot.last_row if last is None else last
    return f"'{spot.sheet}'!${col}${top}:${col}${bottom}"


@dataclass(frozen=True)
class Where:
    """Where the tables the formulas read sit, once written."""

    cash: TableSpot
    roadmap: TableSpot
    per_period: TableSpot
    per_year: TableSpot
    rates: dict[str, str]
    block: Block
    checks_top: int
    labels: tuple[str, ...]

    def row_of(self, label: str) -> int:
        """The sheet row of the check labelled ``label``."""
        return self.checks_top + 1 + self.labels.index(label)


@dataclass(frozen=True)
class Check:
    label: str
    formula: Callable[[Where], str]  # without the leading "="
    value: object  # the tool's figure (None: not reached / not available)
    number_format: str
    how: str
    is_date: bool = False


def write_audit(
    ws: Worksheet,
    periods: Worksheet,
    facts: PlanFacts,
    fmt: Formats,
    *,
    cash: TableSpot,
    roadmap: TableSpot,
    per_period: TableSpot,
    per_year: TableSpot,
) -> None:
    top = write_title(ws, "Audit: the headline figures recomputed in Excel", NOTE)
    rates_top = section(ws, top, "Rates")
    rates = _write_rates(ws, facts, rates_top)
    checks_top = section(ws, rates_top + len(rates) + 1, "Checks")
    checks = _checks(facts, fmt)
    last = checks_top + len(checks)
    block = _write_block(periods, facts, cash)
    where = Where(
        cash, roadmap, per_period, per_year, rates, block, checks_top,
        tuple(c.label for c in checks),
    )  # fmt: skip
    write_table(
        ws, HEADERS, [[c.label, None, None, None, c.how] for c in checks], name="Audit",
        top=checks_top,
    )  # fmt: skip
    for k, c in enumerate(checks, start=checks_top + 1):
        formula = ws.cell(row=k, column=2, value=f"={c.formula(where)}")
        formula.number_format = c.number_format
        tool = put(ws, k, 3, NOT_REACHED if c.value is None else c.value, c.number_format)
        if c.is_date and c.value is not None:
            tool.number_format = DATE
        b, t = f"B{k}", f"C{k}"
        diff = ws.cell(
            row=k,
            column=4,
            value=f'=IF(AND(ISNUMBER({b}),ISNUMBER({t})),{b}-{t},IF({b}={t},0,"differs"))',
        )
        diff.number_format = "0" if c.is_date else "#,##0.000000"
    total = last + 1
    put(ws, total, 1, "Largest difference").font = Font(bold=True)
    rng = f"D{checks_top + 1}:D{last}"
    cell = ws.cell(row=total, column=4, value=f"=MAX(MAX({rng}),-MIN({rng}))")
    cell.number_format = "#,##0.000000"
    cell.font = Font(bold=True)
    put(ws, total, 5, "zero up to rounding when every figure reconciles ('differs' is text)")
    finish_sheet(ws, header_row=checks_top, freeze_col=1)
    refit(ws, checks_top, maximum=18)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["E"].width = 70
    wrap_rows(ws, checks_top + 1, last, [1, 5])


def _write_rates(ws: Worksheet, facts: PlanFacts, top: int) -> dict[str, str]:
    """Settings the formulas need, typed in as values, and the per-period rates as formulas;
    returns name -> absolute cell."""
    s = facts.plan.portfolio.settings
    finance = s.discount_rate if s.finance_rate is None else s.finance_rate
    reinvest = s.discount_rate if s.reinvestment_rate is None else s.reinvestment_rate
    ppy = facts.calendar.periods_per_year
    rows: list[tuple[str, str, object, str]] = [
        ("ppy", "Periods per year", ppy, "0"),
        ("rate", "Discount rate (per year)", s.discount_rate, "0.00%"),
        ("finance", "Finance rate (per year, MIRR)", finance, "0.00%"),
        ("reinvest", "Reinvestment rate (per year, MIRR)", reinvest, "0.00%"),
        ("rate_p", "Discount rate per period", "=(1+B{rate})^(1/B{ppy})-1", "0.0000%"),
        ("finance_p", "Finance rate per period", "=(1+B{finance})^(1/B{ppy})-1", "0.0000%"),
        ("reinvest_p", "Reinvestment rate per period", "=(1+B{reinvest})^(1/B{ppy})-1", "0.0000%"),
    ]
    at = {key: top + k for k, (key, *_) in enumerate(rows)}
    for key, label, value, number_format in rows:
        put(ws, at[key], 1, label)
        if isinstance(value, str):
            cell = ws.cell(row=at[key], column=2, value=value.format(**at))
            cell.number_format = number_format
        else:
            put(ws, at[key], 2, value, number_format)
    return {key: f"$B${row}" for key, row in at.items()}


@dataclass(frozen=True)
class Block:
    """Where the period-by-period block sits: its sheet, data rows and columns by name."""

    sheet: str
    first: int
    last: int
    columns: dict[str, int]

    def rng(self, name: str) -> str:
        col = get_column_letter(self.columns[name])
        return f"'{self.sheet}'!${col}${self.first}:${col}${self.last}"


BLOCK_HEADERS = [
    "Row",
    "Period",
    "First day",
    "Days",
    "Net",
    "Inflow",
    "Cumulative net",
    "Cumulative inflow",
    "Pays back here",
    "Fraction",
    "Discounted net",
    "Cumulative discounted",
    "Discounted pays back here",
    "Discounted fraction",
]


def _write_block(ws: Worksheet, facts: PlanFacts, cash: TableSpot) -> Block:
    """Rows aligned with the Financials table: the cumulative cash and where it is recovered,
    as the tool counts payback (flows come in evenly over a period; never before the first
    inflow)."""
    head = write_title(
        ws,
        "Audit periods: the cumulative cash behind the payback dates",
        "One row per Financials row, every cell a formula over it. A row pays back when the "
        "cumulative net is recovered by its end (or was at its start) and some inflow has come "
        "in; Fraction = the share of the row's days before the crossing, as if its flows came "
        "in evenly. The Audit sheet's payback dates take the first such row.",
    )
    n = len(table_rows(facts))
    first = head + 1
    write_table(
        ws, BLOCK_HEADERS, [[None] * len(BLOCK_HEADERS)] * n, name="Audit_periods", top=head
    )
    col = {h: k + 1 for k, h in enumerate(BLOCK_HEADERS)}
    letter = {h: get_column_letter(c) for h, c in col.items()}
    fin = cash.sheet
    plan_start = facts.calendar.plan_start
    for k in range(n):
        r, src = first + k, cash.header_row + 1 + k

        def f(header: str, row: int = src) -> str:
            return ref(fin, cash.col(header), row)

        def here(name: str, row: int = r) -> str:
            return f"{letter[name]}{row}"

        cells: dict[str, object] = {
            "Row": f"={f('Period')}",
            "Net": f"={f('Net cash flow')}",
            "Inflow": f"={f('Benefits')}+{f('Legacy savings')}+MAX(0,{f('Other (signed)')})",
            "Discounted net": f"={f('Discounted net')}",
        }
        if k == 0:  # the valuation date itself: a jump before period 0
            cells |= {
                "Period": 0,
                "First day": plan_start,
                "Days": 1,
                "Cumulative net": f"={here('Net')}",
                "Cumulative inflow": f"={here('Inflow')}",
                "Pays back here": f"=AND({here('Cumulative inflow')}>0,"
                f"{here('Cumulative net')}>=-{EPS})",
                "Fraction": 0,
                "Cumulative discounted": f"={here('Discounted net')}",
                "Discounted pays back here": f"=AND({here('Cumulative inflow')}>0,"
                f"{here('Cumulative discounted')}>=-{EPS})",
                "Discounted fraction": 0,
            }
        else:
            prev = r - 1
            first_day = plan_start if k == 1 else f"={f('Period end', src - 1)}+1"
            cells |= {
                "Period": k - 1,
                "First day": first_day,
                "Days": f"={f('Period end')}-{here('First day')}+1",
                "Cumulative net": f"={here('Cumulative net', prev)}+{here('Net')}",
                "Cumulative inflow": f"={here('Cumulative inflow', prev)}+{here('Inflow')}",
                "Pays back here": _pays_back(here, prev, "Cumulative net"),
                "Fraction": _fraction(here, prev, "Cumulative net", "Net", "Pays back here"),
                "Cumulative discounted": f"={here('Cumulative discounted', prev)}"
                f"+{here('Discounted net')}",
                "Discounted pays back here": _pays_back(here, prev, "Cumulative discounted"),
                "Discounted fraction": _fraction(
                    here,
                    prev,
                    "Cumulative discounted",
                    "Discounted net",
                    "Discounted pays back here",
                ),
            }
        for name, value in cells.items():
            cell = ws.cell(row=r, column=col[name], value=value)
            if name == "First day":
                cell.number_format = DATE
            elif name in ("Fraction", "Discounted fraction"):
                cell.number_format = "0.0000"
            elif name not in (
                "Row",
                "Period",
                "Days",
                "Pays back here",
                "Discounted pays back here",
            ):
                cell.number_format = "#,##0.00"
    finish_sheet(ws, header_row=head, freeze_col=1)
    refit(ws, head, maximum=16)
    return Block(ws.title, first, first + n - 1, col)


def _pays_back(here: Callable[..., str], prev: int, cum: str) -> str:
    return f"=AND({here('Cumulative inflow')}>0,OR({here(cum, prev)}>=-{EPS},{here(cum)}>=-{EPS}))"


def _fraction(here: Callable[..., str], prev: int, cum: str, net: str, flag: str) -> str:
    """The share of the period's days before the crossing (rows where it pays back only)."""
    before = here(cum, prev)
    return f'=IF({here(flag)},IF({before}>=-{EPS},0,MIN(1,-{before}/{here(net)})),"")'


def _checks(facts: PlanFacts, fmt: Formats) -> list[Check]:
    """The checks, in order; each formula is built once the tables' places are known."""
    m, h = facts.headline.metrics, facts.headline
    money = fmt.money
    dated = has_dated(facts)
    nets = [c.net for c in table_rows(facts)]
    last_flow = max((k for k, x in enumerate(nets) if abs(x) > 1e-9), default=0)

    def fin(w: Where, header: str) -> str:
        return span(w.cash, header)

    def flows(w: Where) -> str:  # the Net column from 'At plan start' to the last flow
        return span(w.cash, "Net cash flow", last=w.cash.header_row + 1 + last_flow)

    out = [
        Check(
            "Initiatives selected",
            lambda w: f"COUNTA({span(w.roadmap, 'ID')})",
            h.selected,
            "0",
            "rows of the Roadmap sheet",
        ),
        Check(
            "Total cost",
            lambda w: (
                f"SUM({fin(w, 'Capex')})+SUM({fin(w, 'One-off opex')})"
                f'+SUM({fin(w, "Run cost")})-SUMIF({fin(w, "Other (signed)")},"<0")'
            ),
            m.total_cost,
            money,
            "cost of ownership, Financials: capex + one-off opex + run cost + money out on "
            "Other rows",
        ),
        Check(
            "Total inflows",
            lambda w: (
                f"SUM({fin(w, 'Benefits')})+SUM({fin(w, 'Legacy savings')})"
                f'+SUMIF({fin(w, "Other (signed)")},">0")'
            ),
            m.total_inflow,
            money,
            "Financials: benefits + legacy savings + money in on Other rows",
        ),
        Check(
            "ROI",
            lambda w: (
                f"(B{w.row_of('Total inflows')}-B{w.row_of('Total cost')})"
                f"/B{w.row_of('Total cost')}"
            ),
            m.roi,
            "0.00%",
            "(inflows - cost) / cost, from the two checks above",
        ),
        Check(
            "Portfolio NPV (sum of Discounted net)",
            lambda w: f"SUM({fin(w, 'Discounted net')})",
            m.npv,
            money,
            "Financials: the Discounted net column",
        ),
    ]
    if not m.npv_by_hurdle and not dated:
        out.append(
            Check(
                "Portfolio NPV (Excel NPV of the Net column)",
                lambda w: (
                    f"{span(w.cash, 'Net cash flow', last=w.cash.header_row + 1)}"
                    f"+NPV({w.rates['rate_p']},"
                    f"{span(w.cash, 'Net cash flow', first=w.cash.header_row + 2)})"
                ),
                m.npv,
                money,
                "the 'At plan start' row at face value + NPV(rate per period, every period's "
                "net): each period's flow at its end",
            )
        )
    out.append(
        Check(
            "Portfolio NPV (sum of the Roadmap's NPV column)",
            lambda w: f"SUM({span(w.roadmap, 'NPV')})",
            m.npv,
            money,
            "each initiative's NPV at its planned start (its own hurdle rate where it has one)",
        )
    )
    if dated:
        out.append(
            Check(
                "IRR, MIRR and payback",
                lambda w: '"see How"',
                "see How",
                "@",
                "dated flows are valued on their exact days (XIRR, payback by day), which the "
                "period table cannot show; the Financials notes give them",
            )
        )
    else:
        if m.irr_annual is not None:
            several = "; several rates make the NPV zero" if m.irr_ambiguous else ""
            out.append(
                Check(
                    "IRR (per year)",
                    lambda w: f"(1+IRR({flows(w)}))^{w.rates['ppy']}-1",
                    m.irr_annual,
                    "0.0000%",
                    "Excel's IRR over the Net column from 'At plan start' to the last flow, "
                    "annualised" + several,
                )
            )
        if m.mirr_annual is not None:
            out.append(
                Check(
                    "MIRR (per year)",
                    lambda w: (
                        f"(1+MIRR({flows(w)},{w.rates['finance_p']},"
                        f"{w.rates['reinvest_p']}))^{w.rates['ppy']}-1"
                    ),
                    m.mirr_annual,
                    "0.0000%",
                    "Excel's MIRR over the same cells at the finance and reinvestment rates per "
                    "period, annualised",
                )
            )
        out.append(
            Check(
                "Payback date",
                lambda w: _payback_formula(w.block, "Pays back here", "Fraction"),
                m.payback_date,
                DATE,
                "the first row of the Audit periods sheet where the cumulative net is recovered "
                "(after the first inflow): its first day + the fraction of its days",
                is_date=True,
            )
        )
        out.append(
            Check(
                "Discounted payback date",
                lambda w: _payback_formula(
                    w.block, "Discounted pays back here", "Discounted fraction"
                ),
                m.discounted_payback_date,
                DATE,
                "the same on the cumulative Discounted net",
                is_date=True,
            )
        )
    out.append(
        Check(
            "Total spend in the horizon",
            lambda w: f"SUM({span(w.per_period, 'Total spend')})",
            h.spend,
            money,
            "Budget: the per-period Total spend",
        )
    )
    for k, year in enumerate(facts.years):

        def spend(w: Where, fy: int = year.fiscal_year) -> str:
            fiscal = span(w.per_period, "Fiscal year")
            return f"SUMIF({fiscal},{fy},{span(w.per_period, 'Total spend')})"

        out.append(
            Check(
                f"Spend {year.label}",
                spend,
                year.total,
                money,
                "Budget: the per-period Total spend of that fiscal year",
            )
        )
        if year.limit:

            def share(w: Where, k: int = k, spend: Callable[[Where], str] = spend) -> str:
                limit = ref(
                    w.per_year.sheet, w.per_year.col("Limit"), w.per_year.header_row + 1 + k
                )
                return f"{spend(w)}/{limit}"

            out.append(
                Check(
                    f"Spend vs budget {year.label}",
                    share,
                    year.utilisation,
                    "0.00%",
                    "that spend / the fiscal year's limit (Budget, per fiscal year)",
                )
            )
    return out


def _payback_formula(block: Block, flag: str, fraction: str) -> str:
    match = f"MATCH(TRUE,{block.rng(flag)},0)"
    return (
        f"IFERROR(INDEX({block.rng('First day')},{match})"
        f"+INT(INDEX({block.rng(fraction)},{match})*INDEX({block.rng('Days')},{match})+1E-9),"
        f'"{NOT_REACHED}")'
    )
