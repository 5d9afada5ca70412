"""Reconcile the reference tables with Wikidata: candidates, findings, confirmed links (pure).

``aqb-rdf link`` asks a SPARQL endpoint in Wikidata's shape (see :mod:`aqb_rdf.remote.sparql`)
for the items that carry our district keys (``wdt:P440``, German district key) and for the items
labelled with our organisations' names, then compares them with the ``wikidata`` column of the
reference tables:

=========== ======================================================= ==========================
status      meaning                                                 written with ``--write``
=========== ======================================================= ==========================
match       the table's item is among the candidates                provenance refreshed
missing     the table has no item; exactly one candidate            the candidate, provenance
mismatch    the table's item is not among the candidates            only with ``--replace``
ambiguous   the table has no item; several candidates               nothing
not-found   no candidate at all                                     nothing
=========== ======================================================= ==========================

Provenance is two columns beside ``wikidata``: ``wikidata_checked`` (the date of the check) and
``wikidata_endpoint`` (the endpoint that confirmed the link); :mod:`aqb_rdf.link.table_update`
writes them. This module does no I/O: :func:`find` gets the endpoint as a function.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from aqb_rdf.rdf import external as links
from aqb_rdf.rdf.namespaces import RDFS, WDT
from aqb_rdf.rdf.sparql_terms import prefix_declarations, string
from aqb_rdf.remote.sparql import Binding
from aqb_rdf.source.reference import Reference

_PREFIXES = prefix_declarations({"wdt": WDT, "rdfs": RDFS})
# P440: German district key; P605: NUTS code. Only best-rank statements (wdt:) count.
_REGIONS_QUERY = """\
SELECT ?item ?key ?nuts ?label WHERE {{
  VALUES ?key {{ {values} }}
  ?item wdt:P440 ?key .
  OPTIONAL {{ ?item wdt:P605 ?nuts }}
  OPTIONAL {{ ?item rdfs:label ?label FILTER (lang(?label) = "de") }}
}}
"""
_ORGANISATIONS_QUERY = """\
SELECT ?item ?name ?label WHERE {{
  VALUES ?name {{ {values} }}
  ?item rdfs:label ?name .
  OPTIONAL {{ ?item rdfs:label ?label FILTER (lang(?label) = "de") }}
}}
"""


class Status(Enum):
    MATCH = "match"
    MISSING = "missing"
    MISMATCH = "mismatch"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not-found"


@dataclass(frozen=True)
class Subject:
    """A row of the reference tables that may link to Wikidata."""

    table: str
    """``gebietskoerperschaften.csv`` or ``organisationen.csv``."""
    id: str
    """The district key or the organisation's slug."""
    name: str
    wikidata: str
    nuts3: str = ""
    names: tuple[str, ...] = ()
    """Every name an organisation has had (labels to look for)."""


@dataclass(frozen=True)
class Candidate:
    """An item the endpoint offers for a subject."""

    qid: str
    label: str = ""
    nuts3: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    subject: Subject
    status: Status
    candidates: tuple[Candidate, ...]
    notes: tuple[str, ...] = ()

    @property
    def proposed(self) -> str:
        """The item the endpoint confirms: the table's on a match, else the only candidate."""
        if self.status is Status.MATCH:
            return self.subject.wikidata
        return self.candidates[0].qid if len(self.candidates) == 1 else ""


def subjects(reference: Reference, regions_table: str, organisations_table: str) -> list[Subject]:
    """The Gebietskörperschaften with a district key, then the organisations."""
    found = [
        Subject(regions_table, r.key, r.display_name, r.wikidata, r.nuts3)
        for r in reference.published_regions
    ]
    found += [
        Subject(
            organisations_table, o.slug, o.current_name, o.wikidata,
            names=tuple(dict.fromkeys(name.name for name in o.names)),
        )
        for o in reference.organisations
    ]  # fmt: skip
    return found


def regions_query(keys: Iterable[str]) -> str:
    """The items whose German district key (P440) is one of ``keys``."""
    return _PREFIXES + _REGIONS_QUERY.format(values=" ".join(string(k) for k in sorted(keys)))


def organisations_query(names: Iterable[str]) -> str:
    """The items with a German label equal to one of ``names``."""
    values = " ".join(string(n, language="de") for n in sorted(set(names)))
    return _PREFIXES + _ORGANISATIONS_QUERY.format(values=values)


def candidates_by(bindings: Sequence[Binding], variable: str) -> dict[str, list[Candidate]]:
    """Candidates per value of ``variable`` (``key`` or ``name``), one per item, sorted."""
    seen: dict[str, dict[str, tuple[str, set[str]]]] = {}
    for row in bindings:
        qid = links.qid_of(row.get("item", ""))
        if qid is None or variable not in row:
            continue  # not a Wikidata item: an endpoint in another shape
        items = seen.setdefault(row[variable], {})
        _, codes = items.setdefault(qid, (row.get("label", ""), set()))
        if "nuts" in row:
            codes.add(row["nuts"])
    return {
        value: [Candidate(q, label, tuple(sorted(c))) for q, (label, c) in sorted(items.items())]
        for value, items in seen.items()
    }


