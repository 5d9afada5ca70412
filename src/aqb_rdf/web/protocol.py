"""SPARQL 1.1 Protocol: parse a query request, and describe the service (pure).

:func:`parse_query_request` implements the query operation of `SPARQL 1.1 Protocol §2.1
<https://www.w3.org/TR/sparql11-protocol/#query-operation>`_ for a read-only endpoint. It
takes the parts of an HTTP request and returns a :class:`ProtocolRequest` or raises a
:class:`ProtocolError` carrying the status to answer with:

========================================================  ======================================
request                                                   outcome
========================================================  ======================================
``GET ?query=Q`` (+ ``default-graph-uri`` /               accepted; parameters URL-decoded as
``named-graph-uri``, any number)                          UTF-8, ``+`` is a space
``POST`` ``application/x-www-form-urlencoded``            accepted; the parameters of the body
                                                          and of the URL together
``POST`` ``application/sparql-query``                     accepted; the body (UTF-8) is the
                                                          query, the graphs come from the URL
a method other than GET and POST                          405, ``Allow: GET, POST``
an ``update`` parameter, or ``application/sparql-update`` 403, the endpoint is read-only
``POST`` without ``Content-Type``                         400
``POST`` with another media type                          415, ``Accept-Post`` lists the two
a ``charset`` other than UTF-8                            415
a body or parameter that is not UTF-8                     400
no ``query``, an empty one, or more than one (``query``   400
twice, or in the URL and in the body)
a graph parameter that is not an absolute IRI             400
more than ``max_graph_parameters`` graph parameters       400
a body over ``max_body_bytes``                            413
a query over ``max_query_length`` characters              413
a query string over ``max_body_bytes`` characters         414
========================================================  ======================================

Checks run in this order: method; size of the query string and of the body; update;
media type and charset; UTF-8; then the query (present, once, not blank, not too long) and
the graph IRIs. The query text itself is not parsed here: a syntax error is the SPARQL
engine's 400.

Parameters the protocol does not define (``output``, ``results``, ``timeout`` …) are
ignored, as clients such as SPARQLWrapper send them. ``format`` is returned as
:attr:`ProtocolRequest.format_param` for :func:`aqb_rdf.web.negotiation.choose`; when it is
given more than once (SPARQLWrapper sends ``format=tsv&format=text/tab-separated-values``)
the first non-empty value counts.

:func:`service_description` writes the `SPARQL 1.1 Service Description
<https://www.w3.org/TR/sparql11-service-description/>`_ of the endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from rdflib import BNode, Graph, URIRef

from aqb_rdf.config import (
    SERVE_MAX_BODY_BYTES,
    SERVE_MAX_GRAPH_PARAMETERS,
    SERVE_MAX_QUERY_LENGTH,
)
from aqb_rdf.errors import ProtocolError
from aqb_rdf.rdf import formats
from aqb_rdf.rdf.namespaces import FORMATS, RDF, SD
from aqb_rdf.web.negotiation import RDF_OFFERS, RESULT_OFFERS

DEFAULT_MAX_QUERY_LENGTH = SERVE_MAX_QUERY_LENGTH.default
"""Characters a query may have."""

DEFAULT_MAX_BODY_BYTES = SERVE_MAX_BODY_BYTES.default
"""Bytes a request body may have (1 MiB); also the characters of the URL's query string."""

DEFAULT_MAX_GRAPH_PARAMETERS = SERVE_MAX_GRAPH_PARAMETERS.default
"""``default-graph-uri`` plus ``named-graph-uri`` values a request may have."""

MAX_PARAMETERS = 1_000
"""Parameters a query string or form body may have."""

ALLOWED_METHODS = ("GET", "POST")
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
QUERY_MEDIA_TYPE = formats.SPARQL_QUERY.media_type
UPDATE_MEDIA_TYPE = formats.SPARQL_UPDATE.media_type

READ_ONLY_MESSAGE = "this SPARQL endpoint is read-only: updates are refused"


# An absolute IRI as SPARQL's IRIREF allows it: a scheme, then no space, control character
# or one of <>"{}|^`\ (https://www.w3.org/TR/sparql11-query/#rIRIREF).
_ABSOLUTE_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*$')
_UTF8_NAMES = frozenset({"utf-8", "utf8"})


