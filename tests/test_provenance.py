"""Provenance anyone can check (issue 9, section 3): the documents in the release, the
Fundstellen as W3C Web Annotation selectors on the published text, the release record.

Every quote is checked against the file the release publishes, never against the parser's own
copy of the text: for the build of ``data/agreements`` through the dumps and the release
folder, and for every valid document of ``tests/documents`` and every layout variant of
``tests/documents/variants.py`` through a real file read, mapped and written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from aqb_rdf import resources
from aqb_rdf.build.pipeline import build
from aqb_rdf.errors import BuildFailed
from aqb_rdf.mapping.graphs import CONTEXT, agreement_to_graph
from aqb_rdf.publish.documents import PublishedDocument, write_document
from aqb_rdf.publish.release import PUBLISHED, software_version
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import DCAT, OA, PROV, RDF, SCHEMA, SPDX
from aqb_rdf.source.parsing import parse_agreement
from aqb_rdf.source.reading import extract_pdf_pages, read_document
from documents.variants import VARIANTS, variants

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = REPO / "tests" / "documents"
SEEDS = sorted((REPO / "data" / "agreements").rglob("*.md")) + sorted(
    (REPO / "data" / "agreements").rglob("*.txt")
)
VALID_DOCUMENTS = sorted(DOCUMENTS.glob("*/agreement.*"))
VARIANT_SOURCES = (
    "bergstrasse-2025-txt/agreement.txt",
    "offenbach-2025-md/agreement.md",
    "offenbach-2025-pdftext/agreement.txt",
)
REFERENCE = resources.reference()
IRIS = Iris()
AQB = IRIS.aqb


def published_file(release: Path, iri: object) -> Path:
    """The file of ``release`` that a ``{base}download/…`` IRI names."""
    download = f"{DEFAULT_BASE}download/"
    assert isinstance(iri, URIRef) and str(iri).startswith(download), iri
    return release / str(iri)[len(download) :]


def number(graph: Graph, subject: Node, predicate: URIRef) -> int:
    """The integer ``subject`` has for ``predicate`` (a literal, or the test fails)."""
    value = graph.value(subject, predicate)
    assert isinstance(value, Literal), (subject, predicate, value)
    return int(str(value))


def check_quotes(graph: Graph, text: str) -> int:
    """Assert every selector of ``graph`` against ``text``; the number of Fundstellen."""
    count = 0
    for fundstelle in graph.subjects(RDF.type, AQB.Fundstelle):
        found = {graph.value(s, RDF.type): s for s in graph.objects(fundstelle, OA.hasSelector)}
        quote, position = found[OA.TextQuoteSelector], found[OA.TextPositionSelector]
        start = number(graph, position, OA.start)
        end = number(graph, position, OA.end)
        exact = str(graph.value(quote, OA.exact))
        assert text[start:end] == exact, f"{fundstelle}: [{start}, {end}) is not the quote"
        prefix, suffix = graph.value(quote, OA.prefix), graph.value(quote, OA.suffix)
        assert text[max(0, start - CONTEXT) : start] == (str(prefix) if prefix else "")
        assert text[end : end + CONTEXT] == (str(suffix) if suffix else "")
        # The offsets have one home, the position selector; the lines are the same place.
        assert graph.value(fundstelle, AQB.zeichenVon) is None
        first = number(graph, fundstelle, AQB.zeileVon)
        assert text.count("\n", 0, start) + 1 == first
        count += 1
    check_names_as_written(graph)
    return count


def check_names_as_written(graph: Graph) -> None:
    """Each name as written has a Fundstelle of its own, whose quote is that name (its words
    as they stand, wrapped lines included, without the article)."""
    for prop in (AQB.ministeriumLaut, AQB.gebietskoerperschaftLaut):
        for agreement, name in graph.subject_objects(prop):
            (fundstelle,) = (
                f
                for f in graph.subjects(AQB.belegt, agreement)
                if graph.value(f, AQB.eigenschaft) == prop
            )
            (quote,) = (
                s
                for s in graph.objects(fundstelle, OA.hasSelector)
                if (s, RDF.type, OA.TextQuoteSelector) in graph
            )
            assert " ".join(str(graph.value(quote, OA.exact)).split()) == str(name), fundstelle


def published_round_trip(path: Path, folder: Path) -> tuple[Graph, str, Path]:
    """Read, parse and map ``path`` as the build does and publish its document into
    ``folder``; the graph, the text read back from the published file, and that file."""
    source = read_document(path)
    graph = agreement_to_graph(parse_agreement(source, REFERENCE), IRIS)
    write_document(
        folder,
        PublishedDocument(source.name, source.sha256, source.media_type, source.text, source.data),
    )
    (document,) = graph.subjects(RDF.type, AQB.Quelldokument)
    text_file = published_file(folder, graph.value(document, AQB.textfassung))
    return graph, text_file.read_text(encoding="utf-8"), text_file


# -- the build of data/agreements: dumps and release folder -----------------------------------


@pytest.fixture(scope="module")
def release(built_default_dataset: Path) -> Path:
    return (built_default_dataset / "current").resolve()


@pytest.fixture(scope="module")
def dataset(release: Path) -> Graph:
    return Graph().parse(release / "aqb.nt", format="nt")


@pytest.mark.slow  # uses the session build of data/agreements
def test_every_fundstelle_of_the_seeds_quotes_the_published_text(
    release: Path, dataset: Graph
) -> None:
    documents = list(dataset.subjects(RDF.type, AQB.Quelldokument))
    assert len(documents) == len(SEEDS) == 2
    checked = 0
    for document in documents:
        text_iri = dataset.value(document, AQB.textfassung)
        text = published_file(release, text_iri).read_bytes().decode("utf-8")
        part = Graph()
        for fundstelle in dataset.subjects(OA.hasSource, text_iri):
            for s, p, o in dataset.triples((fundstelle, None, None)):
                part.add((s, p, o))
            for selector in dataset.objects(fundstelle, OA.hasSelector):
                for triple in dataset.triples((selector, None, None)):
                    part.add(triple)
        checked += check_quotes(part, text)
    assert checked == len(list(dataset.subjects(RDF.type, AQB.Fundstelle))) > 50


@pytest.mark.slow
def test_each_document_is_a_resource_with_its_original_in_the_release(
    release: Path, dataset: Graph
) -> None:
    by_name = {path.name: path for path in SEEDS}
    for agreement in dataset.subjects(RDF.type, AQB.Zielvereinbarung):
        document = dataset.value(agreement, PROV.wasDerivedFrom)
        assert document is not None and (document, RDF.type, AQB.Quelldokument) in dataset
        name = str(dataset.value(document, AQB.dateiname))
        data = by_name[name].read_bytes()
        original = published_file(release, dataset.value(document, SCHEMA.contentUrl))
        assert original.read_bytes() == data
        assert number(dataset, document, DCAT.byteSize) == len(data)
        checksum = dataset.value(document, SPDX.checksum)
        assert dataset.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(dataset.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        # No manifest in data/agreements: no publication URL, none guessed.
        assert dataset.value(document, SCHEMA.url) is None


@pytest.mark.slow
def test_the_release_records_the_software_and_every_input(release: Path) -> None:
    record = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert record["base"] == DEFAULT_BASE
    assert record["software"] == {"name": "aqb-rdf", "version": software_version()}
    assert software_version() != "unknown"
    assert record["documents"] == sorted(
        ({"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in SEEDS),
        key=lambda d: (d["file"], d["sha256"]),
    )


@pytest.mark.slow  # two builds
def test_two_builds_of_the_same_documents_are_byte_identical(tmp_path: Path) -> None:
    """Also from another folder: the record names files, not where they lay."""
    moved = tmp_path / "elsewhere"
    shutil.copytree(REPO / "data" / "agreements", moved)
    build([REPO / "data" / "agreements"], tmp_path / "a", workers=1)
    build([moved], tmp_path / "b", workers=2)
    first, second = ((tmp_path / name / "current").resolve() for name in ("a", "b"))
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert Path("dokumente") in {p.parent for p in files}
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        if name == Path(PUBLISHED):  # when each became current: a record beside the release
            continue
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert first.name == second.name


# -- every valid document and every layout variant --------------------------------------------


@pytest.mark.parametrize("path", VALID_DOCUMENTS, ids=[p.parent.name for p in VALID_DOCUMENTS])
def test_every_fundstelle_of_every_document_quotes_its_published_text(
    path: Path, tmp_path: Path
) -> None:
    graph, text, _ = published_round_trip(path, tmp_path)
    assert check_quotes(graph, text) > 20
    pages = list(graph.subject_objects(AQB.seite))
    if path.suffix == ".pdf":
        page_texts = extract_pdf_pages(path.read_bytes())
        assert len(pages) == len(list(graph.subjects(RDF.type, AQB.Fundstelle)))
        assert {int(str(page)) for _, page in pages} == set(range(1, len(page_texts) + 1))
        for fundstelle, page in pages:
            (quote,) = (
                s
                for s in graph.objects(fundstelle, OA.hasSelector)
                if (s, RDF.type, OA.TextQuoteSelector) in graph
            )
            first_line = str(graph.value(quote, OA.exact)).split("\n", 1)[0]
            assert first_line in page_texts[int(str(page)) - 1], (fundstelle, page)
    else:
        assert pages == []


VARIANT_CASES = [(case, variant.name) for case in VARIANT_SOURCES for variant in VARIANTS]


@pytest.mark.parametrize(
    ("case", "variant"), VARIANT_CASES, ids=[f"{c.split('/')[0]}-{v}" for c, v in VARIANT_CASES]
)
def test_every_fundstelle_of_every_layout_variant_quotes_its_published_text(
    case: str, variant: str, tmp_path: Path
) -> None:
    rewritten = variants(read_document(DOCUMENTS / case).text)[variant]
    path = tmp_path / "variant.txt"
    path.write_text(rewritten, encoding="utf-8")
    (tmp_path / "release").mkdir()
    graph, text, _ = published_round_trip(path, tmp_path / "release")
    assert text == rewritten
    assert check_quotes(graph, text) > 20


def test_a_quote_that_is_not_the_text_fails_the_check(tmp_path: Path) -> None:
    """The check can fail: one wrong offset is found."""
    graph, text, _ = published_round_trip(DOCUMENTS / "offenbach-2025-md/agreement.md", tmp_path)
    position = next(iter(graph.subjects(RDF.type, OA.TextPositionSelector)))
    start = graph.value(position, OA.start)
    assert isinstance(start, Literal)
    graph.set((position, OA.start, Literal(int(start) + 1, datatype=start.datatype)))
    with pytest.raises(AssertionError, match="is not the quote"):
        check_quotes(graph, text)


# -- the manifest of publication URLs ---------------------------------------------------------


@pytest.mark.slow  # builds
def test_the_manifest_gives_a_publication_url_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "agreements"
    shutil.copytree(REPO / "data" / "agreements" / "2025", folder)
    url = "https://arbeitswelt.hessen.de/zielvereinbarung-bergstrasse-2025.pdf"
    (folder / "manifest.csv").write_text(f"datei,url\nbergstrasse.txt,{url}\n", encoding="utf-8")
    build([folder], tmp_path / "dist", workers=1)
    graph = Graph().parse(tmp_path / "dist" / "aqb.nt", format="nt")
    urls = {
        str(graph.value(d, AQB.dateiname)): graph.value(d, SCHEMA.url)
        for d in graph.subjects(RDF.type, AQB.Quelldokument)
    }
    assert urls == {"bergstrasse.txt": URIRef(url), "offenbach-am-main-stadt.md": None}


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        (
            "file,url\nbergstrasse.txt,https://example.org/a\n",
            ":1: manifest without the column(s) datei",
        ),
        ("datei,url\nbergstrasse.txt,example.org/a\n", ":2: not an http(s) URL: 'example.org/a'"),
        # What an IRI cannot hold: it would be read as another IRI (N-Triples reads \u0041
        # in an IRI as "A") or break out of its "<…>" into a triple of its own.
        (
            "datei,url\nbergstrasse.txt,https://example.org/a\\u0041\n",
            ":2: not an http(s) URL: 'https://example.org/a\\\\u0041'",
        ),
        (
            'datei,url\nbergstrasse.txt,"https://e.example/x>\t.\n<https://e.example/s>'
            '\t<https://e.example/p>\t<https://e.example/o"\n',
            ":3: not an http(s) URL: 'https://e.example/x>\\t.\\n<https://e.example/s>"
            "\\t<https://e.example/p>\\t<https://e.example/o'",
        ),
        (
            "datei,url\nbergstrasse.txt,https://example.org/a\nbergstrasse.txt,https://example.org/b\n",
            ":3: bergstrasse.txt is named twice",
        ),
        (
            "datei,url\nbergstrase.txt,https://example.org/a\n",
            ":2: no document bergstrase.txt in this folder",
        ),
    ],
)
def test_a_malformed_manifest_stops_the_build_in_one_line(
    manifest: str, problem: str, tmp_path: Path
) -> None:
    folder = tmp_path / "agreements"
    folder.mkdir()
    for seed in SEEDS:  # two documents, one problem: the manifest's, said once
        shutil.copy(seed, folder)
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build([folder], tmp_path / "dist", workers=1)
    (line,) = [str(p) for p in failed.value.problems]
    assert line == f"{folder / 'manifest.csv'}{problem}", line
    assert not (tmp_path / "dist").exists()
