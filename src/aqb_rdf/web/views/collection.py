"""``/id/{kind}/``: the list of every thing of one kind, as a page, CSV or JSON (I/O).

The lists of :mod:`aqb_rdf.web.collections`: a filter form (the values from
``queries/collection-facets.rq``, once per release), a table sorted by any column (a click on
its heading), ``--page-size`` rows a page, and the whole list as CSV (``?format=csv``) or JSON
(``?format=json``) with the same filters and order; ``Accept: text/csv`` and
``application/json`` choose them as well (no ``Accept``, or a browser's: the page). The filtering is the list's named query
(``queries/collection-*.rq``, the filters bound as its parameters); the order and the pages
are Python's (sorting thousands of rows in SPARQL costs the engine more than Python).
Finished answers are kept per release, as the Linked-Data answers are.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Final
from urllib.parse import urlencode

from pyoxigraph import Literal, NamedNode
from starlette.requests import Request
from starlette.responses import Response

from aqb_rdf.errors import PageError, QueryPoolError, ViewError
from aqb_rdf.rdf import formats
from aqb_rdf.sparql.results import SelectResult
from aqb_rdf.web import collections, negotiation
from aqb_rdf.web.answers import KeptResponse
from aqb_rdf.web.collections import Collection, Column, Facets, Record, View
from aqb_rdf.web.errors import ErrorAnswer, answer_for, error_response
from aqb_rdf.web.negotiation import Offer
from aqb_rdf.web.pages import Page, Site
from aqb_rdf.web.query_runner import select

EXPORTS: Final = {
    "csv": formats.CSV.content_type + "; header=present",
    "json": formats.JSON.content_type,
}
"""``?format=`` values of a list besides the page, with their media types."""

LIST_OFFERS: Final = (
    negotiation.HTML,
    Offer(formats.CSV.media_type, ("csv",)),
    Offer(formats.JSON.media_type, ("json",)),
)
"""What a list is: the page first (it wins ties and is what no ``Accept`` gets), CSV, JSON."""

VARY: Final = "Accept, Accept-Language"


async def facets(site: Site) -> Facets:
    """The values the filters offer (one query per release)."""

    async def load() -> Facets:
        result = await select(site.run, "collection-facets", base=site.iris.base)
        return collections.facets(result, str(site.iris.rechtskreis("")))

    return await site.memo.get(site.release.id, "collection-facets", load)


def _problem(page: Page, status: int, text: str, message: str) -> Response:
    """A 400 or 404 in the form the request asks for (:func:`~aqb_rdf.web.errors.error_response`)."""
    return error_response(ErrorAnswer(status, message), page.request, page, text=text, Vary=VARY)


def no_list(page: Page) -> Response:
    """The 404 of a path under ``/id/`` that ends in ``/`` and is no list: it names the lists."""
    paths = ", ".join(c.path for c in collections.COLLECTIONS)
    message = f"no list at {page.path}; the lists are {paths}"
    return _problem(page, 404, page.t("no_list_text", lists=paths), message)


def alternates(page: Page, chosen: Collection, view: View) -> str:
    """The ``Link`` header (RFC 8288) naming the list's CSV and JSON, with its filters and order."""
    return ", ".join(
        f'<{url(page, chosen, view, format=name, page=None)}>; rel="alternate"; type="{offer}"'
        for name, offer in (("csv", formats.CSV.media_type), ("json", formats.JSON.media_type))
    )


async def collection(site: Site, request: Request) -> Response:
    """``/id/{kind}/``: one of :data:`~aqb_rdf.web.collections.COLLECTIONS`."""
    page = Page(site, request)
    chosen = collections.BY_SEGMENT.get(request.path_params["kind"])
    if chosen is None:
        return no_list(page)
    try:
        offer = negotiation.choose(
            LIST_OFFERS,
            request.headers.get("accept"),
            request.query_params.get("format"),
            negotiation.HTML,
        )
    except negotiation.NotAcceptable as error:
        answer = answer_for(error, retry_after=site.settings.retry_after_seconds)
        return _problem(page, answer.status, answer.message, answer.message)
    fmt = offer.name
    try:
        view = collections.parse_view(chosen, request.query_params)
    except ViewError as error:
        return _problem(page, 400, page.t(error.key, **error.values), str(error))
    except PageError as error:
        return _problem(page, error.status, page.t("bad_page_text"), str(error))
    release = site.release.id
    key = ("list", page.path, request.url.query, page.lang, fmt)
    kept = site.responses.get(release, key)
    if kept is not None:
        return Response(kept.body, headers=dict(kept.headers))
    response = await _answer(site, page, chosen, view, fmt)
    if response.status_code == 200:
        headers = tuple((k, v) for k, v in response.headers.items() if k != "content-length")
        media_type = response.media_type or "text/html"
        site.responses.put(release, key, KeptResponse(media_type, bytes(response.body), headers))
    return response


