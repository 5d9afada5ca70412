"""Paging of what links to a resource, for resources that very many things point to (pure).

A Maßnahmenart is named by every project filed under it, the ministry by every agreement, a
Rechtskreis by every agreement that names it: thousands of things at 1 M triples. A Linked-Data
answer keeps the resource's own triples and what it links to complete, and gives what links to
it one page at a time: :class:`Paging` says which page (``?page=N``, from 1) of the linking
things, ordered by IRI (numbers in natural order, :func:`~.description.sort_key`), with
``size`` things per page.

In RDF a paged answer says so in `Hydra <https://www.w3.org/ns/hydra/core>`_ terms
(:func:`hydra_triples`): the collection ``<IRI#links>`` of everything that links to ``<IRI>``
(``hydra:totalItems``, ``hydra:member`` for the things on this page, ``hydra:manages`` with
``hydra:object <IRI>``) has the view ``<IRI?page=N>``, a ``hydra:PartialCollectionView`` with
``hydra:first``, ``hydra:previous``, ``hydra:next`` and ``hydra:last``; HTML and RDF also
carry a ``Link`` header with the same pages. An answer with all the linking things on one
page has none of these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from aqb_rdf.errors import PageError
from aqb_rdf.rdf.namespaces import HYDRA, RDF_TYPE, XSD

DEFAULT_PAGE_SIZE: Final = 100
MAX_PAGE: Final = 10**9
_PAGE: Final = re.compile(r"[1-9][0-9]{0,9}")


def parse_page(value: str | None) -> int:
    """The page number a ``?page=`` value asks for; 1 without one.

    Raises:
        PageError: the value is not a whole number from 1 (status 400).
    """
    if value is None:
        return 1
    if _PAGE.fullmatch(value) is None or int(value) > MAX_PAGE:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise PageError(f"page must be a whole number from 1 to {MAX_PAGE}, not {shown!r}")
    return int(value)


@dataclass(frozen=True)
class LinkCount:
    """How many things link to the resource with ``link``, being of class ``type``."""

    link: str
    type: str | None
    count: int


@dataclass(frozen=True)
class Links:
    """Everything that links to one resource: the IRIs in page order, and counts.

    Args:
        members: the linking IRIs, each once, in page order.
        counts: per linking property and class of the linking thing, largest first.
    """

    members: tuple[NamedNode, ...]
    counts: tuple[LinkCount, ...] = field(default=())

    @property
    def total(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Paging:
    """Page ``number`` of ``size`` things, of ``total``, that link to ``resource``."""

    resource: str
    number: int
    size: int
    total: int
    counts: tuple[LinkCount, ...] = field(default=())

    @property
    def last(self) -> int:
        """The number of the last page (1 when nothing links here)."""
        return max(1, -(-self.total // self.size))

    @property
    def paged(self) -> bool:
        """Whether the linking things fill more than one page."""
        return self.total > self.size

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first_item(self) -> int:
        """The position (from 1) of the page's first linking thing."""
        return min(self.offset + 1, self.total)

    @property
    def last_item(self) -> int:
        return min(self.offset + self.size, self.total)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.last else None

    def check(self) -> None:
        """Raises :class:`PageError` (404) when the page is past the last one."""
        if self.number > self.last:
            raise PageError(
                f"no page {self.number}: the last page is {self.last}"
                f" ({self.total} linking resources, {self.size} a page)",
                last=self.last,
            )

    def window(self, members: Sequence[NamedNode]) -> tuple[NamedNode, ...]:
        """The members on this page."""
        return tuple(members[self.offset : self.offset + self.size])

    def count(self, link: str, type_: str) -> int:
        """How many things of class ``type_`` link to the resource with ``link``."""
        return sum(c.count for c in self.counts if c.link == link and c.type == type_)

    def iri(self, number: int) -> str:
        """The IRI of page ``number`` (:func:`page_iri`)."""
        return page_iri(self.resource, number)


def page_iri(iri: str, number: int) -> str:
    """The IRI of page ``number`` of ``iri``'s Linked-Data answer: ``{iri}?page={number}``."""
    return f"{iri}?page={number}"


def collection_iri(iri: str) -> str:
    """The IRI of the collection of everything that links to ``iri``: ``{iri}#links``."""
    return f"{iri}#links"


def hydra_triples(paging: Paging, members: Sequence[NamedNode]) -> list[Triple]:
    """The Hydra description of the page ``paging``; none if everything fits on one page.

    Args:
        paging: which page of what links to which resource.
        members: the linking things on that page.
    """
    if not paging.paged:
        return []
    iri = paging.resource
    collection = NamedNode(collection_iri(iri))
    view = NamedNode(page_iri(iri, paging.number))
    manages = BlankNode("links")

    def h(name: str) -> NamedNode:
        return NamedNode(HYDRA + name)

    def page(number: int) -> NamedNode:
        return NamedNode(page_iri(iri, number))

    triples = [
        Triple(collection, NamedNode(RDF_TYPE), h("Collection")),
        Triple(
            collection,
            h("totalItems"),
            Literal(str(paging.total), datatype=NamedNode(XSD + "integer")),
        ),
        Triple(collection, h("manages"), manages),
        Triple(manages, h("object"), NamedNode(iri)),
        Triple(collection, h("view"), view),
        *(Triple(collection, h("member"), member) for member in members),
        Triple(view, NamedNode(RDF_TYPE), h("PartialCollectionView")),
        Triple(view, h("first"), page(1)),
        Triple(view, h("last"), page(paging.last)),
    ]
    if paging.previous is not None:
        triples.append(Triple(view, h("previous"), page(paging.previous)))
    if paging.next is not None:
        triples.append(Triple(view, h("next"), page(paging.next)))
    return triples
