"""Graphs → the dump files, written deterministically and atomically (I/O edge).

pyoxigraph does the RDF serialisation (it is one to two orders of magnitude faster than rdflib
on large graphs). Each part of the dataset travels as sorted canonical N-Triples, so the same
input always gives byte-identical files.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from aqb_rdf.publish import jsonld, tables
from aqb_rdf.publish.writing import naming
from aqb_rdf.rdf import files
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import STANDARD_PREFIXES, XSD

DUMPS = tuple(file.name for file in files.DUMPS)
"""The files :class:`DumpWriter` writes (see :mod:`aqb_rdf.rdf.files`)."""


@dataclass(frozen=True)
class Part:
    """One named graph of the dataset in each dump's form, made by :func:`part_of`: sorted
    canonical N-Triples, the JSON-LD node objects (:func:`aqb_rdf.publish.jsonld.node_objects`)
    and the Turtle and TriG statements without the prefixes (:func:`statements`), so that
    the dumps are the parts joined behind one header each."""

    graph: str
    ntriples: bytes
    jsonld: bytes = b""
    turtle: bytes = b""
    trig: bytes = b""


def part_of(graph: str, triples: Iterable[tuple[Node, Node, Node]], iris: Iris) -> Part:
    """The part of ``graph`` holding ``triples`` (a graph, or a list of triples)."""
    if not isinstance(triples, (list, tuple)):
        triples = list(triples)
    ntriples = graph_to_ntriples(triples)
    turtle, trig = statements(ntriples, graph, iris)
    return Part(graph, ntriples, jsonld.node_objects(triples, iris), turtle, trig)


# N-Triples escapes in a literal (RDF 1.1 N-Triples, ECHAR and UCHAR), as pyoxigraph writes
# them: the control characters, DEL and the two noncharacters U+FFFE and U+FFFF as \uXXXX,
# five of them in their short form, and the quote and the backslash
# (tests/test_exports.py compares every code point with pyoxigraph's own output).
_ESCAPES = {
    **{code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)},
    0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
    0x22: '\\"', 0x5C: "\\\\",
}  # fmt: skip
_NEEDS_ESCAPE = re.compile("[" + "".join(re.escape(chr(code)) for code in _ESCAPES) + "]")
_XSD_STRING = XSD + "string"


def _quoted(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:  # most text: one scan in C, no copy
        return f'"{text}"'
    return f'"{text.translate(_ESCAPES)}"'


def _nt(term: Node) -> str:
    if isinstance(term, URIRef):
        # pyoxigraph checks the IRI: one holding ">", a space, a line break or a backslash
        # would break out of its "<…>" or be read as another IRI (graph_to_ntriples writes
        # each distinct IRI once: 0.2 ms per agreement).
        return str(ox.NamedNode(term))
    if isinstance(term, Literal):
        text = _quoted(str(term))
        if term.language:
            return f"{text}@{term.language.lower()}"  # as pyoxigraph normalises a tag
        datatype = term.datatype
        if datatype is None or str(datatype) == _XSD_STRING:
            return text
        return f"{text}^^<{datatype}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def graph_to_ntriples(graph: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """Sorted canonical N-Triples of ``graph`` (a graph or any iterable of triples), each
    line once, as pyoxigraph writes them.

    Written here rather than by pyoxigraph: making a pyoxigraph term of each rdflib term
    cost 3.1 ms of an agreement's 4.4 ms of N-Triples (cProfile, 100 benchmark agreements,
    2 December 2026); the lines themselves are simple. Each IRI is checked by pyoxigraph
    (``ValueError`` for one that is not an IRI): parsing the lines back would not catch
    them all, as N-Triples reads ``\\u0041`` in an IRI as ``A`` and a line break as the
    start of another triple.
    Lines sort as strings in the order of their UTF-8 bytes (UTF-8 keeps code point order).
    """
    lines: set[str] = set()
    add = lines.add
    # A subject's triples mostly come one after another, and predicates and classes repeat:
    # each IRI is written once (a dictionary finds an rdflib IRI by its text's hash).
    iris: dict[Node, str] = {}
    last: Node | None = None
    subject = ""
    for s, p, o in graph:
        if s is not last:
            last, subject = s, _nt(s)
        predicate = iris.get(p)
        if predicate is None:
            predicate = iris[p] = _nt(p)
        if type(o) is URIRef:
            value = iris.get(o)
            if value is None:
                value = iris[o] = _nt(o)
        else:
            value = _nt(o)
        add(f"{subject} {predicate} {value} .\n")
    return "".join(sorted(lines)).encode()


def _header(format: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """The ``@prefix`` lines pyoxigraph starts a Turtle or TriG document with."""
    probe = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))
    items = [probe] if format is ox.RdfFormat.TRIG else [probe.triple]
    document = ox.serialize(items, format=format, prefixes=prefixes)
    assert document is not None  # without an output file, serialize returns the bytes
    end = 0
    while document.startswith(b"@prefix ", end):
        end = document.index(b"\n", end) + 1
    return document[:end]


@functools.lru_cache(maxsize=8)
def headers(base: str) -> tuple[bytes, bytes]:
    """The Turtle and the TriG header of the dumps under ``base``: their prefixes."""
    prefixes = _prefixes(Iris(base))
    return _header(ox.RdfFormat.TURTLE, prefixes), _header(ox.RdfFormat.TRIG, prefixes)


def statements(ntriples: bytes, graph: str, iris: Iris) -> tuple[bytes, bytes]:
    """The Turtle and the TriG statements of the sorted N-Triples of ``graph``, without the
    header (:func:`headers`): a dump is its header followed by its parts' statements, byte
    for byte pyoxigraph's serialisation of the whole (pyoxigraph starts each subject anew;
    ``tests/test_exports.py`` compares the two).

    pyoxigraph writes the Turtle; the TriG is that Turtle inside the graph's block, each
    line indented by one tab, which is how pyoxigraph writes a graph (a Turtle literal
    holds no raw line break: it is escaped). Parsing the part into pyoxigraph's Python
    objects is most of the cost, so it is parsed once, streaming, for the Turtle alone:
    1.1 against 2.0–2.5 ms per agreement for both formats serialised by pyoxigraph
    (100 benchmark agreements, 3 December 2026).
    """
    if not ntriples:
        return b"", b""
    turtle_header, _ = headers(iris.base)
    parsed = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    turtle = ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=_prefixes(iris))
    assert turtle is not None  # without an output file, serialize returns the bytes
    if not turtle.startswith(turtle_header):
        raise AssertionError("pyoxigraph began a part with other prefixes than the dump's")
    body = turtle[len(turtle_header) :]
    trig = b"".join(
        (_graph_opening(graph, iris), b"\t", body[:-1].replace(b"\n", b"\n\t"), b"\n}\n")
    )
    return body, trig


def _graph_opening(graph: str, iris: Iris) -> bytes:
    """The line pyoxigraph opens the block of ``graph`` with in TriG: its name (prefixed where
    a prefix fits) and ``{``."""
    probe = ox.Quad(
        ox.NamedNode("urn:x:s"),
        ox.NamedNode("urn:x:p"),
        ox.NamedNode("urn:x:o"),
        ox.NamedNode(graph),
    )
    document = ox.serialize([probe], format=ox.RdfFormat.TRIG, prefixes=_prefixes(iris))
    assert document is not None
    opening = document[len(headers(iris.base)[1]) :]
    return opening[: opening.index(b"\n") + 1]


def _prefixes(iris: Iris) -> dict[str, str]:
    return {**{p: str(ns) for p, ns in STANDARD_PREFIXES.items()}, **iris.prefixes}


class DumpWriter:
    """Writes the dumps into a staging folder as the parts arrive, holding none in memory.

    ``add`` appends each part to ``aqb.nt``, its Turtle and TriG statements to ``aqb.ttl``
    and ``aqb.trig`` (each begun with its prefixes), its node objects to ``aqb.jsonld`` (all
    three made in the workers, :func:`part_of`) and its rows to the CSV tables
    (:mod:`aqb_rdf.publish.tables`; RFC 4180: CRLF line ends, a field quoted where it holds a
    comma, quote or line break; UTF-8 without a byte order mark); ``finish`` ends the
    JSON-LD and writes the tables' CSVW metadata, which names ``publisher`` (an IRI) as theirs.
    The tables of a ``synthetic`` release (``make demo``) say so in the first cell of every
    row and in their metadata (:data:`~aqb_rdf.publish.tables.SYNTHETIC_NOTE`).
    """

    def __init__(self, folder: Path, iris: Iris, publisher: str, synthetic: bool = False) -> None:
        self.folder = folder
        self.iris = iris
        self.publisher = publisher
        self.synthetic = synthetic
        self.triples = 0
        self._files: dict[str, IO[Any]] = {}
        self._tables: dict[str, Any] = {}
        self._jsonld_separator = b"\n"
        self._last_subject = b""
        try:
            self._open(synthetic)
        except BaseException:
            self.close()  # the files opened so far
            raise

    def _open(self, synthetic: bool) -> None:
        turtle_header, trig_header = headers(self.iris.base)
        for file, start in (
            (files.N_TRIPLES_DUMP, b""),
            (files.TURTLE_DUMP, turtle_header),
            (files.TRIG_DUMP, trig_header),
            (files.JSON_LD_DUMP, jsonld.header(self.iris)),
        ):
            path = self.folder / file.name
            with naming(path):
                self._files[file.name] = open(path, "wb")  # noqa: SIM115 - closed in finish/close
                self._files[file.name].write(start)
        for table in tables.TABLES:
            path = self.folder / table.file.name
            with naming(path):
                text = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
                self._files[path.name] = text
                self._tables[path.name] = csv.writer(text, lineterminator="\r\n")
                self._tables[path.name].writerow(tables.header_of(table, synthetic))

    def _write(self, name: str, data: bytes) -> None:
        with naming(self.folder / name):
            self._files[name].write(data)

    def add(self, part: Part, rows: Mapping[str, Sequence[tables.Row]] | None = None) -> None:
        """Append ``part`` to the dumps and ``rows`` (by table file name) to the tables."""
        self._write(files.N_TRIPLES_DUMP.name, part.ntriples)
        self._write(files.TURTLE_DUMP.name, part.turtle)
        self._write(files.TRIG_DUMP.name, part.trig)
        if part.ntriples:
            self._add_jsonld(part)
        for name, table_rows in (rows or {}).items():
            with naming(self.folder / name):
                self._tables[name].writerows(
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
        self._write(files.JSON_LD_DUMP.name, self._jsonld_separator)
        self._write(files.JSON_LD_DUMP.name, part.jsonld)
        self._jsonld_separator = jsonld.SEPARATOR

    def close(self) -> None:
        """Close the files of a build that failed: what cannot be flushed any more is lost
        with the staging folder, and the build's own error is the one to report."""
        for file in self._files.values():
            try:
                file.close()
            except OSError:
                file.close()  # the buffer is dropped now; a second close always succeeds

    def _close_written(self) -> None:
        """Close the files of a build that succeeded; a file that cannot be flushed is an
        OSError naming it (the others are closed all the same)."""
        problem: OSError | None = None
        for name, file in self._files.items():
            try:
                with naming(self.folder / name):
                    file.close()
            except OSError as error:
                problem = problem or error
        if problem is not None:
            self.close()
            raise problem

    def finish(self) -> None:
        self._write(files.JSON_LD_DUMP.name, jsonld.FOOTER)
        self._close_written()
        context_file = self.folder / files.JSON_LD_CONTEXT.name
        with naming(context_file):
            context_file.write_bytes(jsonld.context_document(self.iris))
        for table in tables.TABLES:
            metadata_file = self.folder / table.metadata.name
            with naming(metadata_file):
                metadata_file.write_bytes(
                    tables.metadata_document(table, self.iris, self.publisher, self.synthetic)
                )
