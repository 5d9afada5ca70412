"""The SHACL shapes (shapes/aqb.ttl), the ontology (ontology/aqb.ttl) and the concept schemes.

One hand-written valid agreement (``tests/shapes/valid_agreement.ttl``, with its reference data)
must conform. Each failing case breaks one constraint with a small SPARQL Update of it and must be
reported by the expected constraint component, at the expected focus node and path, with a German
and an English message; every constraint of every shape has such a case. Validation runs as the
build runs it: pyshacl, SHACL Core only, no inference, ontology/*.ttl (the ontology and the concept
schemes) in the data graph, with the shapes as written and as ``targeted_property_shapes`` makes
them.

SHACL: https://www.w3.org/TR/shacl/#core-components
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from string import Template

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from aqb_rdf.validation.report import targeted_property_shapes

pytestmark = pytest.mark.slow  # validates hundreds of graphs with pySHACL

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "aqb.ttl"
CONCEPT_SCHEMES = (
    ROOT / "ontology" / "massnahmenarten.ttl",
    ROOT / "ontology" / "rechtskreise.ttl",
)
SHAPES = ROOT / "shapes" / "aqb.ttl"
VALID_AGREEMENT = Path(__file__).resolve().parent / "shapes" / "valid_agreement.ttl"

BASE = "https://aqb-rdf.example/"
AQB = Namespace(BASE + "def/aqb#")
MART = Namespace(BASE + "def/massnahmenart/")
RK = Namespace(BASE + "def/rechtskreis/")
SCHEMA = Namespace("http://schema.org/")

PREFIXES = {
    "aqb": str(AQB),
    "mart": str(MART),
    "rk": str(RK),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "skos": str(SKOS),
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "xsd": str(XSD),
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "spdx": "http://spdx.org/rdf/terms#",
}

ZV = BASE + "id/zielvereinbarung/2025/06413"
SHA256 = "0f3d9f78c524444c181ac788679abd0a8b49e99e94d78658f2fd585b3b01beb3"
NODES = {
    "zv": ZV,
    "budget": ZV + "/budget",
    "b1": ZV + "/massnahmenart/1",
    "b2": ZV + "/massnahmenart/2",
    "b3": ZV + "/massnahmenart/3",
    "b4": ZV + "/massnahmenart/4",
    "b5": ZV + "/massnahmenart/5",
    "p11": ZV + "/massnahmenart/1/projekt/1",
    "p31": ZV + "/massnahmenart/3/projekt/1",
    "u1": ZV + "/unterzeichnung/1",
    "u2": ZV + "/unterzeichnung/2",
    "fs": ZV + "/fundstelle/budget",
    "fs_rk": ZV + "/fundstelle/rechtskreis-sgb-ii",
    "h_begin": ZV + "/herleitung/laufzeit-beginn",
    "h_end": ZV + "/herleitung/laufzeit-ende",
    "h_count1": ZV + "/herleitung/massnahmenart-1-anzahl-projekte",
    "rule": BASE + "def/aqb#LaufzeitbeginnAusJahr",
    "doc": BASE + "id/dokument/0f3d9f78c5244444",
    "chk": BASE + "id/dokument/0f3d9f78c5244444#sha256",
    "q": ZV + "/fundstelle/budget#zitat",
    "pos": ZV + "/fundstelle/budget#position",
    "other": BASE + "id/anderes",
    "doc2": BASE + "id/dokument/0000000000000000",
    "gk": BASE + "id/gebietskoerperschaft/06413",
    "gk_unknown": BASE + "id/gebietskoerperschaft/99999",
    "gk_frankfurt": BASE + "id/gebietskoerperschaft/06412",
    "hmsi": BASE + "id/organisation/hmsi",
    "rp_kassel": BASE + "id/organisation/rp-kassel",
    "rp_darmstadt": BASE + "id/organisation/rp-darmstadt",
    "hmsi_name": BASE
    + "id/organisation/hmsi#name-hessisches-ministerium-fuer-arbeit-integration-jugend-und-soziales-de",
    "hmsi_former": BASE
    + "id/organisation/hmsi#name-hessisches-ministerium-fuer-soziales-und-integration-de",
    "br": BASE + "id/bezugsrahmen/buendnis-fuer-ausbildung",
    "br_unknown": BASE + "id/bezugsrahmen/unbekannt",
    "zv2024": BASE + "id/zielvereinbarung/2024/06413",
    "mart_scheme": BASE + "def/massnahmenart",
    "rk_scheme": BASE + "def/rechtskreis",
    "mart_1": BASE + "def/massnahmenart/1",
    "rk_sgb_ii": BASE + "def/rechtskreis/sgb-ii",
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


# --- loading and validating ------------------------------------------------------------------


def parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return parse(SHAPES)


@pytest.fixture(scope="module", params=["as-written", "targeted"])
def checked_shapes(request: pytest.FixtureRequest, shapes: Graph) -> Graph:
    """The shapes as written, and as the build runs them (see ``targeted_property_shapes``)."""
    if request.param == "targeted":
        return targeted_property_shapes(shapes)
    return shapes


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse(ONTOLOGY)


@pytest.fixture(scope="module")
def valid_data() -> Graph:
    """The valid agreement with its reference data, the ontology and the concept schemes.

    Shared by the tests of this module: copy it before changing it.
    """
    return parse(VALID_AGREEMENT, ONTOLOGY, *CONCEPT_SCHEMES)


def copy(graph: Graph) -> Graph:
    result = Graph()
    result += graph
    return result


@dataclass(frozen=True)
class Result:
    """One sh:ValidationResult, with the path written as a SPARQL property path."""

    focus: Node
    path: str | None
    component: str
    messages: frozenset[Literal]
    shape: Node

    def __str__(self) -> str:
        return f"{self.component} at <{self.focus}> path {self.path}"


@dataclass(frozen=True)
class Report:
    conforms: bool
    results: tuple[Result, ...]
    text: str


def validate(data: Graph, shapes: Graph) -> Report:
    conforms, graph, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=None, inference="none"
    )
    assert isinstance(graph, Graph)
    assert isinstance(text, str)
    return Report(bool(conforms), tuple(read_results(graph)), text)


def read_results(report: Graph) -> Iterator[Result]:
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        component = report.value(node, SH.sourceConstraintComponent)
        assert focus is not None and isinstance(component, URIRef)
        path = report.value(node, SH.resultPath)
        shape = report.value(node, SH.sourceShape)
        assert shape is not None
        messages = frozenset(
            m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)
        )
        yield Result(
            focus,
            None if path is None else path_text(report, path),
            component.removeprefix(str(SH)),
            messages,
            shape,
        )


def compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def path_text(graph: Graph, path: Node) -> str:
    """A SHACL path as SPARQL property path text: ``aqb:a/aqb:b``, ``^aqb:a/aqb:b``."""
    if isinstance(path, URIRef):
        return compact(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(graph, inverse)
    if graph.value(path, RDF.first) is not None:
        return "/".join(path_text(graph, step) for step in Collection(graph, path))
    raise AssertionError(f"unsupported path {path!r}")


def rebase(graph: Graph, new_base: str) -> Graph:
    """The graph with every IRI under BASE moved under new_base, by plain prefix replacement."""

    def move(term: Node) -> Node:
        if isinstance(term, URIRef) and term.startswith(BASE):
            return URIRef(new_base + term[len(BASE) :])
        return term

    result = Graph()
    for s, p, o in graph:
        result.add((move(s), move(p), move(o)))
    assert not any(isinstance(t, URIRef) and t.startswith(BASE) for t in result.all_nodes())
    return result


def replicate(graph: Graph, count: int) -> Graph:
    """``count`` copies of the agreement under different IRIs, sharing the reference data."""
    agreement_prefixes = (ZV, NODES["doc"])
    result = Graph()
    for i in range(count):

        def move(term: Node, i: int = i) -> Node:
            for prefix in agreement_prefixes:
                if isinstance(term, URIRef) and term.startswith(prefix):
                    return URIRef(f"{prefix}-{i}{term[len(prefix) :]}")
            return term

        for s, p, o in graph:
            result.add((move(s), move(p), move(o)))
    return result


# --- the valid agreement ---------------------------------------------------------------------


def region_typed_gebietskoerperschaft(data: Graph) -> Graph:
    region = URIRef(NODES["gk"])
    data.remove((region, RDF.type, AQB.KreisfreieStadt))
    data.add((region, RDF.type, AQB.Gebietskoerperschaft))
    return data


def region_typed_landkreis(data: Graph) -> Graph:
    region = URIRef(NODES["gk"])
    data.remove((region, RDF.type, AQB.KreisfreieStadt))
    data.add((region, RDF.type, AQB.Landkreis))
    return data


def region_valid_only_in_the_agreement_year(data: Graph) -> Graph:
    region = URIRef(NODES["gk"])
    data.add((region, AQB.gueltigAb, Literal("2025-01-01", datatype=XSD.date)))
    data.add((region, AQB.gueltigBis, Literal("2025-12-31", datatype=XSD.date)))
    return data


def signatures_on_first_and_last_day(data: Graph) -> Graph:
    for node, day in (("u1", "2025-01-01"), ("u2", "2025-12-31")):
        data.set((URIRef(NODES[node]), AQB.datum, Literal(day, datatype=XSD.date)))
    return data


def without_optional_facts(data: Graph) -> Graph:
    zv = URIRef(ZV)
    for p in (AQB.rechtskreis, AQB.bezugsrahmen, AQB.bewilligungsbehoerde, AQB.bewilligungsform):
        data.remove((zv, p, None))
    for u in ("u1", "u2"):
        data.remove((URIRef(NODES[u]), AQB.funktion, None))
        data.remove((URIRef(NODES[u]), AQB.organisationLaut, None))
    return data


def three_agreements(data: Graph) -> Graph:
    return replicate(data, 3) + data


VALID_VARIANTS = {
    "as-written": lambda data: data,
    "region-typed-gebietskoerperschaft": region_typed_gebietskoerperschaft,
    "region-typed-landkreis": region_typed_landkreis,
    "region-valid-only-in-the-agreement-year": region_valid_only_in_the_agreement_year,
    "signatures-on-first-and-last-day": signatures_on_first_and_last_day,
    "without-optional-facts": without_optional_facts,
    "three-agreements-sharing-reference-data": three_agreements,
}


@pytest.mark.parametrize("variant", VALID_VARIANTS)
def test_valid_agreement_conforms(variant: str, valid_data: Graph, checked_shapes: Graph) -> None:
    data = VALID_VARIANTS[variant](copy(valid_data))
    report = validate(data, checked_shapes)
    assert report.conforms, report.text


def test_region_check_needs_the_ontology_in_the_data_graph(shapes: Graph) -> None:
    """sh:class aqb:Gebietskoerperschaft sees an aqb:KreisfreieStadt through rdfs:subClassOf;
    the rules of derivations (aqb:Herleitungsregel) are the ontology's too."""
    report = validate(parse(VALID_AGREEMENT, *CONCEPT_SCHEMES), shapes)
    assert not report.conforms
    derivations = ["laufzeit-beginn", "laufzeit-ende"]
    derivations += [f"massnahmenart-{n}-anzahl-projekte" for n in range(1, 5)]
    assert {(str(r.focus), r.path, r.component) for r in report.results} == {
        (ZV, "aqb:gebietskoerperschaft", "ClassConstraintComponent"),
        (NODES["u2"], "aqb:organisation", "OrConstraintComponent"),
        *(
            (f"{ZV}/herleitung/{name}", "aqb:regel", "ClassConstraintComponent")
            for name in derivations
        ),
    }


