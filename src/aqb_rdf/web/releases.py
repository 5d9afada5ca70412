"""Every release the build output keeps, served read-only under ``/release/<id>/`` (I/O).

The current release answers at ``/``; it and every other release the build output keeps
(``build --keep-releases``) answer under ``/release/<id>/`` too: pages, Linked Data, the
dumps, the lists, the query pages and ``/sparql``, each from that release's own store, so a
link to ``/release/<id>/…`` keeps showing what it showed after later builds, for as long as
the release is kept. IRIs in the data stay the dataset's IRIs: only the paths the pages link
to carry the prefix (:class:`~aqb_rdf.web.pages.Page`). Each page there says which release
it shows (id, date) and links the same path at ``/``, the newest release; a resource the
newest release no longer describes is said to be gone.

One app per release is built the first time the release is asked for, over the process's
:class:`~aqb_rdf.web.server.Publication`: its queries take the same slots, queue, deadlines
and client budgets as the current release's, and its answers are kept in the same caches,
by release. A ``/release/<id>/`` of a release not kept is the current app's 404
(:func:`not_served`), in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Scope

from aqb_rdf.errors import AqbError, QueryPoolError
from aqb_rdf.sparql.execution import QueryRequest, QueryResult
from aqb_rdf.sparql.named_queries import bind
from aqb_rdf.web.errors import ErrorAnswer, plain_response
from aqb_rdf.web.negotiation import wants_page
from aqb_rdf.web.query_runner import named_query, select_sparql
from aqb_rdf.web.state import Release, ReleaseEntry, ServeSettings

if TYPE_CHECKING:
    from aqb_rdf.sparql.engine import OpenStore
    from aqb_rdf.web.pages import Site
    from aqb_rdf.web.server import Publication

PREFIX: Final = "/release/"
T = TypeVar("T")


def release_path(release: str) -> str:
    """The path prefix of ``release``'s pages: ``/release/<id>``."""
    return PREFIX + release


class ReleaseRunner:
    """Answers the queries of one kept release on its own store, in the publication's
    engine (its slots, deadlines and budgets), keeping answers by release."""

    def __init__(self, publication: Publication, release: str, store: OpenStore) -> None:
        self.publication = publication
        self.release = release
        self.store = store

    async def run_async(self, request: QueryRequest) -> QueryResult:
        answers = self.publication.answers
        answer = answers.get(self.release, request)
        if answer is None:
            answer = await self.publication.engine.run_async(request, self.store)
            answers.put(self.release, request, answer)
        return answer

    async def call_async(self, work: Callable[[], T]) -> T:
        return await self.publication.call_async(work)

    def out_of_memory(self) -> AqbError:
        return self.publication.out_of_memory()


class ServedByPublication:
    """:class:`~aqb_rdf.web.state.ServedReleases` of a server process's publication."""

    def __init__(self, publication: Publication) -> None:
        self.publication = publication

    def listing(self) -> Sequence[ReleaseEntry]:
        return self.publication.listing()

    async def newest_has(self, iri: str) -> bool:
        sparql = bind(named_query("resource-exists", self.publication.base), {"resource": iri})
        try:
            result = await select_sparql(self.publication.run_async, sparql)
        except QueryPoolError:  # busy: say nothing rather than something wrong
            return True
        return bool(result.rows)


class ReleaseApps:
    """The apps of the releases served under ``/release/<id>/``, built when first asked for.

    Args:
        publication: the server process's publication (the current release, the engine, the
            stores of the other kept releases).
        settings: the server's settings.
        build: makes the app of one release (:func:`aqb_rdf.web.app.build_app` with its
            prefix and what its pages know of the releases served).
    """

    def __init__(
        self,
        publication: Publication,
        settings: ServeSettings,
        build: Callable[[Release, ReleaseRunner, str], ASGIApp],
    ) -> None:
        self.publication = publication
        self.settings = settings
        self._build = build
        self._apps: dict[str, tuple[OpenStore, ASGIApp]] = {}

    def route(self, scope: Scope) -> tuple[ASGIApp, Scope] | None:
        """The app of the release a ``/release/<id>/…`` request names and the request as
        that app sees it (the path without the prefix); None for any other request and for
        an id of no release served (the current app answers those: 404)."""
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(PREFIX):
            return None
        name, slash, rest = path[len(PREFIX) :].partition("/")
        if not slash:
            return None  # /release/<id> without the slash: the current app redirects
        store = self.publication.store_of(name)
        if store is None:
            self._apps.pop(name, None)
            return None
        known = self._apps.get(name)
        if known is None or known[0] is not store:
            folder = self.publication.out / "releases" / name
            if name == self.publication.release.id:
                folder = self.publication.release.folder
            app = self._build(
                Release(folder), ReleaseRunner(self.publication, name, store), release_path(name)
            )
            known = self._apps[name] = (store, app)
        inner = "/" + rest
        raw = scope.get("raw_path")
        trimmed = raw[len(release_path(name)) :] if isinstance(raw, bytes) else None
        return known[1], {**scope, "path": inner, "raw_path": trimmed or inner.encode()}


async def not_served(site: Site, request: Request) -> Response:
    """``/release/<id>…`` of an id no release served has: 404, a page in the page's language
    for a browser, one line otherwise; ``/release/<id>`` of one served: to ``/release/<id>/``."""
    from aqb_rdf.web.pages import Page

    name, _, rest = request.url.path[len(PREFIX) :].partition("/")
    served = [entry.id for entry in site.releases.listing()]
    if name in served and not rest and not request.url.path.endswith("/"):
        return Response(status_code=308, headers={"Location": release_path(name) + "/"})
    message = f"no release {name!r} is served here; served: {', '.join(served)}"
    if wants_page(request.headers.get("accept"), request.query_params.get("format")):
        page = Page(site, request)
        text = page.t("release_not_served_text", release=name)
        return page.error(404, page.t("release_not_served"), text)
    return plain_response(ErrorAnswer(404, message))
