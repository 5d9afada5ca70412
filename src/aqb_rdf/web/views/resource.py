"""Linked Data: every IRI the build mints answers on this server, by content negotiation.

The base IRI maps to the server root, so ``GET /id/zielvereinbarung/2025/06413`` describes
``{base}id/zielvereinbarung/2025/06413`` (things under ``id/``, terms under ``def/``, named
graphs under ``graph/``). Per `Cool URIs for the Semantic Web
<https://www.w3.org/TR/cooluris/>`_ §4.3 the answer is direct, with ``Vary``: HTML for
browsers, Turtle, JSON-LD, N-Triples or RDF/XML by ``Accept`` or ``?format=``
(:func:`~aqb_rdf.web.negotiation.choose` over ``PAGE_OFFERS``; no ``Accept`` at all: Turtle).
The page and the RDF come from the same answer of ``queries/describe-resource.rq``, run
through the query pool with the IRI bound as a typed ``VALUES`` term. An IRI with no triples
is a 404; a path that is not an IRI of ours is a 404 before any query runs.

What links to the resource comes one page at a time (:mod:`.paging`): ``resource-links.rq``
lists and counts the linking IRIs first, and when they fill more than one page
(``ServeSettings.page_size``), the description reads only those of the page ``?page=N`` asks
for and the RDF says so in Hydra terms. A malformed ``page`` is a 400, one past the last a 404.

``/.well-known/void`` describes the dataset in VoID (:mod:`aqb_rdf.publish.void`, the module the build
writes ``void.ttl`` with), negotiated the same way; the endpoint and dumps are under the base IRI.
``/catalog`` answers the release's ``catalog.ttl`` (:mod:`aqb_rdf.publish.dcat`) as the build wrote it,
locations under the base IRI, negotiated the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Final
from urllib.parse import urlencode

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse, serialize
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from aqb_rdf.errors import AqbError, PageError, QueryPoolError
from aqb_rdf.publish import jsonld
from aqb_rdf.publish.metadata import CATALOG
from aqb_rdf.publish.release import recorded_synthetic
from aqb_rdf.publish.void import DatasetFacts, example_resources, vocabularies, void_triples
from aqb_rdf.rdf import formats
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.web import negotiation
from aqb_rdf.web.answers import KeptResponse
from aqb_rdf.web.errors import ErrorAnswer, answer_for, error_response
from aqb_rdf.web.negotiation import HTML, JSON_LD, N_QUADS, PAGE_OFFERS, TURTLE, Offer
from aqb_rdf.web.pages import Page, Site
from aqb_rdf.web.query_runner import describe, describe_graph, resource_links
from aqb_rdf.web.render import document, kinds, parts, years
from aqb_rdf.web.render.catalogue import catalogue as catalogue_view
from aqb_rdf.web.render.description import Description
from aqb_rdf.web.render.ontology import ontology
from aqb_rdf.web.render.paging import Paging, hydra_triples, parse_page
from aqb_rdf.web.statistics import budgets, region_projects, statistics
from aqb_rdf.web.views import document as document_view

_SEGMENT = r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*"
_PATH: Final = re.compile(rf"(?:id|def|graph)(?:/{_SEGMENT})+")
"""A path that may name a resource: ``id/…``, ``def/…``, ``graph/…``; plain segments only."""
MAX_PATH: Final = 512

RDF_FORMATS: Final[Mapping[str, RdfFormat]] = {
    f.media_type: f.rdf for f in formats.GRAPH_FORMATS if f.rdf is not None
}
VARY: Final = "Accept, Accept-Language"

BUILDERS: Final[Mapping[str, Callable[[parts.Reader], object]]] = {
    "agreement": kinds.agreement,
    "region": kinds.region,
    "organisation": kinds.organisation,
    "massnahmenart": kinds.massnahmenart,
    "project": kinds.project,
    "document": lambda reader: document.document(reader, None, ()),
    "ontology": ontology,
    "resource": parts.generic,
    "graph": parts.named_graph,
    "catalogue": catalogue_view,
}
"""Page kind → the builder of its view; the template is ``{kind}.html``."""


def iri_of(site: Site, path: str) -> str | None:
    """The IRI a request path names (``/id/…`` → ``{base}id/…``), or ``None``."""
    rest = path.removeprefix("/")
    if len(rest) > MAX_PATH or _PATH.fullmatch(rest) is None:
        return None
    return site.iris.base + rest


_CUT_AGREEMENT: Final = re.compile(r"/id/zielvereinbarung/([0-9]{4})")


def redirect_of(path: str, query: str) -> RedirectResponse | None:
    """Where a path that is not an IRI but near one goes: with a last ``/``, to the IRI without
    it (301); ``/id/zielvereinbarung/2025``, an agreement's IRI cut after its year, to that
    year's list (303: another resource)."""
    if path.endswith("/") and path.strip("/").count("/") >= 1:
        return RedirectResponse(path.rstrip("/") + (f"?{query}" if query else ""), 301)
    cut = _CUT_AGREEMENT.fullmatch(path)
    if cut is not None:
        return RedirectResponse("/id/zielvereinbarung/?" + urlencode({"year": cut[1]}), 303)
    return None


