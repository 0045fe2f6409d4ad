"""The package's layout keeps its promises: pulp only in optimize/milp/, openpyxl only where
workbooks are read or written, and money/ free of both. Imports are read with ``ast``, so an
import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "roadmap"

# third-party module -> the package folders (relative to roadmap/) allowed to import it
ALLOWED: dict[str, tuple[str, ...]] = {
    "pulp": ("optimize/milp/",),
    "highspy": ("optimize/milp/",),
    "openpyxl": ("input/", "excel/", "report/", "export/"),
    "numpy_financial": ("money/",),
    # the slides extra: only the board's renderers draw with them
    "pptx": ("board/",),
    "matplotlib": ("board/",),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("library", sorted(ALLOWED))
def test_library_is_imported_only_where_allowed(library: str) -> None:
    offenders = []
    for path in modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if library in imported_modules(path) and not rel.startswith(ALLOWED[library]):
            offenders.append(rel)
    assert offenders == [], f"{library} imported outside {ALLOWED[library]}: {offenders}"


def test_the_checker_sees_imports_in_functions(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    import pulp.apis\n    from openpyxl import load_workbook\n")
    assert imported_modules(sample) == {"pulp", "openpyxl"}


def test_the_root_holds_only_the_ground() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "domain.py", "errors.py"]


def test_money_is_pure() -> None:
    for path in (PACKAGE / "money").rglob("*.py"):
        assert not imported_modules(path) & {"pulp", "openpyxl", "click"}, path


def imported_roadmap_packages(path: Path) -> set[str]:
    """The roadmap sub-packages (``analysis``, ``report``…) a module imports, in functions too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found.update(n.split(".")[1] for n in names if n.startswith("roadmap.") and "." in n)
    return found


# package -> roadmap packages it must never import (the pipeline runs one way)
FORBIDDEN_EDGES: dict[str, set[str]] = {
    # (optimize/milp/build.py writes the LP file through runtime.outputs' one write guard)
    "optimize": {"analysis", "export", "cli", "plan_facts"},
    "money": {"optimize", "analysis", "report", "export", "cli", "input", "runtime"},
    "runtime": {"input", "money", "optimize", "analysis", "report", "export", "cli", "plan_facts"},
    # the board draws a plan workbook as read back, never the solver's memory
    "board": {"optimize", "analysis", "plan_facts", "export", "cli"},
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN_EDGES))
def test_no_import_runs_against_the_pipeline(package: str) -> None:
    offenders = []
    for path in (PACKAGE / package).rglob("*.py"):
        wrong = imported_roadmap_packages(path) & FORBIDDEN_EDGES[package]
        if wrong:
            offenders.append(f"{path.relative_to(PACKAGE).as_posix()} -> {sorted(wrong)}")
    assert offenders == []


def test_the_edge_checker_sees_lazy_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from roadmap.analysis.processes import run_job\n")
    assert imported_roadmap_packages(sample) == {"analysis"}
