"""The build: documents → validated agreements → dumps, and the check without writing.

``build`` hands chunks of documents to one worker process per core (``processing``), writes
each chunk's agreements into a staging folder as it arrives — in the sorted order of the
documents' paths, so the output is deterministic — and swaps the folder in only if no
document had a problem; ``check`` does the same work and writes nothing. Every problem of
every document is reported as a :class:`~aqb_rdf.errors.Problem`, one line each.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from aqb_rdf import resources
from aqb_rdf.build.worker import ENGINES, Chunk, Context, Item, process_chunk, use_context
from aqb_rdf.config import BUILD_SHACL_ENGINE
from aqb_rdf.diff.changes import compare_dumps
from aqb_rdf.errors import AqbError, BuildFailed, DuplicateError, Problem
from aqb_rdf.mapping import cube, graphs
from aqb_rdf.publish.dumps import DumpWriter, Part, part_of
from aqb_rdf.publish.metadata import BuiltData, distributions, write_descriptions
from aqb_rdf.publish.processes import die_with_parent
from aqb_rdf.publish.release import (
    DATASET,
    KEEP_RELEASES,
    Notice,
    current_release,
    publish,
    recorded_base,
    write_record,
)
from aqb_rdf.publish.void import SYNTHETIC
from aqb_rdf.publish.writing import naming
from aqb_rdf.rdf import files
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import RDFS
from aqb_rdf.search.entries import Entry, entries_of_graph, sort_entries
from aqb_rdf.search.index import write_index
from aqb_rdf.validation.report import validate_graph

__all__ = [
    "ENGINES",
    "BuildFailed",
    "BuildReport",
    "CheckReport",
    "build",
    "check",
    "Skipped",
    "find_documents",
    "find_sources",
]

DOCUMENT_SUFFIXES = (".md", ".txt", ".pdf")
_READ = "only .md, .txt and .pdf are read"
_SKIP_REASONS = {
    **dict.fromkeys(
        (".docx", ".doc", ".odt", ".rtf"), f"a word-processor document: {_READ}; save it as PDF"
    ),
    **dict.fromkeys((".html", ".htm", ".xhtml"), f"a web page: {_READ}; save it as PDF or text"),
}
"""Why a file of a known format beside the agreements is skipped, by suffix."""
CHUNK = 100
PUBLISHER = "hmsi"
"""The organisation the catalogue names as the dataset's publisher (a slug of the reference
table): the ministry whose agreements these are."""
Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    agreements: int = 0
    triples: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage; for the stages run in workers, summed over the workers."""
    agreement_keys: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    """The files in the source folders that were not read, and why."""


@dataclass(frozen=True)
class Skipped:
    """A file in a source folder that is not an agreement document: its path and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def skip_reason(path: Path) -> str:
    """Why ``path``, found in a source folder, is not read as an agreement."""
    suffix = path.suffix.lower()
    default = f"not an agreement document: {_READ}"
    return _SKIP_REASONS.get(suffix, default)


def find_sources(sources: Sequence[Path]) -> tuple[list[Path], list[Skipped]]:
    """Agreement documents in ``sources`` (files, or folders searched recursively), sorted,
    and the other files found in the folders (hidden files aside), sorted, with the reason.

    Raises:
        AqbError: a source does not exist, or there is no document at all.
    """
    found: list[Path] = []
    skipped: dict[Path, Skipped] = {}
    for source in sources:
        if source.is_dir():
            for p in source.rglob("*"):
                if not p.is_file() or any(
                    part.startswith(".") for part in p.relative_to(source).parts
                ):
                    continue
                if p.suffix.lower() in DOCUMENT_SUFFIXES:
                    found.append(p)
                else:
                    skipped[p] = Skipped(str(p), skip_reason(p))
        elif source.is_file():
            found.append(source)
        else:
            raise AqbError("no such file or folder", str(source))
    if not found:
        names = ", ".join(str(s) for s in sources)
        others = f"; {len(skipped)} other file(s) skipped" if skipped else ""
        raise AqbError(f"no agreement documents (*.md, *.txt, *.pdf) in {names}{others}")
    return sorted(set(found)), [skipped[p] for p in sorted(skipped) if p not in found]


def find_documents(sources: Sequence[Path]) -> list[Path]:
    """Agreement documents in ``sources`` (files, or folders searched recursively), sorted."""
    return find_sources(sources)[0]


def _chunks(paths: Sequence[Path], size: int) -> Iterator[list[str]]:
    for start in range(0, len(paths), size):
        yield [str(p) for p in paths[start : start + size]]


def _processed(
    paths: Sequence[Path], workers: int, progress: Progress | None, timings: dict[str, float]
) -> Iterator[Chunk]:
    """The processed chunks of ``paths``, in order; adds the workers' stage times to ``timings``."""
    batches = list(_chunks(paths, CHUNK))
    if workers <= 1 or len(batches) == 1:
        results: Iterator[Chunk] = map(process_chunk, batches)
        yield from _reported(results, batches, len(paths), progress, timings)
        return
    # The objects made so far (the context above all) are frozen before the workers are
    # forked: their collector never scans them, nor writes to (and so copies) their pages.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            yield from _reported(
                pool.map(process_chunk, batches), batches, len(paths), progress, timings
            )
    finally:
        gc.unfreeze()


