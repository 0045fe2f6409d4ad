"""Raw tables -> typed records -> ``Portfolio``, collecting a finding for every cell that fails.

A row with a bad optional cell keeps its default, and a row with a bad required number keeps a
neutral stand-in, so the record still exists and later checks do not report the same mistake again
as, say, an unknown initiative. Only rows without a usable id (or a required date) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from typing import Any

from roadmap.domain import (
    Blackout,
    BudgetLimit,
    Capability,
    CapacityChange,
    CashFlowLine,
    Criterion,
    Dependency,
    Estimate,
    EvaluationWindow,
    Finding,
    FlowBasis,
    FlowCategory,
    GroupDependency,
    Initiative,
    ObjectiveKind,
    Pairwise,
    PeriodKind,
    Portfolio,
    RiskEvent,
    Scenario,
    ScenarioOverride,
    Score,
    Settings,
    SpendKind,
    Staffing,
    Status,
    System,
    Team,
)
from roadmap.input.cells import (
    CellError,
    CompactDate,
    PercentReading,
    is_blank,
    parse_cell,
    parse_loose,
    parse_text,
    show,
)
from roadmap.input.headers import other_currency
from roadmap.input.rules import finding
from roadmap.input.schema import PAIRWISE, SCENARIOS, SCORES, SETTINGS, Column
from roadmap.input.tables import Layout, RawTable

# Sheet -> (Portfolio field, record class); Settings, Scores, Pairwise and Scenarios are special.
RECORDS: dict[str, tuple[str, type]] = {
    "Capabilities": ("capabilities", Capability),
    "Initiatives": ("initiatives", Initiative),
    "Dependencies": ("dependencies", Dependency),
    "Teams": ("teams", Team),
    "Capacity changes": ("capacity_changes", CapacityChange),
    "Calendar": ("blackouts", Blackout),
    "Staffing": ("staffing", Staffing),
    "Budget": ("budgets", BudgetLimit),
    "Systems": ("systems", System),
    "Criteria": ("criteria", Criterion),
    "Cash flows": ("cash_flows", CashFlowLine),
    "Uncertainty": ("estimates", Estimate),
    "Risks": ("risks", RiskEvent),
}
_PLACEHOLDER = date(2000, 1, 1)  # plan start of a partial portfolio; never planned or shown
_FY = re.compile(r"^\s*fy\s*-?\s*", re.IGNORECASE)
_ENUMS: dict[str, type] = {
    "status": Status,
    "kind": SpendKind,
    "period": PeriodKind,
    "objective": ObjectiveKind,
    "evaluation_window": EvaluationWindow,
    "category": FlowCategory,
    "counted_from": FlowBasis,
}


class _Cells:
    """Types the cells of one table, recording findings and percent-as-number readings."""

    def __init__(self, table: RawTable, findings: list[Finding]) -> None:
        self.table = table
        self.findings = findings
        self.percent_notes: list[tuple[str, int, object, float]] = []  # key, row, raw, taken
        self.date_notes: dict[str, tuple[int, int, object]] = {}  # key -> first row, count, raw

    def error(self, code: str, row: int, key: str | None, **facts: object) -> None:
        letter = self.table.letters.get(key) if key else None
        self.findings.append(finding(code, self.table.title, row, letter, **facts))

    def typed(
        self, row: int, cells: dict[str, object], columns: tuple[Column, ...]
    ) -> tuple[dict[str, Any], set[str]]:
        """Typed values of the non-blank cells, and the keys of required cells that failed."""
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for col in columns:
            if col.key not in cells:
                if col.required:
                    failed.add(col.key)
                continue
            raw = cells[col.key]
            value = self.one(row, col, raw)
            if value is None:
                if col.required:
                    failed.add(col.key)
                continue
            values[col.key] = value
        return values, failed

    def one(self, row: int, col: Column, raw: object) -> Any:
        letter = self.table.letters.get(col.key, "")
        if is_blank(raw):
            if (row, letter) in self.table.uncached:
                self.error("formula-no-value", row, col.key, header=col.header)
            elif (row, letter) in self.table.merged:
                # A merged-over cell reads blank: never take that as "use the default".
                self.error("merged-cell", row, col.key, header=col.header)
            elif col.required:
                self.error(
                    "missing-value", row, col.key, header=col.header, expected=_expected(col)
                )
            return None
        if col.type == "percent" and (row, letter) in self.table.percent_cells:
            # Formatted as a percentage in the workbook: the number is the fraction (150 % = 1.5).
            try:
                return parse_cell(float(raw), Column(col.key, col.header, "number"))  # type: ignore[arg-type]
            except CellError as exc:
                self.error(
                    exc.code, row, col.key, header=col.header, problem=exc.message, fix=exc.fix
                )
                return None
        if col.key == "fiscal_year" and isinstance(raw, str):
            raw = _FY.sub("", raw)  # "FY2028" as finance teams write it
        try:
            value = parse_cell(raw, col)
        except CellError as exc:
            fix = exc.fix or _expected(col)
            self.error(exc.code, row, col.key, header=col.header, problem=exc.message, fix=fix)
            return None
        if isinstance(value, CompactDate):
            first, count, example = self.date_notes.get(col.key, (row, 0, raw))
            self.date_notes[col.key] = (first, count + 1, example)
            value = date(value.year, value.month, value.day)
        if isinstance(value, PercentReading):
            value = float(value)
            self.percent_notes.append((col.key, row, raw, value))
        if col.type == "choice" and col.key in _ENUMS and self.table.sheet is not SCENARIOS:
            value = _ENUMS[col.key](value)
        return value

    def flush_percent_notes(self) -> None:
        """One warning per cell: each names its cell and the value taken (never a silent misread).
        Dates typed as YYYYMMDD: one warning per column, naming the first cell."""
        for key, (row, count, example) in self.date_notes.items():
            col = self.table.sheet.column(key)
            more = f" (and {count - 1} more cell(s) in this column)" if count > 1 else ""
            read = parse_cell(example, col)
            self.findings.append(
                finding(
                    "date-as-number",
                    self.table.title,
                    row,
                    self.table.letters.get(key),
                    header=col.header,
                    raw=show(parse_text(example)),
                    date=read.isoformat() if isinstance(read, date) else read,
                    more=more,
                )
            )
        for key, row, raw, taken in self.percent_notes:
            col = self.table.sheet.column(key)
            self.findings.append(
                finding(
                    "percent-as-number",
                    self.table.title,
                    row,
                    self.table.letters.get(key),
                    header=col.header,
                    raw=show(raw),
                    number=raw,
                    taken=f"{taken:.6g}",
                )
            )


def _split_group_links(
    links: tuple[Dependency, ...], initiatives: tuple[Initiative, ...]
) -> tuple[tuple[Dependency, ...], tuple[GroupDependency, ...]]:
    """Dependencies on an initiative, and those whose Predecessor names an alternative group
    instead (an initiative of that name wins; a group name matches ignoring case)."""
    ids = {i.id for i in initiatives}
    groups = {i.alternative_group.casefold(): i.alternative_group
              for i in initiatives if i.alternative_group}  # fmt: skip
    plain, on_group = [], []
    for d in links:
        group = groups.get(d.predecessor.strip().casefold())
        if d.predecessor in ids or group is None:
            plain.append(d)
        else:
            on_group.append(GroupDependency(group, d.successor, d.lag, row=d.row))
    return tuple(plain), tuple(on_group)


def build_portfolio(
    tables: dict[str, RawTable], findings: list[Finding], source: str = ""
) -> tuple[Portfolio | None, Layout, Portfolio]:
    """The portfolio (``None`` when the settings are unusable), where everything was found, and
    the portfolio as far as it could be read (placeholder settings when they are unusable), so
    that checks not tied to the calendar can still run and every problem shows up at once."""
    rows: dict[str, dict[str, int]] = {}
    parts: dict[str, Any] = {}
    for name, (attr, cls) in RECORDS.items():
        if name in tables:
            parts[attr] = tuple(_records(tables[name], cls, findings))
    if "dependencies" in parts:
        parts["dependencies"] = _unique_links(
            parts["dependencies"], tables["Dependencies"], findings
        )
        parts["dependencies"], parts["group_dependencies"] = _split_group_links(
            parts["dependencies"], parts.get("initiatives", ())
        )
    if SCORES.name in tables:
        parts["scores"] = tuple(_scores(tables[SCORES.name], findings))
    if PAIRWISE.name in tables:
        pairwise, pairwise_rows = _pairwise(tables[PAIRWISE.name], findings)
        parts["pairwise"] = pairwise
        rows[PAIRWISE.name] = pairwise_rows
    if SCENARIOS.name in tables:
        parts["scenarios"] = tuple(_scenarios(tables[SCENARIOS.name], findings))
    settings = None
    if SETTINGS.name in tables:
        table = tables[SETTINGS.name]
        rows[SETTINGS.name] = {key: r for r, cells in table.rows for key in cells}
        settings = _settings(table, findings)
    _header_currencies(tables, settings.currency if settings else "EUR", findings)
    layout = Layout(
        titles={name: t.title for name, t in tables.items()},
        letters={name: dict(t.letters) for name, t in tables.items()},
        rows=rows,
    )
    if settings is None:
        return None, layout, Portfolio(settings=Settings(plan_start=_PLACEHOLDER), **parts)
    portfolio = Portfolio(settings=settings, source=source, **parts)
    return portfolio, layout, portfolio


def _records(table: RawTable, cls: type, findings: list[Finding]) -> list[Any]:
    cells_of = _Cells(table, findings)
    sheet = table.sheet
    allowed = {f.name for f in fields(cls)}
    out = []
    for row, cells in table.rows:
        values, failed = cells_of.typed(row, cells, sheet.columns)
        # Without its id, a reference or a date the row means nothing; other gaps get stand-ins.
        if sheet.id_column in failed or any(_no_stand_in(sheet.column(k)) for k in failed):
            continue
        for key in failed:
            values[key] = _stand_in(sheet.column(key), values)
        if "direction" in values:
            values["higher_is_better"] = values.pop("direction") == "higher is better"
        out.append(cls(**{k: v for k, v in values.items() if k in allowed}, row=row))
    cells_of.flush_percent_notes()
    return out


def _header_currencies(tables: dict[str, RawTable], currency: str, findings: list[Finding]) -> None:
    """A money header naming another currency than the workbook's is said: the amounts are
    read as the workbook's currency, which is not what the header claims."""
    for table in tables.values():
        for key, (header, unit, row) in table.units.items():
            col = table.sheet.column(key)
            other = other_currency(unit, currency) if col.type == "money" else None
            if other is None:
                continue
            findings.append(
                finding(
                    "header-currency",
                    table.title,
                    row,
                    table.letters.get(key),
                    header=header,
                    other=other,
                    currency=currency,
                )
            )


