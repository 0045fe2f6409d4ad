"""`roi --start earliest` values a successor from when its predecessors can finish."""

from __future__ import annotations

from pathlib import Path

import pytest
from business_cases import case_workbook, roi


def test_a_successor_starts_after_its_predecessors_finish(tmp_path: Path) -> None:
    settings = {"plan_start": "2027-01-01", "period": "quarter", "horizon": 12}
    settings["discount_rate"] = "10%"
    inis = [
        {"id": f"M{k}", "name": f"Migration {k}", "duration": k, "capex": 100} for k in range(1, 5)
    ]
    inis.append(
        {"id": "D", "name": "Decommission", "duration": 1, "one_off_opex": 50,
         "benefit_saving": 400, "useful_life": 2}
    )  # fmt: skip
    deps = [{"predecessor": f"M{k}", "successor": "D", "lag": 0} for k in range(1, 4)]
    deps.append({"predecessor": "M4", "successor": "D", "lag": 1})
    path = case_workbook(tmp_path / "chain.xlsx", settings, inis, Dependencies=deps)
    result, metrics = roi(path)
    assert result.exit_code == 0, result.output
    # M4 runs four quarters (2027), then one quarter's lag: D starts in 2028-Q2 (its first
    # working day, Monday 3 April)
    assert str(metrics["D"]["Start"])[:10] == "2028-04-03"
    # valued from that start: cost at the end of its quarter, then 400 a year over 2 years
    r = 1.1**0.25 - 1
    flows = [0.0] * 5 + [-50.0] + [100.0] * 8
    expected = sum(x / (1 + r) ** (t + 1) for t, x in enumerate(flows))
    assert metrics["D"]["NPV"] == pytest.approx(expected, abs=0.01)
    assert str(metrics["M1"]["Start"])[:10] == "2027-01-01"
    # --start plan-start still puts everything at the plan start, as asked
    _, at_start = roi(path, "--start", "plan-start")
    assert str(at_start["D"]["Start"])[:10] == "2027-01-01"
