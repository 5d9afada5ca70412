"""One chunk of agreement documents → validated agreements (runs in worker processes).

A worker reads, parses and maps each document of its chunk, validates the chunk's graphs in
one go together with the reference data and ontology they point to (so the cost grows
linearly with the corpus), and returns per agreement its part of each dump, its table rows
and its search entries (all made from its triples: :func:`aqb_rdf.publish.dumps.part_of`,
:mod:`aqb_rdf.publish.tables`, :mod:`aqb_rdf.search.entries`), writing its source document
into the release (:attr:`Context.documents`), or per document its problems, each a
:class:`~aqb_rdf.errors.Problem` (``file:line: problem``). The :class:`Context` — reference
data, ontology, shapes — is built once per build, before the workers are forked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import itertools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, URIRef

from aqb_rdf import resources
from aqb_rdf.config import BUILD_SHACL_ENGINE
from aqb_rdf.errors import AqbError, Problem
from aqb_rdf.mapping import graphs
from aqb_rdf.mapping.graphs import Triple
from aqb_rdf.publish import tables
from aqb_rdf.publish.documents import PublishedDocument, write_document
from aqb_rdf.publish.dumps import Part, part_of
from aqb_rdf.publish.tables import Row
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.search.entries import Entry, entries_of_graph
from aqb_rdf.source.model import Zielvereinbarung
from aqb_rdf.source.parsing import parse_agreement
from aqb_rdf.source.reading import read_document
from aqb_rdf.source.reference import Reference
from aqb_rdf.validation.report import (
    ValidationReport,
    Violation,
    targeted_property_shapes,
    validate_graph,
)
from aqb_rdf.validation.shacl_core import CoreValidator, Index, Unsupported

ENGINES = BUILD_SHACL_ENGINE.choices
"""SHACL engines: ``core`` (shacl_core, fast) or ``pyshacl`` (the reference)."""


@dataclass
class Item:
    path: str
    label: str
    year: int
    key: str
    region_line: int
    part: Part
    rows: dict[str, list[Row]]
    """The agreement's rows of each CSV table, by file name."""
    bezugsrahmen: list[str]
    triples: int
    signed: list[dt.date] = field(default_factory=list)
    """The dates of the agreement's signatures."""
    name: str = ""
    """The file name of the source document."""
    sha256: str = ""
    """The SHA-256 of the source document."""
    budget: Decimal | None = None
    """The agreement's budget in euros, for the budget cube (:mod:`aqb_rdf.mapping.cube`)."""
    entries: list[Entry] = field(default_factory=list)
    """The agreement's entries of the search index (:mod:`aqb_rdf.search.entries`)."""

    def without_data(self) -> Item:
        """This item without its triples, rows and search entries (all the build keeps once
        they are written)."""
        empty = Part(self.part.graph, b"")
        return dataclasses.replace(self, part=empty, rows={}, entries=[])


@dataclass
class Chunk:
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class Context:
    """What every worker needs, built once per build (inherited by forked workers)."""

    def __init__(self, iris: Iris, reference: Reference, engine: str) -> None:
        self.iris = iris
        self.reference = reference
        self.ontology = resources.ontology_graph(iris)
        shapes = resources.shapes_graph(iris)
        self.shapes = targeted_property_shapes(shapes)
        self.reference_graph = graphs.reference_to_graph(reference, iris)
        self.core: CoreValidator | None = None
        if engine == "core":
            try:
                self.core = CoreValidator(shapes)
            except Unsupported:
                self.core = None  # shapes beyond what shacl_core implements: use pySHACL
        self.context_index = Index([*self.ontology, *self.reference_graph])
        self.labels = tables.labels_of(itertools.chain(self.reference_graph, self.ontology), iris)
        self.documents: Path | None = None
        """The release folder the workers write each source document into (a build's
        staging folder, set before the workers start), or ``None`` (``check`` writes
        nothing)."""

    def validate(self, triples: list[Triple], extra: Graph) -> tuple[ValidationReport, Graph]:
        """Validate ``triples`` with the context; the graph is for locating violations."""
        data = Graph()
        if self.core is not None:
            report = self.core.validate(itertools.chain(extra, triples), self.context_index)
            if not report.conforms:
                data.addN((s, p, o, data) for s, p, o in triples)
            return report, data
        for graph in (self.ontology, self.reference_graph, extra):
            data.addN((s, p, o, data) for s, p, o in graph)
        data.addN((s, p, o, data) for s, p, o in triples)
        return validate_graph(data, self.shapes), data


_context: Context | None = None


def use_context(context: Context) -> None:
    """Set the context :func:`process_chunk` works with (before forking the workers)."""
    global _context
    _context = context


def process_chunk(paths: Sequence[str]) -> Chunk:
    """Read, parse, map and validate one chunk of documents (runs in a worker)."""
    with _collected_once():
        return _process_chunk(paths)


