"""The formats (rdf/formats.py): one table that agrees with pyoxigraph, rdflib and its users."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from aqb_rdf.rdf import formats
from aqb_rdf.rdf.formats import Format
from aqb_rdf.sparql.execution import GRAPH_FORMATS, SOLUTIONS_FORMATS
from aqb_rdf.web import negotiation
from aqb_rdf.web.views.resource import RDF_FORMATS

RDF = [f for f in vars(formats).values() if isinstance(f, Format) and f.rdf is not None]
RESULTS = [f for f in vars(formats).values() if isinstance(f, Format) and f.results is not None]


def test_the_table_has_every_rdf_and_results_format() -> None:
    assert {f.extension for f in RDF} == {"ttl", "nt", "jsonld", "trig", "nq", "rdf"}
    assert {f.extension for f in RESULTS} == {"srj", "srx", "csv", "tsv"}


@pytest.mark.parametrize("form", RDF, ids=lambda f: f.extension)
def test_an_rdf_format_agrees_with_pyoxigraph(form: Format) -> None:
    assert form.rdf is not None
    assert form.rdf.media_type == form.media_type
    assert form.rdf.file_extension == form.extension
    assert pyoxigraph.RdfFormat.from_media_type(form.media_type) == form.rdf
    assert form.label == form.rdf.name


@pytest.mark.parametrize("form", RESULTS, ids=lambda f: f.extension)
def test_a_results_format_agrees_with_pyoxigraph(form: Format) -> None:
    assert form.results is not None
    assert form.results.media_type.split(";")[0] == form.media_type
    assert form.results.file_extension == form.extension
    assert form.w3c_iri == form.results.iri


@pytest.mark.parametrize("form", RDF, ids=lambda f: f.extension)
def test_rdflib_writes_what_pyoxigraph_reads_under_the_same_format(form: Format) -> None:
    assert form.rdflib is not None and form.rdf is not None
    graph = Dataset() if form.rdf.supports_datasets else Graph()
    graph.add((URIRef("urn:s"), URIRef("urn:p"), Literal("Groß-Gerau", lang="de")))
    body = graph.serialize(format=form.rdflib, encoding="utf-8")
    quads = list(pyoxigraph.parse(body, format=form.rdf))
    assert [(q.subject.value, q.predicate.value, q.object) for q in quads] == [
        ("urn:s", "urn:p", pyoxigraph.Literal("Groß-Gerau", language="de"))
    ]


def test_w3c_iris() -> None:
    assert formats.TURTLE.w3c_iri == "http://www.w3.org/ns/formats/Turtle"
    # The service description keeps the IRI the W3C formats page lists for JSON-LD.
    assert formats.JSON_LD.w3c_iri == "http://www.w3.org/ns/formats/JSON-LD"
    assert formats.CSV.w3c_iri is None


def test_content_types_name_the_charset_of_text() -> None:
    assert formats.TURTLE.content_type == "text/turtle; charset=utf-8"
    assert formats.JSON_LD.content_type == "application/ld+json"
    assert formats.TRIG.eu_file_type_iri == (
        "http://publications.europa.eu/resource/authority/file-type/RDF_TRIG"
    )
    assert formats.CSV.iana_iri == "https://www.iana.org/assignments/media-types/text/csv"


def test_the_users_take_their_formats_from_the_table() -> None:
    graph_types = [f.media_type for f in formats.GRAPH_FORMATS]
    result_types = [f.media_type for f in formats.RESULTS_FORMATS]
    assert [o.media_type for o in negotiation.RDF_OFFERS] == graph_types
    assert [o.media_type for o in negotiation.RESULT_OFFERS] == result_types
    assert [o.format_iri for o in negotiation.RDF_OFFERS] == [
        f.w3c_iri for f in formats.GRAPH_FORMATS
    ]
    assert list(GRAPH_FORMATS) == graph_types == list(RDF_FORMATS)
    assert list(SOLUTIONS_FORMATS) == result_types
    assert [GRAPH_FORMATS[f.media_type] for f in formats.GRAPH_FORMATS] == [
        f.rdf for f in formats.GRAPH_FORMATS
    ]
