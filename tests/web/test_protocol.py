"""SPARQL 1.1 Protocol parsing and the service description (aqb_rdf.web.protocol).

The W3C protocol tests are read from the vendored manifest
(``tests/w3c/sparql-protocol/protocol/manifest.ttl``, see its ``SOURCE.md``): every request of
every test goes through :func:`parse_query_request` exactly as the manifest states it, and
its outcome is checked against the status the manifest expects and the one this endpoint
chose (:data:`W3C_OUTCOMES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from aqb_rdf.errors import ProtocolError
from aqb_rdf.rdf.namespaces import SD
from aqb_rdf.web.negotiation import RDF_OFFERS, RESULT_OFFERS
from aqb_rdf.web.protocol import (
    DEFAULT_MAX_BODY_BYTES,
    MAX_PARAMETERS,
    READ_ONLY_MESSAGE,
    ProtocolRequest,
    parse_query_request,
    service_description,
    service_description_graph,
    wants_service_description,
)

MANIFEST = Path(__file__).parents[1] / "w3c" / "sparql-protocol" / "protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

KASEI = "http://kasei.us/2009/09/sparql/data/"
DATA0, DATA1, DATA2, DATA3 = (f"{KASEI}data{n}.rdf" for n in range(4))


@dataclass(frozen=True)
class W3CRequest:
    """One ht:Request of the manifest, with the status classes its response may have."""

    method: str
    query_string: str
    content_type: str | None
    body: bytes
    body_text: str | None
    expected_classes: frozenset[int]


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    return next(iter(graph.objects(subject, predicate)), None)


def load_w3c_tests() -> dict[str, tuple[W3CRequest, ...]]:
    """Every mf:ProtocolTest of the manifest by local name, its requests in order."""
    graph = Graph().parse(MANIFEST, format="turtle")
    tests: dict[str, tuple[W3CRequest, ...]] = {}
    for test in graph.subjects(RDF.type, MF.ProtocolTest):
        action = _one(graph, test, MF.action)
        assert action is not None
        requests_list = _one(graph, action, HT.requests)
        assert requests_list is not None
        requests = []
        for request in Collection(graph, requests_list):
            path = str(_one(graph, request, HT.absolutePath))
            assert path.startswith("/sparql/")
            content_type = None
            headers = _one(graph, request, HT.headers)
            for header in Collection(graph, headers) if headers is not None else []:
                if str(_one(graph, header, HT.fieldName)).lower() == "content-type":
                    content_type = str(_one(graph, header, HT.fieldValue))
            body, body_text = b"", None
            content = _one(graph, request, HT.body)
            if content is not None:
                body_text = str(_one(graph, content, CNT.chars))
                encoding = str(_one(graph, content, CNT.characterEncoding))
                body = body_text.encode(encoding)
            response = _one(graph, request, HT.resp)
            assert response is not None
            classes = frozenset(
                int(str(status).removeprefix(str(HTS.StatusCode))[0])
                for status in graph.objects(response, MF.expectedStatus)
            )
            requests.append(
                W3CRequest(
                    method=str(_one(graph, request, HT.methodName)),
                    query_string=path.removeprefix("/sparql/").removeprefix("?"),
                    content_type=content_type,
                    body=body,
                    body_text=body_text,
                    expected_classes=classes,
                )
            )
        tests[str(test).rsplit("#", 1)[1]] = tuple(requests)
    return tests


W3C_TESTS = load_w3c_tests()

ACCEPTED = 200
"""Stands for "parse_query_request returns a ProtocolRequest" in :data:`W3C_OUTCOMES`."""

# What this endpoint does with the first request of each W3C test: ACCEPTED, or the status of
# the ProtocolError. For accepted queries also the dataset the protocol gives.
W3C_OUTCOMES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    "query_post_form": (ACCEPTED, (DATA0,), ()),
    "query_dataset_default_graphs_get": (ACCEPTED, (DATA1, DATA2), ()),
    "query_dataset_default_graphs_post": (ACCEPTED, (DATA1, DATA2), ()),
    "query_dataset_named_graphs_post": (ACCEPTED, (), (DATA1, DATA2)),
    "query_dataset_named_graphs_get": (ACCEPTED, (), (DATA1, DATA2)),
    "query_dataset_full": (ACCEPTED, (DATA3,), (DATA1, DATA2)),
    "query_multiple_dataset": (ACCEPTED, (), (DATA1, DATA2)),
    "query_get": (ACCEPTED, (DATA0,), ()),
    "query_content_type_select": (ACCEPTED, (DATA0,), ()),
    "query_content_type_ask": (ACCEPTED, (DATA0,), ()),
    "query_content_type_describe": (ACCEPTED, (DATA0,), ()),
    "query_content_type_construct": (ACCEPTED, (DATA0,), ()),
    "query_post_direct": (ACCEPTED, (), ()),
    # PUT → 405 with Allow.
    "bad_query_method": (405, (), ()),
    # query=…&query=… → 400.
    "bad_multiple_queries": (400, (), ()),
    # text/plain → 415.
    "bad_query_wrong_media_type": (415, (), ()),
    # a form body without Content-Type → 400.
    "bad_query_missing_form_type": (400, (), ()),
    # a query body without Content-Type → 400.
    "bad_query_missing_direct_type": (400, (), ()),
    # application/sparql-query; charset=UTF-16 → 415.
    "bad_query_non_utf8": (415, (), ()),
    # "ASK {" is a well-formed protocol request; the engine's parser refuses it (400), see
    # test_bad_query_syntax_is_left_to_the_engine.
    "bad_query_syntax": (ACCEPTED, (), ()),
    # Updates, well-formed or not, are refused: the endpoint is read-only.
    "update_dataset_default_graph": (403, (), ()),
    "update_dataset_default_graphs": (403, (), ()),
    "update_dataset_named_graphs": (403, (), ()),
    "update_dataset_full": (403, (), ()),
    "update_post_form": (403, (), ()),
    "update_post_direct": (403, (), ()),
    "update_base_uri": (403, (), ()),
    "bad_update_get": (403, (), ()),
    "bad_multiple_updates": (403, (), ()),
    "bad_update_wrong_media_type": (415, (), ()),
    "bad_update_missing_form_type": (400, (), ()),
    "bad_update_non_utf8": (403, (), ()),
    "bad_update_syntax": (403, (), ()),
    "bad_update_dataset_conflict": (403, (), ()),
}


def _run(request: W3CRequest) -> ProtocolRequest | ProtocolError:
    try:
        return parse_query_request(
            request.method, request.query_string, request.content_type, request.body
        )
    except ProtocolError as error:
        return error


def test_every_w3c_test_has_an_outcome() -> None:
    assert set(W3C_TESTS) == set(W3C_OUTCOMES)
    assert len(W3C_TESTS) == 34
    assert sum(name.startswith("query_") for name in W3C_TESTS) == 13
    assert (
        sum(name.startswith("bad_query") or name == "bad_multiple_queries" for name in W3C_TESTS)
        == 7
    )


@pytest.mark.parametrize("name", sorted(W3C_OUTCOMES))
def test_w3c_protocol_test(name: str) -> None:
    status, default_graphs, named_graphs = W3C_OUTCOMES[name]
    first, *later = W3C_TESTS[name]
    outcome = _run(first)
    if status == ACCEPTED:
        assert isinstance(outcome, ProtocolRequest), outcome
        assert outcome.default_graphs == default_graphs
        assert outcome.named_graphs == named_graphs
        assert outcome.format_param is None
        if first.content_type == "application/sparql-query":
            assert outcome.query == first.body_text
        if name != "bad_query_syntax":
            assert 2 in first.expected_classes
    else:
        assert isinstance(outcome, ProtocolError), outcome
        assert outcome.status == status
        assert "\n" not in outcome.message
        if name.startswith("update_"):
            # The manifest expects the update to succeed; a read-only endpoint refuses it.
            assert 2 in first.expected_classes
            assert outcome.message == READ_ONLY_MESSAGE
        else:
            assert first.expected_classes == {4}
        if status == 405:
            assert outcome.headers == {"Allow": "GET, POST"}
    # The follow-up requests of the update tests are direct-POST ASK queries.
    for request in later:
        assert isinstance(_run(request), ProtocolRequest)


def test_w3c_query_texts_are_decoded() -> None:
    get = _run(W3C_TESTS["query_get"][0])
    form = _run(W3C_TESTS["query_post_form"][0])
    named = _run(W3C_TESTS["query_dataset_named_graphs_get"][0])
    assert isinstance(get, ProtocolRequest) and get.query == "ASK {}"
    assert isinstance(form, ProtocolRequest) and form.query == "ASK {}"
    assert isinstance(named, ProtocolRequest)
    assert named.query == (
        f"ASK {{ GRAPH ?g1 {{ <{DATA1}> a ?type }} GRAPH ?g2 {{ <{DATA2}> a ?type }} }}"
    )


def test_bad_query_syntax_is_left_to_the_engine() -> None:
    outcome = _run(W3C_TESTS["bad_query_syntax"][0])
    assert isinstance(outcome, ProtocolRequest) and outcome.query == "ASK {"
    with pytest.raises(SyntaxError):
        pyoxigraph.Store().query(outcome.query)


def test_bad_query_non_utf8_is_refused_with_or_without_a_bom() -> None:
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        with pytest.raises(ProtocolError) as raised:
            parse_query_request(
                "POST", "", "application/sparql-query; charset=UTF-16", "ASK {}".encode(encoding)
            )
        assert raised.value.status == 415


# ---- other requests ------------------------------------------------------------------------


def refused(
    method: str = "GET",
    query_string: str | bytes = "",
    content_type: str | None = None,
    body: bytes = b"",
    **limits: int,
) -> ProtocolError:
    """The ProtocolError a request raises (fails the test if it is accepted)."""
    with pytest.raises(ProtocolError) as raised:
        parse_query_request(method, query_string, content_type, body, **limits)
    assert "\n" not in raised.value.message
    return raised.value


def test_non_utf8_body_declared_as_utf8_is_a_400() -> None:
    latin1 = 'ASK { ?s ?p "Gießen" }'.encode("iso-8859-1")
    error = refused("POST", "", "application/sparql-query; charset=UTF-8", latin1)
    assert error.status == 400
    assert "not UTF-8" in error.message
    form = b"query=" + quote(latin1).encode()
    assert refused("POST", "", "application/x-www-form-urlencoded", form).status == 400
    assert refused("GET", "query=" + quote(latin1)).status == 400
    assert refused("GET", latin1).status == 400


def test_utf8_is_decoded_everywhere() -> None:
    query = 'ASK { ?s ?p "Gießen" }'
    assert parse_query_request("GET", "query=" + quote(query), None, b"").query == query
    assert parse_query_request("GET", f"query={quote(query)}".encode(), None, b"").query == query
    assert (
        parse_query_request(
            "POST",
            "",
            "application/x-www-form-urlencoded; charset=UTF-8",
            f"query={quote(query)}".encode(),
        ).query
        == query
    )
    assert (
        parse_query_request(
            "POST", "", 'Application/SPARQL-Query; charset="utf-8"', query.encode("utf-8-sig")
        ).query
        == query
    )


def test_plus_is_a_space_in_forms_and_urls() -> None:
    assert parse_query_request("GET", "query=ASK+%7B%7D", None, b"").query == "ASK {}"
    form = parse_query_request("POST", "", "application/x-www-form-urlencoded", b"query=ASK+{}")
    assert form.query == "ASK {}"


@pytest.mark.parametrize(
    ("query_string", "content_type", "body"),
    [
        ("query=ASK%7B%7D", "application/x-www-form-urlencoded", b"query=ASK%7B%7D"),
        ("query=ASK%7B%7D", "application/sparql-query", b"ASK {}"),
        ("", "application/x-www-form-urlencoded", b"query=ASK%7B%7D&query=ASK%7B%7D"),
    ],
    ids=["form-url-and-body", "direct-url-and-body", "form-twice"],
)
def test_two_queries_are_a_400(query_string: str, content_type: str, body: bytes) -> None:
    assert refused("POST", query_string, content_type, body).status == 400


@pytest.mark.parametrize(
    ("method", "query_string", "content_type", "body"),
    [
        ("GET", "", None, b""),
        ("GET", "default-graph-uri=http%3A%2F%2Fa.example%2F", None, b""),
        ("GET", "query=", None, b""),
        ("GET", "query=+%20%0A", None, b""),
        ("POST", "", "application/x-www-form-urlencoded", b""),
        ("POST", "", "application/sparql-query", b""),
        ("POST", "query=ASK%7B%7D", None, b""),
    ],
    ids=["none", "graph-only", "empty", "blank", "empty-form", "empty-direct", "no-type"],
)
def test_missing_or_empty_query_is_a_400(
    method: str, query_string: str, content_type: str | None, body: bytes
) -> None:
    assert refused(method, query_string, content_type, body).status == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "X" * 500])
def test_other_methods_are_a_405(method: str) -> None:
    error = refused(method, "query=ASK%7B%7D")
    assert error.status == 405
    assert error.headers == {"Allow": "GET, POST"}
    assert len(error.message) < 80


@pytest.mark.parametrize(
    ("method", "query_string", "content_type", "body"),
    [
        ("GET", "update=CLEAR%20ALL", None, b""),
        ("GET", "query=ASK%7B%7D&update=CLEAR%20ALL", None, b""),
        ("POST", "", "application/x-www-form-urlencoded", b"update=LOAD+%3Chttp%3A%2F%2Fx%3E"),
        ("POST", "", "application/x-www-form-urlencoded", b"query=ASK%7B%7D&update=CLEAR+ALL"),
        ("POST", "", "application/sparql-update", b"CLEAR ALL"),
        ("POST", "", "application/sparql-update; charset=UTF-8", b"DROP ALL"),
        ("POST", "update=CLEAR%20ALL", "application/sparql-query", b"ASK {}"),
    ],
    ids=["get", "get-with-query", "form", "form-with-query", "direct", "direct-charset", "url"],
)
def test_updates_are_refused_as_read_only(
    method: str, query_string: str, content_type: str | None, body: bytes
) -> None:
    error = refused(method, query_string, content_type, body)
    assert (error.status, error.message) == (403, READ_ONLY_MESSAGE)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/json", "multipart/form-data; boundary=x", "garbage", ";"],
)
def test_other_media_types_are_a_415(content_type: str) -> None:
    error = refused("POST", "", content_type, b"query=ASK%7B%7D")
    assert error.status == 415
    assert error.headers == {
        "Accept-Post": "application/x-www-form-urlencoded, application/sparql-query"
    }


def test_other_charsets_are_a_415() -> None:
    body = b"query=ASK%7B%7D"
    error = refused("POST", "", "application/x-www-form-urlencoded; charset=ISO-8859-1", body)
    assert error.status == 415
    assert "UTF-8" in error.message


def test_limits() -> None:
    long_query = "ASK {}" + " " * 100
    assert refused("GET", "query=" + quote(long_query), max_query_length=100).status == 413
    assert (
        parse_query_request(
            "GET", "query=" + quote(long_query), None, b"", max_query_length=106
        ).query
        == long_query
    )
    big_body = b"ASK {}" + b" " * DEFAULT_MAX_BODY_BYTES
    assert refused("POST", "", "application/sparql-query", big_body).status == 413
    assert (
        refused("POST", "", "application/sparql-query", b"ASK {}  ", max_body_bytes=7).status == 413
    )
    assert refused("GET", "query=ASK%7B%7D&" + "x" * 20, max_body_bytes=20).status == 414
    many = "&".join(["query=ASK%7B%7D"] + ["x=1"] * MAX_PARAMETERS)
    assert refused("GET", many).status == 400


def test_graph_parameters_are_capped() -> None:
    def graphs(default: int, named: int) -> str:
        return "&".join(
            ["query=ASK%7B%7D"]
            + [f"default-graph-uri=http%3A%2F%2Fg.example%2F{i}" for i in range(default)]
            + [f"named-graph-uri=http%3A%2F%2Fg.example%2Fn{i}" for i in range(named)]
        )

    accepted = parse_query_request("GET", graphs(40, 24), None, b"")
    assert len(accepted.default_graphs) + len(accepted.named_graphs) == 64
    error = refused("GET", graphs(40, 25))
    assert error.status == 400
    assert "65 default-graph-uri and named-graph-uri values; at most 64" in error.message
    form = graphs(900, 0).encode()
    post = refused("POST", "", "application/x-www-form-urlencoded", form)
    assert post.status == 400 and "at most 64" in post.message
    assert refused("GET", graphs(3, 0), max_graph_parameters=2).status == 400


def test_graph_parameters_must_be_absolute_iris() -> None:
    for bad in ["", "relative/path", "http://a.example/with space", "http://a.example/<x>"]:
        error = refused("GET", "query=ASK%7B%7D&named-graph-uri=" + quote(bad))
        assert error.status == 400
        assert "named-graph-uri" in error.message


def test_format_and_unknown_parameters() -> None:
    # What SPARQLWrapper sends for a TSV SELECT by GET (format, output and results, the
    # format twice).
    query_string = (
        "query=SELECT+%2A+%7B%7D&format=tsv&format=text/tab-separated-values"
        "&output=tsv&output=text/tab-separated-values&results=tsv&timeout=5"
    )
    parsed = parse_query_request("GET", query_string, None, b"")
    assert parsed == ProtocolRequest("SELECT * {}", format_param="tsv")
    blank_first = parse_query_request("GET", "format=&format=csv&query=ASK%7B%7D", None, b"")
    assert blank_first.format_param == "csv"
    form = parse_query_request(
        "POST", "format=json", "application/x-www-form-urlencoded", b"query=ASK%7B%7D"
    )
    assert form.format_param == "json"
    assert parse_query_request("GET", "query=ASK%7B%7D&format=", None, b"").format_param is None


def test_get_ignores_body_and_content_type() -> None:
    parsed = parse_query_request("GET", "query=ASK%7B%7D", "text/plain", b"\xff" * 10)
    assert parsed.query == "ASK{}"


@given(
    st.sampled_from(["GET", "POST", "PUT"]),
    st.text(max_size=200),
    st.one_of(
        st.none(),
        st.sampled_from(
            [
                "application/x-www-form-urlencoded",
                "application/sparql-query",
                "application/sparql-query; charset=utf-16",
                "application/sparql-update",
                "text/plain",
            ]
        ),
        st.text(max_size=40),
    ),
    st.binary(max_size=200),
)
def test_any_request_is_parsed_or_refused_with_a_4xx(
    method: str, query_string: str, content_type: str | None, body: bytes
) -> None:
    try:
        parsed = parse_query_request(method, query_string, content_type, body)
    except ProtocolError as error:
        assert 400 <= error.status < 500
        assert error.message and "\n" not in error.message and "\r" not in error.message
    else:
        assert parsed.query.strip()


def test_wants_service_description() -> None:
    assert wants_service_description("GET", "")
    assert wants_service_description("GET", b"format=ttl")
    assert not wants_service_description("GET", "query=ASK%7B%7D")
    assert not wants_service_description("GET", "query=")
    assert not wants_service_description("GET", "update=CLEAR+ALL")
    assert not wants_service_description("POST", "")


# ---- service description -------------------------------------------------------------------

ENDPOINT = "http://127.0.0.1:8000/sparql"
GRAPHS = ["https://aqb-rdf.example/graph/reference", "https://aqb-rdf.example/graph/ontology"]
FORMATS = Namespace("http://www.w3.org/ns/formats/")


def test_service_description_parses_and_names_the_endpoint() -> None:
    graph = Graph().parse(data=service_description(ENDPOINT, GRAPHS), format="turtle")
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    assert list(graph.objects(service, SD.endpoint)) == [URIRef(ENDPOINT)]
    assert list(graph.objects(service, SD.supportedLanguage)) == [SD.SPARQL11Query]
    assert list(graph.objects(service, SD.feature)) == [SD.UnionDefaultGraph]
    assert set(graph.objects(service, SD.resultFormat)) == {
        FORMATS.SPARQL_Results_JSON,
        FORMATS.SPARQL_Results_XML,
        FORMATS.SPARQL_Results_CSV,
        FORMATS.SPARQL_Results_TSV,
        FORMATS.Turtle,
        FORMATS["JSON-LD"],
        FORMATS["N-Triples"],
        FORMATS.RDF_XML,
    }
    assert {URIRef(offer.format_iri or "") for offer in (*RESULT_OFFERS, *RDF_OFFERS)} == set(
        graph.objects(service, SD.resultFormat)
    )
    dataset = graph.value(service, SD.defaultDataset)
    assert dataset is not None and (dataset, RDF.type, SD.Dataset) in graph
    default_graph = graph.value(dataset, SD.defaultGraph)
    assert default_graph is not None and (default_graph, RDF.type, SD.Graph) in graph
    names = {graph.value(named, SD.name) for named in graph.objects(dataset, SD.namedGraph)}
    assert names == {URIRef(iri) for iri in GRAPHS}


def test_service_description_without_named_graphs_is_stable() -> None:
    text = service_description(ENDPOINT, None)
    assert text == service_description(ENDPOINT, [])
    graph = service_description_graph(ENDPOINT)
    assert not list(graph.objects(None, SD.namedGraph))
    assert len(list(pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TURTLE))) == len(
        graph
    )


def test_service_description_refuses_a_relative_endpoint() -> None:
    with pytest.raises(ValueError, match="absolute IRI"):
        service_description("/sparql", None)
