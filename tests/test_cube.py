"""The budget cube (mapping/cube.py) against the W3C integrity constraints of RDF Data Cube.

The cube graph of a real build of ``data/agreements`` is loaded into a store and each
constraint of the specification (https://www.w3.org/TR/vocab-data-cube/#wf-rules, §11.1) runs
as its ``ASK`` query, which is true when the data *violate* it. IC-1 to IC-12 and IC-14 apply
to a cube without attributes or hierarchical code lists (IC-7 to IC-10 are about slices, which
the cube has none of: they must hold all the same). Broken copies must be caught, so the
queries do bite. The observations agree with the budgets of ``budget-per-region-year.rq``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, QueryBoolean, QuerySolutions, Store

from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.sparql.results import term_text
from aqb_rdf.sparql.store import find_query, load_dataset, run_query

pytestmark = pytest.mark.slow  # reads the session's build

PREFIXES = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

CONSTRAINTS = {
    "IC-1 unique data set": """ASK {
      { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
      UNION
      { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 . FILTER (?dataset1 != ?dataset2) }
    }""",
    "IC-2 unique DSD": """ASK {
      { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd . } }
      UNION
      { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) }
    }""",
    "IC-3 DSD includes measure": """ASK {
      ?dsd a qb:DataStructureDefinition .
      FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] }
    }""",
    "IC-4 dimensions have range": """ASK {
      ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] }
    }""",
    "IC-5 concept dimensions have code lists": """ASK {
      ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
      FILTER NOT EXISTS { ?dim qb:codeList [] }
    }""",
    "IC-6 only attributes may be optional": """ASK {
      ?dsd qb:component ?componentSpec .
      ?componentSpec qb:componentRequired "false"^^xsd:boolean ;
        qb:componentProperty ?component .
      FILTER NOT EXISTS { ?component a qb:AttributeProperty }
    }""",
    "IC-7 slice keys must be declared": """ASK {
      ?sliceKey a qb:SliceKey .
      FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey }
    }""",
    "IC-8 slice keys consistent with DSD": """ASK {
      ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
      ?dsd qb:sliceKey ?slicekey .
      FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] }
    }""",
    "IC-9 unique slice structure": """ASK {
      { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
      UNION
      { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 . FILTER (?key1 != ?key2) }
      UNION
      { ?dataset qb:slice ?slice . FILTER NOT EXISTS { ?slice a qb:Slice } }
    }""",
    "IC-10 slice dimensions complete": """ASK {
      ?slice qb:sliceStructure [qb:componentProperty ?dim] .
      FILTER NOT EXISTS { ?slice ?dim [] }
    }""",
    "IC-11 all dimensions required": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty .
      FILTER NOT EXISTS { ?obs ?dim [] }
    }""",
    "IC-12 no duplicate observations": """ASK {
      FILTER (?allEqual)
      {
        SELECT (MIN(?equal) AS ?allEqual) WHERE {
          ?obs1 qb:dataSet ?dataset .
          ?obs2 qb:dataSet ?dataset .
          FILTER (?obs1 != ?obs2)
          ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty .
          ?obs1 ?dim ?value1 .
          ?obs2 ?dim ?value2 .
          BIND (?value1 = ?value2 AS ?equal)
        } GROUP BY ?obs1 ?obs2
      }
    }""",
    "IC-14 all measures present": """ASK {
      ?obs qb:dataSet/qb:structure ?dsd .
      FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
      ?dsd qb:component/qb:componentProperty ?measure .
      ?measure a qb:MeasureProperty .
      FILTER NOT EXISTS { ?obs ?measure [] }
    }""",
}
CUBE = Iris(DEFAULT_BASE).cube_graph


def _cube(built: Path) -> Store:
    """The cube graph of the build alone, in the default graph of a new store."""
    store = Store()
    dataset = load_dataset(built)
    store.extend(
        Quad(q.subject, q.predicate, q.object)
        for q in dataset.quads_for_pattern(None, None, None, NamedNode(str(CUBE)))
    )
    return store


def violated(store: Store) -> list[str]:
    """The constraints ``store`` violates."""
    found = []
    for name, ask in CONSTRAINTS.items():
        answer = store.query(PREFIXES + ask)
        assert isinstance(answer, QueryBoolean)
        if bool(answer):
            found.append(name)
    return found


@pytest.fixture(scope="module")
def cube(built_default_dataset: Path) -> Store:
    return _cube(built_default_dataset)


def test_the_cube_meets_every_integrity_constraint(cube: Store) -> None:
    observations = cube.query(PREFIXES + "SELECT ?o WHERE { ?o a qb:Observation }")
    assert isinstance(observations, QuerySolutions) and len(list(observations)) == 2
    assert violated(cube) == []


BASE = DEFAULT_BASE
BROKEN = {
    "IC-11 all dimensions required": f"""DELETE WHERE {{
        <{BASE}id/datenwuerfel/budget/2025/06431> <{BASE}def/datenwuerfel#jahr> ?year }}""",
    "IC-12 no duplicate observations": f"""INSERT {{
        <{BASE}id/datenwuerfel/budget/copy> ?p ?o }} WHERE {{
        <{BASE}id/datenwuerfel/budget/2025/06431> ?p ?o }}""",
    "IC-4 dimensions have range": f"""DELETE WHERE {{
        <{BASE}def/datenwuerfel#jahr> <http://www.w3.org/2000/01/rdf-schema#range> ?range }}""",
    "IC-14 all measures present": f"""DELETE WHERE {{
        <{BASE}id/datenwuerfel/budget/2025/06413> <{BASE}def/datenwuerfel#budget> ?amount }}""",
    "IC-1 unique data set": f"""INSERT DATA {{
        <{BASE}id/datenwuerfel/budget/2025/06413> <http://purl.org/linked-data/cube#dataSet>
        <{BASE}id/datenwuerfel/other> }}""",
}


@pytest.mark.parametrize("constraint", sorted(BROKEN))
def test_a_broken_cube_violates_the_constraint(
    constraint: str, built_default_dataset: Path
) -> None:
    store = _cube(built_default_dataset)
    store.update(BROKEN[constraint])
    assert constraint in violated(store)


def test_the_observations_are_the_agreements_budgets(built_default_dataset: Path) -> None:
    dataset = load_dataset(built_default_dataset)
    rows = run_query(dataset, find_query("budget-per-region-year"), {}).records()
    budgets = {
        (term_text(r["year"]), term_text(r["key"])): Decimal(term_text(r["budget"])) for r in rows
    }
    cells = dataset.query(
        f"""SELECT ?year ?key ?amount WHERE {{ GRAPH <{CUBE}> {{
          ?o <{BASE}def/datenwuerfel#jahr> ?year ;
             <{BASE}def/datenwuerfel#gebietskoerperschaft> ?region ;
             <{BASE}def/datenwuerfel#budget> ?amount }}
          GRAPH ?reference {{ ?region <{BASE}def/aqb#kreisschluessel> ?key }} }}"""
    )
    assert isinstance(cells, QuerySolutions)
    found = {
        (term_text(s["year"]), term_text(s["key"])): Decimal(term_text(s["amount"])) for s in cells
    }
    assert found == budgets and len(found) == 2
