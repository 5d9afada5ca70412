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

from pyoxigraph import BlankNode, Literal, NamedNode

from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import OA, OWL, RDF_TYPE, RDFS
from aqb_rdf.web.render.description import Description, Node, Term, sort_key
from aqb_rdf.web.render.paging import Paging
from aqb_rdf.web.render.vocabulary import Vocabulary


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
        base = self.aqb.removesuffix("def/aqb#")
        return Link(iri, iri[len(base) :] if iri.startswith(base) else iri)

    def maybe_link(self, term: Term | None) -> Link | None:
        """:meth:`link` for an IRI or blank node, ``None`` for anything else."""
        return self.link(term) if isinstance(term, NamedNode | BlankNode) else None

    def links(self, nodes: Sequence[Node]) -> tuple[Link, ...]:
        return tuple(sorted((self.link(node) for node in nodes), key=lambda link: link.label))

    def value(self, term: Term) -> Value:
        if isinstance(term, Literal):
            datatype = term.datatype.value if term.language is None else None
            return Value(term.value, lang=term.language, datatype=datatype)
        if isinstance(term, NamedNode | BlankNode):
            link = self.link(term)
            return Value(link.label, iri=link.iri or None)
        return Value(str(term))

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
        values = sorted((r.value(o) for o in objects), key=lambda v: (v.lang != r.lang, v.text))
        properties.append((Link(predicate, r.vocabulary.label(predicate, r.lang)), tuple(values)))
    properties.sort(
        key=lambda pair: (
            pair[0].iri != RDF_TYPE,
            pair[0].iri != RDFS + "label",
            pair[0].label.lower(),
        )
    )
    incoming = [
        (r.link(subject), Link(predicate, r.vocabulary.label(predicate, r.lang)))
        for subject, predicate in d.incoming(me)
        if predicate != r.p("belegt")
    ]
    return Generic(
        title=r.link(me).label,
        types=r.links(d.nodes(me, RDF_TYPE)),
        properties=tuple(properties),
        incoming=tuple(incoming),
        evidence=evidence(r),
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
    return NamedGraph(title=r.link(d.resource).label, triples=len(d), resources=tuple(resources))
