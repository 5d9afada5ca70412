"""The pure core of ``aqb-rdf link``: comparing candidates, confirming links, updating tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from aqb_rdf.link.reconcile import (
    Candidate,
    Finding,
    Status,
    Subject,
    candidates_by,
    compare,
    confirmed_links,
    organisations_query,
)
from aqb_rdf.link.table_update import update_table, write_atomically

ROOT = Path(__file__).resolve().parent.parent
REGIONS = (ROOT / "data" / "reference" / "gebietskoerperschaften.csv").read_text(encoding="utf-8")
ORGANISATIONS = (ROOT / "data" / "reference" / "organisationen.csv").read_text(encoding="utf-8")
WD = "http://www.wikidata.org/entity/"


# --- comparing -------------------------------------------------------------------------------

OFFENBACH = Subject(
    "gebietskoerperschaften.csv", "06413", "Stadt Offenbach am Main", "Q3042", "DE713"
)


@pytest.mark.parametrize(
    ("table", "found", "status", "proposed"),
    [
        ("Q3042", ["Q3042"], Status.MATCH, "Q3042"),
        ("Q3042", ["Q7", "Q3042"], Status.MATCH, "Q3042"),
        ("Q3042", ["Q7"], Status.MISMATCH, "Q7"),
        ("Q3042", ["Q7", "Q8"], Status.MISMATCH, ""),
        ("Q3042", [], Status.NOT_FOUND, ""),
        ("", ["Q7"], Status.MISSING, "Q7"),
        ("", ["Q8", "Q7", "Q8"], Status.AMBIGUOUS, ""),
        ("", [], Status.NOT_FOUND, ""),
    ],
)
def test_compare(table: str, found: list[str], status: Status, proposed: str) -> None:
    subject = Subject("t.csv", "06413", "Offenbach", table)
    finding = compare(subject, [Candidate(q) for q in found])
    assert (finding.status, finding.proposed) == (status, proposed)
    assert [c.qid for c in finding.candidates] == sorted(set(found), key=lambda q: int(q[1:]))


def test_a_match_with_another_nuts_code_is_noted() -> None:
    finding = compare(OFFENBACH, [Candidate("Q3042", "Offenbach am Main", ("DE714",))])
    assert finding.status is Status.MATCH
    assert finding.notes == ("NUTS code: table DE713, endpoint DE714",)


def test_candidates_keep_one_entry_per_item_and_ignore_other_iris() -> None:
    rows = [
        {"item": WD + "Q3042", "key": "06413", "nuts": "DE713", "label": "Offenbach am Main"},
        {"item": WD + "Q3042", "key": "06413", "nuts": "DE71X", "label": "Offenbach am Main"},
        {"item": "http://example.org/Q1", "key": "06413"},
        {"item": WD + "Q1721", "key": "06414"},
    ]
    assert candidates_by(rows, "key") == {
        "06413": [Candidate("Q3042", "Offenbach am Main", ("DE713", "DE71X"))],
        "06414": [Candidate("Q1721")],
    }


def test_names_are_escaped_in_queries() -> None:
    query = organisations_query(['Amt "A" \\ B'])
    assert '"Amt \\"A\\" \\\\ B"@de' in query


def test_only_matches_and_missing_links_are_confirmed_unless_replacing() -> None:
    findings = [
        Finding(OFFENBACH, Status.MATCH, (Candidate("Q3042"),)),
        Finding(OFFENBACH, Status.MISMATCH, (Candidate("Q7"),)),
        Finding(OFFENBACH, Status.AMBIGUOUS, (Candidate("Q7"), Candidate("Q8"))),
    ]
    assert [k.qid for k in confirmed_links(findings, "e", "2026-01-01")] == ["Q3042"]
    assert [k.qid for k in confirmed_links(findings, "e", "2026-01-01", True)] == ["Q3042", "Q7"]


# --- writing ---------------------------------------------------------------------------------


def test_an_unchanged_table_is_written_back_byte_for_byte() -> None:
    for text, column in ((REGIONS, "kreisschluessel"), (ORGANISATIONS, "slug")):
        assert update_table(text, column, []) == (text, 0)


def test_update_table_changes_only_the_link_cells() -> None:
    (link,) = confirmed_links(
        [Finding(OFFENBACH, Status.MISSING, (Candidate("Q9"),))], "http://e/sparql", "2026-01-02"
    )
    updated, rows = update_table(REGIONS, "kreisschluessel", [link])
    assert rows == 1
    changed = [(a, b) for a, b in zip(REGIONS.splitlines(), updated.splitlines()) if a != b]
    geocoding = "http://dcat-ap.de/def/politicalGeocoding/districtKey/06413"
    assert len(changed) == 1
    assert f"Darmstadt,Q3042,{geocoding},,,,," in changed[0][0]
    assert changed[0][1] == changed[0][0].replace(
        f"Darmstadt,Q3042,{geocoding},,,", f"Darmstadt,Q9,{geocoding},2026-01-02,http://e/sparql,"
    )


def test_a_failed_write_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("old\n", encoding="utf-8")
    with pytest.raises(OSError):
        write_atomically({first: "new\n", tmp_path / "missing" / "b.csv": "new\n"})
    assert first.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