def test_valid_agreement_conforms_under_another_base(valid_data: Graph, shapes: Graph) -> None:
    new_base = "https://data.example.org/aqb/"
    report = validate(rebase(valid_data, new_base), rebase(shapes, new_base))
    assert report.conforms, report.text


def test_rebased_shapes_still_catch_an_unknown_measure_type(
    valid_data: Graph, shapes: Graph
) -> None:
    new_base = "https://data.example.org/aqb/"
    data = copy(valid_data)
    data.set((URIRef(NODES["b4"]), AQB.massnahmenart, MART["5"]))
    report = validate(rebase(data, new_base), rebase(shapes, new_base))
    assert not report.conforms
    assert {r.component for r in report.results} == {"InConstraintComponent"}


def test_shapes_do_not_apply_to_the_base_they_were_not_rebased_to(
    valid_data: Graph, shapes: Graph
) -> None:
    """A rebased data graph checked with the default-base shapes has no targets at all."""
    data = copy(valid_data)
    data.remove((URIRef(NODES["budget"]), SCHEMA.value, None))
    report = validate(rebase(data, "https://data.example.org/aqb/"), shapes)
    assert report.conforms


# --- one failing graph per constraint --------------------------------------------------------


def remove(subject: str, predicate: str, condition: str = "") -> str:
    """An update deleting every value of ``predicate`` on ``subject`` (a ``$node``)."""
    return f"DELETE {{ {subject} {predicate} ?o }} WHERE {{ {subject} {predicate} ?o {condition} }}"


def replace(subject: str, predicate: str, new: str, condition: str = "") -> str:
    """An update replacing every value of ``predicate`` on ``subject`` by ``new``."""
    return (
        f"DELETE {{ {subject} {predicate} ?o }} INSERT {{ {subject} {predicate} {new} }} "
        f"WHERE {{ {subject} {predicate} ?o {condition} }}"
    )


def add(*triples: str) -> str:
    return "INSERT DATA { " + " . ".join(triples) + " }"


def delete(*triples: str) -> str:
    return "DELETE DATA { " + " . ".join(triples) + " }"


def case(
    case_id: str, update: str, focus: str, path: str | None, component: str
) -> pytest.ParameterSet:
    """A failing case: ``update`` breaks the valid graph; ``focus`` names a node of NODES."""
    return pytest.param(update, NODES[focus], path, component + "ConstraintComponent", id=case_id)


ENGLISH = '$zv rdfs:label ?o . FILTER (lang(?o) = "en")'

