"""The build: documents → parsed agreements → graphs → SHACL-validated dataset → dumps.

``build`` runs read, parse, map and validate in worker processes, a chunk of documents at a
time (SHACL validation runs per chunk, with the reference data and ontology the chunk points
to, so its cost grows linearly), then writes the dumps in the main process. Every problem of
every document is collected first; if there is any, nothing is written.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from aqb_rdf import catalogue, mapping, resources
from aqb_rdf.errors import AqbError, DuplicateError
from aqb_rdf.exports import DumpWriter, Part, graph_to_ntriples, publish
from aqb_rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.mapping import Triple
from aqb_rdf.model import Zielvereinbarung
from aqb_rdf.parsing import parse_agreement
from aqb_rdf.reading import read_document
from aqb_rdf.reference import Reference
from aqb_rdf.shacl_core import CoreValidator, Index, Unsupported
from aqb_rdf.validation import (
    ValidationReport,
    Violation,
    targeted_property_shapes,
    validate_graph,
)

DOCUMENT_SUFFIXES = (".md", ".txt", ".pdf")
CHUNK = 100
Progress = Callable[[str, int, int], None]


class BuildFailed(AqbError):
    """The build found problems; ``problems`` has one line each (``file:line: problem``)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was written")
        self.problems = list(problems)


