"""The real ``aqb-rdf serve`` on 127.0.0.1, talked to as outside clients do.

The session's server (``running_server`` of ``conftest.py``: a subprocess on a free port,
stopped at the end) over the build of data/agreements; SPARQLWrapper and rdflib's SPARQLStore as clients, plus raw HTTP for the
protocol's corner cases and the hostile queries of the serving issue.
"""

from __future__ import annotations

import http.client
import json
import select
import socket
import threading
import time
import urllib.parse

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import ResultRow
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from canary import Canary
from live_server import SERVER_TIMEOUT, Server

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

TIMEOUT = SERVER_TIMEOUT


class QueryServer(Server):
    def get(
        self, query: str, accept: str = "application/sparql-results+json"
    ) -> tuple[int, dict[str, str], bytes]:
        path = "/sparql?" + urllib.parse.urlencode({"query": query})
        return self.request("GET", path, headers={"Accept": accept})


@pytest.fixture(scope="module")
def server(running_server: Server) -> QueryServer:
    """The session's server, with a SPARQL GET helper."""
    return QueryServer(running_server.process, running_server.port)


TOTAL = """PREFIX aqb: <https://aqb-rdf.example/def/aqb#>
PREFIX schema: <http://schema.org/>
SELECT (SUM(?v) AS ?total) WHERE { ?a aqb:budget/schema:value ?v }"""


def test_sparqlwrapper_select_as_json(server: QueryServer) -> None:
    client = SPARQLWrapper(f"{server.base}/sparql")
    client.setQuery(TOTAL)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert isinstance(result, dict)
    assert float(result["results"]["bindings"][0]["total"]["value"]) == 2241860


def test_sparqlwrapper_construct_as_turtle(server: QueryServer) -> None:
    client = SPARQLWrapper(f"{server.base}/sparql")
    client.setQuery(
        "PREFIX aqb: <https://aqb-rdf.example/def/aqb#> "
        "CONSTRUCT { ?a aqb:jahr ?y } WHERE { ?a aqb:jahr ?y }"
    )
    client.setReturnFormat(TURTLE)
    body = client.query().convert()
    assert isinstance(body, bytes | str)
    graph = Graph().parse(data=body, format="turtle")
    assert len(graph) == 2


def test_rdflib_sparqlstore(server: QueryServer) -> None:
    store = SPARQLStore(f"{server.base}/sparql", returnFormat="json")
    rows = list(
        store.query(
            "SELECT ?key WHERE { ?r <https://aqb-rdf.example/def/aqb#kreisschluessel> ?key } ORDER BY ?key"
        )
    )
    keys = []
    for row in rows:
        assert isinstance(row, ResultRow)
        keys.append(str(row[0]))
    assert keys[:2] == ["06411", "06412"]
    assert len(rows) == 26


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_formats_by_accept(server: QueryServer, accept: str, media_type: str) -> None:
    status, headers, body = server.get(TOTAL, accept)
    assert status == 200, body
    assert headers["content-type"].startswith(media_type)
    assert "accept" in headers["vary"].lower()
    assert headers["access-control-allow-origin"] == "*"
    assert b"2241860" in body


def test_unacceptable_format_is_406(server: QueryServer) -> None:
    status, _, body = server.get(TOTAL, "image/png")
    assert status == 406, body


def test_service_description_on_get_without_query(server: QueryServer) -> None:
    status, headers, body = server.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200
    graph = Graph().parse(data=body, format="turtle")
    endpoints = {str(o) for o in graph.objects(None, None) if str(o).endswith("/sparql")}
    # The endpoint's IRI under the base, which the server maps to its root (not the Host).
    assert endpoints == {"https://aqb-rdf.example/sparql"}


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/sparql", {"Accept": BROWSER}),
        ("/sparql", {"Accept": "text/html"}),
        ("/sparql?format=html", {}),
        ("/sparql?lang=en", {"Accept": BROWSER}),
    ],
)
def test_a_browser_opening_the_endpoint_goes_to_the_query_page(
    server: QueryServer, path: str, headers: dict[str, str]
) -> None:
    for method in ("GET", "HEAD"):
        status, answer, body = server.request(method, path, headers=headers)
        assert status == 303, (method, body)
        expected = "/query?lang=en" if "lang=en" in path else "/query"
        assert answer["location"] == expected
        assert "accept" in answer["vary"].lower()
    status, answer, body = server.request("GET", answer["location"], headers=headers)
    assert status == 200 and answer["content-type"].startswith("text/html")
    assert b'<textarea name="query"' in body


@pytest.mark.parametrize("accept", [None, "text/turtle", "*/*", "application/ld+json"])
def test_a_sparql_client_still_gets_the_service_description(
    server: QueryServer, accept: str | None
) -> None:
    status, headers, body = server.request(
        "GET", "/sparql", headers={} if accept is None else {"Accept": accept}
    )
    assert status == 200, body
    assert not headers["content-type"].startswith("text/html")
    graph = Graph().parse(data=body, format="json-ld" if accept and "json" in accept else "turtle")
    assert len(graph) > 0


def test_a_browser_with_a_query_gets_the_results(server: QueryServer) -> None:
    status, headers, body = server.get(TOTAL, BROWSER)
    assert status == 200, body
    assert b"2241860" in body


