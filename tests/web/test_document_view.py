"""The document view and the quotes on an agreement's page (src/aqb_rdf/web/views/document.py).

Against the session's real ``aqb-rdf serve`` over the build of data/agreements: every
Fundstelle of the dump has its ``<mark>`` on its document's page, around exactly its quote;
every fact on an agreement's page quotes its words and links to that mark; the document's
files download as the release holds them. The cutting of the text into marked pieces is
tested directly at the end.
"""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF
from test_pages import AGREEMENT, BASE, Site

from aqb_rdf.web.render.document import Mark, pieces
from aqb_rdf.web.render.parts import Link
from live_server import Server

AQB = Namespace(BASE + "def/aqb#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")


@pytest.fixture(scope="module")
def site(running_server: Server, built_default_dataset: Path) -> Site:
    return Site(running_server, built_default_dataset)


@pytest.fixture(scope="module")
def dataset(built_default_dataset: Path) -> Graph:
    return Graph().parse(built_default_dataset / "aqb.nt", format="nt")


def local(iri: object) -> str:
    assert isinstance(iri, URIRef) and str(iri).startswith(BASE)
    return "/" + str(iri)[len(BASE) :]


def marked(page: str) -> dict[str, str]:
    """The text inside each ``<mark id=…>`` of a document page, marks nested inside it
    included (their tags and the links back taken out)."""
    text = page.split('<pre class="document-text"', 1)[1].split("</pre>", 1)[0]
    found = {}
    for match in re.finditer(r'<mark id="([^"]+)"', text):
        depth, position, inner = 1, match.end(), []
        rest = text[text.index(">", position) + 1 :]
        for token in re.split(r"(<mark[^>]*>|</mark>|<a [^>]*>[^<]*</a>)", rest):
            if token.startswith("<mark"):
                depth += 1
            elif token == "</mark>":
                depth -= 1
                if depth == 0:
                    break
            elif not token.startswith("<a "):
                inner.append(token)
        found[match.group(1)] = html_module.unescape("".join(inner))
    return found


@pytest.mark.slow  # the session's server
def test_every_fundstelle_is_marked_on_its_document_page(site: Site, dataset: Graph) -> None:
    documents = list(dataset.subjects(RDF.type, AQB.Quelldokument))
    assert len(documents) == 2
    for document in documents:
        page = site.page(local(document))
        marks = marked(page)
        text_iri = dataset.value(document, AQB.textfassung)
        fundstellen = list(dataset.subjects(OA.hasSource, text_iri))
        assert len(fundstellen) > 20
        for fundstelle in fundstellen:
            name = str(fundstelle).rsplit("/", 1)[1]
            quote = next(
                q
                for q in dataset.objects(fundstelle, OA.hasSelector)
                if (q, RDF.type, OA.TextQuoteSelector) in dataset
            )
            assert marks.get(name) == str(dataset.value(quote, OA.exact)), name
            # Each mark links back to the resource whose fact it is.
            assert f'href="{local(dataset.value(fundstelle, AQB.belegt))}"' in page
        assert set(marks) == {str(f).rsplit("/", 1)[1] for f in fundstellen}


@pytest.mark.slow
def test_every_fact_of_an_agreement_page_quotes_its_words_and_links_to_its_mark(
    site: Site, dataset: Graph
) -> None:
    # The facts as the page shows them, before the table of every Fundstelle (which links
    # to the marks too).
    page = site.page(AGREEMENT).split('<table class="data evidence">', 1)[0]
    document = dataset.value(URIRef(BASE + AGREEMENT[1:]), PROV.wasDerivedFrom)
    links = re.findall(r'<a class="fundstelle" href="([^"#]+)#([^"]+)"', page)
    fundstellen = {
        str(f).rsplit("/", 1)[1]
        for f in dataset.subjects(RDF.type, AQB.Fundstelle)
        if str(f).startswith(BASE + AGREEMENT[1:] + "/")
    }
    assert {path for path, _ in links} == {local(document)}
    assert sorted(name for _, name in links) == sorted(fundstellen)
    marks = marked(site.page(local(document)))
    for match in re.finditer(
        r'<q lang="de">([^<]*)</q> <a class="fundstelle" href="[^"#]+#([^"]+)"', page
    ):
        assert marks[match.group(2)] == html_module.unescape(match.group(1))
    budget = re.search(r'<dd class="budget">.*?</dd>', page, re.S)
    assert budget and '<q lang="de">1.011.410</q>' in budget.group(0)


@pytest.mark.slow
def test_the_english_document_page(site: Site, dataset: Graph) -> None:
    document = next(iter(dataset.subjects(RDF.type, AQB.Quelldokument)))
    page = site.page(local(document) + "?lang=en")
    assert "Text of the document" in page
    assert '<mark id="jahr" title="year">' in page
    # Links keep the language, the marks' links included.
    assert re.search(r'class="to-resource" href="[^"]+\?lang=en"', page)


