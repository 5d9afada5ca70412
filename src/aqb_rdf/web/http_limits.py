"""The HTTP/1.1 protocol the server speaks, with a bound on request heads (I/O).

uvicorn parses requests with httptools (llhttp) when it is installed: about twice as fast as
h11, but with no limit on the request line and headers, so a client could make the server
hold an endless head in memory. :class:`BoundedHttpToolsProtocol` counts the bytes a request
head takes while it is still incomplete and answers ``431`` and closes the connection once
they pass :data:`MAX_HEAD_BYTES`; the parser never buffers more than that plus one read.
Without httptools, uvicorn's h11 parser gets the same bound (``h11_max_incomplete_event_size``).
"""

from __future__ import annotations

from aqb_rdf.errors import Signal

MAX_HEAD_BYTES = 64 * 1024
"""The longest request line plus headers a client may send."""
FIRST_REQUEST_GRACE = 1.0
"""Seconds a connection accepted just before its process began to end may take to send its
first request (it is answered, then closed), before it is closed unanswered."""

_REFUSAL = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\n"
    b"access-control-allow-origin: *\r\n"
    b"content-length: %d\r\n\r\n%s"
)


def _refusal() -> bytes:
    message = f"request line and headers longer than {MAX_HEAD_BYTES} bytes\n".encode()
    return _REFUSAL % (len(message), message)


class _HeadTooLong(Signal):
    """Raised from a parser callback to stop parsing a head that is too long."""


def protocol_options() -> dict[str, object]:
    """The ``uvicorn.Config`` options that select the bounded parser available here."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools missing: h11 with its own bound
        return {"http": "h11", "h11_max_incomplete_event_size": MAX_HEAD_BYTES}

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol, refusing request heads over :data:`MAX_HEAD_BYTES`.

        Two counts: the bytes received while a head is incomplete (a head sent slowly, in
        many reads) and the parsed request line and headers (a head that arrives in one read).
        """

        _in_head = True  # waiting for (the rest of) a request line and headers
        _received = 0  # bytes received since the current head began
        _parsed = 0  # bytes of request line and headers parsed so far
        _refused = False

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            if self._in_head:
                self._received += len(data)
            super().data_received(data)
            if self._in_head and self._received > MAX_HEAD_BYTES:
                self._refuse()

        def _refuse(self) -> None:
            if not self._refused and not self.transport.is_closing():
                self.transport.write(_refusal())
                self.transport.close()
            self._refused = True

        def _count(self, size: int) -> None:
            self._parsed += size
            if self._parsed > MAX_HEAD_BYTES:
                self._refuse()
                raise _HeadTooLong  # stops the parser; uvicorn sees a parser error

        def send_400_response(self, msg: str) -> None:
            if not self._refused:  # the 431 has been sent already
                super().send_400_response(msg)

        def on_message_begin(self) -> None:
            self._parsed = 0
            self._requests += 1
            super().on_message_begin()

        _requests = 0  # requests begun on this connection
        _last_call = False  # the process ends: answer this connection's first request, close

        def shutdown(self) -> None:
            """As uvicorn's, but a connection accepted just before the process began to end,
            whose request has not been read yet, is not reset: its first request is answered
            (then the connection closes), if it comes within :data:`FIRST_REQUEST_GRACE`
            seconds (issue 11, item 8: a client connecting in the moment a process retired
            got ``Connection reset by peer``)."""
            if self.cycle is None and self._requests == 0 and not self.transport.is_closing():
                self._last_call = True
                self.loop.call_later(FIRST_REQUEST_GRACE, self._close_if_unused)
                return
            super().shutdown()

        def _close_if_unused(self) -> None:
            if self._requests == 0 and not self.transport.is_closing():
                self.transport.close()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()
            if self._last_call and self.cycle is not None:
                self.cycle.keep_alive = False

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_head, self._received = True, 0

    return {"http": BoundedHttpToolsProtocol, "loop": _loop_name()}


def _loop_name() -> str:
    """uvloop when it is installed (uvicorn[standard]), else asyncio's own loop."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"
