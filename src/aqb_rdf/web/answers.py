"""Answers kept per release: a release never changes, so neither does an answer (pure).

A byte-bounded, least-recently-used map from (release id, key) to a serialised answer: the
query pool's answers keyed by their request, and the finished Linked-Data responses keyed by
what selects them. Only successful answers are kept; errors (timeouts, overload) never are.

The bound counts what an entry holds, not only its answer: the body, the key and
:data:`ENTRY_OVERHEAD`. A key longer than :data:`MAX_KEY_BYTES` (a query padded to 100 KB,
a URL padded to the head limit) is kept as its SHA-256 digest, so no client can make the
server hold more than the bound by sending long keys for small answers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Final, Generic, Protocol, TypeVar

from aqb_rdf.sparql.execution import QueryRequest, QueryResult


class _HasBody(Protocol):
    @property
    def body(self) -> bytes: ...


K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=_HasBody)

MAX_KEY_BYTES: Final = 256
"""Keys longer than this are kept as a digest of :data:`DIGEST_BYTES`."""
DIGEST_BYTES: Final = 32
ENTRY_OVERHEAD: Final = 256
"""Bytes an entry costs beyond its body and key: the map's slot, the tuples, the objects."""


def key_bytes(key: object) -> int:
    """The bytes a key's text takes: strings (UTF-8) and bytes, through tuples and dataclasses;
    nothing for None, a few bytes for anything else (numbers)."""
    if key is None:
        return 0
    if isinstance(key, str):
        return len(key) if key.isascii() else len(key.encode("utf-8", errors="surrogatepass"))
    if isinstance(key, bytes):
        return len(key)
    if isinstance(key, tuple):
        return sum(key_bytes(part) for part in key)
    names = _field_names(type(key))
    if names:
        return sum(key_bytes(getattr(key, name)) for name in names)
    return 8


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass (none for another type), looked up once per type:
    ``dataclasses.fields`` on every lookup was a third of the cost of a kept answer's key."""
    names = _FIELDS.get(kind)
    if names is None:
        fields = dataclasses.fields(kind) if dataclasses.is_dataclass(kind) else ()
        names = _FIELDS[kind] = tuple(f.name for f in fields)
    return names


def _digest(key: object) -> bytes:
    """A fixed-size name for ``key``: the SHA-256 of its ``repr`` (strings, tuples and frozen
    dataclasses of them write every field, quoted, so two keys never share a ``repr``)."""
    return hashlib.sha256(repr(key).encode("utf-8", errors="surrogatepass")).digest()


@dataclass(frozen=True)
class KeptResponse:
    """A finished HTTP answer: what it takes to send it again."""

    media_type: str
    body: bytes = field(repr=False)
    headers: tuple[tuple[str, str], ...] = ()


class Cache(Generic[K, V]):
    """At most ``max_bytes`` of entries (body, key and overhead); the least recently used go
    first."""

    def __init__(
        self, max_bytes: int = 64 * 1024 * 1024, max_answer_bytes: int = 4 * 1024 * 1024
    ) -> None:
        self.max_bytes = max_bytes
        self.max_answer_bytes = max_answer_bytes
        self._answers: OrderedDict[tuple[str, Hashable], tuple[V, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def _stored(release: str, request: K) -> tuple[tuple[str, Hashable], int]:
        """The key an entry is stored under and the bytes that key takes."""
        size = key_bytes(request)
        if size > MAX_KEY_BYTES:
            return (release, _digest(request)), len(release) + DIGEST_BYTES
        return (release, request), len(release) + size

    @classmethod
    def entry_bytes(cls, release: str, request: K, answer: V) -> int:
        """What an entry counts against ``max_bytes``."""
        return len(answer.body) + cls._stored(release, request)[1] + ENTRY_OVERHEAD

    @property
    def size(self) -> int:
        """The bytes the entries count: bodies, keys and overhead."""
        return self._size

    def get(self, release: str, request: K) -> V | None:
        key, _ = self._stored(release, request)
        with self._lock:
            entry = self._answers.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, release: str, request: K, answer: V) -> None:
        if len(answer.body) > self.max_answer_bytes:
            return
        key, size_of_key = self._stored(release, request)
        size = len(answer.body) + size_of_key + ENTRY_OVERHEAD
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = (answer, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, dropped) = self._answers.popitem(last=False)
                self._size -= dropped

    def drop_release(self, release: str) -> None:
        """Forget the answers of a release that is no longer served."""
        with self._lock:
            for key in [k for k in self._answers if k[0] == release]:
                self._size -= self._answers.pop(key)[1]

    def __len__(self) -> int:
        return len(self._answers)


AnswerCache = Cache[QueryRequest, QueryResult]
"""The query pool's answers, per release and request."""

ResponseCache = Cache[tuple[str, ...], KeptResponse]
"""Finished Linked-Data responses, per release and what selects them (path, format, page …)."""