def _unique_links(
    deps: tuple[Dependency, ...], table: RawTable, findings: list[Finding]
) -> tuple[Dependency, ...]:
    """One row per predecessor -> successor pair: a repeated row is dropped with a warning, a
    repeat with another lag is an error naming both rows (which lag is meant is not clear)."""
    first: dict[tuple[str, str], Dependency] = {}
    for d in deps:
        seen = first.get((d.predecessor, d.successor))
        if seen is None:
            first[(d.predecessor, d.successor)] = d
            continue
        code = "duplicate-dependency" if seen.lag == d.lag else "conflicting-dependency"
        findings.append(
            finding(
                code,
                table.title,
                d.row,
                table.letters.get("predecessor"),
                predecessor=d.predecessor,
                successor=d.successor,
                first=seen.row,
                lag=d.lag,
                first_lag=seen.lag,
            )
        )
    return tuple(first.values())


def _no_stand_in(col: Column) -> bool:
    """A reference, a date or a choice without default: no neutral value can stand in."""
    return col.type in ("id", "date") or (col.type == "choice" and col.default is None)


def _stand_in(col: Column, values: dict[str, Any]) -> Any:
    """A neutral value for a required cell that failed (already reported)."""
    if col.type in ("text", "id"):
        return str(values.get("id", ""))
    if col.default is not None:
        return col.default
    return col.minimum if col.minimum is not None else 0


