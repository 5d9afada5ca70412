"""The queries of one server process: admitted in turn, run in threads, bounded in time (I/O).

A server process (:mod:`aqb_rdf.web.sandboxed`) is its own sandbox
(:mod:`aqb_rdf.sparql.sandbox`), so it runs queries itself, in threads: pyoxigraph releases the
GIL while it evaluates a query (``../shared/notes/pyoxigraph_gil.py``: a ticker thread ran 258
of ~265 ticks during a 2.65 s query), so the event loop goes on serving other clients.

* **Admission.** At most ``slots`` queries run at the same time. A request that finds every
  slot taken waits in a queue of at most ``queue_length`` requests, first come first served, for
  at most ``queue_wait`` seconds; only when the queue is full, or the wait runs out, is it
  refused with :class:`~aqb_rdf.errors.Overloaded` (503 with ``Retry-After``). An accepted query
  is answered within ``queue_wait + timeout`` seconds.
* **Deadlines without cancellation.** A query still running at its time limit is answered
  with :class:`~aqb_rdf.errors.QueryTimeout` (503); its thread cannot be stopped, so the engine
  calls ``on_retire`` once, and the process retires: it stops accepting connections, lets the
  other queries finish, and ends (:mod:`aqb_rdf.web.sandboxed`). Each slot's deadline is also
  written to a :class:`~aqb_rdf.sparql.deadlines.DeadlineBoard` that the supervisor reads: a
  process that does not retire in time (a query that would hold the GIL, a process stuck in any
  other way) is killed from outside, :data:`KILL_GRACE` past the deadline.
* **Budgets per client.** Before it waits for a slot, a query is counted against its client's
  budget (:mod:`aqb_rdf.sparql.budgets`: queries at a time, query-seconds per window), or
  refused with :class:`~aqb_rdf.errors.TooManyQueries` (429); the time it held its slot is
  taken from the client's query-seconds when it is answered (at the time limit for a runaway).
* Queries run in :class:`~aqb_rdf.sparql.threads.QueryThreads` (half the CPU per hand-off
  of ``run_in_executor``).
* A slot is free again only when its thread has returned, not when its client stopped waiting,
  so ``slots`` bounds the threads that run queries, whatever the clients do; but for the slot
  of a runaway in a retiring process, written off and given to the next waiting query in a new
  thread, so that no request the process has accepted waits for a slot that never comes free.

The store can be replaced while queries run (:meth:`Engine.switch`, a new release): queries that
started on the old store finish on it.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from pyoxigraph import Store

from aqb_rdf.errors import OutOfMemory, Overloaded, QueryPoolError, QueryTimeout
from aqb_rdf.sparql.budgets import CLIENT, ClientBudgets
from aqb_rdf.sparql.deadlines import DeadlineBoard
from aqb_rdf.sparql.execution import QueryRequest, QueryResult, execute
from aqb_rdf.sparql.sandbox import memory_limit_in_force
from aqb_rdf.sparql.store import has_union_default_graph
from aqb_rdf.sparql.threads import QueryThreads

T = TypeVar("T")

KILL_GRACE: Final = 1.0
"""Seconds past a query's time limit after which the supervisor kills the process running it."""


@dataclass(frozen=True)
class OpenStore:
    """A store opened read-only, and whether its default graph holds the union of its graphs."""

    path: Path
    store: Store
    union_stored: bool

    @classmethod
    def open(cls, path: Path) -> OpenStore:
        """Open the persisted store ``path`` read-only.

        Raises:
            QueryPoolError: the store cannot be opened.
        """
        try:
            store = Store.read_only(str(path))
        except (OSError, ValueError) as error:
            raise QueryPoolError(f"cannot open the store: {error}", str(path)) from None
        return cls(path, store, has_union_default_graph(path))


