"""The input workbook, declared as data.

The reader, the validator, the template writer and the README's input table all come from these
declarations: add a column here and it is read, checked, templated and documented.

Cell types (``Column.type``):

- ``text``      any text; surrounding spaces are trimmed
- ``id``        an identifier: text, trimmed, compared case-sensitively
- ``int``       a whole number
- ``number``    a number; "1,250,000", "€1.2m" style thousands separators and currency signs accepted
- ``money``     a number in the workbook's currency, never negative
- ``percent``   8 %, "8%" or 0.08 all mean 0.08
- ``date``      a real Excel date or ISO text (2027-04-01)
- ``bool``      yes/no, true/false, y/n, 1/0, x (blank = no)
- ``choice``    one of ``Column.choices`` (case-insensitive)
- ``list``      several ids: "A, B; C"
- ``numbers``   several numbers: "20%, 50%, 30%" or "1, 2, 1"
- ``lifts``     capability lifts: "CAP-01: 1, CAP-02: 0.5"
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from roadmap.domain import (
    EvaluationWindow,
    FlowBasis,
    FlowCategory,
    ObjectiveKind,
    PeriodKind,
    SpendKind,
    Status,
)


@dataclass(frozen=True)
class Column:
    key: str  # the domain field (or settings key) it fills
    header: str  # what the template writes; matching ignores case, spaces and punctuation
    type: str = "text"
    required: bool = False  # the column must exist and every data row must fill it
    default: object = None
    unit: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | date | None = None  # dates for date columns
    maximum: float | date | None = None
    aliases: tuple[str, ...] = ()
    example: object = None


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...] = ()
    required: bool = True
    key_value: bool = False  # Settings: one row per setting (Setting | Value)
    wide: bool = False  # Scores / Pairwise: extra columns named after criteria
    id_column: str | None = "id"  # the key that must be unique, if any
    aliases: tuple[str, ...] = ()
    # required only to plan (`roadmap plan`); the money case (`roadmap roi`) runs without it
    plan_only: bool = False

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.name} has no column {key!r}")


# Upper bounds that keep every size the tool allocates sane (periods are at most 240 plan periods;
# a longer build or lag could never be planned, a longer life is not a plan input).
MAX_HORIZON = 240
MAX_PERIODS = 240
MAX_LIFE_YEARS = 100
MAX_TIME_LIMIT = 7 * 24 * 3600  # a week, in seconds
# Dates the calendar can place: a start or period later than this could push a plan past year
# 9999. A deadline may be later (a far date means no deadline).
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2200, 12, 31)

_PERIOD_CHOICES = tuple(p.value for p in PeriodKind)
_OBJECTIVE_CHOICES = tuple(o.value for o in ObjectiveKind)

SETTINGS = Sheet(
    "Settings",
    "Plan-wide assumptions, one per row: the setting's name in column A, its value in column B.",
    key_value=True,
    id_column=None,
    columns=(
        Column(
            "plan_start",
            "Plan start",
            "date",
            required=True,
            minimum=date(1950, 1, 1),
            maximum=LAST_DATE,
            example="2027-01-01",
            help="First day of the first plan period (use the 1st of a month).",
        ),
        Column(
            "period",
            "Period length",
            "choice",
            default="quarter",
            choices=_PERIOD_CHOICES,
            help="month, quarter or year (a year of 12 months from the plan start; with a fiscal "
            "year start month equal to the plan start's month, each period is one fiscal year).",
        ),
        Column(
            "horizon",
            "Horizon",
            "int",
            default=12,
            unit="periods",
            minimum=1,
            maximum=MAX_HORIZON,
            help="Number of periods the plan covers.",
        ),
        Column(
            "portfolio_name",
            "Portfolio name",
            "text",
            default="",
            example="Retail D2C digital roadmap",
            help="What the plan's Summary, page headers and exports call the portfolio (blank = "
            "the input file's name).",
        ),
        Column(
            "currency",
            "Currency",
            "text",
            default="EUR",
            help="ISO code used for number formats (EUR, USD, GBP …).",
        ),
        Column(
            "discount_rate",
            "Discount rate",
            "percent",
            default=0.08,
            minimum=0,
            unit="per year",
            help="Annual discount rate (WACC or hurdle rate), e.g. 8%. Any rate of 0 or more, "
            "above 100% too (type 150%).",
        ),
        Column(
            "finance_rate",
            "Finance rate",
            "percent",
            minimum=0,
            unit="per year",
            help="MIRR: the rate paid on the money put in (blank = the discount rate).",
        ),
        Column(
            "reinvestment_rate",
            "Reinvestment rate",
            "percent",
            minimum=0,
            unit="per year",
            help="MIRR: the rate earned on the money that comes back (blank = the discount rate).",
        ),
        Column(
            "cost_escalation",
            "Cost escalation",
            "percent",
            default=0.0,
            minimum=-0.5,
            unit="per year",
            help="Annual growth of every cost, compounding from the plan start: amounts are "
            "typed in plan-start prices (0 = none). Budgets compare spend in plan-start prices.",
        ),
        Column(
            "benefit_escalation",
            "Benefit escalation",
            "percent",
            default=0.0,
            minimum=-0.5,
            unit="per year",
            help="Annual growth of every benefit, compounding from the plan start (0 = none).",
        ),
        Column(
            "objective",
            "Objective",
            "choice",
            default="npv",
            choices=_OBJECTIVE_CHOICES,
            help="What the optimizer maximises: npv, score, capability, blend or "
            "earliest-completion.",
        ),
        Column(
            "time_limit",
            "Solver time limit",
            "number",
            default=60.0,
            unit="seconds",
            minimum=1,
            maximum=MAX_TIME_LIMIT,
            help="Wall-clock limit for the optimizer.",
        ),
        Column(
            "mip_gap",
            "Solver gap",
            "percent",
            default=0.001,
            minimum=0,
            maximum=1,
            help="Stop when the plan is proven within this share of the best possible: 0.1 % "
            "unless set (35,000 on a plan worth 35 million; the Summary says how much); 0 = "
            "proven optimal, which can take ten times longer on 80 or more initiatives.",
        ),
        Column(
            "threads",
            "Solver threads",
            "int",
            default=0,
            minimum=0,
            maximum=256,
            help="0 lets the solver choose.",
        ),
        Column(
            "solver",
            "Solver",
            "choice",
            default="auto",
            choices=("auto", "cbc", "highs", "scip"),
            help="auto uses HiGHS when installed, otherwise CBC; scip needs pyscipopt.",
        ),
        Column(
            "risk_adjusted",
            "Risk-adjusted benefits",
            "bool",
            default=True,
            help="Scale benefits by each initiative's probability of success.",
        ),
        Column(
            "evaluation_window",
            "Evaluation window",
            "choice",
            default="useful life",
            choices=tuple(w.value for w in EvaluationWindow),
            help="horizon: value cash flows inside the plan only; useful life: follow each "
            "initiative to the end of its useful life.",
        ),
        Column(
            "fiscal_year_start_month",
            "Fiscal year start month",
            "int",
            default=1,
            minimum=1,
            maximum=12,
            help="1 = January. A fiscal year is named by the year it ends in.",
        ),
        Column(
            "budget_carry_over",
            "Budget carry-over",
            "bool",
            default=False,
            help="Unspent budget rolls forward to the next period / fiscal year.",
        ),
        Column(
            "change_limit",
            "Change limit per function",
            "int",
            default=None,
            minimum=1,
            help="Most initiatives one owner function may have running at once (blank = none).",
        ),
        Column("blend_npv", "Blend weight NPV", "percent", default=0.5, minimum=0, maximum=1),
        Column("blend_score", "Blend weight score", "percent", default=0.25, minimum=0, maximum=1),
        Column(
            "blend_capability",
            "Blend weight capability",
            "percent",
            default=0.25,
            minimum=0,
            maximum=1,
        ),
        Column(
            "risk_distribution",
            "Risk distribution",
            "choice",
            default="triangular",
            choices=("triangular", "pert"),
            help="`roadmap risk`: the shape of every low / likely / high range (Uncertainty "
            "sheet): triangular, or PERT (a beta distribution, less weight on the extremes).",
        ),
        Column(
            "risk_correlation",
            "Risk correlation",
            "percent",
            default=0.0,
            minimum=0,
            maximum=1,
            help="`roadmap risk`: how strongly the estimates of initiatives with the same owner "
            "function move together (0% = independently, 100% = in lockstep).",
        ),
        Column(
            "rag_amber_slip",
            "RAG amber slip",
            "int",
            default=5,
            unit="working days",
            minimum=0,
            maximum=1000,
            help="`roadmap replan` status report: amber when a go-live or milestone is more "
            "than this many working days late against the plan handed out.",
        ),
        Column(
            "rag_red_slip",
            "RAG red slip",
            "int",
            default=10,
            unit="working days",
            minimum=0,
            maximum=1000,
            help="Red beyond this many working days late (at least the amber slip).",
        ),
        Column(
            "rag_amber_overrun",
            "RAG amber overrun",
            "percent",
            default=0.02,
            minimum=0,
            maximum=10,
            help="Amber when an initiative's build cost forecast at completion is more than "
            "this share over its budget.",
        ),
        Column(
            "rag_red_overrun",
            "RAG red overrun",
            "percent",
            default=0.05,
            minimum=0,
            maximum=10,
            help="Red beyond this share over budget (at least the amber overrun).",
        ),
    ),
)

CAPABILITIES = Sheet(
    "Capabilities",
    "Each capability with its current and target maturity (1–5); the gap is what the roadmap "
    "must close.",
    plan_only=True,
    columns=(
        Column("id", "ID", "id", required=True, example="CAP-01"),
        Column("name", "Name", "text", required=True, example="Customer data & identity"),
        Column(
            "area",
            "Area",
            "text",
            example="data",
            help="marketing, technology, operations, data or people.",
        ),
        Column(
            "current", "Current maturity", "number", required=True, minimum=1, maximum=5, example=2
        ),
        Column(
            "target", "Target maturity", "number", required=True, minimum=1, maximum=5, example=4
        ),
        Column(
            "importance",
            "Importance",
            "number",
            default=1.0,
            minimum=0,
            example=3,
            help="Relative weight of closing this capability's gap.",
        ),
        Column(
            "owner_function",
            "Owner function",
            "text",
            example="Marketing",
            help="The single function accountable for this capability.",
        ),
    ),
)

INITIATIVES = Sheet(
    "Initiatives",
    "Candidate initiatives with their costs, benefits, timing rules and links.",
    columns=(
        Column("id", "ID", "id", required=True, example="INI-01"),
        Column("name", "Name", "text", required=True, example="Customer data platform"),
        Column("description", "Description", "text"),
        Column("owner_function", "Owner function", "text", example="Marketing"),
        Column(
            "accountable_team",
            "Accountable team",
            "id",
            example="DATA",
            help="Team id (Teams sheet) accountable for delivery.",
        ),
        Column(
            "duration",
            "Duration",
            "int",
            required=True,
            unit="periods",
            minimum=1,
            maximum=MAX_PERIODS,
            example=3,
            help="Build periods; go-live is at the end of the last one.",
        ),
        Column("capex", "Capex", "money", default=0.0, unit="currency", example=450000),
        Column(
            "one_off_opex", "One-off opex", "money", default=0.0, unit="currency", example=80000
        ),
        Column(
            "run_cost",
            "Run cost per year",
            "money",
            default=0.0,
            unit="currency/year",
            example=60000,
            help="Licences, hosting and support after go-live.",
        ),
        Column(
            "benefit_revenue",
            "Revenue uplift per year",
            "money",
            default=0.0,
            unit="currency/year",
            example=300000,
            help="Gross margin from extra revenue at full ramp-up.",
        ),
        Column(
            "benefit_saving",
            "Cost saving per year",
            "money",
            default=0.0,
            unit="currency/year",
            example=120000,
            help="Savings at full ramp-up, excluding legacy run costs retired (those come "
            "from the Systems sheet).",
        ),
        Column(
            "ramp_up",
            "Ramp-up",
            "int",
            default=0,
            unit="periods",
            minimum=0,
            maximum=MAX_PERIODS,
            example=2,
            help="Periods after go-live until benefits are at full rate (linear).",
        ),
        Column(
            "useful_life",
            "Useful life",
            "number",
            default=5.0,
            unit="years",
            minimum=0,
            maximum=MAX_LIFE_YEARS,
            example=5,
        ),
        Column(
            "probability",
            "Probability of success",
            "percent",
            default=1.0,
            minimum=0,
            maximum=1,
            example="85%",
        ),
        Column("earliest_start", "Earliest start", "date", minimum=FIRST_DATE, maximum=LAST_DATE),
        Column("must_finish_by", "Must finish by", "date", minimum=FIRST_DATE),
        Column("mandatory", "Mandatory", "bool", default=False),
        Column("excluded", "Excluded", "bool", default=False),
        Column(
            "status",
            "Status",
            "choice",
            default="proposed",
            choices=tuple(s.value for s in Status),
            help="proposed, in progress (give the actual start) or done.",
        ),
        Column(
            "actual_start",
            "Actual start",
            "date",
            minimum=FIRST_DATE,
            maximum=LAST_DATE,
            help="Required when the status is 'in progress'.",
        ),
        Column(
            "alternative_group",
            "Alternative group",
            "id",
            help="At most one initiative of a group is chosen (e.g. build vs buy).",
        ),
        Column("bundle", "Bundle", "id", help="All initiatives of a bundle, or none."),
        Column(
            "funding_pool",
            "Funding pool",
            "id",
            example="IT",
            help="Budget pool this initiative draws on (Budget sheet).",
        ),
        Column(
            "retires",
            "Retires systems",
            "list",
            help="System ids (Systems sheet) switched off at go-live.",
        ),
        Column(
            "lifts",
            "Capability lifts",
            "lifts",
            example="CAP-01: 1, CAP-04: 0.5",
            help="Capability id and maturity levels gained, e.g. 'CAP-01: 1, CAP-04: 0.5'.",
        ),
        Column(
            "cost_profile",
            "Cost profile",
            "numbers",
            help="Relative spend per build phase, e.g. '20%, 50%, 30%'. Blank = even.",
        ),
        Column(
            "hurdle_rate",
            "Hurdle rate",
            "percent",
            minimum=0,
            unit="per year",
            help="Discount rate for this initiative's NPV instead of the Settings one (blank = "
            "the Settings rate); the plan NPV adds each initiative's NPV at its own rate.",
        ),
        Column(
            "cost_escalation",
            "Cost escalation",
            "percent",
            minimum=-0.5,
            unit="per year",
            help="This initiative's cost escalation (blank = the Settings value).",
        ),
        Column(
            "benefit_escalation",
            "Benefit escalation",
            "percent",
            minimum=-0.5,
            unit="per year",
            help="This initiative's benefit escalation (blank = the Settings value).",
        ),
    ),
)

CASH_FLOWS = Sheet(
    "Cash flows",
    "Optional business cases written as finance writes them: one row per initiative, category "
    "and year (or period, or date). An initiative with rows here takes its capex, one-off opex, run cost "
    "and benefits from them instead of its Initiatives columns.",
    required=False,
    id_column=None,
    aliases=("Cashflows", "Cash flow", "Business case", "Business cases"),
    columns=(
        Column("initiative", "Initiative", "id", required=True, example="INI-03"),
        Column(
            "category",
            "Category",
            "choice",
            required=True,
            choices=tuple(c.value for c in FlowCategory),
            example="capex",
            help="capex, one-off opex, run cost, benefit (revenue as margin, or saving) or other "
            "(signed: + salvage or refund, − a later outlay).",
        ),
        Column(
            "year",
            "Year",
            "int",
            minimum=0,
            example=1,
            help="Year 1 = the first year after the reference, its amount spread evenly over "
            "that year's periods; year 0 = at the reference moment. Give a year, a period or a date.",
        ),
        Column(
            "period",
            "Period",
            "int",
            minimum=0,
            help="Instead of a year: period 1 = the first period after the reference; "
            "period 0 = at the reference moment.",
        ),
        Column(
            "flow_date",
            "Date",
            "date",
            minimum=FIRST_DATE,
            maximum=LAST_DATE,
            help="Instead of a year or a period: the day the money moves, for a start at the "
            "initiative's earliest start (the plan start when blank); it moves by whole periods "
            "with the start. Discounted by exact days from the plan start (actual/365, as "
            "Excel's XNPV); budgets and the schedule count it in the period that contains it.",
        ),
        Column(
            "counted_from",
            "Counted from",
            "choice",
            default="start",
            choices=tuple(b.value for b in FlowBasis),
            help="start: years counted from the initiative's start; go-live: from its go-live "
            "(the end of the build).",
        ),
        Column(
            "amount",
            "Amount",
            "money",
            required=True,
            unit="currency",
            minimum=-1e13,
            example=300000,
            help="Positive for every category; only 'other' may be negative (money out).",
        ),
        Column("note", "Note", "text", example="Build, as approved in the business case"),
    ),
)

DEPENDENCIES = Sheet(
    "Dependencies",
    "Finish-to-start links: the successor may start only after the predecessor has finished "
    "(plus the lag), and only if the predecessor is done or selected. A Predecessor that names "
    "an alternative group (Initiatives: Alternative group) means whichever of its initiatives "
    "is chosen.",
    required=False,
    id_column=None,
    columns=(
        Column(
            "predecessor",
            "Predecessor",
            "id",
            required=True,
            example="INI-01",
            help="An initiative ID, or an alternative group: the one chosen of that group.",
        ),
        Column("successor", "Successor", "id", required=True, example="INI-02"),
        Column("lag", "Lag", "int", default=0, unit="periods", minimum=0, maximum=MAX_PERIODS),
    ),
)

TEAMS = Sheet(
    "Teams",
    "Delivery teams and the FTE each can put into initiatives per period.",
    plan_only=True,
    columns=(
        Column("id", "ID", "id", required=True, example="DATA"),
        Column("name", "Name", "text", example="Data & analytics"),
        Column("function", "Function", "text", example="Data & analytics"),
        Column(
            "capacity",
            "Capacity",
            "number",
            required=True,
            unit="FTE per period",
            minimum=0,
            example=6,
        ),
        Column(
            "over_allocation",
            "Over-allocation tolerance",
            "percent",
            default=0.0,
            minimum=0,
            maximum=1,
            help="Tolerated overload, e.g. 10%; reported when used.",
        ),
        Column(
            "cost_per_fte_year",
            "Cost per FTE-year",
            "money",
            minimum=0,
            unit="currency/year",
            example=110000,
            help="Fully loaded cost of one FTE for a year (blank = unknown); the Marginal value "
            "sheet and capacity scenarios net it off the gain of an extra FTE.",
        ),
    ),
)

CAPACITY_CHANGES = Sheet(
    "Capacity changes",
    "Per-period capacity overrides for hiring, holidays or freezes: from the period containing "
    "'From' to the one containing 'To' (blank = to the end) the team has this capacity.",
    required=False,
    id_column=None,
    columns=(
        Column("team", "Team", "id", required=True, example="DATA"),
        Column(
            "start",
            "From",
            "date",
            required=True,
            minimum=FIRST_DATE,
            maximum=LAST_DATE,
            example="2027-07-01",
        ),
        Column("end", "To", "date", minimum=FIRST_DATE),
        Column(
            "capacity",
            "Capacity",
            "number",
            required=True,
            unit="FTE per period",
            minimum=0,
            example=8,
        ),
        Column("note", "Note", "text", example="Two data engineers hired"),
    ),
)

BLACKOUT_KINDS = ("go-live", "kick-off", "both")
CALENDAR = Sheet(
    "Calendar",
    "Change freezes: from 'From' to 'To' (inclusive) no initiative may go live (Applies to "
    "go-live), kick off (kick-off) or either (both). A go-live is the last working day of an "
    "initiative's last build period, a kick-off the first working day of its start period; a "
    "start whose go-live or kick-off falls in a freeze is not allowed.",
    required=False,
    id_column=None,
    aliases=("Blackouts", "Change freezes", "Freezes"),
    columns=(
        Column(
            "start",
            "From",
            "date",
            required=True,
            minimum=FIRST_DATE,
            maximum=LAST_DATE,
            example="2027-11-15",
        ),
        Column(
            "end",
            "To",
            "date",
            required=True,
            minimum=FIRST_DATE,
            maximum=LAST_DATE,
            example="2028-01-10",
        ),
        Column(
            "applies_to",
            "Applies to",
            "choice",
            choices=BLACKOUT_KINDS,
            default="go-live",
            help="What may not happen inside the freeze.",
        ),
        Column("note", "Note", "text", example="Peak-season freeze"),
    ),
)

STAFFING = Sheet(
    "Staffing",
    "FTE each initiative needs from each team while it is being built.",
    id_column=None,
    plan_only=True,
    columns=(
        Column("initiative", "Initiative", "id", required=True, example="INI-01"),
        Column("team", "Team", "id", required=True, example="DATA"),
        Column("fte", "FTE", "number", required=True, unit="FTE per period", minimum=0, example=2),
        Column(
            "profile",
            "Phase profile",
            "numbers",
            example="50%, 100%, 50%",
            help="Relative intensity per phase (100% = the FTE above); blank = flat.",
        ),
    ),
)

BUDGET = Sheet(
    "Budget",
    "Spending limits. Each row is either one period (give a date inside it under 'Period') or "
    "one fiscal year (give the year under 'Fiscal year'); optionally per funding pool and for "
    "capex or opex only.",
    id_column=None,
    plan_only=True,
    columns=(
        Column(
            "period", "Period", "date", minimum=FIRST_DATE, maximum=LAST_DATE, example="2027-01-01"
        ),
        Column("fiscal_year", "Fiscal year", "int", minimum=1900, maximum=2200),
        Column("pool", "Funding pool", "id"),
        Column(
            "kind",
            "Spend type",
            "choice",
            default="total",
            choices=tuple(k.value for k in SpendKind),
        ),
        Column("amount", "Limit", "money", required=True, unit="currency", example=1500000),
    ),
)

SYSTEMS = Sheet(
    "Systems",
    "Existing (legacy) systems and their run cost; retired when the initiative replacing them "
    "goes live.",
    required=False,
    columns=(
        Column("id", "ID", "id", required=True, example="SYS-01"),
        Column("name", "Name", "text", example="Legacy e-commerce platform"),
        Column(
            "run_cost",
            "Run cost per year",
            "money",
            required=True,
            unit="currency/year",
            example=250000,
        ),
        Column("owner_function", "Owner function", "text", example="IT"),
    ),
)

CRITERIA = Sheet(
    "Criteria",
    "Weighted criteria that score the candidates. Give weights here, or leave them blank and "
    "fill the Pairwise sheet.",
    required=False,
    columns=(
        Column("id", "ID", "id", required=True, example="FIT"),
        Column("name", "Name", "text", example="Strategic fit"),
        Column("weight", "Weight", "number", minimum=0, example=30),
        Column(
            "direction",
            "Direction",
            "choice",
            default="higher is better",
            choices=("higher is better", "lower is better"),
        ),
        Column("scale_min", "Scale min", "number", default=0.0, example=0),
        Column("scale_max", "Scale max", "number", default=10.0, example=10),
    ),
)

SCORES = Sheet(
    "Scores",
    "One row per initiative, one column per criterion ID (as on the Criteria sheet).",
    required=False,
    wide=True,
    id_column="initiative",
    columns=(Column("initiative", "Initiative", "id", required=True, example="INI-01"),),
)

PAIRWISE = Sheet(
    "Pairwise",
    "Optional pairwise comparison of criteria (Saaty 1–9 scale): row criterion vs column "
    "criterion. Weights are derived by the analytic hierarchy process.",
    required=False,
    wide=True,
    id_column="criterion",
    columns=(Column("criterion", "Criterion", "id", required=True, example="FIT"),),
)

SCENARIO_PARAMETERS: dict[str, str] = {
    "budget_scale": "Budget multiplier, e.g. 80%. Target: a fiscal year or pool, blank = all.",
    "capacity_change": "FTE added (+) or removed (−) for the target team from 'From' on.",
    "discount_rate": "Annual discount rate replacing the base one.",
    "horizon": "Number of periods.",
    "objective": "npv, score, capability, blend or earliest-completion.",
    "force_in": "Target initiative must be selected (value ignored).",
    "force_out": "Target initiative must not be selected (value ignored).",
    "benefit_haircut": "Benefits reduced by this share, e.g. 20%.",
    "cost_overrun": "Capex and one-off opex increased by this share, e.g. 15%.",
    "delay": "Whole periods, e.g. 2: the target initiatives (blank = all proposed) may start "
    "that many periods later than their earliest start; work in progress is not moved.",
}

SCENARIOS = Sheet(
    "Scenarios",
    "Named what-if cases, one override per row; rows with the same scenario name belong together.",
    required=False,
    id_column=None,
    columns=(
        Column("scenario", "Scenario", "text", required=True, example="Budget cut 20%"),
        Column("description", "Description", "text"),
        Column(
            "parameter", "Parameter", "choice", required=True, choices=tuple(SCENARIO_PARAMETERS)
        ),
        Column("target", "Target", "text"),
        Column("value", "Value", "text", example="80%"),
        Column("start", "From", "date"),
    ),
)


def _range(key: str, header: str, kind: str, unit: str, example: object, help: str) -> Column:
    return Column(key, header, kind, unit=unit, minimum=0, example=example, help=help)


UNCERTAINTY = Sheet(
    "Uncertainty",
    "Optional, for `roadmap risk`: low / likely / high ranges per initiative. Cost (the build "
    "cost: capex and one-off opex) and benefit as a share of the plan's estimate (90% = 10% "
    "less), duration in build periods. A blank likely is the plan's value (100%, or the "
    "Initiatives duration); a blank low or high is the likely value.",
    required=False,
    id_column="initiative",
    aliases=("Uncertainties", "Ranges", "Three-point estimates"),
    columns=(
        Column("initiative", "Initiative", "id", required=True, example="INI-01"),
        _range("cost_low", "Cost low", "percent", "of estimate", "90%", "Build cost, best case."),
        _range("cost_likely", "Cost likely", "percent", "of estimate", "100%", "Most likely."),
        _range("cost_high", "Cost high", "percent", "of estimate", "140%", "Worst case."),
        _range("benefit_low", "Benefit low", "percent", "of estimate", "60%", "Worst case."),
        _range("benefit_likely", "Benefit likely", "percent", "of estimate", "100%", ""),
        _range("benefit_high", "Benefit high", "percent", "of estimate", "110%", "Best case."),
        *(
            replace(c, minimum=1, maximum=MAX_PERIODS)
            for c in (
                _range("duration_low", "Duration low", "number", "periods", 3, "Fastest build."),
                _range("duration_likely", "Duration likely", "number", "periods", 4, ""),
                _range("duration_high", "Duration high", "number", "periods", 6, "Slowest."),
            )
        ),
    ),
)

RISKS = Sheet(
    "Risks",
    "Optional, for `roadmap risk`: events that may happen. In each sampled world an event "
    "happens with its probability and then hits every initiative it names and every initiative "
    "of its owner function at once.",
    required=False,
    id_column="name",
    aliases=("Risk events", "Risk register"),
    columns=(
        Column("name", "Risk", "text", required=True, example="Key vendor delivers late"),
        Column(
            "probability",
            "Probability",
            "percent",
            required=True,
            minimum=0,
            maximum=1,
            example="30%",
        ),
        Column(
            "initiatives",
            "Initiatives",
            "list",
            example="INI-01, INI-02",
            help="Initiative IDs it hits (and/or an owner function).",
        ),
        Column(
            "owner_function",
            "Owner function",
            "text",
            help="Every initiative of this owner function is hit.",
        ),
        Column(
            "cost_impact",
            "Cost impact",
            "percent",
            default=0.0,
            minimum=-1,
            example="20%",
            help="Change of the build cost when it happens (+20% = a fifth more).",
        ),
        Column(
            "benefit_impact",
            "Benefit impact",
            "percent",
            default=0.0,
            minimum=-1,
            example="-10%",
            help="Change of the benefits when it happens (-10% = a tenth less).",
        ),
        Column(
            "delay",
            "Delay",
            "int",
            default=0,
            unit="periods",
            minimum=0,
            maximum=MAX_PERIODS,
            example=1,
            help="Build periods added when it happens.",
        ),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    SETTINGS,
    CAPABILITIES,
    INITIATIVES,
    CASH_FLOWS,
    DEPENDENCIES,
    TEAMS,
    CAPACITY_CHANGES,
    CALENDAR,
    STAFFING,
    BUDGET,
    SYSTEMS,
    CRITERIA,
    SCORES,
    PAIRWISE,
    SCENARIOS,
    UNCERTAINTY,
    RISKS,
)

SHEET_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}

INSTRUCTIONS_SHEET = "Instructions"


def normalise_header(text: object) -> str:
    """Header matching key: lower case, letters and digits only ('Run cost / year' -> 'runcostyear')."""
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def header_lookup(sheet: Sheet) -> dict[str, Column]:
    """Normalised header (and alias, and key) -> column, for the reader."""
    out: dict[str, Column] = {}
    for col in sheet.columns:
        for name in (col.header, col.key, *col.aliases):
            out[normalise_header(name)] = col
    return out
