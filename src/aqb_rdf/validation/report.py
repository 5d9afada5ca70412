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


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with its messages in German and English."""

    focus: str
    path: str
    message_en: str
    message_de: str
    component: str
    value: str
    severity: str

    def describe(self) -> str:
        where = f"<{self.focus}>" + (f" {self.path}" if self.path else "")
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {self.message_en or self.message_de}{value} [{self.component}]"


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
        violations.append(
            Violation(
                focus=str(report_graph.value(result, SH.focusNode)),
                path=_path_text(report_graph, result),
                message_en=_message(report_graph, result, "en"),
                message_de=_message(report_graph, result, "de"),
                component=component.rsplit("#", 1)[-1],
                value=str(report_graph.value(result, SH.value) or ""),
                severity=str(report_graph.value(result, SH.resultSeverity) or "").rsplit("#")[-1],
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
