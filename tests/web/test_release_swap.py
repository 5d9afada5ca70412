"""A running server switches to a new release without a failed or half-answered request, and
serves a release built before catalog.ttl and void.ttl existed without them."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import to_isomorphic
from test_server import TOTAL, QueryServer

from aqb_rdf.build.pipeline import build
from live_server import serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve and builds while it serves

REPO = Path(__file__).resolve().parents[2]


def total(server: QueryServer) -> tuple[int, float | None]:
    status, _, body = server.get(TOTAL)
    if status != 200:
        return status, None
    return status, float(json.loads(body)["results"]["bindings"][0]["total"]["value"])


def test_a_new_build_is_served_without_a_failed_request(tmp_path: Path) -> None:
    sources = tmp_path / "agreements"
    shutil.copytree(REPO / "data" / "agreements", sources)
    out = tmp_path / "dist"
    build([sources], out, workers=1)
    seen: list[tuple[int, float | None]] = []
    stop = threading.Event()

    def ask_continuously() -> None:
        while not stop.is_set():
            seen.append(total(server))

    with serving(out, "--query-workers", "2") as running:
        server = QueryServer(running.process, running.port)
        assert total(server) == (200, 2241860.0)
        assert catalogue(server) == catalogue_file(out)
        asker = threading.Thread(target=ask_continuously)
        asker.start()
        try:
            (sources / "2025" / "offenbach-am-main-stadt.md").unlink()
            build([sources], out, workers=1)
            deadline = time.monotonic() + 30
            while total(server) != (200, 1230450.0):
                assert time.monotonic() < deadline, "the server never switched to the new release"
                time.sleep(0.2)
            time.sleep(0.5)
        finally:
            stop.set()
            asker.join(timeout=30)
        assert seen, "no request was made during the switch"
        assert {status for status, _ in seen} == {200}
        values = [value for _, value in seen]
        assert set(values) <= {2241860.0, 1230450.0}
        switched = values.index(1230450.0) if 1230450.0 in values else len(values)
        assert all(v == 1230450.0 for v in values[switched:]), "went back to the old release"
        status, _, body = server.request("GET", "/download/aqb.nt")
        assert status == 200 and b"zielvereinbarung/2025/06413" not in body
        # The catalogue follows: the new release's, with the new sizes and checksums.
        assert catalogue(server) == catalogue_file(out)
        status, _, body = server.request("GET", "/download/catalog.ttl")
        assert status == 200 and body == (out / "catalog.ttl").read_bytes()


def catalogue(server: QueryServer) -> Graph:
    """``/catalog`` as a graph that compares equal to another with the same triples."""
    status, _, body = server.request("GET", "/catalog", headers={"Accept": "text/turtle"})
    assert status == 200, body[:300]
    return to_isomorphic(Graph().parse(data=body, format="turtle"))


def catalogue_file(out: Path) -> Graph:
    return to_isomorphic(Graph().parse(out / "catalog.ttl", format="turtle"))


def test_a_release_without_catalogue_is_served_without_it(copy_of_default_dataset: Path) -> None:
    """Releases built before catalog.ttl and void.ttl existed lack them: 404, the rest works."""
    out = copy_of_default_dataset
    for name in ("catalog.ttl", "void.ttl"):
        (out / "current" / name).unlink()
    with serving(out, "--query-workers", "1") as server:
        for path in ("/download/catalog.ttl", "/download/void.ttl", "/catalog"):
            status, _, body = server.request("GET", path, headers={"Accept": "text/turtle"})
            assert status == 404, (path, body[:300])
        assert server.request("GET", "/download/aqb.ttl")[0] == 200
        assert server.request("GET", "/")[0] == 200