@contextlib.contextmanager
def _collected_once() -> Iterator[None]:
    """Collect cyclic garbage where it is made rather than every 700 allocations.

    A chunk makes a few hundred thousand short-lived objects (terms, triples, rows) and
    nearly no cycles; the collector, run every 700 allocations, took 1.7 of 14.7 ms per
    agreement (300 benchmark agreements in one process, 3 December 2026; with the context's
    objects frozen before the fork, :func:`aqb_rdf.build.pipeline._processed`, 0.8 ms).
    Reading a document can leave cycles (pypdf's objects point back to their reader), so
    :func:`_process_chunk` collects the young objects after each one it reads, and this
    collects the chunk's objects at its end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(1)  # the chunk's objects: young, or survivors of the collections above


def _process_chunk(paths: Sequence[str]) -> Chunk:
    assert _context is not None
    ctx = _context
    chunk = Chunk(timings={"parse": 0.0, "map": 0.0, "validate": 0.0})
    parsed: list[tuple[Zielvereinbarung, list[Triple]]] = []
    for path in paths:
        started = time.perf_counter()
        try:
            document = read_document(Path(path))
            gc.collect(0)  # what reading made since the last document (a PDF reader's cycles)
            agreement = parse_agreement(document, ctx.reference)
        except AqbError as error:
            chunk.problems.append(error.problem)
            continue
        finally:
            chunk.timings["parse"] += time.perf_counter() - started
        started = time.perf_counter()
        parsed.append((agreement, graphs.agreement_triples(agreement, ctx.iris)))
        chunk.timings["map"] += time.perf_counter() - started
    # Two documents for one region and year mint the same IRIs: validate them apart, so that
    # the duplicate is reported as such, not as the cardinality violations of their union.
    batches: list[list[tuple[Zielvereinbarung, list[Triple]]]] = [[]]
    seen: set[tuple[int, str]] = set()
    for entry in parsed:
        key = (entry[0].year.value, entry[0].region.value.key)
        if key in seen:
            batches.append([entry])
        else:
            seen.add(key)
            batches[0].append(entry)
    for batch in batches:
        if batch:
            _validate(batch, chunk, ctx)
    return chunk


def _validate(
    parsed: list[tuple[Zielvereinbarung, list[Triple]]], chunk: Chunk, ctx: Context
) -> None:
    """Validate agreements together with the context they point to; add items or problems."""
    started = time.perf_counter()
    slugs = sorted({b.value for a, _ in parsed for b in a.bezugsrahmen})
    triples = [t for _, agreement_triples in parsed for t in agreement_triples]
    report, data = ctx.validate(triples, graphs.bezugsrahmen_to_graph(slugs, ctx.iris))
    chunk.timings["validate"] += time.perf_counter() - started
    failing: set[str] = set()
    for violation in report.violations:
        path, line = _locate(violation, parsed, data, ctx.iris)
        failing.add(path)
        chunk.problems.append(Problem(path, line, f"SHACL: {violation.describe()}"))
    started = time.perf_counter()
    for agreement, triples in parsed:
        if agreement.source.path not in failing:
            chunk.items.append(_item(agreement, triples, ctx))
    chunk.timings["map"] += time.perf_counter() - started


def _locate(
    violation: Violation,
    parsed: list[tuple[Zielvereinbarung, list[Triple]]],
    graph: Graph,
    iris: Iris,
) -> tuple[str, int]:
    """The file and line a violation concerns, the line taken from the nearest Fundstelle."""
    aqb = iris.aqb
    for agreement, _ in parsed:
        a = str(iris.agreement(agreement.year.value, agreement.region.value.key))
        if violation.focus == a or violation.focus.startswith(a + "/"):
            focus = URIRef(violation.focus)
            line = graph.value(focus, aqb.zeileVon)
            if line is None:
                fundstelle = next(iter(graph.subjects(aqb.belegt, focus)), None)
                line = graph.value(fundstelle, aqb.zeileVon) if fundstelle else None
            # aqb:zeileVon is an xsd:integer literal: int() of its lexical form.
            return agreement.source.path, int(str(line)) if line is not None else 1
    return "", 0


def _item(agreement: Zielvereinbarung, triples: list[Triple], ctx: Context) -> Item:
    year, region, iris = agreement.year.value, agreement.region.value, ctx.iris
    source = agreement.source
    if ctx.documents is not None:
        # Here, in parallel, rather than in the main process: two files per agreement, and
        # creating a file costs more than the bytes (an ext4 disk; 2.4 s of 1,000 agreements'
        # main process while the workers ran, cProfile, 2 December 2026).
        document = PublishedDocument(
            source.name, source.sha256, source.media_type, source.text, source.data
        )
        write_document(ctx.documents, document)
    return Item(
        path=agreement.source.path,
        label=f"Zielvereinbarung {year} – {region.display_name}",
        year=year,
        key=region.key,
        region_line=agreement.region.span.first_line,
        part=part_of(str(iris.agreement_graph(year, region.key)), triples, iris),
        rows=tables.agreement_rows(triples, ctx.labels, iris),
        bezugsrahmen=[b.value for b in agreement.bezugsrahmen],
        triples=len(triples),
        signed=[signature.date for signature in agreement.signatures],
        budget=agreement.budget.value,
        name=source.name,
        sha256=source.sha256,
        entries=entries_of_graph(triples, iris),
    )
