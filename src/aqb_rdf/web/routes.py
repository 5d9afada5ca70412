"""The routes of the pages and Linked-Data answers, for ``build_app`` to mount.

=============================  ============================================  =====================
path                           what                                          module
=============================  ============================================  =====================
``/``                          the dataset at a glance                       :mod:`.landing`
``/id/{kind}/``                the list of one kind of thing: filters,       :mod:`.views.collection`
                               order, pages; CSV and JSON
``/id/…``, ``/def/…``,         every IRI the build mints (base → server      :mod:`.views.resource`
``/graph/…``                   root), HTML or RDF by content negotiation
``/.well-known/void``          the VoID description                          :mod:`.views.resource`
``/catalog``                   the DCAT-AP.de catalogue (``catalog.ttl``)     :mod:`.views.resource`
``/queries``                   the named queries                             :mod:`.views.queries`
``/queries/{name}``            one named query: form and results table       :mod:`.views.queries`
``/query``                     the SPARQL editor                             :mod:`.views.queries`
``/search?q=…``                the full-text search (HTML, ``format=json``)  :mod:`.views.search`
``/static/{name}``             CSS, JavaScript, the favicon, by exact name   :mod:`.pages`
``/sitemap.xml``, ``/robots.txt``  for search engines (``/sitemap-{n}.xml``)  :mod:`.views.crawlers`
``/download/dokumente/{name}`` a source document's text or original file     :mod:`.views.document`
``/release/{id}…``             a release not served: 404 (those served are   :mod:`.releases`
                               dispatched before this app)
=============================  ============================================  =====================
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from aqb_rdf.rdf.iris import DEFAULT_BASE
from aqb_rdf.web.pages import Site, static_file
from aqb_rdf.web.query_runner import Runner
from aqb_rdf.web.releases import not_served
from aqb_rdf.web.views.collection import collection
from aqb_rdf.web.views.crawlers import favicon, robots_txt, sitemap_xml
from aqb_rdf.web.views.document import document_file
from aqb_rdf.web.views.index import landing
from aqb_rdf.web.views.queries import editor, one_query, queries
from aqb_rdf.web.views.resource import catalogue, resource, void
from aqb_rdf.web.views.search import search

if TYPE_CHECKING:
    from aqb_rdf.web.answers import ResponseCache
    from aqb_rdf.web.state import Release, ServedReleases, ServeSettings

Handler = Callable[[Site, Request], Awaitable[Response]]


def site_routes(
    release: Release,
    run: Runner,
    settings: ServeSettings,
    base: str = DEFAULT_BASE,
    *,
    prefix: str = "",
    releases: ServedReleases | None = None,
    responses: ResponseCache | None = None,
) -> list[BaseRoute]:
    """The routes of the site over ``release``, answering queries with ``run``; ``prefix``,
    ``releases`` and ``responses`` as :class:`~aqb_rdf.web.pages.Site` takes them."""
    site = Site(release, run, settings, base, prefix=prefix, releases=releases, responses=responses)

    def route(path: str, handler: Handler) -> Route:
        async def endpoint(request: Request) -> Response:
            return await handler(site, request)

        return Route(path, endpoint, methods=["GET", "HEAD"])

    async def static(site: Site, request: Request) -> Response:
        return static_file(site, request)

    return [
        route("/", landing),
        route("/queries", queries),
        route("/queries/{name}", one_query),
        route("/query", editor),
        route("/search", search),
        route("/sitemap.xml", sitemap_xml),
        route("/sitemap-{number:int}.xml", sitemap_xml),
        route("/robots.txt", robots_txt),
        route("/favicon.ico", favicon),
        route("/static/{name}", static),
        route("/download/dokumente/{name}", document_file),
        route("/.well-known/void", void),
        route("/catalog", catalogue),
        route("/id/{kind}/", collection),
        route("/id/{path:path}", resource),
        route("/def/{path:path}", resource),
        route("/graph/{path:path}", resource),
        route("/release/{path:path}", not_served),
        route("/release", not_served),
    ]
