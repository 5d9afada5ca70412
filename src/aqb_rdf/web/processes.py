"""``aqb-rdf serve --processes N``: N server processes on one listening socket (I/O).

One Python process parses HTTP, checks queries and sends answers on one core; with N
processes the kernel hands each new connection to one of them, so the front uses N cores.
The parent binds the socket and loads the release's store once, then starts each process
with ``python -m aqb_rdf.web.processes FD …``, the socket passed as an inherited descriptor.
Each process has its own query workers (``--query-workers`` is divided among them), answer
cache and release watcher. The parent restarts a process that dies (at most once a second) and
stops them all on SIGTERM or Ctrl-C; when processes keep ending right after they start (five
in a row), it stops with an error instead of trying for ever.
"""

from __future__ import annotations

import argparse
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from aqb_rdf.errors import AqbError
from aqb_rdf.web.server import ensure_store, open_release, serve
from aqb_rdf.web.state import ServeSettings

_RESTART_PAUSE = 1.0
_QUICK_END = 10.0  # seconds: a process that ends sooner failed to start
_MAX_QUICK_ENDS = 5  # in a row: then the server stops instead of trying for ever


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port``; AqbError if the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise AqbError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve_in_processes(
    out: Path,
    host: str,
    port: int,
    *,
    processes: int,
    workers: int,
    timeout: float,
    page_size: int = ServeSettings.page_size,
    base: str | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve ``out`` from ``processes`` processes sharing one socket, until stopped.

    ``base`` is the base IRI to serve (default: the one the release records); each process
    refuses a release built with another. ``sock`` is a socket from :func:`listen` to serve
    on (``aqb-rdf serve`` binds it before it says it is serving); default: one bound here.
    """
    ensure_store(open_release(out))  # once, before the processes open it
    sock = listen(host, port) if sock is None else sock
    per_process = max(1, -(-workers // processes))  # workers divided, rounded up
    command = [
        sys.executable, "-m", "aqb_rdf.web.processes", str(sock.fileno()), str(out),
        "--workers", str(per_process), "--timeout", str(timeout), "--page-size", str(page_size),
        *(("--base", base) if base is not None else ()),
    ]  # fmt: skip
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children = [_start(command, sock) for _ in range(processes)]
    started = [time.monotonic()] * processes
    failures_in_a_row = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for index, child in enumerate(children):
                if child.poll() is None or stopping:
                    continue
                quick = time.monotonic() - started[index] < _QUICK_END
                failures_in_a_row = failures_in_a_row + 1 if quick else 0
                if failures_in_a_row >= _MAX_QUICK_ENDS:
                    raise AqbError(f"server processes keep ending right after they start "
                                   f"(exit status {child.returncode}); see the messages above")  # fmt: skip
                print(f"aqb-rdf: server process {child.pid} ended ({child.returncode}); "
                      "starting another", file=sys.stderr)  # fmt: skip
                time.sleep(_RESTART_PAUSE)
                children[index], started[index] = _start(command, sock), time.monotonic()
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout + 5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        sock.close()


def _start(command: list[str], sock: socket.socket) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, pass_fds=[sock.fileno()])


def _main() -> None:
    """One server process: serve on the inherited socket until SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m aqb_rdf.web.processes")
    parser.add_argument("fd", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--page-size", type=int, required=True)
    parser.add_argument("--base")
    args = parser.parse_args()
    sock = socket.socket(fileno=args.fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    try:
        settings = ServeSettings(page_size=args.page_size)
        serve(args.out, "", 0, workers=args.workers, timeout=args.timeout, settings=settings,
              sock=sock, base=args.base)  # fmt: skip
    except AqbError as error:
        print(f"aqb-rdf: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    _main()