class Admission:
    """``slots`` numbered places, handed out in turn to waiters of a bounded queue (asyncio).

    Not thread-safe: :meth:`take` and :meth:`give` run on the event loop.
    """

    def __init__(self, slots: int, queue_length: int, queue_wait: float) -> None:
        self.slots = slots
        self.queue_length = queue_length
        self.queue_wait = queue_wait
        self._free = list(range(slots - 1, -1, -1))
        self._waiting: collections.deque[asyncio.Future[int]] = collections.deque()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    @property
    def free(self) -> int:
        return len(self._free)

    async def take(self) -> int:
        """A free slot, after waiting in the queue if need be.

        Raises:
            Overloaded: the queue is full, or no slot came free within ``queue_wait``.
        """
        if self._free and not self._waiting:
            return self._free.pop()
        if len(self._waiting) >= self.queue_length:
            raise Overloaded(
                f"all {self.slots} query slots are busy and {self.queue_length} requests wait"
            )
        turn: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await asyncio.wait({turn}, timeout=self.queue_wait)
        finally:
            if not turn.done():
                turn.cancel()
                self._waiting.remove(turn)
            elif turn.cancelled():
                pass
        # The slot may have been given in the same moment the wait ended or was cancelled:
        # then it is ours (and must be given back if this task is being cancelled).
        if turn.done() and not turn.cancelled():
            return turn.result()
        raise Overloaded(f"no query slot came free within {self.queue_wait:g} s")

    def give(self, slot: int) -> None:
        """Hand ``slot`` to the first waiter, or keep it free."""
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(slot)
                return
        self._free.append(slot)


