"""A fast evaluator for the part of SHACL Core our shapes use (pure).

Why it exists: pySHACL (the reference) needs ~20 ms per agreement graph and rudof ~30 ms, while
the build's budget is about 3 ms (10,000 agreements in a minute on two cores; see
benchmarks/build.py). This module evaluates the same shapes over a plain index of the triples,
with the semantics of https://www.w3.org/TR/shacl/#core-components. It implements:

    targets      sh:targetClass, sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf
    paths        IRIs, sh:inversePath, sequences
    value types  sh:class, sh:datatype, sh:nodeKind
    cardinality  sh:minCount, sh:maxCount
    ranges       sh:minInclusive, sh:maxInclusive, sh:minExclusive, sh:maxExclusive
    strings      sh:minLength, sh:maxLength, sh:pattern (+ sh:flags), sh:languageIn, sh:uniqueLang
    pairs        sh:equals, sh:lessThan, sh:lessThanOrEquals
    logic        sh:not, sh:or, sh:node, sh:property
    other        sh:in, sh:hasValue, sh:deactivated

Shapes using anything else raise :class:`Unsupported` when compiled, so the caller falls back
to pySHACL rather than skipping a constraint. tests/test_shacl_core.py checks that both
engines report the same results for every constraint of shapes/aqb.ttl.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from aqb_rdf.errors import Signal
from aqb_rdf.rdf.namespaces import RDF, RDFS, SH, XSD
from aqb_rdf.validation.report import (
    PAIR_COMPONENTS,
    ValidationReport,
    Violation,
    compared_text,
    shape_names,
)

Triple = tuple[Node, Node, Node]
# The index keys its predicates by their plain text (see Index); these are asked for once
# per value node.
_TYPE, _SUBCLASS_OF = str(RDF.type), str(RDFS.subClassOf)
_LANG_STRING, _STRING = RDF.langString, XSD.string
_PARAMETERS = {
    SH[name]
    for name in [
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
        "equals",
        "lessThan",
        "lessThanOrEquals",
        "not",
        "or",
        "node",
        "property",
        "in",
        "hasValue",
        "deactivated",
        "path",
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "message",
        "name",
        "description",
        "severity",
        "order",
        "group",
        "defaultValue",
    ]
}


class Unsupported(Signal):
    """The shapes use a SHACL feature this evaluator does not implement."""


class Index:
    """The data graph as dictionaries: out-going and in-coming edges per node.

    ``base`` is an index of triples shared by many validations (the ontology and reference
    data); it is built once and consulted after this index's own triples.

    Predicates are keyed by their text (a plain ``str``), and are asked for that way: a
    dictionary compares keys that are equal but not the same object with ``__eq__``, which
    is Python code for rdflib's terms, and the data's predicates are other objects than the
    shapes' (each agreement's mapping makes its own). Nodes stay rdflib terms.

    ``inverse`` and ``paired``, where given, are the only predicates asked for by object
    (:meth:`subjects`) and for all their pairs (:meth:`pairs`): the others are indexed by
    subject only, which is all the shapes ask of them (``CoreValidator.index`` knows which).
    """

    def __init__(
        self,
        triples: Iterable[Triple],
        base: Index | None = None,
        inverse: frozenset[str] | None = None,
        paired: frozenset[str] | None = None,
    ) -> None:
        self.base = base
        self.out: dict[Node, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.into: dict[Node, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.by_predicate: dict[str, list[tuple[Node, Node]]] = defaultdict(list)
        # Repeated triples are harmless: value nodes are made distinct where they are counted.
        # Literals are not indexed as objects: nearly all are distinct (quotes, names, numbers),
        # an entry each would cost more than the whole rest, and only an inverse path from a
        # literal focus node asks for them (answered from by_predicate, see subjects).
        out, into, by_predicate = self.out, self.into, self.by_predicate
        if inverse is None or paired is None:
            for s, p, o in triples:
                key = str(p)
                out[s][key].append(o)
                # type() first: isinstance of an rdflib class that fails goes through ABCMeta.
                if type(o) is URIRef or not isinstance(o, Literal):
                    into[o][key].append(s)
                by_predicate[key].append((s, o))
        else:
            for s, p, o in triples:
                key = str(p)
                out[s][key].append(o)
                if key in inverse and (type(o) is URIRef or not isinstance(o, Literal)):
                    into[o][key].append(s)
                if key in paired:
                    by_predicate[key].append((s, o))
        self._superclasses: dict[Node, frozenset[Node]] = {}
        self._instances: dict[Node, list[Node]] | None = None

    def objects(self, node: Node, predicate: str) -> list[Node]:
        edges = self.out.get(node)
        own = edges.get(predicate, []) if edges else []
        if self.base is None:
            return own
        shared = self.base.objects(node, predicate)
        return own + shared if own and shared else own or shared

    def subjects(self, node: Node, predicate: str) -> list[Node]:
        if isinstance(node, Literal):
            own = [s for s, o in self.by_predicate.get(predicate, []) if o == node]
        else:
            edges = self.into.get(node)
            own = edges.get(predicate, []) if edges else []
        if self.base is None:
            return own
        shared = self.base.subjects(node, predicate)
        return own + shared if own and shared else own or shared

    def pairs(self, predicate: str) -> list[tuple[Node, Node]]:
        """(subject, object) of every triple with ``predicate``."""
        own = self.by_predicate.get(predicate, [])
        return own + self.base.pairs(predicate) if self.base is not None else own

    def superclasses(self, cls: Node) -> frozenset[Node]:
        """``cls`` and everything it is an rdfs:subClassOf*."""
        found = self._superclasses.get(cls)
        if found is None:
            closure, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), _SUBCLASS_OF):
                    if parent not in closure:
                        closure.add(parent)
                        todo.append(parent)
            found = self._superclasses[cls] = frozenset(closure)
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        return any(cls in self.superclasses(t) for t in self.objects(node, _TYPE))

    def instances(self, cls: Node) -> list[Node]:
        if self._instances is None:
            self._instances = defaultdict(list)
            for s, t in self.pairs(_TYPE):
                for c in self.superclasses(t):
                    self._instances[c].append(s)
        return self._instances.get(cls, [])


Path = Callable[[Index, Node], list[Node]]
Target = Callable[[Index], list[Node]]
# A constraint component: (index, focus node, value nodes) -> the value nodes that violate it,
# or [None] when the focus node as a whole does (sh:minCount, sh:hasValue, ...).
Check = Callable[[Index, Node, list[Node]], list[Node | None]]
# A test of one value node: (index, focus node, value node) -> whether it conforms.
ValueTest = Callable[[Index, Node, Node], bool]


@dataclass
class Shape:
    node: Node
    path: Path | None
    path_text: str
    # (component, check), or ("property", the nested property shape) for sh:property.
    constraints: list[tuple[str, Check | Shape]] = field(default_factory=list)
    # The same constraints for the yes/no question (does a focus node conform?), in order:
    # a test of each value node, a nested shape every value node must conform to, or a check.
    tests: list[tuple[ValueTest | None, Shape | None, Check | None]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    messages: tuple[str, str] = ("", "")
    severity: str = "Violation"
    names: tuple[str, str] = ("", "")
    """The shape's ``sh:name`` in English and German."""
    others: dict[str, Node] = field(default_factory=dict)
    """Component → the other property of a comparison (``sh:lessThan`` …)."""