def _reported(
    results: Iterator[Chunk],
    batches: list[list[str]],
    total: int,
    progress: Progress | None,
    timings: dict[str, float],
) -> Iterator[Chunk]:
    done = 0
    for chunk, batch in zip(results, batches, strict=True):
        done += len(batch)
        for stage, seconds in chunk.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        if progress:
            progress("agreements", done, total)
        yield chunk


@dataclass
class CheckReport:
    """What ``check`` found: conforming documents (path, label, triples), problems, and the
    files in the source folders that were not read."""

    conforming: list[tuple[str, str, int]]
    problems: list[Problem]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def failing(self) -> set[str]:
        """The paths of the documents with a problem (``""`` for problems of no document)."""
        return {p.path for p in self.problems}


def check(
    sources: Sequence[Path],
    *,
    base: str = DEFAULT_BASE,
    reference_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    engine: str = BUILD_SHACL_ENGINE.default,
) -> CheckReport:
    """Read, parse, map and validate ``sources`` without writing anything."""
    paths, skipped = find_sources(sources)
    use_context(Context(Iris(base), resources.reference(reference_dir), engine))
    problems: list[Problem] = []
    items: list[Item] = []
    for chunk in _processed(paths, workers or os.cpu_count() or 1, progress, {}):
        problems.extend(chunk.problems)
        items.extend(item.without_data() for item in chunk.items)  # nothing is written
    problems.extend(_duplicates(items))
    duplicates = {p.path for p in problems}
    conforming = [(i.path, i.label, i.triples) for i in items if i.path not in duplicates]
    return CheckReport(sorted(conforming), list(dict.fromkeys(problems)), skipped)


def build(
    sources: Sequence[Path],
    out: Path,
    *,
    base: str = DEFAULT_BASE,
    reference_dir: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    engine: str = BUILD_SHACL_ENGINE.default,
    notice: Notice | None = None,
    synthetic: bool = False,
    keep_releases: int = KEEP_RELEASES,
) -> BuildReport:
    """Build the dataset of ``sources`` into ``out``; raise BuildFailed listing every problem.

    Agreements are written to the staging folder as they arrive (in the sorted order of their
    paths, so the output is deterministic); the folder replaces ``out`` only if nothing failed.
    ``notice`` is told, one line each, which files in the source folders are skipped (not
    agreement documents) and what was cleaned up of interrupted builds in ``out``.
    ``synthetic``: the documents are invented (``make demo``, :mod:`aqb_rdf.demo.years`); the
    release record, the catalogue, VoID and the dumps (a statement about the dataset in the
    reference graph) say so, and the server's pages show it. ``keep_releases``: the releases
    ``out`` keeps, the new one included (:func:`~aqb_rdf.publish.release.publish`).
    """
    iris = Iris(base)
    paths, skipped = find_sources(sources)
    context = Context(iris, resources.reference(reference_dir), engine)
    use_context(context)
    report = BuildReport(
        timings={"parse": 0.0, "map": 0.0, "validate": 0.0, "write": 0.0}, skipped=skipped
    )
    for file in skipped:
        if notice is not None:
            notice(f"skipped {file}")

    def fill(folder: Path) -> dict[str, str]:
        writer = DumpWriter(folder, iris, str(iris.organisation(PUBLISHER)), synthetic)
        problems: list[Problem] = []
        seen: list[Item] = []
        entries: list[Entry] = []
        context.documents = folder  # the workers write the source documents
        try:
            for chunk in _processed(
                paths, workers or os.cpu_count() or 1, progress, report.timings
            ):
                problems.extend(chunk.problems)
                started = time.perf_counter()
                for item in chunk.items:
                    if not problems:  # after the first problem, nothing will be published
                        writer.add(item.part, item.rows)
                        entries.extend(item.entries)
                    seen.append(item.without_data())
                report.timings["write"] += time.perf_counter() - started
            problems.extend(_duplicates(seen))
            started = time.perf_counter()
            shared, shared_entries, reference_problems = _shared_parts(seen, context, synthetic)
            problems.extend(reference_problems)
            if problems:
                # One line each: a malformed manifest is the problem of every document beside it.
                raise BuildFailed(list(dict.fromkeys(problems)))
            for part in shared:
                writer.add(part)
            writer.finish()
            previous = _previous_release(out, iris)
            report.agreements = len(seen)
            report.triples = writer.triples
            report.agreement_keys = sorted((item.year, item.key) for item in seen)
            built = BuiltData(
                triples=writer.triples,
                agreements=report.agreement_keys,
                signed=[date for item in seen for date in item.signed],
                publisher=context.reference.organisation(PUBLISHER),
                previous=previous,
                changes=_changes(previous, folder, iris),
                synthetic=synthetic,
            )
            with ThreadPoolExecutor(1) as hashing:  # the dumps are hashed as the index is written
                hashed = hashing.submit(distributions, folder)
                with naming(folder / files.SEARCH_INDEX.name):
                    write_index(
                        folder / files.SEARCH_INDEX.name, sort_entries(entries + shared_entries)
                    )
                dumps = hashed.result()
            digests = write_descriptions(folder, iris, built, dumps)
            write_record(folder, iris.base, [(item.name, item.sha256) for item in seen], synthetic)
            report.timings["write"] += time.perf_counter() - started
        finally:
            writer.close()
        return digests

    publish(out, fill, notice, keep_releases)
    return report


