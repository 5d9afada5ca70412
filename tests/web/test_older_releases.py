"""Every kept release under ``/release/<id>/`` (web/releases.py), through a swap.

A real server serves a first release of Bergstraße (2024 and 2025); a second build while it
runs drops 2024 and adds 2026 (a larger budget). After the swap the first release, which was
current, answers under ``/release/<id>/``: its pages (with the banner naming it, linking the
newest release or saying the agreement is gone there), its dumps and its SPARQL endpoint, each
from its own store; an id not served is a 404. Chromium opens the old release's region
timeline, sees the banner and follows its link to the newest release.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from aqb_rdf.build.pipeline import build
from aqb_rdf.publish.release import CURRENT
from live_server import Server, chromium, require_browser, serving

pytestmark = pytest.mark.slow  # builds twice, serves and starts Chromium

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "data" / "agreements" / "2025" / "bergstrasse.txt"
REGION = "/id/gebietskoerperschaft/06431"
AGREEMENT_2024 = "/id/zielvereinbarung/2024/06431"
BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


def _year(year: int, budget: str) -> str:
    text = SEED.read_text(encoding="utf-8").replace("2025", str(year))
    text = text.replace(f"{year} bis 2029", "2025 bis 2029")  # the Bündnis keeps its years
    return text.replace("\n1.230.450 Euro\n", f"\n{budget} Euro\n")


@dataclass
class Swapped:
    server: Server
    old: str
    new: str


def _write(sources: Path, year: int, text: str) -> None:
    (sources / str(year)).mkdir(parents=True, exist_ok=True)
    (sources / str(year) / "bergstrasse.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def swapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Swapped]:
    root = tmp_path_factory.mktemp("releases")
    sources, out = root / "sources", root / "dist"
    _write(sources, 2024, _year(2024, "1.200.000"))
    _write(sources, 2025, SEED.read_text(encoding="utf-8"))
    build([sources], out, workers=1)
    old = (out / CURRENT).resolve().name
    with serving(out, "--processes", "2", "--spares", "1") as server:
        (sources / "2024" / "bergstrasse.txt").unlink()
        _write(sources, 2026, _year(2026, "1.300.000"))
        build([sources], out, workers=1)
        new = (out / CURRENT).resolve().name
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the supervisor looks once a second
            _, _, body = server.request("GET", "/download/aqb.nt")
            if b"2026/06431" in body:
                break
            time.sleep(0.2)
        yield Swapped(server, old, new)


def _get(server: Server, path: str, accept: str = BROWSER) -> tuple[int, str]:
    status, _, body = server.request("GET", path, headers={"Accept": accept})
    return status, body.decode("utf-8")


def test_the_old_current_release_answers_under_its_id(swapped: Swapped) -> None:
    server, old, new = swapped.server, swapped.old, swapped.new
    assert old != new
    status, html = _get(server, "/")
    assert status == 200
    listed = re.findall(r'<a href="/release/([0-9a-f]+)/"', html)
    assert listed == [new, old], "the newest first"
    # Twice, so that both active processes are likely asked (the kernel spreads connections).
    for _ in range(2):
        status, html = _get(server, f"/release/{old}{REGION}")
        assert status == 200
        banner = html[html.index('class="release-banner"') :]
        banner = banner[: banner.index("</p>")]
        assert f"Veröffentlichung {old}" in banner and "ältere Veröffentlichung" in banner
        assert f'href="{REGION}"' in banner, "the same page in the newest release"
        assert f'href="/release/{old}/id/zielvereinbarung/2024/06431"' in html
        assert '<li data-year="2024">' in html and '<li data-year="2026">' not in html
    status, html = _get(server, REGION)
    assert '<li data-year="2026">' in html and 'class="release-banner"' not in html
    assert f"<code>{new}</code>" in html  # the footer names the release shown


def test_a_resource_gone_from_the_newest_release_says_so(swapped: Swapped) -> None:
    server, old = swapped.server, swapped.old
    status, html = _get(server, f"/release/{old}{AGREEMENT_2024}?lang=en")
    assert status == 200 and "Target agreement 2024" in html
    assert "The newest release no longer describes this." in html
    assert _get(server, AGREEMENT_2024)[0] == 404


def test_the_old_release_has_its_own_dumps_and_endpoint(swapped: Swapped) -> None:
    server, old = swapped.server, swapped.old
    _, _, old_dump = server.request("GET", f"/release/{old}/download/aqb.nt")
    _, _, new_dump = server.request("GET", "/download/aqb.nt")
    assert b"zielvereinbarung/2024/06431" in old_dump and b"2026/06431" not in old_dump
    assert b"zielvereinbarung/2024/06431" not in new_dump and b"2026/06431" in new_dump
    ask = quote("ASK { <https://aqb-rdf.example/id/zielvereinbarung/2024/06431> ?p ?o }")
    json = "application/sparql-results+json"
    assert '"boolean":true' in _get(server, f"/release/{old}/sparql?query={ask}", json)[1]
    assert '"boolean":false' in _get(server, f"/sparql?query={ask}", json)[1]
    # IRIs stay the dataset's: the old release's Turtle names no /release/ path.
    _, turtle = _get(server, f"/release/{old}{AGREEMENT_2024}", "text/turtle")
    assert "<https://aqb-rdf.example/id/zielvereinbarung/2024/06431>" in turtle
    assert "/release/" not in turtle


def test_an_id_not_served_is_a_404_in_one_line_or_a_page(swapped: Swapped) -> None:
    server = swapped.server
    status, text = _get(server, "/release/0123456789abcdef/", "text/plain")
    assert status == 404 and text.count("\n") == 1
    assert text.startswith("no release '0123456789abcdef' is served here; served: ")
    status, german = _get(server, "/release/0123456789abcdef/id/x")
    assert status == 404 and "Veröffentlichung nicht vorhanden" in german
    status, english = _get(server, "/release/0123456789abcdef/id/x?lang=en")
    assert status == 404 and "No such release" in english
    status, _, _ = server.request("GET", f"/release/{swapped.old}")
    assert status == 308


def test_chromium_opens_an_older_release_and_follows_the_banner(
    swapped: Swapped, tmp_path: Path
) -> None:
    require_browser()
    old = swapped.old
    with chromium(tmp_path / "profile", 10.0) as browser:
        browser.get(swapped.server.base + f"/release/{old}{REGION}?lang=en")
        banner = browser.find_element(By.CSS_SELECTOR, "p.release-banner")
        assert f"Release {old}" in banner.text and "older release" in banner.text
        years = browser.find_elements(By.CSS_SELECTOR, "ol.timeline > li[data-year]")
        assert [y.get_attribute("data-year") for y in years] == ["2024", "2025"]
        banner.find_element(By.CSS_SELECTOR, "a.newest").click()
        WebDriverWait(browser, 10.0).until(ec.url_matches(r"/id/gebietskoerperschaft/06431\?"))
        assert "/release/" not in browser.current_url
        assert not browser.find_elements(By.CSS_SELECTOR, "p.release-banner")
        years = browser.find_elements(By.CSS_SELECTOR, "ol.timeline > li[data-year]")
        assert [y.get_attribute("data-year") for y in years] == ["2025", "2026"]
