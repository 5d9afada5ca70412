"""What each client may still ask of the server: per-client budgets in shared memory (I/O).

Issue 11, item 5: two connections, each sending a cross product every 5 s, kept every query
slot busy, and every other uncached query got 503. So each client (a remote address; IPv6 by
its /64, which one subscriber usually holds whole) has, as the `Wikidata Query Service
<https://www.mediawiki.org/wiki/Wikidata_Query_Service/User_Manual#Query_limits>`_ budgets
them:

* at most ``concurrent`` queries at a time, running or waiting for a slot, across every server
  process;
* ``seconds`` query-seconds per ``window``: a bucket that holds at most ``seconds``, refills
  at ``seconds / window`` per second, and loses the time each query held a slot. A query is
  admitted while the bucket is not empty, so one query may overdraw it, once.

Beyond either, the query is refused with :class:`~aqb_rdf.errors.TooManyQueries` (429, with
``Retry-After``: the seconds until the bucket is no longer empty). Answers a server process
keeps (its caches) cost nothing.

**Shared by the processes.** Connections of one client are spread over the server processes
by the kernel (``SO_REUSEPORT``), and a process that retires after a runaway query (the very
query a budget is for) is replaced by a fresh one: accounts kept in each process would let a
client use ``processes`` times its share, and forget its debts whenever its own query ended
its process. The supervisor therefore creates one table in a ``memfd`` that every server
process maps (:meth:`ClientBudgets.create`, :meth:`ClientBudgets.attach`), as it does the
:class:`~aqb_rdf.sparql.deadlines.DeadlineBoard`. The table has a fixed number of rows; a
client's row is found by a hash of its address and up to :data:`PROBES` rows after it; when
none is free, the row of the client with the fullest bucket is taken (the clients in debt are
the ones to remember). Each row counts the client's queries per *seat* (one per server
process, :meth:`ClientBudgets.vacate` clears the seat of a process that ended, with whatever
it was running). Every change holds an ``fcntl`` lock on the table for a few microseconds;
the kernel lets go of it if its holder dies.
"""

from __future__ import annotations

import contextvars
import fcntl
import hashlib
import ipaddress
import math
import mmap
import os
import struct
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from aqb_rdf.errors import TooManyQueries

__all__ = [
    "CLIENT",
    "PROBES",
    "ROWS",
    "Budget",
    "ClientBudgets",
    "client_key",
    "networks",
]

ROWS: Final = 4096
"""Clients the table holds at a time (64 bytes or so each)."""
PROBES: Final = 16
"""Rows looked at for a client, from the one its hash names."""

CLIENT: contextvars.ContextVar[bytes | None] = contextvars.ContextVar("aqb_client", default=None)
"""The client of the request being answered (:func:`client_key`), set by the web layer for
each request; ``None``: no budget applies (the server's own work, an unlimited address)."""

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Budget:
    """What one client may use.

    Attributes:
        concurrent: queries at a time, running or waiting.
        seconds: query-seconds per ``window``; also the most the bucket holds.
        window: seconds in which ``seconds`` refill.
        retry_after: the ``Retry-After`` of a refusal for too many queries at a time.
    """

    concurrent: int = 2
    seconds: float = 60.0
    window: float = 60.0
    retry_after: int = 2

    @property
    def rate(self) -> float:
        """Query-seconds refilled per second."""
        return self.seconds / self.window


def networks(text: str) -> tuple[Network, ...]:
    """The addresses and networks of ``text``, separated by spaces or commas.

    Raises:
        ValueError: one is not an IPv4 or IPv6 address or network (``127.0.0.1``, ``::1``,
            ``10.0.0.0/8``).
    """
    found = []
    for part in text.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"not an address or network: {part!r}") from None
    return tuple(found)


def client_key(host: str | None, unlimited: Iterable[Network] = ()) -> bytes | None:
    """The 16 bytes that name the client at ``host``: an IPv4 address whole (as IPv4-mapped
    IPv6), an IPv6 address by its /64. ``None`` for an address in ``unlimited``, or no address
    (a Unix socket)."""
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in unlimited):
        return None
    if isinstance(address, ipaddress.IPv4Address):
        return bytes(10) + b"\xff\xff" + address.packed
    return address.packed[:8] + bytes(8)


