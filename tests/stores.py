"""Real SPARQL stores on loopback for tests: the Oxigraph server and OpenLink Virtuoso.

Each helper is a context manager that starts the store on free loopback ports in a folder of
its own, waits until it answers (bounded), yields a :class:`Store` with its endpoints, and stops
it when the block ends, also when the test failed. Nothing is downloaded: Oxigraph is the PyPI
``oxigraph`` package of the test extra, Virtuoso Debian's ``virtuoso-opensource``, which
``.ci/run`` installs. :func:`require_virtuoso` fails under CI (env ``CI``) when it is missing and
skips otherwise, like the browser tests.

Virtuoso gets a private ``virtuoso.ini`` from the template ``tests/virtuoso.ini`` beside this
module, its one home: ``benchmarks/servers.py`` reads the same file (with other ports and
folders). A data file, because tests must never import benchmark code, the benchmark should not
need pytest or a test module to start a store, and a file is what Virtuoso reads anyway. Oxigraph
needs no configuration file; its command lines differ on purpose (here a read-write ``serve``,
there ``serve-read-only`` on a loaded and optimised store). Virtuoso's ``dba`` password is
``dba``: writes go to ``/sparql-auth`` and ``/sparql-graph-crud-auth`` with Digest
authentication.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"
START_SECONDS = 60.0
VIRTUOSO_INI = Path(__file__).with_name("virtuoso.ini")
"""The template of Virtuoso's configuration, shared with the benchmark (see the docstring)."""
ASK = "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Store:
    """A running store: its process, log and endpoints."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    query: str
    """SPARQL query endpoint, readable without credentials."""
    update: str
    """SPARQL Update endpoint (Virtuoso: needs the dba credentials)."""
    graph_store: str
    """Graph Store Protocol endpoint (Virtuoso: needs the dba credentials)."""
    port: int

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def require_virtuoso() -> None:
    """Skip without Virtuoso, or fail when ``CI`` is set (CI installs it)."""
    if Path(VIRTUOSO).is_file() and Path(ISQL).is_file():
        return
    reason = "virtuoso-t or isql-vt missing: apt-get install virtuoso-opensource"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the Virtuoso tests: {reason}")
    pytest.skip(reason)


def _start(cmd: list[str], log: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=cwd,
                                start_new_session=True)  # fmt: skip


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM the store's process group, SIGKILL what is left after ``grace`` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)
    process.wait()


def _wait_ready(store: Store) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if store.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(store.query + ASK, timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.2)
    stop(store.process)
    pytest.fail(f"{store.name} did not start:\n{store.log_text()}")


def drop_all(store: Store) -> None:
    """Empty ``store`` (SPARQL Update ``DROP ALL``, without credentials: Oxigraph)."""
    request = urllib.request.Request(
        store.update,
        data=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 204), response.status


@contextlib.contextmanager
def oxigraph(location: Path, port: int | None = None) -> Iterator[Store]:
    """``oxigraph serve`` (read-write) persisting in ``location``, until the block ends."""
    location.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = location.parent / f"{location.name}-oxigraph.log"
    process = _start([str(OXIGRAPH), "serve", "--location", str(location),
                      "--bind", f"127.0.0.1:{port}"], log)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    store = Store("oxigraph", process, log, f"{base}/query", f"{base}/update", f"{base}/store",
                  port)  # fmt: skip
    try:
        _wait_ready(store)
        yield store
    finally:
        stop(store.process)


@contextlib.contextmanager
def virtuoso(home: Path) -> Iterator[Store]:
    """``virtuoso-t`` with a private database and config in ``home``, until the block ends."""
    require_virtuoso()
    db = home / "db"
    db.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = home / "virtuoso.ini"
    template = VIRTUOSO_INI.read_text()
    ini.write_text(template.format(db=db, host="127.0.0.1", sql_port=sql_port,
                                   http_port=http_port, data=home))  # fmt: skip
    log = home / "virtuoso-stdout.log"
    process = _start([VIRTUOSO, "+foreground", "+configfile", str(ini)], log, cwd=home)
    base = f"http://127.0.0.1:{http_port}"
    store = Store("virtuoso", process, log, f"{base}/sparql", f"{base}/sparql-auth",
                  f"{base}/sparql-graph-crud-auth", http_port)  # fmt: skip
    try:
        _wait_ready(store)
        yield store
    finally:
        if process.poll() is None:  # a clean shutdown is quick; signals are the fallback
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                subprocess.run([ISQL, f"127.0.0.1:{sql_port}", VIRTUOSO_USER, VIRTUOSO_PASSWORD,
                                "exec=shutdown;"], capture_output=True, timeout=20)  # fmt: skip
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
        stop(process)


class FaultyProxy:
    """A loopback HTTP proxy in front of a real store that fails on purpose.

    With ``authorization`` (``"Basic …"``, ``"Bearer …"``), a request without that header gets
    ``401`` and a Basic challenge, as a reverse proxy guarding a store would answer. The first
    ``fail_first`` requests get ``503``, with ``Retry-After: retry_after`` unless that is None.
    The write request number ``cut_at`` (a ``PUT``, or a ``POST`` of a SPARQL Update; one the
    store answers with an authentication challenge does not count) is sent to the store only in
    part: half its body, then the connection to the store is closed, ``on_cut`` is called (to
    kill the store, or look at it), and the client's connection is closed without an answer.
    Everything else is passed through. It stands for a network or a store that fails midway;
    the stores behind it are real.
    """

    def __init__(self, upstream_port: int, *, fail_first: int = 0, retry_after: str | None = "0",
                 cut_at: int | None = None, on_cut: Callable[[], None] | None = None,
                 authorization: str | None = None) -> None:  # fmt: skip
        self.upstream_port = upstream_port
        self.fail_first = fail_first
        self.retry_after = retry_after
        self.authorization = authorization
        self.challenged = 0
        self.cut_at = cut_at
        self.on_cut = on_cut
        self.requests = 0
        self.writes = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultyProxy:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, store_url: str) -> str:
        """The proxy's URL for an endpoint of the store behind it."""
        return self.base + urllib.parse.urlsplit(store_url).path

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                write = self.command == "PUT" or "sparql-update" in self.headers.get(
                    "Content-Type", ""
                )
                if proxy.authorization and self.headers.get("Authorization") != proxy.authorization:
                    with proxy.lock:
                        proxy.challenged += 1
                    self._answer(401, {"WWW-Authenticate": 'Basic realm="store"'}, b"who?\n")
                    return
                with proxy.lock:
                    proxy.requests += 1
                    proxy.writes += write
                    failing = proxy.requests <= proxy.fail_first
                    cutting = write and proxy.writes == proxy.cut_at
                if failing:
                    retry = {"Retry-After": proxy.retry_after} if proxy.retry_after else {}
                    self._answer(503, retry, b"busy, try again\n")
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                try:
                    if cutting:
                        upstream.putrequest(self.command, self.path)
                        for key, value in headers.items():
                            upstream.putheader(key, value)
                        upstream.endheaders()
                        upstream.send(body[: len(body) // 2])
                        upstream.close()
                        if proxy.on_cut is not None:
                            proxy.on_cut()
                        self.close_connection = True
                        return
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    answer = response.read()
                    if write and response.status == 401:  # a Digest challenge: not a write
                        with proxy.lock:
                            proxy.writes -= 1
                    kept = {k: v for k, v in response.getheaders()
                            if k.lower() not in ("transfer-encoding", "connection",
                                                 "content-length")}  # fmt: skip
                    self._answer(response.status, kept, answer)
                except OSError as error:
                    self._answer(502, {}, f"store unreachable: {error}\n".encode())
                finally:
                    upstream.close()

            def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _relay

        return Handler
