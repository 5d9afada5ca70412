"""The named graphs of a release's TriG dump, one at a time, and their comparison.

The build writes ``aqb.trig`` with one named graph per agreement plus ``{base}graph/reference``
and ``{base}graph/ontology``, each as one block. :func:`read_graphs` streams them, so memory
holds one graph, whatever the size of the dataset. :func:`canonical_triples` makes two graphs
comparable as sets: blank nodes renamed canonically (`RDFC-1.0
<https://www.w3.org/TR/rdf-canon/>`_, stable across runs) and numbers by their value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
)

from aqb_rdf.errors import AqbError, first_line
from aqb_rdf.rdf.namespaces import XSD
from aqb_rdf.rdf.terms import INTEGER_DATATYPES, canonical_decimal


@dataclass(frozen=True)
class LocalGraph:
    """One named graph of the release: its IRI and its triples."""

    iri: str
    triples: tuple[Triple, ...]

    @property
    def has_blank_nodes(self) -> bool:
        return has_blank_nodes(self.triples)


def has_blank_nodes(triples: Iterable[Triple]) -> bool:
    """Whether any of ``triples`` has a blank node (the build writes no quoted triples)."""
    return any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples)


def read_graphs(dump: Path) -> Iterator[LocalGraph]:
    """Stream the named graphs of a TriG file, one at a time, in file order.

    Raises:
        AqbError: the file is not valid TriG, has triples in the default graph, or names a
            graph in two separate blocks (the build writes each graph as one block).
    """
    seen: set[str] = set()
    current: str | None = None
    triples: list[Triple] = []
    try:
        for quad in parse(path=dump, format=RdfFormat.TRIG):
            name = quad.graph_name
            if isinstance(name, DefaultGraph) or not isinstance(name, NamedNode):
                raise AqbError("has triples outside a named graph; a release has none",
                               str(dump))  # fmt: skip
            if name.value != current:
                if current is not None:
                    yield LocalGraph(current, tuple(triples))
                if name.value in seen:
                    raise AqbError(f"graph <{name.value}> appears in two blocks", str(dump))
                seen.add(name.value)
                current, triples = name.value, []
            triples.append(quad.triple)
    except SyntaxError as error:
        raise AqbError(f"not valid TriG: {first_line(error)}", str(dump)) from None
    except OSError as error:
        raise AqbError(f"cannot be read: {error.strerror or error}", str(dump)) from None
    if current is not None:
        yield LocalGraph(current, tuple(triples))


def canonical_number(literal: Literal) -> Literal:
    """A numeric literal in the form stores give back: its value, not its spelling.

    Stores keep numbers as values: Virtuoso and Oxigraph return ``"1011410.00"^^xsd:decimal``
    as ``"1011410"``, and Oxigraph returns every integer type as ``xsd:integer``. So integers
    become ``xsd:integer`` and decimals lose trailing zeros; other literals stay as they are.
    """
    datatype = literal.datatype.value
    try:
        if datatype in INTEGER_DATATYPES:
            return Literal(str(int(literal.value.strip())), datatype=NamedNode(XSD + "integer"))
        if datatype == XSD + "decimal":
            value = Decimal(literal.value.strip())
            return Literal(canonical_decimal(value), datatype=literal.datatype)
    except (ValueError, InvalidOperation):
        pass  # an ill-typed literal stays as written
    return literal


def canonical_triples(triples: Iterable[Triple]) -> frozenset[Triple]:
    """``triples`` as a set two isomorphic graphs share: numbers by value, blank nodes renamed
    by RDFC-1.0 (the same labels for the same graph in every run)."""
    canonical = frozenset(
        Triple(t.subject, t.predicate, canonical_number(t.object))
        if isinstance(t.object, Literal) else t
        for t in triples
    )  # fmt: skip
    if not has_blank_nodes(canonical):
        return canonical
    dataset = Dataset(Quad(t.subject, t.predicate, t.object) for t in canonical)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset(q.triple for q in dataset)


def graph_digest(triples: Iterable[Triple]) -> str:
    """A digest that is equal for two graphs exactly when they are isomorphic.

    Blank nodes are renamed canonically first, numbers are compared by value
    (:func:`canonical_number`), and duplicates count once.
    """
    digest = hashlib.sha256()
    for line in sorted(str(t) for t in canonical_triples(triples)):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()
