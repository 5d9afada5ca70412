"""``aqb-rdf diff``: two real builds with known differences, compared (aqb_rdf.diff, cli/diff.py).

The old release is ``data/agreements`` (Bergstraße and Offenbach 2025). The new one changes
Bergstraße's budget (1.230.450 → 1.250.000 Euro), renames a project and moves a signature
date, drops Offenbach and adds a Bergstraße 2024 (the 2025 text with its year changed). The
command runs for real (the console script); the SPARQL Update patch is applied to a real
store holding the old release and must leave exactly the new one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
)

from aqb_rdf.build.pipeline import build
from aqb_rdf.diff.changes import Status, compare, compare_dumps
from aqb_rdf.diff.graphs import LocalGraph, canonical_triples, index_blocks, read_graphs
from aqb_rdf.diff.output import german_number, patch_chunks
from aqb_rdf.rdf.iris import Iris
from test_cli import aqb_rdf

pytestmark = pytest.mark.slow  # builds twice and runs the aqb-rdf command

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "agreements" / "2025"
BASE = "https://aqb-rdf.example/"
BERGSTRASSE = f"{BASE}graph/zielvereinbarung/2025/06431"
OFFENBACH = f"{BASE}graph/zielvereinbarung/2025/06413"
BERGSTRASSE_2024 = f"{BASE}graph/zielvereinbarung/2024/06431"


def _edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The old and the new build output folder."""
    root = tmp_path_factory.mktemp("diff")
    old = build([SEEDS], root / "old", workers=1)
    assert old.agreements == 2
    source = root / "new-sources"
    (source / "2025").mkdir(parents=True)
    (source / "2024").mkdir()
    text = (SEEDS / "bergstrasse.txt").read_text(encoding="utf-8")
    (source / "2025" / "bergstrasse.txt").write_text(
        _edited(
            text,
            ("\n1.230.450 Euro\n", "\n1.250.000 Euro\n"),
            (" - Vorbereitung TZ Ausbildung", " - Vorbereitung Teilzeitausbildung"),
            ("Heppenheim, den 8.8.2025", "Heppenheim, den 9.8.2025"),
        ),
        encoding="utf-8",
    )
    earlier = text.replace("2025", "2024").replace("2024 bis 2029", "2025 bis 2029")
    (source / "2024" / "bergstrasse.txt").write_text(earlier, encoding="utf-8")
    new = build([source], root / "new", workers=1)
    assert new.agreements == 2
    return root / "old", root / "new"


def test_text_names_each_changed_fact(releases: tuple[Path, Path]) -> None:
    old, new = releases
    result = aqb_rdf("diff", old, new)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert f"changed  {BERGSTRASSE}  Zielvereinbarung 2025 – Landkreis Bergstraße" in lines
    assert "  ~ budget schema:value: 1.230.450 € → 1.250.000 €" in lines
    assert (
        '  ~ massnahmenart/1/projekt/1 schema:name: "Vorbereitung TZ Ausbildung"'
        ' → "Vorbereitung Teilzeitausbildung"'
    ) in lines
    assert "  ~ unterzeichnung/2 aqb:datum: 2025-08-08 → 2025-08-09" in lines
    block = lines[
        lines.index(f"changed  {BERGSTRASSE}  Zielvereinbarung 2025 – Landkreis Bergstraße") + 1 :
    ]
    block = block[: next(i for i, line in enumerate(block) if not line.startswith("  "))]
    facts = [line for line in block if line.startswith(("  ~ ", "  + ", "  - "))]
    assert len(facts) == 3, facts  # nothing else of the facts changed; provenance is counted
    assert any(line.startswith("  and ") and "provenance" in line for line in lines)
    assert any(line.startswith(f"removed  {OFFENBACH}  Zielvereinbarung 2025") for line in lines)
    assert any(
        line.startswith(f"added    {BERGSTRASSE_2024}  Zielvereinbarung 2024") for line in lines
    )
    assert lines[-1] == (
        "1 agreement(s) changed, 1 added, 1 removed, 0 unchanged; 1 other graph differs (datenwuerfel)"
    )  # the budget cube, whose cells follow the budgets