def _settings(table: RawTable, findings: list[Finding]) -> Settings | None:
    cells_of = _Cells(table, findings)
    values: dict[str, Any] = {}
    for row, cells in table.rows:
        values.update(cells_of.typed(row, cells, SETTINGS.columns)[0])
    cells_of.flush_percent_notes()
    if "plan_start" not in values:
        said = any(f.code == "no-setting-names" for f in findings)
        if not said and not any("plan_start" in cells for _, cells in table.rows):
            findings.append(finding("missing-setting", table.title))
        return None
    allowed = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in allowed})


def _scores(table: RawTable, findings: list[Finding]) -> list[Score]:
    cells_of = _Cells(table, findings)
    out = []
    for row, cells in table.rows:
        values, failed = cells_of.typed(row, cells, SCORES.columns)
        if failed:
            continue
        for crit in table.extra:
            raw = cells.get(crit)
            if is_blank(raw):
                continue
            value = cells_of.one(row, Column(crit, crit, "number"), raw)
            if value is not None:
                out.append(Score(values["initiative"], crit, value, row))
    return out


def _ratio(raw: object) -> float:
    text = str(raw).strip()
    if "/" in text:
        num, _, den = text.partition("/")
        return float(parse_cell(num, _NUMBER)) / float(parse_cell(den, _NUMBER))  # type: ignore[arg-type]
    return float(parse_cell(raw, _NUMBER))  # type: ignore[arg-type]


