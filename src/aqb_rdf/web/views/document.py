"""Source documents: their page with every fact marked, their files, the quotes of a page.

``/id/dokument/{id}`` is a resource like any other (:mod:`.resource`), but its HTML page also
shows the document's published text with every Fundstelle marked (``queries/fundstellen.rq``
gives where they stand); an agreement's page shows beside each fact the words it was read
from, linking to that mark. ``/download/dokumente/{file}`` serves the texts and originals the
release holds (:data:`aqb_rdf.rdf.files.DOCUMENTS_FOLDER`), by exact name.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from aqb_rdf.rdf import files
from aqb_rdf.rdf.namespaces import DCTERMS
from aqb_rdf.web.errors import ErrorAnswer, plain_response
from aqb_rdf.web.pages import Site
from aqb_rdf.web.query_runner import select
from aqb_rdf.web.render import document, kinds
from aqb_rdf.web.render.description import Description
from aqb_rdf.web.render.parts import Reader

Builder = Callable[[Reader], object]


async def fundstellen(site: Site, document_iri: str) -> tuple[document.Row, ...]:
    """Every Fundstelle of the document ``document_iri``, in document order."""
    result = await select(site.run, "fundstellen", {"document": document_iri}, site.iris.base)
    return document.rows(result.rows)


def published_text(site: Site, text_iri: str | None) -> str | None:
    """The text the release publishes at ``text_iri`` (``None``: not in this release)."""
    prefix = f"{site.iris.base}download/{files.DOCUMENTS_FOLDER}/"
    if text_iri is None or not text_iri.startswith(prefix):
        return None
    name = text_iri[len(prefix) :]
    path = site.release.folder / files.DOCUMENTS_FOLDER / name
    if files.document_media_type(name) is None or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


async def builder(site: Site, description: Description, kind: str) -> Builder | None:
    """The builder of a page that shows where its facts stand (a document, an agreement),
    with what it needs fetched; ``None`` for any other kind of page."""
    me = description.resource
    if kind == "document":
        text_node = description.node(me, site.aqb + "textfassung")
        text = published_text(site, text_node.value if isinstance(text_node, NamedNode) else None)
        found = await fundstellen(site, me.value)
        return lambda reader: document.document(reader, text, found)
    if kind == "agreement":
        source = description.node(me, DCTERMS + "source")
        if not isinstance(source, NamedNode):
            return None
        quotes = document.quotes(source.value, await fundstellen(site, source.value))
        return lambda reader: kinds.agreement(reader, quotes)
    return None


async def document_file(site: Site, request: Request) -> Response:
    """``/download/dokumente/{name}``: a document's published text or original file."""
    name = request.path_params["name"]
    media_type = files.document_media_type(name)
    path = site.release.folder / files.DOCUMENTS_FOLDER / name
    if media_type is None or not path.is_file():
        return plain_response(ErrorAnswer(404, f"no document file named {name!r}"))
    release = site.release
    headers = site.headers(ETag=release.etag)
    if request.headers.get("if-none-match") == release.etag:
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers)
