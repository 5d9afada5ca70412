"""The web layer under the hostile load and faults of the issue "Hold under hostile load and
faults", each sent as it was to the real ``aqb-rdf serve`` on 127.0.0.1 (scaled down in count).

* Memory does not grow with request keys: long SPARQL requests and long Linked-Data URLs with
  small answers (before the fix ~160 KB kept per request; the issue: 78 → 487 MB after 400).
* A client that goes away mid-body leaves at most one short line in the log, no traceback
  (before: 43 lines a time).
* Long queries to refuse do not hold the event loop: checked in a query slot's thread, their
  verdicts remembered (a cached ``ASK {}`` answered in 1.6 s before, some 20 ms now).
* No ``Host`` header reaches an answer; ``HEAD /sparql`` answers like ``GET``; a server killed
  while it loads its first store leaves no ``.store-<pid>`` folder behind.
"""

from __future__ import annotations

import collections
import json
import re
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from aqb_rdf.build.pipeline import build
from live_server import AQB_RDF, Server, free_port, serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

REPO = Path(__file__).resolve().parents[2]
BASE = "https://aqb-rdf.example/"
EVIL = "evil.example"
MINISTRY = "/id/organisation/hmsi"  # what links to it fills two pages of 2 or more
PAGE_SIZE = 2
MB = 1024 * 1024


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("hostile") / "dist"
    build([REPO / "data" / "agreements"], folder, workers=1)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def server(out: Path) -> Iterator[Server]:
    # One process: every request meets the same caches, whose bounds the tests measure.
    options = ("--processes", "1", "--query-workers", "1", "--page-size", str(PAGE_SIZE))
    with serving(out, *options) as running:
        yield running


def tree_rss(pid: int) -> int:
    """The resident memory of ``pid`` and all its descendants, in bytes (/proc/<pid>/status)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


# --- 1. memory does not grow with request keys ---------------------------------------------

GRAPH = "http://example.org/" + "g" * 1_000  # a graph IRI of ~1 KB, as in the issue


def padded_form(n: int, graphs: int) -> bytes:
    """The issue's request: ``ASK {} #<n>``, 99 KB of padding, ``graphs`` graph IRIs of 1 KB."""
    query = f"ASK {{}} #{n} " + "x" * 99_000
    pairs = [("query", query)] + [("default-graph-uri", f"{GRAPH}{i}") for i in range(graphs)]
    return urllib.parse.urlencode(pairs).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


def test_padded_sparql_requests_do_not_grow_the_server(server: Server) -> None:
    # Warm up: the first answers load what every later one shares (worker, caches, buffers).
    for n in range(20):
        assert server.request("POST", "/sparql", padded_form(-n, 60), FORM)[0] == 200
    before = tree_rss(server.process.pid)
    for n in range(200):  # each a new key of ~160 KB (99 KB query + 60 graphs of 1 KB)
        status, _, body = server.request("POST", "/sparql", padded_form(n, 60), FORM)
        assert status == 200, body
    grown = tree_rss(server.process.pid) - before
    # Keys kept whole: 200 × 160 KB = 32 MB. Kept as digests: 200 × ~300 bytes of entries;
    # 10 MB leaves room for the allocator's own slack and stays well below the 32 MB.
    assert grown < 10 * MB, f"the server grew by {grown / MB:.1f} MB"


def test_more_graph_parameters_than_the_cap_are_a_clear_400(server: Server) -> None:
    status, headers, body = server.request("POST", "/sparql", padded_form(1, 900), FORM)
    assert status == 400  # Accept: application/json: the error as RFC 9457 problem JSON
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["detail"] == (
        "900 default-graph-uri and named-graph-uri values; at most 64 are accepted"
    )
    assert server.request("POST", "/sparql", padded_form(2, 64), FORM)[0] == 200


def test_padded_linked_data_urls_do_not_grow_the_server(server: Server) -> None:
    region = "/id/gebietskoerperschaft/06413?format=nt&pad="
    padding = "p" * 32_000  # near the 32 KiB a request target may have (414 beyond)
    answer = len(server.request("GET", region)[2])
    for n in range(100):
        assert server.request("GET", f"{region}w{n}{padding}")[0] == 200
    before = tree_rss(server.process.pid)
    count = 300
    for n in range(count):  # each a new key of 32 KB
        status, _, body = server.request("GET", f"{region}{n}{padding}")
        assert status == 200, body[:200]
    grown = tree_rss(server.process.pid) - before
    # Each answer (~20 KB) is kept, within the cache's 64 MB: 300 × 20 KB = 6 MB, plus 8 MB
    # of the allocator's slack. Keys kept whole would add 300 × 32 KB = 9.6 MB more.
    bound = count * answer + 8 * MB
    assert grown < bound, f"the server grew by {grown / MB:.1f} MB (bound {bound / MB:.1f} MB)"


# --- 4. the guard's cost stays off the event loop -------------------------------------------

HOSTILE_TEXT = (
    "SELECT "
    + " ".join(f"?v{i}" for i in range(7_985))
    + " WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { } }"
)
"""The issue's 55 KB query: 7,985 variables, then a SERVICE only the second reading sees."""


