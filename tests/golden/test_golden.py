"""Golden cases: each agreement document maps to the graph in its ``expected.ttl``.

One case per folder of tests/golden/ (see README.md there and ``cases.py``): the seeds of
data/agreements/2025/ and the valid variants of tests/documents/. The graphs are compared by
isomorphism; on a difference the triples only in one side are printed. The expected files are
written by ``make golden`` only, never by a test.
"""

from __future__ import annotations

import pytest
from cases import Case, cases, difference, mapped_graph, read_expected
from rdflib import Literal, URIRef

CASES = cases()


def test_there_are_cases_and_each_has_one_document_and_an_expected_graph() -> None:
    assert len(CASES) >= 9
    incomplete = {
        case.name: [p.name for p in case.documents]
        for case in CASES
        if len(case.documents) != 1 or not case.expected.is_file()
    }
    assert incomplete == {}, "each case needs one document and expected.ttl (make golden)"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_document_maps_to_the_expected_graph(case: Case) -> None:
    message = difference(read_expected(case), mapped_graph(case.document))
    assert not message, f"{case.name}: {message}\n(make golden rewrites expected.ttl for review)"


def test_a_difference_names_the_triples_on_each_side() -> None:
    """The comparison fails on one changed triple and shows it on both sides."""
    case = CASES[0]
    expected = read_expected(case)
    changed = read_expected(case)
    s, p, o = next(iter(sorted(changed)))
    changed.remove((s, p, o))
    changed.add((s, p, Literal("not what the document says")))
    message = difference(expected, changed)
    assert f"only in expected (1):\n  {s.n3()} {p.n3()} {o.n3()} ." in message
    assert f'only in mapped (1):\n  {s.n3()} {p.n3()} "not what the document says" .' in message
    assert isinstance(s, URIRef)
    assert difference(expected, read_expected(case)) == ""


POSITION = {"zeileVon", "zeileBis", "seite", "hasSource", "hasSelector"}


def facts(case: Case) -> set[tuple[str, str, str]]:
    """The expected triples that do not depend on the document's form: none about the document
    itself (its name, type, checksum, text, the links to it) nor where in it a fact stands
    (lines, characters, page, the selectors)."""
    found = set()
    for s, p, o in read_expected(case):
        if any(
            "/id/dokument/" in str(term) or "/download/dokumente/" in str(term) for term in (s, o)
        ):
            continue
        if str(p).rsplit("#", 1)[-1] in POSITION or "/fundstelle/" in str(s) and "#" in str(s):
            continue
        found.add((str(s), str(p), o.n3()))
    return found


@pytest.mark.parametrize("agreement", ["offenbach-2025", "bergstrasse-2025"])
def test_every_form_of_one_agreement_states_the_same_facts(agreement: str) -> None:
    forms = [case for case in CASES if case.name.startswith(agreement + "-")]
    assert len(forms) >= 4
    seed = facts(next(case for case in forms if case.name.endswith("-seed")))
    assert len(seed) > 150
    assert {case.name: facts(case) ^ seed for case in forms} == {case.name: set() for case in forms}
