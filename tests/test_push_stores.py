"""``aqb-rdf push`` into real stores on loopback: the Oxigraph server and OpenLink Virtuoso.

Two releases of a small synthetic corpus (aqb_rdf.demo.corpus, 4 regions):

* A: the agreements of 2023 and 2024;
* B: 2024 with every budget one euro higher (replaced), 2025 (created); 2023 is gone (stale).

Each store is queried with SPARQLWrapper and every graph compared with the local TriG by
isomorphism, numbers by value (stores keep numbers as values, see push.canonical_number).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from SPARQLWrapper import SPARQLWrapper

import stores
from aqb_rdf.cli import cli
from aqb_rdf.demo import corpus

pytestmark = pytest.mark.slow  # starts Oxigraph and Virtuoso

NAMESPACE = "https://aqb-rdf.example/graph/"
INTEGERS = {XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger}


@dataclass(frozen=True)
class Releases:
    a: Path
    b: Path
    reference: Path


def _build(runner: CliRunner, out: Path, reference: Path, *sources: Path) -> None:
    result = runner.invoke(cli, ["build", *map(str, sources), "--out", str(out),
                                 "--reference", str(reference), "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    root = tmp_path_factory.mktemp("releases")
    agreements = corpus.generate_corpus(root / "corpus", regions=4, years=3, first_year=2023)
    reference = root / "corpus" / "reference"
    changed = root / "changed-2024"
    shutil.copytree(agreements / "2024", changed)
    for document in changed.iterdir():
        text = document.read_text(encoding="utf-8")
        budget = re.compile(r"(\d)((?:,\d\d)? Euro)")  # one euro more: 344.180 → 344.181 Euro
        changed_text = budget.sub(lambda m: f"{(int(m[1]) + 1) % 10}{m[2]}", text, count=1)
        assert changed_text != text
        document.write_text(changed_text, encoding="utf-8")
    runner = CliRunner()
    _build(runner, root / "a", reference, agreements / "2023", agreements / "2024")
    _build(runner, root / "b", reference, changed, agreements / "2025")
    return Releases(root / "a" / "aqb.trig", root / "b" / "aqb.trig", reference)


def by_value(graph: Graph) -> Graph:
    """The graph with numbers written as stores give them back: integers, plain decimals."""
    result = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in INTEGERS:
            o = Literal(str(int(str(o))), datatype=XSD.integer)
        elif isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        result.add((s, p, o))
    return result


@functools.cache
def local_graphs(trig: Path) -> dict[str, Graph]:
    """The release's graphs of our namespace, numbers by value (read once; do not change)."""
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    return {
        str(g.identifier): by_value(g)
        for g in dataset.graphs()
        if str(g.identifier).startswith(NAMESPACE) and len(g)
    }


def remote_graph_names(endpoint: str) -> set[str]:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                    f'FILTER(STRSTARTS(STR(?g), "{NAMESPACE}")) }}')  # fmt: skip
    sparql.setReturnFormat("json")
    result = sparql.queryAndConvert()
    assert isinstance(result, dict)
    return {row["g"]["value"] for row in result["results"]["bindings"]}


def remote_graphs(endpoint: str) -> dict[str, Graph]:
    """Every graph of our namespace on the store, read with SPARQLWrapper (CONSTRUCT)."""
    graphs = {}
    for name in sorted(remote_graph_names(endpoint)):
        sparql = SPARQLWrapper(endpoint)
        sparql.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        # N-Triples: Virtuoso's Turtle writes "2240590"^^xsd:decimal as a bare 2240590 (integer)
        sparql.setOnlyConneg(True)
        sparql.addCustomHttpHeader("Accept", "application/n-triples")
        ntriples = sparql.query().response.read()
        graphs[name] = by_value(Graph().parse(data=ntriples, format="nt"))
    return graphs


