"""What one server process lets its clients hold: connections and answer bytes (pure).

Two ledgers, kept by the HTTP protocol of :mod:`aqb_rdf.web.http_limits` on the event loop
(one thread, so no locks):

:class:`ConnectionTable`
    Every open connection, by client address, and which of them wait on their client (for a
    request head, the rest of a body, or the next request on a kept-alive connection). A new
    connection beyond the process's cap, or beyond its address's cap, takes the place of the
    connection of that group that has waited on its client longest; only when every
    connection of the group is busy (its answer being computed or written) is it refused. So
    idle or slow sockets, however many and from however many addresses, never lock out a new
    client: they are closed to make room, and their own timeouts close them anyway.

:class:`AnswerBudget`
    The bytes of finished answers a process holds while it writes them to their clients. An
    answer is built whole before it is sent (a SPARQL result, a page), so a client that asks
    and never reads makes the process hold the whole answer; the budget bounds their sum.
    Answers up to :data:`SMALL_ANSWER` bytes are always let through (their sum is bounded by
    the connection caps); a larger one that does not fit is refused (``503``) and dropped at
    once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Final

SMALL_ANSWER: Final = 256 * 1024
"""Answers this small never wait for the budget: pages, ASK and most results."""
DESCRIPTOR_RESERVE: Final = 64
"""Descriptors kept free beyond twice those a process holds when it starts serving (its store
twice over, for the moment a new release's store opens beside the old one): threads, pipes,
the log, downloads being sent (each holds its file open)."""


def connection_cap(wanted: int, descriptor_limit: int, in_use: int) -> int:
    """The connections a process may hold: ``wanted`` (the setting; 0 for no setting), but
    never more than its descriptor limit leaves after twice ``in_use`` and
    :data:`DESCRIPTOR_RESERVE`, and at least 1."""
    room = descriptor_limit - 2 * in_use - DESCRIPTOR_RESERVE
    return max(1, min(wanted, room) if wanted else room)


@dataclass(eq=False)
class _Group:
    """The connections of one address (or of the whole process), the waiting ones oldest
    first."""

    cap: int
    open: int = 0
    waiting: OrderedDict[Hashable, None] = field(default_factory=OrderedDict)


class ConnectionTable:
    """The open connections of a process: at most ``cap`` in all, ``per_address`` from one
    client address."""

    def __init__(self, cap: int, per_address: int) -> None:
        self.cap = cap
        self.per_address = per_address
        self._all = _Group(cap)
        self._by_address: dict[str, _Group] = {}
        self._address_of: dict[Hashable, str] = {}

    def __len__(self) -> int:
        return self._all.open

    def admit(self, connection: Hashable, address: str) -> tuple[bool, list[Hashable]]:
        """Whether ``connection`` from ``address`` may stay, and the connections to close to
        make room for it (the longest waiting of its address, or of the process). A
        connection admitted waits on its client until :meth:`busy`."""
        group = self._by_address.get(address) or _Group(self.per_address)
        evict: list[Hashable] = []
        for full in (group, self._all):  # its address's cap first: room among its own
            if full.open < full.cap:
                continue
            victim = next(iter(full.waiting), None)
            if victim is None:
                return False, evict
            evict.append(victim)
            self.close(victim)  # gone from the table now, though its socket closes later
        self._by_address[address] = group
        self._address_of[connection] = address
        group.open += 1
        self._all.open += 1
        self.waiting(connection)
        return True, evict

    def waiting(self, connection: Hashable) -> None:
        """``connection`` waits on its client from now on (the newest to wait)."""
        for group in self._groups(connection):
            group.waiting.pop(connection, None)
            group.waiting[connection] = None

    def busy(self, connection: Hashable) -> None:
        """``connection`` has a whole request: its answer is computed and written."""
        for group in self._groups(connection):
            group.waiting.pop(connection, None)

    def close(self, connection: Hashable) -> None:
        """``connection`` is closed (a connection not admitted is ignored)."""
        address = self._address_of.pop(connection, None)
        if address is None:
            return
        group = self._by_address[address]
        for each in (group, self._all):
            each.open -= 1
            each.waiting.pop(connection, None)
        if not group.open:
            del self._by_address[address]

    def _groups(self, connection: Hashable) -> tuple[_Group, ...]:
        address = self._address_of.get(connection)
        return () if address is None else (self._by_address[address], self._all)


class AnswerBudget:
    """At most ``max_bytes`` of answers larger than :data:`SMALL_ANSWER` held for writing."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.held = 0

    def reserve(self, size: int) -> int:
        """The bytes reserved for an answer of ``size`` bytes: 0 for a small one, ``size``
        if it fits, -1 if it does not (refuse it)."""
        if size <= SMALL_ANSWER:
            return 0
        if self.held + size > self.max_bytes:
            return -1
        self.held += size
        return size

    def release(self, size: int) -> None:
        """``size`` bytes of a reserved answer are written (or dropped)."""
        self.held -= size
