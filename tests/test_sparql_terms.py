"""Values written into SPARQL text (rdf/sparql_terms.py): a hostile value stays a value.

Each query is run on a real store (pyoxigraph in memory, and the Oxigraph server on loopback
for ``aqb-rdf push``), in the engine's reading and in SPARQL 1.1's, which replaces ``\\u``
escapes before it parses.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad

import stores
from aqb_rdf.errors import PushError
from aqb_rdf.link import reconcile
from aqb_rdf.push.graph_store import HttpStore
from aqb_rdf.push.sync import LocalGraph
from aqb_rdf.rdf.namespaces import RDFS
from aqb_rdf.rdf.sparql_terms import iri, prefix_declarations, string
from aqb_rdf.sparql.lexer import unescape

HOSTILE_STRINGS = [
    '" } ; DROP ALL ; #',
    "'; DROP ALL ; #",
    'a"\n} } INSERT DATA { <urn:x> <urn:y> <urn:z> } #',
    "\\u0022 } ; DROP ALL ; #",
    "\\\\u0022) } #",
    "\\\\\\u0022",
    "\\U00000022 }",
    "back\\slash\r\n\t\x00\x7f",
    '"""',
    "\u2028\u0085 line separators",
    "Kreis Groß-Gerau",
]
HOSTILE_IRIS = [
    "urn:a> } } ; DROP ALL ; INSERT DATA { <urn:b",
    "urn:a b",
    'urn:a"b',
    "urn:a\\u003e",
    "urn:a{b}",
    "no-scheme",
    "",
]


def _values(sparql_term: str) -> list[pyoxigraph.Literal | pyoxigraph.NamedNode]:
    """The values ``VALUES ?x { term }`` binds, in both readings of the query."""
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ {sparql_term} }} }}"
    found = []
    for reading in (query, unescape(query)):
        solutions = pyoxigraph.Store().query(reading)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        rows = [row["x"] for row in solutions]
        assert len(rows) == 1, reading
        found.append(rows[0])
    return found


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_a_hostile_string_is_one_literal_with_its_value(value: str) -> None:
    assert _values(string(value)) == [Literal(value)] * 2
    assert _values(string(value, language="de")) == [Literal(value, language="de")] * 2


@given(st.text())
def test_any_string_is_one_literal_with_its_value(value: str) -> None:
    assert _values(string(value)) == [Literal(value)] * 2


def test_an_iri_is_written_as_it_is() -> None:
    assert iri("https://aqb-rdf.example/graph/2025/06413") == (
        "<https://aqb-rdf.example/graph/2025/06413>"
    )
    assert _values(iri("http://a.example/é?q=1#f")) == [NamedNode("http://a.example/é?q=1#f")] * 2


@pytest.mark.parametrize("value", HOSTILE_IRIS)
def test_what_is_no_iri_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        iri(value)


def test_a_language_tag_cannot_carry_code() -> None:
    with pytest.raises(ValueError):
        string("x", language='de" } DROP ALL #')


def test_prefix_declarations() -> None:
    assert prefix_declarations({"rdfs": RDFS}) == f"PREFIX rdfs: <{RDFS}>\n"
    with pytest.raises(ValueError):
        prefix_declarations({"a: <urn:x> DROP": RDFS})
    with pytest.raises(ValueError):
        prefix_declarations({"ex": "urn:x> DROP ALL"})


# -- aqb-rdf link --------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_STRINGS)
def test_a_hostile_organisation_name_is_looked_up_as_it_is(name: str) -> None:
    store = pyoxigraph.Store()
    label = NamedNode(RDFS + "label")
    store.add(
        Quad(NamedNode("http://www.wikidata.org/entity/Q1"), label, Literal(name, language="de"))
    )
    store.add(
        Quad(NamedNode("http://www.wikidata.org/entity/Q2"), label, Literal("x", language="de"))
    )
    query = reconcile.organisations_query([name, "another"])
    for reading in (query, unescape(query)):
        solutions = store.query(reading, use_default_graph_as_union=True)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        assert [(row["item"].value, row["name"]) for row in solutions] == [
            ("http://www.wikidata.org/entity/Q1", Literal(name, language="de"))
        ]


def test_a_hostile_district_key_is_looked_up_as_it_is() -> None:
    query = reconcile.regions_query(['06413" } } ; DROP ALL ; #'])
    solutions = pyoxigraph.Store().query(query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    assert list(solutions) == []


# -- aqb-rdf push ----------------------------------------------------------------------------

EX = "https://aqb-rdf.example/"


@pytest.fixture(scope="module")
def filled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stores.Store]:
    """The Oxigraph server on loopback with one graph of one triple."""
    with stores.oxigraph(tmp_path_factory.mktemp("oxigraph") / "data") as running:
        with HttpStore(running.query, update=running.update) as store:
            triple = pyoxigraph.Triple(NamedNode(EX + "s"), NamedNode(EX + "p"), Literal("o"))
            store.replace_graph(LocalGraph(EX + "graph/g", (triple,)))
        yield running


@pytest.mark.parametrize("name", HOSTILE_IRIS)
def test_push_refuses_a_graph_name_that_is_no_iri(filled_store: stores.Store, name: str) -> None:
    with HttpStore(filled_store.query, update=filled_store.update) as store:
        with pytest.raises(PushError, match="not an IRI"):
            store.delete_graph(name)
        with pytest.raises(PushError, match="not an IRI"):
            store.graph_triples(name)
        assert store.graph_sizes(EX) == {EX + "graph/g": 1}


@pytest.mark.parametrize("namespace", HOSTILE_STRINGS)
def test_a_hostile_namespace_lists_no_graph(filled_store: stores.Store, namespace: str) -> None:
    with HttpStore(filled_store.query, update=filled_store.update) as store:
        assert store.graph_sizes(namespace) == {}
        assert store.graph_sizes(EX) == {EX + "graph/g": 1}


def test_the_store_is_written_through_the_same_terms(filled_store: stores.Store) -> None:
    with HttpStore(filled_store.query, update=filled_store.update) as store:
        assert [t.object for t in store.graph_triples(EX + "graph/g")] == [Literal("o")]
