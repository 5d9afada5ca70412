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
from aqb_rdf.web.errors import answer_for
from aqb_rdf.web.pages import Page, Site
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
        return page.error(answer.status, page.t("unavailable"), answer.message, answer.header_map())
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
        mix_arten=sorted(
            {(row.massnahmenart, row.label) for row in mix_rows}, key=lambda item: int(item[0])
        ),
        mix=_mix_table(mix_rows),
        downloads=download_sizes(site),
        release=site.release.id,
    )
