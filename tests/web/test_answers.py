"""answers.py: answers are kept per release, bounded in bytes, least recently used first."""

from __future__ import annotations

from aqb_rdf.sparql.pool import QueryRequest, QueryResult
from aqb_rdf.web.answers import AnswerCache

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
    cache = AnswerCache(max_bytes=30)
    for n in range(3):
        cache.put("r", request(n), answer(10))
    assert cache.get("r", request(0)) is not None  # now the most recently used
    cache.put("r", request(3), answer(10))
    assert cache.get("r", request(1)) is None
    assert all(cache.get("r", request(n)) is not None for n in (0, 2, 3))


def test_large_answers_are_not_kept_and_releases_are_dropped() -> None:
    cache = AnswerCache(max_bytes=100, max_answer_bytes=50)
    cache.put("r", request(1), answer(60))
    assert cache.get("r", request(1)) is None
    cache.put("old", request(2), answer(10))
    cache.put("new", request(2), answer(10))
    cache.drop_release("old")
    assert cache.get("old", request(2)) is None
    assert cache.get("new", request(2)) is not None
    assert len(cache) == 1
