"""The building blocks of every page, and the pages of any resource (pure).

A :class:`Reader` reads one :class:`~.description.Description` in one language: labels,
links (an IRI and its label; templates turn IRIs into local paths), values. :func:`kind`
says which page a description gets; the dataset's own kinds have their builders in
:mod:`.kinds`, the ontology in :mod:`.ontology`, and anything else, such as a
Fundstelle, a Rechtskreis or a budget, gets :func:`generic`: its properties, what links to it
and the Fundstellen that support it. A named graph gets :func:`named_graph`.

Builders return frozen dataclasses of plain values and :class:`Link` s; every page also gets
the generic view, for its full list of properties. A resource that very many things link to
is described one page of those things at a time (:mod:`.paging`); :func:`page_links` gives
such a page its navigation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from pyoxigraph import BlankNode, Literal, NamedNode

from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import OA, OWL, RDF_TYPE, RDFS, SCHEMA, SKOS, XSD
from aqb_rdf.web.render import texts
from aqb_rdf.web.render.description import Description, Node, Term, sort_key
from aqb_rdf.web.render.order import legal_order
from aqb_rdf.web.render.paging import Paging
from aqb_rdf.web.render.vocabulary import Vocabulary

_INTEGERS: Final = frozenset(
    XSD + name for name in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long")
)


@dataclass(frozen=True)
class Link:
    """A link to ``iri``, shown as ``label``."""

    iri: str
    label: str


@dataclass(frozen=True)
class Value:
    """An object on a page: a link, or a literal with its language or datatype."""

    text: str
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Evidence:
    """One Fundstelle: which fact, and where it stands in the source document."""

    fact: str
    lines: str
    characters: str
    link: Link
    quote: str | None = None
    """The words the fact was read from (``oa:exact``)."""
    href: str | None = None
    """Where the document view shows them: the document's IRI and the Fundstelle's mark."""


@dataclass(frozen=True)
class Generic:
    """Any resource: its types, its properties and what links to it."""

    title: str
    types: tuple[Link, ...]
    properties: tuple[tuple[Link, tuple[Value, ...]], ...]
    incoming: tuple[tuple[Link, Link], ...]
    evidence: tuple[Evidence, ...] = field(default=())
    derived: dict[str, Link] = field(default_factory=dict)
    """The properties whose values are derived, not read (an aqb:Herleitung says so), with
    the rule they are derived by."""


class Reader:
    """Reads one description in one language, with the vocabulary's labels.

    Args:
        description: what the page is about.
        lang: ``de`` or ``en``.
        vocabulary: labels of classes and properties.
        aqb: the namespace of the dataset's ontology, ``{base}def/aqb#``.
        paging: which page of what links to the resource the description holds, if paged.
    """

    def __init__(
        self,
        description: Description,
        lang: str,
        vocabulary: Vocabulary,
        aqb: str,
        paging: Paging | None = None,
    ) -> None:
        self.d = description
        self.lang = lang
        self.vocabulary = vocabulary
        self.aqb = aqb
        self.paging = paging

    def p(self, local_name: str) -> str:
        """The IRI of the ``aqb:`` term ``local_name``."""
        return self.aqb + local_name

    def link(self, node: Node) -> Link:
        """A link to ``node`` named by its label (a blank node: no IRI, only the label).

        Without a label in the description, a term of a vocabulary gets its vocabulary label
        or CURIE, and a thing of the dataset its IRI after the base (``…/budget``).
        """
        if isinstance(node, BlankNode):
            return Link("", self.d.label(node, self.lang))
        iri = node.value
        if self.d.has_label(node):
            return Link(iri, self.d.label(node, self.lang))
        named = self.vocabulary.label(iri, self.lang)
        if named != iri:
            return Link(iri, named)
        derived = self.derived_label(node)
        if derived is not None:
            return Link(iri, derived)
        base = self.aqb.removesuffix("def/aqb#")
        return Link(iri, iri[len(base) :] if iri.startswith(base) else iri)

    def derived_label(self, node: NamedNode) -> str | None:
        """A name for a part of a labelled thing that has none of its own: its class, its
        number if its IRI ends in one, and the thing it is part of (``Budget –
        Zielvereinbarung 2025 – Stadt Offenbach am Main``, ``Unterzeichnung 2 – …``).
        ``None`` when the description holds no class or no labelled thing linking to it."""
        types = sorted(self.d.types(node), key=lambda t: (not t.startswith(self.aqb), t))
        parents = sorted(
            (s for s, _ in self.d.incoming(node) if isinstance(s, NamedNode) and s != node),
            key=sort_key,
        )
        parent = next((s for s in parents if self.d.has_label(s)), None)
        if not types:
            return None
        label = self.vocabulary.label(types[0], self.lang)
        number = node.value.rstrip("/").rsplit("/", 1)[-1]
        if number.isdigit():
            label = f"{label} {number}"
        if parent is not None:
            return f"{label} – {self.d.label(parent, self.lang)}"
        supported = self.d.node(node, self.p("belegt"))  # a Fundstelle: the fact it supports
        if isinstance(supported, NamedNode) and supported != node:
            fact = self.d.node(node, self.p("eigenschaft"))
            what = self.vocabulary.label(fact.value, self.lang) if fact is not None else None
            target = self.link(supported).label
            return f"{label}: {what} – {target}" if what else f"{label}: {target}"
        return label

    def maybe_link(self, term: Term | None) -> Link | None:
        """:meth:`link` for an IRI or blank node, ``None`` for anything else."""
        return self.link(term) if isinstance(term, NamedNode | BlankNode) else None

    def links(self, nodes: Sequence[Node]) -> tuple[Link, ...]:
        return tuple(sorted((self.link(node) for node in nodes), key=lambda link: link.label))

    def value(self, term: Term, subject: Node | None = None) -> Value:
        """A value as the page writes it: numbers and dates in the page's language (an
        amount of ``subject``'s ``schema:currency`` with it), links by their labels."""
        if isinstance(term, Literal):
            datatype = term.datatype.value if term.language is None else None
            shown = self.formatted(term, subject)
            if shown is not None:
                return Value(shown, datatype=None)
            return Value(term.value, lang=term.language, datatype=datatype)
        if isinstance(term, NamedNode | BlankNode):
            link = self.link(term)
            return Value(link.label, iri=link.iri or None)
        return Value(str(term))

    def notation_order(self, node: Term) -> tuple[int, int, str]:
        """Where a concept stands by its ``skos:notation`` (Rechtskreise in the order of the
        law, Maßnahmenarten by number); things without one after them."""
        notation = self.d.text(node, SKOS + "notation") if isinstance(node, NamedNode) else None
        if notation is None:
            return (9, 0, "")
        if notation.isdigit():
            return (0, int(notation), notation)
        return legal_order(notation)

    def coded(self, term: Term, subject: Node | None = None) -> tuple[tuple[int, int, str], Value]:
        """:meth:`value` of ``term`` with its notation before its label (``SGB II – …``), and
        the key that orders it among its siblings."""
        value = self.value(term, subject)
        order = self.notation_order(term)
        notation = order[2]
        if notation and value.iri and not value.text.startswith(notation):
            value = Value(f"{notation} – {value.text}", iri=value.iri)
        return order, value

    def formatted(self, literal: Literal, subject: Node | None = None) -> str | None:
        """A number or date as the page's language writes it, ``None`` for other literals."""
        datatype = literal.datatype.value
        try:
            if datatype in _INTEGERS:
                return texts.format_integer(int(literal.value), self.lang)
            if datatype == XSD + "decimal":
                amount = Decimal(literal.value)
                currency = self.d.text(subject, SCHEMA + "currency") if subject else None
                if currency:
                    return texts.format_amount(amount, self.lang, currency)
                places = max(0, -int(amount.as_tuple().exponent))
                return texts.format_amount(amount, self.lang, None, places)
            if datatype == XSD + "date":
                return texts.format_date(literal.value, self.lang)
        except (ValueError, ArithmeticError):
            return None
        return None

    def by_position(self, projects: Sequence[Node]) -> list[Node]:
        """Projects in document order (``aqb:position``)."""
        return sorted(
            projects, key=lambda p: (int(self.d.number(p, self.p("position")) or 0), sort_key(p))
        )

    def text(self, subject: Node, local_name: str) -> str | None:
        return self.d.text(subject, self.p(local_name), self.lang)


