import csv
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from plan_fixtures import plan as fixture_plan

from roadmap.export.csv import HEADERS, write_milestones_csv
from roadmap.export.mspdi import NAMESPACE, write_mspdi
from roadmap.plan_facts import MILESTONE_KINDS, plan_facts, plan_title
from roadmap.plan_facts.dates import working_days

NS = {"p": NAMESPACE}
# the MSPDI schema's order for the Task elements (mspdi_pj12.xsd, as mpxj's reader declares it)
TASK_ORDER = [
    "UID", "GUID", "ID", "Name", "Active", "Manual", "Type", "IsNull", "CreateDate", "Contact",
    "WBS", "WBSLevel", "OutlineNumber", "OutlineLevel", "Priority", "Start", "Finish",
    "Duration", "DurationFormat", "Work", "Stop", "Resume", "ResumeValid", "EffortDriven",
    "Recurring", "OverAllocated", "Estimated", "Milestone", "Summary", "DisplayAsSummary",
    "Critical", "IsSubproject", "IsSubprojectReadOnly", "SubprojectName", "ExternalTask",
    "ExternalTaskProject", "EarlyStart", "EarlyFinish", "LateStart", "LateFinish",
    "StartVariance", "FinishVariance", "WorkVariance", "FreeSlack", "TotalSlack", "StartSlack",
    "FinishSlack", "FixedCost", "FixedCostAccrual", "PercentComplete", "PercentWorkComplete",
    "Cost", "OvertimeCost", "OvertimeWork", "ActualStart", "ActualFinish", "ActualDuration",
    "ActualCost", "ActualOvertimeCost", "ActualWork", "ActualOvertimeWork", "RegularWork",
    "RemainingDuration", "RemainingCost", "RemainingWork", "RemainingOvertimeCost",
    "RemainingOvertimeWork", "ACWP", "CV", "ConstraintType", "CalendarUID", "ConstraintDate",
    "Deadline", "LevelAssignments", "LevelingCanSplit", "LevelingDelay", "LevelingDelayFormat",
    "PreLeveledStart", "PreLeveledFinish", "Hyperlink", "HyperlinkAddress",
    "HyperlinkSubAddress", "IgnoreResourceCalendar", "Notes", "HideBar", "Rollup", "BCWS",
    "BCWP", "PhysicalPercentComplete", "EarnedValueMethod", "PredecessorLink",
    "ActualWorkProtected", "ActualOvertimeWorkProtected", "ExtendedAttribute", "Baseline",
]  # fmt: skip


@pytest.fixture(scope="module")
def facts():
    return plan_facts(fixture_plan())


@pytest.fixture(scope="module")
def xml_path(facts, tmp_path_factory) -> Path:
    return write_mspdi(facts, tmp_path_factory.mktemp("x") / "plan.xml")


def tasks(path: Path) -> list[dict[str, object]]:
    root = SafeET.parse(path).getroot()
    out = []
    for t in root.findall("p:Tasks/p:Task", NS):
        item: dict[str, object] = {el.tag.split("}")[1]: el.text for el in t if len(el) == 0}
        item["order"] = [el.tag.split("}")[1] for el in t]
        item["links"] = [
            (link.find("p:PredecessorUID", NS).text, link.find("p:Type", NS).text)
            for link in t.findall("p:PredecessorLink", NS)
        ]
        item["lags"] = [
            int(link.find("p:LinkLag", NS).text) for link in t.findall("p:PredecessorLink", NS)
        ]
        out.append(item)
    return out


def test_task_elements_follow_the_schema_order(xml_path: Path) -> None:
    for t in tasks(xml_path):
        assert set(t["order"]) <= set(TASK_ORDER)
        assert t["order"] == sorted(t["order"], key=TASK_ORDER.index)
        assert re.fullmatch(r"PT\d+H\d+M0S", str(t["Duration"]))


