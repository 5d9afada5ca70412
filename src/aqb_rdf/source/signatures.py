"""The signature blocks at the end of an agreement → :class:`Unterzeichnung` (pure).

A block starts with "Ort, den Datum" and holds, in this order: lines saying in what capacity
or for whom the person signs ("In Vertretung", "i. V.", "Im Auftrag", "Für das Land Hessen",
"Für den Landkreis …": the *Vertretungsvermerk*, recorded as written, never as the person),
the name (a handwritten copy above it, as PDF text and Markdown italics show it, is skipped;
"gez." and an inline "i. V." are not part of the name), the role, and the organisation.
"Für …" lines standing just above the next block's "Ort, den Datum" belong to that block.

The party signed for is decided from the organisation lines (and Vertretungsvermerk) of the
block against the two parties of the agreement: the ministry under any name it had, in any
grammatical case, by its abbreviation, as "Land Hessen", or by its minister's title
("Hessischer Minister für …", "Hessische Ministerin für …"); the Gebietskörperschaft by its
name with a fitting type word. Only when the block has no organisation line does the role
decide ("Staatsministerin" / "Landrat"). A block that names neither party, or both, is
refused with its line: the party is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from aqb_rdf.errors import ParseError
from aqb_rdf.source.german import parse_german_date
from aqb_rdf.source.layout import Line, join_lines, line_span
from aqb_rdf.source.model import Gebietskoerperschaft, Kreistyp, Organisation, Unterzeichnung
from aqb_rdf.source.reference import normalise_name

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
_MINISTER = re.compile(r"\bhessisch\s+minister(?:in)?\s+für\s+(?P<area>.+)$")
_MINISTRY_ROLE = re.compile(r"^(?:Hessische[r]?\s+)?Staats(?:minister|sekretär)(?:in)?\b")
_REGION_ROLE = re.compile(
    r"^(?:Erste[r]?\s+)?(?:Landrat|Landrätin|(?:Ober)?[Bb]ürgermeister(?:in)?"
    r"|Kreisbeigeordnete[r]?|Stadtr(?:at|ätin)|Beigeordnete[r]?|Dezernent(?:in)?)\b"
)
_CITY_BEFORE = re.compile(r"(?:stadt)\s$")
_DISTRICT_BEFORE = re.compile(r"(?:kreis|kreises|landkreis|landkreises)\s$")


def read_signatures(
    lines: Sequence[Line], ministry: Organisation, region: Gebietskoerperschaft
) -> Iterator[Unterzeichnung]:
    """Every signature block in ``lines``, with the party it was signed for."""
    for line in lines:
        if _TWO_HEADS.match(line.text):
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
        if not printed:
            raise _fail("signature without the signer's name", head)
        inline, person = _name(printed[0].text)
        if len(printed) > 1 and _same_person(person, _name(printed[1].text)[1]):
            printed = printed[1:]  # the handwritten name, as PDF text shows it
            more, person = _name(printed[0].text)
            inline.extend(mark for mark in more if mark not in inline)
        capacities.extend(inline)
        rest = printed[1:]
        split = next(
            (k for k, line in enumerate(rest) if k > 0 and _ORGANISATION_START.match(line.text)),
            min(1, len(rest)),
        )
        role = join_lines(rest[:split])
        organisation = join_lines(rest[split:])
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
    name = normalise_name(text)
    if ministry.short_name and re.search(rf"\b{re.escape(ministry.short_name.lower())}\b", name):
        return True
    if re.search(r"\bland hessen\b", name):
        return True
    minister = _MINISTER.search(name)
    for official, _, _ in ministry.names:
        wanted = normalise_name(official)
        if wanted in name:
            return True
        area = wanted.split(" für ", 1)
        if minister and len(area) == 2 and minister.group("area") == area[1]:
            return True
    return False


def _names_region(text: str, region: Gebietskoerperschaft) -> bool:
    name = normalise_name(text)
    wanted = normalise_name(region.name)
    short = wanted.split(" am ", 1)[0]
    for candidate in (wanted, short):
        for match in re.finditer(rf"(?<![\w-]){re.escape(candidate)}(?:es)?(?![\w-])", name):
            before = name[: match.start()]
            if region.typ is Kreistyp.LANDKREIS and _CITY_BEFORE.search(before):
                continue
            if region.typ is Kreistyp.KREISFREIE_STADT and _DISTRICT_BEFORE.search(before):
                continue
            return True
    return False


def _same_person(first: str, second: str) -> bool:
    """Whether two lines name the same person ("M. Wilhelm" / "Martin Wilhelm")."""
    a, b = first.split(), second.split()
    if not a or not b or a[-1] != b[-1] or len(a) != len(b):
        return False
    return all(x == y or (x.endswith(".") and y.startswith(x[:-1])) for x, y in zip(a, b))


def _fail(message: str, line: Line) -> ParseError:
    return ParseError(message, None, line.number)
