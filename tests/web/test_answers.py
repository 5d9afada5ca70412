"""answers.py: answers are kept per release, bounded in bytes (keys counted), least recently
used first."""

from __future__ import annotations

from aqb_rdf.sparql.execution import QueryRequest, QueryResult
from aqb_rdf.web.answers import (
    DIGEST_BYTES,
    ENTRY_OVERHEAD,
    MAX_KEY_BYTES,
    AnswerCache,
    KeptResponse,
    ResponseCache,
)

JSON = "application/sparql-results+json"


def request(n: int) -> QueryRequest:
    return QueryRequest(f"SELECT * WHERE {{ ?s ?p {n} }}", JSON)


def answer(size: int) -> QueryResult:
    return QueryResult(JSON, b"x" * size)


def test_an_answer_is_kept_per_release() -> None:
    cache = AnswerCache()
    cache.put("r1", request(1), answer(10))
    assert cache.get("r1", request(1)) == answer(10)
    assert cache.get("r2", request(1)) is None
    assert cache.get("r1", request(2)) is None
    assert (cache.hits, cache.misses) == (1, 2)


def test_the_least_recently_used_answers_go_first() -> None:
    # Room for three entries of a 10-byte answer, their keys counted.
    cache = AnswerCache(max_bytes=3 * AnswerCache.entry_bytes("r", request(0), answer(10)))
    for n in range(3):
        cache.put("r", request(n), answer(10))
    assert cache.get("r", request(0)) is not None  # now the most recently used
    cache.put("r", request(3), answer(10))
    assert cache.get("r", request(1)) is None
    assert all(cache.get("r", request(n)) is not None for n in (0, 2, 3))


def test_large_answers_are_not_kept_and_releases_are_dropped() -> None:
    cache = AnswerCache(max_bytes=10_000, max_answer_bytes=50)
    cache.put("r", request(1), answer(60))
    assert cache.get("r", request(1)) is None
    cache.put("old", request(2), answer(10))
    cache.put("new", request(2), answer(10))
    cache.drop_release("old")
    assert cache.get("old", request(2)) is None
    assert cache.get("new", request(2)) is not None
    assert len(cache) == 1


def padded(n: int, padding: int = 99_000, graphs: int = 64) -> QueryRequest:
    """The hostile request of the issue: a short query padded to 99 KB, many graph IRIs."""
    graph = "http://example.org/" + "g" * 1000
    return QueryRequest(
        f"ASK {{}} #{n}" + " " * padding, JSON, tuple(f"{graph}{i}" for i in range(graphs))
    )


def test_the_accounted_size_counts_body_key_and_overhead() -> None:
    cache = AnswerCache()
    key = request(1)
    cache.put("r1", key, answer(10))
    key_size = len("r1") + len(key.query) + len(key.result_format)
    assert cache.size == 10 + key_size + ENTRY_OVERHEAD
    assert cache.size == AnswerCache.entry_bytes("r1", key, answer(10))
    cache.drop_release("r1")
    assert cache.size == 0 and len(cache) == 0


def test_a_long_key_counts_as_its_digest_and_is_found_again() -> None:
    cache = AnswerCache()
    cache.put("r", padded(1), answer(5))
    assert cache.size == 5 + len("r") + DIGEST_BYTES + ENTRY_OVERHEAD
    assert cache.get("r", padded(1)) == answer(5)
    assert cache.get("r", padded(2)) is None  # another query: another digest
    assert cache.get("r", padded(1, graphs=63)) is None  # one graph fewer: another digest


def test_long_keys_with_small_answers_stay_within_the_bound() -> None:
    bound = 64 * 1024
    cache = AnswerCache(max_bytes=bound)
    for n in range(400):  # the 400 keys of 160 KB: 64 MB if the keys were kept
        cache.put("r", padded(n), answer(2))
        assert cache.size <= bound
    assert len(cache) == bound // (2 + 1 + DIGEST_BYTES + ENTRY_OVERHEAD)
    assert cache.get("r", padded(399)) is not None  # the newest are kept
    assert cache.get("r", padded(0)) is None  # the oldest went


def test_linked_data_keys_are_bounded_too() -> None:
    cache = ResponseCache(max_bytes=10_000)
    kept = KeptResponse("text/turtle", b"<a> <b> <c> .")
    for n in range(500):
        cache.put("r", (f"/id/x?pad={n:04}" + "p" * 60_000, '"r-ttl"'), kept)
    assert cache.size <= 10_000
    short = ("/id/x", '"r-ttl"')
    assert len("/id/x") + len('"r-ttl"') <= MAX_KEY_BYTES
    cache.put("r", short, kept)
    assert cache.get("r", short) == kept