def compare(subject: Subject, candidates: Sequence[Candidate]) -> Finding:
    """What the endpoint says about ``subject``'s link."""
    unique = {c.qid: c for c in candidates}.values()
    ordered = tuple(sorted(unique, key=lambda c: _qid_order(c.qid)))
    qids = [c.qid for c in ordered]
    notes: list[str] = []
    if subject.wikidata and subject.wikidata in qids:
        status = Status.MATCH
        chosen = ordered[qids.index(subject.wikidata)]
        if subject.nuts3 and chosen.nuts3 and subject.nuts3 not in chosen.nuts3:
            notes.append(f"NUTS code: table {subject.nuts3}, endpoint {', '.join(chosen.nuts3)}")
        if len(qids) > 1:
            notes.append(f"other candidates: {', '.join(q for q in qids if q != subject.wikidata)}")
    elif subject.wikidata:
        status = Status.MISMATCH if qids else Status.NOT_FOUND
        if not qids:
            notes.append(f"the table's {subject.wikidata} is not confirmed by the endpoint")
    elif len(qids) == 1:
        status = Status.MISSING
    else:
        status = Status.AMBIGUOUS if qids else Status.NOT_FOUND
    return Finding(subject, status, ordered, tuple(notes))


def _qid_order(qid: str) -> int:
    return int(qid[1:])


def reconcile(
    subjects: Sequence[Subject],
    region_candidates: dict[str, list[Candidate]],
    name_candidates: dict[str, list[Candidate]],
) -> list[Finding]:
    """One finding per subject: regions by district key, organisations by any of their names."""
    findings = []
    for subject in subjects:
        if subject.names:
            found = [c for name in subject.names for c in name_candidates.get(name, [])]
        else:
            found = region_candidates.get(subject.id, [])
        findings.append(compare(subject, found))
    return findings


@dataclass(frozen=True)
class Link:
    """A confirmed link to write: ``qid`` for the row ``id``, checked at ``endpoint`` on ``date``."""

    id: str
    qid: str
    endpoint: str
    date: str


def confirmed_links(
    findings: Iterable[Finding], endpoint: str, date: str, replace_mismatches: bool = False
) -> list[Link]:
    """The links ``--write`` writes (see the module's table)."""
    writable = {Status.MATCH, Status.MISSING} | ({Status.MISMATCH} if replace_mismatches else set())
    return [
        Link(f.subject.id, f.proposed, endpoint, date)
        for f in findings
        if f.status in writable and f.proposed
    ]


Select = Callable[[str], list[Binding]]
"""Runs one SELECT query at the endpoint (``remote_sparql.select`` with its options bound)."""


def find(subjects: Sequence[Subject], select: Select) -> list[Finding]:
    """Ask the endpoint (two queries) and compare its candidates with the tables."""
    keys = [s.id for s in subjects if not s.names]
    names = [n for s in subjects for n in s.names]
    by_key = candidates_by(select(regions_query(keys)), "key") if keys else {}
    by_name = candidates_by(select(organisations_query(names)), "name") if names else {}
    return reconcile(subjects, by_key, by_name)


def report_lines(findings: Sequence[Finding]) -> list[str]:
    """One line per finding, then a count per status."""
    lines = []
    for f in findings:
        found = ", ".join(f"{c.qid} {c.label}".strip() for c in f.candidates) or "no candidate"
        table = f.subject.wikidata or "none"
        line = f"{f.status.value:<10} {f.subject.id:<13} {f.subject.name}: table {table}; "
        line += f"endpoint {found}"
        lines.append("; ".join([line, *f.notes]))
    counts = {s: sum(f.status is s for f in findings) for s in Status}
    lines.append(", ".join(f"{n} {s.value}" for s, n in counts.items()))
    return lines


def report_json(findings: Sequence[Finding], endpoint: str, date: str) -> str:
    """The findings as a JSON document (``--format json``)."""
    document = {
        "endpoint": endpoint,
        "checked": date,
        "findings": [
            {
                "table": f.subject.table,
                "id": f.subject.id,
                "name": f.subject.name,
                "status": f.status.value,
                "table_wikidata": f.subject.wikidata or None,
                "proposed": f.proposed or None,
                "candidates": [
                    {"wikidata": c.qid, "label": c.label, "nuts3": list(c.nuts3)}
                    for c in f.candidates
                ],
                "notes": list(f.notes),
            }
            for f in findings
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
