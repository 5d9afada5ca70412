"""Two releases compared, graph by graph: what each agreement gained, lost and changed (pure).

Each release is a stream of named graphs (:func:`aqb_rdf.diff.graphs.read_graphs`): one per
agreement, the reference data and the ontology. :func:`compare` walks both streams together
and holds only the graphs the other side has not reached yet (one each when both releases
list their graphs in the same order, as two builds of mostly the same documents do), so two
releases of 10,000 agreements are compared in the memory of a few graphs.

Two graphs are the same when their triples are, blank nodes renamed canonically and numbers
by value (:func:`aqb_rdf.diff.graphs.canonical_triples`). For a graph that differs, the
triples only in the old and only in the new release are grouped by subject and predicate:

* a value replaced by another (the budget ``1011410`` → ``1050000``, a project's title, a
  signature date) is one **changed** fact;
* a subject and predicate with values only in the new release are **added** facts, only in
  the old **removed** facts;
* triples about where a fact stands in its document (``aqb:Fundstelle``, its ``oa:`` selectors,
  the source document and its checksum, ``prov:wasDerivedFrom``) are **provenance**: they move
  with every edit of the document, so they are counted apart from the facts.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from aqb_rdf.diff.graphs import (
    LocalGraph,
    canonical_triples,
    has_blank_nodes,
    index_blocks,
    read_graphs,
)
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import DCTERMS, OA, PROV, RDF_TYPE, RDFS, SPDX

Subject = NamedNode | BlankNode
Term = NamedNode | BlankNode | Literal


class Status(enum.StrEnum):
    """What happened to a named graph between the two releases."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Fact:
    """The values one subject has for one predicate in the old and in the new release.

    Blank nodes have their canonical labels (``_:c14n0``), the same in every run.
    """

    subject: Subject
    predicate: str
    old: tuple[Term, ...]
    new: tuple[Term, ...]
    provenance: bool

    @property
    def kind(self) -> str:
        """``changed`` (old values replaced by new ones), ``added`` or ``removed``."""
        return "changed" if self.old and self.new else "added" if self.new else "removed"


@dataclass(frozen=True)
class GraphChange:
    """One named graph that is not the same in both releases.

    Attributes:
        graph: its IRI.
        status: added, removed or changed.
        agreement: the agreement it holds (the subject typed ``aqb:Zielvereinbarung``), if any.
        label: that agreement's German ``rdfs:label``.
        triples: how many triples the graph has in the new release (the old, if removed).
        facts: for a changed graph, what changed, sorted by subject and predicate.
        removed: for a changed graph, the triples only the old release has (canonical).
        added: for a changed graph, the triples only the new release has (canonical).
        blank_nodes: the graph has blank nodes, so a patch replaces it whole.
    """

    graph: str
    status: Status
    agreement: str | None
    label: str | None
    triples: int
    facts: tuple[Fact, ...] = ()
    removed: tuple[Triple, ...] = ()
    added: tuple[Triple, ...] = ()
    blank_nodes: bool = False

    def count(self, kind: str, *, provenance: bool = False) -> int:
        """How many facts (or provenance entries) of ``kind`` changed."""
        return sum(1 for f in self.facts if f.kind == kind and f.provenance == provenance)


