"""Benchmark ``aqb-rdf serve`` against SPARQL servers serving the same data in the same run.

On a synthetic dataset (``corpus.py``, about 295 triples per agreement: 3,400 agreements are
about 1M triples) it measures requests/s and p50/p99 latency at 1 and 8 connections for

  (a) resource   one agreement as Turtle: ``CONSTRUCT`` of its triples, both directions; on
                 our server also ``GET /id/…`` (the Linked-Data route, its own larger
                 description) when that route exists, the CONSTRUCT then shown as ours-sparql
  (b) lookup     the budget of one region in one year, by district key and year (SELECT)
  (c) aggregate  the sum of budgets per year (SELECT … GROUP BY), above a varying threshold

each *cold* (every request a query that server has not seen before) and *repeated* (a small
set of queries, each sent once before the measurement, then sent again and again), against

  oxigraph         the Oxigraph server (PyPI ``oxigraph``, ``serve-read-only``): our engine
                   without Python in front
  virtuoso         OpenLink Virtuoso (Debian ``virtuoso-opensource``), private config on loopback
  rdflib-endpoint  rdflib-endpoint (PyPI) over an rdflib Dataset; slow, so its cells are bounded
                   harder (``--rdflib-seconds``, ``--rdflib-requests``)

and prints the targets of the serving issue with PASS/FAIL. Our server runs as shipped:
``aqb-rdf serve`` with its query guard, isolated worker pool and time limit.

The load generator is asyncio over raw HTTP/1.1 keep-alive connections (closed loop: each
connection sends its next request when the previous answer is complete; a 503 or any other
failure is counted and the connection goes on). Its ceiling is measured first against a
trivial endpoint (the Oxigraph server's static start page), cross-checked against ``wrk``
when Debian's ``wrk`` is installed, and each cell reports the CPU the generator and the server
used, so a saturated generator shows. Every server's answers are checked against the data
before it is measured.

Everything listens on 127.0.0.1 only; each cell is bounded in time and requests; every server
runs in its own process group and is stopped at the end, on errors and on Ctrl-C.

    .venv/bin/python benchmarks/serve.py --quick        # 200 agreements, 1 s cells: ~1-2 min
    .venv/bin/python benchmarks/serve.py                # 3,400 agreements (~1M triples)
    .venv/bin/python benchmarks/serve.py --workdir /tmp/aqb-serve --keep   # reuse data & stores

Needs: ``pip install oxigraph rdflib-endpoint`` into the venv (benchmark-only), and
``apt-get install virtuoso-opensource`` for Virtuoso. A missing peer is reported and skipped.
Exits 0 if every target passes, 1 if one fails or cannot be judged, 2 if the setup fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate_corpus

REPO = Path(__file__).resolve().parent.parent
VIRTUOSO_INI = REPO / "tests" / "virtuoso.ini"
"""Virtuoso's configuration: a ``str.format`` template, read as a file and shared with the tests."""
BIN = Path(sys.executable).parent  # the venv's bin: aqb-rdf, oxigraph, rdflib-endpoint
HOST = "127.0.0.1"
BASE = "https://aqb-rdf.example/"
PREFIXES = (
    "PREFIX aqb: <https://aqb-rdf.example/def/aqb#>\n"
    "PREFIX schema: <http://schema.org/>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)
KINDS = ("resource", "lookup", "aggregate")
KIND_TITLES = {
    "resource": "(a) resource as Turtle",
    "lookup": "(b) lookup SELECT",
    "aggregate": "(c) aggregate per year",
}
MODES = ("cold", "repeated")
CONNECTIONS = (1, 8)
ALL_PEERS = ("oxigraph", "virtuoso", "rdflib-endpoint")
SPARQL_FORM = "ours-sparql"
"""Our server answering (a) with the peers' CONSTRUCT through /sparql, when ours uses /id/…."""
REPEATED_SET = {"resource": 16, "lookup": 16, "aggregate": 4}
"""How many distinct queries the repeated cells cycle through (each sent once beforehand)."""
SOLUTIONS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
WARM_UP_SECONDS = 60.0
"""At most this long (or a cell's time, if longer) to send the repeated set once beforehand."""
REQUEST_TIMEOUT = 60.0
"""Seconds one request may take before the generator gives up on it (counted as an error)."""


# -- the data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    key: str
    year: str
    iri: str
    budget: float


@dataclass
class Dataset:
    dist: Path
    release: Path
    triples: int
    agreements: list[Agreement]


def prepare_data(workdir: Path, regions: int, years: int, seed: int) -> Dataset:
    """Generate the corpus and build it, or reuse an earlier build with the same parameters."""
    from aqb_rdf.build.pipeline import build
    from aqb_rdf.publish.release import current_release

    params = {"regions": regions, "years": years, "seed": seed}
    marker = workdir / "params.json"
    dist = workdir / "dist"
    release = current_release(dist) if dist.exists() else None
    if marker.exists() and json.loads(marker.read_text()) == params and release is not None:
        triples = json.loads((workdir / "triples.json").read_text())
        print(f"Data: reusing the build in {dist} ({triples:,} triples)")
    else:
        for folder in (workdir / "corpus", dist):
            shutil.rmtree(folder, ignore_errors=True)
        marker.unlink(missing_ok=True)
        started = time.perf_counter()
        agreements_dir = generate_corpus(workdir / "corpus", regions, years, seed=seed)
        report = build(
            sorted(agreements_dir.glob("*/*")), dist, reference_dir=workdir / "corpus" / "reference"
        )
        triples = report.triples
        (workdir / "triples.json").write_text(json.dumps(triples))
        marker.write_text(json.dumps(params))
        release = current_release(dist)
        print(f"Data: generated and built {report.agreements:,} agreements, {triples:,} triples "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    assert release is not None
    agreements = read_agreements(dist / "aqb.nt")
    return Dataset(dist, Path(release).resolve(), triples, agreements)


def read_agreements(ntriples: Path) -> list[Agreement]:
    """Every agreement's key, year, IRI and budget, from the dump (the CSV lacks agreements
    without projects)."""
    import pyoxigraph

    aqb, value = BASE + "def/aqb#", "http://schema.org/value"
    wanted = {aqb + "jahr", aqb + "gebietskoerperschaft", aqb + "kreisschluessel",
              aqb + "budget", value}  # fmt: skip
    facts: dict[tuple[str, str], str] = {}
    for triple in pyoxigraph.parse(path=ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES):
        if triple.predicate.value in wanted:
            facts[triple.subject.value, triple.predicate.value] = triple.object.value
    agreements = []
    for (subject, predicate), year in facts.items():
        if predicate != aqb + "jahr":
            continue
        region = facts[subject, aqb + "gebietskoerperschaft"]
        budget = facts[facts[subject, aqb + "budget"], value]
        agreements.append(Agreement(facts[region, aqb + "kreisschluessel"], year[:4], subject,
                                    float(budget)))  # fmt: skip
    return sorted(agreements, key=lambda a: a.iri)


# -- the queries ----------------------------------------------------------------------------------


def resource_query(a: Agreement) -> str:
    iri = f"<{a.iri}>"
    return (f"CONSTRUCT {{ {iri} ?p ?o . ?s ?q {iri} }}\n"
            f"WHERE {{ {{ {iri} ?p ?o }} UNION {{ ?s ?q {iri} }} }}")  # fmt: skip


def lookup_query(a: Agreement) -> str:
    return (
        PREFIXES + "SELECT ?budget WHERE {\n"
        f'  ?gk aqb:kreisschluessel "{a.key}" .\n'
        f'  ?zv aqb:gebietskoerperschaft ?gk ; aqb:jahr "{a.year}"^^xsd:gYear ; aqb:budget ?b .\n'
        "  ?b schema:value ?budget .\n}"
    )


def aggregate_query(threshold: int) -> str:
    return (
        PREFIXES + "SELECT ?year (SUM(?value) AS ?total) (COUNT(?zv) AS ?agreements) WHERE {\n"
        "  ?zv a aqb:Zielvereinbarung ; aqb:jahr ?year ; aqb:budget ?b .\n"
        f"  ?b schema:value ?value . FILTER(?value >= {threshold})\n"
        "} GROUP BY ?year ORDER BY ?year"
    )


@dataclass(frozen=True)
class Query:
    """One request's parameters: what to ask, and the answer to expect (for the checks)."""

    kind: str
    text: str
    accept: str
    agreement: Agreement | None = None
    threshold: int | None = None
    ld_path: str | None = None
    """The agreement's Linked-Data path (``/id/…``), for a server that has the route."""


@dataclass
class Workload:
    """Per kind: disjoint cold query lists per connection count, and the repeated set."""

    cold: dict[tuple[str, int], list[Query]]
    repeated: dict[str, list[Query]]


def make_workload(data: Dataset, seed: int) -> Workload:
    rng = random.Random(seed)

    def resource(a: Agreement) -> Query:
        path = "/" + a.iri.removeprefix(BASE)
        return Query("resource", resource_query(a), TURTLE, agreement=a, ld_path=path)

    def lookup(a: Agreement) -> Query:
        return Query("lookup", lookup_query(a), SOLUTIONS_JSON, agreement=a)

    cold: dict[tuple[str, int], list[Query]] = {}
    repeated: dict[str, list[Query]] = {}
    make: dict[str, Callable[[Agreement], Query]] = {"resource": resource, "lookup": lookup}
    for kind, build in make.items():
        order = list(data.agreements)
        rng.shuffle(order)
        n_rep = min(REPEATED_SET[kind], max(1, len(order) // 10))
        repeated[kind] = [build(a) for a in order[:n_rep]]
        rest = order[n_rep:]
        # A third for 1 connection, two thirds for 8 (where more requests fit in a cell).
        split = len(rest) // 3
        cold[kind, 1] = [build(a) for a in rest[:split]]
        cold[kind, 8] = [build(a) for a in rest[split:]]
    # Thresholds: each a different query that still aggregates over every agreement.
    top = int(min(a.budget for a in data.agreements))
    thresholds = rng.sample(range(1, max(top, 100_000)), 40_000)
    repeated["aggregate"] = [
        Query("aggregate", aggregate_query(t), SOLUTIONS_JSON, threshold=t)
        for t in [0, *thresholds[: REPEATED_SET["aggregate"] - 1]]
    ]
    rest_t = thresholds[REPEATED_SET["aggregate"] :]
    cold["aggregate", 1] = [
        Query("aggregate", aggregate_query(t), SOLUTIONS_JSON, threshold=t) for t in rest_t[:10_000]
    ]
    cold["aggregate", 8] = [
        Query("aggregate", aggregate_query(t), SOLUTIONS_JSON, threshold=t) for t in rest_t[10_000:]
    ]
    return Workload(cold, repeated)


# -- servers --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A server process (its own process group) and how to query it."""

    name: str
    port: int
    sparql_path: str
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    ld_routes: bool = False
    """Whether (a) goes to ``/id/…`` (our server, once the Linked-Data route exists)."""
    ld_probe: str = ""
    """What ``/id/…`` answered when probed, for the report."""
    stop_hook: Callable[[], None] | None = None
    version: str = ""
    pgid: int | None = None
    """The process group whose CPU time counts (the process's own, or the server it aliases)."""

    def url(self, path_and_query: str) -> str:
        return f"http://{HOST}:{self.port}{path_and_query}"

    def path_for(self, query: Query, linked_data: bool = True) -> str:
        if query.kind == "resource" and self.ld_routes and linked_data and query.ld_path:
            return query.ld_path
        return self.sparql_path + "?" + urllib.parse.urlencode({"query": query.text})

    def cpu_seconds(self) -> float:
        """User + system CPU of every live process in the server's process group."""
        pgid = self.pgid or (self.process.pid if self.process else None)
        return group_cpu(pgid) if pgid else 0.0

    def stop(self) -> None:
        if self.stop_hook is not None:
            try:
                self.stop_hook()
            except Exception as error:  # noqa: BLE001 - carry on to the signals below
                print(f"  {self.name}: clean shutdown failed ({error}); sending signals")
        if self.process is not None:
            stop_group(self.process)
            self.process = None


TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu(pgid: int) -> float:
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        # fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def stop_group(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left after ``grace`` seconds."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:  # the leader may be gone while children (query workers) live on
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def start_process(cmd: Sequence[str | Path], log: Path, cwd: Path | None = None,
                  env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:  # fmt: skip
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=cwd, env=env, start_new_session=True,
        )  # fmt: skip


def http_get(url: str, accept: str = "*/*", timeout: float = 30.0) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type", ""), error.read()


def wait_ready(server: Server, probe: str, seconds: float) -> None:
    """Wait until ``probe`` answers 200; RuntimeError if the process ends or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"exited with status {server.process.returncode}; see {server.log}")
        try:
            if http_get(server.url(probe), timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"not ready after {seconds:.0f} s; see {server.log}")


ASK_PROBE = "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


def start_ours(
    data: Dataset, workdir: Path, workers: int, timeout: float, processes: int
) -> Server:
    log = workdir / "logs" / "ours.log"
    server = Server("ours", free_port(), "/sparql", log=log)
    server.process = start_process(
        [BIN / "aqb-rdf", "serve", data.dist, "--host", HOST, "--port", str(server.port),
         "--query-workers", str(workers), "--timeout", str(timeout),
         "--processes", str(processes)],
        log,
    )  # fmt: skip
    # The first start of a release loads its store from aqb.trig (about a minute at 1M triples).
    try:
        wait_ready(server, "/sparql" + ASK_PROBE, 600)
    except RuntimeError:
        server.stop()
        raise
    from importlib.metadata import version

    server.version = f"aqb-rdf {version('aqb-rdf')}, {workers} query workers, timeout {timeout:g} s"
    # Linked-Data route: use it for (a) when it exists, i.e. answers an agreement with Turtle
    # or with an error other than 404 (a 503 from a slow describe query is a result too).
    sample = data.agreements[0]
    started = time.perf_counter()
    try:
        status, ctype, body = http_get(server.url("/" + sample.iri.removeprefix(BASE)), TURTLE,
                                       REQUEST_TIMEOUT)  # fmt: skip
    except OSError as error:
        status, ctype, body = 0, "", str(error).encode()
    took = time.perf_counter() - started
    server.ld_routes = (status == 200 and ctype.startswith(TURTLE)) or status not in (200, 404)
    first_line = body.decode("utf-8", "replace").strip().splitlines()[:1]
    server.ld_probe = (f"{status} {ctype.split(';')[0]} in {took * 1000:,.0f} ms"
                       + (f": {first_line[0][:120]}" if status != 200 and first_line else ""))  # fmt: skip
    return server


def start_ours_retrying(
    data: Dataset, workdir: Path, workers: int, timeout: float, processes: int
) -> Server:
    """Start ours; a query worker that aborts while opening the store is retried (twice)."""
    for attempt in range(3):
        try:
            return start_ours(data, workdir, workers, timeout, processes)
        except RuntimeError as error:
            if attempt == 2:
                raise
            print(f"  ours: start failed ({error}); retrying")
    raise AssertionError("unreachable")


def start_oxigraph(data: Dataset, workdir: Path) -> Server:
    exe = BIN / "oxigraph"
    if not exe.exists():
        raise RuntimeError("not installed: .venv/bin/pip install oxigraph")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    location = workdir / "oxigraph" / data.release.name
    log = workdir / "logs" / "oxigraph.log"
    if not (location / ".loaded").exists():
        shutil.rmtree(location, ignore_errors=True)
        location.mkdir(parents=True)
        started = time.perf_counter()
        steps: list[list[str | Path]] = [
            ["load", "--location", location, "--file", data.release / "aqb.trig"],
            ["optimize", "--location", location],
        ]
        for step in steps:
            with log.open("ab") as out:
                subprocess.run([exe, *step], stdout=out, stderr=subprocess.STDOUT, check=True)
        (location / ".loaded").touch()
        print(f"  oxigraph: loaded and optimised in {time.perf_counter() - started:.1f} s")
    server = Server("oxigraph", free_port(), "/query", log=log, version=version)
    server.process = start_process(
        [exe, "serve-read-only", "--location", location, "--bind", f"{HOST}:{server.port}",
         "--union-default-graph"],
        log,
    )  # fmt: skip
    wait_ready(server, "/query" + ASK_PROBE, 60)
    return server


def start_virtuoso(data: Dataset, workdir: Path) -> Server:
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if exe is None or isql is None:
        raise RuntimeError("not installed: apt-get install virtuoso-opensource")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True)
    version_line = next(
        (line for line in (version.stdout + version.stderr).splitlines() if "Version" in line), ""
    )
    home = workdir / "virtuoso" / data.release.name
    db = home / "db"
    db.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (home / "virtuoso.ini").write_text(VIRTUOSO_INI.read_text().format(
        db=db, host=HOST, sql_port=sql_port, http_port=http_port, data=data.release
    ))  # fmt: skip
    log = workdir / "logs" / "virtuoso.log"
    server = Server("virtuoso", http_port, "/sparql", log=log,
                    version=f"Virtuoso {version_line.split('Version')[-1].strip()}")  # fmt: skip
    server.process = start_process(
        [exe, "+foreground", "+configfile", home / "virtuoso.ini"], log, cwd=home
    )

    def sql(statement: str, seconds: float = 600) -> str:
        result = subprocess.run(
            [isql, f"{HOST}:{sql_port}", "dba", "dba", f"exec={statement}"],
            capture_output=True, text=True, timeout=seconds,
        )  # fmt: skip
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql: {(result.stdout + result.stderr).strip()[-500:]}")
        return result.stdout

    def shutdown() -> None:
        # A checkpoint and a clean exit; the connection drops, so isql's status says nothing.
        if server.process is not None and server.process.poll() is None:
            subprocess.run([isql, f"{HOST}:{sql_port}", "dba", "dba", "exec=shutdown;"],
                           capture_output=True, timeout=60)  # fmt: skip
            server.process.wait(30)

    server.stop_hook = shutdown
    wait_ready(server, "/sparql" + ASK_PROBE, 120)
    if not (home / ".loaded").exists():
        started = time.perf_counter()
        sql(f"ld_dir('{data.release}', 'aqb.trig', 'urn:aqb:default'); rdf_loader_run(); "
            "checkpoint;")  # fmt: skip
        states = sql("SELECT ll_state, ll_error FROM DB.DBA.load_list;")
        if "NULL" not in states.split("ll_error")[-1]:
            raise RuntimeError(f"load failed: {states.strip()[-500:]}")
        (home / ".loaded").touch()
        print(f"  virtuoso: loaded in {time.perf_counter() - started:.1f} s")
    return server


def start_rdflib_endpoint(data: Dataset, workdir: Path) -> Server:
    exe = BIN / "rdflib-endpoint"
    if not exe.exists():
        raise RuntimeError("not installed: .venv/bin/pip install rdflib-endpoint")
    from importlib.metadata import version

    log = workdir / "logs" / "rdflib-endpoint.log"
    server = Server("rdflib-endpoint", free_port(), "/", log=log,
                    version=f"rdflib-endpoint {version('rdflib-endpoint')}, "
                            f"rdflib {version('rdflib')}")  # fmt: skip
    started = time.perf_counter()
    server.process = start_process(
        [exe, "serve", data.release / "aqb.trig", "--host", HOST, "--port", str(server.port)], log
    )
    wait_ready(server, "/" + ASK_PROBE, 900)  # it parses the TriG into memory at start
    print(f"  rdflib-endpoint: loaded in {time.perf_counter() - started:.1f} s")
    return server


# -- the load generator ---------------------------------------------------------------------------


class Connection(asyncio.Protocol):
    """One HTTP/1.1 keep-alive connection: send a request, await its complete response."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed by the server"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is not None and not self.waiter.done():
            parsed = parse_response(self.buffer)
            if parsed is not None:
                status, body, close, used = parsed
                del self.buffer[:used]
                self.waiter.set_result((status, body, close))

    def send(self, request: bytes) -> asyncio.Future[tuple[int, bytes, bool]]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.waiter


def parse_response(buffer: bytearray) -> tuple[int, bytes, bool, int] | None:
    """(status, body, close, bytes used) of a complete response at the buffer's start, or None."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buffer[:end]).lower()
    status = int(head[9:12])
    start = end + 4
    close = b"\r\nconnection: close" in head
    length = None
    position = head.find(b"\r\ncontent-length:")
    if position >= 0:
        line_end = head.find(b"\r\n", position + 2)
        length = int(head[position + 17 : line_end if line_end >= 0 else None])
    if length is not None:
        if len(buffer) < start + length:
            return None
        return status, bytes(buffer[start : start + length]), close, start + length
    if b"\r\ntransfer-encoding: chunked" in head:
        chunks: list[bytes] = []
        position = start
        while True:
            line_end = buffer.find(b"\r\n", position)
            if line_end < 0:
                return None
            size = int(bytes(buffer[position:line_end]).split(b";")[0], 16)
            if size == 0:
                trailer_end = buffer.find(b"\r\n\r\n", line_end)  # no trailers expected
                if trailer_end < 0:
                    return None
                return status, b"".join(chunks), close, trailer_end + 4
            if len(buffer) < line_end + 2 + size + 2:
                return None
            chunks.append(bytes(buffer[line_end + 2 : line_end + 2 + size]))
            position = line_end + 2 + size + 2
    if status in (204, 304) or 100 <= status < 200:
        return status, b"", close, start
    raise ValueError("a response without Content-Length or chunked encoding is not supported")


def render_request(port: int, path: str, accept: str) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: {accept}\r\n"
            "User-Agent: aqb-serve-bench\r\n\r\n").encode("ascii")  # fmt: skip


@dataclass
class Cell:
    """The outcome of one measurement: one server, kind, mode and connection count."""

    server: str
    kind: str
    mode: str
    connections: int
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    unfinished: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    generator_cpu: float = 0.0
    note: str = ""

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def failed(self) -> int:
        return sum(self.errors.values()) + self.unfinished

    @property
    def rate(self) -> float | None:
        return self.ok / self.seconds if self.seconds and self.ok else None

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


async def run_cell(
    server: Server,
    requests: Iterator[bytes],
    connections: int,
    seconds: float,
    max_requests: int,
    cell: Cell,
    check: Callable[[int, bytes], str | None] | None = None,
) -> Cell:
    """Send ``requests`` over ``connections`` keep-alive connections, closed loop, bounded."""
    loop = asyncio.get_running_loop()
    sent = 0
    exhausted = False
    started = time.perf_counter()
    deadline = started + seconds
    last_done = started

    async def connect() -> Connection:
        _, protocol = await loop.create_connection(Connection, HOST, server.port)
        return protocol

    async def client() -> None:
        nonlocal sent, exhausted, last_done
        conn = await connect()
        try:
            while not exhausted and sent < max_requests and time.perf_counter() < deadline:
                request = next(requests, None)
                if request is None:
                    exhausted = True
                    break
                sent += 1
                if conn.closed:
                    conn = await connect()
                t0 = time.perf_counter()
                try:
                    status, body, close = await asyncio.wait_for(conn.send(request),
                                                                 REQUEST_TIMEOUT)  # fmt: skip
                except (ConnectionError, asyncio.TimeoutError) as error:
                    name = type(error).__name__
                    cell.errors[name] = cell.errors.get(name, 0) + 1
                    conn.transport.close() if conn.transport else None
                    conn = await connect()
                    continue
                t1 = time.perf_counter()
                last_done = t1
                problem = check(status, body) if check else None
                if status == 200 and problem is None:
                    cell.latencies.append(t1 - t0)
                else:
                    label = problem or str(status)
                    cell.errors[label] = cell.errors.get(label, 0) + 1
                if close:
                    conn.transport.close() if conn.transport else None
                    conn = await connect()
        finally:
            if conn.transport is not None:
                conn.transport.close()

    cpu0, gen0 = server.cpu_seconds(), time.process_time()
    tasks = [asyncio.ensure_future(client()) for _ in range(connections)]
    # The cell stops sending at the deadline; a request still running then gets some grace.
    done, pending = await asyncio.wait(tasks, timeout=seconds + max(5.0, seconds))
    for task in pending:
        task.cancel()
    cell.unfinished = len(pending)
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    end = time.perf_counter() if pending else last_done
    cell.seconds = max(end - started, 1e-9)
    # A process that died in the cell (a crashed query worker) takes its CPU time with it.
    cell.server_cpu = max(0.0, server.cpu_seconds() - cpu0) / cell.seconds
    cell.generator_cpu = (time.process_time() - gen0) / cell.seconds
    if exhausted:
        cell.note = "all distinct queries sent"
    return cell


def wait_idle(server: Server, seconds: float = 60.0) -> None:
    """After a cell gave up on requests, wait until the server stops working on them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = server.cpu_seconds()
        time.sleep(0.5)
        if server.cpu_seconds() - before < 0.05:
            return


# -- the checks -----------------------------------------------------------------------------------


def solutions(body: bytes) -> list[dict[str, str]]:
    return [
        {name: value["value"] for name, value in row.items()}
        for row in json.loads(body)["results"]["bindings"]
    ]


def expected_aggregate(data: Dataset, threshold: int) -> dict[str, tuple[float, int]]:
    per_year: dict[str, tuple[float, int]] = {}
    for a in data.agreements:
        if a.budget >= threshold:
            total, count = per_year.get(a.year, (0.0, 0))
            per_year[a.year] = (total + a.budget, count + 1)
    return per_year


def check_answer(data: Dataset, query: Query, status: int, ctype: str, body: bytes) -> str | None:
    """What is wrong with one answer (None: it is right)."""
    if status != 200:
        return f"status {status}: {body[:200]!r}"
    if query.kind == "resource":
        import pyoxigraph

        if not ctype.startswith(TURTLE):
            return f"content type {ctype!r}, not Turtle"
        triples = list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
        subjects = {t.subject.value for t in triples if hasattr(t.subject, "value")}
        if query.agreement is None or query.agreement.iri not in subjects or len(triples) < 10:
            return f"{len(triples)} triples, not the agreement's"
        return None
    rows = solutions(body)
    if query.kind == "lookup":
        assert query.agreement is not None
        values = [float(r["budget"]) for r in rows]
        if values != [query.agreement.budget]:
            return f"budget {values}, expected [{query.agreement.budget}]"
        return None
    assert query.threshold is not None
    expected = expected_aggregate(data, query.threshold)
    got = {r["year"][:4]: (float(r["total"]), int(r["agreements"])) for r in rows}
    if got.keys() != expected.keys() or any(
        abs(got[y][0] - expected[y][0]) > 0.01 or got[y][1] != expected[y][1] for y in expected
    ):
        return f"totals differ: {sorted(got.items())[:2]} vs {sorted(expected.items())[:2]}"
    return None


def verify(server: Server, data: Dataset, workload: Workload) -> list[str]:
    """Check a few answers of each kind against the data (they are not measured).

    The SPARQL forms only: ours' ``/id/…`` answers a different, larger description (probed
    separately, see ``start_ours``)."""
    problems = []
    samples = [workload.repeated[kind][0] for kind in KINDS]
    samples.append(workload.cold["aggregate", 8][-1])  # a threshold above zero
    for query in samples:
        path = server.path_for(query, linked_data=False)
        status, ctype, body = http_get(server.url(path), query.accept, 120)
        problem = check_answer(data, query, status, ctype, body)
        if problem:
            problems.append(f"{query.kind}: {problem}")
    return problems


def fast_check(kind: str) -> Callable[[int, bytes], str | None]:
    """A cheap per-response check during measurement: the answer is not empty."""

    def check(status: int, body: bytes) -> str | None:
        if status != 200:
            return None
        if kind == "resource":
            return None if body.count(b" .") + body.count(b";") >= 10 else "short answer"
        return None if b'"value"' in body else "empty result"

    return check


# -- the run --------------------------------------------------------------------------------------


@dataclass
class Bounds:
    seconds: float
    max_requests: int
    warm_up: float = WARM_UP_SECONDS


def measure_server(
    server: Server, workload: Workload, bounds: Bounds, kinds: Sequence[str]
) -> list[Cell]:
    cells = []
    for kind in kinds:
        for mode in MODES:
            if mode == "repeated":  # each query of the set once, unmeasured, before the cells
                warm_up(server, workload.repeated[kind], max(bounds.seconds, bounds.warm_up))
            for connections in CONNECTIONS:
                queries = (workload.cold[kind, connections] if mode == "cold"
                           else workload.repeated[kind])  # fmt: skip
                rendered = [render_request(server.port, server.path_for(q), q.accept)
                            for q in queries]  # fmt: skip
                requests = iter(rendered) if mode == "cold" else cycle(rendered)
                cell = Cell(server.name, kind, mode, connections)
                asyncio.run(run_cell(server, requests, connections, bounds.seconds,
                                     bounds.max_requests, cell, fast_check(kind)))  # fmt: skip
                if cell.unfinished:
                    wait_idle(server)
                cells.append(cell)
                print(f"  {server.name:<16} {kind:<9} {mode:<8} {connections}: "
                      f"{fmt_rate(cell.rate):>8} req/s  p50 {fmt_ms(cell.percentile(50)):>7}  "
                      f"p99 {fmt_ms(cell.percentile(99)):>7} ms  ({cell.ok} ok, "
                      f"{cell.failed} failed)", flush=True)  # fmt: skip
    return cells


def warm_up(server: Server, queries: Sequence[Query], seconds: float) -> None:
    """Send each query once (so that the repeated cells repeat it), within about ``seconds``."""
    deadline = time.monotonic() + seconds
    failed = 0
    for number, query in enumerate(queries):
        if time.monotonic() > deadline:
            print(f"  {server.name}: warm-up stopped after {number} of {len(queries)} queries "
                  f"({seconds:g} s)")  # fmt: skip
            break
        try:
            status, _, _ = http_get(server.url(server.path_for(query)), query.accept,
                                    REQUEST_TIMEOUT)  # fmt: skip
        except OSError:
            status = 0
        failed += status != 200
    if failed:
        print(f"  {server.name}: {failed} warm-up queries failed")


def cycle(items: Sequence[bytes]) -> Iterator[bytes]:
    while True:
        yield from items


WRK_SCRIPT = """\
local paths = {%s}
local i = 0
wrk.headers["Accept"] = "%s"
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.errors.status))
end
"""


def wrk_cross_check(
    server: Server, queries: Sequence[Query], seconds: float, workdir: Path
) -> list[tuple[str, str, str, str, str, str]]:
    """The same cells measured by wrk (C) and by our generator, when wrk is installed."""
    exe = shutil.which("wrk")
    if exe is None:
        return []
    script = workdir / "lookup.lua"
    paths = ", ".join(f'"{server.path_for(q)}"' for q in queries)
    script.write_text(WRK_SCRIPT % (paths, queries[0].accept))
    rows = []
    for connections in CONNECTIONS:
        result = subprocess.run(
            [exe, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", str(script),
             f"http://{HOST}:{server.port}"],
            capture_output=True, text=True, timeout=seconds + 30,
        )  # fmt: skip
        line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT")), None)
        if line is None:
            rows.append(("wrk", str(connections), "–", "–", "–", result.stderr.strip()[:60]))
        else:
            n, micros, p50, p99, bad = map(int, line.split()[1:])
            rows.append(("wrk", str(connections), fmt_rate(n / (micros / 1e6)), fmt_ms(p50 / 1e6),
                         fmt_ms(p99 / 1e6), str(bad) if bad else ""))  # fmt: skip
        rendered = [render_request(server.port, server.path_for(q), q.accept) for q in queries]
        cell = Cell(server.name, "lookup", "repeated", connections)
        asyncio.run(run_cell(server, cycle(rendered), connections, seconds, 10**7, cell,
                             fast_check("lookup")))  # fmt: skip
        rows.append(("asyncio (ours)", str(connections), fmt_rate(cell.rate),
                     fmt_ms(cell.percentile(50)), fmt_ms(cell.percentile(99)),
                     str(cell.failed) if cell.failed else ""))  # fmt: skip
    return rows


def measure_generator(server: Server, seconds: float, max_requests: int) -> list[Cell]:
    """The generator's ceiling: a trivial static page, served by a fast (Rust) server."""
    request = render_request(server.port, "/", "text/html")
    cells = []
    for connections in CONNECTIONS:
        cell = Cell(server.name, "trivial", "static", connections)
        asyncio.run(run_cell(server, cycle([request]), connections, seconds, max_requests, cell))
        cells.append(cell)
    return cells


# -- printing -------------------------------------------------------------------------------------


def fmt_rate(rate: float | None) -> str:
    if rate is None:
        return "–"
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:.1f}" if rate >= 10 else f"{rate:.2f}"


def fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:,.0f}"


def fmt_ratio(ours: float | None, peer: float | None) -> str:
    return f"{ours / peer:.2f}×" if ours and peer else "–"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(("{:<%d}" if i < left else "{:>%d}") % w for i, w in enumerate(widths))
    print(line.format(*header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line.format(*row))


def print_results(cells: list[Cell], servers: list[str]) -> None:
    index = {(c.server, c.kind, c.mode, c.connections): c for c in cells}
    rows = []
    for kind in KINDS:
        for mode in MODES:
            for connections in CONNECTIONS:
                ours = index.get(("ours", kind, mode, connections))
                # Like for like: (a) on a peer runs the CONSTRUCT, so compare it with ours'.
                ours = index.get((SPARQL_FORM, kind, mode, connections), ours)
                ours_rate = ours.rate if ours else None
                for name in servers:
                    cell = index.get((name, kind, mode, connections))
                    if cell is None:
                        continue
                    failed = f"{cell.failed}" if cell.failed else ""
                    if cell.errors:
                        failed += (
                            " (" + ", ".join(f"{k}: {v}" for k, v in cell.errors.items()) + ")"
                        )
                    rows.append((
                        KIND_TITLES[kind], mode, str(connections), name, str(cell.ok),
                        fmt_rate(cell.rate), fmt_ms(cell.percentile(50)),
                        fmt_ms(cell.percentile(99)),
                        "" if name in ("ours", SPARQL_FORM)
                        else fmt_ratio(ours_rate, cell.rate),
                        f"{cell.server_cpu:.2f}", f"{cell.generator_cpu:.2f}", failed,
                    ))  # fmt: skip
            rows.append(("",) * 12)
    table(
        ("query", "mode", "conns", "server", "ok", "req/s", "p50 ms", "p99 ms", "ours/peer",
         "srv cores", "gen cores", "failed"),
        rows[:-1], left=4,
    )  # fmt: skip
    if SPARQL_FORM in servers:
        print(f"(a): ours = GET /id/… (Accept: text/turtle, the Linked-Data route and its own "
              f"describe query);\n     {SPARQL_FORM} = the peers' CONSTRUCT through /sparql; "
              f"ours/peer compares {SPARQL_FORM}.")  # fmt: skip
    print("req/s counts answers that are 200 and not empty; p50/p99 over those. srv cores: CPU")
    print("of the server's process group per wall second (2.00 = both cores busy); gen cores:")
    print("the same for the load generator.")


@dataclass
class Target:
    text: str
    result: str
    verdict: str


def targets(cells: list[Cell]) -> list[Target]:
    index = {(c.server, c.kind, c.mode, c.connections): c for c in cells}

    def cell(server: str, kind: str, mode: str, connections: int) -> Cell | None:
        return index.get((server, kind, mode, connections))

    out = []

    def ratio_target(text: str, kind: str, mode: str, connections: int, peer: str,
                     minimum: float) -> None:  # fmt: skip
        ours, other = cell("ours", kind, mode, connections), cell(peer, kind, mode, connections)
        if ours is None or other is None or not other.rate:
            out.append(Target(text, f"{peer} not measured", "n/a"))
            return
        ratio = (ours.rate or 0.0) / other.rate
        clean = ours.failed == 0
        result = f"{fmt_rate(ours.rate)} / {fmt_rate(other.rate)} req/s = {ratio:.2f}×"
        if not clean:
            result += f", {ours.failed} of ours failed"
        out.append(Target(text, result, "PASS" if ratio >= minimum and clean else "FAIL"))

    for mode in MODES:
        ratio_target(f"(b) lookup {mode}, 1 conn: ≥ 0.8× oxigraph", "lookup", mode, 1,
                     "oxigraph", 0.8)  # fmt: skip
        ratio_target(f"(b) lookup {mode}, 8 conns: ≥ 0.5× oxigraph", "lookup", mode, 8,
                     "oxigraph", 0.5)  # fmt: skip
    for connections in CONNECTIONS:
        plural = "s" if connections > 1 else ""
        ratio_target(f"(c) aggregate cold, {connections} conn{plural}: ≥ 1× oxigraph", "aggregate",
                     "cold", connections, "oxigraph", 1.0)  # fmt: skip
    ratio_target("(c) aggregate repeated, 8 conns: ≥ 1× virtuoso", "aggregate", "repeated", 8,
                 "virtuoso", 1.0)  # fmt: skip
    forms = [("ours", "")]
    if any(c.server == SPARQL_FORM for c in cells):
        forms = [("ours", " (/id/…)"), (SPARQL_FORM, " (/sparql)")]
    for name, how in forms:
        for mode in MODES:
            text = f"(a) resource{how} {mode}, 8 conns: p99 < 10 ms"
            ours = cell(name, "resource", mode, 8)
            p99 = ours.percentile(99) if ours else None
            if ours is None or p99 is None:
                out.append(Target(text, "no answer" if ours else "not measured", "FAIL" if ours
                                  else "n/a"))  # fmt: skip
                continue
            ok = p99 < 0.010 and ours.failed == 0
            result = f"p99 {fmt_ms(p99)} ms" + (f", {ours.failed} failed" if ours.failed else "")
            out.append(Target(text, result, "PASS" if ok else "FAIL"))
    return out


# -- main -----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=3400,
                        help="agreements in the dataset (3400 ≈ 1M triples)")  # fmt: skip
    parser.add_argument(
        "--years", type=int, default=20, help="years (20); regions = agreements/years"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="at most, per cell (10)")
    parser.add_argument("--requests", type=int, default=100_000, help="at most, per cell (100000)")
    parser.add_argument("--rdflib-seconds", type=float, default=5.0,
                        help="at most, per rdflib-endpoint cell (5)")  # fmt: skip
    parser.add_argument("--rdflib-requests", type=int, default=2_000,
                        help="at most, per rdflib-endpoint cell (2000)")  # fmt: skip
    parser.add_argument("--peers", default=",".join(ALL_PEERS),
                        help=f"comma-separated, from {','.join(ALL_PEERS)} (all); '' for none")  # fmt: skip
    parser.add_argument("--kinds", default=",".join(KINDS), help="resource,lookup,aggregate")
    parser.add_argument("--query-workers", type=int, default=4,
                        help="our server's --query-workers (4: two per process)")  # fmt: skip
    parser.add_argument("--processes", type=int, default=2,
                        help="our server's --processes (2: both cores of the benchmark machine)")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="our server's --timeout (10, its default)")  # fmt: skip
    parser.add_argument("--quick", action="store_true",
                        help="200 agreements, 1 s cells (rdflib-endpoint 0.5 s): a minute or two")  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path,
                        help="data, stores and logs (reused when the parameters match; "
                             "default: a temporary folder)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    warm_up = WARM_UP_SECONDS
    if args.quick:
        args.agreements, args.years = min(args.agreements, 200), min(args.years, 10)
        args.seconds, args.rdflib_seconds = min(args.seconds, 1.0), min(args.rdflib_seconds, 0.5)
        warm_up = 5.0
    args.warm_up = warm_up
    peers = [p for p in args.peers.split(",") if p]
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = set(peers) - set(ALL_PEERS) or set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aqb-serve-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "logs").mkdir(exist_ok=True)
    servers: list[Server] = []

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # unwinds through the finally below

    signal.signal(signal.SIGTERM, terminate)
    # Ctrl-C too, even when started in the background by a shell that ignores SIGINT there.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run(args, workdir, peers, kinds, servers)
    except KeyboardInterrupt:
        print("\ninterrupted")
        return 130
    finally:
        # A second Ctrl-C or SIGTERM (the shell and `timeout` may both send one) must not
        # cut the cleanup short: ignore them until every server is stopped.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for server in reversed(servers):
            try:
                server.stop()
            except Exception as error:  # noqa: BLE001 - stop the others all the same
                print(f"  {server.name}: could not stop cleanly: {error}", file=sys.stderr)
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\nkept: {workdir}")