def test_builds_milestones_and_links(facts, xml_path: Path) -> None:
    items = tasks(xml_path)
    uids = [t["UID"] for t in items]
    assert len(uids) == len(set(uids))
    builds = {t["Name"].split()[0]: t for t in items if str(t["Name"]).endswith(" build")}
    assert set(builds) == set(facts.plan.starts)
    for row in facts.schedule:
        b = builds[row.initiative.id]
        start = datetime.fromisoformat(str(b["Start"])).date()
        finish = datetime.fromisoformat(str(b["Finish"])).date()
        assert (start, finish) == (row.kickoff, row.go_live)  # the plan's dates, unchanged
        hours = int(re.match(r"PT(\d+)H", str(b["Duration"])).group(1))
        assert hours == 8 * working_days(start, finish)
        wanted = {(builds[p]["UID"], "1") for p in row.predecessors if p in builds}
        kick_off = next(t for t in items if t["Name"] == f"{row.initiative.id} Kick-off")
        wanted.add((kick_off["UID"], "3"))  # the build starts with its kick-off
        assert set(b["links"]) == wanted
    stones = [t for t in items if t["Milestone"] == "1"]
    assert len(stones) == len(MILESTONE_KINDS) * len(facts.plan.starts)
    assert all(t["Duration"] == "PT0H0M0S" for t in stones)
    summaries = {t["Name"] for t in items if t["Summary"] == "1" and t["OutlineLevel"] == "1"}
    assert summaries == {r.initiative.owner_function for r in facts.schedule}


def test_resources_and_assignments(facts, xml_path: Path) -> None:
    root = SafeET.parse(xml_path).getroot()
    res = {r.find("p:UID", NS).text for r in root.findall("p:Resources/p:Resource", NS)}
    assert len(res) == len(facts.plan.portfolio.teams)
    task_uids = {t.find("p:UID", NS).text for t in root.findall("p:Tasks/p:Task", NS)}
    assigned = root.findall("p:Assignments/p:Assignment", NS)
    staffed = [
        s for s in facts.plan.portfolio.staffing if s.initiative in facts.plan.starts and s.fte > 0
    ]
    assert len(assigned) == len(staffed)
    for a in assigned:
        assert a.find("p:TaskUID", NS).text in task_uids
        assert a.find("p:ResourceUID", NS).text in res


def test_milestones_csv(facts, tmp_path: Path) -> None:
    path = write_milestones_csv(facts, tmp_path / "m.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == HEADERS
    assert len(rows) - 1 == len(facts.milestones)
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    assert not any(cell.startswith("=") for r in rows for cell in r)


MPXJ_READ = """
import json, sys, jpype, mpxj
jpype.startJVM()
from org.mpxj.reader import UniversalProjectReader
project = UniversalProjectReader().read(sys.argv[1])
num = lambda x: None if x is None else float(str(x))
text = lambda x: None if x is None else str(x)
out = {"tasks": [], "resources": [], "assignments": []}
props = project.getProjectProperties()
out["name"], out["title"] = text(props.getName()), text(props.getProjectTitle())
out["calendar"] = text(project.getDefaultCalendar().getName())
out["status_date"] = text(props.getStatusDate())
for t in project.getTasks():
    preds = [str(r.getPredecessorTask().getName()) for r in (t.getPredecessors() or [])]
    links = [(str(r.getPredecessorTask().getName()), str(r.getType()),
              num(r.getLag().convertUnits(jpype.JClass("org.mpxj.TimeUnit").HOURS, props).getDuration()))
             for r in (t.getPredecessors() or [])]
    out["tasks"].append({"name": str(t.getName()), "start": str(t.getStart()),
        "outline": text(t.getOutlineNumber()), "wbs": text(t.getWBS()), "links": links,
        "level": t.getOutlineLevel() and int(t.getOutlineLevel()),
        "actual_start": text(t.getActualStart()), "actual_cost": num(t.getActualCost()),
        "remaining_cost": num(t.getRemainingCost()), "fixed_cost": num(t.getFixedCost()),
        "finish": str(t.getFinish()), "milestone": bool(t.getMilestone()), "preds": preds,
        "cost": num(t.getCost()), "capex": num(t.getCost(1)), "opex": num(t.getCost(2)),
        "baseline_cost": num(t.getBaselineCost()), "baseline_start": text(t.getBaselineStart()),
        "baseline_finish": text(t.getBaselineFinish()), "done": num(t.getPercentageComplete())})
for r in project.getResources():
    if r.getName() is None:
        continue
    rate = r.getStandardRate()
    out["resources"].append({"name": str(r.getName()), "max": num(r.getMaxUnits()),
        "rate": None if rate is None else num(rate.getAmount()),
        "rate_units": None if rate is None else str(rate.getUnits()),
        "availability": [(str(a.getRange().getStart()), str(a.getRange().getEnd()),
                          num(a.getUnits())) for a in r.getAvailability()]})
for a in project.getResourceAssignments():
    work = [(str(w.getStart()), str(w.getFinish()), num(w.getTotalAmount().convertUnits(
        jpype.JClass("org.mpxj.TimeUnit").HOURS, props).getDuration()))
        for w in (a.getRawTimephasedRemainingRegularWork() or [])]
    actual = [(str(w.getStart()), num(w.getTotalAmount().convertUnits(
        jpype.JClass("org.mpxj.TimeUnit").HOURS, props).getDuration()))
        for w in (a.getRawTimephasedActualRegularWork() or [])]
    out["assignments"].append({"task": str(a.getTask().getName()), "actual": actual,
        "cost": num(a.getCost()),
        "resource": str(a.getResource().getName()), "timephased": work,
        "baseline_work": num(a.getBaselineWork().convertUnits(
        jpype.JClass("org.mpxj.TimeUnit").HOURS, props).getDuration())})
print(json.dumps(out))
"""
NEEDS_MPXJ = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("mpxj", "jpype"))
    or shutil.which("java") is None,
    reason="mpxj and JPype1 (the test extra) and Java are needed for the independent MSPDI reader",
)


