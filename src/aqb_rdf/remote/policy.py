"""How aqb-rdf talks to every other store: retries, User-Agent, the URL check.

``aqb-rdf link`` (:mod:`aqb_rdf.remote.sparql`) and ``aqb-rdf push``
(:mod:`aqb_rdf.push.graph_store`) send their requests through :func:`retry`, each request
bounded by :mod:`aqb_rdf.remote.client` (a total deadline, a size cap, same-origin redirects):
an attempt that fails in a way another attempt may mend (a network error, the deadline, HTTP
429, 500, 502, 503 or 504) raises :class:`Retryable`; :func:`retry` waits ``backoff`` seconds,
doubled before each further attempt (at most ``max_backoff``), or the ``Retry-After`` the store
asks for (at most ``max_wait``), and raises :class:`GaveUp` once the attempts are used up; each
client turns that into its one-line error naming the endpoint. Any other exception ends the
attempts at once.

Every request names aqb-rdf in its User-Agent (:func:`user_agent`), as the Wikidata Query
Service asks of every client (https://meta.wikimedia.org/wiki/User-Agent_policy).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Final, TypeVar

from aqb_rdf.errors import AqbError, Signal

__all__ = [
    "RETRIED_STATUSES",
    "GaveUp",
    "RetryPolicy",
    "Retryable",
    "check_http_url",
    "retry",
    "retry_after_seconds",
    "user_agent",
]

RETRIED_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses another attempt may mend."""
T = TypeVar("T")


def user_agent(client: str) -> str:
    """``aqb-rdf/0.1.0 (…) httpx/0.28.1``: who we are, how to reach the project, the client.

    Args:
        client: the distribution name of the HTTP client library (``httpx``).
    """
    return (
        f"aqb-rdf/{version('aqb-rdf')} (linked open data of the Hessian AQB; "
        f"https://aqb-rdf.example/) {client}/{version(client)}"
    )


def check_http_url(url: str, option: str) -> str:
    """``url`` if it is an http(s) URL with a host and without credentials; else AqbError
    naming ``option`` (credentials belong in the environment, never on the command line)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AqbError(f"{option} {url!r} is not an http(s) URL")
    if "@" in parts.netloc:
        raise AqbError(f"{option}: put credentials in the environment, not in the URL")
    return url


@dataclass(frozen=True)
class RetryPolicy:
    """How often to ask again, and how long to wait before (each request's own bounds are
    :class:`aqb_rdf.remote.client.Limits`)."""

    attempts: int = 4
    """Requests in all, the first included."""
    backoff: float = 1.0
    """Seconds before the second attempt; doubled before each further one."""
    max_backoff: float = 60.0
    """The longest wait the doubling reaches."""
    max_wait: float = 60.0
    """The longest ``Retry-After`` honoured."""
    cap_retry_after: bool = False
    """A longer ``Retry-After``: wait ``max_wait`` and try again (True), or give up at once."""

    def backoff_before(self, attempt: int) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (``attempt`` from 1), asked nothing."""
        return min(self.backoff * 2.0 ** (attempt - 1), self.max_backoff)


class Retryable(Signal):
    """An attempt failed in a way another attempt may mend.

    Args:
        problem: what went wrong, one line (``HTTP 503 Service Unavailable``).
        retry_after: the seconds the store asked to wait (``Retry-After``), if it did.
    """

    def __init__(self, problem: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.retry_after = retry_after


class GaveUp(Signal):
    """:func:`retry` stopped trying; the client turns this into its own error.

    Attributes:
        message: the last attempt's problem.
        attempts: the attempts made.
        asked: the ``Retry-After`` beyond ``max_wait`` that ended the attempts, if one did.
    """

    def __init__(self, problem: str, attempts: int, asked: float | None = None) -> None:
        super().__init__(problem)
        self.attempts = attempts
        self.asked = asked


def retry(
    attempt: Callable[[], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[str, float], None] = lambda problem, wait: None,
) -> T:
    """``attempt()``, called again after each :class:`Retryable` as ``policy`` says.

    Args:
        attempt: one request; raises :class:`Retryable` when another may succeed.
        policy: attempts and waits.
        sleep: how to wait (tests pass a recorder).
        on_retry: told the problem and the wait before each further attempt.

    Raises:
        GaveUp: after the last attempt, or when the store asks to wait longer than
            ``policy.max_wait`` and ``policy.cap_retry_after`` is false.
    """
    for number in range(1, policy.attempts + 1):
        try:
            return attempt()
        except Retryable as failure:
            if number == policy.attempts:
                raise GaveUp(failure.message, number) from None
            wait = policy.backoff_before(number)
            asked = failure.retry_after
            if asked is not None:
                if asked > policy.max_wait and not policy.cap_retry_after:
                    raise GaveUp(failure.message, number, asked) from None
                wait = min(asked, policy.max_wait)
            on_retry(failure.message, wait)
            sleep(wait)
    raise AssertionError("unreachable: RetryPolicy.attempts must be at least 1")


def retry_after_seconds(value: str | None) -> float | None:
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
