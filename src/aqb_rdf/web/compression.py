"""Answers compressed on the fly, up to a size (ASGI middleware).

Every answer of a text type is compressed as the client's ``Accept-Encoding`` asks: Brotli, else
gzip (`starlette-compress <https://pypi.org/project/starlette-compress/>`_). Compressing costs
the server CPU for every request, in proportion to the answer: a dump of 185 MB (``aqb.nt`` at
1 M triples) takes about 3 s of CPU in gzip (0.35 s for 21 MB), so a client asking for it again and again could
keep a core busy with a single connection (issue 11). So an answer larger than ``max_bytes``
(its ``Content-Length``) is sent as it is: what compressing one answer costs is bounded by
``max_bytes``; reading a large file costs little more than the bytes it sends.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette_compress import CompressMiddleware, add_compress_type

from aqb_rdf.rdf import formats

COMPRESSED_TYPES: Final = sorted(
    {
        *(f.media_type for f in formats.GRAPH_FORMATS),
        *(f.media_type for f in (formats.TRIG, formats.N_QUADS, formats.CSV, formats.CSVW_METADATA)),
        *(f.media_type for f in (formats.RESULTS_JSON, formats.RESULTS_XML, formats.JSON)),
        *(f.media_type for f in (formats.HTML, formats.CSS, formats.JAVASCRIPT, formats.SVG)),
        formats.XML.media_type, "text/plain", "text/tab-separated-values",
    }
)  # fmt: skip
"""What is compressed (gzip, or Brotli where the client accepts ``br``): pages, dumps, tables,
query results; never the SQLite index (not served) nor a PDF original (compressed already)."""
for _media_type in COMPRESSED_TYPES:
    add_compress_type(_media_type)

_UNCOMPRESSED: ContextVar[Send] = ContextVar("aqb_uncompressed_send")
"""The ``send`` of the request being answered, before the compressing middleware."""


def content_length(message: Message) -> int:
    """The ``Content-Length`` of a response start, or -1 if it has none."""
    for name, value in message.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return -1


class Compression:
    """starlette-compress's middleware (Brotli, else gzip, at these levels) for answers of at
    most ``max_bytes``; a larger one is sent as it is (no ``Content-Encoding``, its own
    ``Content-Length``)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, brotli_quality: int = 4, gzip_level: int = 6
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self._compressing = CompressMiddleware(
            self._sized, zstd=False, brotli_quality=brotli_quality, gzip_level=gzip_level
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _UNCOMPRESSED.set(send)
        try:
            await self._compressing(scope, receive, send)
        finally:
            _UNCOMPRESSED.reset(token)

    async def _sized(self, scope: Scope, receive: Receive, compressing: Send) -> None:
        """The app, its answer sent past the compression if its start says it is too large
        (the compressing middleware then sees nothing of it, and sends nothing)."""
        target = compressing

        async def send(message: Message) -> None:
            nonlocal target
            if message["type"] == "http.response.start":
                if content_length(message) > self.max_bytes:
                    target = _UNCOMPRESSED.get()
            await target(message)

        await self.app(scope, receive, send)
