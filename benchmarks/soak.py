"""Soak ``aqb-rdf serve`` with ordinary and hostile clients for minutes; is it still whole?

The issue "Hold under hostile load and faults" asks for a mix of ordinary and hostile clients
for 10 minutes, reporting answers, failures, p99 and the server's memory over time. This runs
our server as shipped (default settings, every safety measure on) over the synthetic corpus of
``dataset.py`` and, all at the same time, on loopback only, each client from an address of
its own (ordinary client n from 127.0.1.n+1, each hostile kind from one 127.0.2.x address: on the
internet, too, every client has its address, and loopback's 127.0.0.1 is exempt from the
per-client budgets by default):

  ordinary     ``--clients`` threads, each sending lookups, aggregates and Linked-Data pages,
               every text new (never from a cache), one request per fresh connection
  runaway      a cross product every 5 s (the guard rightly lets it through; it runs to the time
               limit, and its process retires)
  crash        a string doubled forty times every 30 s (aborts the process that runs it)
  idle         connections that send half a request head and nothing more, up to 200 at a time
  non-reader   connections that ask for a large answer and never read it, up to 20 at a time
  padded       queries padded to 90 KB with comments, and URLs padded to 60 KB (cache keys)
  guard        55 KB queries of thousands of variables ending in an escaped ``SERVICE``

Every ``--window`` seconds it prints one line: ordinary answers and failures (by cause), their
p50 / p99, hostile requests sent, and the peak memory of the server's whole process tree in
the window (sampled every second): summed RSS, which counts the pages the processes share (the
store's files, the interpreter) once per process, and PSS, which divides them among the
processes, and the most processes at once. ``--hostile`` picks which hostile clients run, to
see what each costs.
At the end: PASS when no ordinary request failed except those in flight on a process that a
crash query took down (counted apart: at most ``--clients`` per crash), p99 stayed under
``--p99``, at most ``2 × processes + spares`` server processes ran at once within the README's
bound, and memory was flat (:func:`flatness`: medians of the windows' peaks and floors).

    .venv/bin/python benchmarks/soak.py --minutes 10           # the issue's soak
    .venv/bin/python benchmarks/soak.py --minutes 1 --agreements 200   # a quick look

Exits 0 on PASS, 1 on FAIL, 2 if the setup fails.
"""

from __future__ import annotations

import argparse
import http.client
import math
import random
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dataset import Dataset, prepare_data
from servers import HOST, Server, group_memory, start_ours_retrying
from workload import aggregate_query, lookup_query

from aqb_rdf.config import SERVE_MEMORY_LIMIT, SERVE_PROCESSES, SERVE_SPARES

MIB = 1 << 20


def ordinary_source(number: int) -> str:
    return f"127.0.1.{number + 1}"


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CRASH = (
    'SELECT ?a40 WHERE { BIND("ab" AS ?a0) '
    + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(40))
    + " }"
)
HOSTILE = ("runaway", "crash", "padded", "guard", "idle", "non-reader")
# Each hostile kind is one client (one address) with many connections.
HOSTILE_SOURCE = {kind: f"127.0.2.{number + 1}" for number, kind in enumerate(HOSTILE)}
LARGE = "SELECT * WHERE { ?s ?p ?o }"
"""Every triple: a large answer (tens of MB at 1M triples)."""


def sparql_path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


@dataclass
class Window:
    """What happened in one reporting window."""

    ok: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    hostile: Counter[str] = field(default_factory=Counter)
    crashes: int = 0
    rss: int = 0
    """The peak of the tree's summed resident memory in the window (sampled every second)."""
    floor: int = 0
    """The lowest of those samples: what the tree holds between hostile queries."""
    pss: int = 0
    """The peak of its proportional set size (shared pages counted once)."""
    processes: int = 0
    """The most processes in the tree at once."""


def failure_cause(status: int, body: bytes) -> str:
    """A failed answer's cause as the soak counts it: the status, and for a 503 or 429 the
    start of the server's one-line message (``503 no query slot came free``), so that each
    kind of refusal is counted apart."""
    if status not in (429, 503):
        return str(status)
    message = body.decode("utf-8", "replace").strip().splitlines()[:1]
    words = " ".join(message[0].split()[:5]) if message else ""
    return f"{status} {words}".strip()


