"""The triples that describe one resource, indexed for reading (pure).

A :class:`Description` holds the answer of ``queries/describe-resource.rq`` (or of
``describe-graph.rq``) for one IRI: the resource's own triples, those of what it links to and
of what links to it, and labels one step further. Pages read it through small lookups
(:meth:`Description.objects`, :meth:`Description.subjects`, :meth:`Description.label`) and
the RDF representations serialise the very same triples, so the page and the Turtle always
say the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from aqb_rdf.rdf.namespaces import DCTERMS, RDF, RDF_TYPE, RDFS, SCHEMA, SKOS, SKOSXL

Node: TypeAlias = NamedNode | BlankNode
"""A subject: an IRI or a blank node."""
Term: TypeAlias = NamedNode | BlankNode | Literal | Triple
"""An object as pyoxigraph gives it (RDF-star triples never occur in this dataset)."""
Outgoing: TypeAlias = dict[Node, dict[str, list[Term]]]
Incoming: TypeAlias = dict[Term, list[tuple[Node, str]]]

LABEL_PROPERTIES = (
    RDFS + "label",
    SKOS + "prefLabel",
    SCHEMA + "name",
    DCTERMS + "title",
    SKOSXL + "literalForm",
)
"""Where a name for a thing is looked up, in this order (a SKOS-XL label: its literal form)."""


class Description:
    """The triples about one resource, with lookups by subject and by object.

    Args:
        resource: the IRI described.
        triples: the answer of the description query.
    """

    def __init__(self, resource: str, triples: Iterable[Triple]) -> None:
        self.resource = NamedNode(resource)
        self._triples: tuple[Triple, ...] | None = tuple(triples)
        self._lines: list[bytes] | None = None
        self._index: tuple[Outgoing, Incoming] | None = None

    @classmethod
    def of_ntriples(cls, resource: str, body: bytes) -> Description:
        """The description the query engine wrote as N-Triples (one triple a line, as
        Oxigraph writes them), read only as far as it is used: an RDF answer sorts and
        serialises the lines, only a page makes Python terms and indexes of them."""
        description = cls(resource, ())
        description._triples = None
        description._lines = body.splitlines()
        return description

    @property
    def triples(self) -> tuple[Triple, ...]:
        """Every triple, in the order the answer gave them."""
        if self._triples is None:
            self._triples = tuple(_parse_lines(self._lines or []))
        return self._triples

    def _indexed(self) -> tuple[Outgoing, Incoming]:
        if self._index is None:
            out: Outgoing = defaultdict(lambda: defaultdict(list))
            incoming: Incoming = defaultdict(list)
            for triple in self.triples:
                subject = triple.subject
                if isinstance(subject, Triple):
                    continue
                predicate, obj = triple.predicate.value, triple.object
                out[subject][predicate].append(obj)
                incoming[obj].append((subject, predicate))
            self._index = (out, incoming)
        return self._index

    @property
    def _out(self) -> Outgoing:
        return self._indexed()[0]

    @property
    def _in(self) -> Incoming:
        return self._indexed()[1]

    def __len__(self) -> int:
        return len(self._lines) if self._triples is None and self._lines else len(self.triples)

    def ordered(self) -> list[Triple]:
        """The triples for serialising: the resource's own first, then by subject, predicate."""
        if self._triples is None and self._lines is not None:
            # The same order, from the text of the lines: no Python term per triple but one.
            return list(_parse_lines(sorted(self._lines, key=_line_order(self.resource))))
        return sorted(
            self.triples,
            key=lambda t: (
                t.subject != self.resource,
                sort_key(t.subject) if not isinstance(t.subject, Triple) else (2, ""),
                t.predicate.value,
                str(t.object),
            ),
        )

    @property
    def found(self) -> bool:
        """Whether anything at all is said about the resource (else: 404)."""
        if self._triples is None and self._lines is not None:
            term = str(self.resource).encode()
            subject, obj = term + b" ", b" " + term + b" ."
            return any(line.startswith(subject) or line.endswith(obj) for line in self._lines)
        return bool(self._out.get(self.resource) or self._in.get(self.resource))

    def objects(self, subject: Node, predicate: str) -> list[Term]:
        """The objects of ``subject predicate ?o``, in the order the answer gave them."""
        return list(self._out.get(subject, {}).get(predicate, ()))

    def nodes(self, subject: Node, predicate: str) -> list[Node]:
        """The IRIs and blank nodes among :meth:`objects`, sorted for a stable page."""
        found = [
            o for o in self.objects(subject, predicate) if isinstance(o, NamedNode | BlankNode)
        ]
        return sorted(found, key=sort_key)

    def node(self, subject: Node, predicate: str) -> Node | None:
        """One IRI or blank node object, or ``None``."""
        nodes = self.nodes(subject, predicate)
        return nodes[0] if nodes else None

    def literal(self, subject: Node, predicate: str, lang: str | None = None) -> Literal | None:
        """One literal object, preferring the language ``lang``, then untagged, then any."""
        literals = [o for o in self.objects(subject, predicate) if isinstance(o, Literal)]
        return pick_language(literals, lang)

    def text(self, subject: Node, predicate: str, lang: str | None = None) -> str | None:
        """The lexical form of :meth:`literal`, or ``None``."""
        literal = self.literal(subject, predicate, lang)
        return None if literal is None else literal.value

    def texts(self, subject: Node, predicate: str, lang: str | None = None) -> list[str]:
        """All literals of ``predicate`` in ``lang`` (or untagged), sorted."""
        literals = [o for o in self.objects(subject, predicate) if isinstance(o, Literal)]
        return sorted(literal.value for literal in literals if literal.language in (lang, None))

    def number(self, subject: Node, predicate: str) -> Decimal | None:
        """One numeric literal as a Decimal, or ``None``."""
        literal = self.literal(subject, predicate)
        if literal is None:
            return None
        try:
            return Decimal(literal.value)
        except InvalidOperation:
            return None

    def subjects(self, predicate: str, obj: Term) -> list[Node]:
        """The subjects of ``?s predicate obj``, sorted."""
        found = {s for s, p in self._in.get(obj, ()) if p == predicate}
        return sorted(found, key=sort_key)

    def described(self) -> list[Node]:
        """Every subject with at least one triple, sorted."""
        return sorted(self._out, key=sort_key)

    def types(self, subject: Node) -> set[str]:
        """The IRIs of the classes of ``subject``."""
        return {o.value for o in self.objects(subject, RDF_TYPE) if isinstance(o, NamedNode)}

    def label(self, node: Term, lang: str) -> str:
        """A name for ``node`` in ``lang``: its label, else a readable part of its IRI."""
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, NamedNode | BlankNode):
            for predicate in LABEL_PROPERTIES:
                literal = self.literal(node, predicate, lang)
                if literal is not None:
                    return literal.value
        return short_name(node)

    def has_label(self, node: Node) -> bool:
        """Whether the description names ``node`` with one of :data:`LABEL_PROPERTIES`."""
        return any(self.objects(node, predicate) for predicate in LABEL_PROPERTIES)

    def outgoing(self, subject: Node) -> list[tuple[str, list[Term]]]:
        """Every predicate of ``subject`` with its objects, predicates sorted."""
        return sorted(
            ((p, list(objs)) for p, objs in self._out.get(subject, {}).items()),
            key=lambda pair: pair[0],
        )

    def incoming(self, obj: Term) -> list[tuple[Node, str]]:
        """Every ``(subject, predicate)`` pointing at ``obj``, sorted."""
        return sorted(set(self._in.get(obj, ())), key=lambda pair: (pair[1], sort_key(pair[0])))

    def rdf_list(self, head: Term) -> list[Term]:
        """The members of the RDF collection starting at ``head`` (as far as it is given)."""
        members: list[Term] = []
        seen: set[Term] = set()
        node = head
        while isinstance(node, BlankNode) and node not in seen:
            seen.add(node)
            members.extend(self.objects(node, RDF + "first")[:1])
            rest = self.objects(node, RDF + "rest")
            node = rest[0] if rest else NamedNode(RDF + "nil")
        return members


