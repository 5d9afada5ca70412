"""The golden cases: one folder per agreement document, with the graph the build maps it to.

Each folder of ``tests/golden/`` holds one source document (``.md``, ``.txt`` or ``.pdf``), its
``SOURCE.md`` and ``expected.ttl``: the agreement's graph as the build maps it (read, parse
against the packaged reference tables, map under the default base), as in morph-kgc's test cases.
``test_golden.py`` compares the two by isomorphism; ``rewrite.py`` (``make golden``) rewrites the
expected files for review. Nothing here changes a file but ``rewrite.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from aqb_rdf import resources
from aqb_rdf.mapping.graphs import agreement_to_graph
from aqb_rdf.publish.dumps import graph_to_ntriples
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import STANDARD_PREFIXES
from aqb_rdf.source.parsing import parse_agreement
from aqb_rdf.source.reading import read_document

GOLDEN = Path(__file__).resolve().parent
EXPECTED = "expected.ttl"
NOTE = "SOURCE.md"
DOCUMENT_SUFFIXES = (".md", ".txt", ".pdf")


@dataclass(frozen=True)
class Case:
    """One folder of ``tests/golden/``."""

    folder: Path

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def documents(self) -> list[Path]:
        """The source documents in the folder (a case has exactly one)."""
        return sorted(
            p for p in self.folder.iterdir() if p.suffix in DOCUMENT_SUFFIXES and p.name != NOTE
        )

    @property
    def document(self) -> Path:
        (document,) = self.documents
        return document

    @property
    def expected(self) -> Path:
        return self.folder / EXPECTED


def cases() -> list[Case]:
    """Every case folder, by name."""
    return [Case(folder) for folder in sorted(GOLDEN.iterdir()) if folder.is_dir()
            and not folder.name.startswith((".", "_"))]  # fmt: skip


IRIS = Iris(DEFAULT_BASE)


def mapped_graph(document: Path) -> Graph:
    """The graph the build maps ``document`` to under the default base."""
    agreement = parse_agreement(read_document(document), resources.reference())
    return agreement_to_graph(agreement, IRIS)


def expected_turtle(graph: Graph) -> bytes:
    """``graph`` as ``expected.ttl`` holds it: Turtle in sorted order, with the prefixes of the
    build's Turtle dump.

    Written by pyoxigraph, as the build writes its Turtle, so that every literal keeps its
    lexical form (rdflib's Turtle writer turns ``"1230450"^^xsd:decimal`` into ``1230450.0``).
    """
    triples = ox.parse(graph_to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
    prefixes = {**{p: str(ns) for p, ns in STANDARD_PREFIXES.items()}, **IRIS.prefixes}
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert turtle is not None  # without an output file, serialize returns the bytes
    return turtle


def read_expected(case: Case) -> Graph:
    return Graph().parse(case.expected, format="turtle")


def difference(expected: Graph, actual: Graph) -> str:
    """The triples only in one of the graphs, one N-Triples line each, or "" when isomorphic.

    As rdflib's ``GraphHelper.assert_isomorphic`` (``test/utils/__init__.py``) reports them;
    blank nodes are compared by structure (``rdflib.compare``), not by label.
    """
    if isomorphic(expected, actual):
        return ""
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))

    def lines(graph: Graph) -> str:
        return "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph))

    return (
        f"graphs differ ({len(expected)} triples expected, {len(actual)} mapped)\n"
        f"only in expected ({len(only_expected)}):\n{lines(only_expected)}\n"
        f"only in mapped ({len(only_actual)}):\n{lines(only_actual)}"
    )
