"""Every setting of aqb-rdf, defined once: name, type, default, help, AQB_* variable, option.

:data:`SETTINGS` is the table (as datasette's ``SETTINGS``): one :class:`Setting` per row. The
frozen :class:`Settings` groups them by command (``build``, ``serve``, ``link``, ``push``), its
field defaults taken from the table. The CLI generates its options from the table
(:mod:`aqb_rdf.cli.options`), so click reads an option or its ``AQB_*`` variable, and calls
:func:`settings_for`; the README's settings table is checked against this one
(``tests/test_docs.py``).

This module is the only one that reads the environment (``os.environ``): the settings that
have a variable but no option (``AQB_DEBUG``, the push credentials), when the CLI asks. The
query pool and its workers set two variables for their child processes (``MALLOC_ARENA_MAX``,
``RUST_BACKTRACE``); they write, never read. Core functions take explicit arguments, never
:class:`Settings` or the environment; ``web`` takes the :class:`ServeSettings` it serves with.

A foundation, like :mod:`aqb_rdf.errors`: may import the standard library and
:mod:`aqb_rdf.rdf`; every other package may import it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from aqb_rdf.rdf.iris import DEFAULT_BASE, check_base

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: where it is read from, its type and its default.

    ``kind`` is ``int``, ``float``, ``str``, ``bool`` or :class:`~pathlib.Path` (an existing
    folder); ``minimum``/``maximum`` bound a number, ``choices`` a string. A setting with
    neither ``option`` nor ``envvar`` is fixed in this release.
    """

    name: str
    """``section.field`` (``serve.page_size``), or ``field`` for one several commands share."""
    kind: type
    default: T
    help: str
    option: str | None = None
    envvar: str | None = None
    commands: tuple[str, ...] = ()
    """The commands that have the setting; by default those of its section (``build`` and
    ``validate`` for ``build.…``), and every command for one at the top."""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    check: Callable[[str], str] | None = None
    """Checks (and normalises) a string value; raises ValueError with the reason."""
    default_text: str = ""
    """How the README and ``--help`` describe the default when it is not a plain value."""
    secret: bool = False
    """Never shown, never taken from the command line."""

    @property
    def section(self) -> str | None:
        """The :class:`Settings` field that holds it; None for one at the top."""
        return self.name.partition(".")[0] if "." in self.name else None

    @property
    def attribute(self) -> str:
        """The name of its field in the section's dataclass (and of the CLI's parameter)."""
        return self.name.rpartition(".")[2]

    @property
    def shown_default(self) -> str:
        """The default as the README shows it."""
        if self.default_text:
            return self.default_text
        if self.secret or self.default is None:
            return "—"
        return str(self.default)

    @property
    def expected(self) -> str:
        """What a valid value is, as an error message says it."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is Path:
            return "an existing folder"
        noun = {int: "a whole number", float: "a number"}.get(self.kind, "a string")
        if self.minimum is not None and self.maximum is not None:
            return f"{noun} from {self.minimum:g} to {self.maximum:g}"
        return noun

    def where(self, from_environment: bool) -> str:
        """The variable or the option a value came from."""
        return (self.envvar if from_environment else self.option) or self.name


# -- the table ---------------------------------------------------------------------------------

BASE: Setting[str | None] = Setting(
    "base", str, None,
    "Base IRI of everything the dataset mints; serve and push refuse a release built with "
    "another.",
    option="--base", envvar="AQB_BASE", commands=("build", "validate", "serve", "push"),
    check=check_base,
    default_text=f"build, validate: {DEFAULT_BASE}; serve, push: the one the release records",
)  # fmt: skip
DEBUG = Setting(
    "debug", bool, False, "Any non-empty value: show the traceback of an internal error.",
    envvar="AQB_DEBUG", default_text="unset",
)  # fmt: skip

BUILD_REFERENCE: Setting[Path | None] = Setting(
    "build.reference", Path, None,
    "Folder with gebietskoerperschaften.csv and organisationen.csv.",
    option="--reference", envvar="AQB_REFERENCE", default_text="the packaged data/reference",
)  # fmt: skip
BUILD_WORKERS: Setting[int | None] = Setting(
    "build.workers", int, None, "Worker processes for parsing and validation.",
    option="--workers", envvar="AQB_BUILD_WORKERS", minimum=1, maximum=64,
    default_text="one per CPU",
)  # fmt: skip
BUILD_SHACL_ENGINE = Setting(
    "build.shacl_engine", str, "core",
    "SHACL engine: 'core' (fast, checked against pySHACL in the tests) or 'pyshacl'.",
    option="--shacl-engine", envvar="AQB_SHACL_ENGINE", choices=("core", "pyshacl"),
)  # fmt: skip
BUILD_KEEP_RELEASES = Setting(
    "build.keep_releases", int, 5,
    "Releases the output folder keeps, the new one included (at least 2); serve answers each "
    "under /release/<id>/.",
    option="--keep-releases", envvar="AQB_BUILD_KEEP_RELEASES", minimum=2, maximum=100,
    commands=("build",),
)  # fmt: skip

SERVE_HOST = Setting(
    "serve.host", str, "127.0.0.1", "Address to listen on.",
    option="--host", envvar="AQB_SERVE_HOST",
)  # fmt: skip
SERVE_PORT = Setting(
    "serve.port", int, 8000, "Port to listen on.",
    option="--port", envvar="AQB_SERVE_PORT", minimum=0, maximum=65535,
)  # fmt: skip
# Twice --client-queries, so that no one client ever holds every slot of a process: the kernel
# hands connections to the processes blindly, and every request sent to a process whose slots
# one client's runaways hold would wait for them (the 10-minute soak, benchmarks/soak.py, with
# 2 slots: 18 of 15,092 ordinary requests 503 after waiting 5 s, p99 3.4 s; with 4: see README).
SERVE_QUERY_WORKERS = Setting(
    "serve.query_workers", int, 4,
    "Queries each server process runs at the same time; more wait in its queue.",
    option="--query-workers", envvar="AQB_SERVE_QUERY_WORKERS", minimum=1, maximum=64,
)  # fmt: skip
SERVE_TIMEOUT = Setting(
    "serve.timeout", float, 10.0,
    "Seconds a query may run; past it the client gets 503 and the process is replaced.",
    option="--timeout", envvar="AQB_SERVE_TIMEOUT", minimum=0.1, maximum=3600,
)  # fmt: skip
SERVE_PROCESSES = Setting(
    "serve.processes", int, 2,
    "Sandboxed server processes sharing the port, each answering requests whole.",
    option="--processes", envvar="AQB_SERVE_PROCESSES", minimum=1, maximum=64,
)  # fmt: skip
SERVE_SPARES = Setting(
    "serve.spares", int, 1,
    "Warm spare processes, ready to take over at once from one that ends.",
    option="--spares", envvar="AQB_SERVE_SPARES", minimum=0, maximum=16,
)  # fmt: skip
SERVE_QUEUE_LENGTH = Setting(
    "serve.queue_length", int, 64,
    "Queries that may wait for a free slot in each process (503 beyond).",
    option="--queue-length", envvar="AQB_SERVE_QUEUE_LENGTH", minimum=0, maximum=100_000,
)  # fmt: skip
SERVE_QUEUE_WAIT = Setting(
    "serve.queue_wait", float, 5.0,
    "Seconds a query may wait for a free slot (503 after).",
    option="--queue-wait", envvar="AQB_SERVE_QUEUE_WAIT", minimum=0, maximum=3600,
)  # fmt: skip
SERVE_MEMORY_LIMIT = Setting(
    "serve.memory_limit", int, 4 << 30,
    "Bytes of address space each server process may use (RLIMIT_AS; 4 GiB).",
    option="--memory-limit", envvar="AQB_SERVE_MEMORY_LIMIT", minimum=1 << 28,
)  # fmt: skip
SERVE_HEAD_TIMEOUT = Setting(
    "serve.head_timeout", float, 10.0,
    "Seconds a connection may take to send a request's line and headers, from its start or "
    "its previous answer (408 after).",
    option="--head-timeout", envvar="AQB_SERVE_HEAD_TIMEOUT", minimum=0.1, maximum=3600,
)  # fmt: skip
SERVE_BODY_TIMEOUT = Setting(
    "serve.body_timeout", float, 30.0,
    "Seconds a request's body may take to arrive after its headers (408 after).",
    option="--body-timeout", envvar="AQB_SERVE_BODY_TIMEOUT", minimum=0.1, maximum=3600,
)  # fmt: skip
SERVE_WRITE_TIMEOUT = Setting(
    "serve.write_timeout", float, 20.0,
    "Seconds an answer may wait for its client to read a byte; then the connection is closed.",
    option="--write-timeout", envvar="AQB_SERVE_WRITE_TIMEOUT", minimum=0.1, maximum=3600,
)  # fmt: skip
SERVE_MAX_CONNECTIONS = Setting(
    "serve.max_connections", int, 0,
    "Connections each server process holds; a new one beyond closes the one that waited on "
    "its client longest (503 if none waits).",
    option="--max-connections", envvar="AQB_SERVE_MAX_CONNECTIONS", minimum=0,
    maximum=1_000_000,
    default_text="0: what the descriptor limit leaves (ulimit -n 1024: about 900)",
)  # fmt: skip
SERVE_MAX_CONNECTIONS_PER_ADDRESS = Setting(
    "serve.max_connections_per_address", int, 128,
    "Connections each server process holds from one client address, as --max-connections.",
    option="--max-connections-per-address", envvar="AQB_SERVE_MAX_CONNECTIONS_PER_ADDRESS",
    minimum=1, maximum=1_000_000,
)  # fmt: skip
SERVE_MAX_UNREAD_BYTES = Setting(
    "serve.max_unread_bytes", int, 64 * 1024 * 1024,
    "Bytes of large answers (over 256 KiB each) a process holds for clients still reading "
    "them (64 MiB); a large answer beyond is 503.",
    option="--max-unread-bytes", envvar="AQB_SERVE_MAX_UNREAD_BYTES", minimum=1 << 20,
    maximum=2**40,
)  # fmt: skip
SERVE_COMPRESS_MAX_BYTES = Setting(
    "serve.compress_max_bytes", int, 4 * 1024 * 1024,
    "Bytes of an answer (a download, a result, a page) compressed on the fly (4 MiB); a "
    "larger one is sent as it is.",
    option="--compress-max-bytes", envvar="AQB_SERVE_COMPRESS_MAX_BYTES", minimum=0,
    maximum=2**40,
)  # fmt: skip
SERVE_PAGE_SIZE = Setting(
    "serve.page_size", int, 100,
    "Things that link to a resource per Linked-Data page (?page=2 for the next).",
    option="--page-size", envvar="AQB_SERVE_PAGE_SIZE", minimum=1, maximum=10_000,
)  # fmt: skip
SERVE_CLIENT_QUERIES = Setting(
    "serve.client_queries", int, 2,
    "Queries one client (an address; IPv6 by /64) may have running or waiting, over all "
    "processes (429 beyond).",
    option="--client-queries", envvar="AQB_SERVE_CLIENT_QUERIES", minimum=1, maximum=10_000,
)  # fmt: skip
SERVE_CLIENT_QUERY_SECONDS = Setting(
    "serve.client_query_seconds", float, 60.0,
    "Seconds of query time one client may use per --client-window (429 beyond, until they "
    "refill).",
    option="--client-query-seconds", envvar="AQB_SERVE_CLIENT_QUERY_SECONDS", minimum=0.1,
    maximum=1e9,
)  # fmt: skip
SERVE_CLIENT_WINDOW = Setting(
    "serve.client_window", float, 60.0,
    "Seconds in which a client's query-seconds refill.",
    option="--client-window", envvar="AQB_SERVE_CLIENT_WINDOW", minimum=1, maximum=86_400,
)  # fmt: skip


def _check_networks(text: str) -> str:
    """``text`` as addresses or networks separated by spaces or commas (ValueError if not)."""
    parts = text.replace(",", " ").split()
    for part in parts:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise ValueError(f"not an IP address or network: {part!r}") from None
    return " ".join(parts)


SERVE_UNLIMITED_CLIENTS = Setting(
    "serve.unlimited_clients", str, "127.0.0.1 ::1",
    "Addresses or networks (CIDR, space-separated) no client budget limits: this machine, a "
    "reverse proxy (which all clients behind it share).",
    option="--unlimited-clients", envvar="AQB_SERVE_UNLIMITED_CLIENTS", check=_check_networks,
)  # fmt: skip
SERVE_TRUSTED_PROXIES = Setting(
    "serve.trusted_proxies", str, "",
    "Addresses or networks (CIDR, space-separated) of reverse proxies whose --proxy-header "
    "names the client; from any other address the header is ignored.",
    option="--trusted-proxies", envvar="AQB_SERVE_TRUSTED_PROXIES", check=_check_networks,
    default_text="none",
)  # fmt: skip
SERVE_PROXY_HEADER = Setting(
    "serve.proxy_header", str, "x-forwarded-for",
    "The header a trusted proxy names the client in: 'x-forwarded-for' or 'forwarded' "
    "(RFC 7239); only that one is read.",
    option="--proxy-header", envvar="AQB_SERVE_PROXY_HEADER",
    choices=("x-forwarded-for", "forwarded"),
)  # fmt: skip
SERVE_MAX_BODY_BYTES = Setting(
    "serve.max_body_bytes", int, 1_048_576,
    "Bytes a request body may have (1 MiB; 413 beyond). A URL's path and query string may "
    "have 32 KiB (414 beyond: a longer query goes by POST), the request line and headers "
    "64 KiB (431 beyond).",
)  # fmt: skip
SERVE_MAX_QUERY_LENGTH = Setting(
    "serve.max_query_length", int, 100_000, "Characters a SPARQL query may have.",
)  # fmt: skip
SERVE_MAX_GRAPH_PARAMETERS = Setting(
    "serve.max_graph_parameters", int, 64,
    "default-graph-uri plus named-graph-uri values a SPARQL request may have (400 beyond).",
)  # fmt: skip
SERVE_RETRY_AFTER_SECONDS = Setting(
    "serve.retry_after_seconds", int, 2,
    "The Retry-After of a 503 answer (the query queue full, or a query too slow), and of a "
    "429 for too many queries at a time.",
)  # fmt: skip
SERVE_CACHE_SECONDS = Setting(
    "serve.cache_seconds", int, 300, "The max-age of the Cache-Control header of answers.",
)  # fmt: skip

LINK_ENDPOINT = Setting(
    "link.endpoint", str, "https://query.wikidata.org/sparql",
    "SPARQL endpoint with Wikidata's data model (wdt:P440, wdt:P605, rdfs:label).",
    option="--endpoint", envvar="AQB_LINK_ENDPOINT",
)  # fmt: skip
LINK_REFERENCE = Setting(
    "link.reference", Path, Path("data/reference"),
    "Folder with the reference tables to check and, with --write, to update.",
    option="--reference",
)  # fmt: skip
LINK_TIMEOUT = Setting(
    "link.timeout", float, 30.0,
    "Seconds a request may take in all (connecting, sending, the whole answer, redirects).",
    option="--timeout", envvar="AQB_LINK_TIMEOUT", minimum=0.1, maximum=600,
)  # fmt: skip
LINK_MAX_ANSWER_BYTES = Setting(
    "link.max_answer_bytes", int, 16 * 1024 * 1024,
    "Bytes an answer may have (16 MiB); a larger one is refused, not retried.",
    option="--max-answer-bytes", envvar="AQB_LINK_MAX_ANSWER_BYTES", minimum=1024,
    maximum=2**40,
)  # fmt: skip
LINK_RETRIES = Setting(
    "link.retries", int, 3, "Further attempts after a network error, timeout, 429 or 5xx.",
    option="--retries", envvar="AQB_LINK_RETRIES", minimum=0, maximum=10,
)  # fmt: skip
LINK_USER_AGENT: Setting[str | None] = Setting(
    "link.user_agent", str, None, "User-Agent header; add a contact address.",
    option="--user-agent", envvar="AQB_USER_AGENT", default_text="aqb-rdf/VERSION and where to reach the project",
)  # fmt: skip

PUSH_RETRIES = Setting(
    "push.retries", int, 4, "Retries of a request after a network error, 5xx or 429.",
    option="--retries", envvar="AQB_PUSH_RETRIES", minimum=0, maximum=20,
)  # fmt: skip
PUSH_TIMEOUT = Setting(
    "push.timeout", float, 60.0,
    "Seconds a request may take in all (connecting, sending, the whole answer, redirects).",
    option="--timeout", envvar="AQB_PUSH_TIMEOUT", minimum=1, maximum=3600,
)  # fmt: skip
PUSH_MAX_ANSWER_BYTES = Setting(
    "push.max_answer_bytes", int, 64 * 1024 * 1024,
    "Bytes an answer of the store may have (64 MiB); a larger one ends the push.",
    option="--max-answer-bytes", envvar="AQB_PUSH_MAX_ANSWER_BYTES", minimum=1024,
    maximum=2**40,
)  # fmt: skip
PUSH_CONNECTIONS = Setting(
    "push.connections", int, 4, "Graphs compared and written at the same time.",
    option="--connections", envvar="AQB_PUSH_CONNECTIONS", minimum=1, maximum=64,
)  # fmt: skip
PUSH_USER: Setting[str | None] = Setting(
    "push.user", str, None, "User name for Basic or Digest, whichever the store asks for.",
    envvar="AQB_PUSH_USER", secret=True,
)  # fmt: skip
PUSH_PASSWORD: Setting[str | None] = Setting(
    "push.password", str, None, "Password that goes with AQB_PUSH_USER.",
    envvar="AQB_PUSH_PASSWORD", secret=True,
)  # fmt: skip
PUSH_TOKEN: Setting[str | None] = Setting(
    "push.token", str, None,
    "Sent as Authorization: Bearer … with every request (QLever's access token).",
    envvar="AQB_PUSH_TOKEN", secret=True,
)  # fmt: skip

SETTINGS: tuple[Setting[Any], ...] = (
    BASE, DEBUG,
    BUILD_REFERENCE, BUILD_WORKERS, BUILD_SHACL_ENGINE, BUILD_KEEP_RELEASES,
    SERVE_HOST, SERVE_PORT, SERVE_QUERY_WORKERS, SERVE_TIMEOUT, SERVE_PROCESSES, SERVE_SPARES,
    SERVE_QUEUE_LENGTH, SERVE_QUEUE_WAIT, SERVE_MEMORY_LIMIT, SERVE_HEAD_TIMEOUT,
    SERVE_BODY_TIMEOUT, SERVE_WRITE_TIMEOUT, SERVE_MAX_CONNECTIONS,
    SERVE_MAX_CONNECTIONS_PER_ADDRESS, SERVE_MAX_UNREAD_BYTES, SERVE_COMPRESS_MAX_BYTES,
    SERVE_PAGE_SIZE,
    SERVE_CLIENT_QUERIES, SERVE_CLIENT_QUERY_SECONDS, SERVE_CLIENT_WINDOW, SERVE_UNLIMITED_CLIENTS,
    SERVE_TRUSTED_PROXIES, SERVE_PROXY_HEADER,
    SERVE_MAX_BODY_BYTES, SERVE_MAX_QUERY_LENGTH, SERVE_MAX_GRAPH_PARAMETERS,
    SERVE_RETRY_AFTER_SECONDS, SERVE_CACHE_SECONDS,
    LINK_ENDPOINT, LINK_REFERENCE, LINK_TIMEOUT, LINK_MAX_ANSWER_BYTES, LINK_RETRIES,
    LINK_USER_AGENT,
    PUSH_RETRIES, PUSH_TIMEOUT, PUSH_MAX_ANSWER_BYTES, PUSH_CONNECTIONS, PUSH_USER, PUSH_PASSWORD, PUSH_TOKEN,
)  # fmt: skip
"""Every setting, in the order of the README's table."""