FAILING_CASES = [
    # Zielvereinbarung
    case("zv-jahr-missing", remove("$zv", "aqb:jahr"), "zv", "aqb:jahr", "MinCount"),
    case("zv-jahr-twice", add('$zv aqb:jahr "2024"^^xsd:gYear'), "zv", "aqb:jahr", "MaxCount"),
    case(
        "zv-jahr-not-gyear",
        replace("$zv", "aqb:jahr", '"2025"^^xsd:integer'),
        "zv",
        "aqb:jahr",
        "Datatype",
    ),
    case(
        "zv-laufzeitbeginn-missing",
        remove("$zv", "aqb:laufzeitBeginn"),
        "zv",
        "aqb:laufzeitBeginn",
        "MinCount",
    ),
    case(
        "zv-laufzeitbeginn-not-date",
        replace("$zv", "aqb:laufzeitBeginn", '"2025-01-01"'),
        "zv",
        "aqb:laufzeitBeginn",
        "Datatype",
    ),
    case(
        "zv-laufzeitbeginn-not-1-january",
        replace("$zv", "aqb:laufzeitBeginn", '"2025-02-01"^^xsd:date'),
        "zv",
        "aqb:laufzeitBeginn",
        "Pattern",
    ),
    case(
        "zv-laufzeitende-missing",
        remove("$zv", "aqb:laufzeitEnde"),
        "zv",
        "aqb:laufzeitEnde",
        "MinCount",
    ),
    case(
        "zv-laufzeitende-twice",
        add('$zv aqb:laufzeitEnde "2026-12-31"^^xsd:date'),
        "zv",
        "aqb:laufzeitEnde",
        "MaxCount",
    ),
    case(
        "zv-laufzeitende-not-31-december",
        replace("$zv", "aqb:laufzeitEnde", '"2025-12-30"^^xsd:date'),
        "zv",
        "aqb:laufzeitEnde",
        "Pattern",
    ),
    case(
        "zv-laufzeit-ends-before-it-begins",
        replace("$zv", "aqb:laufzeitEnde", '"2024-12-31"^^xsd:date'),
        "zv",
        "aqb:laufzeitBeginn",
        "LessThan",
    ),
    case(
        "zv-ministerium-missing",
        remove("$zv", "aqb:ministerium"),
        "zv",
        "aqb:ministerium",
        "MinCount",
    ),
    case(
        "zv-ministerium-not-a-ministry",
        replace("$zv", "aqb:ministerium", "$rp_kassel"),
        "zv",
        "aqb:ministerium",
        "Class",
    ),
    case(
        "zv-gebietskoerperschaft-missing",
        remove("$zv", "aqb:gebietskoerperschaft"),
        "zv",
        "aqb:gebietskoerperschaft",
        "MinCount",
    ),
    case(
        "zv-gebietskoerperschaft-key-not-in-reference-data",
        replace("$zv", "aqb:gebietskoerperschaft", "$gk_unknown"),
        "zv",
        "aqb:gebietskoerperschaft",
        "Class",
    ),
    case(
        "zv-gebietskoerperschaft-twice",
        add("$zv aqb:gebietskoerperschaft $gk_frankfurt"),
        "zv",
        "aqb:gebietskoerperschaft",
        "MaxCount",
    ),
    case(
        "zv-gebietskoerperschaft-literal",
        replace("$zv", "aqb:gebietskoerperschaft", '"06413"'),
        "zv",
        "aqb:gebietskoerperschaft",
        "NodeKind",
    ),
    case(
        "zv-gebietskoerperschaft-not-yet-valid",
        add('$gk aqb:gueltigAb "2026-01-01"^^xsd:date'),
        "zv",
        "aqb:gebietskoerperschaft/aqb:gueltigAb",
        "LessThanOrEquals",
    ),
    case("zv-budget-missing", remove("$zv", "aqb:budget"), "zv", "aqb:budget", "MinCount"),
    case(
        "zv-budget-not-a-budget",
        delete("$budget a aqb:Budget"),
        "zv",
        "aqb:budget",
        "Class",
    ),
    case(
        "zv-five-massnahmenbereiche",
        add(
            "$zv aqb:massnahmenbereich $b5",
            "$b5 a aqb:Massnahmenbereich",
            "$b5 aqb:massnahmenart mart:4",
            '$b5 aqb:bezeichnung "Weiterbildung"@de',
        ),
        "zv",
        "aqb:massnahmenbereich",
        "MaxCount",
    ),
    case(
        "zv-massnahmenbereich-not-a-massnahmenbereich",
        delete("$b4 a aqb:Massnahmenbereich"),
        "zv",
        "aqb:massnahmenbereich",
        "Class",
    ),
    case(
        "zv-rechtskreis-unknown",
        add("$zv aqb:rechtskreis rk:sgb-xiii"),
        "zv",
        "aqb:rechtskreis",
        "Class",
    ),
    case(
        "zv-bezugsrahmen-unknown",
        add("$zv aqb:bezugsrahmen $br_unknown"),
        "zv",
        "aqb:bezugsrahmen",
        "Class",
    ),
    case(
        "zv-bewilligungsbehoerde-not-a-regierungspraesidium",
        replace("$zv", "aqb:bewilligungsbehoerde", "$hmsi"),
        "zv",
        "aqb:bewilligungsbehoerde",
        "Class",
    ),
    case(
        "zv-bewilligungsbehoerde-twice",
        add(
            "$zv aqb:bewilligungsbehoerde $rp_darmstadt",
            "$rp_darmstadt a aqb:Regierungspraesidium",
            '$rp_darmstadt rdfs:label "Regierungspräsidium Darmstadt"@de',
        ),
        "zv",
        "aqb:bewilligungsbehoerde",
        "MaxCount",
    ),
    case(
        "zv-bewilligungsform-without-language",
        replace("$zv", "aqb:bewilligungsform", '"Bescheid"'),
        "zv",
        "aqb:bewilligungsform",
        "Datatype",
    ),
    case(
        "zv-bewilligungsform-english",
        replace("$zv", "aqb:bewilligungsform", '"notice"@en'),
        "zv",
        "aqb:bewilligungsform",
        "LanguageIn",
    ),
    case(
        "zv-bewilligungsform-twice",
        add('$zv aqb:bewilligungsform "Zuwendungsbescheid"@de'),
        "zv",
        "aqb:bewilligungsform",
        "MaxCount",
    ),
    case(
        "zv-unterzeichnung-not-an-unterzeichnung",
        delete("$u2 a aqb:Unterzeichnung"),
        "zv",
        "aqb:unterzeichnung",
        "Class",
    ),
    case(
        "zv-signature-after-the-agreement-year",
        replace("$u2", "aqb:datum", '"2026-01-05"^^xsd:date'),
        "zv",
        "aqb:unterzeichnung/aqb:datum",
        "LessThanOrEquals",
    ),
    case("zv-source-missing", remove("$zv", "dcterms:source"), "zv", "dcterms:source", "MinCount"),
    case(
        "zv-source-not-a-quelldokument",
        delete("$doc a aqb:Quelldokument"),
        "zv",
        "dcterms:source",
        "Class",
    ),
    case(
        "zv-label-english-missing",
        remove("$zv", "rdfs:label", 'FILTER (lang(?o) = "en")'),
        "zv",
        "rdfs:label",
        "MinCount",
    ),
    case(
        "zv-label-three",
        add('$zv rdfs:label "Zielvereinbarung"@de'),
        "zv",
        "rdfs:label",
        "MaxCount",
    ),
    case(
        "zv-label-two-german",
        replace("$zv", "rdfs:label", '"Zielvereinbarung Offenbach 2025"@de', ". " + ENGLISH),
        "zv",
        "rdfs:label",
        "UniqueLang",
    ),
    case(
        "zv-label-french",
        replace("$zv", "rdfs:label", '"Convention d’objectifs 2025"@fr', ". " + ENGLISH),
        "zv",
        "rdfs:label",
        "LanguageIn",
    ),
    case(
        "zv-label-without-language",
        replace("$zv", "rdfs:label", '"Target agreement 2025"', ". " + ENGLISH),
        "zv",
        "rdfs:label",
        "Datatype",
    ),
    case(
        "zv-laufzeitbeginn-twice",
        add('$zv aqb:laufzeitBeginn "2024-01-01"^^xsd:date'),
        "zv",
        "aqb:laufzeitBeginn",
        "MaxCount",
    ),
    case(
        "zv-laufzeitende-not-date",
        replace("$zv", "aqb:laufzeitEnde", '"2025-12-31"'),
        "zv",
        "aqb:laufzeitEnde",
        "Datatype",
    ),
    case(
        "zv-ministerium-twice",
        add("$zv aqb:ministerium $rp_kassel"),
        "zv",
        "aqb:ministerium",
        "MaxCount",
    ),
    case(
        "zv-budget-twice",
        add("$zv aqb:budget $b1"),
        "zv",
        "aqb:budget",
        "MaxCount",
    ),
    case(
        "zv-source-twice",
        add("$zv dcterms:source $fs"),
        "zv",
        "dcterms:source",
        "MaxCount",
    ),
    # Budget
    case(
        "budget-value-missing",
        remove("$budget", "schema:value"),
        "budget",
        "schema:value",
        "MinCount",
    ),
    case(
        "budget-value-twice",
        add('$budget schema:value "1.5"^^xsd:decimal'),
        "budget",
        "schema:value",
        "MaxCount",
    ),
    case(
        "budget-value-double",
        replace("$budget", "schema:value", '"1011410"^^xsd:double'),
        "budget",
        "schema:value",
        "Datatype",
    ),
    case(
        "budget-value-negative",
        replace("$budget", "schema:value", '"-1.00"^^xsd:decimal'),
        "budget",
        "schema:value",
        "MinInclusive",
    ),
    case(
        "budget-currency-missing",
        remove("$budget", "schema:currency"),
        "budget",
        "schema:currency",
        "MinCount",
    ),
    case(
        "budget-currency-not-eur",
        replace("$budget", "schema:currency", '"USD"'),
        "budget",
        "schema:currency",
        "In",
    ),
    case(
        "budget-without-agreement",
        delete("$zv aqb:budget $budget"),
        "budget",
        "^aqb:budget",
        "MinCount",
    ),
    case(
        "budget-currency-twice",
        add('$budget schema:currency "€"'),
        "budget",
        "schema:currency",
        "MaxCount",
    ),
    case(
        "budget-of-a-non-agreement",
        add("$b1 aqb:budget $budget"),
        "budget",
        "^aqb:budget",
        "Class",
    ),
    case(
        "budget-of-two-agreements",
        add("$zv2024 aqb:budget $budget", "$zv2024 a aqb:Zielvereinbarung"),
        "budget",
        "^aqb:budget",
        "MaxCount",
    ),
    # Massnahmenbereich
    case(
        "bereich-massnahmenart-missing",
        remove("$b4", "aqb:massnahmenart"),
        "b4",
        "aqb:massnahmenart",
        "MinCount",
    ),
    case(
        "bereich-massnahmenart-unknown",
        replace("$b4", "aqb:massnahmenart", "mart:5"),
        "b4",
        "aqb:massnahmenart",
        "In",
    ),
    case(
        "bereich-massnahmenart-twice",
        add("$b4 aqb:massnahmenart mart:3"),
        "b4",
        "aqb:massnahmenart",
        "MaxCount",
    ),
    case(
        "bereich-bezeichnung-missing",
        remove("$b4", "aqb:bezeichnung"),
        "b4",
        "aqb:bezeichnung",
        "MinCount",
    ),
    case(
        "bereich-bezeichnung-without-language",
        replace("$b4", "aqb:bezeichnung", '"Weiterbildung"'),
        "b4",
        "aqb:bezeichnung",
        "Datatype",
    ),
    case(
        "bereich-bezeichnung-english",
        replace("$b4", "aqb:bezeichnung", '"Further training"@en'),
        "b4",
        "aqb:bezeichnung",
        "LanguageIn",
    ),
    case(
        "bereich-projekt-not-a-projekt",
        delete("$p31 a aqb:Projekt"),
        "b3",
        "aqb:projekt",
        "Class",
    ),
    case(
        "bereich-without-agreement",
        delete("$zv aqb:massnahmenbereich $b4"),
        "b4",
        "^aqb:massnahmenbereich",
        "MinCount",
    ),
    case(
        "bereich-anzahl-projekte-missing",
        remove("$b4", "aqb:anzahlProjekte"),
        "b4",
        "aqb:anzahlProjekte",
        "MinCount",
    ),
    case(
        "bereich-anzahl-projekte-twice",
        add('$b4 aqb:anzahlProjekte "1"^^xsd:integer'),
        "b4",
        "aqb:anzahlProjekte",
        "MaxCount",
    ),
    case(
        "bereich-anzahl-projekte-negative",
        replace("$b4", "aqb:anzahlProjekte", '"-1"^^xsd:integer'),
        "b4",
        "aqb:anzahlProjekte",
        "MinInclusive",
    ),
    case(
        # A derived type would come back from the store as xsd:integer: the dump says integer.
        "bereich-anzahl-projekte-derived-type",
        replace("$b4", "aqb:anzahlProjekte", '"0"^^xsd:nonNegativeInteger'),
        "b4",
        "aqb:anzahlProjekte",
        "Datatype",
    ),
    case(
        "zv-ministerium-laut-missing",
        remove("$zv", "aqb:ministeriumLaut"),
        "zv",
        "aqb:ministeriumLaut",
        "MinCount",
    ),
    case(
        "zv-ministerium-laut-twice",
        add('$zv aqb:ministeriumLaut "Hessischen Sozialministerium"@de'),
        "zv",
        "aqb:ministeriumLaut",
        "MaxCount",
    ),
    case(
        "zv-ministerium-laut-without-language",
        replace("$zv", "aqb:ministeriumLaut", '"HMSI"'),
        "zv",
        "aqb:ministeriumLaut",
        "Datatype",
    ),
    case(
        "zv-ministerium-laut-english",
        replace("$zv", "aqb:ministeriumLaut", '"Hessian Ministry"@en'),
        "zv",
        "aqb:ministeriumLaut",
        "LanguageIn",
    ),
    case(
        "zv-gebietskoerperschaft-laut-missing",
        remove("$zv", "aqb:gebietskoerperschaftLaut"),
        "zv",
        "aqb:gebietskoerperschaftLaut",
        "MinCount",
    ),
    case(
        "zv-gebietskoerperschaft-laut-twice",
        add('$zv aqb:gebietskoerperschaftLaut "Offenbach"@de'),
        "zv",
        "aqb:gebietskoerperschaftLaut",
        "MaxCount",
    ),
    case(
        "zv-gebietskoerperschaft-laut-without-language",
        replace("$zv", "aqb:gebietskoerperschaftLaut", '"Stadt Offenbach am Main"'),
        "zv",
        "aqb:gebietskoerperschaftLaut",
        "Datatype",
    ),
    case(
        "zv-gebietskoerperschaft-laut-english",
        replace("$zv", "aqb:gebietskoerperschaftLaut", '"City of Offenbach"@en'),
        "zv",
        "aqb:gebietskoerperschaftLaut",
        "LanguageIn",
    ),
    case(
        "zv-nicht-aufgefuehrt-unknown",
        add("$zv aqb:nichtAufgefuehrt mart:5"),
        "zv",
        "aqb:nichtAufgefuehrt",
        "In",
    ),
    case(
        "zv-nicht-aufgefuehrt-all-four",
        add(
            "$zv aqb:nichtAufgefuehrt mart:1",
            "$zv aqb:nichtAufgefuehrt mart:2",
            "$zv aqb:nichtAufgefuehrt mart:3",
            "$zv aqb:nichtAufgefuehrt mart:4",
        ),
        "zv",
        "aqb:nichtAufgefuehrt",
        "MaxCount",
    ),
    case(
        "signature-vertretungsvermerk-without-language",
        add('$u1 aqb:vertretungsvermerk "i. V."'),
        "u1",
        "aqb:vertretungsvermerk",
        "Datatype",
    ),
    case(
        "signature-vertretungsvermerk-english",
        add('$u1 aqb:vertretungsvermerk "on behalf"@en'),
        "u1",
        "aqb:vertretungsvermerk",
        "LanguageIn",
    ),
    case(
        "bereich-bezeichnung-twice",
        add('$b4 aqb:bezeichnung "Weiterbildung"@de'),
        "b4",
        "aqb:bezeichnung",
        "MaxCount",
    ),
    case(
        "bereich-of-a-non-agreement",
        add("$budget aqb:massnahmenbereich $b4"),
        "b4",
        "^aqb:massnahmenbereich",
        "Class",
    ),
    case(
        "bereich-of-two-agreements",
        add("$zv2024 aqb:massnahmenbereich $b4", "$zv2024 a aqb:Zielvereinbarung"),
        "b4",
        "^aqb:massnahmenbereich",
        "MaxCount",
    ),
    # Projekt
    case("projekt-name-missing", remove("$p11", "schema:name"), "p11", "schema:name", "MinCount"),
    case(
        "projekt-name-twice",
        add('$p11 schema:name "Elektro"@de'),
        "p11",
        "schema:name",
        "MaxCount",
    ),
    case(
        "projekt-name-without-language",
        replace("$p11", "schema:name", '"Berufsvorbereitung Elektro"'),
        "p11",
        "schema:name",
        "Datatype",
    ),
    case(
        "projekt-position-missing",
        remove("$p11", "aqb:position"),
        "p11",
        "aqb:position",
        "MinCount",
    ),
    case(
        "projekt-position-decimal",
        replace("$p11", "aqb:position", '"1.0"^^xsd:decimal'),
        "p11",
        "aqb:position",
        "Datatype",
    ),
    case(
        "projekt-position-zero",
        replace("$p11", "aqb:position", '"0"^^xsd:integer'),
        "p11",
        "aqb:position",
        "MinInclusive",
    ),
    case(
        "projekt-massnahmenart-missing",
        remove("$p11", "aqb:massnahmenart"),
        "p11",
        "aqb:massnahmenart",
        "MinCount",
    ),
    case(
        "projekt-massnahmenart-unknown",
        replace("$p11", "aqb:massnahmenart", "mart:5"),
        "p11",
        "aqb:massnahmenart",
        "In",
    ),
    case(
        "projekt-massnahmenart-differs-from-bereich",
        replace("$p11", "aqb:massnahmenart", "mart:2"),
        "p11",
        "^aqb:projekt/aqb:massnahmenart",
        "Equals",
    ),
    case(
        "projekt-zielvereinbarung-missing",
        remove("$p11", "aqb:zielvereinbarung"),
        "p11",
        "aqb:zielvereinbarung",
        "MinCount",
    ),
    case(
        "projekt-zielvereinbarung-not-an-agreement",
        replace("$p11", "aqb:zielvereinbarung", "$budget"),
        "p11",
        "aqb:zielvereinbarung",
        "Class",
    ),
    case(
        "projekt-zielvereinbarung-differs-from-bereich",
        replace("$p11", "aqb:zielvereinbarung", "$zv2024")
        + " ; "
        + add("$zv2024 a aqb:Zielvereinbarung"),
        "p11",
        "^aqb:projekt/^aqb:massnahmenbereich",
        "Equals",
    ),
    case(
        "projekt-without-bereich",
        delete("$b1 aqb:projekt $p11"),
        "p11",
        "^aqb:projekt",
        "MinCount",
    ),
    case(
        "projekt-under-two-bereiche",
        add("$b2 aqb:projekt $p11"),
        "p11",
        "^aqb:projekt",
        "MaxCount",
    ),
    case(
        "projekt-name-english",
        replace("$p11", "schema:name", '"Electrical pre-training"@en'),
        "p11",
        "schema:name",
        "LanguageIn",
    ),
    case(
        "projekt-position-twice",
        add('$p11 aqb:position "2"^^xsd:integer'),
        "p11",
        "aqb:position",
        "MaxCount",
    ),
    case(
        "projekt-betrag-twice",
        add('$p11 aqb:betrag "120000"^^xsd:decimal', '$p11 aqb:betrag "90000"^^xsd:decimal'),
        "p11",
        "aqb:betrag",
        "MaxCount",
    ),
    case(
        "projekt-betrag-integer",
        add('$p11 aqb:betrag "120000"^^xsd:integer'),
        "p11",
        "aqb:betrag",
        "Datatype",
    ),
    case(
        "projekt-betrag-zero",
        add('$p11 aqb:betrag "0"^^xsd:decimal'),
        "p11",
        "aqb:betrag",
        "MinExclusive",
    ),
    case(
        "projekt-massnahmenart-twice",
        add("$p11 aqb:massnahmenart mart:2"),
        "p11",
        "aqb:massnahmenart",
        "MaxCount",
    ),
    case(
        "projekt-zielvereinbarung-twice",
        add("$p11 aqb:zielvereinbarung $zv2024", "$zv2024 a aqb:Zielvereinbarung"),
        "p11",
        "aqb:zielvereinbarung",
        "MaxCount",
    ),
    case(
        "projekt-under-a-non-bereich",
        add("$budget aqb:projekt $p11"),
        "p11",
        "^aqb:projekt",
        "Class",
    ),
    # Unterzeichnung
    case("signature-ort-missing", remove("$u1", "aqb:ort"), "u1", "aqb:ort", "MinCount"),
    case(
        "signature-ort-iri",
        replace("$u1", "aqb:ort", "<https://www.wikidata.org/wiki/Q1721>"),
        "u1",
        "aqb:ort",
        "NodeKind",
    ),
    case("signature-person-missing", remove("$u1", "aqb:person"), "u1", "aqb:person", "MinCount"),
    case(
        "signature-person-twice",
        add('$u1 aqb:person "Kai Klose"'),
        "u1",
        "aqb:person",
        "MaxCount",
    ),
    case(
        "signature-funktion-twice",
        add('$u1 aqb:funktion "Ministerin"'),
        "u1",
        "aqb:funktion",
        "MaxCount",
    ),
    case("signature-datum-missing", remove("$u1", "aqb:datum"), "u1", "aqb:datum", "MinCount"),
    case(
        "signature-datum-datetime",
        replace("$u1", "aqb:datum", '"2025-08-06T10:00:00"^^xsd:dateTime'),
        "u1",
        "aqb:datum",
        "Datatype",
    ),
    case(
        "signature-before-the-agreement-year",
        replace("$u1", "aqb:datum", '"2024-12-20"^^xsd:date'),
        "u1",
        "^aqb:unterzeichnung/aqb:laufzeitBeginn",
        "LessThanOrEquals",
    ),
    case(
        "signature-organisation-missing",
        remove("$u1", "aqb:organisation"),
        "u1",
        "aqb:organisation",
        "MinCount",
    ),
    case(
        "signature-organisation-not-a-party",
        replace("$u1", "aqb:organisation", "$rp_kassel"),
        "u1",
        "aqb:organisation",
        "Or",
    ),
    case(
        "signature-organisation-twice",
        add("$u1 aqb:organisation $gk"),
        "u1",
        "aqb:organisation",
        "MaxCount",
    ),
    case(
        "signature-organisation-laut-twice",
        add('$u1 aqb:organisationLaut "HMSI"'),
        "u1",
        "aqb:organisationLaut",
        "MaxCount",
    ),
    case(
        "signature-without-agreement",
        delete("$zv aqb:unterzeichnung $u2"),
        "u2",
        "^aqb:unterzeichnung",
        "MinCount",
    ),
    case(
        "signature-ort-twice",
        add('$u1 aqb:ort "Frankfurt am Main"'),
        "u1",
        "aqb:ort",
        "MaxCount",
    ),
    case(
        "signature-person-iri",
        replace("$u1", "aqb:person", "<https://www.wikidata.org/wiki/Q1598553>"),
        "u1",
        "aqb:person",
        "NodeKind",
    ),
    case(
        "signature-funktion-iri",
        replace("$u1", "aqb:funktion", "<https://example.org/staatsministerin>"),
        "u1",
        "aqb:funktion",
        "NodeKind",
    ),
    case(
        "signature-datum-twice",
        add('$u1 aqb:datum "2025-08-07"^^xsd:date'),
        "u1",
        "aqb:datum",
        "MaxCount",
    ),
    case(
        "signature-organisation-laut-iri",
        replace("$u1", "aqb:organisationLaut", "$hmsi"),
        "u1",
        "aqb:organisationLaut",
        "NodeKind",
    ),
    case(
        "signature-of-a-non-agreement",
        add("$budget aqb:unterzeichnung $u1"),
        "u1",
        "^aqb:unterzeichnung",
        "Class",
    ),
    case(
        "signature-of-two-agreements",
        add("$zv2024 aqb:unterzeichnung $u1", "$zv2024 a aqb:Zielvereinbarung"),
        "u1",
        "^aqb:unterzeichnung",
        "MaxCount",
    ),
    # Fundstelle
    case("fundstelle-belegt-missing", remove("$fs", "aqb:belegt"), "fs", "aqb:belegt", "MinCount"),
    case(
        "fundstelle-belegt-literal",
        replace("$fs", "aqb:belegt", '"budget"'),
        "fs",
        "aqb:belegt",
        "NodeKind",
    ),
    case(
        "fundstelle-eigenschaft-twice",
        add("$fs aqb:eigenschaft schema:currency"),
        "fs",
        "aqb:eigenschaft",
        "MaxCount",
    ),
    case(
        "fundstelle-eigenschaft-literal",
        replace("$fs", "aqb:eigenschaft", '"schema:value"'),
        "fs",
        "aqb:eigenschaft",
        "NodeKind",
    ),
    case(
        "fundstelle-wert-literal",
        replace("$fs_rk", "aqb:wert", '"SGB II"'),
        "fs_rk",
        "aqb:wert",
        "NodeKind",
    ),
    case(
        "fundstelle-wert-twice",
        add("$fs_rk aqb:wert rk:sgb-iii"),
        "fs_rk",
        "aqb:wert",
        "MaxCount",
    ),
    case(
        "fundstelle-zeilevon-missing",
        remove("$fs", "aqb:zeileVon"),
        "fs",
        "aqb:zeileVon",
        "MinCount",
    ),
    case(
        "fundstelle-zeilevon-decimal",
        replace("$fs", "aqb:zeileVon", '"55.0"^^xsd:decimal'),
        "fs",
        "aqb:zeileVon",
        "Datatype",
    ),
    case(
        "fundstelle-zeilevon-zero",
        replace("$fs", "aqb:zeileVon", '"0"^^xsd:integer'),
        "fs",
        "aqb:zeileVon",
        "MinInclusive",
    ),
    case(
        "fundstelle-zeilebis-missing",
        remove("$fs", "aqb:zeileBis"),
        "fs",
        "aqb:zeileBis",
        "MinCount",
    ),
    case(
        "fundstelle-zeilebis-twice",
        add('$fs aqb:zeileBis "56"^^xsd:integer'),
        "fs",
        "aqb:zeileBis",
        "MaxCount",
    ),
    case(
        "fundstelle-lines-reversed",
        replace("$fs", "aqb:zeileVon", '"56"^^xsd:integer'),
        "fs",
        "aqb:zeileVon",
        "LessThanOrEquals",
    ),
    case(
        "fundstelle-source-not-a-quelldokument",
        add("$fs dcterms:source $zv"),
        "fs",
        "dcterms:source",
        "Class",
    ),
    case(
        "fundstelle-belegt-twice",
        add("$fs aqb:belegt $zv"),
        "fs",
        "aqb:belegt",
        "MaxCount",
    ),
    case(
        "fundstelle-zeilevon-twice",
        add('$fs aqb:zeileVon "54"^^xsd:integer'),
        "fs",
        "aqb:zeileVon",
        "MaxCount",
    ),
    case(
        "fundstelle-zeilebis-decimal",
        replace("$fs", "aqb:zeileBis", '"55.0"^^xsd:decimal'),
        "fs",
        "aqb:zeileBis",
        "Datatype",
    ),
    case(
        "fundstelle-zeilebis-zero",
        replace("$fs", "aqb:zeileBis", '"0"^^xsd:integer'),
        "fs",
        "aqb:zeileBis",
        "MinInclusive",
    ),
    case(
        "fundstelle-two-sources",
        add("$fs dcterms:source $doc", "$fs dcterms:source $doc2", "$doc2 a aqb:Quelldokument"),
        "fs",
        "dcterms:source",
        "MaxCount",
    ),
    # Quelldokument
    case("dokument-sha256-missing", remove("$doc", "aqb:sha256"), "doc", "aqb:sha256", "MinCount"),
    case(
        "dokument-sha256-upper-case",
        replace(
            "$doc",
            "aqb:sha256",
            '"0F3D9F78C524444C181AC788679ABD0A8B49E99E94D78658F2FD585B3B01BEB3"',
        ),
        "doc",
        "aqb:sha256",
        "Pattern",
    ),
    case(
        "dokument-sha256-too-short",
        replace("$doc", "aqb:sha256", '"0f3d9f78c5244444"'),
        "doc",
        "aqb:sha256",
        "Pattern",
    ),
    case(
        "dokument-dateiname-missing",
        remove("$doc", "aqb:dateiname"),
        "doc",
        "aqb:dateiname",
        "MinCount",
    ),
    case(
        "dokument-dateiname-with-directory",
        replace("$doc", "aqb:dateiname", '"data/agreements/2025/offenbach-am-main-stadt.md"'),
        "doc",
        "aqb:dateiname",
        "Pattern",
    ),
    case(
        "dokument-medientyp-missing",
        remove("$doc", "aqb:medientyp"),
        "doc",
        "aqb:medientyp",
        "MinCount",
    ),
    case(
        "dokument-medientyp-not-a-media-type",
        replace("$doc", "aqb:medientyp", '"Markdown"'),
        "doc",
        "aqb:medientyp",
        "Pattern",
    ),
    case(
        "dokument-without-agreement",
        delete("$zv dcterms:source $doc"),
        "doc",
        "^dcterms:source",
        "MinCount",
    ),
    case(
        "dokument-sha256-hexbinary",
        replace("$doc", "aqb:sha256", f'"{SHA256}"^^xsd:hexBinary'),
        "doc",
        "aqb:sha256",
        "Datatype",
    ),
    case(
        "dokument-sha256-twice",
        add('$doc aqb:sha256 "0000000000000000000000000000000000000000000000000000000000000000"'),
        "doc",
        "aqb:sha256",
        "MaxCount",
    ),
    case(
        "dokument-dateiname-language-tagged",
        replace("$doc", "aqb:dateiname", '"offenbach.md"@de'),
        "doc",
        "aqb:dateiname",
        "Datatype",
    ),
    case(
        "dokument-dateiname-empty",
        replace("$doc", "aqb:dateiname", '""'),
        "doc",
        "aqb:dateiname",
        "MinLength",
    ),
    case(
        "dokument-dateiname-twice",
        add('$doc aqb:dateiname "offenbach.pdf"'),
        "doc",
        "aqb:dateiname",
        "MaxCount",
    ),
    case(
        "dokument-medientyp-language-tagged",
        replace("$doc", "aqb:medientyp", '"text/markdown"@en'),
        "doc",
        "aqb:medientyp",
        "Datatype",
    ),
    case(
        "dokument-medientyp-twice",
        add('$doc aqb:medientyp "text/plain"'),
        "doc",
        "aqb:medientyp",
        "MaxCount",
    ),
    # Gebietskörperschaft (reference data)
    case(
        "region-kreisschluessel-missing",
        remove("$gk", "aqb:kreisschluessel"),
        "gk",
        "aqb:kreisschluessel",
        "MinCount",
    ),
    case(
        "region-kreisschluessel-four-digits",
        replace("$gk", "aqb:kreisschluessel", '"6413"'),
        "gk",
        "aqb:kreisschluessel",
        "Pattern",
    ),
    case(
        "region-kreisschluessel-integer",
        replace("$gk", "aqb:kreisschluessel", '"06413"^^xsd:integer'),
        "gk",
        "aqb:kreisschluessel",
        "Datatype",
    ),
    case(
        "region-kreisschluessel-twice",
        add('$gk aqb:kreisschluessel "06412"'),
        "gk",
        "aqb:kreisschluessel",
        "MaxCount",
    ),
    case(
        "region-landkreis-kreisschluessel-missing",
        delete("$gk a aqb:KreisfreieStadt")
        + " ; "
        + add("$gk a aqb:Landkreis")
        + " ; "
        + remove("$gk", "aqb:kreisschluessel"),
        "gk",
        "aqb:kreisschluessel",
        "MinCount",
    ),
    case(
        "region-gebietskoerperschaft-kreisschluessel-missing",
        delete("$gk a aqb:KreisfreieStadt")
        + " ; "
        + add("$gk a aqb:Gebietskoerperschaft")
        + " ; "
        + remove("$gk", "aqb:kreisschluessel"),
        "gk",
        "aqb:kreisschluessel",
        "MinCount",
    ),
    case("region-label-missing", remove("$gk", "rdfs:label"), "gk", "rdfs:label", "MinCount"),
    case(
        "region-gueltigab-not-a-date",
        add('$gk aqb:gueltigAb "2000"'),
        "gk",
        "aqb:gueltigAb",
        "Datatype",
    ),
    case(
        "region-gueltigbis-twice",
        add(
            '$gk aqb:gueltigBis "2030-12-31"^^xsd:date',
            '$gk aqb:gueltigBis "2031-12-31"^^xsd:date',
        ),
        "gk",
        "aqb:gueltigBis",
        "MaxCount",
    ),
    case(
        "region-validity-reversed",
        add(
            '$gk aqb:gueltigAb "2031-01-01"^^xsd:date',
            '$gk aqb:gueltigBis "2030-12-31"^^xsd:date',
        ),
        "gk",
        "aqb:gueltigAb",
        "LessThanOrEquals",
    ),
    case(
        "region-ended-before-the-agreement-year",
        add('$gk aqb:gueltigBis "2024-12-31"^^xsd:date'),
        "gk",
        "^aqb:gebietskoerperschaft/aqb:laufzeitBeginn",
        "LessThanOrEquals",
    ),
    case(
        "region-nuts3-invalid",
        replace("$gk", "aqb:nuts3", '"713"'),
        "gk",
        "aqb:nuts3",
        "Pattern",
    ),
    case(
        "region-regierungsbezirk-twice",
        add('$gk aqb:regierungsbezirk "Kassel"'),
        "gk",
        "aqb:regierungsbezirk",
        "MaxCount",
    ),
    case(
        "region-landkreis-and-kreisfreie-stadt",
        add("$gk a aqb:Landkreis"),
        "gk",
        None,
        "Not",
    ),
    case(
        "region-label-without-language",
        replace("$gk", "rdfs:label", '"Offenbach am Main"'),
        "gk",
        "rdfs:label",
        "Datatype",
    ),
    case(
        "region-gueltigab-twice",
        add('$gk aqb:gueltigAb "2000-01-01"^^xsd:date', '$gk aqb:gueltigAb "2001-01-01"^^xsd:date'),
        "gk",
        "aqb:gueltigAb",
        "MaxCount",
    ),
    case(
        "region-gueltigbis-not-a-date",
        add('$gk aqb:gueltigBis "2030"'),
        "gk",
        "aqb:gueltigBis",
        "Datatype",
    ),
    case(
        "region-nuts3-language-tagged",
        replace("$gk", "aqb:nuts3", '"DE713"@de'),
        "gk",
        "aqb:nuts3",
        "Datatype",
    ),
    case(
        "region-nuts3-twice",
        add('$gk aqb:nuts3 "DE714"'),
        "gk",
        "aqb:nuts3",
        "MaxCount",
    ),
    case(
        "region-regierungsbezirk-iri",
        replace("$gk", "aqb:regierungsbezirk", "$rp_darmstadt"),
        "gk",
        "aqb:regierungsbezirk",
        "NodeKind",
    ),
    # Links to other datasets
    case(
        "region-identifier-not-the-district-key",
        replace("$gk", "dcterms:identifier", '"06412"'),
        "gk",
        "dcterms:identifier",
        "Equals",
    ),
    case(
        "region-spatial-literal",
        add('$gk dcterms:spatial "DE713"'),
        "gk",
        "dcterms:spatial",
        "NodeKind",
    ),
    case(
        "region-spatial-not-nuts-or-dcatde",
        replace(
            "$gk",
            "dcterms:spatial",
            "<http://data.europa.eu/nuts/code/713>",
            "FILTER (contains(str(?o), 'nuts'))",
        ),
        "gk",
        "dcterms:spatial",
        "Pattern",
    ),
    case(
        "region-spatial-three-areas",
        add("$gk dcterms:spatial <http://data.europa.eu/nuts/code/DE714>"),
        "gk",
        "dcterms:spatial",
        "MaxCount",
    ),
    case(
        "region-sameas-wikidata-page-not-entity",
        replace("$gk", "schema:sameAs", "<https://www.wikidata.org/wiki/Q3042>"),
        "gk",
        "schema:sameAs",
        "Pattern",
    ),
    case(
        "ministerium-sameas-two-items",
        add(
            "$hmsi schema:sameAs <http://www.wikidata.org/entity/Q1>",
            "$hmsi schema:sameAs <http://www.wikidata.org/entity/Q2>",
        ),
        "hmsi",
        "schema:sameAs",
        "MaxCount",
    ),
    case(
        "regierungspraesidium-sameas-literal",
        add('$rp_kassel schema:sameAs "http://www.wikidata.org/entity/Q1"'),
        "rp_kassel",
        "schema:sameAs",
        "NodeKind",
    ),
    # Ministerium, Regierungspräsidium, Bezugsrahmen (reference data)
    case(
        "ministerium-label-missing",
        remove("$hmsi", "rdfs:label"),
        "hmsi",
        "rdfs:label",
        "MinCount",
    ),
    case(
        "ministerium-label-without-language",
        replace("$hmsi", "rdfs:label", '"HMSI"'),
        "hmsi",
        "rdfs:label",
        "Datatype",
    ),
    case(
        "ministerium-kurzname-twice",
        add('$hmsi aqb:kurzname "HMAIJS"'),
        "hmsi",
        "aqb:kurzname",
        "MaxCount",
    ),
    case(
        "regierungspraesidium-label-missing",
        remove("$rp_kassel", "rdfs:label"),
        "rp_kassel",
        "rdfs:label",
        "MinCount",
    ),
    case(
        "regierungspraesidium-kurzname-twice",
        add('$rp_kassel aqb:kurzname "RP KS"'),
        "rp_kassel",
        "aqb:kurzname",
        "MaxCount",
    ),
    case("bezugsrahmen-label-missing", remove("$br", "rdfs:label"), "br", "rdfs:label", "MinCount"),
    case(
        "ministerium-kurzname-iri",
        replace("$hmsi", "aqb:kurzname", "$hmsi"),
        "hmsi",
        "aqb:kurzname",
        "NodeKind",
    ),
    case(
        "regierungspraesidium-label-without-language",
        replace("$rp_kassel", "rdfs:label", '"RP Kassel"'),
        "rp_kassel",
        "rdfs:label",
        "Datatype",
    ),
    case(
        "regierungspraesidium-kurzname-iri",
        replace("$rp_kassel", "aqb:kurzname", "$rp_kassel"),
        "rp_kassel",
        "aqb:kurzname",
        "NodeKind",
    ),
    case(
        "bezugsrahmen-label-without-language",
        replace("$br", "rdfs:label", '"Bündnis für Ausbildung"', '. FILTER (lang(?o) = "de")'),
        "br",
        "rdfs:label",
        "Datatype",
    ),
    # Concept schemes
    case(
        "massnahmenart-notation-missing",
        remove("mart:1", "skos:notation"),
        "mart_1",
        "skos:notation",
        "MinCount",
    ),
    case(
        "massnahmenart-notation-unknown",
        replace("mart:1", "skos:notation", '"5"'),
        "mart_1",
        "skos:notation",
        "In",
    ),
    case(
        "massnahmenart-preflabel-english-missing",
        remove("mart:1", "skos:prefLabel", 'FILTER (lang(?o) = "en")'),
        "mart_1",
        "skos:prefLabel",
        "MinCount",
    ),
    case(
        "massnahmenart-preflabel-two-german",
        add('mart:1 skos:prefLabel "Berufsvorbereitung"@de'),
        "mart_1",
        "skos:prefLabel",
        "UniqueLang",
    ),
    case(
        "massnahmenart-in-the-wrong-scheme",
        replace("mart:1", "skos:inScheme", "$rk_scheme"),
        "mart_1",
        "skos:inScheme",
        "HasValue",
    ),
    case(
        "rechtskreis-notation-missing",
        remove("rk:sgb-ii", "skos:notation"),
        "rk_sgb_ii",
        "skos:notation",
        "MinCount",
    ),
    case(
        "rechtskreis-notation-language-tagged",
        replace("rk:sgb-ii", "skos:notation", '"SGB II"@de'),
        "rk_sgb_ii",
        "skos:notation",
        "Datatype",
    ),
    case(
        "rechtskreis-preflabel-french",
        add('rk:sgb-ii skos:prefLabel "Code social, livre II"@fr'),
        "rk_sgb_ii",
        "skos:prefLabel",
        "LanguageIn",
    ),
    case(
        "rechtskreis-in-the-wrong-scheme",
        replace("rk:sgb-ii", "skos:inScheme", "$mart_scheme"),
        "rk_sgb_ii",
        "skos:inScheme",
        "HasValue",
    ),
    case(
        "massnahmenart-notation-twice",
        add('mart:1 skos:notation "01"'),
        "mart_1",
        "skos:notation",
        "MaxCount",
    ),
    case(
        "massnahmenart-preflabel-without-language",
        replace(
            "mart:1", "skos:prefLabel", '"Ausbildungsvorbereitung"', 'FILTER (lang(?o) = "en")'
        ),
        "mart_1",
        "skos:prefLabel",
        "Datatype",
    ),
    case(
        "massnahmenart-preflabel-french",
        add('mart:1 skos:prefLabel "Préparation à la formation"@fr'),
        "mart_1",
        "skos:prefLabel",
        "LanguageIn",
    ),
    case(
        "massnahmenart-scheme-missing",
        remove("mart:1", "skos:inScheme"),
        "mart_1",
        "skos:inScheme",
        "MinCount",
    ),
    case(
        "rechtskreis-notation-twice",
        add('rk:sgb-ii skos:notation "SGB 2"'),
        "rk_sgb_ii",
        "skos:notation",
        "MaxCount",
    ),
    case(
        "rechtskreis-preflabel-english-missing",
        remove("rk:sgb-ii", "skos:prefLabel", 'FILTER (lang(?o) = "en")'),
        "rk_sgb_ii",
        "skos:prefLabel",
        "MinCount",
    ),
    case(
        "rechtskreis-preflabel-two-german",
        add('rk:sgb-ii skos:prefLabel "Bürgergeld"@de'),
        "rk_sgb_ii",
        "skos:prefLabel",
        "UniqueLang",
    ),
    case(
        "rechtskreis-preflabel-without-language",
        replace("rk:sgb-ii", "skos:prefLabel", '"SGB II"', 'FILTER (lang(?o) = "en")'),
        "rk_sgb_ii",
        "skos:prefLabel",
        "Datatype",
    ),
    case(
        "rechtskreis-scheme-missing",
        remove("rk:sgb-ii", "skos:inScheme"),
        "rk_sgb_ii",
        "skos:inScheme",
        "MinCount",
    ),
]


