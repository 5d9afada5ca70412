"""When each running query of a process must be over: a table in shared memory (I/O).

A server process runs queries in threads; pyoxigraph cannot cancel one, and a query that runs
on past its time limit holds a thread (the engine releases the GIL while it evaluates:
``../shared/notes/pyoxigraph_gil.py``), or, should the engine ever hold the GIL, the whole
process. The process therefore does not watch its own queries alone: it writes, for each query
slot, the moment by which that query must be over into a :class:`DeadlineBoard` that its
supervisor reads (a ``memfd`` both map; eight bytes of ``CLOCK_MONOTONIC`` time per slot, which
is one clock for every process of the machine). The supervisor kills a process whose board
shows a moment that has passed (:meth:`DeadlineBoard.overdue`), whatever that process is doing.

A slot holds ``0.0`` while it is free. Each write is one aligned eight-byte store, which a
reader in another process sees whole.
"""

from __future__ import annotations

import mmap
import os
import struct
import time
from typing import Final

_SLOT: Final = struct.Struct("d")


class DeadlineBoard:
    """``slots`` deadlines in shared memory, readable by another process.

    Create it in the supervisor with :meth:`create` and pass :attr:`fd` to the child (as an
    inherited descriptor); the child opens the same table with :meth:`attach`.
    """

    def __init__(self, fd: int, slots: int) -> None:
        if slots < 1:
            raise ValueError("a deadline board needs at least one slot")
        self.fd = fd
        self.slots = slots
        self._map = mmap.mmap(fd, slots * _SLOT.size)

    @classmethod
    def create(cls, slots: int) -> DeadlineBoard:
        """A new board of ``slots`` free slots, its descriptor inheritable."""
        fd = os.memfd_create("aqb-deadlines", 0)
        os.ftruncate(fd, slots * _SLOT.size)
        os.set_inheritable(fd, True)
        return cls(fd, slots)

    @classmethod
    def attach(cls, fd: int, slots: int) -> DeadlineBoard:
        """The board a parent created, from its inherited descriptor ``fd``."""
        return cls(fd, slots)

    def set(self, slot: int, moment: float) -> None:
        """Say that the query in ``slot`` must be over by ``moment`` (``time.monotonic()``)."""
        _SLOT.pack_into(self._map, slot * _SLOT.size, moment)

    def clear(self, slot: int) -> None:
        """Say that ``slot`` is free."""
        _SLOT.pack_into(self._map, slot * _SLOT.size, 0.0)

    def overdue(self, now: float | None = None) -> float | None:
        """The earliest deadline that has passed (seconds since, as a positive number) of a
        busy slot, or None if every query is within its time."""
        now = time.monotonic() if now is None else now
        late = [
            now - moment
            for (moment,) in _SLOT.iter_unpack(self._map)
            if moment != 0.0 and moment < now
        ]
        return max(late) if late else None

    def close(self) -> None:
        """Unmap the table and close the descriptor; idempotent."""
        if not self._map.closed:
            self._map.close()
            os.close(self.fd)