@dataclass
class ReleaseDiff:
    """Every graph that differs between two releases, sorted by IRI, and how many did not."""

    changes: list[GraphChange] = field(default_factory=list)
    unchanged: int = 0
    unchanged_agreements: int = 0

    @property
    def same(self) -> bool:
        return not self.changes

    def agreements(self, status: Status) -> int:
        return sum(1 for c in self.changes if c.status is status and c.agreement is not None)

    def others(self) -> list[GraphChange]:
        """The graphs that differ and hold no agreement (reference data, ontology)."""
        return [c for c in self.changes if c.agreement is None]

    def summary(self) -> str:
        """One line, e.g. ``2 agreement(s) changed, 1 added, 0 removed, 24 unchanged``."""
        line = (
            f"{self.agreements(Status.CHANGED)} agreement(s) changed,"
            f" {self.agreements(Status.ADDED)} added, {self.agreements(Status.REMOVED)} removed,"
            f" {self.unchanged_agreements} unchanged"
        )
        others = self.others()
        if others:
            names = ", ".join(c.graph.rsplit("/", 1)[-1] for c in others)
            line += f"; {len(others)} other graph{'s differ' if len(others) > 1 else ' differs'}"
            line += f" ({names})"
        return line

    def summary_de(self) -> str:
        """:meth:`summary` in German."""
        line = (
            f"{self.agreements(Status.CHANGED)} Zielvereinbarung(en) geändert,"
            f" {self.agreements(Status.ADDED)} hinzugekommen,"
            f" {self.agreements(Status.REMOVED)} entfallen,"
            f" {self.unchanged_agreements} unverändert"
        )
        others = self.others()
        if others:
            names = ", ".join(c.graph.rsplit("/", 1)[-1] for c in others)
            line += f"; {len(others)} weitere(r) Graph(en) geändert ({names})"
        return line


class _Vocabulary:
    """The terms the comparison recognises, under the release's base."""

    def __init__(self, iris: Iris) -> None:
        self.agreement = str(iris.aqb) + "Zielvereinbarung"
        self.provenance_classes = frozenset(
            {
                str(iris.aqb) + "Fundstelle",
                str(iris.aqb) + "Quelldokument",
                OA + "TextQuoteSelector",
                OA + "TextPositionSelector",
                SPDX + "Checksum",
            }
        )
        self.provenance_predicates = frozenset({PROV + "wasDerivedFrom", DCTERMS + "source"})


def compare(old: Iterable[LocalGraph], new: Iterable[LocalGraph], iris: Iris) -> ReleaseDiff:
    """What differs between the graphs ``old`` and ``new`` (streams, each graph once).

    Args:
        old: the named graphs of the old release.
        new: the named graphs of the new release.
        iris: the IRIs of the new release (its vocabulary tells agreements and provenance).
    """
    vocabulary = _Vocabulary(iris)
    waiting: dict[str, dict[str, LocalGraph]] = {"old": {}, "new": {}}
    diff = ReleaseDiff()

    def arrived(graph: LocalGraph | None, side: str, other: str) -> None:
        if graph is None:
            return
        match = waiting[other].pop(graph.iri, None)
        if match is None:
            waiting[side][graph.iri] = graph
            return
        before, after = (graph, match) if side == "old" else (match, graph)
        change = _compare_graphs(before, after, vocabulary)
        if change is not None:
            diff.changes.append(change)
            return
        diff.unchanged += 1
        diff.unchanged_agreements += _agreement(after.triples, vocabulary) is not None

    for before, after in zip_longest(old, new):
        arrived(before, "old", "new")
        arrived(after, "new", "old")
    for graph in waiting["old"].values():
        diff.changes.append(_whole(graph, Status.REMOVED, vocabulary))
    for graph in waiting["new"].values():
        diff.changes.append(_whole(graph, Status.ADDED, vocabulary))
    diff.changes.sort(key=lambda c: c.graph)
    return diff


def compare_dumps(old: Path, new: Path, iris: Iris) -> ReleaseDiff:
    """What differs between the TriG dumps ``old`` and ``new`` of two releases.

    A graph whose block is byte-identical in both dumps (under the same prefixes) is the
    same graph, so only the blocks that differ are parsed and compared; two releases of
    10,000 agreements that differ in a few are compared in seconds. A dump not laid out as
    the build writes it is parsed whole (:func:`compare` of :func:`read_graphs`).

    Raises:
        AqbError: a dump cannot be read or is not valid TriG.
    """
    before, after = index_blocks(old), index_blocks(new)
    if before is None or after is None or before.header != after.header:
        return compare(read_graphs(old), read_graphs(new), iris)
    same = {
        name
        for name, block in before.blocks.items()
        if name in after.blocks and after.blocks[name].digest == block.digest
    }
    diff = compare(
        before.graphs(set(before.blocks) - same), after.graphs(set(after.blocks) - same), iris
    )
    agreements = f"{iris.graph_namespace}zielvereinbarung/"
    diff.unchanged += len(same)
    diff.unchanged_agreements += sum(1 for name in same if name.startswith(agreements))
    return diff


