"""The servers under test: start each on loopback, wait until it answers, stop its process group.

Our server (``aqb-rdf serve`` as shipped), the Oxigraph server (``serve-read-only`` on a loaded,
optimised store), OpenLink Virtuoso (a private configuration, loaded with ``ld_dir``) and
rdflib-endpoint. Each runs in a process group of its own, so that stopping it (and counting its
CPU time) includes its children. Virtuoso's configuration is the template ``tests/virtuoso.ini``,
read here as a file: the tests' store helpers (``tests/stores.py``) use the same one, and neither
side imports the other.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dataset import BASE, Dataset
from workload import TURTLE, Query

BIN = Path(sys.executable).parent  # the venv's bin: aqb-rdf, oxigraph, rdflib-endpoint
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60.0
"""Seconds one request may take before the generator gives up on it (counted as an error)."""
VIRTUOSO_INI = Path(__file__).resolve().parent.parent / "tests" / "virtuoso.ini"
"""Virtuoso's configuration: a ``str.format`` template, read as a file and shared with the tests."""


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
    accept: str | None = None
    """The media type asked for instead of each query's own (``ours-html``: text/html)."""

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


PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def _group_processes(pgid: int) -> Iterator[tuple[str, list[bytes]]]:
    """The pid and the fields of ``/proc/<pid>/stat`` after the name (``fields[0]`` is field
    3, the state) of every process in the process group ``pgid`` (field 5)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        if int(fields[2]) == pgid:
            yield entry.name, fields


def _group_stats(pgid: int) -> Iterator[list[bytes]]:
    """The ``/proc/<pid>/stat`` fields of every process in the group (:func:`_group_processes`)."""
    return (fields for _, fields in _group_processes(pgid))


def group_rss(pgid: int) -> int:
    """The summed resident memory of every live process in the process group, in bytes."""
    return sum(int(f[21]) * PAGE for f in _group_stats(pgid) if f[0] != b"Z")  # rss: field 24


def group_memory(pgid: int) -> tuple[int, int, int]:
    """The resident and the proportional set size (shared pages divided among the processes
    that map them: the store's files, the interpreter) summed over every live process in the
    group, in bytes, and how many processes there are."""
    rss = pss = count = 0
    for pid, fields in _group_processes(pgid):
        if fields[0] == b"Z":
            continue
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                rollup = f.read()
        except OSError:
            continue  # ended meanwhile
        for line in rollup.splitlines():
            name, _, rest = line.partition(b":")
            if name == b"Rss":
                rss += int(rest.split()[0]) * 1024
            elif name == b"Pss":
                pss += int(rest.split()[0]) * 1024
        count += 1
    return rss, pss, count


def group_cpu(pgid: int) -> float:
    """User + system CPU seconds of the processes in the group (fields 14 and 15)."""
    return sum(int(f[11]) + int(f[12]) for f in _group_stats(pgid)) / TICKS


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
    data: Dataset, workdir: Path, workers: int | None, timeout: float, processes: int | None
) -> Server:
    log = workdir / "logs" / "ours.log"
    server = Server("ours", free_port(), "/sparql", log=log)
    server.process = start_process(
        [BIN / "aqb-rdf", "serve", data.dist, "--host", HOST, "--port", str(server.port),
         "--timeout", str(timeout),
         *(("--query-workers", str(workers)) if workers is not None else ()),
         *(("--processes", str(processes)) if processes is not None else ())],
        log,
    )  # fmt: skip
    # The first start of a release loads its store from aqb.trig (about a minute at 1M triples).
    try:
        wait_ready(server, "/sparql" + ASK_PROBE, 600)
    except RuntimeError:
        server.stop()
        raise
    from importlib.metadata import version

    shape = ", ".join(
        [*([f"{processes} processes"] if processes else ["default processes"]),
         *([f"{workers} query slots each"] if workers else [])]
    )  # fmt: skip
    server.version = f"aqb-rdf {version('aqb-rdf')}, {shape}, timeout {timeout:g} s"
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
    data: Dataset, workdir: Path, workers: int | None, timeout: float, processes: int | None
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
