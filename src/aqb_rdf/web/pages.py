"""What every HTML page shares: the site, the language, links, templates, static files (I/O).

* :class:`Site` is built once per app: the base IRI, the release, the query pool and answers
  kept per release (the vocabulary's labels), the path it is served under (``""`` for the
  current release at ``/``, ``/release/<id>`` for every release kept,
  :mod:`aqb_rdf.web.releases`) and the releases its server serves.
* :class:`Page` is built per request: the language (``?lang=`` or ``Accept-Language``,
  German by default), texts in that language, numbers and dates as it writes them, and
  :meth:`Page.href`, which turns an IRI under the base into a path on this server (the base
  IRI maps to the server root, or to the site's ``/release/<id>/``), keeping an explicit
  ``?lang=`` on every link.
* Templates live in ``templates/``: one per page kind, ``_``-prefixed partials, all extending
  ``base.html``; Jinja2 escapes every value.
* Static files (``static/``) are served only by exact name from :data:`STATIC_FILES`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Final
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pyoxigraph import Literal, NamedNode, RdfFormat, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from aqb_rdf.publish.metadata import CATALOG
from aqb_rdf.publish.release import published_at, recorded_synthetic
from aqb_rdf.rdf import files as release_files
from aqb_rdf.rdf import formats
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.search.index import SearchIndex
from aqb_rdf.web import headers as common
from aqb_rdf.web.answers import ResponseCache
from aqb_rdf.web.negotiation import RDF_OFFERS
from aqb_rdf.web.query_runner import ReleaseMemo, Runner, select
from aqb_rdf.web.render import texts
from aqb_rdf.web.render.catalogue import Imprint, imprint
from aqb_rdf.web.render.description import Description
from aqb_rdf.web.render.vocabulary import Vocabulary, prefixes
from aqb_rdf.web.state import ReleaseEntry

if TYPE_CHECKING:
    from aqb_rdf.web.state import Release, ServedReleases, ServeSettings

STATIC_FILES: Final[Mapping[str, str]] = {
    "aqb.css": formats.CSS.content_type,
    "query.js": formats.JAVASCRIPT.content_type,
    "favicon.svg": formats.SVG.content_type,
}
"""The files under ``/static/``: name → media type. Nothing else is ever served from there."""

HTML_TYPE: Final = formats.HTML.media_type

FORMAT_LABELS: Final[Mapping[str, str]] = {
    offer.name: formats.RDF_BY_MEDIA_TYPE[offer.media_type].label for offer in RDF_OFFERS
}
"""The names the pages give the RDF representations, by ``format`` value."""


class Site:
    """What all pages of one app share.

    Args:
        release: the release served (its id names the answers kept).
        run: answers queries (the pool).
        settings: limits and cache lifetimes.
        base: the base IRI of the dataset; it maps to this server's root (or to ``prefix``).
        prefix: the path the site is served under: ``""`` (the current release, at ``/``) or
            ``/release/<id>`` (:mod:`aqb_rdf.web.releases`).
        releases: the releases the server serves (default: this one alone).
        responses: the cache of finished answers, shared by the sites of one process.
    """

    def __init__(
        self,
        release: Release,
        run: Runner,
        settings: ServeSettings,
        base: str = DEFAULT_BASE,
        *,
        prefix: str = "",
        releases: ServedReleases | None = None,
        responses: ResponseCache | None = None,
    ) -> None:
        self.release = release
        self.run = run
        self.settings = settings
        self.iris = Iris(base)
        self.prefix = prefix
        self.releases: ServedReleases = releases or _Alone(release)
        self.prefixes = prefixes(self.iris)
        self.memo = ReleaseMemo()
        self.responses = responses if responses is not None else ResponseCache()
        """Finished Linked-Data answers, per release."""
        self._imprints: dict[tuple[str, str], Imprint] = {}
        self._search: tuple[str, SearchIndex | None] | None = None
        self._search_lock = threading.Lock()

    def search_index(self) -> SearchIndex | None:
        """The search index of the release served, opened read-only once per release
        (``None``: the release has none, built before ``search.sqlite`` existed)."""
        with self._search_lock:
            release = self.release.id
            if self._search is None or self._search[0] != release:
                # The index of the release before stays open for a search still running on
                # it; it is closed when the last reference goes.
                try:
                    opened: SearchIndex | None = SearchIndex(
                        self.release.folder / release_files.SEARCH_INDEX.name
                    )
                except (OSError, sqlite3.Error):
                    opened = None
                self._search = (release, opened)
            return self._search[1]

    @property
    def older(self) -> bool:
        """Whether the site shows a release other than the current one."""
        listing = self.releases.listing()
        return bool(self.prefix) and (not listing or listing[0].id != self.release.id)

    def entry(self) -> ReleaseEntry:
        """The release the site shows: id and when it was published."""
        for entry in self.releases.listing():
            if entry.id == self.release.id:
                return entry
        return ReleaseEntry(self.release.id, published_at(self.release.folder))

    @property
    def aqb(self) -> str:
        """The ontology's namespace, ``{base}def/aqb#``."""
        return str(self.iris.aqb)

    async def vocabulary(self) -> Vocabulary:
        """Labels of the release's classes and properties (one query per release)."""

        async def load() -> Vocabulary:
            result = await select(self.run, "vocabulary-labels", base=self.iris.base)
            rows = [
                (term.value, label.value, label.language)
                for term, label in result.rows
                if isinstance(term, NamedNode) and isinstance(label, Literal)
            ]
            return Vocabulary(rows, self.prefixes)

        return await self.memo.get(self.release.id, "vocabulary", load)

    def imprint(self, lang: str) -> Imprint | None:
        """What every page's footer says of the licence, publisher and source: from the
        release's ``catalog.ttl``, read once per release (``None`` for a release without)."""
        path = self.release.folder / CATALOG
        key = (self.release.id, lang)
        if key not in self._imprints:
            try:
                triples = [q.triple for q in parse(path=path, format=RdfFormat.TURTLE)]
            except (OSError, SyntaxError):
                return None
            self._imprints = {
                (self.release.id, language): imprint(
                    Description(str(self.iris.catalog), triples), language
                )
                for language in texts.LANGUAGES
            }
        return self._imprints.get(key)

    def headers(self, **extra: str) -> dict[str, str]:
        """The headers every page answer carries."""
        return {**common.cacheable(self.settings.cache_seconds), **extra}


