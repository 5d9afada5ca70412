"""errors.py: one tree for every exception aqb-rdf defines, and problems as typed values.

The tree is checked by importing every module of the package (``pkgutil``) and looking at each
exception class defined there; the problems by building and checking real bad documents.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
import re
import shutil
from pathlib import Path

import pytest

import aqb_rdf
from aqb_rdf import errors
from aqb_rdf.build.pipeline import build, check
from aqb_rdf.errors import AqbError, BuildFailed, DuplicateError, ParseError, Problem, Signal

BAD = Path(__file__).resolve().parent / "documents" / "bad"
GOOD = Path(__file__).resolve().parent.parent / "data" / "agreements" / "2025" / "bergstrasse.txt"


def _defined_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in a module of aqb_rdf (not merely imported there)."""
    found: list[type[BaseException]] = []
    modules = [aqb_rdf.__name__] + [
        info.name for info in pkgutil.walk_packages(aqb_rdf.__path__, aqb_rdf.__name__ + ".")
    ]
    for name in modules:
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == name:
                found.append(value)
    return sorted(set(found), key=lambda cls: (cls.__module__, cls.__qualname__))


DEFINED = _defined_exceptions()


def test_the_walk_finds_the_exceptions_outside_errors_py() -> None:
    modules = {cls.__module__ for cls in DEFINED}
    assert "aqb_rdf.errors" in modules
    assert {"aqb_rdf.sparql.guard", "aqb_rdf.web.negotiation"} <= modules


@pytest.mark.parametrize("cls", DEFINED, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_exception_derives_from_aqb_error(cls: type[BaseException]) -> None:
    assert issubclass(cls, AqbError), f"{cls.__module__}.{cls.__qualname__} is outside the tree"


@pytest.mark.parametrize("cls", DEFINED, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_the_docstring_draws_every_exception(cls: type[BaseException]) -> None:
    doc = errors.__doc__ or ""
    drawn = [
        line
        for line in doc.splitlines()
        if f"── {cls.__qualname__} " in line or line.strip() == cls.__qualname__
    ]
    assert len(drawn) == 1, f"{cls.__qualname__} is not drawn once in errors.py's tree"
    if cls.__module__ != "aqb_rdf.errors":
        assert cls.__module__.removeprefix("aqb_rdf.") in drawn[0], "the tree names its module"


def test_every_class_drawn_exists() -> None:
    drawn = re.findall(r"── (\w+)", errors.__doc__ or "")
    assert len(drawn) == len(set(drawn))
    assert sorted(drawn) == sorted(cls.__qualname__ for cls in DEFINED if cls is not AqbError)


def test_the_tree_draws_each_class_under_its_base() -> None:
    parents: dict[int, str] = {}
    drawn_base: dict[str, str] = {}
    for line in (errors.__doc__ or "").splitlines():
        if line.strip() == "AqbError":
            parents = {line.index("A"): "AqbError"}
        elif match := re.search(r"── (\w+)", line):
            column = match.start(1)
            drawn_base[match[1]] = parents[column - 4]
            parents[column] = match[1]
    bases = {cls.__qualname__: cls.__bases__[0].__qualname__ for cls in DEFINED}
    assert drawn_base == {name: base for name, base in bases.items() if name != "AqbError"}


def test_classes_outside_errors_py_are_internal_signals_or_need_local_types() -> None:
    outside = {cls.__qualname__ for cls in DEFINED if cls.__module__ != "aqb_rdf.errors"}
    signals = {cls.__qualname__ for cls in DEFINED if issubclass(cls, Signal)}
    # NotAcceptable carries negotiation's Offer objects; SettingValueError is a click exception.
    assert outside - signals == {"NotAcceptable", "SettingValueError"}


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("a/b.txt", 55, "malformed amount"), "a/b.txt:55: malformed amount"),
        (Problem("a/b.txt", None, "empty"), "a/b.txt: empty"),
        (Problem("a/b.txt", 0, "empty"), "a/b.txt: empty"),
        (Problem("", None, "no agreement documents"), "no agreement documents"),
        (Problem("", 7, "SHACL: x"), "SHACL: x"),
        (Problem("C:/data/a.txt", 3, "x: y"), "C:/data/a.txt:3: x: y"),
    ],
)
def test_problem_str_is_path_line_message(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_an_error_is_its_problem() -> None:
    error = ParseError("no budget", "a/b.txt", 53)
    assert error.problem == Problem("a/b.txt", 53, "no budget")
    assert str(error) == str(error.problem) == "a/b.txt:53: no budget"
    assert AqbError("no path").problem == Problem("", None, "no path")


def test_a_problem_is_frozen_and_travels_between_processes() -> None:
    problem = Problem("a/b.txt", 55, "malformed amount")
    with pytest.raises(AttributeError):
        problem.line = 56  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(problem)) == problem


def test_build_failed_carries_problems_from_the_workers(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("malformed-amount.txt", "no-budget.txt", "empty.txt"):
        shutil.copy(BAD / name, sources / name)
    shutil.copytree(BAD / "duplicate", sources / "duplicate")
    with pytest.raises(BuildFailed) as failure:
        build([sources], tmp_path / "out", workers=2)
    problems = failure.value.problems
    assert isinstance(problems, tuple) and all(isinstance(p, Problem) for p in problems)
    located = {(Path(p.path).name, p.line) for p in problems}
    assert located == {
        ("malformed-amount.txt", 55),
        ("no-budget.txt", 53),
        ("empty.txt", None),
        ("b-bergstrasse-more-projects.txt", 11),
    }
    assert str(failure.value) == "4 problem(s); nothing was written"
    assert not (tmp_path / "out").exists()


def test_check_counts_failing_documents_by_path_even_with_colons(tmp_path: Path) -> None:
    odd = tmp_path / "with:colon"
    odd.mkdir()
    shutil.copy(BAD / "malformed-amount.txt", odd / "malformed-amount.txt")
    shutil.copy(GOOD, odd / "bergstrasse.txt")
    report = check([odd], workers=1)
    [problem] = report.problems
    assert problem.path == str(odd / "malformed-amount.txt") and problem.line == 55
    assert report.failing == {str(odd / "malformed-amount.txt")}
    assert [path for path, _, _ in report.conforming] == [str(odd / "bergstrasse.txt")]


def test_a_duplicate_is_a_problem_at_the_second_document(tmp_path: Path) -> None:
    report = check([BAD / "duplicate"], workers=1)
    [problem] = report.problems
    assert problem.path == str(BAD / "duplicate" / "b-bergstrasse-more-projects.txt")
    assert problem.line == 11
    assert problem.message.startswith("a second agreement for district key 06431")
    assert isinstance(DuplicateError("x", problem.path, problem.line).problem, Problem)