def serialize_triples(
    triples: Iterable[Triple],
    offer: Offer,
    prefixes: Mapping[str, str],
    iris: Iris,
    graph: NamedNode | None = None,
) -> bytes:
    """The triples in the RDF format ``offer`` names, with our prefixes where it has them;
    JSON-LD compacted with the published context, as the dump is (:mod:`aqb_rdf.publish.jsonld`);
    N-Quads in ``graph`` (a named graph's own triples), else in the default graph."""
    if offer is JSON_LD:
        return jsonld.document(triples, iris)
    if offer is N_QUADS:
        in_graph = graph or DefaultGraph()
        quads = [Quad(t.subject, t.predicate, t.object, in_graph) for t in triples]
        return serialize(quads, format=RdfFormat.N_QUADS) or b""
    body = serialize(triples, format=RDF_FORMATS[offer.media_type], prefixes=dict(prefixes))
    return body or b""


def _negotiate(request: Request) -> Offer:
    return negotiation.choose(
        PAGE_OFFERS, request.headers.get("accept"), request.query_params.get("format"), TURTLE
    )


def _answer(site: Site, error: AqbError, *, server_query: bool = False) -> ErrorAnswer:
    return answer_for(
        error, retry_after=site.settings.retry_after_seconds, server_query=server_query
    )


def _not_acceptable(site: Site, request: Request, error: negotiation.NotAcceptable) -> Response:
    return error_response(_answer(site, error), request, Page(site, request), Vary=VARY)


def _failure(site: Site, page: Page, offer: Offer | None, error: QueryPoolError) -> Response:
    """The answer when the pool cannot describe: 503 when busy or slow, 429 when the client
    has used its budget, else 500."""
    answer = _answer(site, error, server_query=True)
    text = page.t("unavailable_text") if answer.busy else page.t("query_failed_text")
    if answer.over_budget:
        text = page.t("over_budget_text")
    return error_response(answer, page.request, page, text=text)


def _not_found(page: Page, offer: Offer | None, iri: str) -> Response:
    answer = ErrorAnswer(404, f"no triples about <{iri}>")
    return error_response(answer, page.request, page, text=page.t("not_found_text"), Vary=VARY)


def _no_page(page: Page, offer: Offer, error: PageError) -> Response:
    """A ``?page=`` that names no page: 400 if malformed, 404 if past the last page."""
    answer = _answer(page.site, error)
    text = (
        page.t("bad_page_text")
        if error.last is None
        else page.t("past_last_page_text", last=page.integer(error.last))
    )
    return error_response(answer, page.request, page, title=page.t("no_page"), text=text, Vary=VARY)


def _etag(site: Site, page: Page, offer: Offer, number: int = 1) -> str:
    """One ETag per release, representation, language and page (and page size)."""
    variant = page.lang if offer is HTML else "rdf"
    return f'"{site.release.id}-{offer.name}-{variant}-{site.settings.page_size}-{number}"'


