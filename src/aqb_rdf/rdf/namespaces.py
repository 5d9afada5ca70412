"""Every vocabulary aqb-rdf names, defined once, and the prefixes every output binds (pure).

Each vocabulary is one :class:`rdflib.Namespace`. A namespace is a plain ``str`` as well, so
the same definition serves rdflib and pyoxigraph: ``XSD.integer`` and ``XSD["integer"]`` are
rdflib :class:`~rdflib.URIRef` terms, while ``XSD + "integer"`` is the plain string that
``pyoxigraph.NamedNode`` takes and that compares equal to a pyoxigraph term's ``.value``. (A
``URIRef`` never compares equal to a ``str``, which is why the pyoxigraph side concatenates.)

No other module of ``src/`` writes one of these IRIs out; ``tests/test_namespaces.py``
checks that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from rdflib import Graph, Namespace

RDF: Final = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS: Final = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL: Final = Namespace("http://www.w3.org/2002/07/owl#")
XSD: Final = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS: Final = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS: Final = Namespace("http://purl.org/dc/terms/")
PROV: Final = Namespace("http://www.w3.org/ns/prov#")
ORG: Final = Namespace("http://www.w3.org/ns/org#")
CPOV: Final = Namespace("http://data.europa.eu/m8g/")
SCHEMA: Final = Namespace("http://schema.org/")
SH: Final = Namespace("http://www.w3.org/ns/shacl#")
VANN: Final = Namespace("http://purl.org/vocab/vann/")
VOID: Final = Namespace("http://rdfs.org/ns/void#")
DCAT: Final = Namespace("http://www.w3.org/ns/dcat#")
DCATDE: Final = Namespace("http://dcat-ap.de/def/dcatde/")
FOAF: Final = Namespace("http://xmlns.com/foaf/0.1/")
SPDX: Final = Namespace("http://spdx.org/rdf/terms#")
HYDRA: Final = Namespace("http://www.w3.org/ns/hydra/core#")
SD: Final = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS: Final = Namespace("http://www.w3.org/ns/formats/")
"""The W3C's IRIs of RDF and result formats (``formats:Turtle``)."""
EU_AUTHORITY: Final = Namespace("http://publications.europa.eu/resource/authority/")
"""The EU Publications Office's authority tables (languages, themes, file types …)."""
IANA_MEDIA_TYPES: Final = Namespace("https://www.iana.org/assignments/media-types/")
"""IANA's media-type registry; ``IANA_MEDIA_TYPES + "text/turtle"`` names a media type."""
WDT: Final = Namespace("http://www.wikidata.org/prop/direct/")
"""Wikidata's best-rank statements (``wdt:P440``)."""

RDF_TYPE: Final = RDF + "type"
"""``rdf:type`` as a plain string, for pyoxigraph."""
RDF_LANG_STRING: Final = RDF + "langString"
XSD_STRING: Final = XSD + "string"

VOCABULARIES: Final[Mapping[str, Namespace]] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "cpov": CPOV,
    "schema": SCHEMA,
    "sh": SH,
    "vann": VANN,
    "void": VOID,
    "dcat": DCAT,
    "dcatde": DCATDE,
    "foaf": FOAF,
    "spdx": SPDX,
    "hydra": HYDRA,
    "sd": SD,
    "formats": FORMATS,
    "eu": EU_AUTHORITY,
    "iana": IANA_MEDIA_TYPES,
    "wdt": WDT,
}
"""Every vocabulary above by its usual prefix."""

STANDARD_PREFIXES: Final[Mapping[str, Namespace]] = {
    prefix: VOCABULARIES[prefix]
    for prefix in ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "org", "cpov", "schema")
}
"""The prefixes every output binds, in this order."""


def bind_prefixes(graph: Graph, own: dict[str, str]) -> Graph:
    """Bind the standard prefixes and ``own`` (prefix → namespace IRI) on ``graph``."""
    for prefix, namespace in {**STANDARD_PREFIXES, **own}.items():
        graph.bind(prefix, str(namespace), override=True, replace=True)
    return graph