def test_json_lists_the_facts_in_n_triples_syntax(releases: tuple[Path, Path]) -> None:
    old, new = releases
    result = aqb_rdf("diff", old, new, "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["agreements"] == {"changed": 1, "added": 1, "removed": 1, "unchanged": 0}
    graphs = {g["graph"]: g for g in document["graphs"]}
    assert graphs.keys() == {BERGSTRASSE, OFFENBACH, BERGSTRASSE_2024, f"{BASE}graph/datenwuerfel"}
    assert graphs[OFFENBACH]["status"] == "removed"
    budget = [
        f for f in graphs[BERGSTRASSE]["facts"] if f["predicate"] == "<http://schema.org/value>"
    ]
    decimal = "^^<http://www.w3.org/2001/XMLSchema#decimal>"
    assert budget == [
        {
            "change": "changed",
            "subject": f"<{BASE}id/zielvereinbarung/2025/06431/budget>",
            "predicate": "<http://schema.org/value>",
            "old": [f'"1230450"{decimal}'],
            "new": [f'"1250000"{decimal}'],
        }
    ]
    assert graphs[BERGSTRASSE]["provenance"]  # the offsets moved with the edits


def _store(folder: Path) -> Store:
    store = Store()
    store.load(path=folder / "current" / "aqb.trig", format=RdfFormat.TRIG)
    return store


def _graphs(store: Store) -> dict[str, frozenset[Triple]]:
    names = {str(q.graph_name)[1:-1] for q in store.quads_for_pattern(None, None, None)}
    return {
        name: canonical_triples(
            q.triple for q in store.quads_for_pattern(None, None, None, NamedNode(name))
        )
        for name in names
    }


def test_the_patch_turns_the_old_release_into_the_new(releases: tuple[Path, Path]) -> None:
    old, new = releases
    result = aqb_rdf("diff", old, new, "--format", "patch")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("# aqb-rdf diff: SPARQL 1.1 Update from release ")
    store = _store(old)
    assert _graphs(store) != _graphs(_store(new))
    store.update(result.stdout)
    assert _graphs(store) == _graphs(_store(new))


def test_release_ids_of_one_out_folder(releases: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = releases
    out = tmp_path / "dist"
    shutil.copytree(old, out, symlinks=True)
    first = (out / "current").resolve().name
    build([SEEDS / "bergstrasse.txt"], out, workers=1)  # the previous release is kept
    second = (out / "current").resolve().name
    result = aqb_rdf("diff", first, second, "--out", out)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "0 agreement(s) changed, 0 added, 1 removed, 1 unchanged; 1 other graph differs (datenwuerfel)"
    )
    same = aqb_rdf("diff", second, out, "--out", out)
    assert (same.returncode, same.stdout) == (
        0,
        "0 agreement(s) changed, 0 added, 0 removed, 1 unchanged\n",
    )
    patch = aqb_rdf("diff", second, out, "--out", out, "--format", "patch")
    assert patch.returncode == 0
    Store().update(patch.stdout)  # an empty patch is a valid update request


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("no-such-id", "dist"), "no-such-id: no such folder, nor a release id of"),
        (("tests", "tests"), "tests: not a release: aqb.trig is missing; build it first"),
    ],
)
def test_an_error_is_one_line_and_status_2(
    args: tuple[str, ...], problem: str, tmp_path: Path
) -> None:
    result = aqb_rdf("diff", *args, "--out", tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"aqb-rdf: error: {problem}")
    assert len(result.stderr.splitlines()) == 1


def test_a_dump_that_is_not_trig_is_one_line(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "aqb.trig").write_text("<http://g> { <http://a> <http://b> }")
    result = aqb_rdf("diff", tmp_path / "a", tmp_path / "b")
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"aqb-rdf: error: {tmp_path / 'a' / 'aqb.trig'}: not valid TriG"
    )


# -- blank nodes ----------------------------------------------------------------------------------

EX = "http://example.org/"


