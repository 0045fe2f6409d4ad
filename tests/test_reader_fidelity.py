"""The reader never misreads a layout: merged headers, far columns, rows past long gaps, units in
headers, Strict Open XML and zips that lie about their sizes are read correctly or reported."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import valid_tables, write_workbook
from corpus import to_strict, under_declared_zip

from roadmap.domain import Finding, Severity
from roadmap.errors import InputError
from roadmap.input.files import read_bytes, read_member
from roadmap.input.reader import read_workbook


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def edit(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path: Path) -> Path:
    tables, settings = valid_tables()
    tables["Initiatives"][2]["one_off_opex"] = 30000
    tables["Initiatives"][0]["one_off_opex"] = 5000
    return write_workbook(tmp_path / "in.xlsx", tables, settings)


def _column(ws: openpyxl.worksheet.worksheet.Worksheet, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


# --- merged headers ---------------------------------------------------------------------------


def test_header_merged_over_two_columns_is_an_error_naming_the_range(book: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Initiatives"]
        assert (ws["G1"].value, ws["H1"].value) == ("Capex", "One-off opex")
        ws.merge_cells("G1:H1")

    _, findings = read_workbook(edit(book, change))
    (f,) = [f for f in findings if f.code == "merged-header"]
    assert f.severity is Severity.ERROR and (f.sheet, f.row, f.column) == ("Initiatives", 1, "G")
    assert "G1:H1" in f.message and "column(s) H" in f.message and "unmerge G1:H1" in f.fix


def test_merged_header_over_empty_columns_is_harmless(book: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Initiatives"]
        last = ws.max_column
        ws.cell(1, last + 1, "Notes")
        ws.merge_cells(start_row=1, start_column=last + 1, end_row=1, end_column=last + 3)

    _, findings = read_workbook(edit(book, change))
    assert "merged-header" not in codes(findings)


def test_values_under_a_blank_header_are_reported(book: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Initiatives"]
        ws.cell(3, ws.max_column + 2, 12345)

    _, findings = read_workbook(edit(book, change))
    (f,) = [f for f in findings if f.code == "unnamed-column"]
    assert f.severity is Severity.WARNING and f.row == 3 and "no header in row 1" in f.message


def test_merged_cell_over_an_optional_value_is_not_read_as_its_default(book: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Initiatives"]
        ws.merge_cells("G2:H2")  # INI-01's capex over its one-off opex

    _, findings = read_workbook(edit(book, change))
    (f,) = [f for f in findings if f.code == "merged-cell"]
    assert (f.row, f.column) == (2, "H") and "One-off opex" in f.message


# --- far columns and long gaps ----------------------------------------------------------------


def test_a_column_past_column_200_is_read(book: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Initiatives"]
        g = _column(ws, "Capex")
        for r in range(1, ws.max_row + 1):
            ws.cell(r, 210).value, ws.cell(r, g).value = ws.cell(r, g).value, None

    portfolio, findings = read_workbook(edit(book, change))
    assert findings == [] and portfolio is not None
    assert [i.capex for i in portfolio.initiatives] == [100000, 200000, 0]


def test_rows_after_more_than_1000_blank_rows_are_read(book: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        budget, staffing, inis = wb["Budget"], wb["Staffing"], wb["Initiatives"]
        budget.cell(1503, _column(budget, "Fiscal year"), 2028)
        budget.cell(1503, _column(budget, "Limit"), 123)
        inis.cell(2500, 1, "INI-99")
        inis.cell(2500, 2, "Far away")
        inis.cell(2500, _column(inis, "Duration"), 1)
        staffing.cell(1800, 1, "INI-99")
        staffing.cell(1800, 2, "MKT")
        staffing.cell(1800, 3, 1)

    portfolio, findings = read_workbook(edit(book, change))
    assert portfolio is not None
    assert not [f for f in findings if f.severity is Severity.ERROR], findings
    assert (2028, 123, 1503) in [(b.fiscal_year, b.amount, b.row) for b in portfolio.budgets]
    assert portfolio.initiative_by_id["INI-99"].row == 2500
    assert ("INI-99", "MKT", 1800) in [(s.initiative, s.team, s.row) for s in portfolio.staffing]
    assert "no-staffing" not in codes(findings)


def test_a_wrong_dimension_record_does_not_cut_the_sheet_short(book: Path, tmp_path: Path) -> None:
    src = zipfile.ZipFile(book)
    out = tmp_path / "dim.xlsx"
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data)
            dst.writestr(info, data)
    portfolio, findings = read_workbook(out)
    assert portfolio is not None and len(portfolio.initiatives) == 3
    assert not [f for f in findings if f.severity is Severity.ERROR], findings


# --- headers with units -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Capex (EUR)", "Capex [€]", "Capex, EUR", "Capex in EUR", "€ Capex", "CAPEX EUR"]
)
def test_headers_with_a_unit_or_currency_match_the_column(book: Path, header: str) -> None:
    edit(book, lambda wb: wb["Initiatives"].cell(1, 7, header))
    portfolio, findings = read_workbook(book)
    assert findings == [] and portfolio is not None
    assert [i.capex for i in portfolio.initiatives] == [100000, 200000, 0]


def test_units_in_brackets_match_other_columns_and_settings(book: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Initiatives"]
        ws.cell(1, _column(ws, "Duration"), "Duration (periods)")
        ws.cell(1, _column(ws, "Useful life"), "Useful life [years]")
        wb["Teams"].cell(1, _column(wb["Teams"], "Capacity"), "Capacity (FTE)")

    portfolio, findings = read_workbook(edit(book, change))
    assert findings == [] and portfolio is not None
    assert portfolio.initiative_by_id["INI-02"].duration == 3


@pytest.mark.parametrize("header", ["Capex (€k)", "Capex, EUR '000", "Capex (EUR m)"])
def test_a_scaled_money_header_is_refused_not_read_as_units(book: Path, header: str) -> None:
    edit(book, lambda wb: wb["Initiatives"].cell(1, 7, header))
    _, findings = read_workbook(book)
    (f,) = [f for f in findings if f.code == "scaled-header"]
    assert f.severity is Severity.ERROR and (f.row, f.column) == (1, "G")
    assert "full currency units" in f.message


@pytest.mark.parametrize(
    ("header", "meant"),
    [
        ("Capx", "Capex"),
        ("Total capex", "Capex"),
        ("Capex 2027", "Capex"),
        ("Durration", "Duration"),
    ],
)
def test_an_unknown_header_close_to_a_money_or_required_column_is_an_error(
    book: Path, header: str, meant: str
) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Initiatives"]
        ws.cell(1, _column(ws, meant), header)

    _, findings = read_workbook(edit(book, change))
    (f,) = [f for f in findings if f.code == "misnamed-column"]
    assert f.severity is Severity.ERROR and f.row == 1
    assert f"did you mean '{meant}'" in f.message


def test_an_unrelated_unknown_header_stays_a_warning(book: Path) -> None:
    edit(book, lambda wb: wb["Initiatives"].cell(1, 40, "Sponsor"))
    _, findings = read_workbook(book)
    assert codes(findings) == {"unknown-column"}


# --- Strict Open XML --------------------------------------------------------------------------


def test_strict_open_xml_is_read_and_said(book: Path, tmp_path: Path) -> None:
    strict = tmp_path / "strict.xlsx"
    strict.write_bytes(to_strict(book.read_bytes()))
    assert b"purl.oclc.org" in read_member(zipfile.ZipFile(strict), "xl/workbook.xml")
    base, _ = read_workbook(book)
    portfolio, findings = read_workbook(strict)
    assert codes(findings) == {"strict-workbook"}
    (f,) = findings
    assert f.severity is Severity.WARNING and 'Save As, type "Excel Workbook (*.xlsx)"' in f.fix
    assert portfolio is not None and base is not None
    assert portfolio.initiatives == base.initiatives and portfolio.settings == base.settings


# --- zips that lie about their sizes ----------------------------------------------------------


def test_member_larger_than_declared_is_stopped_while_inflating(book: Path, tmp_path: Path) -> None:
    path = tmp_path / "liar.xlsx"
    path.write_bytes(under_declared_zip(book.read_bytes(), inflated=200_000_000))
    assert path.stat().st_size < 2_000_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError, match="more data than its zip headers declare"):
            read_bytes(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # the whole member would be 200 MB
    assert time.perf_counter() - started < 10


def test_read_member_never_holds_more_than_its_limit(book: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(book.read_bytes())) as zf:
        assert len(read_member(zf, "xl/workbook.xml", 10)) == 10


@pytest.mark.parametrize("header", ["Capex (USD)", "Capex [$]", "Capex, GBP", "Capex £"])
def test_a_money_header_in_another_currency_is_said(book: Path, header: str) -> None:
    edit(book, lambda wb: wb["Initiatives"].cell(1, 7, header))
    portfolio, findings = read_workbook(book)
    (f,) = findings
    assert f.code == "header-currency" and f.severity is Severity.WARNING
    assert (f.row, f.column) == (1, "G") and "read as EUR" in f.message
    assert portfolio is not None and portfolio.initiative_by_id["INI-01"].capex == 100000
