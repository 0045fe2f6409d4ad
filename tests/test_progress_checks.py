"""What the PMO reported, checked: every implausible entry names its cell (or task UID),
the sources of one fact (Roadmap and Milestones) agree, the previous report carries what is
done. Hand-made reports, no files."""

from __future__ import annotations

from datetime import date

import pytest
from progress_fixtures import AS_OF, errors, place, report, stone_place

from roadmap.domain import (
    Severity,
)
from roadmap.progress.checks import check_report
from roadmap.progress.model import (
    DONE,
    IN_PROGRESS,
    STOPPED,
    InitiativeReport,
    MilestoneReport,
    Place,
    PreviousLine,
)

# --- plausibility ----------------------------------------------------------------------------


def test_plausible_entries_resolve_without_findings() -> None:
    rep = report(
        InitiativeReport("A", place(5), 1.0, date(2027, 1, 4), date(2027, 3, 26), 455_000.0),
        InitiativeReport("B", place(6), 0.2, date(2027, 3, 29), spent=50_000.0, rag="amber"),
        stones=(MilestoneReport("A", "Design sign-off", stone_place(9), "Done", date(2027, 2, 1)),),
    )
    reported, findings = check_report(rep, AS_OF)
    assert findings == []
    assert reported["A"].state == DONE and reported["B"].state == IN_PROGRESS
    assert reported["B"].rag == "Amber"  # read in any case, shown as the drop-down has it
    assert reported["A"].milestones == {"Design sign-off": date(2027, 2, 1)}


@pytest.mark.parametrize(
    ("entry", "where", "words"),
    [
        (InitiativeReport("Z", place(7), 0.1), "Roadmap!A7", "not an initiative of this plan"),
        (InitiativeReport("E", place(7), 0.1, date(2027, 2, 1)), "Roadmap!A7", "did not select"),
        (InitiativeReport("A", place(5), 1.5, date(2027, 1, 4)), "Roadmap!R5", "outside 0–100 %"),
        (InitiativeReport("A", place(5), -0.1, date(2027, 1, 4)), "Roadmap!R5", "outside 0–100 %"),
        (InitiativeReport("A", place(5), start=date(2027, 4, 2)), "Roadmap!S5", "after the status date"),
        (InitiativeReport("A", place(5), start=date(2026, 12, 1)), "Roadmap!S5", "before the plan starts"),
        (InitiativeReport("A", place(5), start=date(2027, 3, 1), go_live=date(2027, 2, 1)),
         "Roadmap!T5", "before it started"),
        (InitiativeReport("A", place(5), 0.5), "Roadmap!R5", "has no Actual start"),
        (InitiativeReport("A", place(5), spent=10.0), "Roadmap!U5", "has no Actual start"),
        (InitiativeReport("A", place(5), 1.0, date(2027, 1, 4)), "Roadmap!R5", "no Actual go-live"),
        (InitiativeReport("A", place(5), 0.6, date(2027, 1, 4), date(2027, 3, 1)),
         "Roadmap!R5", "went live on 2027-03-01 but is 60% complete"),
        (InitiativeReport("A", place(5), start=date(2027, 1, 4), rag="Purple"), "Roadmap!W5",
         "not Green, Amber or Red"),
        (InitiativeReport("B", place(6), start=date(2027, 3, 1)), "Roadmap!S6",
         "predecessor A has not gone live"),
    ],
)  # fmt: skip
def test_each_implausible_entry_names_its_cell(entry, where, words) -> None:
    found = errors(report(entry))
    assert where in found, found
    assert words in found[where]


def test_work_under_way_at_the_plan_start_may_have_started_before_it() -> None:
    """C was in progress when the plan was made (its baseline starts before the plan)."""
    rep = report(InitiativeReport("C", place(4), 0.9, date(2026, 10, 1), spent=1.0))
    assert errors(rep) == {}


