"""The answer checks: every server's answers against the data, before and while it is measured.

:func:`verify` checks a few full answers of each kind (not measured); :func:`fast_check` is the
cheap per-response check during the measurement (the answer is not empty).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from dataset import Dataset
from servers import Server, http_get
from workload import KINDS, TURTLE, Query, Workload


def solutions(body: bytes) -> list[dict[str, str]]:
    return [
        {name: value["value"] for name, value in row.items()}
        for row in json.loads(body)["results"]["bindings"]
    ]


def expected_aggregate(data: Dataset, threshold: int) -> dict[str, tuple[float, int]]:
    per_year: dict[str, tuple[float, int]] = {}
    for a in data.agreements:
        if a.budget >= threshold:
            total, count = per_year.get(a.year, (0.0, 0))
            per_year[a.year] = (total + a.budget, count + 1)
    return per_year


def check_answer(data: Dataset, query: Query, status: int, ctype: str, body: bytes) -> str | None:
    """What is wrong with one answer (None: it is right)."""
    if status != 200:
        return f"status {status}: {body[:200]!r}"
    if query.kind == "resource":
        import pyoxigraph

        if not ctype.startswith(TURTLE):
            return f"content type {ctype!r}, not Turtle"
        triples = list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
        subjects = {t.subject.value for t in triples if hasattr(t.subject, "value")}
        if query.agreement is None or query.agreement.iri not in subjects or len(triples) < 10:
            return f"{len(triples)} triples, not the agreement's"
        return None
    rows = solutions(body)
    if query.kind == "lookup":
        assert query.agreement is not None
        values = [float(r["budget"]) for r in rows]
        if values != [query.agreement.budget]:
            return f"budget {values}, expected [{query.agreement.budget}]"
        return None
    assert query.threshold is not None
    expected = expected_aggregate(data, query.threshold)
    got = {r["year"][:4]: (float(r["total"]), int(r["agreements"])) for r in rows}
    if got.keys() != expected.keys() or any(
        abs(got[y][0] - expected[y][0]) > 0.01 or got[y][1] != expected[y][1] for y in expected
    ):
        return f"totals differ: {sorted(got.items())[:2]} vs {sorted(expected.items())[:2]}"
    return None


def verify(server: Server, data: Dataset, workload: Workload) -> list[str]:
    """Check a few answers of each kind against the data (they are not measured).

    The SPARQL forms only: ours' ``/id/…`` answers a different, larger description (probed
    separately, see ``start_ours``)."""
    problems = []
    samples = [workload.repeated[kind][0] for kind in KINDS]
    samples.append(workload.cold["aggregate", 8][-1])  # a threshold above zero
    for query in samples:
        path = server.path_for(query, linked_data=False)
        status, ctype, body = http_get(server.url(path), query.accept, 120)
        problem = check_answer(data, query, status, ctype, body)
        if problem:
            problems.append(f"{query.kind}: {problem}")
    return problems


def fast_check(kind: str) -> Callable[[int, bytes], str | None]:
    """A cheap per-response check during measurement: the answer is not empty."""

    def check(status: int, body: bytes) -> str | None:
        if status != 200:
            return None
        if kind == "resource" and body.lstrip()[:15].lower() == b"<!doctype html>":
            return None if b"</html>" in body[-200:] else "cut-off page"
        if kind == "resource":
            return None if body.count(b" .") + body.count(b";") >= 10 else "short answer"
        return None if b'"value"' in body else "empty result"

    return check
