"""README states the commands a new user types, and its generated sections match the code."""

from pathlib import Path

from roadmap.input.readme import render

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_install_plan_and_test_commands() -> None:
    blocks = README.split("```bash\n")
    first, second = blocks[1].split("```")[0], blocks[2].split("```")[0]
    assert first.splitlines() == [
        'python -m pip install -e ".[test]"',
        "roadmap plan samples/retail-d2c.xlsx",
    ]
    assert second.strip() == "python -m pytest"
    assert (ROOT / "samples" / "retail-d2c.xlsx").exists()


def test_ci_runs_the_readme_test_command() -> None:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert lines[-1] == "python -m pytest"


def test_generated_sections_are_current() -> None:
    assert render(README) == README, "run: python -m roadmap.input.readme README.md"
