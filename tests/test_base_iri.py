"""The base IRI end to end: build, validate, query, summary, push and link at another base.

Each command runs for real (the click command in this process, the store a real Oxigraph
server on loopback), once at the default base and once at ``https://example.org/aqb/``, a
base with a path. A release records the base it was built with, and the commands that read
a release take it from there; the server's side is in ``tests/web/test_base_iri_server.py``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph, URIRef
from SPARQLWrapper import SPARQLWrapper

import stores
from aqb_rdf.cli import cli
from aqb_rdf.errors import AqbError
from aqb_rdf.publish.release import RECORD, recorded_base
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import SCHEMA
from aqb_rdf.sparql.store import find_query

pytestmark = pytest.mark.slow  # runs the aqb-rdf command, starts the Oxigraph server

REPO = Path(__file__).resolve().parent.parent
AGREEMENTS = REPO / "data" / "agreements"
OTHER_BASE = "https://example.org/aqb/"
BASES = [DEFAULT_BASE, OTHER_BASE]
NO_AQB_ENV: dict[str, str | None] = {"AQB_BASE": None, "AQB_REFERENCE": None}


def run(*args: str | Path, env: dict[str, str | None] | None = None) -> Result:
    """``aqb-rdf ARGS`` in this process, without ``AQB_*`` variables unless ``env`` sets them."""
    result = CliRunner().invoke(cli, [str(a) for a in args], env={**NO_AQB_ENV, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def other(base: str) -> str:
    """The base of the two that ``base`` is not."""
    return OTHER_BASE if base == DEFAULT_BASE else DEFAULT_BASE


@pytest.fixture(scope="module", params=BASES, ids=["default-base", "base-with-path"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``aqb-rdf build data/agreements --base BASE --out DIR``; tests must not modify it."""
    out = tmp_path_factory.mktemp("base") / "dist"
    result = run("build", AGREEMENTS, "--out", out, "--base", request.param, "--workers", "1")
    assert result.exit_code == 0, result.output
    return out


def base_of(out: Path) -> str:
    """The base a test build was made with: the region IRIs in its dump say it."""
    dump = (out / "aqb.nt").read_text(encoding="utf-8")
    return OTHER_BASE if f"<{OTHER_BASE}id/" in dump else DEFAULT_BASE


# --- the record ------------------------------------------------------------------------------


def test_a_release_records_the_base_it_was_built_with(built: Path) -> None:
    base = base_of(built)
    record = (built / "current" / RECORD).read_text(encoding="utf-8")
    assert json.loads(record)["base"] == base
    assert recorded_base(built) == base
    assert recorded_base(built / "current") == base


def test_the_record_is_the_same_for_the_same_input(built: Path, tmp_path: Path) -> None:
    base = base_of(built)
    again = tmp_path / "again"
    assert run("build", AGREEMENTS, "--out", again, "--base", base, "--workers", "1").exit_code == 0
    assert (again / "current" / RECORD).read_bytes() == (built / "current" / RECORD).read_bytes()
    assert (again / "current").resolve().name == (built / "current").resolve().name


def test_a_release_without_record_has_the_default_base(tmp_path: Path) -> None:
    assert recorded_base(tmp_path) == DEFAULT_BASE


def test_a_malformed_record_is_one_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / RECORD).write_text('{"base": "not-an-iri"}\n', encoding="utf-8")
    with pytest.raises(AqbError, match=f"{RECORD}: not a record of the release's base IRI"):
        recorded_base(tmp_path)


# --- the dataset and its queries -------------------------------------------------------------


@pytest.mark.parametrize("base", BASES)
def test_validate_at_a_base(base: str) -> None:
    result = run("validate", AGREEMENTS, "--base", base, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "all 2 document(s) conform to the shapes" in result.output


def test_every_iri_of_the_dump_is_under_the_base(built: Path) -> None:
    base = base_of(built)
    dataset = Dataset()
    dataset.parse(built / "aqb.trig", format="trig")
    ours = {str(t) for quad in dataset.quads() for t in quad if isinstance(t, URIRef)}
    assert {iri for iri in ours if iri.startswith(other(base))} == set()
    assert str(Iris(base).region("06413")) in ours


def test_a_named_query_returns_rows_under_the_base(built: Path) -> None:
    base = base_of(built)
    result = run("query", "budget-per-region-year", "--data", built, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["key"], r["budget"]) for r in rows] == [("06413", "1011410"), ("06431", "1230450")]
    assert rows[0]["agreement"] == str(Iris(base).agreement(2025, "06413"))