def test_long_queries_to_refuse_leave_the_event_loop_serving(server: Server) -> None:
    """Issue 11, item 4: 32 connections sending the 55 KB query pushed a cached ``ASK {}``
    from 1 ms to 1.6 s median (1.8 s measured on the code before, 2 processes). Each text here
    is new (a comment numbers it), so no remembered verdict helps: the check runs, in a query
    slot's thread, and the event loop goes on answering (18 ms median measured)."""
    ask = "/sparql?query=ASK%7B%7D"
    assert server.request("GET", ask)[0] == 200  # answered from the cache from now on
    body = urllib.parse.urlencode({"query": HOSTILE_TEXT}).encode()
    stop = threading.Event()
    statuses: list[int] = []

    def attack(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            numbered = body + f"+%23{n}-{i}".encode()
            statuses.append(server.request("POST", "/sparql", numbered, FORM)[0])

    attackers = [threading.Thread(target=attack, args=(n,)) for n in range(32)]
    for thread in attackers:
        thread.start()
    latencies = []
    try:
        time.sleep(1.0)
        ends = time.monotonic() + 4.0
        while time.monotonic() < ends:
            started = time.perf_counter()
            assert server.request("GET", ask)[0] == 200
            latencies.append(time.perf_counter() - started)
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in attackers:
            thread.join(timeout=30)
    median = statistics.median(latencies)
    assert median < 0.4, f"ASK {{}} took {median * 1000:.0f} ms (median of {len(latencies)})"
    assert 400 in statuses and set(statuses) <= {400, 503}, collections.Counter(statuses)


# --- 9. a client that goes away mid-body ---------------------------------------------------


def test_a_post_aborted_mid_body_leaves_no_traceback(server: Server, out: Path) -> None:
    log = out.parent / f"server-{server.port}.log"
    lines_before = len(log.read_bytes().splitlines())
    body = padded_form(0, 0)
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as client:
            client.sendall(head + body[: len(body) // 2])
            time.sleep(0.02)  # the server has begun reading the body
    time.sleep(0.5)
    assert server.request("GET", "/sparql?query=ASK%7B%7D")[0] == 200  # still serving
    text = log.read_text(errors="replace")
    grown = len(text.splitlines()) - lines_before
    assert "Traceback" not in text
    assert grown <= 20, text[-3000:]


# --- 12. the Host header, HEAD /sparql, a load killed midway --------------------------------


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/sparql", "text/turtle"),
        ("/sparql", "application/ld+json"),
        ("/.well-known/void", "text/turtle"),
        ("/.well-known/void", "text/html"),
        ("/catalog", "text/turtle"),
        (f"{MINISTRY}?format=ttl&page=2", "text/turtle"),
        (f"{MINISTRY}?page=2", "text/html"),
        ("/sparql?query=" + urllib.parse.quote("SELECT (<x> AS ?x) {}"), "application/json"),
        ("/", "text/html"),
    ],
)
def test_the_host_header_reaches_no_answer(server: Server, path: str, accept: str) -> None:
    for host in (EVIL, f"{EVIL}:8443"):
        status, headers, body = server.request(
            "GET", path, headers={"Host": host, "Accept": accept}
        )
        assert status == 200, body[:300]
        assert EVIL not in body.decode()
        assert not [f"{k}: {v}" for k, v in headers.items() if EVIL in v]


def test_paged_link_headers_are_under_the_base(server: Server) -> None:
    headers = server.request("GET", f"{MINISTRY}?format=ttl&page=2", headers={"Host": EVIL})[1]
    found = re.findall(r'<([^>]*)>; rel="([a-z]+)"', headers["link"])
    links = {rel: target for target, rel in found}
    assert links["first"] == links["prev"] == f"{BASE}{MINISTRY[1:]}?format=ttl&page=1"
    assert links["last"].startswith(f"{BASE}{MINISTRY[1:]}?format=ttl&page=")


def test_head_sparql_answers_like_get_without_a_body(server: Server) -> None:
    for accept in ("text/turtle", "application/ld+json"):
        got = server.request("GET", "/sparql", headers={"Accept": accept})
        head = server.request("HEAD", "/sparql", headers={"Accept": accept})
        assert (got[0], head[0]) == (200, 200)
        assert head[2] == b""
        assert {k: v for k, v in head[1].items() if k != "date"} == {
            k: v for k, v in got[1].items() if k != "date"
        }
        assert int(head[1]["content-length"]) == len(got[2]) > 0


def test_a_server_killed_while_it_loads_its_store_leaves_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "dist"
    build([REPO / "data" / "agreements"], out, workers=1)
    release = out / "current"
    trig = release / "aqb.trig"
    # A load that takes a while: 200,000 more quads in a graph of their own.
    with open(trig, "a", encoding="utf-8") as dump:
        dump.write("\n<https://aqb-rdf.example/graph/padding> {\n")
        for n in range(200_000):
            dump.write(f"<urn:x:{n}> <urn:p> {n} .\n")
        dump.write("}\n")
    assert not list(release.glob(".store-*")) and not (release / "store").exists()
    log = tmp_path / "killed.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(AQB_RDF), "serve", str(out), "--port", str(free_port())],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not list(release.glob(".store-*")):
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "the load never began"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert [p.name for p in release.glob(".store-*")] == [f".store-{process.pid}"]
    assert not (release / "store").exists()  # killed before the load ended
    with serving(out) as restarted:
        assert restarted.request("GET", "/sparql?query=ASK%7B%7D")[0] == 200
        assert not list(release.glob(".store-*"))
        assert (release / "store").is_dir()
