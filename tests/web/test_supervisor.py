"""``aqb-rdf serve``: a supervisor, sandboxed server processes and a warm spare on one port.

The real server over copies of the session's build of data/agreements (``conftest.py``), real
clients on fresh connections, real signals. Processes are found through /proc (Linux); each
server process names its state in ``/proc/<pid>/comm`` (``aqb-active``, ``aqb-spare``,
``aqb-retiring``). The blast-radius tests run 8 clients of ordinary, uncached queries while
one process is crashed or runs a query past its limit, and a canary listener counts any
connection a process makes.
"""

from __future__ import annotations

import http.client
import os
import resource
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aqb_rdf.web.sandboxed import HEARTBEAT_GRACE
from canary import Canary
from live_server import AQB_RDF, Server, serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve, several times

ASK = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""Ten billion rows and more: runs until its time limit (the guard rightly lets it through)."""
TIMEOUT = 4.0


def sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def children(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def state(pid: int) -> str:
    """``active``, ``spare``, ``retiring`` (or ``starting``: not named yet; ``gone``)."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "gone"
    return name.removeprefix("aqb-") if name.startswith("aqb-") else "starting"


def states(parent: int) -> dict[int, str]:
    return {pid: state(pid) for pid in children(parent)}


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(condition: object, seconds: float, what: str) -> float:
    """Poll ``condition()`` every 20 ms until it is true; the seconds it took."""
    started = time.monotonic()
    while not condition():  # type: ignore[operator]
        assert time.monotonic() - started < seconds, f"{what}: not within {seconds} s"
        time.sleep(0.02)
    return time.monotonic() - started


def settled(parent: int, active: int, spares: int) -> bool:
    now = list(states(parent).values())
    return now.count("active") == active and now.count("spare") == spares


@dataclass
class Answer:
    started: float
    ended: float
    status: int  # 0: no answer (connection closed or reset)


class Clients:
    """``count`` threads sending ordinary, uncached queries on fresh connections until stopped."""

    def __init__(self, server: Server, count: int = 8) -> None:
        self.server = server
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(count)]

    def __enter__(self) -> Clients:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, n: int) -> None:
        i = 0
        while not self._stop.is_set():
            i += 1
            # A new text each time: never answered from a cache.
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a ?type }} # client {n} query {i}"
            started = time.monotonic()
            try:
                status = self.server.request("GET", sparql(query), timeout=20)[0]
            except (OSError, http.client.HTTPException):  # closed mid-answer (IncompleteRead)
                status = 0
            self.answers.append(Answer(started, time.monotonic(), status))
            time.sleep(0.02)

    def failures(self) -> list[Answer]:
        return [a for a in self.answers if a.status != 200]

    def longest_gap(self) -> float:
        """The longest time between two successful answers."""
        ends = sorted(a.ended for a in self.answers if a.status == 200)
        return max((b - a for a, b in zip(ends, ends[1:], strict=False)), default=0.0)


@pytest.fixture
def supervised(copy_of_default_dataset: Path) -> Iterator[Server]:
    options = ("--processes", "2", "--spares", "1", "--timeout", str(TIMEOUT))
    with serving(copy_of_default_dataset, *options) as server:
        wait_for(lambda: settled(server.process.pid, 2, 1), 60, "two active and one spare")
        yield server


def test_every_process_is_sandboxed_and_a_spare_waits(supervised: Server) -> None:
    parent = supervised.process.pid
    now = states(parent)
    assert sorted(now.values()) == ["active", "active", "spare"]
    own_network = os.readlink(f"/proc/{parent}/ns/net")
    for pid in now:  # each in its own, empty network namespace
        assert os.readlink(f"/proc/{pid}/ns/net") != own_network
    assert [supervised.request("GET", ASK)[0] for _ in range(20)] == [200] * 20
    # The spare accepts nothing: with both active processes stopped, no answer comes.
    active = [pid for pid, s in now.items() if s == "active"]
    for pid in active:
        os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises(TimeoutError):
            supervised.request("GET", ASK, timeout=1)
    finally:
        for pid in active:
            os.kill(pid, signal.SIGCONT)


