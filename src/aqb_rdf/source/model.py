"""The parsed agreement: frozen dataclasses, no I/O.

A :class:`Zielvereinbarung` holds every fact one agreement document states. Each fact keeps the
:class:`Span` it was read from, so provenance can point to the sentence in the source.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, order=True)
class Span:
    """Where a fact stands in the decoded source text.

    Lines are 1-based and inclusive; characters are 0-based offsets, end exclusive.
    """

    first_line: int
    last_line: int
    start: int
    end: int

    def cover(self, other: Span) -> Span:
        """The smallest span covering both."""
        return Span(
            min(self.first_line, other.first_line),
            max(self.last_line, other.last_line),
            min(self.start, other.start),
            max(self.end, other.end),
        )


class Massnahmenart(Enum):
    """The four Maßnahmenarten (measure types) of the AQB; the value is the official number."""

    AUSBILDUNGSVORBEREITUNG = 1
    AUSBILDUNG_UND_COACHING = 2
    QUALIFIZIERUNGSPROJEKTE = 3
    WEITERBILDUNG_PERSONAL = 4


class Kreistyp(Enum):
    """The two kinds of Gebietskörperschaft that sign AQB agreements."""

    LANDKREIS = "Landkreis"
    KREISFREIE_STADT = "kreisfreie Stadt"


@dataclass(frozen=True)
class Gebietskoerperschaft:
    """A Landkreis or kreisfreie Stadt from the reference table, valid in a period."""

    key: str
    name: str
    typ: Kreistyp
    name_destatis: str = ""
    nuts3: str = ""
    regierungsbezirk_key: str = ""
    regierungsbezirk: str = ""
    wikidata: str = ""
    dcatde_district_key: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def display_name(self) -> str:
        """The name with its type word, e.g. "Stadt Offenbach am Main", "Landkreis Bergstraße"."""
        if self.typ is Kreistyp.KREISFREIE_STADT:
            return f"Stadt {self.name}"
        if self.name.lower().endswith("kreis"):
            return self.name
        return f"Landkreis {self.name}"


@dataclass(frozen=True)
class OrganisationName:
    """One name an organisation bore, in German and English, and the days it bore it.

    ``valid_from`` and ``valid_until`` are inclusive; None means open, or not known (the
    ministry's oldest name has no known first day): such a side is not checked.
    """

    name: str
    name_en: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def in_force(self, first: dt.date, last: dt.date) -> bool:
        """Whether the organisation bore this name on some day from ``first`` to ``last``."""
        starts = self.valid_from is None or self.valid_from <= last
        return starts and (self.valid_until is None or self.valid_until >= first)


@dataclass(frozen=True)
class Organisation:
    """A ministry or authority; ``names`` lists every name it had, oldest first, the current
    one last."""

    slug: str
    typ: str
    names: tuple[OrganisationName, ...]
    short_name: str = ""
    wikidata: str = ""
    """The Wikidata item id ("Q…"), empty when not confirmed."""

    @property
    def current_name(self) -> str:
        return self.names[-1].name

    @property
    def name_en(self) -> str:
        """The current name in English (empty if the table gives none)."""
        return self.names[-1].name_en


@dataclass(frozen=True)
class Located(Generic[T]):
    """A value read from the document, with where it stands."""

    value: T
    span: Span


@dataclass(frozen=True)
class Projekt:
    """A project as § 5 lists it: its title (without an amount that follows it) and, where
    the entry states one ("Jobcoach (120.000 Euro)"), its amount in euros."""

    title: str
    span: Span
    amount: Located[Decimal] | None = None


@dataclass(frozen=True)
class Massnahmenbereich:
    """A Maßnahmenart as listed in § 5 of an agreement, with its projects in document order."""

    art: Massnahmenart
    title: str
    span: Span
    projects: tuple[Projekt, ...]


@dataclass(frozen=True)
class Unterzeichnung:
    """One signature: who signed where and when, for which party."""

    place: str
    date: dt.date
    person: str
    role: str
    organisation_text: str
    organisation_slug: str | None
    """The ministry's slug, or None when the Gebietskörperschaft signed."""
    span: Span
    on_behalf: tuple[str, ...] = ()
    """The Vertretungsvermerk as written ("In Vertretung", "i. V.", "Für das Land Hessen")."""


@dataclass(frozen=True)
class SourceDocument:
    """The file an agreement was read from."""

    path: str
    name: str
    media_type: str
    sha256: str
    text: str
    """The decoded text that every :class:`Span` refers to."""
    data: bytes | None = None
    """The file's bytes as read (published beside the text); ``None`` when not read from a file."""
    page_starts: tuple[int, ...] = ()
    """For a PDF: where each page begins in :attr:`text` (character offsets, ascending)."""
    publication_url: str | None = None
    """Where the publisher published the document, from the folder's manifest; ``None``:
    not known (and so not stated)."""

    def page_of(self, offset: int) -> int | None:
        """The 1-based PDF page the character at ``offset`` stands on (``None``: no pages)."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)


@dataclass(frozen=True)
class Zielvereinbarung:
    """One target agreement between the ministry and a Gebietskörperschaft for one year."""

    source: SourceDocument
    year: Located[int]
    ministry: Located[Organisation]
    region: Located[Gebietskoerperschaft]
    budget: Located[Decimal]
    massnahmenbereiche: tuple[Massnahmenbereich, ...]
    rechtskreise: tuple[Located[str], ...]
    """Codes of the legal spheres, e.g. "SGB II", "AsylbLG", in order of first mention."""
    bezugsrahmen: tuple[Located[str], ...]
    """Slugs of the programmes and frameworks referred to, in order of first mention."""
    granting_authority: Located[Organisation] | None
    granting_form: Located[str] | None
    """The form of grant (always "Bescheid" so far), where the granting sentence names it."""
    signatures: tuple[Unterzeichnung, ...]
    ministry_as_written: Located[str] | None = None
    """The ministry's name as the title block writes it (inflected, without the article)."""
    region_as_written: Located[str] | None = None
    """The Gebietskörperschaft as the title block writes it (without the article)."""

    @property
    def absent_massnahmenarten(self) -> tuple[Massnahmenart, ...]:
        """The Maßnahmenarten § 5 does not list at all (a listed one without projects is not
        absent: it is listed with no project)."""
        listed = {bereich.art for bereich in self.massnahmenbereiche}
        return tuple(art for art in Massnahmenart if art not in listed)
