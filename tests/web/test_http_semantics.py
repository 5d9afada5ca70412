"""HTTP semantics of the real ``aqb-rdf serve``: one error format, statuses, validators, negotiation.

What a newcomer found with ``make run``, each checked against the session's server
(``running_server``): unknown list parameters refused, every error as a page, problem JSON or
plain text from web/errors.py and never cached, an unknown ``?format=`` a 400, ETags and 304 on
the pages and ``If-Modified-Since`` on the downloads, Accept on the lists, ``text/plain`` and
N-Quads on resources, ``Link`` alternates, redirects of near-IRIs, readable SPARQL syntax
errors. The pure parts (the syntax-error rewording, conditional requests) are tested on their
own at the end.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from test_pages import BROWSER, Site

from aqb_rdf.sparql.syntax_errors import readable
from aqb_rdf.web import headers as common
from aqb_rdf.web.errors import PROBLEM, TEXT, error_format
from aqb_rdf.web.negotiation import HTML
from live_server import Server

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

AGREEMENT = "/id/zielvereinbarung/2025/06413"


@pytest.fixture(scope="module")
def site(running_server: Server, built_default_dataset: Path) -> Site:
    return Site(running_server, built_default_dataset)


def sparql(query: str, **params: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, **params})


# --- 1. lists refuse what they do not know -----------------------------------------------


@pytest.mark.parametrize(
    "query", ["foo=bar&format=json", "yaer=2025", "foo=bar", "year=abc", "sort=nope"]
)
def test_a_list_refuses_unknown_parameters_and_values(site: Site, query: str) -> None:
    status, headers, body = site.get(f"/id/projekt/?{query}", "application/json")
    assert status == 400, body
    assert headers["content-type"].startswith("application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == 400 and problem["title"] == "Bad Request"
    if query.split("=")[0] in ("foo", "yaer"):
        name = query.split("=")[0]
        assert f"no parameter '{name}'" in problem["detail"]
        assert "year, region, massnahmenart, sort, page, format, lang" in problem["detail"]


def test_the_refusal_of_an_unknown_parameter_speaks_the_pages_language(site: Site) -> None:
    for lang, words in (("de", "kennt den Parameter yaer nicht"), ("en", "no parameter yaer")):
        status, _, body = site.get(f"/id/projekt/?yaer=2025&lang={lang}", BROWSER)
        assert status == 400
        assert words in body.decode(), lang


def test_a_list_keeps_lang_paging_and_sort(site: Site) -> None:
    status, _, body = site.get("/id/projekt/?lang=en&sort=-position&page=1&year=2025", BROWSER)
    assert status == 200, body[:300]


# --- 2. one error format -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/nonexistent", "/ID/zielvereinbarung", "/download/",
                                  "/id/zielvereinbarung/2025/09999", "/id/organisation/"])  # fmt: skip
def test_every_404_in_the_form_the_client_asks_for(site: Site, path: str) -> None:
    status, headers, body = site.get(path, BROWSER)
    assert status == 404 and headers["content-type"].startswith("text/html"), (path, body[:200])
    assert "<h1>Nicht gefunden</h1>" in body.decode()
    assert headers["cache-control"] == "no-store"
    status, headers, body = site.get(path + ("&" if "?" in path else "?") + "lang=en", BROWSER)
    assert "<h1>Not found</h1>" in body.decode()
    status, headers, body = site.get(path, "application/json")
    assert status == 404 and headers["content-type"] == "application/problem+json"
    assert set(json.loads(body)) == {"type", "title", "status", "detail"}
    assert headers["cache-control"] == "no-store"
    for accept in (None, "*/*", "text/turtle"):
        status, headers, body = site.get(path, accept)
        assert status == 404 and headers["content-type"].startswith("text/plain"), accept
        assert body.count(b"\n") == 1 and headers["cache-control"] == "no-store"


def test_a_list_that_does_not_exist_names_the_lists(site: Site) -> None:
    status, _, body = site.get("/id/dokument/", "text/plain")
    assert status == 404
    assert b"/id/projekt/" in body and b"/id/zielvereinbarung/" in body


def test_a_wrong_method_is_answered_from_the_table(site: Site) -> None:
    status, headers, body = site.server.request("POST", "/", headers={"Accept": "application/json"})
    assert status == 405 and json.loads(body)["status"] == 405, body


# --- 3. SPARQL syntax errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT * { ?s ?p ?o } LIMIT 99999999999999999999999",
            "malformed query: line 1, column 52: the query limit should be a non negative integer",
        ),
        (
            "SELECT ?x { ?s ?p ?o } GROUP BY ?s",
            "malformed query: line 1, column 35: the SELECT contains a variable that is unbound",
        ),
        (
            "SELECT * {\n ?s ?p ?o .\n FILTER(?o > ) }",
            "malformed query: line 3, column 17: expected",
        ),
    ],
)
def test_syntax_errors_are_readable(site: Site, query: str, message: str) -> None:
    status, _, body = site.get(sparql(query), "application/sparql-results+json")
    text = body.decode()
    assert status == 400 and text.startswith(message), text
    assert "\\u{" not in text and "'0'" not in text and text.count("\n") == 1


# --- 4. statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [AGREEMENT + "?format=foo", "/id/projekt/?format=foo", "/catalog?format=foo"]
)
def test_an_unknown_format_is_a_bad_request(site: Site, path: str) -> None:
    status, _, body = site.get(path, "text/plain")
    assert status == 400 and b"unknown format 'foo'; format may be" in body, body


def test_accept_that_matches_nothing_stays_406(site: Site) -> None:
    assert site.get(AGREEMENT, "image/png")[0] == 406
    assert site.get("/id/projekt/", "image/png")[0] == 406


def test_a_url_over_the_target_bound_is_414(site: Site) -> None:
    status, _, body = site.get(sparql("ASK {}\n#" + "x" * 40_000))
    assert status == 414 and body.startswith(b"the request target is longer than 32768"), body


# --- 5. conditional requests ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/id/projekt/", "/id/projekt/?year=2025", "/queries", "/query", "/search?q=x"]
)
def test_pages_have_an_etag_and_answer_304(site: Site, path: str) -> None:
    status, headers, _ = site.get(path, BROWSER)
    assert status == 200 and headers["etag"].startswith('"'), path
    etag = headers["etag"]
    assert site.get(path, BROWSER, If_None_Match=etag)[0] == 304
    english = site.get(path + ("&" if "?" in path else "?") + "lang=en", BROWSER)[1]["etag"]
    assert english != etag
    assert site.get(path, BROWSER, If_None_Match='"other"')[0] == 200


def test_downloads_answer_if_modified_since(site: Site) -> None:
    status, headers, _ = site.get("/download/aqb.ttl")
    assert status == 200
    modified = headers["last-modified"]
    assert site.get("/download/aqb.ttl", If_Modified_Since=modified)[0] == 304
    assert (
        site.get("/download/aqb.ttl", If_Modified_Since="Sat, 01 Jan 2000 00:00:00 GMT")[0] == 200
    )
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    assert site.get("/download/aqb.ttl", If_None_Match='"x"', If_Modified_Since=modified)[0] == 200


def test_scripts_may_read_the_headers_that_matter(site: Site) -> None:
    exposed = site.get("/download/aqb.ttl")[1]["access-control-expose-headers"]
    assert {"ETag", "Link", "Retry-After", "Content-Disposition"} <= {
        name.strip() for name in exposed.split(",")
    }


# --- 6. negotiation ------------------------------------------------------------------------


def test_lists_honour_accept(site: Site) -> None:
    status, headers, body = site.get("/id/projekt/?year=2025", "application/json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert json.loads(body)["filters"] == {"year": "2025"}
    status, headers, body = site.get("/id/projekt/?year=2025", "text/csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.startswith(b"project,title,")
    status, headers, body = site.get("/id/projekt/", BROWSER)
    assert headers["content-type"].startswith("text/html")
    assert 'rel="alternate"; type="text/csv"' in headers["link"]
    assert "accept" in headers["vary"].lower()


def test_text_plain_is_n_triples_and_n_quads_are_offered(site: Site) -> None:
    status, headers, body = site.get(AGREEMENT, "text/plain")
    assert status == 200 and headers["content-type"] == "application/n-triples"
    assert len(Graph().parse(data=body, format="nt")) > 10
    status, headers, body = site.get("/graph/reference", "application/n-quads")
    assert status == 200 and headers["content-type"] == "application/n-quads"
    dataset = Dataset().parse(data=body, format="nquads")
    graph = URIRef("https://aqb-rdf.example/graph/reference")
    assert len(dataset.graph(graph)) > 10


def test_resources_link_their_other_formats(site: Site) -> None:
    _, headers, _ = site.get(AGREEMENT, "text/turtle")
    link = headers["link"]
    assert f'<{AGREEMENT}>; rel="alternate"; type="text/html"' in link
    assert f'<{AGREEMENT}?format=jsonld>; rel="alternate"; type="application/ld+json"' in link
    assert 'type="text/turtle"' not in link  # the one sent
    html = site.page(AGREEMENT)
    assert f'<link rel="canonical" href="{AGREEMENT}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{AGREEMENT}?lang=en">' in html


def test_sparql_with_format_html_opens_the_editor(site: Site) -> None:
    status, headers, _ = site.get(sparql("ASK {}", format="html"), BROWSER)
    assert status == 303
    target = urllib.parse.urlsplit(headers["location"])
    assert target.path == "/query"
    assert urllib.parse.parse_qs(target.query) == {"query": ["ASK {}"], "run": ["1"]}


# --- 7. trailing slashes and cut IRIs ------------------------------------------------------


def test_near_iris_are_redirected(site: Site) -> None:
    status, headers, _ = site.get(AGREEMENT + "/?lang=en", BROWSER)
    assert status == 301 and headers["location"] == AGREEMENT + "?lang=en"
    status, headers, _ = site.get("/id/zielvereinbarung/2025", BROWSER)
    assert status == 303 and headers["location"] == "/id/zielvereinbarung/?year=2025"
    status, headers, _ = site.get("/queries/", BROWSER)
    assert status == 301 and headers["location"] == "/queries"


# --- 8., 9. the pages ---------------------------------------------------------------------


def test_named_query_parameters_speak_the_pages_language(site: Site) -> None:
    # The form's field says it; the query's text below shows its header in both languages.
    german = site.page("/queries/region")
    assert "<small>Der fünfstellige Kreisschlüssel, z. B. 06413.</small>" in german
    english = site.page("/queries/region?lang=en")
    assert "<small>The 5-digit Kreisschlüssel, e.g. 06413.</small>" in english


def test_an_unknown_named_query_is_said(site: Site) -> None:
    status, _, body = site.get("/query?name=nope", BROWSER)
    assert status == 404
    assert "Eine benannte Abfrage nope gibt es nicht; es gibt: " in body.decode()
    assert 'id="query"' in body.decode() or "<textarea" in body.decode()  # the editor still


def test_the_footer_separates_licence_and_publisher(site: Site) -> None:
    html = site.page("/")
    assert re.search(r"</a>\.\s+Herausgeber:", html), html[html.index("imprint") :][:400]


def test_named_query_results_have_short_links(site: Site) -> None:
    html = site.page("/queries/region?run=1&key=06413")
    links = re.findall(r'href="(/queries/region\.(?:csv|json)[^"]*)"', html)
    assert links == ["/queries/region.csv?key=06413", "/queries/region.json?key=06413"]
    assert "/sparql?query=" not in html
    status, headers, body = site.get("/queries/region.csv?key=06413")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert 'filename="region-06413.csv"' in headers["content-disposition"]
    assert body.startswith(b"year,section,") and b"06413" in body
    status, _, body = site.get("/queries/region.json?key=06413")
    assert status == 200 and json.loads(body)["results"]["bindings"]
    status, _, body = site.get("/queries/region.csv?key=6413", "text/plain")
    assert status == 400, body
    status, _, body = site.get("/queries/region.csv?nope=1", "text/plain")
    assert status == 400 and b"no parameter 'nope'" in body, body


# --- pure parts ----------------------------------------------------------------------------


def test_the_error_format_table() -> None:
    assert error_format(BROWSER) is HTML
    assert error_format("application/json") is PROBLEM
    assert error_format(None) is TEXT and error_format("*/*") is TEXT
    assert error_format("text/turtle") is TEXT
    assert error_format(None, "json") is PROBLEM and error_format("*/*", "html") is HTML
    assert error_format(BROWSER, "ttl") is HTML  # any other format: Accept decides


def test_conditional_requests() -> None:
    assert common.not_modified({"if-none-match": '"a", "b"'}, '"b"')
    assert common.not_modified({"if-none-match": "*"}, '"b"')
    assert common.not_modified({"if-none-match": 'W/"b"'}, '"b"')
    assert not common.not_modified({"if-none-match": '"a"'}, '"b"', 0.0)
    date = common.http_date(1_000_000)
    assert common.not_modified({"if-modified-since": date}, '"b"', 1_000_000.5)
    assert not common.not_modified({"if-modified-since": date}, '"b"', 1_000_001)
    assert not common.not_modified({"if-modified-since": "yesterday"}, '"b"', 0.0)


def test_the_engines_messages_are_reworded() -> None:
    assert readable("error at 2:5: expected one of GRAPH, MINUS, [_]") == (
        "line 2, column 5: expected GRAPH or MINUS"
    )
    assert readable("error at 1:50: expected [_]") == "line 1, column 50: unexpected character"
    assert readable("something else") == "something else"
