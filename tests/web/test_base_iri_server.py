"""The real ``aqb-rdf serve`` of a build at the default base and at ``https://example.org/aqb/``.

The server maps the base the release records to its root: ``/id/gebietskoerperschaft/06413``
is ``{base}id/gebietskoerperschaft/06413`` and the catalogue, the VoID description and the
downloads name IRIs under that base only. Another ``--base`` (or ``AQB_BASE``) is refused, and
a new release built with another base is not switched to.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF

from aqb_rdf.build.pipeline import build
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from live_server import Server, free_port, serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

REPO = Path(__file__).resolve().parents[2]
AGREEMENTS = REPO / "data" / "agreements"
OTHER_BASE = "https://example.org/aqb/"
AQB_RDF = Path(sys.executable).parent / "aqb-rdf"
VOID = "http://rdfs.org/ns/void#"
REGION = "/id/gebietskoerperschaft/06413"
ENV = {k: v for k, v in os.environ.items() if not k.startswith("AQB_")}


def other(base: str) -> str:
    """The base of the two that ``base`` is not."""
    return OTHER_BASE if base == DEFAULT_BASE else DEFAULT_BASE


class Served:
    """A server over a build at ``base``."""

    def __init__(self, server: Server, base: str, out: Path) -> None:
        self.server = server
        self.base = base
        self.iris = Iris(base)
        self.out = out

    def get(self, path: str, accept: str = "text/turtle") -> bytes:
        status, _, body = self.server.request("GET", path, headers={"Accept": accept})
        assert status == 200, (path, status, body[:300])
        return bytes(body)

    def turtle(self, path: str) -> Graph:
        body = self.get(path)
        assert other(self.base).encode() not in body, f"{path} names the other base"
        return Graph().parse(data=body, format="turtle")


@pytest.fixture(scope="module", params=[DEFAULT_BASE, OTHER_BASE], ids=["default", "with-path"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """``aqb-rdf serve`` (no --base) of ``data/agreements`` built at the base."""
    out = tmp_path_factory.mktemp("served") / "dist"
    build([AGREEMENTS], out, base=request.param, workers=1)
    with serving(out) as server:
        yield Served(server, request.param, out)


def iris_in(graph: Graph) -> set[str]:
    return {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}


def test_the_region_answers_as_turtle_under_the_base(served: Served) -> None:
    graph = served.turtle(REGION)
    region = served.iris.region("06413")
    assert graph.value(region, URIRef(f"{served.iris.aqb}kreisschluessel")) == Literal("06413")
    assert (region, RDF.type, URIRef(f"{served.iris.aqb}KreisfreieStadt")) in graph


def test_the_region_answers_as_html_with_links_on_this_server(served: Served) -> None:
    body = served.get(REGION, "text/html").decode()
    assert "Offenbach am Main" in body
    assert str(served.iris.region("06413")) in body
    assert 'href="/def/aqb#kreisschluessel"' in body
    assert other(served.base) not in body


def test_sparql_finds_the_region_under_the_base(served: Served) -> None:
    query = (
        f"PREFIX aqb: <{served.iris.aqb}>\n"
        'SELECT ?region WHERE { ?region aqb:kreisschluessel "06413" }'
    )
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    rows = json.loads(served.get(path, "application/sparql-results+json"))["results"]["bindings"]
    assert [row["region"]["value"] for row in rows] == [str(served.iris.region("06413"))]


def test_the_catalogue_names_iris_under_the_base(served: Served) -> None:
    for path in ("/catalog", "/download/catalog.ttl"):
        graph = served.turtle(path)
        assert (served.iris.catalog, RDF.type, DCAT.Catalog) in graph
        assert graph.value(served.iris.data_service, DCAT.endpointURL) == served.iris.endpoint
        assert graph.value(served.iris.distribution("aqb.ttl"), DCAT.downloadURL) == (
            served.iris.download("aqb.ttl")
        )
        assert not {iri for iri in iris_in(graph) if iri.startswith(other(served.base))}


def test_void_names_the_dataset_and_its_uri_space_under_the_base(served: Served) -> None:
    graph = served.turtle("/.well-known/void")
    dataset = served.iris.dataset
    assert graph.value(dataset, URIRef(VOID + "uriSpace")) == Literal(served.base)
    examples = {str(o) for o in graph.objects(dataset, URIRef(VOID + "exampleResource"))}
    assert str(served.iris.region("06413")) in examples
    assert graph.value(dataset, URIRef(VOID + "sparqlEndpoint")) == served.iris.endpoint


def test_the_pages_show_the_data(served: Served) -> None:
    landing = served.get("/", "text/html").decode()
    assert "1.011.410" in landing and "1.230.450" in landing
    table = served.get("/queries/budget-per-region-year?year=2025&run=1", "text/html").decode()
    assert "06413" in table and "06431" in table


def serve_refused(out: Path, *options: str, env: dict[str, str] | None = None) -> str:
    """``aqb-rdf serve out OPTIONS``, which must refuse at once: its stderr."""
    result = subprocess.run(
        [str(AQB_RDF), "serve", str(out), "--port", str(free_port()), *options],
        env={**ENV, **(env or {})}, capture_output=True, encoding="utf-8", timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    return result.stderr


def test_another_base_is_refused_in_one_line(served: Served) -> None:
    wrong = other(served.base)
    for stderr in (
        serve_refused(served.out, "--base", wrong),
        serve_refused(served.out, env={"AQB_BASE": wrong}),
        serve_refused(served.out, "--base", wrong, "--processes", "2"),
    ):
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, stderr
        assert lines[0].startswith("aqb-rdf: error: the release was built with base ")
        assert served.base in lines[0] and wrong in lines[0]


def test_a_release_of_another_base_is_not_switched_to(tmp_path: Path) -> None:
    sources = tmp_path / "agreements"
    shutil.copytree(AGREEMENTS, sources)
    out = tmp_path / "dist"
    build([sources], out, base=OTHER_BASE, workers=1)
    with serving(out, "--base", OTHER_BASE) as server:
        log = out.parent / f"server-{server.port}.log"
        served = Served(server, OTHER_BASE, out)
        build([sources], out, base=DEFAULT_BASE, workers=1)  # now current, at the default base
        deadline = time.monotonic() + 30
        while "not switching" not in log.read_text(errors="replace"):
            assert time.monotonic() < deadline, "the server never looked at the new release"
            time.sleep(0.2)
        time.sleep(3)  # several more looks at the build output
        lines = [ln for ln in log.read_text().splitlines() if "not switching" in ln]
        assert len(lines) == 1, lines
        assert OTHER_BASE in lines[0] and DEFAULT_BASE in lines[0]
        served.turtle(REGION)  # still the release at the base served
        assert f"<{OTHER_BASE}id/".encode() in served.get("/download/aqb.nt", "*/*")

        # A later release at the base served is switched to, as ever.
        (sources / "2025" / "offenbach-am-main-stadt.md").unlink()
        build([sources], out, base=OTHER_BASE, workers=1)
        agreement = "/id/zielvereinbarung/2025/06413"
        while server.request("GET", agreement, headers={"Accept": "text/turtle"})[0] != 404:
            assert time.monotonic() < deadline + 30, "the server never switched"
            time.sleep(0.2)
        assert b"zielvereinbarung/2025/06413" not in served.get("/download/aqb.nt", "*/*")