class Soak:
    """The clients, the windows they report into, and the crash moments."""

    def __init__(self, server: Server, data: Dataset, clients: int, seed: int) -> None:
        self.server = server
        self.data = data
        self.clients = clients
        self.random = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.windows: list[Window] = [Window()]
        self.crash_spans: list[tuple[float, float]] = []
        """When each crash query was sent and when its answer (or reset) came."""
        self.threads: list[threading.Thread] = []

    @property
    def window(self) -> Window:
        return self.windows[-1]

    # --- ordinary clients

    def ordinary(self, number: int) -> None:
        count = 0
        while not self.stop.is_set():
            count += 1
            agreement = self.random.choice(self.data.agreements)
            kind = count % 3
            if kind == 0:
                path = sparql_path(f"{lookup_query(agreement)} # {number} {count}")
            elif kind == 1:
                threshold = self.random.randrange(0, 2_000_000)
                path = sparql_path(f"{aggregate_query(threshold)} # {number} {count}")
            else:
                path = "/" + agreement.iri.removeprefix("https://aqb-rdf.example/")
                path += f"?n={number}-{count}"  # a new page key each time
            started = time.monotonic()
            try:
                status, body = self._get_answer(path, 30.0, ordinary_source(number))
                cause = "" if status == 200 else failure_cause(status, body)
            except OSError as error:
                cause = type(error).__name__
            took = time.monotonic() - started
            with self.lock:
                if cause:
                    self.window.failed[self._blame(cause, started, started + took)] += 1
                else:
                    self.window.ok += 1
                    self.window.latencies.append(took)
            time.sleep(0.01)

    def _blame(self, cause: str, started: float, ended: float) -> str:
        """A connection's failure while a crash query ran (from its request to its reset) is
        the crash's, counted apart: the process that aborts cuts every request it serves, also
        those sent after the crash query while it grew to the limit (before, only requests
        begun before the crash query were blamed on it, and those were counted as failures)."""
        if cause in ("ConnectionResetError", "RemoteDisconnected", "BadStatusLine",
                     "IncompleteRead", "ConnectionAbortedError"):  # fmt: skip
            if any(start <= ended and started <= end for start, end in self.crash_spans[-3:]):
                return f"crash:{cause}"
        return cause

    def _get(self, path: str, timeout: float, source: str) -> int:
        return self._get_answer(path, timeout, source)[0]

    def _get_answer(self, path: str, timeout: float, source: str) -> tuple[int, bytes]:
        """The status and body of a GET of ``path`` from ``source`` on a fresh connection."""
        connection = http.client.HTTPConnection(
            HOST, self.server.port, timeout=timeout, source_address=(source, 0)
        )
        try:
            connection.request("GET", path, headers={"Accept": "text/turtle, */*;q=0.1"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    # --- hostile clients

    def every(self, seconds: float, name: str, action: object) -> None:
        while not self.stop.wait(seconds * (0.5 + self.random.random())):
            try:
                action()  # type: ignore[operator]
            except OSError:
                pass
            with self.lock:
                self.window.hostile[name] += 1

    def runaway(self) -> None:
        self._get(sparql_path(RUNAWAY), 60.0, HOSTILE_SOURCE["runaway"])

    def crash(self) -> None:
        with self.lock:
            self.crash_spans.append((time.monotonic(), math.inf))
            self.window.crashes += 1
        try:
            self._get(sparql_path(CRASH), 60.0, HOSTILE_SOURCE["crash"])
        finally:
            with self.lock:  # the crash is over when its answer (or reset) came
                self.crash_spans[-1] = (self.crash_spans[-1][0], time.monotonic())

    def idle_heads(self, most: int = 200) -> None:
        held: list[socket.socket] = []
        while not self.stop.is_set():
            if len(held) < most:
                try:
                    sock = socket.create_connection(
                        (HOST, self.server.port),
                        timeout=5,
                        source_address=(HOSTILE_SOURCE["idle"], 0),
                    )
                    sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
                    held.append(sock)
                    with self.lock:
                        self.window.hostile["idle"] += 1
                except OSError:
                    pass
            else:  # the server may have closed them: replace the oldest
                held.pop(0).close()
            self.stop.wait(0.05)
        for sock in held:
            sock.close()

    def non_readers(self, most: int = 20) -> None:
        held: list[socket.socket] = []
        count = 0
        while not self.stop.is_set():
            count += 1
            if len(held) >= most:
                held.pop(0).close()
            try:
                sock = socket.create_connection(
                    (HOST, self.server.port),
                    timeout=5,
                    source_address=(HOSTILE_SOURCE["non-reader"], 0),
                )
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                path = sparql_path(f"{LARGE} # {count}")
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                held.append(sock)
                with self.lock:
                    self.window.hostile["non-reader"] += 1
            except OSError:
                pass
            self.stop.wait(1.0)
        for sock in held:
            sock.close()

    def padded(self) -> None:
        n = self.random.randrange(1 << 30)
        self._get(sparql_path(f"ASK {{}} #{n}" + "p" * 90_000), 30.0, HOSTILE_SOURCE["padded"])
        agreement = self.random.choice(self.data.agreements)
        path = "/" + agreement.iri.removeprefix("https://aqb-rdf.example/")
        self._get(f"{path}?pad={n}{'p' * 60_000}", 30.0, HOSTILE_SOURCE["padded"])

    def guard(self) -> None:
        variables = " ".join(f"?v{i}" for i in range(7_985))
        query = f"SELECT {variables} WHERE {{ }} \\u0053ERVICE"
        self._get(sparql_path(query), 30.0, HOSTILE_SOURCE["guard"])

    # --- the run

    def start(self, hostile: set[str]) -> None:
        targets: list[tuple[object, tuple[object, ...]]] = [
            (self.ordinary, (n,)) for n in range(self.clients)
        ]
        targets.append((self.sample_memory, ()))
        kinds = {
            "runaway": (self.every, (5.0, "runaway", self.runaway)),
            "crash": (self.every, (30.0, "crash", self.crash)),
            "padded": (self.every, (0.5, "padded", self.padded)),
            "guard": (self.every, (0.5, "guard", self.guard)),
            "idle": (self.idle_heads, ()),
            "non-reader": (self.non_readers, ()),
        }
        targets += [kinds[kind] for kind in HOSTILE if kind in hostile]
        for target, args in targets:
            thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
            thread.start()
            self.threads.append(thread)

    def sample_memory(self) -> None:
        """Every second, the tree's memory into the window's peaks."""
        pgid = self.server.process.pid if self.server.process else 0
        while not self.stop.wait(1.0):
            rss, pss, count = group_memory(pgid)
            with self.lock:
                window = self.window
                window.rss, window.pss = max(window.rss, rss), max(window.pss, pss)
                window.floor = min(window.floor, rss) if window.floor else rss
                window.processes = max(window.processes, count)

    def next_window(self) -> Window:
        with self.lock:
            done = self.window
            self.windows.append(Window())
        return done

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:,.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--window", type=float, default=30.0, help="seconds per report line")
    parser.add_argument("--agreements", type=int, default=1_700, help="(1,700: about 1M triples)")
    parser.add_argument("--years", type=int, default=25)
    parser.add_argument("--clients", type=int, default=8, help="ordinary clients")
    parser.add_argument("--p99", type=float, default=2.0, help="seconds the ordinary p99 may take")
    parser.add_argument("--timeout", type=float, default=10.0, help="our server's --timeout")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="data and logs (reused when they match)")
    parser.add_argument("--hostile", default=",".join(HOSTILE),
                        help=f"the hostile clients to run, comma-separated (default: all of {', '.join(HOSTILE)})")  # fmt: skip
    args = parser.parse_args(argv)
    hostile = {kind.strip() for kind in args.hostile.split(",") if kind.strip()}
    if hostile - set(HOSTILE):
        parser.error(f"unknown hostile clients: {', '.join(sorted(hostile - set(HOSTILE)))}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aqb-soak-"))
    (workdir / "logs").mkdir(parents=True, exist_ok=True)
    years = max(1, min(args.years, args.agreements))
    data = prepare_data(workdir, max(1, math.ceil(args.agreements / years)), years, args.seed)
    print(f"{len(data.agreements):,} agreements, {data.triples:,} triples; "
          f"{args.clients} ordinary clients and {', '.join(k for k in HOSTILE if k in hostile) or 'no hostile ones'} "
          f"for {args.minutes:g} min")  # fmt: skip
    server: Server | None = None
    try:
        server = start_ours_retrying(data, workdir, None, args.timeout, None)
        soak = Soak(server, data, args.clients, args.seed)
        soak.start(hostile)
        ends = time.monotonic() + args.minutes * 60
        print(f"{'t s':>6} {'ok':>6} {'failed':>7} {'crash-hit':>9} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'hostile':>8} {'RSS MiB':>8} {'floor':>6} {'PSS MiB':>8} {'procs':>5}  failures")  # fmt: skip
        started = time.monotonic()
        while time.monotonic() < ends:
            time.sleep(min(args.window, max(0.0, ends - time.monotonic())))
            w = soak.next_window()
            crash_hits = sum(n for cause, n in w.failed.items() if cause.startswith("crash:"))
            failed = sum(w.failed.values()) - crash_hits
            print(f"{time.monotonic() - started:6.0f} {w.ok:6d} {failed:7d} {crash_hits:9d} "
                  f"{ms(percentile(w.latencies, 0.5)):>8} {ms(percentile(w.latencies, 0.99)):>8} "
                  f"{sum(w.hostile.values()):8d} {w.rss / MIB:8.0f} {w.floor / MIB:6.0f} {w.pss / MIB:8.0f} "
                  f"{w.processes:5d}  "
                  f"{dict(w.failed) or ''}", flush=True)  # fmt: skip
        soak.finish()
        return verdict(soak.windows[:-1], args)
    except (RuntimeError, OSError) as error:
        print(f"setup failed: {error}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.stop()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def flatness(windows: list[Window]) -> tuple[str, bool]:
    """Whether the tree's memory stayed flat: the median of the windows' peaks and of their
    floors in the second half of the run at most 1.25 × those of the first half + 64 MiB.

    Medians, not one window against another: a crash query grows its process to the memory
    limit within seconds and a runaway keeps evaluating until its process ends, so one window's
    peak is 1.2 or 3.7 GiB by when a sample falls (10-minute run of 2026-12-02: peaks 1,221 to
    3,671 MiB in windows 2 to 20, medians 2,271 and 2,242 MiB; comparing the second window with
    the last, as before, said 1,248 → 3,671 MiB). A leak moves both medians, the floors most."""
    half = len(windows) // 2
    first, second = windows[:half], windows[half:]
    checks = []
    for name, value in (("peaks", lambda w: w.rss), ("floors", lambda w: w.floor)):
        before = statistics.median(map(value, first))
        after = statistics.median(map(value, second))
        checks.append((f"{name} {before / MIB:,.0f} → {after / MIB:,.0f} MiB",
                       after <= 1.25 * before + 64 * MIB))  # fmt: skip
    text = "memory, median per window in the first and the second half of the run: "
    return text + ", ".join(t for t, _ in checks), all(ok for _, ok in checks)


def verdict(windows: list[Window], args: argparse.Namespace) -> int:
    ok = sum(w.ok for w in windows)
    crash_hits = sum(n for w in windows for c, n in w.failed.items() if c.startswith("crash:"))
    failed = sum(sum(w.failed.values()) for w in windows) - crash_hits
    crashes = sum(w.crashes for w in windows)
    p99 = percentile([t for w in windows for t in w.latencies], 0.99)
    checks = [
        (f"ordinary requests failed: {failed} of {ok + failed + crash_hits}", failed == 0),
        (
            f"in flight on a crashed process: {crash_hits} (at most {args.clients} × {crashes} "
            "crashes)",
            crash_hits <= args.clients * max(crashes, 1),
        ),  # fmt: skip
        (
            f"ordinary p99: {ms(p99)} ms (limit {args.p99 * 1000:,.0f})",
            p99 is not None and p99 < args.p99,
        ),
    ]
    # The bound of the README ("The memory of the whole tree"), for the defaults it runs with.
    processes, spares = SERVE_PROCESSES.default, SERVE_SPARES.default
    most = 2 * processes + spares
    peak_processes = max((w.processes for w in windows), default=0)
    peak_rss = max((w.rss for w in windows), default=0)
    peak_pss = max((w.pss for w in windows), default=0)
    checks.append((
        f"processes at once: {peak_processes} (at most {most} and the supervisor); tree peak "
        f"{peak_rss / MIB:,.0f} MiB RSS, {peak_pss / MIB:,.0f} MiB PSS (bound: {most} × "
        f"{SERVE_MEMORY_LIMIT.default / MIB:,.0f} MiB and the supervisor)",
        peak_processes <= most + 1 and peak_rss <= most * SERVE_MEMORY_LIMIT.default + 256 * MIB,
    ))  # fmt: skip
    if len(windows) >= 5:
        checks.append(flatness(windows[1:]))
    causes = sum((w.failed for w in windows), Counter[str]())
    print()
    if causes:
        print("failures by cause over the run: " + ", ".join(
            f"{cause} × {n}" for cause, n in causes.most_common()))  # fmt: skip
    for text, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {text}")
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
