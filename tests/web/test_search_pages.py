"""``/search`` on the real ``aqb-rdf serve``: the page in both languages, its JSON, the box on
every page, and a Chromium walk search → result → resource page."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import brotli
import pyoxigraph as ox
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from test_pages import BROWSER, Site

from aqb_rdf.publish.release import CURRENT
from aqb_rdf.web.render import sitemap
from live_server import Server, chromium, require_browser

pytestmark = pytest.mark.slow  # starts aqb-rdf serve (and Chromium)

WAIT = 10.0


@pytest.fixture(scope="module")
def site(running_server: Server, built_default_dataset: Path) -> Site:
    return Site(running_server, built_default_dataset)


def test_the_page_groups_and_marks(site: Site) -> None:
    html = site.page("/search?q=Bergstrase")
    assert '<h2 id="kind-region">Gebietskörperschaften <small>(1)</small></h2>' in html
    assert '<a href="/id/gebietskoerperschaft/06431">Landkreis <mark>Bergstraße</mark></a>' in html
    assert "<em>bergstrase</em> → bergstrasse" in html
    english = site.page("/search?q=Bergstrase&lang=en")
    assert '<h2 id="kind-region">Territorial authorities <small>(1)</small></h2>' in english
    assert "<mark>Bergstraße</mark> (district)</a>" in english
    assert 'href="/id/gebietskoerperschaft/06431?lang=en"' in english


def test_nothing_found_and_no_query(site: Site) -> None:
    assert "Nichts gefunden für „xyzzy“." in site.page("/search?q=xyzzy")
    empty = site.page("/search")
    assert '<input type="search" name="q" value=""' in empty and "Treffer" not in empty


def test_json(site: Site) -> None:
    for path, accept in (("/search?q=Heppenheim&format=json", BROWSER),
                         ("/search?q=Heppenheim", "application/json")):  # fmt: skip
        status, headers, body = site.get(path, accept)
        assert status == 200 and headers["content-type"] == "application/json"
        answer = json.loads(body)
        (group,) = answer["groups"]
        assert (group["kind"], group["total"]) == ("place", 1)
        (hit,) = group["results"]
        assert (
            hit["iri"] == "https://aqb-rdf.example/id/zielvereinbarung/2025/06431/unterzeichnung/2"
        )
        assert hit["href"] == "/id/zielvereinbarung/2025/06431/unterzeichnung/2"
        assert (hit["title"], hit["title_marks"]) == ("Heppenheim", [[0, 10]])
        assert hit["context"] == "Angelika Beckenbach, Zielvereinbarung 2025 – Landkreis Bergstraße"


@pytest.mark.parametrize("path", ["/", "/def/aqb", "/queries", "/query",
                                  "/id/gebietskoerperschaft/06431", "/search?q=x"])  # fmt: skip
def test_every_page_has_the_search_box(site: Site, path: str) -> None:
    html = site.page(path)
    assert '<form class="search" action="/search" method="get" role="search">' in html


@pytest.fixture(scope="module")
def browser(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    require_browser()
    with chromium(tmp_path_factory.mktemp("chromium-profile"), WAIT) as driver:
        yield driver


def test_search_result_resource(site: Site, browser: WebDriver) -> None:
    browser.get(site.server.base + "/")
    box = browser.find_element(By.CSS_SELECTOR, "header.site form.search input[name=q]")
    box.send_keys("Landkreis Ofenbach", Keys.ENTER)
    WebDriverWait(browser, WAIT).until(ec.url_contains("/search?q="))
    first = browser.find_element(By.CSS_SELECTOR, "#kind-region + ol.search-results li a")
    assert first.text == "Landkreis Offenbach"
    marked = first.find_elements(By.TAG_NAME, "mark")
    assert [m.text for m in marked] == ["Landkreis", "Offenbach"]
    first.click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/id/gebietskoerperschaft/06438"))
    assert "Offenbach" in browser.find_element(By.TAG_NAME, "h1").text


def test_the_landing_page_embeds_a_schema_org_dataset(site: Site) -> None:
    html = site.page("/")
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    node = json.loads(html[start : html.index("</script>", start)])
    assert node["@context"] == "https://schema.org/" and node["@type"] == "Dataset"
    assert node["name"].startswith("Ausbildungs- und Qualifizierungsbudget Hessen")
    assert node["description"] and node["license"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert node["publisher"]["name"].startswith("Hessisches Ministerium")
    assert node["creator"] == node["publisher"]
    assert node["temporalCoverage"] == "2025-01-01/2025-12-31"
    assert node["spatialCoverage"]["name"] == "Hessen"
    formats = {d["encodingFormat"] for d in node["distribution"]}
    assert {"text/turtle", "application/n-triples", "application/ld+json", "text/csv"} <= formats
    for download in node["distribution"]:
        assert download["contentUrl"].startswith("https://aqb-rdf.example/download/")


def test_the_sitemap_lists_every_id_iri(site: Site) -> None:
    status, headers, body = site.get("/sitemap.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    tree = ElementTree.fromstring(body)
    listed = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    release = (site.out / CURRENT).resolve()
    subjects = {
        t.subject.value.partition("#")[0]
        for t in ox.parse(path=release / "aqb.nt", format=ox.RdfFormat.N_TRIPLES)
        if isinstance(t.subject, ox.NamedNode)
    }
    ids = {iri for iri in subjects if iri.startswith("https://aqb-rdf.example/id/")}
    assert ids and ids <= listed
    assert "https://aqb-rdf.example/" in listed and "https://aqb-rdf.example/def/aqb" in listed
    status, _, _ = site.get("/sitemap-1.xml")
    assert status == 404  # one file holds them all


def test_a_large_sitemap_is_an_index_of_files() -> None:
    urls = sitemap.pages("https://x.example/", [f"https://x.example/id/r/{n}" for n in range(3)])
    assert urls[:3] == [
        "https://x.example/",
        "https://x.example/id/r/0",
        "https://x.example/id/r/1",
    ]
    tree = ElementTree.fromstring(sitemap.index("https://x.example/", 2))
    assert [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")] == [
        "https://x.example/sitemap-1.xml", "https://x.example/sitemap-2.xml",
    ]  # fmt: skip


def test_robots_and_favicon(site: Site) -> None:
    status, _, body = site.get("/robots.txt")
    assert status == 200 and "Sitemap: https://aqb-rdf.example/sitemap.xml\n" in body.decode()
    status, headers, _ = site.get("/favicon.ico")
    assert status == 301 and headers["location"] == "/static/favicon.svg"
    status, headers, body = site.get("/static/favicon.svg")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")
    ElementTree.fromstring(body)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in site.page("/")


@pytest.mark.parametrize("path", ["/", "/id/gebietskoerperschaft/06431", "/download/aqb.ttl",
                                  "/download/aqb.nt", "/sitemap.xml"])  # fmt: skip
def test_gzip_and_brotli_give_back_the_same_bytes(site: Site, path: str) -> None:
    status, plain_headers, plain = site.get(path, BROWSER)
    assert status == 200 and "content-encoding" not in plain_headers
    for encoding, unpack in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        status, headers, packed = site.get(path, BROWSER, Accept_Encoding=encoding)
        assert status == 200 and headers["content-encoding"] == encoding
        assert "accept-encoding" in headers["vary"].lower()
        assert len(packed) < len(plain)
        assert unpack(packed) == plain
