"""The HTTP shell: a Starlette app over one release and a pool of query workers.

``build_app(release, pool, settings)`` wires the routes; handlers read the request, call the
pure core (``protocol``, ``negotiation``, ``sparql_guard``) and the query pool, and answer.
Every error is an answer with a status and a one-line message, never a traceback; the status
and message come from the one table of :mod:`aqb_rdf.web.errors`.

Routes: ``/sparql`` (SPARQL 1.1 Protocol, read-only; a browser asking for it without a query,
or any GET with ``?format=html``, is sent to ``/query``, 303), ``/download/{file}`` (the dumps and the
release's ``catalog.ttl`` and ``void.ttl``),
and the pages and Linked-Data answers of :mod:`aqb_rdf.web.routes` (``/``, ``/id/…``,
``/def/…``, ``/queries``, ``/query`` …).
"""

from __future__ import annotations

import functools
from typing import Final
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from aqb_rdf.errors import AqbError, ProtocolError
from aqb_rdf.publish import jsonld
from aqb_rdf.publish.release import LINKED
from aqb_rdf.rdf import formats
from aqb_rdf.rdf.files import DOWNLOADS
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.sparql import guard as sparql_guard
from aqb_rdf.sparql.execution import QueryRequest
from aqb_rdf.web import headers as common
from aqb_rdf.web import negotiation, protocol
from aqb_rdf.web.answers import ResponseCache
from aqb_rdf.web.clients import ClientOfRequest
from aqb_rdf.web.compression import Compression
from aqb_rdf.web.errors import ErrorAnswer, answer_for, error_response, plain_response
from aqb_rdf.web.pages import Site
from aqb_rdf.web.routes import site_routes
from aqb_rdf.web.state import QueryRunner, Release, ServedReleases, ServeSettings

DUMP_TYPES = {file.name: file.format.content_type for file in DOWNLOADS}

GUARD_INLINE_CHARS: Final = 4096
"""Queries up to this long are checked on the event loop (0.1-0.5 ms); longer ones, up to
40 ms for 100,000 characters, in a query slot's thread (:meth:`QueryRunner.call_async`)."""

VERDICTS = sparql_guard.Verdicts()
"""The guard's verdicts on the texts this process has checked (passes and refusals)."""


async def checked_query(text: str, pool: QueryRunner) -> sparql_guard.QueryInfo:
    """:func:`sparql_guard.check_query`, remembered (:data:`VERDICTS`): the usual queries
    repeat, and so do hostile ones. A long text is checked in a query slot, under the same
    admission as the queries: a client sending 55 KB texts to refuse takes its turn and its
    slot, not the event loop that serves everyone (issue 11, item 4)."""
    info = VERDICTS.known(text)
    if info is not None:
        return info
    if len(text) <= GUARD_INLINE_CHARS:
        return VERDICTS.check(text)
    return await pool.call_async(functools.partial(VERDICTS.check, text))


def _common_headers(release: Release, settings: ServeSettings) -> dict[str, str]:
    return common.cacheable(settings.cache_seconds)


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) more than ``limit`` bytes without reading them all;
    a client that closes the connection before its body ends gets a 400 it never reads (not
    a traceback in the log)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body larger than {limit} bytes", {})
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ProtocolError(413, f"request body larger than {limit} bytes", {})
            chunks.append(chunk)
    except ClientDisconnect:  # gone mid-body: an answer no one reads, and nothing to log
        raise ProtocolError(400, "the client closed the connection mid-body") from None
    return b"".join(chunks)


def _compacted(ntriples: bytes, iris: Iris) -> bytes | None:
    """The JSON-LD document of ``ntriples``, or None if it does not fit the process's memory.

    The largest answers Python makes; a ``MemoryError`` is caught here, and answered by the
    caller only once this block is left, so that what the document held so far (kept alive by
    the error's traceback) is freed before the answer is made, with the process at its limit.
    """
    try:
        return jsonld.document_of_ntriples(ntriples, iris)
    except MemoryError:
        return None