def test_a_named_query_with_a_parameter_finds_the_region(built: Path) -> None:
    result = run("query", "region", "--param", "key=06413", "--data", built, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["item"] == "Stadt Offenbach am Main"
    assert any(r["section"] == "unterzeichnung" for r in rows)


def test_a_query_file_runs_as_it_is_written(built: Path, tmp_path: Path) -> None:
    base = base_of(built)
    query = tmp_path / "regions.rq"
    query.write_text(
        "# title: Regions\n# description: The regions, by key.\n"
        f"PREFIX aqb: <{base}def/aqb#>\n"
        'SELECT ?region WHERE { ?region aqb:kreisschluessel "06413" }\n',
        encoding="utf-8",
    )
    result = run("query", query, "--data", built, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["region", str(Iris(base).region("06413"))]


def test_summary_counts_the_data(built: Path) -> None:
    result = run("summary", built)
    assert result.exit_code == 0, result.output
    assert "(0 rows)" not in result.stdout
    assert "2025           2  2241860  EUR" in result.stdout
    assert "(1 row)" in result.stdout


def test_packaged_queries_are_rebased_and_files_are_not(tmp_path: Path) -> None:
    for name in ("region", "describe-resource", "budget-per-region-year"):
        text = find_query(name, OTHER_BASE).text
        assert DEFAULT_BASE not in text and f"<{OTHER_BASE}def/aqb#>" in text
        assert find_query(name).text == find_query(name, DEFAULT_BASE).text
    query = tmp_path / "mine.rq"
    query.write_text(
        f"# title: Mine\n# description: Mine.\nASK {{ <{DEFAULT_BASE}x> ?p ?o }}\n",
        encoding="utf-8",
    )
    assert DEFAULT_BASE in find_query(str(query), OTHER_BASE).text


# --- push into a real Oxigraph server ----------------------------------------------------------


@pytest.fixture
def oxigraph_store(tmp_path: Path) -> Iterator[stores.Store]:
    with stores.oxigraph(tmp_path / "oxigraph") as running:
        yield running


def graph_names(endpoint: str) -> set[str]:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    sparql.setReturnFormat("json")
    result = sparql.queryAndConvert()
    assert isinstance(result, dict)
    return {row["g"]["value"] for row in result["results"]["bindings"]}


def test_push_writes_the_graphs_under_the_recorded_base(
    built: Path, oxigraph_store: stores.Store
) -> None:
    base = base_of(built)
    store = oxigraph_store
    endpoints = ("--endpoint", store.query, "--graph-store", store.graph_store)
    result = run("push", built, *endpoints)
    assert result.exit_code == 0, result.output
    assert "5 created" in result.output, result.output
    iris = Iris(base)
    assert graph_names(store.query) == {
        str(iris.ontology_graph),
        str(iris.reference_graph),
        str(iris.cube_graph),
        str(iris.agreement_graph(2025, "06413")),
        str(iris.agreement_graph(2025, "06431")),
    }
    sparql = SPARQLWrapper(store.query)
    sparql.setQuery(f'SELECT ?r WHERE {{ GRAPH ?g {{ ?r <{iris.aqb}kreisschluessel> "06413" }} }}')
    sparql.setReturnFormat("json")
    answer = sparql.queryAndConvert()
    assert isinstance(answer, dict)
    rows = answer["results"]["bindings"]
    assert {row["r"]["value"] for row in rows} == {str(iris.region("06413"))}

    again = run("push", built, *endpoints, "--base", base)  # the same base, given: the same
    assert again.exit_code == 0, again.output
    assert "5 unchanged" in again.output


def test_push_refuses_another_base(built: Path, oxigraph_store: stores.Store) -> None:
    base, wrong = base_of(built), other(base_of(built))
    store = oxigraph_store
    endpoints = ("--endpoint", store.query, "--graph-store", store.graph_store)
    for result in (
        run("push", built, *endpoints, "--base", wrong),
        run("push", built, *endpoints, env={"AQB_BASE": wrong}),
    ):
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert lines[0].startswith("aqb-rdf: error: the release was built with base ")
        assert base in lines[0] and wrong in lines[0]
    assert graph_names(store.query) == set(), "nothing is written"


# --- link, then build at the base --------------------------------------------------------------


@pytest.fixture
def wikidata_like(tmp_path: Path) -> Iterator[str]:
    """An Oxigraph server with ``tests/linking/wikidata.ttl``: its query URL."""
    location = tmp_path / "wikidata"
    subprocess.run(
        [stores.OXIGRAPH, "load", "--location", location,
         "--file", REPO / "tests" / "linking" / "wikidata.ttl"],
        check=True, capture_output=True,
    )  # fmt: skip
    with stores.oxigraph(location) as store:
        yield store.query


def test_links_written_by_link_are_published_under_the_base(
    wikidata_like: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    reference = tmp_path / "reference"
    shutil.copytree(REPO / "data" / "reference", reference)
    table = reference / "gebietskoerperschaften.csv"
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    for row in rows:
        if row["kreisschluessel"] == "06414":  # Wiesbaden: the endpoint has one candidate
            row["wikidata"] = ""
    with table.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    linked = run("link", "--endpoint", wikidata_like, "--reference", reference, "--write")
    assert linked.exit_code == 0, linked.output
    out = tmp_path / "dist"
    built = run("build", AGREEMENTS, "--out", out, "--base", OTHER_BASE,
                "--reference", reference, "--workers", "1")  # fmt: skip
    assert built.exit_code == 0, built.output
    graph = Graph().parse(out / "aqb.nt", format="nt")
    wiesbaden = Iris(OTHER_BASE).region("06414")
    assert graph.value(wiesbaden, SCHEMA.sameAs) == URIRef("http://www.wikidata.org/entity/Q1721")
    assert not any(str(s).startswith(DEFAULT_BASE) for s in graph.subjects(SCHEMA.sameAs))
