"""remote/client.py: ``push`` and ``link`` do not trust the remote endpoint (issue 11, item 11).

The issue's hostile inputs, each against a real endpoint on loopback (``hostile_endpoint``), and
the command run as a user runs it, in a subprocess whose peak memory (``ru_maxrss``) and time
are measured; a watcher kills it beyond 600 MB or 30 s, so a regression fails instead of
eating the machine. Before the fix: an endless chunked answer drove ``link`` to 3 GB in 3 s and
``push --dry-run`` to 1.6 GB (here 1.5 GB in 3.1 s and 2.5 s, killed); an answer trickling a
byte every 2 s kept ``push --timeout 5`` hanging (here: killed after 30 s, ``link`` too);
``link`` followed a redirect to another port (``push`` refused every redirect).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import hostile_endpoint as hostile
from aqb_rdf.errors import EndpointError, PushError
from aqb_rdf.push.graph_store import Credentials, HttpStore
from aqb_rdf.remote import sparql
from aqb_rdf.remote.client import ERROR_BODY_BYTES, Limits, Refused, RemoteClient
from aqb_rdf.remote.policy import Retryable
from canary import Canary

pytestmark = pytest.mark.slow  # runs the aqb-rdf command

ROOT = Path(__file__).resolve().parent.parent
AQB_RDF = Path(sys.executable).parent / "aqb-rdf"
FIXTURE = Path(__file__).parent / "queries" / "fixture.trig"
MB = 1024 * 1024
KILL_MB, KILL_SECONDS = 600, 30.0


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float
    """The command's peak resident memory (``ru_maxrss`` of the process)."""
    ended: float
    """``time.monotonic()`` when it had ended."""


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """``aqb-rdf ARGS`` in a subprocess, watched: killed past KILL_MB or KILL_SECONDS."""
    environ = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    environ.update({"no_proxy": "127.0.0.1", **(env or {})})
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen([AQB_RDF, *args], stdout=stdout, stderr=stderr, env=environ)
    killed = ""
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > KILL_SECONDS:
            killed = f"still running after {KILL_SECONDS:g} s"
        elif _rss_mb(process.pid) > KILL_MB:
            killed = f"more than {KILL_MB} MB resident"
        if killed:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.02)
    ended = time.monotonic()
    process.returncode = os.waitstatus_to_exitcode(status)
    assert not killed, f"aqb-rdf {' '.join(args)}: killed, {killed}"
    return Run(process.returncode, out.read_text(), err.read_text(), ended - started,
               usage.ru_maxrss / 1024, ended)  # fmt: skip


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """A copy of data/reference that ``link --write`` may change."""
    folder = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", folder)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def endpoint() -> Iterator[Callable[[Callable[[hostile.Request], hostile.Behaviour]], str]]:
    """Starts hostile endpoints for the test (``endpoint(behaviour)`` → its /sparql URL);
    each is stopped when the test ends."""
    started: list[hostile.HostileEndpoint] = []

    def start(behaviour: Callable[[hostile.Request], hostile.Behaviour]) -> str:
        started.append(hostile.HostileEndpoint(behaviour))
        return started[-1].url()

    try:
        yield start
    finally:
        for each in started:
            each.close()


def one_error_line(result: Run) -> str:
    """The command's one error line; it failed with status 1 and no traceback."""
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


# -- an endless chunked answer ------------------------------------------------------------------


