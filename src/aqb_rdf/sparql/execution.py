"""Answer one SPARQL request on an open, read-only Oxigraph store (pure, given the store).

The one home of what a query request is (:class:`QueryRequest`), what an answer is
(:class:`QueryResult`), the result formats each query form can be given in, and how a request
is run and serialised (:func:`execute`). Both ways the product runs queries use it: the server
processes, in threads (:mod:`aqb_rdf.sparql.engine`), and the isolated worker of
:class:`~aqb_rdf.sparql.pool.QueryPool` that the command line uses.

Results are serialised into a writer that raises as soon as the body would pass
``max_result_bytes`` (:class:`~aqb_rdf.errors.ResultTooLarge`), so a huge result is never held.

Dataset semantics (`SPARQL 1.1 Protocol §2.1.4
<https://www.w3.org/TR/sparql11-protocol/#dataset>`_): when the request names graphs
(``default-graph-uri`` / ``named-graph-uri``), the dataset is exactly those graphs and overrides
``FROM`` / ``FROM NAMED`` in the query; otherwise a query with its own ``FROM`` clause gets the
dataset it declares; otherwise the default graph is the union of all graphs (the build writes
one named graph per agreement). :func:`~aqb_rdf.sparql.store.build_store` stores that union as
the default graph, so queries read it directly; a store built without it gets the engine's union
at query time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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

from aqb_rdf.errors import (
    QueryFailed,
    QuerySyntaxError,
    ResultTooLarge,
    Signal,
    UnsupportedFormat,
    first_line,
)
from aqb_rdf.rdf import formats
from aqb_rdf.sparql.lexer import tokenize

SOLUTIONS_FORMATS: Final[Mapping[str, QueryResultsFormat]] = {
    f.media_type: f.results for f in formats.RESULTS_FORMATS if f.results is not None
}
"""Media types for the results of ``SELECT`` and ``ASK`` queries."""

GRAPH_FORMATS: Final[Mapping[str, RdfFormat]] = {
    f.media_type: f.rdf for f in formats.GRAPH_FORMATS if f.rdf is not None
}
"""Media types for the results of ``CONSTRUCT`` and ``DESCRIBE`` queries."""


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


def execute(
    store: Store, request: QueryRequest, max_result_bytes: int, union_stored: bool
) -> QueryResult:
    """Run one request on ``store`` and serialise its answer, at most ``max_result_bytes``.

    ``union_stored``: the store's default graph holds the union of its graphs
    (:func:`~aqb_rdf.sparql.store.has_union_default_graph`).

    Raises:
        QuerySyntaxError: the query is not valid SPARQL.
        QueryFailed: the engine reported an error while evaluating it.
        UnsupportedFormat: the result format does not fit the query form.
        ResultTooLarge: the answer passed ``max_result_bytes``.
        MemoryError: the engine ran out of memory (the caller decides what that means).
    """
    results: object = None
    try:
        results = _query(store, request, union_stored)
        writer = _CappedWriter(max_result_bytes)
        if isinstance(results, QueryTriples):
            graph_format = GRAPH_FORMATS.get(request.result_format)
            if graph_format is None:
                raise UnsupportedFormat(_unfit("graph", request), "graph")
            results.serialize(cast(IO[bytes], writer), graph_format)
        else:
            kind = "boolean" if isinstance(results, QueryBoolean) else "solutions"
            solutions_format = SOLUTIONS_FORMATS.get(request.result_format)
            if solutions_format is None:
                raise UnsupportedFormat(_unfit(kind, request), kind)
            results.serialize(cast(IO[bytes], writer), solutions_format)
    except SyntaxError as error:
        raise QuerySyntaxError(first_line(error)) from None
    except _CapReached:
        raise ResultTooLarge(f"the result is larger than {max_result_bytes:,} bytes") from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryFailed(first_line(error)) from None
    finally:
        # Dropped here, in the thread that made them: the engine's results may not be dropped
        # on another thread (pyo3 "unsendable": a RuntimeError and a traceback in the log,
        # and what they hold never freed), which is where the error's traceback, holding this
        # frame, would take them (seen in the 10-minute soak: ResultTooLarge, 127 times).
        results = None
    return QueryResult(request.result_format, b"".join(writer.chunks))


def _unfit(kind: str, request: QueryRequest) -> str:
    return f"a {kind} result cannot be given as {request.result_format}"


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
