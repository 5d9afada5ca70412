"""A release diff written out: as text for people, as JSON, or as a SPARQL 1.1 Update patch.

**The patch is a SPARQL 1.1 Update request** (`SPARQL 1.1 Update
<https://www.w3.org/TR/sparql11-update/>`_): run against a store that holds the old release's
named graphs, it leaves the new release's. It is the one patch format every SPARQL 1.1 store
accepts without an extension (Oxigraph, Virtuoso, Fuseki, GraphDB …; ``aqb-rdf push`` speaks
the same protocol), where RDF Patch or the LD Patch draft need a particular server. Per graph:

* removed: ``DROP SILENT GRAPH``;
* changed, without blank nodes: ``DELETE DATA`` the triples only the old release has, then
  ``INSERT DATA`` those only the new release has;
* changed, with blank nodes (the ontology's OWL lists): ``DROP SILENT GRAPH`` and
  ``INSERT DATA`` the whole new graph, because ``DELETE DATA`` cannot name a blank node
  (a store's blank nodes have no labels we could know), so that is the one blank-node-safe
  edit;
* added: ``INSERT DATA`` the whole graph.

The drops and deletions come first, in the order of the graphs' IRIs; the whole graphs are
then inserted in the order of the new release's dump, read a second time (memory holds one
graph). Blank node labels are made unique per graph, as one request needs them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from pyoxigraph import BlankNode, NamedNode, Triple

from aqb_rdf.diff.changes import Fact, GraphChange, ReleaseDiff, Status, Term
from aqb_rdf.diff.graphs import LocalGraph
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import SCHEMA, VOCABULARIES, XSD

FORMATS = ("text", "json", "patch")
NUMBERS = frozenset({XSD + "decimal", XSD + "integer"})
_SIGNS = {"changed": "~", "added": "+", "removed": "-"}


# -- text -----------------------------------------------------------------------------------------


def text_lines(diff: ReleaseDiff, iris: Iris) -> Iterator[str]:
    """The diff for people: one block per graph, then the summary line.

    ``~ budget schema:value: 1.011.410 € → 1.050.000 €`` is a changed fact, ``+`` an added and
    ``-`` a removed one; subjects are named relative to their agreement.
    """
    names = _Names(iris)
    for change in diff.changes:
        title = f"  {change.label}" if change.label else ""
        if change.status is not Status.CHANGED:
            yield f"{change.status.value:8} {change.graph}{title} ({change.triples} triples)"
            continue
        yield f"changed  {change.graph}{title}"
        for fact in change.facts:
            if not fact.provenance:
                yield "  " + _fact_line(fact, change.agreement, names)
        moved = sum(1 for fact in change.facts if fact.provenance)
        if moved:
            yield (
                f"  and {moved} change(s) of provenance (where the facts stand in the source"
                " document)"
            )
    yield diff.summary()


def _fact_line(fact: Fact, agreement: str | None, names: _Names) -> str:
    subject = names.subject(fact.subject, agreement)
    where = f"{subject} {names.iri(fact.predicate)}"
    euro = fact.predicate == SCHEMA + "value"
    old = ", ".join(names.value(v, agreement, euro) for v in fact.old)
    new = ", ".join(names.value(v, agreement, euro) for v in fact.new)
    if fact.kind == "changed":
        return f"~ {where}: {old} → {new}"
    return f"{_SIGNS[fact.kind]} {where}: {new or old}"


class _Names:
    """Short names for terms: prefixed names, paths relative to the agreement, German numbers."""

    def __init__(self, iris: Iris) -> None:
        prefixes = {**{p: str(ns) for p, ns in VOCABULARIES.items()}, **iris.prefixes}
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>"

    def subject(self, term: NamedNode | BlankNode, agreement: str | None) -> str:
        if isinstance(term, BlankNode):
            return str(term)
        if agreement is not None and term.value == agreement:
            return "agreement"
        if agreement is not None and term.value.startswith(agreement + "/"):
            return term.value[len(agreement) + 1 :]
        return self.iri(term.value)

    def value(self, term: Term, agreement: str | None, euro: bool) -> str:
        if isinstance(term, NamedNode | BlankNode):
            return self.subject(term, agreement)
        if term.datatype.value in NUMBERS:
            number = german_number(term.value)
            return f"{number} €" if euro else number
        if term.language or term.datatype.value == XSD + "string":
            return json.dumps(term.value, ensure_ascii=False)
        return term.value


def german_number(text: str) -> str:
    """``1011410`` → ``1.011.410``, ``987350.5`` → ``987.350,50`` (as the agreements write)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    grouped = f"{value:,.2f}"
    return grouped.replace(",", " ").replace(".", ",").replace(" ", ".")