def test_link_refuses_an_endless_answer_at_the_cap(
    tmp_path: Path, reference: Path, endpoint: Callable[..., str]
) -> None:
    # What the same command takes with an empty, well-formed answer (the Python process and its
    # imports, about 250 MB here): the bound is that plus the 16 MiB cap and some slack.
    baseline = run(tmp_path, "link", "--endpoint", endpoint(lambda _: hostile.answer()),
                   "--reference", str(reference)).peak_mb  # fmt: skip
    url = endpoint(lambda _: hostile.endless_chunked())
    before = snapshot(reference)
    result = run(tmp_path, "link", "--endpoint", url, "--reference", str(reference), "--write")
    assert one_error_line(result) == (
        f"aqb-rdf: error: {url}: the answer is larger than the 16 MiB allowed "
        "(--max-answer-bytes); the rest was not read"
    )
    bound = baseline + 16 + 40
    assert result.peak_mb < bound, f"{result.peak_mb:.0f} MB, bound {bound:.0f}"  # was 3 GB
    assert result.seconds < 15
    assert snapshot(reference) == before  # nothing half-written


def test_push_dry_run_refuses_an_endless_answer_at_the_cap(
    tmp_path: Path, endpoint: Callable[..., str]
) -> None:
    # What the same dry run takes with an empty, well-formed answer: it loads the release first
    # (about 200 MB on this machine), so the bound is that plus the cap and some slack.
    baseline = run(tmp_path, "push", str(FIXTURE), "--endpoint",
                   endpoint(lambda _: hostile.answer()), "--dry-run").peak_mb  # fmt: skip
    url = endpoint(lambda _: hostile.endless_chunked())
    result = run(tmp_path, "push", str(FIXTURE), "--endpoint", url, "--dry-run",
                 env={"AQB_PUSH_MAX_ANSWER_BYTES": str(2 * MB)})  # fmt: skip
    assert one_error_line(result) == (
        f"aqb-rdf: error: {url}: list the graphs: the answer is larger than the 2 MiB allowed "
        "(--max-answer-bytes); the rest was not read"
    )
    bound = baseline + 2 + 40
    assert result.peak_mb < bound, f"{result.peak_mb:.0f} MB, bound {bound:.0f}"  # was 1.6 GB
    assert result.seconds < 15


def test_the_cap_holds_for_a_graph_read_and_an_announced_size(
    endpoint: Callable[..., str],
) -> None:
    """The CONSTRUCT of a graph push compares, and a Content-Length beyond the cap (refused
    before its body is read)."""
    graph = "https://aqb-rdf.example/graph/g"
    with HttpStore(endpoint(lambda _: hostile.endless_chunked()), max_answer_bytes=MB) as store:
        with pytest.raises(PushError) as raised:
            store.graph_triples(graph)
    assert str(raised.value).endswith(
        f": read graph <{graph}>: the answer is larger than the 1 MiB allowed "
        "(--max-answer-bytes); the rest was not read"
    )

    def announce(connection: socket.socket, _req: hostile.Request, _stop: threading.Event) -> int:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n" + b"x" * 10)
        return 10

    client = RemoteClient(Limits(max_answer_bytes=MB), user_agent="test")
    with client, pytest.raises(Refused) as refused:
        client.request("GET", endpoint(lambda _: announce))
    assert refused.value.message == (
        "the answer would have 10,000,000,000 bytes, more than the 1 MiB allowed "
        "(--max-answer-bytes)"
    )


def test_an_endless_error_answer_is_read_in_part_and_retried(
    endpoint: Callable[..., str],
) -> None:
    """A 503 whose body never ends: its first 64 KiB are read, then it is retried as a 503."""
    url = endpoint(lambda _: hostile.endless_chunked(status=503))
    waits: list[float] = []
    with HttpStore(url, retries=1, max_answer_bytes=MB, sleep=waits.append) as store:
        with pytest.raises(PushError) as raised:
            store.graph_sizes("https://aqb-rdf.example/graph/")
    assert str(raised.value).startswith(f"{url}: list the graphs: 503 Service Unavailable")
    assert str(raised.value).endswith("(after 2 attempts)")
    assert waits == [0.5]
    with RemoteClient(Limits(), user_agent="test") as client:
        assert len(client.request("GET", url).content) == ERROR_BODY_BYTES


# -- an answer trickling ------------------------------------------------------------------------