# Facts derived, not read (aqb:Herleitung).
FAILING_CASES += [
    case("zv-laufzeitbeginn-not-said-derived", delete("$h_begin aqb:hergeleiteteEigenschaft aqb:laufzeitBeginn"), "zv", "^aqb:betrifft/aqb:hergeleiteteEigenschaft", "HasValue"),
    case("zv-laufzeitende-not-said-derived", replace("$h_end", "aqb:hergeleiteteEigenschaft", "aqb:jahr"), "zv", "^aqb:betrifft/aqb:hergeleiteteEigenschaft", "HasValue"),
    case("bereich-anzahl-not-said-derived", replace("$h_count1", "aqb:betrifft", "$b2"), "b1", "^aqb:betrifft/aqb:hergeleiteteEigenschaft", "HasValue"),
    case("herleitung-betrifft-missing", remove("$h_begin", "aqb:betrifft"), "h_begin", "aqb:betrifft", "MinCount"),
    case("herleitung-betrifft-twice", add("$h_begin aqb:betrifft $budget"), "h_begin", "aqb:betrifft", "MaxCount"),
    case("herleitung-betrifft-literal", replace("$h_begin", "aqb:betrifft", '"zv"'), "h_begin", "aqb:betrifft", "NodeKind"),
    case("herleitung-eigenschaft-missing", remove("$h_begin", "aqb:hergeleiteteEigenschaft"), "h_begin", "aqb:hergeleiteteEigenschaft", "MinCount"),
    case("herleitung-eigenschaft-twice", add("$h_begin aqb:hergeleiteteEigenschaft aqb:jahr"), "h_begin", "aqb:hergeleiteteEigenschaft", "MaxCount"),
    case("herleitung-eigenschaft-literal", replace("$h_begin", "aqb:hergeleiteteEigenschaft", '"laufzeitBeginn"'), "h_begin", "aqb:hergeleiteteEigenschaft", "NodeKind"),
    case("herleitung-regel-missing", remove("$h_begin", "aqb:regel"), "h_begin", "aqb:regel", "MinCount"),
    case("herleitung-regel-twice", add("$h_begin aqb:regel aqb:LaufzeitendeAusJahr"), "h_begin", "aqb:regel", "MaxCount"),
    case("herleitung-regel-not-a-rule", replace("$h_begin", "aqb:regel", "aqb:jahr"), "h_begin", "aqb:regel", "Class"),
    case("herleitung-source-missing", remove("$h_begin", "prov:wasDerivedFrom"), "h_begin", "prov:wasDerivedFrom", "MinCount"),
    case("herleitung-source-twice", add("$h_begin prov:wasDerivedFrom $fs_rk"), "h_begin", "prov:wasDerivedFrom", "MaxCount"),
    case("herleitung-source-not-a-fundstelle", replace("$h_begin", "prov:wasDerivedFrom", "$doc"), "h_begin", "prov:wasDerivedFrom", "Class"),
    case("rule-label-missing", remove("$rule", "rdfs:label", 'FILTER (lang(?o) = "en")'), "rule", "rdfs:label", "MinCount"),
    case("rule-label-twice-in-german", add('$rule rdfs:label "Beginn"@de'), "rule", "rdfs:label", "UniqueLang"),
    case("rule-label-in-french", replace("$rule", "rdfs:label", '"début"@fr', 'FILTER (lang(?o) = "en")'), "rule", "rdfs:label", "LanguageIn"),
    case("rule-definition-missing", remove("$rule", "skos:definition", 'FILTER (lang(?o) = "en")'), "rule", "skos:definition", "MinCount"),
    case("rule-definition-twice-in-german", add('$rule skos:definition "Noch eine."@de'), "rule", "skos:definition", "UniqueLang"),
    case("rule-definition-in-french", replace("$rule", "skos:definition", '"Le début."@fr', 'FILTER (lang(?o) = "en")'), "rule", "skos:definition", "LanguageIn"),
    case("fundstelle-quotes-a-derived-fact", replace("$fs", "aqb:eigenschaft", "aqb:laufzeitBeginn"), "fs", "aqb:eigenschaft", "Not"),
]  # fmt: skip


