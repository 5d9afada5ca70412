"""The lists of the dataset's things: what each shows, its filters, order, pages and exports (pure).

Every kind of thing the agreements state has a list under the namespace of its IRIs, as
datasette offers a table: ``/id/gebietskoerperschaft/``, ``/id/zielvereinbarung/``,
``/id/projekt/``, ``/id/unterzeichnung/`` and ``/id/massnahmenbereich/`` (the Maßnahmenarten as
each agreement lists them). A :class:`Collection` names its query (``queries/collection-*.rq``,
which does the filtering: each filter is one of its parameters), its columns and the filters it
takes; :func:`parse_view` reads a request's ``year``, ``region``, ``massnahmenart``,
``rechtskreis``, ``sort`` (a column, ``-column`` for descending) and ``page``;
:func:`sorted_rows` orders the answer (numbers as numbers, text the German way, IRIs with their
numbers in natural order; the collection's own order breaks ties), and :func:`to_csv` and
:func:`to_json` write all of it (every page) as RFC 4180 CSV or JSON.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from pyoxigraph import Literal, NamedNode

from aqb_rdf.errors import PageError, ViewError
from aqb_rdf.rdf.namespaces import XSD
from aqb_rdf.sparql.named_queries import PARAMETER_TYPES
from aqb_rdf.sparql.results import SelectResult, Term
from aqb_rdf.web.render.description import sort_key
from aqb_rdf.web.render.order import fold, legal_order
from aqb_rdf.web.render.paging import parse_page

Record = Mapping[str, Term | None]


@dataclass(frozen=True)
class Column:
    """One column of a list's table.

    Attributes:
        name: the query variable it shows (also its name in CSV and JSON).
        heading: the key of its heading in :mod:`.texts`.
        kind: how a cell is written: ``link`` (the IRI in ``link``, text from ``name``),
            ``text``, ``year``, ``integer``, ``amount`` (euros), ``date``, ``region`` (the
            Kreisschlüssel, written as the region's name), ``massnahmenart`` (the notation,
            with its label), ``rechtskreise`` (notations separated by ``|``).
        link: the variable whose IRI the cell links to.
    """

    name: str
    heading: str
    kind: str = "text"
    link: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in ("integer", "amount")


@dataclass(frozen=True)
class Collection:
    """One list: ``/id/{segment}/``.

    Attributes:
        segment: the path segment, the namespace of the listed things' IRIs.
        query: the named query that gives the rows (``queries/{query}.rq``).
        title: the key of its title in :mod:`.texts` (``{title}_intro`` describes it).
        item: the variable holding each row's thing.
        columns: what the table shows, in order.
        filters: the filters it takes, of :data:`FILTERS`.
        order: the columns it is ordered by when no ``sort`` is given.
    """

    segment: str
    query: str
    title: str
    item: str
    columns: tuple[Column, ...]
    filters: tuple[str, ...]
    order: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/id/{self.segment}/"

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every query parameter the list takes: its filters, then :data:`VIEW_PARAMETERS`."""
        return (*self.filters, *VIEW_PARAMETERS)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


FILTERS: Final[Mapping[str, str]] = {
    "year": PARAMETER_TYPES["gYear"].pattern,
    "region": PARAMETER_TYPES["kreisschluessel"].pattern,
    "massnahmenart": PARAMETER_TYPES["notation"].pattern,
    "rechtskreis": r"[a-z0-9]+(?:-[a-z0-9]+)*",
}
"""Every filter a list may take, with the form of its value; each is a parameter of the
list's query of the same name (a Rechtskreis by its name, ``sgb-ii``, bound as its IRI)."""

VIEW_PARAMETERS: Final = ("sort", "page", "format", "lang")
"""What every list takes besides its filters: the order, the page, the format, the language."""


_AGREEMENT = Column("agreement", "agreement", "link", "agreement")
_YEAR = Column("year", "year", "year")
_REGION = Column("region", "region", "region", "region_iri")

