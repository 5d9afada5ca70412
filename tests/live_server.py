"""The real ``aqb-rdf serve`` for the web tests: started on a free port, always stopped; and
the real headless Chromium for the browser tests.

Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``, ``/usr/bin/chromedriver``)
driven by selenium; nothing is downloaded at run time (the driver path is given, so selenium
never runs its driver manager). Without the browser the tests fail when ``CI`` is set (CI
installs it, so a broken page always fails CI) and are skipped, saying why, otherwise.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

AQB_RDF = Path(sys.executable).parent / "aqb-rdf"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,1000",
    "--lang=de-DE",
)


SERVER_TIMEOUT = 3.0
"""Seconds per query on the session's ``running_server``: short, so runaway queries end fast."""


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
def serving(
    out: Path, *options: str, environment: dict[str, str] | None = None
) -> Iterator[Server]:
    """``aqb-rdf serve out`` on a free port until the block ends; its output in a log file;
    ``environment`` is added to this process's for the server."""
    port = free_port()
    log = out.parent / f"server-{port}.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(AQB_RDF), "serve", str(out), "--port", str(port), *options],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(environment or {})},
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


def require_browser() -> None:
    """Skip the test without Chromium and its driver, or fail under CI."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if not missing:
        return
    reason = f"{' and '.join(missing)} missing: apt-get install chromium chromium-driver"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


@contextlib.contextmanager
def chromium(profile: Path, wait: float) -> Iterator[WebDriver]:
    """A headless Chromium in German with its profile in ``profile``, quit when the block ends."""
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "de-DE,de"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(wait)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
