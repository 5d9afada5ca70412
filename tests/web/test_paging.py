"""Paging of what links to a resource (src/aqb_rdf/web/paging.py), on the real ``aqb-rdf serve``.

One server per module over a small synthetic corpus (aqb_rdf.demo.corpus: 4 regions × 3 years,
12 agreements), started with ``--page-size 10``: the ministry is linked from 24 things (its 12
agreements and 12 signatures), so it takes 3 pages (10, 10, 4); a region (3 agreements and 3
signatures) fits on one. Expected sets come from the build's own dump, read with rdflib; a
headless Chromium walks the HTML pages by their links.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from aqb_rdf.build.pipeline import build
from aqb_rdf.demo import corpus
from aqb_rdf.errors import PageError
from aqb_rdf.web.render.paging import Paging, parse_page
from live_server import Server, chromium, require_browser, serving

pytestmark = pytest.mark.slow  # builds a synthetic corpus, starts aqb-rdf serve and Chromium

BASE = "https://aqb-rdf.example/"
AQB = Namespace(BASE + "def/aqb#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
PAGE_SIZE = 10
MINISTRY = "/id/organisation/hmsi"
MASSNAHMENART = "/def/massnahmenart/2"
BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


@dataclass
class Site:
    server: Server
    dump: Graph

    def get(
        self, path: str, accept: str = "text/turtle", **headers: str
    ) -> tuple[int, dict[str, str], bytes]:
        sent = {"Accept": accept, **{k.replace("_", "-"): v for k, v in headers.items()}}
        return self.server.request("GET", path, headers=sent)

    def graph(self, path: str) -> Graph:
        status, _, body = self.get(path)
        assert status == 200, (path, status, body[:300])
        return Graph().parse(data=body, format="turtle")

    def html(self, path: str) -> str:
        status, _, body = self.get(path, BROWSER)
        assert status == 200, (path, status, body[:300])
        return body.decode("utf-8")

    def linking(self, path: str) -> set[URIRef]:
        """The IRIs that link to the resource at ``path``, by the dump."""
        iri = URIRef(BASE + path[1:])
        return {s for s, _ in self.dump.subject_predicates(iri) if isinstance(s, URIRef)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("paging")
    agreements = corpus.generate_corpus(root / "corpus", regions=4, years=3, seed=0)
    out = root / "dist"
    build(
        sorted(agreements.glob("*/*")), out, workers=1, reference_dir=root / "corpus" / "reference"
    )
    try:
        with serving(out, "--page-size", str(PAGE_SIZE)) as server:
            yield Site(server, Graph().parse(out / "aqb.nt", format="nt"))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def members(graph: Graph) -> set[URIRef]:
    return {m for m in graph.objects(None, HYDRA.member) if isinstance(m, URIRef)}


def local(iri: object) -> str:
    return "/" + str(iri)[len(BASE) :]


# --- RDF ------------------------------------------------------------------------------------


def test_pages_cover_everything_that_links_here_once(site: Site) -> None:
    expected = site.linking(MINISTRY)
    assert len(expected) == 24
    seen: list[set[URIRef]] = []
    path: str | None = MINISTRY
    while path is not None:
        graph = site.graph(path)
        [collection] = graph.subjects(RDF.type, HYDRA.Collection)
        assert graph.value(collection, HYDRA.totalItems) == Literal(24)
        [view] = graph.subjects(RDF.type, HYDRA.PartialCollectionView)
        assert (collection, HYDRA.view, view) in graph
        assert graph.value(view, HYDRA.first) == URIRef(BASE + MINISTRY[1:] + "?page=1")
        assert graph.value(view, HYDRA.last) == URIRef(BASE + MINISTRY[1:] + "?page=3")
        on_page = members(graph)
        # Those on the page are described: each with all its triples.
        for member in on_page:
            assert set(site.dump.triples((member, None, None))) <= set(graph)
        # …and no other thing that links here is (the blank node: hydra:manages).
        linking = graph.subject_predicates(URIRef(BASE + MINISTRY[1:]))
        assert {s for s, _ in linking if isinstance(s, URIRef)} == on_page
        seen.append(on_page)
        following = graph.value(view, HYDRA.next)
        previous = graph.value(view, HYDRA.previous)
        assert (previous is None) == (len(seen) == 1)
        path = None if following is None else local(following)
    assert [len(page) for page in seen] == [10, 10, 4]  # the last page: the remainder
    assert set().union(*seen) == expected  # together: everything…
    assert sum(len(page) for page in seen) == len(expected)  # …each once


def test_every_page_keeps_the_resources_own_triples(site: Site) -> None:
    ministry = URIRef(BASE + MINISTRY[1:])
    own = set(site.dump.triples((ministry, None, None)))
    assert own
    for number in (1, 2, 3):
        assert own <= set(site.graph(f"{MINISTRY}?page={number}"))


def test_page_one_is_the_page_without_a_parameter(site: Site) -> None:
    plain, first = site.get(MINISTRY), site.get(MINISTRY + "?page=1")
    assert plain[0] == first[0] == 200 and plain[2] == first[2]


def test_paged_answers_link_their_pages_in_a_header(site: Site) -> None:
    headers = site.get(MINISTRY + "?format=ttl&page=2")[1]
    found = re.findall(r'<([^>]*)>; rel="([a-z]+)"', headers["link"])
    links = {rel: target for target, rel in found if rel != "alternate"}  # the other formats
    base = BASE + MINISTRY[1:]  # under the base IRI, never the request's host
    assert links == {
        "first": base + "?format=ttl&page=1",
        "prev": base + "?format=ttl&page=1",
        "next": base + "?format=ttl&page=3",
        "last": base + "?format=ttl&page=3",
    }
    region = next(iter(site.dump.subjects(RDF.type, AQB.Landkreis)))
    assert 'rel="next"' not in site.get(local(region))[1]["link"]  # on one page: none


def test_json_ld_carries_the_paging_too(site: Site) -> None:
    status, headers, body = site.get(MINISTRY + "?page=3", "application/ld+json")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    graph = Graph().parse(data=body, format="json-ld")
    assert len(members(graph)) == 4
    [view] = graph.subjects(RDF.type, HYDRA.PartialCollectionView)
    assert graph.value(view, HYDRA.next) is None
    assert graph.value(view, HYDRA.previous) == URIRef(BASE + MINISTRY[1:] + "?page=2")


def test_a_resource_on_one_page_has_no_paging(site: Site) -> None:
    region = next(iter(site.dump.subjects(RDF.type, AQB.Landkreis)))
    path = local(region)
    assert 0 < len(site.linking(path)) <= PAGE_SIZE
    graph = site.graph(path)
    assert not list(graph.triples((None, None, HYDRA.PartialCollectionView)))
    assert {s for s, _ in graph.subject_predicates(region)} == site.linking(path)
    assert 'class="paging"' not in site.html(path)
    assert site.get(path + "?page=2")[0] == 404


# --- errors and caching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [("0", 400), ("-1", 400), ("abc", 400), ("1.5", 400), ("01", 400), ("", 400),
     ("%C2%B2", 400), ("12345678901", 400), ("4", 404), ("1000", 404)],
)  # fmt: skip
def test_pages_that_do_not_exist(site: Site, value: str, status: int) -> None:
    got, headers, body = site.get(f"{MINISTRY}?page={value}")
    assert got == status
    assert headers["content-type"].startswith("text/plain")
    text = body.decode("utf-8")
    assert text.endswith("\n") and text.count("\n") == 1 and "page" in text  # one line
    assert "accept" in headers["vary"].lower()
    html_status, html_headers, html = site.get(f"{MINISTRY}?page={value}", BROWSER)
    assert html_status == status and html_headers["content-type"].startswith("text/html")
    expected = "die letzte ist Seite 3." if status == 404 else "ganzen Zahl ab 1"
    assert expected in html.decode("utf-8")


def test_each_page_has_its_own_etag(site: Site) -> None:
    one = site.get(MINISTRY + "?page=1")[1]
    two = site.get(MINISTRY + "?page=2")[1]
    assert one["etag"] != two["etag"]
    assert "accept" in two["vary"].lower()
    assert site.get(MINISTRY + "?page=2", If_None_Match=two["etag"])[0] == 304
    assert site.get(MINISTRY + "?page=2", If_None_Match=one["etag"])[0] == 200
    html = site.get(MINISTRY + "?page=2", BROWSER)[1]["etag"]
    assert html not in (one["etag"], two["etag"])


# --- HTML -----------------------------------------------------------------------------------


def rel(html: str, name: str) -> str | None:
    match = re.search(rf'<a rel="{name}" href="([^"]*)"', html)
    return None if match is None else match.group(1).replace("&amp;", "&")


def test_html_pages_link_to_each_other(site: Site) -> None:
    first = site.html(MINISTRY)
    assert "24 Ressourcen verweisen hierher; diese Seite zeigt 1 bis 10 (Seite 1 von 3)." in first
    assert rel(first, "prev") is None and rel(first, "next") == MINISTRY + "?page=2"
    second = site.html(MINISTRY + "?page=2&lang=en")
    assert "24 resources link here; this page shows 11 to 20 (page 2 of 3)." in second
    assert rel(second, "prev") == MINISTRY + "?page=1&lang=en"
    assert rel(second, "next") == MINISTRY + "?page=3&lang=en"
    assert f'href="{MINISTRY}?format=ttl&amp;page=2"' in second  # RDF of the same page
    last = site.html(MINISTRY + "?page=3")
    assert rel(last, "next") is None and rel(last, "last") is None
    # The agreements the page lists are the ones on that page of the RDF.
    shown = set(re.findall(r'href="(/id/zielvereinbarung/\d{4}/\d{5})"', last))
    on_page = {local(m) for m in members(site.graph(MINISTRY + "?page=3"))}
    assert shown and shown <= on_page


def test_massnahmenart_counts_every_agreement_on_every_page(site: Site) -> None:
    concept = URIRef(BASE + MASSNAHMENART[1:])
    bereiche = {
        s for s in site.dump.subjects(AQB.massnahmenart, concept)
        if (s, RDF.type, AQB.Massnahmenbereich) in site.dump
    }  # fmt: skip
    assert len(site.linking(MASSNAHMENART)) > PAGE_SIZE
    for path in (MASSNAHMENART, MASSNAHMENART + "?page=2"):
        assert f"In {len(bereiche)} Zielvereinbarung(en) aufgeführt." in site.html(path)


def test_the_ontology_is_never_paged(site: Site) -> None:
    # Every term links to it (rdfs:isDefinedBy): more than a page here, all on its page.
    ontology = URIRef(BASE + "def/aqb")
    terms = site.linking("/def/aqb")
    assert len(terms) > PAGE_SIZE
    graph = site.graph("/def/aqb")
    assert {s for s, _ in graph.subject_predicates(ontology) if isinstance(s, URIRef)} == terms
    assert not list(graph.triples((None, RDF.type, HYDRA.PartialCollectionView)))
    html = site.html("/def/aqb")
    documented = {term for term in terms if "#" in term}  # not the two SKOS schemes
    assert len(documented) > PAGE_SIZE
    assert all(f'id="{str(term).rsplit("#", 1)[-1]}"' in html for term in documented)
    assert site.get("/def/aqb?page=2")[0] == 404


def test_a_class_links_to_its_instances(site: Site) -> None:
    # Classes are hash IRIs (…/def/aqb#Projekt): /def/aqb documents them, and each links to
    # the named query that lists its instances, however many.
    html = site.html("/def/aqb")
    section = html[html.index('id="Zielvereinbarung"') :]
    match = re.search(r'href="(/queries/instances\?[^"]*)"', section)
    assert match is not None
    listed = site.html(match.group(1).replace("&amp;", "&"))
    shown = set(re.findall(r'href="(/id/zielvereinbarung/\d{4}/\d{5})"', listed))
    assert shown == {local(a) for a in site.dump.subjects(RDF.type, AQB.Zielvereinbarung)}
    assert len(shown) == 12


def test_a_browser_walks_the_pages(site: Site, tmp_path_factory: pytest.TempPathFactory) -> None:
    require_browser()
    with chromium(tmp_path_factory.mktemp("chromium-profile"), 10.0) as browser:
        browser.get(site.server.base + MINISTRY)
        summary = "24 Ressourcen verweisen hierher; diese Seite zeigt {} (Seite {} von 3)."
        assert summary.format("1 bis 10", 1) in paging_text(browser)
        browser.find_element(By.CSS_SELECTOR, "nav.paging a[rel=next]").click()
        WebDriverWait(browser, 10.0).until(ec.url_contains("page=2"))
        assert summary.format("11 bis 20", 2) in paging_text(browser)
        browser.find_element(By.CSS_SELECTOR, "nav.paging a[rel=last]").click()
        WebDriverWait(browser, 10.0).until(ec.url_contains("page=3"))
        assert summary.format("21 bis 24", 3) in paging_text(browser)
        assert not browser.find_elements(By.CSS_SELECTOR, "nav.paging a[rel=next]")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")
        assert 0 < len(rows) <= PAGE_SIZE  # this page's agreements, not all 12


def paging_text(browser: WebDriver) -> str:
    nav = WebDriverWait(browser, 10.0).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "nav.paging"))
    )
    return str(nav.text)


# --- the pure part --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number"), [(None, 1), ("1", 1), ("7", 7), ("1000000000", 10**9)]
)
def test_parse_page(value: str | None, number: int) -> None:
    assert parse_page(value) == number


@pytest.mark.parametrize("value", ["0", "", " 1", "1 ", "+1", "0x1", "٣", "1000000001"])
def test_parse_page_refuses(value: str) -> None:
    with pytest.raises(PageError) as caught:
        parse_page(value)
    assert caught.value.status == 400


def test_paging_arithmetic() -> None:
    paging = Paging("https://x.example/r", 3, 10, 24)
    assert (paging.last, paging.offset, paging.first_item, paging.last_item) == (3, 20, 21, 24)
    assert (paging.previous, paging.next, paging.paged) == (2, None, True)
    assert Paging("https://x.example/r", 1, 10, 10).paged is False
    assert Paging("https://x.example/r", 1, 10, 0).last == 1
    with pytest.raises(PageError) as caught:
        Paging("https://x.example/r", 4, 10, 24).check()
    assert (caught.value.status, caught.value.last) == (404, 3)