def mpxj_read(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MPXJ_READ, str(path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@NEEDS_MPXJ
def test_mpxj_reads_back_tasks_dates_and_links(facts, xml_path: Path) -> None:
    read = {t["name"]: t for t in mpxj_read(xml_path)["tasks"]}
    mine = {t["Name"]: t for t in tasks(xml_path)}
    assert set(read) == set(mine)
    for name, t in mine.items():
        assert read[name]["start"][:16] == str(t["Start"])[:16]
        assert read[name]["finish"][:16] == str(t["Finish"])[:16]
        assert read[name]["milestone"] == (t["Milestone"] == "1")
    for row in facts.schedule:
        preds = read[f"{row.initiative.id} build"]["preds"]
        assert sorted(preds) == sorted(
            [f"{p} build" for p in row.predecessors if p in facts.plan.starts]
            + [f"{row.initiative.id} Kick-off"]
        )


def busy_plan():
    """The fixture plan on a calendar whose periods start and end on weekends (2028-07-01),
    with a freeze and a hire, so dates, availability and profiles all have something to show."""
    from dataclasses import replace
    from datetime import date

    from roadmap.domain import CapacityChange

    plan = fixture_plan()
    p = plan.portfolio
    changes = (
        CapacityChange("DATA", date(2028, 10, 1), 1.0, end=date(2028, 12, 31), note="freeze"),
        CapacityChange("WEB", date(2029, 4, 1), 5.0, note="two hires"),
    )
    settings = replace(p.settings, plan_start=date(2028, 7, 1))
    # the data team has a cost per FTE-year (a cost rate in the XML), the web team none
    teams = (replace(p.teams[0], cost_per_fte_year=130_000.0), p.teams[1])
    return replace(
        plan, portfolio=replace(p, settings=settings, capacity_changes=changes, teams=teams)
    )


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    from roadmap.report.plan_workbook import build_plan_workbook

    plan = busy_plan()
    facts = plan_facts(plan)
    folder = tmp_path_factory.mktemp("busy")
    build_plan_workbook(plan, facts=facts).save(folder / "plan.xlsx")
    write_milestones_csv(facts, folder / "m.csv")
    write_mspdi(facts, folder / "plan.xml")
    return facts, folder


@NEEDS_MPXJ
def test_workbook_csv_and_xml_agree_date_for_date(busy) -> None:
    from openpyxl import load_workbook
    from test_plan_workbook import table_rows

    facts, folder = busy
    read = mpxj_read(folder / "plan.xml")
    assert read["name"] == read["title"] == plan_title(facts.plan)
    xml = {
        tuple(t["name"].split(" ", 1)): t["finish"][:10] for t in read["tasks"] if t["milestone"]
    }
    wb = load_workbook(folder / "plan.xlsx")
    sheet = {
        (r["Initiative"], r["Milestone"]): r["Date"].date().isoformat()
        for r in table_rows(wb["Milestones"], "tbl_Milestones")
    }
    with (folder / "m.csv").open(encoding="utf-8-sig", newline="") as fh:
        flat = {(r["Initiative"], r["Milestone"]): r["Date"] for r in csv.DictReader(fh)}
    assert xml == sheet == flat
    assert len(xml) == len(facts.milestones)
    assert all(datetime.fromisoformat(d).weekday() < 5 for d in xml.values())
    roadmap = {r["ID"]: r for r in table_rows(wb["Roadmap"], "tbl_Roadmap")}
    for t in read["tasks"]:
        if t["name"].endswith(" build"):
            row = roadmap[t["name"].split()[0]]
            assert t["start"][:10] == row["Start"].date().isoformat()
            assert t["finish"][:10] == row["Go-live"].date().isoformat()
    done = {(m.initiative, m.kind) for m in facts.milestones if m.done}
    assert done  # the in-progress initiative has milestones before the plan start
    for t in read["tasks"]:
        if t["milestone"]:
            key = tuple(t["name"].split(" ", 1))
            assert (t["done"] == 100) == (key in done), key


@NEEDS_MPXJ
def test_xml_costs_baseline_and_availability(busy) -> None:
    from roadmap.money.profiles import phase_weights
    from roadmap.plan_facts.workload import availability

    facts, folder = busy
    read = mpxj_read(folder / "plan.xml")
    by_id = facts.plan.portfolio.initiative_by_id
    builds = [t for t in read["tasks"] if t["name"].endswith(" build")]
    assert len(builds) == len(facts.plan.starts)
    labour = {t["task"]: 0.0 for t in read["assignments"]}
    for a in read["assignments"]:
        labour[a["task"]] += a["cost"]
    for t in builds:
        ini = by_id[t["name"].split()[0]]
        s, d = facts.plan.starts[ini.id], ini.duration
        weights = phase_weights(ini.cost_profile, d)
        share = weights[[k for k in range(d) if s + k >= 0]].sum() / weights.sum()
        # Capex and Opex: what the plan spends from its start; before it: actual cost
        assert t["capex"] == pytest.approx(ini.capex * share)
        assert t["opex"] == pytest.approx(ini.one_off_opex * share)
        assert t["fixed_cost"] == pytest.approx(ini.capex + ini.one_off_opex)
        spent_before = (ini.capex + ini.one_off_opex) * (1 - share)
        assert t["cost"] == pytest.approx(t["fixed_cost"] + labour.get(t["name"], 0.0))
        assert t["cost"] == pytest.approx((t["actual_cost"] or 0.0) + t["remaining_cost"])
        assert t["baseline_cost"] == pytest.approx(t["cost"])
        assert (t["actual_cost"] or 0.0) >= spent_before - 0.01
        assert (s < 0) == (spent_before > 0) == (t["actual_start"] is not None)
    for t in read["tasks"]:
        if t["milestone"] or t["name"].endswith(" build"):  # summaries roll up in the tool
            assert (t["baseline_start"], t["baseline_finish"]) == (t["start"], t["finish"])
    teams = {tm.name: tm for tm in facts.plan.portfolio.teams}
    root = SafeET.parse(folder / "plan.xml").getroot()
    for r in root.findall("p:Resources/p:Resource", NS):
        team = teams[r.find("p:Name", NS).text]
        assert float(r.find("p:MaxUnits", NS).text) == team.capacity  # base capacity
    runs = availability(facts.plan, facts.calendar)
    for r in read["resources"]:
        team = teams[r["name"]]
        mine = runs[team.id]
        assert [u for _, _, u in r["availability"]] == pytest.approx([100 * a.fte for a in mine])
        assert len(mine) > 1  # the freeze and the hire are there
        for (start, end, _), a in zip(r["availability"], mine, strict=True):
            assert start[:10] <= a.first.isoformat() and end[:10] >= a.last.isoformat()


@NEEDS_MPXJ
def test_time_phased_work_adds_up_to_the_capacity_sheet(busy) -> None:
    """Work read back by mpxj, per team and period, divided by the period's working hours,
    is the Capacity sheet's demand: the phase profiles, not flat averages."""
    import numpy as np

    from roadmap.plan_facts.dates import period_end, period_start

    facts, folder = busy
    read = mpxj_read(folder / "plan.xml")
    cal, cap = facts.calendar, facts.capacity
    team_row = {facts.plan.portfolio.teams[k].name: k for k in range(len(cap.teams))}
    demand = np.zeros_like(cap.demand)
    for a in read["assignments"]:
        total = sum(hours for _start, hours in a["actual"])  # before the plan start
        for start, _finish, hours in a["timephased"]:
            t = cal.period_of(datetime.fromisoformat(start).date())
            total += hours
            if 0 <= t < cal.horizon:
                days = working_days(period_start(cal, t), period_end(cal, t))
                demand[team_row[a["resource"]], t] += hours / (8 * days)
        assert a["baseline_work"] == pytest.approx(total)
    assert np.allclose(demand, cap.demand, atol=1e-6)
    assert demand.sum() > 0


@pytest.mark.parametrize(("option", "sep"), [(";", ";"), ("tab", "\t"), (",", ",")])
def test_milestones_csv_delimiter(facts, tmp_path: Path, option: str, sep: str) -> None:
    path = write_milestones_csv(facts, tmp_path / "m.csv", delimiter=option)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=sep))
    assert tuple(rows[0]) == HEADERS
    assert len(rows) - 1 == len(facts.milestones)
    assert all(len(r) == len(HEADERS) for r in rows)


