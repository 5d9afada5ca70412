"""``web/compression.py``: answers compressed on the fly up to ``--compress-max-bytes``, larger
ones sent as they are (issue 11: a client asking for a large dump again and again made the
server compress it again each time).

The real server over a copy of the session's build, with the bound set between the default
build's ``aqb.ttl`` (140 kB) and ``aqb.nt`` (406 kB); plain ``http.client``, which never
decompresses by itself.
"""

from __future__ import annotations

import gzip
import urllib.parse
from pathlib import Path

import brotli
import pytest

from live_server import serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

BOUND = 200_000
BOTH = {"Accept-Encoding": "gzip, br"}


def test_answers_above_the_bound_are_sent_as_they_are(copy_of_default_dataset: Path) -> None:
    out = copy_of_default_dataset
    large, small = (out / "aqb.nt").read_bytes(), (out / "aqb.ttl").read_bytes()
    assert len(small) < BOUND < len(large)  # the bound lies between them
    with serving(out, "--processes", "1", "--compress-max-bytes", str(BOUND)) as server:
        status, headers, body = server.request("GET", "/download/aqb.nt", headers=BOTH)
        assert status == 200
        assert "content-encoding" not in headers
        assert int(headers["content-length"]) == len(large) and body == large
        status, headers, body = server.request("HEAD", "/download/aqb.nt", headers=BOTH)
        assert status == 200 and int(headers["content-length"]) == len(large) and body == b""

        for encoding, unpack in (("br", brotli.decompress), ("gzip", gzip.decompress)):
            status, headers, body = server.request(
                "GET", "/download/aqb.ttl", headers={"Accept-Encoding": encoding}
            )
            assert status == 200 and headers["content-encoding"] == encoding
            assert "accept-encoding" in headers["vary"].lower()
            assert len(body) < len(small) and unpack(body) == small

        # By size, not by route: a query's answer over the bound too, one under it compressed.
        for limit, compressed in ((5_000, False), (500, True)):
            query = f"CONSTRUCT {{ ?s ?p ?o2 }} WHERE {{ ?s ?p ?o . ?x ?y ?o2 }} LIMIT {limit}"
            path = "/sparql?" + urllib.parse.urlencode({"query": query})
            status, headers, body = server.request(
                "GET", path, headers={**BOTH, "Accept": "application/n-triples"}
            )
            assert status == 200
            assert headers.get("content-encoding") == ("br" if compressed else None)
            plain = brotli.decompress(body) if compressed else body
            assert (len(plain) > BOUND) is not compressed
            unasked = server.request("GET", path, headers={"Accept": "application/n-triples"})
            assert unasked[2] == plain
