"""Content negotiation: one pure function picks the representation of a response.

It follows `RFC 9110 §12.5.1 <https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1>`_
(``Accept``) and trifid's ``lib/headers.ts`` (a ``format`` query parameter wins over
``Accept``). :func:`choose` decides, in this order:

1. **format parameter.** If ``format_param`` is given and not blank, it names the offer: one
   of the offer's format names (``ttl``, ``json`` …) or media types, compared
   case-insensitively, parameters after ``;`` ignored. A name that no offer has raises
   :class:`NotAcceptable` with its ``format_param`` set (answered 400: the request is
   wrong, not its ``Accept``); ``Accept`` is not consulted.
2. **no usable Accept.** If ``accept`` is absent, blank, or has no well-formed entry, the
   caller's ``default`` is returned. Clients that send no ``Accept`` therefore get the default:
   SPARQL JSON for results, Turtle for RDF and for Linked-Data resources.
3. **Accept.** Each offer gets the quality of the *most specific* media range that matches
   one of its media types (``type/sub`` before ``type/*`` before ``*/*``; parameters other
   than ``q`` are ignored; of equally specific ranges the highest ``q`` counts). An offer no
   range matches, or whose most specific range has ``q=0``, is excluded. The winner has the
   highest ``q``; among equal ``q`` the one matched by the more specific range (``text/turtle,
   */*`` names Turtle, so Turtle wins over what only ``*/*`` matches); among those the first
   in the server's order (the order of ``offers``). Nothing acceptable raises
   :class:`NotAcceptable`.

Malformed entries in ``Accept`` (no ``/``, characters outside the token grammar, a ``q``
that is not a qvalue such as ``q=2`` or ``q=abc``) are skipped, never an error, so a broken
header cannot cause a 500.

**Pages.** :data:`PAGE_OFFERS` lists HTML first and then the RDF formats. So a Linked-Data
resource is HTML exactly when ``text/html`` is acceptable with a ``q`` at least as high as
every RDF format, and not matched by a less specific range than a format with equal ``q``.
Browsers (``text/html,…,*/*;q=0.8``) and ``curl``'s ``*/*`` get HTML;
``text/turtle, */*`` gets Turtle; no ``Accept`` at all gets the caller's default (Turtle).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aqb_rdf.errors import AqbError
from aqb_rdf.rdf import formats

_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_MEDIA_RANGE = re.compile(rf"^({_TOKEN})/({_TOKEN})$")
_QVALUE = re.compile(r"^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$")
# Splits a header on separators outside quoted strings.
_ELEMENTS = re.compile(r'(?:[^,"]|"(?:[^"\\]|\\.)*"?)+')
_PARAMETERS = re.compile(r'(?:[^;"]|"(?:[^"\\]|\\.)*"?)+')

_EXACT, _SUBTYPE_WILDCARD, _FULL_WILDCARD = 3, 2, 1


@dataclass(frozen=True)
class Offer:
    """One representation the server can produce.

    Attributes:
        media_type: The ``Content-Type`` of the response, without parameters.
        format_names: Values of the ``format`` parameter that select it; the first is its
            short name.
        also_accepts: Further media types that select it in ``Accept`` (``application/json``
            for SPARQL JSON results).
        format_iri: Its IRI in the W3C formats namespace (:attr:`aqb_rdf.rdf.formats.Format.w3c_iri`),
            for the service description; ``None`` for HTML.
    """

    media_type: str
    format_names: tuple[str, ...]
    also_accepts: tuple[str, ...] = ()
    format_iri: str | None = None

    @property
    def name(self) -> str:
        """The short name, e.g. ``ttl``."""
        return self.format_names[0]

    @property
    def media_types(self) -> tuple[str, ...]:
        """Every media type that selects this offer, its own first."""
        return (self.media_type, *self.also_accepts)


@dataclass(frozen=True)
class MediaRange:
    """One well-formed entry of an ``Accept`` header, lower-cased."""

    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        """3 for ``type/sub``, 2 for ``type/*``, 1 for ``*/*``."""
        if self.type == "*":
            return _FULL_WILDCARD
        if self.subtype == "*":
            return _SUBTYPE_WILDCARD
        return _EXACT

    def matches(self, media_type: str) -> bool:
        """Whether this range covers ``media_type`` (``type/sub``, lower case)."""
        type_, _, subtype = media_type.partition("/")
        if self.type == "*":
            return True
        return self.type == type_ and self.subtype in ("*", subtype)


class NotAcceptable(AqbError):
    """No offer is acceptable to the client (HTTP 406; 400 for a ``format`` parameter).

    Attributes:
        available: The offers the client could have asked for.
        format_param: The ``format`` parameter that named none of them, if that was it.
    """

    def __init__(
        self, available: Sequence[Offer], reason: str = "", format_param: str | None = None
    ) -> None:
        self.available = tuple(available)
        self.format_param = format_param
        if format_param is not None:
            listed = ", ".join(offer.name for offer in self.available)
            message = f"unknown format {format_param.strip()[:40]!r}; format may be {listed}"
        else:
            listed = ", ".join(offer.media_type for offer in self.available)
            message = reason or "none of the requested media types is available"
            message = f"{message}; available: {listed}"
        super().__init__(message)


RESULTS_JSON = Offer(
    formats.RESULTS_JSON.media_type,
    ("json", "srj"),
    also_accepts=("application/json",),
    format_iri=formats.RESULTS_JSON.w3c_iri,
)
RESULTS_XML = Offer(
    formats.RESULTS_XML.media_type, ("xml", "srx"), format_iri=formats.RESULTS_XML.w3c_iri
)
RESULTS_CSV = Offer(
    formats.RESULTS_CSV.media_type, ("csv",), format_iri=formats.RESULTS_CSV.w3c_iri
)
RESULTS_TSV = Offer(
    formats.RESULTS_TSV.media_type, ("tsv",), format_iri=formats.RESULTS_TSV.w3c_iri
)
# "n3": SPARQLWrapper sends format=n3 for its N3 return format, and Turtle is a subset of N3.
TURTLE = Offer(
    formats.TURTLE.media_type, ("ttl", "turtle", "n3"), format_iri=formats.TURTLE.w3c_iri
)
# "json" and application/json: a JSON-LD document is JSON; "rdf+xml" and "json-ld" are
# SPARQLWrapper's format values.
JSON_LD = Offer(
    formats.JSON_LD.media_type,
    ("jsonld", "json-ld", "json"),
    also_accepts=("application/json",),
    format_iri=formats.JSON_LD.w3c_iri,
)
# text/plain: N-Triples is plain text, one triple a line, and was served as text/plain before
# application/n-triples was registered (RDF 1.1 N-Triples, appendix C); a client asking for
# text/plain gets it, labelled with its own type.
N_TRIPLES = Offer(
    formats.N_TRIPLES.media_type,
    ("nt", "ntriples"),
    also_accepts=("text/plain",),
    format_iri=formats.N_TRIPLES.w3c_iri,
)
N_QUADS = Offer(formats.N_QUADS.media_type, ("nq", "nquads"), format_iri=formats.N_QUADS.w3c_iri)
RDF_XML = Offer(
    formats.RDF_XML.media_type, ("rdf", "xml", "rdf+xml"), format_iri=formats.RDF_XML.w3c_iri
)
HTML = Offer(formats.HTML.media_type, ("html",))

RESULT_OFFERS: tuple[Offer, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
"""SELECT and ASK results; default :data:`RESULTS_JSON`."""

RDF_OFFERS: tuple[Offer, ...] = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
"""CONSTRUCT and DESCRIBE results and other RDF documents; default :data:`TURTLE`."""

PAGE_OFFERS: tuple[Offer, ...] = (HTML, *RDF_OFFERS, N_QUADS)
"""Linked-Data resources: HTML first, so it wins ties; default (no Accept) :data:`TURTLE`;
N-Quads too (a named graph's triples in that graph, any other resource's in the default)."""


def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """Parse an ``Accept`` header into its well-formed media ranges, in header order.

    Malformed entries are skipped; parameters other than ``q`` are ignored.

    Args:
        header: The header value; ``None`` when the request has none.

    Returns:
        The media ranges; empty when there is no header or no well-formed entry.
    """
    if not header:
        return ()
    ranges: list[MediaRange] = []
    for element in _ELEMENTS.findall(header):
        parsed = _parse_element(element)
        if parsed is not None:
            ranges.append(parsed)
    return tuple(ranges)


def _parse_element(element: str) -> MediaRange | None:
    """One ``media-range [ ; parameters ]`` element, or ``None`` when it is malformed."""
    parts = _PARAMETERS.findall(element)
    if not parts:
        return None
    match = _MEDIA_RANGE.match(parts[0].strip())
    if match is None:
        return None
    type_, subtype = match.group(1).lower(), match.group(2).lower()
    if type_ == "*" and subtype != "*":
        return None
    q = 1.0
    for parameter in parts[1:]:
        name, equals, value = parameter.strip().partition("=")
        if name.strip().lower() != "q":
            continue
        value = value.strip()
        if not equals or _QVALUE.match(value) is None:
            return None
        q = float(value)
        break
    return MediaRange(type_, subtype, q)


def _quality(offer: Offer, ranges: Sequence[MediaRange]) -> tuple[float, int]:
    """The ``(q, specificity)`` the client gives ``offer``; ``(0.0, 0)`` if nothing matches."""
    best_specificity = 0
    best_q = 0.0
    for media_range in ranges:
        if not any(media_range.matches(media_type) for media_type in offer.media_types):
            continue
        specificity = media_range.specificity
        if specificity > best_specificity:
            best_specificity, best_q = specificity, media_range.q
        elif specificity == best_specificity:
            best_q = max(best_q, media_range.q)
    return best_q, best_specificity


def find_format(offers: Sequence[Offer], format_param: str) -> Offer | None:
    """The offer a ``format`` parameter names (format name or media type), or ``None``."""
    wanted = format_param.split(";", 1)[0].strip().lower()
    for offer in offers:
        if wanted in offer.format_names or wanted in offer.media_types:
            return offer
    return None


def wants_page(accept: str | None, format_param: str | None) -> bool:
    """Whether a request for a service's description comes from a browser, to be sent to a page.

    True when ``?format=html``, or when ``Accept`` names ``text/html`` itself and HTML wins
    over every RDF format by the rules of :data:`PAGE_OFFERS`. A SPARQL client
    sends an RDF type or nothing, and ``*/*`` alone names no HTML: those get the RDF.

    Example:
        >>> wants_page("text/html,application/xhtml+xml,*/*;q=0.8", None)
        True
        >>> wants_page("*/*", None), wants_page(None, None), wants_page("text/turtle", None)
        (False, False, False)
    """
    try:
        chosen = choose(PAGE_OFFERS, accept, format_param, TURTLE)
    except NotAcceptable:
        return False
    if chosen is not HTML:
        return False
    if format_param is not None and format_param.strip():
        return True
    return any((r.type, r.subtype) == ("text", "html") and r.q > 0 for r in parse_accept(accept))


def choose(
    offers: Sequence[Offer], accept: str | None, format_param: str | None, default: Offer
) -> Offer:
    """Pick the representation of a response; the rules are in the module docstring.

    Args:
        offers: What the server can produce, in its order of preference.
        accept: The request's ``Accept`` header, ``None`` when it has none.
        format_param: The ``format`` query parameter, ``None`` when it has none.
        default: What a client gets that states no usable preference; one of ``offers``.

    Returns:
        The chosen offer.

    Raises:
        NotAcceptable: The format parameter names no offer, or ``Accept`` excludes them all.
        ValueError: ``offers`` is empty or does not contain ``default``.

    Example:
        >>> choose(RDF_OFFERS, "application/ld+json;q=0.9, text/turtle;q=0.5", None, TURTLE).name
        'jsonld'
    """
    if default not in offers:
        raise ValueError(f"default {default.media_type} is not among the offers")
    if format_param is not None and format_param.strip():
        named = find_format(offers, format_param)
        if named is None:
            raise NotAcceptable(offers, format_param=format_param)
        return named
    ranges = parse_accept(accept)
    if not ranges:
        return default
    best: Offer | None = None
    best_key = (0.0, 0)
    for offer in offers:
        key = _quality(offer, ranges)
        if key[0] > 0 and key > best_key:
            best, best_key = offer, key
    if best is None:
        raise NotAcceptable(offers)
    return best
