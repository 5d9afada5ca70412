"""SELECT queries against a remote SPARQL endpoint, with bounded retries (the HTTP edge).

Used by ``aqb-rdf link`` (see :mod:`aqb_rdf.link.reconcile`). Each query is one ``GET`` (SPARQL
1.1 Protocol, https://www.w3.org/TR/sparql11-protocol/) through
:class:`~aqb_rdf.remote.client.RemoteClient`: a total deadline, a cap on the answer's size,
redirects only within the endpoint's origin. Network errors, the deadline, HTTP 429, 500, 502,
503 and 504 are retried as :mod:`aqb_rdf.remote.policy` says (a ``Retry-After`` is honoured up
to ``RetryPolicy.max_wait``, and a longer one ends the attempts). Every failure ends as one
:class:`~aqb_rdf.errors.EndpointError` whose message names the endpoint and the problem.

SPARQLWrapper, which sent these queries before, is not used: it reads answers with urllib,
whose timeout counts per read and whose redirects go anywhere, and it reads a whole body
however large; nothing in its API bounds the time or the size of an answer. The tests still
use it as an independent client of our own endpoint.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from aqb_rdf.errors import EndpointError, first_line
from aqb_rdf.remote.client import Answer, Limits, Refused, RemoteClient
from aqb_rdf.remote.policy import (
    RETRIED_STATUSES,
    GaveUp,
    Retryable,
    RetryPolicy,
    retry,
    retry_after_seconds,
)
from aqb_rdf.remote.policy import user_agent as client_user_agent

__all__ = ["Binding", "Limits", "RetryPolicy", "default_user_agent", "select"]

ACCEPT = "application/sparql-results+json, application/json;q=0.9"

Binding = dict[str, str]
"""One solution: variable name → the value's lexical form or IRI (unbound variables absent)."""


def default_user_agent() -> str:
    """``aqb-rdf/0.1.0 (…) httpx/0.28.1``: who we are and how to reach the project."""
    return client_user_agent("httpx")


def select(
    endpoint: str,
    query: str,
    *,
    user_agent: str,
    policy: RetryPolicy = RetryPolicy(),
    limits: Limits = Limits(),
    on_retry: Callable[[str], None] = lambda message: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Binding]:
    """Run a SELECT ``query`` at ``endpoint`` and return its solutions.

    Raises:
        EndpointError: after the last attempt, or at once for answers a retry cannot change
            (400 bad query, 401, 404, 414, a body that is not SPARQL JSON results, an answer
            beyond ``limits``).
    """
    with RemoteClient(limits, user_agent=user_agent) as client:
        try:
            return retry(
                lambda: _select_once(client, endpoint, query),
                policy,
                sleep=sleep,
                on_retry=lambda problem, wait: on_retry(
                    f"{endpoint}: {problem}; retrying in {wait:.1f} s"
                ),
            )
        except Refused as refused:
            raise EndpointError(refused.message, endpoint) from None
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


def _select_once(client: RemoteClient, endpoint: str, query: str) -> list[Binding]:
    answer = client.request("GET", endpoint, params={"query": query}, headers={"Accept": ACCEPT})
    if not answer.ok:
        reason = f"HTTP {answer.status} {answer.reason}".strip()
        if answer.status in RETRIED_STATUSES:
            raise Retryable(reason, retry_after_seconds(answer.headers.get("retry-after")))
        if answer.status == 400:
            raise EndpointError(f"the endpoint rejected the query: {_detail(answer)}", endpoint)
        raise EndpointError(reason, endpoint)
    if "json" not in answer.media_type:
        raise EndpointError(
            f"the answer is {answer.media_type or 'untyped'}, not SPARQL JSON results", endpoint
        )
    try:
        document = json.loads(answer.content)
    except ValueError as error:  # json.JSONDecodeError, UnicodeDecodeError: not SPARQL JSON
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


def _detail(answer: Answer) -> str:
    """The first non-empty line of the endpoint's message, at most 200 characters."""
    lines = (" ".join(line.split()) for line in answer.text.splitlines())
    return next((line for line in lines if line), f"HTTP {answer.status}")[:200]