# The source document as a resource and the W3C Web Annotation selectors of a Fundstelle.
HEX = '"0f3d9f78c524444c181ac788679abd0a8b49e99e94d78658f2fd585b3b01beb3"^^xsd:hexBinary'
INTEGER = "^^xsd:integer"
FAILING_CASES += [
    case("zv-derived-missing", remove("$zv", "prov:wasDerivedFrom"), "zv", "prov:wasDerivedFrom", "MinCount"),
    case(
        "zv-derived-twice",
        add("$zv prov:wasDerivedFrom $doc2", "$doc2 a aqb:Quelldokument"),
        "zv", "prov:wasDerivedFrom", "MaxCount",
    ),
    case("zv-derived-not-a-document", replace("$zv", "prov:wasDerivedFrom", "$gk"), "zv", "prov:wasDerivedFrom", "Class"),
    case("fundstelle-text-missing", remove("$fs", "oa:hasSource"), "fs", "oa:hasSource", "MinCount"),
    case("fundstelle-text-twice", add("$fs oa:hasSource $other"), "fs", "oa:hasSource", "MaxCount"),
    case("fundstelle-text-literal", replace("$fs", "oa:hasSource", '"text"'), "fs", "oa:hasSource", "NodeKind"),
    case("fundstelle-one-selector", delete("$fs oa:hasSelector $q"), "fs", "oa:hasSelector", "MinCount"),
    case("selector-of-no-fundstelle", delete("$fs oa:hasSelector $q"), "q", "^oa:hasSelector", "MinCount"),
    case("selector-of-two-fundstellen", add("$fs_rk oa:hasSelector $q"), "q", "^oa:hasSelector", "MaxCount"),
    case("fundstelle-three-selectors", add("$fs oa:hasSelector $other"), "fs", "oa:hasSelector", "MaxCount"),
    case("fundstelle-selector-untyped", add("$fs oa:hasSelector $other"), "fs", "oa:hasSelector", "Or"),
    case("fundstelle-selector-literal", add('$fs oa:hasSelector "zitat"'), "fs", "oa:hasSelector", "NodeKind"),
    case("fundstelle-two-pages", add("$fs aqb:seite 1", "$fs aqb:seite 2"), "fs", "aqb:seite", "MaxCount"),
    case("fundstelle-page-decimal", add("$fs aqb:seite 1.0"), "fs", "aqb:seite", "Datatype"),
    case("fundstelle-page-zero", add("$fs aqb:seite 0"), "fs", "aqb:seite", "MinInclusive"),
    case("quote-exact-missing", remove("$q", "oa:exact"), "q", "oa:exact", "MinCount"),
    case("quote-exact-twice", add('$q oa:exact "1.011.410"'), "q", "oa:exact", "MaxCount"),
    case("quote-exact-language", replace("$q", "oa:exact", '"1.011.410 Euro"@de'), "q", "oa:exact", "Datatype"),
    case("quote-exact-empty", replace("$q", "oa:exact", '""'), "q", "oa:exact", "MinLength"),
    case("quote-prefix-twice", add('$q oa:prefix "x"'), "q", "oa:prefix", "MaxCount"),
    case("quote-prefix-language", replace("$q", "oa:prefix", '"x"@de'), "q", "oa:prefix", "Datatype"),
    case("quote-suffix-twice", add('$q oa:suffix "x"'), "q", "oa:suffix", "MaxCount"),
    case("quote-suffix-language", replace("$q", "oa:suffix", '"x"@de'), "q", "oa:suffix", "Datatype"),
    case("position-start-missing", remove("$pos", "oa:start"), "pos", "oa:start", "MinCount"),
    case("position-start-twice", add(f'$pos oa:start "1"{INTEGER}'), "pos", "oa:start", "MaxCount"),
    case("position-start-decimal", replace("$pos", "oa:start", '"5175"^^xsd:decimal'), "pos", "oa:start", "Datatype"),
    case("position-start-negative", replace("$pos", "oa:start", f'"-1"{INTEGER}'), "pos", "oa:start", "MinInclusive"),
    case("position-end-missing", remove("$pos", "oa:end"), "pos", "oa:end", "MinCount"),
    case("position-end-twice", add(f'$pos oa:end "9999"{INTEGER}'), "pos", "oa:end", "MaxCount"),
    case("position-end-decimal", replace("$pos", "oa:end", '"5189"^^xsd:decimal'), "pos", "oa:end", "Datatype"),
    case("position-end-negative", replace("$pos", "oa:end", f'"-1"{INTEGER}'), "pos", "oa:end", "MinInclusive"),
    case("position-empty-range", replace("$pos", "oa:end", f'"5175"{INTEGER}'), "pos", "oa:start", "LessThan"),
    case("dokument-title-missing", remove("$doc", "dcterms:title"), "doc", "dcterms:title", "MinCount"),
    case("dokument-title-twice", add('$doc dcterms:title "x.md"'), "doc", "dcterms:title", "MaxCount"),
    case("dokument-title-language", replace("$doc", "dcterms:title", '"x.md"@de'), "doc", "dcterms:title", "Datatype"),
    case("dokument-title-empty", replace("$doc", "dcterms:title", '""'), "doc", "dcterms:title", "MinLength"),
    case("dokument-format-missing", remove("$doc", "dcterms:format"), "doc", "dcterms:format", "MinCount"),
    case(
        "dokument-format-twice",
        add("$doc dcterms:format <https://www.iana.org/assignments/media-types/text/plain>"),
        "doc", "dcterms:format", "MaxCount",
    ),
    case("dokument-format-literal", replace("$doc", "dcterms:format", '"text/markdown"'), "doc", "dcterms:format", "NodeKind"),
    case("dokument-format-not-iana", replace("$doc", "dcterms:format", "$other"), "doc", "dcterms:format", "Pattern"),
    case("dokument-size-missing", remove("$doc", "dcat:byteSize"), "doc", "dcat:byteSize", "MinCount"),
    case("dokument-size-twice", add(f'$doc dcat:byteSize "1"{INTEGER}'), "doc", "dcat:byteSize", "MaxCount"),
    case("dokument-size-string", replace("$doc", "dcat:byteSize", '"7505"'), "doc", "dcat:byteSize", "Datatype"),
    case("dokument-size-zero", replace("$doc", "dcat:byteSize", f'"0"{INTEGER}'), "doc", "dcat:byteSize", "MinExclusive"),
    case("dokument-checksum-missing", remove("$doc", "spdx:checksum"), "doc", "spdx:checksum", "MinCount"),
    case(
        "dokument-checksum-twice",
        add(
            "$doc spdx:checksum $other", "$other a spdx:Checksum",
            "$other spdx:algorithm spdx:checksumAlgorithm_sha256", f"$other spdx:checksumValue {HEX}",
        ),
        "doc", "spdx:checksum", "MaxCount",
    ),
    case("dokument-checksum-untyped", delete("$chk a spdx:Checksum"), "doc", "spdx:checksum", "Class"),
    case("checksum-algorithm-missing", remove("$chk", "spdx:algorithm"), "chk", "spdx:algorithm", "MinCount"),
    case(
        "checksum-algorithm-twice",
        add("$chk spdx:algorithm spdx:checksumAlgorithm_sha1"),
        "chk", "spdx:algorithm", "MaxCount",
    ),
    case(
        "checksum-algorithm-sha1",
        replace("$chk", "spdx:algorithm", "spdx:checksumAlgorithm_sha1"),
        "chk", "spdx:algorithm", "HasValue",
    ),
    case("checksum-value-missing", remove("$chk", "spdx:checksumValue"), "chk", "spdx:checksumValue", "MinCount"),
    case(
        "checksum-value-twice",
        add(f'$chk spdx:checksumValue "{"0" * 64}"^^xsd:hexBinary'),
        "chk", "spdx:checksumValue", "MaxCount",
    ),
    case("checksum-value-string", replace("$chk", "spdx:checksumValue", f'"{SHA256}"'), "chk", "spdx:checksumValue", "Datatype"),
    case(
        "checksum-value-upper-case",
        replace("$chk", "spdx:checksumValue", f'"{SHA256.upper()}"^^xsd:hexBinary'),
        "chk", "spdx:checksumValue", "Pattern",
    ),
    case("dokument-text-missing", remove("$doc", "aqb:textfassung"), "doc", "aqb:textfassung", "MinCount"),
    case("dokument-text-twice", add("$doc aqb:textfassung $other"), "doc", "aqb:textfassung", "MaxCount"),
    case("dokument-text-literal", replace("$doc", "aqb:textfassung", '"text"'), "doc", "aqb:textfassung", "NodeKind"),
    case("dokument-original-missing", remove("$doc", "schema:contentUrl"), "doc", "schema:contentUrl", "MinCount"),
    case("dokument-original-twice", add("$doc schema:contentUrl $other"), "doc", "schema:contentUrl", "MaxCount"),
    case("dokument-original-literal", replace("$doc", "schema:contentUrl", '"x.md"'), "doc", "schema:contentUrl", "NodeKind"),
    case(
        "dokument-url-twice",
        add("$doc schema:url <https://example.org/a.pdf>", "$doc schema:url <https://example.org/b.pdf>"),
        "doc", "schema:url", "MaxCount",
    ),
    case("dokument-url-literal", add('$doc schema:url "https://example.org/a.pdf"'), "doc", "schema:url", "NodeKind"),
    case("dokument-url-not-http", add("$doc schema:url <ftp://example.org/a.pdf>"), "doc", "schema:url", "Pattern"),
    # Names of an organisation through time (aqb:Name, SKOS-XL labels with their periods)
    case("org-current-name-missing", remove("$hmsi", "skosxl:prefLabel"), "hmsi", "skosxl:prefLabel", "MinCount"),
    case(
        "org-current-name-not-a-name",
        delete("$hmsi_name a aqb:Name"),
        "hmsi", "skosxl:prefLabel", "Class",
    ),
    case(
        "org-current-name-ended",
        add('$hmsi_name schema:endDate "2025-12-31"^^xsd:date'),
        "hmsi_name", "schema:endDate", "MaxCount",
    ),
    case(
        "org-two-current-german-names",
        add(
            "$hmsi skosxl:prefLabel $other", "$other a aqb:Name",
            '$other skosxl:literalForm "Hessisches Sozialministerium"@de',
        ),
        "hmsi", "skosxl:prefLabel/skosxl:literalForm", "UniqueLang",
    ),
    case(
        "org-label-not-the-current-name",
        replace("$hmsi", "rdfs:label", '"Hessisches Sozialministerium"@de', 'FILTER (lang(?o) = "de")'),
        "hmsi", "skosxl:prefLabel/skosxl:literalForm", "Equals",
    ),
    case("org-former-name-not-a-name", delete("$hmsi_former a aqb:Name"), "hmsi", "skosxl:altLabel", "Class"),
    case("org-former-name-open", remove("$hmsi_former", "schema:endDate"), "hmsi_former", "schema:endDate", "MinCount"),
    case("name-form-missing", remove("$hmsi_former", "skosxl:literalForm"), "hmsi_former", "skosxl:literalForm", "MinCount"),
    case(
        "name-form-twice",
        add('$hmsi_former skosxl:literalForm "Hessian Ministry of Social Affairs and Integration"@en'),
        "hmsi_former", "skosxl:literalForm", "MaxCount",
    ),
    case(
        "name-form-without-language",
        replace("$hmsi_former", "skosxl:literalForm", '"Hessisches Ministerium für Soziales und Integration"'),
        "hmsi_former", "skosxl:literalForm", "Datatype",
    ),
    case(
        "name-form-in-french",
        replace("$hmsi_former", "skosxl:literalForm", '"Ministère hessois des Affaires sociales"@fr'),
        "hmsi_former", "skosxl:literalForm", "LanguageIn",
    ),
    case(
        "name-start-twice",
        add('$hmsi_former schema:startDate "2014-01-19"^^xsd:date'),
        "hmsi_former", "schema:startDate", "MaxCount",
    ),
    case(
        "name-start-not-a-date",
        replace("$hmsi_former", "schema:startDate", '"18. Januar 2014"'),
        "hmsi_former", "schema:startDate", "Datatype",
    ),
    case(
        "name-end-twice",
        add('$hmsi_former schema:endDate "2024-01-18"^^xsd:date'),
        "hmsi_former", "schema:endDate", "MaxCount",
    ),
    case(
        "name-end-not-a-date",
        replace("$hmsi_former", "schema:endDate", '"2024"^^xsd:gYear'),
        "hmsi_former", "schema:endDate", "Datatype",
    ),
    case(
        "name-ends-before-it-starts",
        replace("$hmsi_former", "schema:endDate", '"2013-12-31"^^xsd:date'),
        "hmsi_former", "schema:startDate", "LessThanOrEquals",
    ),
]  # fmt: skip


