"""The one HTTP client of ``link`` and ``push``, which trusts no answer (issue 11, item 11).

Every request through :class:`RemoteClient` is bounded by its :class:`Limits`:

* **a total deadline**: connecting, sending, the head and the whole body, redirects included,
  within ``timeout`` seconds. httpx's own timeouts count per read, so an answer trickling a
  byte every 2 s would never end them; here the request runs on an event loop and
  ``anyio.fail_after`` cancels it wherever it is when the time is up;
* **a cap on the answer**: at most ``max_answer_bytes`` bytes, counted as they arrive (decoded,
  so a gzip answer counts as it unpacks; one chunk of 64 KiB may unpack beyond the cap before it
  is refused); a ``Content-Length`` above the cap is refused before the body is read. The body
  of an error answer (4xx, 5xx) and of an authentication challenge is read up to
  :data:`ERROR_BODY_BYTES` only, and cut there: its first line is all a message shows;
* **redirects only to the same origin** (scheme, host, port), at most ``max_redirects``; httpx
  builds each next request (the method and body as RFC 9110 says). A redirect elsewhere is
  refused without a connection to the other place.

A network error or the deadline raises :class:`~aqb_rdf.remote.policy.Retryable`, which the
retry loop of :mod:`aqb_rdf.remote.policy` retries; a broken limit raises :class:`Refused`,
which no retry can mend. Each caller turns both into its one-line error naming the endpoint.

Why asynchronous: push calls from several threads, and a blocked synchronous read cannot be
stopped from outside. httpx's ``AsyncClient`` runs on an event loop in a thread of its own
(anyio's blocking portal); the synchronous :meth:`RemoteClient.request` hands each request to
it, and all threads share one connection pool. Authentication (``httpx.Auth``: Basic, Digest, a
token) is driven here rather than by httpx, whose auth loop reads a challenge's whole body.
Proxies come from the environment, as httpx reads them.
"""

from __future__ import annotations

import contextlib
import functools
import http
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import anyio
import anyio.from_thread
import httpx

from aqb_rdf.errors import Signal
from aqb_rdf.remote.policy import Retryable

__all__ = ["ERROR_BODY_BYTES", "MIB", "Answer", "Limits", "Refused", "RemoteClient"]

MIB: Final = 1024 * 1024
ERROR_BODY_BYTES: Final = 64 * 1024
"""The bytes read of an error answer's body (4xx, 5xx); the rest is not read."""
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Limits:
    """The bounds of every request to a remote endpoint."""

    timeout: float = 30.0
    """Seconds a request may take in all: connecting, sending, the whole answer, redirects."""
    max_answer_bytes: int = 16 * MIB
    """Bytes an answer may have; a larger one is refused."""
    max_redirects: int = 5
    """Redirects followed (within the origin) before the request is refused."""


@dataclass(frozen=True)
class Answer:
    """A complete answer: its status, head and body (at most the cap)."""

    status: int
    reason: str
    headers: Mapping[str, str]
    """Case-insensitive (httpx's ``Headers``)."""
    content: bytes
    url: str
    """Where the answer came from, after redirects."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def media_type(self) -> str:
        """The ``Content-Type`` without parameters, in lower case; empty if none."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


class Refused(Signal):
    """The answer broke a limit (too large, a redirect elsewhere, too many redirects); another
    attempt would not mend it. The message says which limit, and its value."""


def size(n: int) -> str:
    """``16 MiB`` (a whole number of MiB) or ``1,000 bytes``: a byte count in a message."""
    return f"{n // MIB} MiB" if n >= MIB and n % MIB == 0 else f"{n:,} bytes"


def origin(url: httpx.URL) -> str:
    """``scheme://host:port``, the port made explicit (RFC 6454)."""
    port = url.port or _DEFAULT_PORTS.get(url.scheme, 0)
    return f"{url.scheme}://{url.host}:{port}"


