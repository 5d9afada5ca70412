"""Who is asking: the client of each request, for the per-client budgets (ASGI middleware).

Each HTTP request runs with :data:`aqb_rdf.sparql.budgets.CLIENT` set to its client's key (its
remote address, IPv6 by /64; :func:`~aqb_rdf.sparql.budgets.client_key`), so every query it
causes, its own on ``/sparql`` or a page's, counts against that client's budget. The addresses
of ``serve.unlimited_clients`` (this machine by default) have none.
"""

from __future__ import annotations

import functools
from functools import lru_cache

from starlette.types import ASGIApp, Receive, Scope, Send

from aqb_rdf.sparql.budgets import CLIENT, client_key, networks


class ClientOfRequest:
    """Sets :data:`~aqb_rdf.sparql.budgets.CLIENT` for each HTTP request to ``app``."""

    def __init__(self, app: ASGIApp, unlimited: str = "") -> None:
        self.app = app
        self.unlimited = networks(unlimited)
        # A client sends many requests: its key is worked out once (ipaddress is slow).
        self.key_of = lru_cache(maxsize=4096)(
            functools.partial(client_key, unlimited=self.unlimited)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        token = CLIENT.set(self.key_of(peer[0] if peer else None))
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)
