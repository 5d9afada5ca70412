"""Issue "Hold under hostile load and faults", item 10: ``aqb-rdf query FILE`` had no guard.

Before the fix, a query file with ``SERVICE <http://127.0.0.1:PORT/…>`` made the command
connect to that address, and the failure was reported as "internal error … report it". The
command now runs a query as the server does: the guard refuses it first, in one line that says
why, and a query that passes runs in an isolated pool worker. A canary listener on the
loopback counts the connections every spelling of the call makes: there must be none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from aqb_rdf.sparql.store import build_store, find_query, load_dataset, run_query
from canary import Canary

pytestmark = pytest.mark.slow  # runs the aqb-rdf command

REPO = Path(__file__).resolve().parent.parent
AQB_RDF = Path(sys.executable).parent / "aqb-rdf"
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("AQB_")}
HEADER = "# title: A query from a file\n# description: For the test.\n\n"


def aqb_rdf(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(AQB_RDF), *map(str, args)],
        input=stdin,
        cwd=REPO,
        env=CLEAN_ENV,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("query") / "dist"
    result = aqb_rdf("build", "data/agreements", "--out", out, "--workers", "1")
    assert result.returncode == 0, result.stderr
    return out


SPELLINGS = {  # \u0053ERVICE is SERVICE to SPARQL (escapes are replaced before parsing)
    "service": "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "silent-in-filter-exists": (
        "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ "
        "SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }} }}"
    ),
    "escaped": "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
}


@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_a_query_file_calling_a_service_is_refused_and_connects_nowhere(
    spelling: str, tmp_path: Path, built: Path, canary: Canary
) -> None:
    query = tmp_path / f"{spelling}.rq"
    query.write_text(HEADER + SPELLINGS[spelling].format(port=canary.port) + "\n", "utf-8")

    result = aqb_rdf("query", query, "--data", built)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(
        f"aqb-rdf: error: {query}: query refused: SERVICE: this endpoint queries no other endpoint"
    ), line
    assert "internal error" not in line
    assert result.stdout == ""
    time.sleep(0.2)  # a connection under way would have reached the canary by now
    assert canary.connections == 0


def test_an_ordinary_query_file_answers_as_before(tmp_path: Path, built: Path) -> None:
    query = tmp_path / "count.rq"
    query.write_text(
        HEADER + "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } "
        "GROUP BY ?type ORDER BY DESC(?n) ?type\n",
        "utf-8",
    )

    result = aqb_rdf("query", query, "--data", built, "--format", "csv")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    expected = run_query(load_dataset(built), find_query(str(query)), {})
    lines = result.stdout.splitlines()
    assert lines[0] == "type,n"
    assert len(lines) == 1 + len(expected.rows) > 5
    cells = [term for row in expected.rows for term in row[:2]]
    values = [
        term.value for term in cells if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal)
    ]
    assert len(values) == len(cells)  # every cell an IRI or a literal
    assert lines[1:] == [f"{a},{b}" for a, b in zip(values[::2], values[1::2], strict=True)]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("ASK { ?s ?p ?o }", "an ASK query: aqb-rdf query runs SELECT,", id="ask"),
        pytest.param("SELECT * WHERE { ?s ?p }", "malformed SPARQL: ", id="malformed"),
        pytest.param("INSERT DATA { <a:s> <a:p> 1 }", "query refused: INSERT: ", id="update"),
    ],
)
def test_other_query_files_fail_in_one_line(
    text: str, problem: str, tmp_path: Path, built: Path
) -> None:
    query = tmp_path / "other.rq"
    query.write_text(HEADER + text + "\n", "utf-8")
    result = aqb_rdf("query", query, "--data", built)
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"aqb-rdf: error: {query}: {problem}"), line


def test_the_store_the_server_loaded_for_the_release_is_used(tmp_path: Path, built: Path) -> None:
    """With ``releases/<id>/store`` there, the query reads it and loads nothing: here the
    release's ``aqb.trig`` is no longer valid TriG, and the answer still comes."""
    data = tmp_path / "dist"
    shutil.copytree(built, data, symlinks=True)
    release = (data / "current").resolve()
    shutil.rmtree(release / "store", ignore_errors=True)  # an earlier test's query kept one
    build_store(release / "aqb.trig", release / "store")
    (release / "aqb.trig").write_text("not TriG\n", "utf-8")

    result = aqb_rdf("query", "total-per-year", "--data", data, "--format", "csv")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("2025,2,"), result.stdout


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(COUNT, id="no-header"),
        pytest.param("# my own count, not a header\n#\n" + COUNT, id="comments-only"),
    ],
)
def test_a_users_query_file_needs_no_header(text: str, tmp_path: Path, built: Path) -> None:
    """The newcomer's report: a plain .rq file was refused for lacking '# title:'."""
    query = tmp_path / "my-own.rq"
    query.write_text(text, "utf-8")
    result = aqb_rdf("query", query, "--data", built, "--format", "csv")
    assert result.returncode == 0, result.stderr
    expected = len(load_dataset(built))  # the quads of the named graphs: every triple once
    assert result.stdout.splitlines() == ["n", str(expected)]


def test_a_query_on_stdin_runs_as_a_file_does(built: Path) -> None:
    result = aqb_rdf("query", "-", "--data", built, "--format", "csv", stdin=COUNT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", str(len(load_dataset(built)))]
    empty = aqb_rdf("query", "-", "--data", built, stdin="  \n")
    assert (empty.returncode, empty.stderr) == (1, "aqb-rdf: error: <stdin>: no query on stdin\n")


def test_the_first_query_keeps_the_release_store_for_the_next(tmp_path: Path) -> None:
    """A query loaded a temporary store from aqb.trig every time (most of a trivial query's
    3.6 s on the demo corpus); now the first one loads the release's store once, as the
    server would, and the next ones open it."""
    data = tmp_path / "dist"
    assert aqb_rdf("build", "data/agreements", "--out", data, "--workers", "1").returncode == 0
    release = (data / "current").resolve()
    assert not (release / "store").exists()
    first = aqb_rdf("query", "total-per-year", "--data", data, "--format", "csv")
    assert first.returncode == 0, first.stderr
    assert (release / "store").is_dir()
    assert [p.name for p in release.glob(".store-*")] == []  # the staging folder was renamed
    (release / "aqb.trig").write_text("not TriG\n", "utf-8")  # the next one reads the store
    second = aqb_rdf("query", "total-per-year", "--data", data, "--format", "csv")
    assert (second.returncode, second.stdout) == (0, first.stdout), second.stderr


def test_the_query_command_does_not_import_the_build() -> None:
    """The build's imports (pySHACL, rdflib's SPARQL parser, pypdf) took 0.9 s of every
    `aqb-rdf query`, twice: the query worker, a spawned process, imports the command again."""
    code = (
        "import sys, aqb_rdf.cli; print(sorted(m for m in sys.modules"
        " if m.startswith(('pyshacl', 'pypdf', 'aqb_rdf.build'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, encoding="utf-8", timeout=60, check=True
    )
    assert result.stdout == "[]\n"
