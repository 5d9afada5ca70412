"""``aqb-rdf link`` against real servers on loopback, without internet.

A real Oxigraph server holds ``tests/linking/wikidata.ttl`` (a small graph in Wikidata's shape);
small ``http.server`` and socket servers answer 429/503, answer nothing, or answer HTML. Every
server a test starts is stopped by that test.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import http.server
import io
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

import stores
from aqb_rdf import resources
from aqb_rdf.cli import cli
from aqb_rdf.errors import EndpointError
from aqb_rdf.mapping import graphs
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import SCHEMA
from aqb_rdf.remote.sparql import Limits, RetryPolicy, select

pytestmark = pytest.mark.slow  # starts the Oxigraph server and HTTP servers

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "linking" / "wikidata.ttl"
ASK = "ASK { ?s ?p ?o }"
EMPTY_RESULT = b'{"head": {"vars": ["item"]}, "results": {"bindings": []}}'


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests must not go through a proxy from the environment."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SPARQL query URL of an Oxigraph server loaded with the fixture."""
    if not stores.OXIGRAPH.exists():
        pytest.fail("oxigraph is not installed: .venv/bin/pip install -e '.[test]'")
    location = tmp_path_factory.mktemp("oxigraph") / "db"
    subprocess.run(
        [stores.OXIGRAPH, "load", "--location", location, "--file", FIXTURE],
        check=True, capture_output=True,
    )  # fmt: skip
    with stores.oxigraph(location) as store:
        yield store.query