_NUMBER = Column("value", "Value", "number")


def _pairwise(table: RawTable, findings: list[Finding]) -> tuple[Pairwise | None, dict[str, int]]:
    cells_of = _Cells(table, findings)
    rows: dict[str, int] = {}
    raw_rows: dict[str, dict[str, object]] = {}
    for row, cells in table.rows:
        values, failed = cells_of.typed(row, cells, PAIRWISE.columns)
        if failed:
            continue
        crit = values["criterion"]
        if crit in rows:
            cells_of.error("duplicate-id", row, "criterion", value=crit, first=rows[crit])
            continue
        rows[crit] = row
        raw_rows[crit] = cells
    crits = list(table.extra)
    if not rows and not crits:
        return None, rows
    if set(rows) != set(crits):
        no_col = sorted(set(rows) - set(crits))
        no_row = sorted(set(crits) - set(rows))
        parts = [f"{', '.join(no_col)} without a column"] if no_col else []
        parts += [f"{', '.join(no_row)} without a row"] if no_row else []
        findings.append(finding("pairwise-not-square", table.title, problem="; ".join(parts)))
        return None, rows
    matrix: list[list[float]] = [[1.0] * len(crits) for _ in crits]
    ok = True
    for i, a in enumerate(crits):
        for j, b in enumerate(crits):
            raw, mirror = raw_rows[a].get(b), raw_rows[b].get(a)
            if is_blank(raw) and (i == j or not is_blank(mirror) or i > j):
                # The diagonal, or a blank taken from its mirror (whose errors are said there).
                try:
                    matrix[i][j] = 1.0 if i == j else 1.0 / _ratio(mirror)
                except (CellError, ZeroDivisionError, TypeError):
                    ok = False
                continue
            try:
                if is_blank(raw):
                    raise CellError(f"'{a}' vs '{b}' is blank on both sides of the diagonal")
                matrix[i][j] = _ratio(raw)
                if not matrix[i][j] > 0:
                    raise CellError(f"{show(raw)} is not a positive number")
            except (CellError, ZeroDivisionError) as exc:
                ok = False
                message = exc.message if isinstance(exc, CellError) else f"{show(raw)} divides by 0"
                cells_of.error("pairwise-bad-value", rows[a], b, problem=message)
    if not ok:
        return None, rows
    return Pairwise(tuple(crits), tuple(tuple(r) for r in matrix)), rows


def _scenarios(table: RawTable, findings: list[Finding]) -> list[Scenario]:
    cells_of = _Cells(table, findings)
    order: list[str] = []
    descriptions: dict[str, str] = {}
    overrides: dict[str, list[ScenarioOverride]] = {}
    typed_cols = tuple(c for c in SCENARIOS.columns if c.key != "value")
    for row, cells in table.rows:
        values, failed = cells_of.typed(row, cells, typed_cols)
        if failed:
            continue
        name = values["scenario"]
        if name not in overrides:
            order.append(name)
            overrides[name] = []
        if values.get("description") and name not in descriptions:
            descriptions[name] = values["description"]
        raw = cells.get("value")
        value = "" if is_blank(raw) else parse_loose(raw)
        overrides[name].append(
            ScenarioOverride(
                values["parameter"], value, values.get("target", ""), values.get("start"), row
            )
        )
    return [Scenario(n, descriptions.get(n, ""), tuple(overrides[n])) for n in order]


def _expected(col: Column) -> str:
    words = {
        "text": "text",
        "id": "an ID",
        "int": "a whole number",
        "number": "a number",
        "money": "an amount",
        "percent": "a percentage such as 8%",
        "date": "a date such as 2027-04-01",
        "bool": "yes or no",
        "list": "IDs separated by commas",
        "numbers": "numbers separated by commas",
        "lifts": "'CAP-01: 1, CAP-02: 0.5'",
        "choice": "one of: " + ", ".join(col.choices),
    }
    text = words.get(col.type, col.type)
    return f"{text}, {col.unit}" if col.unit else text
