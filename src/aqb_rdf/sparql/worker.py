"""One query worker: the requests it takes, the answers it gives, its loop (a spawned process).

:class:`~aqb_rdf.sparql.pool.QueryPool` starts :func:`serve` in each worker process; the
isolation it sets up before opening the store (network namespace, memory, CPU and core-dump
limits) is described in query_pool's module docstring.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import resource
import signal
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Final, cast

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
)

from aqb_rdf.errors import Signal, first_line
from aqb_rdf.rdf import formats
from aqb_rdf.sparql.lexer import tokenize
from aqb_rdf.sparql.store import has_union_default_graph

SOLUTIONS_FORMATS: Final[Mapping[str, QueryResultsFormat]] = {
    f.media_type: f.results for f in formats.RESULTS_FORMATS if f.results is not None
}
"""Media types for the results of ``SELECT`` and ``ASK`` queries."""

GRAPH_FORMATS: Final[Mapping[str, RdfFormat]] = {
    f.media_type: f.rdf for f in formats.GRAPH_FORMATS if f.rdf is not None
}
"""Media types for the results of ``CONSTRUCT`` and ``DESCRIBE`` queries."""

_CLONE_NEWNET: Final = 0x40000000
_CLONE_NEWUSER: Final = 0x10000000


@dataclass(frozen=True)
class QueryRequest:
    """One SPARQL query and how to answer it.

    Attributes:
        query: the query text.
        result_format: the media type of the answer: one of :data:`SOLUTIONS_FORMATS` for
            ``SELECT`` and ``ASK``, one of :data:`GRAPH_FORMATS` for ``CONSTRUCT`` and
            ``DESCRIBE``.
        default_graphs: the protocol's ``default-graph-uri`` values.
        named_graphs: the protocol's ``named-graph-uri`` values.

    Raises:
        ValueError: the media type is not one of the eight above, or a graph IRI is invalid.
    """

    query: str
    result_format: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    """What relative IRIs in the query resolve against (the server gives its endpoint IRI)."""

    def __post_init__(self) -> None:
        if self.result_format not in SOLUTIONS_FORMATS and self.result_format not in GRAPH_FORMATS:
            known = ", ".join([*SOLUTIONS_FORMATS, *GRAPH_FORMATS])
            raise ValueError(f"unsupported result format {self.result_format!r}; known: {known}")
        for iri in (*self.default_graphs, *self.named_graphs):
            NamedNode(iri)  # raises ValueError for an invalid IRI


@dataclass(frozen=True)
class QueryResult:
    """A serialised answer: ``body`` in the media type ``media_type``."""

    media_type: str
    body: bytes = field(repr=False)


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
    # A Rust backtrace costs a crashing query about 0.5 s of CPU and 50 lines of log; the
    # parent reports the signal that ended the worker instead. A write for the engine in this
    # child process, never a read (config.py reads the environment).
    os.environ["RUST_BACKTRACE"] = "0"
    isolated, detail = _isolate_network()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    union_stored = has_union_default_graph(Path(store_path))
    try:
        store = Store.read_only(store_path)
    except (OSError, ValueError) as error:
        _tell(conn, ("failed", f"cannot open the store {store_path}: {first_line(error)}"))
        return
    if not _tell(conn, ("ready", isolated, detail)):
        return
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        _limit_cpu(timeout)
        reply: tuple[object, ...]
        try:
            reply = _answer(store, request, max_result_bytes, union_stored)
        except MemoryError:
            reply = ("memory", "the query worker ran out of memory")
        except Exception as error:  # an engine error of an unexpected class: report, go on
            reply = ("failed", f"{type(error).__name__}: {first_line(error)}")
        if not _tell(conn, reply):
            return
        if reply[0] == "memory":
            return  # a fresh worker is safer than one that has just run out of memory


def _tell(conn: Connection, message: tuple[object, ...]) -> bool:
    """Send ``message`` to the parent; False if the parent is gone (then the worker ends)."""
    try:
        conn.send(message)
    except OSError:  # BrokenPipeError and the like: nobody is listening any more
        return False
    return True


def _isolate_network() -> tuple[bool, str]:
    """Move this process into a new, empty network namespace; return (done, why not)."""
    try:
        unshare = ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError) as error:
        return False, f"unshare() is not available: {error}"
    problems = []
    for flags, name in (
        (_CLONE_NEWNET, "CLONE_NEWNET"),
        (_CLONE_NEWUSER | _CLONE_NEWNET, "CLONE_NEWUSER|CLONE_NEWNET"),
    ):
        if unshare(flags) == 0:
            return True, name
        problems.append(f"unshare({name}): {os.strerror(ctypes.get_errno())}")
    return False, "; ".join(problems)


def _limit_cpu(timeout: float) -> None:
    """Let this process die of SIGXCPU if the next query outlives its parent's watch."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + 2 * timeout + 5)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


