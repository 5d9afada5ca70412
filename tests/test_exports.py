"""The dumps of a real build (exports.py, jsonld.py): every format reads back as the same graph.

One build of ``data/agreements`` (the two real 2025 agreements, Stadt Offenbach am Main 06413
and Landkreis Bergstraße 06431) is made once per module; every test reads it and never writes
into it. Graphs are compared by isomorphism, and a failure lists the triples found on one side
only, as ``GraphHelper.assert_isomorphic`` in rdflib's ``test/utils/__init__.py`` does.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld as pyld_jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.term import Node

from aqb_rdf import resources
from aqb_rdf.build.pipeline import BuildFailed, build
from aqb_rdf.errors import AqbError
from aqb_rdf.publish import jsonld
from aqb_rdf.publish.dumps import _prefixes, graph_to_ntriples, headers, statements
from aqb_rdf.publish.release import (
    CURRENT,
    LINKED,
    MARKER,
    PUBLISHED,
    RELEASES,
    publish,
    published_at,
    releases_of,
)
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import RDF, RDFS, XSD
from aqb_rdf.validation.report import validate_graph

pytestmark = pytest.mark.slow  # builds data/agreements again and again

REPO = Path(__file__).resolve().parent.parent
AGREEMENTS = REPO / "data" / "agreements"
MALFORMED_AMOUNT = REPO / "tests" / "documents" / "bad" / "malformed-amount.txt"

OFFENBACH, BERGSTRASSE = "06413", "06431"
OTHER_BASE = "https://example.org/aqb/"
DCTERMS_SOURCE = URIRef("http://purl.org/dc/terms/source")


def agreement_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base}id/zielvereinbarung/2025/{key}")


def agreement_graph_name(key: str, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base}graph/zielvereinbarung/2025/{key}")


def assert_isomorphic(expected: Graph, actual: Graph, what: str, limit: int = 25) -> None:
    """Fail with the triples found only in ``expected`` and only in ``actual``."""
    if isomorphic(expected, actual):
        return
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))

    def lines(graph: Graph) -> str:
        text = sorted(graph.serialize(format="nt").splitlines())
        shown = "\n".join(f"  {line}" for line in text[:limit] if line)
        more = f"\n  … and {len(text) - limit} more" if len(text) > limit else ""
        return shown + more

    pytest.fail(
        f"{what}: graphs differ ({len(expected)} vs {len(actual)} triples)\n"
        f"only in expected ({len(only_expected)}):\n{lines(only_expected)}\n"
        f"only in actual ({len(only_actual)}):\n{lines(only_actual)}"
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) by relative path, with its bytes;
    a release's :data:`PUBLISHED` by name only: it says when the release became current."""
    return {
        str(path.relative_to(folder)): b"" if path.name == PUBLISHED else path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(parent: Path) -> list[Path]:
    """Staging folders a build left beside or inside its output."""
    return sorted([*parent.glob(".*.new-*"), *parent.glob(f"*/{RELEASES}/.new-*")])


@pytest.fixture(scope="module")
def built(built_default_dataset: Path) -> Path:
    """The session's build of data/agreements under the default base (``conftest.py``, which
    checks that it holds 2 agreements); tests must not modify it."""
    return built_default_dataset


@pytest.fixture(scope="module")
def ntriples(built: Path) -> Graph:
    """aqb.nt as parsed by rdflib: the reference every other dump is compared with."""
    return Graph().parse(built / "aqb.nt", format="nt")


@pytest.fixture(scope="module")
def jsonld_document(built: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((built / "aqb.jsonld").read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def trig(built: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(built / "aqb.trig", format="trig")
    return dataset


# -- what the build wrote ---------------------------------------------------------------------


def test_build_writes_every_file_and_the_marker(built: Path) -> None:
    names = {p.name for p in built.iterdir()}
    assert names == {*LINKED, MARKER, RELEASES, CURRENT}
    [release] = (built / RELEASES).iterdir()
    assert (built / CURRENT).resolve() == release.resolve()
    for name in LINKED:
        assert (built / name).is_symlink()
        assert (built / name).resolve() == (release / name).resolve()
    assert leftovers(built.parent) == []


def test_a_new_release_is_swapped_in_and_the_previous_one_kept(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    sources = tmp_path / "sources"
    shutil.copytree(AGREEMENTS, sources)
    build([sources], out, workers=1)
    first = (out / CURRENT).resolve()
    first_nt = (first / "aqb.nt").read_bytes()
    build([sources], out, workers=1)  # the same input: the same release
    assert (out / CURRENT).resolve() == first
    (sources / "2025" / "offenbach-am-main-stadt.md").unlink()
    build([sources], out, workers=1)
    second = (out / CURRENT).resolve()
    assert second != first
    assert (first / "aqb.nt").read_bytes() == first_nt, "a reader of the old release sees it whole"
    assert b"zielvereinbarung/2025/06413" not in (out / "aqb.nt").read_bytes()
    shutil.copy(AGREEMENTS / "2025" / "offenbach-am-main-stadt.md", sources / "2025")
    build([sources], out, workers=1)
    # The first release's data again, but a release of its own: its catalogue's version
    # history records the second release in between (issue 13).
    third = (out / CURRENT).resolve()
    assert third not in (first, second)
    assert (third / "aqb.nt").read_bytes() == first_nt
    # The releases published last are kept (five by default), each saying when it was.
    assert sorted(p.resolve() for p in (out / RELEASES).iterdir()) == sorted([first, second, third])
    assert [p.resolve() for p in releases_of(out, newest_first=True)] == [third, second, first]
    assert all(published_at(p) is not None for p in (first, second, third))


def test_a_build_keeps_as_many_releases_as_told(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    sources = tmp_path / "sources"
    shutil.copytree(AGREEMENTS, sources)
    offenbach = sources / "2025" / "offenbach-am-main-stadt.md"
    built = []
    for step in range(3):
        if step == 1:
            offenbach.unlink()
        if step == 2:
            shutil.copy(AGREEMENTS / "2025" / "offenbach-am-main-stadt.md", offenbach)
        build([sources], out, workers=1, keep_releases=2)
        built.append((out / CURRENT).resolve())
    assert len(set(built)) == 3
    # The current release and the one before it: the oldest is gone.
    assert sorted(p.resolve() for p in (out / RELEASES).iterdir()) == sorted(built[1:])


def test_a_failed_first_build_leaves_nothing(
    tmp_path: Path, sources_with_malformed_amount: Path
) -> None:
    out = tmp_path / "dist"
    with pytest.raises(BuildFailed):
        build([sources_with_malformed_amount], out, workers=1)
    assert not out.exists()


def test_ntriples_holds_the_two_agreements(ntriples: Graph) -> None:
    subjects = set(ntriples.subjects(unique=True))
    assert agreement_iri(OFFENBACH) in subjects
    assert agreement_iri(BERGSTRASSE) in subjects


# -- round trips: every dump reads back as the N-Triples graph -------------------------------


@pytest.mark.parametrize(("name", "rdf_format"), [("aqb.ttl", "turtle"), ("aqb.jsonld", "json-ld")])
def test_dump_parses_back_to_the_ntriples_graph(
    built: Path, ntriples: Graph, name: str, rdf_format: str
) -> None:
    graph = Graph().parse(built / name, format=rdf_format)
    assert_isomorphic(ntriples, graph, name)


def test_union_of_trig_graphs_is_the_ntriples_graph(trig: Dataset, ntriples: Graph) -> None:
    union = Graph()
    union.addN((s, p, o, union) for s, p, o, _ in trig.quads((None, None, None, None)))
    assert_isomorphic(ntriples, union, "union of the aqb.trig graphs")


def test_trig_has_one_named_graph_per_agreement_plus_reference_ontology_and_cube(
    trig: Dataset,
) -> None:
    named = {g.identifier for g in trig.graphs() if len(g)}
    assert named == {
        agreement_graph_name(OFFENBACH),
        agreement_graph_name(BERGSTRASSE),
        URIRef(f"{DEFAULT_BASE}graph/reference"),
        URIRef(f"{DEFAULT_BASE}graph/ontology"),
        URIRef(f"{DEFAULT_BASE}graph/datenwuerfel"),  # the budgets as a Data Cube
    }
    assert len(trig.default_graph) == 0


@pytest.mark.parametrize(("key", "other"), [(OFFENBACH, BERGSTRASSE), (BERGSTRASSE, OFFENBACH)])
def test_agreement_graph_holds_that_agreements_triples_only(
    trig: Dataset, ntriples: Graph, key: str, other: str
) -> None:
    agreement = agreement_iri(key)
    source = ntriples.value(agreement, DCTERMS_SOURCE)
    assert source is not None

    def belongs(subject: object) -> bool:
        """The agreement, its parts, its document and what is said of them by hash IRIs."""
        resource = str(subject).split("#", 1)[0]
        return resource in (str(agreement), str(source)) or resource.startswith(f"{agreement}/")

    expected = Graph()
    expected.addN((s, p, o, expected) for s, p, o in ntriples if belongs(s))
    graph = trig.graph(agreement_graph_name(key))
    assert_isomorphic(expected, graph, f"graph of agreement {key}")
    foreign = str(agreement_iri(other))
    assert not [t for t in graph if any(str(term).startswith(foreign) for term in t)]


# -- JSON-LD: an independent processor, and a document people can read -----------------------


def test_jsonld_through_pyld_is_the_ntriples_graph(
    jsonld_document: dict[str, Any], ntriples: Graph
) -> None:
    def no_network(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        raise AssertionError(f"the JSON-LD processor tried to load {url}; the context is inline")

    nquads = pyld_jsonld.to_rdf(
        jsonld_document, {"format": "application/n-quads", "documentLoader": no_network}
    )
    graph = Graph().parse(data=nquads, format="nt")
    assert_isomorphic(ntriples, graph, "aqb.jsonld through pyld")


def node(document: dict[str, Any], iri: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [n for n in document["@graph"] if n["@id"] == iri]
    assert len(found) == 1, f"{iri}: {len(found)} node objects"
    return found[0]


def test_jsonld_agreement_node_reads_well(jsonld_document: dict[str, Any]) -> None:
    agreement = node(jsonld_document, str(agreement_iri(OFFENBACH)))
    assert agreement["@type"] == "Zielvereinbarung"
    assert agreement["jahr"] == "2025"
    assert agreement["budget"] == f"{agreement_iri(OFFENBACH)}/budget"
    assert agreement["gebietskoerperschaft"] == f"{DEFAULT_BASE}id/gebietskoerperschaft/06413"
    assert agreement["label"] == {
        "de": "Zielvereinbarung 2025 – Stadt Offenbach am Main",
        "en": "Target agreement 2025 – Stadt Offenbach am Main",
    }
    assert not [key for key in agreement if key.startswith(("http", "aqb:"))]


def test_jsonld_budget_node_is_a_plain_value(jsonld_document: dict[str, Any]) -> None:
    budget = node(jsonld_document, f"{agreement_iri(BERGSTRASSE)}/budget")
    assert budget["@type"] == "Budget"
    assert budget["value"] == "1230450"  # canonical xsd:decimal, as stores answer it
    assert budget["currency"] == "EUR"


def test_context_file_is_the_inline_context(built: Path, jsonld_document: dict[str, Any]) -> None:
    context = json.loads((built / "context.jsonld").read_text(encoding="utf-8"))
    assert context == {"@context": jsonld_document["@context"]}


def test_jsonld_dump_is_the_document_of_the_ntriples_dump(built: Path) -> None:
    """The workers write each agreement's node objects (publish.jsonld.node_objects from
    rdflib triples) and the build joins them: byte for byte what the writer gives for the
    whole of aqb.nt, read back with pyoxigraph, one subject at a time."""
    out = io.BytesIO()
    dumped = ox.parse(path=built / "aqb.nt", format=ox.RdfFormat.N_TRIPLES)
    jsonld.write_document(dumped, out, Iris(DEFAULT_BASE))
    assert (built / "aqb.jsonld").read_bytes() == out.getvalue()


def test_node_objects_of_triples_are_those_of_their_sorted_ntriples() -> None:
    """Subjects in the order of their N-Triples lines ("<…/a/b> " before "<…/a> "), values
    of a property sorted, duplicates once, blank nodes, languages and datatypes."""
    iris = Iris(DEFAULT_BASE)
    a, ab = URIRef("http://example.org/a"), URIRef("http://example.org/a/b")
    name, aqb = URIRef("http://schema.org/name"), iris.aqb
    blank = BNode("x1")
    triples = [
        (a, name, Literal("Zwei", lang="de")),
        (a, name, Literal("Two", lang="en")),
        (a, name, Literal("Zwei", lang="de")),
        (ab, aqb.position, Literal("2", datatype=XSD.integer)),
        (ab, aqb.position, Literal("10", datatype=XSD.integer)),
        (ab, RDF.type, aqb.Projekt),
        (ab, aqb.belegt, blank),
        (ab, aqb.belegt, a),
        (blank, RDFS.label, Literal("plain")),
        (blank, RDFS.label, Literal("typed", datatype=XSD.string)),
        (a, aqb.betrag, Literal("12.5", datatype=XSD.decimal)),
    ]
    expected = io.BytesIO()
    sorted_lines = ox.parse(graph_to_ntriples(triples), format=ox.RdfFormat.N_TRIPLES)
    jsonld.write_document(sorted_lines, expected, iris)
    joined = jsonld.header(iris) + b"\n" + jsonld.node_objects(triples, iris) + jsonld.FOOTER
    assert joined == expected.getvalue()
    assert joined.index(b'"@id":"http://example.org/a/b"') < joined.index(
        b'"@id":"http://example.org/a"'
    )


def test_turtle_and_trig_dumps_are_pyoxigraphs_serialisation_of_the_whole(built: Path) -> None:
    """The workers write each part's Turtle and TriG statements and the build joins them
    behind one header: byte for byte what pyoxigraph writes for the whole of aqb.nt (each
    graph's triples in the order of their lines, graph after graph)."""
    prefixes = _prefixes(Iris(DEFAULT_BASE))
    dumped = ox.parse(path=built / "aqb.nt", format=ox.RdfFormat.N_TRIPLES)
    turtle = ox.serialize(dumped, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert (built / "aqb.ttl").read_bytes() == turtle
    # The TriG of the quads in the order the dump has them (graph by graph, N-Triples order).
    quads = list(ox.parse(path=built / "aqb.trig", format=ox.RdfFormat.TRIG))
    lines = ox.parse(path=built / "aqb.nt", format=ox.RdfFormat.N_TRIPLES)
    assert [q.triple for q in quads] == [q.triple for q in lines]
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    assert (built / "aqb.trig").read_bytes() == trig


def test_ntriples_are_pyoxigraphs_for_every_code_point_and_kind_of_term() -> None:
    """graph_to_ntriples writes the lines itself: the same bytes as pyoxigraph for a
    literal holding any one code point (escapes, DEL, noncharacters, NEL, astral planes),
    for language tags in any case, xsd:string written plain, other datatypes, blank nodes."""
    s, p = URIRef("http://example.org/s"), URIRef("http://example.org/p")
    codes = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    triples: list[tuple[Node, Node, Node]] = [(s, p, Literal(chr(c))) for c in codes]
    triples += [
        (s, p, Literal('Zwei "Wörter"\\\n\t', lang="de-DE")),
        (s, p, Literal("typed", datatype=XSD.string)),
        (s, p, Literal("12.5", datatype=XSD.decimal)),
        (BNode("b1"), p, BNode("b2")),
        (s, p, URIRef("http://example.org/ä?q=1#f")),
        (s, p, Literal("doppelt")),
        (s, p, Literal("doppelt")),
    ]
    ours = graph_to_ntriples(triples)
    theirs = ox.serialize(
        [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in triples],  # type: ignore[arg-type]
        format=ox.RdfFormat.N_TRIPLES,
    )
    assert theirs is not None
    assert ours == b"".join(sorted(set(theirs.splitlines(keepends=True))))
    assert ours.count(b"\n") == len(codes) + 6


def test_a_parts_turtle_and_trig_are_pyoxigraphs_for_escapes_and_graph_names() -> None:
    """statements() writes a part's TriG as its Turtle inside the graph's block: the same
    bytes as pyoxigraph's TriG of the quads, for literals holding any one code point (line
    breaks above all), blank nodes, several values of one predicate, a graph whose name
    takes a prefix and one whose name does not. (Each code point of the first two blocks
    and those that end lines elsewhere or stand at the edges: every code point takes 20 s,
    and the escapes themselves are the N-Triples test's.)"""
    s, p, q = (URIRef(f"http://example.org/{name}") for name in ("s", "p", "q"))
    codes = [*range(0x800), 0x2028, 0x2029, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF]
    triples: list[tuple[Node, Node, Node]] = [(s, p, Literal(chr(c))) for c in codes]
    triples += [(s, q, BNode("b1")), (BNode("b1"), q, Literal("Zeile 1\nZeile 2", lang="de"))]
    ntriples = graph_to_ntriples(triples)
    iris = Iris(DEFAULT_BASE)
    prefixes = _prefixes(iris)
    turtle_header, trig_header = headers(iris.base)
    for graph in (str(iris.agreement_graph(2025, "06431")), "http://example.org/graph"):
        turtle, trig = statements(ntriples, graph, iris)
        name = ox.NamedNode(graph)
        lines = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in lines]
        assert turtle_header + turtle == ox.serialize(
            lines, format=ox.RdfFormat.TURTLE, prefixes=prefixes
        )
        assert trig_header + trig == ox.serialize(
            quads, format=ox.RdfFormat.TRIG, prefixes=prefixes
        )


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


# -- determinism and atomicity ---------------------------------------------------------------


def test_building_twice_gives_byte_identical_files(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build([AGREEMENTS], again, workers=1)
    first, second = snapshot(built), snapshot(again)
    assert sorted(first) == sorted(second)
    for name in LINKED:
        assert first[name] == second[name], f"{name} differs between two builds"


def test_build_replaces_an_earlier_build(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    (out / "stale.txt").write_text("from an older build\n", encoding="utf-8")
    build([AGREEMENTS], out, workers=1)
    assert snapshot(out) == snapshot(built)
    assert leftovers(tmp_path) == []


@pytest.fixture
def sources_with_malformed_amount(tmp_path: Path) -> Path:
    """A copy of data/agreements plus bad/malformed-amount.txt."""
    sources = tmp_path / "agreements"
    shutil.copytree(AGREEMENTS, sources)
    shutil.copy(MALFORMED_AMOUNT, sources / "2025" / MALFORMED_AMOUNT.name)
    return sources


def test_failed_build_leaves_earlier_build_untouched(
    built: Path, tmp_path: Path, sources_with_malformed_amount: Path
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    before = snapshot(out)
    with pytest.raises(BuildFailed) as failure:
        build([sources_with_malformed_amount], out, workers=1)
    [problem] = failure.value.problems
    document = f"{sources_with_malformed_amount}/2025/malformed-amount.txt"
    assert (problem.path, problem.line) == (document, 55)
    assert "malformed amount" in problem.message
    assert str(problem).startswith(f"{document}:55: ")
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_failure_while_writing_leaves_earlier_build_untouched(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    before = snapshot(out)

    def half_written(folder: Path) -> None:
        (folder / "aqb.nt").write_bytes(b"<urn:x> <urn:y> <urn:z> .\n")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        publish(out, half_written)
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_build_refuses_a_folder_that_is_not_a_build_output(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "notes.txt").write_text("mine, not aqb-rdf's\n", encoding="utf-8")
    before = snapshot(out)
    with pytest.raises(AqbError, match="not an aqb-rdf build output") as refusal:
        build([AGREEMENTS], out, workers=1)
    assert refusal.value.path == str(out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]


# -- another base IRI ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_other_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rebased") / "dist"
    build([AGREEMENTS], out, base=OTHER_BASE, workers=1)
    return out


def test_other_base_leaves_no_default_iri(built_other_base: Path) -> None:
    graph = Graph().parse(built_other_base / "aqb.nt", format="nt")
    stale = sorted(
        {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
        | {str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype}
    )
    assert [iri for iri in stale if iri.startswith(DEFAULT_BASE)] == []


def test_other_base_leaves_no_default_base_in_any_text(built_other_base: Path) -> None:
    for name in LINKED:
        lines = (built_other_base / name).read_text(encoding="utf-8").splitlines()
        stale = [line for line in lines if DEFAULT_BASE in line]
        assert stale == [], f"{name} still mentions {DEFAULT_BASE}"


def test_other_base_mints_under_that_base(built_other_base: Path) -> None:
    graph = Graph().parse(built_other_base / "aqb.nt", format="nt")
    jahr = Iris(OTHER_BASE).aqb.jahr
    assert set(graph.subjects(jahr, None)) == {
        agreement_iri(OFFENBACH, OTHER_BASE),
        agreement_iri(BERGSTRASSE, OTHER_BASE),
    }
    dataset = Dataset()
    dataset.parse(built_other_base / "aqb.trig", format="trig")
    assert agreement_graph_name(OFFENBACH, OTHER_BASE) in {g.identifier for g in dataset.graphs()}


def test_other_base_validates_against_rebased_shapes(built_other_base: Path) -> None:
    iris = Iris(OTHER_BASE)
    shapes = resources.shapes_graph(iris)
    assert not [t for t in shapes if any(str(term).startswith(DEFAULT_BASE) for term in t)]
    data = Graph().parse(built_other_base / "aqb.nt", format="nt")
    report = validate_graph(data, shapes)
    assert report.conforms, report.text
    # The shapes must reach the rebased data, or conformance would prove nothing.
    broken = Graph()
    broken.addN((s, p, o, broken) for s, p, o in data if p != iris.aqb.jahr)
    violations = validate_graph(broken, shapes).violations
    focus = {(v.focus, v.component) for v in violations if v.path == f"<{iris.aqb.jahr}>"}
    assert focus == {
        (str(agreement_iri(key, OTHER_BASE)), "MinCountConstraintComponent")
        for key in (OFFENBACH, BERGSTRASSE)
    }


@pytest.mark.parametrize(
    "iri",
    [
        "https://example.org/a\\u0041",  # read back as …/aA
        "https://e.example/x> .\n<https://e.example/s> <https://e.example/p> <https://e.example/o",
        "https://example.org/a b",
        "https://example.org/<a>",
        "relative/path",
    ],
)
def test_ntriples_refuse_what_is_not_an_iri(iri: str) -> None:
    """graph_to_ntriples writes each IRI between "<" and ">" itself: one that pyoxigraph
    would refuse is refused, in any place of a triple, rather than written to be read as
    another IRI or as triples of its own."""
    s, p, o = URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("o")
    for triple in ((URIRef(iri), p, o), (s, URIRef(iri), o), (s, p, URIRef(iri))):
        with pytest.raises(ValueError):
            graph_to_ntriples([triple])
