"""Errors → HTTP answers: one table of statuses and messages for every handler.

:data:`RULES` maps each error class of :mod:`aqb_rdf.errors` to its status (the nearest class
in the error's MRO decides); :func:`answer_for` turns an error into an :class:`ErrorAnswer`
(status, message, headers such as ``Retry-After``); :func:`error_response` sends one in the
form the client asks for (:func:`error_format`): an HTML page in the page's language for a
browser, ``application/problem+json`` (`RFC 9457 <https://www.rfc-editor.org/rfc/rfc9457>`_:
``type``, ``title``, ``status``, ``detail``) for ``Accept: application/json`` or
``?format=json``, one line of plain text otherwise (:func:`plain_response`). No error is
cached (``Cache-Control: no-store``). The SPARQL endpoint, the landing page, the Linked-Data
answers, the lists, the named-query pages and unknown paths all answer errors through it.

================================  ======  ==========================================
error                             status  message
================================  ======  ==========================================
ProtocolError, PageError          own     the error's (``Allow`` for 405)
QueryRefused, QueryError          400     the error's
ViewError                         400     the error's, in the page's language on a page
QuerySyntaxError                  400     ``malformed query: line L, column C: …`` (readable)
QueryFailed                       400     ``query failed: …``
NotAcceptable, UnsupportedFormat  406     the error's (a ``?format=`` no offer has: 400)
ResultTooLarge                    422     the error's (the limit; ask for less)
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

import json
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Final, Protocol

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

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
from aqb_rdf.sparql import syntax_errors
from aqb_rdf.web import headers as common
from aqb_rdf.web.negotiation import HTML, NotAcceptable, Offer, choose, find_format

__all__ = [
    "RULES",
    "ErrorAnswer",
    "ErrorPage",
    "Rule",
    "answer_for",
    "error_format",
    "error_response",
    "plain_response",
]


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
    ResultTooLarge: Rule(422),
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
    elif isinstance(error, NotAcceptable) and error.format_param:
        status = 400  # ?format= names nothing offered: a bad request; 406 is Accept's
    message = str(error.problem)
    if isinstance(error, QuerySyntaxError):
        message = syntax_errors.readable(message)
    if server_query and status < 500 and status != 429:
        return ErrorAnswer(500, message)
    if isinstance(error, TooManyQueries):
        headers["Retry-After"] = str(error.retry_after)
    elif rule.retry:
        headers["Retry-After"] = str(retry_after)
    return ErrorAnswer(status, rule.prefix + message, tuple(headers.items()))


def _headers(answer: ErrorAnswer, extra: Mapping[str, str]) -> dict[str, str]:
    return {**common.cors(), **common.NOT_STORED, **answer.header_map(**extra)}


def plain_response(answer: ErrorAnswer, **extra: str) -> PlainTextResponse:
    """``answer`` as one line of plain text, open to every origin (CORS), never cached, with
    ``extra``."""
    return PlainTextResponse(
        answer.message + "\n", status_code=answer.status, headers=_headers(answer, extra)
    )


PROBLEM_JSON: Final = "application/problem+json"
"""RFC 9457's media type of an error described in JSON."""

TEXT = Offer("text/plain", ("text", "txt"))
PROBLEM = Offer(PROBLEM_JSON, ("json", "jsonld", "json-ld"), also_accepts=("application/json",))
ERROR_OFFERS: Final = (TEXT, PROBLEM, HTML)
"""The forms of an error, plain text first: what ``*/*`` and no ``Accept`` get."""

TITLES: Final[Mapping[int, str]] = {404: "not_found", 429: "over_budget", 503: "unavailable"}
"""The key in :mod:`~aqb_rdf.web.render.texts` of an error page's title, by status
(``error`` for any other)."""


def error_format(accept: str | None, format_param: str | None = None) -> Offer:
    """The form of an error answer: a ``format`` parameter naming HTML or JSON chooses that;
    otherwise ``Accept`` chooses of :data:`ERROR_OFFERS` (no ``Accept``: plain text)."""
    if format_param is not None and format_param.strip():
        named = find_format((HTML, PROBLEM), format_param)
        if named is not None:
            return named
    try:
        return choose(ERROR_OFFERS, accept, None, TEXT)
    except NotAcceptable:
        return TEXT


class ErrorPage(Protocol):
    """What draws an error as a page in its language (:class:`~aqb_rdf.web.pages.Page`)."""

    def t(self, key: str, **values: object) -> str: ...

    def error(
        self, status: int, title: str, message: str, headers: Mapping[str, str] | None = None
    ) -> Response: ...


def problem_json(answer: ErrorAnswer) -> bytes:
    """``answer`` as an RFC 9457 problem: ``about:blank``, so the title is the status's."""
    document = {
        "type": "about:blank",
        "title": HTTPStatus(answer.status).phrase,
        "status": answer.status,
        "detail": answer.message,
    }
    return (json.dumps(document, ensure_ascii=False) + "\n").encode("utf-8")


def error_response(
    answer: ErrorAnswer,
    request: Request,
    page: ErrorPage | None = None,
    *,
    title: str | None = None,
    text: str | None = None,
    **extra: str,
) -> Response:
    """``answer`` in the form ``request`` asks for (:func:`error_format`).

    Args:
        page: draws the HTML page; without one a browser gets plain text.
        title: the page's title (default: by :data:`TITLES`).
        text: what the page says, in its language (default: the answer's English line).
        extra: more headers (``Vary`` …).
    """
    chosen = error_format(request.headers.get("accept"), request.query_params.get("format"))
    if chosen is HTML and page is not None:
        heading = title or page.t(TITLES.get(answer.status, "error"))
        response = page.error(answer.status, heading, text or answer.message)
        response.headers.update(_headers(answer, extra))
        return response
    if chosen is PROBLEM:
        return Response(
            problem_json(answer),
            status_code=answer.status,
            media_type=PROBLEM_JSON,
            headers=_headers(answer, extra),
        )
    return plain_response(answer, **extra)
