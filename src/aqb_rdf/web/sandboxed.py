"""One sandboxed server process: HTTP, guard, query and answer, all in one (a child process).

The supervisor (:mod:`aqb_rdf.web.supervisor`) starts it with ``python -m
aqb_rdf.web.sandboxed``, passing three descriptors: the listening socket, its end of a control
socket pair, and the process's :class:`~aqb_rdf.sparql.deadlines.DeadlineBoard`. In this order:

1. it asks the kernel to kill it when the supervisor ends (``PR_SET_PDEATHSIG``), and enters
   the sandbox (:func:`~aqb_rdf.sparql.sandbox.enter_sandbox`) while it still has one thread:
   an empty network namespace, where it can accept clients on the inherited socket but cannot
   open any connection, an address-space limit and no core dumps;
2. it opens the release's store and builds the web application, then tells the supervisor
   ``ready``: from now on it is a warm spare, which accepts nothing (its name in ``ps`` and
   ``/proc/<pid>/comm`` says which it is: ``aqb-spare``, ``aqb-active``, ``aqb-retiring``);
3. on ``go`` it serves on the listening socket until SIGTERM (then it finishes what it has
   begun and ends), until its engine asks it to retire (a query ran past its time limit or out
   of memory: it tells the supervisor ``retiring``, which lets a spare take over at once, stops
   accepting, finishes the other requests, closes idle connections and ends), or until the
   control socket closes (the supervisor is gone: it ends at once).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from aqb_rdf.errors import AqbError
from aqb_rdf.publish.processes import die_with_parent
from aqb_rdf.sparql.deadlines import DeadlineBoard
from aqb_rdf.sparql.sandbox import enter_sandbox
from aqb_rdf.web.state import ServeSettings

READY = "ready"
GO = "go"
RETIRING = "retiring"
LOOK = "look"
"""From the supervisor: a new release's store is loaded; switch to it now."""


_PR_SET_NAME = 15


def name_process(state: str) -> None:
    """Show the process's state in ``ps`` and ``/proc/<pid>/comm``: ``aqb-spare``,
    ``aqb-active``, ``aqb-retiring`` (the name of the calling thread, so call it from the main
    thread; nothing where ``prctl`` is missing)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_NAME, ctypes.c_char_p(f"aqb-{state}".encode()[:15]), 0, 0, 0)
    except (OSError, AttributeError):
        return


def send(control: socket.socket, word: str, detail: str = "") -> None:
    """Send one line ``word detail`` on the control socket (the supervisor's or the child's)."""
    control.sendall(f"{word} {detail}".strip().encode("utf-8", "replace")[:4000] + b"\n")


def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m aqb_rdf.web.sandboxed")
    parser.add_argument("listen", type=int)
    parser.add_argument("control", type=int)
    parser.add_argument("board", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--settings", required=True, help="ServeSettings as JSON")
    parser.add_argument("--base")
    args = parser.parse_args()
    die_with_parent(args.parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group: the parent decides
    settings = ServeSettings(**json.loads(args.settings))
    sandbox = enter_sandbox(settings.memory_limit)  # first: while this process has one thread
    control = socket.socket(fileno=args.control)
    try:
        serve_when_told(args, settings, control, sandbox.network_isolated, sandbox.detail)
    except AqbError as error:
        print(f"aqb-rdf: {error}", file=sys.stderr)
        os._exit(1)
    # A query thread past its limit cannot be joined: end without waiting for it.
    os._exit(0)


def serve_when_told(
    args: argparse.Namespace,
    settings: ServeSettings,
    control: socket.socket,
    isolated: bool,
    detail: str,
) -> None:
    import uvicorn  # the web stack loads in the sandbox, after it is entered

    from aqb_rdf.web.app import build_app
    from aqb_rdf.web.http_limits import protocol_options
    from aqb_rdf.web.server import Publication

    listening = socket.socket(fileno=args.listen)
    board = DeadlineBoard.attach(args.board, settings.query_workers)
    server: uvicorn.Server | None = None

    def retire(reason: str) -> None:
        """Stop accepting at once (the next connection goes to another process), tell the
        supervisor, and let uvicorn finish the requests begun and close idle connections."""
        if server is not None:
            for accepting in server.servers:
                accepting.close()
            server.should_exit = True
        name_process("retiring")
        send(control, RETIRING, reason)

    publication = Publication(args.out, settings, board=board, on_retire=retire, base=args.base)
    try:
        publication.start()
        app = build_app(publication.release, publication, settings, base=publication.base)
        config = uvicorn.Config(
            app,
            log_level="warning",
            timeout_keep_alive=5,
            timeout_graceful_shutdown=int(settings.timeout + settings.queue_wait) + 1,
            **protocol_options(),  # type: ignore[arg-type]  # bounded request line and headers
        )
        server = uvicorn.Server(config)
        go = threading.Event()
        listener = threading.Thread(
            target=_follow, args=(control, go, publication.look), daemon=True
        )
        listener.start()
        name_process("spare")
        send(control, READY, f"{int(isolated)} {detail}")
        go.wait()
        name_process("active")
        server.run(sockets=[listening])
    finally:
        publication.close()


def _follow(control: socket.socket, go: threading.Event, look: Callable[[], None]) -> None:
    """Read the supervisor's lines: ``go`` sets ``go``, ``look`` calls ``look``; when the
    control socket closes (the supervisor is gone), end this process at once."""
    received = b""
    while True:
        try:
            chunk = control.recv(256)
        except OSError:
            chunk = b""
        if not chunk:
            os._exit(0)
        received += chunk
        while b"\n" in received:
            line, received = received.split(b"\n", 1)
            word = line.decode("utf-8", "replace").strip()
            if word == GO:
                go.set()
            elif word == LOOK:
                look()


if __name__ == "__main__":
    _main()