def apply(data: Graph, update: str) -> Graph:
    iris = {name: f"<{iri}>" for name, iri in NODES.items()}
    data.update(SPARQL_PREFIXES + Template(update).substitute(iris))
    return data


def describe(results: Iterable[Result]) -> str:
    return "\n".join(sorted(str(r) for r in results))


@functools.cache
def broken_report(update: str, valid_data: Graph, shapes: Graph) -> Report:
    """The report on ``valid_data`` changed by ``update``; kept, so that the coverage check below
    reads the reports the cases made (27 s less) instead of validating each case again (a Graph
    is hashed by its identifier, a fresh blank node per graph; the module's graphs are shared)."""
    data = apply(copy(valid_data), update)
    assert set(data) != set(valid_data), f"the update changed nothing:\n{update}"
    return validate(data, shapes)


def expected_results(report: Report, focus: str, path: str | None, component: str) -> list[Result]:
    return [
        r
        for r in report.results
        if r.component == component and r.focus == URIRef(focus) and r.path == path
    ]


@pytest.mark.parametrize(("update", "focus", "path", "component"), FAILING_CASES)
def test_broken_agreement_is_reported(
    update: str,
    focus: str,
    path: str | None,
    component: str,
    valid_data: Graph,
    checked_shapes: Graph,
) -> None:
    report = broken_report(update, valid_data, checked_shapes)

    assert not report.conforms, f"the change was not detected:\n{update}"
    matching = expected_results(report, focus, path, component)
    assert matching, (
        f"expected {component} at <{focus}> path {path}; got:\n{describe(report.results)}"
    )
    for result in matching:
        languages = {m.language for m in result.messages}
        assert {"de", "en"} <= languages, f"{result}: messages {sorted(result.messages)}"