def _parse_lines(lines: Iterable[bytes]) -> Iterator[Triple]:
    """The triples of N-Triples lines."""
    return (quad.triple for quad in parse(b"\n".join(lines), RdfFormat.N_TRIPLES))


def _line_order(
    resource: NamedNode,
) -> Callable[[bytes], tuple[bool, tuple[int, str], bytes, bytes]]:
    """The key of :meth:`Description.ordered` for an N-Triples line ``S P O .``: its subject
    not ``resource``, the :func:`sort_key` of its subject, its predicate, its object."""
    own = str(resource).encode()
    subjects: dict[bytes, tuple[int, str]] = {}

    def key(line: bytes) -> tuple[bool, tuple[int, str], bytes, bytes]:
        subject, predicate, obj = line.removesuffix(b" .").split(b" ", 2)
        order = subjects.get(subject)
        if order is None:
            text = subject.decode()
            order = (0, _padded(text[1:-1])) if text.startswith("<") else (1, text)
            subjects[subject] = order
        return subject != own, order, predicate[1:-1], obj

    return key


def pick_language(literals: Sequence[Literal], lang: str | None) -> Literal | None:
    """The literal in ``lang``, else an untagged one, else German, else the first."""
    if not literals:
        return None
    for wanted in (lang, None, "de"):
        for literal in literals:
            if literal.language == wanted:
                return literal
    return sorted(literals, key=lambda literal: (literal.language or "", literal.value))[0]


def short_name(node: Term) -> str:
    """The last part of an IRI (after ``#`` or ``/``), or a blank node's label."""
    if isinstance(node, NamedNode):
        value = node.value.rstrip("/")
        for separator in ("#", "/"):
            if separator in value:
                value = value.rsplit(separator, 1)[1]
                break
        return value or node.value
    if isinstance(node, BlankNode):
        return f"_:{node.value}"
    if isinstance(node, Literal):
        return node.value
    return str(node)


def sort_key(node: Term) -> tuple[int, str]:
    """Orders IRIs by their text with numbers in natural order, blank nodes after them."""
    if isinstance(node, NamedNode):
        # …/projekt/10 after …/projekt/9: pad the digits of every path segment.
        return (0, _padded(node.value))
    return (1, str(node))


def _padded(iri: str) -> str:
    """``iri`` with the digits of every path segment padded (…/projekt/00000010)."""
    return "/".join(part.zfill(8) if part.isdigit() else part for part in iri.split("/"))
