"""The named queries (queries/*.rq), their binding and formatting, on a hand-made dataset.

``tests/queries/fixture.trig`` follows the layout of ``dist/aqb.trig``; its header comment
tabulates what it holds, which is what the expected rows below are read from.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest

from aqb_rdf.errors import AqbError, QueryError
from aqb_rdf.sparql.named_queries import (
    SUBJECTS_MARKER,
    VALUES_MARKER,
    NamedQuery,
    bind,
    bind_subjects,
    parse_named_query,
    parse_params,
)
from aqb_rdf.sparql.results import (
    FORMATS,
    GraphResult,
    SelectResult,
    Term,
    format_answer,
    format_csv,
    format_json,
    format_result,
    format_table,
)
from aqb_rdf.sparql.store import (
    available_queries,
    find_query,
    load_dataset,
    offered_queries,
    run_query,
    run_select,
)

FIXTURE = Path(__file__).parent / "queries" / "fixture.trig"
QUERY_NAMES = (
    "budget-change-per-region",
    "budget-per-region-year",
    "collection-agreements",
    "collection-facets",
    "collection-massnahmenbereiche",
    "collection-projects",
    "collection-regions",
    "collection-signatures",
    "dataset-statistics",
    "describe-graph",
    "describe-resource",
    "fundstellen",
    "instances",
    "massnahmenart-mix-per-year",
    "projects-between-years",
    "projects-per-massnahmenart",
    "region",
    "regions-ranked-by-budget",
    "regions-without-project",
    "resource-exists",
    "resource-links",
    "sitemap-resources",
    "total-per-year",
    "vocabulary-labels",
)
SAMPLE_PARAMS = {
    "year": "2025",
    "from": "2024",
    "to": "2025",
    "key": "06413",
    "region": "06413",
    "rechtskreis": "https://aqb-rdf.example/def/rechtskreis/sgb-ii",
    "massnahmenart": "3",
    "resource": "https://aqb-rdf.example/id/gebietskoerperschaft/06413",
    "graph": "https://aqb-rdf.example/graph/reference",
    "class": "https://aqb-rdf.example/def/aqb#Zielvereinbarung",
    "document": "https://aqb-rdf.example/id/dokument/0f3d9f78c524444c",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
DECIMAL_TYPES = {XSD + "decimal", XSD + "integer"}
WEITERBILDUNG = (
    "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der"
    " fachlichen Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung"
)

Value = str | Decimal | None


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build output directory whose aqb.trig is the fixture."""
    out = tmp_path_factory.mktemp("dist")
    shutil.copy(FIXTURE, out / "aqb.trig")
    return out


@pytest.fixture(scope="session")
def store(dataset_dir: Path) -> pyoxigraph.Store:
    return load_dataset(dataset_dir)


