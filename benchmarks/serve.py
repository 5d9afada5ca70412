"""Benchmark ``aqb-rdf serve`` against SPARQL servers serving the same data in the same run.

On a synthetic dataset (``corpus.py``, about 295 triples per agreement: 3,400 agreements are
about 1M triples) it measures requests/s and p50/p99 latency at 1 and 8 connections for

  (a) resource   one agreement as Turtle: ``CONSTRUCT`` of its triples, both directions; on
                 our server also ``GET /id/…`` (the Linked-Data route, its own larger
                 description) when that route exists, the CONSTRUCT then shown as ours-sparql;
                 as Turtle and as HTML over disjoint halves of the cold agreements (both run
                 the same describe query, whose answer the server keeps)
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
``aqb-rdf serve`` with its default settings: sandboxed processes, query guard, time limit.

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

The entry point (options, the run, cleanup on errors and Ctrl-C); the work is in modules beside
it, one job each: ``dataset.py`` (corpus and build), ``workload.py`` (the queries),
``servers.py`` (start, wait ready, stop), ``checks.py`` (answers against the data), ``cells.py``
and ``load.py`` (the load generator), ``report.py`` (the table and the targets).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the modules beside this one
from cells import Cell, fmt_ms, fmt_rate
from checks import verify
from dataset import prepare_data
from load import WARM_UP_SECONDS, Bounds, measure_generator, measure_server, wrk_cross_check
from report import HTML_FORM, MIB, SPARQL_FORM, print_results, table, targets
from servers import (
    HOST,
    Server,
    group_rss,
    start_ours_retrying,
    start_oxigraph,
    start_rdflib_endpoint,
    start_virtuoso,
)
from workload import KINDS, disjoint_resources, make_workload

ALL_PEERS = ("oxigraph", "virtuoso", "rdflib-endpoint")


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
    parser.add_argument("--query-workers", type=int, default=None,
                        help="our server's --query-workers (default: the server's own)")  # fmt: skip
    parser.add_argument("--processes", type=int, default=None,
                        help="our server's --processes (default: the server's own)")  # fmt: skip
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


class PeakMemory:
    """Samples the resident memory of a server's process group every 0.2 s while in use."""

    def __init__(self, server: Server) -> None:
        self.pgid = server.process.pid if server.process else None
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while self.pgid is not None:
            self.peak = max(self.peak, group_rss(self.pgid))
            if self._stop.wait(0.2):
                break


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
    memory: dict[str, int] = {}
    for name, server in started.items():
        bounds = (Bounds(args.rdflib_seconds, args.rdflib_requests, args.warm_up)
                  if name == "rdflib-endpoint"
                  else Bounds(args.seconds, args.requests, args.warm_up))  # fmt: skip
        with PeakMemory(server) as peak:
            ld_turtle, ld_html = disjoint_resources(workload)
            own = ld_turtle if name == "ours" and server.ld_routes else workload
            cells += measure_server(server, own, bounds, kinds)
            if name == "ours" and server.ld_routes and "resource" in kinds:
                # The peers answer (a) with the CONSTRUCT; so does ours, for a like-for-like
                # ratio; and the Linked-Data route as HTML, the page a person gets.
                pgid = server.process.pid if server.process else None
                alias = Server(SPARQL_FORM, server.port, server.sparql_path, pgid=pgid)
                cells += measure_server(alias, workload, bounds, ["resource"])
                html = Server(HTML_FORM, server.port, server.sparql_path, pgid=pgid,
                              ld_routes=True, accept="text/html")  # fmt: skip
                cells += measure_server(html, ld_html, bounds, ["resource"])
        memory[name] = peak.peak
    names = list(started)
    if any(c.server == SPARQL_FORM for c in cells):
        names[1:1] = [SPARQL_FORM, HTML_FORM]

    print(f"\nResults: {data.triples:,} triples, {len(data.agreements):,} agreements\n")
    print_results(cells, names)
    print("\nPeak resident memory of each server's process tree while it was measured")
    table(("server", "peak MiB"), [(name, f"{memory[name] / MIB:,.0f}") for name in memory])
    print("\nTargets (issue 10; our server with every safety measure on, default settings)")
    results = targets(cells, memory.get("ours"))
    table(("target", "result", "verdict"), [(t.text, t.result, t.verdict) for t in results])
    return 0 if all(t.verdict == "PASS" for t in results) else 1


if __name__ == "__main__":
    sys.exit(main())
