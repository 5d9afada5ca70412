"""The DCAT-AP.de 3.0 catalogue of a release (pure): the dataset, its dumps, the endpoint.

`DCAT-AP.de 3.0 <https://www.dcat-ap.de/def/dcatde/3.0/spec/>`_ is the German profile of
`DCAT-AP 3.0 <https://semiceu.github.io/DCAT-AP/releases/3.0.0/>`_, the metadata GovData and
the European data portal harvest. The catalogue ``{base}catalog`` lists one ``dcat:Dataset``
(the IRI the VoID description uses too), one ``dcat:Distribution`` per dump with its byte size
and SHA-256, and the SPARQL endpoint as a ``dcat:DataService``. Values come from the
vocabularies DCAT-AP.de prescribes: licences and contributors of dcat-ap.de, the political
geocoding level and state key of dcat-ap.de, and the EU authority tables (languages, themes,
frequency, access rights, file types); media types are IANA IRIs.

Nothing here reads a clock: dates come from the data (see :class:`CatalogueFacts`), so the
same input gives the same catalogue.

Each release is a `DCAT 3 version <https://www.w3.org/TR/vocab-dcat-3/#dataset-versions>`_ of
the dataset: the dataset ``dcat:hasVersion`` every release so far (its history, carried from
the catalogue of the release before), ``dcat:hasCurrentVersion`` this one; each version is a
``dcat:Dataset`` with its ``dcat:version`` (the content hash), ``adms:versionNotes`` (what
``aqb-rdf diff`` says changed since the version before) and ``dcat:previousVersion``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from aqb_rdf.publish.void import DESCRIPTION, TITLE, marked
from aqb_rdf.rdf.files import DISTRIBUTIONS, METADATA_OF_TABLE, PublishedFile
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import (
    ADMS,
    DCAT,
    DCATDE,
    DCTERMS,
    EU_AUTHORITY,
    FOAF,
    RDF_TYPE,
    RDFS,
    SKOS,
    SPDX,
    VOCABULARIES,
    XSD,
)
from aqb_rdf.source.model import Organisation

EU = EU_AUTHORITY

PREFIXES = {
    prefix: str(VOCABULARIES[prefix])
    for prefix in ("dcat", "dcterms", "dcatde", "foaf", "spdx", "adms", "rdfs", "xsd")
}
"""The prefixes ``catalog.ttl`` is written with."""

LICENSE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
"""Datenlizenz Deutschland – Namensnennung 2.0 (see the README for the choice)."""
CONTRIBUTOR = "http://dcat-ap.de/def/contributors/hessen"
GEOCODING_LEVEL = "http://dcat-ap.de/def/politicalGeocoding/Level/state"
"""The administrative level the dataset is collected and published from: the Land."""
HESSEN = (
    "http://sws.geonames.org/2905330/",
    "http://dcat-ap.de/def/politicalGeocoding/stateKey/06",
)
"""Hessen: in GeoNames, which DCAT-AP.de names for ``dcterms:spatial`` where the EU place
tables lack a place, and as the dcat-ap.de state key (Amtlicher Gemeindeschlüssel ``06``)."""
LANGUAGES = (EU + "language/DEU", EU + "language/ENG")
"""The languages of the data and its labels: German, with English labels."""
THEMES = (EU + "data-theme/EDUC", EU + "data-theme/GOVE")
FREQUENCY = EU + "frequency/ANNUAL"
PUBLIC = EU + "access-right/PUBLIC"
SHA256 = SPDX + "checksumAlgorithm_sha256"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
KEYWORDS = {
    "de": ("Ausbildung", "Qualifizierung", "Zielvereinbarung", "Arbeitsmarkt", "Hessen"),
    "en": ("vocational training", "qualification", "target agreement", "labour market", "Hesse"),
}


FORMATS: Mapping[str, PublishedFile] = {file.name: file for file in DISTRIBUTIONS}
"""The dumps that are distributions of the dataset (``context.jsonld`` is the JSON-LD context,
not data), in the order the catalogue lists them; titles and formats from
:mod:`aqb_rdf.rdf.files`."""


@dataclass(frozen=True)
class DumpFile:
    """One written dump: its name, size in bytes and SHA-256 (hex)."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Version:
    """One release in the dataset's history.

    Attributes:
        version: its ``dcat:version``, a content hash of its dumps.
        notes: its ``adms:versionNotes`` by language (``de``, ``en``): what changed.
        previous: the version it follows, or None for the first.
    """

    version: str
    notes: Mapping[str, str]
    previous: str | None


