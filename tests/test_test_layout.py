"""The tests import the installed package only: no benchmark code, no ``sys.path`` tricks.

Benchmarks may import the package and its synthetic corpus (:mod:`aqb_rdf.demo`); tests never
import a benchmark, so a benchmark can change without breaking a test. Every test helper module
lives in tests/ and is found by pytest's rootdir-relative import.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
BENCHMARKS = REPO / "benchmarks"


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if ".venv" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    """The top-level names of every module ``path`` imports, at any depth of its code."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_test_imports_benchmark_code() -> None:
    benchmark_modules = {"benchmarks"} | {p.stem for p in BENCHMARKS.glob("*.py")}
    assert {"build", "serve"} <= benchmark_modules  # the check must see the benchmarks
    # benchmarks/ is never on a test's sys.path (checked below), so a name that tests/ holds
    # too (servers) is the test helper; any other benchmark name would be benchmark code.
    only_benchmarks = benchmark_modules - {p.stem for p in python_files(TESTS)}
    offending = {
        str(path.relative_to(REPO)): sorted(imported_modules(path) & only_benchmarks)
        for path in python_files(TESTS)
    }
    assert {path: names for path, names in offending.items() if names} == {}


def uses_sys_path(path: Path) -> bool:
    """Whether the code of ``path`` touches ``sys.path`` (docstrings and comments aside)."""
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    )


def test_no_test_changes_sys_path() -> None:
    offending = [str(p.relative_to(REPO)) for p in python_files(TESTS) if uses_sys_path(p)]
    assert offending == []


def test_the_checks_see_an_offending_module(tmp_path: Path) -> None:
    """The scanners find an import of a benchmark, also inside a function, and sys.path."""
    offender = tmp_path / "test_offender.py"
    offender.write_text(
        "import sys\n"
        "def f() -> None:\n"
        "    sys.path.insert(0, 'benchmarks')\n"
        "    from serve import main\n"
        "    import benchmarks.build\n"
    )
    assert imported_modules(offender) == {"sys", "serve", "benchmarks"}
    assert uses_sys_path(offender)
    assert not uses_sys_path(Path(__file__))


STARTS_A_PROCESS = (
    "running_server", "serving(", "chromium(", "oxigraph_server", "oxigraph_store",
    "stores.oxigraph(", "stores.virtuoso(", "QueryPool(", "subprocess.", "multiprocessing.",
)  # fmt: skip


def test_every_module_that_starts_a_process_is_marked_slow() -> None:
    """``make test-fast`` (``-m "not slow"``) must start no server, browser, store or process."""
    unmarked = []
    for path in sorted(TESTS.rglob("test_*.py")):
        if path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8")
        starts = [word for word in STARTS_A_PROCESS if word in text]
        if starts and "pytest.mark.slow" not in text:
            unmarked.append((str(path.relative_to(REPO)), starts))
    assert unmarked == []
