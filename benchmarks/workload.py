"""What the benchmark asks: the three kinds of query and the cells' query lists.

(a) *resource* (one agreement's triples, both directions, as Turtle), (b) *lookup* (the budget
of one region in one year) and (c) *aggregate* (the sum of budgets per year above a threshold),
each as disjoint *cold* lists (every query new) per connection count and a small *repeated* set.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from dataset import BASE, Agreement, Dataset

PREFIXES = (
    "PREFIX aqb: <https://aqb-rdf.example/def/aqb#>\n"
    "PREFIX schema: <http://schema.org/>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)
KINDS = ("resource", "lookup", "aggregate")
MODES = ("cold", "repeated")
CONNECTIONS = (1, 8)
REPEATED_SET = {"resource": 16, "lookup": 16, "aggregate": 4}
"""How many distinct queries the repeated cells cycle through (each sent once beforehand)."""
SOLUTIONS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"


def resource_query(a: Agreement) -> str:
    iri = f"<{a.iri}>"
    return (f"CONSTRUCT {{ {iri} ?p ?o . ?s ?q {iri} }}\n"
            f"WHERE {{ {{ {iri} ?p ?o }} UNION {{ ?s ?q {iri} }} }}")  # fmt: skip


def lookup_query(a: Agreement) -> str:
    return (
        PREFIXES + "SELECT ?budget WHERE {\n"
        f'  ?gk aqb:kreisschluessel "{a.key}" .\n'
        f'  ?zv aqb:gebietskoerperschaft ?gk ; aqb:jahr "{a.year}"^^xsd:gYear ; aqb:budget ?b .\n'
        "  ?b schema:value ?budget .\n}"
    )


def aggregate_query(threshold: int) -> str:
    return (
        PREFIXES + "SELECT ?year (SUM(?value) AS ?total) (COUNT(?zv) AS ?agreements) WHERE {\n"
        "  ?zv a aqb:Zielvereinbarung ; aqb:jahr ?year ; aqb:budget ?b .\n"
        f"  ?b schema:value ?value . FILTER(?value >= {threshold})\n"
        "} GROUP BY ?year ORDER BY ?year"
    )


@dataclass(frozen=True)
class Query:
    """One request's parameters: what to ask, and the answer to expect (for the checks)."""

    kind: str
    text: str
    accept: str
    agreement: Agreement | None = None
    threshold: int | None = None
    ld_path: str | None = None
    """The agreement's Linked-Data path (``/id/…``), for a server that has the route."""


@dataclass(frozen=True)
class Workload:
    """Per kind: disjoint cold query lists per connection count, and the repeated set."""

    cold: dict[tuple[str, int], list[Query]]
    repeated: dict[str, list[Query]]


def make_workload(data: Dataset, seed: int) -> Workload:
    rng = random.Random(seed)

    def resource(a: Agreement) -> Query:
        path = "/" + a.iri.removeprefix(BASE)
        return Query("resource", resource_query(a), TURTLE, agreement=a, ld_path=path)

    def lookup(a: Agreement) -> Query:
        return Query("lookup", lookup_query(a), SOLUTIONS_JSON, agreement=a)

    cold: dict[tuple[str, int], list[Query]] = {}
    repeated: dict[str, list[Query]] = {}
    make: dict[str, Callable[[Agreement], Query]] = {"resource": resource, "lookup": lookup}
    for kind, build in make.items():
        order = list(data.agreements)
        rng.shuffle(order)
        n_rep = min(REPEATED_SET[kind], max(1, len(order) // 10))
        repeated[kind] = [build(a) for a in order[:n_rep]]
        rest = order[n_rep:]
        # A third for 1 connection, two thirds for 8 (where more requests fit in a cell).
        split = len(rest) // 3
        cold[kind, 1] = [build(a) for a in rest[:split]]
        cold[kind, 8] = [build(a) for a in rest[split:]]
    # Thresholds: each a different query that still aggregates over every agreement.
    top = int(min(a.budget for a in data.agreements))
    thresholds = rng.sample(range(1, max(top, 100_000)), 40_000)
    repeated["aggregate"] = [
        Query("aggregate", aggregate_query(t), SOLUTIONS_JSON, threshold=t)
        for t in [0, *thresholds[: REPEATED_SET["aggregate"] - 1]]
    ]
    rest_t = thresholds[REPEATED_SET["aggregate"] :]
    cold["aggregate", 1] = [
        Query("aggregate", aggregate_query(t), SOLUTIONS_JSON, threshold=t) for t in rest_t[:10_000]
    ]
    cold["aggregate", 8] = [
        Query("aggregate", aggregate_query(t), SOLUTIONS_JSON, threshold=t) for t in rest_t[10_000:]
    ]
    return Workload(cold, repeated)


def disjoint_resources(workload: Workload) -> tuple[Workload, Workload]:
    """Two workloads whose cold resource lists share no agreement (every other one each).

    Our Linked-Data route as Turtle and as HTML run the same describe query; the server keeps
    its answer per release, so an HTML cell over the agreements the Turtle cell asked for
    measured a page whose queries were answered already (it looked faster than the Turtle).
    """

    def half(start: int) -> Workload:
        cold = dict(workload.cold)
        for connections in CONNECTIONS:
            cold["resource", connections] = workload.cold["resource", connections][start::2]
        return Workload(cold, workload.repeated)

    return half(0), half(1)
