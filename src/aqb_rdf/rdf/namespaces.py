"""Every vocabulary aqb-rdf names, defined once, and the prefixes every output binds (pure).

Each vocabulary is one :class:`Vocabulary`, a ``str`` that works like an
:class:`rdflib.Namespace`, so the same definition serves rdflib and pyoxigraph:
``XSD.integer`` and ``XSD["integer"]`` are rdflib :class:`~rdflib.URIRef` terms, while
``XSD + "integer"`` is the plain string that ``pyoxigraph.NamedNode`` takes and that compares
equal to a pyoxigraph term's ``.value``. (A ``URIRef`` never compares equal to a ``str``, which
is why the pyoxigraph side concatenates.) rdflib is imported only when a term is asked for:
the SPARQL worker processes use the strings and start without rdflib (it takes them from
0.1 s to 1 s).

No other module of ``src/`` writes one of these IRIs out; ``tests/test_namespaces.py``
checks that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rdflib import Graph, URIRef


_TERMS: dict[str, URIRef] = {}
"""The terms :meth:`Vocabulary.term` has made, by IRI."""
_MAX_TERMS: Final = 10_000


class Vocabulary(str):
    """A namespace IRI: ``+`` gives plain strings, ``.name`` and ``[name]`` rdflib terms."""

    __slots__ = ()

    def term(self, name: str) -> URIRef:
        """The rdflib IRI of ``name`` in this vocabulary (one object per IRI: making a
        ``URIRef`` checks the IRI in Python, and the mapping asks for 285 terms per
        agreement; a dictionary finds a term that is the same object without comparing it,
        which is Python code for rdflib's terms)."""
        iri = str.__add__(self, name)
        found = _TERMS.get(iri)
        if found is None:
            from rdflib import URIRef  # here, not at the top: see the module docstring

            found = URIRef(iri)
            if len(_TERMS) < _MAX_TERMS:  # a name can come from outside: keep the cache bounded
                _TERMS[iri] = found
        return found

    def __getitem__(self, name: str) -> URIRef:  # type: ignore[override]  # as rdflib's
        return self.term(name)

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and the like ask for special methods
            raise AttributeError(name)
        return self.term(name)

    def __repr__(self) -> str:
        return f"Vocabulary({str(self)!r})"


RDF: Final = Vocabulary("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS: Final = Vocabulary("http://www.w3.org/2000/01/rdf-schema#")
OWL: Final = Vocabulary("http://www.w3.org/2002/07/owl#")
XSD: Final = Vocabulary("http://www.w3.org/2001/XMLSchema#")
SKOS: Final = Vocabulary("http://www.w3.org/2004/02/skos/core#")
SKOSXL: Final = Vocabulary("http://www.w3.org/2008/05/skos-xl#")
"""SKOS eXtension for Labels (SKOS Reference, appendix B): a name as a resource of its own,
here with the period an organisation bore it."""
DCTERMS: Final = Vocabulary("http://purl.org/dc/terms/")
PROV: Final = Vocabulary("http://www.w3.org/ns/prov#")
ORG: Final = Vocabulary("http://www.w3.org/ns/org#")
CPOV: Final = Vocabulary("http://data.europa.eu/m8g/")
SCHEMA: Final = Vocabulary("http://schema.org/")
SH: Final = Vocabulary("http://www.w3.org/ns/shacl#")
VANN: Final = Vocabulary("http://purl.org/vocab/vann/")
VOID: Final = Vocabulary("http://rdfs.org/ns/void#")
DCAT: Final = Vocabulary("http://www.w3.org/ns/dcat#")
DCATDE: Final = Vocabulary("http://dcat-ap.de/def/dcatde/")
FOAF: Final = Vocabulary("http://xmlns.com/foaf/0.1/")
SPDX: Final = Vocabulary("http://spdx.org/rdf/terms#")
QB: Final = Vocabulary("http://purl.org/linked-data/cube#")
"""The W3C RDF Data Cube vocabulary (the budgets as a statistical data set)."""
ADMS: Final = Vocabulary("http://www.w3.org/ns/adms#")
"""The Asset Description Metadata Schema (``adms:versionNotes`` of a release)."""
OA: Final = Vocabulary("http://www.w3.org/ns/oa#")
"""The W3C Web Annotation vocabulary (selectors of a Fundstelle)."""
HYDRA: Final = Vocabulary("http://www.w3.org/ns/hydra/core#")
SD: Final = Vocabulary("http://www.w3.org/ns/sparql-service-description#")
FORMATS: Final = Vocabulary("http://www.w3.org/ns/formats/")
"""The W3C's IRIs of RDF and result formats (``formats:Turtle``)."""
EU_AUTHORITY: Final = Vocabulary("http://publications.europa.eu/resource/authority/")
"""The EU Publications Office's authority tables (languages, themes, file types …)."""
IANA_MEDIA_TYPES: Final = Vocabulary("https://www.iana.org/assignments/media-types/")
"""IANA's media-type registry; ``IANA_MEDIA_TYPES + "text/turtle"`` names a media type."""
WDT: Final = Vocabulary("http://www.wikidata.org/prop/direct/")
"""Wikidata's best-rank statements (``wdt:P440``)."""
CSVW: Final = Vocabulary("http://www.w3.org/ns/csvw#")
"""W3C's CSV on the Web vocabulary."""
CSVW_CONTEXT: Final = "http://www.w3.org/ns/csvw"
"""The ``@context`` of a CSV on the Web metadata file (CSVW metadata §4)."""

RDF_TYPE: Final = RDF + "type"
"""``rdf:type`` as a plain string, for pyoxigraph."""
RDF_LANG_STRING: Final = RDF + "langString"
XSD_STRING: Final = XSD + "string"

VOCABULARIES: Final[Mapping[str, Vocabulary]] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "skosxl": SKOSXL,
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
    "adms": ADMS,
    "qb": QB,
    "oa": OA,
    "hydra": HYDRA,
    "sd": SD,
    "formats": FORMATS,
    "eu": EU_AUTHORITY,
    "iana": IANA_MEDIA_TYPES,
    "wdt": WDT,
    "csvw": CSVW,
}
"""Every vocabulary above by its usual prefix."""

STANDARD_PREFIXES: Final[Mapping[str, Vocabulary]] = {
    prefix: VOCABULARIES[prefix]
    for prefix in (
        "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "org", "cpov", "schema",
        "dcat", "spdx", "oa", "skosxl",
    )
}  # fmt: skip
"""The prefixes every output binds, in this order."""


def bind_prefixes(graph: Graph, own: dict[str, str]) -> Graph:
    """Bind the standard prefixes and ``own`` (prefix → namespace IRI) on ``graph``."""
    for prefix, namespace in {**STANDARD_PREFIXES, **own}.items():
        graph.bind(prefix, str(namespace), override=True, replace=True)
    return graph
