"""The HTTP/1.1 protocol the server speaks, with bounds on what a client may hold (I/O).

uvicorn parses requests with httptools (llhttp): about twice as fast as h11, but with no limit
on the request line and headers, no timeout before or during a request (its keep-alive timer
starts only after a response), no cap on connections, and an answer written whole into the
transport's buffer however slowly the client reads. :class:`BoundedHttpToolsProtocol` adds:

* **a bounded head**: the request target (path and query string) at most
  :data:`MAX_TARGET_BYTES`, beyond ``414``; the bytes a request head takes while it is still
  incomplete, and its parsed line and headers, at most :data:`MAX_HEAD_BYTES`, beyond ``431``;
  either closes the connection (the parser never buffers more than that plus one read);
* **head and body timeouts**: a connection must send a whole request head within
  ``head_timeout`` seconds of opening (or of its previous answer), and the body within
  ``body_timeout`` seconds of its head; past either, ``408`` and the connection closed. The
  keep-alive timeout (5 s without a byte after an answer) stays;
* **connection caps**: a :class:`~aqb_rdf.web.connections.ConnectionTable` per process; a
  connection it refuses gets a short ``503`` and is closed, one it evicts is closed;
* **bounded writes**: an answer is written :data:`WRITE_CHUNK` bytes at a time, each only when
  the transport's buffer is below its low-water mark, so a connection buffers at most
  :data:`WRITE_HIGH_WATER` plus one chunk beyond the answer itself; answers larger than
  :data:`~aqb_rdf.web.connections.SMALL_ANSWER` count against the process's
  :class:`~aqb_rdf.web.connections.AnswerBudget` (``503`` if it is spent); a write that makes
  no progress for ``write_timeout`` seconds ends the connection (its buffer dropped).

Without httptools (it comes with ``uvicorn[standard]``), uvicorn's h11 parser gets only the
bound on the head (``h11_max_incomplete_event_size``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Final

from aqb_rdf.errors import Signal
from aqb_rdf.web.connections import AnswerBudget, ConnectionTable

MAX_HEAD_BYTES = 64 * 1024
"""The longest request line plus headers a client may send."""
MAX_TARGET_BYTES: Final = 32 * 1024
"""The longest request target (path and query string) a client may send; a longer SPARQL
query goes in a POST body. Below :data:`MAX_HEAD_BYTES`, so a long URL is a 414, not a 431."""
FIRST_REQUEST_GRACE = 1.0
"""Seconds a connection accepted just before its process began to end may take to send its
first request (it is answered, then closed), before it is closed unanswered."""

WRITE_CHUNK: Final = 64 * 1024
"""Bytes of an answer handed to the transport at a time."""
WRITE_HIGH_WATER: Final = 64 * 1024
"""The transport's buffer above which a connection's writes wait (and below a quarter of which
they go on)."""


def _answer(status: str, message: str, extra: bytes = b"") -> bytes:
    """A whole short answer that closes the connection."""
    text = message.encode()
    head = (
        f"HTTP/1.1 {status}\r\n".encode() + b"content-type: text/plain; charset=utf-8\r\n"
        b"connection: close\r\n"
        b"access-control-allow-origin: *\r\n" + extra
    )
    return head + b"content-length: %d\r\n\r\n%s" % (len(text), text)


def _refusal() -> bytes:
    return _answer(
        "431 Request Header Fields Too Large",
        f"request line and headers longer than {MAX_HEAD_BYTES} bytes\n",
    )


def _target_refusal() -> bytes:
    return _answer(
        "414 URI Too Long",
        f"the request target is longer than {MAX_TARGET_BYTES} bytes; send a long query by POST\n",
    )


@dataclass(frozen=True)
class IoLimits:
    """What a server process lets one connection, one address and all its clients hold."""

    head_timeout: float
    """Seconds from a connection's start (or its previous answer) to the end of a request head."""
    body_timeout: float
    """Seconds from the end of a request head to the end of its body."""
    write_timeout: float
    """Seconds a write may go without the client reading anything."""
    table: ConnectionTable
    budget: AnswerBudget
    retry_after: int
    """The Retry-After of a refused connection or answer."""


class _HeadTooLong(Signal):
    """Raised from a parser callback to stop parsing a head that is too long."""