class SortedLists:
    """The last few lists asked for, sorted, per release: the pages of one list and its other
    orders cost no query (a list of 20,000 projects takes the engine seconds at 2 M triples).
    At most :attr:`size` lists are kept; the least recently used goes first."""

    size: Final = 4

    def __init__(self) -> None:
        self._lists: OrderedDict[tuple[str, ...], tuple[SelectResult, Sequence[Record]]] = (
            OrderedDict()
        )

    def get(self, key: tuple[str, ...]) -> tuple[SelectResult, Sequence[Record]] | None:
        found = self._lists.get(key)
        if found is not None:
            self._lists.move_to_end(key)
        return found

    def put(self, key: tuple[str, ...], value: tuple[SelectResult, Sequence[Record]]) -> None:
        self._lists[key] = value
        self._lists.move_to_end(key)
        while len(self._lists) > self.size:
            self._lists.popitem(last=False)


_SORTED: Final = SortedLists()


def _list_key(site: Site, chosen: Collection, view: View, sort: str) -> tuple[str, ...]:
    filters = [f"{name}={value}" for name, value in sorted(view.filters.items())]
    return (site.release.id, chosen.segment, *filters, f"sort={sort}")


async def sorted_list(
    site: Site, chosen: Collection, view: View
) -> tuple[SelectResult, Sequence[Record]]:
    """The list ``view`` filters and orders: the query's answer and its rows in order. Another
    order of a list kept in its own order is sorted from it, without a query."""
    key = _list_key(site, chosen, view, view.sort_value() or "")
    kept = _SORTED.get(key)
    if kept is not None:
        return kept
    base = _SORTED.get(_list_key(site, chosen, view, ""))
    if base is not None:
        result, records = base
    else:
        params = view.query_params(str(site.iris.rechtskreis("")))
        result = await select(site.run, chosen.query, params, site.iris.base)
        records = result.records()
    rows = collections.sorted_rows(chosen, records, view, presorted=base is not None)
    _SORTED.put(key, (result, rows))
    return result, rows


async def _answer(site: Site, page: Page, chosen: Collection, view: View, fmt: str) -> Response:
    try:
        offered = await facets(site)
        result, rows = await sorted_list(site, chosen, view)
    except QueryPoolError as error:
        answer = answer_for(error, retry_after=site.settings.retry_after_seconds, server_query=True)
        text = page.t("unavailable_text") if answer.busy else page.t("query_failed_text")
        return error_response(answer, page.request, page, text=text, Vary=VARY)
    if fmt == "csv":
        headers = site.headers(
            Vary=VARY,
            **{"Content-Disposition": f'attachment; filename="{_file_name(chosen, view)}.csv"'},
        )
        return Response(
            collections.to_csv(result, rows), media_type=EXPORTS["csv"], headers=headers
        )
    if fmt == "json":
        about = {
            "list": site.iris.base + chosen.path.removeprefix("/"),
            "filters": dict(view.filters),
            "sort": view.sort_value(),
            "total": len(rows),
        }
        body = collections.to_json(result, rows, about)
        return Response(body, media_type=EXPORTS["json"], headers=site.headers(Vary=VARY))
    window = collections.Window(view.page, site.settings.page_size, len(rows))
    try:
        window.check()
    except PageError as error:
        last = page.integer(error.last)
        return _problem(page, 404, page.t("past_last_page_text", last=last), str(error))
    return page.render(
        "collection.html",
        headers={"Vary": VARY, "Link": alternates(page, chosen, view)},
        collection=chosen,
        view=view,
        facets=offered,
        window=window,
        total=len(rows),
        headings=_headings(page, chosen, view),
        rows=[_cells(page, chosen, offered, record) for record in window.rows(rows)],
        links=_links(page, chosen, view, window),
    )


