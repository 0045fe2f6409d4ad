"""The PMO round trip on the samples, end to end through the command line: plan -> PMO edits
(openpyxl) -> replan -> PMO edits -> replan, each step reading the file the previous one wrote;
every implausible entry refused with its cell named and nothing written; a re-forecast with no
progress equal to the plan with its start moved to the status date. Outputs are read back and
re-checked independently (slips in working days, RAG by the thresholds, budgets, dates).

The retail sample runs in the default suite; the martech sample (monthly, 80 initiatives) and
the MS Project route are slow."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from roadmap.cli import cli
from roadmap.input.reader import load_portfolio
from roadmap.plan_facts.dates import on_or_after

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RETAIL = "retail-d2c.xlsx"
MARTECH = "martech-rationalisation.xlsx"
SAMPLE_PARAMS = [RETAIL, pytest.param(MARTECH, marks=pytest.mark.slow)]
# the two status dates of the quarterly cycle
DATES = {
    RETAIL: (date(2027, 4, 1), date(2027, 7, 1)),
    MARTECH: (date(2027, 4, 1), date(2027, 7, 1)),
}
LIMIT = ["--time-limit", "60"]
# the status date of the no-progress check: martech's consent platform (mandatory by
# 2027-06-30) waits for work planned from January, so from April no plan can meet its date
INVARIANT_DATE = {RETAIL: date(2027, 4, 1), MARTECH: date(2027, 2, 1)}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def weekday_before(day: date, back: int) -> date:
    d = day - timedelta(days=back)
    while d.weekday() > 4:
        d -= timedelta(days=1)
    return d


def table(ws, first: str) -> tuple[int, dict[str, int], list[int]]:
    """Header row, header -> column and the data rows of the table whose header starts with
    ``first`` in column A."""
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first)
    cols = {
        ws.cell(head, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(head, c).value
    }
    rows = []
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, 1).value in (None, ""):
            break
        rows.append(r)
    return head, cols, rows


def records(ws, first: str, after: int = 0, col: int = 1) -> list[dict[str, object]]:
    """The rows of the table whose header has ``first`` in column ``col``."""
    head = next(r for r in range(after + 1, ws.max_row + 1) if ws.cell(r, col).value == first)
    cols = {
        c: ws.cell(head, c).value for c in range(1, ws.max_column + 1) if ws.cell(head, c).value
    }
    out = []
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, col).value in (None, ""):
            break
        out.append({name: _plain(ws.cell(r, c).value) for c, name in cols.items()})
    return out


def _plain(v: object) -> object:
    return v.date() if hasattr(v, "date") and callable(v.date) else v


def status_tables(path: Path) -> tuple[list[dict], list[dict], dict[str, tuple]]:
    ws = load_workbook(path)["Status"]
    figures = {r["Figure"]: (r["Baseline"], r["Now"]) for r in records(ws, "Figure", col=2)}
    lines = records(ws, "ID")
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Milestones")
    return lines, records(ws, "ID", after=start), figures


def roadmap(path: Path) -> dict[str, dict]:
    return {r["ID"]: r for r in records(load_workbook(path)["Roadmap"], "ID")}


@dataclass
class Edit:
    """What the scripted PMO typed, to check the re-forecast against."""

    done: dict[str, tuple[date, date]]  # id -> (actual start, actual go-live)
    started: dict[str, date]  # id -> actual start (under way)


def pmo_edits(src: Path, dst: Path, as_of: date, cycle: int) -> Edit:
    """A PMO's quarter: of the work planned to have started by ``as_of``, one went live (cycle
    1) or the one furthest along goes live (cycle 2); the others started, with % complete,
    spend and a remaining estimate; milestones ticked off with dates."""
    wb = load_workbook(src)
    ws = wb["Roadmap"]
    _head, cols, rows = table(ws, "ID")
    edit = Edit({}, {})

    def get(r: int, h: str) -> object:
        return _plain(ws.cell(r, cols[h]).value)

    def put(r: int, h: str, v: object) -> None:
        ws.cell(r, cols[h]).value = v

    on_plan = {get(r, "ID") for r in rows}

    def free(r: int) -> bool:
        """Its predecessors in this plan have all gone live (none may start before that)."""
        preds = [p.strip() for p in str(get(r, "Predecessors") or "").split(",") if p.strip()]
        return all(p not in on_plan or p in edit.done for p in preds)

    due = [r for r in rows if get(r, "Start") < as_of]
    fresh = [r for r in due if get(r, "Status") == "proposed" and get(r, "Actual start") is None]
    fresh = [r for r in fresh if free(r)]
    under_way = [r for r in due if get(r, "Actual start") is not None]
    if cycle == 1:
        first, *rest = fresh
        start = get(first, "Start")
        live = weekday_before(as_of, 5)
        put(first, "Actual start", start)
        put(first, "Actual go-live", live)
        put(first, "% complete", 1.0)
        put(first, "Spent to date", 250_000)
        edit.done[get(first, "ID")] = (start, live)
        for k, r in enumerate(rest[:3]):
            put(r, "Actual start", get(r, "Start") + timedelta(days=3 + k))
            put(r, "% complete", 0.3 + 0.1 * k)
            put(r, "Spent to date", 150_000 * (k + 1))
            put(r, "Remaining (working days)", 40 + 20 * k)
            put(r, "RAG", ("Green", "Amber", "Red")[k])
            put(r, "PMO comment", f"cycle 1 note {k}")
            edit.started[get(r, "ID")] = _plain(ws.cell(r, cols["Actual start"]).value)
    else:
        ahead = sorted(under_way, key=lambda r: -(get(r, "% complete") or 0))
        if ahead:
            r = ahead[0]
            live = weekday_before(as_of, 3)
            put(r, "Actual go-live", live)
            put(r, "% complete", 1.0)
            put(r, "Remaining (working days)", None)
            edit.done[get(r, "ID")] = (get(r, "Actual start"), live)
        for r in ahead[1:]:
            put(r, "% complete", min(0.95, (get(r, "% complete") or 0) + 0.3))
            put(r, "Spent to date", (get(r, "Spent to date") or 0) + 100_000)
            put(r, "Remaining (working days)", 30)
            edit.started[get(r, "ID")] = get(r, "Actual start")
        for r in fresh[:1]:
            put(r, "Actual start", get(r, "Start"))
            put(r, "% complete", 0.2)
            edit.started[get(r, "ID")] = get(r, "Start")
    ms = wb["Milestones"]
    _, mc, mrows = table(ms, "Date")
    for r in mrows:
        iid, kind = ms.cell(r, mc["Initiative"]).value, ms.cell(r, mc["Milestone"]).value
        if iid in edit.started and kind == "Kick-off":
            ms.cell(r, mc["Status"]).value = "Done"
            ms.cell(r, mc["Actual date"]).value = edit.started[iid]
        if iid in edit.done and kind == "Go-live":
            ms.cell(r, mc["Status"]).value = "Done"
            ms.cell(r, mc["Actual date"]).value = edit.done[iid][1]
    wb.save(dst)
    return edit


@dataclass
class Cycle:
    folder: Path
    input: Path
    hashes: dict[Path, str]
    plan: Path  # the plan handed out
    edits: list[Edit]
    outputs: list[Path]  # the re-forecasts
    next_inputs: list[Path]
    results: list


@pytest.fixture(scope="module", params=SAMPLE_PARAMS)
def cycle(request, tmp_path_factory) -> Cycle:
    name = request.param
    folder = tmp_path_factory.mktemp("pmo")
    src = folder / name
    shutil.copy(SAMPLES / name, src)
    plan = folder / "plan.xlsx"
    result = invoke("plan", src, "-o", plan, *LIMIT, "--today", "2027-01-15")
    assert result.exit_code == 0, result.stderr
    c = Cycle(folder, src, {}, plan, [], [], [], [])
    progress, source = plan, src
    for k, as_of in enumerate(DATES[name], start=1):
        edited = folder / f"progress-{k}.xlsx"
        c.edits.append(pmo_edits(progress, edited, as_of, k))
        out, nxt = folder / f"plan-{k}.xlsx", folder / f"input-{k}.xlsx"
        c.hashes = {p: digest(p) for p in (source, edited)}
        result = invoke(
            "replan", source, "--progress", edited, "--as-of", as_of, "-o", out,
            "--write-input", nxt, "--export", "mspdi", *LIMIT, "--today", as_of,
        )  # fmt: skip
        c.results.append(result)
        assert result.exit_code == 0, result.stderr
        assert all(digest(p) == h for p, h in c.hashes.items())  # inputs only read
        c.outputs.append(out)
        c.next_inputs.append(nxt)
        progress, source = out, nxt  # the next cycle reads what this one wrote
    return c


def test_two_cycles_run_and_say_what_moved(cycle: Cycle) -> None:
    for result, out in zip(cycle.results, cycle.outputs, strict=True):
        assert f"Wrote {out}" in result.stdout
        assert "RAG" in result.stdout and "Finish" in result.stdout
        assert load_workbook(out).sheetnames[:2] == ["Summary", "Status"]


def test_done_work_never_moves(cycle: Cycle) -> None:
    """Work reported live stays done with its actual dates in every later report, and is no
    longer planned."""
    done: dict[str, tuple[date, date]] = {}
    for edit, out in zip(cycle.edits, cycle.outputs, strict=True):
        done.update(edit.done)
        lines, stones, _ = status_tables(out)
        by_id = {r["ID"]: r for r in lines}
        for iid, (start, live) in done.items():
            assert by_id[iid]["State"] == "done", iid
            assert (by_id[iid]["Start"], by_id[iid]["Go-live"]) == (start, live)
            assert iid not in roadmap(out)
            gl = [s for s in stones if s["ID"] == iid and s["Milestone"] == "Go-live"]
            assert gl and gl[0]["Date"] == live and gl[0]["Done"] == "yes"
    assert done


def test_locked_work_keeps_its_actual_start(cycle: Cycle) -> None:
    for edit, out in zip(cycle.edits, cycle.outputs, strict=True):
        rows = roadmap(out)
        lines = {r["ID"]: r for r in status_tables(out)[0]}
        for iid, start in edit.started.items():
            assert lines[iid]["Start"] == start
            if lines[iid]["State"] == "in progress":  # continued (not stopped)
                # the actual start as typed; the plan's dates are working days (a start on a
                # weekend shows on the Monday after)
                assert rows[iid]["Actual start"] == start
                assert rows[iid]["Start"] == on_or_after(start)
                assert rows[iid]["Status"] == "in progress"
            else:
                assert lines[iid]["State"] == "stopped" and iid not in rows


def test_status_figures_recomputed_independently(cycle: Cycle) -> None:
    """Slip = working days from the baseline go-live to the forecast; RAG by the input's
    thresholds; the baseline is the plan first handed out, in both cycles."""
    portfolio, _ = load_portfolio(cycle.input)
    s = portfolio.settings
    handed_out = roadmap(cycle.plan)
    for k, out in enumerate(cycle.outputs):
        lines, stones, figures = status_tables(out)
        assert figures["Status date"][1] == DATES[cycle.input.name][k]
        for r in lines:
            if r["ID"] in handed_out:
                assert r["Baseline go-live"] == handed_out[r["ID"]]["Go-live"]
            b, f = r["Baseline go-live"], r["Go-live"]
            if b is None or f is None or r["State"] in ("stopped", "dropped"):
                continue
            lo, hi = sorted((b, f))
            days = int(np.busday_count(lo + timedelta(days=1), hi + timedelta(days=1)))
            assert r["Slip (working days)"] == (days if f >= b else -days), r["ID"]
            over = r["Over budget"] or 0.0
            slip = r["Slip (working days)"]
            red = slip > s.rag_red_slip or over > s.rag_red_overrun + 1e-9
            amber = slip > s.rag_amber_slip or over > s.rag_amber_overrun + 1e-9
            assert r["RAG"] == ("Red" if red else "Amber" if amber else "Green"), r["ID"]
            if r["Spent to date"] is not None and r["State"] == "in progress":
                assert r["Forecast at completion"] >= r["Spent to date"]
        assert all(m["Done"] in ("yes", "no") for m in stones)
    # the second report shows the trend against the first
    lines, _, _ = status_tables(cycle.outputs[1])
    trends = [r["Trend"] for r in lines if r["Trend"]]
    assert trends
    assert all(t == "same" or t.startswith(("better (was ", "worse (was ")) for t in trends)


def test_budgets_respected_net_of_spend(cycle: Cycle) -> None:
    for out in cycle.outputs:
        ws = load_workbook(out)["Budget"]
        limits = records(ws, "Budget line")
        assert limits
        for r in limits:
            assert r["Spend"] <= r["Limit"] * (1 + 1e-6) + 1e-6, r["Budget line"]


def test_next_cycle_input_reads_and_carries_the_states(cycle: Cycle) -> None:
    for k, (nxt, edit) in enumerate(zip(cycle.next_inputs, cycle.edits, strict=True)):
        p, _warnings = load_portfolio(nxt)
        assert p.settings.plan_start == DATES[cycle.input.name][k]
        for iid, (start, _live) in edit.done.items():
            assert p.initiative_by_id[iid].status.value == "done"
            assert p.initiative_by_id[iid].actual_start == start


def test_the_exported_xml_carries_the_baseline_and_the_actuals(cycle: Cycle) -> None:
    from defusedxml import ElementTree as SafeET

    ns = "{http://schemas.microsoft.com/project}"
    handed_out = roadmap(cycle.plan)
    root = SafeET.parse(cycle.outputs[0].with_suffix(".xml")).getroot()
    assert root.find(ns + "StatusDate").text.startswith(str(DATES[cycle.input.name][0]))
    seen = 0
    for t in root.iter(ns + "Task"):
        name = t.find(ns + "Name").text
        iid = name.split()[0]
        if not name.endswith(" build") or iid not in handed_out:
            continue
        base = t.find(ns + "Baseline")
        assert base.find(ns + "Start").text[:10] == str(handed_out[iid]["Start"])
        if iid in cycle.edits[0].started and t.find(ns + "ActualStart") is not None:
            assert t.find(ns + "ActualStart").text[:10] == str(cycle.edits[0].started[iid])
            assert int(t.find(ns + "PercentComplete").text) > 0
            seen += 1
    assert seen


# --- every implausible entry: exit 2, the cell named, nothing written ------------------------


@pytest.fixture(scope="module", params=SAMPLE_PARAMS)
def handed_out(request, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("bad")
    src = folder / request.param
    shutil.copy(SAMPLES / request.param, src)
    plan = folder / "plan.xlsx"
    result = invoke("plan", src, "-o", plan, *LIMIT)
    assert result.exit_code == 0, result.stderr
    return src, plan


def _bad(kind: str, wb, as_of: date) -> str:
    """Make one implausible entry; returns the cell it is in."""
    ws = wb["Roadmap"]
    _, cols, rows = table(ws, "ID")
    from openpyxl.utils import get_column_letter

    planned = [r for r in rows if ws.cell(r, cols["Status"]).value == "proposed"]
    r = planned[0]
    letter = {h: get_column_letter(c) for h, c in cols.items()}
    start = _plain(ws.cell(r, cols["Start"]).value)
    if kind == "after the status date":
        ws.cell(r, cols["Actual start"]).value = as_of + timedelta(days=10)
        return f"Roadmap!{letter['Actual start']}{r}"
    if kind == "finish before start":
        ws.cell(r, cols["Actual start"]).value = start + timedelta(days=30)
        ws.cell(r, cols["Actual go-live"]).value = start + timedelta(days=10)
        return f"Roadmap!{letter['Actual go-live']}{r}"
    if kind == "percent outside 0-100":
        ws.cell(r, cols["Actual start"]).value = start
        ws.cell(r, cols["% complete"]).value = 1.5
        return f"Roadmap!{letter['% complete']}{r}"
    if kind == "outside the plan calendar":
        ws.cell(r, cols["Actual start"]).value = date(2019, 3, 4)
        return f"Roadmap!{letter['Actual start']}{r}"
    if kind == "id not in the plan":
        last = rows[-1] + 1
        ws.cell(last, 1).value = "ZZ-99"
        ws.cell(last, cols["Actual start"]).value = start
        return f"Roadmap!A{last}"
    if kind == "not selected":
        left = wb["Not selected"]
        _, _lc, lrows = table(left, "ID")
        last = rows[-1] + 1
        ws.cell(last, 1).value = left.cell(lrows[0], 1).value
        ws.cell(last, cols["Actual start"]).value = start
        return f"Roadmap!A{last}"
    if kind == "milestone before its predecessor":
        iid = ws.cell(r, 1).value
        ws.cell(r, cols["Actual start"]).value = start
        ms = wb["Milestones"]
        _, mc, mrows = table(ms, "Date")
        for m in mrows:
            if (ms.cell(m, mc["Initiative"]).value, ms.cell(m, mc["Milestone"]).value) == (
                iid,
                "Build complete",
            ):
                ms.cell(m, mc["Status"]).value = "Done"
                ms.cell(m, mc["Actual date"]).value = start + timedelta(days=20)
                return f"Milestones!{get_column_letter(mc['Status'])}{m}"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "after the status date",
        "finish before start",
        "percent outside 0-100",
        "outside the plan calendar",
        "id not in the plan",
        "not selected",
        "milestone before its predecessor",
    ],
)
def test_implausible_entries_exit_2_naming_the_cell(handed_out, kind: str, tmp_path: Path) -> None:
    src, plan = handed_out
    as_of = DATES[src.name][0]
    wb = load_workbook(plan)
    where = _bad(kind, wb, as_of)
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    before = {p: digest(p) for p in (src, edited)}
    out, nxt = tmp_path / "new.xlsx", tmp_path / "next.xlsx"
    result = invoke(
        "replan", src, "--progress", edited, "--as-of", as_of, "-o", out, "--write-input", nxt
    )
    assert result.exit_code == 2, result.stdout + result.stderr
    assert where in result.stderr, (where, result.stderr)
    assert "Traceback" not in result.stderr
    assert not out.exists() and not nxt.exists()
    assert {p: digest(p) for p in before} == before
    check = invoke("progress", edited, "--as-of", as_of, "--input", src)
    assert check.exit_code == 2 and where in check.stderr


# --- no progress: the plan with its start moved -----------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_PARAMS)
def test_replan_without_progress_is_the_plan_from_the_status_date(name: str, tmp_path: Path):
    """Nothing reported: the re-forecast selects the same initiatives on the same dates as
    `roadmap plan` on the input with its Plan start moved to the status date (and its horizon
    shortened to keep the plan's end), edited here by hand."""
    src = tmp_path / name
    shutil.copy(SAMPLES / name, src)
    as_of = INVARIANT_DATE[name]
    plan = tmp_path / "plan.xlsx"
    assert invoke("plan", src, "-o", plan, *LIMIT).exit_code == 0
    replanned = tmp_path / "replanned.xlsx"
    limit = ["--time-limit", "600", "--gap", "0"]  # proven optima: one plan to compare
    replan_result = invoke(
        "replan", src, "--progress", plan, "--as-of", as_of, "-o", replanned, *limit
    )
    assert replan_result.exit_code == 0, replan_result.stderr
    moved = tmp_path / "moved.xlsx"
    wb = load_workbook(src)
    ws = wb["Settings"]
    portfolio, _ = load_portfolio(src)
    from roadmap.money.calendar import Calendar

    cal = Calendar.from_settings(portfolio.settings)
    gone = cal.period_of(as_of)  # as_of is a period's first day in both samples
    assert cal.start(gone) == as_of
    for r in range(1, ws.max_row + 1):
        label = str(ws.cell(r, 1).value or "")
        if label == "Plan start":
            ws.cell(r, 2).value = as_of
        if label == "Horizon":
            ws.cell(r, 2).value = cal.horizon - gone
    wb.save(moved)
    plan_moved = tmp_path / "plan-moved.xlsx"
    plan_result = invoke("plan", moved, "-o", plan_moved, *limit)
    assert plan_result.exit_code == 0, plan_result.stderr
    for result in (replan_result, plan_result):
        assert "optimal, gap 0.00%" in result.stdout  # both proven: one optimum to compare
    a, b = roadmap(replanned), roadmap(plan_moved)
    assert set(a) == set(b)
    assert {k: v["Go-live"] for k, v in a.items()} == {k: v["Go-live"] for k, v in b.items()}
    for k, v in a.items():
        if v["Status"] == "in progress":
            # work in progress: the plan shows its period's first working day, the re-forecast
            # its actual start (the day it started, a weekend moved to the Monday)
            assert cal.period_of(v["Start"]) == cal.period_of(b[k]["Start"])
        else:
            assert v["Start"] == b[k]["Start"], k


# --- the MS Project route ---------------------------------------------------------------------

TRACK = """
import json, sys, jpype, mpxj
jpype.startJVM()
from org.mpxj.reader import UniversalProjectReader
from org.mpxj.mspdi import MSPDIWriter
from org.mpxj import Duration, TimeUnit
LocalDateTime = jpype.JClass("java.time.LocalDateTime")
src, dst, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
project = UniversalProjectReader().read(src)
def when(text, hour):
    y, m, d = map(int, text.split("-"))
    return LocalDateTime.of(y, m, d, hour, 0)
tasks = {str(t.getName()): t for t in project.getTasks() if t.getName() is not None}
for name, facts in spec["tasks"].items():
    t = tasks[name]
    if "start" in facts:
        t.setActualStart(when(facts["start"], 8))
    if "finish" in facts:
        t.setActualFinish(when(facts["finish"], 17))
    if "percent" in facts:
        t.setPercentageComplete(jpype.JDouble(facts["percent"]))
    if "remaining_days" in facts:
        t.setRemainingDuration(Duration.getInstance(facts["remaining_days"] * 8.0, TimeUnit.HOURS))
project.getProjectProperties().setStatusDate(when(spec["status_date"], 8))
MSPDIWriter().write(project, dst)
"""


@pytest.mark.slow
def test_ms_project_xml_with_actuals_gives_the_workbook_result(tmp_path: Path) -> None:
    """Actuals written into the plan's MS Project XML by mpxj (an independent writer: actual
    start and finish, percent complete, remaining duration, the status date) re-forecast to the
    same plan as the same facts typed into the plan workbook."""
    import importlib.util
    import json
    import subprocess
    import sys

    if any(importlib.util.find_spec(m) is None for m in ("mpxj", "jpype")) or not shutil.which(
        "java"
    ):
        pytest.skip("mpxj, JPype1 and Java write the tracked MS Project file")
    from roadmap.app.progress import read_progress

    src = tmp_path / RETAIL
    shutil.copy(SAMPLES / RETAIL, src)
    as_of = DATES[RETAIL][0]
    plan = tmp_path / "plan.xlsx"
    assert invoke("plan", src, "-o", plan, *LIMIT, "--export", "mspdi").exit_code == 0
    rows = roadmap(plan)
    fresh = [i for i, r in rows.items() if r["Start"] <= as_of and r["Status"] == "proposed"]
    done, going, late = fresh[:3]
    live = weekday_before(as_of, 5)
    spec = {
        "status_date": str(as_of),
        "tasks": {
            f"{done} build": {"start": str(rows[done]["Start"]), "finish": str(live), "percent": 100},
            f"{going} build": {"start": str(rows[going]["Start"]), "percent": 40, "remaining_days": 60},
            f"{going} Kick-off": {"start": str(rows[going]["Start"]), "finish": str(rows[going]["Start"]), "percent": 100},
            f"{late} build": {"start": str(min(rows[late]["Start"] + timedelta(days=14), as_of)), "percent": 10, "remaining_days": 150},
        },
    }  # fmt: skip
    tracked = tmp_path / "tracked.xml"
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            TRACK,
            str(plan.with_suffix(".xml")),
            str(tracked),
            json.dumps(spec),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    read = read_progress(tracked)
    assert read.status_date == as_of
    # the same facts, typed into the plan workbook's PMO columns
    wb = load_workbook(plan)
    ws = wb["Roadmap"]
    _, cols, table_rows = table(ws, "ID")
    at = {ws.cell(r, 1).value: r for r in table_rows}
    typed = 0
    for entry in read.initiatives:
        r = at[entry.initiative]
        for header, value in (
            ("Actual start", entry.start),
            ("Actual go-live", entry.go_live),
            ("% complete", entry.percent),
            ("Spent to date", entry.spent),
            ("Remaining (working days)", entry.remaining_days),
        ):
            if value is not None:
                ws.cell(r, cols[header]).value = value
                typed += 1
    assert typed >= 8
    typed_path = tmp_path / "typed.xlsx"
    wb.save(typed_path)
    outs = []
    for progress in (tracked, typed_path):
        out = tmp_path / f"new-{progress.stem}.xlsx"
        result = invoke("replan", src, "--progress", progress, "-o", out, "--as-of", as_of, *LIMIT)
        assert result.exit_code == 0, result.stderr
        outs.append(out)
    a, b = (roadmap(o) for o in outs)
    assert {k: (v["Start"], v["Go-live"]) for k, v in a.items()} == {
        k: (v["Start"], v["Go-live"]) for k, v in b.items()
    }
    lines = [
        {r["ID"]: (r["State"], r["Go-live"], r["RAG"]) for r in status_tables(o)[0]} for o in outs
    ]
    assert lines[0] == lines[1]
    assert lines[0][done][0] == "done" and lines[0][going][0] == "in progress"