def run(args: argparse.Namespace, workdir: Path, peers: list[str], kinds: list[str],
        servers: list[Server]) -> int:  # fmt: skip
    cores = len(os.sched_getaffinity(0))
    years = max(1, min(args.years, args.agreements))
    regions = max(1, math.ceil(args.agreements / years))
    print(f"Python {sys.version.split()[0]}, {cores} cores; servers and load generator share them")
    data = prepare_data(workdir, regions, years, args.seed)
    print(f"  {len(data.agreements):,} agreements ({regions} regions × {years} years), "
          f"{data.triples:,} triples, release {data.release.name}")  # fmt: skip
    workload = make_workload(data, args.seed)

    print("\nStarting servers (loopback only)")
    starters: dict[str, Callable[[], Server]] = {
        "ours": lambda: start_ours_retrying(
            data, workdir, args.query_workers, args.timeout, args.processes
        ),
        "oxigraph": lambda: start_oxigraph(data, workdir),
        "virtuoso": lambda: start_virtuoso(data, workdir),
        "rdflib-endpoint": lambda: start_rdflib_endpoint(data, workdir),
    }
    started: dict[str, Server] = {}
    for name in ["ours", *peers]:
        try:
            server = starters[name]()
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            if name == "ours":
                print(f"  ours: cannot start: {error}")
                return 2
            print(f"  {name}: skipped: {error}")
            continue
        servers.append(server)
        problems = verify(server, data, workload)
        if problems:
            print(f"  {name}: WRONG ANSWERS, not measured: {'; '.join(problems)}")
            server.stop()
            servers.remove(server)
            if name == "ours":
                return 2
            continue
        started[name] = server
        print(f"  {name}: {server.version}, http://{HOST}:{server.port}{server.sparql_path} "
              "(answers checked)")  # fmt: skip
    ours = started["ours"]
    print(f"  (a) on ours: probe of /id/… answered {ours.ld_probe}; " + (
        f"measuring the Linked-Data route /id/… (Accept: text/turtle) and, as {SPARQL_FORM}, "
        "the peers' CONSTRUCT through /sparql" if ours.ld_routes
        else "measuring the CONSTRUCT through /sparql (no /id/… route)"))  # fmt: skip

    # Everything idle but the server under test: stop none, but measure one at a time.
    cells: list[Cell] = []
    if "oxigraph" in started:
        print("\nLoad generator ceiling: GET / (a static page) on the Oxigraph server")
        gen = measure_generator(started["oxigraph"], min(args.seconds, 3.0), args.requests)
        table(("conns", "req/s", "p50 ms", "p99 ms", "srv cores", "gen cores"),
              [(str(c.connections), fmt_rate(c.rate), fmt_ms(c.percentile(50)),
                fmt_ms(c.percentile(99)), f"{c.server_cpu:.2f}", f"{c.generator_cpu:.2f}")
               for c in gen])  # fmt: skip
        rows = wrk_cross_check(started["oxigraph"], workload.repeated["lookup"],
                               min(args.seconds, 3.0), workdir)  # fmt: skip
        if rows:
            print(
                "\nCross-check with wrk (C, one thread): (b) repeated lookups on the Oxigraph server"
            )
            table(("generator", "conns", "req/s", "p50 ms", "p99 ms", "failed"), rows)
    else:
        print("\nLoad generator ceiling: not measured (needs the Oxigraph server)")

    print(f"\nMeasuring: ≤ {args.seconds:g} s and ≤ {args.requests:,} requests per cell "
          f"(rdflib-endpoint ≤ {args.rdflib_seconds:g} s, ≤ {args.rdflib_requests:,}); cold "
          "cells also end when their distinct queries run out")  # fmt: skip
    for name, server in started.items():
        bounds = (Bounds(args.rdflib_seconds, args.rdflib_requests, args.warm_up)
                  if name == "rdflib-endpoint"
                  else Bounds(args.seconds, args.requests, args.warm_up))  # fmt: skip
        cells += measure_server(server, workload, bounds, kinds)
        if name == "ours" and server.ld_routes and "resource" in kinds:
            # The peers answer (a) with the CONSTRUCT; so does ours, for a like-for-like ratio.
            alias = Server(SPARQL_FORM, server.port, server.sparql_path, pgid=server.process.pid
                           if server.process else None)  # fmt: skip
            cells += measure_server(alias, workload, bounds, ["resource"])
    names = list(started)
    if any(c.server == SPARQL_FORM for c in cells):
        names.insert(1, SPARQL_FORM)

    print(f"\nResults: {data.triples:,} triples, {len(data.agreements):,} agreements\n")
    print_results(cells, names)
    print("\nTargets (issue 3; our server with every safety measure on)")
    results = targets(cells)
    table(("target", "result", "verdict"), [(t.text, t.result, t.verdict) for t in results])
    return 0 if all(t.verdict == "PASS" for t in results) else 1


if __name__ == "__main__":
    sys.exit(main())