# -- JSON -----------------------------------------------------------------------------------------


def as_json(diff: ReleaseDiff, old: str, new: str) -> str:
    """The diff as JSON: the two releases, the counts and one entry per differing graph.

    Terms are in N-Triples syntax (``<iri>``, ``"1050000"^^<…#decimal>``, ``_:c14n0``).
    """
    document: dict[str, Any] = {
        "old": old,
        "new": new,
        "same": diff.same,
        "summary": diff.summary(),
        "agreements": {
            "changed": diff.agreements(Status.CHANGED),
            "added": diff.agreements(Status.ADDED),
            "removed": diff.agreements(Status.REMOVED),
            "unchanged": diff.unchanged_agreements,
        },
        "graphs": [_graph_json(change) for change in diff.changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _graph_json(change: GraphChange) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "graph": change.graph,
        "status": change.status.value,
        "agreement": change.agreement,
        "label": change.label,
        "triples": change.triples,
    }
    if change.status is Status.CHANGED:
        entry["facts"] = [_fact_json(f) for f in change.facts if not f.provenance]
        entry["provenance"] = [_fact_json(f) for f in change.facts if f.provenance]
    return entry


def _fact_json(fact: Fact) -> dict[str, Any]:
    return {
        "change": fact.kind,
        "subject": str(fact.subject),
        "predicate": f"<{fact.predicate}>",
        "old": [str(v) for v in fact.old],
        "new": [str(v) for v in fact.new],
    }


# -- the patch ------------------------------------------------------------------------------------


def patch_chunks(
    diff: ReleaseDiff, new_graphs: Callable[[], Iterable[LocalGraph]], old: str, new: str
) -> Iterator[str]:
    """The SPARQL 1.1 Update that turns release ``old`` into ``new`` (see the module doc).

    Args:
        diff: the comparison of the two releases.
        new_graphs: streams the new release's graphs again (called only if a graph is added
            or replaced whole).
        old: names the old release in the header comment.
        new: names the new release in the header comment.
    """
    yield f"# aqb-rdf diff: SPARQL 1.1 Update from release {old} to release {new}\n"
    yield f"# {diff.summary()}\n"
    operations = 0
    whole: set[str] = set()
    for change in diff.changes:
        graph = f"<{change.graph}>"
        replace = change.status is Status.CHANGED and change.blank_nodes
        if change.status is Status.REMOVED or replace:
            yield f"{';' if operations else ''}\nDROP SILENT GRAPH {graph}\n"
            operations += 1
        if change.status is Status.ADDED or replace:
            whole.add(change.graph)
            continue
        for keyword, triples in (("DELETE", change.removed), ("INSERT", change.added)):
            if triples:
                yield f"{';' if operations else ''}\n{_data(keyword, graph, triples)}"
                operations += 1
    if not whole:
        return
    for index, local in enumerate(g for g in new_graphs() if g.iri in whole):
        unique = [_unique_blank_nodes(t, f"g{index}") for t in sorted(set(local.triples), key=str)]
        yield f"{';' if operations else ''}\n{_data('INSERT', f'<{local.iri}>', unique)}"
        operations += 1


def _data(keyword: str, graph: str, triples: Iterable[Triple]) -> str:
    lines = "".join(f"    {t} .\n" for t in triples)
    return f"{keyword} DATA {{ GRAPH {graph} {{\n{lines}}} }}\n"


def _unique_blank_nodes(triple: Triple, scope: str) -> Triple:
    def rename(term: Any) -> Any:
        return BlankNode(f"{scope}b{term.value}") if isinstance(term, BlankNode) else term

    if not isinstance(triple.subject, BlankNode) and not isinstance(triple.object, BlankNode):
        return triple
    return Triple(rename(triple.subject), triple.predicate, rename(triple.object))


__all__ = ["FORMATS", "as_json", "german_number", "patch_chunks", "text_lines"]
