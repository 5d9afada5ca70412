"""What the search page shows of the results: groups with labels, titles with marked words (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aqb_rdf.search.index import Group, Hit, Results

Segments = tuple[tuple[str, bool], ...]
"""A text in pieces, each marked (a query word matched it) or not."""


def segments(text: str, marks: tuple[tuple[int, int], ...]) -> Segments:
    """``text`` cut at ``marks``: ``("Landkreis ", False), ("Bergstraße", True)``."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in marks:
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return tuple(pieces)


@dataclass(frozen=True)
class ShownHit:
    href: str
    iri: str
    title: Segments
    context: Segments


@dataclass(frozen=True)
class ShownGroup:
    kind: str
    total: int
    hits: tuple[ShownHit, ...]


def shown(results: Results, href: Callable[[str], str]) -> tuple[ShownGroup, ...]:
    """The groups of ``results`` as the page shows them, each link made by ``href``."""

    def hit(h: Hit) -> ShownHit:
        return ShownHit(
            href(h.iri),
            h.iri,
            segments(h.title, h.title_marks),
            segments(h.context, h.context_marks),
        )

    def group(g: Group) -> ShownGroup:
        return ShownGroup(g.kind.value, g.total, tuple(hit(h) for h in g.hits))

    return tuple(group(g) for g in results.groups)


def as_json(results: Results, href: Callable[[str], str]) -> dict[str, Any]:
    """The JSON answer of ``/search?format=json``: the groups, each hit with its IRI, its
    path on this server, title and context, and the spans of them that matched."""
    return {
        "query": results.query,
        "words": list(results.words),
        "corrected": {word: list(words) for word, words in results.corrected.items()},
        "total": results.total,
        "groups": [
            {
                "kind": g.kind.value,
                "total": g.total,
                "results": [
                    {
                        "iri": h.iri,
                        "href": href(h.iri),
                        "title": h.title,
                        "context": h.context,
                        "title_marks": [list(m) for m in h.title_marks],
                        "context_marks": [list(m) for m in h.context_marks],
                    }
                    for h in g.hits
                ],
            }
            for g in results.groups
        ],
    }
