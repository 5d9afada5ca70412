"""The pages in a real headless Chromium, against the real ``aqb-rdf serve``.

Debian's ``chromium`` driven by selenium (``live_server.chromium``); without it the tests fail
under CI and are skipped otherwise (``live_server.require_browser``).

The walk: the landing page and its chart → a Gebietskörperschaft (through the chart's link) →
its agreement; from a fact of the agreement to its words highlighted in the document view and
back; the language switch; a named query run from its form; the SPARQL editor
loading an example and showing the result table that ``static/query.js`` builds.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
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
    WebDriverWait(browser, WAIT).until(ec.url_contains("name=total-per-year"))
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
    assert len(marks) == 34  # 31, the two names as written and the form of grant, each quoted
    # The region's name as written is one mark inside the mark of the region (with article).
    inner = browser.find_element(By.CSS_SELECTOR, "mark#gebietskoerperschaft-laut")
    assert inner.text == "Stadt Offenbach am Main"
    outer = browser.execute_script("return arguments[0].parentElement.closest('mark[id]')", inner)
    assert outer.get_attribute("id") == "gebietskoerperschaft"
    assert outer.text == "der Stadt Offenbach am Main"
    mark.find_element(By.XPATH, "following::a[@class='to-resource'][1]").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/id/zielvereinbarung/2025/06413/budget"))
    assert heading(browser) == "Budget – Zielvereinbarung 2025 – Stadt Offenbach am Main"


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


def test_region_to_its_projects_filtered_by_year_and_the_csv(
    site: Site, browser: WebDriver, tmp_path: Path
) -> None:
    """Issue 12: from a region to the list of its projects, filtered by year in the form, and
    that list downloaded as CSV (a real download into a folder)."""
    browser.get(site.server.base + "/id/gebietskoerperschaft/06413")
    browser.find_element(By.CSS_SELECTOR, "ul.lists a[href^='/id/projekt/']").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/id/projekt/?region=06413"))
    assert heading(browser) == "Projekte"
    Select(browser.find_element(By.NAME, "year")).select_by_value("2025")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("year=2025"))
    cells = browser.find_elements(By.CSS_SELECTOR, "table.collection td[data-label='Jahr']")
    assert len(cells) == 9 and {cell.text for cell in cells} == {"2025"}
    regions = browser.find_elements(
        By.CSS_SELECTOR, "table.collection td[data-label='Gebietskörperschaft']"
    )
    assert {cell.text for cell in regions} == {"Stadt Offenbach am Main"}
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.find_element(By.CSS_SELECTOR, "a.download[type='text/csv']").click()
    target = tmp_path / "projekt-2025-06413.csv"
    deadline = time.monotonic() + WAIT
    while not target.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 9
    assert {(row["year"], row["region"]) for row in rows} == {("2025", "06413")}


LAYOUT_PAGES = (
    "/",
    "/id/gebietskoerperschaft/06413",
    "/id/zielvereinbarung/2025/06413",
    "/id/zielvereinbarung/2025/06413/budget",
    "/id/zielvereinbarung/2025/06413/massnahmenart/3/projekt/1",
    "/id/projekt/",
    "/id/zielvereinbarung/",
    "/id/unterzeichnung/",
    "/id/massnahmenbereich/",
    "/id/gebietskoerperschaft/",
    "/catalog",
    "/def/aqb",
    "/def/massnahmenart/2",
    "/queries",
    "/queries/region?key=06413&run=1",
    "/query",
    "/id/dokument/0f3d9f78c524444c",
    "/.well-known/void",
    "/def/rechtskreis/sgb-ii",
    "/id/organisation/hmsi",
    "/graph/zielvereinbarung/2025/06413",
)
PHONE = 390


def test_no_horizontal_scroll_on_a_phone(site: Site, browser: WebDriver) -> None:
    """Issue 12: at 390 px (a phone) no page is wider than the screen, and no number may
    break inside (each td.num keeps white-space: nowrap)."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE, "height": 844, "deviceScaleFactor": 3, "mobile": True},
    )
    try:
        too_wide, breaking = {}, {}
        for path in LAYOUT_PAGES:
            browser.get(site.server.base + path)
            heading(browser)
            # A mobile viewport grows to fit what is too wide: compare with the screen.
            width = browser.execute_script("return document.documentElement.scrollWidth")
            if width > PHONE:
                too_wide[path] = width
            wrapping = browser.execute_script(
                "return [...document.querySelectorAll('td.num')]"
                ".filter(e => getComputedStyle(e).whiteSpace !== 'nowrap'"
                " || getComputedStyle(e).overflowWrap === 'anywhere').length"
            )
            if wrapping:
                breaking[path] = wrapping
        assert too_wide == {}
        assert breaking == {}
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def results_column(browser: WebDriver, index: int) -> list[str]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#results table.results-table tbody tr")
    return [row.find_elements(By.TAG_NAME, "td")[index].text for row in rows]


