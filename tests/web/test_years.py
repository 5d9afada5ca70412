"""A region through the years (web/render/years.py) and the landing page's Maßnahmenart mix.

The pure part on hand-made years; then a real three-year build of Bergstraße (2024 with a
smaller budget, the real 2025, 2026 with a larger budget and one project renamed) served by
``aqb-rdf serve``, its region page read as HTML and opened in Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from aqb_rdf.build.pipeline import build
from aqb_rdf.web.render.years import Entry, region_years, same_title, year_chart
from live_server import Server, chromium, require_browser, serving

pytestmark = pytest.mark.slow  # builds, serves and starts Chromium (the pure tests too, here)

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "data" / "agreements" / "2025" / "bergstrasse.txt"
REGION = "/id/gebietskoerperschaft/06431"
BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


def test_same_title_is_conservative() -> None:
    assert same_title("  Werkstatt\u00a0 Jahr ") == same_title("werkstatt jahr")
    assert same_title("Werkstattjahr") != same_title("Werkstatt-Jahr")
    assert same_title("Werkstattjahr") != same_title("Werkstattjahr 2.0")


def test_region_years_changes_and_timeline() -> None:
    budgets = [
        ("2024", Decimal("1000000"), "a24"),
        ("2025", Decimal("1050000"), "a25"),
        ("2027", Decimal("900000"), "a27"),  # after a gap: nothing to compare with
    ]
    projects = [
        ("2024", "Werkstattjahr", "p24w"), ("2024", "Alt", "p24a"),
        ("2025", "werkstattjahr ", "p25w"), ("2025", "Neu", "p25n"),
        ("2027", "Neu", None),
    ]  # fmt: skip
    years = region_years(budgets, projects)
    assert [(b.year, b.change, b.change_percent) for b in years.budgets] == [
        ("2024", None, None),
        ("2025", Decimal("50000"), Decimal("5.00")),
        ("2027", None, None),
    ]
    timeline = {year.year: year.entries for year in years.timeline}
    assert timeline["2024"] == (
        Entry("Werkstattjahr", "first", "p24w"),
        Entry("Alt", "first", "p24a"),
    )
    assert timeline["2025"] == (
        Entry("werkstattjahr ", "continued", "p25w"),
        Entry("Neu", "new", "p25n"),
        Entry("Alt", "ended", "p24a"),  # the project of the year before
    )
    assert timeline["2027"] == (Entry("Neu", "first"),)
    svg = year_chart(years.budgets, "de", lambda iri: "/" + iri, "Budget je Jahr")
    assert svg.count('class="bar"') == 3 and 'href="/a25"' in svg and "1.050.000 €" in svg
    assert 'class="tick unit" text-anchor="end">€</text>' in svg  # the axis's unit


def _variant(year: int, budget: str, *edits: tuple[str, str]) -> str:
    text = SEED.read_text(encoding="utf-8").replace("2025", str(year))
    text = text.replace(f"{year} bis 2029", "2025 bis 2029")  # the Bündnis keeps its years
    text = text.replace("\n1.230.450 Euro\n", f"\n{budget} Euro\n")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("years")
    for year, text in (
        (2024, _variant(2024, "1.200.000")),
        (2025, SEED.read_text(encoding="utf-8")),
        (
            2026,
            _variant(
                2026,
                "1.300.000",
                (" - Vorbereitung TZ Ausbildung", " - Vorbereitung Teilzeitausbildung"),
            ),
        ),
    ):
        (root / "sources" / str(year)).mkdir(parents=True)
        (root / "sources" / str(year) / "bergstrasse.txt").write_text(text, encoding="utf-8")
    build([root / "sources"], root / "dist", workers=1)
    with serving(root / "dist", "--processes", "1", "--spares", "0") as server:
        yield server


def _page(server: Server, path: str) -> str:
    status, _, body = server.request("GET", path, headers={"Accept": BROWSER})
    assert status == 200, body[:300]
    return body.decode("utf-8")


def test_region_page_shows_budget_per_year_and_the_change(three_years: Server) -> None:
    html = _page(three_years, REGION)
    table = html[html.index('class="data year-budgets"') :]
    rows = re.findall(r"<tr><td>(\d{4})</td>(.*?)</tr>", table[: table.index("</table>")])
    cells = {year: re.sub(r"<[^>]+>", "|", rest) for year, rest in rows}
    assert list(cells) == ["2024", "2025", "2026"]
    assert "+30.450,00 €" in cells["2025"] and "+2,54 %" in cells["2025"]
    assert "+69.550,00 €" in cells["2026"] and "+5,65 %" in cells["2026"]
    assert html.count('class="bar"') >= 3  # the year chart's bars
    english = _page(three_years, REGION + "?lang=en")
    assert "Change to the year before" in english and "+€69,550.00" in english


def test_region_page_timeline(three_years: Server) -> None:
    html = _page(three_years, REGION)
    year_2026 = html[html.index('<li data-year="2026">') :]
    year_2026 = year_2026[: year_2026.index("</ul>")]
    # Each title links to its project; an ended one to the year before's.
    new = re.search(
        r'<li class="status-new"><span class="status">neu</span> <a href="([^"]+)">'
        r"Vorbereitung Teilzeitausbildung</a>",
        year_2026,
    )
    ended = re.search(
        r'<li class="status-ended"><span class="status">entfallen</span> <a href="([^"]+)">'
        r"Vorbereitung TZ Ausbildung</a>",
        year_2026,
    )
    assert new and new[1].startswith("/id/zielvereinbarung/2026/"), year_2026[:500]
    assert ended and ended[1].startswith("/id/zielvereinbarung/2025/"), year_2026[:500]
    for target in (new[1], ended[1]):
        status, _, body = three_years.request("GET", target, headers={"Accept": "text/html"})
        assert status == 200 and b"Vorbereitung T" in body
    assert year_2026.count("status-continued") == 8


def test_landing_page_shows_the_massnahmenart_mix_per_year(three_years: Server) -> None:
    html = _page(three_years, "/")
    mix = html[html.index('class="data mix"') :]
    mix = mix[: mix.index("</table>")]
    assert re.findall(r'<tr data-year="(\d{4})">', mix) == ["2024", "2025", "2026"]


def test_chromium_opens_the_timeline(three_years: Server, tmp_path: Path) -> None:
    require_browser()
    with chromium(tmp_path / "profile", 10.0) as browser:
        browser.get(three_years.base + REGION + "?lang=en")
        entries = browser.find_elements(By.CSS_SELECTOR, 'li[data-year="2026"] li.status-ended')
        assert [e.text for e in entries] == ["ended Vorbereitung TZ Ausbildung"]
        bars = browser.find_elements(By.CSS_SELECTOR, "svg.year-chart rect.bar")
        heights = [float(bar.get_attribute("height") or 0) for bar in bars]
        assert len(heights) == 3 and heights[0] < heights[1] < heights[2]
