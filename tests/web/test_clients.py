"""``web/clients.py``: the client of a request, and whose headers name it (issue 11: behind a
reverse proxy every client had the proxy's address).

The pure rule as a table, then the real server: budgets per client, clients connecting from
other loopback addresses (127.0.0.2 a trusted proxy, 127.0.0.3 not), spoofed headers.
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

import pytest

from aqb_rdf.sparql.budgets import networks
from aqb_rdf.web.clients import FORWARDED, X_FORWARDED_FOR, client_address, hops
from live_server import Server, serving

TRUSTED = networks("10.0.0.0/8 2001:db8::1")


@pytest.mark.parametrize(
    ("peer", "listed", "client"),
    [
        ("192.0.2.1", ["198.51.100.1"], "192.0.2.1"),  # not a proxy: its header is ignored
        ("10.0.0.5", [], "10.0.0.5"),  # a proxy without a header is its own client
        ("10.0.0.5", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.5", ["203.0.113.9", "198.51.100.1"], "198.51.100.1"),  # the client's own part
        ("10.0.0.5", ["198.51.100.1", "10.1.1.1"], "198.51.100.1"),  # two proxies
        ("10.0.0.5", ["10.2.2.2", "10.1.1.1"], "10.2.2.2"),  # all proxies: the leftmost
        ("10.0.0.5", ["198.51.100.1", "unknown"], "10.0.0.5"),  # no address: its proxy's
        ("10.0.0.5", ["_hidden"], "10.0.0.5"),
        ("::ffff:10.0.0.5", ["198.51.100.1"], "198.51.100.1"),  # IPv4-mapped
        ("2001:db8::1", ["2001:db8:cafe::17"], "2001:db8:cafe::17"),
        (None, ["198.51.100.1"], None),  # a Unix socket
    ],
)
def test_the_client_is_the_rightmost_address_that_is_no_trusted_proxy(
    peer: str | None, listed: Sequence[str], client: str | None
) -> None:
    assert client_address(peer, listed, TRUSTED) == client


def test_the_headers_list_their_hops_nearest_the_client_first() -> None:
    assert hops(X_FORWARDED_FOR, ["203.0.113.9, 198.51.100.1", "10.1.1.1"]) == [
        "203.0.113.9",
        "198.51.100.1",
        "10.1.1.1",
    ]
    forwarded = ['for=192.0.2.43;proto=https, for="[2001:db8:cafe::17]:4711"', 'For="10.1.1.1:80"']
    assert hops(FORWARDED, forwarded) == ["192.0.2.43", "2001:db8:cafe::17", "10.1.1.1"]
    assert hops(FORWARDED, ["by=10.0.0.1;proto=http, for=unknown"]) == ["", "unknown"]


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f }} # {}"
"""Six million rows over the default build: well over the 0.1 query-seconds a client has."""


def _ask(server: Server, source: str, headers: dict[str, str], tag: str) -> tuple[int, float]:
    """The status of a new heavy query sent from the loopback address ``source``, and the
    seconds it took."""
    path = "/sparql?" + urllib.parse.urlencode({"query": HEAVY.format(tag)})
    connection = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=30, source_address=(source, 0)
    )
    started = time.monotonic()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


@pytest.mark.slow  # starts aqb-rdf serve
def test_only_a_trusted_proxy_names_the_client(copy_of_default_dataset: Path) -> None:
    """Each client has 0.1 query-seconds an hour: one heavy query spends them, the next is 429.
    Spoofed headers from an address that is no proxy give no new budget; behind the trusted
    proxy each client has its own, whatever the client wrote into the header."""
    options = ("--processes", "1", "--trusted-proxies", "127.0.0.2",
               "--client-query-seconds", "0.1", "--client-window", "3600")  # fmt: skip
    proxy, stranger = "127.0.0.2", "127.0.0.3"  # limited: only 127.0.0.1 is unlimited
    with serving(copy_of_default_dataset, *options) as server:
        status, took = _ask(server, stranger, {"X-Forwarded-For": "198.51.100.1"}, "1")
        assert status == 200 and took > 0.1
        for n, spoofed in enumerate(
            [{"X-Forwarded-For": "198.51.100.2"}, {"Forwarded": "for=198.51.100.3"}], 2
        ):
            assert _ask(server, stranger, spoofed, str(n))[0] == 429  # still the stranger

        assert _ask(server, proxy, {"X-Forwarded-For": "198.51.100.1"}, "4")[0] == 200
        client_wrote = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}
        assert _ask(server, proxy, client_wrote, "5")[0] == 429  # 198.51.100.1 has spent its
        assert _ask(server, proxy, {"X-Forwarded-For": "198.51.100.7"}, "6")[0] == 200
        # Only the header of --proxy-header (X-Forwarded-For) is read from the proxy.
        other = {"Forwarded": "for=198.51.100.8", "X-Forwarded-For": "198.51.100.7"}
        assert _ask(server, proxy, other, "7")[0] == 429
        assert _ask(server, proxy, {}, "8")[0] == 200  # the proxy's own requests: its own