def kind(description: Description, aqb: str) -> str:
    """Which page a description gets (the kinds are listed in :mod:`.kinds`).

    Args:
        description: what the page is about.
        aqb: the namespace of the ontology, ``{base}def/aqb#``.
    """
    types = description.types(description.resource)
    for kind_name, classes in (
        ("agreement", ("Zielvereinbarung",)),
        ("region", ("Landkreis", "KreisfreieStadt")),
        ("organisation", ("Ministerium", "Regierungspraesidium")),
        ("massnahmenart", ("Massnahmenart",)),
        ("project", ("Projekt",)),
        ("document", ("Quelldokument",)),
    ):
        if any(aqb + name in types for name in classes):
            return kind_name
    if OWL + "Ontology" in types:
        return "ontology"
    return "resource"


def evidence(r: Reader) -> tuple[Evidence, ...]:
    """The Fundstellen that support facts about the resource, in document order."""
    d, me = r.d, r.d.resource
    iris = Iris(r.aqb.removesuffix("def/aqb#"))
    found = []
    for node in d.subjects(r.p("belegt"), me):
        prop = d.node(node, r.p("eigenschaft"))
        value = d.node(node, r.p("wert"))
        if isinstance(prop, NamedNode):
            fact = r.vocabulary.label(prop.value, r.lang)
            if value is not None:
                fact += f": {r.link(value).label}"
        else:
            fact = d.label(me, r.lang)
        first, last = d.number(node, r.p("zeileVon")), d.number(node, r.p("zeileBis"))
        lines = f"{first}" if first == last else f"{first}–{last}"
        selectors = d.nodes(node, OA + "hasSelector")
        quote = next((q for s in selectors if (q := d.text(s, OA + "exact"))), None)
        # The characters have one home: the position selector's oa:start and oa:end.
        start, end = next(
            (
                (begin, d.number(s, OA + "end"))
                for s in selectors
                if (begin := d.number(s, OA + "start")) is not None
            ),
            (None, None),
        )
        text = d.node(node, OA + "hasSource")
        document = iris.dokument_of_text(text.value) if isinstance(text, NamedNode) else None
        mark = node.value.rsplit("/", 1)[-1] if isinstance(node, NamedNode) else ""
        href = f"{document}#{mark}" if document and mark else None
        item = Evidence(fact, lines, f"{start}–{end}", r.link(node), quote, href)
        found.append((int(first or 0), item))
    return tuple(item for _, item in sorted(found, key=lambda pair: (pair[0], pair[1].fact)))