def test_plan_command_offers_the_csv_delimiter() -> None:
    from click.testing import CliRunner

    from roadmap.cli import cli

    result = CliRunner().invoke(cli, ["plan", "--help"])
    assert "--csv-delimiter" in result.output and "European" in result.output


def test_every_task_has_its_outline_number_and_wbs(xml_path: Path) -> None:
    """Readers that rebuild the outline from the numbers (GNOME Planner) need them on every
    task: unique, nested as the outline levels say, each under a summary that comes first."""
    items = tasks(xml_path)
    numbers = [str(t["OutlineNumber"]) for t in items]
    assert len(numbers) == len(set(numbers))
    assert all(t["WBS"] == t["OutlineNumber"] for t in items)
    seen: dict[str, dict] = {}
    for t in items:
        number, level = str(t["OutlineNumber"]), int(str(t["OutlineLevel"]))
        if level == 0:
            assert number == "0" and t["Summary"] == "1"
        else:
            assert number.count(".") + 1 == level
            parent = number.rpartition(".")[0]
            if parent:
                assert seen[parent]["Summary"] == "1"
        seen[number] = t


def _working_hours_after(start: datetime, hours: float) -> datetime:
    """The moment ``hours`` working hours after ``start`` on the export's calendar (whole days
    of 8 hours, 08:00-17:00, Monday to Friday)."""
    from datetime import time, timedelta

    days = round(hours / 8)
    day = start.date()
    if start.time() == time(8, 0):  # from the morning: the n-th working day's evening
        days -= 1
        end = time(17, 0)
    else:
        end = start.time()
    while days > 0 or day.weekday() > 4:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return datetime.combine(day, end)


