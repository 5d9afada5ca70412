"""The files a release publishes, listed once (pure).

Every part that names a published file takes it from :data:`PUBLISHED_FILES`: the dump
writer and the catalogue writer (:mod:`aqb_rdf.publish`), the release folder and its links,
the DCAT-AP.de distributions, the VoID ``dataDump`` list, the store loaded from the TriG dump,
the server's ``/download/…`` and landing page, ``aqb-rdf summary`` and ``aqb-rdf push``.

Beside them, a release holds its source documents under :data:`DOCUMENTS_FOLDER`, two files
each, named by the document (:func:`document_text`, :func:`document_original`); the server
offers them under ``/download/dokumente/…`` by exact name (:func:`document_media_type`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from aqb_rdf.rdf import formats
from aqb_rdf.rdf.formats import Format


class Role(StrEnum):
    """What a published file is for."""

    DISTRIBUTION = "distribution"
    """The dataset (or a table of it): a ``dcat:Distribution`` of the catalogue."""
    CONTEXT = "context"
    """The JSON-LD ``@context`` of the JSON-LD dump, on its own for reuse; not data."""
    TABLE_METADATA = "table metadata"
    """The CSV on the Web metadata of a table (columns, datatypes, titles, the IRIs each row
    describes); not data."""
    DESCRIPTION = "description"
    """The release's description of itself (DCAT-AP.de catalogue, VoID)."""
    INDEX = "index"
    """Made from the data for the server (the search index); kept in the release folder, not
    linked from the output folder nor offered for download."""
    RECORD = "record"
    """What the software records about a release (its base IRI); kept in the release folder,
    not linked from the output folder nor offered for download."""


@dataclass(frozen=True)
class PublishedFile:
    """One file of a release.

    Attributes:
        name: its name in the release folder and under ``/download/``.
        format: its format (media type, EU file type …).
        role: what it is for.
        title_de: its title in the catalogue, in German (distributions only).
        title_en: the same in English.
    """

    name: str
    format: Format
    role: Role
    title_de: str = ""
    title_en: str = ""

    @property
    def is_rdf(self) -> bool:
        """Whether the file is RDF data (a ``void:dataDump``)."""
        return self.role is Role.DISTRIBUTION and self.format.rdf is not None


TURTLE_DUMP: Final = PublishedFile(
    "aqb.ttl", formats.TURTLE, Role.DISTRIBUTION,
    "Gesamter Datensatz als Turtle", "Whole dataset as Turtle",
)  # fmt: skip
N_TRIPLES_DUMP: Final = PublishedFile(
    "aqb.nt", formats.N_TRIPLES, Role.DISTRIBUTION,
    "Gesamter Datensatz als N-Triples", "Whole dataset as N-Triples",
)  # fmt: skip
JSON_LD_DUMP: Final = PublishedFile(
    "aqb.jsonld", formats.JSON_LD, Role.DISTRIBUTION,
    "Gesamter Datensatz als JSON-LD", "Whole dataset as JSON-LD",
)  # fmt: skip
TRIG_DUMP: Final = PublishedFile(
    "aqb.trig", formats.TRIG, Role.DISTRIBUTION,
    "Gesamter Datensatz als TriG, ein benannter Graph je Zielvereinbarung",
    "Whole dataset as TriG, one named graph per agreement",
)  # fmt: skip
"""The dump the SPARQL store is loaded from and ``aqb-rdf push`` reads."""
AGREEMENTS_TABLE: Final = PublishedFile(
    "agreements.csv", formats.CSV, Role.DISTRIBUTION,
    "Zielvereinbarungen als Tabelle (CSV), eine Zeile je Zielvereinbarung, mit Budget",
    "Target agreements as a table (CSV), one row per agreement, with its budget",
)  # fmt: skip
PROJECTS_TABLE: Final = PublishedFile(
    "projects.csv", formats.CSV, Role.DISTRIBUTION,
    "Projekte als Tabelle (CSV), eine Zeile je Projekt",
    "Projects as a table (CSV), one row per project",
)  # fmt: skip
MASSNAHMENARTEN_TABLE: Final = PublishedFile(
    "massnahmenarten.csv", formats.CSV, Role.DISTRIBUTION,
    "Maßnahmenarten je Zielvereinbarung als Tabelle (CSV), auch ohne Projekt oder nicht aufgeführt",
    "Measure types per agreement as a table (CSV), also those without project or not listed",
)  # fmt: skip
TABLES: Final = (AGREEMENTS_TABLE, PROJECTS_TABLE, MASSNAHMENARTEN_TABLE)
"""The CSV tables, each described by the file of :data:`TABLE_METADATA` at its index."""
JSON_LD_CONTEXT: Final = PublishedFile("context.jsonld", formats.JSON_LD, Role.CONTEXT)
TABLE_METADATA: Final = tuple(
    PublishedFile(f"{table.name}-metadata.json", formats.CSVW_METADATA, Role.TABLE_METADATA)
    for table in TABLES
)
"""``agreements.csv-metadata.json`` …: where a CSVW processor looks for a table's metadata
(CSVW syntax §5.2, the default ``{+url}-metadata.json``)."""
METADATA_OF_TABLE: Final[Mapping[str, PublishedFile]] = {
    table.name: metadata for table, metadata in zip(TABLES, TABLE_METADATA, strict=True)
}
"""The CSVW metadata file of each table, by the table's name."""
CATALOG: Final = PublishedFile("catalog.ttl", formats.TURTLE, Role.DESCRIPTION)
VOID: Final = PublishedFile("void.ttl", formats.TURTLE, Role.DESCRIPTION)
SEARCH_INDEX: Final = PublishedFile("search.sqlite", formats.SQLITE, Role.INDEX)
"""The full-text index of the release's names (:mod:`aqb_rdf.search.index`), written by the
build from ``aqb.nt``, opened read-only by the server's ``/search``."""
RELEASE_RECORD: Final = PublishedFile("release.json", formats.JSON, Role.RECORD)
"""The base IRI the release was built with, the software version and the SHA-256 of each input
document (:mod:`aqb_rdf.publish.release`)."""

