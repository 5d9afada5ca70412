"""The tidy CSV tables of a release and their CSV on the Web metadata (pure).

Three tables, each one row per thing it is about: ``agreements.csv`` (one row per
Zielvereinbarung, with its budget), ``projects.csv`` (one row per Projekt, with its amount
where the document states one) and
``massnahmenarten.csv`` (one row per Maßnahmenart of an agreement: listed, with its number of
projects, ``0`` included, or stated as not listed at all, ``aqb:nichtAufgefuehrt``). A
Maßnahmenart the graph says nothing about gets no row.

Every cell is read from the published graph (:func:`agreement_rows` walks an agreement's
triples; names and labels come from the reference data and the ontology, see :class:`Labels`),
never from the parsed document, so a table states nothing the graph does not. Each table has
its `CSVW <https://www.w3.org/TR/tabular-metadata/>`_ metadata (:func:`metadata_document`):
columns with titles in German and English, ``xsd`` datatypes, the property each column states
(``propertyUrl``, ``valueUrl`` for IRIs) about the IRI its row describes (``aboutUrl``), the
primary key, licence and publisher. A column that repeats a fact for reading comfort (the
region's name on a project row) is ``suppressOutput``: its fact has its home in another table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from aqb_rdf.publish.dcat import LICENSE
from aqb_rdf.publish.void import SYNTHETIC, TITLE, marked
from aqb_rdf.rdf import files
from aqb_rdf.rdf.files import PublishedFile
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import CSVW_CONTEXT, RDF, RDFS, SCHEMA, SKOS, STANDARD_PREFIXES

Row = tuple[str, ...]
SIGNATURE_SEPARATOR = " "
"""Between the dates of an agreement's signatures in one cell (CSVW ``separator``)."""


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes:
        name: its header in the CSV file and its CSVW ``name``.
        title_de: its title for people, in German.
        title_en: the same in English.
        datatype: the XSD datatype of its cells (CSVW built-in datatype name).
        property: the CURIE of the property its cell states (``propertyUrl``), or ``""``
            if it states none of its own (``suppressOutput``).
        iri: whether the cell is an IRI (``valueUrl``).
        about: the column whose IRI the cell is about, if not the row's (``aboutUrl``).
        language: the language of a text cell.
        separator: for a cell that holds a list.
    """

    name: str
    title_de: str
    title_en: str
    datatype: str
    property: str = ""
    iri: bool = False
    about: str = ""
    language: str = ""
    separator: str = ""


@dataclass(frozen=True)
class Table:
    """One table: its file, what each row describes, its columns and its key."""

    file: PublishedFile
    metadata: PublishedFile
    about: str
    """The column holding the IRI each row describes (the table's ``aboutUrl``)."""
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    description_de: str
    description_en: str


def _column(name: str, de: str, en: str, datatype: str, **more: Any) -> Column:
    return Column(name, de, en, datatype, **more)


_AGREEMENT = _column("zielvereinbarung", "Zielvereinbarung", "Target agreement", "anyURI")
_REGION_NAME = _column(
    "gebietskoerperschaft_name", "Gebietskörperschaft", "Territorial authority", "string"
)
_YEAR = _column("jahr", "Jahr", "Year", "gYear", property="aqb:jahr", about="zielvereinbarung")
_ART_LABEL = _column(
    "massnahmenart_bezeichnung", "Maßnahmenart (Bezeichnung)", "Measure type (label)", "string",
    property="skos:prefLabel", about="massnahmenart", language="de",
)  # fmt: skip

AGREEMENTS = Table(
    files.AGREEMENTS_TABLE,
    files.TABLE_METADATA[0],
    about="zielvereinbarung",
    columns=(
        _AGREEMENT,
        _column("gebietskoerperschaft", "Gebietskörperschaft (IRI)", "Territorial authority (IRI)",
                "anyURI", property="aqb:gebietskoerperschaft", iri=True),
        _column("gebietskoerperschaft_name", "Gebietskörperschaft", "Territorial authority",
                "string", property="rdfs:label", about="gebietskoerperschaft", language="de"),
        _column("kreisschluessel", "Kreisschlüssel", "District key", "string",
                property="aqb:kreisschluessel", about="gebietskoerperschaft"),
        _column("jahr", "Jahr", "Year", "gYear", property="aqb:jahr"),
        _column("budget_eur", "Budget (Euro)", "Budget (euros)", "decimal",
                property="schema:value", about="budget"),
        _column("budget", "Budget (IRI)", "Budget (IRI)", "anyURI",
                property="aqb:budget", iri=True),
        _column("laufzeit_beginn", "Laufzeit von", "Term from", "date",
                property="aqb:laufzeitBeginn"),
        _column("laufzeit_ende", "Laufzeit bis", "Term to", "date", property="aqb:laufzeitEnde"),
        _column("unterzeichnet_am", "Unterzeichnet am", "Signed on", "date",
                separator=SIGNATURE_SEPARATOR),
    ),
    primary_key=("zielvereinbarung",),
    description_de="Eine Zeile je Zielvereinbarung: Gebietskörperschaft, Jahr, Budget in Euro,"
    " Laufzeit und die Daten der Unterzeichnungen (in der Reihenfolge des Dokuments).",
    description_en="One row per target agreement: territorial authority, year, budget in euros,"
    " term and the dates of its signatures (in the order of the document).",
)  # fmt: skip

PROJECTS = Table(
    files.PROJECTS_TABLE,
    files.TABLE_METADATA[1],
    about="projekt",
    columns=(
        _column("projekt", "Projekt", "Project", "anyURI"),
        _column("zielvereinbarung", "Zielvereinbarung", "Target agreement", "anyURI",
                property="aqb:zielvereinbarung", iri=True),
        _REGION_NAME,
        _YEAR,
        _column("massnahmenart", "Maßnahmenart", "Measure type", "anyURI",
                property="aqb:massnahmenart", iri=True),
        _ART_LABEL,
        _column("position", "Position", "Position", "integer", property="aqb:position"),
        _column("titel", "Projekt (Titel)", "Project (title)", "string",
                property="schema:name", language="de"),
        _column("betrag_eur", "Betrag (Euro)", "Amount (euros)", "decimal",
                property="aqb:betrag"),
    ),
    primary_key=("projekt",),
    description_de="Eine Zeile je Projekt: Zielvereinbarung, Maßnahmenart, Position, Titel und"
    " Betrag des Projekts, wie das Dokument sie nennt (der Betrag leer, wo es keinen nennt).",
    description_en="One row per project: target agreement, measure type, position, title and"
    " amount of the project as the document states them (the amount empty where it states"
    " none).",
)  # fmt: skip

MASSNAHMENARTEN = Table(
    files.MASSNAHMENARTEN_TABLE,
    files.TABLE_METADATA[2],
    about="zielvereinbarung",
    columns=(
        _AGREEMENT,
        _REGION_NAME,
        _YEAR,
        _column("massnahmenart", "Maßnahmenart", "Measure type", "anyURI"),
        _ART_LABEL,
        _column("aufgefuehrt", "In § 5 aufgeführt", "Listed in § 5", "boolean"),
        _column("massnahmenbereich", "Maßnahmenbereich (IRI)", "Measure area (IRI)", "anyURI",
                property="aqb:massnahmenbereich", iri=True),
        _column("bezeichnung", "Bezeichnung laut Dokument", "Title as written", "string",
                property="aqb:bezeichnung", about="massnahmenbereich", language="de"),
        _column("anzahl_projekte", "Anzahl Projekte", "Number of projects", "integer",
                property="aqb:anzahlProjekte", about="massnahmenbereich"),
    ),
    primary_key=("zielvereinbarung", "massnahmenart"),
    description_de="Eine Zeile je Maßnahmenart einer Zielvereinbarung: aufgeführt (mit der"
    " Anzahl ihrer Projekte, auch 0) oder ausdrücklich nicht aufgeführt (aqb:nichtAufgefuehrt;"
    " dann sind Maßnahmenbereich, Bezeichnung und Anzahl leer).",
    description_en="One row per measure type of a target agreement: listed (with its number of"
    " projects, 0 included) or stated as not listed (aqb:nichtAufgefuehrt; then measure area,"
    " title and number are empty).",
)  # fmt: skip

TABLES: tuple[Table, ...] = (AGREEMENTS, PROJECTS, MASSNAHMENARTEN)
"""The tables in the order of :data:`aqb_rdf.rdf.files.TABLES`."""

SYNTHETIC_NOTE = "synthetisch – Synthetische Demonstrationsdaten / synthetic demonstration data"
"""The first cell of every row of a synthetic release's tables (``make demo``): what a
spreadsheet user sees first, in each row, whatever they sort or filter."""
SYNTHETIC_COLUMN = _column("synthetisch", "Synthetisch", "Synthetic", "string")
"""The column of :data:`SYNTHETIC_NOTE`, first in a synthetic release's tables; it states no
property of the row (``suppressOutput``): the metadata's title and description say it of the
table."""


def columns_of(table: Table, synthetic: bool = False) -> tuple[Column, ...]:
    """The columns of ``table``; a synthetic release's begin with :data:`SYNTHETIC_COLUMN`."""
    return (SYNTHETIC_COLUMN, *table.columns) if synthetic else table.columns


def header_of(table: Table, synthetic: bool = False) -> Row:
    """The header row of ``table`` (:func:`columns_of`)."""
    return tuple(column.name for column in columns_of(table, synthetic))


def marked_row(row: Row, synthetic: bool = False) -> Row:
    """``row`` as the file holds it: after :data:`SYNTHETIC_NOTE` in a synthetic release."""
    return (SYNTHETIC_NOTE, *row) if synthetic else row


@dataclass(frozen=True)
class Labels:
    """What the rows name from outside an agreement's graph: the reference data and ontology.

    Attributes:
        names: IRI → its German ``rdfs:label`` (Gebietskörperschaften) or ``skos:prefLabel``
            (Maßnahmenarten).
        district_keys: Gebietskörperschaft IRI → its ``aqb:kreisschluessel``.
        order: Maßnahmenart IRI → its ``skos:notation`` as a number, to sort rows by.
    """

    names: Mapping[str, str] = field(default_factory=dict)
    district_keys: Mapping[str, str] = field(default_factory=dict)
    order: Mapping[str, int] = field(default_factory=dict)


def labels_of(triples: Iterable[tuple[Node, Node, Node]], iris: Iris) -> Labels:
    """The :class:`Labels` stated by ``triples`` (the reference graph and the ontology)."""
    names: dict[str, str] = {}
    keys: dict[str, str] = {}
    order: dict[str, int] = {}
    for s, p, o in triples:
        if not isinstance(o, Literal):
            continue
        if p in (RDFS.label, SKOS.prefLabel) and o.language == "de":
            names[str(s)] = str(o)
        elif p == iris.aqb.kreisschluessel:
            keys[str(s)] = str(o)
        elif p == SKOS.notation and str(o).isdigit():
            order[str(s)] = int(str(o))
    return Labels(names, keys, order)


class _Walk:
    """An agreement's triples indexed by subject and predicate."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.index: dict[Node, dict[Node, list[Node]]] = {}
        for s, p, o in triples:
            self.index.setdefault(s, {}).setdefault(p, []).append(o)

    def all(self, subject: Node, predicate: Node) -> list[Node]:
        return self.index.get(subject, {}).get(predicate, [])

    def one(self, subject: Node, predicate: Node, language: str = "") -> str:
        """The (first, in sorted order) value as text, or ``""`` if the graph states none."""
        values = self.all(subject, predicate)
        if language:
            values = [v for v in values if isinstance(v, Literal) and v.language == language]
        return str(min(values, key=str)) if values else ""

    def of_type(self, cls: URIRef) -> list[Node]:
        return sorted(
            (s for s, properties in self.index.items() if cls in properties.get(RDF.type, [])),
            key=str,
        )


def _number(value: str) -> int:
    return int(value) if value.isdigit() else 0


def agreement_rows(
    triples: Iterable[tuple[Node, Node, Node]], labels: Labels, iris: Iris
) -> dict[str, list[Row]]:
    """The rows of each table (by file name) that the triples of agreements state."""
    aqb = iris.aqb
    walk = _Walk(triples)
    rows: dict[str, list[Row]] = {table.file.name: [] for table in TABLES}
    for a in walk.of_type(aqb.Zielvereinbarung):
        region = walk.one(a, aqb.gebietskoerperschaft)
        region_name = labels.names.get(region, "")
        year = walk.one(a, aqb.jahr)
        budget = walk.one(a, aqb.budget)
        signatures = sorted(
            walk.all(a, aqb.unterzeichnung),
            key=lambda s: (_number(str(s).rsplit("/", 1)[-1]), str(s)),
        )
        dates = [walk.one(s, aqb.datum) for s in signatures]
        rows[AGREEMENTS.file.name].append((
            str(a), region, region_name, labels.district_keys.get(region, ""), year,
            walk.one(URIRef(budget), SCHEMA.value) if budget else "", budget,
            walk.one(a, aqb.laufzeitBeginn), walk.one(a, aqb.laufzeitEnde),
            SIGNATURE_SEPARATOR.join(d for d in dates if d),
        ))  # fmt: skip
        arten: list[tuple[int, str, Row]] = []
        for bereich in walk.all(a, aqb.massnahmenbereich):
            art = walk.one(bereich, aqb.massnahmenart)
            arten.append((labels.order.get(art, 0), art, (
                str(a), region_name, year, art, labels.names.get(art, ""), "true", str(bereich),
                walk.one(bereich, aqb.bezeichnung, "de"), walk.one(bereich, aqb.anzahlProjekte),
            )))  # fmt: skip
        for absent in walk.all(a, aqb.nichtAufgefuehrt):
            art = str(absent)
            arten.append((labels.order.get(art, 0), art, (
                str(a), region_name, year, art, labels.names.get(art, ""), "false", "", "", "",
            )))  # fmt: skip
        rows[MASSNAHMENARTEN.file.name] += [row for *_, row in sorted(arten)]
        projects: list[tuple[int, int, str, Row]] = []
        for p in walk.of_type(aqb.Projekt):
            if walk.one(p, aqb.zielvereinbarung) != str(a):
                continue
            art = walk.one(p, aqb.massnahmenart)
            position = walk.one(p, aqb.position)
            projects.append((labels.order.get(art, 0), _number(position), str(p), (
                str(p), str(a), region_name, year, art, labels.names.get(art, ""), position,
                walk.one(p, SCHEMA.name, "de"), walk.one(p, aqb.betrag),
            )))  # fmt: skip
        rows[PROJECTS.file.name] += [row for *_, row in sorted(projects)]
    return rows


def _expand(curie: str, prefixes: Mapping[str, str]) -> str:
    prefix, _, local = curie.partition(":")
    return prefixes[prefix] + local


def _texts(texts: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"@value": text, "@language": language} for language, text in texts.items()]


def metadata(table: Table, iris: Iris, publisher: str, synthetic: bool = False) -> dict[str, Any]:
    """The CSVW metadata of ``table`` (CSVW metadata vocabulary, §5.4 tables); of a
    ``synthetic`` release, its titles, description and ``rdfs:comment`` say so in both
    languages, and its first column is :data:`SYNTHETIC_COLUMN`."""
    prefixes = {**{p: str(ns) for p, ns in STANDARD_PREFIXES.items()}, **iris.prefixes}
    columns: list[dict[str, Any]] = []
    for column in columns_of(table, synthetic):
        described: dict[str, Any] = {
            "name": column.name,
            "titles": {"de": column.title_de, "en": column.title_en},
            "datatype": column.datatype,
        }
        if column.separator:
            described["separator"] = column.separator
        if column.language:
            described["lang"] = column.language
        if column.about:
            described["aboutUrl"] = "{+" + column.about + "}"
        if column.property:
            described["propertyUrl"] = _expand(column.property, prefixes)
        if column.iri:
            described["valueUrl"] = "{+" + column.name + "}"
        if not column.property:
            described["suppressOutput"] = True
        columns.append(described)
    title = {"de": table.file.title_de, "en": table.file.title_en}
    description = {"de": table.description_de, "en": table.description_en}
    described_table: dict[str, Any] = {
        "@context": CSVW_CONTEXT,
        "url": table.file.name,
        "dc:title": _texts(marked(title, synthetic, title=True)),
        "dc:description": _texts(marked(description, synthetic)),
        "dc:isPartOf": {
            "@id": str(iris.dataset),
            "dc:title": _texts(marked(TITLE, synthetic, title=True)),
        },
        "dc:license": {"@id": LICENSE},
        "dc:publisher": {"@id": publisher},
    }
    if synthetic:
        described_table["rdfs:comment"] = _texts(SYNTHETIC)
    described_table["tableSchema"] = {
        "columns": columns,
        "primaryKey": list(table.primary_key),
        "aboutUrl": "{+" + table.about + "}",
    }
    return described_table


def metadata_document(table: Table, iris: Iris, publisher: str, synthetic: bool = False) -> bytes:
    """``<table>.csv-metadata.json``: :func:`metadata` as UTF-8 JSON, ending in a newline."""
    text = json.dumps(metadata(table, iris, publisher, synthetic), ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")
