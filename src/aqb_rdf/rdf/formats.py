"""The file and media formats aqb-rdf reads and writes, each defined once (pure).

A :class:`Format` ties together what each part of the code calls a format: the media type
(HTTP, DCAT ``mediaType``), the file extension, pyoxigraph's :class:`~pyoxigraph.RdfFormat`
or :class:`~pyoxigraph.QueryResultsFormat`, rdflib's format name, the W3C format IRI (the
SPARQL service description) and the EU file type (DCAT ``format``). Content negotiation
(:mod:`aqb_rdf.web.negotiation`), the SPARQL workers, the Linked-Data answers, the published
files and ``aqb-rdf push`` take their formats from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pyoxigraph import QueryResultsFormat, RdfFormat

from aqb_rdf.rdf.namespaces import EU_AUTHORITY, FORMATS, IANA_MEDIA_TYPES


@dataclass(frozen=True)
class Format:
    """One format.

    Attributes:
        media_type: the media type without parameters, e.g. ``text/turtle``.
        extension: the usual file extension without the dot, e.g. ``ttl``.
        text: whether it is text that names no encoding itself; served with
            ``; charset=utf-8`` (JSON and JSON-LD are UTF-8 by definition).
        rdf: pyoxigraph's RDF format, if it is one.
        results: pyoxigraph's SPARQL results format, if it is one.
        rdflib: rdflib's name for ``Graph.serialize`` and ``parse``, if rdflib has one.
        w3c: the local name of its IRI in the W3C formats namespace, if it has one.
        eu_file_type: its code in the EU file-type table, if it is a published file's format.
        label: its name for people, e.g. ``Turtle``.
    """

    media_type: str
    extension: str
    text: bool = True
    rdf: RdfFormat | None = None
    results: QueryResultsFormat | None = None
    rdflib: str | None = None
    w3c: str | None = None
    eu_file_type: str | None = None
    label: str = ""

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` of a file in this format (with the charset of text)."""
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type

    @property
    def w3c_iri(self) -> str | None:
        """Its IRI in the W3C formats namespace (``formats:Turtle`` and the like)."""
        return FORMATS + self.w3c if self.w3c else None

    @property
    def eu_file_type_iri(self) -> str | None:
        """The format's IRI in the EU file-type table (``…/file-type/RDF_TURTLE``)."""
        return f"{EU_AUTHORITY}file-type/{self.eu_file_type}" if self.eu_file_type else None

    @property
    def iana_iri(self) -> str:
        """The media type's IRI in IANA's registry."""
        return IANA_MEDIA_TYPES + self.media_type


TURTLE: Final = Format("text/turtle", "ttl", rdf=RdfFormat.TURTLE, rdflib="turtle",
                       w3c="Turtle", eu_file_type="RDF_TURTLE", label="Turtle")  # fmt: skip
N_TRIPLES: Final = Format("application/n-triples", "nt", rdf=RdfFormat.N_TRIPLES, rdflib="nt",
                          w3c="N-Triples", eu_file_type="RDF_N_TRIPLES", label="N-Triples")  # fmt: skip
JSON_LD: Final = Format("application/ld+json", "jsonld", text=False, rdf=RdfFormat.JSON_LD,
                        rdflib="json-ld", w3c="JSON-LD", eu_file_type="JSON_LD", label="JSON-LD")  # fmt: skip
TRIG: Final = Format("application/trig", "trig", rdf=RdfFormat.TRIG, rdflib="trig",
                     w3c="TriG", eu_file_type="RDF_TRIG", label="TriG")  # fmt: skip
N_QUADS: Final = Format("application/n-quads", "nq", rdf=RdfFormat.N_QUADS, rdflib="nquads",
                        w3c="N-Quads", label="N-Quads")  # fmt: skip
RDF_XML: Final = Format("application/rdf+xml", "rdf", rdf=RdfFormat.RDF_XML, rdflib="xml",
                        w3c="RDF_XML", label="RDF/XML")  # fmt: skip
CSV: Final = Format("text/csv", "csv", eu_file_type="CSV")
CSVW_METADATA: Final = Format("application/csvm+json", "json", text=False, label="CSVW")
"""The metadata of a CSV table (CSV on the Web, its media type from the CSVW metadata spec)."""
RESULTS_JSON: Final = Format("application/sparql-results+json", "srj", text=False,
                             results=QueryResultsFormat.JSON, w3c="SPARQL_Results_JSON")  # fmt: skip
RESULTS_XML: Final = Format("application/sparql-results+xml", "srx", text=False,
                            results=QueryResultsFormat.XML, w3c="SPARQL_Results_XML")  # fmt: skip
RESULTS_CSV: Final = Format("text/csv", "csv", results=QueryResultsFormat.CSV,
                            w3c="SPARQL_Results_CSV")  # fmt: skip
RESULTS_TSV: Final = Format("text/tab-separated-values", "tsv", results=QueryResultsFormat.TSV,
                            w3c="SPARQL_Results_TSV")  # fmt: skip
JSON: Final = Format("application/json", "json", text=False)
SQLITE: Final = Format("application/vnd.sqlite3", "sqlite", text=False, label="SQLite")
SPARQL_QUERY: Final = Format("application/sparql-query", "rq")
SPARQL_UPDATE: Final = Format("application/sparql-update", "ru")
HTML: Final = Format("text/html", "html")
CSS: Final = Format("text/css", "css")
JAVASCRIPT: Final = Format("text/javascript", "js")
SVG: Final = Format("image/svg+xml", "svg")
XML: Final = Format("application/xml", "xml")

GRAPH_FORMATS: Final = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
"""What a CONSTRUCT, a DESCRIBE or a Linked-Data resource can be answered in, default first."""
RESULTS_FORMATS: Final = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
"""What SELECT and ASK results can be answered in, default first."""

RDF_BY_MEDIA_TYPE: Final[Mapping[str, Format]] = {
    f.media_type: f for f in (TURTLE, N_TRIPLES, JSON_LD, TRIG, N_QUADS, RDF_XML)
}
"""The RDF formats by media type."""
