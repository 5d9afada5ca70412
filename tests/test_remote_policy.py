"""remote/policy.py: the one retry loop, User-Agent and URL check of every remote store client.

Against a real HTTP server on loopback that answers 503 with ``Retry-After`` a number of times
before it answers: the loop itself (with urllib), and both clients that use it, ``link`` and ``push``
(both through remote.client, httpx).
"""

from __future__ import annotations

import contextlib
import email.utils
import http.server
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from aqb_rdf.errors import AqbError, EndpointError, PushError
from aqb_rdf.push.graph_store import HttpStore
from aqb_rdf.remote import sparql
from aqb_rdf.remote.policy import (
    RETRIED_STATUSES,
    GaveUp,
    Retryable,
    RetryPolicy,
    check_http_url,
    retry,
    retry_after_seconds,
    user_agent,
)

EMPTY = json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}).encode()


@dataclass
class Busy:
    """What the server saw: per request the time, the method and the User-Agent."""

    busy_for: int
    retry_after: str | None
    times: list[float] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    url: str = ""


@contextlib.contextmanager
def busy_server(busy_for: int, retry_after: str | None = "1") -> Iterator[Busy]:
    """A SPARQL endpoint on loopback: 503 (with ``Retry-After``) ``busy_for`` times, then empty
    results."""
    seen = Busy(busy_for, retry_after)

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            seen.times.append(time.monotonic())
            seen.methods.append(self.command)
            seen.agents.append(self.headers.get("User-Agent", ""))
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            busy = len(seen.times) <= seen.busy_for
            body = b"busy, try again" if busy else EMPTY
            self.send_response(503 if busy else 200)
            self.send_header(
                "Content-Type", "text/plain" if busy else "application/sparql-results+json"
            )
            if busy and seen.retry_after is not None:
                self.send_header("Retry-After", seen.retry_after)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer  # noqa: N815 (http.server's naming)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    seen.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def fetch(url: str) -> bytes:
    """One GET with urllib; a 503 becomes :class:`Retryable` with the store's Retry-After."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        error.close()
        if error.code in RETRIED_STATUSES:
            raise Retryable(f"HTTP {error.code}", retry_after_seconds(error.headers["Retry-After"]))
        raise


# --- the loop ------------------------------------------------------------------------------


def test_the_loop_waits_as_long_as_retry_after_asks() -> None:
    notices: list[tuple[str, float]] = []
    with busy_server(busy_for=1, retry_after="1") as seen:
        body = retry(
            lambda: fetch(seen.url),
            RetryPolicy(attempts=3, backoff=0.05),
            on_retry=lambda problem, wait: notices.append((problem, wait)),
        )
    assert body == EMPTY
    assert notices == [("HTTP 503", 1.0)]
    assert len(seen.times) == 2
    assert seen.times[1] - seen.times[0] >= 0.95  # Retry-After: 1, not the 0.05 s backoff


def test_the_loop_gives_up_after_its_attempts() -> None:
    waits: list[float] = []
    with busy_server(busy_for=10, retry_after=None) as seen:
        with pytest.raises(GaveUp) as gave_up:
            retry(
                lambda: fetch(seen.url),
                RetryPolicy(attempts=4, backoff=0.5, max_backoff=1.5),
                sleep=waits.append,
            )
    assert (gave_up.value.message, gave_up.value.attempts, gave_up.value.asked) == (
        "HTTP 503",
        4,
        None,
    )
    assert waits == [0.5, 1.0, 1.5]  # doubled, bounded by max_backoff
    assert len(seen.times) == 4


def test_a_retry_after_beyond_max_wait_ends_the_attempts_or_is_capped() -> None:
    waits: list[float] = []
    with busy_server(busy_for=10, retry_after="3600") as seen:
        with pytest.raises(GaveUp) as gave_up:
            retry(lambda: fetch(seen.url), RetryPolicy(attempts=3, max_wait=60), sleep=waits.append)
        assert (gave_up.value.attempts, gave_up.value.asked, waits) == (1, 3600.0, [])
        capped = RetryPolicy(attempts=3, max_wait=60, cap_retry_after=True)
        with pytest.raises(GaveUp):
            retry(lambda: fetch(seen.url), capped, sleep=waits.append)
    assert waits == [60.0, 60.0]
    assert len(seen.times) == 1 + 3


def test_other_errors_end_the_attempts_at_once() -> None:
    calls: list[int] = []

    def refused() -> None:
        calls.append(1)
        raise AqbError("HTTP 400 bad query")

    with pytest.raises(AqbError, match="400"):
        retry(refused, RetryPolicy(attempts=5), sleep=lambda _: None)
    assert calls == [1]


def test_retry_after_as_seconds_or_http_date() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (retry_after_seconds(later) or 0) <= 30
    assert retry_after_seconds("Mon, 01 Jan 2001 00:00:00 GMT") == 0.0


# --- both clients use it -------------------------------------------------------------------


def test_link_and_push_retry_the_same_way_and_name_themselves() -> None:
    waits: list[float] = []
    notices: list[str] = []
    with busy_server(busy_for=2, retry_after="2") as seen:
        rows = sparql.select(
            seen.url,
            "SELECT * WHERE { ?s ?p ?o }",
            user_agent=sparql.default_user_agent(),
            policy=RetryPolicy(attempts=3),
            on_retry=notices.append,
            sleep=waits.append,
        )
        seen.times.clear()
        with HttpStore(seen.url, retries=2, sleep=waits.append) as store:
            assert store.graph_sizes("https://aqb-rdf.example/graph/") == {}
    assert rows == []
    assert waits == [2.0, 2.0, 2.0, 2.0]
    assert notices == [f"{seen.url}: HTTP 503 Service Unavailable; retrying in 2.0 s"] * 2
    assert seen.methods == ["GET"] * 3 + ["POST"] * 3
    assert seen.agents == [user_agent("httpx")] * 6
    assert all(agent.startswith("aqb-rdf/0.1.0 (") for agent in seen.agents)


def test_both_clients_fail_with_one_line_naming_the_endpoint() -> None:
    with busy_server(busy_for=10, retry_after="0") as seen:
        with pytest.raises(EndpointError) as endpoint_error:
            sparql.select(seen.url, "ASK {}", user_agent="t", policy=RetryPolicy(attempts=2))
        with HttpStore(seen.url, retries=1) as store, pytest.raises(PushError) as push_error:
            store.graph_sizes("https://aqb-rdf.example/graph/")
    assert str(endpoint_error.value) == (
        f"{seen.url}: HTTP 503 Service Unavailable (2 attempts); try again later"
    )
    assert str(push_error.value) == (
        f"{seen.url}: list the graphs: 503 Service Unavailable: busy, try again (after 2 attempts)"
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("notaurl", "--endpoint 'notaurl' is not an http(s) URL"),
        ("ftp://example.org/sparql", "--endpoint 'ftp://example.org/sparql' is not an http(s) URL"),
        (
            "http://u:secret@example.org/",
            "--endpoint: put credentials in the environment, not in the URL",
        ),
    ],
)
def test_the_url_check_is_shared(url: str, problem: str) -> None:
    with pytest.raises(AqbError) as raised:
        check_http_url(url, "--endpoint")
    assert str(raised.value) == problem
    with pytest.raises(AqbError) as from_push:
        HttpStore(url)
    assert str(from_push.value) == problem