class RemoteClient:
    """httpx with :class:`Limits` on every request; a context manager (closes its loop).

    Args:
        limits: the bounds of each request.
        user_agent: sent with every request.
        auth: credentials, applied as the store's challenge asks (``httpx.Auth``).
    """

    def __init__(self, limits: Limits, *, user_agent: str, auth: httpx.Auth | None = None) -> None:
        self.limits = limits
        self._auth = auth
        self._stack = contextlib.ExitStack()
        self._portal = self._stack.enter_context(anyio.from_thread.start_blocking_portal())
        self._client = self._portal.call(self._open, user_agent)

    @staticmethod
    async def _open(user_agent: str) -> httpx.AsyncClient:
        # No httpx timeouts: the deadline covers the whole request (see the module's doc).
        return httpx.AsyncClient(
            headers={"User-Agent": user_agent}, timeout=None, follow_redirects=False
        )

    def close(self) -> None:
        try:
            self._portal.call(self._client.aclose)
        finally:
            self._stack.close()

    def __enter__(self) -> RemoteClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        data: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """Send one request within the limits and return the whole answer, whatever its status.

        Raises:
            Retryable: a network error, or no complete answer within ``limits.timeout``.
            Refused: the answer is larger than ``limits.max_answer_bytes``, redirects to
                another origin, or redirects more than ``limits.max_redirects`` times.
        """
        request = self._client.build_request(
            method, url, content=content, data=data, params=params, headers=headers
        )
        return self._portal.call(functools.partial(self._exchange, request))

    async def _exchange(self, request: httpx.Request) -> Answer:
        timeout = self.limits.timeout
        headed = False  # the first answer's head has arrived
        try:
            with anyio.fail_after(timeout):
                start = origin(request.url)
                for _ in range(self.limits.max_redirects + 1):
                    response = await self._send(request)
                    headed = True
                    try:
                        target = response.next_request
                        if target is None:
                            return await self._answer(response)
                    finally:
                        await response.aclose()
                    if origin(target.url) != start:
                        raise Refused(
                            f"redirected to {target.url}, another origin; only redirects "
                            f"within {start} are followed"
                        )
                    request = target
                raise Refused(f"more than {self.limits.max_redirects} redirects")
        except TimeoutError:
            if headed:
                raise Retryable(f"the answer was not complete within {timeout:g} s") from None
            raise Retryable(f"no answer within {timeout:g} s") from None
        except httpx.HTTPError as error:
            raise Retryable(_network_problem(error)) from None

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """The answer's head (the body unread), after the challenges of ``auth`` if any."""
        if self._auth is None:
            return await self._client.send(request, stream=True)
        flow = self._auth.async_auth_flow(request)
        request = await flow.__anext__()
        while True:
            response = await self._client.send(request, stream=True)
            try:
                request = await flow.asend(response)
            except StopAsyncIteration:
                return response
            await _read(response, ERROR_BODY_BYTES, cut=True)  # a challenge's body, bounded
            await response.aclose()

    async def _answer(self, response: httpx.Response) -> Answer:
        success = response.is_success
        cap = self.limits.max_answer_bytes if success else ERROR_BODY_BYTES
        announced = response.headers.get("content-length", "")
        if success and announced.isdigit() and int(announced) > cap:
            raise Refused(f"the answer would have {size(int(announced))}, more than the "
                          f"{size(cap)} allowed (--max-answer-bytes)")  # fmt: skip
        body = await _read(response, cap, cut=not success)
        if body is None:
            raise Refused(f"the answer is larger than the {size(cap)} allowed "
                          "(--max-answer-bytes); the rest was not read")  # fmt: skip
        reason = response.reason_phrase or _reason(response.status_code)
        return Answer(response.status_code, reason, response.headers, body, str(response.url))


async def _read(response: httpx.Response, cap: int, *, cut: bool) -> bytes | None:
    """The body, or None once it passes ``cap`` bytes (its first ``cap`` bytes when ``cut``)."""
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > cap:
            return bytes(body[:cap]) if cut else None
    return bytes(body)


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _network_problem(error: httpx.HTTPError) -> str:
    text = str(error)
    if isinstance(error, httpx.ConnectError) and _caused_by(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, httpx.RemoteProtocolError) and "without sending" in text:
        return "the connection was closed without an answer"
    return f"network error: {text or type(error).__name__}"


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is in the chain of causes of ``error`` (anyio wraps the refusal)."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
