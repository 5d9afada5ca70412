"""``/sitemap.xml``, ``/sitemap-{n}.xml``, ``/robots.txt`` and ``/favicon.ico`` (I/O).

The sitemap's URLs come from ``queries/sitemap-resources.rq``, run once per release and kept.
"""

from __future__ import annotations

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from aqb_rdf.errors import QueryPoolError
from aqb_rdf.rdf import formats
from aqb_rdf.web.errors import answer_for, plain_response
from aqb_rdf.web.pages import Site
from aqb_rdf.web.query_runner import select
from aqb_rdf.web.render import sitemap


async def _pages(site: Site) -> list[str]:
    async def load() -> list[str]:
        result = await select(site.run, "sitemap-resources", base=site.iris.base)
        iris = (row[0].value for row in result.rows if isinstance(row[0], NamedNode))
        return sitemap.pages(site.iris.base, iris)

    return await site.memo.get(site.release.id, "sitemap", load)


async def sitemap_xml(site: Site, request: Request) -> Response:
    """The sitemap, or the index of its files when there are more URLs than one may hold."""
    try:
        urls = await _pages(site)
    except QueryPoolError as error:
        return plain_response(answer_for(error, retry_after=site.settings.retry_after_seconds))
    number = request.path_params.get("number")
    files = -(-len(urls) // sitemap.PER_FILE)
    if number is None:
        body = sitemap.urlset(urls) if files <= 1 else sitemap.index(site.iris.base, files)
    elif files > 1 and 1 <= number <= files:
        body = sitemap.urlset(urls[(number - 1) * sitemap.PER_FILE : number * sitemap.PER_FILE])
    else:
        return PlainTextResponse(f"no sitemap file {number}\n", status_code=404)
    return Response(
        body, media_type=formats.XML.media_type, headers=site.headers(ETag=site.release.etag)
    )


async def robots_txt(site: Site, request: Request) -> Response:
    return PlainTextResponse(sitemap.robots(site.iris.base), headers=site.headers())


async def favicon(site: Site, request: Request) -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301, headers=site.headers())