def test_milestones_hang_on_their_build(facts, xml_path: Path) -> None:
    """Kick-off starts the build; design sign-off and build complete follow its start, go-live
    its finish and the benefits review the go-live, each by the plan's own gap, so the links
    reproduce every date and a slipping build moves its milestones."""
    items = {str(t["UID"]): t for t in tasks(xml_path)}
    by_name = {str(t["Name"]): t for t in items.values()}
    for row in facts.schedule:
        iid = row.initiative.id
        build = by_name[f"{iid} build"]
        for kind in MILESTONE_KINDS[1:]:
            stone = by_name[f"{iid} {kind}"]
            ((pred, link),) = stone["links"]
            (lag,) = stone["lags"]
            source = items[pred]
            expected_pred = f"{iid} Go-live" if kind == "Benefits review" else f"{iid} build"
            assert source["Name"] == expected_pred
            anchor = source["Start"] if link == "3" else source["Finish"]
            moment = datetime.fromisoformat(str(anchor))
            if lag:
                moment = _working_hours_after(moment, lag / 600)
            assert moment == datetime.fromisoformat(str(stone["Start"])), (iid, kind)
        assert (by_name[f"{iid} Kick-off"]["UID"], "3") in build["links"]


@NEEDS_MPXJ
def test_team_rates_and_labour_cost(busy) -> None:
    """Teams with a cost per FTE-year carry it as an hourly rate (2,080 working hours a year);
    each assignment costs its work at that rate."""
    facts, folder = busy
    read = mpxj_read(folder / "plan.xml")
    teams = {t.name: t for t in facts.plan.portfolio.teams}
    for r in read["resources"]:
        cost = teams[r["name"]].cost_per_fte_year or 0.0
        assert r["rate"] == pytest.approx(cost / 2080, abs=1e-4)
        assert r["rate_units"] == "h"
    hours_of = {a["task"] + a["resource"]: a for a in read["assignments"]}
    assert any(a["cost"] for a in read["assignments"])
    for a in hours_of.values():
        hours = sum(h for _s, _f, h in a["timephased"]) + sum(h for _s, h in a["actual"])
        rate = (teams[a["resource"]].cost_per_fte_year or 0.0) / 2080
        assert a["cost"] == pytest.approx(hours * rate, abs=0.01)