def build_app(
    release: Release,
    pool: QueryRunner,
    settings: ServeSettings | None = None,
    base: str = DEFAULT_BASE,
    *,
    prefix: str = "",
    releases: ServedReleases | None = None,
    responses: ResponseCache | None = None,
) -> Starlette:
    """The web application of ``release``, answering queries with ``pool``; ``base`` is the
    base IRI the release was built with, mapped to the server's root, or to ``prefix``
    (``/release/<id>``, :mod:`aqb_rdf.web.releases`: its requests come without it);
    ``releases`` are the releases the server serves, ``responses`` the cache of finished
    answers the process's apps share (:class:`~aqb_rdf.web.pages.Site`)."""
    settings = settings or ServeSettings()
    endpoint_path = "/sparql"
    # Every absolute URL the server writes is under the base, never the request's Host.
    iris = Iris(base)
    endpoint = str(iris.endpoint)

    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": "*",
                    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Accept, Content-Type",
                    "Allow": "GET, HEAD, POST, OPTIONS",
                },
            )
        # HEAD is a GET without the body (uvicorn sends none): the same status and headers.
        method = "GET" if request.method == "HEAD" else request.method
        try:
            body = await _body(request, settings.max_body_bytes)
            query_string = request.url.query
            if protocol.wants_service_description(method, query_string):
                return _service_description(request)
            if method == "GET" and _asks_for_page(request):
                return _to_editor(request)
            parsed = protocol.parse_query_request(
                method,
                query_string,
                request.headers.get("content-type"),
                body,
                max_query_length=settings.max_query_length,
                max_body_bytes=settings.max_body_bytes,
                max_graph_parameters=settings.max_graph_parameters,
            )
            info = await checked_query(parsed.query, pool)
            offers = (
                negotiation.RESULT_OFFERS
                if info.form in ("SELECT", "ASK")
                else negotiation.RDF_OFFERS
            )
            offer = negotiation.choose(
                offers, request.headers.get("accept"), parsed.format_param, offers[0]
            )
            # JSON-LD is compacted here with the published context (publish/jsonld.py), from
            # the N-Triples the worker writes: the worker stays free of rdflib.
            compact = offer is negotiation.JSON_LD
            job = QueryRequest(
                parsed.query,
                formats.N_TRIPLES.media_type if compact else offer.media_type,
                parsed.default_graphs,
                parsed.named_graphs,
                base_iri=endpoint,
            )
            result = await pool.run_async(job)
        except AqbError as error:  # refused, not acceptable, malformed, busy … (web.errors)
            answer = answer_for(error, retry_after=settings.retry_after_seconds)
            return error_response(answer, request)
        headers = {**_common_headers(release, settings), "Vary": "Accept", "ETag": release.etag}
        if compact:
            compacted = _compacted(result.body, iris)
            if compacted is None:
                answer = answer_for(pool.out_of_memory(), retry_after=settings.retry_after_seconds)
                return plain_response(answer)
            return Response(compacted, media_type=offer.media_type, headers=headers)
        return Response(result.body, media_type=result.media_type, headers=headers)

    def _asks_for_page(request: Request) -> bool:
        wanted = request.query_params.get("format")
        return (
            wanted is not None and negotiation.find_format((negotiation.HTML,), wanted) is not None
        )

    def _to_editor(request: Request) -> Response:
        """``/sparql?query=…&format=html``: the editor with the query, run at once (303)."""
        params = [(k, v) for k, v in request.query_params.multi_items() if k == "query"]
        params += [(k, v) for k, v in request.query_params.multi_items() if k == "lang"]
        target = "/query?" + urlencode([*params, ("run", "1")])
        return Response(
            status_code=303,
            headers={"Location": target, "Vary": "Accept", "Cache-Control": "no-cache"},
        )

    def _service_description(request: Request) -> Response:
        accept, format_param = request.headers.get("accept"), request.query_params.get("format")
        if negotiation.wants_page(accept, format_param):
            # A browser that followed a link to /sparql: the editor, not raw Turtle. Relative,
            # so it never names the request's Host.
            lang = request.query_params.get("lang")
            target = prefix + "/query" + (f"?{urlencode({'lang': lang})}" if lang else "")
            return Response(
                status_code=303,
                headers={"Location": target, "Vary": "Accept", "Cache-Control": "no-cache"},
            )
        try:
            offer = negotiation.choose(
                negotiation.RDF_OFFERS,
                request.headers.get("accept"),
                request.query_params.get("format"),
                negotiation.TURTLE,
            )
        except negotiation.NotAcceptable as error:
            answer = answer_for(error, retry_after=settings.retry_after_seconds)
            return error_response(answer, request)
        graph = protocol.service_description_graph(endpoint)
        if offer is negotiation.JSON_LD:
            body = jsonld.document_of_ntriples(graph.serialize(format="nt", encoding="utf-8"), iris)
        else:
            rdf_format = formats.RDF_BY_MEDIA_TYPE[offer.media_type].rdflib
            assert rdf_format is not None  # rdflib writes every RDF offer
            body = graph.serialize(format=rdf_format, encoding="utf-8")
        headers = {**_common_headers(release, settings), "Vary": "Accept"}
        return Response(body, media_type=offer.media_type, headers=headers)

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        path = release.folder / name
        # Only the published files, never a path into the folder; a release built before
        # catalog.ttl and void.ttl existed lacks them.
        if name not in LINKED or not path.is_file():
            message = f"no download named {name!r}; available: {', '.join(LINKED)}"
            return error_response(ErrorAnswer(404, message), request)
        modified = path.stat().st_mtime
        headers = {
            **_common_headers(release, settings),
            "ETag": release.etag,
            "Last-Modified": common.http_date(modified),
        }
        if common.not_modified(request.headers, release.etag, modified):
            return Response(status_code=304, headers=headers)
        return FileResponse(path, media_type=DUMP_TYPES[name], headers=headers)

    async def out_of_memory(request: Request, error: Exception) -> Response:
        # Python's own allocations (the JSON-LD of a large answer, a page) under the process's
        # RLIMIT_AS: the process survives, so the client is told; it then retires.
        answer = answer_for(pool.out_of_memory(), retry_after=settings.retry_after_seconds)
        return error_response(answer, request)

    async def http_error(request: Request, error: Exception) -> Response:
        # Starlette's own refusals (405 for a method a route lacks) from the one table's forms.
        assert isinstance(error, HTTPException)
        answer = ErrorAnswer(error.status_code, error.detail, tuple((error.headers or {}).items()))
        return error_response(answer, request)

    async def internal_error(request: Request, error: Exception) -> Response:
        # The last line of defence: a one-line answer, the details in the server's log.
        message = f"internal error ({type(error).__name__}); the server keeps running"
        return error_response(ErrorAnswer(500, message), request)

    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    return Starlette(
        # MemoryError apart: Starlette logs a traceback for what reaches the Exception handler.
        exception_handlers={
            HTTPException: http_error,
            MemoryError: out_of_memory,
            Exception: internal_error,
        },
        # Each request's queries count against its client's budget (sparql.budgets); Brotli
        # and gzip on the fly, as the client's Accept-Encoding asks (Brotli first), for
        # answers up to compress_max_bytes (web/compression.py); the quality a page costs a
        # millisecond or two to compress (README "Compression").
        middleware=[
            Middleware(
                ClientOfRequest,
                unlimited=settings.unlimited_clients,
                trusted_proxies=settings.trusted_proxies,
                proxy_header=settings.proxy_header,
            ),
            Middleware(
                Compression, max_bytes=settings.compress_max_bytes, brotli_quality=4, gzip_level=6
            ),
        ],
        routes=[
            Route(endpoint_path, sparql, methods=methods),
            Route("/download/{name}", download, methods=["GET", "HEAD"]),
            # The pages and Linked-Data answers, `/` included (web/routes.py lists them).
            *site_routes(
                Site(
                    release,
                    pool.run_async,
                    settings,
                    base,
                    prefix=prefix,
                    releases=releases,
                    responses=responses,
                )
            ),
        ],
    )
