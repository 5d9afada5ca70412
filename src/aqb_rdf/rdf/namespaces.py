"""The vocabularies aqb-rdf uses, and the prefixes every output binds (pure)."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

ORG = Namespace("http://www.w3.org/ns/org#")
CPOV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("http://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

STANDARD_PREFIXES: dict[str, Namespace] = {
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "org": ORG,
    "cpov": CPOV,
    "schema": SCHEMA,
}


def bind_prefixes(graph: Graph, own: dict[str, str]) -> Graph:
    """Bind the standard prefixes and ``own`` (prefix → namespace IRI) on ``graph``."""
    for prefix, namespace in {**STANDARD_PREFIXES, **own}.items():
        graph.bind(prefix, str(namespace), override=True, replace=True)
    return graph
