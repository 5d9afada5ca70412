"""The release's descriptions of itself: ``catalog.ttl`` (DCAT-AP.de) and ``void.ttl`` (I/O edge).

Written into the release folder after the dumps, from their bytes (size, SHA-256) and from
what the build learnt of the data (triples, agreement years, signature dates); the triples
come from the pure :mod:`aqb_rdf.publish.dcat` and :mod:`aqb_rdf.publish.void`. Locations are under the base
IRI, which the server maps to its root.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aqb_rdf.publish import dcat, void
from aqb_rdf.publish.files import naming
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import STANDARD_PREFIXES
from aqb_rdf.source.model import Organisation

CATALOG = "catalog.ttl"
VOID = "void.ttl"
DESCRIPTIONS = (CATALOG, VOID)


@dataclass(frozen=True)
class BuiltData:
    """What the build knows of the data it wrote.

    Attributes:
        triples: the number of triples (lines of ``aqb.nt``).
        agreements: (year, district key) of every agreement, sorted.
        signed: the date of every signature.
        publisher: the organisation that publishes the dataset.
    """

    triples: int
    agreements: Sequence[tuple[int, str]]
    signed: Sequence[dt.date]
    publisher: Organisation


def dump_file(path: Path) -> dcat.DumpFile:
    """The size and SHA-256 of the dump at ``path``."""
    digest = hashlib.sha256()
    with naming(path), open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return dcat.DumpFile(path.name, path.stat().st_size, digest.hexdigest())


def content_version(dumps: Iterable[dcat.DumpFile]) -> str:
    """A hash of the dumps' names and SHA-256s: the same data, the same version."""
    digest = hashlib.sha256()
    for dump in dumps:
        digest.update(f"{dump.name} {dump.sha256}\n".encode())
    return digest.hexdigest()[:16]


def write_descriptions(folder: Path, iris: Iris, data: BuiltData) -> None:
    """Write ``catalog.ttl`` and ``void.ttl`` into the release ``folder`` (dumps written)."""
    # hashlib lets go of the GIL while it hashes: the dumps are read side by side.
    with ThreadPoolExecutor() as hashing:
        dumps = list(hashing.map(dump_file, [folder / name for name in dcat.FORMATS]))
    years = sorted({year for year, _ in data.agreements})
    facts = dcat.CatalogueFacts(
        base=iris.base,
        publisher=data.publisher,
        dumps=dumps,
        years=(years[0], years[-1]) if years else None,
        issued=min(data.signed, default=None),
        modified=max(data.signed, default=None),
        version=content_version(dumps),
    )
    _write_turtle(folder / CATALOG, dcat.catalogue_triples(facts), dcat.PREFIXES)
    prefixes = {**{p: str(ns) for p, ns in STANDARD_PREFIXES.items()}, **iris.prefixes}
    void_facts = void.DatasetFacts(
        base=iris.base,
        server=iris.base,
        triples=data.triples,
        examples=void.example_resources(iris, data.agreements[0] if data.agreements else None),
        vocabularies=void.vocabularies(prefixes),
    )
    _write_turtle(folder / VOID, void.void_triples(void_facts), {**prefixes, "void": void.VOID})


def _write_turtle(path: Path, triples: list[ox.Triple], prefixes: dict[str, str]) -> None:
    with naming(path):
        ox.serialize(triples, path, ox.RdfFormat.TURTLE, prefixes=prefixes)