def assert_store_holds(endpoint: str, trig: Path) -> None:
    remote, local = remote_graphs(endpoint), local_graphs(trig)
    assert set(remote) == set(local)
    different = [name for name in local if not isomorphic(remote[name], local[name])]
    if different:
        name = different[0]
        only_remote = sorted(
            " ".join(x.n3() for x in t) for t in set(remote[name]) - set(local[name])
        )[:3]
        only_local = sorted(
            " ".join(x.n3() for x in t) for t in set(local[name]) - set(remote[name])
        )[:3]
        pytest.fail(f"not isomorphic to the local TriG: {different}; in {name}, only on the "
                    f"store: {only_remote}, only here: {only_local}")  # fmt: skip


def counts(result: Result) -> dict[str, int]:
    """The summary line's counts: {'created': 2, 'replaced': 0, …}."""
    found = re.findall(r"(\d+) (created|replaced|unchanged|stale|deleted)", result.output)
    return {change: int(n) for n, change in found}


@dataclass(frozen=True)
class Target:
    """How a test reaches a store: the endpoints to pass and the credentials to set."""

    store: stores.Store
    options: tuple[str, ...]
    env: dict[str, str]

    def push(self, trig: Path, *extra: str, env: dict[str, str] | None = None,
             options: tuple[str, ...] | None = None) -> Result:  # fmt: skip
        runner = CliRunner()
        args = ["push", str(trig.parent), *(self.options if options is None else options), *extra]
        return runner.invoke(cli, args, env={**self.env, **(env or {})})


def options_for(store: stores.Store, mode: str, via: str | None = None) -> tuple[str, ...]:
    """The push options for ``mode`` ('gsp' or 'update'), optionally through a proxy URL."""

    def url(endpoint: str) -> str:
        return via + endpoint.split(str(store.port), 1)[1] if via else endpoint

    if mode == "gsp":
        return ("--endpoint", url(store.query), "--graph-store", url(store.graph_store))
    return ("--endpoint", url(store.query), "--update", url(store.update))


CREDENTIALS = {"AQB_PUSH_USER": stores.VIRTUOSO_USER, "AQB_PUSH_PASSWORD": stores.VIRTUOSO_PASSWORD}


@pytest.fixture(scope="module")
def virtuoso_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stores.Store]:
    with stores.virtuoso(tmp_path_factory.mktemp("virtuoso")) as running:
        yield running


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest) -> stores.Store:
    running = request.getfixturevalue(f"{request.param}_store")
    assert isinstance(running, stores.Store)
    return running


@pytest.mark.parametrize("mode", ["gsp", "update"])
def test_push_creates_skips_replaces_and_reports_stale(
    store: stores.Store, mode: str, releases: Releases
) -> None:
    env = CREDENTIALS if store.name == "virtuoso" else {}
    target = Target(store, options_for(store, mode), env)
    target.push(releases.a, "--delete-stale")  # start from A whatever ran before
    assert_store_holds(store.query, releases.a)

    again = target.push(releases.a)
    assert again.exit_code == 0, again.output
    assert counts(again) == {"created": 0, "replaced": 0, "unchanged": 11, "stale": 0}
    assert "0 triples sent" in again.output

    changed = target.push(releases.b)
    assert changed.exit_code == 0, changed.output
    # 2025 is new, 2024 changed, and so did the reference graph (2025 names a new Bezugsrahmen)
    # and the budget cube (issue 13)
    assert counts(changed) == {"created": 4, "replaced": 6, "unchanged": 1, "stale": 4}
    assert "replaced  https://aqb-rdf.example/graph/zielvereinbarung/2024/" in changed.output
    assert "stale     https://aqb-rdf.example/graph/zielvereinbarung/2023/" in changed.output
    assert len(remote_graph_names(store.query)) == 15  # stale graphs are kept …

    deleted = target.push(releases.b, "--delete-stale")
    assert counts(deleted) == {"created": 0, "replaced": 0, "unchanged": 11, "stale": 0,
                               "deleted": 4}  # fmt: skip
    assert_store_holds(store.query, releases.b)  # … until asked


def test_wrong_credentials_give_one_line_without_the_password(
    virtuoso_store: stores.Store, releases: Releases
) -> None:
    store = virtuoso_store
    secret = "not-the-password-4711"
    target = Target(store, options_for(store, "gsp"), {})
    result = target.push(releases.a, env={"AQB_PUSH_USER": "dba", "AQB_PUSH_PASSWORD": secret})
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"aqb-rdf: error: {store.graph_store}: write graph <")
    assert "401 Unauthorized" in lines[0] and "AQB_PUSH_PASSWORD" in lines[0]
    assert secret not in result.output and "Traceback" not in result.output


