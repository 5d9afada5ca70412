"""Every exception aqb-rdf defines, and the typed problem a failure reports.

Each error says where (file, line) and what is wrong, on one line: ``str()`` gives
``path:line: problem``, and :attr:`AqbError.problem` the same as a :class:`Problem`. The tree
(a class defined elsewhere names its module; the web answers are in :mod:`aqb_rdf.web.errors`)::

    AqbError
    ├── ReadError            the file cannot be read as a document (empty, binary …)
    ├── ParseError           a fact is missing or malformed (amount "1.45O.700 Euro")
    ├── ResolveError         a name does not resolve (unknown Gebietskörperschaft)
    ├── DuplicateError       two documents for the same region and year
    ├── ValidationError      the graph violates the SHACL shapes
    ├── BuildFailed          the build found problems (one Problem each); nothing was written
    ├── QueryError           a named query is missing, malformed or lacks a parameter
    │   ├── QueryRefused     a query the public endpoint will not run (sparql.guard)
    │   └── ViewError        a list request a collection cannot answer (web.collections)
    ├── QueryPoolError       the query pool could not answer a query
    │   ├── QuerySyntaxError     not valid SPARQL
    │   ├── QueryFailed          the engine failed while evaluating it
    │   ├── UnsupportedFormat    the result format does not fit the query form
    │   ├── ResultTooLarge       the result passed the pool's size limit
    │   ├── QueryTimeout         no answer within the time limit
    │   ├── WorkerCrashed        the worker died while answering
    │   ├── Overloaded           every worker is busy
    │   ├── OutOfMemory          the query or its answer needed more than --memory-limit
    │   └── TooManyQueries       the client has used its share (sparql.budgets; 429)
    ├── ProtocolError        a request the SPARQL endpoint answers with an HTTP error
    ├── NotAcceptable        no offered media type is acceptable (web.negotiation)
    ├── PageError            a ``?page=`` that names no page
    ├── EndpointError        a remote SPARQL endpoint could not answer (``link``)
    ├── PushError            a store refused a push request or could not be reached
    ├── SettingValueError    a setting's value is malformed (cli.options; a click exception)
    └── Signal               internal control flow, caught in its package; never shown
        ├── Unsupported      shapes beyond what shacl_core implements (validation.shacl_core)
        ├── Retryable        an attempt another attempt may mend (remote.policy)
        ├── GaveUp           the attempts are used up, or a wait is too long (remote.policy)
        ├── Refused          an answer beyond the limits of remote.client (size, redirects)
        ├── _Refusal         a refusal found while lexing a query (sparql.guard)
        ├── _CapReached      a query result passed its cap (sparql.execution)
        └── _HeadTooLong     a request head passed its limit (web.http_limits)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem of one input: where it is and what is wrong.

    Args:
        path: the file (or what stands for it, e.g. ``reference data``); empty if none.
        line: the line in the file, from 1; ``None`` (or 0) if the problem has no line.
        message: what is wrong, one line.
    """

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.path and self.line:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class AqbError(Exception):
    """An error with a location; ``str()`` gives the one-line message ``path:line: problem``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    @property
    def problem(self) -> Problem:
        """This error as a typed problem."""
        return Problem(self.path or "", self.line, self.message)

    def __str__(self) -> str:
        return str(self.problem)


class ReadError(AqbError):
    """The file cannot be read as an agreement document."""


class ParseError(AqbError):
    """The document lacks a fact every agreement states, or states it malformed."""


class ResolveError(AqbError):
    """A party named in the document is not in the reference data."""


class DuplicateError(AqbError):
    """Two documents describe the same Gebietskörperschaft and year."""


class ValidationError(AqbError):
    """The graph does not conform to the SHACL shapes."""


class BuildFailed(AqbError):
    """The build found problems; ``problems`` has one each, in the order they were found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was written")
        self.problems = tuple(problems)