def test_query_page_type_ctrl_enter_sort_and_permalink(site: Site, browser: WebDriver) -> None:
    """Issue 12: a query typed, run with Ctrl+Enter, its result sorted by a click on a
    column, offered as CSV and JSON, and reloaded from its permalink with its result."""
    browser.get(site.server.base + "/query")
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    # A prefix offered by the page, then the query typed.
    browser.find_element(By.CSS_SELECTOR, "button.prefix[data-prefix='aqb']").click()
    editor.send_keys(
        "\nSELECT ?project ?position WHERE { ?project a aqb:Projekt ; aqb:position ?position }"
    )
    text = str(editor.get_attribute("value"))
    assert text.startswith("PREFIX aqb: <https://aqb-rdf.example/def/aqb#>\n")
    # Highlighted: the keyword, the variable and the prefixed name have their own spans.
    spans = browser.find_elements(By.CSS_SELECTOR, ".editor-area pre.highlight span")
    kinds = {(span.get_attribute("class"), span.text) for span in spans}
    assert {("tk-kw", "SELECT"), ("tk-var", "?position"), ("tk-pn", "aqb:Projekt")} <= kinds
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    WebDriverWait(browser, WAIT).until(
        ec.text_to_be_present_in_element((By.ID, "status"), "18 Zeile(n)")
    )
    browser.find_element(By.XPATH, "//th/button[text()='position']").click()
    ascending = [int(p) for p in results_column(browser, 1)]
    assert ascending == sorted(ascending) and ascending[0] == 1
    browser.find_element(By.XPATH, "//th/button[text()='position']").click()
    descending = [int(p) for p in results_column(browser, 1)]
    assert descending == sorted(ascending, reverse=True)
    th = browser.find_element(By.XPATH, "//th[button[text()='position']]")
    assert th.get_attribute("aria-sort") == "descending"
    csv_link = str(browser.find_element(By.ID, "as-csv").get_attribute("href"))
    status, headers, body = site.server.request("GET", csv_link.removeprefix(site.server.base))
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert len(body.decode("utf-8").strip().splitlines()) == 19
    json_link = str(browser.find_element(By.ID, "as-json").get_attribute("href"))
    assert "format=json" in json_link
    # The address is the permalink now: reloading shows the query and its result again.
    permalink = str(browser.find_element(By.ID, "permalink").get_attribute("href"))
    assert browser.current_url == permalink and "run=1" in permalink
    browser.get("about:blank")
    browser.get(permalink)
    WebDriverWait(browser, WAIT).until(
        ec.text_to_be_present_in_element((By.ID, "status"), "18 Zeile(n)")
    )
    assert browser.find_element(By.ID, "query").get_attribute("value") == text


def test_a_named_query_keeps_its_required_parameters_in_the_editor(
    site: Site, browser: WebDriver
) -> None:
    browser.get(site.server.base + "/queries/region?key=06413&run=1")
    browser.find_element(By.LINK_TEXT, "im SPARQL-Editor öffnen").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("/query?"))
    assert 'VALUES ?key { "06413" }' in str(
        browser.find_element(By.ID, "query").get_attribute("value")
    )
    # From the editor's own list: the parameter's field appears for the chosen query.
    Select(browser.find_element(By.ID, "example")).select_by_value("region")
    field = browser.find_element(
        By.CSS_SELECTOR, ".example-params[data-for='region'] input[name='key']"
    )
    assert field.is_displayed()
    field.clear()
    field.send_keys("06431")
    browser.find_element(By.ID, "load-example").click()
    WebDriverWait(browser, WAIT).until(ec.url_contains("key=06431"))
    editor = browser.find_element(By.ID, "query")
    assert 'VALUES ?key { "06431" }' in str(editor.get_attribute("value"))
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, WAIT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#results table.results-table"))
    )
    assert "Landkreis Bergstraße" in browser.find_element(By.ID, "results").text
