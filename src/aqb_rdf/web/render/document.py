"""A source document's page, and the quotes an agreement's page shows beside its facts (pure).

The document view shows the published text (``aqb:textfassung``) with every extracted fact
highlighted: a ``<mark id="{name}">`` per Fundstelle (``{name}`` is the last segment of its
IRI, ``budget``, ``projekt-1-2`` …), linking back to the resource it supports. Facts may nest
(a Maßnahmenart's heading inside its block) or cross; :func:`pieces` cuts the text where any
mark begins or ends, so each piece knows the marks around it and the page nests them properly.

The rows come from ``queries/fundstellen.rq``; a :class:`Quote` is what an agreement's page
shows for one fact: the quoted words and a link to the document view at that mark.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from aqb_rdf.rdf.namespaces import DCTERMS, PROV, SCHEMA
from aqb_rdf.web.render.description import Term
from aqb_rdf.web.render.parts import Link, Reader

FactKey = tuple[str, str, str]
"""Which fact a Fundstelle supports: (resource IRI, property IRI or "", value IRI or "")."""


@dataclass(frozen=True)
class Mark:
    """One Fundstelle on the document view.

    Attributes:
        id: the HTML id of its first ``<mark>`` (the Fundstelle's name).
        start: where it begins in the text (code points).
        end: where it ends (exclusive).
        fact: what it says, in the page's language ("Betrag", "Projekt: …").
        resource: the resource it supports.
        fundstelle: the Fundstelle's IRI.
        page: the page of a PDF it begins on.
    """

    id: str
    start: int
    end: int
    fact: str
    resource: Link
    fundstelle: str
    page: int | None = None


@dataclass(frozen=True)
class Piece:
    """A stretch of the text inside the same marks (outermost first).

    ``opens`` are the ids of the marks that begin with this piece, ``closes`` the marks that
    end with it (the page links back to their resources there). The page opens
    ``marks[open_from:]`` before the text (the outer ones are still open from the piece
    before) and closes the marks after the text down to ``close_to`` (those the next piece
    is inside too stay open): a mark nested in another is one element inside it, and only
    marks that cross are cut and opened again, without their id.
    """

    text: str
    marks: tuple[Mark, ...]
    opens: frozenset[str]
    closes: tuple[Mark, ...]
    open_from: int = 0
    close_to: int = 0


@dataclass(frozen=True)
class Quote:
    """The quoted words of one fact and where the document view shows them."""

    exact: str
    href: str
    """The document's IRI with the mark as its fragment (``…/id/dokument/…#budget``)."""


@dataclass(frozen=True)
class Row:
    """One row of ``queries/fundstellen.rq``."""

    fundstelle: str
    resource: str
    property: str
    value: str
    start: int
    end: int
    exact: str
    page: int | None
    label: str


@dataclass(frozen=True)
class DocumentPage:
    """A source document: what it is, where to get it, and its text with the facts marked."""

    title: str
    text_link: str | None
    original_link: str | None
    publication: str | None
    agreements: tuple[Link, ...]
    pieces: tuple[Piece, ...]
    marks: tuple[Mark, ...]
    has_text: bool


def rows(solutions: Sequence[Sequence[Term | None]]) -> tuple[Row, ...]:
    """The rows of ``fundstellen.rq`` (its variables in order), one per Fundstelle."""
    found: dict[str, Row] = {}

    def text(term: Term | None) -> str:
        return term.value if isinstance(term, NamedNode | Literal) else ""

    for fundstelle, resource, prop, value, start, end, exact, page, label in solutions:
        name = text(fundstelle)
        if not name or name in found or not isinstance(start, Literal):
            continue
        if not isinstance(end, Literal):
            continue
        found[name] = Row(
            fundstelle=name,
            resource=text(resource),
            property=text(prop),
            value=text(value),
            start=int(start.value),
            end=int(end.value),
            exact=text(exact),
            page=int(page.value) if isinstance(page, Literal) else None,
            label=text(label),
        )
    return tuple(sorted(found.values(), key=lambda r: (r.start, -r.end, r.fundstelle)))


def mark_id(fundstelle: str) -> str:
    """The HTML id of a Fundstelle's mark: its name, the last segment of its IRI."""
    return fundstelle.rstrip("/").rsplit("/", 1)[-1]


def quotes(document: str, found: Sequence[Row]) -> dict[FactKey, Quote]:
    """The quote of each fact of ``found``, linking to the document view at its mark."""
    return {
        (row.resource, row.property, row.value): Quote(
            row.exact, f"{document}#{mark_id(row.fundstelle)}"
        )
        for row in found
    }


def marks(r: Reader, found: Sequence[Row]) -> tuple[Mark, ...]:
    """The Fundstellen as marks, with what each says in the page's language."""
    result = []
    for row in found:
        resource = r.link(NamedNode(row.resource))
        if row.label:
            resource = Link(row.resource, row.label)
        if row.property:
            fact = r.vocabulary.label(row.property, r.lang)
            if row.value:
                fact += f": {r.link(NamedNode(row.value)).label}"
        else:
            fact = resource.label
        result.append(
            Mark(
                mark_id(row.fundstelle),
                row.start,
                row.end,
                fact,
                resource,
                row.fundstelle,
                row.page,
            )
        )
    return tuple(result)


def pieces(text: str, all_marks: Sequence[Mark]) -> tuple[Piece, ...]:
    """``text`` cut at every mark's start and end, each piece with the marks around it.

    Marks that fall outside the text, or cover nothing, are left out. Marks around a piece
    are ordered outermost first (earlier start, then later end), so nested facts nest.
    """
    usable = [m for m in all_marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in usable), *(m.end for m in usable)})
    ordered = sorted(usable, key=lambda m: (m.start, -m.end, m.id))
    result = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        around = tuple(m for m in ordered if m.start <= left and right <= m.end)
        result.append(
            Piece(
                text[left:right],
                around,
                frozenset(m.id for m in around if m.start == left),
                tuple(m for m in around if m.end == right),
            )
        )
    # The marks a piece shares with the next, outermost first, stay open between them.
    shared = [_shared(a.marks, b.marks) for a, b in zip(result, result[1:], strict=False)]
    return tuple(
        dataclasses.replace(
            piece,
            open_from=shared[i - 1] if i else 0,
            close_to=shared[i] if i < len(shared) else 0,
        )
        for i, piece in enumerate(result)
    )


def _shared(before: tuple[Mark, ...], after: tuple[Mark, ...]) -> int:
    """How many outermost marks two neighbouring pieces are both inside."""
    count = 0
    for a, b in zip(before, after, strict=False):
        if a is not b:
            break
        count += 1
    return count


def document(r: Reader, text: str | None, found: Sequence[Row]) -> DocumentPage:
    """The page of a source document; ``text`` is its published text (``None``: missing)."""
    d, me = r.d, r.d.resource
    text_node = d.node(me, r.p("textfassung"))
    original = d.node(me, SCHEMA + "contentUrl")
    publication = d.node(me, SCHEMA + "url")
    title = r.text(me, "dateiname") or d.text(me, DCTERMS + "title", r.lang) or r.link(me).label
    derived = d.subjects(PROV + "wasDerivedFrom", me)
    all_marks = marks(r, found)
    return DocumentPage(
        title=title,
        text_link=text_node.value if isinstance(text_node, NamedNode) else None,
        original_link=original.value if isinstance(original, NamedNode) else None,
        publication=publication.value if isinstance(publication, NamedNode) else None,
        agreements=r.links(derived),
        pieces=pieces(text, all_marks) if text is not None else (),
        marks=all_marks,
        has_text=text is not None,
    )