def test_push_gives_up_at_the_deadline_on_a_byte_every_2_s(
    tmp_path: Path, endpoint: Callable[..., str]
) -> None:
    """The issue's input: a byte every 2 s, ``push --timeout 5`` (then: killed after 30 s)."""
    seen: list[hostile.Request] = []

    def behaviour(request: hostile.Request) -> hostile.Behaviour:
        seen.append(request)
        return hostile.trickle(2.0)

    url = endpoint(behaviour)
    result = run(tmp_path, "push", str(FIXTURE), "--endpoint", url, "--timeout", "5",
                 "--retries", "0")  # fmt: skip
    assert one_error_line(result) == (
        f"aqb-rdf: error: {url}: list the graphs: no answer within 5 s"
    )
    assert len(seen) == 1
    assert 4.9 <= result.ended - seen[0].arrived <= 6.0  # the deadline, ± 1 s


@pytest.mark.parametrize(
    ("head_at_once", "problem"),
    [(False, "no answer within 3 s"), (True, "the answer was not complete within 3 s")],
)
@pytest.mark.parametrize("command", ["link", "push --dry-run"])
def test_a_byte_every_second_ends_at_the_deadline(
    command: str,
    head_at_once: bool,
    problem: str,
    tmp_path: Path,
    reference: Path,
    endpoint: Callable[..., str],
) -> None:
    """One byte a second, from the head on or from the body on: refused at 3 s, not retried
    (``--retries 0``), for both commands."""
    seen: list[hostile.Request] = []

    def behaviour(request: hostile.Request) -> hostile.Behaviour:
        seen.append(request)
        return hostile.trickle(1.0, head_at_once=head_at_once)

    url = endpoint(behaviour)
    before = snapshot(reference)
    if command == "link":
        args = ["link", "--endpoint", url, "--reference", str(reference), "--write"]
        expected = f"aqb-rdf: error: {url}: {problem} (1 attempt); try again later"
    else:
        args = ["push", str(FIXTURE), "--endpoint", url, "--dry-run"]
        expected = f"aqb-rdf: error: {url}: list the graphs: {problem}"
    result = run(tmp_path, *args, "--timeout", "3", "--retries", "0")
    assert one_error_line(result) == expected
    assert len(seen) == 1
    assert 2.9 <= result.ended - seen[0].arrived <= 4.0  # the deadline, ± 1 s
    assert snapshot(reference) == before


# -- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["link", "push", "push --dry-run"])
def test_a_redirect_to_another_port_is_refused_without_a_connection(
    command: str,
    tmp_path: Path,
    reference: Path,
    canary: Canary,
    endpoint: Callable[..., str],
) -> None:
    elsewhere = f"http://127.0.0.1:{canary.port}/sparql"
    url = endpoint(lambda _: hostile.redirect(elsewhere))
    origin = url.removesuffix("/sparql")
    before = snapshot(reference)
    if command == "link":
        result = run(tmp_path, "link", "--endpoint", url, "--reference", str(reference),
                     "--write")  # fmt: skip
        where = url
    else:
        result = run(tmp_path, *command.split(), str(FIXTURE), "--endpoint", url)
        where = f"{url}: list the graphs"
    assert one_error_line(result) == (
        f"aqb-rdf: error: {where}: redirected to {elsewhere}, another origin; only redirects "
        f"within {origin} are followed"
    )
    assert canary.connections == 0  # link connected to it before the fix
    assert snapshot(reference) == before


