"""The CSV tables of a release and their CSVW metadata (publish/tables.py), read back.

Each table of a real build of ``data/agreements`` is parsed again and compared, row by row, with
the graph of the same build (``aqb.nt``): every fact a column states by its metadata
(``aboutUrl``, ``propertyUrl``, ``valueUrl``, ``datatype``, ``lang``) is a triple of the graph, and
every agreement, project and Maßnahmenbereich of the graph has its row. The csvw package (CLDF's
CSVW implementation) validates each table against its metadata. A build of a document that does
not list a Maßnahmenart at all shows the "not listed" row.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from csvw import CSVW
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from aqb_rdf.build.pipeline import build
from aqb_rdf.publish import tables
from aqb_rdf.publish.release import CURRENT
from aqb_rdf.rdf import files
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import CSVW_CONTEXT, DCTERMS, RDF, SCHEMA, SKOS, XSD

pytestmark = pytest.mark.slow  # builds

REPO = Path(__file__).resolve().parent.parent
BERGSTRASSE = REPO / "tests" / "documents" / "bergstrasse-2025-txt" / "agreement.txt"
IRIS = Iris(DEFAULT_BASE)
AQB = IRIS.aqb
NAMES = [table.file.name for table in tables.TABLES]


@pytest.fixture(scope="module")
def release(built_default_dataset: Path) -> Path:
    return (built_default_dataset / CURRENT).resolve()


@pytest.fixture(scope="module")
def graph(release: Path) -> Graph:
    return Graph().parse(release / files.N_TRIPLES_DUMP.name, format="nt")


def read_table(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def read_metadata(folder: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((folder / f"{name}-metadata.json").read_bytes())
    return document


def csvw_problems(metadata: Path) -> list[str]:
    """What the csvw package finds wrong with the table ``metadata`` describes: its warnings
    (it reports a bad cell as a warning; pytest's "error" filter must not turn it into an
    exception the package swallows)."""
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        checked = CSVW(str(metadata), validate=True)
        valid = checked.is_valid
        problems = [str(w.message) for w in checked.warnings]
    assert valid == (not problems)
    return problems


def stated(metadata: dict[str, Any], row: dict[str, str]) -> list[tuple[Node, Node, Node]]:
    """The triples ``row`` states by ``metadata`` (CSVW's csv2rdf, for the templates we use:
    ``{+column}``; a null cell, the empty string, states nothing)."""

    def column_of(template: str) -> str:
        assert template.startswith("{+") and template.endswith("}"), template
        return template[2:-1]

    schema = metadata["tableSchema"]
    triples: list[tuple[Node, Node, Node]] = []
    for column in schema["columns"]:
        cell = row[column["name"]]
        if column.get("suppressOutput") or cell == "":
            continue
        about = row[column_of(column.get("aboutUrl", schema["aboutUrl"]))]
        assert about, (column["name"], row)
        cells = cell.split(column["separator"]) if "separator" in column else [cell]
        for value in cells:
            obj: Node
            if "valueUrl" in column:
                obj = URIRef(row[column_of(column["valueUrl"])])
            elif "lang" in column:
                obj = Literal(value, lang=column["lang"])
            elif column["datatype"] == "string":
                obj = Literal(value)
            else:
                obj = Literal(value, datatype=XSD[column["datatype"]])
            triples.append((URIRef(about), URIRef(column["propertyUrl"]), obj))
    return triples


# -- the files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_a_table_is_rfc_4180_utf8_without_bom(release: Path, name: str) -> None:
    body = (release / name).read_bytes()
    assert not body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len({len(row) for row in rows}) == 1  # every record has as many fields as the header
    assert len(rows) > 1


@pytest.mark.parametrize("name", NAMES)
def test_the_metadata_has_a_column_for_every_header_in_order(release: Path, name: str) -> None:
    metadata = read_metadata(release, name)
    assert metadata["@context"] == CSVW_CONTEXT
    assert metadata["url"] == name
    assert metadata["dc:license"] == {"@id": "http://dcat-ap.de/def/licenses/dl-by-de/2.0"}
    assert metadata["dc:publisher"] == {"@id": str(IRIS.organisation("hmsi"))}
    with open(release / name, encoding="utf-8", newline="") as file:
        header = next(csv.reader(file))
    columns = metadata["tableSchema"]["columns"]
    assert [column["name"] for column in columns] == header
    for column in columns:
        assert set(column["titles"]) == {"de", "en"}, column["name"]
        assert column["datatype"] in {"anyURI", "string", "gYear", "decimal", "date",
                                      "integer", "boolean"}  # fmt: skip
    assert set(metadata["tableSchema"]["primaryKey"]) <= set(header)


@pytest.mark.parametrize("name", NAMES)
def test_csvw_validates_each_table_against_its_metadata(release: Path, name: str) -> None:
    assert csvw_problems(release / f"{name}-metadata.json") == []
    [table] = CSVW(str(release / f"{name}-metadata.json")).tables
    rows = list(table.iterdicts())
    assert len(rows) == len(read_table(release, name))
    assert table.check_primary_key()


def test_csvw_finds_a_cell_that_breaks_its_datatype(release: Path, tmp_path: Path) -> None:
    name = files.MASSNAHMENARTEN_TABLE.name
    for file in (name, f"{name}-metadata.json"):
        shutil.copy(release / file, tmp_path / file)
    body = (tmp_path / name).read_bytes()
    assert b",6\r\n" in body
    (tmp_path / name).write_bytes(body.replace(b",6\r\n", b",sechs\r\n"))
    [problem] = csvw_problems(tmp_path / f"{name}-metadata.json")
    assert problem.startswith("Invalid column value: sechs"), problem


# -- every row against the graph ---------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_fact_a_table_states_is_in_the_graph(release: Path, graph: Graph, name: str) -> None:
    metadata = read_metadata(release, name)
    count = 0
    for row in read_table(release, name):
        for triple in stated(metadata, row):
            assert triple in graph, (name, triple)
            count += 1
    assert count > 10


def test_the_stated_facts_check_can_fail(release: Path, graph: Graph) -> None:
    name = files.AGREEMENTS_TABLE.name
    metadata = read_metadata(release, name)
    [row, *_] = read_table(release, name)
    wrong = {**row, "budget_eur": "9999"}
    assert not all(triple in graph for triple in stated(metadata, wrong))


def test_one_agreement_row_per_agreement_with_its_budget(release: Path, graph: Graph) -> None:
    rows = {row["zielvereinbarung"]: row for row in read_table(release, "agreements.csv")}
    agreements = set(graph.subjects(RDF.type, AQB.Zielvereinbarung))
    assert set(rows) == {str(a) for a in agreements}
    for a in agreements:
        budget = graph.value(graph.value(a, AQB.budget), SCHEMA.value)
        assert rows[str(a)]["budget_eur"] == str(budget)
        dates = sorted(str(graph.value(s, AQB.datum)) for s in graph.objects(a, AQB.unterzeichnung))
        assert sorted(rows[str(a)]["unterzeichnet_am"].split(" ")) == dates
    # The sum of the table is the sum of the budgets (no budget repeated per project).
    assert sum(int(row["budget_eur"]) for row in rows.values()) == 2241860


def test_one_project_row_per_project_with_the_skos_label(release: Path, graph: Graph) -> None:
    rows = read_table(release, "projects.csv")
    assert {row["projekt"] for row in rows} == {
        str(p) for p in graph.subjects(RDF.type, AQB.Projekt)
    }
    assert len(rows) == 18
    for row in rows:
        label = graph.value(URIRef(row["massnahmenart"]), SKOS.prefLabel)
        labels = {str(o) for o in graph.objects(URIRef(row["massnahmenart"]), SKOS.prefLabel)
                  if isinstance(o, Literal) and o.language == "de"}  # fmt: skip
        assert label is not None and labels == {row["massnahmenart_bezeichnung"]}


def test_a_project_row_has_the_amount_the_text_gives_and_is_empty_otherwise(
    tmp_path: Path,
) -> None:
    text = BERGSTRASSE.read_text(encoding="utf-8")
    text = text.replace(" - Jobdatings\n", " - Jobdatings (12.500,50 Euro)\n", 1)
    source = tmp_path / "documents" / "bergstrasse.txt"
    source.parent.mkdir()
    source.write_text(text, encoding="utf-8")
    build([source.parent], tmp_path / "dist", workers=1)
    release = (tmp_path / "dist" / CURRENT).resolve()
    graph = Graph().parse(release / "aqb.nt", format="nt")
    rows = {row["titel"]: row for row in read_table(release, "projects.csv")}
    assert rows["Jobdatings"]["betrag_eur"] == "12500.5"
    assert {title for title, row in rows.items() if row["betrag_eur"]} == {"Jobdatings"}
    amounts = {str(p): str(o) for p, o in graph.subject_objects(AQB.betrag)}
    assert amounts == {rows["Jobdatings"]["projekt"]: "12500.5"}
    metadata = read_metadata(release, "projects.csv")
    amount = Literal("12500.5", datatype=XSD.decimal)
    assert (URIRef(rows["Jobdatings"]["projekt"]), AQB.betrag, amount) in stated(
        metadata, rows["Jobdatings"]
    )
    for row in rows.values():
        for triple in stated(metadata, row):
            assert triple in graph, triple
    assert csvw_problems(release / "projects.csv-metadata.json") == []


def test_one_massnahmenart_row_per_listed_or_not_listed_one(release: Path, graph: Graph) -> None:
    rows = read_table(release, "massnahmenarten.csv")
    bereiche = set(graph.subjects(RDF.type, AQB.Massnahmenbereich))
    listed = [row for row in rows if row["aufgefuehrt"] == "true"]
    assert {row["massnahmenbereich"] for row in listed} == {str(b) for b in bereiche}
    not_listed = list(graph.subject_objects(AQB.nichtAufgefuehrt))
    assert len(rows) == len(bereiche) + len(not_listed)
    without_project = [b for b in bereiche if graph.value(b, AQB.anzahlProjekte) == Literal(0)]
    assert len(without_project) == 1  # Bergstraße, Maßnahmenart 2
    assert [row["massnahmenbereich"] for row in rows if row["anzahl_projekte"] == "0"] == [
        str(b) for b in without_project
    ]


def test_a_massnahmenart_not_listed_has_its_row(tmp_path: Path) -> None:
    text = BERGSTRASSE.read_text(encoding="utf-8")
    start = text.index("3. Qualifizierungsprojekte zur Arbeitsmarktintegration")
    rest = text[text.index("4. Weiterbildungsmaßnahmen") :]
    text = text[:start] + "3" + rest[1:]  # the list numbered on: 1., 2., 3. Weiterbildung…
    source = tmp_path / "documents" / "bergstrasse.txt"
    source.parent.mkdir()
    source.write_text(text, encoding="utf-8")
    build([source.parent], tmp_path / "dist", workers=1)
    release = (tmp_path / "dist" / CURRENT).resolve()
    graph = Graph().parse(release / "aqb.nt", format="nt")
    agreement = IRIS.agreement(2025, "06431")
    assert set(graph.objects(agreement, AQB.nichtAufgefuehrt)) == {IRIS.massnahmenart(3)}
    rows = read_table(release, "massnahmenarten.csv")
    assert [(r["massnahmenart"], r["aufgefuehrt"], r["anzahl_projekte"]) for r in rows] == [
        (str(IRIS.massnahmenart(1)), "true", "2"),
        (str(IRIS.massnahmenart(2)), "true", "0"),
        (str(IRIS.massnahmenart(3)), "false", ""),
        (str(IRIS.massnahmenart(4)), "true", "1"),
    ]
    assert rows[2]["massnahmenbereich"] == rows[2]["bezeichnung"] == ""
    metadata = read_metadata(release, "massnahmenarten.csv")
    for row in rows:
        for triple in stated(metadata, row):
            assert triple in graph, triple
    assert csvw_problems(release / "massnahmenarten.csv-metadata.json") == []


def test_the_catalogue_links_each_table_to_its_metadata(release: Path) -> None:
    catalogue = Graph().parse(release / files.CATALOG.name, format="turtle")
    for name in NAMES:
        distribution = IRIS.distribution(name)
        assert catalogue.value(distribution, DCTERMS.conformsTo) == IRIS.download(
            f"{name}-metadata.json"
        )
