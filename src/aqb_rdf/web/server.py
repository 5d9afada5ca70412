"""The release a server process serves, following the build output (I/O).

A release's store (``releases/<id>/store``) is loaded from its ``aqb.trig`` the first time the
release is served, into a staging folder renamed into place, so a server never opens a
half-loaded store; the supervisor (:mod:`aqb_rdf.web.supervisor`) loads it, before any server
process opens it. :class:`Publication`, in each server process, switches to a new release when
the supervisor says so, at one moment for every process; queries already running finish on the
old release. A reader therefore never sees a half-written release, nor an old one again after a
new one.

Beside the current release, a process serves every other release the build output keeps
(``build --keep-releases``) read-only under ``/release/<id>/`` (:mod:`aqb_rdf.web.releases`):
:meth:`Publication.store_of` opens a kept release's store the first time it is asked for and
keeps it open; at a switch the old current release's store, open already, stays as one of them,
and the stores of releases the build has removed are closed. All of them share the engine's
query slots, queue and deadlines.

The server maps the base IRI the release was built with (its record,
:func:`~aqb_rdf.publish.release.recorded_base`) to its root, so it serves one base: a new
release built with another base is not switched to; the supervisor says so on stderr, once.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from aqb_rdf.errors import AqbError
from aqb_rdf.publish.release import (
    RELEASES,
    current_release,
    published_at,
    recorded_base,
    release_base,
    releases_of,
)
from aqb_rdf.sparql.budgets import ClientBudgets
from aqb_rdf.sparql.deadlines import DeadlineBoard
from aqb_rdf.sparql.engine import Engine, OpenStore
from aqb_rdf.sparql.execution import QueryRequest, QueryResult
from aqb_rdf.sparql.store import RELEASE_STORE as STORE
from aqb_rdf.sparql.store import ensure_store as ensure_store
from aqb_rdf.web.answers import AnswerCache
from aqb_rdf.web.state import Release, ReleaseEntry, ServeSettings

T = TypeVar("T")


def open_release(out: Path) -> Path:
    """The folder of the release ``out`` currently publishes; AqbError if there is none."""
    folder = current_release(out)
    if folder is None or not folder.is_dir():
        raise AqbError("no published build here: run `aqb-rdf build --out` first", str(out))
    return folder


class Publication:
    """The release a server process serves and the engine answering its queries, switched to
    newer releases when the supervisor says so.

    Every server process must switch at the same moment, or a client whose requests reach two
    of them could see the new release and then the old one again. So the supervisor, once it
    has loaded a new release's store, tells every process to :meth:`prepare` it with one moment
    ``at`` (``time.monotonic()``, one clock for the whole machine) a second ahead; each opens the
    store at once, and :meth:`sync`, at the start of every request, switches when that moment
    has come. A request that starts after it, in any process, is answered from the new release.

    Args:
        out: the build output folder.
        settings: the query slots, time limit, queue and result bounds.
        board: where the engine writes its deadlines for the supervisor (None: unwatched).
        budgets: the client budgets the engine keeps to (None: no client is limited).
        on_retire: called once, on the event loop, when the process should end.
        base: the base IRI to serve; default: the one the release records. AqbError if the
            release was built with another.
    """

    def __init__(
        self,
        out: Path,
        settings: ServeSettings,
        *,
        board: DeadlineBoard | None = None,
        budgets: ClientBudgets | None = None,
        on_retire: Callable[[str], None] = lambda reason: None,
        base: str | None = None,
    ) -> None:
        self.out = out
        folder = open_release(out)
        self.base = release_base(recorded_base(folder), base)
        self.release = Release(folder)
        self.answers = AnswerCache()
        self.engine = Engine(
            OpenStore.open(ensure_store(folder)),
            slots=settings.query_workers,
            timeout=settings.timeout,
            queue_length=settings.queue_length,
            queue_wait=settings.queue_wait,
            board=board,
            budgets=budgets,
            on_retire=on_retire,
        )
        self._pending: tuple[Path, OpenStore, float] | None = None
        """The release prepared, its open store, and the moment to switch to it."""
        self._older: dict[str, OpenStore] = {}
        """The open stores of the other kept releases served (``/release/<id>/``), by id."""

    def listing(self) -> list[ReleaseEntry]:
        """The releases served: the current one first, then the others the build output
        keeps (of the base served), newest first."""
        others = [
            folder
            for folder in releases_of(self.out, newest_first=True)
            if folder.name != self.release.id and (folder / STORE).is_dir()
        ]
        return [
            ReleaseEntry(folder.name, published_at(folder))
            for folder in (self.release.folder, *others)
        ]

    def store_of(self, name: str) -> OpenStore | None:
        """The open store of the served release ``name`` (opened now if it was not; None: no
        such release is kept, it has another base, or its store cannot be opened)."""
        if name == self.release.id:
            return self.engine.store
        if name in self._older:
            return self._older[name]
        folder = self.out / RELEASES / name
        if name.startswith(".") or "/" in name or not (folder / STORE).is_dir():
            return None
        try:
            if recorded_base(folder) != self.base:
                return None
            store = OpenStore.open(folder / STORE)
        except AqbError:
            return None
        self._older[name] = store
        return store

    async def run_async(self, request: QueryRequest) -> QueryResult:
        """The answer kept for this release, or the engine's (then kept)."""
        release = self.release.id
        answer = self.answers.get(release, request)
        if answer is None:
            answer = await self.engine.run_async(request)
            self.answers.put(release, request, answer)
        return answer

    async def call_async(self, work: Callable[[], T]) -> T:
        """``work()`` in one of the engine's query slots (:meth:`Engine.call_async`)."""
        return await self.engine.call_async(work)

    def out_of_memory(self) -> AqbError:
        """The answer to a ``MemoryError`` met while answering; the process retires."""
        return self.engine.out_of_memory()

    def prepare(self, name: str, at: float) -> None:
        """Open the store of the release ``releases/<name>`` to switch to it at ``at``; one
        line on stderr, and the old release kept, if it cannot be opened or has another base."""
        folder = self.out / RELEASES / name
        if folder == self.release.folder:
            return
        try:
            if recorded_base(folder) != self.base:
                raise AqbError(f"it was built with another base than {self.base}")
            store = OpenStore.open(folder / STORE)
        except AqbError as error:  # keep serving the old release
            print(f"aqb-rdf: cannot switch to release {name}: {error}", file=sys.stderr)
            return
        self._pending = (folder, store, at)

    def sync(self) -> None:
        """Switch to the prepared release if its moment has come (on the event loop, at the
        start of every request)."""
        pending = self._pending
        if pending is None or time.monotonic() < pending[2]:
            return
        folder, store, _ = pending
        self._pending = None
        self._older[self.release.id] = self.engine.store  # now served at /release/<id>/
        self._older.pop(folder.name, None)
        self.engine.switch(store)
        self.release.move_to(folder)
        for name in [name for name in self._older if not (self.out / RELEASES / name).is_dir()]:
            del self._older[name]  # removed by the build: closed when its last query ends
            self.answers.drop_release(name)

    def close(self) -> None:
        self.engine.close()