_COMMANDS_OF_SECTION = {"build": ("build", "validate")}


def commands_of(setting: Setting[Any]) -> tuple[str, ...]:
    """The commands that have ``setting``: its own list, those of its section, or ``("*",)``
    (every command)."""
    if setting.commands:
        return setting.commands
    section = setting.section
    return _COMMANDS_OF_SECTION.get(section, (section,)) if section else ("*",)


# -- the settings, grouped -----------------------------------------------------------------------


@dataclass(frozen=True)
class BuildSettings:
    """What ``build`` and ``validate`` read beyond their documents."""

    reference: Path | None = BUILD_REFERENCE.default
    workers: int | None = BUILD_WORKERS.default
    shacl_engine: str = BUILD_SHACL_ENGINE.default
    keep_releases: int = BUILD_KEEP_RELEASES.default


@dataclass(frozen=True)
class ServeSettings:
    """What a running server needs to know beyond its release and pool."""

    host: str = SERVE_HOST.default
    port: int = SERVE_PORT.default
    query_workers: int = SERVE_QUERY_WORKERS.default
    timeout: float = SERVE_TIMEOUT.default
    processes: int = SERVE_PROCESSES.default
    spares: int = SERVE_SPARES.default
    queue_length: int = SERVE_QUEUE_LENGTH.default
    queue_wait: float = SERVE_QUEUE_WAIT.default
    memory_limit: int = SERVE_MEMORY_LIMIT.default
    head_timeout: float = SERVE_HEAD_TIMEOUT.default
    body_timeout: float = SERVE_BODY_TIMEOUT.default
    write_timeout: float = SERVE_WRITE_TIMEOUT.default
    max_connections: int = SERVE_MAX_CONNECTIONS.default
    max_connections_per_address: int = SERVE_MAX_CONNECTIONS_PER_ADDRESS.default
    max_unread_bytes: int = SERVE_MAX_UNREAD_BYTES.default
    compress_max_bytes: int = SERVE_COMPRESS_MAX_BYTES.default
    """The largest answer compressed on the fly (:mod:`aqb_rdf.web.compression`)."""
    page_size: int = SERVE_PAGE_SIZE.default
    """Things that link to a resource per Linked-Data page (:mod:`aqb_rdf.web.render.paging`)."""
    client_queries: int = SERVE_CLIENT_QUERIES.default
    client_query_seconds: float = SERVE_CLIENT_QUERY_SECONDS.default
    client_window: float = SERVE_CLIENT_WINDOW.default
    unlimited_clients: str = SERVE_UNLIMITED_CLIENTS.default
    """Addresses or networks no client budget limits (:mod:`aqb_rdf.sparql.budgets`)."""
    trusted_proxies: str = SERVE_TRUSTED_PROXIES.default
    """Reverse proxies whose ``proxy_header`` names the client (:mod:`aqb_rdf.web.clients`)."""
    proxy_header: str = SERVE_PROXY_HEADER.default
    max_body_bytes: int = SERVE_MAX_BODY_BYTES.default
    max_query_length: int = SERVE_MAX_QUERY_LENGTH.default
    max_graph_parameters: int = SERVE_MAX_GRAPH_PARAMETERS.default
    retry_after_seconds: int = SERVE_RETRY_AFTER_SECONDS.default
    cache_seconds: int = SERVE_CACHE_SECONDS.default


