"""The named graphs of a release's TriG dump, one at a time, and their comparison.

The build writes ``aqb.trig`` with one named graph per agreement plus ``{base}graph/reference``
and ``{base}graph/ontology``, each as one block. :func:`read_graphs` streams them, so memory
holds one graph, whatever the size of the dataset. :func:`canonical_triples` makes two graphs
comparable as sets: blank nodes renamed canonically (`RDFC-1.0
<https://www.w3.org/TR/rdf-canon/>`_, stable across runs) and numbers by their value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
)

from aqb_rdf.errors import AqbError, first_line
from aqb_rdf.rdf.namespaces import XSD
from aqb_rdf.rdf.terms import INTEGER_DATATYPES, canonical_decimal


@dataclass(frozen=True)
class LocalGraph:
    """One named graph of the release: its IRI and its triples."""

    iri: str
    triples: tuple[Triple, ...]

    @property
    def has_blank_nodes(self) -> bool:
        return has_blank_nodes(self.triples)


def has_blank_nodes(triples: Iterable[Triple]) -> bool:
    """Whether any of ``triples`` has a blank node (the build writes no quoted triples)."""
    return any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples)


def read_graphs(dump: Path) -> Iterator[LocalGraph]:
    """Stream the named graphs of a TriG file, one at a time, in file order.

    Raises:
        AqbError: the file is not valid TriG, has triples in the default graph, or names a
            graph in two separate blocks (the build writes each graph as one block).
    """
    seen: set[str] = set()
    current: str | None = None
    triples: list[Triple] = []
    try:
        for quad in parse(path=dump, format=RdfFormat.TRIG):
            name = quad.graph_name
            if isinstance(name, DefaultGraph) or not isinstance(name, NamedNode):
                raise AqbError("has triples outside a named graph; a release has none",
                               str(dump))  # fmt: skip
            if name.value != current:
                if current is not None:
                    yield LocalGraph(current, tuple(triples))
                if name.value in seen:
                    raise AqbError(f"graph <{name.value}> appears in two blocks", str(dump))
                seen.add(name.value)
                current, triples = name.value, []
            triples.append(quad.triple)
    except SyntaxError as error:
        raise AqbError(f"not valid TriG: {first_line(error)}", str(dump)) from None
    except OSError as error:
        raise AqbError(f"cannot be read: {error.strerror or error}", str(dump)) from None
    if current is not None:
        yield LocalGraph(current, tuple(triples))


def canonical_number(literal: Literal) -> Literal:
    """A numeric literal in the form stores give back: its value, not its spelling.

    Stores keep numbers as values: Virtuoso and Oxigraph return ``"1011410.00"^^xsd:decimal``
    as ``"1011410"``, and Oxigraph returns every integer type as ``xsd:integer``. So integers
    become ``xsd:integer`` and decimals lose trailing zeros; other literals stay as they are.
    """
    datatype = literal.datatype.value
    try:
        if datatype in INTEGER_DATATYPES:
            return Literal(str(int(literal.value.strip())), datatype=NamedNode(XSD + "integer"))
        if datatype == XSD + "decimal":
            value = Decimal(literal.value.strip())
            return Literal(canonical_decimal(value), datatype=literal.datatype)
    except (ValueError, InvalidOperation):
        pass  # an ill-typed literal stays as written
    return literal


def canonical_triples(triples: Iterable[Triple]) -> frozenset[Triple]:
    """``triples`` as a set two isomorphic graphs share: numbers by value, blank nodes renamed
    by RDFC-1.0 (the same labels for the same graph in every run)."""
    canonical = frozenset(
        Triple(t.subject, t.predicate, canonical_number(t.object))
        if isinstance(t.object, Literal) else t
        for t in triples
    )  # fmt: skip
    if not has_blank_nodes(canonical):
        return canonical
    dataset = Dataset(Quad(t.subject, t.predicate, t.object) for t in canonical)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset(q.triple for q in dataset)


def graph_digest(triples: Iterable[Triple]) -> str:
    """A digest that is equal for two graphs exactly when they are isomorphic.

    Blank nodes are renamed canonically first, numbers are compared by value
    (:func:`canonical_number`), and duplicates count once.
    """
    digest = hashlib.sha256()
    for line in sorted(str(t) for t in canonical_triples(triples)):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


@dataclass(frozen=True)
class Block:
    """One named graph's block of a TriG dump: where its text lies and a digest of it."""

    start: int
    end: int
    digest: bytes