@dataclass
class BuildReport:
    agreements: int = 0
    triples: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage; for the stages run in workers, summed over the workers."""
    agreement_keys: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Item:
    path: str
    label: str
    year: int
    key: str
    region_line: int
    part: Part
    rows: list[tuple[str, ...]]
    bezugsrahmen: list[str]
    triples: int

    def without_data(self) -> _Item:
        """This item without its triples and rows (all the build keeps once they are written)."""
        return dataclasses.replace(self, part=Part(self.part.graph, b""), rows=[])


@dataclass
class _Chunk:
    items: list[_Item] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def find_documents(sources: Sequence[Path]) -> list[Path]:
    """Agreement documents in ``sources`` (files, or folders searched recursively), sorted."""
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(
                p for p in source.rglob("*")
                if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and not p.name.startswith(".")
            )
        elif source.is_file():
            found.append(source)
        else:
            raise AqbError("no such file or folder", str(source))
    if not found:
        names = ", ".join(str(s) for s in sources)
        raise AqbError(f"no agreement documents (*.md, *.txt, *.pdf) in {names}")
    return sorted(set(found))


ENGINES = ("core", "pyshacl")
"""SHACL engines: ``core`` (shacl_core, fast) or ``pyshacl`` (the reference)."""


class _Context:
    """What every worker needs, built once per build (inherited by forked workers)."""

    def __init__(self, iris: Iris, reference: Reference, engine: str) -> None:
        self.iris = iris
        self.reference = reference
        self.ontology = resources.ontology_graph(iris)
        shapes = resources.shapes_graph(iris)
        self.shapes = targeted_property_shapes(shapes)
        self.reference_graph = mapping.reference_to_graph(reference, iris)
        self.core: CoreValidator | None = None
        if engine == "core":
            try:
                self.core = CoreValidator(shapes)
            except Unsupported:
                self.core = None  # shapes beyond what shacl_core implements: use pySHACL
        self.context_index = Index([*self.ontology, *self.reference_graph])

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


_context: _Context | None = None


def _process(paths: Sequence[str]) -> _Chunk:
    """Read, parse, map and validate one chunk of documents (runs in a worker)."""
    assert _context is not None
    ctx = _context
    chunk = _Chunk(timings={"parse": 0.0, "map": 0.0, "validate": 0.0})
    parsed: list[tuple[Zielvereinbarung, list[Triple]]] = []
    for path in paths:
        started = time.perf_counter()
        try:
            agreement = parse_agreement(read_document(Path(path)), ctx.reference)
        except AqbError as error:
            chunk.problems.append(str(error))
            continue
        finally:
            chunk.timings["parse"] += time.perf_counter() - started
        started = time.perf_counter()
        parsed.append((agreement, mapping.agreement_triples(agreement, ctx.iris)))
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
    parsed: list[tuple[Zielvereinbarung, list[Triple]]], chunk: _Chunk, ctx: _Context
) -> None:
    """Validate agreements together with the context they point to; add items or problems."""
    started = time.perf_counter()
    slugs = sorted({b.value for a, _ in parsed for b in a.bezugsrahmen})
    triples = [t for _, agreement_triples in parsed for t in agreement_triples]
    report, data = ctx.validate(triples, mapping.bezugsrahmen_to_graph(slugs, ctx.iris))
    chunk.timings["validate"] += time.perf_counter() - started
    failing: set[str] = set()
    for violation in report.violations:
        path, line = _locate(violation, parsed, data, ctx.iris)
        failing.add(path)
        where = f"{path}:{line}: " if path else ""
        chunk.problems.append(f"{where}SHACL: {violation.describe()}")
    started = time.perf_counter()
    for agreement, triples in parsed:
        if agreement.source.path not in failing:
            chunk.items.append(_item(agreement, triples, ctx.iris))
    chunk.timings["map"] += time.perf_counter() - started


def _locate(
    violation: Violation, parsed: list[tuple[Zielvereinbarung, list[Triple]]], graph: Graph, iris: Iris
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


def _item(agreement: Zielvereinbarung, triples: list[Triple], iris: Iris) -> _Item:
    year, region = agreement.year.value, agreement.region.value
    a = iris.agreement(year, region.key)
    rows: list[tuple[str, ...]] = [
        (
            str(year),
            region.key,
            region.display_name,
            str(bereich.art.value),
            catalogue.MASSNAHMENART_LABELS[bereich.art][0],
            str(position),
            projekt.title,
            str(agreement.budget.value),
            str(a),
            str(iris.projekt(a, bereich.art.value, position)),
        )
        for bereich in agreement.massnahmenbereiche
        for position, projekt in enumerate(bereich.projects, start=1)
    ]
    return _Item(
        path=agreement.source.path,
        label=f"Zielvereinbarung {year} – {region.display_name}",
        year=year,
        key=region.key,
        region_line=agreement.region.span.first_line,
        part=Part(str(iris.agreement_graph(year, region.key)), graph_to_ntriples(triples)),
        rows=rows,
        bezugsrahmen=[b.value for b in agreement.bezugsrahmen],
        triples=len(triples),
    )


def _chunks(paths: Sequence[Path], size: int) -> Iterator[list[str]]:
    for start in range(0, len(paths), size):
        yield [str(p) for p in paths[start : start + size]]


def _run(paths: Sequence[Path], workers: int, progress: Progress | None) -> Iterator[_Chunk]:
    done = 0
    batches = list(_chunks(paths, CHUNK))
    if workers <= 1 or len(batches) == 1:
        results: Iterator[_Chunk] = map(_process, batches)
        for chunk, batch in zip(results, batches, strict=True):
            done += len(batch)
            if progress:
                progress("agreements", done, len(paths))
            yield chunk
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    with pool:
        for chunk, batch in zip(pool.map(_process, batches), batches, strict=True):
            done += len(batch)
            if progress:
                progress("agreements", done, len(paths))
            yield chunk


@dataclass
class CheckReport:
    """What ``check`` found: conforming documents (path, label, triples) and problems."""

    conforming: list[tuple[str, str, int]]
    problems: list[str]

    @property
    def failing(self) -> set[str]:
        return {p.split(":", 1)[0] for p in self.problems}


def _collect(
    sources: Sequence[Path],
    iris: Iris,
    reference_dir: Path | None,
    workers: int | None,
    progress: Progress | None,
    timings: dict[str, float],
    engine: str = "core",
) -> tuple[list[_Item], list[str]]:
    """Every document processed: the agreements that conform, and every problem."""
    global _context
    paths = find_documents(sources)
    _context = _Context(iris, resources.reference(reference_dir), engine)
    problems: list[str] = []
    items: list[_Item] = []
    for chunk in _run(paths, workers or os.cpu_count() or 1, progress):
        problems.extend(chunk.problems)
        items.extend(item.without_data() for item in chunk.items)  # nothing is written
        for stage, seconds in chunk.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    problems.extend(_duplicates(items))
    return items, problems


def check(
    sources: Sequence[Path],
    *,
    base: str = DEFAULT_BASE,
    reference_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    engine: str = "core",
) -> CheckReport:
    """Read, parse, map and validate ``sources`` without writing anything."""
    items, problems = _collect(sources, Iris(base), reference_dir, workers, progress, {}, engine)
    duplicates = {p.split(":", 1)[0] for p in problems}
    conforming = [(i.path, i.label, i.triples) for i in items if i.path not in duplicates]
    return CheckReport(sorted(conforming), problems)


def build(
    sources: Sequence[Path],
    out: Path,
    *,
    base: str = DEFAULT_BASE,
    reference_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    engine: str = "core",
) -> BuildReport:
    """Build the dataset of ``sources`` into ``out``; raise BuildFailed listing every problem.

    Agreements are written to the staging folder as they arrive (in the sorted order of their
    paths, so the output is deterministic); the folder replaces ``out`` only if nothing failed.
    """
    global _context
    iris = Iris(base)
    paths = find_documents(sources)
    _context = _Context(iris, resources.reference(reference_dir), engine)
    report = BuildReport(timings={"parse": 0.0, "map": 0.0, "validate": 0.0, "write": 0.0})

    def fill(folder: Path) -> None:
        writer = DumpWriter(folder, iris)
        problems: list[str] = []
        seen: list[_Item] = []
        try:
            for chunk in _run(paths, workers or os.cpu_count() or 1, progress):
                problems.extend(chunk.problems)
                for stage, seconds in chunk.timings.items():
                    report.timings[stage] += seconds
                started = time.perf_counter()
                for item in chunk.items:
                    if not problems:  # after the first problem, nothing will be published
                        writer.add(item.part, item.rows)
                    seen.append(item.without_data())
                report.timings["write"] += time.perf_counter() - started
            problems.extend(_duplicates(seen))
            started = time.perf_counter()
            shared, reference_problems = _shared_parts(seen, iris)
            problems.extend(reference_problems)
            if problems:
                raise BuildFailed(problems)
            for part in shared:
                writer.add(part)
            writer.finish()
            report.timings["write"] += time.perf_counter() - started
        finally:
            writer.close()
        report.agreements = len(seen)
        report.triples = writer.triples
        report.agreement_keys = sorted((item.year, item.key) for item in seen)

    publish(out, fill)
    return report


def _duplicates(items: list[_Item]) -> Iterator[str]:
    seen: dict[tuple[int, str], _Item] = {}
    for item in sorted(items, key=lambda i: i.path):
        first = seen.setdefault((item.year, item.key), item)
        if first is not item:
            yield str(
                DuplicateError(
                    f"a second agreement for district key {item.key} and year {item.year} "
                    f"(the first is {first.path})",
                    item.path,
                    item.region_line,
                )
            )


def _shared_parts(items: list[_Item], iris: Iris) -> tuple[list[Part], list[str]]:
    """The ontology and reference graphs, validated once per build."""
    assert _context is not None
    slugs = sorted({slug for item in items for slug in item.bezugsrahmen})
    reference = Graph()
    for graph in (_context.reference_graph, mapping.bezugsrahmen_to_graph(slugs, iris)):
        reference.addN((s, p, o, reference) for s, p, o in graph)
    data = Graph()
    for graph in (_context.ontology, reference):
        data.addN((s, p, o, data) for s, p, o in graph)
    report = validate_graph(data, _context.shapes)
    problems = [f"reference data: SHACL: {v.describe()}" for v in report.violations]
    parts = [
        Part(str(iris.ontology_graph), graph_to_ntriples(_context.ontology)),
        Part(str(iris.reference_graph), graph_to_ntriples(reference)),
    ]
    return parts, problems