async def respond(
    site: Site,
    request: Request,
    description: Description,
    offer: Offer,
    kind: str,
    paging: Paging | None = None,
    members: tuple[NamedNode, ...] = (),
    build: Callable[[parts.Reader], object] | None = None,
) -> Response:
    """The description as ``offer``: a page of kind ``kind``, or RDF.

    Args:
        paging: which page of what links to the resource the description holds, if paged.
        members: the things on that page, for the Hydra triples of a paged RDF answer.
        build: the page's builder, if not the kind's in :data:`BUILDERS` (one that needs
            more than the description, such as the document view).
    """
    page = Page(site, request)
    headers = {"Vary": VARY, "ETag": _etag(site, page, offer, paging.number if paging else 1)}
    links = [page.alternates(offer.media_type)]
    if paging is not None and paging.paged:
        links.append(page_link_header(site, request, paging))
    headers["Link"] = ", ".join(links)
    if offer is not HTML:
        triples = description.ordered()
        if paging is not None:
            triples += hydra_triples(paging, members)
        named = description.resource.value.startswith(site.iris.graph_namespace)
        graph = description.resource if named else None
        body = serialize_triples(triples, offer, site.prefixes, site.iris, graph)
        return Response(body, media_type=offer.media_type, headers=site.headers(**headers))
    vocabulary = await site.vocabulary()
    reader = parts.Reader(description, page.lang, vocabulary, site.aqb, paging)
    return page.render(
        f"{kind}.html",
        headers=headers,
        iri=description.resource.value,
        view=(build or BUILDERS[kind])(reader),
        generic=parts.generic(reader),
        paging=parts.page_links(reader),
    )


def page_link_header(site: Site, request: Request, paging: Paging) -> str:
    """The ``Link`` header (RFC 8288) of a paged answer: first, previous, next, last, each as
    this request's path under the base IRI (never the request's host) with another ``page``,
    its ``format`` and ``lang`` kept."""
    params = request.query_params
    present = [(name, params[name]) for name in ("format", "lang") if name in params]
    target = site.iris.base + request.url.path.removeprefix("/")
    targets = [("first", 1), ("prev", paging.previous), ("next", paging.next)]
    targets.append(("last", paging.last))
    return ", ".join(
        f'<{target}?{urlencode([*present, ("page", number)])}>; rel="{rel}"'
        for rel, number in targets
        if number is not None
    )


async def resource(site: Site, request: Request) -> Response:
    """``/id/…``, ``/def/…``, ``/graph/…``: the resource with that IRI."""
    page = Page(site, request)
    redirect = redirect_of(request.url.path, request.url.query)
    if redirect is not None:
        redirect.headers.update(site.headers())
        return redirect
    iri = iri_of(site, request.url.path)
    try:
        offer = _negotiate(request)
    except negotiation.NotAcceptable as error:
        return _not_acceptable(site, request, error)
    if iri is None:
        return _not_found(page, offer, request.url.path)
    try:
        number = parse_page(request.query_params.get("page"))
    except PageError as error:
        return _no_page(page, offer, error)
    etag = _etag(site, page, offer, number)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=site.headers(Vary=VARY, ETag=etag))
    # A release never changes: a finished answer is sent again as it is. The ETag names the
    # release, the format, the language and the page; the path and query (links on the page
    # keep the query) the rest. The host is not part of it: no answer depends on it.
    # On a page of a kept release (/release/<id>/…), whether the newest release still
    # describes the resource; the key names the newest release, as the answer depends on it.
    newest = ""
    if site.prefix and offer is HTML:
        request.state.in_newest = await site.releases.newest_has(iri)
        newest = f"{site.releases.listing()[0].id}:{request.state.in_newest}"
    release, key = site.release.id, (page.path, request.url.query, etag, newest)
    kept = site.responses.get(release, key)
    if kept is not None:
        return Response(kept.body, headers=dict(kept.headers))
    response = await _describe_and_respond(site, request, page, offer, iri, number)
    if response.status_code == 200:
        headers = tuple((k, v) for k, v in response.headers.items() if k != "content-length")
        site.responses.put(
            release, key, KeptResponse(offer.media_type, bytes(response.body), headers)
        )
    return response