@pytest.mark.parametrize("command", ["link", "push --dry-run"])
def test_a_redirect_within_the_origin_is_followed(
    command: str, tmp_path: Path, reference: Path, endpoint: Callable[..., str]
) -> None:
    seen: list[hostile.Request] = []

    def behaviour(request: hostile.Request) -> hostile.Behaviour:
        seen.append(request)
        if request.path.startswith("/sparql"):
            return hostile.redirect("/moved" + request.path, status=307)
        return hostile.answer()

    url = endpoint(behaviour)
    if command == "link":
        result = run(tmp_path, "link", "--endpoint", url, "--reference", str(reference))
        assert result.code == 0, result.err
        assert result.out.splitlines()[-1].endswith(" not-found")
        assert len(seen) == 4  # two queries, each redirected once
    else:
        result = run(tmp_path, "push", str(FIXTURE), "--endpoint", url, "--dry-run")
        assert result.code == 0, result.err
        assert f"would push {FIXTURE} to {url}: " in result.out
        assert [r.method for r in seen] == ["POST", "POST"]  # 307 keeps the method
        assert seen[0].body == seen[1].body and b"query=" in seen[1].body  # and the body
    assert [r.path.startswith("/moved/sparql") for r in seen] == [False, True] * (len(seen) // 2)


def test_redirects_within_the_origin_are_bounded(endpoint: Callable[..., str]) -> None:
    seen: list[hostile.Request] = []

    def behaviour(request: hostile.Request) -> hostile.Behaviour:
        seen.append(request)
        return hostile.redirect("/sparql", status=302)  # to itself, forever

    url = endpoint(behaviour)
    with pytest.raises(EndpointError) as raised:
        sparql.select(url, "ASK {}", user_agent="test", policy=sparql.RetryPolicy(attempts=3))
    assert str(raised.value) == f"{url}: more than 5 redirects"
    assert len(seen) == 6  # the request and 5 redirects; refused, so not retried


def test_the_deadline_is_retryable_and_counts_from_the_start(endpoint: Callable[..., str]) -> None:
    """In process: the deadline covers the head, and a timeout may be retried."""
    url = endpoint(lambda _: hostile.trickle(0.2))
    started = time.monotonic()
    with RemoteClient(Limits(timeout=0.5), user_agent="test") as client:
        with pytest.raises(Retryable) as raised:
            client.request("GET", url)
    assert 0.5 <= time.monotonic() - started < 1.5
    assert raised.value.message == "no answer within 0.5 s"


def test_an_endless_head_and_a_gzip_bomb_are_bounded(endpoint: Callable[..., str]) -> None:
    """A header line that never ends (h11 refuses a head past 100 KiB; a network error, so
    retried), and 64 MiB of zeros packed into 64 KiB: counted as unpacked, refused at 1 MiB."""
    with RemoteClient(Limits(timeout=10, max_answer_bytes=MB), user_agent="test") as client:
        started = time.monotonic()
        with pytest.raises(Retryable) as retryable:
            client.request("GET", endpoint(lambda _: hostile.endless_head()))
        assert retryable.value.message.startswith("network error: ")
        with pytest.raises(Refused) as refused:
            client.request("GET", endpoint(lambda _: hostile.gzip_bomb(64 * MB)))
        assert time.monotonic() - started < 5  # neither waited for the deadline
    assert refused.value.message.startswith("the answer is larger than the 1 MiB allowed")


def test_a_challenge_with_an_endless_body_is_read_in_part(endpoint: Callable[..., str]) -> None:
    """A store asking for credentials with a 401 whose body never ends: its first 64 KiB are
    read (httpx's own auth loop would read it all), then the credentials are sent."""
    seen: list[hostile.Request] = []

    def behaviour(request: hostile.Request) -> hostile.Behaviour:
        seen.append(request)
        if "authorization" not in request.headers:
            return hostile.endless_chunked(401, headers={"WWW-Authenticate": 'Basic realm="x"'})
        return hostile.answer(body=b'{"head": {"vars": []}, "results": {"bindings": []}}')

    credentials = Credentials("aqb", "s3cret")
    with HttpStore(endpoint(behaviour), credentials=credentials, timeout=10) as store:
        started = time.monotonic()
        assert store.graph_sizes("https://aqb-rdf.example/graph/") == {}
        assert time.monotonic() - started < 5
    assert [r.headers.get("authorization", "")[:6] for r in seen] == ["", "Basic "]
