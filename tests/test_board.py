"""The board's picture of a plan: reading the plan workbook, the layout (pages, text sizes,
overlaps), and the deck, SVG, PNG and web page it gives, read back independently."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from board_checks import bar_dates, font_sizes, open_deck, overlapping_text, roadmap_slides
from plan_fixtures import plan as fixture_plan

from roadmap.board.content import horizons, money, top_capability, top_left_out
from roadmap.board.deck import build_deck
from roadmap.board.geometry import (
    HEIGHT,
    MIN_PT,
    Box,
    Label,
    Page,
    overlaps,
    roadmap_pages,
    ticks,
)
from roadmap.board.page import page_html
from roadmap.board.picture import write_png
from roadmap.board.svg import page_svg
from roadmap.board.text import shorten, text_width, wrap
from roadmap.input.board_data import Bar, Headline, Milestone, PlanPicture
from roadmap.input.board_reader import read_plan_picture
from roadmap.plan_facts import plan_facts
from roadmap.report.plan_workbook import build_plan_workbook

TODAY = date(2027, 5, 10)


@pytest.fixture(scope="module")
def fixture_workbook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("board") / "plan.xlsx"
    build_plan_workbook(fixture_plan(), today=TODAY).save(path)
    return path


@pytest.fixture(scope="module")
def picture(fixture_workbook: Path) -> PlanPicture:
    return read_plan_picture(fixture_workbook)


def synthetic_picture(n: int, seed: int = 1, lanes: int = 5) -> PlanPicture:
    """A picture of ``n`` bars with long names, spread over 12 quarters."""
    import random

    rng = random.Random(seed)
    start = date(2027, 1, 1)
    bars = []
    for k in range(n):
        s = start + timedelta(days=91 * rng.randrange(0, 10))
        live = s + timedelta(days=91 * rng.randrange(1, 4) - 1)
        ramp = live + timedelta(days=91 * rng.randrange(0, 3))
        words = " ".join(
            rng.choice(["data", "platform", "customer", "replatform"])
            for _ in range(rng.randrange(1, 9))
        )
        bars.append(
            Bar(
                f"I{k:03d}",
                f"Initiative {k} {words}",
                s,
                live,
                ramp,
                function=f"Function {k % lanes}",
            )
        )
    return PlanPicture(
        source="synthetic.xlsx",
        title="Roadmap plan: synthetic.xlsx",
        subtitle="2027-Q1 to 2029-Q4, amounts in EUR",
        currency="EUR",
        plan_start=start,
        plan_end=date(2030, 1, 1),
        period_kind="quarter",
        headline=Headline(),
        bars=tuple(bars),
    )


# --- reading -----------------------------------------------------------------------------------


def test_reader_gives_the_roadmap_as_the_plan_has_it(picture: PlanPicture) -> None:
    facts = plan_facts(fixture_plan())
    expected = {r.initiative.id: (r.kickoff, r.go_live, r.end) for r in facts.schedule}
    got = {b.id: (b.start, b.go_live, b.ramp_end) for b in picture.bars}
    assert got == expected
    assert picture.plan_start == date(2027, 1, 1)
    assert picture.plan_end == date(2029, 1, 1)  # 8 quarters
    assert picture.headline.proof == "within 1.0 % of the best possible plan"
    assert [y.label for y in picture.years] == ["FY2027", "FY2028", "FY2029"]
    assert {t.team for t in picture.teams} == {"DATA", "WEB"}
    assert [x.id for x in picture.left_out] == ["E"]
    assert picture.notes == ()


def test_fiscal_years_are_named_and_cut_as_the_workbook_has_them(picture: PlanPicture) -> None:
    years, quarters, unit = ticks(picture)
    assert unit == "quarter"
    # the fixture's fiscal year starts in April: FY2027 ends in March 2027
    assert [(t.label, t.start, t.end) for t in years] == [
        ("FY2027", date(2027, 1, 1), date(2027, 4, 1)),
        ("FY2028", date(2027, 4, 1), date(2028, 4, 1)),
        ("FY2029", date(2028, 4, 1), date(2029, 1, 1)),
    ]
    assert [t.label for t in quarters] == ["Q4", "Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3"]


def test_an_edited_plan_draws_as_edited(fixture_workbook: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(fixture_workbook)
    ws = wb["Roadmap"]
    headers = [c.value for c in ws[4]]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "A")
    ws.cell(row, headers.index("Go-live") + 1).value = date(2027, 12, 31)
    ws.cell(row, headers.index("End of ramp-up") + 1).value = date(2028, 3, 31)
    ms = wb["Milestones"]
    mh = [c.value for c in ms[4]]
    for r in range(5, ms.max_row + 1):
        if ms.cell(r, mh.index("Initiative") + 1).value == "A":
            ms.cell(r, mh.index("Status") + 1).value = "At risk"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    pic = read_plan_picture(edited)
    bar = next(b for b in pic.bars if b.id == "A")
    assert bar.go_live == date(2027, 12, 31)
    from roadmap.board.content import status_tag

    assert status_tag(pic, bar) == "at risk"


@pytest.mark.parametrize(
    ("header", "row", "value", "problem"),
    [
        ("Start", 5, "soon", "Start is 'soon', not a date"),
        ("Go-live", 5, date(2020, 1, 1), "before its start"),
        ("Start", 4, "Begin", "no header row with ID, Name, Start and Go-live"),
    ],
)
def test_a_bad_cell_is_named(
    fixture_workbook: Path, tmp_path: Path, header: str, row: int, value: object, problem: str
) -> None:
    from openpyxl import load_workbook

    from roadmap.errors import InputError

    wb = load_workbook(fixture_workbook)
    ws = wb["Roadmap"]
    cell = next(c for c in ws[4] if c.value == header)
    ws.cell(row, cell.column).value = value
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(InputError) as err:
        read_plan_picture(bad)
    message = str(err.value)
    assert "sheet Roadmap" in message and problem in message
    if row > 4:
        assert f"cell {cell.column_letter}{row}" in message


def test_missing_optional_sheets_are_said_not_dropped(
    fixture_workbook: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(fixture_workbook)
    del wb["Budget"]
    del wb["Not selected"]
    path = tmp_path / "less.xlsx"
    wb.save(path)
    pic = read_plan_picture(path)
    assert pic.years == () and pic.left_out == ()
    assert any("Budget" in n for n in pic.notes) and any("Not selected" in n for n in pic.notes)
    prs = build_deck(pic, today=TODAY)
    names = [s.name for slide in prs.slides for s in slide.shapes]
    assert "Left out table" not in names and "Not shown" in names


# --- text and layout ---------------------------------------------------------------------------


@pytest.mark.parametrize("width", [30.0, 80.0, 200.0])
def test_shorten_and_wrap_fit_the_room(width: float) -> None:
    text = "Customer data platform - build in-house with a very long qualifier (phase two)"
    short = shorten(text, width, 10)
    assert text_width(short, 10) <= width
    assert short == text or short.endswith("…")
    lines = wrap(text, width, 10, lines=2)
    assert len(lines) <= 2 and all(text_width(line, 10) <= width for line in lines)


def test_a_planted_overlap_is_found() -> None:
    a = Label(Box(0, 0, 50, 12), ("a",), 10, role="bar", key="A")
    b = Label(Box(40, 5, 50, 12), ("b",), 10, role="bar", key="B")
    assert overlaps(Page(100, 100, "t", (a, b))) == [("bar:a", "bar:b")]
    assert overlaps(Page(100, 100, "t", (a,))) == []


@pytest.mark.parametrize("n", [1, 17, 60, 150])
def test_pages_keep_text_legible_and_every_bar_once(n: int) -> None:
    pic = synthetic_picture(n)
    pages = roadmap_pages(pic, today=date(2028, 3, 1))
    drawn = [i for p in pages for i in p.bars]
    assert sorted(drawn) == sorted(b.id for b in pic.bars)
    for page in pages:
        assert page.height == HEIGHT
        assert overlaps(page) == []
        for label in page.labels():
            assert label.size >= MIN_PT
            assert label.box.x >= 0 and label.box.right <= page.width + 0.01
            assert label.box.y >= 0 and label.box.bottom <= page.height + 0.01
    if n == 150:
        assert len(pages) > 1  # continued rather than shrunk
    single = roadmap_pages(pic, page_height=None)
    assert len(single) == 1 and overlaps(single[0]) == []


def test_today_line_only_inside_the_plan(picture: PlanPicture) -> None:
    def today_lines(day: date) -> int:
        page = roadmap_pages(picture, today=day)[0]
        return sum(getattr(s, "role", "") == "today" for s in page.shapes)

    assert today_lines(date(2027, 5, 10)) == 2  # the line and its date
    assert today_lines(date(2026, 1, 1)) == 0
    assert today_lines(date(2031, 1, 1)) == 0


# --- content ----------------------------------------------------------------------------------


def test_now_next_later_buckets_by_brute_force() -> None:
    pic = synthetic_picture(40, seed=3)
    today = date(2028, 2, 14)
    h = horizons(pic, today)
    assert h.now_from == date(2028, 1, 1)
    for bar in pic.bars:
        if bar.go_live < date(2028, 1, 1):
            expected = "done"
        elif bar.start < date(2028, 4, 1):
            expected = "now"
        elif bar.start < date(2028, 10, 1):
            expected = "next"
        else:
            expected = "later"
        buckets = {"now": h.now, "next": h.next, "later": h.later, "done": h.done}
        assert [k for k, v in buckets.items() if bar in v] == [expected]


def test_money_and_lanes_in_words() -> None:
    assert money(21_370_938, "EUR") == "€21.4m"
    assert money(-850_000, "GBP") == "-£850k"
    assert money(1.5e9, "CHF") == "CHF 1.5bn"
    assert top_capability("CAP-01 +0.5, CAP-02 +2") == "CAP-02"
    assert top_capability("") == ""


def test_top_ten_left_out_by_value(picture: PlanPicture) -> None:
    from roadmap.input.board_data import LeftOut

    many = tuple(LeftOut(f"X{k}", f"x{k}", "why", float(k) if k % 3 else None) for k in range(15))
    ranked = top_left_out(replace(picture, left_out=many))
    values = [x.value_lost for x in ranked]
    assert len(ranked) == 10
    assert values[:9] == sorted([float(k) for k in range(15) if k % 3], reverse=True)[:9]


# --- outputs ------------------------------------------------------------------------------------


def check_deck(path: Path, pic: PlanPicture) -> None:
    prs = open_deck(path)
    dates = bar_dates(prs, pic.plan_start, pic.plan_end)
    assert sorted(dates) == sorted(b.id for b in pic.bars)
    for bar in pic.bars:
        start, live = dates[bar.id]
        if bar.start >= pic.plan_start:
            assert abs((start - bar.start).days) <= 2, bar.id
        if bar.go_live < pic.plan_end:
            assert abs((live - bar.go_live).days) <= 2, bar.id
    for slide in prs.slides:
        assert overlapping_text(slide) == []
    small = [f for f in font_sizes(prs) if f[2] < MIN_PT]
    assert small == []
    charts = [s for slide in prs.slides for s in slide.shapes if getattr(s, "has_chart", False)]
    if pic.years and pic.teams:
        assert {c.name for c in charts} == {"Budget chart", "Capacity chart"}
    assert not [s for slide in prs.slides for s in slide.shapes if s.shape_type == 13]  # pictures
    notes = "\n".join(
        s.notes_slide.notes_text_frame.text for s in roadmap_slides(prs) if s.has_notes_slide
    )
    for bar in pic.bars:
        assert f"{bar.id} {bar.name}" in notes
        assert f"go-live {bar.go_live.isoformat()}" in notes


def test_deck_of_the_fixture_plan(picture: PlanPicture, tmp_path: Path) -> None:
    path = tmp_path / "deck.pptx"
    build_deck(picture, today=TODAY).save(str(path))
    check_deck(path, picture)


@pytest.mark.parametrize("lanes", ["function", "team", "capability"])
def test_deck_of_many_initiatives_in_any_lanes(lanes: str, tmp_path: Path) -> None:
    pic = synthetic_picture(150, seed=7)
    path = tmp_path / "deck.pptx"
    build_deck(pic, lanes_by=lanes, today=date(2028, 3, 1)).save(str(path))
    check_deck(path, pic)
    assert len(roadmap_slides(open_deck(path))) > 1


def test_svg_and_page_carry_every_initiative(picture: PlanPicture) -> None:
    page = roadmap_pages(picture, page_height=None, today=TODAY)[0]
    root = ET.fromstring(page_svg(page).split("\n", 1)[1])
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for bar in picture.bars:
        assert bar.name[:20] in texts
    html = page_html(picture, today=TODAY)
    links = re.findall(r"(?:src|href)=\"([^\"]+)\"", html)
    assert links == []  # self-contained: nothing to fetch
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    data = json.loads(re.search(r'id="board-data">(.*?)</script>', html, re.S).group(1))
    assert set(data["bars"]) == {b.id for b in picture.bars}
    for bar in picture.bars:
        assert f'data-id="{bar.id}"' in html
        assert data["bars"][bar.id]["go_live"] == bar.go_live.isoformat()


def test_png_is_one_picture_of_the_page(picture: PlanPicture, tmp_path: Path) -> None:
    page = roadmap_pages(picture, page_height=None, today=TODAY)[0]
    path = tmp_path / "roadmap.png"
    write_png(page, path, dpi=72)
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert (width, height) == (round(page.width), round(page.height))


def test_done_and_late_milestones_show(picture: PlanPicture) -> None:
    from roadmap.board.content import status_tag

    bar = picture.bars[0]
    done = replace(picture, milestones=(Milestone(bar.id, "Go-live", bar.go_live, "Done"),))
    assert status_tag(done, bar) == "done"
    page = roadmap_pages(done, today=TODAY)[0]
    diamond = next(
        s for s in page.shapes if getattr(s, "key", "") == bar.id and s.role == "milestone"
    )
    assert diamond.fill != "FFFFFF"


def test_what_impress_showed_stays_fixed(picture: PlanPicture, tmp_path: Path) -> None:
    """Seen in LibreOffice Impress: the theme style python-pptx gives new shapes drew a shadow
    under every bar and tile, and the today line crossed the quarter labels."""
    import zipfile

    from roadmap.board.geometry import LANES_TOP, Line

    path = tmp_path / "deck.pptx"
    build_deck(picture, today=TODAY).save(str(path))
    with zipfile.ZipFile(path) as z:
        slides_xml = [z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/slide")]
    assert slides_xml and not any("<p:style>" in x for x in slides_xml)
    page = roadmap_pages(picture, today=TODAY)[0]
    today = [s for s in page.shapes if isinstance(s, Line) and s.role == "today"]
    assert today and all(s.y1 >= LANES_TOP - 2 for s in today)


def test_now_next_later_count_quarters_as_the_axis_does(picture: PlanPicture) -> None:
    """The fixture's fiscal year starts in April: Now / Next / Later name and cut fiscal
    quarters, as the roadmap's axis does (FY2028 Q1 = April to June 2027)."""
    h = horizons(picture, date(2027, 5, 10))
    assert (h.now_from, h.next_from, h.later_from) == (
        date(2027, 4, 1),
        date(2027, 7, 1),
        date(2028, 1, 1),
    )
    assert h.labels == ("FY2028 Q1", "FY2028 Q2 – Q3", "FY2028 Q4")
    years, quarters, _ = ticks(picture)
    q = next(t for t in quarters if t.start == h.now_from)
    y = next(t for t in years if t.start <= h.now_from < t.end)
    assert f"{y.label} {q.label}" == h.labels[0]
