"""Answers kept per release: a release never changes, so neither does an answer (pure).

A byte-bounded, least-recently-used map from (release id, key) to a serialised answer: the
query pool's answers keyed by their request, and the finished Linked-Data responses keyed by
what selects them. Only successful answers are kept; errors (timeouts, overload) never are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from aqb_rdf.sparql.pool import QueryRequest, QueryResult


class _HasBody(Protocol):
    @property
    def body(self) -> bytes: ...


K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=_HasBody)


@dataclass(frozen=True)
class KeptResponse:
    """A finished HTTP answer: what it takes to send it again."""

    media_type: str
    body: bytes = field(repr=False)
    headers: tuple[tuple[str, str], ...] = ()


class Cache(Generic[K, V]):
    """At most ``max_bytes`` of answer bodies; the least recently used go first."""

    def __init__(
        self, max_bytes: int = 64 * 1024 * 1024, max_answer_bytes: int = 4 * 1024 * 1024
    ) -> None:
        self.max_bytes = max_bytes
        self.max_answer_bytes = max_answer_bytes
        self._answers: OrderedDict[tuple[str, K], V] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, release: str, request: K) -> V | None:
        with self._lock:
            answer = self._answers.get((release, request))
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end((release, request))
            self.hits += 1
            return answer

    def put(self, release: str, request: K, answer: V) -> None:
        size = len(answer.body)
        if size > self.max_answer_bytes:
            return
        with self._lock:
            key = (release, request)
            if key in self._answers:
                return
            self._answers[key] = answer
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)

    def drop_release(self, release: str) -> None:
        """Forget the answers of a release that is no longer served."""
        with self._lock:
            for key in [k for k in self._answers if k[0] == release]:
                self._size -= len(self._answers.pop(key).body)

    def __len__(self) -> int:
        return len(self._answers)


AnswerCache = Cache[QueryRequest, QueryResult]
"""The query pool's answers, per release and request."""

ResponseCache = Cache[tuple[str, ...], KeptResponse]
"""Finished Linked-Data responses, per release and what selects them (path, format, page …)."""
