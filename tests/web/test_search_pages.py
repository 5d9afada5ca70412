"""``/search`` on the real ``aqb-rdf serve``: the page in both languages, its JSON, the box on
every page, and a Chromium walk search → result → resource page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from test_pages import BROWSER, Site

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