@dataclass(frozen=True)
class BlockIndex:
    """A TriG dump as the build writes it: a header of prefixes, then one block per graph.

    Two dumps with the same header whose blocks for a graph are byte-identical hold the same
    graph, so :func:`aqb_rdf.diff.changes.compare_dumps` parses only the blocks that differ.
    """

    path: Path
    header: bytes
    blocks: dict[str, Block]

    def graphs(self, names: Iterable[str]) -> Iterator[LocalGraph]:
        """Parse the blocks of ``names``, one at a time, in the order of the file.

        Raises:
            AqbError: a block is not valid TriG or holds another graph than its name says.
        """
        wanted = sorted((self.blocks[name].start, name) for name in names)
        with self.path.open("rb") as file:
            for start, name in wanted:
                file.seek(start)
                text = self.header + file.read(self.blocks[name].end - start)
                try:
                    quads = list(parse(text, format=RdfFormat.TRIG))
                except SyntaxError as error:
                    raise AqbError(f"not valid TriG: {first_line(error)}", str(self.path)) from None
                if any(str(q.graph_name) != f"<{name}>" for q in quads):
                    raise AqbError(f"graph <{name}> is not one block", str(self.path))
                yield LocalGraph(name, tuple(q.triple for q in quads))


_BLOCK_END = b"\n}\n"


def index_blocks(dump: Path) -> BlockIndex | None:
    """The blocks of ``dump`` without parsing them, or None if it is not laid out as the build
    writes TriG (prefix lines, then ``<graph> {`` … ``}`` blocks whose inner lines are indented
    and whose literals have no raw line breaks). Read in chunks: memory holds one chunk.

    Raises:
        AqbError: the file cannot be read.
    """
    blocks: dict[str, Block] = {}
    try:
        with dump.open("rb") as file:
            buffer = file.read(_CHUNK)
            position = 0
            while buffer.startswith(b"@prefix ", position):
                position = buffer.find(b"\n", position) + 1
                if position == 0:
                    return None
            header, offset = buffer[:position], 0
            while True:
                while (end := buffer.find(_BLOCK_END, position)) >= 0:
                    end += len(_BLOCK_END)
                    name = _block_name(buffer[position:end])
                    if name is None or name in blocks:
                        return None
                    digest = hashlib.blake2b(buffer[position:end], digest_size=16).digest()
                    blocks[name] = Block(offset + position, offset + end, digest)
                    position = end
                chunk = file.read(_CHUNK)
                if not chunk:
                    break
                offset += position
                buffer, position = buffer[position:] + chunk, 0
    except OSError as error:
        raise AqbError(f"cannot be read: {error.strerror or error}", str(dump)) from None
    if buffer[position:].strip():
        return None
    return BlockIndex(dump, header, blocks)


_CHUNK = 1 << 22


def _block_name(block: bytes) -> str | None:
    """The graph name of one ``<graph> {`` … ``}`` block, or None if it is not one."""
    first = block.find(b" {\n")
    if not block.startswith(b"<") or first < 2 or block[first - 1 : first] != b">":
        return None
    name = block[1 : first - 1]
    if any(c in name for c in (b"\n", b">", b" ")):
        return None
    if b"\n}" in block[:-3] or b"\n<" in block or b'"""' in block or b"'''" in block:
        return None  # a line at the top level inside the block, or a long literal
    return name.decode("utf-8")