@NEEDS_MPXJ
def test_work_in_progress_shows_its_progress(busy) -> None:
    """Work under way at the plan start: its actual start, the share of its build's working
    days already behind it, and the project's status date at the plan start."""
    from roadmap.plan_facts.dates import period_start

    facts, folder = busy
    read = mpxj_read(folder / "plan.xml")
    start = period_start(facts.calendar, 0)
    assert read["status_date"][:10] == start.isoformat()
    builds = {t["name"].split()[0]: t for t in read["tasks"] if t["name"].endswith(" build")}
    for row in facts.schedule:
        t = builds[row.initiative.id]
        if row.kickoff < start:
            share = working_days(row.kickoff, start) - 1
            share /= working_days(row.kickoff, row.go_live)
            assert t["done"] == pytest.approx(round(100 * share))
            assert t["actual_start"][:10] == row.kickoff.isoformat()
        else:
            assert not t["done"] and t["actual_start"] is None


PLANNER_XSL = Path("/usr/share/planner/stylesheets/msp2planner.xsl")


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("xsltproc") is None or not PLANNER_XSL.exists(),
    reason="GNOME Planner's stylesheet and xsltproc (apt-get install planner xsltproc)",
)
def test_gnome_planner_imports_every_task_milestone_and_link(facts, xml_path: Path) -> None:
    """A second consumer: GNOME Planner's own import stylesheet, run headless, finds every
    task (it nests them by outline number), every milestone and every link."""
    done = subprocess.run(
        ["xsltproc", str(PLANNER_XSL), str(xml_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    planner = SafeET.fromstring(done.stdout.encode())
    found = planner.findall(".//task")
    mine = [t for t in tasks(xml_path) if t["OutlineLevel"] != "0"]
    assert len(found) == len(mine)
    assert sorted(t.get("name") for t in found) == sorted(str(t["Name"]) for t in mine)
    stones = [t for t in found if t.get("type") == "milestone"]
    assert len(stones) == len(MILESTONE_KINDS) * len(facts.plan.starts)
    links = planner.findall(".//predecessor")
    assert len(links) == sum(len(t["links"]) for t in mine) > 0
    assert all(link.get("predecessor-id") for link in links)
