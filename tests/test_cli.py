"""The ``aqb-rdf`` command, run for real: the installed console script in a subprocess.

Every run starts in the repository root with a clean environment (no ``AQB_*`` variables). The
bad inputs are the cases of ``tests/documents/bad/`` (their ``SOURCE.md`` tabulates the file,
the line and an example message); the expected lines below are taken from that table. One
build of ``data/agreements`` is made per module and read by the query and summary tests.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib

from aqb_rdf.sparql.store import available_queries, find_query

pytestmark = pytest.mark.slow  # runs the aqb-rdf command in a subprocess, build after build

REPO = Path(__file__).resolve().parent.parent
BAD = Path("tests/documents/bad")
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("AQB_")} | {
    "PYTHONIOENCODING": "utf-8"
}
PROBLEM_LINE = re.compile(r"^aqb-rdf: error: (?P<path>[^:]+)(?::(?P<line>\d+))?: (?P<problem>.+)$")
SUMMARY_LINE = re.compile(r"^aqb-rdf: \d+ problem\(s\)")
AQB = "https://aqb-rdf.example/def/aqb#"
DOWNLOADS = (
    "agreements.csv",
    "projects.csv",
    "massnahmenarten.csv",
    "aqb.jsonld",
    "aqb.nt",
    "aqb.trig",
    "aqb.ttl",
    "catalog.ttl",
    "void.ttl",
)


def _console_script() -> Path:
    beside = Path(sys.executable).parent / "aqb-rdf"
    found = beside if beside.exists() else shutil.which("aqb-rdf")
    if found is None:
        pytest.fail("the aqb-rdf console script is not installed (pip install -e '.[test]')")
    return Path(found)


AQB_RDF = _console_script()


def aqb_rdf(
    *args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``aqb-rdf ARGS`` and return its exit status and output."""
    return subprocess.run(
        [str(AQB_RDF), *(str(a) for a in args)],
        cwd=cwd,
        env=CLEAN_ENV if env is None else env,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The stderr lines that report a problem; fails on any other kind of stderr line."""
    assert "Traceback" not in result.stderr, explain(result)
    lines = result.stderr.splitlines()
    unexpected = [ln for ln in lines if not PROBLEM_LINE.match(ln) and not SUMMARY_LINE.match(ln)]
    assert unexpected == [], explain(result)
    return [ln for ln in lines if PROBLEM_LINE.match(ln)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``aqb-rdf build data/agreements --out DIR``, run once per module."""
    out = tmp_path_factory.mktemp("cli") / "dist"
    result = aqb_rdf("build", "data/agreements", "--out", out)
    assert result.returncode == 0, explain(result)
    assert result.stdout.startswith("built 2 agreement(s), "), explain(result)
    return out


# -- build: bad input --------------------------------------------------------------------------


@dataclass(frozen=True)
class BadCase:
    """A case of tests/documents/bad/: what to build, and the one problem line expected."""

    source: str
    path: str
    line: int | None
    words: tuple[str, ...]


def _case(name: str, line: int | None, *words: str) -> BadCase:
    return BadCase(str(BAD / name), str(BAD / name), line, words)


BAD_CASES = [
    pytest.param(_case("empty.txt", None, "empty"), id="empty"),
    pytest.param(_case("binary.txt", None, "binary"), id="binary"),
    pytest.param(_case("scanned.pdf", None, "no text layer"), id="scanned"),
    pytest.param(_case("encrypted.pdf", None, "encrypted"), id="encrypted"),
    pytest.param(_case("no-budget.txt", 53, "no budget"), id="no-budget"),
    pytest.param(
        _case("malformed-amount.txt", 55, "malformed amount", "1.45O.700"), id="malformed-amount"
    ),
    pytest.param(
        _case("unknown-region.txt", 11, "unknown Gebietskörperschaft", "Atlantis"),
        id="unknown-region",
    ),
    pytest.param(_case("hanau-2025.txt", 11, "Hanau", "2025"), id="hanau-2025"),
    pytest.param(
        BadCase(
            str(BAD / "duplicate"),
            str(BAD / "duplicate" / "b-bergstrasse-more-projects.txt"),
            11,
            (
                "a second agreement for district key",
                "06431",
                str(BAD / "duplicate" / "a-bergstrasse.txt"),
            ),
        ),
        id="duplicate",
    ),
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_build_refuses_bad_input_with_one_line(case: BadCase, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = aqb_rdf("build", case.source, "--out", out)
    assert result.returncode == 1, explain(result)
    [line] = error_lines(result)
    match = PROBLEM_LINE.match(line)
    assert match is not None
    assert match["path"] == case.path, line
    assert match["line"] == (None if case.line is None else str(case.line)), line
    for word in case.words:
        assert word in match["problem"], line
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_build_refuses_a_truncated_pdf(tmp_path: Path) -> None:
    pdf = (REPO / "tests/documents/bergstrasse-2025-pdf/agreement.pdf").read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(pdf[: len(pdf) // 2])
    result = aqb_rdf("build", truncated, "--out", tmp_path / "out")
    assert result.returncode == 1, explain(result)
    assert error_lines(result) == [f"aqb-rdf: error: {truncated}: damaged PDF, cannot be read"]
    assert not (tmp_path / "out").exists()


def test_build_without_sources_outside_the_repository(tmp_path: Path) -> None:
    result = aqb_rdf("build", cwd=tmp_path)
    assert result.returncode == 1, explain(result)
    assert result.stderr.splitlines() == ["aqb-rdf: error: data/agreements: no such file or folder"]
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_build_refuses_a_base_that_is_not_an_iri(tmp_path: Path) -> None:
    result = aqb_rdf("build", "data/agreements", "--out", tmp_path / "out", "--base", "not-an-iri")
    assert result.returncode == 2, explain(result)
    assert "Invalid value for '--base'" in result.stderr
    assert "not-an-iri" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_reads_the_base_from_aqb_base(tmp_path: Path) -> None:
    result = aqb_rdf(
        "build",
        "data/agreements",
        "--out",
        tmp_path / "out",
        env=CLEAN_ENV | {"AQB_BASE": "not-an-iri"},
    )
    assert result.returncode == 2, explain(result)
    assert "not-an-iri" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_writes_every_download(built: Path) -> None:
    assert {p.name for p in built.iterdir()} >= {*DOWNLOADS, "context.jsonld", ".aqb-build"}


# -- validate ----------------------------------------------------------------------------------


def test_validate_reports_each_conforming_document() -> None:
    result = aqb_rdf("validate", "data/agreements")
    assert result.returncode == 0, explain(result)
    ok = [line for line in result.stdout.splitlines() if line.startswith("ok ")]
    assert len(ok) == 2, explain(result)
    assert any("data/agreements/2025/bergstrasse.txt" in line for line in ok)
    assert any("data/agreements/2025/offenbach-am-main-stadt.md" in line for line in ok)
    assert result.stderr == ""


WORD_DOCUMENT = "a word-processor document: only .md, .txt and .pdf are read; save it as PDF"
WEB_PAGE = "a web page: only .md, .txt and .pdf are read; save it as PDF or text"


def test_validate_and_build_name_the_skipped_files(tmp_path: Path) -> None:
    folder = tmp_path / "agreements"
    shutil.copytree(REPO / "data" / "agreements", folder)
    (folder / "2025" / "kassel.docx").write_bytes(b"PK\x03\x04")
    (folder / "2025" / "kassel.html").write_text("<html></html>", encoding="utf-8")
    docx, html = folder / "2025" / "kassel.docx", folder / "2025" / "kassel.html"

    result = aqb_rdf("validate", folder)
    assert result.returncode == 0, explain(result)
    lines = result.stdout.splitlines()
    assert [ln for ln in lines if ln.startswith("skip ")] == [
        f"skip  {docx}: {WORD_DOCUMENT}",
        f"skip  {html}: {WEB_PAGE}",
    ]
    assert lines[-1] == "all 2 document(s) conform to the shapes; 2 file(s) skipped"

    built = aqb_rdf("build", folder, "--out", tmp_path / "dist")
    assert built.returncode == 0, explain(built)
    assert built.stderr.splitlines() == [
        f"aqb-rdf: skipped {docx}: {WORD_DOCUMENT}",
        f"aqb-rdf: skipped {html}: {WEB_PAGE}",
    ]
    assert built.stdout.rstrip().endswith("; 2 file(s) skipped"), explain(built)


def test_validate_fails_on_a_bad_document() -> None:
    result = aqb_rdf("validate", BAD / "malformed-amount.txt")
    assert result.returncode == 1, explain(result)
    [line] = error_lines(result)
    assert line.startswith(f"aqb-rdf: error: {BAD / 'malformed-amount.txt'}:55: "), line
    assert not [ln for ln in result.stdout.splitlines() if ln.startswith("ok ")]


# -- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["", "build", "validate", "query", "summary"])
def test_help_shows_an_example(command: str) -> None:
    result = aqb_rdf(*([command] if command else []), "--help")
    assert result.returncode == 0, explain(result)
    assert result.stdout.startswith(f"Usage: aqb-rdf {command}".rstrip()), result.stdout
    example = re.compile(rf"^\s+aqb-rdf {command or 'build'}\b", re.MULTILINE)
    assert example.search(result.stdout), result.stdout


# -- query -------------------------------------------------------------------------------------


def test_query_total_per_year_as_csv(built: Path) -> None:
    result = aqb_rdf("query", "total-per-year", "--data", built, "--format", "csv")
    assert result.returncode == 0, explain(result)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1, result.stdout
    assert rows[0]["year"] == "2025"
    assert int(rows[0]["agreements"]) == 2
    assert Decimal(rows[0]["total"]) == Decimal(2241860)


def test_query_total_per_year_as_sparql_json(built: Path) -> None:
    result = aqb_rdf("query", "total-per-year", "--data", built, "--format", "json")
    assert result.returncode == 0, explain(result)
    document = json.loads(result.stdout)
    assert {"year", "agreements", "total"} <= set(document["head"]["vars"])
    [binding] = document["results"]["bindings"]
    assert binding["year"]["type"] == "literal"
    assert binding["year"]["value"] == "2025"
    assert int(binding["agreements"]["value"]) == 2
    assert Decimal(binding["total"]["value"]) == Decimal(2241860)


def test_query_region_with_key(built: Path) -> None:
    result = aqb_rdf("query", "region", "--param", "key=06413", "--data", built, "--format", "csv")
    assert result.returncode == 0, explain(result)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows, result.stdout
    assert "Stadt Offenbach am Main" in result.stdout
    assert "Bergstraße" not in result.stdout


AGREEMENT_GRAPH = "https://aqb-rdf.example/graph/zielvereinbarung/2025/06413"
AGREEMENT = "https://aqb-rdf.example/id/zielvereinbarung/2025/06413"


@pytest.mark.parametrize(
    ("format_args", "rdflib_format"), [([], "turtle"), (["--format", "ntriples"], "nt")]
)
def test_query_describe_graph_prints_the_triples(
    built: Path, format_args: list[str], rdflib_format: str
) -> None:
    result = aqb_rdf(
        "query", "describe-graph", "--param", f"graph={AGREEMENT_GRAPH}", *format_args,
        "--data", built,
    )  # fmt: skip
    assert result.returncode == 0, explain(result)
    assert result.stderr == "", explain(result)
    graph = rdflib.Graph().parse(data=result.stdout, format=rdflib_format)
    agreement = rdflib.URIRef(AGREEMENT)
    assert (agreement, rdflib.RDF.type, rdflib.URIRef(AQB + "Zielvereinbarung")) in graph
    years = list(graph.objects(agreement, rdflib.URIRef(AQB + "jahr")))
    assert [str(year) for year in years] == ["2025"]


def test_query_help_lists_every_named_query() -> None:
    result = aqb_rdf("query", "--help")
    assert result.returncode == 0, explain(result)
    listed = re.findall(r"^  ([a-z0-9][a-z0-9-]*)  ", result.stdout, re.MULTILINE)
    assert listed == list(available_queries()), result.stdout
    flat = " ".join(result.stdout.split())
    for name in available_queries():
        query = find_query(name)
        assert query.title in flat, name
        assert (f"{query.title}. (internal" in flat) == (query.internal is not None), name


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(["totl-per-year"], ["did you mean total-per-year?"], id="misspelt"),
        pytest.param(
            ["describe-graph", "--format", "csv", "--param", f"graph={AGREEMENT_GRAPH}"],
            ["triples", "turtle"],
            id="graph-as-csv",
        ),
        pytest.param(["region"], ["key"], id="missing-key"),
        pytest.param(["region", "--param", "key=0641'"], ["key", "0641'"], id="bad-key"),
        pytest.param(["nosuch"], ["nosuch", *available_queries()], id="unknown-query"),
    ],
)
def test_query_errors_are_one_line(built: Path, args: list[str], words: list[str]) -> None:
    result = aqb_rdf("query", *args, "--data", built)
    assert result.returncode == 1, explain(result)
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("aqb-rdf: error: "), line
    for word in words:
        assert word in line, line
    assert result.stdout == ""


# -- summary -----------------------------------------------------------------------------------


def test_summary_prints_the_total_and_the_downloads(built: Path) -> None:
    result = aqb_rdf("summary", built)
    assert result.returncode == 0, explain(result)
    assert "2241860" in result.stdout
    [downloads] = [ln for ln in result.stdout.splitlines() if ln.startswith("downloads:")]
    for name in DOWNLOADS:
        assert name in downloads, downloads
