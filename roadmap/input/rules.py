"""Every input check, declared as data: its stable code, severity, where it points, and the words.

The reader (``roadmap.input``) and the validator (``roadmap.input.validate``) raise findings by code; the
README's table of checks is generated from this list. Messages and fixes are ``str.format``
templates filled with the facts of each finding.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from roadmap.domain import Finding, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    message: str  # template; {braces} are filled per finding
    fix: str = ""
    sheet: str = ""  # the sheet it points at when always the same one
    key: str | None = None  # the column key it points at when always the same one
    doc: str = ""  # for the README, when the message template alone says too little


# One rule per entry: code, severity, message, fix, then the sheet and column key it points at
# when always the same. Kept compact on purpose: it reads as a table.
# fmt: off
_RULES = (
    # Reading: the file's shape and each cell's type (raised by roadmap.input).
    Rule("missing-sheet", ERROR,
         "the required sheet '{sheet}' is missing",
         "add a sheet named '{sheet}' (`roadmap template` writes one)"),
    Rule("strict-workbook", WARNING,
         "the workbook is saved as Strict Open XML; it was converted to be read",
         "if anything below looks wrong, {fix}"),
    Rule("unknown-sheet", WARNING, "sheet '{title}' is not used", "{fix}"),
    Rule("duplicate-sheet", WARNING,
         "a second '{sheet}' sheet; only '{first}' is read", "merge the two sheets or rename one"),
    Rule("empty-sheet", WARNING,
         "the sheet is empty", "fill it in (or remove it if it is optional)"),
    Rule("no-header", ERROR,
         "no header row found", "put the column headers ({headers} …) in the first row"),
    Rule("missing-column", ERROR,
         "the required column '{header}' is missing",
         "add a column headed '{header}' to row {header_row}"),
    Rule("unknown-column", WARNING, "unknown column '{header}'", "{fix}"),
    Rule("misnamed-column", ERROR,
         "unknown column '{header}': did you mean '{close}'?",
         "rename the header to '{close}' (a unit in brackets is fine: '{close} (EUR)'), or "
         "delete the column"),
    Rule("scaled-header", ERROR,
         "'{header}' says its amounts are in '{unit}', but {name} is read in full currency units",
         "type the full amounts (450000, or 450k) and head the column '{name}'"),
    Rule("header-currency", WARNING,
         "'{header}' names {other}, but the workbook's currency is {currency}; the amounts are "
         "read as {currency}",
         "convert the amounts to {currency} (or set Currency on the Settings sheet) and correct "
         "the header"),
    Rule("merged-header", ERROR,
         "the header '{header}' is merged over {ref}, so column(s) {lost} have values but no "
         "header and would be lost",
         "unmerge {ref} and give each column its own header"),
    Rule("unnamed-column", WARNING,
         "this column has values but no header in row {header_row}; it is not read",
         "give the column a header (`roadmap template` lists them), or delete its values"),
    Rule("duplicate-column", WARNING,
         "a second '{header}' column is ignored", "delete one of them"),
    Rule("duplicate-criterion", ERROR,
         "criterion '{header}' has two columns", "delete one of them"),
    Rule("no-setting-names", ERROR,
         "no known setting names in column A",
         "put each setting's name (e.g. 'Plan start') in column A and its value in column B"),
    Rule("unknown-setting", WARNING, "unknown setting '{name}'", "{fix}"),
    Rule("duplicate-setting", WARNING,
         "'{name}' is set twice; the first row is used", "delete one row"),
    Rule("missing-setting", ERROR,
         "'Plan start' is not set",
         "add a row 'Plan start' with the first day of the plan, e.g. 2027-01-01"),
    Rule("missing-value", ERROR, "'{header}' is blank", "fill it in: {expected}"),
    Rule("merged-cell", ERROR,
         "'{header}' is part of merged cells, so this row has no value",
         "unmerge the cells and fill in every row"),
    Rule("formula-no-value", ERROR,
         "'{header}' holds a formula with no saved result",
         "open the file in Excel and save it, or type the value"),
    Rule("wrong-type", ERROR, "{header}: {problem}", "{fix}"),
    Rule("implausible-number", ERROR, "{header}: {problem}", "{fix}"),
    Rule("percent-as-number", WARNING,
         "{header}: the bare number {raw} was read as {number}%, i.e. the value taken is {taken}",
         "type it with a % sign (or as a fraction, e.g. 0.08) to silence this"),
    Rule("percent-too-large", ERROR, "{header}: {problem}", "{fix}"),
    Rule("date-as-number", WARNING,
         "{header}: {raw} was read as the date {date}{more}",
         "type it as {date} (or format the cell as a date) to silence this"),
    Rule("duplicate-dependency", WARNING,
         "'{predecessor}' → '{successor}' is already given in row {first}; this row is ignored",
         "delete one of the two rows"),
    Rule("conflicting-dependency", ERROR,
         "'{predecessor}' → '{successor}' has lag {lag} here but lag {first_lag} in row {first}",
         "keep one row with the lag you mean"),
    Rule("pairwise-not-square", ERROR,
         "the matrix is not square: {problem}",
         "give every criterion one row and one column, in any order", "Pairwise"),
    Rule("pairwise-bad-value", ERROR,
         "{problem}", "type a Saaty ratio such as 3 or 1/3", "Pairwise"),
    # Validation: business rules on the portfolio (raised by roadmap.input.validate, roadmap.input.checks).
    Rule("no-initiatives", ERROR,
         "there are no initiatives to plan", "add at least one row", "Initiatives"),
    Rule("negative-money", ERROR,
         "{header} is {value}, {relation} {bound}", "use a value {wanted} {bound}"),
    Rule("negative-fte", ERROR,
         "{header} is {value}, {relation} {bound}", "use a value {wanted} {bound}"),
    Rule("duration-too-short", ERROR,
         "{header} is {value}, {relation} {bound}", "use a value {wanted} {bound}"),
    Rule("maturity-out-of-range", ERROR,
         "{header} is {value}, {relation} {bound}", "use a value {wanted} {bound}"),
    Rule("out-of-range", ERROR,
         "{header} is {value}, {relation} {bound}", "use a value {wanted} {bound}"),
    Rule("duplicate-id", ERROR,
         "ID '{value}' is used twice (first in row {first})",
         "give every row its own ID, or delete the copy"),
    Rule("unknown-reference", ERROR,
         "'{value}' is not an ID on the {target} sheet",
         "correct the ID or add '{value}' to the {target} sheet"),
    Rule("missing-target-sheet", ERROR,
         "refers to the {target} sheet, which has no rows", "fill in the {target} sheet"),
    Rule("unused-pool", WARNING,
         "no initiative draws on funding pool '{pool}'",
         "set 'Funding pool' on the initiatives it funds, or correct the pool name", "Budget",
         "pool"),
    Rule("dependency-cycle", ERROR,
         "dependencies go round in a circle: {path}", "remove one of these dependencies",
         "Dependencies", "predecessor"),
    Rule("window-inverted", ERROR,
         "earliest start {start} is after must-finish-by {finish}", "correct one of the two dates",
         "Initiatives", "earliest_start"),
    Rule("window-too-short", ERROR,
         "must finish by {finish}, but starting on {start} it needs {duration} period(s) and "
         "finishes later", "move a date or shorten it", "Initiatives", "must_finish_by"),
    Rule("mandatory-too-long", ERROR,
         "mandatory, but its {duration} periods exceed the {horizon}-period horizon",
         "lengthen the horizon (Settings) or split the initiative", "Initiatives", "duration"),
    Rule("mandatory-window", ERROR,
         "mandatory, but it cannot start and finish inside the plan horizon given its dates "
         "and predecessors", "move its dates, lengthen the horizon, or untick Mandatory",
         "Initiatives", "must_finish_by"),
    Rule("mandatory-and-excluded", ERROR,
         "both Mandatory and Excluded", "untick one of them", "Initiatives", "excluded"),
    Rule("mandatory-alternatives", ERROR,
         "alternative group '{group}' allows one initiative, but {ids} are all mandatory",
         "keep Mandatory on one of them", "Initiatives", "alternative_group"),
    Rule("bundle-conflict", ERROR,
         "bundle '{bundle}' must be all or nothing, but {forced} is mandatory and {excluded} "
         "is excluded", "untick Excluded or Mandatory, or take it out of the bundle",
         "Initiatives", "bundle"),
    Rule("bad-profile", ERROR, "{header}: {problem}",
         "give each phase a share of 0 or more, e.g. '20%, 50%, 30%' (blank = even)"),
    Rule("profile-longer-than-build", WARNING,
         "{header} has {phases} phases but '{id}' is built in {duration} period(s); the phases "
         "past period {duration} are not used",
         "give at most {duration} shares, or lengthen the Duration"),
    Rule("zero-capacity-team", ERROR,
         "needs {fte} FTE from team '{team}', which has no capacity",
         "give the team capacity (Teams or Capacity changes) or move the work to another team",
         "Staffing", "team"),
    Rule("missing-actual-start", ERROR,
         "in progress, but the actual start is blank", "type the date the work started",
         "Initiatives", "actual_start"),
    Rule("actual-start-after-plan-start", ERROR,
         "in progress, but it started on {start}, after the plan start {plan_start}",
         "set the status to proposed (and use Earliest start), or correct the date", "Initiatives",
         "actual_start"),
    Rule("done-after-open", WARNING,
         "'{successor}' is done but its predecessor '{predecessor}' is not",
         "check both statuses, or remove the dependency", "Dependencies", "successor"),
    Rule("system-retired-twice", ERROR,
         "system '{system}' is retired by {ids}",
         "put these initiatives in one alternative group, or let only one retire it",
         "Initiatives", "retires"),
    Rule("target-below-current", WARNING,
         "target maturity {target} is below the current {current}",
         "raise the target (or lower the current maturity)", "Capabilities", "target"),
    Rule("lift-beyond-5", WARNING,
         "current {current} plus all lifts ({lifted}) goes past 5; the excess counts for nothing",
         "check the lifts on the Initiatives sheet", "Capabilities", "current"),
    Rule("no-criteria-weights", ERROR,
         "criteria {ids} have no weight and there is no Pairwise sheet",
         "type a weight for every criterion, or fill a Pairwise sheet", "Criteria", "weight"),
    Rule("blank-criteria-weights", WARNING,
         "criteria {ids} have no weight and count for nothing (there is no Pairwise sheet)",
         "type their weights, or fill a Pairwise sheet", "Criteria", "weight"),
    Rule("pairwise-not-reciprocal", ERROR,
         "{row_id} vs {col_id} is {value} but {col_id} vs {row_id} is {mirror}",
         "make it {reciprocal} (the reciprocal), or blank", "Pairwise"),
    Rule("score-out-of-scale", WARNING,
         "score {value} is outside {criterion}'s scale {low}–{high}",
         "correct the score or the scale", "Scores"),
    Rule("capacity-change-ends-first", ERROR,
         "the change ends ({end}) before it starts ({start})",
         "put the last day of the temporary capacity in 'To' (after 'From'), or leave 'To' "
         "blank for a lasting change", "Capacity changes", "end"),
    Rule("score-missing", WARNING,
         "{id} has no score for {ids}: it is scored as the worst value there",
         "fill the scores, or accept that a blank counts as the worst", "Scores", "initiative"),
    Rule("pairwise-inconsistent", WARNING,
         "the comparisons' consistency ratio is {cr}, above {limit}: they contradict each other",
         "revisit the comparisons (if A > B and B > C, A should be > C)", "Pairwise"),
    Rule("pairwise-missing-criteria", WARNING,
         "criteria {ids} are not compared and get weight 0",
         "add a row and a column for each criterion", "Pairwise"),
    Rule("criteria-weights-zero", WARNING,
         "every weight is 0: every criterion counts equally",
         "give the criteria weights", "Criteria", "weight"),
    Rule("budget-period-or-year", ERROR,
         "{which} Period and Fiscal year are given",
         "fill exactly one: a date inside the period, or the fiscal year", "Budget", "period"),
    Rule("budget-outside-horizon", WARNING,
         "{what} is outside the plan ({first} to {last}) and is ignored", "correct it", "Budget"),
    Rule("scenario-bad-value", ERROR, "{parameter}: {problem}", "{fix}", "Scenarios", "value"),
    Rule("scenario-moves-hurdles", WARNING,
         "scenario '{scenario}' sets the Discount rate to {rate}: hurdle rates move with it "
         "by {delta} points ({moved})",
         "nothing to do if each hurdle rate is the discount rate plus a premium; to test a "
         "fixed hurdle, leave the Discount rate alone in this scenario",
         "Scenarios", "value"),
    Rule("scenario-unknown-target", ERROR,
         "{parameter}: {problem}", "{fix}", "Scenarios", "target"),
    Rule("useful-life-too-short", ERROR,
         "'{id}' has a useful life of {years} year(s), shorter than one {period}",
         "type at least {shortest} year(s), or choose a shorter period length (Settings)",
         "Initiatives", "useful_life"),
    Rule("useful-life-rounded", WARNING,
         "'{id}': a useful life of {years} year(s) is {exact} {period}s; counted as {taken}",
         "type a useful life that is a whole number of periods", "Initiatives", "useful_life"),
    Rule("cash-flow-year-or-period", ERROR,
         "{which}",
         "fill exactly one: the year (1 = the first year after the start or go-live), the "
         "period, or a date", "Cash flows", "year"),
    Rule("cash-flow-date-and-year", ERROR,
         "a Date ({day}) is given together with a {other}",
         "keep one: the date (the day the money moves, discounted by exact days) or the "
         "{other} (counted from the start or go-live)", "Cash flows", "flow_date"),
    Rule("cash-flow-date-before-start", ERROR,
         "{day} is before '{id}' starts ({start}: {which})",
         "date it on or after {start}, or set an earlier Earliest start for '{id}'",
         "Cash flows", "flow_date"),
    Rule("cash-flow-date-after-plan", ERROR,
         "{day} is after the plan's last day ({last}); with Evaluation window 'horizon' it "
         "would never count", "date it inside the plan, or lengthen the horizon",
         "Cash flows", "flow_date"),
    Rule("cash-flow-date-counted-from", WARNING,
         "Counted from '{basis}' is not used for a dated row ({day}): a dated flow is placed "
         "by its date", "clear Counted from, or give a year or period instead of the date",
         "Cash flows", "counted_from"),
    Rule("negative-cash-flow", ERROR,
         "a '{category}' amount of {value} is negative; only 'other' may be negative",
         "type costs and benefits as positive amounts; money out that is no cost (or a refund "
         "or salvage) goes under 'other' with its sign", "Cash flows", "amount"),
    Rule("cash-flows-replace-columns", WARNING,
         "'{id}' has {rows} row(s) on the Cash flows sheet, so its {columns} are not used",
         "clear those cells, or delete its Cash flows rows to use them", "Initiatives"),
    Rule("rag-thresholds-order", ERROR,
         "RAG amber {what} ({amber}) is above RAG red {what} ({red})",
         "make the amber threshold the smaller one: amber warns before red", "Settings"),
    Rule("zero-probability", WARNING,
         "'{id}' has a 0% chance of success, so it brings no risk-adjusted benefit",
         "type its real probability, or exclude it", "Initiatives", "probability"),
    Rule("unaddressed-gap", WARNING,
         "'{id}' has a gap of {gap} but no initiative lifts it",
         "add a lift to an initiative, or accept the gap", "Capabilities", "id"),
    Rule("no-staffing", WARNING,
         "'{id}' needs no people from any team",
         "add its FTE on the Staffing sheet, if it needs any", "Initiatives", "id"),
    Rule("range-not-ordered", ERROR,
         "{quantity}: low {low}, likely {likely}, high {high} are not in order",
         "make low <= likely <= high (a blank likely is {default}; a blank low or high is the "
         "likely value)", "Uncertainty"),
    Rule("risk-hits-nothing", ERROR,
         "risk '{name}' names no initiative and no owner function",
         "list the initiatives it hits, or an owner function", "Risks", "initiatives"),
    Rule("risk-unknown-function", ERROR,
         "no initiative has owner function '{function}'",
         "type an owner function of the Initiatives sheet ({known})", "Risks", "owner_function"),
    Rule("risk-no-impact", WARNING,
         "risk '{name}' changes neither cost, benefit nor duration",
         "give its cost impact, benefit impact or delay, or delete the row", "Risks", "cost_impact"),
    Rule("idle-team", WARNING,
         "team '{id}' has capacity but no initiative needs it",
         "add its staffing, or remove the team", "Teams", "capacity"),
)
# fmt: on

_DOCS = {
    "unknown-sheet": "a sheet that is not part of the input (a close sheet name is suggested)",
    "unknown-column": "a column that is not part of the sheet (a close header is suggested)",
    "misnamed-column": "an unknown header close to a required or money column ('Capx')",
    "scaled-header": "a money header in thousands or millions ('Capex (€k)')",
    "header-currency": "a money header naming another currency than the Settings one",
    "merged-header": "a header merged over columns that hold values (G1:H1)",
    "unnamed-column": "values in a column whose header cell is blank",
    "strict-workbook": "a Strict Open XML workbook, converted to be read",
    "date-as-number": "a date typed as the number YYYYMMDD (20270401), read as that date",
    "duplicate-dependency": "the same dependency twice with the same lag (one is used)",
    "conflicting-dependency": "the same dependency twice with different lags",
    "bad-profile": "a cost or phase profile with a negative share, or with every share 0",
    "profile-longer-than-build": "a profile with more phases than the initiative has build periods",
    "wrong-type": "a cell does not read as its column's type (number, date, yes/no, choice …)",
    "implausible-number": "a number that is not finite or absurdly large (money above 1e13)",
    "percent-as-number": "a bare number above 1 (up to 100) in a percent cell was read as a "
    "percentage; said for every such cell, with the value taken",
    "percent-too-large": "a bare number above 100 in a percent cell (type 150% with the sign)",
    "pairwise-bad-value": "a pairwise cell that is not a positive ratio, or blank on both sides",
    "negative-money": "a money amount below zero",
    "negative-fte": "FTE or capacity below zero",
    "duration-too-short": "a duration under 1 period",
    "maturity-out-of-range": "a maturity outside 1–5",
    "out-of-range": "a value outside its column's allowed range (see the input tables)",
    "budget-outside-horizon": "a budget period or fiscal year outside the plan horizon",
    "scenario-bad-value": "a scenario override whose value does not read for its parameter",
    "scenario-unknown-target": "a scenario override whose target (team, initiative, pool, year) "
    "does not exist",
    "cash-flow-year-or-period": "a Cash flows row with both Year and Period, or with none of "
    "Year, Period and Date",
    "range-not-ordered": "an Uncertainty range whose low, likely and high are not in order",
    "rag-thresholds-order": "a RAG amber threshold (slip or overrun) above its red one",
}
RULES: dict[str, Rule] = {r.code: replace(r, doc=_DOCS.get(r.code, "")) for r in _RULES}


def finding(
    code: str, sheet: str, row: int | None = None, column: str | None = None, **facts: object
) -> Finding:
    """The finding for rule ``code`` at ``sheet`` / ``row`` / ``column`` (a letter)."""
    rule = RULES[code]
    facts.setdefault("sheet", sheet)
    return Finding(
        rule.severity,
        sheet,
        rule.message.format(**facts),
        rule.fix.format(**facts),
        row,
        column,
        code,
    )