def protocol_options(limits: IoLimits | None = None) -> dict[str, object]:
    """The ``uvicorn.Config`` options that select the bounded parser available here, with the
    timeouts, caps and write bounds of ``limits`` (none but the head's size without)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
    except ImportError:  # httptools missing: h11 with its own bound
        return {"http": "h11", "h11_max_incomplete_event_size": MAX_HEAD_BYTES}

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol with the bounds of this module.

        Two counts bound a head: the bytes received while a head is incomplete (a head sent
        slowly, in many reads) and the parsed request line and headers (a head that arrives
        in one read).
        """

        _in_head = True  # waiting for (the rest of) a request line and headers
        _received = 0  # bytes received since the current head began
        _parsed = 0  # bytes of request line and headers parsed so far
        _refused = False  # answered and closing: read nothing more
        _timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if limits is None:
                return
            transport.set_write_buffer_limits(high=WRITE_HIGH_WATER)
            admitted, evicted = limits.table.admit(self, self.client[0] if self.client else "")
            for other in evicted:
                if isinstance(other, BoundedHttpToolsProtocol):
                    other.transport.close()  # waited on its client longest: room for this one
            if not admitted:
                self._close_with(
                    "503 Service Unavailable",
                    "too many connections are busy; try again later\n",
                    b"retry-after: %d\r\n" % limits.retry_after,
                )
                return
            self._time("head", limits.head_timeout)

        def connection_lost(self, exc: Exception | None) -> None:
            self._untime()
            if limits is not None:
                limits.table.close(self)
            super().connection_lost(exc)

        # --- timeouts

        def _time(self, part: str, seconds: float) -> None:
            self._untime()
            self._timer = self.loop.call_later(seconds, self._timed_out, part, seconds)

        def _untime(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _timed_out(self, part: str, seconds: float) -> None:
            self._timer = None
            cycle = self.cycle
            if cycle is not None and cycle.response_started and not cycle.response_complete:
                self.transport.close()  # cannot happen while a head or body is read
                return
            message = f"the request {part} did not arrive within {seconds:g} s\n"
            self._close_with("408 Request Timeout", message)

        def _close_with(self, status: str, message: str, extra: bytes = b"") -> None:
            """Answer ``status`` (the request being read, if any, is dropped) and close."""
            cycle = self.cycle
            if cycle is not None and not cycle.response_complete:
                cycle.disconnected = True  # its handler reads a disconnect and sends nothing
                cycle.message_event.set()
            self._refused = True
            if not self.transport.is_closing():
                self.transport.write(_answer(status, message, extra))
                self.transport.close()

        # --- the head's size

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            if self._in_head:
                self._received += len(data)
            super().data_received(data)
            if self._in_head and self._received > MAX_HEAD_BYTES:
                self._refuse()

        def _refuse(self, answer: bytes | None = None) -> None:
            if not self._refused and not self.transport.is_closing():
                self.transport.write(answer or _refusal())
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

        # --- parser callbacks: where a request is

        _target = 0  # bytes of the request target parsed so far

        def on_message_begin(self) -> None:
            self._parsed = self._target = 0
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
            self._target += len(url)
            if self._target > MAX_TARGET_BYTES:
                self._refuse(_target_refusal())
                raise _HeadTooLong
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
            if limits is not None:
                self._time("body", limits.body_timeout)

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_head, self._received = True, 0
            if limits is not None:
                self._untime()
                limits.table.busy(self)

        def on_response_complete(self) -> None:
            pipelined = bool(self.pipeline)  # a whole request waits: it starts now
            super().on_response_complete()
            if limits is not None and not pipelined and not self.transport.is_closing():
                limits.table.waiting(self)
                self._time("head", limits.head_timeout)

        # --- writes

        def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
            if limits is not None:
                cycle.send = _bounded_send(self, cycle, limits)  # type: ignore[method-assign, assignment]
            super()._start_asgi_task(cycle, app)

    return {"http": BoundedHttpToolsProtocol, "loop": _loop_name()}


_BUSY = b"the server holds too many large answers for clients that have not read them yet; try again later\n"


def _bounded_send(
    protocol: Any, cycle: Any, limits: IoLimits
) -> Callable[[Any], Coroutine[Any, Any, None]]:
    """``cycle.send``, writing a body :data:`WRITE_CHUNK` bytes at a time when the transport
    can take them, and counting a large answer against ``limits.budget`` (``503`` if it does
    not fit: the answer's head is held until its body comes)."""
    send = cycle.send
    held: dict[str, Any] | None = None
    refused = False

    async def bounded(message: dict[str, Any]) -> None:
        nonlocal held, refused
        if refused or cycle.disconnected:
            return
        if message["type"] == "http.response.start" and not cycle.response_started:
            held = message
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body: bytes = message.get("body", b"")
        more: bool = message.get("more_body", False)
        reserved = 0
        if held is not None:
            start, held = held, None
            if cycle.scope["method"] != "HEAD":
                reserved = limits.budget.reserve(len(body))
            if reserved < 0:
                refused = True
                await send(_busy(limits.retry_after))
                await send({"type": "http.response.body", "body": _BUSY})
                return
            await send(start)
        try:
            offset = 0
            while True:
                piece = body[offset : offset + WRITE_CHUNK]
                offset += len(piece)
                if not await _writable(protocol, cycle, limits.write_timeout):
                    return
                last = offset >= len(body)
                await send(
                    {"type": "http.response.body", "body": piece, "more_body": more or not last}
                )
                if last:
                    return
        finally:
            if reserved > 0:
                limits.budget.release(reserved)

    return bounded


def _busy(retry_after: int) -> dict[str, Any]:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", b"%d" % len(_BUSY)),
        (b"retry-after", b"%d" % retry_after),
        (b"access-control-allow-origin", b"*"),
        (b"connection", b"close"),
    ]
    return {"type": "http.response.start", "status": 503, "headers": headers}


async def _writable(protocol: Any, cycle: Any, timeout: float) -> bool:
    """Wait until ``protocol``'s transport takes more (its buffer under the low-water mark);
    False, and the connection aborted (its buffer dropped), once ``timeout`` seconds pass
    without the client reading a byte."""
    flow, transport = protocol.flow, protocol.transport
    while flow.write_paused and not cycle.disconnected:
        before = transport.get_write_buffer_size()
        try:
            await asyncio.wait_for(flow.drain(), timeout)
        except TimeoutError:
            if transport.get_write_buffer_size() < before:
                continue  # slow, but reading
            cycle.disconnected = True
            transport.abort()
            return False
    return not cycle.disconnected


def _loop_name() -> str:
    """uvloop when it is installed (uvicorn[standard]), else asyncio's own loop."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"
