"""Cross-checks of one parsed agreement: what contradicts itself is refused (pure).

Each check raises :class:`~aqb_rdf.errors.ParseError` with the line of the offending text:

* exactly one signature per party (the ministry and the Gebietskörperschaft);
* each project is listed once in § 5: the same title twice under one Maßnahmenart repeats
  it, under two contradicts itself (a project is funded under one Maßnahmenart);
* every Gebietskörperschaft §§ 2, 4 and 5 name (type word and name, e.g. "dem Landkreis
  Gießen", "des Main-Kinzig-Kreises") is the one of the title block;
* the year the budget sentence names ("im Jahr 2025", "Qualifizierungsbudget 2025") is the
  year of the title;
* a granting authority is named;
* a term (Laufzeit) the text states is the budget year: the term is derived from the year
  (``aqb:Herleitung``), so a document stating another one is refused rather than given a
  wrong term;
* the ministry's name in the title block is the name it bore on the date of the ministry's
  signature (``organisationen.csv`` gives each name's period).

Every check is one pass over the text (the region names are one compiled pattern).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator

from aqb_rdf.errors import ParseError
from aqb_rdf.source.german import MONTHS
from aqb_rdf.source.layout import FlowText, sections
from aqb_rdf.source.model import Gebietskoerperschaft, Kreistyp, Zielvereinbarung
from aqb_rdf.source.reference import normalise_name as _normalise_name

# Normalising runs a handful of substitutions; the same few names recur in every document.
_normalised = functools.lru_cache(maxsize=8192)(_normalise_name)

_CHECKED_SECTIONS = ("2", "4", "5")
_CITY_WORD = (
    r"(?:kreisfreie[n]?\s+Stadt|Universitätsstadt|Wissenschaftsstadt|Landeshauptstadt"
    r"|documenta-Stadt|Stadt)"
)
_DISTRICT_WORD = r"(?:Landkreis(?:es)?|Kreis(?:es)?)"
_SENTENCE_END = re.compile(r"\.(?=\s|$)")
_BUDGET_YEAR = re.compile(
    r"\b(?:im\s+Jahr(?:e)?|Qualifizierungsbudgets?|Budgets?)\s+(?P<year>(?:19|20)\d{2})\b"
)


def check(
    agreement: Zielvereinbarung,
    flow: FlowText,
    regions: tuple[Gebietskoerperschaft, ...],
    budget_at: int,
    last_line: int,
) -> None:
    """Refuse ``agreement`` when its facts contradict each other or one is missing.

    ``regions`` are all rows of the reference table, ``budget_at`` is the flow-text position
    of the budget amount, ``last_line`` the document's last line (for what is missing).
    """
    _check_signatures(agreement, last_line)
    _check_projects(agreement)
    _check_regions(agreement, flow, regions)
    _check_budget_year(agreement, flow, budget_at)
    _check_term(agreement, flow)
    if agreement.granting_authority is None:
        bescheid = re.search(r"[Bb]escheid", flow.text)
        line = flow.span(bescheid.start(), bescheid.end()).first_line if bescheid else last_line
        raise ParseError(
            "no granting authority: no Regierungspräsidium named with the Bescheid", None, line
        )
    _check_ministry_name(agreement)


_TERM = re.compile(r"\bLaufzeit", re.IGNORECASE)
_TERM_SENTENCE_END = re.compile(r"(?<!\d)\.(?=\s|$)|\n\s*\n")
"""A sentence ends at a full stop not after a digit (``1. Januar`` goes on), or a blank line."""
_DATE = re.compile(
    r"\b(\d{1,2})\.\s?(?:(\d{1,2})\.\s?|(" + "|".join(MONTHS) + r")\s+)(\d{4})\b",
    re.IGNORECASE,
)


def _check_term(agreement: Zielvereinbarung, flow: FlowText) -> None:
    """A sentence on a Laufzeit names no day but the first and last of the budget year, and
    no other year (``Laufzeit 2025 bis 2026`` states a term of two years)."""
    year = agreement.year.value
    for term in _TERM.finditer(flow.text):
        end = _TERM_SENTENCE_END.search(flow.text, term.end())
        sentence_end = end.start() if end else len(flow.text)
        for date in _DATE.finditer(flow.text, term.end(), sentence_end):
            day, month_number, month_name, date_year = date.groups()
            month = int(month_number) if month_number else MONTHS[month_name.lower()]
            if (int(date_year), month, int(day)) not in ((year, 1, 1), (year, 12, 31)):
                raise _term_error(flow, date, f"the day {date.group(0)}", year)
        for other in _YEAR.finditer(flow.text, term.end(), sentence_end):
            if int(other.group(0)) != year:
                raise _term_error(flow, other, f"the year {other.group(0)}", year)


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _term_error(flow: FlowText, found: re.Match[str], what: str, year: int) -> ParseError:
    return ParseError(
        f"a term (Laufzeit) with {what}, not the budget year {year}: the term is taken "
        "from the year, another one is not read",
        None,
        flow.span(found.start(), found.end()).first_line,
    )


def _check_ministry_name(agreement: Zielvereinbarung) -> None:
    written = agreement.ministry_as_written
    if written is None:
        return
    ministry = agreement.ministry.value
    signed = [s.date for s in agreement.signatures if s.organisation_slug == ministry.slug]
    year = agreement.year.value
    first, last = (signed[0], signed[0]) if signed else (dt.date(year, 1, 1), dt.date(year, 12, 31))
    wanted = _normalised(written.value)
    named = [name for name in ministry.names if _normalised(name.name) == wanted]
    if not named or any(name.in_force(first, last) for name in named):
        return
    start, end = named[0].valid_from, named[0].valid_until
    period = f"{start.isoformat() if start else '…'} to {end.isoformat() if end else '…'}"
    when = f"on {first.isoformat()}" if signed else f"in {year}"
    raise ParseError(
        f"the ministry was not called {written.value!r} {when} (that name: {period})",
        None,
        written.span.first_line,
    )


def _check_signatures(agreement: Zielvereinbarung, last_line: int) -> None:
    parties = {
        agreement.ministry.value.slug: agreement.ministry.value.current_name,
        None: agreement.region.value.display_name,
    }
    seen: dict[str | None, int] = {}
    for signature in agreement.signatures:
        slug = signature.organisation_slug
        if slug in seen:
            raise ParseError(
                f"two signatures for {parties[slug]} (the other on line {seen[slug]})",
                None,
                signature.span.first_line,
            )
        seen[slug] = signature.span.first_line
    for slug, name in parties.items():
        if slug not in seen:
            line = agreement.signatures[-1].span.first_line if agreement.signatures else last_line
            raise ParseError(f"no signature for {name}", None, line)


def _check_projects(agreement: Zielvereinbarung) -> None:
    """A project line repeated under one Maßnahmenart is a copy error: refused. The same title
    under two Maßnahmenarten is not: an offer may be funded under each for its own group (two
    projects, each with its own IRI by Maßnahmenart and position)."""
    for bereich in agreement.massnahmenbereiche:
        seen: dict[str, int] = {}
        for projekt in bereich.projects:
            key = " ".join(projekt.title.split()).casefold()
            line = projekt.span.first_line
            if key in seen:
                raise ParseError(
                    f"project {projekt.title!r} listed twice under Maßnahmenart"
                    f" {bereich.art.value}: here and on line {seen[key]}",
                    None,
                    line,
                )
            seen[key] = line


_PATTERNS: dict[int, tuple[tuple[Gebietskoerperschaft, ...], re.Pattern[str]]] = {}


def _mentions(regions: tuple[Gebietskoerperschaft, ...]) -> re.Pattern[str]:
    """The pattern of :func:`_compile_mentions`, compiled once per reference table (by
    identity: hashing every region of the table for each document would cost more)."""
    cached = _PATTERNS.get(id(regions))
    if cached is None or cached[0] is not regions:
        if len(_PATTERNS) > 16:
            _PATTERNS.clear()
        cached = (regions, _compile_mentions(regions))
        _PATTERNS[id(regions)] = cached
    return cached[1]


def _compile_mentions(regions: tuple[Gebietskoerperschaft, ...]) -> re.Pattern[str]:
    """One pattern for "type word + name" and "…kreis" names of every region."""
    names: set[str] = set()
    kreis_names: set[str] = set()
    for region in regions:
        for name in (region.name, region.name.split(" am ", 1)[0]):
            (kreis_names if name.lower().endswith("kreis") else names).add(name)

    def alternatives(values: set[str]) -> str:
        ordered = sorted(values, key=len, reverse=True)
        return "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in ordered)

    branches = []
    if names:
        words = f"{_CITY_WORD}|{_DISTRICT_WORD}"
        branches.append(rf"(?P<word>{words})\s+(?P<name>{alternatives(names)})")
    if kreis_names:
        branches.append(rf"(?P<kreis>{alternatives(kreis_names)})(?:es)?")
    if not branches:
        return re.compile(r"(?!)")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(branches)})(?![\w-])")


def _named_region(match: re.Match[str]) -> tuple[Kreistyp, str]:
    """The type and normalised name a mention gives."""
    if match.groupdict().get("kreis"):
        return Kreistyp.LANDKREIS, _normalised(match.group("kreis"))
    word = match.group("word").lower()
    typ = Kreistyp.KREISFREIE_STADT if word.endswith("stadt") else Kreistyp.LANDKREIS
    return typ, _normalised(match.group("name"))


def _names_of(region: Gebietskoerperschaft) -> tuple[str, str]:
    wanted = _normalised(region.name)
    return wanted, wanted.split(" am ", 1)[0]


def _other_region(
    named: tuple[Kreistyp, str],
    region: Gebietskoerperschaft,
    regions: tuple[Gebietskoerperschaft, ...],
    year: int,
) -> Gebietskoerperschaft | None:
    """The other Gebietskörperschaft of ``year`` a mention names, or None when it names the
    agreement's own, or none of the table (a town inside a Landkreis, "Stadt Gießen")."""
    typ, name = named
    if typ is region.typ and name in _names_of(region):
        return None
    for other in regions:
        starts = other.valid_from is None or other.valid_from.year <= year
        ends = other.valid_until is None or other.valid_until.year >= year
        if other.typ is typ and starts and ends and name in _names_of(other):
            return other
    return None