COLLECTIONS: Final[tuple[Collection, ...]] = (
    Collection(
        "gebietskoerperschaft",
        "collection-regions",
        "regions",
        "region_iri",
        (
            Column("region", "key", "link", "region_iri"),
            Column("name", "name", "link", "region_iri"),
            Column("kind", "kind_of_region"),
            Column("agreements", "agreements", "integer"),
            Column("budget", "budget", "amount"),
        ),
        ("year",),
        ("region",),
    ),
    Collection(
        "zielvereinbarung",
        "collection-agreements",
        "agreements",
        "agreement",
        (
            _YEAR,
            _REGION,
            Column("agreement", "agreement", "link", "agreement"),
            Column("budget", "budget", "amount"),
            Column("projects", "projects", "integer"),
            Column("rechtskreise", "legal_spheres", "rechtskreise"),
        ),
        ("year", "region", "rechtskreis"),
        ("year", "region"),
    ),
    Collection(
        "projekt",
        "collection-projects",
        "projects",
        "project",
        (
            Column("title", "title", "link", "project"),
            _YEAR,
            _REGION,
            Column("massnahmenart", "measure_type", "massnahmenart"),
            Column("position", "position", "integer"),
            _AGREEMENT,
        ),
        ("year", "region", "massnahmenart"),
        ("year", "region", "massnahmenart", "position"),
    ),
    Collection(
        "unterzeichnung",
        "collection-signatures",
        "signatures",
        "signature",
        (
            Column("person", "person", "link", "signature"),
            Column("function", "function"),
            Column("organisation_name", "organisation", "link", "organisation"),
            Column("place", "place", "text"),
            Column("date", "date", "date"),
            _YEAR,
            _REGION,
            Column("position", "position", "integer"),
            _AGREEMENT,
        ),
        ("year", "region"),
        ("year", "region", "position"),
    ),
    Collection(
        "massnahmenbereich",
        "collection-massnahmenbereiche",
        "massnahmenbereiche",
        "bereich",
        (
            Column("massnahmenart", "measure_type", "massnahmenart", "bereich"),
            Column("title", "as_written", "text"),
            Column("projects", "projects", "integer"),
            _YEAR,
            _REGION,
            _AGREEMENT,
        ),
        ("year", "region", "massnahmenart"),
        ("year", "region", "massnahmenart"),
    ),
)
"""Every list, in the order the landing page offers them."""

BY_SEGMENT: Final[Mapping[str, Collection]] = {c.segment: c for c in COLLECTIONS}


@dataclass(frozen=True)
class View:
    """What one request asks of a list: filters (URL value by name), order and page."""

    filters: Mapping[str, str] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False
    page: int = 1

    def query_params(self, rechtskreis_iri: str) -> dict[str, str]:
        """The filters as the query's parameters (a Rechtskreis by its IRI)."""
        params = dict(self.filters)
        if "rechtskreis" in params:
            params["rechtskreis"] = rechtskreis_iri + params["rechtskreis"]
        return params

    def sort_value(self) -> str | None:
        if self.sort is None:
            return None
        return f"-{self.sort}" if self.descending else self.sort


def parse_view(collection: Collection, params: Mapping[str, str]) -> View:
    """The filters, order and page a request's query string asks for.

    A filter left empty (the form's "all") is no filter. The values' form is checked by the
    query's parameter types when they are bound (a malformed year is a 400 then).

    Raises:
        ViewError: a parameter the list does not take (a misspelt filter is never ignored),
            a malformed value, an unknown ``sort`` column.
        PageError: a malformed ``page``.
    """
    for name in params:
        if name not in collection.parameters and name not in FILTERS:
            known = ", ".join(collection.parameters)
            shown = name if len(name) <= 40 else name[:40] + "…"
            raise ViewError(
                f"the list {collection.path} has no parameter {shown!r}; it takes: {known}",
                "unknown_parameter",
                name=shown,
                known=known,
            )
    filters: dict[str, str] = {}
    for name, pattern in FILTERS.items():
        value = params.get(name, "").strip()
        if not value:
            continue
        shown = value if len(value) <= 40 else value[:40] + "…"
        if name not in collection.filters:
            raise ViewError(
                f"the list {collection.path} has no filter {name!r}", "no_filter", name=name
            )
        if re.fullmatch(pattern, value, flags=re.ASCII) is None:
            raise ViewError(
                f"no such value of {name}: {shown!r}", "bad_filter", name=name, value=shown
            )
        filters[name] = value
    sort, descending = params.get("sort", "").strip() or None, False
    if sort is not None:
        descending = sort.startswith("-")
        sort = sort.removeprefix("-")
        if collection.column(sort) is None:
            names = ", ".join(c.name for c in collection.columns)
            shown = sort if len(sort) <= 40 else sort[:40] + "…"
            raise ViewError(
                f"sort must name a column ({names}), not {shown!r}", "bad_sort", names=names
            )
    return View(filters, sort, descending, parse_page(params.get("page")))


# --- order --------------------------------------------------------------------------------


_NUMERIC_TYPES: Final = frozenset(
    XSD + name
    for name in ("integer", "decimal", "nonNegativeInteger", "positiveInteger", "double", "int")
)


def value_key(term: Term | None) -> tuple[int, Any]:
    """The key a cell sorts by: missing values last, numbers as numbers, then text, then IRIs."""
    if term is None:
        return (9, "")
    if isinstance(term, Literal):
        if term.datatype.value in _NUMERIC_TYPES:
            try:
                return (0, Decimal(term.value))
            except ArithmeticError:
                pass
        return (1, fold(term.value))
    if isinstance(term, NamedNode):
        return (2, sort_key(term))
    return (3, str(term))


def sorted_rows(
    collection: Collection, records: Sequence[Record], view: View, presorted: bool = False
) -> list[Record]:
    """``records`` in the order ``view`` asks for; the collection's own order breaks ties,
    and the thing's IRI last, so that the same answer always gives the same order.
    ``presorted``: the records are in the collection's own order already."""
    order = [*collection.order, collection.item]

    def key(record: Record) -> list[tuple[int, Any]]:
        return [value_key(record.get(name)) for name in order]

    rows = list(records) if presorted else sorted(records, key=key)
    if view.sort is not None:
        column = view.sort
        # Stable: rows equal in the chosen column keep the collection's order.
        rows.sort(key=lambda record: value_key(record.get(column)), reverse=view.descending)
    return rows


