"""Who is asking: the client of each request, for the per-client budgets (ASGI middleware).

Each HTTP request runs with :data:`aqb_rdf.sparql.budgets.CLIENT` set to its client's key (its
address, IPv6 by /64; :func:`~aqb_rdf.sparql.budgets.client_key`), so every query it causes,
its own on ``/sparql`` or a page's, counts against that client's budget. The addresses of
``serve.unlimited_clients`` (this machine by default) have none.

Behind a reverse proxy every connection comes from the proxy. A request from an address of
``serve.trusted_proxies`` (none by default) is the client its proxy names in
``serve.proxy_header``: ``X-Forwarded-For`` (``client, proxy1, proxy2``) or ``Forwarded``
(RFC 7239, its ``for=`` parameters). Each proxy appends the address it was connected from, so
the chain is read from the right: the first address that is not a trusted proxy is the client,
and what a client wrote into the header itself (left of that) is never believed. A request
from any other address is its own client, whatever its headers say. Only the one header is
read, because a proxy that writes one usually passes the other on as the client sent it
(nginx's ``proxy_add_x_forwarded_for`` leaves ``Forwarded`` alone). uvicorn's
``ProxyHeadersMiddleware`` reads ``X-Forwarded-For`` alike but not ``Forwarded``, and rewrites
the request's scheme and address for everything, where only the budgets need the client.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

from starlette.types import ASGIApp, Receive, Scope, Send

from aqb_rdf.sparql.budgets import CLIENT, Network, client_key, networks

X_FORWARDED_FOR = "x-forwarded-for"
FORWARDED = "forwarded"
PROXY_HEADERS = (X_FORWARDED_FOR, FORWARDED)


def _node(value: str) -> str:
    """The address of a ``Forwarded`` node (``192.0.2.43``, ``"[2001:db8::17]:4711"``,
    ``"192.0.2.43:80"``), as written for anything else (``unknown``, ``_hidden``)."""
    value = value.strip().strip('"')
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.partition(":")[0]
    return value


def hops(header: str, values: Iterable[str]) -> list[str]:
    """The addresses the proxy header ``header`` lists, nearest the client first (an element
    of ``Forwarded`` without ``for=`` is an empty address)."""
    elements = [e.strip() for e in ",".join(values).split(",") if e.strip()]
    if header == X_FORWARDED_FOR:
        return elements
    found = []
    for element in elements:
        node = ""
        for pair in element.split(";"):
            name, _, value = pair.partition("=")
            if name.strip().lower() == "for":
                node = _node(value)
        found.append(node)
    return found


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``text`` names (an IPv4-mapped IPv6 address as IPv4), None if it names none."""
    try:
        address = ipaddress.ip_address(text.strip().partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(
    peer: str | None, listed: Sequence[str], trusted: Sequence[Network]
) -> str | None:
    """The client's address: ``peer`` (the connection's) unless it is a trusted proxy; then the
    rightmost address of ``listed`` that is not one (or the leftmost, if all are). An entry that
    is no address (``unknown``, obfuscated, malformed) stops the walk at the proxy that wrote
    it: its clients share that proxy's address, never none (which would be unlimited)."""
    client = peer
    address = _address(peer) if peer else None
    if address is None or not any(address in network for network in trusted):
        return client
    for hop in reversed(listed):
        address = _address(hop)
        if address is None:
            return client
        client = hop
        if not any(address in network for network in trusted):
            return client
    return client


class ClientOfRequest:
    """Sets :data:`~aqb_rdf.sparql.budgets.CLIENT` for each HTTP request to ``app``."""

    def __init__(
        self,
        app: ASGIApp,
        unlimited: str = "",
        trusted_proxies: str = "",
        proxy_header: str = X_FORWARDED_FOR,
    ) -> None:
        self.app = app
        self.unlimited = networks(unlimited)
        # A client sends many requests: its key is worked out once (ipaddress is slow).
        self.key_of = lru_cache(maxsize=4096)(
            functools.partial(client_key, unlimited=self.unlimited)
        )
        self.trusted = networks(trusted_proxies)
        self.header = proxy_header.lower().encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        host = peer[0] if peer else None
        if self.trusted:
            values = [v.decode("latin-1") for k, v in scope["headers"] if k == self.header]
            host = client_address(host, hops(self.header.decode(), values), self.trusted)
        token = CLIENT.set(self.key_of(host))
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)