_TYPE_WORD = re.compile(r"[Kk]reis|[Ss]tadt")


def _find_mentions(
    pattern: re.Pattern[str], text: str, start: int, end: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, start, end)``, tried only at the words that hold "kreis" or
    "stadt" (every mention does): the long alternation is slow to try at every position."""
    after = start
    for hit in _TYPE_WORD.finditer(text, start, end):
        at = hit.start()
        word = max(text.rfind(" ", start, at), text.rfind("\n", start, at), start - 1) + 1
        if word < after:
            continue
        match = pattern.match(text, word, end)
        if match:
            after = match.end()
            yield match


def _check_regions(
    agreement: Zielvereinbarung, flow: FlowText, regions: tuple[Gebietskoerperschaft, ...]
) -> None:
    region = agreement.region.value
    pattern = _mentions(regions)
    ranges = sections(flow)
    for number in _CHECKED_SECTIONS:
        if number not in ranges:
            continue
        start, end = ranges[number]
        for match in _find_mentions(pattern, flow.text, start, end):
            other = _other_region(_named_region(match), region, regions, agreement.year.value)
            if other is not None:
                named = " ".join(match.group().split())
                raise ParseError(
                    f"§ {number} names {named}, but the title block names {region.display_name}",
                    None,
                    flow.span(match.start(), match.end()).first_line,
                )


def _check_budget_year(agreement: Zielvereinbarung, flow: FlowText, budget_at: int) -> None:
    year = agreement.year.value
    text = flow.text
    start = max(text.rfind(". ", 0, budget_at), text.rfind(".\n", 0, budget_at)) + 1
    end_match = _SENTENCE_END.search(text, budget_at)
    end = end_match.end() if end_match else len(text)
    for match in _BUDGET_YEAR.finditer(text, start, end):
        if int(match.group("year")) != year:
            raise ParseError(
                f"the budget is for {match.group('year')}, but the title names {year}",
                None,
                flow.span(match.start("year"), match.end("year")).first_line,
            )