def test_every_failing_case_has_its_own_id() -> None:
    ids = [param.id for param in FAILING_CASES]
    assert len(ids) == len(set(ids))


# The constraint component each constraint parameter of SHACL Core stands for.
COMPONENTS = {
    SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind",
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.minExclusive: "MinExclusive",
    SH.minInclusive: "MinInclusive", SH.maxExclusive: "MaxExclusive",
    SH.maxInclusive: "MaxInclusive", SH.minLength: "MinLength", SH.maxLength: "MaxLength",
    SH.pattern: "Pattern", SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang",
    SH.equals: "Equals", SH.disjoint: "Disjoint", SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals", SH["not"]: "Not", SH["and"]: "And",
    SH["or"]: "Or", SH.xone: "Xone", SH.node: "Node", SH.hasValue: "HasValue", SH["in"]: "In",
    SH.qualifiedValueShape: "QualifiedMinCount", SH.closed: "Closed",
}  # fmt: skip


def test_every_constraint_has_a_failing_case(valid_data: Graph, shapes: Graph) -> None:
    """Each constraint of each named shape is the expected result of at least one case."""
    declared = {
        (shape, COMPONENTS[p] + "ConstraintComponent")
        for shape, p, _ in shapes
        if isinstance(shape, URIRef) and isinstance(p, URIRef) and p in COMPONENTS
    }
    exercised = set()
    for param in FAILING_CASES:
        update, focus, path, component = param.values
        assert isinstance(update, str) and isinstance(focus, str) and isinstance(component, str)
        assert path is None or isinstance(path, str)
        report = broken_report(update, valid_data, shapes)
        for result in expected_results(report, focus, path, component):
            exercised.add((result.shape, result.component))
    missing = sorted(f"{compact(shape)} {component}" for shape, component in declared - exercised)
    assert missing == []