def _previous_release(out: Path, iris: Iris) -> Path | None:
    """The release this build follows: ``out``'s current one, if it has the same base."""
    release = current_release(out)
    if release is None or not (release / DATASET).is_file():
        return None
    try:
        return release if recorded_base(release) == iris.base else None
    except AqbError:  # a damaged record: the new release starts a history of its own
        return None


def _changes(previous: Path | None, folder: Path, iris: Iris) -> dict[str, str] | None:
    """What changed since ``previous`` (``aqb-rdf diff``'s summary line), in German and English."""
    if previous is None:
        return None
    diff = compare_dumps(previous / DATASET, folder / DATASET, iris)
    return {"de": diff.summary_de(), "en": diff.summary()}


def _duplicates(items: list[Item]) -> Iterator[Problem]:
    seen: dict[tuple[int, str], Item] = {}
    for item in sorted(items, key=lambda i: i.path):
        first = seen.setdefault((item.year, item.key), item)
        if first is not item:
            yield DuplicateError(
                f"a second agreement for district key {item.key} and year {item.year} "
                f"(the first is {first.path})",
                item.path,
                item.region_line,
            ).problem


def _shared_parts(
    items: list[Item], context: Context, synthetic: bool = False
) -> tuple[list[Part], list[Entry], list[Problem]]:
    """The ontology and reference graphs, validated once per build, and the budget cube
    (checked by the Data Cube integrity constraints in the tests, not by the shapes), with
    their search entries."""
    iris = context.iris
    slugs = sorted({slug for item in items for slug in item.bezugsrahmen})
    reference = Graph()
    for graph in (context.reference_graph, graphs.bezugsrahmen_to_graph(slugs, iris)):
        reference.addN((s, p, o, reference) for s, p, o in graph)
    if synthetic:  # every dump says so: they all hold the reference graph
        for lang, text in SYNTHETIC.items():
            reference.add((URIRef(iris.dataset), RDFS.comment, Literal(text, lang=lang)))
    data = Graph()
    for graph in (context.ontology, reference):
        data.addN((s, p, o, data) for s, p, o in graph)
    report = validate_graph(data, context.shapes)
    problems = [
        Problem("reference data", None, f"SHACL: {v.describe()}") for v in report.violations
    ]
    budgets = [(item.year, item.key, item.budget) for item in items if item.budget is not None]
    graphs_by_name: list[tuple[URIRef, Iterable[tuple[Node, Node, Node]]]] = [
        (iris.ontology_graph, context.ontology),
        (iris.reference_graph, reference),
        (iris.cube_graph, cube.cube_triples(budgets, iris)),
    ]
    parts = [part_of(str(name), graph, iris) for name, graph in graphs_by_name]
    entries = [e for _, graph in graphs_by_name for e in entries_of_graph(graph, iris)]
    return parts, entries, problems
