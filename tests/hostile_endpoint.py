"""A hostile SPARQL endpoint on 127.0.0.1, for the tests of issue 11 item 11 (``push`` and
``link`` must not trust the remote endpoint).

:class:`HostileEndpoint` accepts connections on loopback, reads each request (head and
``Content-Length`` body) and hands it to a behaviour, which writes raw bytes to the socket:

* :func:`endless_chunked`: ``200`` with ``Transfer-Encoding: chunked`` and chunks forever;
* :func:`trickle`: the answer, head included, one byte per ``interval`` seconds;
* :func:`endless_head`: a header line that never ends;
* :func:`gzip_bomb`: a small gzip body that unpacks to a large one;
* :func:`redirect`: ``307`` to a ``Location`` (another port, or a path of the same server);
* :func:`answer`: a complete answer (``Connection: close``).

Which behaviour answers is chosen per request (``behaviour(request)``), so one endpoint can
redirect ``/sparql`` and answer ``/moved``.

Behaviours stop when the client goes away or the endpoint is closed; :meth:`close` stops every
thread it started (bounded). It counts requests and the bytes each behaviour managed to send.
"""

from __future__ import annotations

import gzip
import http
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

JSON = "application/sparql-results+json"
EMPTY_RESULTS = b'{"head": {"vars": ["item"]}, "results": {"bindings": []}}'


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    """The request target, query string included."""
    headers: dict[str, str]
    """Names in lower case."""
    body: bytes
    arrived: float
    """``time.monotonic()`` when its head and body had arrived."""


Behaviour = Callable[[socket.socket, Request, threading.Event], int]
"""Writes the answer to the socket; returns the bytes sent. Stops when the event is set."""


class HostileEndpoint:
    """A loopback HTTP endpoint answering every request with ``behaviour(request)``."""

    def __init__(self, behaviour: Callable[[Request], Behaviour]) -> None:
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port: int = self.listener.getsockname()[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.requests: list[Request] = []
        self.bytes_sent: list[int] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def url(self, path: str = "/sparql") -> str:
        return self.origin + path

    def __enter__(self) -> HostileEndpoint:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._accepting.join(timeout=5)
        self.listener.close()
        with self._lock:
            for connection in self._connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        for thread in self._threads:
            thread.join(timeout=5)
        assert not any(t.is_alive() for t in self._threads), "a connection thread is still alive"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            with self._lock:
                self._connections.append(connection)
                self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(10)
            try:
                request = _read_request(connection)
            except (OSError, ValueError):
                return
            with self._lock:
                self.requests.append(request)
            sent = 0
            try:
                sent = self.behaviour(request)(connection, request, self._stop)
            except OSError:
                pass  # the client went away: what a hostile endpoint waits for
            with self._lock:
                self.bytes_sent.append(sent)


def _read_request(connection: socket.socket) -> Request:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            raise ValueError("closed before the head ended")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    fields = (line.split(":", 1) for line in lines[1:] if ":" in line)
    headers = {name.strip().lower(): value.strip() for name, value in fields}
    length = int(headers.get("content-length", 0))
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(method, path, headers, body, time.monotonic())


def endless_chunked(
    status: int = 200, chunk_bytes: int = 65536, headers: dict[str, str] | None = None
) -> Behaviour:
    """``status`` with a chunked body that never ends (until the client leaves)."""
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())

    def behave(connection: socket.socket, _request: Request, stop: threading.Event) -> int:
        connection.sendall(
            f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\nContent-Type: {JSON}\r\n"
            f"Transfer-Encoding: chunked\r\n{extra}\r\n".encode()
        )  # fmt: skip
        chunk = f"{chunk_bytes:x}\r\n".encode() + b" " * chunk_bytes + b"\r\n"
        sent = 0
        while not stop.is_set():
            connection.sendall(chunk)
            sent += chunk_bytes
        return sent

    return behave


def endless_head() -> Behaviour:
    """A status line, then one header line that never ends."""

    def behave(connection: socket.socket, _request: Request, stop: threading.Event) -> int:
        connection.sendall(b"HTTP/1.1 200 OK\r\nX-Endless: ")
        sent = 0
        while not stop.is_set():
            connection.sendall(b"a" * 65536)
            sent += 65536
        return sent

    return behave


def gzip_bomb(unpacked_bytes: int) -> Behaviour:
    """``200`` with ``Content-Encoding: gzip``: a small body that unpacks to many zeros."""

    def behave(connection: socket.socket, _request: Request, _stop: threading.Event) -> int:
        packed = gzip.compress(b"\0" * unpacked_bytes, compresslevel=9)
        data = _complete(200, JSON, packed, {"Content-Encoding": "gzip"})
        connection.sendall(data)
        return len(data)

    return behave


def trickle(interval: float, *, head_at_once: bool = False) -> Behaviour:
    """A complete, valid answer, written one byte per ``interval`` seconds from its first byte
    (from the first byte of its body when ``head_at_once``)."""

    def behave(connection: socket.socket, _request: Request, stop: threading.Event) -> int:
        answer = _complete(200, JSON, EMPTY_RESULTS)
        start = 0
        if head_at_once:
            start = answer.index(b"\r\n\r\n") + 4
            connection.sendall(answer[:start])
        for sent, byte in enumerate(answer[start:], start):
            if stop.wait(interval):
                return sent
            connection.sendall(bytes([byte]))
        return len(answer)

    return behave


def redirect(location: str, status: int = 307) -> Behaviour:
    """``status`` with ``Location: location``."""

    def behave(connection: socket.socket, _request: Request, _stop: threading.Event) -> int:
        answer = _complete(status, "text/plain", b"moved\n", {"Location": location})
        connection.sendall(answer)
        return len(answer)

    return behave


def answer(
    status: int = 200,
    media_type: str = JSON,
    body: bytes = EMPTY_RESULTS,
    headers: dict[str, str] | None = None,
) -> Behaviour:
    """A complete answer, then the connection closes."""

    def behave(connection: socket.socket, _request: Request, _stop: threading.Event) -> int:
        data = _complete(status, media_type, body, headers)
        connection.sendall(data)
        return len(data)

    return behave


def _complete(
    status: int, media_type: str, body: bytes, headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}", f"Content-Type: {media_type}",
             f"Content-Length: {len(body)}", "Connection: close"]  # fmt: skip
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait until ``condition()`` holds (bounded)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)
