"""A description read from the engine's N-Triples says what one made of terms says
(:class:`aqb_rdf.web.render.description.Description`), in the same order."""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, parse

from aqb_rdf.sparql.execution import QueryRequest, execute
from aqb_rdf.sparql.named_queries import bind
from aqb_rdf.sparql.store import find_query
from aqb_rdf.web.render.description import Description

BASE = "https://aqb-rdf.example/"
AGREEMENT = BASE + "id/zielvereinbarung/2025/06413"
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PART = NamedNode(BASE + "def/aqb#teil")
OF = NamedNode(BASE + "def/aqb#zielvereinbarung")


def store() -> Store:
    """An agreement with parts numbered 1–12 (…/10 sorts after …/9), a blank node, literals
    with a language, a datatype and characters N-Triples escapes, and things linking to it."""
    agreement = NamedNode(AGREEMENT)
    found = Store()
    triples: list[tuple[NamedNode | BlankNode, NamedNode, NamedNode | BlankNode | Literal]] = [
        (agreement, LABEL, Literal("Zielvereinbarung 2025", language="de"))
    ]
    triples.append((agreement, LABEL, Literal('Ziel "quoted"\nnext line \u00e4')))
    for number in range(1, 13):
        part = NamedNode(f"{AGREEMENT}/teil/{number}")
        triples += [(agreement, PART, part), (part, LABEL, Literal(str(number)))]
        triples.append((NamedNode(f"{AGREEMENT}/fundstelle/{number}"), OF, agreement))
    node = BlankNode("b1")
    triples += [(agreement, PART, node), (node, LABEL, Literal("1.5", datatype=NamedNode(
        "http://www.w3.org/2001/XMLSchema#decimal")))]  # fmt: skip
    found.extend(Quad(s, p, o) for s, p, o in triples)
    return found


def description_body(iri: str) -> bytes:
    sparql = bind(find_query("describe-resource"), {"resource": iri})
    return execute(store(), QueryRequest(sparql, "application/n-triples"), 10**7, False).body


@pytest.mark.parametrize("iri", [AGREEMENT, AGREEMENT + "/teil/10", AGREEMENT + "/fundstelle/3"])
def test_the_lines_give_the_same_description(iri: str) -> None:
    body = description_body(iri)
    terms = Description(iri, [quad.triple for quad in parse(body, RdfFormat.N_TRIPLES)])
    lines = Description.of_ntriples(iri, body)
    assert lines.found and terms.found
    assert len(lines) == len(terms) > 3
    assert lines.ordered() == terms.ordered()  # the order the RDF answers are written in
    assert lines.described() == terms.described()
    assert lines.label(NamedNode(iri), "de") == terms.label(NamedNode(iri), "de")


def test_the_resource_comes_first_and_numbers_in_natural_order() -> None:
    ordered = Description.of_ntriples(AGREEMENT, description_body(AGREEMENT)).ordered()
    subjects = list(dict.fromkeys(t.subject for t in ordered))
    assert subjects[0] == NamedNode(AGREEMENT)
    parts = [s.value for s in subjects if isinstance(s, NamedNode) and "/teil/" in s.value]
    assert parts == [f"{AGREEMENT}/teil/{n}" for n in range(1, 13)]
    assert isinstance(subjects[-1], BlankNode)  # blank nodes after the IRIs


def test_an_unknown_resource_is_not_found() -> None:
    unknown = BASE + "id/zielvereinbarung/1999/00000"
    described = Description.of_ntriples(unknown, description_body(unknown))
    assert not described.found and len(described) == 0 and described.ordered() == []
    # Found as the object of a triple only: a thing only linked to.
    linked = f"<{AGREEMENT}/fundstelle/1> <{OF.value}> <{unknown}> .\n".encode()
    assert Description.of_ntriples(unknown, linked).found