def _file_name(chosen: Collection, view: View) -> str:
    """``projekt``, ``projekt-2025-06413`` …: the list and its filter values."""
    return "-".join([chosen.segment, *view.filters.values()])


def url(current: Page, chosen: Collection, view: View, **changes: str | int | None) -> str:
    """The list's path with the view's filters, order and page, ``changes`` applied (``None``
    drops a parameter); ``page`` 1 and the page's own ``lang`` where it was asked for."""
    params: dict[str, str | int | None] = {
        **view.filters,
        "sort": view.sort_value(),
        "page": view.page if view.page != 1 else None,
    }
    params.update(changes)
    if current.explicit_lang and "format" not in changes:  # CSV and JSON have no language
        params["lang"] = current.lang
    query = urlencode([(k, v) for k, v in params.items() if v is not None and v != ""])
    return current.prefix + chosen.path + (f"?{query}" if query else "")


def _headings(page: Page, chosen: Collection, view: View) -> list[dict[str, object]]:
    """Each column's heading, with the link that sorts by it (again: the other way)."""
    headings: list[dict[str, object]] = []
    for column in chosen.columns:
        current = view.sort == column.name
        descending = current and not view.descending
        order = f"-{column.name}" if descending else column.name
        state = ("descending" if view.descending else "ascending") if current else None
        headings.append(
            {
                "text": page.t(column.heading),
                "href": url(page, chosen, view, sort=order, page=None),
                "sort": state,
                "num": column.numeric,
            }
        )
    return headings


def _links(
    page: Page, chosen: Collection, view: View, window: collections.Window
) -> dict[str, str]:
    links = {
        "csv": url(page, chosen, view, format="csv", page=None),
        "json": url(page, chosen, view, format="json", page=None),
    }
    numbers = {
        "first": 1 if window.number > 1 else None,
        "previous": window.number - 1 if window.number > 1 else None,
        "next": window.number + 1 if window.number < window.last else None,
        "last": window.last if window.number < window.last else None,
    }
    for name, number in numbers.items():
        if number is not None:
            links[name] = url(page, chosen, view, page=number if number != 1 else None)
    return links


def _text(term: object) -> str:
    return term.value if isinstance(term, (Literal, NamedNode)) else ""


def _cells(
    page: Page, chosen: Collection, offered: Facets, record: Record
) -> list[dict[str, object]]:
    """One row of the table: per column its text, link, alignment, language and heading."""
    cells: list[dict[str, object]] = []
    for column in chosen.columns:
        cells.append({**_cell(page, column, offered, record), "label": page.t(column.heading)})
    return cells


def _cell(page: Page, column: Column, offered: Facets, record: Record) -> dict[str, object]:
    value = _text(record.get(column.name))
    target = record.get(column.link) if column.link else None
    href = page.href(target.value) if isinstance(target, NamedNode) else None
    lang = None
    term = record.get(column.name)
    if isinstance(term, Literal) and term.language:
        lang = term.language
    kind = column.kind
    text = value
    if kind == "integer":
        text = page.integer(value) if value else ""
    elif kind == "amount":
        try:
            text = page.amount(Decimal(value)) if value else ""
        except InvalidOperation:
            text = value
    elif kind == "date":
        text = page.date(value) if value else ""
    elif kind == "region":
        text = offered.label("region", value, page.lang) or value
    elif kind == "massnahmenart":
        text = offered.label("massnahmenart", value, page.lang) or value
        if href is None:
            choice = next((c for c in offered.choices["massnahmenart"] if c.value == value), None)
            href = page.href(choice.iri) if choice and choice.iri else None
    elif kind == "rechtskreise":
        text = ", ".join(collections.rechtskreise(value))
    elif column.name == "agreement":
        region = offered.label("region", _text(record.get("region")), page.lang) or ""
        text = page.t("agreement_label", year=_text(record.get("year")), region=region)
    return {"text": text, "href": href, "num": column.numeric, "lang": lang}