# --- pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Page ``number`` of ``size`` rows each, of ``total`` rows."""

    number: int
    size: int
    total: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_row(self) -> int:
        return (self.number - 1) * self.size

    def check(self) -> None:
        """Raises PageError (404) for a page past the last."""
        if self.number > self.last:
            raise PageError(f"no page {self.number}: the last is {self.last}", last=self.last)

    def rows(self, rows: Sequence[Record]) -> Sequence[Record]:
        return rows[self.first_row : self.first_row + self.size]


# --- exports ------------------------------------------------------------------------------


def to_csv(result: SelectResult, rows: Sequence[Record]) -> bytes:
    """The rows as CSV (RFC 4180: CRLF, quotes where needed, UTF-8), one column per variable
    of the query with its name as the header; IRIs and literals as their text, unbound empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for record in rows:
        writer.writerow(
            ["" if (term := record.get(name)) is None else _text(term) for name in result.variables]
        )
    return out.getvalue().encode("utf-8")


def to_json(
    result: SelectResult,
    rows: Sequence[Record],
    about: Mapping[str, object],
) -> bytes:
    """The rows as JSON: ``about`` (the list, its filters, order and total) and ``rows``, one
    object per row with every variable of the query; numbers as JSON numbers, IRIs and other
    literals as strings, unbound as ``null``."""
    document = {
        **about,
        "columns": list(result.variables),
        "rows": [
            {name: _json_value(record.get(name)) for name in result.variables} for record in rows
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def _text(term: Term) -> str:
    return term.value if isinstance(term, (Literal, NamedNode)) else str(term)


def _json_value(term: Term | None) -> object:
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype.value in _NUMERIC_TYPES:
        number = Decimal(term.value)
        if number == number.to_integral_value():
            return int(number)
        return float(number)
    return _text(term)


# --- the values to filter by --------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One value a filter offers: its URL value, and its label in German and English."""

    value: str
    label_de: str
    label_en: str
    iri: str | None = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_de


@dataclass(frozen=True)
class Facets:
    """The values each filter offers, in the order a form lists them."""

    choices: Mapping[str, tuple[Choice, ...]]

    def label(self, facet: str, value: str, lang: str) -> str | None:
        """The label of a value (a region's name by its Kreisschlüssel …), if it is known."""
        found = next((c for c in self.choices.get(facet, ()) if c.value == value), None)
        return None if found is None else found.label(lang)


def facets(result: SelectResult, rechtskreis_namespace: str) -> Facets:
    """The answer of ``collection-facets.rq`` as the forms' choices: years newest first,
    regions by name, Maßnahmenarten by number, Rechtskreise in the legal order with their
    notation (``SGB II``) and the name a URL gives them (``sgb-ii``)."""
    found: dict[str, dict[str, Choice]] = {name: {} for name in FILTERS}
    for record in result.records():
        facet, value, iri = record.get("facet"), record.get("value"), record.get("iri")
        if not isinstance(facet, Literal) or not isinstance(value, Literal):
            continue
        german, english = record.get("label_de"), record.get("label_en")
        de = german.value if isinstance(german, Literal) else value.value
        en = english.value if isinstance(english, Literal) else de
        iri_text = iri.value if isinstance(iri, NamedNode) else None
        if facet.value == "rechtskreis" and iri_text is not None:
            slug = iri_text.removeprefix(rechtskreis_namespace)
            choice = Choice(slug, f"{value.value} – {de}", f"{value.value} – {en}", iri_text)
            found["rechtskreis"][value.value] = choice
        elif facet.value == "massnahmenart":
            found["massnahmenart"][value.value] = Choice(
                value.value, f"{value.value} – {de}", f"{value.value} – {en}", iri_text
            )
        elif facet.value in found:
            found[facet.value][value.value] = Choice(value.value, de, en, iri_text)

    def order(name: str, choice: Choice) -> tuple[int, str]:
        number = int(choice.value) if choice.value.isdigit() else 0
        if name == "year":
            return (-number, "")
        if name == "region":
            return (0, fold(choice.label_de))
        return (number, "")

    choices: dict[str, tuple[Choice, ...]] = {}
    for name, by_value in found.items():
        if name == "rechtskreis":
            ordered = [by_value[n] for n in sorted(by_value, key=legal_order)]
        else:
            ordered = sorted(by_value.values(), key=functools.partial(order, name))
        choices[name] = tuple(ordered)
    return Facets(choices)


def rechtskreise(value: str) -> list[str]:
    """The notations of a ``rechtskreise`` cell (``SGB III|SGB II``), in the legal order."""
    return sorted((n for n in value.split("|") if n), key=legal_order)
