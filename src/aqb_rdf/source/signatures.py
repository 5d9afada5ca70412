"""The signature blocks at the end of an agreement → :class:`Unterzeichnung` (pure).

A block starts with "Ort, den Datum" and holds, in this order: lines saying in what capacity
or for whom the person signs ("In Vertretung", "i. V.", "Im Auftrag", "Für das Land Hessen",
"Für den Landkreis …": the *Vertretungsvermerk*, recorded as written, never as the person),
the name (a handwritten copy above it, as PDF text and Markdown italics show it, is skipped;
"gez." and an inline "i. V." are not part of the name), the role, and the organisation.
"Für …" lines standing just above the next block's "Ort, den Datum" belong to that block.
The name is the first line that looks like a person's name (given and family name, titles
and initials allowed, no role or organisation word); a role or organisation line above it
("Der Landrat", "Staatsministerin") is read as role or organisation, and a block without
such a line is refused rather than publishing a role as the person.

The party signed for is decided from the organisation lines (and Vertretungsvermerk) of the
block against the two parties of the agreement: the ministry under any name it had, in any
grammatical case, by its abbreviation, as "Land Hessen", or by its minister's title
("Hessischer Minister für …", "Hessische Ministerin für …"); the Gebietskörperschaft by its
name with a fitting type word. Only when the block has no organisation line does the role
decide ("Staatsministerin" / "Landrat"). A block that names neither party, or both, is
refused with its line: the party is never guessed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from aqb_rdf.errors import ParseError
from aqb_rdf.source.german import parse_german_date
from aqb_rdf.source.layout import Line, join_lines, line_span
from aqb_rdf.source.model import (
    Gebietskoerperschaft,
    Kreistyp,
    Organisation,
    OrganisationName,
    Unterzeichnung,
)
from aqb_rdf.source.reference import normalise_name as _normalise_name

# Normalising runs a handful of substitutions; the same few names recur in every document.
_normalised = functools.lru_cache(maxsize=8192)(_normalise_name)

SIGNATURE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][^\d,]{1,60}?),\s*(?:den|am)?\s*"
    r"(?P<date>\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})|\d{1,2}\.\s*[A-Za-zÄÖÜäöü]+\s+\d{4})\s*$"
)
_SECTION = re.compile(r"§\s*\d+\b")
_HEAD = r"[A-ZÄÖÜ][^\d,]{1,60},\s*(?:den|am)?\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}"
_TWO_HEADS = re.compile(rf"^{_HEAD}\s+{_HEAD}$")
_ORGANISATION_START = re.compile(
    r"^(?:de[rsmn]\s|Hessische|Ministerium|Landkreis|Kreis\b|Stadt\b|Magistrat|Kreisausschuss)"
)
_CAPACITY = re.compile(
    r"^(?:In\s+Vertretung\b.*|Im\s+Auftrag\b.*|In\s+Abwesenheit\b.*|i\.\s?[VA]\.?"
    r"|Für\s+(?:das|den|die|dem)\s+\S.*|Namens\s+und\s+im\s+Auftrag\b.*)$"
)
_INLINE_CAPACITY = re.compile(r"^(?P<capacity>i\.\s?[VA]\.|gez\.)\s+(?=\S)")
_FOR = re.compile(r"^Für\s")
_GOES_ON = re.compile(r"^(?:de[rsmn]\s|[a-zäöü])")
_LAND_HESSEN = re.compile(r"\bland hessen\b")
_MINISTER = re.compile(r"\bhessisch\s+minister(?:in)?\s+für\s+(?P<area>.+)$")
_MINISTRY_ROLE = re.compile(r"^(?:Hessische[r]?\s+)?Staats(?:minister|sekretär)(?:in)?\b")
_REGION_ROLE = re.compile(
    r"^(?:Erste[r]?\s+)?(?:Landrat|Landrätin|(?:Ober)?[Bb]ürgermeister(?:in)?"
    r"|Kreisbeigeordnete[r]?|Stadtr(?:at|ätin)|Beigeordnete[r]?|Dezernent(?:in)?)\b"
)
_NAME = re.compile(
    r"^(?:(?:Dr|Prof|Dipl\.-[A-Za-zäöü]+)\.\s*)*(?:[A-ZÄÖÜ]\.\s*)*[A-ZÄÖÜ][\w'’.-]*"
    r"(?:\s+(?:(?:von|van|vom|zu|zur|de|der|den)\s+)*[A-ZÄÖÜ][\w'’.-]*)+$"
)
_NOT_A_NAME = re.compile(
    r"Ministeri|Minister(?:in)?\b|Landkreis|Kreis|Stadt|Magistrat|Hessisch|Land\b|Regierung"
    r"|Landrat|Landrätin|[Bb]ürgermeister|Beigeordnete|Stadtr|Dezernent|Staats|Amt\b|Leiter"
)


def _looks_like_name(text: str) -> bool:
    """A person's name: given and family name (titles, initials, "von" allowed), no role or
    organisation word ("Erste Kreisbeigeordnete" and "Hessisches Ministerium" are not)."""
    _, name = _name(text)
    return bool(_NAME.match(name)) and not _NOT_A_NAME.search(name)


# An organisation line above the name ("Der Kreisausschuss des …"); other lines there are roles.
_ORGANISATION_ABOVE = re.compile(
    r"^(?:(?:Der|Die|Das)\s+)?(?:Kreisausschuss|Magistrat|Hessische[s]?\s+Ministerium"
    r"|Landkreis|Kreis|Stadt)\b"
)
_CITY_BEFORE = re.compile(r"(?:stadt)\s$")
_DISTRICT_BEFORE = re.compile(r"(?:kreis|kreises|landkreis|landkreises)\s$")


def read_signatures(
    lines: Sequence[Line], ministry: Organisation, region: Gebietskoerperschaft
) -> Iterator[Unterzeichnung]:
    """Every signature block in ``lines``, with the party it was signed for."""
    for line in lines:
        # two dates have at least four dots, two heads two commas: most lines skip the pattern
        if line.text.count(".") >= 4 and line.text.count(",") >= 2 and _TWO_HEADS.match(line.text):
            raise _fail(
                "two signature blocks on one line without a column gap: their lines cannot be "
                "told apart (extract the text with its layout)",
                line,
            )
    starts = [i for i, line in enumerate(lines) if SIGNATURE.match(line.text)]
    carried: list[Line] = []
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        head = lines[i]
        match = SIGNATURE.match(head.text)
        assert match is not None
        block = [line for line in lines[i + 1 : end] if not line.blank]
        printed = [line for line in block if not line.italic]
        if _SECTION.match(" ".join(line.text for line in printed[:1])):
            carried = []
            continue
        following: list[Line] = []
        while n + 1 < len(starts) and printed and _FOR.match(printed[-1].text):
            following.insert(0, printed.pop())  # "Für den Landkreis …" above the next block
        capacity_lines, printed = carried, printed
        carried = following
        try:
            date = parse_german_date(match.group("date"))
        except ValueError as error:
            raise _fail(f"malformed date {match.group('date')!r} ({error})", head) from None
        capacities = [line.text for line in capacity_lines]
        while printed and _CAPACITY.match(printed[0].text):
            capacity = [printed.pop(0)]
            # "Für den Kreisausschuss" / "des Landkreises Bergstraße": one note over two lines
            while (
                _FOR.match(capacity[0].text)
                and printed
                and _GOES_ON.match(printed[0].text)
                and not _CAPACITY.match(printed[0].text)
            ):
                capacity.append(printed.pop(0))
            capacities.append(join_lines(capacity))
        role_above: list[Line] = []
        organisation_above: list[Line] = []
        named = next((k for k, line in enumerate(printed) if _looks_like_name(line.text)), None)
        if named is None:
            what = f": {printed[0].text!r}" if printed else ""
            raise _fail(f"signature without the signer's name{what}", head)
        for line in printed[:named]:  # "Der Landrat" / "Staatsministerin" above the name
            (organisation_above if _ORGANISATION_ABOVE.match(line.text) else role_above).append(
                line
            )
        printed = printed[named:]
        inline, person = _name(printed[0].text)
        if len(printed) > 1 and _same_person(person, _name(printed[1].text)[1]):
            printed = printed[1:]  # the handwritten name, as PDF text shows it
            more, person = _name(printed[0].text)
            inline.extend(mark for mark in more if mark not in inline)
        capacities.extend(inline)
        rest = printed[1:]
        split = (
            0
            if role_above
            else next(
                (
                    k
                    for k, line in enumerate(rest)
                    if k > 0 and _ORGANISATION_START.match(line.text)
                ),
                min(1, len(rest)),
            )
        )
        role = join_lines([*role_above, *rest[:split]])
        organisation = join_lines([*organisation_above, *rest[split:]])
        slug = _party(organisation, capacities, role, ministry, region, head)
        yield Unterzeichnung(
            place=match.group("place").strip(),
            date=date,
            person=person,
            role=role,
            organisation_text=organisation,
            organisation_slug=slug,
            span=line_span([head, *block]),
            on_behalf=tuple(capacities),
        )


def _name(text: str) -> tuple[list[str], str]:
    """Capacity marks written before the name ("i. V.", "gez.") and the name itself."""
    marks: list[str] = []
    while True:
        match = _INLINE_CAPACITY.match(text)
        if not match:
            return marks, text
        if match.group("capacity") != "gez.":
            marks.append(match.group("capacity"))
        text = text[match.end() :]


def _party(
    organisation: str,
    capacities: Sequence[str],
    role: str,
    ministry: Organisation,
    region: Gebietskoerperschaft,
    head: Line,
) -> str | None:
    """The ministry's slug or None (the Gebietskörperschaft) for what the block names."""
    texts = [organisation, *capacities, role]
    for_ministry = any(_names_ministry(text, ministry) for text in texts if text)
    for_region = any(_names_region(text, region) for text in texts if text)
    if not (for_ministry or for_region) and not organisation:
        for_ministry = bool(_MINISTRY_ROLE.match(role))
        for_region = bool(_REGION_ROLE.match(role))
    if for_ministry and for_region:
        raise _fail(f"signature block names both parties: {organisation or role!r}", head)
    if for_ministry:
        return ministry.slug
    if for_region:
        return None
    named = organisation or role or "no organisation"
    raise _fail(
        f"signature block names neither {ministry.current_name} nor "
        f"{region.display_name}: {named!r}",
        head,
    )


