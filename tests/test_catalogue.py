"""The catalogue a build writes (dcat.py, descriptions.py), checked against DCAT-AP.de 3.0.

``catalog.ttl`` of a real build of ``data/agreements`` is validated with pySHACL against the
official shapes, combined as GovData's validator does (``tests/dcat-ap-de/SOURCE.md``): the
DCAT-AP 3.0 base shapes and the five DCAT-AP.de 3.0 files, with the vendored licence and
contributor vocabularies and the small ``vocabulary-excerpts.ttl`` in the data graph. A failure
shows pySHACL's report text. Five broken copies of the catalogue must fail with the shape's
message (base shapes, German additions, controlled vocabularies), so a passing run means the
shapes do bite. ``void.ttl`` and the catalogue's numbers are compared with the dumps.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node

from aqb_rdf.build.pipeline import build
from aqb_rdf.publish import dcat
from aqb_rdf.publish.dumps import DUMPS
from aqb_rdf.rdf.files import DISTRIBUTIONS, TABLE_METADATA
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris

pytestmark = pytest.mark.slow  # builds and validates against the DCAT-AP.de shapes

REPO = Path(__file__).resolve().parent.parent
SHAPES = REPO / "tests" / "dcat-ap-de"
SHAPE_FILES = (
    "dcat-ap-SHACL.ttl",
    "dcat-ap-de-imports.ttl",
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
)
VOCABULARY_FILES = (
    "dcat-ap-de-licenses-open.rdf",
    "dcat-ap-de-contributors.rdf",
    "vocabulary-excerpts.ttl",
)
RANGE_SHAPES = "range.ttl"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def built(built_default_dataset: Path) -> Path:
    """The session's build of data/agreements (``conftest.py``)."""
    return built_default_dataset