PUBLISHED_FILES: Final = (
    TURTLE_DUMP, N_TRIPLES_DUMP, JSON_LD_DUMP, TRIG_DUMP, *TABLES, JSON_LD_CONTEXT,
    *TABLE_METADATA, CATALOG, VOID, SEARCH_INDEX, RELEASE_RECORD,
)  # fmt: skip
"""Every file of a release, in the order listings show them: the dumps, the descriptions,
the search index, the record."""

DOCUMENTS_FOLDER: Final = "dokumente"
"""The folder of a release with the source documents: per document its decoded text (what
every Fundstelle's offsets count in) and the original file, both named by the document's
IRI segment (:meth:`~aqb_rdf.rdf.iris.Iris.dokument`); downloaded under
``/download/dokumente/…``."""
_ORIGINAL_SUFFIXES: Final[Mapping[str, str]] = {
    "text/markdown": "md",
    "text/plain": "txt",
    "application/pdf": "pdf",
}


def document_text(segment: str) -> str:
    """The published text of the document ``segment``: ``dokumente/{segment}.txt``."""
    return f"{DOCUMENTS_FOLDER}/{segment}.txt"


def document_original(segment: str, media_type: str) -> str:
    """The original file of the document: ``dokumente/{segment}.original.md`` (or .txt, .pdf)."""
    return f"{DOCUMENTS_FOLDER}/{segment}.original.{_ORIGINAL_SUFFIXES.get(media_type, 'bin')}"


def document_media_type(name: str) -> str | None:
    """The media type a file of :data:`DOCUMENTS_FOLDER` is served with (``None``: no such
    kind of file): the texts are UTF-8 plain text, the originals what their suffix says."""
    stem, _, suffix = name.rpartition(".")
    if not stem or "/" in name or name.startswith("."):
        return None
    if stem.endswith(".original"):
        return next((t for t, s in _ORIGINAL_SUFFIXES.items() if s == suffix), None)
    return "text/plain; charset=utf-8" if suffix == "txt" else None


BY_NAME: Final[Mapping[str, PublishedFile]] = {file.name: file for file in PUBLISHED_FILES}

DUMPS: Final = tuple(
    f for f in PUBLISHED_FILES if f.role in (Role.DISTRIBUTION, Role.CONTEXT, Role.TABLE_METADATA)
)
"""What the dump writer writes: the data, the JSON-LD context and the tables' metadata."""
DISTRIBUTIONS: Final = tuple(file for file in PUBLISHED_FILES if file.role is Role.DISTRIBUTION)
"""The distributions of the dataset, in the order the catalogue lists them."""
DESCRIPTIONS: Final = tuple(file for file in PUBLISHED_FILES if file.role is Role.DESCRIPTION)
DOWNLOADS: Final = tuple(
    file for file in PUBLISHED_FILES if file.role not in (Role.INDEX, Role.RECORD)
)
"""What the output folder links to and the server offers under ``/download/``."""