def test_a_killed_process_is_replaced_by_the_spare_within_a_second(supervised: Server) -> None:
    parent = supervised.process.pid
    before = states(parent)
    victim = next(pid for pid, s in before.items() if s == "active")
    spare = next(pid for pid, s in before.items() if s == "spare")
    os.kill(victim, signal.SIGKILL)
    took = wait_for(lambda: state(spare) == "active", 1.0, "the spare takes over")
    assert took < 1.0
    wait_for(lambda: settled(parent, 2, 1), 30, "a new spare")
    # A process that stops (its event loop no longer beats) is killed within the heartbeat's
    # grace, and the connections waiting on its socket are answered by the next spare.
    other = next(pid for pid, s in before.items() if s == "active" and pid != victim)
    os.kill(other, signal.SIGSTOP)
    try:
        started = time.monotonic()
        assert [supervised.request("GET", ASK, timeout=10)[0] for _ in range(10)] == [200] * 10
        assert time.monotonic() - started < HEARTBEAT_GRACE + 2
        wait_for(lambda: not alive(other), HEARTBEAT_GRACE + 1, "the stopped process is killed")
    finally:
        if alive(other):
            os.kill(other, signal.SIGCONT)


@pytest.mark.parametrize("crash", [signal.SIGSEGV, signal.SIGABRT])
def test_a_crash_affects_only_the_requests_on_its_process(
    supervised: Server, canary: Canary, crash: signal.Signals
) -> None:
    parent = supervised.process.pid
    before = states(parent)
    slow: list[int] = []
    runaway = threading.Thread(
        target=lambda: slow.append(_status(supervised, sparql(RUNAWAY), TIMEOUT + 10))
    )
    runaway.start()
    with Clients(supervised) as clients:
        time.sleep(0.5)
        busy = _burning(before)  # the process running the runaway query
        killed_at = time.monotonic()
        os.kill(busy, crash)
        spare = next(pid for pid, s in before.items() if s == "spare")
        wait_for(lambda: state(spare) == "active", 1.0, "the spare takes over")
        time.sleep(1.5)
    runaway.join(TIMEOUT + 10)
    assert slow == [0]  # its connection closed: the process it was on is gone
    failed = clients.failures()
    # At most the requests in flight on that process at that moment: one per client at most,
    # each begun before the crash and ended by it.
    assert len(failed) <= 8, failed
    assert all(a.status == 0 and a.started <= killed_at <= a.ended + 0.1 for a in failed), failed
    assert len(clients.answers) - len(failed) > 40
    assert clients.longest_gap() < 1.0
    assert canary.connections == 0


def test_a_runaway_query_is_answered_503_and_its_process_retires(
    supervised: Server, canary: Canary
) -> None:
    parent = supervised.process.pid
    before = states(parent)
    with Clients(supervised) as clients:
        time.sleep(0.3)
        started = time.monotonic()
        status, headers, _ = supervised.request("GET", sparql(RUNAWAY), timeout=TIMEOUT + 10)
        answered = time.monotonic() - started
        retired = next(pid for pid in before if not alive(pid) or state(pid) == "retiring")
        spare = next(pid for pid, s in before.items() if s == "spare")
        wait_for(lambda: state(spare) == "active", 1.0, "the spare takes over")
        wait_for(lambda: not alive(retired), TIMEOUT + 2, "the retired process ends")
        time.sleep(0.5)
    assert status == 503 and headers["retry-after"].isdigit()
    assert TIMEOUT - 0.1 < answered < TIMEOUT + 1.0
    assert clients.failures() == []  # the other requests on that process were answered
    assert clients.longest_gap() < 1.0
    assert canary.connections == 0
    wait_for(lambda: settled(parent, 2, 1), 30, "a new spare")


