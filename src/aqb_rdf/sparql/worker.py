"""One query worker of :class:`~aqb_rdf.sparql.pool.QueryPool`: its loop (a spawned process).

:func:`serve` enters the sandbox (:func:`~aqb_rdf.sparql.sandbox.enter_sandbox`: an empty
network namespace, memory and core-dump limits), opens the store read-only and answers requests
from its end of a pipe, one at a time, with :func:`~aqb_rdf.sparql.execution.execute`. Before
each query it sets ``RLIMIT_CPU`` to the CPU time used so far plus twice the time limit plus
5 s: should the parent ever die without killing it, a runaway query still ends (``SIGXCPU``);
an idle worker exits when its pipe closes.
"""

from __future__ import annotations

import math
import resource
import signal
from multiprocessing.connection import Connection
from pathlib import Path

from pyoxigraph import Store

from aqb_rdf.errors import (
    QueryFailed,
    QuerySyntaxError,
    ResultTooLarge,
    UnsupportedFormat,
    first_line,
)
from aqb_rdf.sparql.execution import QueryRequest, execute
from aqb_rdf.sparql.sandbox import enter_sandbox
from aqb_rdf.sparql.store import has_union_default_graph


def serve(
    conn: Connection,
    store_path: str,
    memory_limit: int,
    timeout: float,
    *,
    max_result_bytes: int,
) -> None:
    """The worker's main function: isolate, open the store, answer requests until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sandbox = enter_sandbox(memory_limit)
    union_stored = has_union_default_graph(Path(store_path))
    try:
        store = Store.read_only(store_path)
    except (OSError, ValueError) as error:
        _tell(conn, ("failed", f"cannot open the store {store_path}: {first_line(error)}"))
        return
    if not _tell(conn, ("ready", sandbox.network_isolated, sandbox.detail)):
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        _limit_cpu(timeout)
        reply = _answer(store, request, max_result_bytes, union_stored)
        if not _tell(conn, reply):
            return
        if reply[0] == "memory":
            return  # a fresh worker is safer than one that has just run out of memory


def _answer(
    store: Store, request: QueryRequest, max_result_bytes: int, union_stored: bool
) -> tuple[object, ...]:
    """Run one request; return the reply tuple the parent's :meth:`QueryPool._result` reads."""
    try:
        result = execute(store, request, max_result_bytes, union_stored)
    except QuerySyntaxError as error:
        return ("syntax", str(error))
    except UnsupportedFormat as error:
        return ("format", str(error), error.result_kind)
    except ResultTooLarge as error:
        return ("too-large", str(error))
    except QueryFailed as error:
        return ("failed", str(error))
    except MemoryError:
        return ("memory", "the query worker ran out of memory")
    except Exception as error:  # an engine error of an unexpected class: report, go on
        return ("failed", f"{type(error).__name__}: {first_line(error)}")
    return ("ok", result.media_type, result.body)


def _tell(conn: Connection, message: tuple[object, ...]) -> bool:
    """Send ``message`` to the parent; False if the parent is gone (then the worker ends)."""
    try:
        conn.send(message)
    except OSError:  # BrokenPipeError and the like: nobody is listening any more
        return False
    return True


def _limit_cpu(timeout: float) -> None:
    """Let this process die of SIGXCPU if the next query outlives its parent's watch."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + 2 * timeout + 5)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
