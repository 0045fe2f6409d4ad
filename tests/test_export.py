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
from roadmap.plan_facts import MILESTONE_KINDS, plan_facts
from roadmap.plan_facts.dates import working_days

NS = {"p": NAMESPACE}
# the MSPDI schema's order for the Task elements this export writes
TASK_ORDER = [
    "UID",
    "ID",
    "Name",
    "Type",
    "IsNull",
    "OutlineLevel",
    "Start",
    "Finish",
    "Duration",
    "DurationFormat",
    "Milestone",
    "Summary",
    "ConstraintType",
    "ConstraintDate",
    "Notes",
    "PredecessorLink",
]


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
        out.append(item)
    return out


def test_task_elements_follow_the_schema_order(xml_path: Path) -> None:
    for t in tasks(xml_path):
        order = [tag for tag in t["order"] if tag in TASK_ORDER]
        assert order == sorted(order, key=TASK_ORDER.index)
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
        wanted = {builds[p]["UID"] for p in row.predecessors if p in builds}
        assert {uid for uid, _ in b["links"]} == wanted
        assert all(kind == "1" for _, kind in b["links"])
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
out = []
for t in project.getTasks():
    preds = [str(r.getPredecessorTask().getName()) for r in (t.getPredecessors() or [])]
    out.append({"name": str(t.getName()), "start": str(t.getStart()), "finish": str(t.getFinish()),
                "milestone": bool(t.getMilestone()), "preds": preds})
print(json.dumps(out))
"""


@pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("mpxj", "jpype"))
    or shutil.which("java") is None,
    reason="mpxj and JPype1 (the test extra) and Java are needed for the independent MSPDI reader",
)
def test_mpxj_reads_back_tasks_dates_and_links(facts, xml_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", MPXJ_READ, str(xml_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    read = {t["name"]: t for t in json.loads(done.stdout.strip().splitlines()[-1])}
    mine = {t["Name"]: t for t in tasks(xml_path)}
    assert set(read) == set(mine)
    for name, t in mine.items():
        assert read[name]["start"][:16] == str(t["Start"])[:16]
        assert read[name]["finish"][:16] == str(t["Finish"])[:16]
        assert read[name]["milestone"] == (t["Milestone"] == "1")
    for row in facts.schedule:
        preds = read[f"{row.initiative.id} build"]["preds"]
        assert sorted(preds) == sorted(
            f"{p} build" for p in row.predecessors if p in facts.plan.starts
        )