class QueryError(AqbError):
    """A named query cannot be found, parsed or run."""


class QueryRefused(QueryError):
    """The query is refused before it runs; ``str()`` says what and why, on one line."""


class ViewError(QueryError):
    """A request a list (``/id/{kind}/``) cannot answer (400), with what a page says about it.

    Args:
        message: one line, in English (CSV, JSON).
        key: the text of :mod:`aqb_rdf.web.render.texts` that says it on a page; ``values``
            fill it.
    """

    def __init__(self, message: str, key: str, **values: str) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


class QueryPoolError(AqbError):
    """The pool could not answer a query; the subclass says why."""


class QuerySyntaxError(QueryPoolError):
    """The query is not valid SPARQL; the message is the parser's, on one line."""


class QueryFailed(QueryPoolError):
    """The engine reported an error while evaluating the query (e.g. an unreachable SERVICE)."""


class UnsupportedFormat(QueryPoolError):
    """The requested result format does not fit the query form.

    Attributes:
        result_kind: what the query returned: ``"solutions"`` (SELECT), ``"boolean"`` (ASK)
            or ``"graph"`` (CONSTRUCT, DESCRIBE); pick a format from
            :data:`aqb_rdf.sparql.pool.SOLUTIONS_FORMATS` for the first two and from
            :data:`aqb_rdf.sparql.pool.GRAPH_FORMATS` for the last.
    """

    def __init__(self, message: str, result_kind: str) -> None:
        super().__init__(message)
        self.result_kind = result_kind


class ResultTooLarge(QueryPoolError):
    """The serialised result passed the pool's ``max_result_bytes``."""


class QueryTimeout(QueryPoolError):
    """The worker did not answer within the time limit; it was killed and replaced."""


class WorkerCrashed(QueryPoolError):
    """The worker died while answering (segfault, abort, out of memory); it was replaced."""


class Overloaded(QueryPoolError):
    """Every worker is busy; the request was refused at once (answer 503 with Retry-After)."""


class OutOfMemory(QueryPoolError):
    """The query, or the making of its answer, needed more memory than a server process may
    use; the process is replaced (a fresh one is safer than one that has just run out)."""


class TooManyQueries(QueryPoolError):
    """The client has as many queries running or waiting as it may, or has used its
    query-seconds (:mod:`aqb_rdf.sparql.budgets`); answer 429 with ``Retry-After``.

    Attributes:
        retry_after: whole seconds after which the client may try again.
    """

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ProtocolError(AqbError):
    """A request the endpoint answers with an HTTP error.

    Attributes:
        status: The HTTP status code (400, 403, 405, 413, 414, 415).
        message: What is wrong, one line, safe to show to the client.
        headers: Response headers the status needs (``Allow`` for 405).
    """

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers: dict[str, str] = dict(headers or {})

    def __str__(self) -> str:
        return f"{self.status}: {self.message}"


class PageError(AqbError):
    """A ``page`` parameter that names no page: malformed (400) or past the last (404).

    Args:
        message: one line, in English.
        last: the last page there is, when the page asked for is past it (404).
    """

    def __init__(self, message: str, last: int | None = None) -> None:
        super().__init__(message)
        self.last = last
        self.status = 400 if last is None else 404


class EndpointError(AqbError):
    """The endpoint could not answer: unreachable, too slow, refusing, or not SPARQL."""


class PushError(AqbError):
    """A store refused a request of ``aqb-rdf push`` or could not be reached (no credentials)."""


class Signal(AqbError):
    """Internal control flow: raised and caught within one package, never shown to a user."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


def first_line(error: BaseException) -> str:
    """The first line of an exception's message (libraries' messages can run to many lines)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def quote_input(value: str, limit: int = 40) -> str:
    """Quote user input for a one-line message: escaped, and shortened if long."""
    shown = value if len(value) <= limit else value[:limit] + "…"
    return repr(shown)