class _CapReached(Signal):
    """Raised by :class:`_CappedWriter` once the result passes its cap."""


class _CappedWriter:
    """A binary writer that keeps what it is given and raises once ``cap`` bytes are passed."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise _CapReached
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the chunks stay in memory."""


def _answer(
    store: Store, request: QueryRequest, max_result_bytes: int, union_stored: bool
) -> tuple[object, ...]:
    """Run one request; return the reply tuple the parent's :meth:`QueryPool._result` reads."""
    try:
        results = _query(store, request, union_stored)
        if isinstance(results, QueryTriples):
            kind, graph_format = "graph", GRAPH_FORMATS.get(request.result_format)
            solutions_format = None
        else:
            kind = "boolean" if isinstance(results, QueryBoolean) else "solutions"
            solutions_format = SOLUTIONS_FORMATS.get(request.result_format)
            graph_format = None
        writer = _CappedWriter(max_result_bytes)
        if isinstance(results, QueryTriples) and graph_format is not None:
            results.serialize(cast(IO[bytes], writer), graph_format)
        elif not isinstance(results, QueryTriples) and solutions_format is not None:
            results.serialize(cast(IO[bytes], writer), solutions_format)
        else:
            message = f"a {kind} result cannot be given as {request.result_format}"
            return ("format", message, kind)
    except SyntaxError as error:
        return ("syntax", first_line(error))
    except _CapReached:
        return ("too-large", f"the result is larger than {max_result_bytes:,} bytes")
    except (OSError, ValueError, RuntimeError) as error:
        return ("failed", first_line(error))
    return ("ok", request.result_format, b"".join(writer.chunks))


def _query(
    store: Store, request: QueryRequest, union_stored: bool
) -> QuerySolutions | QueryBoolean | QueryTriples:
    if request.default_graphs or request.named_graphs:
        return store.query(
            request.query,
            base_iri=request.base_iri,
            default_graph=[NamedNode(iri) for iri in request.default_graphs],
            named_graphs=[NamedNode(iri) for iri in request.named_graphs],
        )
    if union_stored:  # the default graph holds the union already
        return store.query(request.query, base_iri=request.base_iri)
    union = not declares_dataset(request.query)
    return store.query(request.query, base_iri=request.base_iri, use_default_graph_as_union=union)


_GLUED = re.compile(r"[\w:?$@.\-]")
"""What may not stand right before ``FROM``: it would be part of another token."""


def declares_dataset(query: str) -> bool:
    """Tell whether a query has a ``FROM`` or ``FROM NAMED`` clause (its own dataset).

    pyoxigraph's ``use_default_graph_as_union`` overrides the query's ``FROM`` clauses, so
    the union is only asked for when the query declares no dataset. Outside strings, IRIs
    and comments (which :func:`~aqb_rdf.sparql.lexer.tokenize` sets apart), the keyword
    ``FROM`` occurs only in dataset clauses.
    """
    return any(
        token.kind == "name"
        and token.text.upper() == "FROM"
        and not (token.start and _GLUED.fullmatch(query[token.start - 1]))
        for token in tokenize(query)
    )