FIRST_NOTES = {"de": "Erste Veröffentlichung.", "en": "First release."}
UNRECORDED_NOTES = {
    "de": "Eine frühere Veröffentlichung, vor der Versionsgeschichte erstellt.",
    "en": "An earlier release, made before the version history was kept.",
}


def version_history(
    before: Sequence[Version], previous: str | None, version: str, notes: Mapping[str, str]
) -> list[Version]:
    """The history of a release: ``before`` (the previous release's, oldest first) and itself.

    Args:
        before: the history the previous release's catalogue states.
        previous: the previous release's version, or None for a first release.
        version: this release's version.
        notes: what changed since ``previous``, by language.
    """
    if previous is None:
        return [Version(version, FIRST_NOTES, None)]
    history = list(before)
    if not any(v.version == previous for v in history):
        history.append(Version(previous, UNRECORDED_NOTES, None))
    if any(v.version == version for v in history):
        # The same data again (a rebuild, or a return to an earlier release's data): that
        # version is current again, the history stays as it was (and has no cycle).
        return history
    return [*history, Version(version, notes, previous)]


@dataclass(frozen=True)
class CatalogueFacts:
    """What the catalogue states beyond the constants above.

    Attributes:
        base: the base IRI; the endpoint and dumps are found under it (the server maps it to
            its root).
        publisher: the organisation that publishes the dataset.
        dumps: the written dumps, in the order of :data:`FORMATS`.
        years: the first and the last agreement year (temporal coverage), or None.
        issued: the earliest signature date in the data, or None.
        modified: the latest signature date in the data, or None.
        version: a content hash of the dumps.
        history: every release so far, oldest first, one of them this one (see
            :func:`version_history`); empty: no versions are stated.
    """

    base: str
    publisher: Organisation
    dumps: Sequence[DumpFile]
    years: tuple[int, int] | None
    issued: dt.date | None
    modified: dt.date | None
    version: str
    history: Sequence[Version] = ()
    synthetic: bool = False
    """The data are invented (``make demo``): every title and description says so."""
    notes: Mapping[str, str] | None = None
    """What changed since the release before, by language (the dataset's version notes);
    None: the current version's own notes."""


def _iri(value: str) -> NamedNode:
    return NamedNode(value)


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=NamedNode(XSD + "date"))


Statement = tuple[str, NamedNode | Literal]
"""A predicate and an object, said of some subject."""


def _says(subject: NamedNode, statements: Sequence[Statement]) -> list[Triple]:
    return [Triple(subject, _iri(predicate), obj) for predicate, obj in statements]


def _texts(subject: NamedNode, predicate: str, texts: dict[str, str]) -> list[Triple]:
    return [
        Triple(subject, _iri(predicate), Literal(t, language=lang)) for lang, t in texts.items()
    ]


