"""Push a release into a SPARQL 1.1 store, one named graph at a time (the core).

The release's ``aqb.trig`` holds one named graph per agreement plus ``{base}graph/reference``
and ``{base}graph/ontology``. :func:`push_release` reads it one graph at a time (memory holds
the graphs in flight, whatever the size of the dataset) and, for each graph, asks the store
what it holds under that name:

* absent → **created** (written);
* a different number of triples → **replaced** (written);
* the same number → the remote graph is fetched and compared with the local one, blank nodes
  canonicalised and numbers by value: equal → **unchanged** (nothing is sent), different →
  **replaced**.

Remote graphs under ``{base}graph/`` that the release no longer has are **stale**: reported,
and dropped only when asked (``delete_stale``), then reported as **deleted**.

Writing a graph replaces it as a whole in one request (see :mod:`aqb_rdf.push.graph_store`), so a
failure midway leaves every graph either as it was or as in the release, and pushing again
converges. The store as a whole may show a mix of both releases while a push runs.

No HTTP here: the store is behind :class:`RemoteStore` (:class:`aqb_rdf.push.graph_store.HttpStore`).
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pyoxigraph import Triple

from aqb_rdf.diff.graphs import (
    LocalGraph,
    canonical_number,
    graph_digest,
    read_graphs,
)
from aqb_rdf.errors import AqbError
from aqb_rdf.sparql.store import DATASET_FILE

__all__ = [
    "Change",
    "LocalGraph",
    "PushReport",
    "RemoteStore",
    "canonical_number",
    "dataset_dump",
    "decide",
    "graph_digest",
    "push_release",
    "read_graphs",
]


class Change(enum.Enum):
    """What a push did, or would do, to one named graph of the store."""

    CREATED = "created"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    STALE = "stale"
    """In our graph namespace on the store, not in the release; kept."""
    DELETED = "deleted"
    """Stale and dropped (``delete_stale``)."""


class RemoteStore(Protocol):
    """What a push needs from a store; :class:`aqb_rdf.push.graph_store.HttpStore` speaks HTTP."""

    def graph_sizes(self, namespace: str) -> dict[str, int]:
        """Every non-empty named graph whose IRI starts with ``namespace``, with its triples."""
        ...

    def graph_triples(self, iri: str) -> list[Triple]:
        """The triples of the named graph ``iri`` (empty if it does not exist)."""
        ...

    def replace_graph(self, graph: LocalGraph) -> None:
        """Replace the named graph with ``graph``'s triples, in one atomic step if possible."""
        ...

    def delete_graph(self, iri: str) -> None:
        """Drop the named graph ``iri``."""
        ...


@dataclass
class PushReport:
    """What a push changed: the graphs per :class:`Change`, and its cost."""

    graphs: dict[Change, list[str]] = field(default_factory=lambda: {c: [] for c in Change})
    triples_sent: int = 0
    seconds: float = 0.0

    def count(self, change: Change) -> int:
        return len(self.graphs[change])

    def summary(self) -> str:
        """One line, e.g. ``2 created, 1 replaced, 9 unchanged, 0 stale; 412 triples sent``."""
        parts = [f"{self.count(c)} {c.value}" for c in Change if c is not Change.DELETED]
        if self.count(Change.DELETED):
            parts.append(f"{self.count(Change.DELETED)} deleted")
        return f"{', '.join(parts)}; {self.triples_sent:,} triples sent in {self.seconds:.1f} s"


Progress = Callable[[str, "PushReport"], None]
"""Called after each graph with its IRI and the report so far."""


def dataset_dump(path: Path) -> Path:
    """The TriG dump of a build folder or the file itself, through ``current`` to its release.

    Resolved once, so a build publishing a new release meanwhile does not change what is pushed.
    """
    dump = path / DATASET_FILE if path.is_dir() else path
    if not dump.is_file():
        raise AqbError(
            f"no dataset at {path} ({DATASET_FILE} is missing): run `aqb-rdf build` first"
        )
    return dump.resolve()


def decide(local: LocalGraph, remote_size: int | None, fetch: Callable[[], list[Triple]]) -> Change:
    """Whether ``local`` is new to the store, differs from it, or is there already.

    ``fetch`` is called only when the sizes agree, so an obvious change costs no download.
    """
    if remote_size is None:
        return Change.CREATED
    if remote_size != len(set(local.triples)):
        return Change.REPLACED
    same = graph_digest(fetch()) == graph_digest(local.triples)
    return Change.UNCHANGED if same else Change.REPLACED


def push_release(
    dump: Path,
    store: RemoteStore,
    namespace: str,
    *,
    delete_stale: bool = False,
    dry_run: bool = False,
    connections: int = 1,
    progress: Progress | None = None,
) -> PushReport:
    """Push every named graph of ``dump`` to ``store``, writing only what differs.

    Args:
        dump: the release's TriG file (see :func:`dataset_dump`).
        store: where to push.
        namespace: the graph namespace we own on the store, ``{base}graph/``; every local
            graph must be in it, and remote graphs in it that the release lacks are stale.
        delete_stale: drop stale graphs (otherwise they are only reported).
        dry_run: decide and report, write nothing.
        connections: graphs compared and written at the same time (at most twice as many
            are held in memory).
        progress: called after each graph.

    Returns:
        The report; its lists of graphs are sorted.

    Raises:
        AqbError: the dump cannot be read or a graph is outside ``namespace``.
        aqb_rdf.errors.PushError: the store refused a request or could not be reached. The
            graphs already in flight are finished first; no new one is started.
    """
    started = time.perf_counter()
    report = PushReport()
    remote = store.graph_sizes(namespace)
    local_iris: set[str] = set()
    lock = threading.Lock()
    failed = threading.Event()

    def push_graph(graph: LocalGraph) -> None:
        if failed.is_set():
            return  # another graph failed: start no more
        try:
            change = decide(graph, remote.get(graph.iri), lambda: store.graph_triples(graph.iri))
            written = change is not Change.UNCHANGED and not dry_run
            if written:
                store.replace_graph(graph)
        except BaseException:
            failed.set()
            raise
        with lock:
            report.graphs[change].append(graph.iri)
            report.triples_sent += len(graph.triples) if written else 0
            report.seconds = time.perf_counter() - started
            if progress is not None:
                progress(graph.iri, report)

    slots = threading.BoundedSemaphore(2 * connections)
    pending: list[Future[None]] = []
    with ThreadPoolExecutor(connections, thread_name_prefix="push") as pool:
        for graph in read_graphs(dump):
            if not graph.iri.startswith(namespace):
                raise AqbError(f"graph <{graph.iri}> is outside {namespace}; is --base right?",
                               str(dump))  # fmt: skip
            local_iris.add(graph.iri)
            if failed.is_set():
                break
            slots.acquire()
            future = pool.submit(push_graph, graph)
            future.add_done_callback(lambda _future: slots.release())
            pending = [f for f in pending if not f.done() or f.exception()] + [future]
    # Graphs queued after a failure returned without a word; the failure is raised here.
    for future in pending:
        future.result()  # the first failure, if any, is raised here
    for iri in sorted(set(remote) - local_iris):
        if delete_stale and not dry_run:
            store.delete_graph(iri)
        report.graphs[Change.DELETED if delete_stale else Change.STALE].append(iri)
    for graphs in report.graphs.values():
        graphs.sort()
    report.seconds = time.perf_counter() - started
    return report
