"""web/errors.py: one table from errors to HTTP answers, used by the endpoint and the pages.

The table is checked error by error; then a real ``aqb-rdf serve`` with one process of one
query slot and no queue, kept busy by a runaway query, shows that the endpoint, the Linked-Data
answers and the named-query pages all answer 503 with ``Retry-After`` from it.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from aqb_rdf import errors
from aqb_rdf.build.pipeline import build
from aqb_rdf.errors import (
    AqbError,
    Overloaded,
    PageError,
    ProtocolError,
    QueryError,
    QueryFailed,
    QueryPoolError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    UnsupportedFormat,
    WorkerCrashed,
)
from aqb_rdf.web import errors as web_errors
from aqb_rdf.web.errors import RULES, ErrorAnswer, answer_for, plain_response, rule_for
from aqb_rdf.web.negotiation import RESULT_OFFERS, NotAcceptable
from live_server import Server, serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

REPO = Path(__file__).resolve().parents[2]
RETRY = (("Retry-After", "2"),)
NOT_ACCEPTABLE = NotAcceptable(RESULT_OFFERS[:1])

CASES = [
    (
        ProtocolError(405, "use GET or POST", {"Allow": "GET, POST"}),
        405,
        "use GET or POST",
        (("Allow", "GET, POST"),),
    ),
    (
        ProtocolError(413, "request body larger than 10 bytes"),
        413,
        "request body larger than 10 bytes",
        (),
    ),
    (PageError("page must be a whole number"), 400, "page must be a whole number", ()),
    (PageError("no page 4: there are 3", last=3), 404, "no page 4: there are 3", ()),
    (QueryRefused("SERVICE: no"), 400, "SERVICE: no", ()),
    (QueryError("unknown parameter 'x'"), 400, "unknown parameter 'x'", ()),
    (NOT_ACCEPTABLE, 406, str(NOT_ACCEPTABLE), ()),
    (QuerySyntaxError("expected }"), 400, "malformed query: expected }", ()),
    (Overloaded("every worker is busy"), 503, "every worker is busy", RETRY),
    (QueryTimeout("no answer within 3 s"), 503, "no answer within 3 s", RETRY),
    (ResultTooLarge("larger than 1 byte"), 422, "larger than 1 byte", ()),
    (UnsupportedFormat("not as CSV", "graph"), 406, "not as CSV", ()),
    (QueryFailed("SERVICE unreachable"), 400, "query failed: SERVICE unreachable", ()),
    (WorkerCrashed("the worker died"), 500, "the worker died", ()),
    (QueryPoolError("pool closed"), 500, "pool closed", ()),
    (AqbError("anything else"), 500, "anything else", ()),
]


@pytest.mark.parametrize(
    ("error", "status", "message", "headers"), CASES, ids=[type(case[0]).__name__ for case in CASES]
)
def test_each_error_has_its_answer(
    error: AqbError, status: int, message: str, headers: tuple[tuple[str, str], ...]
) -> None:
    assert answer_for(error, retry_after=2) == ErrorAnswer(status, message, headers)


@pytest.mark.parametrize(
    ("error", "status", "message", "headers"), CASES, ids=[type(case[0]).__name__ for case in CASES]
)
def test_the_servers_own_query_failing_is_never_the_clients_fault(
    error: AqbError, status: int, message: str, headers: tuple[tuple[str, str], ...]
) -> None:
    answer = answer_for(error, retry_after=2, server_query=True)
    assert answer.status == max(status, 500)
    assert answer.message == str(error.problem)  # no "malformed query: " for the server's
    assert answer.busy == (status == 503)
    assert dict(answer.headers) == (dict(RETRY) if status == 503 else {})


def test_every_user_facing_error_class_has_its_own_rule() -> None:
    user_facing = [
        value
        for value in vars(errors).values()
        if isinstance(value, type)
        and issubclass(value, AqbError)
        and not issubclass(value, errors.Signal | errors.BuildFailed | errors.PushError)
        and value.__module__ == "aqb_rdf.errors"
        and value.__name__ not in ("ReadError", "ParseError", "ResolveError", "DuplicateError")
        and value.__name__ not in ("ValidationError", "EndpointError", "Signal")
    ]
    missing = [cls.__name__ for cls in user_facing if cls not in RULES and cls is not WorkerCrashed]
    assert missing == []
    assert rule_for(WorkerCrashed("x")) is RULES[QueryPoolError]  # by its MRO
    assert NotAcceptable in RULES


def test_the_table_in_the_docstring_is_the_rules() -> None:
    rows = re.findall(r"^(\w[\w, ]*?)\s{2,}(own|\d{3})\s", web_errors.__doc__ or "", re.M)
    drawn = {
        name.strip(): (None if status == "own" else int(status))
        for names, status in rows
        for name in names.split(",")
        if name.strip() != "any other"
    }
    assert drawn == {
        cls.__name__: rule.status for cls, rule in RULES.items() if cls is not AqbError
    }


def test_a_plain_answer_is_one_line_open_to_every_origin() -> None:
    response = plain_response(answer_for(Overloaded("busy"), retry_after=7), Vary="Accept")
    assert response.status_code == 503
    assert response.body == b"busy\n"
    assert response.headers["retry-after"] == "7"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["vary"] == "Accept"


# --- a real server, kept busy ----------------------------------------------------------------

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 4.0


def sparql_path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    out = tmp_path_factory.mktemp("errors") / "dist"
    build([REPO / "data" / "agreements"], out, workers=1)
    options = (
        "--processes", "1", "--query-workers", "1", "--queue-length", "0",
        "--timeout", str(TIMEOUT),
    )  # fmt: skip
    try:
        with serving(out, *options) as running:
            yield running
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_a_busy_server_answers_503_with_retry_after_everywhere(one_worker: Server) -> None:
    runaway = threading.Thread(target=lambda: one_worker.request("GET", sparql_path(RUNAWAY)))
    runaway.start()
    try:
        time.sleep(0.5)  # the one query slot is taken
        answers = {
            "sparql": one_worker.request("GET", sparql_path("ASK { ?s ?p ?o }")),
            "rdf": one_worker.request(
                "GET", "/id/gebietskoerperschaft/06413", headers={"Accept": "text/turtle"}
            ),
            "html": one_worker.request(
                "GET", "/id/gebietskoerperschaft/06431", headers={"Accept": "text/html"}
            ),
            "named": one_worker.request("GET", "/queries/region?run=1&key=06412"),
        }
    finally:
        runaway.join(timeout=TIMEOUT + 10)
    for name, (status, headers, body) in answers.items():
        assert status == 503, (name, status, body[:200])
        assert headers["retry-after"] == "2", name  # ServeSettings.retry_after_seconds
    assert answers["sparql"][2].endswith(b"\n") and answers["sparql"][2].count(b"\n") == 1


def test_a_malformed_query_is_400_with_the_parsers_reason(one_worker: Server) -> None:
    status, headers, body = one_worker.request("GET", sparql_path("SELECT * WHERE { ?s ?p }"))
    assert status == 400
    assert body.startswith(b"malformed query: ")
    assert headers["access-control-allow-origin"] == "*"
    assert "retry-after" not in headers
