"""Graph + SHACL shapes → a readable report (pure; pySHACL does the work).

Only SHACL Core constraints are used (no SPARQL-based ones), and agreements are validated in
chunks together with the context they point to (reference data and ontology), so the cost
grows linearly with the corpus. See https://www.w3.org/TR/shacl/#validation-report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from aqb_rdf.rdf.namespaces import RDF, SH

PAIR_COMPONENTS = {
    "EqualsConstraintComponent": SH.equals,
    "DisjointConstraintComponent": SH.disjoint,
    "LessThanConstraintComponent": SH.lessThan,
    "LessThanOrEqualsConstraintComponent": SH.lessThanOrEquals,
}
"""The constraints that compare a path's values with another property's values at the focus."""


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with its messages and the property's name in German and
    English.

    Attributes:
        value: the value node at fault (``sh:value``), for a comparison the path's value.
        name_en: the shape's ``sh:name`` in English (what the property is), if it has one.
        name_de: the same in German.
        compared: for a comparison (``sh:lessThan`` …), the other property and its values at
            the focus node, e.g. ``datum: 2024-12-01``; one of the two is the wrong one.
    """

    focus: str
    path: str
    message_en: str
    message_de: str
    component: str
    value: str
    severity: str
    name_en: str = ""
    name_de: str = ""
    compared: str = ""

    def describe(self) -> str:
        """One line: the focus, the property by name, the messages in both languages, and
        the values at fault."""
        name = " / ".join(dict.fromkeys(n for n in (self.name_en, self.name_de) if n))
        where = f"<{self.focus}>" + (f" {name or self.path}" if name or self.path else "")
        message = " / ".join(dict.fromkeys(m for m in (self.message_en, self.message_de) if m))
        values = [f"value: {self.value}"] if self.value else []
        if self.compared:
            values.append(f"compared with {self.compared}")
        shown = f" ({'; '.join(values)})" if values else ""
        return f"{where}: {message}{shown} [{self.component}]"


def compared_text(other: Node, values: Iterable[Node]) -> str:
    """``datum: 2024-12-01`` for the property ``other`` and its values at a focus node."""
    local = str(other).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    texts = sorted(str(value) for value in values)
    return f"{local}: {', '.join(texts) if texts else '(none)'}"


def shape_names(shapes: Graph, shape: Node | None) -> tuple[str, str]:
    """The English and German ``sh:name`` of ``shape`` (``""`` where it has none)."""
    names = {
        n.language: str(n)
        for n in ([] if shape is None else shapes.objects(shape, SH.name))
        if isinstance(n, Literal)
    }
    return names.get("en", ""), names.get("de", "")


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    text: str


def _message(report: Graph, result: Node, language: str) -> str:
    for message in report.objects(result, SH.resultMessage):
        if isinstance(message, Literal) and message.language == language:
            return str(message)
    fallback = [str(m) for m in report.objects(result, SH.resultMessage)]
    return fallback[0] if fallback and language == "en" else ""


def _path_text(report: Graph, result: Node) -> str:
    path = report.value(result, SH.resultPath)
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return f"<{path}>"
    return "(complex path)"


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def targeted_property_shapes(shapes: Graph) -> Graph:
    """``shapes`` with each ``sh:property`` shape given its node shape's targets directly.

    Equivalent for shapes without ``sh:closed`` (the report names the same focus nodes, paths
    and source shapes), and much faster: pySHACL validates a property shape reached through
    ``sh:property`` once per focus node, but a targeted one once for all of them.
    """
    if any(shapes.triples((None, SH.closed, None))):
        return shapes
    flat = Graph()
    flat.addN((s, p, o, flat) for s, p, o in shapes)
    for node in set(flat.subjects(SH.property, None)):
        targets = [(t, o) for t in _TARGETS for o in flat.objects(node, t)]
        if not targets:
            continue
        for prop in list(flat.objects(node, SH.property)):
            for target, value in targets:
                flat.add((prop, target, value))
            flat.remove((node, SH.property, prop))
    return flat


def validate_graph(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (SHACL Core, no inference); ``data`` is not copied."""
    report_graph: Graph  # pySHACL's validate() is not annotated
    conforms, report_graph, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, inplace=True
    )
    violations = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        component = str(report_graph.value(result, SH.sourceConstraintComponent) or "")
        source = report_graph.value(result, SH.sourceShape)
        focus = report_graph.value(result, SH.focusNode)
        name_en, name_de = shape_names(shapes, source)
        compared = ""
        pair = PAIR_COMPONENTS.get(component.rsplit("#", 1)[-1])
        other = None if pair is None or source is None else shapes.value(source, pair)
        if other is not None and focus is not None:
            compared = compared_text(other, data.objects(focus, other))
        violations.append(
            Violation(
                focus=str(report_graph.value(result, SH.focusNode)),
                path=_path_text(report_graph, result),
                message_en=_message(report_graph, result, "en"),
                message_de=_message(report_graph, result, "de"),
                component=component.rsplit("#", 1)[-1],
                value=str(report_graph.value(result, SH.value) or ""),
                severity=str(report_graph.value(result, SH.resultSeverity) or "").rsplit("#")[-1],
                name_en=name_en,
                name_de=name_de,
                compared=compared,
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.component, v.value))
    return ValidationReport(bool(conforms), tuple(violations), str(text))


def union(graphs: Iterable[Graph]) -> Graph:
    """One graph with the triples of all ``graphs``."""
    merged = Graph()
    for graph in graphs:
        merged.addN((s, p, o, merged) for s, p, o in graph)
    return merged
