"""Organisations through time (issue 13, "Years"): one organisation, its names and their periods.

The reference table ``organisationen.csv`` gives the ministry three names, each with the days it
bore it; the build publishes each name as an ``aqb:Name`` (a SKOS-XL label) per language with
``schema:startDate`` / ``schema:endDate``, the current one as ``skosxl:prefLabel``, the former
ones as ``skosxl:altLabel``. A table whose periods contradict each other is refused in one line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from aqb_rdf import resources
from aqb_rdf.errors import AqbError
from aqb_rdf.mapping import graphs
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import RDF, RDFS, SCHEMA, SKOS, SKOSXL, XSD
from aqb_rdf.source.model import OrganisationName
from aqb_rdf.source.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
REGIONS = (ROOT / "data" / "reference" / "gebietskoerperschaften.csv").read_text(encoding="utf-8")
ORGANISATIONS = (ROOT / "data" / "reference" / "organisationen.csv").read_text(encoding="utf-8")
HMSI = URIRef(Iris().organisation("hmsi"))
OLDEST = "Hessisches Sozialministerium"
MIDDLE = "Hessisches Ministerium für Soziales und Integration"
CURRENT = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"


def _date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def test_the_ministry_has_three_names_with_their_periods() -> None:
    ministry = resources.reference().organisation("hmsi")
    assert [(n.name, n.valid_from, n.valid_until) for n in ministry.names] == [
        (OLDEST, dt.date(2010, 8, 31), dt.date(2014, 1, 17)),
        (MIDDLE, dt.date(2014, 1, 18), dt.date(2024, 1, 17)),
        (CURRENT, dt.date(2024, 1, 18), None),
    ]
    assert [n.name_en for n in ministry.names] == [
        "Hessian Ministry of Social Affairs",
        "Hessian Ministry of Social Affairs and Integration",
        "Hessian Ministry of Labour, Integration, Youth and Social Affairs",
    ]
    assert ministry.current_name == CURRENT
    assert ministry.name_en == ministry.names[-1].name_en


@pytest.mark.parametrize(
    ("first", "last", "in_force"),
    [
        (dt.date(2019, 6, 1), dt.date(2019, 6, 1), [MIDDLE]),
        (dt.date(2024, 1, 17), dt.date(2024, 1, 17), [MIDDLE]),
        (dt.date(2024, 1, 18), dt.date(2024, 1, 18), [CURRENT]),
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31), [MIDDLE, CURRENT]),  # a year spanning it
        (dt.date(2010, 1, 1), dt.date(2010, 12, 31), [OLDEST]),
        (dt.date(2009, 1, 1), dt.date(2009, 12, 31), []),  # before the table's first name
    ],
)
def test_the_names_in_force(first: dt.date, last: dt.date, in_force: list[str]) -> None:
    names = resources.reference().organisation("hmsi").names
    assert [n.name for n in names if n.in_force(first, last)] == in_force


def test_a_name_without_dates_is_always_in_force() -> None:
    assert OrganisationName("Regierungspräsidium Kassel").in_force(dt.date.min, dt.date.max)


def test_each_name_is_an_aqb_name_per_language_with_its_period() -> None:
    graph = graphs.reference_to_graph(resources.reference(), Iris())
    aqb = Iris().aqb
    current = set(graph.objects(HMSI, SKOSXL.prefLabel))
    former = set(graph.objects(HMSI, SKOSXL.altLabel))
    assert len(current) == 2 and len(former) == 4
    forms = {node: graph.value(node, SKOSXL.literalForm) for node in current | former}
    assert {forms[n] for n in current} == {
        Literal(CURRENT, lang="de"),
        Literal("Hessian Ministry of Labour, Integration, Youth and Social Affairs", lang="en"),
    }
    assert {forms[n] for n in current} == set(graph.objects(HMSI, RDFS.label))
    middle = URIRef(f"{HMSI}#name-hessisches-ministerium-fuer-soziales-und-integration-de")
    assert middle in former and (middle, RDF.type, aqb.Name) in graph
    assert graph.value(middle, SCHEMA.startDate) == _date("2014-01-18")
    assert graph.value(middle, SCHEMA.endDate) == _date("2024-01-17")
    oldest = URIRef(f"{HMSI}#name-hessisches-sozialministerium-en")
    assert graph.value(oldest, SKOSXL.literalForm) == Literal(
        "Hessian Ministry of Social Affairs", lang="en"
    )
    assert graph.value(oldest, SCHEMA.startDate) == _date("2010-08-31")
    assert graph.value(oldest, SCHEMA.endDate) == _date("2014-01-17")
    for node in current:
        assert graph.value(node, SCHEMA.endDate) is None
        assert graph.value(node, SCHEMA.startDate) == _date("2024-01-18")
    # The plain SKOS forms of the former names stay, as SKOS-XL's dumb-down gives them.
    assert {str(o) for o in graph.objects(HMSI, SKOS.altLabel)} == {
        OLDEST, MIDDLE, "Hessian Ministry of Social Affairs",
        "Hessian Ministry of Social Affairs and Integration",
    }  # fmt: skip


def test_an_authority_with_one_name_has_one_current_name_without_dates() -> None:
    graph = graphs.reference_to_graph(resources.reference(), Iris())
    rp_kassel = URIRef(Iris().organisation("rp-kassel"))
    names = set(graph.objects(rp_kassel, SKOSXL.prefLabel))
    assert len(names) == 2 and not set(graph.objects(rp_kassel, SKOSXL.altLabel))
    for node in names:
        assert graph.value(node, SCHEMA.startDate) is None
        assert graph.value(node, SCHEMA.endDate) is None


def _table_with(old: str, new: str) -> str:
    assert old in ORGANISATIONS
    return ORGANISATIONS.replace(old, new, 1)


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        (
            _table_with(",2014-01-18,2024-01-17,", ",2014-01-18,2024-01-18,"),
            3,
            "hmsi: the name 'Hessisches Ministerium für Soziales und Integration' (until "
            "2024-01-18) overlaps the next one",
        ),
        (
            _table_with(",2010-08-31,2014-01-17,", ",2010-08-31,,"),
            2,
            "hmsi: the name 'Hessisches Sozialministerium' (until open) overlaps the next one",
        ),
        (
            _table_with(",2014-01-18,2024-01-17,", ",,2024-01-17,").replace(
                ",2010-08-31,2014-01-17,", ",,2014-01-17,", 1
            ),
            3,
            "hmsi has several names without gueltig_ab: only its oldest may lack it",
        ),
        (
            _table_with(",2014-01-18,2024-01-17,", ",2024-01-17,2014-01-18,"),
            3,
            "gueltig_ab 2024-01-17 is after gueltig_bis 2014-01-18",
        ),
        (
            ORGANISATIONS + "hmsi,Ministerium,Hessisches Sozialministerium,,,,,,2030-01-01,,\n",
            8,
            "hmsi has the name 'Hessisches Sozialministerium' twice (also on line 2)",
        ),
    ],
    ids=["overlap", "older-name-open", "two-without-start", "start-after-end", "name-twice"],
)
def test_contradicting_periods_are_refused_in_one_line(table: str, line: int, message: str) -> None:
    with pytest.raises(AqbError) as raised:
        load_reference(REGIONS, table)
    text = str(raised.value)
    assert text.startswith(f"organisationen.csv:{line}: "), text
    assert message in text
    assert "\n" not in text
