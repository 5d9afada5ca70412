"""``/``: the dataset at a glance (I/O).

Counts, the budget per Gebietskörperschaft and year as an SVG chart drawn on the server
(:mod:`.charts`) and as a table, the total per year, the downloads with their sizes, and the
ways in: the ontology, the query pages, the SPARQL endpoint and the VoID description.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from aqb_rdf.errors import QueryPoolError
from aqb_rdf.publish.release import LINKED
from aqb_rdf.web.collections import COLLECTIONS
from aqb_rdf.web.errors import answer_for
from aqb_rdf.web.pages import Page, Site
from aqb_rdf.web.render.chart import Bar, budget_chart
from aqb_rdf.web.statistics import budgets, statistics, totals


def download_sizes(site: Site) -> list[tuple[str, int | None]]:
    """``(file name, size in bytes)`` of each download of the release (``None``: missing)."""
    sizes: list[tuple[str, int | None]] = []
    for name in LINKED:
        try:
            sizes.append((name, (site.release.folder / name).stat().st_size))
        except OSError:  # catalog.ttl and void.ttl are missing from older releases
            sizes.append((name, None))
    return sizes


async def landing(site: Site, request: Request) -> Response:
    """The landing page."""
    page = Page(site, request)
    try:
        counts = await statistics(site)
        rows = await budgets(site)
        per_year = await totals(site)
    except QueryPoolError as error:
        answer = answer_for(error, retry_after=site.settings.retry_after_seconds, server_query=True)
        # In the page's language only: the error's own message is English.
        title = page.t("unavailable") if answer.busy else page.t("error")
        text = page.t("unavailable_text") if answer.busy else page.t("query_failed_text")
        return page.error(answer.status, title, text, answer.header_map())
    bars = [Bar(row.region, row.region_iri, row.year, row.amount, row.agreement) for row in rows]
    chart = budget_chart(
        bars, page.lang, page.href, page.t("budgets_chart"), page.t("chart_caption")
    )
    return page.render(
        "index.html",
        headers={"Vary": "Accept-Language"},
        counts=counts,
        budgets=rows,
        totals=per_year,
        chart=chart,
        downloads=download_sizes(site),
        release=site.release.id,
        collections=COLLECTIONS,
    )
