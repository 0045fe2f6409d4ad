"""``roadmap slides`` end to end: on a sample's plan workbook, on a scenarios workbook, on
files that are not plans; and (slow) the deck through LibreOffice Impress and the web page
through headless Chromium, as their readers open them."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from board_checks import open_deck
from click.testing import CliRunner
from plan_fixtures import plan as fixture_plan
from test_board import check_deck

from roadmap.cli import cli
from roadmap.input.board_reader import read_plan_picture

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def slides(*args: str):
    return CliRunner().invoke(cli, ["slides", *args])


@pytest.fixture(scope="module")
def retail_plan(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("retail")
    src = folder / "retail-d2c.xlsx"
    shutil.copy(SAMPLES / "retail-d2c.xlsx", src)
    out = folder / "plan.xlsx"
    result = CliRunner().invoke(cli, ["plan", str(src), "-o", str(out), "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    return out


def test_slides_of_a_sample_plan(retail_plan: Path, tmp_path: Path) -> None:
    before = digest(retail_plan)
    deck = tmp_path / "board.pptx"
    args = [str(retail_plan), "-o", str(deck), "--today", "2027-08-15"]
    result = slides(*args, "--export", "png", "--export", "svg", "--export", "html")
    assert result.exit_code == 0, result.output
    for suffix in (".pptx", ".png", ".svg", ".html"):
        assert deck.with_suffix(suffix).stat().st_size > 1000
    assert digest(retail_plan) == before  # the plan is only read
    picture = read_plan_picture(retail_plan)
    check_deck(deck, picture)
    prs = open_deck(deck)
    texts = [s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame]
    assert "The plan is proven optimal." in texts or any("within" in t for t in texts)
    assert any(t.startswith("Left out") for t in texts)
    again = slides(*args)
    assert again.exit_code == 2 and "--force" in again.output


def test_scenarios_workbook_gets_a_comparison(tmp_path: Path) -> None:
    from roadmap.report.plan_workbook import build_scenarios_workbook

    base = fixture_plan()
    other = replace(base, scenario="Budget cut 20% with a long scenario name", starts={"A": 0})
    path = tmp_path / "scenarios.xlsx"
    build_scenarios_workbook([base, other]).save(path)
    deck = tmp_path / "scenarios.pptx"
    result = slides(str(path), "-o", str(deck))
    assert result.exit_code == 0, result.output
    prs = open_deck(deck)
    tables = [s for slide in prs.slides for s in slide.shapes if s.name == "Scenario table"]
    assert len(tables) == 1
    table = tables[0].table
    header = [table.cell(0, c).text_frame.text.replace("\n", " ") for c in range(3)]
    assert header == ["Figure", "Base", "Budget cut 20% with a long scenario name"]
    check_deck(deck, read_plan_picture(path))


def test_an_input_workbook_is_not_a_plan(tmp_path: Path) -> None:
    src = tmp_path / "in.xlsx"
    shutil.copy(SAMPLES / "retail-d2c.xlsx", src)
    result = slides(str(src), "-o", str(tmp_path / "x.pptx"))
    assert result.exit_code == 2
    assert "not a plan workbook: it has no Roadmap sheet" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.pptx").exists()


def test_a_plan_without_its_roadmap_sheet(tmp_path: Path) -> None:
    from roadmap.report.plan_workbook import build_plan_workbook

    wb = build_plan_workbook(fixture_plan())
    del wb["Roadmap"]
    path = tmp_path / "cut.xlsx"
    wb.save(path)
    result = slides(str(path), "-o", str(tmp_path / "x.pptx"))
    assert result.exit_code == 2
    assert "no Roadmap sheet" in result.output


def test_lanes_by_pool_need_the_pool_column(tmp_path: Path) -> None:
    from roadmap.report.plan_workbook import build_plan_workbook

    wb = build_plan_workbook(fixture_plan())
    wb.save(tmp_path / "new.xlsx")
    good = slides(str(tmp_path / "new.xlsx"), "-o", str(tmp_path / "new.pptx"), "--lanes", "pool")
    assert good.exit_code == 0, good.output
    lanes = [s.name for slide in open_deck(tmp_path / "new.pptx").slides for s in slide.shapes]
    assert "Lane No funding pool" in lanes
    ws = wb["Roadmap"]
    for cell in ws[4]:
        if cell.value == "Funding pool":
            ws.delete_cols(cell.column)
            break
    path = tmp_path / "old.xlsx"
    wb.save(path)
    result = slides(str(path), "-o", str(tmp_path / "x.pptx"), "--lanes", "pool")
    assert result.exit_code == 2
    assert "no Funding pool column" in result.output


def test_a_missing_extra_names_the_pip_command(monkeypatch, tmp_path: Path) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pptx" else real(name, *a)
    )
    result = slides(str(tmp_path / "plan.xlsx"))
    assert result.exit_code == 2
    assert "pip install 'roadmap[slides]'" in result.output


# --- as the readers open them ----------------------------------------------------------------


@pytest.mark.slow
def test_deck_renders_in_impress(retail_plan: Path, tmp_path: Path) -> None:
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        pytest.skip("LibreOffice (soffice) and pdftoppm are needed")
    deck = tmp_path / "board.pptx"
    assert slides(str(retail_plan), "-o", str(deck)).exit_code == 0
    profile = tempfile.mkdtemp()
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "board.pdf"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(open_deck(deck).slides)


@pytest.mark.slow
def test_page_renders_and_filters_in_chromium(retail_plan: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        pytest.skip("chromium is needed")
    deck = tmp_path / "board.pptx"
    assert slides(str(retail_plan), "-o", str(deck), "--export", "html").exit_code == 0
    page = deck.with_suffix(".html")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={tempfile.mkdtemp()}"]  # fmt: skip
    shot = tmp_path / "page.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1600,1000", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert shot.stat().st_size > 10_000
    lane = read_plan_picture(retail_plan).bars[0].function
    dom = subprocess.run(
        [*flags, "--dump-dom", f"{page.as_uri()}#lanes={lane}"],
        check=True, capture_output=True, timeout=120, text=True,
    ).stdout  # fmt: skip
    # the script ran: bars are focusable, and every lane but one is hidden
    assert 'tabindex="0"' in dom
    assert dom.count('style="display: none;"') >= 1


def test_plan_exports_the_board_files_it_draws_from_its_workbook(
    valid_workbook: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(
        cli,
        ["plan", str(valid_workbook), "-o", str(out), "--quiet", "--export", "pptx",
         "--export", "png", "--export", "html", "--today", "2027-03-01"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for suffix in (".pptx", ".png", ".html"):
        assert out.with_suffix(suffix).exists()
    picture = read_plan_picture(out)  # the workbook on disk draws the same deck
    check_deck(out.with_suffix(".pptx"), picture)
    again = tmp_path / "again.pptx"
    assert slides(str(out), "-o", str(again), "--today", "2027-03-01").exit_code == 0
    ids = lambda p: sorted(s.name for sl in open_deck(p).slides for s in sl.shapes)  # noqa: E731
    assert ids(out.with_suffix(".pptx")) == ids(again)


def test_plan_refuses_board_exports_without_the_extra(
    monkeypatch, valid_workbook: Path, tmp_path: Path
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(
        cli, ["plan", str(valid_workbook), "-o", str(out), "--export", "png"]
    )
    assert result.exit_code == 2
    assert "pip install 'roadmap[slides]'" in result.output
    assert not out.exists()  # refused before solving


@pytest.mark.slow
def test_page_prints_on_one_landscape_page(retail_plan: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not (browser and shutil.which("pdfinfo")):
        pytest.skip("chromium and pdfinfo are needed")
    deck = tmp_path / "board.pptx"
    assert slides(str(retail_plan), "-o", str(deck), "--export", "html").exit_code == 0
    pdf = tmp_path / "page.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tempfile.mkdtemp()}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", deck.with_suffix(".html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:           1" in info
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert width > height  # landscape
