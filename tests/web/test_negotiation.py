"""Content negotiation (aqb_rdf.web.negotiation): a table of real and edge-case requests.

The client headers are copied from the clients themselves:

* browsers: the ``Accept`` of a top-level navigation in Firefox (128+, and 92–127 with the
  image types), Chrome, Safari;
* SPARQLWrapper 2.0.0, ``Wrapper.py``: ``_getAcceptHeader`` joins ``_SPARQL_JSON``,
  ``_SPARQL_XML``, ``_CSV``, ``_TSV``, ``_RDF_TURTLE``, ``_RDF_N3``, ``_RDF_XML``,
  ``_RDF_JSONLD`` with ``,``; ``_getRequestEncodedParameters`` sends ``format=<returnFormat>``
  (and ``output``/``results``), for tsv, json-ld and rdf+xml a second ``format`` with the media
  type; the first value counts (see test_protocol.py);
* rdflib 7 ``SPARQLConnector.response_mime_types`` (SPARQLStore): the media types of the result
  parsers for ``returnFormat`` joined with ``", "`` from a set, so in either order;
* curl, wget, httpx and requests send ``*/*``; Python's urllib sends no ``Accept``.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqb_rdf.web.negotiation import (
    HTML,
    JSON_LD,
    N_TRIPLES,
    PAGE_OFFERS,
    RDF_OFFERS,
    RDF_XML,
    RESULT_OFFERS,
    RESULTS_CSV,
    RESULTS_JSON,
    RESULTS_TSV,
    RESULTS_XML,
    TURTLE,
    MediaRange,
    NotAcceptable,
    Offer,
    choose,
    parse_accept,
    wants_page,
)

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FIREFOX_IMAGES = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
)
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CURL = "*/*"

SW_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
SW_XML = "application/sparql-results+xml"
SW_CSV = "text/csv"
SW_TSV = "text/tab-separated-values"
SW_TURTLE = "application/turtle,text/turtle"
SW_N3 = "application/turtle,text/turtle,text/rdf+n3,application/n-triples,application/n3,text/n3"
SW_RDFXML = "application/rdf+xml"
SW_JSONLD = "application/ld+json,application/x-json+ld"

STORE_XML = "application/sparql-results+xml, application/rdf+xml"
STORE_XML_REVERSED = "application/rdf+xml, application/sparql-results+xml"
STORE_JSON = "application/sparql-results+json"

TABLES = {
    "results": (RESULT_OFFERS, RESULTS_JSON),
    "rdf": (RDF_OFFERS, TURTLE),
    "page": (PAGE_OFFERS, TURTLE),
}

# (id, table, Accept, format parameter, expected offer; None = 406 Not Acceptable)
CASES: list[tuple[str, str, str | None, str | None, Offer | None]] = [
    # Browsers get HTML pages; on the SPARQL endpoint their */*;q=0.8 gets the defaults' order.
    ("firefox-page", "page", FIREFOX, None, HTML),
    ("firefox-images-page", "page", FIREFOX_IMAGES, None, HTML),
    ("chrome-page", "page", CHROME, None, HTML),
    ("safari-page", "page", SAFARI, None, HTML),
    ("chrome-select", "results", CHROME, None, RESULTS_JSON),
    ("chrome-construct", "rdf", CHROME, None, TURTLE),
    # curl & co.: */* is no preference, so the server's order (HTML first for pages).
    ("curl-page", "page", CURL, None, HTML),
    ("curl-select", "results", CURL, None, RESULTS_JSON),
    ("curl-construct", "rdf", CURL, None, TURTLE),
    # No Accept at all (urllib, the W3C protocol tests): the caller's default.
    ("no-accept-page", "page", None, None, TURTLE),
    ("no-accept-select", "results", None, None, RESULTS_JSON),
    ("no-accept-construct", "rdf", None, None, TURTLE),
    ("empty-accept-page", "page", "", None, TURTLE),
    # SPARQLWrapper, Accept only (onlyConneg=True).
    ("sparqlwrapper-json", "results", SW_JSON, None, RESULTS_JSON),
    ("sparqlwrapper-xml", "results", SW_XML, None, RESULTS_XML),
    ("sparqlwrapper-csv", "results", SW_CSV, None, RESULTS_CSV),
    ("sparqlwrapper-tsv", "results", SW_TSV, None, RESULTS_TSV),
    ("sparqlwrapper-turtle", "rdf", SW_TURTLE, None, TURTLE),
    ("sparqlwrapper-n3", "rdf", SW_N3, None, TURTLE),
    ("sparqlwrapper-rdfxml", "rdf", SW_RDFXML, None, RDF_XML),
    ("sparqlwrapper-jsonld", "rdf", SW_JSONLD, None, JSON_LD),
    # SPARQLWrapper by default also sends format=<returnFormat>; it agrees with Accept.
    ("sparqlwrapper-json-param", "results", SW_JSON, "json", RESULTS_JSON),
    ("sparqlwrapper-xml-param", "results", SW_XML, "xml", RESULTS_XML),
    ("sparqlwrapper-csv-param", "results", SW_CSV, "csv", RESULTS_CSV),
    ("sparqlwrapper-tsv-param", "results", SW_TSV, "tsv", RESULTS_TSV),
    ("sparqlwrapper-turtle-param", "rdf", SW_TURTLE, "turtle", TURTLE),
    ("sparqlwrapper-n3-param", "rdf", SW_N3, "n3", TURTLE),
    ("sparqlwrapper-construct-xml-param", "rdf", SW_RDFXML, "xml", RDF_XML),
    ("sparqlwrapper-rdfxml-param", "rdf", SW_RDFXML, "rdf+xml", RDF_XML),
    ("sparqlwrapper-jsonld-param", "rdf", SW_JSONLD, "json-ld", JSON_LD),
    # rdflib's SPARQLStore: one Accept for SELECT and CONSTRUCT, set order varies.
    ("sparqlstore-xml-select", "results", STORE_XML, None, RESULTS_XML),
    ("sparqlstore-xml-select-reversed", "results", STORE_XML_REVERSED, None, RESULTS_XML),
    ("sparqlstore-xml-construct", "rdf", STORE_XML, None, RDF_XML),
    ("sparqlstore-xml-construct-reversed", "rdf", STORE_XML_REVERSED, None, RDF_XML),
    ("sparqlstore-json-select", "results", STORE_JSON, None, RESULTS_JSON),
    ("sparqlstore-json-construct", "rdf", STORE_JSON, None, None),
    # q-values and specificity.
    ("q-prefers-jsonld", "rdf", "text/turtle;q=0.5, application/ld+json;q=0.9", None, JSON_LD),
    ("q-prefers-rdf-over-html", "page", "text/html;q=0.5, text/turtle", None, TURTLE),
    ("equal-q-server-order", "rdf", "application/n-triples, text/turtle", None, TURTLE),
    ("explicit-beats-wildcard", "rdf", "application/rdf+xml, */*", None, RDF_XML),
    ("explicit-beats-wildcard-page", "page", "text/turtle, */*", None, TURTLE),
    ("specific-range-lowers-q", "results", "text/*, text/csv;q=0.2", None, RESULTS_TSV),
    ("subtype-wildcard", "rdf", "application/*", None, JSON_LD),
    ("text-wildcard-page", "page", "text/*", None, HTML),
    (
        "wildcard-low-specific-higher",
        "rdf",
        "*/*;q=0.1, application/n-triples;q=0.5",
        None,
        N_TRIPLES,
    ),
    ("json-alias", "results", "application/json", None, RESULTS_JSON),
    ("json-alias-rdf", "rdf", "application/json", None, JSON_LD),
    ("html-only-on-endpoint", "results", "text/html", None, None),
    ("parameters-ignored", "page", "text/html;level=1;q=0.5, text/turtle;q=0.4", None, HTML),
    (
        "profile-parameter",
        "rdf",
        'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"',
        None,
        JSON_LD,
    ),
    ("case-insensitive", "rdf", "Application/LD+JSON", None, JSON_LD),
    # q=0 excludes.
    ("q0-excludes-turtle", "rdf", "text/turtle;q=0, */*", None, JSON_LD),
    ("q0-excludes-html", "page", "text/html;q=0, */*", None, TURTLE),
    (
        "q0-excludes-exact-not-alias",
        "results",
        "application/sparql-results+json;q=0, application/*",
        None,
        RESULTS_XML,
    ),
    ("q0-everything", "rdf", "*/*;q=0", None, None),
    ("q0-only-offer", "results", "text/csv;q=0", None, None),
    (
        "q0-point-zero",
        "results",
        "text/csv;q=0.000, text/tab-separated-values;q=0.001",
        None,
        RESULTS_TSV,
    ),
    # Malformed headers are skipped, never an error.
    ("malformed-garbage", "rdf", "garbage", None, TURTLE),
    ("malformed-separators", "page", ";;;,,,", None, TURTLE),
    ("malformed-blank", "results", "   ", None, RESULTS_JSON),
    ("malformed-q-text", "rdf", "text/turtle;q=abc, application/ld+json;q=0.5", None, JSON_LD),
    (
        "malformed-q-too-big",
        "rdf",
        "application/n-triples;q=2, application/ld+json;q=0.1",
        None,
        JSON_LD,
    ),
    (
        "malformed-q-negative",
        "rdf",
        "application/n-triples;q=-1, application/rdf+xml;q=0.1",
        None,
        RDF_XML,
    ),
    ("malformed-q-nan", "rdf", "application/n-triples;q=nan", None, TURTLE),
    ("malformed-type-wildcard", "rdf", "*/turtle, application/n-triples;q=0.1", None, N_TRIPLES),
    ("malformed-non-ascii", "rdf", "text/türtle, application/rdf+xml;q=0.1", None, RDF_XML),
    ("malformed-unclosed-quote", "page", 'text/html;x="a,b, text/turtle', None, HTML),
    ("quoted-comma", "page", 'text/turtle;x="a,b";q=0.1, text/html;q=0.2', None, HTML),
    ("malformed-no-subtype", "results", "text/, text/csv;q=0.5", None, RESULTS_CSV),
    # The format parameter beats Accept.
    ("format-beats-accept", "page", CHROME, "ttl", TURTLE),
    ("format-beats-q0", "rdf", "text/turtle;q=0", "turtle", TURTLE),
    ("format-case", "rdf", None, "TTL", TURTLE),
    ("format-media-type", "rdf", None, "application/n-triples", N_TRIPLES),
    ("format-media-type-params", "results", None, "text/csv; charset=utf-8", RESULTS_CSV),
    ("format-html", "page", "text/turtle", "html", HTML),
    ("format-json-page", "page", None, "json", JSON_LD),
    ("format-jsonld", "page", None, "jsonld", JSON_LD),
    ("format-nt", "page", None, "nt", N_TRIPLES),
    ("format-rdf", "page", None, "rdf", RDF_XML),
    ("format-blank-uses-accept", "rdf", "application/n-triples", " ", N_TRIPLES),
    ("format-unknown", "rdf", "text/turtle", "pdf", None),
    ("format-wrong-table", "rdf", None, "csv", None),
    ("format-html-on-endpoint", "results", "text/html", "html", None),
    ("format-json-select", "results", "text/csv", "json", RESULTS_JSON),
]


@pytest.mark.parametrize(
    ("table", "accept", "format_param", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_choose(
    table: str, accept: str | None, format_param: str | None, expected: Offer | None
) -> None:
    offers, default = TABLES[table]
    if expected is None:
        with pytest.raises(NotAcceptable) as raised:
            choose(offers, accept, format_param, default)
        assert raised.value.available == offers
    else:
        assert choose(offers, accept, format_param, default) == expected


def test_the_table_is_large_and_ids_are_unique() -> None:
    ids = [case[0] for case in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 40


def test_not_acceptable_lists_the_available_media_types() -> None:
    with pytest.raises(NotAcceptable) as raised:
        choose(RESULT_OFFERS, "image/png", None, RESULTS_JSON)
    message = str(raised.value)
    assert "\n" not in message
    for offer in RESULT_OFFERS:
        assert offer.media_type in message


def test_unknown_format_is_named_in_one_line() -> None:
    with pytest.raises(NotAcceptable, match="unknown format 'pd\\\\nf'"):
        choose(RDF_OFFERS, None, "pd\nf", TURTLE)


def test_default_must_be_offered() -> None:
    with pytest.raises(ValueError, match="not among the offers"):
        choose(RDF_OFFERS, None, None, HTML)


def test_offers_have_distinct_names_and_media_types_per_table() -> None:
    for offers, _ in TABLES.values():
        names = [name for offer in offers for name in offer.format_names]
        media_types = [media_type for offer in offers for media_type in offer.media_types]
        assert len(names) == len(set(names))
        assert len(media_types) == len(set(media_types))


def test_parse_accept_keeps_well_formed_ranges_in_order() -> None:
    assert parse_accept('text/HTML;level=1, */*;q=0.8, bad, image/*;Q=0.5;x="y,z"') == (
        MediaRange("text", "html", 1.0),
        MediaRange("*", "*", 0.8),
        MediaRange("image", "*", 0.5),
    )
    assert parse_accept(None) == ()


@given(st.text(max_size=300), st.sampled_from(sorted(TABLES)))
def test_any_accept_header_gives_an_offer_or_406(accept: str, table: str) -> None:
    offers, default = TABLES[table]
    try:
        assert choose(offers, accept, None, default) in offers
    except NotAcceptable:
        pass


@given(
    st.lists(
        st.sampled_from(["text/turtle", "*/*", "text/*", ";q=0", ";q=0.5", ";x=", '"', ",", " "]),
        max_size=40,
    )
)
def test_accept_made_of_header_pieces_never_fails(pieces: list[str]) -> None:
    try:
        choose(PAGE_OFFERS, "".join(pieces), None, TURTLE)
    except NotAcceptable:
        pass


def test_a_huge_hostile_header_is_linear() -> None:
    hostile = 'text/html;x="' + "\\a" * 50_000 + ", " + "a/b;q=0.1," * 20_000
    started = time.perf_counter()
    choose(PAGE_OFFERS, hostile, None, TURTLE)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("accept", "format_param", "page"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, True),
        ("text/html", None, True),
        ("application/xhtml+xml", None, False),  # HTML is offered as text/html only
        (None, "html", True),
        ("text/turtle", "html", True),
        (None, None, False),
        ("*/*", None, False),
        ("text/*", None, False),
        ("text/turtle", None, False),
        ("text/turtle, text/html;q=0.5", None, False),
        ("text/html;q=0, */*", None, False),
        ("image/png", None, False),
        ("text/html", "ttl", False),
    ],
)
def test_wants_page(accept: str | None, format_param: str | None, page: bool) -> None:
    assert wants_page(accept, format_param) is page
