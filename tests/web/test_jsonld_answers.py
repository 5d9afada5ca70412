"""Every JSON-LD answer of the server is compacted with the published context (issue 12).

A Linked-Data resource (by ``Accept`` and by ``?format=jsonld``), ``/catalog``,
``/.well-known/void``, CONSTRUCT and DESCRIBE results of ``/sparql`` and its service
description: each JSON-LD answer carries the context of ``context.jsonld`` and uses its short
names, and PyLD (a JSON-LD processor of its own) expands it into exactly the triples the same
request answers as N-Triples.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from pyld import jsonld as pyld_jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

from aqb_rdf.publish import jsonld
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from live_server import Server

pytestmark = pytest.mark.slow  # talks to aqb-rdf serve

AGREEMENT = "/id/zielvereinbarung/2025/06413"
CONSTRUCT = f"""PREFIX aqb: <{DEFAULT_BASE}def/aqb#>
CONSTRUCT {{ ?a aqb:jahr ?year ; aqb:budget ?b }} WHERE {{ ?a aqb:jahr ?year ; aqb:budget ?b }}"""
DESCRIBE = f"DESCRIBE <{DEFAULT_BASE}id/gebietskoerperschaft/06431>"
JSONLD, NT = "application/ld+json", "application/n-triples"
ANSWERS = {
    # name: (path for JSON-LD, Accept, path for N-Triples)
    "resource by Accept": (AGREEMENT, JSONLD, AGREEMENT),
    "resource by ?format=jsonld": (AGREEMENT + "?format=jsonld", None, AGREEMENT + "?format=nt"),
    "project": (AGREEMENT + "/massnahmenart/3/projekt/2", JSONLD, None),
    "Maßnahmenart": ("/def/massnahmenart/3", JSONLD, None),
    "catalogue": ("/catalog", JSONLD, None),
    "VoID": ("/.well-known/void", JSONLD, None),
    "CONSTRUCT": ("/sparql?" + urlencode({"query": CONSTRUCT}), JSONLD, None),
    "DESCRIBE": (
        "/sparql?" + urlencode({"query": DESCRIBE, "format": "json-ld"}),
        None,
        "/sparql?" + urlencode({"query": DESCRIBE}),
    ),
    "service description": ("/sparql", JSONLD, None),
}


def no_network(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    raise AssertionError(f"the JSON-LD processor tried to load {url}; the context is inline")


def expanded(document: dict[str, Any]) -> Graph:
    """The triples PyLD reads from ``document``."""
    nquads = pyld_jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": no_network}
    )
    return Graph().parse(data=nquads, format="nt")


def get(server: Server, path: str, accept: str | None) -> tuple[str, bytes]:
    status, headers, body = server.request("GET", path, headers={"Accept": accept or "*/*"})
    assert status == 200, (path, status, body[:300])
    return headers["content-type"], body


@pytest.mark.parametrize("name", list(ANSWERS))
def test_a_json_ld_answer_is_compacted_and_expands_to_the_same_triples(
    running_server: Server, name: str
) -> None:
    path, accept, nt_path = ANSWERS[name]
    content_type, body = get(running_server, path, accept)
    assert content_type.startswith(JSONLD), content_type
    document: dict[str, Any] = json.loads(body)
    assert document["@context"] == jsonld.context(Iris(DEFAULT_BASE))
    assert isinstance(document["@graph"], list) and document["@graph"]
    nt_type, nt_body = get(running_server, nt_path or path, NT)
    assert nt_type.startswith(NT), nt_type
    ntriples = Graph().parse(data=nt_body.decode("utf-8"), format="nt")
    assert len(ntriples) > 0
    assert isomorphic(expanded(document), ntriples), name


def test_the_agreement_reads_with_the_short_names(running_server: Server) -> None:
    _, body = get(running_server, AGREEMENT, JSONLD)
    [agreement] = [n for n in json.loads(body)["@graph"] if n["@id"].endswith(AGREEMENT)]
    assert agreement["@type"] == "Zielvereinbarung"
    assert agreement["jahr"] == "2025"
    assert agreement["label"]["de"] == "Zielvereinbarung 2025 – Stadt Offenbach am Main"