def _names_ministry(text: str, ministry: Organisation) -> bool:
    name = _normalised(text)
    official, areas, short = _ministry_terms(ministry.names, ministry.short_name)
    if (short is not None and short.search(name)) or _LAND_HESSEN.search(name):
        return True
    if any(wanted in name for wanted in official):
        return True
    minister = _MINISTER.search(name)
    return minister is not None and minister.group("area") in areas


@functools.lru_cache(maxsize=64)
def _ministry_terms(
    names: tuple[OrganisationName, ...], short_name: str
) -> tuple[tuple[str, ...], frozenset[str], re.Pattern[str] | None]:
    """The ministry's names normalised, the parts after "für", and its abbreviation."""
    official = tuple(_normalised(name.name) for name in names)
    areas = frozenset(n.split(" für ", 1)[1] for n in official if " für " in n)
    short = re.compile(rf"\b{re.escape(short_name.lower())}\b") if short_name else None
    return official, areas, short


def _names_region(text: str, region: Gebietskoerperschaft) -> bool:
    name = _normalised(text)
    for pattern in _region_patterns(region.name):
        for match in pattern.finditer(name):
            before = name[: match.start()]
            if region.typ is Kreistyp.LANDKREIS and _CITY_BEFORE.search(before):
                continue
            if region.typ is Kreistyp.KREISFREIE_STADT and _DISTRICT_BEFORE.search(before):
                continue
            return True
    return False


@functools.lru_cache(maxsize=1024)
def _region_patterns(region_name: str) -> tuple[re.Pattern[str], ...]:
    """The region's normalised name, and its part before " am ", as whole words."""
    wanted = _normalised(region_name)
    return tuple(
        re.compile(rf"(?<![\w-]){re.escape(candidate)}(?:es)?(?![\w-])")
        for candidate in dict.fromkeys((wanted, wanted.split(" am ", 1)[0]))
    )


def _same_person(first: str, second: str) -> bool:
    """Whether two lines name the same person ("M. Wilhelm" / "Martin Wilhelm")."""
    a, b = first.split(), second.split()
    if not a or not b or a[-1] != b[-1] or len(a) != len(b):
        return False
    return all(x == y or (x.endswith(".") and y.startswith(x[:-1])) for x, y in zip(a, b))


def _fail(message: str, line: Line) -> ParseError:
    return ParseError(message, None, line.number)