def value(term: Term | None) -> Value:
    """A result term as a Python value: numbers as Decimal, anything else as its text."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal) and term.datatype.value in DECIMAL_TYPES:
        return Decimal(term.value)
    assert isinstance(term, (pyoxigraph.Literal, pyoxigraph.NamedNode))
    return term.value


def select(store: pyoxigraph.Store, name: str, **params: str) -> list[dict[str, Value]]:
    result = run_query(store, find_query(name), params)
    return [{k: value(v) for k, v in record.items()} for record in result.records()]


def columns(rows: list[dict[str, Value]], *names: str) -> list[tuple[Value, ...]]:
    return [tuple(row[name] for name in names) for row in rows]


# --- the query files ----------------------------------------------------------------------


def test_packaged_queries_are_listed() -> None:
    assert available_queries() == QUERY_NAMES


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_has_header_and_parses(name: str) -> None:
    query = find_query(name)
    assert query.name == name
    assert query.title and query.description
    assert "\n" not in query.title and "\n" not in query.description
    empty = pyoxigraph.Store()
    # Unbound, the marker is a comment; bound, the VALUES blocks must parse too.
    empty.query(query.text)
    params = {p.name: SAMPLE_PARAMS[p.name] for p in query.parameters}
    empty.query(bind(query, params))


def test_declared_parameters() -> None:
    declared = {
        name: [(p.name, p.type.name, p.required) for p in find_query(name).parameters]
        for name in QUERY_NAMES
    }
    assert declared == {
        "budget-change-per-region": [("key", "kreisschluessel", False), ("year", "gYear", False)],
        "budget-per-region-year": [("year", "gYear", False)],
        "collection-agreements": [
            ("year", "gYear", False),
            ("region", "kreisschluessel", False),
            ("rechtskreis", "iri", False),
        ],
        "collection-facets": [],
        "collection-massnahmenbereiche": [
            ("year", "gYear", False),
            ("region", "kreisschluessel", False),
            ("massnahmenart", "notation", False),
        ],
        "collection-projects": [
            ("year", "gYear", False),
            ("region", "kreisschluessel", False),
            ("massnahmenart", "notation", False),
        ],
        "collection-regions": [("year", "gYear", False)],
        "collection-signatures": [("year", "gYear", False), ("region", "kreisschluessel", False)],
        "massnahmenart-mix-per-year": [("year", "gYear", False)],
        "projects-between-years": [
            ("from", "gYear", True),
            ("to", "gYear", True),
            ("key", "kreisschluessel", False),
        ],
        "regions-ranked-by-budget": [("year", "gYear", True)],
        "dataset-statistics": [],
        "describe-graph": [("graph", "iri", True)],
        "describe-resource": [("resource", "iri", True)],
        "resource-exists": [("resource", "iri", True)],
        "resource-links": [("resource", "iri", True)],
        "fundstellen": [("document", "iri", True)],
        "instances": [("class", "iri", True)],
        "projects-per-massnahmenart": [
            ("year", "gYear", False),
            ("massnahmenart", "notation", False),
        ],
        "region": [("key", "kreisschluessel", True)],
        "regions-without-project": [
            ("year", "gYear", False),
            ("massnahmenart", "notation", False),
        ],
        "sitemap-resources": [],
        "total-per-year": [("year", "gYear", False)],
        "vocabulary-labels": [],
    }


# --- results on the fixture ---------------------------------------------------------------


def test_budget_per_region_year(store: pyoxigraph.Store) -> None:
    rows = select(store, "budget-per-region-year")
    assert columns(rows, "year", "key", "region", "budget", "currency") == [
        ("2024", "06413", "Stadt Offenbach am Main", Decimal("1400000.00"), "EUR"),
        ("2025", "06413", "Stadt Offenbach am Main", Decimal("1450700.00"), "EUR"),
        ("2025", "06431", "Kreis Bergstraße", Decimal("980000.50"), "EUR"),
    ]
    assert rows[0]["agreement"] == "https://aqb-rdf.example/id/zielvereinbarung/2024/06413"


def test_budget_per_region_year_in_one_year(store: pyoxigraph.Store) -> None:
    rows = select(store, "budget-per-region-year", year="2025")
    assert columns(rows, "key", "budget") == [
        ("06413", Decimal("1450700.00")),
        ("06431", Decimal("980000.50")),
    ]
    assert select(store, "budget-per-region-year", year="2023") == []


def test_budget_change_per_region(store: pyoxigraph.Store) -> None:
    rows = select(store, "budget-change-per-region")
    assert columns(
        rows, "key", "year", "budget", "previous_budget", "change", "change_percent"
    ) == [
        ("06413", "2024", Decimal("1400000"), None, None, None),
        (
            "06413",
            "2025",
            Decimal("1450700"),
            Decimal("1400000"),
            Decimal("50700"),
            Decimal("3.62"),
        ),
        ("06431", "2025", Decimal("980000.5"), None, None, None),
    ]
    one = select(store, "budget-change-per-region", key="06413", year="2025")
    assert columns(one, "change", "change_percent") == [(Decimal("50700"), Decimal("3.62"))]


def test_regions_ranked_by_budget(store: pyoxigraph.Store) -> None:
    rows = select(store, "regions-ranked-by-budget", year="2025")
    assert columns(rows, "rank", "key", "budget") == [
        (Decimal(1), "06413", Decimal("1450700")),
        (Decimal(2), "06431", Decimal("980000.5")),
    ]
    assert columns(select(store, "regions-ranked-by-budget", year="2024"), "rank", "key") == [
        (Decimal(1), "06413")
    ]


def test_massnahmenart_mix_per_year(store: pyoxigraph.Store) -> None:
    rows = select(store, "massnahmenart-mix-per-year")
    assert columns(rows, "year", "massnahmenart", "agreements", "projects", "share_percent") == [
        ("2024", "1", Decimal(1), Decimal(2), Decimal("66.7")),
        ("2024", "2", Decimal(1), Decimal(1), Decimal("33.3")),
        ("2024", "3", Decimal(1), Decimal(0), Decimal(0)),  # listed without projects
        ("2025", "1", Decimal(2), Decimal(2), Decimal("28.6")),
        ("2025", "2", Decimal(2), Decimal(3), Decimal("42.9")),
        ("2025", "3", Decimal(1), Decimal(1), Decimal("14.3")),
        ("2025", "4", Decimal(2), Decimal(1), Decimal("14.3")),
    ]
    assert len(select(store, "massnahmenart-mix-per-year", year="2024")) == 3


def test_projects_between_years(store: pyoxigraph.Store) -> None:
    rows = select(store, "projects-between-years", **{"from": "2024", "to": "2025"})
    assert columns(rows, "key", "status", "title") == [
        ("06413", "ended", "Berufsorientierung für Zugewanderte"),
        ("06413", "new", "Schulung der Fallmanager*innen"),
        ("06413", "new", "Teilqualifizierung „Lager und Logistik“"),
    ]  # Werkstattjahr and Ausbildungscoaching continue; Bergstraße has no 2024 agreement
    backwards = select(store, "projects-between-years", **{"from": "2025", "to": "2024"})
    assert columns(backwards, "status", "title") == [
        ("ended", "Schulung der Fallmanager*innen"),
        ("ended", "Teilqualifizierung „Lager und Logistik“"),
        ("new", "Berufsorientierung für Zugewanderte"),
    ]


def test_a_title_differing_only_in_case_and_spaces_continues(dataset_dir: Path) -> None:
    store = load_dataset(dataset_dir)  # its own: the session's store stays as the fixture is
    graph = "https://aqb-rdf.example/graph/zielvereinbarung/2025/06413"
    project = "https://aqb-rdf.example/id/zielvereinbarung/2025/06413/massnahmenart/1/projekt/1"
    store.update(
        f"DELETE {{ GRAPH <{graph}> {{ <{project}> <http://schema.org/name> ?n }} }}"
        f" INSERT {{ GRAPH <{graph}> {{ <{project}> <http://schema.org/name>"
        f' "  berufsorientierung  FÜR zugewanderte "@de }} }}'
        f" WHERE {{ GRAPH <{graph}> {{ <{project}> <http://schema.org/name> ?n }} }}"
    )
    rows = select(store, "projects-between-years", **{"from": "2024", "to": "2025"})
    titles = [str(row["title"]) for row in rows]
    assert "Berufsorientierung für Zugewanderte" not in titles  # continues, though written anew
    assert "Werkstattjahr" in titles  # 2025's project 1 was the Werkstattjahr: now it ended


def test_total_per_year(store: pyoxigraph.Store) -> None:
    rows = select(store, "total-per-year")
    assert columns(rows, "year", "agreements", "total", "currency") == [
        ("2024", Decimal(1), Decimal("1400000.00"), "EUR"),
        ("2025", Decimal(2), Decimal("2430700.50"), "EUR"),
    ]
    assert columns(select(store, "total-per-year", year="2024"), "year", "total") == [
        ("2024", Decimal("1400000.00"))
    ]


def test_projects_per_massnahmenart(store: pyoxigraph.Store) -> None:
    rows = select(store, "projects-per-massnahmenart")
    assert columns(rows, "massnahmenart", "massnahmenart_label", "projects") == [
        ("1", "Ausbildungsvorbereitung", Decimal(4)),
        ("2", "Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen", Decimal(4)),
        (
            "3",
            "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
            Decimal(1),
        ),
        ("4", WEITERBILDUNG, Decimal(1)),
    ]
    lists = {row["massnahmenart"]: sorted(str(row["list"]).split(" | ")) for row in rows}
    assert lists == {
        "1": [
            "2024 06413: Berufsorientierung für Zugewanderte",
            "2024 06413: Werkstattjahr",
            "2025 06413: Werkstattjahr",
            "2025 06431: Praxisklasse Heppenheim",
        ],
        "2": [
            "2024 06413: Ausbildungscoaching",
            "2025 06413: Ausbildungscoaching",
            "2025 06431: Ausbildungscoaching",
            "2025 06431: Teilzeitausbildung für Alleinerziehende",
        ],
        "3": ["2025 06413: Teilqualifizierung „Lager und Logistik“"],
        "4": ["2025 06413: Schulung der Fallmanager*innen"],
    }


def test_projects_per_massnahmenart_in_one_year(store: pyoxigraph.Store) -> None:
    rows = select(store, "projects-per-massnahmenart", year="2024")
    # 3 is listed without projects in 2024 and 4 is missing: both still get a row, count 0.
    assert columns(rows, "massnahmenart", "projects") == [
        ("1", Decimal(2)),
        ("2", Decimal(1)),
        ("3", Decimal(0)),
        ("4", Decimal(0)),
    ]
    assert rows[2]["list"] == ""
    one = select(store, "projects-per-massnahmenart", year="2025", massnahmenart="2")
    assert columns(one, "massnahmenart", "projects") == [("2", Decimal(3))]


def test_regions_without_project(store: pyoxigraph.Store) -> None:
    rows = select(store, "regions-without-project")
    assert columns(rows, "year", "key", "region", "massnahmenart", "status") == [
        ("2024", "06413", "Stadt Offenbach am Main", "3", "listed without projects"),
        ("2024", "06413", "Stadt Offenbach am Main", "4", "not listed"),
        ("2025", "06431", "Kreis Bergstraße", "3", "not listed"),
        ("2025", "06431", "Kreis Bergstraße", "4", "listed without projects"),
    ]
    assert [row["massnahmenart_label"] for row in rows[:2]] == [
        "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
        WEITERBILDUNG,
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2025"}, [("06431", "3"), ("06431", "4")]),
        ({"massnahmenart": "3"}, [("06413", "3"), ("06431", "3")]),
        ({"year": "2025", "massnahmenart": "3"}, [("06431", "3")]),
        ({"massnahmenart": "1"}, []),
    ],
)
def test_regions_without_project_with_params(
    store: pyoxigraph.Store, params: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    rows = select(store, "regions-without-project", **params)
    assert columns(rows, "key", "massnahmenart") == expected


def test_region_kreisfreie_stadt(store: pyoxigraph.Store) -> None:
    rows = select(store, "region", key="06413")
    facts = columns(rows, "year", "section", "massnahmenart", "position", "item", "detail")
    agreement_2024 = "https://aqb-rdf.example/id/zielvereinbarung/2024/06413"
    assert facts[:12] == [
        (None, "gebietskoerperschaft", None, None, "Stadt Offenbach am Main", "kreisfreie Stadt"),
        ("2024", "zielvereinbarung", None, None,
         "Zielvereinbarung 2024 – Stadt Offenbach am Main", agreement_2024),
        ("2024", "budget", None, None, Decimal("1400000.00"), "EUR"),
        ("2024", "massnahmenart", "1", None, "Ausbildungsvorbereitung", Decimal(2)),
        ("2024", "projekt", "1", Decimal(1), "Berufsorientierung für Zugewanderte", None),
        ("2024", "projekt", "1", Decimal(2), "Werkstattjahr", None),
        ("2024", "massnahmenart", "2", None, "Ausbildung und Ausbildungscoaching", Decimal(1)),
        ("2024", "projekt", "2", Decimal(1), "Ausbildungscoaching", None),
        ("2024", "massnahmenart", "3", None, "Qualifizierungsprojekte", Decimal(0)),
        ("2024", "unterzeichnung", None, Decimal(1), "Kai Klose",
         ("Staatsminister, Hessisches Ministerium für Soziales und Integration"
          " (Wiesbaden, 2024-03-12)")),
        ("2024", "unterzeichnung", None, Decimal(2), "Dr. Felix Schwenke",
         "Oberbürgermeister, Stadt Offenbach am Main (Offenbach am Main, 2024-03-04)"),
        ("2025", "zielvereinbarung", None, None,
         "Zielvereinbarung 2025 – Stadt Offenbach am Main",
         "https://aqb-rdf.example/id/zielvereinbarung/2025/06413"),
    ]  # fmt: skip
    sections_2025 = [(row[1], row[2]) for row in facts[12:]]
    assert sections_2025 == [
        ("budget", None),
        ("massnahmenart", "1"), ("projekt", "1"),
        ("massnahmenart", "2"), ("projekt", "2"),
        ("massnahmenart", "3"), ("projekt", "3"),
        ("massnahmenart", "4"), ("projekt", "4"),
        ("unterzeichnung", None),
    ]  # fmt: skip
    assert facts[12][4] == Decimal("1450700.00")


def test_region_landkreis(store: pyoxigraph.Store) -> None:
    rows = select(store, "region", key="06431")
    facts = columns(rows, "year", "section", "massnahmenart", "item", "detail")
    assert facts[0] == (None, "gebietskoerperschaft", None, "Kreis Bergstraße", "Landkreis")
    assert ("2025", "budget", None, Decimal("980000.50"), "EUR") in facts
    # Maßnahmenart 4 is listed without projects and 3 is missing.
    listed = [(row[2], row[4]) for row in facts if row[1] == "massnahmenart"]
    assert listed == [("1", Decimal(1)), ("2", Decimal(2)), ("4", Decimal(0))]
    assert facts[-1] == (
        "2025", "unterzeichnung", None, "Christian Engelhardt",
        "Landrat, Kreis Bergstraße (Heppenheim, 2025-03-20)",
    )  # fmt: skip


def test_region_unknown_key_has_no_rows(store: pyoxigraph.Store) -> None:
    assert select(store, "region", key="06999") == []


def test_region_needs_key(store: pyoxigraph.Store) -> None:
    with pytest.raises(QueryError, match=r"query region needs parameter 'key'"):
        run_query(store, find_query("region"), {})


# --- parameter binding --------------------------------------------------------------------


def test_bind_puts_values_on_the_marker_line() -> None:
    query = find_query("regions-without-project")
    sparql = bind(query, {"year": "2025", "massnahmenart": "3"})
    assert (
        'VALUES ?year { "2025"^^<http://www.w3.org/2001/XMLSchema#gYear> }'
        ' VALUES ?massnahmenart { "3" }'
    ) in sparql
    assert VALUES_MARKER not in sparql
    # One line replaced by one line: SPARQL error positions still match the file.
    assert len(sparql.splitlines()) == len(query.text.splitlines())


def test_bind_puts_an_iri_in_angle_brackets() -> None:
    query = find_query("resource-links")
    iri = "https://aqb-rdf.example/id/zielvereinbarung/2025/06413/massnahmenart/3/projekt/2"
    assert f"VALUES ?resource {{ <{iri}> }}" in bind(query, {"resource": iri})


def test_an_inline_parameter_replaces_its_variable_in_code_only() -> None:
    text = """# title: t
