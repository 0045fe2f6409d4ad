"""Native Excel charts on the Summary sheet, reading the tables of the other sheets."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from roadmap.report.layout import TableSpot

# three charts stacked beside the key figures, all on one landscape page at a legible size
WIDTH, HEIGHT = 14.0, 5.6  # cm
ROWS = 11  # rows of 15 points a chart takes, with a little air
OVER_FILL = PatternFill("solid", fgColor="F8696B")  # as the Capacity sheet marks overload
HEAT_FONT = 10
OVER_FONT = Font(bold=True, color="9C0006", size=HEAT_FONT)
HEAT_COLUMNS = 12  # periods a heat map shows side by side; more are shown in groups
HEAT_MAP_TOP = 3 + 2 * ROWS  # under the two charts
CASH_LABELS = 10  # period labels the cash-flow chart's axis can print side by side


def _ref(ws: Worksheet, spot: TableSpot, header: str, with_header: bool = True) -> Reference:
    col = spot.col(header)
    first = spot.header_row if with_header else spot.header_row + 1
    return Reference(ws, min_col=col, min_row=first, max_row=spot.last_row)


HEAT_MAP_ABOVE = 6  # teams: more lines than this no longer read as a chart


def spend_chart(
    budget_ws: Worksheet, spot: TableSpot, by_year: bool, money_format: str, currency: str = ""
) -> BarChart:
    """Spend per period or fiscal year (stacked bars) against its limit (line)."""
    bar = BarChart()
    bar.title = "Spend vs budget per " + ("fiscal year" if by_year else "period")
    bar.add_data(_ref(budget_ws, spot, "Capex"), titles_from_data=True)
    bar.add_data(_ref(budget_ws, spot, "Opex"), titles_from_data=True)
    bar.grouping = "stacked"
    bar.overlap = 100
    bar.set_categories(_ref(budget_ws, spot, "Period", with_header=False))
    line = LineChart()
    line.add_data(_ref(budget_ws, spot, "Limit"), titles_from_data=True)
    # a limit set for a single period is one point: without a marker it would not show
    line.series[0].marker.symbol = "dash"
    line.series[0].marker.size = 12
    line.series[0].smooth = False
    bar.y_axis.title = f"Spend ({currency})" if currency else "Spend"
    bar.x_axis.title = "Fiscal year" if by_year else "Period"
    bar.y_axis.numFmt = money_format
    bar += line
    return _sized(bar)


def cash_chart(
    fin_ws: Worksheet, spot: TableSpot, money_format: str, currency: str = ""
) -> LineChart:
    chart = LineChart()
    chart.title = "Cumulative net cash flow"
    chart.add_data(_ref(fin_ws, spot, "Cumulative net"), titles_from_data=True)
    chart.add_data(_ref(fin_ws, spot, "Cumulative discounted"), titles_from_data=True)
    chart.set_categories(_ref(fin_ws, spot, "Period", with_header=False))
    chart.y_axis.numFmt = money_format
    chart.y_axis.title = f"Cumulative net ({currency})" if currency else "Cumulative net"
    chart.x_axis.title = "Period"
    chart.x_axis.tickLblPos = "low"  # keep period labels below negative values
    # a label every so many periods: a hundred months' labels print over each other
    periods = spot.last_row - spot.header_row
    chart.x_axis.tickLblSkip = max(1, -(-periods // CASH_LABELS))
    chart.x_axis.tickMarkSkip = chart.x_axis.tickLblSkip
    return _sized(chart)


def utilisation_chart(cap_ws: Worksheet, spot: TableSpot, teams: int) -> LineChart:
    """One line per team: utilisation by period (rows of the utilisation block)."""
    chart = LineChart()
    chart.title = "Team utilisation"
    first_col = spot.col("Team") + 1
    last_col = first_col + len(spot.columns) - 2
    for r in range(spot.header_row + 1, spot.header_row + 1 + teams):
        data = Reference(cap_ws, min_col=first_col - 1, max_col=last_col, min_row=r, max_row=r)
        chart.add_data(data, from_rows=True, titles_from_data=True)
    cats = Reference(cap_ws, min_col=first_col, max_col=last_col, min_row=spot.header_row)
    chart.set_categories(cats)
    chart.y_axis.numFmt = "0%"
    chart.y_axis.title = "Demand / capacity"
    chart.x_axis.title = "Period"
    for s in chart.series:
        s.smooth = False
    return _sized(chart)


def _sized(chart):
    chart.width, chart.height = WIDTH, HEIGHT
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    return chart


def add_summary_charts(
    summary: Worksheet,
    budget: tuple[Worksheet, TableSpot, bool],
    cash: tuple[Worksheet, TableSpot],
    capacity: tuple[Worksheet, TableSpot, int],
    money_format: str,
    currency: str = "",
) -> None:
    summary.add_chart(spend_chart(*budget, money_format, currency), "E3")
    summary.add_chart(cash_chart(*cash, money_format, currency), f"E{3 + ROWS}")
    teams = capacity[2]
    if 0 < teams <= HEAT_MAP_ABOVE:
        summary.add_chart(utilisation_chart(*capacity), f"E{HEAT_MAP_TOP}")
    elif teams:
        # ten lines in one chart read as noise: a heat map, team by period, reads at a glance
        utilisation_heat_map(summary, *capacity, top=HEAT_MAP_TOP, left=5)


def period_groups(periods: int, most: int = HEAT_COLUMNS) -> list[range]:
    """Consecutive periods in as few equal groups as keep at most ``most`` columns (36 months
    -> 12 groups of 3)."""
    size = max(1, -(-periods // most))
    return [range(k, min(k + size, periods)) for k in range(0, periods, size)]


def utilisation_heat_map(
    summary: Worksheet, cap_ws: Worksheet, spot: TableSpot, teams: int, top: int, left: int
) -> None:
    """Team × period utilisation from the Capacity sheet's Utilisation table, coloured by a
    scale (white, green to 70 %, yellow at 100 %, red above), with a link to the table. A long
    horizon is shown in groups of periods, each the highest of its periods (an overload in any
    one of them still shows red)."""
    first_col = spot.col("Team")
    groups = period_groups(len(spot.columns) - 1)
    title = "Team utilisation (demand / capacity)"
    if len(groups[0]) > 1:
        title = f"Team utilisation: the highest of each {len(groups[0])} periods"
    cell = summary.cell(row=top, column=left, value=title)
    cell.font = Font(bold=True, size=11)
    link = summary.cell(row=top + 1, column=left, value=f"every period: the {cap_ws.title} sheet")
    link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{cap_ws.title}'!A{spot.header_row}")
    link.font = Font(color="0563C1", underline="single", size=HEAT_FONT)
    head = top + 2
    small = Font(size=HEAT_FONT)
    corner = summary.cell(row=head, column=left, value="Team")
    corner.font = Font(size=HEAT_FONT, bold=True)
    for j, group in enumerate(groups, start=1):
        label = cap_ws.cell(row=spot.header_row, column=first_col + 1 + group[0]).value
        cell = summary.cell(row=head, column=left + j, value=label)
        cell.font = Font(size=HEAT_FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", text_rotation=90)
    # rotated labels need the row's height: an unsized row would print them over the title
    longest = max(
        (
            len(str(summary.cell(row=head, column=left + j).value or ""))
            for j in range(1, len(groups) + 1)
        ),
        default=4,
    )
    summary.row_dimensions[head].height = longest * HEAT_FONT * 0.6 + 6
    for k in range(teams):
        row = spot.header_row + 1 + k
        name = summary.cell(
            row=head + 1 + k, column=left, value=cap_ws.cell(row=row, column=first_col).value
        )
        name.font = small
        for j, group in enumerate(groups, start=1):
            values = [cap_ws.cell(row=row, column=first_col + 1 + t).value for t in group]
            numbers = [v for v in values if isinstance(v, int | float)]
            cell = summary.cell(
                row=head + 1 + k, column=left + j, value=max(numbers) if numbers else None
            )
            cell.font = small
            cell.number_format = "0%"
    for j in range(1, len(groups) + 1):
        summary.column_dimensions[get_column_letter(left + j)].width = 4.6
    cells = (
        f"{get_column_letter(left + 1)}{head + 1}:"
        f"{get_column_letter(left + len(groups))}{head + teams}"
    )
    mark_utilisation(summary, cells, OVER_FONT)


def mark_utilisation(ws: Worksheet, cells: str, over_font: Font) -> None:
    """Utilisation cells as a heat map (white, green near 70 %, yellow at 100 %), and above
    capacity in red. The red rule goes first so that, where both apply, it wins."""
    ws.conditional_formatting.add(
        cells,
        CellIsRule(operator="greaterThan", formula=["1.0001"], fill=OVER_FILL, font=over_font),
    )
    ws.conditional_formatting.add(
        cells,
        ColorScaleRule(
            start_type="num",
            start_value=0,
            start_color="FFFFFF",
            mid_type="num",
            mid_value=0.7,
            mid_color="C6EFCE",
            end_type="num",
            end_value=1,
            end_color="FFEB84",
        ),
    )
