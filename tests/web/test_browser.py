"""The pages in a real headless Chromium, against the real ``aqb-rdf serve``.

Debian's ``chromium`` driven by selenium (``live_server.chromium``); without it the tests fail
under CI and are skipped otherwise (``live_server.require_browser``).

The walk: the landing page and its chart → a Gebietskörperschaft (through the chart's link) →
its agreement; from a fact of the agreement to its words highlighted in the document view and
back; the language switch; a named query run from its form; the SPARQL editor
loading an example and showing the result table that ``static/query.js`` builds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_pages import Site

from live_server import Server, chromium, require_browser

pytestmark = pytest.mark.slow  # starts aqb-rdf serve and Chromium

WAIT = 10.0


@pytest.fixture(scope="module")
def site(running_server: Server, built_default_dataset: Path) -> Site:
    """The session's server and the build it serves."""
    require_browser()
    return Site(running_server, built_default_dataset)


@pytest.fixture(scope="module")
def browser(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with chromium(tmp_path_factory.mktemp("chromium-profile"), WAIT) as driver:
        yield driver


def heading(browser: WebDriver) -> str:
    element = WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.TAG_NAME, "h1"))
    )
    return str(element.text)


def test_landing_chart_region_and_agreement(site: Site, browser: WebDriver) -> None:
    browser.get(site.server.base + "/")
    assert heading(browser) == "Ausbildungs- und Qualifizierungsbudget Hessen"
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
    assert len(bars) == 2
    assert all(float(bar.get_attribute("width") or 0) > 10 for bar in bars)
    # Follow the chart's link to a Gebietskörperschaft.
    browser.find_element(
        By.CSS_SELECTOR, "svg.chart a[href='/id/gebietskoerperschaft/06413'] text"
    ).click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/id/gebietskoerperschaft/06413"))
    assert heading(browser) == "Stadt Offenbach am Main"
    row = browser.find_element(By.XPATH, "//table//tr[td[1]='2025']")
    assert "1.011.410,00 €" in row.text
    row.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/id/zielvereinbarung/2025/06413"))
    assert heading(browser) == "Zielvereinbarung 2025 – Stadt Offenbach am Main"
    assert "1.011.410,00 €" in browser.find_element(By.CSS_SELECTOR, "dd.budget").text


def test_language_switch(site: Site, browser: WebDriver) -> None:
    browser.get(site.server.base + "/id/gebietskoerperschaft/06413")
    assert heading(browser) == "Stadt Offenbach am Main"
    browser.find_element(By.CSS_SELECTOR, "nav.lang a[hreflang='en']").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("lang=en"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Target agreements per year" in browser.page_source
    # The language stays chosen when a link is followed.
    browser.find_element(By.CSS_SELECTOR, "a[href^='/id/zielvereinbarung/2025/06413']").click()
    assert heading(browser) == "Target agreement 2025 – Stadt Offenbach am Main"


def test_named_query_from_its_form(site: Site, browser: WebDriver) -> None:
    browser.get(site.server.base + "/queries")
    # The browser asks for German: the German title of budget-per-region-year.rq.
    browser.find_element(By.LINK_TEXT, "Budget je Gebietskörperschaft und Jahr").click()
    field = WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.ID, "param-year"))
    )
    field.send_keys("2025")
    browser.find_element(By.CSS_SELECTOR, "form.named-query button[type=submit]").click()
    table = WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "table.results-table"))
    )
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [row.find_elements(By.TAG_NAME, "td")[1].text for row in rows] == ["06413", "06431"]


def test_query_editor_runs_an_example(site: Site, browser: WebDriver) -> None:
    browser.get(site.server.base + "/query")
    assert heading(browser) == "SPARQL"
    Select(browser.find_element(By.ID, "example")).select_by_value("total-per-year")
    browser.find_element(By.ID, "load-example").click()
    assert "SUM(?value)" in str(browser.find_element(By.ID, "query").get_attribute("value"))
    browser.find_element(By.ID, "run").click()
    table = WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#results table.results-table"))
    )
    header = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert header == ["year", "agreements", "total", "currency"]
    rows = [
        [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert len(rows) == 1
    year, agreements, total, currency = rows[0]
    assert (year, agreements, currency) == ("2025", "2", "EUR")
    assert float(total) == 2241860
    assert browser.find_element(By.ID, "status").text == "1 Zeile(n)"


def test_a_fact_leads_to_its_words_highlighted_in_the_document(
    site: Site, browser: WebDriver
) -> None:
    """Issue 9, section 3: from an agreement's budget to its words in the document view, and
    from there back to the budget."""
    browser.get(site.server.base + "/id/zielvereinbarung/2025/06413")
    budget = browser.find_element(By.CSS_SELECTOR, "dd.budget")
    assert budget.find_element(By.TAG_NAME, "q").text == "1.011.410"
    budget.find_element(By.CSS_SELECTOR, "a.fundstelle").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/id/dokument/"))
    assert browser.current_url.endswith("#budget")
    assert heading(browser) == "offenbach-am-main-stadt.md"
    mark = browser.find_element(By.CSS_SELECTOR, "pre.document-text mark#budget")
    assert mark.text == "1.011.410"
    assert mark.is_displayed()
    assert browser.execute_script("return document.querySelector(':target') === arguments[0]", mark)
    # Highlighted as the target (#ffb347 in aqb.css), unlike the other marks.
    assert mark.value_of_css_property("background-color") == "rgba(255, 179, 71, 1)"
    other = browser.find_element(By.CSS_SELECTOR, "pre.document-text mark#jahr")
    assert other.value_of_css_property("background-color") != "rgba(255, 179, 71, 1)"
    marks = browser.find_elements(By.CSS_SELECTOR, "pre.document-text mark[id]")
    assert len(marks) == 33  # 31, and the two names as written, each with its own quote
    # The region's name as written is one mark inside the mark of the region (with article).
    inner = browser.find_element(By.CSS_SELECTOR, "mark#gebietskoerperschaft-laut")
    assert inner.text == "Stadt Offenbach am Main"
    outer = browser.execute_script("return arguments[0].parentElement.closest('mark[id]')", inner)
    assert outer.get_attribute("id") == "gebietskoerperschaft"
    assert outer.text == "der Stadt Offenbach am Main"
    mark.find_element(By.XPATH, "following::a[@class='to-resource'][1]").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/id/zielvereinbarung/2025/06413/budget"))
    assert heading(browser) == "id/zielvereinbarung/2025/06413/budget"


def test_a_project_leads_to_its_words_in_english(site: Site, browser: WebDriver) -> None:
    browser.get(site.server.base + "/id/zielvereinbarung/2025/06413?lang=en")
    item = browser.find_element(By.CSS_SELECTOR, "ol.projects li")
    name = item.find_element(By.TAG_NAME, "q").text
    item.find_element(By.CSS_SELECTOR, "a.fundstelle").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("#projekt-"))
    assert "lang=en" in browser.current_url
    assert "Text of the document" in browser.page_source
    fragment = browser.current_url.rsplit("#", 1)[1]
    mark = browser.find_element(By.ID, fragment)
    assert mark.tag_name == "mark"
    assert mark.text == name