def test_ten_kills_of_idle_processes_under_load_fail_only_requests_in_flight(
    supervised: Server,
) -> None:
    """Issue 11, item 8: ten kills of idle workers under load gave 11 × 500 of 276 (the next
    client noticed the dead worker). Now the supervisor keeps each socket, and the connections
    waiting there go to the spare: no 500, and no request fails but those in flight on the
    killed process at the moment of its kill (as a crash, above)."""
    parent = supervised.process.pid
    kills: list[float] = []
    with Clients(supervised) as clients:
        for n in range(10):
            wait_for(lambda: settled(parent, 2, 1), 60, "two active and one spare")
            time.sleep(0.3)
            active = sorted(pid for pid, s in states(parent).items() if s == "active")
            victim = active[n % 2]
            kills.append(time.monotonic())
            os.kill(victim, signal.SIGKILL)
            wait_for(lambda: not alive(victim), 5, "the killed process is gone")
        time.sleep(0.5)
    failed = clients.failures()
    assert [a for a in failed if a.status != 0] == []  # no 500, nor any other status
    in_flight = [a for a in failed if any(a.started <= k <= a.ended + 0.1 for k in kills)]
    assert in_flight == failed, [a for a in failed if a not in in_flight]
    assert len(failed) <= 10 * 8  # at most one request per client per kill
    assert len(clients.answers) - len(failed) > 100


def test_queries_waiting_behind_runaways_are_answered_by_the_retiring_process(
    copy_of_default_dataset: Path,
) -> None:
    """Three runaways on one process of two slots: two run to the time limit; the third
    waits, then gets a slot written off by a runaway and runs to its own limit: three 503s.
    Before, the process's last heartbeat, written after it retired, had the supervisor kill
    it 2 s later, and the third got no answer at all (the connection closed)."""
    options = ("--processes", "1", "--query-workers", "2", "--queue-wait", "10",
               "--timeout", str(TIMEOUT))  # fmt: skip
    with serving(copy_of_default_dataset, *options) as server:
        wait_for(lambda: settled(server.process.pid, 1, 1), 60, "one active and one spare")
        statuses: list[int] = []
        threads = [
            threading.Thread(
                target=lambda: statuses.append(_status(server, sparql(RUNAWAY), 3 * TIMEOUT))
            )
            for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=3 * TIMEOUT + 10)
    assert statuses == [503, 503, 503]


def test_a_connection_accepted_just_before_its_process_retires_is_answered(
    copy_of_default_dataset: Path,
) -> None:
    """A client that has connected but not yet sent its request when the process retires is
    answered (then the connection closes), not reset: before, uvicorn's shutdown closed every
    connection without a request in progress, and the client got ``Connection reset``."""
    options = ("--processes", "1", "--spares", "1", "--timeout", str(TIMEOUT))
    with serving(copy_of_default_dataset, *options) as server:
        parent = server.process.pid
        wait_for(lambda: settled(parent, 1, 1), 60, "one active and one spare")
        active = next(pid for pid, s in states(parent).items() if s == "active")
        early = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT + 10)
        early.connect()  # accepted by the active process, no request yet
        time.sleep(0.3)
        runaway = threading.Thread(target=_status, args=(server, sparql(RUNAWAY), TIMEOUT + 10))
        runaway.start()
        try:
            wait_for(lambda: state(active) == "retiring", TIMEOUT + 5, "the process retires")
            time.sleep(0.4)  # its uvicorn shuts down at its next tick (0.1 s)
            early.request("GET", ASK)
            response = early.getresponse()
            assert response.status == 200
            assert response.getheader("Connection") == "close"
            response.read()
        finally:
            early.close()
            runaway.join(TIMEOUT + 10)


MIB = 1 << 20
LARGE_CONSTRUCT = "CONSTRUCT { ?s ?p ?o2 } WHERE { ?s ?p ?o . ?x ?y ?o2 } LIMIT 30000"
"""About 3.3 MB of N-Triples (under the answer cache's 4 MiB, so it is kept), whose JSON-LD
takes Python about three times that while it is made."""


TIGHT_MALLOC = {
    "MALLOC_ARENA_MAX": "1",
    "MALLOC_MMAP_THRESHOLD_": str(128 << 10),
    "MALLOC_TRIM_THRESHOLD_": str(128 << 10),
}
"""glibc's allocator settings under which a process's address space follows what it holds
(glibc(7) "tunables", mallopt(3)). By default a thread's arena reserves 64 MiB that
``RLIMIT_AS`` has already counted, and once a large block has been freed, glibc raises its mmap
threshold and keeps up to twice that (tens of MB) free at the heap's top: room to grow that no
limit on the address space sees. One arena, a fixed mmap threshold and trimming every free
leave no such room, so the JSON-LD below must ask the kernel for memory."""


