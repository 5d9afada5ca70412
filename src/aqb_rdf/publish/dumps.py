"""Graphs → the dump files, written deterministically and atomically (I/O edge).

pyoxigraph does the RDF serialisation (it is one to two orders of magnitude faster than rdflib
on large graphs). Each part of the dataset travels as sorted canonical N-Triples, so the same
input always gives byte-identical files.
"""

from __future__ import annotations

import csv
import functools
import multiprocessing
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, TextIO

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from aqb_rdf.errors import AqbError, first_line
from aqb_rdf.publish import jsonld, tables
from aqb_rdf.publish.processes import die_with_parent
from aqb_rdf.publish.writing import naming
from aqb_rdf.rdf import files
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import STANDARD_PREFIXES

DUMPS = tuple(file.name for file in files.DUMPS)
"""The files :class:`DumpWriter` writes (see :mod:`aqb_rdf.rdf.files`)."""


@dataclass(frozen=True)
class Part:
    """One named graph of the dataset as sorted N-Triples and as the JSON-LD node objects of
    the dump (:func:`aqb_rdf.publish.jsonld.node_objects`), made by :func:`part_of`."""

    graph: str
    ntriples: bytes
    jsonld: bytes = b""


def part_of(graph: str, triples: Iterable[tuple[Node, Node, Node]], iris: Iris) -> Part:
    """The part of ``graph`` holding ``triples`` (a graph, or a list of triples)."""
    if not isinstance(triples, (list, tuple)):
        triples = list(triples)
    return Part(graph, graph_to_ntriples(triples), jsonld.node_objects(triples, iris))


@functools.lru_cache(maxsize=65536)
def _named_node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    # IRIs repeat (predicates, classes, the agreement's own): kept by their text, whose hash
    # is C's, not rdflib's; literals are mostly distinct (quotes, names) and made each time.
    if isinstance(term, URIRef):
        return _named_node(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal), term  # the only other kind of term in an RDF graph
    language, datatype = term.language, term.datatype
    if language:
        return ox.Literal(str(term), language=language)
    if datatype:
        return ox.Literal(str(term), datatype=_named_node(str(datatype)))
    return ox.Literal(str(term))