async def _describe_and_respond(
    site: Site, request: Request, page: Page, offer: Offer, iri: str, number: int
) -> Response:
    if iri.startswith(site.iris.graph_namespace):
        return await _whole(site, request, page, offer, iri, number)
    if iri == str(site.iris.ontology):
        # Its page documents every term, each linking to it (rdfs:isDefinedBy): as many as
        # the vocabulary has, however large the data; never paged.
        return await _whole(site, request, page, offer, iri, number)
    try:
        links = await resource_links(site.run, iri, site.iris.base)
        paging = Paging(iri, number, site.settings.page_size, links.total, links.counts)
        paging.check()
        members = paging.window(links.members) if paging.paged else ()
        # Everything on one page: the query as it stands, blank nodes that link here included.
        subjects = members if paging.paged else None
        description = await describe(site.run, iri, subjects, site.iris.base)
    except PageError as error:
        return _no_page(page, offer, error)
    except QueryPoolError as error:
        return _failure(site, page, offer, error)
    if not description.found:
        return _not_found(page, offer, iri)
    kind = parts.kind(description, site.aqb)
    build = None
    if offer is HTML:
        try:
            build = await document_view.builder(site, description, kind)
            if kind == "region":
                build = await _region_builder(site, page, description)
        except QueryPoolError as error:
            return _failure(site, page, offer, error)
    return await respond(site, request, description, offer, kind, paging, members, build)


async def _region_builder(
    site: Site, page: Page, description: Description
) -> Callable[[parts.Reader], object] | None:
    """The region page's builder with its years: budgets per year, the projects' timeline."""
    key = description.text(description.resource, site.aqb + "kreisschluessel")
    if key is None:
        return None
    region_iri = str(site.iris.region(key))
    rows = [
        (b.year, b.amount, b.agreement) for b in await budgets(site) if b.region_iri == region_iri
    ]
    found = years.region_years(rows, await region_projects(site, key))
    chart = years.year_chart(found.budgets, page.lang, page.href, page.t("budget_per_year"))
    return lambda reader: kinds.region(reader, found, chart if found.budgets else "")


async def _whole(
    site: Site, request: Request, page: Page, offer: Offer, iri: str, number: int
) -> Response:
    """A named graph (its triples) or the ontology, on one page."""
    is_graph = iri.startswith(site.iris.graph_namespace)
    try:
        if is_graph:
            description = await describe_graph(site.run, iri, site.iris.base)
        else:
            description = await describe(site.run, iri, base=site.iris.base)
    except QueryPoolError as error:
        return _failure(site, page, offer, error)
    if not (len(description) if is_graph else description.found):
        return _not_found(page, offer, iri)
    if number != 1:
        return _no_page(page, offer, PageError(f"no page {number}: there is one", last=1))
    kind = "graph" if is_graph else parts.kind(description, site.aqb)
    return await respond(site, request, description, offer, kind)


async def void(site: Site, request: Request) -> Response:
    """``/.well-known/void``: the VoID description of the dataset."""
    page = Page(site, request)
    try:
        offer = _negotiate(request)
        figures = await statistics(site)
        rows = await budgets(site)
    except negotiation.NotAcceptable as error:
        return _not_acceptable(site, request, error)
    except QueryPoolError as error:
        return _failure(site, page, None, error)
    first = (int(rows[0].year), rows[0].key) if rows else None
    facts = DatasetFacts(
        base=site.iris.base,
        server=site.iris.base,
        triples=figures.triples,
        examples=example_resources(site.iris, first),
        vocabularies=vocabularies(site.prefixes),
        synthetic=recorded_synthetic(site.release.folder),
    )
    description = Description(str(site.iris.dataset), void_triples(facts))
    return await respond(site, request, description, offer, "resource")


async def catalogue(site: Site, request: Request) -> Response:
    """``/catalog``: the DCAT-AP.de catalogue the build wrote (``catalog.ttl``)."""
    page = Page(site, request)
    try:
        offer = _negotiate(request)
    except negotiation.NotAcceptable as error:
        return _not_acceptable(site, request, error)
    path = site.release.folder / CATALOG

    async def load() -> tuple[Triple, ...]:
        return tuple(q.triple for q in parse(path=path, format=RdfFormat.TURTLE))

    if not path.is_file():  # a release built before the catalogue existed
        return _not_found(page, offer, str(site.iris.catalog))
    triples = await site.memo.get(site.release.id, "catalogue", load)
    description = Description(str(site.iris.catalog), triples)
    return await respond(site, request, description, offer, "catalogue")
