"""Run SPARQL queries on a read-only Oxigraph store in isolated worker processes (I/O).

The command line's way to run a query someone gave it (:mod:`aqb_rdf.sparql.sandboxed`); the
server runs queries in its own sandboxed processes instead (:mod:`aqb_rdf.sparql.engine`). Why
a query needs a sandbox at all: :mod:`aqb_rdf.sparql.sandbox`.

* :class:`QueryPool` starts ``workers`` processes with the ``spawn`` start method (never
  ``fork``: the caller may have threads, and a forked child would inherit their locks). As with
  any ``spawn`` process, a script that starts a pool must guard its top level with
  ``if __name__ == "__main__":`` (console scripts and pytest do). Each worker
  (:mod:`aqb_rdf.sparql.worker`) ignores ``SIGINT``, enters the sandbox, opens the store once
  with :meth:`pyoxigraph.Store.read_only` and answers requests from its end of a pipe, one at
  a time. :attr:`QueryPool.network_isolated` says whether every worker is in an empty network
  namespace.

* :meth:`QueryPool.run` (and :meth:`QueryPool.run_async`, the same for an event loop)
  takes an idle worker, sends the request and waits for the answer at most ``timeout`` seconds.
  A worker that does not answer in time is killed with ``SIGKILL`` and replaced
  (:class:`QueryTimeout`); a worker that dies (segfault, abort, ``MemoryError``) is replaced
  too (:class:`WorkerCrashed`). The failing call waits for its replacement to be ready, within
  one second past the time limit, so the pool is whole again when it returns.

* When every worker is busy, :meth:`QueryPool.run` raises :class:`Overloaded` at once.

Errors: the :class:`~aqb_rdf.errors.QueryPoolError` branch of :mod:`aqb_rdf.errors`, whose
classes this module re-exports.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from pathlib import Path
from types import TracebackType
from typing import Final

from aqb_rdf.config import SERVE_QUERY_WORKERS, SERVE_TIMEOUT
from aqb_rdf.errors import (
    Overloaded,
    QueryFailed,
    QueryPoolError,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    UnsupportedFormat,
    WorkerCrashed,
)
from aqb_rdf.sparql.execution import (
    GRAPH_FORMATS,
    SOLUTIONS_FORMATS,
    QueryRequest,
    QueryResult,
    declares_dataset,
)
from aqb_rdf.sparql.sandbox import describe_exit
from aqb_rdf.sparql.store import build_store
from aqb_rdf.sparql.worker import serve

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTIONS_FORMATS",
    "Overloaded",
    "QueryFailed",
    "QueryPool",
    "QueryPoolError",
    "QueryRequest",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultTooLarge",
    "UnsupportedFormat",
    "WorkerCrashed",
    "build_store",
    "declares_dataset",
]

logger = logging.getLogger(__name__)

_READY_GRACE: Final = 0.9
"""Seconds past the time limit a failing call may spend waiting for its replacement worker."""
_START_TIMEOUT: Final = 30.0
"""Seconds :meth:`QueryPool.start` waits for each worker to open the store."""
_STILL_STARTING: Final = "it did not open the store in time"
_STOP_GRACE: Final = 1.0
"""Seconds :meth:`QueryPool.close` gives idle workers to exit before it kills them."""

# --- the pool ----------------------------------------------------------------------------


@dataclass
class _Slot:
    """One worker place: its current process, the parent's end of its pipe, its state."""

    index: int
    process: SpawnProcess
    conn: Connection
    ready: bool = False
    network_isolated: bool = False