@pytest.mark.slow
def test_the_documents_files_download_as_the_release_holds_them(
    site: Site, dataset: Graph, built_default_dataset: Path
) -> None:
    release = (built_default_dataset / "current").resolve()
    for document in dataset.subjects(RDF.type, AQB.Quelldokument):
        for prop, media_type in (
            (AQB.textfassung, "text/plain; charset=utf-8"),
            (SCHEMA.contentUrl, None),
        ):
            iri = dataset.value(document, prop)
            status, headers, body = site.get(local(iri))
            assert status == 200, iri
            assert body == (release / str(iri).split("/download/", 1)[1]).read_bytes()
            if media_type:
                assert headers["content-type"] == media_type
            assert headers["etag"] == f'"{release.name}"'


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/download/dokumente/0000000000000000.txt",
        "/download/dokumente/..%2Faqb.ttl",
        "/download/dokumente/.hidden.txt",
        "/download/dokumente/0f3d9f78c524444c.exe",
    ],
)
def test_no_other_document_file_downloads(site: Site, path: str) -> None:
    status, headers, body = site.get(path)
    assert status == 404
    assert headers["content-type"].startswith("text/plain")
    assert body.count(b"\n") <= 1


# --- cutting the text into marked pieces (pure) ---------------------------------------------


def mark(name: str, start: int, end: int) -> Mark:
    return Mark(name, start, end, name, Link("https://example.org/" + name, name), name)


def test_pieces_nest_the_marks_and_cover_the_text() -> None:
    text = "0123456789"
    outer, inner = mark("outer", 2, 8), mark("inner", 4, 6)
    found = pieces(text, [inner, outer])
    assert "".join(p.text for p in found) == text
    assert [(p.text, [m.id for m in p.marks]) for p in found] == [
        ("01", []),
        ("23", ["outer"]),
        ("45", ["outer", "inner"]),
        ("67", ["outer"]),
        ("89", []),
    ]
    assert [sorted(p.opens) for p in found] == [[], ["outer"], ["inner"], [], []]
    assert [[m.id for m in p.closes] for p in found] == [[], [], ["inner"], ["outer"], []]
    # The outer mark stays open around the inner one: one element each.
    assert [(p.open_from, p.close_to) for p in found] == [(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)]


def test_crossing_marks_are_cut_and_each_opens_once() -> None:
    found = pieces("abcdef", [mark("a", 0, 4), mark("b", 2, 6), mark("empty", 3, 3)])
    assert [(p.text, [m.id for m in p.marks]) for p in found] == [
        ("ab", ["a"]),
        ("cd", ["a", "b"]),
        ("ef", ["b"]),
    ]
    assert sum(len(p.opens) for p in found) == 2
    # "a" stays open into "cd"; "b" is opened inside it, and again (without id) after it.
    assert [(p.open_from, p.close_to) for p in found] == [(0, 1), (1, 0), (0, 0)]


def test_marks_outside_the_text_are_left_out() -> None:
    found = pieces("abc", [mark("far", 2, 10)])
    assert [(p.text, p.marks) for p in found] == [("abc", ())]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "mark", "words"),
    [
        (AGREEMENT + "/massnahmenart/3/projekt/2", "projekt-3-2", "Interkulturelle Gruppe"),
        (AGREEMENT + "/budget", "budget", "1.011.410"),
    ],
)
def test_the_page_of_a_fact_quotes_it_and_links_to_its_mark(
    site: Site, path: str, mark: str, words: str
) -> None:
    page = site.page(path)
    match = re.search(
        r'<q lang="de">([^<]*)</q> <a class="fundstelle" href="([^"#]+)#([^"]+)"', page
    )
    assert match, page[:300]
    assert match.groups()[::2] == (words, mark)
    assert marked(site.page(match.group(2)))[mark] == words


@pytest.mark.slow
def test_the_evidence_table_gives_the_position_selectors_characters(
    site: Site, dataset: Graph
) -> None:
    """The characters a page shows for a Fundstelle are its TextPositionSelector's
    ``oa:start``–``oa:end`` (their one home; the Fundstelle states no offsets itself)."""
    page = site.page(AGREEMENT + "/budget")
    table = page.split('<table class="data evidence">', 1)[1].split("</table>", 1)[0]
    fundstelle = URIRef(BASE + AGREEMENT[1:] + "/fundstelle/budget")
    (position,) = (
        s
        for s in dataset.objects(fundstelle, OA.hasSelector)
        if (s, RDF.type, OA.TextPositionSelector) in dataset
    )
    start, end = dataset.value(position, OA.start), dataset.value(position, OA.end)
    assert start is not None and end is not None
    assert f'<td class="num">{start}–{end}</td>' in table, table
    assert not list(dataset.triples((fundstelle, AQB.zeichenVon, None)))
