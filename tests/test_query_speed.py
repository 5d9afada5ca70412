"""Every named query (queries/*.rq) on the demonstration corpus, within a bound well under
the server's time limit.

The corpus is the one ``make demo`` builds (26 real regions × 2014–2026, 338 agreements,
235,000 triples), in the store the server opens (``releases/<id>/store``, default graph the
union). Before the rewrite, ``projects-between-years`` ran past the 10 s limit there and
``regions-without-project`` took 5.9 s. Measured on the 2-core machine at load 2 (another
engineer's work running): the slowest is ``sitemap-resources`` at 1.6 s, every other one
under 0.4 s. The bound, :data:`BOUND`, is half the time limit: room for a CI machine three
times slower, and still a failure for a query that is as slow as those two were.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions, Store

from aqb_rdf.build.pipeline import build
from aqb_rdf.config import SERVE_TIMEOUT
from aqb_rdf.demo.years import DEMO_BASE, FIRST_YEAR, LAST_YEAR, generate_years
from aqb_rdf.publish.release import current_release
from aqb_rdf.sparql.guard import QueryForm, check_query
from aqb_rdf.sparql.named_queries import bind
from aqb_rdf.sparql.pool import QueryPool, QueryRequest
from aqb_rdf.sparql.store import available_queries, ensure_store, find_query

pytestmark = pytest.mark.slow  # builds 338 agreements and a persisted store

BOUND = SERVE_TIMEOUT.default / 2
"""Seconds each named query may take on the demo corpus."""

SAMPLES = {
    "gYear": "2024",
    "kreisschluessel": "06413",
    "notation": "2",
}
IRI_SAMPLES = {
    "class": DEMO_BASE + "def/aqb#Projekt",
    "graph": DEMO_BASE + "graph/zielvereinbarung/2024/06413",
    "resource": DEMO_BASE + "id/zielvereinbarung/2024/06413",
}


@pytest.fixture(scope="module")
def demo_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    generate_years(root / "corpus", FIRST_YEAR, LAST_YEAR)
    report = build(
        [root / "corpus" / "agreements"], root / "dist", base=DEMO_BASE,
        reference_dir=root / "corpus" / "reference", synthetic=True,
    )  # fmt: skip
    assert report.agreements == 338
    release = current_release(root / "dist")
    assert release is not None
    return ensure_store(Path(release))


@pytest.fixture(scope="module")
def demo_store(demo_store_dir: Path) -> Store:
    return Store.read_only(str(demo_store_dir))


@pytest.fixture(scope="module")
def pool(demo_store_dir: Path) -> Iterator[QueryPool]:
    """A query worker with the bound as its time limit: a query over it fails, not hangs."""
    with QueryPool(demo_store_dir, workers=1, timeout=BOUND) as pool:
        yield pool


def _params(store: Store, name: str) -> dict[str, str]:
    """The required parameters of the query, with values the demo corpus has."""
    query = find_query(name, DEMO_BASE)
    samples = {**IRI_SAMPLES, "document": _a_document(store)}
    params = {}
    for parameter in query.parameters:
        if parameter.required:
            iri = parameter.type.name == "iri"
            params[parameter.name] = (
                samples[parameter.name] if iri else SAMPLES[parameter.type.name]
            )
    if name == "projects-between-years":
        params.update({"from": "2024", "to": "2025"})
    return params


def _a_document(store: Store) -> str:
    answer = store.query(f"SELECT ?d WHERE {{ ?d a <{DEMO_BASE}def/aqb#Quelldokument> }} LIMIT 1")
    assert isinstance(answer, QuerySolutions)
    return str(next(iter(answer))[0].value)


@pytest.mark.parametrize("name", available_queries())
def test_every_named_query_runs_well_within_the_time_limit(
    demo_store: Store, pool: QueryPool, name: str
) -> None:
    sparql = bind(find_query(name, DEMO_BASE), _params(demo_store, name))
    graph = check_query(sparql).form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
    started = time.perf_counter()
    answer = pool.run(QueryRequest(sparql, "application/n-triples" if graph else "text/csv"))
    took = time.perf_counter() - started
    rows = answer.body.count(b"\n") - (0 if graph else 1)  # CSV: the header row
    assert took < BOUND, f"{name}: {took:.2f} s for {rows} row(s), over the {BOUND} s bound"
    assert rows > 0, f"{name} found nothing on the demo corpus: the sample parameters are wrong"