def catalogue_triples(facts: CatalogueFacts) -> list[Triple]:
    """The catalogue as triples, in a fixed order (catalogue, dataset, distributions, service)."""
    iris = Iris(facts.base)
    catalog, dataset = _iri(iris.catalog), _iri(iris.dataset)
    service = _iri(iris.data_service)
    publisher = _iri(iris.organisation(facts.publisher.slug))
    dates: list[Statement] = []
    if facts.issued is not None:
        dates.append((DCTERMS + "issued", _date(facts.issued)))
    if facts.modified is not None:
        dates.append((DCTERMS + "modified", _date(facts.modified)))

    triples = [Triple(catalog, _iri(RDF_TYPE), _iri(DCAT + "Catalog"))]
    synthetic = facts.synthetic
    triples += _texts(catalog, DCTERMS + "title", marked({
        "de": "Katalog der AQB-Zielvereinbarungen Hessen",
        "en": "Catalogue of the Hessian AQB target agreements",
    }, synthetic, title=True))  # fmt: skip
    triples += _texts(catalog, DCTERMS + "description", marked({
        "de": "Der Datensatz der AQB-Zielvereinbarungen mit seinen Downloads und seinem"
        " SPARQL-Endpunkt.",
        "en": "The dataset of the AQB target agreements with its downloads and its SPARQL"
        " endpoint.",
    }, synthetic))  # fmt: skip
    triples += _says(
        catalog,
        [
            (DCTERMS + "publisher", publisher),
            (DCTERMS + "license", _iri(LICENSE)),
            (FOAF + "homepage", _iri(iris.homepage)),
            *((DCTERMS + "spatial", _iri(place)) for place in HESSEN),
            *((DCTERMS + "language", _iri(lang)) for lang in LANGUAGES),
            *dates,
            (DCAT + "dataset", dataset),
            (DCAT + "service", service),
        ],
    )
    triples += _dataset(facts, dataset, publisher, service, dates)
    for dump in facts.dumps:
        triples += _distribution(iris, dump, attribution(facts.publisher))
    triples += _versions(facts, dataset, publisher)
    triples += _service(iris, service, dataset, publisher)
    triples += _agent(publisher, facts.publisher)
    triples += [Triple(_iri(place), _iri(RDF_TYPE), _iri(DCTERMS + "Location")) for place in HESSEN]
    return triples + _classes_of_values(triples)


VALUE_CLASSES: dict[str, str] = {
    DCAT + "landingPage": FOAF + "Document",
    FOAF + "homepage": FOAF + "Document",
    DCAT + "mediaType": DCTERMS + "MediaType",
    DCTERMS + "format": DCTERMS + "MediaTypeOrExtent",
    DCAT + "theme": SKOS + "Concept",
    DCTERMS + "accessRights": DCTERMS + "RightsStatement",
    DCTERMS + "accrualPeriodicity": DCTERMS + "Frequency",
    DCTERMS + "conformsTo": DCTERMS + "Standard",
    DCTERMS + "language": DCTERMS + "LinguisticSystem",
    DCTERMS + "license": DCTERMS + "LicenseDocument",
}
"""The class DCAT-AP 3.0 gives the values of these properties (SEMIC's ``range.ttl``)."""


def _classes_of_values(triples: list[Triple]) -> list[Triple]:
    """``value a Class`` for each IRI value of a property in :data:`VALUE_CLASSES`, once."""
    typed = {
        (triple.object.value, VALUE_CLASSES[triple.predicate.value])
        for triple in triples
        if triple.predicate.value in VALUE_CLASSES and isinstance(triple.object, NamedNode)
    }
    return [Triple(_iri(value), _iri(RDF_TYPE), _iri(cls)) for value, cls in sorted(typed)]


