"""`validate --for roi` checks a workbook as `roi` reads it, and both count the same warnings."""

from __future__ import annotations

import re
from pathlib import Path

from business_cases import case_workbook
from click.testing import CliRunner

from roadmap.cli import cli


def _roi_only(tmp_path: Path) -> Path:
    settings = {"plan_start": "2027-01-01", "period": "quarter", "horizon": 8}
    inis = [
        {"id": "A", "name": "A", "duration": 1, "capex": 100, "benefit_saving": 400},
        {"id": "B", "name": "B", "duration": 2, "capex": 300, "benefit_revenue": 500},
    ]
    criteria = [{"id": "FIT", "name": "Fit", "weight": 60}, {"id": "RISK", "name": "Risk",
                "weight": 40}]  # fmt: skip
    scores = [{"initiative": "A", "FIT": 8, "RISK": 3}, {"initiative": "B", "FIT": 5}]
    return case_workbook(tmp_path / "cases.xlsx", settings, inis, Criteria=criteria, Scores=scores)


def test_validate_for_roi_lists_what_roi_counts(tmp_path: Path) -> None:
    path = _roi_only(tmp_path)
    roi = CliRunner().invoke(cli, ["roi", str(path)])
    assert roi.exit_code == 0, roi.output
    counted = re.search(r"(\d+) warning\(s\); run 'roadmap validate --for roi", roi.output)
    assert counted is not None, roi.output
    checked = CliRunner().invoke(cli, ["validate", "--for", "roi", str(path)])
    assert checked.exit_code == 0, checked.output
    assert f"0 error(s), {counted.group(1)} warning(s)" in checked.output
    assert "B has no score for RISK" in checked.output  # the score gap is said
    # for a plan the same workbook lacks the optimizer's sheets
    plan = CliRunner().invoke(cli, ["validate", str(path)])
    assert plan.exit_code == 2 and "Teams" in plan.output


def test_template_instructions_say_which_sheets_roi_needs(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(cli, ["template", str(out)])
    assert result.exit_code == 0, result.output
    rows: dict[object, object] = {}
    for r in load_workbook(out)["Instructions"].iter_rows(values_only=True):
        rows.setdefault(r[0], r[1])  # the sheet list comes first
    assert rows["Initiatives"] == "yes"
    for sheet in ("Capabilities", "Teams", "Staffing", "Budget"):
        assert rows[sheet] == "to plan (roi runs without)", sheet
