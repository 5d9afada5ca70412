"""The DCAT-AP.de catalogue as people read it, and the licence line of every page (pure).

:func:`catalogue` reads the triples of ``catalog.ttl`` (:mod:`aqb_rdf.publish.dcat`) into a
:class:`Catalogue`: the dataset's title, description and keywords in the page's language, its
publisher, licence and attribution, time span, every distribution with its size and SHA-256,
and the SPARQL endpoint. :func:`imprint` takes from it what every page's footer says:
the licence (Datenlizenz Deutschland – Namensnennung 2.0 asks to name the source), the
publisher and the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pyoxigraph import Literal, NamedNode

from aqb_rdf.rdf.namespaces import DCAT, DCATDE, DCTERMS, FOAF, RDF_TYPE, SPDX
from aqb_rdf.web.render.description import Description, Node, pick_language, sort_key
from aqb_rdf.web.render.parts import Link, Reader

LICENCES: Final = {
    "http://dcat-ap.de/def/licenses/dl-by-de/2.0": (
        "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "https://www.govdata.de/dl-de/by-2-0",
    ),
    "http://dcat-ap.de/def/licenses/dl-zero-de/2.0": (
        "Datenlizenz Deutschland – Zero – Version 2.0",
        "https://www.govdata.de/dl-de/zero-2-0",
    ),
}
"""Licence IRI → its name and the page with its text (the IRI itself is a code, not a page)."""


@dataclass(frozen=True)
class Distribution:
    """One download: what it is, where, in which format, how large, its SHA-256."""

    title: str
    url: str
    name: str
    media_type: str
    size: int | None
    sha256: str | None


@dataclass(frozen=True)
class Catalogue:
    """What the catalogue says, in one language."""

    title: str
    description: str
    dataset: str
    dataset_title: str
    dataset_description: str
    keywords: tuple[str, ...]
    publisher: Link | None
    licence: Link | None
    attribution: str | None
    issued: str | None
    modified: str | None
    start: str | None
    end: str | None
    version: str | None
    distributions: tuple[Distribution, ...]
    endpoint: Link | None
    endpoint_description: str | None


@dataclass(frozen=True)
class Imprint:
    """The footer of every page: licence, publisher, attribution (the source)."""

    licence: Link | None
    publisher: Link | None
    attribution: str | None


def _iri(d: Description, subject: Node, predicate: str) -> str | None:
    node = d.node(subject, predicate)
    return node.value if isinstance(node, NamedNode) else None


def _text(d: Description, subject: Node | None, predicate: str, lang: str) -> str | None:
    if subject is None:
        return None
    literals = [o for o in d.objects(subject, predicate) if isinstance(o, Literal)]
    chosen = pick_language(literals, lang)
    return None if chosen is None else chosen.value


def _licence(iri: str | None) -> Link | None:
    if iri is None:
        return None
    name, page = LICENCES.get(iri, (iri, iri))
    return Link(page, name)


def _publisher(d: Description, subject: Node, lang: str) -> Link | None:
    node = d.node(subject, DCTERMS + "publisher")
    if not isinstance(node, NamedNode):
        return None
    return Link(node.value, _text(d, node, FOAF + "name", lang) or d.label(node, lang))


def catalogue(r: Reader) -> Catalogue:
    """The catalogue ``r`` describes, in ``r``'s language."""
    d, me, lang = r.d, r.d.resource, r.lang
    dataset = d.node(me, DCAT + "dataset")
    service = d.node(me, DCAT + "service")
    distributions: list[Distribution] = []
    for node in sorted(d.nodes(dataset, DCAT + "distribution") if dataset else [], key=sort_key):
        url = _iri(d, node, DCAT + "downloadURL") or _iri(d, node, DCAT + "accessURL") or ""
        media = (_iri(d, node, DCAT + "mediaType") or "").rsplit("media-types/", 1)[-1]
        size = d.text(node, DCAT + "byteSize")
        checksum = d.node(node, SPDX + "checksum")
        sha256 = d.text(checksum, SPDX + "checksumValue") if checksum is not None else None
        distributions.append(
            Distribution(
                title=_text(d, node, DCTERMS + "title", lang) or url,
                url=url,
                name=url.rsplit("/", 1)[-1],
                media_type=media,
                size=int(size) if size and size.isdigit() else None,
                sha256=sha256,
            )
        )
    temporal = d.node(dataset, DCTERMS + "temporal") if dataset else None
    endpoint = _iri(d, service, DCAT + "endpointURL") if service else None
    publisher = _publisher(d, dataset if dataset is not None else me, lang)
    return Catalogue(
        title=_text(d, me, DCTERMS + "title", lang) or d.label(me, lang),
        description=_text(d, me, DCTERMS + "description", lang) or "",
        dataset=dataset.value if isinstance(dataset, NamedNode) else "",
        dataset_title=_text(d, dataset, DCTERMS + "title", lang) or "",
        dataset_description=_text(d, dataset, DCTERMS + "description", lang) or "",
        keywords=tuple(
            sorted(
                o.value
                for o in (d.objects(dataset, DCAT + "keyword") if dataset else [])
                if isinstance(o, Literal) and o.language == lang
            )
        ),
        publisher=publisher,
        licence=_licence(_iri(d, me, DCTERMS + "license")),
        attribution=next((t.attribution for t in [imprint(d, lang)] if t.attribution), None),
        issued=d.text(dataset, DCTERMS + "issued") if dataset else None,
        modified=d.text(dataset, DCTERMS + "modified") if dataset else None,
        start=d.text(temporal, DCAT + "startDate") if temporal else None,
        end=d.text(temporal, DCAT + "endDate") if temporal else None,
        version=d.text(dataset, DCAT + "version") if dataset else None,
        distributions=tuple(distributions),
        endpoint=Link(endpoint, _text(d, service, DCTERMS + "title", lang) or endpoint)
        if endpoint
        else None,
        endpoint_description=_text(d, service, DCTERMS + "description", lang),
    )


def imprint(d: Description, lang: str) -> Imprint:
    """Licence, publisher and attribution of the catalogue ``d`` describes."""
    me = d.resource
    attribution = None
    for subject in d.subjects(RDF_TYPE, NamedNode(DCAT + "Distribution")):
        attribution = _text(d, subject, DCATDE + "licenseAttributionByText", lang)
        if attribution:
            break
    dataset = d.node(me, DCAT + "dataset")
    return Imprint(
        licence=_licence(_iri(d, me, DCTERMS + "license")),
        publisher=_publisher(d, dataset if dataset is not None else me, lang),
        attribution=attribution,
    )