def _compile_path(shapes: Graph, path: Node) -> tuple[Path, str]:
    if isinstance(path, URIRef):
        key = str(path)
        return (lambda index, focus: index.objects(focus, key)), f"<{path}>"
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        inverse_key = str(inverse)
        return (lambda index, focus: index.subjects(focus, inverse_key)), "(complex path)"
    if shapes.value(path, RDF.first) is not None:
        steps = [_compile_path(shapes, step)[0] for step in Collection(shapes, path)]

        def sequence(index: Index, focus: Node) -> list[Node]:
            nodes = [focus]
            for step in steps:
                nodes = list(dict.fromkeys(v for n in nodes for v in step(index, n)))
            return nodes

        return sequence, "(complex path)"
    raise Unsupported(f"path {path!r}")


def _ordered(a: Node, b: Node, strict: bool) -> bool:
    """a < b (or a <= b); False when the two are not comparable, as SHACL says."""
    if not (isinstance(a, Literal) and isinstance(b, Literal)) or a.ill_typed or b.ill_typed:
        return False
    try:
        return bool(a.value < b.value) if strict else bool(a.value <= b.value)
    except TypeError:
        return False


def _well_typed(value: Node, datatype: Node) -> bool:
    if not isinstance(value, Literal):
        return False
    actual = _LANG_STRING if value.language else (value.datatype or _STRING)
    return actual == datatype and not value.ill_typed


