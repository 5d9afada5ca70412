"""Errors → HTTP answers: one table of statuses and messages for every handler.

:data:`RULES` maps each error class of :mod:`aqb_rdf.errors` to its status (the nearest class
in the error's MRO decides); :func:`answer_for` turns an error into an :class:`ErrorAnswer`
(status, message, headers such as ``Retry-After``); :func:`plain_response` sends one as one
line of plain text. The SPARQL endpoint, the landing page, the Linked-Data answers and the
named-query pages all answer errors through it.

================================  ======  ==========================================
error                             status  message
================================  ======  ==========================================
ProtocolError, PageError          own     the error's (``Allow`` for 405)
QueryRefused, QueryError          400     the error's
ViewError                         400     the error's, in the page's language on a page
QuerySyntaxError                  400     ``malformed query: …``
QueryFailed                       400     ``query failed: …``
NotAcceptable, UnsupportedFormat  406     the error's
ResultTooLarge                    413     the error's
Overloaded, QueryTimeout          503     the error's, with ``Retry-After``
TooManyQueries                    429     the error's, with its own ``Retry-After``
OutOfMemory                       500     the error's (``--memory-limit``, what to ask)
QueryPoolError, any other         500     the error's
================================  ======  ==========================================

A query the server wrote itself (a page's named query) failing is no fault of the client's:
with ``server_query=True`` every status below 500 becomes 500 and the message is the error's,
but for 429: a client over its budget is told so, whoever wrote the query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from starlette.responses import PlainTextResponse

from aqb_rdf.errors import (
    AqbError,
    OutOfMemory,
    Overloaded,
    PageError,
    ProtocolError,
    QueryError,
    QueryFailed,
    QueryPoolError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    TooManyQueries,
    UnsupportedFormat,
    ViewError,
)
from aqb_rdf.web.negotiation import NotAcceptable

__all__ = ["RULES", "ErrorAnswer", "Rule", "answer_for", "plain_response"]


@dataclass(frozen=True)
class Rule:
    """How one class of errors is answered.

    Args:
        status: the HTTP status; ``None``: the error's own ``status`` attribute.
        prefix: put before the error's message (it says what kind of failure it is).
        retry: whether the client should try again later (``Retry-After``).
    """

    status: int | None
    prefix: str = ""
    retry: bool = False


RULES: Final[Mapping[type[AqbError], Rule]] = {
    ProtocolError: Rule(None),
    PageError: Rule(None),
    QueryRefused: Rule(400),
    QueryError: Rule(400),
    ViewError: Rule(400),
    QuerySyntaxError: Rule(400, "malformed query: "),
    QueryFailed: Rule(400, "query failed: "),
    NotAcceptable: Rule(406),
    UnsupportedFormat: Rule(406),
    ResultTooLarge: Rule(413),
    Overloaded: Rule(503, retry=True),
    QueryTimeout: Rule(503, retry=True),
    TooManyQueries: Rule(429, retry=True),
    OutOfMemory: Rule(500),
    QueryPoolError: Rule(500),
    AqbError: Rule(500),
}
"""Error class → how it is answered; an error takes the rule of the nearest class in its MRO."""


@dataclass(frozen=True)
class ErrorAnswer:
    """The HTTP answer to an error.

    Args:
        status: the HTTP status.
        message: one line, safe to show to the client.
        headers: the headers the status needs (``Retry-After`` for 503, ``Allow`` for 405).
    """

    status: int
    message: str
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def busy(self) -> bool:
        """Whether the server is busy or slow, not failing (503: try again later)."""
        return self.status == 503

    @property
    def over_budget(self) -> bool:
        """Whether the client has used its share for now (429: try again later)."""
        return self.status == 429

    def header_map(self, **extra: str) -> dict[str, str]:
        """The answer's headers, with ``extra`` ones added."""
        return {**dict(self.headers), **extra}


def rule_for(error: AqbError) -> Rule:
    """The rule of the nearest class in ``type(error).__mro__`` that :data:`RULES` has."""
    for cls in type(error).__mro__:
        if cls in RULES:
            return RULES[cls]
    raise AssertionError("unreachable: RULES has AqbError")


def answer_for(error: AqbError, *, retry_after: int, server_query: bool = False) -> ErrorAnswer:
    """The answer to ``error``.

    Args:
        error: what went wrong.
        retry_after: seconds a busy server asks the client to wait (``Retry-After``).
        server_query: the query was the server's own (a page's), not the client's.
    """
    rule = rule_for(error)
    status = 500 if rule.status is None else rule.status
    headers: dict[str, str] = {}
    if isinstance(error, ProtocolError):
        status = error.status
        headers.update(error.headers)
    elif isinstance(error, PageError):
        status = error.status
    message = str(error.problem)
    if server_query and status < 500 and status != 429:
        return ErrorAnswer(500, message)
    if isinstance(error, TooManyQueries):
        headers["Retry-After"] = str(error.retry_after)
    elif rule.retry:
        headers["Retry-After"] = str(retry_after)
    return ErrorAnswer(status, rule.prefix + message, tuple(headers.items()))


def plain_response(answer: ErrorAnswer, **extra: str) -> PlainTextResponse:
    """``answer`` as one line of plain text, open to every origin (CORS), with ``extra``."""
    return PlainTextResponse(
        answer.message + "\n",
        status_code=answer.status,
        headers={"Access-Control-Allow-Origin": "*", **answer.header_map(**extra)},
    )
