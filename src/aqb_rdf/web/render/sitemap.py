"""``/sitemap.xml`` and ``/robots.txt`` for search engines (pure).

The sitemap (https://www.sitemaps.org/protocol.html) lists the landing page and every resource
page (each IRI under ``/id/`` and ``/def/``, fragments stripped), under the base IRI the release
records; more than :data:`PER_FILE` URLs go into numbered files ``/sitemap-1.xml`` … and
``/sitemap.xml`` becomes their index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from aqb_rdf.rdf.order import natural_key

PER_FILE = 50_000
"""URLs a sitemap file may hold (the protocol's limit)."""
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def pages(base: str, resources: Iterable[str]) -> list[str]:
    """The URLs of the landing page and of each resource's page, sorted, each once."""
    found = {iri.partition("#")[0] for iri in resources}
    return [base, *sorted(found - {base}, key=natural_key)]


def urlset(urls: Sequence[str]) -> bytes:
    lines = [f"  <url><loc>{escape(url)}</loc></url>" for url in urls]
    return _document("urlset", lines)


def index(base: str, files: int) -> bytes:
    lines = [
        f"  <sitemap><loc>{escape(f'{base}sitemap-{n}.xml')}</loc></sitemap>"
        for n in range(1, files + 1)
    ]
    return _document("sitemapindex", lines)


def _document(root: str, lines: list[str]) -> bytes:
    text = "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<{root} xmlns="{_NAMESPACE}">',
            *lines,
            f"</{root}>",
            "",
        ]  # fmt: skip
    )
    return text.encode("utf-8")


def robots(base: str) -> str:
    """``robots.txt``: everything may be crawled but the query endpoints; where the sitemap is."""
    return (
        "User-agent: *\n"
        "Disallow: /sparql\n"
        "Disallow: /search\n"
        "Disallow: /queries/\n"
        f"Sitemap: {base}sitemap.xml\n"
    )
