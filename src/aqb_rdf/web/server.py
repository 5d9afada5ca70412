"""``aqb-rdf serve``: open the published release, make sure it has a store, run the app (I/O).

A release's store (``releases/<id>/store``) is loaded from its ``aqb.trig`` the first time the
release is served, into a staging folder renamed into place, so a server never opens a
half-loaded store; afterwards it opens in well under a second, read-only.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import uvicorn

from aqb_rdf.errors import AqbError
from aqb_rdf.query_pool import QueryPool, build_store
from aqb_rdf.release import current_release
from aqb_rdf.web.app import Release, ServeSettings, build_app

STORE = "store"


def open_release(out: Path) -> Release:
    """The release ``out`` currently publishes; AqbError if there is none."""
    folder = current_release(out)
    if folder is None or not folder.is_dir():
        raise AqbError("no published build here: run `aqb-rdf build --out` first", str(out))
    return Release(folder)


def ensure_store(release: Release) -> Path:
    """The release's persisted store, loading it from ``aqb.trig`` if it is not there yet."""
    store = release.folder / STORE
    if store.is_dir():
        return store
    staging = release.folder / f".{STORE}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    build_store(release.folder / "aqb.trig", staging)
    try:
        os.replace(staging, store)
    except OSError:  # another server loaded it first: use theirs
        shutil.rmtree(staging, ignore_errors=True)
    return store


def serve(
    out: Path,
    host: str,
    port: int,
    *,
    workers: int = 2,
    timeout: float = 10.0,
    settings: ServeSettings | None = None,
) -> None:
    """Serve the release ``out`` publishes on ``host``:``port`` until interrupted."""
    release = open_release(out)
    store = ensure_store(release)
    with QueryPool(store, workers=workers, timeout=timeout) as pool:
        app = build_app(release, pool, settings)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            h11_max_incomplete_event_size=64 * 1024,  # bounded request line and headers
            timeout_keep_alive=5,
        )
        uvicorn.Server(config).run()
