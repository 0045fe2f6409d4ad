"""``roadmap risk`` end to end: the workbook read back and checked against independent figures,
the same seed giving the same figures, a given plan workbook, and bad inputs named by cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import valid_tables, write_workbook

from roadmap.cli import cli
from roadmap.input.reader import load_portfolio
from roadmap.money.calendar import Calendar
from roadmap.money.finance import plan_metrics
from roadmap.optimize.limits import budget_rows

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
RETAIL = SAMPLES / "retail-d2c.xlsx"


def run(*args: object) -> object:
    return CliRunner().invoke(cli, ["risk", *map(str, args)], catch_exceptions=False)


def table(ws, first_header: str) -> list[dict[str, object]]:
    """The rows of the table whose first header cell reads ``first_header``."""
    rows = list(ws.iter_rows(values_only=True))
    for k, row in enumerate(rows):
        if row and row[0] == first_header:
            head = [h for h in row if h is not None]
            out = []
            for r in rows[k + 1 :]:
                if r[0] is None:
                    break
                out.append(dict(zip(head, r, strict=False)))
            return out
    raise AssertionError(f"no table headed {first_header!r} on {ws.title}")


@pytest.fixture(scope="module")
def retail_risk(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("risk")
    plan = folder / "plan.xlsx"
    out = CliRunner().invoke(cli, ["plan", str(RETAIL), "-o", str(plan), "-q"])
    assert out.exit_code == 0, out.output
    risk = folder / "risk.xlsx"
    result = run(RETAIL, "-o", risk, "--samples", 400, "--seed", 3, "-q")
    assert result.exit_code == 0, result.output
    return plan, risk


def test_the_risk_workbook_reads_back_and_matches_the_plan(retail_risk) -> None:
    plan_path, risk_path = retail_risk
    wb = openpyxl.load_workbook(risk_path, data_only=True)
    assert wb.sheetnames == [
        "Summary", "Tornado", "Budget", "Capacity", "Go-lives", "Curves", "Assumptions",
    ]  # fmt: skip
    npv = table(wb["Summary"], "Figure")[0]
    assert npv["P10"] <= npv["P50"] <= npv["P80"] <= npv["P90"]
    # the plan column is the deterministic plan's NPV, recomputed here from the plan workbook
    portfolio, _ = load_portfolio(RETAIL)
    cal = Calendar.from_settings(portfolio.settings)
    roadmap_rows = table(openpyxl.load_workbook(plan_path, data_only=True)["Roadmap"], "ID")
    starts = {r["ID"]: cal.period_of(r["Start"].date()) for r in roadmap_rows}
    assert npv["Plan"] == pytest.approx(plan_metrics(portfolio, starts, cal).npv, abs=0.01)
    probabilities = {r["Probability"]: r["Estimate"] for r in table(wb["Summary"], "Probability")}
    assert all(0.0 <= v <= 1.0 for v in probabilities.values())
    assert probabilities["On time and within budget"] <= min(
        probabilities["Finished on time"], probabilities["Within every budget line"]
    )
    # every budget line the optimizer applies is on the Budget sheet with its limit
    lines = table(wb["Budget"], "Budget line")
    rows = budget_rows(portfolio, cal)
    assert [(x["Budget line"], x["Limit"]) for x in lines[: len(rows)]] == [
        (r.label, r.amount) for r in rows
    ]
    curve = [r["NPV"] for r in table(wb["Curves"], "Share of samples at or below")]
    assert curve == sorted(curve)
    assert len(wb["Summary"]._charts) == 2 and len(wb["Tornado"]._charts) >= 1
    seed = {r["Item"]: r["Value"] for r in table(wb["Assumptions"], "Group")}
    assert (seed["Seed"], seed["Samples"]) == (3, 400)


def test_the_same_seed_gives_the_same_figures_and_a_given_plan_the_same(
    retail_risk, tmp_path
) -> None:
    plan_path, risk_path = retail_risk
    again = tmp_path / "again.xlsx"
    assert (
        run(RETAIL, "--plan", plan_path, "-o", again, "--samples", 400, "--seed", 3, "-q").exit_code
        == 0
    )
    a = openpyxl.load_workbook(risk_path, data_only=True)
    b = openpyxl.load_workbook(again, data_only=True)
    for sheet in ("Budget", "Capacity", "Go-lives", "Curves", "Tornado"):
        assert list(a[sheet].values) == list(b[sheet].values), sheet
    other = tmp_path / "other.xlsx"
    assert run(RETAIL, "-o", other, "--samples", 400, "--seed", 4, "-q").exit_code == 0
    c = openpyxl.load_workbook(other, data_only=True)
    assert list(a["Curves"].values) != list(c["Curves"].values)


def _workbook(tmp_path: Path, uncertainty=(), risks=()) -> Path:
    tables, settings = valid_tables()
    tables["Uncertainty"] = list(uncertainty)
    tables["Risks"] = list(risks)
    return write_workbook(tmp_path / "in.xlsx", tables, settings)


@pytest.mark.parametrize(
    ("uncertainty", "risks", "cell"),
    [
        ([{"initiative": "INI-01", "cost_low": "120%", "cost_high": "150%"}], [], "Uncertainty!B2"),
        ([{"initiative": "INI-01", "duration_low": 3, "duration_high": 2}], [], "Uncertainty!H2"),
        ([{"initiative": "INI-09"}], [], "Uncertainty!A2"),
        (
            [],
            [{"name": "Late", "probability": "150%", "initiatives": "INI-01", "delay": 1}],
            "Risks!B2",
        ),
        (
            [],
            [{"name": "Late", "probability": "20%", "initiatives": "INI-07", "delay": 1}],
            "Risks!C2",
        ),
        ([], [{"name": "Late", "probability": "20%", "delay": 1}], "Risks!C2"),
        (
            [],
            [{"name": "Late", "probability": "20%", "owner_function": "Legal", "delay": 1}],
            "Risks!D2",
        ),
    ],
)
def test_bad_uncertainty_inputs_are_named_by_cell_and_exit_2(
    tmp_path, uncertainty, risks, cell
) -> None:
    path = _workbook(tmp_path, uncertainty, risks)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["risk", str(path), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert cell in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before and not (tmp_path / "r.xlsx").exists()


def test_a_plan_naming_an_unknown_initiative_is_refused(retail_risk, tmp_path) -> None:
    plan_path, _ = retail_risk
    result = CliRunner().invoke(
        cli,
        [
            "risk",
            str(_workbook(tmp_path)),
            "--plan",
            str(plan_path),
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
    )
    assert result.exit_code == 2
    assert "sheet Roadmap, row 5" in result.output and "D2C-" in result.output


def test_reoptimise_needs_enough_samples_and_executor_needs_reoptimise(tmp_path) -> None:
    path = _workbook(tmp_path)
    result = run(path, "--samples", 20, "--reoptimise", 50, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2 and "--samples" in result.output
    result = run(path, "--executor", "dask://127.0.0.1:1", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2 and "--reoptimise" in result.output


def test_reoptimise_writes_the_choice_and_worlds_sheets(tmp_path) -> None:
    """Read back: every world's regret is its best NPV minus the choice's (the objective is
    NPV), the Choice sheet's counts and regret figures are those of the Worlds rows. Tight
    budgets: the chosen set fits some worlds, not others."""
    tables, settings = valid_tables()
    tables["Budget"] = [{"fiscal_year": y, "amount": 280_000} for y in (2027, 2028)]
    tables["Uncertainty"] = [
        {"initiative": "INI-01", "cost_low": "80%", "cost_high": "300%", "benefit_low": "40%"},
        {"initiative": "INI-02", "cost_low": "80%", "cost_high": "300%", "benefit_low": "20%"},
        {"initiative": "INI-03", "benefit_low": "50%", "benefit_high": "300%"},
    ]
    path = write_workbook(tmp_path / "in.xlsx", tables, settings)
    out = tmp_path / "r.xlsx"
    args = ["--samples", 200, "--reoptimise", 8, "--jobs", 1, "--time-limit", 2, "-o", out]
    result = run(path, *args)
    assert result.exit_code == 0, result.output
    assert "8 worlds re-solved, 8 counted" in result.output
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames[-4:] == ["Choice", "Worlds", "Curves", "Assumptions"]
    worlds = table(wb["Worlds"], "World")
    assert [w["World"] for w in worlds] == list(range(1, 9))
    regrets, trimmed = [], []
    for w in worlds:
        assert w["Best plan"] == "optimal"
        assert w["Regret trimmed"] == pytest.approx(w["Best NPV"] - w["Trimmed NPV"], abs=0.01)
        assert w["Regret trimmed"] >= -0.01  # the world's proven best is never worse
        trimmed.append(w["Regret trimmed"])
        if w["Chosen set"] == "fits":
            assert w["Regret"] == pytest.approx(w["Best NPV"] - w["Re-timed NPV"], abs=0.01)
            assert w["Regret"] >= w["Regret trimmed"] - 0.01  # trimming can only help
            regrets.append(w["Regret"])
        else:
            assert w["Chosen set"] == "does not fit" and w["Regret"] is None
    assert 0 < len(regrets) < 8
    figures = {r["Figure"]: r["Worlds"] for r in table(wb["Choice"], "Figure")}
    assert figures["The chosen set does not fit"] == 8 - len(regrets)
    assert figures["The plan as made fits"] == sum(w["Plan as made"] == "fits" for w in worlds)
    kept = {r["Choice kept as"]: r for r in table(wb["Choice"], "Choice kept as")}
    assert kept["Chosen set, trimmed to fit"]["Worlds"] == 8
    assert kept["Chosen set, trimmed to fit"]["Mean"] == pytest.approx(np.mean(trimmed), abs=0.01)
    assert kept["Chosen set, re-timed"]["Worlds"] == len(regrets)
    if regrets:
        assert kept["Chosen set, re-timed"]["P90"] == pytest.approx(
            np.percentile(regrets, 90), abs=0.01
        )
    shares = [r["Selected in worlds"] for r in table(wb["Choice"], "ID")]
    assert all(0 <= s <= 1 for s in shares) and len(shares) == 3
    settings = {r["Item"]: r["Value"] for r in table(wb["Assumptions"], "Group")}
    assert "time limit 2 s" in settings["Worlds"]  # the plan's own options, --time-limit too
    _choice_reads_as_printed(openpyxl.load_workbook(out))


def _choice_reads_as_printed(wb) -> None:
    """Learnt by printing the Choice sheet through LibreOffice: four stacked tables of different
    columns, each fitted to its own text, spread the sheet three pages across and cut its note
    and the world rows apart. Now the world rows are a sheet of their own, the Choice sheet's
    three tables share fixed widths (one landscape page across, the regret figures side by
    side), and wrapped header cells get the rows they need."""
    from paper import problems

    from roadmap.report.risk_choice import WIDTHS

    ws = wb["Choice"]
    assert sorted(ws.tables) == [
        "tbl_Choice_figures",
        "tbl_Choice_regret",
        "tbl_Selection_stability",
    ]
    assert [ws.column_dimensions[c].width for c in "ABCDEFG"] == list(WIDTHS)
    head = next(r for r in range(1, ws.max_row) if ws.cell(r, 1).value == "ID")
    assert ws.cell(head, 6).value == "Dropped when trimmed"
    assert ws.row_dimensions[head].height >= 45  # three lines at width 13
    assert problems(wb) == []


def test_what_the_printed_pages_showed_stays_fixed(tmp_path) -> None:
    """Learnt by printing the workbooks through LibreOffice: full NPV amounts crowded the
    S-curve's axis (millions now), a scatter of finish dates put its ticks between periods (one
    category per period now), tornado labels were skipped on short charts and a chart was cut by
    a page break (room per bar, the charts on a page of their own), long notes beside the
    probabilities widened the headline's columns (fixed widths)."""
    from roadmap.optimize.milp.plan import solve_plan
    from roadmap.optimize.options import SolveOptions
    from roadmap.report.risk import RiskRun, build_risk_workbook
    from roadmap.risk.evaluate import evaluate
    from roadmap.risk.sampling import draw, planned
    from roadmap.risk.summary import summarise

    portfolio, _ = load_portfolio(RETAIL)
    plan = solve_plan(portfolio, SolveOptions(why_not=False))
    d = draw(portfolio, 300, seed=1)
    s = summarise(
        evaluate(portfolio, plan.starts, d), evaluate(portfolio, plan.starts, planned(portfolio)), d
    )
    wb = build_risk_workbook(s, portfolio, RiskRun("retail-d2c.xlsx", "x", "plan", "optimal"))
    npv_chart, finish_chart = wb["Summary"]._charts
    assert ',,"m"' in npv_chart.x_axis.numFmt.formatCode
    assert type(finish_chart).__name__ == "LineChart"
    periods = [t for t, _ in s.finish_curve]
    assert periods == list(range(periods[0], periods[-1] + 1))
    tornado = wb["Tornado"]
    assert tornado.row_breaks.brk, "the tornado charts start on a page of their own"
    for chart, drivers in zip(tornado._charts, (s.tornado_npv, s.tornado_finish), strict=False):
        assert chart.height >= 2.5 + 0.75 * len(drivers)
    assert all(wb["Summary"].column_dimensions[c].width == 15 for c in "BCDEFG")