def test_retries_after_503_then_succeeds(oxigraph_store: stores.Store, releases: Releases) -> None:
    store = oxigraph_store
    with stores.FaultyProxy(store.port, fail_first=3) as proxy:
        target = Target(store, options_for(store, "gsp", proxy.base), {})
        result = target.push(releases.a, "--delete-stale")
    assert result.exit_code == 0, result.output
    assert proxy.requests > 3
    assert_store_holds(store.query, releases.a)


def assert_old_or_new(endpoint: str, releases: Releases) -> None:
    """Every graph on the store is as in A or as in B (or absent where A lacks it), and the
    push stopped midway: two changed graphs are new, at least one is not."""
    old, new = local_graphs(releases.a), local_graphs(releases.b)
    remote = remote_graphs(endpoint)
    for name in set(old) | set(new):
        if name not in remote:
            assert name not in old, f"{name} was lost"
            continue
        versions = [g for g in (old.get(name), new.get(name)) if g is not None]
        assert any(isomorphic(remote[name], v) for v in versions), f"{name} is neither"
    changed = [n for n in new if n not in old or not isomorphic(old[n], new[n])]
    written = [n for n in changed if n in remote and isomorphic(remote[n], new[n])]
    assert len(written) == 2 and len(changed) > 2, (written, changed)


def assert_converges(target: Target, releases: Releases) -> None:
    converged = target.push(releases.b, "--delete-stale")
    assert converged.exit_code == 0, converged.output
    assert counts(converged)["created"] + counts(converged)["replaced"] == 10 - 2  # not yet new
    assert_store_holds(target.store.query, releases.b)
    assert counts(target.push(releases.b))["unchanged"] == 11


@pytest.mark.parametrize("mode", ["gsp", "update"])
def test_cut_midway_every_graph_is_old_or_new_and_the_retry_converges(
    virtuoso_store: stores.Store, mode: str, releases: Releases
) -> None:
    """Virtuoso: the connection drops while the third graph is half sent (a cut body)."""
    store, env = virtuoso_store, CREDENTIALS
    Target(store, options_for(store, mode), env).push(releases.a, "--delete-stale")
    with stores.FaultyProxy(store.port, cut_at=3) as proxy:
        failed = Target(store, options_for(store, mode, proxy.base), env).push(
            releases.b, "--retries", "0", "--connections", "1"
        )
    assert failed.exit_code == 1
    assert failed.output.count("\n") == 1 and "Traceback" not in failed.output
    assert "write graph <https://aqb-rdf.example/graph/" in failed.output
    assert_old_or_new(store.query, releases)
    assert_converges(Target(store, options_for(store, mode), env), releases)


@pytest.mark.parametrize("mode", ["gsp", "update"])
def test_killed_midway_every_graph_is_old_or_new_and_the_retry_converges(
    mode: str, releases: Releases, tmp_path: Path
) -> None:
    """The Oxigraph server is killed (SIGKILL) while the third graph is half sent.

    One connection, so exactly two graphs are written before the cut.
    """
    location = tmp_path / "store"
    with stores.oxigraph(location) as first:
        Target(first, options_for(first, mode), {}).push(releases.a)
        with stores.FaultyProxy(first.port, cut_at=3,
                                on_cut=lambda: os.killpg(first.process.pid, signal.SIGKILL)
                                ) as proxy:  # fmt: skip
            failed = Target(first, options_for(first, mode, proxy.base), {}).push(
                releases.b, "--retries", "1", "--connections", "1"
            )
    assert failed.exit_code == 1
    assert failed.output.count("\n") == 1 and "Traceback" not in failed.output
    assert failed.output.startswith(f"aqb-rdf: error: {proxy.base}/")
    assert "write graph <https://aqb-rdf.example/graph/" in failed.output
    with stores.oxigraph(location) as restarted:
        assert_old_or_new(restarted.query, releases)
        assert_converges(Target(restarted, options_for(restarted, mode), {}), releases)