# description: d
# param: resource (iri, required, inline) The IRI.
SELECT ?p WHERE {
  # {{values}}
  # ?resource in a comment stays
  ?resource ?p "?resource" . FILTER ($resource != <urn:x:?resource>) ?resourceful ?q ?r
}"""
    query = parse_named_query("t", text)
    assert query.parameters[0].inline
    iri = "https://aqb-rdf.example/id/gebietskoerperschaft/06413"
    bound = bind(query, {"resource": iri})
    assert "VALUES" not in bound
    assert f'<{iri}> ?p "?resource" . FILTER (<{iri}> != <urn:x:?resource>) ?resourceful' in bound
    assert "# ?resource in a comment stays" in bound
    # Still the type's check first: never text that is not an IRI.
    with pytest.raises(QueryError):
        bind(query, {"resource": "x> . ?s ?p ?o . <y"})


def test_describe_resource_on_the_fixture(store: pyoxigraph.Store) -> None:
    iri = "https://aqb-rdf.example/id/gebietskoerperschaft/06413"
    described = bind(find_query("describe-resource"), {"resource": iri})
    triples = store.query(described, use_default_graph_as_union=True)
    assert isinstance(triples, pyoxigraph.QueryTriples)
    subjects = {str(t.subject) for t in triples}
    # The region itself, and what links to it: its agreements of 2024 and 2025.
    assert f"<{iri}>" in subjects
    assert {
        "<https://aqb-rdf.example/id/zielvereinbarung/2024/06413>",
        "<https://aqb-rdf.example/id/zielvereinbarung/2025/06413>",
    } <= subjects
    unknown = bind(find_query("describe-resource"), {"resource": "https://aqb-rdf.example/x"})
    nothing = store.query(unknown, use_default_graph_as_union=True)
    assert isinstance(nothing, pyoxigraph.QueryTriples)
    assert list(nothing) == []


def test_bind_fills_every_marker_line() -> None:
    # resource-links.rq has one marker per subquery: a subquery sees no outer bindings.
    query = find_query("resource-links")
    iri = "https://aqb-rdf.example/def/massnahmenart/3"
    sparql = bind(query, {"resource": iri})
    assert sparql.count(f"VALUES ?resource {{ <{iri}> }}") == query.text.count(VALUES_MARKER) == 2
    assert VALUES_MARKER not in sparql


def test_resource_links_on_the_fixture(store: pyoxigraph.Store) -> None:
    iri = "https://aqb-rdf.example/id/gebietskoerperschaft/06413"
    sparql = bind(find_query("resource-links"), {"resource": iri})
    solutions = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    rows = [
        {k: v.value for k, v in zip(("member", "link", "type", "count"), row, strict=True) if v}
        for row in solutions
    ]
    members = {row["member"] for row in rows if "member" in row}
    counts = {(row["link"], row.get("type"), row["count"]) for row in rows if "count" in row}
    agreements = {f"https://aqb-rdf.example/id/zielvereinbarung/{y}/06413" for y in (2024, 2025)}
    assert agreements <= members
    aqb = "https://aqb-rdf.example/def/aqb#"
    assert (aqb + "gebietskoerperschaft", aqb + "Zielvereinbarung", "2") in counts


def test_bind_subjects_restricts_what_links_here(store: pyoxigraph.Store) -> None:
    iri = "https://aqb-rdf.example/id/gebietskoerperschaft/06413"
    one = pyoxigraph.NamedNode("https://aqb-rdf.example/id/zielvereinbarung/2025/06413")
    other = "<https://aqb-rdf.example/id/zielvereinbarung/2024/06413>"
    sparql = bind(find_query("describe-resource"), {"resource": iri})
    assert SUBJECTS_MARKER in sparql  # left alone: everything that links here
    paged = bind_subjects(sparql, [one])
    assert SUBJECTS_MARKER not in paged and f"VALUES ?x {{ {one} }}" in paged
    described = store.query(paged, use_default_graph_as_union=True)
    assert isinstance(described, pyoxigraph.QueryTriples)
    subjects = {str(t.subject) for t in described}
    assert str(one) in subjects and f"<{iri}>" in subjects and other not in subjects
    nothing = bind_subjects(sparql, [])  # an empty page: the resource's own triples only
    described = store.query(nothing, use_default_graph_as_union=True)
    assert isinstance(described, pyoxigraph.QueryTriples)
    subjects = {str(t.subject) for t in described}
    assert f"<{iri}>" in subjects and str(one) not in subjects
    with pytest.raises(ValueError, match="no '# {{subjects}}' line"):
        bind_subjects(find_query("total-per-year").text, [one])


@pytest.mark.slow  # uses the session build of data/agreements
def test_fundstellen_of_a_seed_in_document_order(built_default_dataset: Path) -> None:
    store = load_dataset((built_default_dataset / "current").resolve())
    rows = select(store, "fundstellen", document=SAMPLE_PARAMS["document"])
    # 31, one for each name as written (the ministry's, the region's) and one for the form of
    # grant (the word "Bescheid" as written)
    assert len(rows) == len({row["fundstelle"] for row in rows}) == 34
    form = next(r for r in rows if str(r["fundstelle"]).endswith("/fundstelle/bewilligungsform"))
    assert "bescheid" in str(form["exact"]).lower()
    written = next(r for r in rows if str(r["fundstelle"]).endswith("/gebietskoerperschaft-laut"))
    assert written["exact"] == "Stadt Offenbach am Main"
    starts = [int(str(row["start"])) for row in rows]
    assert starts == sorted(starts)
    budget = next(row for row in rows if str(row["fundstelle"]).endswith("/fundstelle/budget"))
    assert budget["exact"] == "1.011.410"
    assert budget["property"] == "http://schema.org/value"
    assert budget["resource"] == "https://aqb-rdf.example/id/zielvereinbarung/2025/06413/budget"
    assert all(row["page"] is None for row in rows)  # a Markdown file has no pages


def test_instances_on_the_fixture(store: pyoxigraph.Store) -> None:
    rows = select(
        store, "instances", **{"class": "https://aqb-rdf.example/def/aqb#Zielvereinbarung"}
    )
    assert sorted(str(row["instance"]) for row in rows) == [
        "https://aqb-rdf.example/id/zielvereinbarung/2024/06413",
        "https://aqb-rdf.example/id/zielvereinbarung/2025/06413",
        "https://aqb-rdf.example/id/zielvereinbarung/2025/06431",
    ]


def test_bind_without_params_leaves_the_query_alone() -> None:
    query = find_query("total-per-year")
    assert bind(query, {}) == query.text


@pytest.mark.parametrize(
    ("name", "param", "bad"),
    [
        ("total-per-year", "year", '2025" } ; DROP ALL #'),
        ("total-per-year", "year", "2025 } } INSERT DATA { <a> <b> <c> } #"),
        ("total-per-year", "year", "2025\nDROP ALL"),
        ("total-per-year", "year", "25"),
        ("total-per-year", "year", "２０２５"),  # fullwidth digits are not ASCII digits
        ("total-per-year", "year", "MMXXV"),
        ("region", "key", "06413> . ?s ?p ?o"),
        ("region", "key", '06413" . ?s ?p ?o'),
        ("region", "key", "6413"),
        ("region", "key", "064130"),
        ("regions-without-project", "massnahmenart", "0"),
        ("regions-without-project", "massnahmenart", '1" } ?s ?p ?o {'),
        ("describe-resource", "resource", "https://a.example/x> . ?s ?p ?o . <urn:y"),
        ("describe-resource", "resource", "https://a.example/x> } ?s ?p ?o {"),
        ("describe-resource", "resource", 'https://a.example/"x'),
        ("describe-resource", "resource", "https://a.example/a b"),
        ("describe-resource", "resource", "https://a.example/{x}"),
        ("describe-resource", "resource", "https://a.example/ä"),
        ("describe-resource", "resource", "urn:x"),
        ("describe-resource", "resource", "/id/gebietskoerperschaft/06413"),
    ],
)
def test_bind_rejects_malformed_values(name: str, param: str, bad: str) -> None:
    query = find_query(name)
    params = {p.name: SAMPLE_PARAMS[p.name] for p in query.parameters if p.required}
    params[param] = bad
    with pytest.raises(QueryError) as caught:
        bind(query, params)
    message = str(caught.value)
    assert f"parameter '{param}' must be" in message
    assert "\n" not in message


def test_bind_rejects_unknown_parameter() -> None:
    with pytest.raises(QueryError, match=r"has no parameter 'yaer'; it takes: year$"):
        bind(find_query("total-per-year"), {"yaer": "2025"})


def test_bind_accepts_surrounding_whitespace() -> None:
    sparql = bind(find_query("region"), {"key": " 06413 "})
    assert 'VALUES ?key { "06413" }' in sparql


@pytest.mark.parametrize(
    ("assignments", "expected"),
    [
        ([], {}),
        (["year=2025"], {"year": "2025"}),
        (["year=2025", "massnahmenart=3"], {"year": "2025", "massnahmenart": "3"}),
        (["x=a=b"], {"x": "a=b"}),
    ],
)
def test_parse_params(assignments: list[str], expected: dict[str, str]) -> None:
    assert parse_params(assignments) == expected


@pytest.mark.parametrize(
    ("assignments", "problem"),
    [
        (["year"], "must be NAME=VALUE"),
        (["=2025"], "must be NAME=VALUE"),
        (["year=2024", "year=2025"], "given twice"),
    ],
)
def test_parse_params_rejects(assignments: list[str], problem: str) -> None:
    with pytest.raises(QueryError, match=problem):
        parse_params(assignments)


# --- the header format --------------------------------------------------------------------

GOOD_HEADER = """\
# title: Agreements
# description: Every agreement,
#   one per row.
# param: year (gYear, optional) Only this year.
SELECT ?a WHERE {
  # {{values}}
  ?a <https://aqb-rdf.example/def/aqb#jahr> ?year .
}
"""


def test_parse_named_query() -> None:
    query = parse_named_query("agreements", GOOD_HEADER)
    assert query.title == "Agreements"
    assert query.description == "Every agreement, one per row."
    [year] = query.parameters
    assert (year.name, year.type.name, year.required, year.description) == (
        "year",
        "gYear",
        False,
        "Only this year.",
    )
    assert query.text == GOOD_HEADER


def test_parse_named_query_in_german_and_internal() -> None:
    text = (
        "# title: Agreements\n# title@de: Zielvereinbarungen\n# description: Every one.\n"
        "# description@de: Jede,\n#   eine je Zeile.\n# internal: the pages run it.\n"
        "SELECT ?a {}\n"
    )
    query = parse_named_query("agreements", text)
    assert (query.title_in("de"), query.title_in("en")) == ("Zielvereinbarungen", "Agreements")
    assert query.description_in("de") == "Jede, eine je Zeile."
    assert query.internal == "the pages run it."
    plain = parse_named_query("agreements", GOOD_HEADER)
    assert (plain.title_in("de"), plain.description_in("de"), plain.internal) == (
        "Agreements",
        "Every agreement, one per row.",
        None,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# description: d\nSELECT * {}", "agreements.rq:1: header has no '# title:' line"),
        (
            "# title: t\n# title@de: u\n# title@de: v\n# description: d\nSELECT * {}",
            "agreements.rq:3: header has more than one '# title@de:' line",
        ),
        (
            "# title: t\n# description: d\n# title@fr: u\nSELECT * {}",
            "agreements.rq:3: header line must be",
        ),
        ("# title: t\nSELECT * {}", "agreements.rq:1: header has no '# description:' line"),
        (
            "# title: t\n# title: u\n# description: d\nSELECT * {}",
            "agreements.rq:2: header has more than one '# title:' line",
        ),
        (
            "# title: t\n# description: d\n# author: me\nSELECT * {}",
            "agreements.rq:3: unknown header field 'author:'",
        ),
        (
            "# title: t\n# description: d\n# some remark\nSELECT * {}",
            "agreements.rq:3: header line must be",
        ),
        (
            "# title: t\n# description: d\n# param: year (gYear) y\nSELECT ?year {}",
            "agreements.rq:3: '# param:' must read 'NAME (TYPE, required|optional[, inline]) DESCRIPTION'",
        ),
        (
            "# title: t\n# description: d\n# param: year (date, optional) y\nSELECT ?year {}",
            "agreements.rq:3: unknown parameter type 'date'",
        ),
        (
            "# title: t\n# description: d\n# param: year (gYear, optional) y\nSELECT ?y {}",
            "agreements.rq:3: parameter 'year' has no variable ?year in the query",
        ),
        (
            (
                "# title: t\n# description: d\n# param: year (gYear, optional) y\n"
                "# param: year (gYear, optional) y\nSELECT ?year {}"
            ),
            "agreements.rq:4: parameter 'year' is declared twice",
        ),
        (
            "# title: t\n# description: d\n# param: year (gYear, optional) y\nSELECT ?year {}",
            "agreements.rq: query with parameters has no '# {{values}}' line",
        ),
    ],
)
def test_parse_named_query_rejects(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_named_query("agreements", text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


# --- graphs --------------------------------------------------------------------------------


def test_graph_answers_print_as_turtle_or_ntriples(store: pyoxigraph.Store) -> None:
    sparql = bind(find_query("describe-graph"), {"graph": SAMPLE_PARAMS["graph"]})
    solutions = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QueryTriples)
    answer = GraphResult(tuple(solutions))
    assert len(answer) > 0
    prefixes = {"aqb": "https://aqb-rdf.example/def/aqb#"}
    turtle = format_answer(answer, None, prefixes)
    assert "@prefix aqb: <https://aqb-rdf.example/def/aqb#> ." in turtle
    ntriples = format_answer(answer, "ntriples")
    assert ntriples.splitlines() == sorted(set(ntriples.splitlines()))
    for text, rdf_format in ((turtle, "turtle"), (ntriples, "nt")):
        parsed = set(pyoxigraph.parse(text.encode(), pyoxigraph.RdfFormat.from_extension(
            "ttl" if rdf_format == "turtle" else "nt"
        )))  # fmt: skip
        assert {q.triple for q in parsed} == set(answer.triples)
    assert format_answer(answer, None, prefixes) == turtle  # the same answer, the same text


@pytest.mark.parametrize(
    ("graph", "format_name", "problem"),
    [
        (True, "csv", "the query gives triples, not rows: use --format turtle or ntriples"),
        (False, "turtle", "the query gives rows, not triples: use --format table, csv, json"),
    ],
)
def test_a_format_that_does_not_fit_the_answer_is_refused(
    graph: bool, format_name: str, problem: str
) -> None:
    answer = GraphResult(()) if graph else SelectResult(("x",), ())
    with pytest.raises(QueryError) as caught:
        format_answer(answer, format_name)
    assert str(caught.value) == problem


# --- finding queries ----------------------------------------------------------------------


def test_find_query_unknown_name_lists_the_available_ones() -> None:
    with pytest.raises(QueryError) as caught:
        find_query("totals")
    assert str(caught.value) == "unknown query 'totals'; available: " + ", ".join(QUERY_NAMES)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("totl-per-year", "total-per-year"),
        ("regoin", "region"),
        ("describe-grpah", "describe-graph"),
        ("budget_per_region_year", "budget-per-region-year"),
    ],
)
def test_find_query_suggests_the_closest_name(typed: str, meant: str) -> None:
    with pytest.raises(QueryError) as caught:
        find_query(typed)
    message = str(caught.value)
    assert message.startswith(f"unknown query {typed!r}; did you mean {meant}"), message
    assert message.endswith("available: " + ", ".join(QUERY_NAMES)), message


def test_every_packaged_query_has_german_title_and_description() -> None:
    for name in QUERY_NAMES:
        query = find_query(name)
        assert query.title_de and query.description_de, name
        assert query.title_in("de") == query.title_de != query.title_in("en") == query.title
        assert query.description_in("de") == query.description_de
        assert query.description_in("en") == query.description


def test_every_packaged_parameter_has_a_german_description() -> None:
    for name in QUERY_NAMES:
        for parameter in find_query(name).parameters:
            assert parameter.description_de, (name, parameter.name)
            assert parameter.description_in("de") == parameter.description_de
            assert parameter.description_in("en") == parameter.description


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# param@de: nope Text", "agreements.rq:4: '# param@de:' names no declared parameter"),
        ("# param@de: year A\n# param@de: year B", "agreements.rq:5: parameter 'year' has two"),
        ("# param@de: year", "agreements.rq:4: '# param@de: year' is empty"),
    ],
)
def test_german_parameter_lines_are_checked(header: str, message: str) -> None:
    text = (
        "# title: t\n# description: d\n# param: year (gYear, optional) The year.\n"
        + header
        + "\nSELECT ?year {\n  # {{values}}\n}"
    )
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_named_query("agreements", text)


def test_internal_queries_are_not_offered() -> None:
    internal = {name for name in QUERY_NAMES if find_query(name).internal}
    assert internal == {
        "collection-facets",
        "describe-resource",
        "resource-exists",
        "resource-links",
        "sitemap-resources",
    }
    assert [q.name for q in offered_queries()] == [n for n in QUERY_NAMES if n not in internal]


def test_find_query_rejects_names_that_leave_the_package() -> None:
    with pytest.raises(QueryError, match="no query file at"):
        find_query("../queries/total-per-year.rq.missing")
    with pytest.raises(QueryError, match="unknown query"):
        find_query("..")


def test_find_query_reads_a_file(tmp_path: Path, store: pyoxigraph.Store) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(GOOD_HEADER, encoding="utf-8")
    query = find_query(str(path))
    assert (query.name, query.source) == ("mine", str(path))
    result = run_query(store, query, {"year": "2024"})
    assert [value(row[0]) for row in result.rows] == [
        "https://aqb-rdf.example/id/zielvereinbarung/2024/06413"
    ]


def test_find_query_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no query file at"):
        find_query(str(tmp_path / "nope.rq"))


def test_find_query_reads_a_file_without_a_header(tmp_path: Path) -> None:
    """A user's file runs as written: no header needed, its comments are only comments."""
    path = tmp_path / "my-own.rq"
    path.write_text("# counts them all\n# by: me\nSELECT * {}\n", encoding="utf-8")
    query = find_query(str(path))
    assert (query.name, query.title, query.parameters, query.text) == (
        "my-own", "my-own", (), path.read_text(encoding="utf-8"),
    )  # fmt: skip


