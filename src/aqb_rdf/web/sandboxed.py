"""One sandboxed server process: HTTP, guard, query and answer, all in one (a child process).

The supervisor (:mod:`aqb_rdf.web.supervisor`) starts it with ``python -m
aqb_rdf.web.sandboxed``, passing four descriptors: its end of a control socket pair, the process's
:class:`~aqb_rdf.sparql.deadlines.DeadlineBoard`, the table of client budgets all processes
share (:class:`~aqb_rdf.sparql.budgets.ClientBudgets`, with this process's seat in it), and,
with ``go``, the listening socket bound to the port. In this order:

1. it asks the kernel to kill it when the supervisor ends (``PR_SET_PDEATHSIG``), and enters
   the sandbox (:func:`~aqb_rdf.sparql.sandbox.enter_sandbox`) while it still has one thread:
   an empty network namespace, where it can accept clients on the listening socket it will be
   given but cannot open any connection, an address-space limit and no core dumps;
2. it opens the release's store and builds the web application, then tells the supervisor
   ``ready``: from now on it is a warm spare, which accepts nothing (its name in ``ps`` and
   ``/proc/<pid>/comm`` says which it is: ``aqb-spare``, ``aqb-active``, ``aqb-retiring``);
3. on ``go``, which comes with a listening socket, it serves on it until SIGTERM (then it finishes what it has
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
import resource
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from aqb_rdf.errors import AqbError
from aqb_rdf.publish.processes import die_with_parent
from aqb_rdf.sparql.budgets import Budget, ClientBudgets
from aqb_rdf.sparql.deadlines import DeadlineBoard
from aqb_rdf.sparql.sandbox import enter_sandbox
from aqb_rdf.web.connections import AnswerBudget, ConnectionTable, connection_cap
from aqb_rdf.web.http_limits import IoLimits
from aqb_rdf.web.state import ServeSettings

READY = "ready"
GO = "go"
RETIRING = "retiring"
SWITCH = "switch"
"""From the supervisor, with a release and a moment: its store is loaded; switch to it then."""
HEARTBEAT_GRACE: Final = 2.0
"""Seconds an active process's event loop may go without a beat before it is killed (uvicorn's
loop ticks every 0.1 s; each tick writes the next moment to the last slot of the board)."""


class _BeatingServer(uvicorn.Server):
    """uvicorn's server, writing a heartbeat to the board at every tick of its main loop."""

    def __init__(self, config: uvicorn.Config, board: DeadlineBoard) -> None:
        super().__init__(config)
        self.board = board
        self.leaving = False

    async def on_tick(self, counter: int) -> bool:
        # Once the server is told to exit (it retires, or SIGTERM), the loop beats no more:
        # the last beat gives the shutdown its whole grace, not HEARTBEAT_GRACE. (A beat here
        # after the retirement had the supervisor kill the process 2 s later, with the queries
        # it was still answering: issue 11, item 8.)
        if self.should_exit:
            if not self.leaving:
                self.leaving = True
                self.board.set(self.board.slots - 1, time.monotonic() + self.shutdown_grace)
        else:
            self.board.set(self.board.slots - 1, time.monotonic() + HEARTBEAT_GRACE)
        return await super().on_tick(counter)

    @property
    def shutdown_grace(self) -> float:
        """Seconds the process may take to finish its requests and end, once told to exit."""
        return (self.config.timeout_graceful_shutdown or 0) + HEARTBEAT_GRACE


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


def send(
    control: socket.socket, word: str, detail: str = "", sock: socket.socket | None = None
) -> None:
    """Send one line ``word detail`` on the control socket (the supervisor's or the child's),
    with the descriptor of ``sock`` attached if given (``SCM_RIGHTS``)."""
    line = f"{word} {detail}".strip().encode("utf-8", "replace")[:4000] + b"\n"
    if sock is None:
        control.sendall(line)
    else:
        socket.send_fds(control, [line], [sock.fileno()])


def budget_of(settings: ServeSettings) -> Budget:
    """What one client may use (:mod:`aqb_rdf.sparql.budgets`), from the settings."""
    return Budget(
        concurrent=settings.client_queries,
        seconds=settings.client_query_seconds,
        window=settings.client_window,
        retry_after=settings.retry_after_seconds,
    )


