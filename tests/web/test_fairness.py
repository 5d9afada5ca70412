"""Fairness per client (issue 11, item 5): one client cannot take the capacity of all.

The issue: two connections, each sending a cross product every 5 s, kept every query slot busy,
and every other uncached query got 503. Here two hostile clients (127.0.0.2 and 127.0.0.3, two
connections each, sending a query that runs to its time limit again and again) and four
ordinary ones (127.0.0.4 to .7, uncached counts) share a real ``aqb-rdf serve`` with two
processes of two slots: a client may have one query running or waiting and 5 query-seconds a
minute. The ordinary clients get every answer; the hostile ones get 429 with ``Retry-After``
once their budgets are spent, and at most three runaways each reach the engine. Loopback only:
every address of 127.0.0.0/8 is this machine.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from live_server import Server, serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 3.0
SECONDS = 5.0
"""Query-seconds per minute per client: a runaway of 3 s, and one more overdrawing it."""


def sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def request(server: Server, address: str, path: str, accept: str = "*/*") -> tuple[int, str, bytes]:
    """GET ``path`` from ``address``: the status, the ``Retry-After`` and the body."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=30, source_address=(address, 0)
    )
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After") or "", response.read()
    finally:
        connection.close()


@dataclass
class Client:
    """One client (a source address) sending ``query`` on ``connections`` threads, each a
    fresh connection per request, until stopped."""

    server: Server
    address: str
    query: str
    connections: int = 1
    statuses: list[int] = field(default_factory=list)
    retry_after: list[str] = field(default_factory=list)

    def run(self, stop: threading.Event, n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            text = self.query.replace("#", f"# {self.address} {n} {i}")  # never cached
            try:
                status, retry_after, _ = request(self.server, self.address, sparql(text))
            except OSError:
                status, retry_after = 0, ""
            self.statuses.append(status)
            if status == 429:
                self.retry_after.append(retry_after)
            time.sleep(0.05)


@pytest.fixture
def budgeted(copy_of_default_dataset: Path) -> Iterator[Server]:
    options = (
        "--processes", "2", "--query-workers", "2", "--spares", "1",
        "--timeout", str(TIMEOUT), "--client-queries", "1",
        "--client-query-seconds", str(SECONDS), "--client-window", "60",
    )  # fmt: skip
    with serving(copy_of_default_dataset, *options) as server:
        yield server


def test_two_hostile_clients_get_429_and_the_ordinary_ones_their_answers(
    budgeted: Server,
) -> None:
    hostile = [Client(budgeted, f"127.0.0.{n}", RUNAWAY + " #", 2) for n in (2, 3)]
    ordinary = [
        Client(budgeted, f"127.0.0.{n}", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t } #")
        for n in (4, 5, 6, 7)
    ]
    stop = threading.Event()
    page_after_two_runaways: list[tuple[int, str]] = []

    def spend_then_ask_for_a_page() -> None:
        """127.0.0.9: two runaways (6 of its 5 query-seconds), then an agreement's page."""
        runaways, n = 0, 0
        while (
            runaways < 2 and not stop.is_set()
        ):  # a 429 meanwhile: the first is still counted, its process ending
            n += 1
            runaways += request(budgeted, "127.0.0.9", sparql(f"{RUNAWAY} # {n}"))[0] == 503
            time.sleep(0.2)
        status, _, page = request(
            budgeted, "127.0.0.9", "/id/gebietskoerperschaft/06413?lang=en", "text/html"
        )
        page_after_two_runaways.append((status, page.decode()))

    threads = [threading.Thread(target=spend_then_ask_for_a_page)] + [
        threading.Thread(target=client.run, args=(stop, n))
        for client in hostile + ordinary
        for n in range(client.connections)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(15)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=TIMEOUT + 30)
    for client in ordinary:
        assert len(client.statuses) > 10, client.address
        assert set(client.statuses) == {200}, (client.address, client.statuses)
    for client in hostile:
        assert 429 in client.statuses, (client.address, client.statuses)
        # Each runaway is answered 503 at its time limit. The budget lets through what its
        # 5 s and 15 s of refill (1.25 s) hold, and one overdraw: at most 3 runaways of 3 s.
        assert client.statuses.count(503) <= 3, (client.address, client.statuses)
        assert set(client.statuses) <= {429, 503}, (client.address, client.statuses)
        assert all(value.isdigit() and int(value) >= 1 for value in client.retry_after)
    # A page's queries count against its client too, and the page says why, in its language.
    [(status, page)] = page_after_two_runaways
    assert status == 429, page[:300]
    assert "More queries are coming from your address than the server allows" in page


def test_one_clients_runaways_never_hold_every_slot_of_a_process(
    copy_of_default_dataset: Path,
) -> None:
    """With the default slots and client budget, one process, and a client's two runaways
    running in it, another client's query is answered at once, not after the runaways' time
    limit: the kernel hands connections to the processes blindly, so a process whose slots one
    client could hold would keep every request sent to it waiting (the soak's 503s with two
    slots per process). Only the time limit is not the default here (3 s instead of 10)."""
    options = ("--processes", "1", "--timeout", str(TIMEOUT))
    with serving(copy_of_default_dataset, *options) as server:
        runaways: list[int] = []
        threads = [
            threading.Thread(
                target=lambda n=n: runaways.append(
                    request(server, "127.0.0.2", sparql(f"{RUNAWAY} # {n}"))[0]
                )
            )
            for n in range(2)
        ]
        for thread in threads:
            thread.start()
        try:
            time.sleep(0.5)  # both runaways admitted and running
            took = []
            for n in range(5):
                started = time.monotonic()
                status, _, _ = request(
                    server,
                    "127.0.0.4",
                    sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a ?t }} # {n}"),
                )
                took.append(time.monotonic() - started)
                assert status == 200
        finally:
            for thread in threads:
                thread.join(timeout=TIMEOUT + 30)
    # Answered while the runaways ran (they end at 3 s, 0.5 s after they were sent).
    assert max(took) < 1.5, took
    assert runaways == [503, 503], runaways
