"""Graphs → the dump files, written deterministically and atomically (I/O edge).

pyoxigraph does the RDF serialisation (it is one to two orders of magnitude faster than rdflib
on large graphs). Each part of the dataset travels as sorted canonical N-Triples, so the same
input always gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from aqb_rdf import jsonld
from aqb_rdf.errors import AqbError
from aqb_rdf.iris import Iris
from aqb_rdf.namespaces import STANDARD_PREFIXES

MARKER = ".aqb-build"
"""A file in every build output; only such a folder may be replaced by a new build."""
DUMPS = ("aqb.ttl", "aqb.nt", "aqb.jsonld", "aqb.trig", "aqb.csv", "context.jsonld")
CSV_COLUMNS = (
    "jahr",
    "kreisschluessel",
    "gebietskoerperschaft",
    "massnahmenart",
    "massnahmenart_bezeichnung",
    "position",
    "projekt",
    "budget_eur",
    "zielvereinbarung",
    "projekt_iri",
)


@dataclass(frozen=True)
class Part:
    """One named graph of the dataset as sorted N-Triples."""

    graph: str
    ntriples: bytes


def _term(term: URIRef | BNode | Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def graph_to_ntriples(graph: Iterable[tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]]) -> bytes:
    """Sorted canonical N-Triples of ``graph`` (a graph or any iterable of triples)."""
    triples = (ox.Triple(_term(s), _term(p), _term(o)) for s, p, o in graph)  # type: ignore[arg-type]
    lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
    return b"".join(sorted(set(lines)))


def _triples(parts: Sequence[Part]) -> Iterator[ox.Triple]:
    for part in parts:
        yield from ox.parse(part.ntriples, format=ox.RdfFormat.N_TRIPLES)


def _quads(parts: Sequence[Part]) -> Iterator[ox.Quad]:
    for part in parts:
        name = ox.NamedNode(part.graph)
        for triple in ox.parse(part.ntriples, format=ox.RdfFormat.N_TRIPLES):
            yield ox.Quad(triple.subject, triple.predicate, triple.object, name)


def _prefixes(iris: Iris) -> dict[str, str]:
    return {**{p: str(ns) for p, ns in STANDARD_PREFIXES.items()}, **iris.prefixes}


def csv_bytes(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_dumps(folder: Path, parts: Sequence[Part], rows: Iterable[Sequence[str]], iris: Iris) -> None:
    """Write every dump of ``parts`` (and the CSV ``rows``) into the empty ``folder``."""
    prefixes = _prefixes(iris)
    with open(folder / "aqb.nt", "wb") as out:
        for part in parts:
            out.write(part.ntriples)
    ox.serialize(_triples(parts), folder / "aqb.ttl", ox.RdfFormat.TURTLE, prefixes=prefixes)
    ox.serialize(_quads(parts), folder / "aqb.trig", ox.RdfFormat.TRIG, prefixes=prefixes)
    (folder / "aqb.jsonld").write_bytes(jsonld.document(_triples(parts), iris))
    (folder / "context.jsonld").write_bytes(jsonld.context_document(iris))
    (folder / "aqb.csv").write_bytes(csv_bytes(rows))


def publish(out: Path, fill: Callable[[Path], None]) -> None:
    """Build into a fresh sibling folder with ``fill``, then swap it in place of ``out``.

    A failure anywhere leaves ``out`` exactly as it was. ``out`` must be absent, empty, or an
    earlier build (it holds :data:`MARKER`): a build never replaces a folder it did not make.
    """
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise AqbError(
            "exists and is not an aqb-rdf build output; choose another --out", str(out)
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        fill(staging)
        (staging / MARKER).write_text("written by aqb-rdf build\n", encoding="utf-8")
        os.chmod(staging, 0o755)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, retired / out.name)
            os.replace(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
