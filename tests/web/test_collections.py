"""The lists ``/id/{kind}/`` on the real server: every CSV and JSON matches the graph.

The expected rows are read from the build's ``aqb.ttl`` with rdflib, triple by triple (not
with the lists' queries), for every list unfiltered and with each filter value it offers; the
order (``sort``), the pages (a server with ``--page-size 4``), the filter form and the errors
are checked on the answers. The pure parts (the legal order of the Rechtskreise, German
folding) are tested on their own.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.term import Node
from test_pages import BROWSER, Site

from aqb_rdf.web import collections
from aqb_rdf.web.render import order
from conftest import copy_build
from live_server import Server, serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve

BASE = "https://aqb-rdf.example/"
AQB = Namespace(BASE + "def/aqb#")
SCHEMA = Namespace("http://schema.org/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

Row = tuple[str, ...]


@pytest.fixture(scope="module")
def site(running_server: Server, built_default_dataset: Path) -> Site:
    return Site(running_server, built_default_dataset)


@pytest.fixture(scope="module")
def graph(built_default_dataset: Path) -> Graph:
    return Graph().parse(built_default_dataset / "aqb.ttl")


def one(graph: Graph, subject: Node, predicate: URIRef) -> str:
    value = graph.value(subject, predicate)
    assert value is not None, (subject, predicate)
    return str(value)


def german_label(graph: Graph, subject: Node) -> str:
    return next(str(o) for o in graph.objects(subject, RDFS.label) if o.language == "de")  # type: ignore[attr-defined]


def agreement_facts(graph: Graph, agreement: Node) -> tuple[str, str, str]:
    """Year, Kreisschlüssel, region IRI of an agreement."""
    region = graph.value(agreement, AQB.gebietskoerperschaft)
    assert region is not None
    return one(graph, agreement, AQB.jahr), one(graph, region, AQB.kreisschluessel), str(region)


def expected_rows(graph: Graph, segment: str) -> list[dict[str, str]]:
    """Every row a list should have, unfiltered, as CSV text (unbound: empty)."""
    rows: list[dict[str, str]] = []
    if segment == "zielvereinbarung":
        for agreement in graph.subjects(RDF.type, AQB.Zielvereinbarung):
            year, key, region = agreement_facts(graph, agreement)
            budget = graph.value(agreement, AQB.budget)
            notations = sorted(
                one(graph, rk, SKOS.notation) for rk in graph.objects(agreement, AQB.rechtskreis)
            )
            projects = list(graph.subjects(AQB.zielvereinbarung, agreement))
            rows.append(
                {
                    "agreement": str(agreement),
                    "year": year,
                    "region": key,
                    "region_iri": region,
                    "budget": one(graph, budget, SCHEMA.value),  # type: ignore[arg-type]
                    "projects": str(len(projects)),
                    "rechtskreise": "|".join(notations),
                }
            )
    elif segment == "projekt":
        for project in graph.subjects(RDF.type, AQB.Projekt):
            of = graph.value(project, AQB.zielvereinbarung)
            assert of is not None
            year, key, region = agreement_facts(graph, of)
            art = graph.value(project, AQB.massnahmenart)
            rows.append(
                {
                    "project": str(project),
                    "title": one(graph, project, SCHEMA.name),
                    "agreement": str(of),
                    "year": year,
                    "region": key,
                    "region_iri": region,
                    "massnahmenart": one(graph, art, SKOS.notation),  # type: ignore[arg-type]
                    "position": one(graph, project, AQB.position),
                }
            )
    elif segment == "unterzeichnung":
        for agreement, signature in graph.subject_objects(AQB.unterzeichnung):
            year, key, region = agreement_facts(graph, agreement)
            organisation = graph.value(signature, AQB.organisation)
            names = sorted(
                str(o)
                for o in graph.objects(organisation, RDFS.label)
                if o.language == "de"  # type: ignore[attr-defined]
            )
            function = graph.value(signature, AQB.funktion)
            rows.append(
                {
                    "signature": str(signature),
                    "agreement": str(agreement),
                    "year": year,
                    "region": key,
                    "region_iri": region,
                    "position": str(signature).rsplit("/", 1)[1],
                    "person": one(graph, signature, AQB.person),
                    "function": "" if function is None else str(function),
                    "organisation": str(organisation),
                    "organisation_name": names[0] if names else "",
                    "place": one(graph, signature, AQB.ort),
                    "date": one(graph, signature, AQB.datum),
                }
            )
    elif segment == "massnahmenbereich":
        for agreement, bereich in graph.subject_objects(AQB.massnahmenbereich):
            year, key, region = agreement_facts(graph, agreement)
            title = graph.value(bereich, AQB.bezeichnung)
            art = graph.value(bereich, AQB.massnahmenart)
            rows.append(
                {
                    "bereich": str(bereich),
                    "agreement": str(agreement),
                    "year": year,
                    "region": key,
                    "region_iri": region,
                    "massnahmenart": one(graph, art, SKOS.notation),  # type: ignore[arg-type]
                    "title": "" if title is None else str(title),
                    "projects": str(len(list(graph.objects(bereich, AQB.projekt)))),
                }
            )
    elif segment == "gebietskoerperschaft":
        kinds = {AQB.Landkreis: "Landkreis", AQB.KreisfreieStadt: "kreisfreie Stadt"}
        for class_, kind in kinds.items():
            for node in graph.subjects(RDF.type, class_):
                agreements = list(graph.subjects(AQB.gebietskoerperschaft, node))
                budgets = [
                    Decimal(one(graph, graph.value(a, AQB.budget), SCHEMA.value))  # type: ignore[arg-type]
                    for a in agreements
                ]
                rows.append(
                    {
                        "region": one(graph, node, AQB.kreisschluessel),
                        "region_iri": str(node),
                        "name": german_label(graph, node),
                        "kind": kind,
                        "agreements": str(len(agreements)) if agreements else "",
                        "budget": str(sum(budgets)) if agreements else "",
                    }
                )
    return rows


def normalised(row: dict[str, str]) -> Row:
    """A row to compare: Rechtskreise as a set, numbers as numbers."""
    values = []
    for name, value in sorted(row.items()):
        if name == "rechtskreise":
            value = "|".join(sorted(value.split("|")))
        elif name == "budget" and value:
            value = str(Decimal(value).normalize())
        values.append(value)
    return tuple(values)


def get_csv(site: Site, path: str) -> tuple[list[str], list[dict[str, str]]]:
    status, headers, body = site.get(path)
    assert status == 200, (path, body[:300])
    assert headers["content-type"].startswith("text/csv")
    assert b"\r\n" in body  # RFC 4180 line ends
    reader = csv.DictReader(io.StringIO(body.decode("utf-8"), newline=""))
    return list(reader.fieldnames or ()), list(reader)


def filter_values(graph: Graph) -> dict[str, set[str]]:
    return {
        "year": {str(o) for o in graph.objects(None, AQB.jahr)},
        "region": {str(o) for o in graph.objects(None, AQB.kreisschluessel)} & {"06413", "06431"},
        "massnahmenart": {"1", "2", "3", "4"},
        "rechtskreis": {"sgb-ii", "sgb-v", "asylblg"},
    }


def matches(row: dict[str, str], name: str, value: str, graph: Graph) -> bool:
    if name == "rechtskreis":
        wanted = URIRef(BASE + "def/rechtskreis/" + value)
        return (URIRef(row["agreement"]), AQB.rechtskreis, wanted) in graph
    return row[name] == value


@pytest.mark.parametrize("kind", [c.segment for c in collections.COLLECTIONS])
def test_every_csv_and_json_matches_the_graph(site: Site, graph: Graph, kind: str) -> None:
    chosen = collections.BY_SEGMENT[kind]
    everything = expected_rows(graph, kind)
    assert everything, kind
    cases: list[tuple[str, str | None, str | None]] = [("", None, None)]
    for filtered in chosen.filters:
        cases += [(f"{filtered}={v}", filtered, v) for v in sorted(filter_values(graph)[filtered])]
    for query, name, value in cases:
        if kind == "gebietskoerperschaft" and name == "year":
            continue  # a year changes the counts, not the rows: checked below
        expected = [r for r in everything if name is None or matches(r, name, value or "", graph)]
        columns, rows = get_csv(site, f"{chosen.path}?{query}&format=csv")
        assert set(columns) == set(everything[0]), kind
        assert sorted(map(normalised, rows)) == sorted(map(normalised, expected)), (kind, query)
        status, headers, body = site.get(f"{chosen.path}?{query}&format=json")
        assert status == 200 and headers["content-type"].startswith("application/json")
        document = json.loads(body)
        assert document["total"] == len(expected)
        assert document["filters"] == ({name: value} if name else {})
        as_text = [
            {k: "" if v is None else str(v) for k, v in row.items()} for row in document["rows"]
        ]
        assert sorted(map(normalised, as_text)) == sorted(map(normalised, expected)), query
        # The same order as the CSV's.
        assert [r[chosen.item] for r in as_text] == [r[chosen.item] for r in rows]


def test_a_year_counts_only_its_agreements(site: Site) -> None:
    _, rows = get_csv(site, "/id/gebietskoerperschaft/?year=2025&format=csv")
    counted = {r["region"]: (r["agreements"], r["budget"]) for r in rows if r["agreements"]}
    assert counted == {"06413": ("1", "1011410"), "06431": ("1", "1230450")}
    _, rows = get_csv(site, "/id/gebietskoerperschaft/?year=2024&format=csv")
    assert len(rows) == 26 and not any(r["agreements"] for r in rows)


def test_sorting_by_a_column_both_ways(site: Site) -> None:
    _, rows = get_csv(site, "/id/projekt/?region=06413&sort=-position&format=csv")
    positions = [int(r["position"]) for r in rows]
    assert positions == sorted(positions, reverse=True)
    _, rows = get_csv(site, "/id/projekt/?sort=title&format=csv")
    titles = [order.fold(r["title"]) for r in rows]
    assert titles == sorted(titles)
    # Numbers as numbers: 9 projects before 10 would be wrong as text, so budgets sort by value.
    _, rows = get_csv(site, "/id/zielvereinbarung/?sort=-budget&format=csv")
    assert [r["region"] for r in rows] == ["06431", "06413"]
    html = site.page("/id/projekt/?sort=-position")
    assert 'aria-sort="descending"' in html
    assert 'href="/id/projekt/?sort=position"' in html  # a second click sorts the other way


def test_the_page_offers_filters_labels_and_downloads(site: Site) -> None:
    html = site.page("/id/projekt/?year=2025&region=06413")
    assert "<h1>Projekte</h1>" in html
    assert '<option value="2025" selected>2025</option>' in html
    assert '<option value="06413" selected>Stadt Offenbach am Main</option>' in html
    assert 'href="/id/projekt/?year=2025&amp;region=06413&amp;format=csv"' in html
    assert "Zielvereinbarung 2025 – Stadt Offenbach am Main" in html
    assert "https://aqb-rdf.example/" not in re.sub(r'href="[^"]*"', "", html)  # no raw IRIs
    html = site.page("/id/zielvereinbarung/")
    assert "SGB II, SGB III, SGB VIII, SGB XII, AsylbLG" in html  # the legal order
    assert "1.230.450,00 €" in html
    english = site.page("/id/zielvereinbarung/?lang=en")
    assert "€1,230,450.00" in english and "Target agreements" in english


def test_every_list_is_linked_from_the_landing_page_and_the_region(site: Site) -> None:
    landing = site.page("/")
    region = site.page("/id/gebietskoerperschaft/06413")
    for chosen in collections.COLLECTIONS:
        assert f'href="{chosen.path}"' in landing
        assert site.page(chosen.path)
    assert 'href="/id/projekt/?region=06413"' in region


@pytest.mark.parametrize(
    ("path", "status", "german", "csv_status"),
    [
        ("/id/projekt/?year=20x5", 400, "Der Filter year hat keinen solchen Wert", 400),
        ("/id/projekt/?rechtskreis=sgb-ii", 400, "nicht nach rechtskreis filtern", 400),
        ("/id/projekt/?sort=nothing", 400, "nur nach einer Spalte", 400),
        ("/id/projekt/?page=0", 400, "ganzen Zahl ab 1", 400),
        # CSV and JSON are the whole list, whatever the page.
        ("/id/projekt/?page=9", 404, "die letzte ist Seite 1", 200),
        ("/id/keine-liste/", 404, "Unter dieser Adresse steht keine Liste", 404),
    ],
)
def test_a_bad_request_is_one_line_in_the_pages_language(
    site: Site, path: str, status: int, german: str, csv_status: int
) -> None:
    got, _, body = site.get(path, BROWSER)
    assert got == status and german in body.decode("utf-8")
    assert "error" not in body.decode("utf-8").lower()  # German only
    got, headers, body = site.get(path + ("&" if "?" in path else "?") + "format=csv")
    assert got == csv_status
    if csv_status == 200:
        return
    assert headers["content-type"].startswith("text/plain")
    assert body.count(b"\n") == 1, body


@pytest.fixture(scope="module")
def small_pages(
    built_default_dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    served = copy_build(built_default_dataset, tmp_path_factory.mktemp("small") / "dist")
    with serving(served, "--page-size", "4", "--processes", "1", "--spares", "0") as server:
        yield Site(server, built_default_dataset)


def test_pages_of_a_list(small_pages: Site) -> None:
    _, all_rows = get_csv(small_pages, "/id/projekt/?format=csv")
    assert len(all_rows) == 18  # CSV has every page
    seen: list[str] = []
    for number in range(1, 6):
        html = small_pages.page(f"/id/projekt/?page={number}" if number > 1 else "/id/projekt/")
        seen += re.findall(r'<td data-label="Titel" lang="de"><a href="([^"]+)"', html)
        assert ('rel="next"' in html) == (number < 5)
    assert seen == [r["project"].removeprefix(BASE[:-1]) for r in all_rows]


def test_legal_order_of_the_rechtskreise() -> None:
    shuffled = ["AsylbLG", "SGB XII", "SGB III", "SGB VIII", "SGB II", "SGB IX", "SGB XIV"]
    assert sorted(shuffled, key=order.legal_order) == [
        "SGB II", "SGB III", "SGB VIII", "SGB IX", "SGB XII", "SGB XIV", "AsylbLG",
    ]  # fmt: skip
    assert collections.rechtskreise("SGB III|SGB II|AsylbLG") == ["SGB II", "SGB III", "AsylbLG"]


def test_german_order_folds_case_umlauts_and_sharp_s() -> None:
    names = ["Offenbach", "Bergstraße", "Übach", "bergstrasse", "Zwingenberg", "Ulm"]
    assert sorted(names, key=order.fold) == [
        "Bergstraße", "bergstrasse", "Offenbach", "Übach", "Ulm", "Zwingenberg",
    ]  # fmt: skip
