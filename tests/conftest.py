"""Fixtures the test modules share, so that no module builds the default data or starts a server
of its own where one for the whole session does.

Every fixture here is real: a build of ``data/agreements`` with the production pipeline, the
installed ``aqb-rdf serve`` as a subprocess on 127.0.0.1, the Oxigraph server of the test extra.
Each process a fixture starts is stopped when its scope ends, also after a failure. The
helpers they reuse live beside this file: ``live_server.py`` (``aqb-rdf serve``, Chromium) and
``stores.py`` (Oxigraph, Virtuoso, a faulty proxy); test modules import them by name.

``built_default_dataset`` (session)
    ``data/agreements`` built into a temporary ``dist``. Read it, never change it: take
    ``copy_of_default_dataset`` (per test, in ``tmp_path``) to change a build.
``running_server`` (session)
    ``aqb-rdf serve`` over a copy of that build: two query workers, ``SERVER_TIMEOUT`` seconds
    per query.
``oxigraph_server`` (session)
    An Oxigraph server (read-write), empty when the session starts.
``oxigraph_store`` (per test)
    That server, emptied (``DROP ALL``) before the test.

Tests that start a process are marked ``slow`` (``make test-fast`` leaves them out).
"""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import stores
from aqb_rdf.build.pipeline import build
from canary import Canary
from live_server import SERVER_TIMEOUT, Server, serving

REPO = Path(__file__).resolve().parent.parent
DEFAULT_AGREEMENTS = REPO / "data" / "agreements"
"""The default data: the real agreements the repository ships."""


def copy_build(out: Path, target: Path) -> Path:
    """A copy of the build in ``out`` at ``target``; its links are relative and stay inside."""
    shutil.copytree(out, target, symlinks=True)
    return target


@pytest.fixture(scope="session")
def built_default_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``data/agreements`` built once per session under the default base, one worker.

    The build folder as ``aqb-rdf build`` leaves it (the downloads linked to ``current``, the
    release under ``releases/``). Tests share it, so they must not change it.
    """
    out = tmp_path_factory.mktemp("default-dataset") / "dist"
    report = build([DEFAULT_AGREEMENTS], out, workers=1)
    assert report.agreements == 2
    return out


@pytest.fixture
def copy_of_default_dataset(built_default_dataset: Path, tmp_path: Path) -> Path:
    """A copy of ``built_default_dataset`` the test may change (``tmp_path / "dist"``)."""
    return copy_build(built_default_dataset, tmp_path / "dist")


@pytest.fixture(scope="session")
def running_server(
    built_default_dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """``aqb-rdf serve`` on 127.0.0.1 and a free port over the default dataset, for the session.

    It serves a copy (the server adds its store to the release it serves), with two query
    workers and ``SERVER_TIMEOUT`` seconds per query; its log is beside the copy. Stopped when
    the session ends.
    """
    served = copy_build(built_default_dataset, tmp_path_factory.mktemp("served") / "dist")
    with serving(served, "--query-workers", "2", "--timeout", str(SERVER_TIMEOUT)) as server:
        yield server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stores.Store]:
    """``oxigraph serve`` (read-write) on 127.0.0.1 for the session, empty when it starts.

    Tests that care what it holds take ``oxigraph_store`` instead, which empties it first.
    """
    with stores.oxigraph(tmp_path_factory.mktemp("oxigraph") / "data") as running:
        yield running


@pytest.fixture
def oxigraph_store(oxigraph_server: stores.Store) -> stores.Store:
    """The session's Oxigraph server, emptied before the test."""
    stores.drop_all(oxigraph_server)
    return oxigraph_server


@pytest.fixture
def canary() -> Iterator[Canary]:
    """A loopback listener that counts connections, shown to count one before the test."""
    listener = Canary()
    try:
        with socket.create_connection(("127.0.0.1", listener.port), timeout=5):
            pass  # the canary counts a connection: otherwise zero in a test would prove nothing
        deadline = time.monotonic() + 5
        while listener.connections == 0:
            assert time.monotonic() < deadline, "the canary does not count connections"
            time.sleep(0.01)
        listener.connections = 0
        yield listener
    finally:
        listener.close()
