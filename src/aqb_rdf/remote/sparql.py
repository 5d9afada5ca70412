"""SELECT queries against a remote SPARQL endpoint, with bounded retries (the HTTP edge).

Used by ``aqb-rdf link`` (see :mod:`aqb_rdf.link.reconcile`). Requests go through SPARQLWrapper
with the User-Agent, retries and timeout of :mod:`aqb_rdf.remote.policy`: connection failures,
timeouts, HTTP 429, 500, 502, 503 and 504 are retried with exponential backoff; a
``Retry-After`` header is honoured up to ``RetryPolicy.max_wait``, and a longer one ends the
attempts. Every failure ends as one :class:`~aqb_rdf.errors.EndpointError` whose message names
the endpoint and the problem.

SPARQL 1.1 Protocol: https://www.w3.org/TR/sparql11-protocol/
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
from collections.abc import Callable
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

from aqb_rdf.errors import EndpointError, first_line
from aqb_rdf.remote.policy import (
    RETRIED_STATUSES,
    GaveUp,
    Retryable,
    RetryPolicy,
    retry,
    retry_after_seconds,
)
from aqb_rdf.remote.policy import user_agent as client_user_agent

__all__ = ["Binding", "RetryPolicy", "default_user_agent", "select"]


Binding = dict[str, str]
"""One solution: variable name → the value's lexical form or IRI (unbound variables absent)."""


def default_user_agent() -> str:
    """``aqb-rdf/0.1.0 (…) SPARQLWrapper/2.0.0``: who we are and how to reach the project."""
    return client_user_agent("SPARQLWrapper")


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
    try:
        return retry(
            lambda: _select_once(endpoint, query, user_agent, policy.timeout),
            policy,
            sleep=sleep,
            on_retry=lambda problem, wait: on_retry(
                f"{endpoint}: {problem}; retrying in {wait:.1f} s"
            ),
        )
    except GaveUp as gave_up:
        if gave_up.asked is not None:
            message = (
                f"{gave_up.message}; it asks to wait {gave_up.asked:.0f} s (Retry-After), "
                f"longer than the {policy.max_wait:.0f} s allowed; try again later"
            )
        else:
            tries = f"{gave_up.attempts} attempt{'s' if gave_up.attempts > 1 else ''}"
            message = f"{gave_up.message} ({tries}); try again later"
        raise EndpointError(message, endpoint) from None


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
            raise Retryable(reason, retry_after_seconds(error.headers.get("Retry-After"))) from None
        raise EndpointError(reason, endpoint) from None
    except EndPointInternalError:
        raise Retryable("HTTP 500 internal server error") from None
    except QueryBadFormed as error:
        raise EndpointError(
            f"the endpoint rejected the query: {_detail(error)}", endpoint
        ) from None
    except (EndPointNotFound, Unauthorized, URITooLong) as error:
        raise EndpointError(_detail(error), endpoint) from None
    except SPARQLWrapperException as error:
        raise EndpointError(_detail(error), endpoint) from None
    except urllib.error.URLError as error:
        raise Retryable(_network_problem(error.reason, timeout)) from None
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        raise Retryable(_network_problem(error, timeout)) from None
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


def _detail(error: SPARQLWrapperException) -> str:
    # SPARQLWrapper puts the response body after a fixed prefix; keep its first line only.
    return first_line(error).replace("\\n", " ")[:200]