def _dataset(
    facts: CatalogueFacts,
    dataset: NamedNode,
    publisher: NamedNode,
    service: NamedNode,
    dates: list[Statement],
) -> list[Triple]:
    iris = Iris(facts.base)
    triples = [Triple(dataset, _iri(RDF_TYPE), _iri(DCAT + "Dataset"))]
    triples += _texts(dataset, DCTERMS + "title", marked(TITLE, facts.synthetic, title=True))
    triples += _texts(dataset, DCTERMS + "description", marked(DESCRIPTION, facts.synthetic))
    triples += [
        Triple(dataset, _iri(DCAT + "keyword"), Literal(word, language=lang))
        for lang, words in KEYWORDS.items()
        for word in words
    ]
    period: list[Triple] = []
    statements: list[Statement] = [
        (DCTERMS + "publisher", publisher),
        (DCATDE + "contributorID", _iri(CONTRIBUTOR)),
        (DCATDE + "politicalGeocodingLevelURI", _iri(GEOCODING_LEVEL)),
        *((DCTERMS + "spatial", _iri(place)) for place in HESSEN),
        *((DCTERMS + "language", _iri(lang)) for lang in LANGUAGES),
        *((DCAT + "theme", _iri(theme)) for theme in THEMES),
        (DCTERMS + "accrualPeriodicity", _iri(FREQUENCY)),
        (DCTERMS + "accessRights", _iri(PUBLIC)),
        *dates,
        (DCAT + "version", Literal(facts.version)),
        (DCAT + "landingPage", _iri(iris.homepage)),
        (DCTERMS + "conformsTo", _iri(iris.ontology)),
        (RDFS + "seeAlso", _iri(iris.void_description)),
    ]
    if facts.years is not None:
        first, last = facts.years
        coverage = _iri(iris.temporal_coverage)
        statements.append((DCTERMS + "temporal", coverage))
        period = [
            Triple(coverage, _iri(RDF_TYPE), _iri(DCTERMS + "PeriodOfTime")),
            Triple(coverage, _iri(DCAT + "startDate"), _date(dt.date(first, 1, 1))),
            Triple(coverage, _iri(DCAT + "endDate"), _date(dt.date(last, 12, 31))),
        ]
    statements += [(DCAT + "distribution", _iri(iris.distribution(d.name))) for d in facts.dumps]
    triples += _says(dataset, statements)
    return triples + period


def _versions(facts: CatalogueFacts, dataset: NamedNode, publisher: NamedNode) -> list[Triple]:
    """The dataset's versions: one ``dcat:Dataset`` per release, newest last."""
    if not facts.history:
        return []
    iris = Iris(facts.base)
    current = next(v for v in facts.history if v.version == facts.version)
    notes = facts.notes or current.notes
    triples = _texts(dataset, ADMS + "versionNotes", dict(sorted(notes.items())))
    triples.append(
        Triple(dataset, _iri(DCAT + "hasCurrentVersion"), _iri(iris.version(current.version)))
    )
    for entry in facts.history:
        version = _iri(iris.version(entry.version))
        triples.append(Triple(dataset, _iri(DCAT + "hasVersion"), version))
        triples.append(Triple(version, _iri(RDF_TYPE), _iri(DCAT + "Dataset")))
        triples += _texts(version, DCTERMS + "title", marked({
            "de": f"{TITLE['de']}, Version {entry.version}",
            "en": f"{TITLE['en']}, version {entry.version}",
        }, facts.synthetic, title=True))  # fmt: skip
        triples += _texts(version, DCTERMS + "description", dict(sorted(entry.notes.items())))
        triples += _texts(version, ADMS + "versionNotes", dict(sorted(entry.notes.items())))
        triples += _says(version, [
            (DCAT + "version", Literal(entry.version)),
            (DCTERMS + "publisher", publisher),
            (DCATDE + "contributorID", _iri(CONTRIBUTOR)),
        ])  # fmt: skip
        if entry.previous is not None:
            triples.append(
                Triple(version, _iri(DCAT + "previousVersion"), _iri(iris.version(entry.previous)))
            )
    return triples