@dataclass(frozen=True)
class ProtocolRequest:
    """A query request as the SPARQL 1.1 Protocol defines it.

    Attributes:
        query: The query text.
        default_graphs: The ``default-graph-uri`` values, in request order.
        named_graphs: The ``named-graph-uri`` values, in request order.
        format_param: The ``format`` parameter, ``None`` when absent or empty.
    """

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format_param: str | None = None


def _bad_request(message: str) -> ProtocolError:
    return ProtocolError(400, message)


def _read_only() -> ProtocolError:
    return ProtocolError(403, READ_ONLY_MESSAGE)


def _decode_utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad_request(f"{what} is not UTF-8 (invalid byte at offset {error.start})") from None


def _parse_parameters(text: str, what: str) -> list[tuple[str, str]]:
    """URL-decode ``name=value&…`` (UTF-8, ``+`` as space), keeping empty values."""
    try:
        return parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_PARAMETERS,
        )
    except UnicodeDecodeError:
        raise _bad_request(f"{what} has a percent-encoded value that is not UTF-8") from None
    except ValueError:
        raise _bad_request(f"{what} has more than {MAX_PARAMETERS} parameters") from None


def _parse_content_type(content_type: str) -> tuple[str, dict[str, str]]:
    """Split ``type/sub; name=value`` into the lower-cased media type and its parameters."""
    media_type, *parameters = content_type.split(";")
    parsed: dict[str, str] = {}
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"')
    return media_type.strip().lower(), parsed


def _values(parameters: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in parameters if key == name]


