"""Shut a process in before it runs queries: no network, bounded memory, no core dumps (I/O).

pyoxigraph 0.5.13 cannot cancel a query from Python, and some short queries take the whole
process down: a string doubled with ``CONCAT`` forty times aborts it (out of memory), some
2,500 nested braces overflow the parser's stack (segfault), nine levels of ``VALUES`` groups,
each holding the next twice, keep the planner busy for minutes, and a ``SERVICE <url>`` clause
makes the engine send HTTP requests to any address. Every process that runs a query someone
sent therefore calls :func:`enter_sandbox` first: the server processes
(:mod:`aqb_rdf.web.sandboxed`) and the command line's query worker
(:mod:`aqb_rdf.sparql.worker`).

1. It moves into a new, empty network namespace (``unshare(CLONE_NEWNET)``, or
   ``CLONE_NEWUSER | CLONE_NEWNET`` where unprivileged user namespaces are allowed; the latter
   only works while the process has one thread, so call it first). The process then has no
   interface but a loopback that is down: no query reaches any address, not even the host's own
   loopback. A listening socket it inherited keeps the namespace it was created in, so a server
   process still accepts clients (``../shared/notes/netns_inherited_socket.py`` measured it).
   If both calls fail, :class:`Sandbox` says so and the static guard that refuses ``SERVICE``
   before a query runs is the only defence.
2. It limits its address space (``RLIMIT_AS``), so a runaway allocation fails inside the
   process (a ``MemoryError`` or an abort), not in the machine's OOM killer, and turns core
   dumps off (``RLIMIT_CORE = 0``), so a flood of crashing queries cannot fill the disk.
3. It turns Rust backtraces off: a backtrace costs a crashing query about 0.5 s of CPU and 50
   lines of log; the parent reports the signal that ended the process instead.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
from dataclasses import dataclass
from typing import Final

_CLONE_NEWNET: Final = 0x40000000
_CLONE_NEWUSER: Final = 0x10000000


@dataclass(frozen=True)
class Sandbox:
    """What :func:`enter_sandbox` achieved."""

    network_isolated: bool
    detail: str
    """How the namespace was entered (``CLONE_NEWNET``), or why it could not be."""
    memory_limit: int
    """The address-space limit now in force, in bytes."""


def enter_sandbox(memory_limit: int) -> Sandbox:
    """Isolate this process from the network and limit its memory to ``memory_limit`` bytes
    of address space (or the hard limit, if lower); call it before the process starts threads.
    """
    # A write for the engine in this process, never a read (config.py reads the environment).
    os.environ["RUST_BACKTRACE"] = "0"
    isolated, detail = _isolate_network()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return Sandbox(isolated, detail, limit)


def memory_limit_in_force() -> int | None:
    """The bytes of address space this process may use now (its soft ``RLIMIT_AS``), or None
    without a limit: what an answer that ran out of memory names."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def _isolate_network() -> tuple[bool, str]:
    """Move this process into a new, empty network namespace; return (done, why not)."""
    try:
        unshare = ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError) as error:
        return False, f"unshare() is not available: {error}"
    problems = []
    for flags, name in (
        (_CLONE_NEWNET, "CLONE_NEWNET"),
        (_CLONE_NEWUSER | _CLONE_NEWNET, "CLONE_NEWUSER|CLONE_NEWNET"),
    ):
        if unshare(flags) == 0:
            return True, name
        problems.append(f"unshare({name}): {os.strerror(ctypes.get_errno())}")
    return False, "; ".join(problems)


def describe_exit(code: int | None) -> str:
    """How a process that ran queries ended, from its exit code (negative: the signal)."""
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"
