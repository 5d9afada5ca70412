"""``/``: the dataset at a glance (I/O).

Counts, the budget per Gebietskörperschaft and year as an SVG chart drawn on the server
(:mod:`.charts`) and as a table, the total per year, the downloads with their sizes, and the
ways in: the ontology, the query pages, the SPARQL endpoint and the VoID description.
"""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from aqb_rdf.errors import QueryPoolError
from aqb_rdf.publish.release import LINKED
from aqb_rdf.rdf import files
from aqb_rdf.rdf.namespaces import DCTERMS, FOAF
from aqb_rdf.web.collections import COLLECTIONS
from aqb_rdf.web.errors import answer_for
from aqb_rdf.web.pages import Page, Site
from aqb_rdf.web.render import dataset
from aqb_rdf.web.render.chart import Bar, budget_chart
from aqb_rdf.web.statistics import MixRow, budgets, massnahmenart_mix, statistics, totals


def download_sizes(site: Site) -> list[tuple[str, int | None]]:
    """``(file name, size in bytes)`` of each download of the release (``None``: missing)."""
    sizes: list[tuple[str, int | None]] = []
    for name in LINKED:
        try:
            sizes.append((name, (site.release.folder / name).stat().st_size))
        except OSError:  # catalog.ttl and void.ttl are missing from older releases
            sizes.append((name, None))
    return sizes


FALLBACK_PUBLISHER = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"


def publisher(site: Site) -> tuple[str, str]:
    """(IRI, German name) of the dataset's publisher, as the release's catalogue states it."""
    catalogue = ox.Store()
    catalogue.load(path=site.release.folder / files.CATALOG.name, format=ox.RdfFormat.TURTLE)
    fallback = str(site.iris.organisation("hmsi"))
    dataset_node, named = ox.NamedNode(str(site.iris.dataset)), ox.NamedNode(FOAF + "name")
    for quad in catalogue.quads_for_pattern(
        dataset_node, ox.NamedNode(DCTERMS + "publisher"), None
    ):
        agent = quad.object
        if not isinstance(agent, ox.NamedNode):
            continue
        for name in catalogue.quads_for_pattern(agent, named, None):
            if isinstance(name.object, ox.Literal) and name.object.language == "de":
                return agent.value, name.object.value
        return agent.value, FALLBACK_PUBLISHER
    return fallback, FALLBACK_PUBLISHER


def _mix_table(rows: tuple[MixRow, ...]) -> list[tuple[str, list[MixRow | None]]]:
    """Per year, one cell per Maßnahmenart any year lists (None: not listed that year)."""
    arten = sorted({row.massnahmenart for row in rows}, key=int)
    cells = {(row.year, row.massnahmenart): row for row in rows}
    return [
        (year, [cells.get((year, art)) for art in arten])
        for year in sorted({row.year for row in rows})
    ]


async def landing(site: Site, request: Request) -> Response:
    """The landing page."""
    page = Page(site, request)
    try:
        counts = await statistics(site)
        rows = await budgets(site)
        per_year = await totals(site)
        mix_rows = await massnahmenart_mix(site)
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

    async def load() -> tuple[str, str]:
        try:
            return publisher(site)
        except (OSError, SyntaxError):
            return str(site.iris.organisation("hmsi")), FALLBACK_PUBLISHER

    years = (counts.first_year, counts.last_year) if counts.first_year else None
    downloads = download_sizes(site)
    node = dataset.dataset(
        site.iris,
        await site.memo.get(site.release.id, "publisher", load),
        [dataset.Download(name, size) for name, size in downloads],
        years,
    )
    return page.render(
        "index.html",
        dataset_jsonld=dataset.script(node),
        headers={"Vary": "Accept-Language"},
        counts=counts,
        budgets=rows,
        totals=per_year,
        chart=chart,
        mix_arten=sorted(
            {(row.massnahmenart, row.label) for row in mix_rows}, key=lambda item: int(item[0])
        ),
        mix=_mix_table(mix_rows),
        downloads=downloads,
        release=site.release.id,
        collections=COLLECTIONS,
    )
