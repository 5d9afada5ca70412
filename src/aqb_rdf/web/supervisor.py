"""``aqb-rdf serve``: a supervisor and its sandboxed server processes on one port (I/O).

The supervisor owns the listening sockets, loads each release's store once, and never parses
a request or runs a query. It starts ``processes`` server processes (:mod:`aqb_rdf.web.sandboxed`)
and keeps ``spares`` warm spare processes: started, sandboxed, store open, accepting nothing
until told ``go``, so a replacement takes over at once.

**Sockets.** There is one listening socket per active place ("slot"), all bound to the port
with ``SO_REUSEPORT``, so the kernel spreads new connections over the slots. One socket shared
by every process did not: the kernel wakes them all, and the first to run accepts every waiting
connection in one go (measured: 2 processes, 8 connections opened together, 8 / 0 in three of
three tries; the cold-lookup cell at 8 connections then used 1.07 of 2 cores; with a socket per
slot 4 / 4, 5 / 3). The supervisor keeps every slot's socket open and hands it to the process
that takes the slot, with ``go``, over the control socket (``SCM_RIGHTS``; a socket keeps the
network namespace it was made in, so the sandboxed process can accept on it and nothing else).
When that process ends or retires, the socket stays open here, its waiting connections queue
on, and the spare that takes the slot accepts them: no connection is refused or reset while
processes change.

It watches every process it started:

* a process that ends (a crash: SIGSEGV, SIGABRT, out of memory …) is replaced by a spare at
  once, and a new spare is started (at most one a second); one line on stderr says why;
* a process that asks to retire (its engine saw a query run past its time limit) is replaced
  by a spare at once; it finishes its other requests and ends by itself; at most
  ``processes`` retire at a time (beyond, the one that retired first is killed), so at most
  ``2 × processes + spares`` processes run at once, each within ``memory_limit``;
* a process whose :class:`~aqb_rdf.sparql.deadlines.DeadlineBoard` shows a query more than
  :data:`~aqb_rdf.sparql.engine.KILL_GRACE` past its time limit is killed (``SIGKILL``), so no
  query runs on however it holds its process; so is an active process whose event loop has not
  beaten for :data:`~aqb_rdf.web.sandboxed.HEARTBEAT_GRACE` seconds (its last slot on the board:
  a loop held by anything, a process stopped), so the connections waiting on its socket go to
  the spare that takes its place;
* when processes keep ending right after they start (five in a row), it stops with an error
  instead of trying for ever.

Every process dies with the supervisor, however it ends (``PR_SET_PDEATHSIG``, and the control
socket closing); on SIGTERM or Ctrl-C the supervisor stops them all and waits for them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Final

from aqb_rdf.errors import AqbError
from aqb_rdf.publish.release import current_release, recorded_base, release_base, releases_of
from aqb_rdf.sparql.budgets import ClientBudgets
from aqb_rdf.sparql.deadlines import DeadlineBoard
from aqb_rdf.sparql.sandbox import describe_exit
from aqb_rdf.web.sandboxed import GO, READY, RETIRING, SWITCH, budget_of, send
from aqb_rdf.web.server import ensure_store, open_release
from aqb_rdf.web.state import ServeSettings

_TICK: Final = 0.05
"""Seconds between two looks at the processes, their messages and their deadlines."""
_START_PAUSE: Final = 1.0
"""Seconds between two replacement processes started after failures."""
_START_TIMEOUT: Final = 120.0
"""Seconds a new process may take to open the store and say ``ready``."""
_QUICK_END: Final = 10.0
"""A process that ends sooner than this after it started failed to start."""
_MAX_QUICK_ENDS: Final = 5
"""Processes in a row that fail to start: then the server stops."""
_SWITCH_AHEAD: Final = 1.0
"""Seconds between telling the processes of a new release and their switching to it (each
opens the store in that time: tens of milliseconds)."""
_BACKLOG: Final = 2048
"""Connections each listening socket may hold before they are accepted."""


def listen(host: str, port: int) -> socket.socket:
    """The first listening socket of the server on ``host``:``port``, with ``SO_REUSEPORT``
    (:func:`another_listener` makes the others; ``--port 0`` picks a free port).

    Raises:
        AqbError: the address is taken (by any other socket, even one of the same user's).
    """
    if port:  # first without SO_REUSEPORT: a group of another server would let us in
        with _socket(host, reuse_port=False) as probe:
            _bind(probe, host, port)
    first = _socket(host, reuse_port=True)
    _bind(first, host, port)
    first.listen(_BACKLOG)
    return first


def another_listener(first: socket.socket) -> socket.socket:
    """One more listening socket of ``first``'s ``SO_REUSEPORT`` group, on the same address."""
    host, port = first.getsockname()[:2]
    sock = _socket(host, reuse_port=True)
    _bind(sock, host, port)
    sock.listen(_BACKLOG)
    return sock


def _socket(host: str, *, reuse_port: bool) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    return sock


def _bind(sock: socket.socket, host: str, port: int) -> None:
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise AqbError(f"cannot listen on {host}:{port}: {error.strerror}") from None


@dataclass(eq=False)
class _Child:
    """One server process, its end of the control socket, its deadlines and its state."""

    process: subprocess.Popen[bytes]
    control: socket.socket
    board: DeadlineBoard
    started: float
    seat: int
    """Its column in the client budgets' table, cleared when it ends."""
    state: str = "starting"  # → spare → active → retiring (→ killed); or active at once
    slot: int | None = None
    """The listening socket it accepts on, while active."""
    retired: float = 0.0
    """When it said it retires (``time.monotonic()``)."""
    received: bytes = field(default=b"", repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid


class Supervisor:
    """The processes serving ``out`` on ``sock``, with ``settings``."""

    def __init__(self, out: Path, sock: socket.socket, settings: ServeSettings, base: str) -> None:
        self.out = out
        self.sock = sock
        self.settings = settings
        self.base = base
        self.slots = [sock]
        """One listening socket per active process; the supervisor keeps them all open."""
        try:
            self.slots += [another_listener(sock) for _ in range(settings.processes - 1)]
        except AqbError:
            for made in self.slots[1:]:
                made.close()
            raise
        self.children: list[_Child] = []
        self.seats = 2 * (settings.processes + settings.spares) + 2
        """Server processes the budgets' table counts queries of: running, spare, retiring."""
        self.budgets = ClientBudgets.create(self.seats, budget_of(settings))
        self.stopping = False
        self._failures_in_a_row = 0
        self._last_start = 0.0
        self._telling = threading.Lock()
        self._switch = ""
        """The last release switched to and when (``NAME AT``), for processes that start later."""
        self._loader = threading.Thread(target=self._load_new_stores, daemon=True)

    # --- counts

    def _count(self, *states: str) -> int:
        return sum(1 for child in self.children if child.state in states)

    # --- life cycle

    def run(self) -> None:
        """Serve until SIGTERM or SIGINT; AqbError if processes keep failing to start."""
        self._loader.start()
        try:
            for _ in range(self.settings.processes + self.settings.spares):
                self._start()
            while not self.stopping:
                self._tick()
        finally:
            self.stopping = True
            self._stop_all()

    def _tick(self) -> None:
        readable = {child.control: child for child in self.children}
        try:
            ready, _, _ = select.select(list(readable), [], [], _TICK)
        except InterruptedError:  # a signal: look at the flags again
            ready = []
        for control in ready:
            self._read(readable[control])
        for child in list(self.children):
            if child.process.poll() is not None:
                self._ended(child)
            elif child.state in ("active", "retiring"):
                late = child.board.overdue()
                if late is not None:
                    self._say(f"server process {child.pid}: a query ran {late:.1f} s past its "
                              "deadline; killing the process")  # fmt: skip
                    child.process.kill()
            elif child.state == "starting" and time.monotonic() - child.started > _START_TIMEOUT:
                self._say(f"server process {child.pid} did not start within "
                          f"{_START_TIMEOUT:g} s; killing it")  # fmt: skip
                child.process.kill()
        self._fill()

    def _read(self, child: _Child) -> None:
        try:
            chunk = child.control.recv(4096)
        except OSError:
            chunk = b""
        if not chunk:
            return  # the process ends: poll() will say so
        child.received += chunk
        while b"\n" in child.received:
            line, child.received = child.received.split(b"\n", 1)
            word, _, detail = line.decode("utf-8", "replace").partition(" ")
            if word == READY and child.state == "starting":
                child.state = "spare"
                if self._switch:  # it may have opened the release before the last switch
                    self._tell(child, SWITCH, self._switch)
                self._failures_in_a_row = 0
                isolated, _, how = detail.partition(" ")
                if isolated != "1":
                    self._say(f"server process {child.pid} is not network-isolated ({how}); "
                              "only the static SERVICE guard keeps queries from other hosts")  # fmt: skip
            elif word == RETIRING and child.state == "active":
                child.state, child.retired = "retiring", time.monotonic()
                self._say(f"server process {child.pid} retires: {detail}; a spare takes over")
                self._bound_retiring()

    def _bound_retiring(self) -> None:
        """At most ``processes`` processes retire at a time: beyond, the one that retired first
        is killed (its other requests have had the longest to finish). A retiring process
        still runs the query that outlived its limit, which may grow to ``memory_limit``, so
        without this the processes alive, and the memory they hold, grew with the runaways
        sent (issue 11): now at most ``2 × processes + spares`` run at once."""
        retiring = sorted(
            (child for child in self.children if child.state == "retiring" and child.retired),
            key=lambda child: child.retired,
        )
        for child in retiring[: max(0, len(retiring) - self.settings.processes)]:
            if child.process.poll() is None:
                self._say(f"server process {child.pid}: more than {self.settings.processes} "
                          "processes retire at once; killing the one that retired first")  # fmt: skip
                child.process.kill()
            child.state = "killed"  # poll() will see it end

    def _ended(self, child: _Child) -> None:
        self.children.remove(child)
        child.control.close()
        child.board.close()
        self.budgets.vacate(child.seat)  # what it ran is over, however it ended
        if self.stopping:
            return
        code = child.process.returncode
        if (child.state == "retiring" and code == 0) or child.state == "killed":
            return  # as it should, or killed on purpose (_bound_retiring said so)
        quick = child.state == "starting" or time.monotonic() - child.started < _QUICK_END
        self._failures_in_a_row = self._failures_in_a_row + 1 if quick else 0
        if self._failures_in_a_row >= _MAX_QUICK_ENDS:
            raise AqbError(f"server processes keep ending right after they start "
                           f"({describe_exit(code)}); see the messages above")  # fmt: skip
        self._say(f"server process {child.pid} ended ({describe_exit(code)}); "
                  "a spare takes over")  # fmt: skip

    def _fill(self) -> None:
        """Give each slot without an active process to a spare; start processes up to the
        total."""
        taken = {child.slot for child in self.children if child.state == "active"}
        for slot in [n for n in range(len(self.slots)) if n not in taken]:
            spare = next((child for child in self.children if child.state == "spare"), None)
            if spare is None:
                break
            if self._tell(spare, GO, sock=self.slots[slot]):
                spare.state, spare.slot = "active", slot
            else:
                spare.state = "retiring"
        wanted = self.settings.processes + self.settings.spares
        if self._count("starting", "spare", "active") < wanted:
            paced = self._failures_in_a_row and time.monotonic() - self._last_start < _START_PAUSE
            if not paced:
                self._start()

    def _tell(
        self, child: _Child, word: str, detail: str = "", sock: socket.socket | None = None
    ) -> bool:
        """Send ``word detail`` to ``child``, with the listening socket ``sock`` if given (from
        the loop or the store loader: one at a time); False, and the process killed, if it
        cannot be told (it is ending)."""
        with self._telling:
            try:
                send(child.control, word, detail, sock=sock)
                return True
            except OSError:
                child.process.kill()  # poll() will see it end
                return False

    def _start(self) -> None:
        taken = {child.seat for child in self.children}
        seat = next((n for n in range(self.seats) if n not in taken), None)
        if seat is None:
            return  # as many processes as seats are still ending: start one when one has
        parent_end, child_end = socket.socketpair()
        board = DeadlineBoard.create(self.settings.query_workers + 1)  # + the heartbeat
        child_end.set_inheritable(True)
        command = [
            sys.executable, "-m", "aqb_rdf.web.sandboxed",
            str(child_end.fileno()), str(board.fd), str(self.out),
            "--parent", str(os.getpid()),
            "--settings", json.dumps(dataclasses.asdict(self.settings)),
            "--base", self.base,
            "--budgets", f"{self.budgets.fd}:{self.seats}:{seat}",
        ]  # fmt: skip
        fds = [child_end.fileno(), board.fd, self.budgets.fd]
        process = subprocess.Popen(command, pass_fds=fds)
        child_end.close()
        self._last_start = time.monotonic()
        self.children.append(_Child(process, parent_end, board, self._last_start, seat))

    def _stop_all(self) -> None:
        for child in self.children:
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.settings.timeout + self.settings.queue_wait + 5
        for child in self.children:
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
            child.control.close()
            child.board.close()
        self.children.clear()
        self.budgets.close()

    def _load_new_stores(self) -> None:
        """Load the store of each new release of the base served before any process looks
        for it; say once of a release of another base that it is not switched to."""
        seen = current_release(self.out)
        while not self.stopping:
            time.sleep(1.0)
            folder = current_release(self.out)
            if folder is None or folder == seen or not folder.is_dir():
                continue
            seen = folder
            try:
                other = recorded_base(folder)
            except AqbError as error:
                other = f"an unreadable base ({error})"
            if other != self.base:
                self._say(f"not switching to release {folder.name}: it was built with base "
                          f"{other}, this server serves {self.base}; restart the server to "
                          "serve it")  # fmt: skip
                continue
            try:
                ensure_store(folder)
            except Exception as error:  # noqa: BLE001 - keep serving the old release
                self._say(f"cannot load the store of release {folder.name}: {error}")
                continue
            # Every process switches at the same moment (web.server.Publication explains why).
            at = time.monotonic() + _SWITCH_AHEAD
            self._switch = f"{folder.name} {at!r}"
            for child in list(self.children):
                if child.state != "starting":  # those are told when they are ready
                    self._tell(child, SWITCH, self._switch)

    @staticmethod
    def _say(message: str) -> None:
        print(f"aqb-rdf: {message}", file=sys.stderr, flush=True)


def _load_kept_stores(out: Path, current: Path, base: str) -> None:
    """Load the stores of the other releases ``out`` keeps, of the base served, so that the
    processes can serve them under ``/release/<id>/``; one line for one that cannot be."""
    for folder in releases_of(out):
        if folder == current:
            continue
        try:
            if recorded_base(folder) == base:
                ensure_store(folder)
        except Exception as error:  # noqa: BLE001 - the current release is served all the same
            Supervisor._say(f"cannot load the store of release {folder.name}: {error}")


def serve(
    out: Path,
    settings: ServeSettings,
    base: str | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve the release ``out`` publishes on ``settings.host``:``settings.port`` until
    SIGTERM or Ctrl-C.

    ``base`` is the base IRI to serve (default: the one the release records); each process
    refuses a release built with another. ``sock`` is a socket from :func:`listen` to serve on
    (``aqb-rdf serve`` binds it before it says it is serving); default: one bound here.

    Raises:
        AqbError: no published release in ``out``, the address is taken, or the processes
            keep failing to start.
    """
    folder = open_release(out)
    served = release_base(recorded_base(folder), base)
    ensure_store(folder)  # once, before the processes open it
    _load_kept_stores(out, folder, served)
    own = sock is None
    sock = listen(settings.host, settings.port) if sock is None else sock
    supervisor = Supervisor(out, sock, settings, served)

    def stop(signum: int, frame: FrameType | None) -> None:
        supervisor.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        supervisor.run()
    finally:
        for made in supervisor.slots[1:]:
            made.close()
        if own:
            sock.close()
