"""The search index (search/): German folding, the entries of a release, the index itself.

Over the real build of ``data/agreements`` (conftest.py): every query goes through the file
the build wrote, opened read-only as the server opens it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from aqb_rdf.build.pipeline import build
from aqb_rdf.demo import corpus
from aqb_rdf.publish.release import CURRENT
from aqb_rdf.rdf import files
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.search.entries import Entry, Kind, entries_of, sort_entries
from aqb_rdf.search.german import fold, folded_words
from aqb_rdf.search.index import Results, SearchIndex, index_dump, write_index

AGREEMENTS = Path(__file__).resolve().parent.parent / "data" / "agreements"
IRIS = Iris(DEFAULT_BASE)
BERGSTRASSE = f"{DEFAULT_BASE}id/gebietskoerperschaft/06431"
OFFENBACH_STADT = f"{DEFAULT_BASE}id/gebietskoerperschaft/06413"
OFFENBACH_KREIS = f"{DEFAULT_BASE}id/gebietskoerperschaft/06438"


@pytest.fixture(scope="module")
def release(built_default_dataset: Path) -> Path:
    return (built_default_dataset / CURRENT).resolve()


@pytest.fixture(scope="module")
def index(release: Path) -> Iterator[SearchIndex]:
    opened = SearchIndex(release / files.SEARCH_INDEX.name)
    yield opened
    opened.close()


def iris_of(results: Results, kind: Kind) -> list[str]:
    return [hit.iri for group in results.groups if group.kind is kind for hit in group.hits]


@pytest.mark.parametrize(
    ("word", "folded"),
    [("Bergstraße", "bergstrasse"), ("GIESSEN", "giessen"), ("Gießen", "giessen"),
     ("Höchst", "hoechst"), ("Über", "ueber"), ("Café", "cafe"), ("ẞ", "ss")],
)  # fmt: skip
def test_folding_spells_out_what_german_allows(word: str, folded: str) -> None:
    assert fold(word) == folded


def test_words_split_at_hyphens_slashes_and_quotes() -> None:
    assert folded_words('Ausbildungs- und "Fit in den Beruf"/Teilzeit') == [
        "ausbildungs", "und", "fit", "in", "den", "beruf", "teilzeit",
    ]  # fmt: skip


def test_the_entries_are_what_the_graph_names(release: Path) -> None:
    triples = ox.parse(path=release / files.N_TRIPLES_DUMP.name, format=ox.RdfFormat.N_TRIPLES)
    entries = entries_of(triples, IRIS)
    by_iri = {(e.kind, e.iri): e for e in entries}
    region = by_iri[(Kind.REGION, BERGSTRASSE)]
    assert (region.title_de, region.title_en) == ("Landkreis Bergstraße", "Bergstraße (district)")
    assert "06431" in region.names
    signature = f"{DEFAULT_BASE}id/zielvereinbarung/2025/06431/unterzeichnung/2"
    person = by_iri[(Kind.PERSON, signature)]
    assert person.title_de == "Angelika Beckenbach"
    assert (
        person.context_de == "Erste Kreisbeigeordnete, Zielvereinbarung 2025 – Landkreis Bergstraße"
    )
    assert by_iri[(Kind.PLACE, signature)].title_de == "Heppenheim"
    project = by_iri[
        (Kind.PROJECT, f"{DEFAULT_BASE}id/zielvereinbarung/2025/06413/massnahmenart/2/projekt/2")
    ]
    assert project.title_de == "Coaching und Unterrichtshilfen (CUBA)"
    assert project.context_en == "Target agreement 2025 – Stadt Offenbach am Main"
    kinds = {e.kind for e in entries}
    assert kinds == set(Kind)
    assert len(by_iri) == len(entries)


def test_the_build_writes_the_index_its_ntriples_dump_gives(release: Path, tmp_path: Path) -> None:
    """The build makes each agreement's entries in its worker, from that agreement's triples,
    and sorts them together with those of the shared graphs: byte for byte the index of the
    whole aqb.nt (the seeds, and a generated corpus of other regions and both ministries)."""
    corpus_root = tmp_path / "corpus"
    agreements = corpus.generate_corpus(corpus_root, regions=3, years=3, first_year=2015, seed=4)
    generated = tmp_path / "dist"
    build([agreements], generated, reference_dir=corpus_root / "reference", workers=2)
    for folder in (release, (generated / CURRENT).resolve()):
        expected = tmp_path / f"{folder.name}.sqlite"
        count = index_dump(folder / files.N_TRIPLES_DUMP.name, expected, IRIS)
        assert count > 40
        assert (folder / files.SEARCH_INDEX.name).read_bytes() == expected.read_bytes()


@pytest.mark.parametrize("query", ["Bergstraße", "bergstrasse", "BERGSTRASSE", "Bergstrase",
                                   "Berkstraße", "Landkreis Bergstraße", "Kreis Bergstr"])  # fmt: skip
def test_a_region_is_found_however_it_is_spelt(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert iris_of(results, Kind.REGION)[0] == BERGSTRASSE
    assert results.groups[0].kind is Kind.REGION


def test_a_typo_is_corrected_and_said(index: SearchIndex) -> None:
    results = index.search("Ofenbach")
    assert results.corrected == {"ofenbach": ("offenbach",)}
    assert set(iris_of(results, Kind.REGION)) == {OFFENBACH_STADT, OFFENBACH_KREIS}


def test_stadt_and_landkreis_are_optional_but_rank(index: SearchIndex) -> None:
    assert iris_of(index.search("Stadt Offenbach"), Kind.REGION)[0] == OFFENBACH_STADT
    assert iris_of(index.search("Landkreis Offenbach"), Kind.REGION)[0] == OFFENBACH_KREIS
    assert iris_of(index.search("Offenbach am Main"), Kind.REGION) == [OFFENBACH_STADT]


def test_umlauts_typed_either_way(index: SearchIndex) -> None:
    for query in ("Gießen", "Giessen", "giessen", "Giesen", "Gießn"):
        titles = [h.title for g in index.search(query).groups for h in g.hits]
        assert "Landkreis Gießen" in titles, query
        assert "Regierungspräsidium Gießen" in titles, query


def test_results_are_grouped_and_the_matching_words_marked(index: SearchIndex) -> None:
    results = index.search("Heppenheim")
    (group,) = results.groups
    assert (group.kind, group.total) == (Kind.PLACE, 1)
    (hit,) = group.hits
    assert hit.title == "Heppenheim" and hit.title_marks == ((0, 10),)
    cuba = index.search("fit beruf").groups[0].hits[0]
    assert cuba.title == 'Gesundheitsmaßnahme "Fit in den Beruf"'
    assert [cuba.title[a:b] for a, b in cuba.title_marks] == ["Fit", "Beruf"]
    marked = index.search("Bergstrase").groups[0].hits[0]
    assert [marked.title[a:b] for a, b in marked.title_marks] == ["Bergstraße"]


def test_every_word_must_match(index: SearchIndex) -> None:
    assert index.search("Jobcoach").total == 1
    assert index.search("Jobcoach Bergstraße").total == 0
    assert index.search("xyzzy").groups == ()
    assert index.search("").groups == ()
    assert index.search('"*) OR NOT (').groups == ()  # FTS5 syntax is only ever quoted


def test_english_titles_on_english_pages(index: SearchIndex) -> None:
    hit = index.search("Bergstraße", lang="en").groups[0].hits[0]
    assert hit.title == "Bergstraße (district)"


def test_the_index_is_the_same_bytes_for_the_same_entries(tmp_path: Path) -> None:
    entries = [
        Entry(Kind.REGION, f"{DEFAULT_BASE}id/gebietskoerperschaft/{n:05d}", f"Stadt Ort {n}")
        for n in range(200)
    ]
    write_index(tmp_path / "one.sqlite", entries)
    write_index(tmp_path / "two.sqlite", entries)
    assert (tmp_path / "one.sqlite").read_bytes() == (tmp_path / "two.sqlite").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.sqlite", "two.sqlite"]


@pytest.mark.slow
def test_a_build_writes_the_same_index_twice(release: Path, tmp_path: Path) -> None:
    build([AGREEMENTS], tmp_path / "again", workers=1)
    again = (tmp_path / "again" / CURRENT).resolve() / files.SEARCH_INDEX.name
    assert again.read_bytes() == (release / files.SEARCH_INDEX.name).read_bytes()


def test_the_index_opens_read_only(release: Path) -> None:
    opened = SearchIndex(release / files.SEARCH_INDEX.name)
    try:
        with pytest.raises(Exception, match="readonly"):
            opened._db.execute("DELETE FROM entry")
    finally:
        opened.close()


def test_entries_are_ordered_by_kind_then_by_iri_with_numbers_by_value() -> None:
    """The index's order: kinds as the results page groups them, then the IRIs segment by
    segment, a text before a number, numbers by value (leading zeros do not count), an IRI
    before the longer ones it begins."""
    iris = [
        "https://x.example/id/zielvereinbarung/2025/06431/projekt/10",
        "https://x.example/id/zielvereinbarung/2025/06431/projekt/2",
        "https://x.example/id/zielvereinbarung/2025/06431/projekt/02a",
        "https://x.example/id/zielvereinbarung/2025/06431",
        "https://x.example/id/zielvereinbarung/2025/06431/projekt/b",
        "https://x.example/id/zielvereinbarung/2025/06431/projekt/a",
        "https://x.example/id/zielvereinbarung/2025/06431#fundstelle-10",
        "https://x.example/id/zielvereinbarung/2025/06431/projekt/9",
        "https://x.example/id/zielvereinbarung/999/06431",
        "https://x.example/id/zielvereinbarung/2025/06431/projekt/²",  # a digit, not a number
    ]
    entries = [Entry(Kind.PROJECT, iri, iri) for iri in iris]
    entries.append(Entry(Kind.REGION, iris[0], "region"))
    ordered = sort_entries(entries)
    assert ordered[0].kind is Kind.REGION
    assert [
        entry.iri.removeprefix("https://x.example/id/zielvereinbarung/") for entry in ordered[1:]
    ] == [
        "999/06431",
        "2025/06431",
        "2025/06431#fundstelle-10",  # "#" separates as "/" does; "f" before "p"
        "2025/06431/projekt/02a",
        "2025/06431/projekt/a",
        "2025/06431/projekt/b",
        "2025/06431/projekt/²",  # text: after "b" by code point, before the numbers
        "2025/06431/projekt/2",
        "2025/06431/projekt/9",
        "2025/06431/projekt/10",
    ]