class QueryPool:
    """Worker processes that answer SPARQL queries on a read-only store.

    Use it as a context manager; :meth:`run` may be called from many threads::

        with QueryPool(Path("dist/store"), workers=2, timeout=10.0) as pool:
            result = pool.run(QueryRequest("ASK { ?s ?p ?o }", "text/csv"))

    Args:
        store_path: a persistent Oxigraph store (see :func:`build_store`); opened read-only.
        workers: how many queries may run at the same time.
        timeout: seconds a query may run; a call returns within ``timeout`` + 1 s.
        max_result_bytes: the largest serialised answer.
        memory_limit: the address-space limit of each worker, in bytes. A worker with the
            store open already uses about 0.43 GB of address space; keep at least 0.75 GB.
    """

    def __init__(
        self,
        store_path: Path,
        *,
        workers: int = SERVE_QUERY_WORKERS.default,
        timeout: float = SERVE_TIMEOUT.default,
        max_result_bytes: int = 50_000_000,
        memory_limit: int = 1 << 30,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if max_result_bytes < 1:
            raise ValueError("max_result_bytes must be positive")
        self.store_path = store_path
        self.workers = workers
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self.memory_limit = memory_limit
        self.network_isolated = False
        """Whether every worker runs in an empty network namespace (known after start)."""
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []
        self._idle: list[_Slot] = []
        self._started = False
        self._closed = False
        self._warned_network = False

    # --- life cycle

    def __enter__(self) -> QueryPool:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the workers and wait until each has opened the store.

        Raises:
            QueryPoolError: a worker could not open the store or did not start in time; the
                workers already started are stopped again.
        """
        with self._lock:
            if self._started:
                raise RuntimeError("the pool has already been started")
            self._started = True
        # glibc gives every thread its own malloc arena of reserved address space; under the
        # workers' RLIMIT_AS, RocksDB's threads then sometimes failed to start (SIGABRT in 3
        # of 24 starts, measured; none of 48 with two arenas). Spawned workers inherit this: a
        # write for the child processes, never a read (config.py reads the environment).
        os.environ.setdefault("MALLOC_ARENA_MAX", "2")
        try:
            for index in range(self.workers):
                self._slots.append(self._spawn(index))
            for slot in self._slots:
                problem = self._await_ready(slot, time.monotonic() + _START_TIMEOUT)
                if problem is not None:
                    raise QueryPoolError(f"worker {slot.index} did not start: {problem}")
        except BaseException:
            self.close()
            raise
        with self._lock:
            self._idle = list(self._slots)
        self._update_network_state()

    def close(self) -> None:
        """Stop every worker and wait for it to exit; idempotent.

        Idle workers exit when their pipe closes; busy ones, and any that do not exit within
        a second, are killed.
        """
        with self._lock:
            self._closed = True
            idle = [(slot.process, slot.conn) for slot in self._idle]
            busy = [slot.process for slot in self._slots if slot not in self._idle]
            self._idle.clear()
        for _, conn in idle:
            conn.close()
        deadline = time.monotonic() + _STOP_GRACE
        for process, _ in idle:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in [*busy, *(process for process, _ in idle)]:
            if process.is_alive():
                process.kill()
            process.join()

    @property
    def idle_workers(self) -> int:
        """How many workers are waiting for a query right now."""
        with self._lock:
            return len(self._idle)

    @property
    def worker_pids(self) -> tuple[int, ...]:
        """The process ids of the current workers."""
        with self._lock:
            return tuple(slot.process.pid for slot in self._slots if slot.process.pid)

    # --- queries

    def run(self, request: QueryRequest) -> QueryResult:
        """Answer one query in a worker; blocks, and may be called from any thread.

        Returns:
            The answer, serialised in ``request.result_format``.

        Raises:
            QuerySyntaxError: the query is not valid SPARQL.
            QueryFailed: the engine reported an error while evaluating it.
            UnsupportedFormat: the result format does not fit the query form.
            ResultTooLarge: the answer passed ``max_result_bytes``.
            QueryTimeout: no answer within ``timeout``; the worker was killed and replaced.
            WorkerCrashed: the worker died; it was replaced.
            Overloaded: every worker is busy.
            RuntimeError: the pool is not running.
        """
        slot = self._take_idle()
        try:
            return self._run_in(slot, request)
        finally:
            self._give_back(slot)

    async def run_async(self, request: QueryRequest) -> QueryResult:
        """:meth:`run` for an asyncio event loop: the same answers and errors, without a
        thread per waiting query. The loop waits for the worker's socket to become readable;
        only a worker that must be started or replaced is waited for in a thread."""
        slot = self._take_idle()
        try:
            if not slot.ready:
                return await asyncio.to_thread(self._run_in, slot, request)
            deadline = time.monotonic() + self.timeout
            try:
                slot.conn.send(request)  # a request is small: the socket takes it at once
                answered = await _readable(slot.conn.fileno(), self.timeout)
                reply = slot.conn.recv() if answered else None  # then read all of it
            except (EOFError, OSError):
                code = await asyncio.to_thread(self._replace, slot, deadline + _READY_GRACE)
                raise WorkerCrashed(f"the query worker died ({describe_exit(code)})") from None
            if reply is None:
                await asyncio.to_thread(self._replace, slot, deadline + _READY_GRACE)
                raise QueryTimeout(f"the query did not finish within {self.timeout:g} s")
            if _needs_replacement(reply):
                return await asyncio.to_thread(self._result, slot, reply, deadline)
            return self._result(slot, reply, deadline)
        finally:
            self._give_back(slot)

    def _take_idle(self) -> _Slot:
        with self._lock:
            if not self._started or self._closed:
                raise RuntimeError("the query pool is not running")
            if not self._idle:
                raise Overloaded(f"all {self.workers} query workers are busy")
            return self._idle.pop()

    def _give_back(self, slot: _Slot) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(slot)

    def _run_in(self, slot: _Slot, request: QueryRequest) -> QueryResult:
        started = time.monotonic()
        deadline = started + self.timeout
        if not slot.ready:
            problem = self._await_ready(slot, deadline)
            if problem == _STILL_STARTING:
                raise QueryTimeout(f"the query worker was still starting after {self.timeout:g} s")
            if problem is not None:
                self._replace(slot, deadline + _READY_GRACE)
                raise WorkerCrashed(f"the query worker did not start: {problem}")
        try:
            slot.conn.send(request)
            answered = slot.conn.poll(max(0.0, deadline - time.monotonic()))
            reply = slot.conn.recv() if answered else None
        except (EOFError, OSError):
            code = self._replace(slot, deadline + _READY_GRACE)
            raise WorkerCrashed(f"the query worker died ({describe_exit(code)})") from None
        if reply is None:
            self._replace(slot, deadline + _READY_GRACE)
            raise QueryTimeout(f"the query did not finish within {self.timeout:g} s")
        return self._result(slot, reply, deadline)

    def _result(self, slot: _Slot, reply: object, deadline: float) -> QueryResult:
        match reply:
            case ("ok", str(media_type), bytes(body)):
                return QueryResult(media_type, body)
            case ("syntax", str(message)):
                raise QuerySyntaxError(message)
            case ("failed", str(message)):
                raise QueryFailed(message)
            case ("format", str(message), str(kind)):
                raise UnsupportedFormat(message, kind)
            case ("too-large", str(message)):
                raise ResultTooLarge(message)
            case ("memory", str(message)):
                self._replace(slot, deadline + _READY_GRACE)
                raise WorkerCrashed(message)
        self._replace(slot, deadline + _READY_GRACE)
        raise WorkerCrashed(f"the query worker sent an unexpected reply: {reply!r:.200}")

    # --- workers

    def _spawn(self, index: int) -> _Slot:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=serve,
            args=(child_end, str(self.store_path), self.memory_limit, self.timeout),
            kwargs={"max_result_bytes": self.max_result_bytes},
            name=f"aqb-query-worker-{index}",
            daemon=True,
        )
        process.start()
        child_end.close()
        return _Slot(index, process, parent_end)

    def _await_ready(self, slot: _Slot, deadline: float) -> str | None:
        """Wait for the worker's greeting; return what went wrong, or None once it is ready."""
        try:
            if not slot.conn.poll(max(0.0, deadline - time.monotonic())):
                return _STILL_STARTING
            greeting = slot.conn.recv()
        except (EOFError, OSError):
            slot.process.join(0.1)
            return f"it died ({describe_exit(slot.process.exitcode)})"
        match greeting:
            case ("ready", bool(isolated), str(detail)):
                slot.ready = True
                slot.network_isolated = isolated
                if not isolated and not self._warned_network:
                    self._warned_network = True
                    logger.warning(
                        "query workers are not network-isolated (%s); only the static "
                        "SERVICE guard keeps queries from reaching other hosts",
                        detail,
                    )
                return None
            case ("failed", str(message)):
                return message
        return f"unexpected greeting {greeting!r:.200}"

    def _replace(self, slot: _Slot, ready_by: float) -> int | None:
        """Kill the slot's worker, start a fresh one and wait for it until ``ready_by``.

        Returns:
            The exit code of the old worker (negative: the signal that ended it).
        """
        old = slot.process
        if old.is_alive():
            old.kill()
        old.join()
        code = old.exitcode
        slot.conn.close()
        with self._lock:  # close() must see either the old worker or the fresh one
            if self._closed:
                return code
            fresh = self._spawn(slot.index)
            slot.process, slot.conn, slot.ready = fresh.process, fresh.conn, False
        problem = self._await_ready(slot, ready_by)
        if problem is not None and problem != _STILL_STARTING:
            logger.error("query worker %d could not be replaced: %s", slot.index, problem)
        self._update_network_state()
        return code

    def _update_network_state(self) -> None:
        with self._lock:
            self.network_isolated = all(
                slot.network_isolated for slot in self._slots if slot.ready
            ) and any(slot.ready for slot in self._slots)


async def _readable(fd: int, timeout: float) -> bool:
    """Wait until ``fd`` can be read, at most ``timeout`` seconds; leave it blocking."""
    loop = asyncio.get_running_loop()
    readable: asyncio.Future[None] = loop.create_future()
    loop.add_reader(fd, _wake, readable)
    try:
        await asyncio.wait_for(readable, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop makes a descriptor it watches non-blocking


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _needs_replacement(reply: object) -> bool:
    """Whether :meth:`QueryPool._result` will replace the worker for this reply (it blocks)."""
    match reply:
        case ("ok", str(), bytes()) | ("syntax" | "failed" | "too-large", str()):
            return False
        case ("format", str(), str()):
            return False
    return True