def _list(graph: str, items: list[str], label: str) -> LocalGraph:
    """An ``owl:unionOf`` list as the ontology has them, its blank nodes labelled ``label…``."""
    nodes = [BlankNode(f"{label}{i}") for i in range(len(items))]
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    triples = [Triple(NamedNode(EX + "c"), NamedNode(EX + "unionOf"), nodes[0])]
    for i, item in enumerate(items):
        rest = nodes[i + 1] if i + 1 < len(items) else NamedNode(rdf + "nil")
        triples += [
            Triple(nodes[i], NamedNode(rdf + "first"), NamedNode(EX + item)),
            Triple(nodes[i], NamedNode(rdf + "rest"), rest),
        ]
    triples.append(
        Triple(
            NamedNode(EX + "c"),
            NamedNode(EX + "n"),
            Literal("1.0", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        )
    )
    return LocalGraph(graph, tuple(triples))


def test_blank_nodes_relabelled_and_numbers_respelled_are_the_same() -> None:
    old = [_list(EX + "g", ["a", "b"], "x")]
    new = [_list(EX + "g", ["a", "b"], "y")]
    new = [LocalGraph(new[0].iri, tuple(
        Triple(t.subject, t.predicate, Literal("1", datatype=t.object.datatype))
        if isinstance(t.object, Literal) else t for t in new[0].triples
    ))]  # fmt: skip
    assert compare(old, new, Iris(BASE)).same


def test_a_graph_with_changed_blank_nodes_is_replaced_whole_by_the_patch() -> None:
    old = [_list(EX + "g", ["a", "b"], "x"), _list(EX + "h", ["a"], "z")]
    new = [_list(EX + "h", ["a"], "q"), _list(EX + "g", ["a", "c"], "y")]  # another order too
    diff = compare(old, new, Iris(BASE))
    assert [(c.graph, c.status, c.blank_nodes) for c in diff.changes] == [
        (EX + "g", Status.CHANGED, True)
    ]
    patch = "".join(patch_chunks(diff, lambda: iter(new), "old", "new"))
    assert "DELETE DATA" not in patch  # DELETE DATA cannot name a store's blank nodes
    store = Store()
    store.extend(
        Quad(t.subject, t.predicate, t.object, NamedNode(g.iri)) for g in old for t in g.triples
    )
    store.update(patch)
    after = canonical_triples(
        q.triple for q in store.quads_for_pattern(None, None, None, NamedNode(EX + "g"))
    )
    assert after == canonical_triples(new[1].triples)
    assert len(store) == sum(len(g.triples) for g in new)


def test_read_graphs_streams_a_real_release(releases: tuple[Path, Path]) -> None:
    names = [g.iri for g in read_graphs(releases[0] / "current" / "aqb.trig")]
    assert sorted(names) == sorted({*names}) and f"{BASE}graph/ontology" in names


@pytest.mark.parametrize(
    ("text", "german"),
    [("1011410", "1.011.410"), ("987350.5", "987.350,50"), ("12", "12"), ("x", "x")],
)
def test_german_number(text: str, german: str) -> None:
    assert german_number(text) == german


def test_unchanged_blocks_are_skipped_with_the_same_result(releases: tuple[Path, Path]) -> None:
    old, new = (folder / "current" / "aqb.trig" for folder in releases)
    index = index_blocks(old)
    assert index is not None and f"{BASE}graph/ontology" in index.blocks
    fast, full = (
        compare_dumps(old, new, Iris(BASE)),
        compare(read_graphs(old), read_graphs(new), Iris(BASE)),
    )
    assert fast == full and fast.unchanged_agreements == full.unchanged_agreements


def test_a_dump_laid_out_otherwise_is_parsed_whole(tmp_path: Path) -> None:
    one, two = tmp_path / "one.trig", tmp_path / "two.trig"
    one.write_text("<http://g> { <http://a> <http://b> 1 . }\n", encoding="utf-8")  # one line
    two.write_text("<http://g> {\n\t<http://a> <http://b> 2 .\n}\n", encoding="utf-8")
    assert index_blocks(one) is None and index_blocks(two) is not None
    diff = compare_dumps(one, two, Iris(BASE))
    assert [(c.graph, c.status) for c in diff.changes] == [("http://g", Status.CHANGED)]