def test_predecessor_live_after_the_successor_started() -> None:
    rep = report(
        InitiativeReport("A", place(5), 1.0, date(2027, 1, 4), date(2027, 3, 20)),
        InitiativeReport("B", place(6), start=date(2027, 3, 1)),
    )
    assert "before its predecessor A went live (2027-03-20)" in errors(rep)["Roadmap!S6"]


@pytest.mark.parametrize(
    ("stones", "where", "words"),
    [
        ((MilestoneReport("A", "Design sign-off", stone_place(9), "Done", date(2027, 2, 1)),
          MilestoneReport("A", "Build complete", stone_place(10), "Done", date(2027, 1, 20))),
         "Milestones!J10", "before Design sign-off"),
        ((MilestoneReport("A", "Design sign-off", stone_place(9), "", date(2027, 2, 1)),),
         "Milestones!J9", "Status is blank"),
        ((MilestoneReport("A", "Build complete", stone_place(10), "Done", date(2027, 2, 1)),
          MilestoneReport("A", "Design sign-off", stone_place(9), "At risk")),
         "Milestones!I10", "Design sign-off, which comes before it, is not"),
        ((MilestoneReport("A", "Go-live", stone_place(11), "Done", None, date(2027, 6, 30)),),
         "Milestones!J11", "has no Actual date"),
        ((MilestoneReport("A", "Kick-off", stone_place(8), "Done", date(2027, 1, 5)),),
         "Milestones!J8", "here but 2027-01-04 in the Roadmap sheet's Actual start"),
        ((MilestoneReport("Q", "Kick-off", stone_place(8), "Done", date(2027, 1, 5)),),
         "Milestones!D8", "not an initiative of this plan"),
    ],
)  # fmt: skip
def test_each_implausible_milestone_names_its_cell(stones, where, words) -> None:
    rep = report(InitiativeReport("A", place(5), start=date(2027, 1, 4)), stones=stones)
    found = errors(rep)
    assert where in found, found
    assert words in found[where]


def test_done_without_a_date_takes_the_planned_date_with_a_warning() -> None:
    stone = MilestoneReport("A", "Design sign-off", stone_place(9), "done", None, date(2027, 2, 10))
    reported, findings = check_report(report(stones=(stone,)), AS_OF)
    (f,) = findings
    assert f.severity is Severity.WARNING and f.location == "Milestones!J9"
    # a design sign-off reached means work started: but without a kick-off date, no start
    assert reported["A"].milestones == {"Design sign-off": date(2027, 2, 10)}


def test_the_kick_off_and_go_live_are_the_actual_start_and_go_live() -> None:
    stones = (
        MilestoneReport("A", "Kick-off", stone_place(8), "Done", date(2027, 1, 4)),
        MilestoneReport("A", "Go-live", stone_place(11), "Done", date(2027, 3, 26)),
    )
    reported, findings = check_report(report(stones=stones), AS_OF)
    assert findings == []
    assert (reported["A"].start, reported["A"].go_live) == (date(2027, 1, 4), date(2027, 3, 26))


def test_xml_places_name_the_task_uid_and_element() -> None:
    p = Place("tracked.xml", None, {"% complete": "PercentComplete"}, uid=17, task="A build")
    found = errors(report(InitiativeReport("A", p, 1.2, date(2027, 1, 4))))
    (where,) = found
    assert where == "tracked.xml, task UID 17 (A build), PercentComplete"


def test_the_previous_report_carries_work_done_and_stopped() -> None:
    previous = (
        PreviousLine("C", "", DONE, "Green", 0, date(2026, 10, 1), date(2027, 3, 1), 9.0),
        PreviousLine("B", "", STOPPED, "", None, date(2027, 2, 1)),
    )
    reported, findings = check_report(report(previous=previous), AS_OF)
    assert findings == []
    assert reported["C"].state == DONE and reported["C"].carried
    assert reported["B"].state == STOPPED
