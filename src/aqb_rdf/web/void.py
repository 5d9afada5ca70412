"""The VoID description of the dataset, served at ``/.well-known/void`` (pure).

`VoID <https://www.w3.org/TR/void/>`_ §7.2 names ``/.well-known/void`` as the place where a
site describes its datasets. Ours: one ``void:Dataset`` with its SPARQL endpoint, a
``void:dataDump`` per RDF download, the number of triples, example resources, the URI space
(the base IRI) and the vocabularies used. Locations (endpoint, dumps) are this server's URLs;
the dataset and its resources keep their IRIs under the base.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from .description import DCTERMS, RDF_TYPE, XSD

VOID = "http://rdfs.org/ns/void#"
RDF_DUMPS = ("aqb.ttl", "aqb.nt", "aqb.jsonld", "aqb.trig")
"""The downloads that are RDF (``aqb.csv`` and ``context.jsonld`` are not)."""


@dataclass(frozen=True)
class DatasetFacts:
    """What the VoID description states.

    Attributes:
        base: the base IRI of the dataset.
        server: this server's root URL, ending in ``/``.
        triples: the number of triples in the release.
        examples: IRIs of typical resources.
        vocabularies: namespaces the data uses.
    """

    base: str
    server: str
    triples: int
    examples: Sequence[str]
    vocabularies: Sequence[str]


def dataset_iri(base: str) -> str:
    """The IRI of the dataset: ``{base}.well-known/void#dataset``."""
    return f"{base}.well-known/void#dataset"


def void_triples(facts: DatasetFacts) -> list[Triple]:
    """The VoID description as triples."""
    dataset = NamedNode(dataset_iri(facts.base))

    def says(predicate: str, obj: NamedNode | Literal) -> Triple:
        return Triple(dataset, NamedNode(predicate), obj)

    triples = [
        says(RDF_TYPE, NamedNode(VOID + "Dataset")),
        says(
            DCTERMS + "title",
            Literal(
                "Ausbildungs- und Qualifizierungsbudget Hessen: Zielvereinbarungen", language="de"
            ),
        ),
        says(
            DCTERMS + "title",
            Literal("Hessian training and qualification budget: target agreements", language="en"),
        ),
        says(
            DCTERMS + "description",
            Literal(
                "Die jährlichen Zielvereinbarungen des hessischen Arbeitsministeriums mit den"
                " Landkreisen und kreisfreien Städten über das AQB, mit Budget, Maßnahmenarten,"
                " Projekten, Unterzeichnungen und der Fundstelle jeder Angabe.",
                language="de",
            ),
        ),
        says(
            DCTERMS + "description",
            Literal(
                "The yearly target agreements of the Hessian labour ministry with the districts"
                " and district-free cities on the AQB, with budget, measure types, projects,"
                " signatures and where each fact stands in its source document.",
                language="en",
            ),
        ),
        says(VOID + "sparqlEndpoint", NamedNode(f"{facts.server}sparql")),
        says(VOID + "uriSpace", Literal(facts.base)),
        says(VOID + "triples", Literal(str(facts.triples), datatype=NamedNode(XSD + "integer"))),
    ]
    triples += [
        says(VOID + "dataDump", NamedNode(f"{facts.server}download/{name}")) for name in RDF_DUMPS
    ]
    triples += [says(VOID + "exampleResource", NamedNode(iri)) for iri in facts.examples]
    triples += [says(VOID + "vocabulary", NamedNode(iri)) for iri in facts.vocabularies]
    return triples
