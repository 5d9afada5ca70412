"""Issue 12, pages people like to use: the catalogue in a browser, the licence on every page,
labels and formatted values instead of raw IRIs and datatypes, the Rechtskreise in the legal
order, and every resource reachable by links from the landing page.

Against the session's real ``aqb-rdf serve`` over the default build (http.client).
"""

from __future__ import annotations

import hashlib
import html as html_module
import re
from collections import deque
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from test_pages import BROWSER, Site, h1, hrefs

from aqb_rdf.sparql.named_queries import PARAMETER_TYPES
from aqb_rdf.web.render.texts import TEXTS
from live_server import Server

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

BASE = "https://aqb-rdf.example/"
AGREEMENT = "/id/zielvereinbarung/2025/06413"
LICENCE_PAGE = "https://www.govdata.de/dl-de/by-2-0"


@pytest.fixture(scope="module")
def site(running_server: Server, built_default_dataset: Path) -> Site:
    return Site(running_server, built_default_dataset)


def test_the_catalogue_page_shows_downloads_sizes_checksums_licence_keywords(site: Site) -> None:
    page = site.page("/catalog")
    assert h1(page) == "Katalog der AQB-Zielvereinbarungen Hessen"
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in page
    assert f'href="{LICENCE_PAGE}"' in page
    assert "<li>Zielvereinbarung</li>" in page and "<li>Ausbildung</li>" in page  # keywords
    assert 'href="/sparql"' in page  # the endpoint, under the served root
    assert "SPARQL-Endpunkt des AQB-Datensatzes" in page
    assert "1. Januar 2025 – 31. Dezember 2025" in page
    for name in ("aqb.ttl", "aqb.nt", "aqb.jsonld", "aqb.trig", "projects.csv"):
        digest = hashlib.sha256((site.out / name).read_bytes()).hexdigest()
        assert f'href="/download/{name}"' in page, name  # not the base IRI
        assert digest in page, name
        status, _, body = site.get(f"/download/{name}")
        assert status == 200 and hashlib.sha256(body).hexdigest() == digest
    size = (site.out / "aqb.ttl").stat().st_size
    assert f"{size / 1000:.1f} KB".replace(".", ",") in page
    english = site.page("/catalog?lang=en")
    assert "Downloads with size and checksum" in english and "<li>target agreement</li>" in english
    assert f"{BASE}download/aqb.ttl" not in re.sub(r"<code>[^<]*</code>", "", page)


@pytest.mark.parametrize(
    "path",
    ["/", AGREEMENT, "/id/projekt/", "/query", "/queries", "/catalog", "/def/aqb", "/id/nirgends"],
)
def test_every_page_names_licence_publisher_and_source(site: Site, path: str) -> None:
    status, _, body = site.get(path, BROWSER)
    assert status in (200, 404)
    footer = body.decode("utf-8").rsplit('<footer class="site">', 1)[1]
    assert f'<a rel="license" href="{LICENCE_PAGE}">' in footer, path
    assert 'href="/id/organisation/hmsi"' in footer
    assert "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales" in footer
    assert "aufbereitet mit aqb-rdf" in footer  # the attribution the licence asks for


def test_parts_are_titled_by_labels_and_values_formatted(site: Site) -> None:
    budget = site.page(AGREEMENT + "/budget")
    assert h1(budget) == "Budget – Zielvereinbarung 2025 – Stadt Offenbach am Main"
    assert "1.011.410,00 €" in budget
    assert "decimal" not in budget and "1011410" not in budget
    english = site.page(AGREEMENT + "/budget?lang=en")
    assert "€1,011,410.00" in english
    signature = site.page(AGREEMENT + "/unterzeichnung/2")
    assert h1(signature) == "Unterzeichnung 2 – Zielvereinbarung 2025 – Stadt Offenbach am Main"
    assert "11. August 2025" in signature and "2025-08-11" not in signature


def test_rechtskreise_in_the_legal_order_with_their_short_codes(site: Site) -> None:
    page = site.page(AGREEMENT)
    section = page.split("<h2>Rechtskreise</h2>", 1)[1].split("</ul>", 1)[0]
    codes = re.findall(r'<a href="/def/rechtskreis/[^"]+">([^<]+?) – ', section)
    assert codes == ["SGB II", "SGB III", "SGB VIII", "SGB XII", "AsylbLG"]


def test_every_resource_is_reachable_from_the_landing_page(site: Site) -> None:
    """Following the links of the pages from ``/`` (no RDF, no downloads) reaches every IRI
    the dataset describes (a hash IRI through its page)."""
    graph = Graph().parse(site.out / "aqb.ttl")
    described = {
        str(s).split("#")[0]
        for s in graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith(BASE)
    }
    seen: set[str] = set()
    todo = deque(["/"])
    while todo:
        path = todo.popleft()
        if path in seen:
            continue
        seen.add(path)
        status, _, body = site.get(path, BROWSER)
        assert status == 200, path
        for href in hrefs(body.decode("utf-8")):
            target = html_module.unescape(href).split("#")[0]
            # Releases under /release/<id>/ are copies of a whole site (test_older_releases).
            skipped = ("/download", "/sparql", "/static", "/release/")
            if not target.startswith("/") or target.startswith(skipped):
                continue
            if any(p in target for p in ("format=", "lang=", "sort=")):
                continue
            if target not in seen:
                todo.append(target)
    reached = {BASE + path.lstrip("/").split("?")[0] for path in seen}
    assert sorted(described - reached) == []


def test_every_parameter_type_is_explained_in_both_languages() -> None:
    for name in PARAMETER_TYPES:
        german, english = TEXTS["expected_" + name]
        assert german and english and german != english, name


def test_the_scheme_lists_the_rechtskreise_in_the_legal_order(site: Site) -> None:
    page = site.page("/def/rechtskreis")
    properties = page.split("<h2>Verweise hierher</h2>", 1)[0]
    codes = re.findall(r'<a href="/def/rechtskreis/[^"]+">([^<]+?) – ', properties)
    assert codes[:3] == ["SGB I", "SGB II", "SGB III"]
    assert codes.index("SGB VIII") < codes.index("SGB IX") < codes.index("SGB XII")
    assert codes[-1] == "AsylbLG" and len(codes) == 14
