"""push.py (the core: reading graphs, comparing, deciding) and graph_store.py (the HTTP edge).

The HTTP tests run against the real Oxigraph server, behind tests/stores.FaultyProxy where a
store must fail, ask for Basic credentials or be slow; test_push_stores.py pushes whole
releases into Oxigraph and Virtuoso.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

import stores
from aqb_rdf.cli import cli
from aqb_rdf.errors import AqbError, PushError
from aqb_rdf.push import graph_store
from aqb_rdf.push.graph_store import Credentials, HttpStore
from aqb_rdf.push.sync import (
    Change,
    LocalGraph,
    canonical_number,
    decide,
    graph_digest,
    push_release,
    read_graphs,
)

pytestmark = pytest.mark.slow  # starts the Oxigraph server

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://aqb-rdf.example/"
FIXTURE = Path(__file__).parent / "queries" / "fixture.trig"


def lit(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(XSD + datatype))


def triple(o: Literal | NamedNode | BlankNode, s: NamedNode | BlankNode | None = None) -> Triple:
    return Triple(s or NamedNode(EX + "id/s"), NamedNode(EX + "def/p"), o)


# -- the core -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "datatype", "expected"),
    [
        ("1011410.00", "decimal", lit("1011410", "decimal")),
        ("1.50", "decimal", lit("1.5", "decimal")),
        ("-0.10", "decimal", lit("-0.1", "decimal")),
        ("79", "positiveInteger", lit("79", "integer")),
        ("007", "nonNegativeInteger", lit("7", "integer")),
        ("x", "integer", lit("x", "integer")),  # ill-typed: as written
        ("2025", "gYear", lit("2025", "gYear")),  # not a number: as written
    ],
)
def test_numbers_compare_by_value(value: str, datatype: str, expected: Literal) -> None:
    assert canonical_number(lit(value, datatype)) == expected


def test_digest_is_equal_exactly_for_isomorphic_graphs() -> None:
    a, b = BlankNode(), BlankNode()
    one = [triple(a), triple(NamedNode(EX + "x"), s=a), triple(lit("1.00", "decimal"))]
    same = [triple(b), triple(NamedNode(EX + "x"), s=b), triple(lit("1", "decimal"))]
    assert graph_digest(one) == graph_digest(same) == graph_digest(same + same)
    other = [triple(b), triple(NamedNode(EX + "y"), s=b), triple(lit("1", "decimal"))]
    assert graph_digest(other) != graph_digest(one)
    assert graph_digest(one[:2]) != graph_digest(one)


def test_decide_fetches_only_when_the_sizes_agree() -> None:
    graph = LocalGraph(EX + "graph/g", (triple(lit("1", "integer")), triple(NamedNode(EX + "o"))))
    fetched: list[str] = []

    def fetch(triples: list[Triple]) -> list[Triple]:
        fetched.append("x")
        return triples

    assert decide(graph, None, lambda: fetch([])) is Change.CREATED
    assert decide(graph, 3, lambda: fetch([])) is Change.REPLACED
    assert fetched == []
    assert decide(graph, 2, lambda: fetch(list(graph.triples))) is Change.UNCHANGED
    changed = [triple(lit("2", "integer")), triple(NamedNode(EX + "o"))]
    assert decide(graph, 2, lambda: fetch(changed)) is Change.REPLACED
    assert len(fetched) == 2


def test_read_graphs_streams_each_named_graph_once() -> None:
    graphs = list(read_graphs(FIXTURE))
    names = [g.iri for g in graphs]
    assert len(names) == len(set(names)) >= 3
    assert {EX + "graph/reference", EX + "graph/ontology"} <= set(names)
    assert all(g.triples for g in graphs)


@pytest.mark.parametrize(
    ("trig", "problem"),
    [
        ("<http://a> <http://b> <http://c> .", "outside a named graph"),
        ("<http://g> { <http://a> <http://b> 1 } <http://h> { <http://a> <http://b> 2 }"
         "<http://g> { <http://a> <http://b> 3 }", "appears in two blocks"),
        ("<http://g> { <http://a> <http://b> }", "not valid TriG"),
    ],
)  # fmt: skip
def test_read_graphs_refuses_what_it_cannot_push(trig: str, problem: str, tmp_path: Path) -> None:
    dump = tmp_path / "aqb.trig"
    dump.write_text(trig, encoding="utf-8")
    with pytest.raises(AqbError, match=problem) as raised:
        list(read_graphs(dump))
    assert str(raised.value).startswith(f"{dump}: ")


# -- credentials and URLs -------------------------------------------------------------------------


def test_credentials_come_from_the_environment_and_never_show() -> None:
    assert Credentials.from_environ({}) is None
    credentials = Credentials.from_environ({"AQB_PUSH_USER": "u", "AQB_PUSH_PASSWORD": "s3cret"})
    assert credentials == Credentials("u", "s3cret")
    assert "s3cret" not in repr(credentials)
    with pytest.raises(AqbError, match="set both AQB_PUSH_USER and AQB_PUSH_PASSWORD"):
        Credentials.from_environ({"AQB_PUSH_PASSWORD": "s3cret"})
    token = Credentials.from_environ({"AQB_PUSH_TOKEN": "t0ken"})
    assert token == Credentials(token="t0ken") and "t0ken" not in repr(token)
    with pytest.raises(AqbError, match="not both"):
        Credentials.from_environ({"AQB_PUSH_TOKEN": "t0ken", "AQB_PUSH_USER": "u"})


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://dba:s3cret@localhost:8890/sparql", "not in the URL"),
        ("ftp://localhost/sparql", "not an http"),
        ("localhost:7878/query", "not an http"),
    ],
)
def test_endpoint_urls_are_checked(url: str, problem: str) -> None:
    with pytest.raises(AqbError, match=problem) as raised:
        HttpStore(url)
    assert "s3cret" not in str(raised.value)


def test_push_without_a_build_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["push", str(tmp_path), "--endpoint", "http://127.0.0.1:9/q"])
    assert result.exit_code == 1
    assert result.output == (f"aqb-rdf: error: no dataset at {tmp_path} (aqb.trig is missing): "
                             "run `aqb-rdf build` first\n")  # fmt: skip


# -- against the real Oxigraph server -------------------------------------------------------------
# ``oxigraph_store``: the session's Oxigraph server, emptied before each test (conftest.py).


def test_backoff_doubles_and_is_bounded(oxigraph_store: stores.Store) -> None:
    waits: list[float] = []
    with stores.FaultyProxy(oxigraph_store.port, fail_first=3, retry_after=None) as proxy:
        with HttpStore(proxy.url(oxigraph_store.query), retries=3, backoff=0.5,
                       sleep=waits.append) as store:  # fmt: skip
            assert store.graph_sizes(EX + "graph/") == {}
    assert waits == [0.5, 1.0, 2.0]
    with stores.FaultyProxy(oxigraph_store.port, fail_first=10, retry_after="7200") as proxy:
        with HttpStore(proxy.url(oxigraph_store.query), retries=2, sleep=waits.append) as store:
            with pytest.raises(PushError) as raised:
                store.graph_sizes(EX + "graph/")
    assert waits[3:] == [60.0, 60.0]  # Retry-After is honoured up to a minute
    assert str(raised.value) == (
        f"{proxy.url(oxigraph_store.query)}: list the graphs: "
        "503 Service Unavailable: busy, try again (after 3 attempts)"
    )


def test_a_refused_request_is_not_retried(oxigraph_store: stores.Store) -> None:
    waits: list[float] = []
    graph = LocalGraph(EX + "graph/g", (triple(NamedNode(EX + "o")),))
    with HttpStore(oxigraph_store.query, graph_store=oxigraph_store.query,
                   sleep=waits.append) as store:  # fmt: skip
        with pytest.raises(PushError, match=r"write graph <https://aqb-rdf\.example/graph/g>: 4"):
            store.replace_graph(graph)  # a PUT to the query endpoint
    assert waits == []


def test_basic_credentials_are_sent_after_the_first_challenge(
    oxigraph_store: stores.Store, tmp_path: Path
) -> None:
    """A reverse proxy asking for Basic credentials in front of the store."""
    expected = "Basic " + base64.b64encode(b"aqb:s3cret").decode()
    with stores.FaultyProxy(oxigraph_store.port, authorization=expected) as proxy:
        with HttpStore(proxy.url(oxigraph_store.query),
                       graph_store=proxy.url(oxigraph_store.graph_store),
                       credentials=Credentials("aqb", "s3cret")) as store:  # fmt: skip
            report = push_release(FIXTURE, store, EX + "graph/", connections=2)
        assert report.count(Change.CREATED) >= 3
        assert proxy.challenged == 1  # then sent with every request

        result = CliRunner().invoke(
            cli,
            ["push", str(FIXTURE), "--endpoint", proxy.url(oxigraph_store.query)],
            env={"AQB_PUSH_USER": "aqb", "AQB_PUSH_PASSWORD": "wrong-s3cret"},
        )
    assert result.exit_code == 1
    assert result.output == (f"aqb-rdf: error: {proxy.url(oxigraph_store.query)}: list the "
                             "graphs: 401 Unauthorized: who? (check AQB_PUSH_USER and "
                             "AQB_PUSH_PASSWORD, or AQB_PUSH_TOKEN)\n")  # fmt: skip


def test_a_token_is_sent_as_bearer_with_every_request(oxigraph_store: stores.Store) -> None:
    """QLever's access token, for example, with a proxy checking it in front of the store."""
    with stores.FaultyProxy(oxigraph_store.port, authorization="Bearer t0ken") as proxy:
        result = CliRunner().invoke(
            cli,
            ["push", str(FIXTURE), "--endpoint", proxy.url(oxigraph_store.query),
             "--update", proxy.url(oxigraph_store.update), "--dry-run"],
            env={"AQB_PUSH_TOKEN": "t0ken"},
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert proxy.challenged == 0 and proxy.requests >= 1


def test_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    with stores.oxigraph(tmp_path / "data") as empty:
        with HttpStore(empty.query, update=empty.update) as store:
            report = push_release(FIXTURE, store, EX + "graph/", dry_run=True)
            assert report.count(Change.CREATED) == len(list(read_graphs(FIXTURE)))
            assert report.triples_sent == 0
            assert store.graph_sizes(EX) == {}
            with pytest.raises(AqbError, match=r"outside https://aqb-rdf\.example/other/"):
                push_release(FIXTURE, store, EX + "other/")
            assert store.graph_sizes(EX) == {}


def test_every_push_option_and_variable_is_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    command = cli.commands["push"]
    options = [o for p in command.params for o in p.opts if o.startswith("--")]
    assert options and [o for o in options if f"`{o}" not in readme] == []
    for variable in ("AQB_PUSH_USER", "AQB_PUSH_PASSWORD", "AQB_PUSH_TOKEN"):
        assert f"`{variable}`" in readme and variable in (command.help or "")


def test_the_graph_list_is_read_in_pages(
    oxigraph_store: stores.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stores cap result rows (Virtuoso: 10,000 by default), so graphs are listed in pages."""
    local = {g.iri: len(set(g.triples)) for g in read_graphs(FIXTURE)}
    with HttpStore(oxigraph_store.query, graph_store=oxigraph_store.graph_store) as store:
        push_release(FIXTURE, store, EX + "graph/")
    monkeypatch.setattr(graph_store, "GRAPHS_PAGE", 2)
    with stores.FaultyProxy(oxigraph_store.port) as proxy:
        with HttpStore(proxy.url(oxigraph_store.query)) as store:
            assert store.graph_sizes(EX + "graph/") == local
    assert proxy.requests == len(local) // 2 + 1


def test_without_virtuoso_the_store_tests_fail_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stores, "VIRTUOSO", "/nonexistent/virtuoso-t")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the Virtuoso tests"):
        stores.require_virtuoso()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install virtuoso-opensource"):
        stores.require_virtuoso()
