"""On paper: every output workbook printed through LibreOffice (headless, to PDF) stays within a
sane number of pages per sheet, every page carries its header and page number, and its body text
prints at 8 pt or more (measured on the PDF, and estimated from the file by the same checks the
fast test_print_layout.py runs on smaller workbooks).

Slow and optional: skipped unless LibreOffice (``soffice``) and poppler (``pdftotext``,
``pdfinfo``) are installed. Sheets are told apart by the page header, which names the sheet.
"""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from paper import problems

from roadmap.cli import cli

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        any(shutil.which(tool) is None for tool in ("soffice", "pdftotext", "pdfinfo")),
        reason="LibreOffice (soffice) and poppler-utils are needed to print workbooks",
    ),
]
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# at 8 pt or more, a wide sheet prints over several pages across (its label columns repeated)
# measured on the samples (retail / martech, 2026-12-05): Roadmap 7 / 13 since the seven PMO
# columns (four pages across on martech), Audit 4 / 4 and Audit periods 4 / 8 (two pages
# across), Assumptions 4 / 4 (the solve's stages and nodes listed)
PLAN_PAGES = {
    "Summary": 1,
    "Roadmap": 14,
    "Milestones": 14,
    "Gantt": 8,
    "Budget": 3,
    "Capacity": 4,
    "Financials": 8,
    "Capabilities": 2,
    "Accountability": 3,
    "Not selected": 8,
    "Audit": 4,
    "Audit periods": 8,
    "Assumptions": 4,
}
# pdftotext's word boxes are this many times the font size (DejaVu Sans, measured on the
# page header, which prints at its 9 pt unscaled)
BOX_PER_POINT = 1.18


def print_pages(path: Path, folder: Path) -> Counter:
    """Pages per sheet of ``path`` printed to PDF by LibreOffice."""
    profile = folder / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    pdf = folder / f"{path.stem}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    sheets: Counter = Counter()
    for page in range(1, pages + 1):
        body = body_size(pdf, page)
        assert body is None or body >= 7.9, f"page {page} of {pdf.name}: body text {body:.1f} pt"
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = [line for line in text.splitlines() if line.strip()]
        # the footer anywhere on the page: pdftotext may list a chart's axis labels after it
        assert any(re.search(r"Page \d+ of \d+", line) for line in lines[-4:]), (
            f"page {page} of {pdf.name} has no footer"
        )
        sheets[re.split(r"\s{2,}", lines[0].strip())[-1]] += 1
    return sheets


def body_size(pdf: Path, page: int) -> float | None:
    """The size most of a page's words print at, in points (None: no words)."""
    box = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    heights = [
        round(float(y2) - float(y1), 1)
        for y1, y2 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', box)
    ]
    if not heights:
        return None
    return Counter(heights).most_common(1)[0][0] / BOX_PER_POINT


def run(*args: object) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("print")
    for sample in ("retail-d2c", "martech-rationalisation"):
        src = SAMPLES / f"{sample}.xlsx"
        run("plan", src, "-o", folder / f"{sample}-plan.xlsx", "-q", "--time-limit", 20)
        run("roi", src, "-o", folder / f"{sample}-roi.xlsx")
    run("template", folder / "template.xlsx", "--example")
    retail = SAMPLES / "retail-d2c.xlsx"
    run("frontier", retail, "-o", folder / "frontier.xlsx", "--steps", 3, "--time-limit", 5)
    run("plan", retail, "--scenario", "Budget cut 20%", "-o", folder / "cut.xlsx", "-q")
    run("diff", folder / "retail-d2c-plan.xlsx", folder / "cut.xlsx", "-o", folder / "diff.xlsx")
    run("risk", retail, "-o", folder / "risk.xlsx", "--samples", 200)
    return folder


WRITTEN = [
    "retail-d2c-plan",
    "martech-rationalisation-plan",
    "retail-d2c-roi",
    "martech-rationalisation-roi",
    "template",
    "frontier",
    "cut",
    "diff",
    "risk",
]


@pytest.mark.parametrize("name", WRITTEN)
def test_every_sheet_of_the_samples_outputs_prints_legibly_and_whole(outputs, name) -> None:
    """>= 8 pt at the page setup each sheet carries, no text cut, no repeated column beside
    another table, no repeated header above another table."""
    assert problems(load_workbook(outputs / f"{name}.xlsx")) == []


@pytest.mark.parametrize("sample", ["retail-d2c", "martech-rationalisation"])
def test_plan_workbook_pages(outputs: Path, sample: str) -> None:
    pages = print_pages(outputs / f"{sample}-plan.xlsx", outputs / f"pdf-{sample}")
    assert set(pages) == set(PLAN_PAGES), pages
    for sheet, most in PLAN_PAGES.items():
        assert pages[sheet] <= most, (sheet, pages[sheet])


@pytest.mark.parametrize("sample", ["retail-d2c", "martech-rationalisation"])
def test_roi_workbook_pages(outputs: Path, sample: str) -> None:
    pages = print_pages(outputs / f"{sample}-roi.xlsx", outputs / f"pdf-roi-{sample}")
    # Metrics: two pages across (rank, ID and name repeated), about 25 initiatives a page down
    # Metrics: 28 columns, four pages across at 8 pt; about 25 initiatives a page down
    assert pages["Metrics"] <= 16 and pages["Method"] <= 2, pages
    # the cash flows: about 10 lines per initiative over the evaluation window, printed in
    # period blocks at 8 pt or more (before, at 5 pt; earlier still, 38 columns x 345 rows
    # shrunk onto 2 unreadable pages): some 40 lines by 8 periods a page, whatever the size
    ws = load_workbook(outputs / f"{sample}-roi.xlsx", read_only=True)["Cash flows"]
    cells = ws.max_row * (ws.max_column - 2)
    # (retail, 2026-12-05: 147 cells a page, its 31 initiatives in 92 pages)
    assert 120 <= cells / pages["Cash flows"] <= 700, (pages, ws.max_row, ws.max_column)


def test_template_frontier_and_diff_pages(outputs: Path) -> None:
    template = print_pages(outputs / "template.xlsx", outputs / "pdf-template")
    # 18 sheets, the Instructions over 8 pages at 8 pt or more (Settings: two, since the
    # portfolio name and the RAG thresholds)
    assert sum(template.values()) <= 30 and template["Instructions"] <= 8, template
    assert sum(print_pages(outputs / "frontier.xlsx", outputs / "pdf-frontier").values()) <= 2
    assert sum(print_pages(outputs / "diff.xlsx", outputs / "pdf-diff").values()) <= 2
    assert sum(print_pages(outputs / "risk.xlsx", outputs / "pdf-risk").values()) <= 12
