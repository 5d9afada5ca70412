"""The W3C SPARQL 1.1 Protocol tests, run live against ``aqb-rdf serve``.

The server serves a release holding the manifest's data (data1–3.nt as the named graphs the
manifest names); every request of every test is sent exactly as the manifest states it, with
http.client (urllib would add a Content-Type the bad_query_missing_*_type tests must not have).
Query-side tests must get the expected status class and result kind; update tests are refused,
as this endpoint is read-only (see tests/w3c/sparql-protocol/README.md).
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_protocol import W3C_TESTS, W3CRequest

from aqb_rdf.publish.release import publish
from aqb_rdf.rdf.files import DUMPS
from live_server import serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

DATA = Path(__file__).parents[1] / "w3c" / "sparql-protocol" / "protocol"
KASEI = "http://kasei.us/2009/09/sparql/data/"


def w3c_release(folder: Path) -> None:
    """A release whose aqb.trig holds data1–3 in the graphs the manifest names."""
    with open(folder / "aqb.trig", "w", encoding="utf-8") as trig:
        for n in (1, 2, 3):
            body = (DATA / f"data{n}.nt").read_text(encoding="utf-8")
            trig.write(f"<{KASEI}data{n}.rdf> {{\n{body}}}\n")
    for file in DUMPS:
        if file.name != "aqb.trig":
            (folder / file.name).write_text("", encoding="utf-8")


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    out = tmp_path_factory.mktemp("w3c") / "dist"
    publish(out, w3c_release)
    with serving(out) as server:
        yield server.port


def send(port: int, request: W3CRequest) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        query_string = f"?{request.query_string}" if request.query_string else ""
        connection.putrequest(request.method, "/sparql" + query_string)
        if request.content_type is not None:
            connection.putheader("Content-Type", request.content_type)
        connection.putheader("Content-Length", str(len(request.body)))
        connection.endheaders(request.body)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


QUERY_SIDE = sorted(name for name in W3C_TESTS if not name.startswith(("update_", "bad_update_")))
UPDATES = sorted(name for name in W3C_TESTS if name.startswith(("update_", "bad_update_")))


@pytest.mark.parametrize("name", QUERY_SIDE)
def test_query_side(port: int, name: str) -> None:
    for request in W3C_TESTS[name]:
        status, content_type, body = send(port, request)
        assert status // 100 in request.expected_classes, (name, status, body[:300])
        if status == 200 and "sparql-results+json" in content_type:
            json.loads(body)


@pytest.mark.parametrize("name", UPDATES)
def test_updates_are_refused(port: int, name: str) -> None:
    status, _, body = send(port, W3C_TESTS[name][0])
    assert status in (400, 403, 415), (name, status, body[:300])


def test_the_data_is_served(port: int) -> None:
    request = W3CRequest(
        method="GET",
        query_string="query=SELECT%20%28COUNT%28*%29%20AS%20%3Fn%29%20WHERE%20%7BGRAPH%20%3Fg%20%7B%3Fs%20%3Fp%20%3Fo%7D%7D",
        content_type=None,
        body=b"",
        body_text=None,
        expected_classes=frozenset({2}),
    )
    status, _, body = send(port, request)
    assert status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0
