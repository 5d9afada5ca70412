"""The Linked-Data answers and pages of the real ``aqb-rdf serve`` (src/aqb_rdf/web/site.py).

The session's server over the build of data/agreements (``running_server`` and
``built_default_dataset`` of ``conftest.py``, shared with test_server.py and test_browser.py): content negotiation as a table, every page kind with
its heading and one fact, the RDF parsed with rdflib and compared with the build's dump, the
VoID description, the DCAT catalogue (served as built; every distribution downloads the bytes
its size and checksum promise; every IRI of ours in it answers here), the query pages, and
the paths that must stay 404. A few pure helpers
(language choice, number formats, chart ticks) are tested directly at the end.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from aqb_rdf.publish.dumps import DUMPS
from aqb_rdf.rdf.files import DISTRIBUTIONS
from aqb_rdf.sparql.store import available_queries, find_query
from aqb_rdf.web.render.chart import Bar, budget_chart, nice_step
from aqb_rdf.web.render.texts import choose_language, counted, format_amount, format_date
from live_server import Server

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

AQB_RDF = Path(sys.executable).parent / "aqb-rdf"
BASE = "https://aqb-rdf.example/"
AQB = Namespace(BASE + "def/aqb#")
VOID = Namespace("http://rdfs.org/ns/void#")
AGREEMENT = "/id/zielvereinbarung/2025/06413"
REGION = "/id/gebietskoerperschaft/06413"
PROJECT = AGREEMENT + "/massnahmenart/3/projekt/2"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@dataclass
class Site:
    """The running server and the build it serves (``out``: the files as built)."""

    server: Server
    out: Path

    def get(
        self, path: str, accept: str | None = None, **headers: str
    ) -> tuple[int, dict[str, str], bytes]:
        sent = {key.replace("_", "-"): value for key, value in headers.items()}
        if accept is not None:
            sent["Accept"] = accept
        return self.server.request("GET", path, headers=sent)

    def page(self, path: str, **headers: str) -> str:
        status, response, body = self.get(path, BROWSER, **headers)
        assert status == 200, (path, status, body[:300])
        assert response["content-type"].startswith("text/html")
        return body.decode("utf-8")


@pytest.fixture(scope="module")
def site(running_server: Server, built_default_dataset: Path) -> Site:
    return Site(running_server, built_default_dataset)


def h1(html: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert match, html[:500]
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]*)"', html))


# --- content negotiation --------------------------------------------------------------------

TURTLE, JSONLD, NT, RDFXML, HTML = (
    "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml", "text/html",
)  # fmt: skip

CONNEG = [
    # path, Accept, ?format=, status, media type
    (AGREEMENT, "text/html", None, 200, HTML),
    (AGREEMENT, BROWSER, None, 200, HTML),
    (AGREEMENT, "*/*", None, 200, HTML),
    (AGREEMENT, None, None, 200, TURTLE),
    (AGREEMENT, "text/turtle", None, 200, TURTLE),
    (AGREEMENT, "application/ld+json", None, 200, JSONLD),
    (AGREEMENT, "application/n-triples", None, 200, NT),
    (AGREEMENT, "application/rdf+xml", None, 200, RDFXML),
    (AGREEMENT, "text/turtle, */*;q=0.1", None, 200, TURTLE),
    (AGREEMENT, BROWSER, "ttl", 200, TURTLE),
    (AGREEMENT, "text/turtle", "html", 200, HTML),
    (AGREEMENT, "image/png", None, 406, "text/plain"),
    (AGREEMENT, None, "pdf", 400, "text/plain"),
    (REGION, "text/turtle;q=0.5, application/ld+json", None, 200, JSONLD),
    (REGION, None, "jsonld", 200, JSONLD),
    (REGION, None, "nt", 200, NT),
    (REGION, None, "rdf", 200, RDFXML),
    ("/id/organisation/hmsi", "application/json", None, 200, JSONLD),
    ("/def/aqb", BROWSER, None, 200, HTML),
    ("/def/aqb", "text/turtle", None, 200, TURTLE),
    ("/def/massnahmenart/1", None, "html", 200, HTML),
    ("/def/rechtskreis/sgb-ii", BROWSER, None, 200, HTML),
    (PROJECT, "application/n-triples", None, 200, NT),
    ("/graph/reference", "text/turtle", None, 200, TURTLE),
    ("/.well-known/void", "text/turtle", None, 200, TURTLE),
    ("/.well-known/void", BROWSER, None, 200, HTML),
    ("/catalog", None, None, 200, TURTLE),
    ("/catalog", BROWSER, None, 200, HTML),
    ("/catalog", None, "jsonld", 200, JSONLD),
    ("/catalog", "application/rdf+xml", None, 200, RDFXML),
    ("/id/zielvereinbarung/2025/09999", BROWSER, None, 404, HTML),
    ("/id/zielvereinbarung/2025/09999", "text/turtle", None, 404, "text/plain"),
]


@pytest.mark.parametrize(
    ("path", "accept", "format_param", "status", "media_type"),
    CONNEG,
    ids=[f"{p}|{a}|{f}" for p, a, f, _, _ in CONNEG],
)
def test_content_negotiation(
    site: Site,
    path: str,
    accept: str | None,
    format_param: str | None,
    status: int,
    media_type: str,
) -> None:
    url = path + (f"?format={format_param}" if format_param else "")
    got, headers, body = site.get(url, accept)
    assert got == status, body[:300]
    assert headers["content-type"].split(";")[0] == media_type
    assert "accept" in headers["vary"].lower()


# --- the RDF representations --------------------------------------------------------------


@pytest.fixture(scope="module")
def dump(site: Site) -> Graph:
    return Graph().parse(site.out / "aqb.nt", format="nt")


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [(TURTLE, "turtle"), (JSONLD, "json-ld"), (NT, "nt"), (RDFXML, "xml")],
)
def test_rdf_holds_the_resources_triples(
    site: Site, dump: Graph, media_type: str, rdflib_format: str
) -> None:
    status, _, body = site.get(AGREEMENT, media_type)
    assert status == 200
    graph = Graph().parse(data=body, format=rdflib_format)
    agreement = URIRef(BASE + AGREEMENT[1:])
    own = set(dump.triples((agreement, None, None)))
    assert own and own <= set(graph), own - set(graph)
    # …plus what the page needs one step out: the budget's amount, the region's name.
    budget = URIRef(BASE + AGREEMENT[1:] + "/budget")
    amount = graph.value(budget, URIRef("http://schema.org/value"))
    assert amount is not None and Decimal(str(amount)) == Decimal("1011410")
    region = URIRef(BASE + REGION[1:])
    assert (region, RDFS.label, Literal("Stadt Offenbach am Main", lang="de")) in graph


def test_all_formats_say_the_same(site: Site) -> None:
    graphs = []
    for accept, rdflib_format in [(TURTLE, "turtle"), (JSONLD, "json-ld"), (RDFXML, "xml")]:
        body = site.get("/def/aqb", accept)[2]  # with blank nodes (owl:unionOf lists)
        graphs.append(Graph().parse(data=body, format=rdflib_format))
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_region_rdf_has_its_agreements(site: Site) -> None:
    graph = Graph().parse(data=site.get(REGION, TURTLE)[2], format="turtle")
    agreements = set(graph.subjects(AQB.gebietskoerperschaft, URIRef(BASE + REGION[1:])))
    assert agreements == {URIRef(BASE + AGREEMENT[1:])}


def test_resources_carry_an_etag_and_answer_304(site: Site) -> None:
    status, headers, _ = site.get(REGION, TURTLE)
    assert status == 200 and headers["etag"]
    status, _, body = site.get(REGION, TURTLE, If_None_Match=headers["etag"])
    assert status == 304 and body == b""
    other = site.get(REGION, "application/ld+json")[1]["etag"]
    assert other != headers["etag"]  # one ETag per representation


def test_a_kept_answer_is_the_answer_sent_first(site: Site) -> None:
    # Finished answers are kept per release; the second is sent from there, byte for byte,
    # with its headers once each.
    for accept, query in ((TURTLE, ""), ("text/html", "?lang=en"), ("text/html", "")):
        status, headers, body = site.get(AGREEMENT + query, accept)
        raw = http.client.HTTPConnection("127.0.0.1", site.server.port, timeout=30)
        try:
            raw.request("GET", AGREEMENT + query, headers={"Accept": accept})
            again = raw.getresponse()
            again_body, again_headers = again.read(), again.getheaders()
        finally:
            raw.close()
        assert status == again.status == 200
        assert again_body == body
        names = [name.lower() for name, _ in again_headers]
        assert names.count("content-type") == 1 and names.count("content-length") == 1
        again_map = {name.lower(): value for name, value in again_headers}
        for name in ("content-type", "etag", "vary", "cache-control"):
            assert again_map[name] == headers[name], name


# --- the pages ------------------------------------------------------------------------------


def test_agreement_page(site: Site) -> None:
    html = site.page(AGREEMENT)
    assert h1(html) == "Zielvereinbarung 2025 – Stadt Offenbach am Main"
    assert "1.011.410,00 €" in html
    links = hrefs(html)
    assert REGION in links  # agreement → region
    assert "/id/organisation/hmsi" in links
    assert "/def/massnahmenart/3" in links  # agreement → Maßnahmenarten → projects
    assert PROJECT in links
    assert f"{AGREEMENT}?format=ttl" in links and f"{AGREEMENT}?format=jsonld" in links
    assert "Heike Hofmann" in html
    assert not any(link.startswith(BASE) for link in links)  # base IRIs rewritten


def test_region_page_lists_its_agreements(site: Site) -> None:
    html = site.page(REGION)
    assert h1(html) == "Stadt Offenbach am Main"
    assert "Kreisfreie Stadt" in html and "06413" in html
    assert AGREEMENT in hrefs(html)
    assert re.search(r"<td>2025</td>\s*<td><a href=\"/id/zielvereinbarung/2025/06413\">", html)


def test_region_page_links_to_other_datasets(site: Site) -> None:
    html = site.page(REGION)
    assert {
        "http://www.wikidata.org/entity/Q3042",
        "http://data.europa.eu/nuts/code/DE713",
        "http://dcat-ap.de/def/politicalGeocoding/districtKey/06413",
    } <= hrefs(html)
    assert ">Wikidata Q3042</a>" in html and ">NUTS DE713</a>" in html


def test_ministry_page_lists_both_agreements(site: Site) -> None:
    html = site.page("/id/organisation/hmsi")
    assert h1(html) == "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
    assert "Ministerium" in html
    assert {AGREEMENT, "/id/zielvereinbarung/2025/06431"} <= hrefs(html)
    assert "Hessisches Ministerium für Soziales und Integration" in html  # the former name


def test_regierungspraesidium_page(site: Site) -> None:
    html = site.page("/id/organisation/rp-kassel")
    assert h1(html) == "Regierungspräsidium Kassel"
    assert "Als Bewilligungsbehörde" in html and AGREEMENT in hrefs(html)


def test_massnahmenart_page_lists_projects(site: Site) -> None:
    html = site.page("/def/massnahmenart/3")
    assert h1(html) == "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung"
    assert "Interkulturelle Gruppe" in html
    assert {PROJECT, AGREEMENT, "/def/massnahmenart"} <= hrefs(html)


def test_project_page_links_back(site: Site) -> None:
    html = site.page(PROJECT)
    assert h1(html) == "Interkulturelle Gruppe"
    assert {AGREEMENT, REGION, "/def/massnahmenart/3"} <= hrefs(html)  # project → agreement
    assert "Jobcoach" in html  # the other projects of the same Maßnahmenart
    assert re.search(r"<td class=\"num\">72</td>", html)  # its line in the document


def test_ontology_page_documents_classes_and_properties(site: Site) -> None:
    html = site.page("/def/aqb")
    assert h1(html).startswith("AQB-Ontologie")
    for anchor in ("Zielvereinbarung", "Gebietskoerperschaft", "jahr", "massnahmenart"):
        assert f'id="{anchor}"' in html
    assert "Jährliche Vereinbarung zwischen dem hessischen Arbeitsministerium" in html
    assert re.search(r">Ministerium</a> oder <a [^>]*>Gebietskörperschaft</a>", html)  # a union
    english = site.page("/def/aqb?lang=en")
    assert h1(english).startswith("AQB ontology")
    assert "Yearly agreement between the Hessian labour ministry" in english
    assert "/def/aqb?lang=en#Zielvereinbarung" in hrefs(english)


@pytest.mark.parametrize(
    ("path", "heading", "fact"),
    [
        ("/def/rechtskreis/sgb-ii", "Zweites Buch Sozialgesetzbuch", AGREEMENT),
        # Parts without a label of their own are titled by their class and what they belong
        # to, never by a raw path (issue 12).
        (AGREEMENT + "/fundstelle/jahr", "Fundstelle: Jahr – Zielvereinbarung 2025", AGREEMENT),
        (
            "/id/bezugsrahmen/esf-hessen",
            "ESF Hessen (Europäischer Sozialfonds in Hessen)",
            AGREEMENT,
        ),
        (
            "/def/massnahmenart",
            "Maßnahmenarten des Ausbildungs- und Qualifizierungsbudgets",
            "/def/massnahmenart/4",
        ),
        (AGREEMENT + "/budget", "Budget – Zielvereinbarung 2025 – Stadt Offenbach", AGREEMENT),
        (
            "/graph/zielvereinbarung/2025/06413",
            "Benannter Graph: Zielvereinbarung 2025 – Stadt Offenbach am Main",
            PROJECT,
        ),
        ("/graph/reference", "Benannter Graph: Referenzdaten", "/id/gebietskoerperschaft/06413"),
    ],
)
def test_generic_pages(site: Site, path: str, heading: str, fact: str) -> None:
    html = site.page(path)
    assert h1(html).startswith(heading)
    assert fact in hrefs(html)


def test_language_by_parameter_and_header(site: Site) -> None:
    german = site.page(AGREEMENT)
    assert '<html lang="de">' in german
    english = site.page(AGREEMENT + "?lang=en")
    assert '<html lang="en">' in english
    assert h1(english) == "Target agreement 2025 – Stadt Offenbach am Main"
    assert "€1,011,410.00" in english
    assert REGION + "?lang=en" in hrefs(english)  # the choice follows the links
    by_header = site.page(AGREEMENT, Accept_Language="en-GB,en;q=0.9,de;q=0.5")
    assert h1(by_header) == "Target agreement 2025 – Stadt Offenbach am Main"
    assert REGION in hrefs(by_header)  # no parameter to carry along
    assert h1(site.page(AGREEMENT + "?lang=de", Accept_Language="en")).startswith(
        "Zielvereinbarung"
    )


def test_landing_page(site: Site) -> None:
    html = site.page("/")
    assert h1(html) == "Ausbildungs- und Qualifizierungsbudget Hessen"
    assert html.count('class="bar"') == 2  # one bar per agreement in the chart
    assert "<svg" in html and "Landkreis Bergstraße" in html
    assert "2.241.860,00 €" in html  # the total of 2025
    links = hrefs(html)
    assert {REGION, AGREEMENT, "/def/aqb", "/queries", "/query", "/sparql", "/catalog"} <= links
    assert {f"/download/{name}" for name in DUMPS} <= links
    assert {"/download/catalog.ttl", "/download/void.ttl"} <= links


def test_landing_page_counts_in_singular_and_plural(site: Site) -> None:
    for lang, year, agreements in (
        ("de", "Jahr <strong>2025</strong>", "<strong>2</strong> Zielvereinbarungen"),
        ("en", "Year <strong>2025</strong>", "<strong>2</strong> target agreements"),
    ):
        html = site.page(f"/?lang={lang}")
        assert year in html and agreements in html, lang
        assert "2025</strong> Jahre" not in html and "2025</strong> Years" not in html


@pytest.mark.parametrize(
    ("count", "lang", "word"),
    [(1, "de", "Zielvereinbarung"), (2, "de", "Zielvereinbarungen"), (0, "de", "Zielvereinbarungen"),
     (1, "en", "target agreement"), (3, "en", "target agreements")],
)  # fmt: skip
def test_counted_words(count: int, lang: str, word: str) -> None:
    assert counted("agreements", count, lang) == word


def test_pages_load_nothing_from_elsewhere(site: Site) -> None:
    for path in ("/", AGREEMENT, "/def/aqb", "/queries", "/query"):
        html = site.page(path)
        sources = re.findall(r'<(?:script|img|iframe)[^>]*\ssrc="([^"]*)"', html)
        sources += re.findall(r'<link[^>]*\shref="([^"]*)"', html)
        assert all(source.startswith("/") for source in sources), (path, sources)


# --- the query pages ------------------------------------------------------------------------


INTERNAL_QUERIES = {
    "collection-facets",
    "describe-resource",
    "resource-exists",
    "resource-links",
    "sitemap-resources",
}


def test_queries_page_lists_every_offered_query_in_the_page_language(site: Site) -> None:
    german, english = site.page("/queries"), site.page("/queries?lang=en")
    for name in available_queries():
        query = find_query(name)
        for html, lang in ((german, "de"), (english, "en")):
            offered = f"/queries/{name}" in " ".join(hrefs(html))
            assert offered == (name not in INTERNAL_QUERIES), (name, lang)
            if offered:
                assert query.title_in(lang) in unescape(html), (name, lang)
                assert query.description_in(lang) in unescape(html), (name, lang)
    assert "Budget je Gebietskörperschaft und Jahr" in german
    assert "Budget per Gebietskörperschaft and year" not in german
    assert "Budget per Gebietskörperschaft and year" in english


def test_a_named_query_page_is_in_the_page_language(site: Site) -> None:
    assert h1(site.page("/queries/total-per-year")) == "AQB-Budget insgesamt je Jahr"
    assert h1(site.page("/queries/total-per-year?lang=en")) == "Total AQB budget per year"


def test_named_query_runs_from_its_form(site: Site) -> None:
    html = site.page("/queries/budget-per-region-year?run=1&year=2025")
    rows = re.findall(r"<tr><td>2025</td>", html)
    assert len(rows) == 2
    assert "Stadt Offenbach am Main" in html and "Landkreis Bergstraße" in html
    # A short link, not the query's text in a /sparql URL.
    csv_link = next(link for link in hrefs(html) if ".csv" in link)
    assert csv_link == "/queries/budget-per-region-year.csv?year=2025"
    status, headers, body = site.get(csv_link)
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert b"1011410" in body


def test_named_query_rejects_a_malformed_parameter(site: Site) -> None:
    status, _, body = site.get("/queries/region?run=1&key=0641%27", BROWSER)
    assert status == 400
    # In the page's language only (issue 12): no English message inside a German page.
    assert "Der Parameter key muss ein fünfstelliger Kreisschlüssel" in body.decode()
    assert "must be" not in body.decode()
    status, _, body = site.get("/queries/region?run=1&key=0641%27&lang=en", BROWSER)
    assert status == 400 and "The parameter key must be a 5-digit" in body.decode()
    status, _, body = site.get("/queries/region?run=1", BROWSER)
    assert status == 400 and "braucht einen Wert für: key" in body.decode()


def test_query_editor(site: Site) -> None:
    html = site.page("/query?name=total-per-year")
    assert '<textarea name="query"' in html and "SELECT ?year" in html
    block = re.search(r'<select id="example" name="name">(.*?)</select>', html, re.S)
    assert block is not None
    examples = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', block.group(1)))
    assert set(examples) == set(available_queries()) - INTERNAL_QUERIES
    assert examples["total-per-year"] == "AQB-Budget insgesamt je Jahr"
    assert '<option value="total-per-year" selected>' in block.group(1)
    # A query with a required parameter arrives bound (issue 12), or says what it needs.
    bound = site.page("/query?name=region&key=06413")
    assert "VALUES ?key { &#34;06413&#34; }" in bound
    unbound = site.page("/query?name=region")
    assert "braucht einen Wert für: key" in unbound
    status, headers, body = site.get("/static/query.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"fetch(" in body


# --- bounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/nothing",
        "/id/",
        "/id/zielvereinbarung//2025",
        "/id/zielvereinbarung/2025/06413/x/",  # with its last "/": 301 to a path that is 404
        "/id/../etc/passwd",
        "/id/%2e%2e/%2e%2e/pyproject.toml",
        "/def/aqb/..",
        "/static/app.py",
        "/static/../app.py",
        "/static/%2e%2e%2fapp.py",
        "/static/",
        "/queries/nosuch",
        "/queries/..%2Fpyproject",
        "/id/" + "a" * 600,
    ],
)
def test_unknown_paths_are_404(site: Site, path: str) -> None:
    status, headers, _ = site.get(path, BROWSER)
    if status == 301:
        status = site.get(headers["location"], BROWSER)[0]
    assert status == 404


# --- VoID -----------------------------------------------------------------------------------


def test_void_description(site: Site) -> None:
    status, _, body = site.get("/.well-known/void", "text/turtle")
    assert status == 200
    graph = Graph().parse(data=body, format="turtle")
    [dataset] = graph.subjects(
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), VOID.Dataset
    )
    # Under the base IRI, which the server maps to its root; never the request's host.
    assert (dataset, VOID.sparqlEndpoint, URIRef(f"{BASE}sparql")) in graph
    dumps = {str(o) for o in graph.objects(dataset, VOID.dataDump)}
    assert dumps == {
        f"{BASE}download/{name}" for name in ("aqb.ttl", "aqb.nt", "aqb.jsonld", "aqb.trig")
    }
    for dump_url in dumps:
        assert site.get(local(dump_url))[0] == 200
    lines = (site.out / "aqb.nt").read_text(encoding="utf-8").splitlines()
    assert graph.value(dataset, VOID.triples).toPython() == len(lines)  # type: ignore[union-attr]
    examples = set(graph.objects(dataset, VOID.exampleResource))
    assert URIRef(BASE + AGREEMENT[1:]) in examples
    for example in examples:  # every example dereferences here
        assert site.get("/" + str(example)[len(BASE) :], "text/turtle")[0] == 200


# --- the DCAT catalogue and the VoID file -----------------------------------------------------

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"


def local(iri: str) -> str:
    """The path on this server of an IRI under the base (its fragment dropped)."""
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE) :].split("#", 1)[0]


@pytest.fixture(scope="module")
def catalogue(site: Site) -> Graph:
    status, headers, body = site.get("/download/catalog.ttl")
    assert status == 200
    assert headers["content-type"].split(";")[0] == TURTLE
    return Graph().parse(data=body, format="turtle")


@pytest.mark.parametrize("name", ["catalog.ttl", "void.ttl"])
def test_descriptions_download_as_built(site: Site, name: str) -> None:
    status, headers, body = site.get(f"/download/{name}")
    assert status == 200
    assert body == (site.out / name).read_bytes()
    assert headers["etag"].strip('"') == (site.out / "current").resolve().name


def test_catalog_path_answers_the_catalogue(site: Site, catalogue: Graph) -> None:
    status, _, body = site.get("/catalog", JSONLD)
    assert status == 200
    assert isomorphic(Graph().parse(data=body, format="json-ld"), catalogue)
    html = site.page("/catalog?lang=en")
    assert "Catalogue of the Hessian AQB target agreements" in html


def test_every_distribution_downloads_what_the_catalogue_says(site: Site, catalogue: Graph) -> None:
    downloaded = set()
    for distribution in catalogue.subjects(RDF.type, DCAT.Distribution):
        url = str(catalogue.value(distribution, DCAT.downloadURL))
        status, headers, body = site.get(local(url))
        assert status == 200, url
        downloaded.add(url.rsplit("/", 1)[1])
        media_type = str(catalogue.value(distribution, DCAT.mediaType))
        assert headers["content-type"].split(";")[0] == media_type.removeprefix(IANA), url
        size = catalogue.value(distribution, DCAT.byteSize)
        assert isinstance(size, Literal), url
        assert len(body) == int(str(size)), url
        checksum = catalogue.value(distribution, SPDX.checksum)
        assert hashlib.sha256(body).hexdigest() == str(
            catalogue.value(checksum, SPDX.checksumValue)
        )
    assert downloaded == {file.name for file in DISTRIBUTIONS}


def test_every_iri_of_ours_in_the_catalogue_answers(site: Site, catalogue: Graph) -> None:
    """The catalogue, dataset, endpoint, landing pages, publisher, ontology: all answer here."""
    iris = {str(t) for triple in catalogue for t in triple if isinstance(t, URIRef)}
    paths = sorted({local(iri) for iri in iris if iri.startswith(BASE)})
    assert {"/", "/catalog", "/sparql", "/query", "/.well-known/void", "/def/aqb"} <= set(paths)
    for path in paths:
        status, headers, _ = site.get(path, BROWSER)
        if path == "/sparql":  # a browser is sent on to the query page
            assert (status, headers["location"]) == (303, "/query"), path
        else:
            assert status == 200, path


# --- pure helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "header", "expected"),
    [
        (None, None, "de"),
        ("en", None, "en"),
        ("EN", "de", "en"),
        ("fr", "en", "en"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "fr, en;q=0.5, de;q=0.8", "de"),
        (None, "fr, *;q=0.1", "de"),
        (None, "en;q=0, de;q=0", "de"),
        (None, "en;q=abc, ;;, x", "de"),
    ],
)
def test_choose_language(param: str | None, header: str | None, expected: str) -> None:
    assert choose_language(param, header) == expected


def test_formats() -> None:
    assert format_amount(Decimal("1011410.00"), "de") == "1.011.410,00 €"
    assert format_amount(Decimal("1011410.00"), "en") == "€1,011,410.00"
    assert format_amount(Decimal("1230450"), "en", decimals=0) == "€1,230,450"
    assert format_date("2025-08-06", "de") == "6. August 2025"
    assert format_date("2025-08-06", "en") == "6 August 2025"
    assert [nice_step(m) for m in (1_230_450, 100, 0, 7)] == [500_000, 20, 1, 2]


def test_chart_is_well_formed_and_escapes_names() -> None:
    bars = [
        Bar(
            "<script>alert(1)</script> & Co",
            BASE + "id/gebietskoerperschaft/1",
            "2024",
            Decimal(5),
            BASE + "a",
        ),
        Bar(
            "Stadt B", BASE + "id/gebietskoerperschaft/2", "2025", Decimal("1230450.50"), BASE + "b"
        ),
    ]
    svg = budget_chart(bars, "de", lambda iri: "/" + iri[len(BASE) :], "Titel", "Beschriftung")
    root = ElementTree.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert len(root.findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")) == 2
    assert 'href="/id/gebietskoerperschaft/2"' in svg and "1.230.450 €" in svg
    assert ElementTree.fromstring(budget_chart([], "en", str, "t", "c")) is not None
