"""A SPARQL 1.1 store over HTTP, as :mod:`aqb_rdf.push.sync` needs it (the I/O edge).

Reads go to the SPARQL query endpoint (`SPARQL 1.1 Protocol
<https://www.w3.org/TR/sparql11-protocol/>`_). A graph is written in one request, either

* with the `Graph Store Protocol <https://www.w3.org/TR/sparql11-http-rdf-update/>`_:
  ``PUT {graph_store}?graph=IRI`` with the triples as Turtle (N-Triples lines), which replaces
  the graph; or
* with `SPARQL 1.1 Update <https://www.w3.org/TR/sparql11-update/>`_: one request
  ``DROP SILENT GRAPH <IRI> ; INSERT DATA { GRAPH <IRI> { … } }`` (``INSERT … WHERE {}`` when
  the graph has blank nodes, which Virtuoso refuses in ``INSERT DATA``).

Both are idempotent, so a request that failed is simply sent again, by the retry loop of
:mod:`aqb_rdf.remote.policy`: up to ``retries`` times after a network error, the deadline, a
5xx or a 429, waiting ``backoff`` seconds doubled each time (at most 30 s, or the
``Retry-After`` the store asks for, up to 60 s). Other answers fail at once. Requests carry that
module's User-Agent and go through :class:`~aqb_rdf.remote.client.RemoteClient`, so each has a
total deadline (``timeout``), a cap on the answer (``max_answer_bytes``) and follows redirects
only within its endpoint's origin; an answer beyond them ends the push at once.

Credentials come from the caller (the CLI reads ``AQB_PUSH_USER`` and ``AQB_PUSH_PASSWORD``, or
``AQB_PUSH_TOKEN``). A user and password go with the scheme the store asks for in its
``WWW-Authenticate`` challenge (Basic or Digest); a token goes as ``Authorization: Bearer`` with
every request. They never appear in a URL, a message or a ``repr``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import httpx
from pyoxigraph import Literal, RdfFormat, Triple, parse, serialize

from aqb_rdf.errors import AqbError, PushError
from aqb_rdf.push.sync import LocalGraph
from aqb_rdf.rdf import formats, sparql_terms
from aqb_rdf.rdf.namespaces import XSD
from aqb_rdf.remote.client import MIB, Answer, Limits, Refused, RemoteClient
from aqb_rdf.remote.policy import (
    RETRIED_STATUSES,
    GaveUp,
    Retryable,
    RetryPolicy,
    check_http_url,
    retry,
    retry_after_seconds,
    user_agent,
)

MAX_BACKOFF = 30.0
"""The longest wait the doubling reaches, in seconds."""
MAX_RETRY_AFTER = 60.0
"""The longest ``Retry-After`` honoured; a store asking more is asked again after this."""
N_TRIPLES = formats.N_TRIPLES.media_type
SPARQL_UPDATE = formats.SPARQL_UPDATE.content_type
MAX_ANSWER_BYTES = 64 * MIB
"""The default cap on an answer: a list of graphs, or one graph as N-Triples."""
GRAPHS_PAGE = 1000
"""Graphs listed per query; below every store's cap on result rows."""
CONSTRUCT_ACCEPT = (
    f"{formats.N_TRIPLES.media_type}, {formats.TURTLE.media_type};q=0.9,"
    f" {formats.RDF_XML.media_type};q=0.5"
)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Credentials:
    """A user name and password, or a token; secrets never show in a ``repr``."""

    user: str = ""
    password: str = field(default="", repr=False)
    token: str = field(default="", repr=False)
    """Sent as ``Authorization: Bearer …`` with every request (QLever's access token)."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Credentials | None:
        """``AQB_PUSH_USER`` and ``AQB_PUSH_PASSWORD``, or ``AQB_PUSH_TOKEN``, or None."""
        return cls.from_values(
            environ.get("AQB_PUSH_USER"), environ.get("AQB_PUSH_PASSWORD"),
            environ.get("AQB_PUSH_TOKEN"),
        )  # fmt: skip

    @classmethod
    def from_values(
        cls, user: str | None, password: str | None, token: str | None
    ) -> Credentials | None:
        """A user and password, or a token (the values of ``AQB_PUSH_USER``,
        ``AQB_PUSH_PASSWORD`` and ``AQB_PUSH_TOKEN``; None where unset), or None."""
        if token is not None and (user is not None or password is not None):
            raise AqbError("set AQB_PUSH_TOKEN or AQB_PUSH_USER and AQB_PUSH_PASSWORD, not both")
        if token is not None:
            return cls(token=token)
        if user is None and password is None:
            return None
        if not user or password is None:
            raise AqbError("set both AQB_PUSH_USER and AQB_PUSH_PASSWORD, or neither")
        return cls(user, password)


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>`` on every request."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def __repr__(self) -> str:
        return "BearerAuth()"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class ChallengeAuth(httpx.Auth):
    """Basic or Digest, whichever the store's first ``401`` challenge asks for; then kept."""

    def __init__(self, credentials: Credentials) -> None:
        self._basic = httpx.BasicAuth(credentials.user, credentials.password)
        self._digest = httpx.DigestAuth(credentials.user, credentials.password)
        self._scheme: str | None = None

    def __repr__(self) -> str:
        return f"ChallengeAuth(scheme={self._scheme!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        challenges = response.headers.get_list("www-authenticate")
        offered = {challenge.split(None, 1)[0].lower() for challenge in challenges if challenge}
        scheme = "digest" if "digest" in offered else "basic" if "basic" in offered else ""
        if response.status_code != 401 or not scheme:
            return
        self._scheme = scheme
        if scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        next(flow)  # the unauthenticated request, which we have sent already
        try:
            response = yield flow.send(response)
            flow.send(response)
        except StopIteration:
            pass