def _value(term: NamedNode | BlankNode | Literal | Triple) -> str:
    """The IRI, label or lexical form of ``term`` (a quoted triple, which the build never
    writes, as N-Triples)."""
    return str(term) if isinstance(term, Triple) else term.value


def _agreement(triples: Iterable[Triple], vocabulary: _Vocabulary) -> str | None:
    for t in triples:
        if t.predicate.value == RDF_TYPE and _value(t.object) == vocabulary.agreement:
            return _value(t.subject)
    return None


def _label(triples: Iterable[Triple], agreement: str | None) -> str | None:
    if agreement is None:
        return None
    for t in triples:
        if (
            _value(t.subject) == agreement
            and t.predicate.value == RDFS + "label"
            and isinstance(t.object, Literal)
            and t.object.language == "de"
        ):
            return str(t.object.value)
    return None


def _whole(graph: LocalGraph, status: Status, vocabulary: _Vocabulary) -> GraphChange:
    agreement = _agreement(graph.triples, vocabulary)
    return GraphChange(
        graph.iri,
        status,
        agreement,
        _label(graph.triples, agreement),
        len(set(graph.triples)),
        blank_nodes=graph.has_blank_nodes,
    )


def _compare_graphs(
    old: LocalGraph, new: LocalGraph, vocabulary: _Vocabulary
) -> GraphChange | None:
    if frozenset(old.triples) == frozenset(new.triples):
        return None  # the common case, without canonicalising anything
    before, after = canonical_triples(old.triples), canonical_triples(new.triples)
    if before == after:
        return None
    removed, added = before - after, after - before
    provenance = {
        _value(t.subject)
        for t in (*before, *after)
        if t.predicate.value == RDF_TYPE and _value(t.object) in vocabulary.provenance_classes
    }
    grouped: dict[tuple[Subject, str], tuple[list[Term], list[Term]]] = {}
    for side, triples in ((0, removed), (1, added)):
        for t in triples:
            subject = t.subject
            assert isinstance(subject, NamedNode | BlankNode)  # the build writes no quoted triples
            obj = t.object
            assert isinstance(obj, NamedNode | BlankNode | Literal)
            grouped.setdefault((subject, t.predicate.value), ([], []))[side].append(obj)
    facts = tuple(
        Fact(
            subject,
            predicate,
            tuple(sorted(values[0], key=str)),
            tuple(sorted(values[1], key=str)),
            _is_provenance(subject.value, predicate, provenance, vocabulary),
        )
        for (subject, predicate), values in sorted(
            grouped.items(), key=lambda item: (str(item[0][0]), item[0][1])
        )
    )
    agreement = _agreement(new.triples, vocabulary) or _agreement(old.triples, vocabulary)
    return GraphChange(
        new.iri,
        Status.CHANGED,
        agreement,
        _label(new.triples, agreement) or _label(old.triples, agreement),
        len(after),
        facts,
        tuple(sorted(removed, key=str)),
        tuple(sorted(added, key=str)),
        has_blank_nodes(before) or has_blank_nodes(after),
    )


def _is_provenance(
    subject: str, predicate: str, provenance: set[str], vocabulary: _Vocabulary
) -> bool:
    if predicate in vocabulary.provenance_predicates:
        return True
    return subject in provenance or subject.split("#", 1)[0] in provenance