def generic(r: Reader) -> Generic:
    """Every property of the resource, and every link to it."""
    d, me = r.d, r.d.resource
    properties = []
    for predicate, objects in d.outgoing(me):
        values = sorted(
            (r.coded(o, me) for o in objects),
            key=lambda pair: (pair[1].lang != r.lang, pair[0], pair[1].text),
        )
        properties.append(
            (Link(predicate, r.vocabulary.label(predicate, r.lang)), tuple(v for _, v in values))
        )
    properties.sort(
        key=lambda pair: (
            pair[0].iri != RDF_TYPE,
            pair[0].iri != RDFS + "label",
            pair[0].label.lower(),
        )
    )
    incoming = []
    derived: dict[str, Link] = {}
    for subject, predicate in d.incoming(me):
        if predicate == r.p("belegt"):
            continue
        if predicate == r.p("betrifft"):
            prop, rule = (
                d.node(subject, r.p("hergeleiteteEigenschaft")),
                d.node(subject, r.p("regel")),
            )
            if prop is not None and rule is not None:
                derived[prop.value] = r.link(rule)
        _, shown = r.coded(subject)
        link = Link(shown.iri, shown.text) if shown.iri else r.link(subject)
        incoming.append((link, Link(predicate, r.vocabulary.label(predicate, r.lang)), subject))
    # Concepts with a notation (the Rechtskreise of a scheme) in the order of their codes;
    # the rest keep theirs (the sort is stable).
    incoming.sort(key=lambda row: r.notation_order(row[2]))
    return Generic(
        title=r.link(me).label,
        types=r.links(d.nodes(me, RDF_TYPE)),
        properties=tuple(properties),
        incoming=tuple((link, via) for link, via, _ in incoming),
        evidence=evidence(r),
        derived=derived,
    )


@dataclass(frozen=True)
class Tally:
    """How many things of one class link to the resource with one property."""

    count: int
    link: Link
    type: Link | None


@dataclass(frozen=True)
class PageLinks:
    """The navigation of one page of what links to a resource (IRIs of the other pages)."""

    number: int
    pages: int
    total: int
    first_item: int
    last_item: int
    first: str | None
    previous: str | None
    next: str | None
    last: str | None
    tallies: tuple[Tally, ...]


def page_links(r: Reader) -> PageLinks | None:
    """Where this page stands among the pages, and what links here, counted; ``None`` if
    everything that links here is on this page."""
    paging = r.paging
    if paging is None or not paging.paged:
        return None
    tallies = tuple(
        Tally(
            count.count,
            Link(count.link, r.vocabulary.label(count.link, r.lang)),
            Link(count.type, r.vocabulary.label(count.type, r.lang)) if count.type else None,
        )
        for count in paging.counts
    )
    previous, following = paging.previous, paging.next
    return PageLinks(
        number=paging.number,
        pages=paging.last,
        total=paging.total,
        first_item=paging.first_item,
        last_item=paging.last_item,
        first=paging.iri(1) if previous is not None else None,
        previous=paging.iri(previous) if previous is not None else None,
        next=paging.iri(following) if following is not None else None,
        last=paging.iri(paging.last) if following is not None else None,
        tallies=tallies,
    )


@dataclass(frozen=True)
class NamedGraph:
    """A named graph of the dataset: how many triples, and the resources it describes."""

    title: str
    triples: int
    resources: tuple[tuple[Link, tuple[Link, ...]], ...]


def named_graph(r: Reader) -> NamedGraph:
    """The page of a named graph (``describe-graph.rq``): its resources with their types."""
    d = r.d
    resources = [
        (r.link(node), r.links(d.nodes(node, RDF_TYPE)))
        for node in d.described()
        if isinstance(node, NamedNode)
    ]
    # The graph of an agreement is titled by it: its IRI is the graph's with id/ for graph/.
    graph = d.resource.value
    base = r.aqb.removesuffix("def/aqb#")
    title = r.link(d.resource).label
    if graph.startswith(base + "graph/"):
        rest = graph[len(base + "graph/") :]
        thing = NamedNode(base + "id/" + rest)
        if d.has_label(thing):
            title = texts.text("graph_of", r.lang, label=d.label(thing, r.lang))
        elif rest in ("reference", "ontology"):
            label = texts.text("graph_" + rest, r.lang)
            title = texts.text("graph_of", r.lang, label=label)
    return NamedGraph(title=title, triples=len(d), resources=tuple(resources))