def _auth(credentials: Credentials | None) -> httpx.Auth | None:
    if credentials is None:
        return None
    return BearerAuth(credentials.token) if credentials.token else ChallengeAuth(credentials)


def _reason(answer: Answer) -> str:
    """``401 Unauthorized: <the store's message, first line, no markup>``."""
    text = _TAGS.sub(" ", answer.text[:4000])
    lines = [" ".join(line.split()) for line in text.splitlines()]
    message = next((line for line in lines if line and line != answer.reason), "")
    head = f"{answer.status} {answer.reason}".strip()
    return f"{head}: {message[:200]}" if message else head


class HttpStore:
    """A store reached over HTTP; implements :class:`aqb_rdf.push.sync.RemoteStore`.

    Args:
        endpoint: the SPARQL query endpoint (reads, and updates unless ``update`` is given).
        graph_store: the Graph Store Protocol endpoint; graphs are written with ``PUT`` when
            given, with SPARQL Update otherwise.
        update: the SPARQL Update endpoint, when it is not ``endpoint`` (Oxigraph: ``/update``).
        credentials: sent when the store asks for them.
        retries: how often a failed idempotent request is sent again.
        backoff: the first wait before a retry, in seconds.
        timeout: seconds a request may take in all (connecting, sending, the whole answer).
        max_answer_bytes: bytes an answer may have; a larger one ends the push.
        sleep: how to wait (tests pass a recorder).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        graph_store: str | None = None,
        update: str | None = None,
        credentials: Credentials | None = None,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 60.0,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = check_http_url(endpoint, "--endpoint")
        self.graph_store = graph_store and check_http_url(graph_store, "--graph-store")
        self.update = check_http_url(update, "--update") if update else self.endpoint
        self.policy = RetryPolicy(
            attempts=retries + 1,
            backoff=backoff,
            max_backoff=MAX_BACKOFF,
            max_wait=MAX_RETRY_AFTER,
            cap_retry_after=True,
        )
        self.sleep = sleep
        self.limits = Limits(timeout=timeout, max_answer_bytes=max_answer_bytes)
        self._client = RemoteClient(
            self.limits, user_agent=user_agent("httpx"), auth=_auth(credentials)
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- reads ------------------------------------------------------------------------------

    def graph_sizes(self, namespace: str) -> dict[str, int]:
        # In pages: stores cap result rows (Virtuoso's ResultSetMaxRows, 10,000 by default).
        sizes: dict[str, int] = {}
        while True:
            query = (
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(STRSTARTS(STR(?g), {sparql_terms.string(namespace)})) }} GROUP BY ?g "
                f"ORDER BY ?g LIMIT {GRAPHS_PAGE} OFFSET {len(sizes)}"
            )
            response = self._send("POST", self.endpoint, "list the graphs", data={"query": query},
                                  headers={"Accept": formats.RESULTS_JSON.media_type})  # fmt: skip
            try:
                rows = json.loads(response.content)["results"]["bindings"]
                sizes.update((row["g"]["value"], int(row["n"]["value"])) for row in rows)
            except (ValueError, KeyError, TypeError) as error:
                raise PushError(f"{self.endpoint}: list the graphs: not SPARQL JSON results "
                                f"({type(error).__name__})") from None  # fmt: skip
            if len(rows) < GRAPHS_PAGE:
                return sizes

    def graph_triples(self, iri: str) -> list[Triple]:
        what = f"read graph <{iri}>"
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_graph(iri, what)} {{ ?s ?p ?o }} }}"
        response = self._send("POST", self.endpoint, what, data={"query": query},
                              headers={"Accept": CONSTRUCT_ACCEPT})  # fmt: skip
        media_type = response.media_type or N_TRIPLES
        if media_type == "text/plain":
            media_type = N_TRIPLES
        rdf_format = RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise PushError(f"{self.endpoint}: {what}: unexpected content type {media_type}")
        try:
            return [quad.triple for quad in parse(response.content, format=rdf_format)]
        except SyntaxError as error:
            raise PushError(f"{self.endpoint}: {what}: unreadable answer ({error})") from None

    # -- writes -----------------------------------------------------------------------------

    def replace_graph(self, graph: LocalGraph) -> None:
        if self.graph_store:
            body = serialize(graph.triples, format=RdfFormat.N_TRIPLES)
            assert body is not None
            self._send("PUT", self.graph_store, f"write graph <{graph.iri}>", content=body,
                       params={"graph": graph.iri},
                       headers={"Content-Type": formats.TURTLE.content_type})  # fmt: skip
            return
        # One request, so one transaction in the store: the graph is old or new, never half.
        what = f"write graph <{graph.iri}>"
        name = _graph(graph.iri, what).encode()
        body = serialize(_with_decimal_points(graph.triples), format=RdfFormat.N_TRIPLES)
        assert body is not None
        insert = (
            (
                b"INSERT { GRAPH %s {\n%s} } WHERE {}"
                if graph.has_blank_nodes
                else b"INSERT DATA { GRAPH %s {\n%s} }"
            )  # fmt: skip
            % (name, body)
        )
        update = b"DROP SILENT GRAPH %s ;\n%s" % (name, insert)
        self._send("POST", self.update, what, content=update,
                   headers={"Content-Type": SPARQL_UPDATE})  # fmt: skip

    def delete_graph(self, iri: str) -> None:
        what = f"delete graph <{iri}>"
        if self.graph_store:
            self._send("DELETE", self.graph_store, what, params={"graph": iri}, ok_statuses=(404,))
            return
        update = f"DROP SILENT GRAPH {_graph(iri, what)}".encode()
        self._send("POST", self.update, what, content=update,
                   headers={"Content-Type": SPARQL_UPDATE})  # fmt: skip

    # -- one request, with retries ----------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        what: str,
        *,
        content: bytes | None = None,
        data: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        ok_statuses: tuple[int, ...] = (),
    ) -> Answer:
        """Send one request; retry it on network errors, the deadline, 5xx and 429; raise
        PushError (at once for an answer beyond the limits)."""

        def attempt() -> Answer:
            answer = self._client.request(
                method, url, content=content, data=data, params=params, headers=headers
            )
            if answer.ok or answer.status in ok_statuses:
                return answer
            problem = _reason(answer)
            if answer.status in (401, 403):
                problem += " (check AQB_PUSH_USER and AQB_PUSH_PASSWORD, or AQB_PUSH_TOKEN)"
            if answer.status not in RETRIED_STATUSES:
                raise PushError(f"{url}: {what}: {problem}")
            raise Retryable(problem, retry_after_seconds(answer.headers.get("retry-after")))

        try:
            return retry(attempt, self.policy, sleep=self.sleep)
        except Refused as refused:
            raise PushError(f"{url}: {what}: {refused.message}") from None
        except GaveUp as gave_up:
            tries = f" (after {gave_up.attempts} attempts)" if gave_up.attempts > 1 else ""
            raise PushError(f"{url}: {what}: {gave_up.message}{tries}") from None


def _graph(iri: str, what: str) -> str:
    """The graph name ``iri`` as SPARQL text; a name that is no IRI is refused, not sent
    (the names of a store's graphs come from the store)."""
    try:
        return sparql_terms.iri(iri)
    except ValueError as error:
        raise PushError(f"{what}: not an IRI ({error})") from None


_DECIMAL = XSD + "decimal"


def _with_decimal_points(triples: Iterable[Triple]) -> Iterator[Triple]:
    """The triples with every whole ``xsd:decimal`` written with a decimal point (``1011410``
    → ``1011410.0``, the same value). Virtuoso's SPARQL compiler turns a decimal literal
    without a point into an ``xsd:integer``; the Graph Store keeps it as it is."""
    for triple in triples:
        value = triple.object
        whole = isinstance(value, Literal) and "." not in value.value
        if whole and isinstance(value, Literal) and value.datatype.value == _DECIMAL:
            value = Literal(value.value + ".0", datatype=value.datatype)
            triple = Triple(triple.subject, triple.predicate, value)
        yield triple