class Page:
    """One request's view of the site: its language and how it writes links and numbers."""

    def __init__(self, site: Site, request: Request) -> None:
        self.site = site
        self.request = request
        param = request.query_params.get("lang")
        self.explicit_lang = param is not None and param.strip().lower() in texts.LANGUAGES
        self.lang = texts.choose_language(param, request.headers.get("accept-language"))
        self.prefix = site.prefix
        self.path = self.prefix + request.url.path
        """The path of the page as the client asked for it (with the release's prefix)."""
        self.in_newest: bool = getattr(request.state, "in_newest", True)
        """Whether the newest release still describes what this page of a kept release shows
        (the resource view finds out, into ``request.state``)."""

    def t(self, key: str, **values: object) -> str:
        """The text ``key`` in the page's language."""
        return texts.text(key, self.lang, **values)

    def local(self, path: str, fragment: str = "") -> str:
        """A path of this site (``/…``, under the site's ``/release/<id>`` prefix), with
        ``?lang=`` when the page was asked for by it."""
        path = self.prefix + path
        if self.explicit_lang:
            joiner = "&" if "?" in path else "?"
            path = f"{path}{joiner}lang={self.lang}"
        return f"{path}#{fragment}" if fragment else path

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` goes: IRIs under the base map to this server, others stay."""
        base = self.site.iris.base
        if not iri.startswith(base):
            return iri
        rest = iri[len(base) :]
        path, _, fragment = rest.partition("#")
        return self.local("/" + path, fragment)

    def switch(self) -> list[tuple[str, str, bool]]:
        """``(language, url, current)`` for the language switch."""
        links = []
        for lang in texts.LANGUAGES:
            url = self.request.url.include_query_params(lang=lang)
            links.append((lang, f"{self.prefix}{url.path}?{url.query}", lang == self.lang))
        return links

    def newest(self) -> str:
        """The same path in the newest release (at ``/``), with the same query."""
        query = self.request.url.query
        return self.request.url.path + (f"?{query}" if query else "")

    def published(self) -> str:
        """When the release shown was published, as the page's language writes a date."""
        moment = self.site.entry().published
        return "" if moment is None else texts.format_date(moment.date().isoformat(), self.lang)

    def formats(self) -> list[tuple[str, str, str]]:
        """``(label, url, media type)`` of this resource's RDF representations (of this page
        of a paged resource)."""
        number = self.request.query_params.get("page", "1")
        on_page = f"&page={number}" if number.isascii() and number.isdigit() else ""
        return [
            (
                FORMAT_LABELS[offer.name],
                f"{self.path}?format={offer.name}{on_page if number != '1' else ''}",
                offer.media_type,
            )
            for offer in RDF_OFFERS
        ]

    def canonical(self) -> str:
        """This page's path and query without ``lang`` (relative, so it never names the
        request's host; the base maps to the root)."""
        query = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        return self.path + (f"?{urlencode(query)}" if query else "")

    def translations(self) -> list[tuple[str, str]]:
        """``(language, URL)`` of this page in each language, for ``hreflang`` links."""
        canonical = self.canonical()
        joiner = "&" if "?" in canonical else "?"
        return [(lang, f"{canonical}{joiner}lang={lang}") for lang in texts.LANGUAGES]

    def alternates(self, sent: str = HTML_TYPE) -> str:
        """The ``Link`` header (RFC 8288) naming this resource's other representations: the
        page and each RDF format, but the one sent (``sent``, a media type)."""
        number = self.request.query_params.get("page", "1")
        on_page = (
            f"?page={number}" if number.isascii() and number.isdigit() and number != "1" else ""
        )
        offered = [(self.path + on_page, HTML_TYPE)]
        offered += [(url, media_type) for _, url, media_type in self.formats()]
        return ", ".join(
            f'<{url}>; rel="alternate"; type="{media_type}"'
            for url, media_type in offered
            if media_type != sent
        )

    def amount(self, amount: Decimal | None, currency: str | None = "EUR") -> str:
        return "" if amount is None else texts.format_amount(amount, self.lang, currency)

    def counted(self, key: str, number: object) -> str:
        """The word ``key`` in the singular or plural that ``number`` asks for."""
        try:
            return texts.counted(key, int(str(number)), self.lang)
        except ValueError:
            return texts.counted(key, 2, self.lang)

    def integer(self, number: object) -> str:
        try:
            return texts.format_integer(int(str(number)), self.lang)
        except ValueError:
            return str(number)

    def date(self, value: str | None) -> str:
        return "" if value is None else texts.format_date(value, self.lang)

    def size(self, size: int) -> str:
        return texts.format_bytes(size, self.lang)

    @property
    def synthetic(self) -> bool:
        """Whether the release holds invented data (``make demo``): every page says so."""
        return _synthetic(self.site.release.folder)

    def render(
        self,
        template: str,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **context: object,
    ) -> HTMLResponse:
        """The template ``template`` as an answer, with the page as ``page`` in it."""
        body = environment().get_template(template).render(page=self, **context)
        all_headers = self.site.headers(**{"Content-Language": self.lang, **(headers or {})})
        return HTMLResponse(body, status_code=status, headers=all_headers)

    def error(
        self, status: int, title: str, message: str, headers: Mapping[str, str] | None = None
    ) -> HTMLResponse:
        """An error page (404, 503 …) in the page's language."""
        return self.render(
            "error.html", status=status, headers=headers, title=title, message=message
        )


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment over ``templates/``, escaping every value."""
    return Environment(
        loader=PackageLoader("aqb_rdf.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=len(STATIC_FILES))
def _static_bytes(name: str) -> bytes:
    return files("aqb_rdf.web").joinpath("static", name).read_bytes()


def static_file(site: Site, request: Request) -> Response:
    """``/static/{name}``: one of :data:`STATIC_FILES`, by exact name; 404 for anything else."""
    name = request.path_params["name"]
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        return PlainTextResponse("no such file\n", status_code=404)
    return Response(_static_bytes(name), media_type=media_type, headers=site.headers())


@lru_cache(maxsize=8)
def _synthetic(release: Path) -> bool:
    """:func:`~aqb_rdf.publish.release.recorded_synthetic`, read once per release folder."""
    return recorded_synthetic(release)


class _Alone:
    """The releases served by a site that knows of no other: its own."""

    def __init__(self, release: Release) -> None:
        self.release = release

    def listing(self) -> list[ReleaseEntry]:
        return [ReleaseEntry(self.release.id, published_at(self.release.folder))]

    async def newest_has(self, iri: str) -> bool:
        return True
