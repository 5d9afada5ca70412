"""``/search?q=…``: the release's names, searched in its full-text index (I/O).

The index (``search.sqlite``, :mod:`aqb_rdf.search.index`) is opened read-only once per
release; a search runs in a worker thread (a few milliseconds at 1 M triples). The page shows
the results grouped by kind, the matching words marked, each linking to its resource;
``?format=json`` (or ``Accept: application/json``) gives the same as JSON.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from aqb_rdf.web.errors import ErrorAnswer, plain_response
from aqb_rdf.web.pages import Page, Site
from aqb_rdf.web.render.search import as_json, shown

MAX_QUERY_CHARACTERS = 200
"""Characters of ``q`` searched; a longer query is cut (no one types more into a box)."""


def _wants_json(request: Request) -> bool:
    wanted = request.query_params.get("format")
    if wanted is not None:
        return wanted == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


async def search(site: Site, request: Request) -> Response:
    """The search page, or its JSON."""
    page = Page(site, request)
    query = request.query_params.get("q", "").strip()[:MAX_QUERY_CHARACTERS]
    wants_json = _wants_json(request)
    index = site.search_index()
    if index is None:
        message = page.t("search_unavailable")
        if wants_json:
            return plain_response(ErrorAnswer(503, message))
        return page.error(503, page.t("search"), message)
    results = await run_in_threadpool(index.search, query, page.lang) if query else None
    headers = {"Vary": "Accept, Accept-Language"}
    if wants_json:
        body = as_json(results, page.href) if results else {"query": "", "groups": []}
        return JSONResponse(body, headers=site.headers(**headers))
    return page.render(
        "search.html",
        headers=headers,
        query=query,
        results=results,
        groups=shown(results, page.href) if results else (),
    )