def test_malformed_query_is_400_with_the_parsers_message(server: QueryServer) -> None:
    status, _, body = server.get("SELECT * WHERE { ?s ?p ")
    assert status == 400
    assert b"malformed query" in body


def test_updates_are_refused(server: QueryServer) -> None:
    status, _, _ = server.request(
        "POST",
        "/sparql",
        body=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert status == 403


def test_large_bodies_are_refused(server: QueryServer) -> None:
    status, _, _ = server.request(
        "POST",
        "/sparql",
        body=b"#" * 2_000_000,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 413


def test_downloads_and_etags(server: QueryServer) -> None:
    status, headers, body = server.request("GET", "/download/aqb.ttl")
    assert status == 200
    assert headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=body, format="turtle")) > 1000
    status, _, _ = server.request(
        "GET", "/download/aqb.ttl", headers={"If-None-Match": headers["etag"]}
    )
    assert status == 304
    for path in (
        "/download/..%2Fstore",
        "/download/.aqb-build",
        "/download/store",
        "/../etc/passwd",
    ):
        status, _, _ = server.request("GET", path)
        assert status == 404, path


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {{ SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }} }} }} }} }}",
    ],
)
def test_service_never_leaves_the_server(
    server: QueryServer, canary: Canary, template: str
) -> None:
    status, _, _ = server.get(template.format(port=canary.port))
    assert status == 400
    time.sleep(0.3)
    assert canary.connections == 0


def test_a_runaway_query_is_stopped_and_the_server_keeps_answering(server: QueryServer) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    status, headers, _ = server.get(runaway)
    elapsed = time.monotonic() - started
    assert status == 503
    assert headers["retry-after"].isdigit()
    assert elapsed < TIMEOUT + 1.5
    status, _, body = server.get(TOTAL)
    assert status == 200 and b"2241860" in body


def test_a_crashing_query_kills_only_its_worker(server: QueryServer) -> None:
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(40))
    crash = f'SELECT ?a40 WHERE {{ BIND("ab" AS ?a0) {binds} }}'
    started = time.monotonic()
    status, _, _ = server.get(crash)
    assert status in (400, 500, 503)
    assert time.monotonic() - started < TIMEOUT + 1.5
    status, _, body = server.get(TOTAL)
    assert status == 200 and b"2241860" in body


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 2500 + "}" * 2500,
        "SELECT * WHERE { "
        + "".join(f"VALUES ?v{i} {{ 1 2 }} {{ " for i in range(9))
        + "}" * 9
        + " }",
    ],
)
def test_hostile_shapes_are_refused_fast(server: QueryServer, query: str) -> None:
    started = time.monotonic()
    status, _, _ = server.get(query)
    assert status == 400
    assert time.monotonic() - started < 2
    status, _, _ = server.get(TOTAL)
    assert status == 200


def test_queries_beyond_the_workers_get_503(server: QueryServer) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(server.get(runaway)[0])) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 10)
    assert results.count(503) == 3  # each at its time limit (a third on one process, too)
    status, _, _ = server.get(TOTAL)
    assert status == 200


def test_json_results_parse(server: QueryServer) -> None:
    status, _, body = server.get("ASK { ?s ?p ?o }")
    assert status == 200
    assert json.loads(body)["boolean"] is True


def test_oversized_headers_and_paths_are_refused(server: QueryServer) -> None:
    # The request head (line and headers) is bounded at 64 KiB: 431; the request target at
    # 32 KiB: 414 (a URL over the head's bound too); then the connection closes.
    for headers, path, refusal in (
        ({"X-Padding": "a" * 200_000}, "/sparql", 431),
        ({}, "/sparql?query=" + "a" * 200_000, 414),
        ({}, "/sparql?query=" + "a" * 40_000, 414),
        ({f"X-Many-{i}": "a" * 100 for i in range(1000)}, "/sparql", 431),
    ):
        try:
            status, _, body = server.request("GET", path, headers=headers, timeout=10)
        except (ConnectionError, http.client.HTTPException):
            status, body = 0, b""  # closed before the answer was read: refused as well
        assert status in (0, refusal), (status, refusal)
        expected = b"request line and headers" if refusal == 431 else b"the request target is"
        assert status == 0 or body.startswith(expected), body[:80]
    long_query = "ASK {}\n#" + "a" * 30_000  # under the target's bound: answered
    status, _, body = server.get(long_query)
    assert status == 200 and b"true" in body, (status, body[:200])
    status, _, body = server.get(TOTAL)
    assert status == 200 and b"2241860" in body


def test_a_large_body_is_not_taken_for_a_long_head(server: QueryServer) -> None:
    # Head and body arrive together; only the head counts against the 64 KiB bound.
    query = TOTAL + "\n#" + "x" * 90_000
    status, _, body = server.request(
        "POST", "/sparql", body=query.encode(),
        headers={"Content-Type": "application/sparql-query",
                 "Accept": "application/sparql-results+json"},
    )  # fmt: skip
    assert status == 200 and b"2241860" in body


def test_a_head_sent_slowly_is_cut_off_at_the_bound(server: QueryServer) -> None:
    # One header that never ends, sent in small pieces: refused once 64 KiB have arrived.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        for _ in range(200):  # 200 × 1 KiB, more than the bound
            if select.select([connection], [], [], 0.005)[0]:
                break  # answered: stop sending before the closed socket resets
            connection.sendall(b"a" * 1024)
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:80]