def set_cell(path: Path, id_column: str, row_id: str, column: str, value: str) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row[id_column] == row_id:
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def cells(path: Path, id_column: str) -> dict[str, dict[str, str]]:
    return {
        row[id_column]: row
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        if row[id_column]
    }


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """A copy of data/reference without the Wikidata links of Wiesbaden and Darmstadt-Dieburg."""
    folder = tmp_path / "reference"
    folder.mkdir()
    for name in ("gebietskoerperschaften.csv", "organisationen.csv"):
        shutil.copy(ROOT / "data" / "reference" / name, folder / name)
    for key in ("06414", "06432"):
        set_cell(folder / "gebietskoerperschaften.csv", "kreisschluessel", key, "wikidata", "")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["link", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# --- against Oxigraph ------------------------------------------------------------------------


def test_report_finds_matches_mismatches_and_missing_links(oxigraph: str, reference: Path) -> None:
    before = snapshot(reference)
    code, out, err = run("--endpoint", oxigraph, "--reference", str(reference), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    found = {f["id"]: f for f in report["findings"]}
    assert report["endpoint"] == oxigraph
    assert {i: found[i]["status"] for i in ("06413", "06431", "06414", "06412", "06432", "06611")} == {
        "06413": "match", "06431": "match", "06414": "missing", "06412": "mismatch",
        "06432": "ambiguous", "06611": "not-found",
    }  # fmt: skip
    assert found["06414"]["proposed"] == "Q1721"
    assert found["06412"]["table_wikidata"] == "Q1794"
    assert [c["wikidata"] for c in found["06412"]["candidates"]] == ["Q99999991"]
    assert [c["wikidata"] for c in found["06432"]["candidates"]] == ["Q7916", "Q99999992"]
    assert found["06431"]["notes"] == ["NUTS code: table DE715, endpoint DE716"]
    assert found["06413"]["candidates"][0]["label"] == "Offenbach am Main"
    assert found["rp-kassel"]["status"] == "missing"
    assert found["hmsi"]["proposed"] == "Q99999994"  # found under its former name
    assert found["rp-giessen"]["status"] == "not-found"
    assert snapshot(reference) == before, "a report must not write"


def test_text_report_has_a_line_per_row_and_counts(oxigraph: str, reference: Path) -> None:
    code, out, _ = run("--endpoint", oxigraph, "--reference", str(reference))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 26 + 4 + 1  # regions with a key, organisations, counts
    assert any(
        line.startswith("mismatch") and "06412" in line and "Q1794" in line for line in lines
    )
    assert lines[-1] == "2 match, 3 missing, 1 mismatch, 1 ambiguous, 23 not-found"


def test_write_adds_confirmed_links_with_provenance(oxigraph: str, reference: Path) -> None:
    code, _, err = run("--endpoint", oxigraph, "--reference", str(reference), "--write")
    assert code == 0, err
    today = dt.date.today().isoformat()
    regions = cells(reference / "gebietskoerperschaften.csv", "kreisschluessel")
    assert regions["06414"]["wikidata"] == "Q1721"
    assert (regions["06414"]["wikidata_checked"], regions["06414"]["wikidata_endpoint"]) == (
        today, oxigraph,
    )  # fmt: skip
    assert regions["06413"]["wikidata_checked"] == today  # a match: provenance refreshed
    assert regions["06412"]["wikidata"] == "Q1794"  # a mismatch is only reported
    assert regions["06412"]["wikidata_checked"] == ""
    assert regions["06432"]["wikidata"] == ""  # ambiguous
    assert regions["06611"]["wikidata"] == "Q2865"  # not found: left as it was
    organisations = list(csv.DictReader(io.StringIO(
        (reference / "organisationen.csv").read_text(encoding="utf-8"))))  # fmt: skip
    assert {r["wikidata"] for r in organisations if r["slug"] == "hmsi"} == {"Q99999994"}
    # 2 matches, 3 missing; the ministry has a row per name (three names since 2010).
    hmsi_rows = sum(r["slug"] == "hmsi" for r in organisations)
    assert hmsi_rows == 3
    assert f"wrote 5 link(s) with provenance into {4 + hmsi_rows} row(s) of {reference}/" in err

    # The written tables load, and the build publishes the new links.
    graph = graphs.reference_to_graph(resources.reference(reference), Iris())
    wiesbaden = URIRef(Iris().region("06414"))
    assert graph.value(wiesbaden, SCHEMA.sameAs) == URIRef("http://www.wikidata.org/entity/Q1721")


def test_replace_overwrites_a_mismatch(oxigraph: str, reference: Path) -> None:
    code, _, err = run(
        "--endpoint", oxigraph, "--reference", str(reference), "--write", "--replace"
    )
    assert code == 0, err
    regions = cells(reference / "gebietskoerperschaften.csv", "kreisschluessel")
    assert regions["06412"]["wikidata"] == "Q99999991"
    assert regions["06432"]["wikidata"] == ""  # --replace never picks among several


# --- failing endpoints -----------------------------------------------------------------------

Handler = Callable[[http.server.BaseHTTPRequestHandler, int], None]


@contextlib.contextmanager
def http_endpoint(answer: Handler) -> Iterator[tuple[str, list[float]]]:
    """An HTTP server on loopback; ``answer(handler, n)`` answers the n-th request (from 1)."""
    times: list[float] = []

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            times.append(time.monotonic())
            answer(self, len(times))

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", times
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def respond(
    handler: http.server.BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    media_type: str = "application/sparql-results+json",
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", media_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


FAST = RetryPolicy(attempts=3, backoff=0.05, max_wait=5.0)
SHORT = Limits(timeout=2.0)


def test_429_is_retried_after_the_time_retry_after_asks() -> None:
    def answer(handler: http.server.BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            respond(handler, 429, b"slow down", "text/plain", {"Retry-After": "1"})
        else:
            respond(handler, 200, EMPTY_RESULT)

    notices: list[str] = []
    with http_endpoint(answer) as (url, times):
        rows = select(
            url, ASK, user_agent="aqb-rdf-test", policy=FAST, limits=SHORT, on_retry=notices.append
        )
    assert rows == []
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95  # Retry-After: 1, not the 0.05 s backoff
    assert notices == [f"{url}: HTTP 429 Too Many Requests; retrying in 1.0 s"]


def test_a_retry_after_beyond_the_limit_ends_at_once() -> None:
    def answer(handler: http.server.BaseHTTPRequestHandler, n: int) -> None:
        respond(handler, 429, b"", "text/plain", {"Retry-After": "3600"})

    with http_endpoint(answer) as (url, times), pytest.raises(EndpointError) as error:
        select(url, ASK, user_agent="aqb-rdf-test", policy=FAST, limits=SHORT)
    assert len(times) == 1
    assert str(error.value).startswith(f"{url}: HTTP 429 Too Many Requests; it asks to wait 3600 s")


def test_user_agent_is_sent() -> None:
    agents: list[str] = []

    def answer(handler: http.server.BaseHTTPRequestHandler, n: int) -> None:
        agents.append(handler.headers.get("User-Agent", ""))
        respond(handler, 200, EMPTY_RESULT)

    with http_endpoint(answer) as (url, _):
        code, _, err = run("--endpoint", url, "--reference", str(ROOT / "data" / "reference"))
    assert code == 0, err
    assert len(agents) == 2  # one query for the regions, one for the organisations
    assert all(a.startswith("aqb-rdf/") and "httpx/" in a for a in agents), agents


def test_503_every_time_fails_with_one_line_and_writes_nothing(reference: Path) -> None:
    def answer(handler: http.server.BaseHTTPRequestHandler, n: int) -> None:
        respond(handler, 503, b"busy", "text/plain")

    before = snapshot(reference)
    with http_endpoint(answer) as (url, times):
        code, out, err = run(
            "--endpoint", url, "--reference", str(reference), "--write", "--retries", "1"
        )
    assert code == 1
    assert len(times) == 2
    assert err.splitlines()[-1] == (
        f"aqb-rdf: error: {url}: HTTP 503 Service Unavailable (2 attempts); try again later"
    )
    assert "Traceback" not in err and out == ""
    assert snapshot(reference) == before


def test_html_instead_of_results_is_reported() -> None:
    def answer(handler: http.server.BaseHTTPRequestHandler, n: int) -> None:
        respond(handler, 200, b"<html>maintenance</html>", "text/html")

    with http_endpoint(answer) as (url, times), pytest.raises(EndpointError) as error:
        select(url, ASK, user_agent="aqb-rdf-test", policy=FAST, limits=SHORT)
    assert len(times) == 1  # not retried
    assert str(error.value) == f"{url}: the answer is text/html, not SPARQL JSON results"


def test_an_endpoint_that_never_answers_times_out(reference: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections complete in the backlog; nothing ever answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        before = snapshot(reference)
        started = time.monotonic()
        code, _, err = run(
            "--endpoint", url, "--reference", str(reference), "--write",
            "--timeout", "0.3", "--retries", "1",
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert code == 1
    assert err.splitlines()[-1] == (
        f"aqb-rdf: error: {url}: no answer within 0.3 s (2 attempts); try again later"
    )
    assert err.splitlines()[0] == f"aqb-rdf: {url}: no answer within 0.3 s; retrying in 1.0 s"
    assert 1.5 <= elapsed < 10
    assert snapshot(reference) == before


def test_connection_refused_is_named() -> None:
    url = f"http://127.0.0.1:{stores.free_port()}/sparql"
    with pytest.raises(EndpointError) as error:
        select(url, ASK, user_agent="aqb-rdf-test", policy=FAST, limits=SHORT)
    assert str(error.value) == f"{url}: connection refused (3 attempts); try again later"


@pytest.mark.parametrize(
    ("endpoint", "problem"),
    [
        ("notaurl", "--endpoint 'notaurl' is not an http(s) URL"),
        ("ftp://example.org/sparql", "is not an http(s) URL"),
        ("http://user:secret@example.org/sparql", "put credentials in the environment"),
    ],
)
def test_a_bad_endpoint_url_is_one_line_before_any_request(
    endpoint: str, problem: str, reference: Path
) -> None:
    before = snapshot(reference)
    code, out, err = run("--endpoint", endpoint, "--reference", str(reference), "--write")
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and problem in err
    assert "secret" not in err and "Traceback" not in err
    assert snapshot(reference) == before
