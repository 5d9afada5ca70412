"""The release a server process serves, following the build output (I/O).

A release's store (``releases/<id>/store``) is loaded from its ``aqb.trig`` the first time the
release is served, into a staging folder renamed into place, so a server never opens a
half-loaded store; the supervisor (:mod:`aqb_rdf.web.supervisor`) loads it, before any server
process opens it. :class:`Publication`, in each server process, watches ``DIR/current``: once a
build has published a new release and its store is there, it opens that store and switches
over in one step; queries already running finish on the old release. A reader therefore never
sees a half-written release.

The server maps the base IRI the release was built with (its record,
:func:`~aqb_rdf.publish.release.recorded_base`) to its root, so it serves one base: a new
release built with another base is not switched to; the supervisor says so on stderr, once.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from aqb_rdf.errors import AqbError
from aqb_rdf.publish.release import current_release, recorded_base, release_base
from aqb_rdf.sparql.budgets import ClientBudgets
from aqb_rdf.sparql.deadlines import DeadlineBoard
from aqb_rdf.sparql.engine import Engine, OpenStore
from aqb_rdf.sparql.execution import QueryRequest, QueryResult
from aqb_rdf.sparql.store import DATASET_FILE, build_store
from aqb_rdf.web.answers import AnswerCache
from aqb_rdf.web.state import Release, ServeSettings

STORE = "store"
T = TypeVar("T")


def open_release(out: Path) -> Path:
    """The folder of the release ``out`` currently publishes; AqbError if there is none."""
    folder = current_release(out)
    if folder is None or not folder.is_dir():
        raise AqbError("no published build here: run `aqb-rdf build --out` first", str(out))
    return folder


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs (one of another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove the staging folders ``.store-<pid>`` of loads whose process is gone (a server
    killed while it loaded); a running load's folder stays. Returns those removed."""
    removed = []
    for staging in folder.glob(f".{STORE}-*"):
        pid = staging.name.removeprefix(f".{STORE}-")
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        shutil.rmtree(staging, ignore_errors=True)
        removed.append(staging)
    return removed


def ensure_store(folder: Path) -> Path:
    """The release's persisted store, loading it from ``aqb.trig`` if it is not there yet.

    The load goes into ``.store-<pid>``, renamed to ``store`` when complete; the staging
    folders of loads that were killed are removed first, so none is ever left behind.
    """
    store = folder / STORE
    remove_stale_staging(folder)
    if store.is_dir():
        return store
    staging = folder / f".{STORE}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    build_store(folder / DATASET_FILE, staging)
    try:
        os.replace(staging, store)
    except OSError:  # another server loaded it first: use theirs
        shutil.rmtree(staging, ignore_errors=True)
    return store


class Publication:
    """The release a server process serves and the engine answering its queries, following
    ``out`` to newer releases.

    Args:
        out: the build output folder.
        settings: the query slots, time limit, queue and result bounds.
        board: where the engine writes its deadlines for the supervisor (None: unwatched).
        budgets: the client budgets the engine keeps to (None: no client is limited).
        on_retire: called once, on the event loop, when the process should end.
        poll: seconds between looks at ``out/current``.
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
        poll: float = 1.0,
        base: str | None = None,
    ) -> None:
        self.out = out
        self.poll = poll
        folder = open_release(out)
        self.base = release_base(recorded_base(folder), base)
        self._passed_over: Path | None = None
        """The newest release not switched to (another base), so it is reported once."""
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
            memory_limit=settings.memory_limit,
            on_retire=on_retire,
        )
        self._stop = threading.Event()
        self._looking = threading.Lock()
        self._watcher = threading.Thread(target=self._watch, name="release-watcher", daemon=True)

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

    def start(self) -> None:
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            self.look()

    def look(self) -> None:
        """Switch to the release ``out`` publishes now, if it is new, of the base served, and
        its store is loaded (the supervisor loads it, then tells every process to look)."""
        with self._looking:
            folder = current_release(self.out)
            if folder is None or folder in (self.release.folder, self._passed_over):
                return
            if not (folder / STORE).is_dir() or not self._same_base(folder):
                return
            try:
                store = OpenStore.open(folder / STORE)
            except AqbError as error:  # keep serving the old release
                print(f"aqb-rdf: cannot switch to release {folder.name}: {error}", file=sys.stderr)
                self._passed_over = folder
                return
            retired = self.release.id
            self.engine.switch(store)
            self.release.move_to(folder)
            self.answers.drop_release(retired)

    def _same_base(self, folder: Path) -> bool:
        """Whether the release ``folder`` was built with the base served (the supervisor says
        so once when it is not)."""
        try:
            same = recorded_base(folder) == self.base
        except AqbError:
            same = False
        if not same:
            self._passed_over = folder
        return same

    def close(self) -> None:
        self._stop.set()
        if self._watcher.is_alive():
            self._watcher.join(timeout=self.poll + 1)
        self.engine.close()