@pytest.fixture(scope="module")
def catalogue(built: Path) -> Graph:
    return Graph().parse(built / "catalog.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(SHAPES / name, format="turtle")
    return graph


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    graph = Graph()
    for name in VOCABULARY_FILES:
        graph.parse(SHAPES / name, format="xml" if name.endswith(".rdf") else "turtle")
    return graph


def shacl_report(data: Graph, shapes: Graph, vocabularies: Graph) -> tuple[bool, Graph, str]:
    """pySHACL's verdict on ``data`` with the vocabularies added, as GovData's imports add them."""
    conforms, report, text = validate(
        data + vocabularies, shacl_graph=shapes, inference="none", do_owl_imports=False
    )
    assert isinstance(report, Graph) and isinstance(text, str)
    return bool(conforms), report, text


# -- the official shapes ---------------------------------------------------------------------


def test_the_vendored_files_are_unchanged() -> None:
    """Each file has the SHA-256 that SOURCE.md records for the copy of the official file."""
    table = (SHAPES / "SOURCE.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"^\| `([^`]+)` \|[^|]*\| `([0-9a-f]{64})` \|$", table, re.M))
    vendored = {*SHAPE_FILES, *VOCABULARY_FILES, RANGE_SHAPES} - {"vocabulary-excerpts.ttl"}
    assert set(recorded) == vendored
    for name, sha256 in recorded.items():
        assert hashlib.sha256((SHAPES / name).read_bytes()).hexdigest() == sha256, name


def test_the_shapes_are_the_official_ones(shapes: Graph) -> None:
    """Every file parses, and the combination holds the node shapes of both profiles."""
    node_shapes = {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    de = "http://dcat-ap.de/def/dcatde/3.0/shacl/"
    assert {
        de + "Dataset_Shape",
        de + "Distribution_List_Shape",
        de + "Catalog_Shape",
    } <= node_shapes
    semic = "https://semiceu.github.io/DCAT-AP/releases/3.0.0/shacl/dcat-ap-SHACL.ttl#"
    assert {semic + "dcat:DatasetShape", semic + "dcat:DistributionShape"} <= node_shapes
    assert len(node_shapes) > 40
    assert len(set(shapes.subjects(SH.deactivated, Literal(True)))) > 50


def test_catalogue_conforms_to_dcat_ap_de(
    catalogue: Graph, shapes: Graph, vocabularies: Graph
) -> None:
    conforms, report, text = shacl_report(catalogue, shapes, vocabularies)
    assert conforms, text
    # Not only no violation: no warning and no info either.
    assert list(report.subjects(RDF.type, SH.ValidationResult)) == [], text


def test_catalogue_states_the_classes_dcat_ap_gives_its_values(catalogue: Graph) -> None:
    # SEMIC's range shapes: a licence is a dct:LicenseDocument, a language a
    # dct:LinguisticSystem … (not part of GovData's profile, checked on their own).
    ranges = Graph().parse(SHAPES / RANGE_SHAPES, format="turtle")
    conforms, report, text = shacl_report(catalogue, ranges, Graph())
    assert conforms, text
    assert list(report.subjects(RDF.type, SH.ValidationResult)) == [], text


DATASET = URIRef(Iris(DEFAULT_BASE).dataset)
SERVICE = URIRef(Iris(DEFAULT_BASE).data_service)
CSV_DISTRIBUTION = URIRef(Iris(DEFAULT_BASE).distribution("projects.csv"))
TURTLE_DISTRIBUTION = URIRef(Iris(DEFAULT_BASE).distribution("aqb.ttl"))
Change = tuple[tuple[Node, Node, Node | None], tuple[Node, Node, Node] | None]
BROKEN: dict[str, tuple[Change, str]] = {
    # what is broken: ((pattern removed, triple added), the message the shapes must report)
    "dataset without title (DCAT-AP base shape)": (
        ((DATASET, DCTERMS.title, None), None),
        "dcat:Dataset: dcterms:title MUSS MINDESTEN einmal vorkommen.",
    ),
    "data service without endpoint URL (DCAT-AP base shape)": (
        ((SERVICE, DCAT.endpointURL, None), None),
        "dcat:DataService: dcat:endpointURL MUSS MINDESTEN einmal vorkommen.",
    ),
    "distribution without licence (DCAT-AP.de addition)": (
        ((CSV_DISTRIBUTION, DCTERMS.license, None), None),
        "DE: dcat:Distribution: MUSS eine dcterms:license haben.",
    ),
    "contributor ID as text (DCAT-AP.de addition)": (
        (
            (DATASET, DCATDE.contributorID, None),
            (DATASET, DCATDE.contributorID, Literal("hessen")),
        ),
        "dcat:Dataset: dcatde:contributorID MUSS eine IRI sein.",
    ),
    "file type outside the EU table (DCAT-AP.de controlled vocabulary)": (
        (
            (TURTLE_DISTRIBUTION, DCTERMS.format, None),
            (TURTLE_DISTRIBUTION, DCTERMS.format, URIRef(dcat.EU + "file-type/TURTLE_ISH")),
        ),
        "dcat:Distribution: dcterms:format MUSS folgendes Vokabular benutzen",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_catalogue_fails_with_the_shape_message(
    case: str, catalogue: Graph, shapes: Graph, vocabularies: Graph
) -> None:
    (removed, added), message = BROKEN[case]
    broken = Graph() + catalogue
    assert removed in broken, removed  # the case breaks something that is there
    broken.remove(removed)
    if added is not None:
        broken.add(added)
    conforms, report, text = shacl_report(broken, shapes, vocabularies)
    assert not conforms, case
    messages = {str(m) for m in report.objects(None, SH.resultMessage)}
    assert any(message in m for m in messages), text


def test_catalogue_under_another_base_conforms(
    tmp_path: Path, shapes: Graph, vocabularies: Graph
) -> None:
    other = "https://data.example.org/aqb/"
    build([REPO / "data" / "agreements"], tmp_path / "dist", base=other, workers=1)
    graph = Graph().parse(tmp_path / "dist" / "catalog.ttl", format="turtle")
    conforms, _, text = shacl_report(graph, shapes, vocabularies)
    assert conforms, text
    urls = {str(o) for o in graph.objects(None, DCAT.downloadURL)}
    assert urls == {f"{other}download/{name}" for name in dcat.FORMATS}
    assert (URIRef(Iris(other).dataset), RDF.type, DCAT.Dataset) in graph


# -- what the catalogue says -----------------------------------------------------------------


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_every_dump_is_a_distribution_with_its_size_and_checksum(
    built: Path, catalogue: Graph
) -> None:
    assert set(dcat.FORMATS) == {file.name for file in DISTRIBUTIONS}
    assert set(DUMPS) - set(dcat.FORMATS) == {
        "context.jsonld",
        *(file.name for file in TABLE_METADATA),
    }
    dataset = URIRef(Iris(DEFAULT_BASE).dataset)
    distributions = set(catalogue.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(dcat.FORMATS)
    by_url = {str(catalogue.value(d, DCAT.downloadURL)): d for d in distributions}
    for name in dcat.FORMATS:
        distribution = by_url[f"{DEFAULT_BASE}download/{name}"]
        data = (built / name).read_bytes()
        assert catalogue.value(distribution, DCAT.byteSize) == Literal(
            len(data), datatype=XSD.nonNegativeInteger
        )
        checksum = catalogue.value(distribution, SPDX.checksum)
        assert catalogue.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = catalogue.value(checksum, SPDX.checksumValue)
        assert str(value) == hashlib.sha256(data).hexdigest()
        assert catalogue.value(distribution, DCTERMS.license) == URIRef(dcat.LICENSE)


def test_dataset_metadata(catalogue: Graph) -> None:
    dataset = URIRef(Iris(DEFAULT_BASE).dataset)
    for text in (DCTERMS.title, DCTERMS.description):
        assert languages(catalogue, dataset, text) == {"de", "en"}
    assert catalogue.value(dataset, DCATDE.contributorID) == URIRef(
        "http://dcat-ap.de/def/contributors/hessen"
    )
    assert catalogue.value(dataset, DCATDE.politicalGeocodingLevelURI) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/Level/state"
    )
    assert set(catalogue.objects(dataset, DCTERMS.spatial)) == {
        URIRef("http://sws.geonames.org/2905330/"),  # Hessen
        URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/06"),
    }
    publisher = catalogue.value(dataset, DCTERMS.publisher)
    assert publisher == URIRef(DEFAULT_BASE + "id/organisation/hmsi")
    period = catalogue.value(dataset, DCTERMS.temporal)
    assert catalogue.value(period, DCAT.startDate) == Literal("2025-01-01", datatype=XSD.date)
    assert catalogue.value(period, DCAT.endDate) == Literal("2025-12-31", datatype=XSD.date)
    # The dates come from the data: the first and the last signature of the two agreements.
    assert catalogue.value(dataset, DCTERMS.issued) == Literal("2025-08-02", datatype=XSD.date)
    assert catalogue.value(dataset, DCTERMS.modified) == Literal("2025-08-11", datatype=XSD.date)
    assert catalogue.value(dataset, DCAT.version) is not None


def test_the_sparql_endpoint_is_a_data_service(catalogue: Graph) -> None:
    [service] = catalogue.subjects(RDF.type, DCAT.DataService)
    assert catalogue.value(service, DCAT.endpointURL) == URIRef(DEFAULT_BASE + "sparql")
    assert catalogue.value(service, DCAT.servesDataset) == URIRef(Iris(DEFAULT_BASE).dataset)
    [catalog] = catalogue.subjects(RDF.type, DCAT.Catalog)
    assert catalogue.value(catalog, DCAT.service) == service


def test_void_counts_the_triples_of_the_dumps(built: Path) -> None:
    graph = Graph().parse(built / "void.ttl", format="turtle")
    dataset = URIRef(Iris(DEFAULT_BASE).dataset)
    lines = (built / "aqb.nt").read_bytes().count(b"\n")
    assert graph.value(dataset, VOID.triples) == Literal(lines, datatype=XSD.integer)
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(DEFAULT_BASE + "sparql")
    examples = set(graph.objects(dataset, VOID.exampleResource))
    assert URIRef(DEFAULT_BASE + "id/zielvereinbarung/2025/06413") in examples
    nt = Graph().parse(built / "aqb.nt", format="nt")
    for example in examples:  # every example is described in the data
        assert (example, None, None) in nt, example


# -- releases as versions (issue 13) --------------------------------------------------------------

ADMS = Namespace("http://www.w3.org/ns/adms#")


def test_each_release_is_a_version_with_the_diff_as_its_notes(
    tmp_path: Path, shapes: Graph, vocabularies: Graph
) -> None:
    seeds = REPO / "data" / "agreements" / "2025"
    out = tmp_path / "dist"
    build([seeds], out, workers=1)
    first = Graph().parse(out / "catalog.ttl", format="turtle")
    dataset = URIRef(Iris(DEFAULT_BASE).dataset)
    [only] = first.objects(dataset, DCAT.hasVersion)
    assert first.value(dataset, DCAT.hasCurrentVersion) == only
    assert first.value(only, DCAT.version) == first.value(dataset, DCAT.version)
    assert first.value(only, DCAT.previousVersion) is None
    assert {str(n) for n in first.objects(only, ADMS.versionNotes)} == {
        "First release.",
        "Erste Veröffentlichung.",
    }

    edited = tmp_path / "edited"
    edited.mkdir()
    text = (seeds / "bergstrasse.txt").read_text(encoding="utf-8")
    (edited / "bergstrasse.txt").write_text(
        text.replace("\n1.230.450 Euro\n", "\n1.250.000 Euro\n"), encoding="utf-8"
    )
    shutil.copy(seeds / "offenbach-am-main-stadt.md", edited)
    build([edited], out, workers=1)
    second = Graph().parse(out / "catalog.ttl", format="turtle")
    current = second.value(dataset, DCAT.hasCurrentVersion)
    assert set(second.objects(dataset, DCAT.hasVersion)) == {only, current}
    assert second.value(current, DCAT.previousVersion) == only
    assert second.value(current, DCAT.version) == second.value(dataset, DCAT.version)
    notes = {
        n.language: str(n)
        for n in second.objects(current, ADMS.versionNotes)
        if isinstance(n, Literal)
    }
    assert notes == {
        "en": "1 agreement(s) changed, 0 added, 0 removed, 1 unchanged;"
        " 1 other graph differs (datenwuerfel)",
        "de": "1 Zielvereinbarung(en) geändert, 0 hinzugekommen, 0 entfallen, 1 unverändert;"
        " 1 weitere(r) Graph(en) geändert (datenwuerfel)",
    }
    assert set(second.objects(dataset, ADMS.versionNotes)) == set(
        second.objects(current, ADMS.versionNotes)
    )
    conforms, _, report = shacl_report(second, shapes, vocabularies)
    assert conforms, report
    ranges = Graph().parse(SHAPES / RANGE_SHAPES, format="turtle")
    conforms, _, report = shacl_report(second, ranges, Graph())
    assert conforms, report

    release = (out / "current").resolve()
    catalogue_bytes = (out / "catalog.ttl").read_bytes()
    build([edited], out, workers=1)  # the same data again: the same history, the same release
    assert (out / "current").resolve() == release
    assert (out / "catalog.ttl").read_bytes() == catalogue_bytes
