"""The real ``aqb-rdf serve`` for the web tests: started on a free port, always stopped."""

from __future__ import annotations

import contextlib
import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

AQB_RDF = Path(sys.executable).parent / "aqb-rdf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running server, with raw HTTP helpers (http.client sends requests exactly)."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            headers_ = {k.lower(): v for k, v in response.getheaders()}
            return response.status, headers_, response.read()
        finally:
            connection.close()


@contextlib.contextmanager
def serving(out: Path, *options: str) -> Iterator[Server]:
    """``aqb-rdf serve out`` on a free port until the block ends; its output in a log file."""
    port = free_port()
    log = out.parent / f"server-{port}.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(AQB_RDF), "serve", str(out), "--port", str(port), *options],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if server.request("GET", "/", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
