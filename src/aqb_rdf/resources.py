"""Loads the packaged RDF assets — ontology/, shapes/, queries/, data/reference/ — by name.

The four folders at the top of the repository ship inside the wheel as the data packages
``aqb_rdf.ontology``, ``aqb_rdf.shapes``, ``aqb_rdf.queries`` and ``aqb_rdf.reference_data``
(see pyproject.toml); nothing else in the code knows where they are.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.source.reference import ORGANISATIONS_FILE, REGIONS_FILE, Reference, load_reference


def _turtle_files(package: str) -> list[Traversable]:
    return sorted(
        (f for f in files(package).iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name
    )


def _load_turtle(package: str, iris: Iris) -> Graph:
    graph = Graph()
    for file in _turtle_files(package):
        graph.parse(data=file.read_text(encoding="utf-8"), format="turtle")
    # Canonical blank-node labels keep every dump byte-identical from build to build.
    canonical = Graph()
    canonical.addN((s, p, o, canonical) for s, p, o in to_canonical_graph(graph))
    return rebase(canonical, iris)


def rebase(graph: Graph, iris: Iris) -> Graph:
    """``graph`` with IRIs under the default base moved to ``iris.base``."""
    if iris.base == DEFAULT_BASE:
        return graph
    moved = Graph()

    def move(term: Node) -> Node:
        if isinstance(term, URIRef):
            return URIRef(iris.rebase(term))
        if isinstance(term, Literal) and DEFAULT_BASE in term:
            # Text that cites a namespace (vann:preferredNamespaceUri, definitions) moves too.
            text = iris.rebase_text(str(term))
            return Literal(text, lang=term.language, datatype=term.datatype)
        return term

    for s, p, o in graph:
        moved.add((move(s), move(p), move(o)))
    return moved


def ontology_graph(iris: Iris) -> Graph:
    """The ontology and the SKOS concept schemes (``ontology/*.ttl``)."""
    return _load_turtle("aqb_rdf.ontology", iris)


def shapes_graph(iris: Iris) -> Graph:
    """The SHACL shapes (``shapes/*.ttl``)."""
    return _load_turtle("aqb_rdf.shapes", iris)


def reference(folder: Path | None = None) -> Reference:
    """The reference tables from ``folder``, or the packaged ``data/reference``."""
    if folder is None:
        root: Traversable = files("aqb_rdf.reference_data")
        prefix = "data/reference/"
    else:
        root = folder
        prefix = f"{folder}/"
    return load_reference(
        (root / REGIONS_FILE).read_text(encoding="utf-8"),
        (root / ORGANISATIONS_FILE).read_text(encoding="utf-8"),
        source=prefix,
    )
