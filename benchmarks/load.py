"""The load generator: closed-loop asyncio clients over raw HTTP/1.1 keep-alive connections.

Each connection sends its next request when the previous answer is complete; a 503 or any other
failure is counted and the connection goes on. :func:`measure_server` runs every cell of one
server; :func:`measure_generator` measures the generator's own ceiling on a trivial page and
:func:`wrk_cross_check` compares it with ``wrk`` when that is installed.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cells import Cell, fmt_ms, fmt_rate
from checks import fast_check
from servers import HOST, REQUEST_TIMEOUT, Server, http_get
from workload import CONNECTIONS, MODES, Query, Workload

WARM_UP_SECONDS = 60.0
"""At most this long (or a cell's time, if longer) to send the repeated set once beforehand."""


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


@dataclass(frozen=True)
class Bounds:
    """How long and how many requests a cell may take, and the warm-up before repeated cells."""

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
                rendered = [render_request(server.port, server.path_for(q),
                                           server.accept or q.accept)
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
            status, _, _ = http_get(server.url(server.path_for(query)),
                                    server.accept or query.accept, REQUEST_TIMEOUT)  # fmt: skip
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