class Engine:
    """Answers queries on an open store, in ``slots`` threads, on an asyncio event loop.

    Args:
        store: the store to query; :meth:`switch` replaces it.
        slots: queries that may run at the same time.
        timeout: seconds a query may run.
        queue_length: requests that may wait for a slot.
        queue_wait: seconds a request may wait for a slot.
        max_result_bytes: the largest serialised answer.
        board: where the deadline of each slot is written for the supervisor; None when
            nobody watches (a test, the command line).
        budgets: the per-client budgets shared by the server processes; each query counts
            against those of :data:`~aqb_rdf.sparql.budgets.CLIENT`. None: no client is limited.
        on_retire: called once, on the event loop, with the reason, when the process should
            end: a query outlived its time limit, or one ran out of memory.
    """

    def __init__(
        self,
        store: OpenStore,
        *,
        slots: int,
        timeout: float,
        queue_length: int,
        queue_wait: float,
        max_result_bytes: int = 50_000_000,
        board: DeadlineBoard | None = None,
        budgets: ClientBudgets | None = None,
        on_retire: Callable[[str], None] = lambda reason: None,
    ) -> None:
        if slots < 1:
            raise ValueError("an engine needs at least one slot")
        if board is not None and board.slots < slots:
            raise ValueError(f"the deadline board has {board.slots} slots, not {slots}")
        self.store = store
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self.admission = Admission(slots, queue_length, queue_wait)
        self.retiring = False
        """Whether the process should end (a query outlived its limit or ran out of memory)."""
        self._board = board
        self._budgets = budgets
        self._on_retire = on_retire
        # A runaway's thread cannot be stopped, so its slot is written off and the queries
        # waiting in the retiring process run in new threads (_runaway): room for them all.
        self._threads = QueryThreads(2 * slots + queue_length, "aqb-query")
        self._written_off: set[asyncio.Future[Any]] = set()

    def switch(self, store: OpenStore) -> None:
        """Answer the next queries from ``store``; running ones finish on the old one."""
        self.store = store

    async def run_async(self, request: QueryRequest, store: OpenStore | None = None) -> QueryResult:
        """The answer to ``request`` on ``store`` (default: the current one, :meth:`switch`),
        or the error it earned. Every store shares the same slots, queue and deadlines: an
        older release served beside the current one (``/release/<id>/``) takes no more.

        Raises:
            TooManyQueries: the client (:data:`~aqb_rdf.sparql.budgets.CLIENT`) has used its
                share for now.
            Overloaded: no slot within the queue's bounds.
            QueryTimeout: no answer within the time limit.
            QueryPoolError: the query is invalid, failed, or its answer is too large
                (the subclasses of :func:`~aqb_rdf.sparql.execution.execute`).
        """

        def work() -> QueryResult:
            chosen = store or self.store  # the current release's when the query starts
            return execute(chosen.store, request, self.max_result_bytes, chosen.union_stored)

        slot, running, client, started = await self._start(work)
        try:
            done, _ = await asyncio.wait({running}, timeout=self.timeout)
        finally:
            self._charge(client, started)
        if not done:
            self._runaway(slot, running)
            raise QueryTimeout(
                f"the query did not finish within {self.timeout:g} s (nor will it next time:"
                " narrow its patterns or add a LIMIT)"
            )
        try:
            return running.result()
        except MemoryError:
            raise self.out_of_memory() from None

    def out_of_memory(self) -> OutOfMemory:
        """The error to answer when a query or the making of its answer ran out of memory
        (a ``MemoryError``: the engine's own allocations abort the process instead); the
        process retires, as a fresh one is safer than one that has just run out. It names the
        limit in force (:func:`~aqb_rdf.sparql.sandbox.memory_limit_in_force`): the setting,
        or a lower hard limit the process was started under."""
        self._retire("a query ran out of memory")
        limit = ""
        in_force = memory_limit_in_force()
        if in_force:
            limit = f": a server process may use {in_force / (1 << 20):,.0f} MiB"
        return OutOfMemory(
            f"the query ran out of memory{limit}; ask for less (LIMIT, fewer variables, "
            "another format than JSON-LD)"
        )

    async def call_async(self, work: Callable[[], T]) -> T:
        """What ``work()`` returns (or raises), run in a query slot's thread, admitted as a
        query is: long guard checks run here, so the event loop goes on serving meanwhile and
        they take their turn with the queries, and from the client's budget (``work`` must
        end by itself: it is not timed).

        Raises:
            TooManyQueries: the client has used its share for now.
            Overloaded: no slot within the queue's bounds.
        """
        _, running, client, started = await self._start(work)
        try:
            await asyncio.wait({running})
        finally:
            self._charge(client, started)
        return running.result()

    async def _start(
        self, work: Callable[[], T]
    ) -> tuple[int, asyncio.Future[T], bytes | None, float]:
        """Admit the client, take a slot, and start ``work`` in the slot's thread: the slot,
        the running work, the client and when it started. The slot and the client's place
        are given back when the thread returns, not when its client stops waiting."""
        client = CLIENT.get() if self._budgets is not None else None
        if client is not None and self._budgets is not None:
            self._budgets.enter(client)  # raises TooManyQueries
        try:
            slot = await self.admission.take()
        except BaseException:
            self._leave(client)
            raise
        started = time.monotonic()
        if self._board is not None:
            self._board.set(slot, started + self.timeout + KILL_GRACE)
        try:
            running = self._threads.submit(work)
        except BaseException:
            self._free(slot, client)
            raise
        running.add_done_callback(lambda done: self._done(done, slot, client))
        return slot, running, client, started

    def _charge(self, client: bytes | None, started: float) -> None:
        """Take the time since ``started`` from the client's query-seconds."""
        if client is not None and self._budgets is not None:
            self._budgets.charge(client, time.monotonic() - started)

    def _leave(self, client: bytes | None) -> None:
        if client is not None and self._budgets is not None:
            self._budgets.leave(client)

    def _free(self, slot: int, client: bytes | None = None) -> None:
        if self._board is not None:
            self._board.clear(slot)
        self._leave(client)
        self.admission.give(slot)

    def _done(self, running: asyncio.Future[T], slot: int, client: bytes | None) -> None:
        """A query's thread has returned: its slot is free (unless written off: then it was
        given on already), and its client has one query fewer."""
        if running in self._written_off:
            self._written_off.discard(running)
            self._leave(client)
        else:
            self._free(slot, client)

    def _runaway(self, slot: int, running: asyncio.Future[T]) -> None:
        """A query outlived its limit: the process must end; until then, answer the others.

        Its thread cannot be stopped, so its slot is written off: given on at once to the next
        query waiting here, which runs in a new thread, so that no request this process has
        accepted waits for a slot that never comes free (issue 11, item 8: two runaways on
        one process left its queued requests to a 503 or to the kill). The runaway's client
        stays counted until its thread returns or the process ends. The supervisor kills the
        process if it is not gone in time: the deadline of the slot covers the waiting queries
        too, and the heartbeat stops when it retires (:mod:`aqb_rdf.web.sandboxed`).
        """
        self._written_off.add(running)
        if self._board is not None:
            late = time.monotonic() + self.admission.queue_wait + self.timeout + KILL_GRACE
            self._board.set(slot, late)
        self._retire(f"a query ran past its time limit of {self.timeout:g} s")
        self.admission.give(slot)

    def _retire(self, reason: str) -> None:
        if not self.retiring:
            self.retiring = True
            self._on_retire(reason)

    def close(self) -> None:
        """Stop taking queries; threads still running are left to the process's end."""
        self._threads.close()
