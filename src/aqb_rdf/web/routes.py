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
anything else                  404 in the form asked for (a page, JSON, text);  :func:`not_found`
                               the path with or without its last ``/``, if
                               that is a route: 301 there
=============================  ============================================  =====================

The pages (``/``, the lists, ``/queries…``, ``/query``, ``/search``) carry an ``ETag`` of the
release, their language, query string and ``Accept`` (:func:`~aqb_rdf.web.headers.page_etag`),
and answer ``If-None-Match`` with 304 before any work (:func:`with_etag`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Route

from aqb_rdf.web import headers as common
from aqb_rdf.web.errors import ErrorAnswer, error_response
from aqb_rdf.web.pages import Page, Site, static_file
from aqb_rdf.web.releases import not_served
from aqb_rdf.web.views.collection import collection
from aqb_rdf.web.views.crawlers import favicon, robots_txt, sitemap_xml
from aqb_rdf.web.views.document import document_file
from aqb_rdf.web.views.index import landing
from aqb_rdf.web.views.queries import editor, one_query, queries
from aqb_rdf.web.views.resource import catalogue, resource, void
from aqb_rdf.web.views.search import search

Handler = Callable[[Site, Request], Awaitable[Response]]


PAGE_VARY = "Accept, Accept-Language"


def with_etag(handler: Handler) -> Handler:
    """``handler`` with the page's ETag on a 200, and a 304 for a request that has it."""

    async def answer(site: Site, request: Request) -> Response:
        lang = Page(site, request).lang
        accept = request.headers.get("accept")
        etag = common.page_etag(site.release.id, lang, request.url.query, accept)
        if common.not_modified(request.headers, etag):
            return Response(status_code=304, headers=site.headers(ETag=etag, Vary=PAGE_VARY))
        response = await handler(site, request)
        if response.status_code == 200 and "etag" not in response.headers:
            response.headers["ETag"] = etag
        return response

    return answer


async def not_found(site: Site, request: Request) -> Response:
    """A path no route has: 301 to the same path with or without its last ``/`` if a route has
    that (``/queries/`` → ``/queries``), else a 404 in the form the request asks for."""
    path = request.url.path
    other = path.removesuffix("/") if path.endswith("/") and path != "/" else path + "/"
    scope = {**request.scope, "path": other}
    routes = request.app.router.routes
    if any(r.matches(scope)[0] is Match.FULL for r in routes if r.name != not_found.__name__):
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(other + query, status_code=301, headers=common.cors())
    page = Page(site, request)
    answer = ErrorAnswer(404, f"nothing at {path[:200]}; the site starts at /")
    return error_response(answer, request, page, text=page.t("not_found_text"), Vary=PAGE_VARY)


def site_routes(site: Site) -> list[BaseRoute]:
    """The routes of the pages and Linked-Data answers of ``site``."""

    def route(path: str, handler: Handler, name: str | None = None) -> Route:
        async def endpoint(request: Request) -> Response:
            return await handler(site, request)

        return Route(path, endpoint, methods=["GET", "HEAD"], name=name)

    async def static(site: Site, request: Request) -> Response:
        return static_file(site, request)

    return [
        route("/", with_etag(landing)),
        route("/queries", with_etag(queries)),
        route("/queries/{name}", with_etag(one_query)),
        route("/query", with_etag(editor)),
        route("/search", with_etag(search)),
        route("/sitemap.xml", sitemap_xml),
        route("/sitemap-{number:int}.xml", sitemap_xml),
        route("/robots.txt", robots_txt),
        route("/favicon.ico", favicon),
        route("/static/{name}", static),
        route("/download/dokumente/{name}", document_file),
        route("/.well-known/void", void),
        route("/catalog", catalogue),
        route("/id/{kind}/", with_etag(collection)),
        route("/id/{path:path}", resource),
        route("/def/{path:path}", resource),
        route("/graph/{path:path}", resource),
        route("/release/{path:path}", not_served),
        route("/release", not_served),
        route("/{path:path}", not_found, name=not_found.__name__),  # last: what no route has
    ]
