"""Run the named queries of ``queries/`` through the query pool and read their answers (I/O).

Pages never write SPARQL: they name a query, and parameters are bound by
:func:`aqb_rdf.sparql.named_queries.bind` as typed ``VALUES`` (an IRI for the resource a page describes).
The pool answers in a worker process; a ``SELECT`` comes back as SPARQL JSON and is read into a
:class:`~aqb_rdf.sparql.results.SelectResult`, a ``CONSTRUCT`` as N-Triples read into triples.

The queries are written under the default base IRI; each function here takes the ``base`` of
the release served and runs the query rebased to it (:func:`~aqb_rdf.sparql.store.find_query`).

A release never changes, so answers that every visitor asks for (the landing page's figures,
the vocabulary's labels) are kept per release in a :class:`ReleaseMemo`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import lru_cache
from typing import Final, TypeVar, cast

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)

from aqb_rdf.rdf import formats
from aqb_rdf.rdf.iris import DEFAULT_BASE
from aqb_rdf.sparql.execution import QueryRequest, QueryResult
from aqb_rdf.sparql.named_queries import NamedQuery, bind, bind_subjects
from aqb_rdf.sparql.results import SelectResult
from aqb_rdf.sparql.store import find_query
from aqb_rdf.web.render.description import Description, sort_key
from aqb_rdf.web.render.paging import LinkCount, Links

Runner = Callable[[QueryRequest], Awaitable[QueryResult]]
"""What answers a query: ``QueryPool.run_async`` or the server's publication's."""

_JSON: Final = formats.RESULTS_JSON.media_type
_N_TRIPLES: Final = formats.N_TRIPLES.media_type
T = TypeVar("T")


@lru_cache(maxsize=64)
def named_query(name: str, base: str = DEFAULT_BASE) -> NamedQuery:
    """The packaged query ``queries/{name}.rq`` rebased to ``base`` (read once per base)."""
    return find_query(name, base)


async def select_sparql(run: Runner, sparql: str) -> SelectResult:
    """Run a ``SELECT`` query in the pool; its variables and rows."""
    result = await run(QueryRequest(sparql, _JSON))
    solutions = parse_query_results(result.body, QueryResultsFormat.JSON)
    if not isinstance(solutions, QuerySolutions):
        raise ValueError("not a SELECT query")
    variables = tuple(variable.value for variable in solutions.variables)
    rows = tuple(tuple(row[index] for index in range(len(variables))) for row in solutions)
    return SelectResult(variables, rows)


async def construct_sparql(run: Runner, sparql: str) -> list[Triple]:
    """Run a ``CONSTRUCT`` or ``DESCRIBE`` query in the pool; its triples."""
    result = await run(QueryRequest(sparql, _N_TRIPLES))
    return [quad.triple for quad in parse(result.body, RdfFormat.N_TRIPLES)]


async def select(
    run: Runner, name: str, params: Mapping[str, str] | None = None, base: str = DEFAULT_BASE
) -> SelectResult:
    """Run the named ``SELECT`` query ``name``, rebased to ``base``, with ``params`` bound.

    Raises:
        QueryError: a parameter is unknown, missing or malformed.
        QueryPoolError: the pool could not answer (busy, timeout …).
    """
    return await select_sparql(run, bind(named_query(name, base), params or {}))


async def describe(
    run: Runner,
    iri: str,
    subjects: Sequence[NamedNode] | None = None,
    base: str = DEFAULT_BASE,
) -> Description:
    """The description of ``iri`` (``describe-resource.rq``); empty if the IRI is unknown.

    Args:
        run: answers the query.
        iri: the resource.
        subjects: of the things that link to ``iri``, the ones to describe (one page);
            ``None``: all of them.
        base: the base IRI of the release.
    """
    sparql = bind(named_query("describe-resource", base), {"resource": iri})
    if subjects is not None:
        sparql = bind_subjects(sparql, subjects)
    return Description.of_ntriples(iri, (await run(QueryRequest(sparql, _N_TRIPLES))).body)


async def resource_links(run: Runner, iri: str, base: str = DEFAULT_BASE) -> Links:
    """Every IRI that links to ``iri``, in page order, with counts (``resource-links.rq``)."""
    result = await select(run, "resource-links", {"resource": iri}, base)
    members: list[NamedNode] = []
    counts: list[LinkCount] = []
    for member, link, type_, count in result.rows:
        if isinstance(member, NamedNode):
            members.append(member)
        elif isinstance(link, NamedNode) and isinstance(count, Literal):
            type_iri = type_.value if isinstance(type_, NamedNode) else None
            counts.append(LinkCount(link.value, type_iri, int(count.value)))
    members.sort(key=sort_key)
    counts.sort(key=lambda c: (-c.count, c.link, c.type or ""))
    return Links(tuple(members), tuple(counts))


async def describe_graph(run: Runner, iri: str, base: str = DEFAULT_BASE) -> Description:
    """The triples of the named graph ``iri`` (``describe-graph.rq``)."""
    sparql = bind(named_query("describe-graph", base), {"graph": iri})
    return Description.of_ntriples(iri, (await run(QueryRequest(sparql, _N_TRIPLES))).body)


class ReleaseMemo:
    """Answers kept for the release being served, dropped when the release changes."""

    def __init__(self) -> None:
        self._release = ""
        self._values: dict[str, object] = {}

    async def get(self, release: str, key: str, load: Callable[[], Awaitable[T]]) -> T:
        """The value ``load`` gives for ``key`` in ``release``, loaded at most once per release.

        Two requests arriving together may both load it; both get a correct answer.
        """
        if release != self._release:
            self._release, self._values = release, {}
        if key not in self._values:
            value = await load()
            if release == self._release:
                self._values[key] = value
            return value
        return cast(T, self._values[key])