def _graphs(parameters: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    graphs = _values(parameters, name)
    for graph in graphs:
        if not _ABSOLUTE_IRI.match(graph):
            raise _bad_request(f"{name} is not an absolute IRI: {graph[:200]!r}")
    return tuple(graphs)


def parse_query_request(
    method: str,
    query_string: str | bytes,
    content_type: str | None,
    body: bytes,
    *,
    max_query_length: int = DEFAULT_MAX_QUERY_LENGTH,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_graph_parameters: int = DEFAULT_MAX_GRAPH_PARAMETERS,
) -> ProtocolRequest:
    """Parse a SPARQL query request; the rules are in the module docstring.

    Args:
        method: The HTTP method, as sent (methods are case-sensitive).
        query_string: The URL's query component, still percent-encoded, without ``?``; bytes
            (as ASGI gives them) must be UTF-8.
        content_type: The ``Content-Type`` header, ``None`` when the request has none.
        body: The request body (ignored for GET).
        max_query_length: The longest query accepted, in characters.
        max_body_bytes: The largest body accepted, in bytes.
        max_graph_parameters: The most ``default-graph-uri`` plus ``named-graph-uri`` values
            accepted.

    Returns:
        The query, the dataset given by the protocol, and the ``format`` parameter.

    Raises:
        ProtocolError: The request is not a query request this endpoint accepts.
    """
    if method not in ALLOWED_METHODS:
        raise ProtocolError(
            405,
            f"method {method[:20]!r} is not allowed; use GET or POST",
            {"Allow": ", ".join(ALLOWED_METHODS)},
        )
    if isinstance(query_string, bytes):
        query_string = _decode_utf8(query_string, "the query string")
    if len(query_string) > max_body_bytes:
        raise ProtocolError(414, f"the query string is longer than {max_body_bytes} characters")
    if method == "POST" and len(body) > max_body_bytes:
        raise ProtocolError(413, f"the request body is larger than {max_body_bytes} bytes")

    url_parameters = _parse_parameters(query_string, "the query string")
    if _values(url_parameters, "update"):
        raise _read_only()

    if method == "GET":
        parameters = url_parameters
    else:
        parameters = _post_parameters(url_parameters, content_type, body)

    queries = _values(parameters, "query")
    if not queries:
        raise _bad_request("missing query parameter")
    if len(queries) > 1:
        raise _bad_request(f"{len(queries)} queries in one request; send exactly one")
    query = queries[0]
    if not query.strip():
        raise _bad_request("the query is empty")
    if len(query) > max_query_length:
        raise ProtocolError(413, f"the query is longer than {max_query_length} characters")

    graphs = sum(1 for key, _ in parameters if key in ("default-graph-uri", "named-graph-uri"))
    if graphs > max_graph_parameters:
        raise _bad_request(
            f"{graphs} default-graph-uri and named-graph-uri values; at most "
            f"{max_graph_parameters} are accepted"
        )
    format_param = next((value for value in _values(parameters, "format") if value.strip()), None)
    return ProtocolRequest(
        query=query,
        default_graphs=_graphs(parameters, "default-graph-uri"),
        named_graphs=_graphs(parameters, "named-graph-uri"),
        format_param=format_param,
    )


def _post_parameters(
    url_parameters: list[tuple[str, str]], content_type: str | None, body: bytes
) -> list[tuple[str, str]]:
    """The parameters of a POST: the URL's plus the form body's, or plus the direct query."""
    if content_type is None or not content_type.strip():
        raise _bad_request(f"a POST needs a Content-Type, {FORM_MEDIA_TYPE} or {QUERY_MEDIA_TYPE}")
    media_type, media_parameters = _parse_content_type(content_type)
    if media_type == UPDATE_MEDIA_TYPE:
        raise _read_only()
    if media_type not in (FORM_MEDIA_TYPE, QUERY_MEDIA_TYPE):
        raise ProtocolError(
            415,
            f"unsupported Content-Type {media_type[:80]!r}; "
            f"use {FORM_MEDIA_TYPE} or {QUERY_MEDIA_TYPE}",
            {"Accept-Post": f"{FORM_MEDIA_TYPE}, {QUERY_MEDIA_TYPE}"},
        )
    charset = media_parameters.get("charset")
    if charset is not None and charset.lower() not in _UTF8_NAMES:
        raise ProtocolError(415, f"unsupported charset {charset[:40]!r}; only UTF-8 is accepted")

    if media_type == FORM_MEDIA_TYPE:
        form = _parse_parameters(_decode_utf8(body, "the request body"), "the request body")
        if _values(form, "update"):
            raise _read_only()
        return url_parameters + form

    if _values(url_parameters, "query"):
        raise _bad_request(f"a {QUERY_MEDIA_TYPE} POST has its query in the body, not the URL")
    query = _decode_utf8(body, "the request body").removeprefix("\ufeff")
    return [*url_parameters, ("query", query)]


def wants_service_description(method: str, query_string: str | bytes) -> bool:
    """Whether a request asks for the service description: a GET without query or update.

    Args:
        method: The HTTP method.
        query_string: The URL's query component, still percent-encoded.

    Returns:
        True for ``GET /sparql`` and, say, ``GET /sparql?format=ttl``.
    """
    if method != "GET":
        return False
    if isinstance(query_string, bytes):
        query_string = query_string.decode("utf-8", errors="replace")
    # Only the names are decoded (as parse_qsl does): the query's value, the bulk of a GET's
    # URL, is decoded once, by parse_query_request.
    names = {unquote_plus(field.partition("=")[0]) for field in query_string.split("&")}
    return not names & {"query", "update"}


def service_description_graph(
    endpoint_url: str, dataset_named_graphs: Iterable[str] | None = None
) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint, as a graph.

    Args:
        endpoint_url: The absolute URL of the endpoint (``sd:endpoint``).
        dataset_named_graphs: The named graphs of the default dataset (``sd:namedGraph``);
            ``None`` to leave them out.

    Returns:
        The description: SPARQL 1.1 Query, every result format the endpoint negotiates, the
        default graph as the union of the named graphs, and the default dataset.

    Raises:
        ValueError: ``endpoint_url`` or a graph name is not an absolute IRI.
    """
    names = tuple(dataset_named_graphs or ())
    for iri in (endpoint_url, *names):
        if not _ABSOLUTE_IRI.match(iri):
            raise ValueError(f"not an absolute IRI: {iri!r}")
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = BNode("service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint_url)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for offer in (*RESULT_OFFERS, *RDF_OFFERS):
        if offer.format_iri is not None:
            graph.add((service, SD.resultFormat, URIRef(offer.format_iri)))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default_graph = BNode("defaultGraph")
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    for index, name in enumerate(names):
        named = BNode(f"namedGraph{index}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return graph


def service_description(
    endpoint_url: str, dataset_named_graphs: Iterable[str] | None = None
) -> str:
    """The SPARQL 1.1 Service Description of the endpoint, as Turtle.

    Args:
        endpoint_url: The absolute URL of the endpoint (``sd:endpoint``).
        dataset_named_graphs: The named graphs of the default dataset; ``None`` to leave them
            out.

    Returns:
        Turtle text; see :func:`service_description_graph` for what it says.
    """
    return service_description_graph(endpoint_url, dataset_named_graphs).serialize(format="turtle")
