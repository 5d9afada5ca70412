"""One query on a build, run as the server runs it: the guard first, then a pool worker (I/O).

``aqb-rdf query FILE`` runs text the user gave, which may come from anywhere; it gets the same
protection as a query sent to ``/sparql``. :func:`~aqb_rdf.sparql.guard.check_query` refuses
it before it runs if it calls a ``SERVICE`` (in any spelling the engine reads, ``\\u0053ERVICE``
included), is an update or would crash or stall the engine; a query that passes runs in a
:class:`~aqb_rdf.sparql.pool.QueryPool` worker: an empty network namespace where the kernel
allows it, memory and CPU limits, and the pool's time limit.

The worker reads the release's persisted store (``releases/<id>/store``), which the server or
the first query loads from ``aqb.trig`` and every later one opens at once; a folder that is no
release, or one that cannot be written, gets a store loaded into a temporary folder that is
removed afterwards.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, parse, parse_query_results

from aqb_rdf.errors import AqbError, QueryError
from aqb_rdf.rdf.files import RELEASE_RECORD
from aqb_rdf.rdf.formats import N_TRIPLES
from aqb_rdf.sparql.guard import QueryForm, QueryRefused, check_query
from aqb_rdf.sparql.named_queries import NamedQuery, bind
from aqb_rdf.sparql.pool import (
    QueryPool,
    QueryPoolError,
    QueryRequest,
    QuerySyntaxError,
)
from aqb_rdf.sparql.results import GraphResult, SelectResult
from aqb_rdf.sparql.store import RELEASE_STORE, build_store, dataset_file, ensure_store

__all__ = ["run_sandboxed"]

_JSON: Final = "application/sparql-results+json"


def run_sandboxed(
    data: Path, query: NamedQuery, params: Mapping[str, str]
) -> SelectResult | GraphResult:
    """Bind ``params`` into ``query``, check it, and run it in a query worker on ``data``.

    Args:
        data: a build output folder (``aqb-rdf build --out``).
        query: a named query or a query file.
        params: the query's parameters.

    Returns:
        The variables and rows of a ``SELECT`` query, the triples of a ``CONSTRUCT`` or
        ``DESCRIBE`` query.

    Raises:
        QueryRefused: the guard refuses the query (``query refused: `` what and why).
        QueryError: a parameter is wrong, the query is malformed or an ``ASK``, or it
            failed (timed out, crashed its worker …).
        AqbError: there is no dataset in ``data``.
    """
    source = query.source or f"{query.name}.rq"
    sparql = bind(query, params)
    try:
        form = check_query(sparql).form
    except QueryRefused as refused:
        raise QueryRefused(f"query refused: {refused.message}", source) from None
    if form == QueryForm.ASK:
        raise QueryError("an ASK query: aqb-rdf query runs SELECT, CONSTRUCT and DESCRIBE", source)
    graph = form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
    trig = dataset_file(data)
    try:
        with _store(trig) as store_dir, QueryPool(store_dir, workers=1) as pool:
            answer = pool.run(QueryRequest(sparql, N_TRIPLES.media_type if graph else _JSON))
    except QuerySyntaxError as error:
        raise QueryError(f"malformed SPARQL: {error.message}", source) from None
    except QueryPoolError as error:
        raise QueryError(f"query failed: {error.message}", source) from None
    if graph:
        return GraphResult(tuple(q.triple for q in parse(answer.body, RdfFormat.N_TRIPLES)))
    solutions = parse_query_results(answer.body, QueryResultsFormat.JSON)
    if not isinstance(solutions, QuerySolutions):  # an ASK query's boolean
        raise QueryError("not a SELECT query", source)
    variables = tuple(variable.value for variable in solutions.variables)
    rows = tuple(tuple(row[index] for index in range(len(variables))) for row in solutions)
    return SelectResult(variables, rows)


@contextmanager
def _store(trig: Path) -> Iterator[Path]:
    """The release's persisted store (loaded now if neither the server nor an earlier query
    has), or, for a folder that is no release or cannot be written, a temporary one."""
    folder = trig.resolve().parent
    kept: Path | None = None
    if (folder / RELEASE_RECORD.name).is_file():
        try:
            kept = ensure_store(folder)
        except (AqbError, OSError):
            pass  # a release folder one may not write: load a temporary store instead
    if kept is not None:
        yield kept
        return
    with tempfile.TemporaryDirectory(prefix="aqb-query-") as scratch:
        store_dir = Path(scratch) / RELEASE_STORE
        build_store(trig, store_dir)
        yield store_dir
