"""The ontology (``{base}def/aqb``) as readable documentation (pure).

Its description holds the ontology header and, through ``rdfs:isDefinedBy``, every class and
property with its labels, definition, super-terms, domain and range; unions of classes
(``owl:unionOf``) come along as blank nodes. :func:`ontology` sorts them into classes, object
properties and datatype properties, each with an anchor (``#Zielvereinbarung``) so that the
hash IRIs of the terms land on their entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode, NamedNode

from aqb_rdf.rdf.namespaces import DCTERMS, OWL, RDFS, SKOS, VANN
from aqb_rdf.web.render.description import Node
from aqb_rdf.web.render.parts import Link, Reader


@dataclass(frozen=True)
class TermDoc:
    """One class or property.

    ``supers``, ``domains`` and ``ranges`` hold expressions: each a tuple of classes, more
    than one for a union (``Ministerium oder Gebietskörperschaft``).
    """

    anchor: str
    iri: str
    curie: str
    label: str
    other_label: str | None
    definition: str | None
    supers: tuple[tuple[Link, ...], ...]
    domains: tuple[tuple[Link, ...], ...]
    ranges: tuple[tuple[Link, ...], ...]
    characteristics: tuple[str, ...]


@dataclass(frozen=True)
class Ontology:
    title: str
    description: str | None
    comment: str | None
    version: str | None
    licence: Link | None
    namespace: str | None
    prefix: str | None
    see_also: tuple[Link, ...]
    classes: tuple[TermDoc, ...]
    object_properties: tuple[TermDoc, ...]
    datatype_properties: tuple[TermDoc, ...]
    individuals: tuple[TermDoc, ...] = ()
    """Named individuals the ontology defines (the rules of derivations)."""


def _expressions(r: Reader, subject: Node, predicate: str) -> tuple[tuple[Link, ...], ...]:
    found = []
    for node in r.d.nodes(subject, predicate):
        if isinstance(node, BlankNode):
            members = [
                m
                for head in r.d.objects(node, OWL + "unionOf")
                for m in r.d.rdf_list(head)
                if isinstance(m, NamedNode)
            ]
            if members:
                found.append(tuple(r.link(member) for member in members))
                continue
        found.append((r.link(node),))
    return tuple(found)


def _term(r: Reader, term: NamedNode) -> TermDoc:
    d = r.d
    other = "en" if r.lang == "de" else "de"
    characteristics = [
        r.vocabulary.curie(t)
        for t in sorted(d.types(term))
        if t in (OWL + "FunctionalProperty", OWL + "InverseFunctionalProperty")
    ]
    label = d.literal(term, RDFS + "label", r.lang)
    other_label = d.literal(term, RDFS + "label", other)
    return TermDoc(
        anchor=term.value.rsplit("#", 1)[-1],
        iri=term.value,
        curie=r.vocabulary.curie(term.value),
        label=label.value if label else r.vocabulary.curie(term.value),
        other_label=other_label.value if other_label and other_label != label else None,
        definition=d.text(term, SKOS + "definition", r.lang),
        supers=_expressions(r, term, RDFS + "subClassOf")
        + _expressions(r, term, RDFS + "subPropertyOf"),
        domains=_expressions(r, term, RDFS + "domain"),
        ranges=_expressions(r, term, RDFS + "range"),
        characteristics=tuple(characteristics),
    )


def ontology(r: Reader) -> Ontology:
    """The documentation of the ontology the reader's description is about."""
    d, me = r.d, r.d.resource
    terms = [
        node
        for node in d.subjects(RDFS + "isDefinedBy", me)
        if isinstance(node, NamedNode) and "#" in node.value
    ]
    sections: dict[str, list[TermDoc]] = {
        "class": [], "object": [], "datatype": [], "individual": []
    }  # fmt: skip
    for term in terms:
        types = d.types(term)
        if OWL + "Class" in types:
            sections["class"].append(_term(r, term))
        elif OWL + "ObjectProperty" in types:
            sections["object"].append(_term(r, term))
        elif OWL + "DatatypeProperty" in types:
            sections["datatype"].append(_term(r, term))
        elif OWL + "NamedIndividual" in types:
            sections["individual"].append(_term(r, term))
    for docs in sections.values():
        docs.sort(key=lambda doc: doc.anchor.lower())
    licence = d.node(me, DCTERMS + "license")
    return Ontology(
        title=d.text(me, DCTERMS + "title", r.lang) or d.label(me, r.lang),
        description=d.text(me, DCTERMS + "description", r.lang),
        comment=d.text(me, RDFS + "comment", r.lang),
        version=d.text(me, OWL + "versionInfo"),
        licence=r.maybe_link(licence),
        namespace=d.text(me, VANN + "preferredNamespaceUri"),
        prefix=d.text(me, VANN + "preferredNamespacePrefix"),
        see_also=r.links(d.nodes(me, RDFS + "seeAlso")),
        classes=tuple(sections["class"]),
        object_properties=tuple(sections["object"]),
        datatype_properties=tuple(sections["datatype"]),
        individuals=tuple(sections["individual"]),
    )
