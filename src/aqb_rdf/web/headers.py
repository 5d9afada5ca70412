"""The headers answers share: CORS, caching, validators and conditional requests (pure).

* CORS (`Fetch <https://fetch.spec.whatwg.org/#http-responses>`_): every answer is open to
  every origin, and a script may read the headers that say more than the body:
  :data:`EXPOSED` (the CORS-safelisted ones, ``Cache-Control``, ``Content-Language``,
  ``Content-Type``, ``Last-Modified`` …, it reads anyway).
* Caching: what succeeds is kept ``serve.cache_seconds`` (:func:`cacheable`); an error never
  (:data:`NOT_STORED`): a 404 can turn into an answer with the next release, a 503 at once.
* Validators (`RFC 9110 §13 <https://www.rfc-editor.org/rfc/rfc9110#section-13>`_):
  :func:`not_modified` decides a 304 from ``If-None-Match`` (which wins) or
  ``If-Modified-Since``; :func:`page_etag` names one page of one release.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from email.utils import formatdate, parsedate_to_datetime
from typing import Final

EXPOSED: Final = "ETag, Link, Retry-After, Content-Disposition, Location"
"""The headers a script on another origin may read beyond the safelisted ones."""

NOT_STORED: Final[Mapping[str, str]] = {"Cache-Control": "no-store"}
"""The caching of an error: none."""


def cors() -> dict[str, str]:
    """The CORS headers of every answer."""
    return {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": EXPOSED}


def cacheable(seconds: int) -> dict[str, str]:
    """The headers of a successful answer: CORS, kept ``seconds`` by any cache."""
    return {**cors(), "Cache-Control": f"public, max-age={seconds}"}


def http_date(timestamp: float) -> str:
    """``timestamp`` (seconds since the epoch) as an HTTP date (``Last-Modified``)."""
    return formatdate(timestamp, usegmt=True)


def _tags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def not_modified(
    request_headers: Mapping[str, str], etag: str, last_modified: float | None = None
) -> bool:
    """Whether a GET or HEAD with these headers is answered 304 (RFC 9110 §13.2.2).

    ``If-None-Match`` decides when present (weak comparison, ``*`` matches); otherwise
    ``If-Modified-Since``, when the answer has a ``last_modified`` time (seconds since the
    epoch) no later than it. A malformed date is ignored, as the RFC asks.
    """
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return "*" in tags or etag.removeprefix("W/") in tags
    since = request_headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        date = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if date.tzinfo is None:
        return False
    return int(last_modified) <= date.timestamp()


def page_etag(release: str, lang: str, query: str, accept: str | None) -> str:
    """The ETag of a page of ``release``: its language, its query string and the ``Accept``
    it was negotiated with (the path is the URL's own)."""
    digest = hashlib.sha256(f"{query}\n{accept or ''}".encode("utf-8", "surrogatepass"))
    return f'"{release}-{lang}-{digest.hexdigest()[:16]}"'