class ClientBudgets:
    """The per-client accounts of every server process, in one shared table.

    Create it in the supervisor with :meth:`create`; pass :attr:`fd` to each server process,
    which opens the same table with :meth:`attach` and its own seat. All methods take the
    table's lock; none blocks for longer than a change takes.
    """

    def __init__(self, fd: int, seats: int, budget: Budget, seat: int = 0) -> None:
        if seats < 1 or not 0 <= seat < seats:
            raise ValueError(f"seat {seat} of {seats}")
        self.fd = fd
        self.seats = seats
        self.seat = seat
        self.budget = budget
        self._row = struct.Struct(f"=16s?dd{seats}H")
        self._map = mmap.mmap(fd, ROWS * self._row.size)

    @classmethod
    def create(cls, seats: int, budget: Budget) -> ClientBudgets:
        """A new, empty table for ``seats`` server processes, its descriptor inheritable."""
        fd = os.memfd_create("aqb-budgets", 0)
        os.ftruncate(fd, ROWS * struct.calcsize(f"=16s?dd{seats}H"))
        os.set_inheritable(fd, True)
        return cls(fd, seats, budget)

    @classmethod
    def attach(cls, fd: int, seats: int, budget: Budget, seat: int) -> ClientBudgets:
        """The table a parent created, from its inherited descriptor ``fd``, for ``seat``."""
        return cls(fd, seats, budget, seat)

    # --- the table

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def _read(self, index: int) -> tuple[bytes, bool, float, float, list[int]]:
        key, used, balance, stamp, *running = self._row.unpack_from(
            self._map, index * self._row.size
        )
        return key, used, balance, stamp, running

    def _write(
        self, index: int, key: bytes, balance: float, stamp: float, running: list[int]
    ) -> None:
        self._row.pack_into(self._map, index * self._row.size, key, True, balance, stamp, *running)

    def _refilled(self, balance: float, stamp: float, now: float) -> float:
        return min(self.budget.seconds, balance + (now - stamp) * self.budget.rate)

    def _find(self, key: bytes, now: float, claim: bool) -> int | None:
        """The row of ``key``; with ``claim``, a free one or the fullest bucket's if it has
        none (then emptied for ``key``: a full bucket, nothing running)."""
        first = int.from_bytes(hashlib.blake2b(key, digest_size=4).digest(), "big") % ROWS
        free: int | None = None
        fullest: int | None = None
        most = (True, math.inf)  # (queries running, query-seconds left) of the fullest
        for step in range(PROBES):
            index = (first + step) % ROWS
            found, used, balance, stamp, running = self._read(index)
            if used and found == key:
                return index
            if not used:
                free = index if free is None else free
                continue
            rank = (any(running), -self._refilled(balance, stamp, now))
            if fullest is None or rank < most:
                fullest, most = index, rank
        if not claim:
            return None
        chosen = free if free is not None else fullest
        assert chosen is not None  # PROBES ≥ 1
        self._write(chosen, key, self.budget.seconds, now, [0] * self.seats)
        return chosen

    # --- what the engine asks

    def enter(self, key: bytes, now: float | None = None) -> None:
        """Count a query of ``key`` as begun on this seat, if the client's budget allows.

        Raises:
            TooManyQueries: ``concurrent`` queries of the client run or wait already, or its
                query-seconds are spent (``retry_after``: until they are not).
        """
        now = time.monotonic() if now is None else now
        with self._locked():
            index = self._find(key, now, claim=True)
            assert index is not None
            _, _, balance, stamp, running = self._read(index)
            balance = self._refilled(balance, stamp, now)
            if sum(running) >= self.budget.concurrent:
                raise TooManyQueries(
                    f"{self.budget.concurrent} queries of this client run or wait already; "
                    "send the next when one is answered",
                    retry_after=self.budget.retry_after,
                )
            if balance <= 0:
                wait = max(1, math.ceil(-balance / self.budget.rate))
                raise TooManyQueries(
                    f"this client's queries used {self.budget.seconds:g} query-seconds in "
                    f"{self.budget.window:g} s; try again in {wait} s",
                    retry_after=wait,
                )
            running[self.seat] += 1
            self._write(index, key, balance, now, running)

    def charge(self, key: bytes, seconds: float, now: float | None = None) -> None:
        """Take ``seconds`` of query time from the bucket of ``key``."""
        now = time.monotonic() if now is None else now
        with self._locked():
            index = self._find(key, now, claim=False)
            if index is not None:
                _, _, balance, stamp, running = self._read(index)
                self._write(index, key, self._refilled(balance, stamp, now) - seconds, now, running)

    def leave(self, key: bytes) -> None:
        """Count a query of ``key`` on this seat as over (its slot is free again)."""
        with self._locked():
            index = self._find(key, time.monotonic(), claim=False)
            if index is not None:
                found, _, balance, stamp, running = self._read(index)
                running[self.seat] = max(0, running[self.seat] - 1)
                self._write(index, found, balance, stamp, running)

    def state(self, key: bytes, now: float | None = None) -> tuple[float, int]:
        """The query-seconds left to ``key`` and its queries running or waiting."""
        now = time.monotonic() if now is None else now
        with self._locked():
            index = self._find(key, now, claim=False)
            if index is None:
                return self.budget.seconds, 0
            _, _, balance, stamp, running = self._read(index)
            return self._refilled(balance, stamp, now), sum(running)

    # --- what the supervisor does

    def vacate(self, seat: int) -> None:
        """Forget the queries counted on ``seat``: its process has ended."""
        with self._locked():
            for index in range(ROWS):
                key, used, balance, stamp, running = self._read(index)
                if used and running[seat]:
                    running[seat] = 0
                    self._write(index, key, balance, stamp, running)

    def close(self) -> None:
        """Unmap the table and close the descriptor; idempotent."""
        if not self._map.closed:
            self._map.close()
            os.close(self.fd)
