"""SELECT queries against a remote SPARQL endpoint, with bounded retries (the HTTP edge).

Used by ``aqb-rdf link`` (see :mod:`aqb_rdf.link.reconcile`). Requests go through SPARQLWrapper with a
User-Agent that names aqb-rdf, as the Wikidata Query Service asks of every client
(https://meta.wikimedia.org/wiki/User-Agent_policy). Connection failures, timeouts, HTTP 429,
500, 502, 503 and 504 are retried with exponential backoff; a ``Retry-After`` header is honoured
up to ``RetryPolicy.max_wait``. Every failure ends as one :class:`EndpointError` whose message
names the endpoint and the problem.

SPARQL 1.1 Protocol: https://www.w3.org/TR/sparql11-protocol/
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import time
import urllib.error
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from SPARQLWrapper import GET, JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from aqb_rdf.errors import AqbError, EndpointError, Signal, first_line

RETRIED_STATUSES = {429, 500, 502, 503, 504}

Binding = dict[str, str]
"""One solution: variable name → the value's lexical form or IRI (unbound variables absent)."""


def default_user_agent() -> str:
    """``aqb-rdf/0.1.0 (…) SPARQLWrapper/2.0.0``: who we are and how to reach the project."""
    return (
        f"aqb-rdf/{version('aqb-rdf')} (linked open data of the Hessian AQB; "
        f"https://aqb-rdf.example/) SPARQLWrapper/{version('SPARQLWrapper')}"
    )


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for an answer and how often to ask again."""

    attempts: int = 4
    """Requests in all, the first included."""
    timeout: float = 30.0
    """Seconds to wait for a connection and for each read."""
    backoff: float = 1.0
    """Seconds before the second attempt; doubled before each further one."""
    max_wait: float = 60.0
    """The longest single wait; a longer ``Retry-After`` ends the attempts at once."""


class _Retryable(Signal):
    def __init__(self, problem: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.reason = problem
        self.retry_after = retry_after


def check_http_url(url: str, option: str) -> str:
    """``url`` if it is an http(s) URL with a host and without credentials; else AqbError
    naming ``option`` (credentials belong in the environment, never on the command line)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AqbError(f"{option} {url!r} is not an http(s) URL")
    if "@" in parts.netloc:
        raise AqbError(f"{option}: put credentials in the environment, not in the URL")
    return url


def select(
    endpoint: str,
    query: str,
    *,
    user_agent: str,
    policy: RetryPolicy = RetryPolicy(),
    on_retry: Callable[[str], None] = lambda message: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Binding]:
    """Run a SELECT ``query`` at ``endpoint`` and return its solutions.

    Raises:
        EndpointError: after the last attempt, or at once for answers a retry cannot change
            (400 bad query, 401, 404, 414, a body that is not SPARQL JSON results).
    """
    for attempt in range(1, policy.attempts + 1):
        try:
            return _select_once(endpoint, query, user_agent, policy.timeout)
        except _Retryable as failure:
            tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
            if attempt == policy.attempts:
                raise EndpointError(f"{failure.reason} ({tries}); try again later", endpoint)
            wait = policy.backoff * 2 ** (attempt - 1)
            if failure.retry_after is not None:
                if failure.retry_after > policy.max_wait:
                    raise EndpointError(
                        f"{failure.reason}; it asks to wait {failure.retry_after:.0f} s "
                        f"(Retry-After), longer than the {policy.max_wait:.0f} s allowed; "
                        "try again later",
                        endpoint,
                    ) from None
                wait = failure.retry_after
            wait = min(wait, policy.max_wait)
            on_retry(f"{endpoint}: {failure.reason}; retrying in {wait:.1f} s")
            sleep(wait)
    raise AssertionError("unreachable: RetryPolicy.attempts must be at least 1")


def _select_once(endpoint: str, query: str, user_agent: str, timeout: float) -> list[Binding]:
    wrapper = SPARQLWrapper(endpoint, agent=user_agent)
    wrapper.setMethod(GET)
    wrapper.setReturnFormat(JSON)
    # setTimeout() truncates to whole seconds (0.3 → 0, no timeout at all); urlopen takes floats.
    wrapper.timeout = timeout  # type: ignore[assignment]
    wrapper.setQuery(query)
    try:
        # Read and parse the body here: SPARQLWrapper's convert() only warns about a body
        # that is not JSON, and a read can time out as well as the request.
        with wrapper.query().response as response:
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            body = response.read()
        if "json" not in media_type:
            raise EndpointError(
                f"the answer is {media_type or 'untyped'}, not SPARQL JSON results", endpoint
            )
        document = json.loads(body)
    except urllib.error.HTTPError as error:
        error.close()  # its body stays unread; the socket must not outlive the attempt
        reason = f"HTTP {error.code} {error.reason}".strip()
        if error.code in RETRIED_STATUSES:
            raise _Retryable(reason, _retry_after(error.headers.get("Retry-After"))) from None
        raise EndpointError(reason, endpoint) from None
    except EndPointInternalError:
        raise _Retryable("HTTP 500 internal server error") from None
    except QueryBadFormed as error:
        raise EndpointError(
            f"the endpoint rejected the query: {_detail(error)}", endpoint
        ) from None
    except (EndPointNotFound, Unauthorized, URITooLong) as error:
        raise EndpointError(_detail(error), endpoint) from None
    except SPARQLWrapperException as error:
        raise EndpointError(_detail(error), endpoint) from None
    except urllib.error.URLError as error:
        raise _Retryable(_network_problem(error.reason, timeout)) from None
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        raise _Retryable(_network_problem(error, timeout)) from None
    except ValueError as error:  # json.JSONDecodeError and friends: not SPARQL JSON
        raise EndpointError(
            f"the answer is not SPARQL JSON ({first_line(error)})", endpoint
        ) from None
    return _bindings(document, endpoint)


def _bindings(document: Any, endpoint: str) -> list[Binding]:
    try:
        rows = document["results"]["bindings"]
        return [{name: str(value["value"]) for name, value in row.items()} for row in rows]
    except (TypeError, KeyError, AttributeError):
        shown = json.dumps(document)[:80]
        raise EndpointError(f"the answer is not SPARQL JSON results: {shown}", endpoint) from None


def _network_problem(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the connection was closed without an answer"
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return f"network error: {text}"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delay-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _detail(error: SPARQLWrapperException) -> str:
    # SPARQLWrapper puts the response body after a fixed prefix; keep its first line only.
    return first_line(error).replace("\\n", " ")[:200]
