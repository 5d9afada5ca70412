"""The links to other datasets: the reference tables' link columns and the triples they become.

README.md, "Links to other datasets", says which property carries which link and why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from aqb_rdf import resources
from aqb_rdf.errors import AqbError
from aqb_rdf.mapping import graphs
from aqb_rdf.rdf import external as links
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import SCHEMA
from aqb_rdf.source.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
REGIONS = (ROOT / "data" / "reference" / "gebietskoerperschaften.csv").read_text(encoding="utf-8")
ORGANISATIONS = (ROOT / "data" / "reference" / "organisationen.csv").read_text(encoding="utf-8")
WD = "http://www.wikidata.org/entity/"


def test_every_region_links_to_its_key_nuts_region_geocoding_and_wikidata() -> None:
    graph = graphs.reference_to_graph(resources.reference(), Iris())
    regions = resources.reference().published_regions
    assert len(regions) == 26
    for region in regions:
        r = URIRef(Iris().region(region.key))
        assert graph.value(r, DCTERMS.identifier) == Literal(region.key)
        assert set(graph.objects(r, DCTERMS.spatial)) == {
            URIRef(f"http://data.europa.eu/nuts/code/{region.nuts3}"),
            URIRef(f"http://dcat-ap.de/def/politicalGeocoding/districtKey/{region.key}"),
        }
        assert graph.value(r, SCHEMA.sameAs) == URIRef(WD + region.wikidata)
    offenbach = URIRef(Iris().region("06413"))
    assert graph.value(offenbach, SCHEMA.sameAs) == URIRef(WD + "Q3042")
    assert (offenbach, DCTERMS.spatial, URIRef("http://data.europa.eu/nuts/code/DE713")) in graph


def test_an_organisation_links_to_wikidata_only_when_the_table_has_an_item() -> None:
    table = ORGANISATIONS.replace("RPKS,,", "RPKS,Q1,", 1)
    reference = load_reference(REGIONS, table)
    graph = graphs.reference_to_graph(reference, Iris())
    rp_kassel = URIRef(Iris().organisation("rp-kassel"))
    assert list(graph.objects(rp_kassel, SCHEMA.sameAs)) == [URIRef(WD + "Q1")]
    assert list(graph.objects(URIRef(Iris().organisation("hmsi")), SCHEMA.sameAs)) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",Q3042,", ",3042,", "wikidata must be an item id such as 'Q3042', not '3042'"),
        (",DE713,", ",DE7130,", "nuts3 must be a NUTS 3 code such as 'DE713', not 'DE7130'"),
        (
            "districtKey/06413,",
            "districtKey/06414,",
            "dcatde_districtKey must be http://dcat-ap.de",
        ),
    ],
)
def test_malformed_link_columns_are_refused(old: str, new: str, message: str) -> None:
    assert old in REGIONS
    with pytest.raises(AqbError) as error:
        load_reference(REGIONS.replace(old, new, 1), ORGANISATIONS)
    assert message in str(error.value)
    assert str(error.value).startswith("gebietskoerperschaften.csv:4: ")


def test_one_organisation_has_one_wikidata_item() -> None:
    # Two of the ministry's rows (one per name) give it two different items.
    lines = ORGANISATIONS.splitlines()
    rows = [i for i, line in enumerate(lines) if line.startswith("hmsi,") and ",HMSI,," in line]
    assert len(rows) >= 2
    for row, qid in zip(rows, ("Q1", "Q2"), strict=False):
        lines[row] = lines[row].replace(",HMSI,,", f",HMSI,{qid},", 1)
    with pytest.raises(AqbError, match="hmsi has two Wikidata items: Q1 and Q2"):
        load_reference(REGIONS, "\n".join(lines) + "\n")


def test_link_iris() -> None:
    assert links.wikidata_iri("Q3042") == WD + "Q3042"
    assert links.qid_of(WD + "Q3042") == "Q3042"
    assert links.qid_of("https://www.wikidata.org/wiki/Q3042") is None
    assert links.qid_of(WD + "P440") is None
    assert links.nuts_iri("DE71A") == "http://data.europa.eu/nuts/code/DE71A"
    for bad in ("q1", "Q01", "Q", "P440"):
        assert not links.is_qid(bad)
    with pytest.raises(ValueError):
        links.dcatde_district_key_iri("6413")
