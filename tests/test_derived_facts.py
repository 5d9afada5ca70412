"""Every fact of an agreement is read (it has a Fundstelle) or derived (an aqb:Herleitung says
so, and by which rule from which fact read) — issue 9: "Facts the build derives rather than
reads (such as a Laufzeit inferred from the year) are marked as derived, on pages and in RDF,
and never shown as quoted."

The seeds are mapped as the build maps them; each (subject, property) of the agreement's own
resources must be covered by a Fundstelle naming that property (or the whole resource), by a
Herleitung, or be one of the few structural statements listed below with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.term import Node

from aqb_rdf import resources
from aqb_rdf.mapping.graphs import agreement_triples
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import DCTERMS, PROV, RDF, RDFS, SCHEMA
from aqb_rdf.source.parsing import parse_agreement
from aqb_rdf.source.reading import read_document
from live_server import Server

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "agreements").rglob("*.*"))
IRIS = Iris(DEFAULT_BASE)
AQB = IRIS.aqb
DERIVED = {AQB.laufzeitBeginn, AQB.laufzeitEnde, AQB.anzahlProjekte}
STRUCTURAL = {
    RDF.type: "what a resource is, from where the parser found it",
    RDFS.label: "a label composed of facts that have their own Fundstellen (year, region)",
    AQB.budget: "the link to the budget, whose amount has its Fundstelle",
    AQB.massnahmenbereich: "the link to a Maßnahmenart's listing, which has its Fundstelle",
    AQB.projekt: "the link to a project, which has its Fundstelle",
    AQB.unterzeichnung: "the link to a signature, which has its Fundstelle",
    AQB.massnahmenart: "the listing's or project's Maßnahmenart, read with the listing",
    AQB.zielvereinbarung: "a project's agreement: the document it is listed in",
    AQB.position: "a project's place in its list, as listed",
    DCTERMS.source: "the document the facts are read from",
    PROV.wasDerivedFrom: "the document the agreement is made from",
    SCHEMA.currency: "read with the amount: the budget's Fundstelle quotes '€' or 'Euro'",
}


def _graph(path: Path) -> Sequence[tuple[Node, Node, Node]]:
    agreement = parse_agreement(read_document(path), resources.reference(None))
    return agreement_triples(agreement, IRIS)


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
def test_every_fact_is_read_or_said_to_be_derived(seed: Path) -> None:
    triples = _graph(seed)
    of: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in triples:
        of.setdefault(s, {}).setdefault(p, []).append(o)
    fundstellen = [s for s, props in of.items() if AQB.Fundstelle in props.get(RDF.type, [])]
    herleitungen = [s for s, props in of.items() if AQB.Herleitung in props.get(RDF.type, [])]

    def supported(fundstelle: Node) -> tuple[Node, Node | None]:
        """What a Fundstelle supports: its resource and property (None: the whole resource)."""
        props = of[fundstelle]
        return props[AQB.belegt][0], props[AQB.eigenschaft][0] if AQB.eigenschaft in props else None

    read = {supported(f) for f in fundstellen}
    derived: set[tuple[Node, Node | None]] = {
        (of[h][AQB.betrifft][0], of[h][AQB.hergeleiteteEigenschaft][0]) for h in herleitungen
    }
    agreement = next(
        s for s, props in of.items() if AQB.Zielvereinbarung in props.get(RDF.type, [])
    )
    own: list[Node] = [
        s
        for s in of
        if isinstance(s, URIRef) and (s == agreement or str(s).startswith(f"{agreement}/"))
    ]
    unplaced = []
    for subject in own:
        if subject in fundstellen or subject in herleitungen or "#" in str(subject):
            continue  # the evidence itself (a Fundstelle, its selectors, a Herleitung)
        for prop in of[subject]:
            if prop in STRUCTURAL or (subject, prop) in read or (subject, None) in read:
                continue
            if (subject, prop) not in derived:
                unplaced.append((str(subject), str(prop)))
    assert unplaced == []
    # The derived ones are exactly those, each from a fact read, by a rule of the ontology,
    # and none of them quoted.
    assert {prop for _, prop in derived} == DERIVED
    for h in herleitungen:
        [source] = of[h][PROV.wasDerivedFrom]
        assert source in fundstellen
        [rule] = of[h][AQB.regel]
        assert str(rule).startswith(str(AQB))
    assert not any(prop in DERIVED for _, prop in read)
    # A Maßnahmenart's count is derived from its own listing, the term from the year.
    for h in herleitungen:
        [subject], [prop] = of[h][AQB.betrifft], of[h][AQB.hergeleiteteEigenschaft]
        [source] = of[h][PROV.wasDerivedFrom]
        expected: tuple[Node, Node | None] = (
            (subject, None) if prop == AQB.anzahlProjekte else (agreement, AQB.jahr)
        )
        assert supported(source) == expected


def test_the_rules_are_in_the_ontology_in_both_languages() -> None:
    ontology = resources.ontology_graph(IRIS)
    rules = set(ontology.subjects(RDF.type, AQB.Herleitungsregel))
    assert rules == {
        AQB.LaufzeitbeginnAusJahr,
        AQB.LaufzeitendeAusJahr,
        AQB.AnzahlDerAufgefuehrtenProjekte,
    }
    for rule in rules:
        labels = [
            label for label in ontology.objects(rule, RDFS.label) if isinstance(label, Literal)
        ]
        assert {label.language for label in labels} == {"de", "en"}


@pytest.mark.slow  # a real server
def test_the_agreement_page_marks_the_term_as_derived_and_quotes_the_form_of_grant(
    running_server: Server,
) -> None:
    def page(lang: str) -> str:
        status, _, body = running_server.request(
            "GET", f"/id/zielvereinbarung/2025/06431?lang={lang}", headers={"Accept": "text/html"}
        )
        assert status == 200
        return body.decode("utf-8")

    german, english = page("de"), page("en")
    term = german.split('<dd class="term">', 1)[1].split("</dd>", 1)[0]
    assert "hergeleitet aus dem Jahr der Zielvereinbarung, nicht aus dem Dokument gelesen" in term
    assert "fundstelle" not in term  # never shown as quoted
    assert "derived from the year of the agreement, not read from the document" in english
    form = german.split('<dd class="approval-form">', 1)[1].split("</dd>", 1)[0]
    assert "Bescheid" in form and 'class="fundstelle"' in form
    status, _, body = running_server.request(
        "GET",
        "/id/zielvereinbarung/2025/06431/massnahmenart/1?lang=en",
        headers={"Accept": "text/html"},
    )
    listing = body.decode("utf-8")
    count = listing.split('title="https://aqb-rdf.example/def/aqb#anzahlProjekte"', 1)[1]
    count = count.split("</tr>", 1)[0]
    assert status == 200 and "(derived, not read:" in count
    assert "number of the projects listed" in count