def graph_to_ntriples(graph: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """Sorted canonical N-Triples of ``graph`` (a graph or any iterable of triples)."""
    # rdflib types a graph's terms as Node, and so _term's result is any term; in RDF the subject
    # is an IRI or a blank node and the predicate an IRI, as ox.Triple requires.
    triples = (
        ox.Triple(_term(s), _term(p), _term(o))  # type: ignore[arg-type]
        for s, p, o in graph
    )
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert ntriples is not None  # without an output file, serialize returns the bytes
    lines = ntriples.splitlines(keepends=True)
    return b"".join(sorted(set(lines)))


def _prefixes(iris: Iris) -> dict[str, str]:
    return {**{p: str(ns) for p, ns in STANDARD_PREFIXES.items()}, **iris.prefixes}


class DumpWriter:
    """Writes the dumps into a staging folder as the parts arrive, holding none in memory.

    ``add`` appends each part to ``aqb.nt``, its node objects to ``aqb.jsonld`` (made in the
    workers, so the JSON-LD is written as the parts arrive), the part to a temporary N-Quads
    file (its graph name on every line) and its rows to the CSV tables
    (:mod:`aqb_rdf.publish.tables`; RFC 4180: CRLF line ends, a field quoted where it holds a
    comma, quote or line break; UTF-8 without a byte order mark); ``finish`` serialises Turtle
    from ``aqb.nt`` and, in a second process at the same time, TriG from the N-Quads, and
    writes the tables' CSVW metadata, which names ``publisher`` (an IRI) as theirs.
    The tables of a ``synthetic`` release (``make demo``) say so in the first cell of every
    row and in their metadata (:data:`~aqb_rdf.publish.tables.SYNTHETIC_NOTE`).
    """

    _NQUADS = ".aqb.nq"

    def __init__(self, folder: Path, iris: Iris, publisher: str, synthetic: bool = False) -> None:
        self.folder = folder
        self.iris = iris
        self.publisher = publisher
        self.synthetic = synthetic
        self.triples = 0
        self._nt = open(folder / files.N_TRIPLES_DUMP.name, "wb")  # noqa: SIM115 - closed in finish/close
        self._nq = open(folder / self._NQUADS, "wb")  # noqa: SIM115
        with naming(folder / files.JSON_LD_DUMP.name):
            self._jsonld = open(folder / files.JSON_LD_DUMP.name, "wb")  # noqa: SIM115
            self._jsonld.write(jsonld.header(iris))
        self._jsonld_separator = b"\n"
        self._last_subject = b""
        self._tables: dict[str, tuple[TextIO, Any]] = {}
        for table in tables.TABLES:
            name = table.file.name
            with naming(folder / name):
                file = open(folder / name, "w", encoding="utf-8", newline="")  # noqa: SIM115
                self._tables[name] = (file, csv.writer(file, lineterminator="\r\n"))
                self._tables[name][1].writerow(tables.header_of(table, synthetic))

    def add(self, part: Part, rows: Mapping[str, Sequence[tables.Row]] | None = None) -> None:
        """Append ``part`` to the dumps and ``rows`` (by table file name) to the tables."""
        with naming(self.folder / files.N_TRIPLES_DUMP.name):
            self._nt.write(part.ntriples)
        # In N-Triples a line ends in " .\n" and a literal cannot hold a raw newline, so the
        # graph name goes in by a plain replacement.
        with naming(self.folder / self._NQUADS):
            self._nq.write(part.ntriples.replace(b" .\n", f" <{part.graph}> .\n".encode()))
        if part.ntriples:
            self._add_jsonld(part)
        for name, table_rows in (rows or {}).items():
            with naming(self.folder / name):
                self._tables[name][1].writerows(
                    tables.marked_row(row, self.synthetic) for row in table_rows
                )
        self.triples += part.ntriples.count(b"\n")

    def _add_jsonld(self, part: Part) -> None:
        # One subject's node object is made from all its triples: the parts' subjects must
        # not meet across two parts (each agreement's subjects are its own).
        first = part.ntriples[: part.ntriples.index(b" ")]
        if first == self._last_subject:
            raise AssertionError(f"the subject {first!r} is in two adjacent parts")
        last_line = part.ntriples[part.ntriples.rfind(b"\n", 0, len(part.ntriples) - 1) + 1 :]
        self._last_subject = last_line[: last_line.index(b" ")]
        with naming(self.folder / files.JSON_LD_DUMP.name):
            self._jsonld.write(self._jsonld_separator)
            self._jsonld.write(part.jsonld)
        self._jsonld_separator = jsonld.SEPARATOR

    def _files(self) -> list[tuple[IO[Any], str]]:
        return [
            (self._nt, files.N_TRIPLES_DUMP.name),
            (self._nq, self._NQUADS),
            (self._jsonld, files.JSON_LD_DUMP.name),
            *((file, name) for name, (file, _) in self._tables.items()),
        ]

    def close(self) -> None:
        """Close the files of a build that failed: what cannot be flushed any more is lost
        with the staging folder, and the build's own error is the one to report."""
        for file, _ in self._files():
            try:
                file.close()
            except OSError:
                file.close()  # the buffer is dropped now; a second close always succeeds

    def _close_written(self) -> None:
        """Close the files of a build that succeeded; a file that cannot be flushed is an
        OSError naming it (the others are closed all the same)."""
        problem: OSError | None = None
        for file, name in self._files():
            try:
                with naming(self.folder / name):
                    file.close()
            except OSError as error:
                problem = problem or error
        if problem is not None:
            self.close()
            raise problem

    def finish(self) -> None:
        with naming(self.folder / files.JSON_LD_DUMP.name):
            self._jsonld.write(jsonld.FOOTER)
        self._close_written()
        folder, prefixes = self.folder, _prefixes(self.iris)
        context = multiprocessing.get_context("fork")
        problems, report = context.Pipe(duplex=False)
        trig_writer = context.Process(
            target=_write_trig, args=(folder, prefixes, os.getpid(), report), daemon=True
        )
        trig_writer.start()
        report.close()
        try:
            triples = ox.parse(
                path=folder / files.N_TRIPLES_DUMP.name, format=ox.RdfFormat.N_TRIPLES
            )
            _serialize(triples, folder / files.TURTLE_DUMP.name, ox.RdfFormat.TURTLE, prefixes)
            context_file = folder / files.JSON_LD_CONTEXT.name
            with naming(context_file):
                context_file.write_bytes(jsonld.context_document(self.iris))
            for table in tables.TABLES:
                metadata_file = folder / table.metadata.name
                with naming(metadata_file):
                    metadata_file.write_bytes(
                        tables.metadata_document(table, self.iris, self.publisher, self.synthetic)
                    )
        finally:
            trig_writer.join()
            (folder / self._NQUADS).unlink(missing_ok=True)
            problem = _received(problems)
        if trig_writer.exitcode != 0:
            message, path = problem or (f"exit code {trig_writer.exitcode}", None)
            raise AqbError(f"writing the TriG dump failed: {message}", path)


def _received(problems: Connection) -> tuple[str, str] | None:
    """What the JSON-LD writer reported (message, path), or None; closes the connection."""
    try:
        return problems.recv() if problems.poll() else None
    except EOFError:  # the writer closed its end without a word: it succeeded
        return None
    finally:
        problems.close()


def _serialize(
    items: Iterable[ox.Triple] | Iterable[ox.Quad],
    path: Path,
    format: ox.RdfFormat,
    prefixes: dict[str, str],
) -> None:
    """Serialise into ``path``; a failure to write is an OSError that names ``path``."""
    with naming(path):
        ox.serialize(items, path, format, prefixes=prefixes)


def _write_trig(folder: Path, prefixes: dict[str, str], parent: int, report: Connection) -> None:
    """Write ``aqb.trig`` from the N-Quads (in a child process); a failure is sent to the
    parent in one line (message, path) and ends the process with exit code 1, without a
    traceback."""
    die_with_parent(parent)
    path = folder / files.TRIG_DUMP.name
    try:
        quads = ox.parse(path=folder / DumpWriter._NQUADS, format=ox.RdfFormat.N_QUADS)
        _serialize(quads, path, ox.RdfFormat.TRIG, prefixes)
    except OSError as error:
        report.send((error.strerror or first_line(error), error.filename or str(path)))
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - the parent reports it, in one line
        report.send((f"{type(error).__name__}: {first_line(error)}", str(path)))
        sys.exit(1)