# --- the shapes graph ------------------------------------------------------------------------

CORE_PARAMETERS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minExclusive,
    SH.minInclusive, SH.maxExclusive, SH.maxInclusive, SH.minLength, SH.maxLength, SH.pattern,
    SH.flags, SH.languageIn, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan,
    SH.lessThanOrEquals, SH["not"], SH["and"], SH["or"], SH.xone, SH.node, SH.property,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.closed,
    SH.ignoredProperties, SH.hasValue, SH["in"],
}  # fmt: skip


def property_shapes(shapes: Graph) -> set[Node]:
    return {s for s in shapes.subjects(SH.path, None)}


def test_shapes_use_sh_namespace_terms_that_exist(shapes: Graph) -> None:
    """Guards against typos such as sh:lessThanOrEqual, which SHACL would silently ignore."""
    shacl = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl.ttl")
    known = {s for s in shacl.subjects() if isinstance(s, URIRef)}
    used = {t for triple in shapes for t in triple if str(t).startswith(str(SH))}
    assert used - known == set()


def test_shapes_use_core_constraints_only(shapes: Graph) -> None:
    assert not list(shapes.triples((None, SH.sparql, None)))
    assert not list(shapes.triples((None, RDF.type, SH.SPARQLConstraint)))
    assert not list(shapes.triples((None, RDF.type, SH.ConstraintComponent)))
    for shape in property_shapes(shapes):
        constraints = {p for p in shapes.predicates(shape) if str(p).startswith(str(SH))}
        assert constraints & CORE_PARAMETERS, f"{shape} has no constraint"


def test_every_property_shape_is_named_and_has_german_and_english_messages(
    shapes: Graph,
) -> None:
    for shape in property_shapes(shapes) | {s for s in shapes.subjects(SH["not"], None)}:
        names = [n for n in shapes.objects(shape, SH.name) if isinstance(n, Literal)]
        messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
        if shape in property_shapes(shapes):
            assert {n.language for n in names} == {"de", "en"}, shape
        assert sorted(str(m.language) for m in messages) == ["de", "en"], shape
        assert shapes.value(shape, SH.severity) == SH.Violation, shape


def test_every_property_shape_belongs_to_a_node_shape(shapes: Graph) -> None:
    attached = set(shapes.objects(None, SH.property))
    assert property_shapes(shapes) - attached == set()
    for node_shape in shapes.subjects(SH.property, None):
        assert (node_shape, RDF.type, SH.NodeShape) in shapes


def test_every_path_in_the_shapes_is_declared_in_the_ontology(
    shapes: Graph, ontology: Graph
) -> None:
    def predicates(path: Node | None) -> Iterator[Node]:
        if path is None:
            raise AssertionError("a property shape without sh:path")
        if isinstance(path, URIRef):
            yield path
        elif (inverse := shapes.value(path, SH.inversePath)) is not None:
            yield from predicates(inverse)
        else:
            for step in Collection(shapes, path):
                yield from predicates(step)

    paths = [shapes.value(shape, SH.path) for shape in property_shapes(shapes)]
    used = {p for path in paths for p in predicates(path)}
    assert {p for p in used if not is_declared(p, ontology) and not is_standard(p)} == set()


# --- the ontology ----------------------------------------------------------------------------

ONTOLOGY_IRI = URIRef(BASE + "def/aqb")
CLASSES = {
    "Zielvereinbarung", "Ministerium", "Regierungspraesidium", "Gebietskoerperschaft",
    "Landkreis", "KreisfreieStadt", "Budget", "Massnahmenart", "Massnahmenbereich", "Projekt",
    "Unterzeichnung", "Rechtskreis", "Bezugsrahmen", "Fundstelle", "Quelldokument", "Name",
    "Herleitung", "Herleitungsregel",
}  # fmt: skip
PROPERTIES = {
    "jahr", "laufzeitBeginn", "laufzeitEnde", "ministerium", "gebietskoerperschaft", "budget",
    "massnahmenbereich", "massnahmenart", "bezeichnung", "projekt", "position", "betrag",
    "zielvereinbarung", "rechtskreis", "bezugsrahmen", "bewilligungsbehoerde",
    "bewilligungsform", "unterzeichnung", "ort", "person", "funktion", "datum", "organisation",
    "organisationLaut", "belegt", "eigenschaft", "zeileVon", "zeileBis",
    "kreisschluessel", "gueltigAb", "gueltigBis", "kurzname", "regierungsbezirk",
    "nuts3", "sha256", "dateiname", "medientyp", "wert", "anzahlProjekte", "nichtAufgefuehrt",
    "betrifft", "hergeleiteteEigenschaft", "regel",
    "ministeriumLaut", "gebietskoerperschaftLaut", "vertretungsvermerk", "textfassung", "seite",
}  # fmt: skip
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)
STANDARD_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(SKOS))


def is_standard(term: Node) -> bool:
    # str(): rdflib's Identifier.startswith takes one prefix, not a tuple.
    return isinstance(term, URIRef) and str(term).startswith(STANDARD_NAMESPACES)


def is_declared(term: Node, ontology: Graph) -> bool:
    return any((term, RDF.type, t) in ontology for t in (*PROPERTY_TYPES, OWL.Class))


def aqb_terms(ontology: Graph) -> set[URIRef]:
    return {
        s
        for t in (OWL.Class, *PROPERTY_TYPES)
        for s in ontology.subjects(RDF.type, t)
        if isinstance(s, URIRef) and s.startswith(AQB)
    }


def test_ontology_declares_the_classes_and_properties_of_the_readme(ontology: Graph) -> None:
    classes = {s for s in ontology.subjects(RDF.type, OWL.Class) if str(s).startswith(AQB)}
    properties = {
        s for t in PROPERTY_TYPES for s in ontology.subjects(RDF.type, t) if str(s).startswith(AQB)
    }
    assert classes == {AQB[c] for c in CLASSES}
    assert properties == {AQB[p] for p in PROPERTIES}


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for p in (DCTERMS.title, DCTERMS.description):
        values = ontology.objects(ONTOLOGY_IRI, p)
        languages = {o.language for o in values if isinstance(o, Literal)}
        assert languages == {"de", "en"}, p
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) is not None


def test_every_term_has_german_and_english_labels_and_definitions(ontology: Graph) -> None:
    missing = []
    for term in sorted(aqb_terms(ontology)):
        for predicates in ((RDFS.label,), (SKOS.definition, RDFS.comment)):
            languages = {
                o.language
                for p in predicates
                for o in ontology.objects(term, p)
                if isinstance(o, Literal)
            }
            if not {"de", "en"} <= languages:
                found = sorted(map(str, languages))
                missing.append(f"{compact(term)} {compact(predicates[0])}: {found}")
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology:
            missing.append(f"{compact(term)} rdfs:isDefinedBy")
    assert missing == []


def test_every_property_has_domain_range_and_kind(ontology: Graph) -> None:
    for p in PROPERTIES:
        term = AQB[p]
        kinds = {t for t in PROPERTY_TYPES if (term, RDF.type, t) in ontology}
        assert len(kinds) == 1, term
        assert ontology.value(term, RDFS.domain) is not None, term
        assert ontology.value(term, RDFS.range) is not None, term


def test_reused_vocabularies(ontology: Graph) -> None:
    """W3C vocabularies are reused by subclassing, as README.md promises."""
    org = Namespace("http://www.w3.org/ns/org#")
    cpov = Namespace("http://data.europa.eu/m8g/")
    prov = Namespace("http://www.w3.org/ns/prov#")
    expected = {
        (AQB.Ministerium, org.FormalOrganization),
        (AQB.Ministerium, cpov.PublicOrganisation),
        (AQB.Regierungspraesidium, cpov.PublicOrganisation),
        (AQB.Gebietskoerperschaft, cpov.PublicOrganisation),
        (AQB.Landkreis, AQB.Gebietskoerperschaft),
        (AQB.KreisfreieStadt, AQB.Gebietskoerperschaft),
        (AQB.Budget, SCHEMA.MonetaryAmount),
        (AQB.Massnahmenart, SKOS.Concept),
        (AQB.Rechtskreis, SKOS.Concept),
        (AQB.Zielvereinbarung, prov.Entity),
        (AQB.Quelldokument, prov.Entity),
        (AQB.Fundstelle, prov.Entity),
        (AQB.Unterzeichnung, prov.Activity),
    }
    assert {(s, o) for s, o in expected if (s, RDFS.subClassOf, o) not in ontology} == set()
    assert (AQB.Landkreis, OWL.disjointWith, AQB.KreisfreieStadt) in ontology


def test_every_property_in_the_valid_agreement_is_declared(ontology: Graph) -> None:
    instance_data = parse(VALID_AGREEMENT)
    undeclared = {
        p for p in instance_data.predicates() if not is_standard(p) and not is_declared(p, ontology)
    }
    assert undeclared == set()
    classes = set(instance_data.objects(None, RDF.type))
    assert {c for c in classes if not is_declared(c, ontology)} == set()


def test_every_class_has_a_node_shape(valid_data: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    used = {c for c in valid_data.objects(None, RDF.type) if str(c).startswith(AQB)}
    assert used - targeted == set()
    assert {AQB[c] for c in CLASSES} - targeted == set()
    for shape in shapes.subjects(SH.targetClass, None):
        assert (shape, RDF.type, SH.NodeShape) in shapes


# --- the concept schemes ---------------------------------------------------------------------


def test_massnahmenarten_scheme() -> None:
    scheme = parse(CONCEPT_SCHEMES[0])
    concepts = set(scheme.subjects(RDF.type, AQB.Massnahmenart))
    assert concepts == {MART[str(n)] for n in range(1, 5)}
    for n in range(1, 5):
        concept = MART[str(n)]
        assert (concept, RDF.type, SKOS.Concept) in scheme
        assert scheme.value(concept, SKOS.notation) == Literal(str(n))
        assert (concept, SKOS.topConceptOf, URIRef(NODES["mart_scheme"])) in scheme
    assert (
        MART["2"],
        SKOS.altLabel,
        Literal("Ausbildung und Ausbildungskoaching in anerkannten Ausbildungsberufen", lang="de"),
    ) in scheme


def test_rechtskreise_scheme() -> None:
    scheme = parse(CONCEPT_SCHEMES[1])
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiv"]
    expected = {RK[f"sgb-{r}"] for r in romans} | {RK.asylblg}
    assert set(scheme.subjects(RDF.type, AQB.Rechtskreis)) == expected
    assert scheme.value(RK["sgb-ii"], SKOS.notation) == Literal("SGB II")
    assert scheme.value(RK.asylblg, SKOS.notation) == Literal("AsylbLG")
    for concept in expected:
        assert (concept, RDF.type, SKOS.Concept) in scheme
        assert (concept, SKOS.topConceptOf, URIRef(NODES["rk_scheme"])) in scheme


def test_every_iri_is_under_the_default_base() -> None:
    """Rebasing replaces the prefix ``https://aqb-rdf.example/``; no other local IRIs exist."""
    for path in (ONTOLOGY, *CONCEPT_SCHEMES, SHAPES):
        graph = parse(path)
        for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
            assert "aqb-rdf" not in term or term.startswith(BASE), (path, term)