def _distribution(iris: Iris, dump: DumpFile, attribution: str) -> list[Triple]:
    form = FORMATS[dump.name]
    file_type = form.format.eu_file_type_iri
    assert file_type is not None  # every distribution has an EU file type
    distribution = _iri(iris.distribution(dump.name))
    checksum = _iri(iris.checksum(dump.name))
    url = _iri(iris.download(dump.name))
    triples = [Triple(distribution, _iri(RDF_TYPE), _iri(DCAT + "Distribution"))]
    triples += _texts(distribution, DCTERMS + "title", {"de": form.title_de, "en": form.title_en})
    triples += _says(
        distribution,
        [
            (DCAT + "accessURL", url),
            (DCAT + "downloadURL", url),
            (DCTERMS + "format", _iri(file_type)),
            (DCAT + "mediaType", _iri(form.format.iana_iri)),
            (DCAT + "byteSize", Literal(str(dump.size), datatype=_iri(XSD + "nonNegativeInteger"))),
            (SPDX + "checksum", checksum),
            (DCTERMS + "license", _iri(LICENSE)),
            (DCATDE + "licenseAttributionByText", Literal(attribution, language="de")),
        ],
    )
    schema = METADATA_OF_TABLE.get(dump.name)
    if schema is not None:  # DCAT-AP's "linked schemas": the table's CSVW metadata
        described_by = _iri(iris.download(schema.name))
        triples += [
            Triple(distribution, _iri(DCTERMS + "conformsTo"), described_by),
            Triple(described_by, _iri(RDF_TYPE), _iri(DCTERMS + "Standard")),
            *_texts(described_by, DCTERMS + "title", {
                "de": f"CSVW-Metadaten von {dump.name}", "en": f"CSVW metadata of {dump.name}",
            }),
        ]  # fmt: skip
    return triples + [
        Triple(checksum, _iri(RDF_TYPE), _iri(SPDX + "Checksum")),
        Triple(checksum, _iri(SPDX + "algorithm"), _iri(SHA256)),
        Triple(checksum, _iri(SPDX + "checksumValue"), Literal(dump.sha256, datatype=_iri(XSD + "hexBinary"))),
    ]  # fmt: skip


def attribution(publisher: Organisation) -> str:
    """The attribution Datenlizenz Deutschland – Namensnennung 2.0 asks for (its § 2)."""
    return (
        f"{publisher.current_name}: Zielvereinbarungen zum Ausbildungs- und"
        " Qualifizierungsbudget Hessen, aufbereitet mit aqb-rdf"
    )


def _service(
    iris: Iris, service: NamedNode, dataset: NamedNode, publisher: NamedNode
) -> list[Triple]:
    triples = [Triple(service, _iri(RDF_TYPE), _iri(DCAT + "DataService"))]
    triples += _texts(service, DCTERMS + "title", {
        "de": "SPARQL-Endpunkt des AQB-Datensatzes", "en": "SPARQL endpoint of the AQB dataset",
    })  # fmt: skip
    triples += _texts(service, DCTERMS + "description", {
        "de": "SPARQL 1.1 Protocol, nur lesend; Ergebnisse als JSON, XML, CSV und TSV, Graphen"
        " als Turtle, JSON-LD, N-Triples und RDF/XML.",
        "en": "SPARQL 1.1 Protocol, read-only; results as JSON, XML, CSV and TSV, graphs as"
        " Turtle, JSON-LD, N-Triples and RDF/XML.",
    })  # fmt: skip
    triples += _says(
        service,
        [
            (DCAT + "endpointURL", _iri(iris.endpoint)),
            (DCAT + "endpointDescription", _iri(iris.endpoint)),
            (DCTERMS + "conformsTo", _iri(SPARQL_PROTOCOL)),
            (DCAT + "servesDataset", dataset),
            (DCTERMS + "publisher", publisher),
            (DCTERMS + "license", _iri(LICENSE)),
            (DCTERMS + "accessRights", _iri(PUBLIC)),
            (DCAT + "landingPage", _iri(iris.query_editor)),
        ],
    )
    return triples


def _agent(agent: NamedNode, organisation: Organisation) -> list[Triple]:
    names = {
        "de": organisation.current_name,
        "en": organisation.name_en or organisation.current_name,
    }
    return [
        Triple(agent, _iri(RDF_TYPE), _iri(FOAF + "Agent")),
        Triple(agent, _iri(RDF_TYPE), _iri(FOAF + "Organization")),
        *_texts(agent, FOAF + "name", names),
    ]
