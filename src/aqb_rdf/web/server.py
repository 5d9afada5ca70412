"""``aqb-rdf serve``: serve the published release and follow the build output (I/O).

A release's store (``releases/<id>/store``) is loaded from its ``aqb.trig`` the first time the
release is served, into a staging folder renamed into place, so a server never opens a
half-loaded store. :class:`Publication` watches ``DIR/current``: when a build publishes a new
release, it loads that release's store and starts its query workers beside the running ones,
then switches over in one step; queries already running finish on the old release, whose
workers stop a little later. A reader therefore never sees a half-written release.

The server maps the base IRI the release was built with (its record,
:func:`~aqb_rdf.publish.release.recorded_base`) to its root, so it serves one base: a new
release built with another base is not switched to; one line on stderr says so.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
from pathlib import Path

import uvicorn

from aqb_rdf.errors import AqbError
from aqb_rdf.publish.release import current_release, recorded_base, release_base
from aqb_rdf.sparql.pool import QueryPool, QueryRequest, QueryResult
from aqb_rdf.sparql.store import DATASET_FILE, build_store
from aqb_rdf.web.answers import AnswerCache
from aqb_rdf.web.app import build_app
from aqb_rdf.web.http_limits import protocol_options
from aqb_rdf.web.state import Release, ServeSettings

STORE = "store"


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
    """The release being served and the pool answering its queries, following ``out``.

    Args:
        out: the build output folder.
        workers: query worker processes.
        timeout: seconds a query may run.
        poll: seconds between looks at ``out/current``.
        base: the base IRI to serve; default: the one the release records. AqbError if the
            release was built with another.
    """

    def __init__(
        self,
        out: Path,
        *,
        workers: int,
        timeout: float,
        poll: float = 1.0,
        base: str | None = None,
    ) -> None:
        self.out = out
        self.workers = workers
        self.timeout = timeout
        self.poll = poll
        folder = open_release(out)
        self.base = release_base(recorded_base(folder), base)
        self._passed_over: Path | None = None
        """The newest release not switched to (another base), so it is reported once."""
        self.release = Release(folder)
        self.answers = AnswerCache()
        self._pool = self._start_pool(folder)
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="release-watcher", daemon=True)

    def _start_pool(self, folder: Path) -> QueryPool:
        pool = QueryPool(ensure_store(folder), workers=self.workers, timeout=self.timeout)
        pool.start()
        return pool

    async def run_async(self, request: QueryRequest) -> QueryResult:
        """The answer kept for this release, or the pool's (then kept)."""
        release = self.release.id
        answer = self.answers.get(release, request)
        if answer is None:
            answer = await self._pool.run_async(request)
            self.answers.put(release, request, answer)
        return answer

    def start(self) -> None:
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            folder = current_release(self.out)
            if folder is None or folder in (self.release.folder, self._passed_over):
                continue
            if not folder.is_dir() or not self._same_base(folder):
                continue
            try:
                pool = self._start_pool(folder)
            except Exception as error:  # noqa: BLE001 - keep serving the old release
                print(f"aqb-rdf: cannot switch to release {folder.name}: {error}", file=sys.stderr)
                continue
            old, self._pool = self._pool, pool
            retired = self.release.id
            self.release.move_to(folder)
            self.answers.drop_release(retired)
            # Queries that started on the old release may run up to the time limit.
            threading.Timer(self.timeout + 2, old.close).start()

    def _same_base(self, folder: Path) -> bool:
        """Whether the release ``folder`` was built with the base served; one line if not."""
        try:
            other = recorded_base(folder)
        except AqbError as error:
            other = f"an unreadable base ({error})"
        if other == self.base:
            return True
        self._passed_over = folder
        print(
            f"aqb-rdf: not switching to release {folder.name}: it was built with base {other},"
            f" this server serves {self.base}; restart the server to serve it",
            file=sys.stderr,
        )
        return False

    def close(self) -> None:
        self._stop.set()
        if self._watcher.is_alive():
            self._watcher.join(timeout=self.poll + 1)
        self._pool.close()


def serve(
    out: Path,
    host: str,
    port: int,
    *,
    workers: int = ServeSettings.query_workers,
    timeout: float = ServeSettings.timeout,
    settings: ServeSettings | None = None,
    sock: socket.socket | None = None,
    base: str | None = None,
) -> None:
    """Serve the release ``out`` publishes on ``host``:``port`` (or on the listening socket
    ``sock``, shared with other server processes) until interrupted.

    ``base`` is the base IRI to serve (default: the one the release records; AqbError if the
    release was built with another)."""
    publication = Publication(out, workers=workers, timeout=timeout, base=base)
    try:
        publication.start()
        app = build_app(publication.release, publication, settings, base=publication.base)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            timeout_keep_alive=5,
            **protocol_options(),  # type: ignore[arg-type]  # bounded request line and headers
        )
        uvicorn.Server(config).run(sockets=None if sock is None else [sock])
    finally:
        publication.close()
