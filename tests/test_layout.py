"""The package's layout keeps its promises: every package on its floor and no module importing
a floor above its own, no import cycle between packages, the optimizer's rooms in order, pulp
only in optimize/milp/, openpyxl only where workbooks are read or written, money/ free of both,
and the documents naming files that exist. Imports are read with ``ast``, so an import inside a
function counts too."""

from __future__ import annotations

import ast
import re
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


def imported_roadmap_modules(path: Path) -> set[str]:
    """The roadmap modules (``roadmap.analysis.batch``…) a module imports, in functions too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("roadmap."))
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith("roadmap.")
        ):
            found.add(str(node.module))
            # ``from roadmap.optimize.milp import plan`` imports the module ``plan``
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def imported_roadmap_packages(path: Path) -> set[str]:
    """The roadmap sub-packages (``analysis``, ``report``…) a module imports, in functions too."""
    return {name.split(".")[1] for name in imported_roadmap_modules(path)}


# The rule of the house: a module imports its own floor or lower, never higher, lazy imports
# included; the pipeline runs upwards (workbook in at the bottom, files out at the top).
FLOORS: dict[str, int] = {
    "domain": 0,  # the ground: frozen dataclasses and errors
    "errors": 0,
    "runtime": 1,  # processes, signals and the one write guard
    "excel": 1,  # the openpyxl writing kit
    "money": 2,  # calendar, cash flows, metrics, criteria
    "optimize": 3,  # windows, limits, greedy, plan checker, the MILP
    "input": 4,  # workbook -> Portfolio (readers, rules, scenarios, template)
    "plan_facts": 4,  # Plan -> what the outputs show, as plain data
    "testing": 4,  # synthetic portfolios for tests and benchmarks
    "progress": 4,  # what a PMO reported, checked; a portfolio re-based at the status date
    "analysis": 5,  # many solves over one portfolio
    "risk": 5,  # sampled worlds: a plan evaluated in each, and re-solved in some
    "report": 6,  # the plan as workbooks
    "export": 6,  # the plan as MS Project XML and CSV
    "board": 6,  # the plan for a board (deck, picture, web page), drawn from the plan workbook
    "app": 7,  # what a command does, chaining the stages
    "cli": 8,  # click commands only
}

# (module, imported package) -> why the rule does not hold there. None today; a new entry
# needs a reason a reviewer accepts.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {}


def package_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 else rel.stem


def test_every_package_has_a_floor() -> None:
    packages = {package_of(path) for path in modules()} - {"__init__"}
    assert packages == set(FLOORS), "place a new package on a floor in FLOORS"


def test_no_module_imports_a_floor_above_its_own() -> None:
    offenders = []
    for path in modules():
        own = package_of(path)
        if own == "__init__":
            continue
        rel = path.relative_to(PACKAGE).as_posix()
        for other in sorted(imported_roadmap_packages(path)):
            if FLOORS[other] > FLOORS[own] and (rel, other) not in ALLOWED_UPWARD:
                offenders.append(f"{rel} ({own}, floor {FLOORS[own]}) -> {other}")
    assert offenders == []


# package -> lower packages it must not use all the same (stricter than its floor)
FORBIDDEN_BELOW: dict[str, set[str]] = {
    # the board draws a plan workbook as read back, never the solver's memory
    "board": {"optimize", "analysis", "plan_facts", "export"},
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN_BELOW))
def test_a_package_keeps_away_from_what_it_must_not_use(package: str) -> None:
    offenders = []
    for path in (PACKAGE / package).rglob("*.py"):
        wrong = imported_roadmap_packages(path) & FORBIDDEN_BELOW[package]
        if wrong:
            offenders.append(f"{path.relative_to(PACKAGE).as_posix()} -> {sorted(wrong)}")
    assert offenders == []


def test_every_named_exception_is_still_needed() -> None:
    for rel, other in ALLOWED_UPWARD:
        assert other in imported_roadmap_packages(PACKAGE / rel), (rel, other)


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in FLOORS}
    for path in modules():
        own = package_of(path)
        if own in graph:
            graph[own] |= imported_roadmap_packages(path) - {own}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of ``graph`` as a closed path [a, b, …, a], or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_import_cycle_between_packages() -> None:
    """Packages on one floor may use each other, but never both ways round."""
    assert find_cycle(package_graph()) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


# The optimizer's rooms, in the order solve_plan runs them: a room imports only rooms before it.
MILP = PACKAGE / "optimize" / "milp"
ROOMS = {"model": 0, "search": 1, "explain": 2, "plan": 3}


def room_of(name: str) -> str | None:
    """'roadmap.optimize.milp.search.solve' -> 'search' (None outside the rooms)."""
    parts = name.split(".")
    if parts[:3] != ["roadmap", "optimize", "milp"] or len(parts) < 4:
        return None
    return parts[3] if parts[3] in ROOMS else None


def test_the_optimizer_rooms_import_only_the_rooms_before_them() -> None:
    offenders = []
    for path in sorted(MILP.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        own = room_of(f"roadmap.{rel}")
        if own is None:
            continue
        for name in sorted(imported_roadmap_modules(path)):
            room = room_of(name)
            if room is not None and ROOMS[room] > ROOMS[own]:
                offenders.append(f"{rel} ({own}) -> {name}")
    assert offenders == []


def test_the_rest_of_optimize_stays_out_of_milp() -> None:
    """The rest of optimize/ (windows, limits, greedy, the plan checker) stays free of pulp."""
    for path in (PACKAGE / "optimize").glob("*.py"):
        assert not any(
            n.startswith("roadmap.optimize.milp") for n in imported_roadmap_modules(path)
        )


def test_milp_init_holds_no_code() -> None:
    tree = ast.parse((MILP / "__init__.py").read_text(encoding="utf-8"))
    assert all(isinstance(node, ast.Expr) for node in tree.body)  # a docstring only


def test_the_edge_checker_sees_lazy_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text(
        "def f():\n    from roadmap.analysis.processes import run_job\n"
        "    from roadmap.optimize.milp import plan\n"
    )
    assert imported_roadmap_packages(sample) == {"analysis", "optimize"}
    assert "roadmap.optimize.milp.plan" in imported_roadmap_modules(sample)


# The documents that describe the folders name files that exist.
DOCUMENTS = ("README.md", "models/formulation.md")
PATH_IN_TEXT = re.compile(r"`(roadmap/[\w/]+\.py)(?:::\w+)?`")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_file_a_document_names_exists(document: str) -> None:
    text = (PACKAGE.parent / document).read_text(encoding="utf-8")
    named = set(PATH_IN_TEXT.findall(text))
    assert named, f"{document} names no files"
    missing = sorted(p for p in named if not (PACKAGE.parent / p).is_file())
    assert missing == []