def vm_size(pid: int) -> int:
    """The bytes of address space process ``pid`` uses now (what ``RLIMIT_AS`` bounds)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmSize for {pid}")


def test_an_answer_that_exhausts_the_memory_limit_is_told_so(
    copy_of_default_dataset: Path,
) -> None:
    """Issue 11, item 8: "queries that exhaust their memory get a clear answer". A real query on
    the real server: its N-Triples are answered and kept; then the test brings the active
    process near its limit, as a large answer would, by lowering its ``RLIMIT_AS`` (``prlimit``,
    from outside; nothing in the server knows) to the address space it uses now, rounded up to
    a MiB. Its JSON-LD needs about 10 MB more, in Python (a ``MemoryError``; the process lives
    on): a 500 that names the limit in force and what to ask instead, one line in the log, no
    traceback, and the process retires; the spare answers the next request. (Set as a fixed
    ``--memory-limit``, where the limit runs out varied by machine: the earlier test of 640 MiB
    failed in CI's clean clone. Where the engine itself runs out, Rust aborts the process: its
    connections close without an answer, as for any crash.)

    The server runs with :data:`TIGHT_MALLOC`: with glibc's defaults the limit set at "what the
    process uses now" was not near at all, and the JSON-LD was sometimes made (CI, once)."""
    options = ("--processes", "1", "--spares", "1", "--timeout", "60")
    with serving(copy_of_default_dataset, *options, environment=TIGHT_MALLOC) as server:
        parent = server.process.pid
        wait_for(lambda: settled(parent, 1, 1), 60, "one active and one spare")
        active = next(pid for pid, s in states(parent).items() if s == "active")
        path = sparql(LARGE_CONSTRUCT)
        status, _, ntriples = server.request(
            "GET", path, headers={"Accept": "application/n-triples"}, timeout=60
        )
        assert status == 200, ntriples[:200]
        assert 2 * MIB < len(ntriples) < 4 * MIB  # kept: the JSON-LD below runs no query
        limit = -(-vm_size(active) // MIB) * MIB
        _, hard = resource.prlimit(active, resource.RLIMIT_AS)
        resource.prlimit(active, resource.RLIMIT_AS, (limit, hard))
        status, _, body = server.request(
            "GET", path, headers={"Accept": "application/ld+json"}, timeout=60
        )
        assert status == 500, body[:200]
        assert body.decode() == (
            f"the query ran out of memory: a server process may use {limit // MIB:,} MiB; ask "
            "for less (LIMIT, fewer variables, another format than JSON-LD)\n"
        )
        wait_for(lambda: state(active) in ("retiring", "gone"), 30, "the process retires")
        assert server.request("GET", ASK, timeout=30)[0] == 200  # the spare answers
    log = (copy_of_default_dataset.parent / f"server-{server.port}.log").read_text()
    assert "retires: a query ran out of memory" in log
    assert "Traceback" not in log


def test_at_most_processes_retire_at_a_time(copy_of_default_dataset: Path) -> None:
    """A retiring process still runs the query that outlived its limit, and that query may grow
    to the memory limit; if runaways came faster than retiring processes end, the processes
    alive (and their memory) grew with them. So at most ``--processes`` retire at a time: the
    one that retired first is killed. Here the first is kept from ending by a client that
    asked for a large answer and does not read it (its write would wait 20 s; the runaway's
    deadline, past the queue's wait of 30 s, is further still)."""
    options = ("--processes", "1", "--spares", "1", "--query-workers", "1",
               "--timeout", "2", "--queue-wait", "30")  # fmt: skip
    with serving(copy_of_default_dataset, *options) as server:
        parent = server.process.pid
        wait_for(lambda: settled(parent, 1, 1), 60, "one active and one spare")
        first = next(pid for pid, s in states(parent).items() if s == "active")
        stalled = socket.socket()
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stalled.connect(("127.0.0.1", server.port))  # accepted by the active process
        try:
            path = sparql(LARGE_CONSTRUCT)
            stalled.sendall(
                f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: application/n-triples\r\n\r\n".encode()
            )
            time.sleep(1.0)  # its answer is made and waits on the client
            runaway = threading.Thread(target=_status, args=(server, sparql(RUNAWAY), 20))
            runaway.start()
            wait_for(lambda: state(first) == "retiring", 20, "the first process retires")
            time.sleep(1.0)
            assert state(first) == "retiring"  # held by the client that does not read
            wait_for(lambda: settled(parent, 1, 1), 30, "a new active and a new spare")
            second = next(pid for pid, s in states(parent).items() if s == "active")
            again = threading.Thread(target=_status, args=(server, sparql(RUNAWAY + " #2"), 20))
            again.start()
            wait_for(lambda: state(second) == "retiring", 20, "the second process retires")
            wait_for(lambda: not alive(first), 2, "the first retired process is killed")
            runaway.join(20)
            again.join(20)
            assert server.request("GET", ASK, timeout=30)[0] == 200
        finally:
            stalled.close()
    log = (copy_of_default_dataset.parent / f"server-{server.port}.log").read_text()
    assert f"server process {first}: more than 1 processes retire at once" in log


def test_killing_the_supervisor_leaves_no_process_behind(copy_of_default_dataset: Path) -> None:
    out = copy_of_default_dataset
    with serving(out, "--processes", "2") as server:
        parent = server.process.pid
        wait_for(lambda: len(children(parent)) == 3, 60, "two processes and a spare")
        everyone = children(parent)
        os.kill(parent, signal.SIGKILL)
        wait_for(lambda: not any(alive(pid) for pid in everyone), 5, "the children end")
        # The port is free again: a new server starts on it at once.
        port = server.port
    restarted = subprocess.Popen(
        [str(AQB_RDF), "serve", str(out), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        again = Server(restarted, port)
        wait_for(lambda: _answers(again), 60, "the restarted server answers")
    finally:
        restarted.terminate()
        restarted.wait(timeout=30)


def test_an_address_in_use_is_one_clear_line(
    running_server: Server, copy_of_default_dataset: Path
) -> None:
    first, out = running_server, copy_of_default_dataset
    taken = subprocess.run(
        [str(AQB_RDF), "serve", str(out), "--port", str(first.port)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert taken.returncode != 0
    assert taken.stderr.strip().splitlines()[-1].startswith("aqb-rdf: ")
    assert f"cannot listen on 127.0.0.1:{first.port}" in taken.stderr
    assert "Traceback" not in taken.stderr


def test_processes_that_keep_ending_at_start_stop_the_server(
    copy_of_default_dataset: Path, tmp_path: Path
) -> None:
    out = copy_of_default_dataset
    with serving(out, "--processes", "2") as server:
        parent = server.process.pid
        killed: set[int] = set()
        deadline = time.monotonic() + 60
        while server.process.poll() is None and time.monotonic() < deadline:
            for pid in children(parent):
                if pid not in killed:
                    os.kill(pid, signal.SIGKILL)  # dies right after it started
                    killed.add(pid)
            time.sleep(0.05)
        assert server.process.wait(timeout=10) != 0
    log = next(tmp_path.glob("server-*.log")).read_text()
    assert len(killed) >= 5
    assert (
        log.strip()
        .splitlines()[-1]
        .startswith("aqb-rdf: error: server processes keep ending right after they start")
    )
    assert "Traceback" not in log


def _status(server: Server, path: str, timeout: float) -> int:
    try:
        return server.request("GET", path, timeout=timeout)[0]
    except (OSError, http.client.HTTPException):
        return 0


def _answers(server: Server) -> bool:
    try:
        return server.request("GET", ASK, timeout=2)[0] == 200
    except OSError:
        return False


def _burning(processes: dict[int, str]) -> int:
    """Of the active processes, the one that uses a core (the runaway query's)."""
    active = [pid for pid, s in processes.items() if s == "active"]
    first = {pid: cpu_seconds(pid) for pid in active}
    time.sleep(0.3)
    used = {pid: cpu_seconds(pid) - first[pid] for pid in active}
    return max(used, key=lambda pid: used[pid])
