"""``sparql/execution.py``: one request on an open store, answered or refused, in any thread."""

from __future__ import annotations

import concurrent.futures
import gc
import sys
from typing import Any

import pyoxigraph as ox
import pytest

from aqb_rdf.errors import ResultTooLarge
from aqb_rdf.sparql.execution import QueryRequest, execute


def test_a_result_too_large_leaves_nothing_to_drop_on_another_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The engine's query solutions may only be dropped on the thread that made them; the
    error's traceback, which holds the frame of ``execute``, used to carry them to the thread
    that read the error (a server's event loop): a ``RuntimeError`` ("unsendable") in the log
    each time, and their memory never freed (the 10-minute soak of issue 11)."""
    store = ox.Store()
    for n in range(200):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{n}"), ox.NamedNode("urn:p"), ox.Literal(str(n))))
    raised: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", raised.append)
    request = QueryRequest("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json", (), ())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(execute, store, request, 1_000, False)
        with pytest.raises(ResultTooLarge):
            future.result()
        del future
    gc.collect()
    assert [str(each.exc_value) for each in raised] == []
