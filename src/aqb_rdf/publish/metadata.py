"""The release's descriptions of itself: ``catalog.ttl`` (DCAT-AP.de) and ``void.ttl`` (I/O edge).

Written into the release folder after the dumps, from their bytes (size, SHA-256) and from
what the build learnt of the data (triples, agreement years, signature dates); the triples
come from the pure :mod:`aqb_rdf.publish.dcat` and :mod:`aqb_rdf.publish.void`. Locations are under the base
IRI, which the server maps to its root.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aqb_rdf.publish import dcat, void
from aqb_rdf.publish.digests import combined_digest, file_sha256
from aqb_rdf.publish.writing import naming
from aqb_rdf.rdf import files, namespaces
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.source.model import Organisation

CATALOG = files.CATALOG.name
VOID = files.VOID.name
DESCRIPTIONS = tuple(file.name for file in files.DESCRIPTIONS)


@dataclass(frozen=True)
class BuiltData:
    """What the build knows of the data it wrote.

    Attributes:
        triples: the number of triples (lines of ``aqb.nt``).
        agreements: (year, district key) of every agreement, sorted.
        signed: the date of every signature.
        publisher: the organisation that publishes the dataset.
        previous: the release folder this release follows (the build's ``current`` before),
            or None for a first release.
        changes: what changed since ``previous``, one line by language (``de``, ``en``).
    """

    triples: int
    agreements: Sequence[tuple[int, str]]
    signed: Sequence[dt.date]
    publisher: Organisation
    previous: Path | None = None
    changes: Mapping[str, str] | None = None
    synthetic: bool = False


def dump_file(path: Path) -> dcat.DumpFile:
    """The size and SHA-256 of the dump at ``path``."""
    with naming(path):
        return dcat.DumpFile(path.name, path.stat().st_size, file_sha256(path))


def content_version(dumps: Iterable[dcat.DumpFile]) -> str:
    """A hash of the dumps' names and SHA-256s: the same data, the same version."""
    return combined_digest((dump.name, dump.sha256) for dump in dumps)


def distributions(folder: Path) -> list[dcat.DumpFile]:
    """The size and SHA-256 of each distribution in the release ``folder``, in the
    catalogue's order. hashlib lets go of the GIL while it hashes: the dumps are read side by
    side, and a build writes its search index meanwhile."""
    with ThreadPoolExecutor() as hashing:
        return list(hashing.map(dump_file, [folder / file.name for file in files.DISTRIBUTIONS]))


def write_descriptions(
    folder: Path, iris: Iris, data: BuiltData, dumps: Sequence[dcat.DumpFile]
) -> dict[str, str]:
    """Write ``catalog.ttl`` and ``void.ttl`` into the release ``folder``, whose
    distributions are ``dumps`` (:func:`distributions`).

    Returns:
        The SHA-256 of each distribution by file name, as the catalogue states it: the
        release id reuses them (:func:`aqb_rdf.publish.release.release_id`).
    """
    years = sorted({year for year, _ in data.agreements})
    version = content_version(dumps)
    before, previous = _recorded_versions(data.previous, iris)
    history = dcat.version_history(before, previous, version, data.changes or {})
    facts = dcat.CatalogueFacts(
        base=iris.base,
        publisher=data.publisher,
        dumps=dumps,
        years=(years[0], years[-1]) if years else None,
        issued=min(data.signed, default=None),
        modified=max(data.signed, default=None),
        version=version,
        history=history,
        notes=data.changes if previous is not None and previous != version else None,
        synthetic=data.synthetic,
    )
    _write_turtle(folder / CATALOG, dcat.catalogue_triples(facts), dcat.PREFIXES)
    prefixes = {**{p: str(ns) for p, ns in namespaces.STANDARD_PREFIXES.items()}, **iris.prefixes}
    void_facts = void.DatasetFacts(
        base=iris.base,
        server=iris.base,
        triples=data.triples,
        examples=void.example_resources(iris, data.agreements[0] if data.agreements else None),
        vocabularies=void.vocabularies(prefixes),
        synthetic=data.synthetic,
    )
    _write_turtle(
        folder / VOID, void.void_triples(void_facts), {**prefixes, "void": str(namespaces.VOID)}
    )
    return {dump.name: dump.sha256 for dump in dumps}


def _recorded_versions(release: Path | None, iris: Iris) -> tuple[list[dcat.Version], str | None]:
    """The version history the catalogue of ``release`` states, oldest first, and its own
    version (None without a release or a catalogue of this base)."""
    path = release / CATALOG if release is not None else None
    if path is None or not path.is_file():
        return [], None
    graph = ox.Dataset(q for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    version_of = ox.NamedNode(namespaces.DCAT + "version")

    def value(subject: ox.NamedNode, predicate: str) -> str | None:
        for quad in graph.quads_for_subject(subject):
            if quad.predicate.value == predicate and isinstance(quad.object, ox.Literal):
                return quad.object.value
        return None

    dataset = ox.NamedNode(str(iris.dataset))
    own = value(dataset, version_of.value)
    if own is None:
        return [], None
    versions: dict[str, dcat.Version] = {}
    for quad in graph.quads_for_subject(dataset):
        if quad.predicate.value != namespaces.DCAT + "hasVersion":
            continue
        node = quad.object
        assert isinstance(node, ox.NamedNode)
        number = value(node, version_of.value)
        if number is None:
            continue
        notes = {
            q.object.language: q.object.value
            for q in graph.quads_for_subject(node)
            if q.predicate.value == namespaces.ADMS + "versionNotes"
            and isinstance(q.object, ox.Literal)
            and q.object.language
        }
        previous = next(
            (
                value(q.object, version_of.value)
                for q in graph.quads_for_subject(node)
                if q.predicate.value == namespaces.DCAT + "previousVersion"
                and isinstance(q.object, ox.NamedNode)
            ),
            None,
        )
        versions[number] = dcat.Version(number, notes, previous)
    # Oldest first: from the version that follows none, along dcat:previousVersion forwards.
    following = {v.previous: v for v in versions.values() if v.previous in versions}
    chain = [v for v in versions.values() if v.previous not in versions][:1]
    while chain and chain[-1].version in following and len(chain) < len(versions):
        chain.append(following[chain[-1].version])
    return chain, own


def _write_turtle(path: Path, triples: list[ox.Triple], prefixes: dict[str, str]) -> None:
    with naming(path):
        ox.serialize(triples, path, ox.RdfFormat.TURTLE, prefixes=prefixes)