_NODE_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.BlankNodeOrIRI: lambda v: isinstance(v, (BNode, URIRef)),
    SH.BlankNodeOrLiteral: lambda v: isinstance(v, (BNode, Literal)),
    SH.IRIOrLiteral: lambda v: isinstance(v, (URIRef, Literal)),
}


def _lang_matches(tag: str, wanted: str) -> bool:
    tag, wanted = tag.lower(), wanted.lower()
    return wanted == "*" or tag == wanted or tag.startswith(wanted + "-")


class CoreValidator:
    """Shapes compiled once; ``validate(triples)`` many times."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self._compiled: dict[Node, Shape] = {}
        roots = {
            s
            for t in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
            for s in shapes.subjects(t, None)
        }
        self.roots = [self._shape(node) for node in sorted(roots, key=str)]
        # What an index of the data is asked by object or for all pairs: inverse paths (a
        # literal focus node is answered from the pairs), the targets' predicates, rdf:type.
        self.inverse = frozenset(str(p) for p in shapes.objects(None, SH.inversePath))
        targeted = (SH.targetSubjectsOf, SH.targetObjectsOf)
        self.paired = (
            self.inverse | {_TYPE} | {str(p) for t in targeted for p in shapes.objects(None, t)}
        )

    # -- compiling --------------------------------------------------------------------------

    def _shape(self, node: Node) -> Shape:
        if node in self._compiled:
            return self._compiled[node]
        g = self.shapes
        unknown = {
            p
            for p in g.predicates(node, None)
            if str(p).startswith(str(SH)) and p not in _PARAMETERS
        }
        if unknown:
            raise Unsupported(f"{node}: {', '.join(sorted(str(p) for p in unknown))}")
        path_node = g.value(node, SH.path)
        path, path_text = _compile_path(g, path_node) if path_node is not None else (None, "")
        messages = {
            m.language: str(m) for m in g.objects(node, SH.message) if isinstance(m, Literal)
        }
        severity = str(g.value(node, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        shape = Shape(
            node,
            path,
            path_text,
            messages=(messages.get("en", ""), messages.get("de", "")),
            severity=severity,
            names=shape_names(g, node),
        )
        for component, predicate in PAIR_COMPONENTS.items():
            other = g.value(node, predicate)
            if other is not None:
                shape.others[component] = other
        self._compiled[node] = shape
        if g.value(node, SH.deactivated) == Literal(True):
            return shape
        for cls in g.objects(node, SH.targetClass):
            shape.targets.append(_instances_of(cls))
        for target in g.objects(node, SH.targetNode):
            shape.targets.append(_just(target))
        for p in g.objects(node, SH.targetSubjectsOf):
            shape.targets.append(_subjects_of(p))
        for p in g.objects(node, SH.targetObjectsOf):
            shape.targets.append(_objects_of(p))
        self._constraints(shape)
        return shape

    def _constraints(self, shape: Shape) -> None:
        g, node, add = self.shapes, shape.node, shape.constraints.append

        def each(test: ValueTest) -> Check:
            tests.append((test, None, None))
            return lambda index, focus, values: [v for v in values if not test(index, focus, v)]

        def whole(check: Check) -> Check:
            tests.append((None, None, check))
            return check

        def conforms_to(nested: Shape) -> ValueTest:
            return lambda index, focus, value: self._conforms(index, nested, value)

        def violates(nested: Shape) -> ValueTest:
            return lambda index, focus, value: not self._conforms(index, nested, value)

        def conforms_to_any(options: list[Shape]) -> ValueTest:
            return lambda index, focus, value: any(self._conforms(index, s, value) for s in options)

        tests = shape.tests

        for cls in g.objects(node, SH["class"]):
            add(("ClassConstraintComponent", each(_instance_of(cls))))
        for dt in g.objects(node, SH.datatype):
            add(("DatatypeConstraintComponent", each(_datatype(dt))))
        for kind in g.objects(node, SH.nodeKind):
            if kind not in _NODE_KINDS:
                raise Unsupported(f"{node}: sh:nodeKind {kind}")
            add(("NodeKindConstraintComponent", each(_node_kind(kind))))
        # The counts and lengths are xsd:integer literals: int() of their lexical form.
        for n in g.objects(node, SH.minCount):
            add(("MinCountConstraintComponent", whole(_min_count(int(str(n))))))
        for n in g.objects(node, SH.maxCount):
            add(("MaxCountConstraintComponent", whole(_max_count(int(str(n))))))
        bounds: tuple[tuple[str, Callable[[Node, Node], bool]], ...] = (
            ("minInclusive", lambda v, b: _ordered(b, v, False)),
            ("maxInclusive", lambda v, b: _ordered(v, b, False)),
            ("minExclusive", lambda v, b: _ordered(b, v, True)),
            ("maxExclusive", lambda v, b: _ordered(v, b, True)),
        )
        for name, test in bounds:
            for bound in g.objects(node, SH[name]):
                component = name[0].upper() + name[1:] + "ConstraintComponent"
                add((component, each(_within(test, bound))))
        for n in g.objects(node, SH.minLength):
            add(("MinLengthConstraintComponent", each(_min_length(int(str(n))))))
        for n in g.objects(node, SH.maxLength):
            add(("MaxLengthConstraintComponent", each(_max_length(int(str(n))))))
        for pattern in g.objects(node, SH.pattern):
            flags = str(g.value(node, SH.flags) or "")
            if flags not in ("", "i"):
                raise Unsupported(f"{node}: sh:flags {flags!r}")
            regex = re.compile(str(pattern), re.IGNORECASE if "i" in flags else 0)
            add(("PatternConstraintComponent", each(_matches(regex))))
        for languages in g.objects(node, SH.languageIn):
            wanted = [str(x) for x in Collection(g, languages)]
            add(("LanguageInConstraintComponent", each(_language_in(wanted))))
        if g.value(node, SH.uniqueLang) == Literal(True):
            add(("UniqueLangConstraintComponent", whole(_unique_lang)))
        for members in g.objects(node, SH["in"]):
            allowed = set(Collection(g, members))
            add(("InConstraintComponent", each(_member_of(allowed))))
        for value in g.objects(node, SH.hasValue):
            add(("HasValueConstraintComponent", whole(_has_value(value))))
        for other in g.objects(node, SH.equals):
            add(("EqualsConstraintComponent", whole(_equals(other))))
        for other in g.objects(node, SH.lessThan):
            add(("LessThanConstraintComponent", whole(_compare(other, strict=True))))
        for other in g.objects(node, SH.lessThanOrEquals):
            add(("LessThanOrEqualsConstraintComponent", whole(_compare(other, strict=False))))
        for inner in g.objects(node, SH["not"]):
            add(("NotConstraintComponent", each(violates(self._shape(inner)))))
        for alternatives in g.objects(node, SH["or"]):
            options = [self._shape(x) for x in Collection(g, alternatives)]
            add(("OrConstraintComponent", each(conforms_to_any(options))))
        for inner in g.objects(node, SH.node):
            add(("NodeConstraintComponent", each(conforms_to(self._shape(inner)))))
        for prop in g.objects(node, SH.property):
            nested = self._shape(prop)
            tests.append((None, nested, None))
            add(("property", nested))
        if len(tests) != len(shape.constraints):  # a component above that is in one list only
            raise AssertionError(f"{node}: constraints and tests differ")

    # -- evaluating -------------------------------------------------------------------------

    def _results(self, index: Index, shape: Shape, focus: Node) -> Iterable[Violation]:
        values = shape.path(index, focus) if shape.path else [focus]
        if shape.path:
            values = list(dict.fromkeys(values))
        for component, check in shape.constraints:
            if isinstance(check, Shape):  # sh:property
                for value in values:
                    yield from self._results(index, check, value)
                continue
            other = shape.others.get(component)
            for failed in check(index, focus, values):
                compared = (
                    "" if other is None else compared_text(other, index.objects(focus, str(other)))
                )
                yield Violation(
                    focus=str(focus),
                    path=shape.path_text,
                    message_en=shape.messages[0],
                    message_de=shape.messages[1],
                    component=component,
                    value="" if failed is None else str(failed),
                    severity=shape.severity,
                    name_en=shape.names[0],
                    name_de=shape.names[1],
                    compared=compared,
                )

    def _conforms(self, index: Index, shape: Shape, focus: Node) -> bool:
        """Whether ``focus`` conforms to ``shape``: exactly when :meth:`_results` gives
        nothing, without making any result (the data nearly always conform)."""
        if shape.path is None:
            values = [focus]
        else:
            values = shape.path(index, focus)
            if len(values) > 1:
                values = list(dict.fromkeys(values))
        for test, nested, check in shape.tests:
            if test is not None:
                for value in values:
                    if not test(index, focus, value):
                        return False
            elif nested is not None:
                for value in values:
                    if not self._conforms(index, nested, value):
                        return False
            elif check is not None and check(index, focus, values):
                return False
        return True

    def validate(self, triples: Iterable[Triple], base: Index | None = None) -> ValidationReport:
        """Validate ``triples`` (with the pre-built ``base`` index of shared triples)."""
        index = Index(triples, base, self.inverse, self.paired)
        violations = [
            violation
            for shape in self.roots
            for target in shape.targets
            for focus in dict.fromkeys(target(index))
            if not self._conforms(index, shape, focus)
            for violation in self._results(index, shape, focus)
        ]
        violations = sorted(set(violations), key=lambda v: (v.focus, v.path, v.component, v.value))
        conforms = not any(v.severity == "Violation" for v in violations)
        text = "\n".join(v.describe() for v in violations)
        return ValidationReport(conforms, tuple(violations), text)


def _unique_lang(index: Index, focus: Node, values: list[Node]) -> list[Node | None]:
    seen: dict[str, int] = defaultdict(int)
    for value in values:
        if isinstance(value, Literal) and value.language:
            seen[value.language.lower()] += 1
    return [None for count in seen.values() if count > 1]


def _equals(other: Node) -> Callable[[Index, Node, list[Node]], list[Node | None]]:
    key = str(other)

    def check(index: Index, focus: Node, values: list[Node]) -> list[Node | None]:
        theirs = set(index.objects(focus, key))
        mine = set(values)
        return sorted(mine ^ theirs, key=str)

    return check


def _compare(other: Node, strict: bool) -> Callable[[Index, Node, list[Node]], list[Node | None]]:
    key = str(other)

    def check(index: Index, focus: Node, values: list[Node]) -> list[Node | None]:
        bounds = index.objects(focus, key)
        return [v for v in values for b in bounds if not _ordered(v, b, strict)]

    return check


# -- targets and constraints, built from one parameter each --------------------------------------


def _instances_of(cls: Node) -> Target:
    return lambda index: index.instances(cls)


def _just(node: Node) -> Target:
    return lambda index: [node]


def _subjects_of(predicate: Node) -> Target:
    key = str(predicate)
    return lambda index: [s for s, _ in index.pairs(key)]


def _objects_of(predicate: Node) -> Target:
    key = str(predicate)
    return lambda index: [o for _, o in index.pairs(key)]


def _instance_of(cls: Node) -> ValueTest:
    return lambda index, focus, value: index.is_instance(value, cls)


def _datatype(datatype: Node) -> ValueTest:
    return lambda index, focus, value: _well_typed(value, datatype)


def _node_kind(kind: Node) -> ValueTest:
    return lambda index, focus, value: _NODE_KINDS[kind](value)


def _min_count(n: int) -> Check:
    return lambda index, focus, values: [None] if len(values) < n else []


def _max_count(n: int) -> Check:
    return lambda index, focus, values: [None] if len(values) > n else []


def _within(test: Callable[[Node, Node], bool], bound: Node) -> ValueTest:
    return lambda index, focus, value: test(value, bound)


def _min_length(n: int) -> ValueTest:
    return lambda index, focus, value: not isinstance(value, BNode) and len(str(value)) >= n


def _max_length(n: int) -> ValueTest:
    return lambda index, focus, value: not isinstance(value, BNode) and len(str(value)) <= n


def _matches(regex: re.Pattern[str]) -> ValueTest:
    return lambda index, focus, value: (
        not isinstance(value, BNode) and bool(regex.search(str(value)))
    )


def _language_in(wanted: list[str]) -> ValueTest:
    def test(index: Index, focus: Node, value: Node) -> bool:
        if not isinstance(value, Literal) or not value.language:
            return False
        language = value.language
        return any(_lang_matches(language, x) for x in wanted)

    return test


def _member_of(allowed: set[Node]) -> ValueTest:
    return lambda index, focus, value: value in allowed


def _has_value(value: Node) -> Check:
    return lambda index, focus, values: [] if value in values else [None]