@dataclass(frozen=True)
class LinkSettings:
    """How ``link`` reaches the SPARQL endpoint and which tables it checks."""

    endpoint: str = LINK_ENDPOINT.default
    reference: Path = LINK_REFERENCE.default
    timeout: float = LINK_TIMEOUT.default
    max_answer_bytes: int = LINK_MAX_ANSWER_BYTES.default
    retries: int = LINK_RETRIES.default
    user_agent: str | None = LINK_USER_AGENT.default


@dataclass(frozen=True)
class PushSettings:
    """How ``push`` talks to the store; the credentials never show in a ``repr``."""

    retries: int = PUSH_RETRIES.default
    timeout: float = PUSH_TIMEOUT.default
    max_answer_bytes: int = PUSH_MAX_ANSWER_BYTES.default
    connections: int = PUSH_CONNECTIONS.default
    user: str | None = field(default=PUSH_USER.default, repr=False)
    password: str | None = field(default=PUSH_PASSWORD.default, repr=False)
    token: str | None = field(default=PUSH_TOKEN.default, repr=False)


@dataclass(frozen=True)
class Settings:
    """Every setting, grouped by command; :func:`settings_for` builds it for one command."""

    base: str | None = BASE.default
    """None when not given: ``build`` and ``validate`` then mint under
    :data:`~aqb_rdf.rdf.iris.DEFAULT_BASE`, ``serve`` and ``push`` take the release's own."""
    debug: bool = DEBUG.default
    build: BuildSettings = field(default_factory=BuildSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    link: LinkSettings = field(default_factory=LinkSettings)
    push: PushSettings = field(default_factory=PushSettings)


def settings_for(
    command: str, values: Mapping[str, object], environ: Mapping[str, str] | None = None
) -> Settings:
    """The settings of ``command``: ``values`` (by setting name, as the CLI's options and their
    variables gave them) and the command's settings that only a variable sets, read from
    ``environ`` (default: the process environment); every other setting keeps its default.

    Raises:
        ValueError: ``values`` names a setting that ``command`` does not have.
    """
    environ = os.environ if environ is None else environ
    mine = {s.name: s for s in SETTINGS if {command, "*"} & set(commands_of(s))}
    unknown = sorted(set(values) - set(mine))
    if unknown:
        raise ValueError(f"{command} has no setting {', '.join(unknown)}")
    chosen = dict(values)
    for setting in mine.values():
        if setting.option is None and setting.envvar and setting.envvar in environ:
            text = environ[setting.envvar]
            chosen[setting.name] = bool(text) if setting.kind is bool else text
    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    for name, value in chosen.items():
        setting = mine[name]
        if setting.section is None:
            top[setting.attribute] = value
        else:
            sections.setdefault(setting.section, {})[setting.attribute] = value
    defaults = Settings()
    grouped = {
        section: dataclasses.replace(getattr(defaults, section), **fields)
        for section, fields in sections.items()
    }
    return dataclasses.replace(defaults, **top, **grouped)


def debug_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``AQB_DEBUG`` asks for tracebacks of internal errors."""
    environ = os.environ if environ is None else environ
    return bool(environ.get(DEBUG.envvar or ""))