def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m aqb_rdf.web.sandboxed")
    parser.add_argument("control", type=int)
    parser.add_argument("board", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--settings", required=True, help="ServeSettings as JSON")
    parser.add_argument("--base")
    parser.add_argument("--budgets", help="FD:SEATS:SEAT of the client budgets' table")
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
    from aqb_rdf.web.answers import ResponseCache
    from aqb_rdf.web.app import build_app
    from aqb_rdf.web.http_limits import protocol_options
    from aqb_rdf.web.releases import ReleaseApps, ReleaseRunner, ServedByPublication
    from aqb_rdf.web.server import Publication
    from aqb_rdf.web.state import Release

    board = DeadlineBoard.attach(args.board, settings.query_workers + 1)  # + the heartbeat
    budgets = None
    if args.budgets:
        fd, seats, seat = (int(part) for part in args.budgets.split(":"))
        budgets = ClientBudgets.attach(fd, seats, budget_of(settings), seat)
    server: _BeatingServer | None = None

    def retire(reason: str) -> None:
        """Stop accepting at once (the supervisor keeps the socket open: what waits there goes
        to the spare that takes over), tell the supervisor, and let uvicorn finish the requests
        begun and close idle connections."""
        if server is not None:
            for accepting in server.servers:
                accepting.close()  # this process's copy of the socket
            server.should_exit = True
            # The main loop stops beating now; the shutdown may take this long.
            board.set(board.slots - 1, time.monotonic() + server.shutdown_grace)
        name_process("retiring")
        send(control, RETIRING, reason)

    publication = Publication(
        args.out, settings, board=board, budgets=budgets, on_retire=retire, base=args.base
    )
    try:
        served = ServedByPublication(publication)
        responses = ResponseCache()  # one for every release's app: answers are kept by release
        site = build_app(
            publication.release, publication, settings, base=publication.base,
            releases=served, responses=responses,
        )  # fmt: skip

        def release_app(release: Release, runner: ReleaseRunner, prefix: str) -> ASGIApp:
            return build_app(
                release, runner, settings, base=publication.base,
                prefix=prefix, releases=served, responses=responses,
            )  # fmt: skip

        kept = ReleaseApps(publication, settings, release_app)

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            publication.sync()  # a new release, at the moment the supervisor set
            routed = kept.route(scope)  # /release/<id>/…: a release the build output keeps
            if routed is None:
                await site(scope, receive, send)
            else:
                await routed[0](routed[1], receive, send)

        config = uvicorn.Config(
            app,
            log_level="warning",
            timeout_keep_alive=5,
            timeout_graceful_shutdown=int(settings.timeout + settings.queue_wait) + 1,
            # bounded heads, bodies, connections and writes
            **protocol_options(io_limits(settings)),  # type: ignore[arg-type]
        )
        server = _BeatingServer(config, board)
        given: list[socket.socket] = []
        go = threading.Event()
        listener = threading.Thread(
            target=_follow, args=(control, go, given, publication.prepare), daemon=True
        )
        listener.start()
        name_process("spare")
        send(control, READY, f"{int(isolated)} {detail}")
        go.wait()
        name_process("active")
        server.run(sockets=given)
    finally:
        publication.close()


def io_limits(settings: ServeSettings) -> IoLimits:
    """The bounds of this process's connections: ``settings``, with the connection cap below
    what the descriptor limit leaves once the store is open (call it then)."""
    try:
        in_use = len(os.listdir("/proc/self/fd"))
    except OSError:  # no /proc: count the store as a few hundred files
        in_use = 256
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = soft if soft != resource.RLIM_INFINITY else 1 << 20
    table = ConnectionTable(
        connection_cap(settings.max_connections, limit, in_use),
        settings.max_connections_per_address,
    )
    return IoLimits(
        head_timeout=settings.head_timeout,
        body_timeout=settings.body_timeout,
        write_timeout=settings.write_timeout,
        table=table,
        budget=AnswerBudget(settings.max_unread_bytes),
        retry_after=settings.retry_after_seconds,
    )


def _follow(
    control: socket.socket,
    go: threading.Event,
    given: list[socket.socket],
    prepare: Callable[[str, float], None],
) -> None:
    """Read the supervisor's lines: ``go`` (with a listening socket, put in ``given``) sets
    ``go``, ``switch NAME AT`` calls ``prepare``; when the control socket closes (the
    supervisor is gone), end this process at once."""
    received = b""
    while True:
        try:
            chunk, fds, _, _ = socket.recv_fds(control, 256, 4)
        except OSError:
            chunk, fds = b"", []
        if not chunk:
            os._exit(0)
        given += [socket.socket(fileno=fd) for fd in fds]
        received += chunk
        while b"\n" in received:
            line, received = received.split(b"\n", 1)
            parts = line.decode("utf-8", "replace").split()
            word, rest = (parts[0], parts[1:]) if parts else ("", [])
            if word == GO:
                go.set()
            elif word == SWITCH and len(rest) == 2:
                prepare(rest[0], float(rest[1]))


if __name__ == "__main__":
    _main()