def test_find_query_reads_a_files_header_without_a_title(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(
        "# param: year (gYear, optional) The year.\nSELECT * {\n  # {{values}}\n  ?a ?b ?year\n}\n",
        encoding="utf-8",
    )
    query = find_query(str(path))
    assert (query.title, query.description, [p.name for p in query.parameters]) == (
        "mine", "", ["year"],
    )  # fmt: skip


def test_find_query_reports_header_errors_with_the_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("# title: t\n# param: year\nSELECT * {}\n", encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        find_query(str(path))
    assert str(caught.value) == (
        f"{path}:2: '# param:' must read 'NAME (TYPE, required|optional[, inline]) DESCRIPTION'"
    )


# --- the store ----------------------------------------------------------------------------


def test_load_dataset_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "dist"
    with pytest.raises(AqbError) as caught:
        load_dataset(missing)
    assert str(caught.value) == f"no dataset at {missing}/: run `aqb-rdf build` first"


def test_load_dataset_missing_dump(tmp_path: Path) -> None:
    with pytest.raises(AqbError, match=r"aqb\.trig is missing\): run `aqb-rdf build` first"):
        load_dataset(tmp_path)


def test_load_dataset_malformed_dump(tmp_path: Path) -> None:
    (tmp_path / "aqb.trig").write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(AqbError) as caught:
        load_dataset(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'aqb.trig'}: not valid TriG: ")
    assert "\n" not in str(caught.value)


def test_store_queries_see_all_named_graphs(store: pyoxigraph.Store) -> None:
    result = run_select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert value(result.rows[0][0]) == Decimal(len(store))
    graphs = {g.value for g in store.named_graphs()}
    assert {
        "https://aqb-rdf.example/graph/reference",
        "https://aqb-rdf.example/graph/ontology",
    } <= graphs


def test_run_select_rejects_other_query_forms(store: pyoxigraph.Store) -> None:
    with pytest.raises(QueryError, match="not a SELECT query"):
        run_select(store, "ASK { ?s ?p ?o }")


def test_run_select_reports_malformed_sparql(store: pyoxigraph.Store) -> None:
    with pytest.raises(QueryError) as caught:
        run_select(store, "SELECT ?x WHERE { ?x", source="mine.rq")
    assert str(caught.value).startswith("mine.rq: malformed SPARQL: ")
    assert "\n" not in str(caught.value)


# --- formats ------------------------------------------------------------------------------


@pytest.fixture
def budgets(store: pyoxigraph.Store) -> SelectResult:
    return run_query(store, find_query("budget-per-region-year"), {})


def test_format_table(budgets: SelectResult) -> None:
    lines = format_table(budgets).splitlines()
    assert lines[0].split() == list(budgets.variables)
    assert set(lines[1]) == {"-", " "}
    assert lines[-1] == "(3 rows)"
    body = lines[2:-1]
    assert len(body) == 3
    assert "Kreis Bergstraße" in body[2]
    # Columns line up: the separator's dashes start where each header starts.
    starts = [i for i, c in enumerate(lines[1]) if c == "-" and (i == 0 or lines[1][i - 1] == " ")]
    for line in body:
        assert all(line[i - 1] == " " for i in starts[1:])
    # The numeric budget column is right-aligned: every value ends at the same column.
    budget_end = lines[0].index("budget") + len("budget")
    assert [line[:budget_end].split()[-1] for line in body] == ["1400000", "1450700", "980000.5"]


def test_format_table_counts_display_width() -> None:
    result = SelectResult(
        ("name", "n"),
        (
            (pyoxigraph.Literal("Mu\u0308nchen"), pyoxigraph.Literal(1)),  # combining umlaut
            (pyoxigraph.Literal("東京"), pyoxigraph.Literal(22)),
            (pyoxigraph.Literal("two\nlines"), None),
        ),
    )
    expected = [
        "name        n",
        "---------  --",
        "Mu\u0308nchen     1",
        "東京       22",
        "two lines",
        "(3 rows)",
    ]
    assert format_table(result) == "\n".join(expected) + "\n"


def test_format_table_empty() -> None:
    assert format_table(SelectResult(("a",), ())) == "a\n-\n(0 rows)\n"


def test_format_csv(budgets: SelectResult) -> None:
    text = format_csv(budgets)
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(budgets.variables)
    assert [row[:5] for row in rows[1:]] == [
        ["2024", "06413", "Stadt Offenbach am Main", "1400000", "EUR"],
        ["2025", "06413", "Stadt Offenbach am Main", "1450700", "EUR"],
        ["2025", "06431", "Kreis Bergstraße", "980000.5", "EUR"],
    ]


def test_format_csv_quotes_and_unbound() -> None:
    result = SelectResult(("a", "b"), ((pyoxigraph.Literal('say "hi", then\nleave'), None),))
    rows = list(csv.reader(io.StringIO(format_csv(result), newline="")))
    assert rows == [["a", "b"], ['say "hi", then\nleave', ""]]


def test_format_json(store: pyoxigraph.Store) -> None:
    result = run_query(store, find_query("region"), {"key": "06431"})
    document = json.loads(format_json(result))
    assert document["head"]["vars"] == list(result.variables)
    bindings = document["results"]["bindings"]
    assert len(bindings) == len(result)
    region = bindings[0]
    assert "year" not in region  # unbound variables are left out
    assert region["item"] == {"type": "literal", "value": "Kreis Bergstraße", "xml:lang": "de"}
    assert region["section"] == {"type": "literal", "value": "gebietskoerperschaft"}
    agreement, budget = bindings[1], bindings[2]
    assert agreement["year"] == {"type": "literal", "value": "2025", "datatype": XSD + "gYear"}
    assert agreement["detail"] == {
        "type": "uri",
        "value": "https://aqb-rdf.example/id/zielvereinbarung/2025/06431",
    }
    assert budget["item"]["datatype"] == XSD + "decimal"
    assert Decimal(budget["item"]["value"]) == Decimal("980000.50")


def test_format_json_blank_node() -> None:
    result = SelectResult(("s",), ((pyoxigraph.BlankNode("b0"),),))
    document = json.loads(format_json(result))
    assert document["results"]["bindings"] == [{"s": {"type": "bnode", "value": "b0"}}]


def test_format_result(budgets: SelectResult) -> None:
    assert set(FORMATS) == {"table", "csv", "json"}
    assert format_result(budgets, "csv") == format_csv(budgets)
    with pytest.raises(QueryError, match="unknown format 'xml'; use one of: table, csv, json"):
        format_result(budgets, "xml")


def test_named_query_is_frozen() -> None:
    query = find_query("total-per-year")
    assert isinstance(query, NamedQuery)
    with pytest.raises(AttributeError):
        query.title = "x"  # type: ignore[misc]
