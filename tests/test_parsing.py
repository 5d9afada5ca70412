"""parsing.py: every fact of the real agreements, in every format they come in."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aqb_rdf import resources
from aqb_rdf.errors import ParseError, ResolveError
from aqb_rdf.source.model import SourceDocument, Zielvereinbarung
from aqb_rdf.source.parsing import parse_agreement
from aqb_rdf.source.reading import read_document

DOCUMENTS = Path(__file__).parent / "documents"
REFERENCE = resources.reference()

OFFENBACH = {
    "year": 2025,
    "ministry": "hmsi",
    "key": "06413",
    "budget": Decimal("1011410.00"),
    "massnahmenarten": [
        (1, "Ausbildungsvorbereitung", ["Berufsvorbereitung Elektro"]),
        (
            2,
            "Ausbildung und Ausbildungskoaching in anerkannten Ausbildungsberufen",
            ["BaE Teilzeit", "Coaching und Unterrichtshilfen (CUBA)"],
        ),
        (
            3,
            "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
            [
                "Jobcoach",
                "Interkulturelle Gruppe",
                "Coaching von jungen Wohnungssuchenden",
                "Fallmanagement für Erziehende",
                (
                    "Fallmanagement für Personen mit gesundheitlichen und psychosozialen "
                    "Einschränkungen"
                ),
            ],
        ),
        (
            4,
            (
                "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der "
                "fachlichen Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung"
            ),
            ["Schulungen für Mitarbeiter/innen"],
        ),
    ],
    "signatures": [
        (
            "Wiesbaden",
            dt.date(2025, 8, 6),
            "Heike Hofmann",
            "Staatsministerin",
            "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales",
            "hmsi",
        ),
        (
            "Offenbach am Main",
            dt.date(2025, 8, 11),
            "Martin Wilhelm",
            "Stadtrat/Stadtkämmerer",
            "der Stadt Offenbach am Main",
            None,
        ),
    ],
}
BERGSTRASSE = {
    "year": 2025,
    "ministry": "hmsi",
    "key": "06431",
    "budget": Decimal("1230450.00"),
    "massnahmenarten": [
        (1, "Ausbildungsvorbereitung", ["Vorbereitung TZ Ausbildung", "Ausbildungsvorbereitung"]),
        (2, "Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen", []),
        (
            3,
            "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
            [
                "Absolventenmanagement I",
                "Sprachkursbegleitende Unterstützung Bensheim",
                "Sprachkursbegleitende Unterstützung Viernheim",
                "Digitalisierung Migration",
                'Gesundheitsmaßnahme "Fit in den Beruf"',
                "Jobdatings",
            ],
        ),
        (4, OFFENBACH["massnahmenarten"][3][1], ["BASS Studium"]),  # type: ignore[index]
    ],
    "signatures": [
        (
            "Wiesbaden",
            dt.date(2025, 8, 2),
            "Heike Hofmann",
            "Staatsministerin",
            "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales",
            "hmsi",
        ),
        (
            "Heppenheim",
            dt.date(2025, 8, 8),
            "Angelika Beckenbach",
            "Erste Kreisbeigeordnete",
            "des Landkreises Bergstraße",
            None,
        ),
    ],
}
COMMON = {
    "rechtskreise": ["SGB II", "SGB III", "SGB VIII", "SGB XII", "AsylbLG"],
    "bezugsrahmen": [
        "buendnis-fuer-ausbildung-2025-2029",
        "fachkonzept-arbeitswelt-hessen",
        "un-behindertenrechtskonvention",
        "esf-hessen",
        "servicestelle-teilzeitausbildung",
        "olov-steuerungsgruppen",
    ],
}
CASES = {
    "offenbach-2025-md/agreement.md": OFFENBACH,
    "offenbach-2025-utf8bom/agreement.md": OFFENBACH,
    "offenbach-2025-pdftext/agreement.txt": OFFENBACH,
    "offenbach-2025-pdf/agreement.pdf": OFFENBACH,
    "bergstrasse-2025-txt/agreement.txt": BERGSTRASSE,
    "bergstrasse-2025-cp1252-crlf/agreement.txt": BERGSTRASSE,
    "bergstrasse-2025-pdf/agreement.pdf": BERGSTRASSE,
}


def parse_file(path: Path) -> Zielvereinbarung:
    return parse_agreement(read_document(path), REFERENCE)


def parse_text(text: str, name: str = "variant.txt") -> Zielvereinbarung:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return parse_agreement(SourceDocument(name, name, "text/plain", digest, text), REFERENCE)


def facts(agreement: Zielvereinbarung) -> dict[str, object]:
    return {
        "year": agreement.year.value,
        "ministry": agreement.ministry.value.slug,
        "key": agreement.region.value.key,
        "budget": agreement.budget.value,
        "massnahmenarten": [
            (b.art.value, b.title, [p.title for p in b.projects])
            for b in agreement.massnahmenbereiche
        ],
        "signatures": [
            (s.place, s.date, s.person, s.role, s.organisation_text, s.organisation_slug)
            for s in agreement.signatures
        ],
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_fact_in_every_format(case: str) -> None:
    agreement = parse_file(DOCUMENTS / case)
    assert facts(agreement) == CASES[case]
    assert [r.value for r in agreement.rechtskreise] == COMMON["rechtskreise"]
    assert [b.value for b in agreement.bezugsrahmen] == COMMON["bezugsrahmen"]
    assert agreement.granting_authority is not None
    assert agreement.granting_authority.value.slug == "rp-kassel"
    assert agreement.granting_form and agreement.granting_form.value == "Bescheid"


@pytest.mark.parametrize(
    "case", ["offenbach-2025-md/agreement.md", "bergstrasse-2025-txt/agreement.txt"]
)
def test_spans_point_to_the_facts_in_the_source(case: str) -> None:
    agreement = parse_file(DOCUMENTS / case)
    text = agreement.source.text
    lines = text.split("\n")

    def quote(span: object) -> str:
        return text[span.start : span.end]  # type: ignore[attr-defined]

    assert quote(agreement.year.span) == "2025"
    assert quote(agreement.budget.span) == ("1.011.410" if "offenbach" in case else "1.230.450")
    assert (
        lines[agreement.budget.span.first_line - 1]
        .strip("* ")
        .startswith(quote(agreement.budget.span))
    )
    for bereich in agreement.massnahmenbereiche:
        assert quote(bereich.span) == bereich.title
        for projekt in bereich.projects:
            assert quote(projekt.span) == projekt.title
            assert projekt.title in lines[projekt.span.first_line - 1]
    for rechtskreis in agreement.rechtskreise:
        assert quote(rechtskreis.span) in {"II", "III", "VIII", "XII", "AsylbLG"}
    assert "Stadt Offenbach am Main" in quote(
        agreement.region.span
    ) or "Landkreis Bergstraße" in quote(agreement.region.span)
    first_signature = agreement.signatures[0].span
    assert lines[first_signature.first_line - 1].startswith("Wiesbaden, den ")


BERGSTRASSE_TEXT = (DOCUMENTS / "bergstrasse-2025-txt/agreement.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("dem Landkreis Bergstraße", "06431"),
        ("der Stadt Offenbach am Main", "06413"),
        ("dem Kreis Offenbach", "06438"),
        ("dem Landkreis Offenbach", "06438"),
        ("der Stadt Kassel", "06611"),
        ("der documenta-Stadt Kassel", "06611"),
        ("dem Landkreis Kassel", "06633"),
        ("der Wissenschaftsstadt Darmstadt", "06411"),
        ("dem Landkreis Darmstadt-Dieburg", "06432"),
        ("dem Main-Kinzig-Kreis", "06435"),
        ("der Landeshauptstadt Wiesbaden", "06414"),
        ("der Stadt Frankfurt am Main", "06412"),
        ("dem Werra-Meißner-Kreis", "06636"),
        ("dem Landkreis\nGießen", "06531"),
    ],
)
def test_the_region_resolves_to_its_district_key(phrase: str, key: str) -> None:
    text = BERGSTRASSE_TEXT.replace("dem Landkreis Bergstraße\n", phrase + "\n", 1)
    # The body and the signature name the same region (a document naming two is refused).
    named = re.sub(r"^(?:der|dem)\s+", "", phrase)
    text = re.sub(r"Landkreis(?:es)?\s+Bergstraße", named, text)
    assert parse_text(text).region.value.key == key


@pytest.mark.parametrize(
    ("phrase", "year", "message"),
    [
        ("dem Offenbach", 2025, "ambiguous Gebietskörperschaft 'Offenbach'"),
        ("der Stadt Hanau", 2025, "'Stadt Hanau' is not a Gebietskörperschaft in 2025"),
        ("der Stadt Hanau", 2026, "district key is not confirmed"),
        ("dem Landkreis Atlantis", 2025, "unknown Gebietskörperschaft 'Landkreis Atlantis'"),
    ],
)
def test_regions_that_do_not_resolve_are_refused(phrase: str, year: int, message: str) -> None:
    text = BERGSTRASSE_TEXT.replace("dem Landkreis Bergstraße\n", phrase + "\n", 1)
    text = text.replace("2025", str(year))
    with pytest.raises(ResolveError) as error:
        parse_text(text, "x.txt")
    assert message in str(error.value)
    assert str(error.value).startswith("x.txt:11: ")


def test_the_former_ministry_name_is_the_same_organisation() -> None:
    new = "Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales"
    text = BERGSTRASSE_TEXT.replace(new, "Hessischen Ministerium für Soziales und Integration")
    text = text.replace("2025", "2019").replace("2029", "2024")
    agreement = parse_text(text)
    assert agreement.ministry.value.slug == "hmsi"
    assert agreement.year.value == 2019
    assert agreement.bezugsrahmen[0].value == "buendnis-fuer-ausbildung-2019-2024"


def test_an_unknown_ministry_is_refused() -> None:
    text = BERGSTRASSE_TEXT.replace("Arbeit, Integration, Jugend und Soziales", "Glück", 1)
    with pytest.raises(
        ResolveError,
        match="unknown Ministerium 'dem Hessischen Ministerium für Glück'|unknown Ministerium",
    ):
        parse_text(text)


def test_layout_variants_of_the_list_and_amounts() -> None:
    text = (
        BERGSTRASSE_TEXT.replace("1.230.450 Euro", "987.350,00 EUR")
        .replace("1. Ausbildungsvorbereitung", "Maßnahmenart 1: Ausbildungsvorbereitung")
        .replace(" - Vorbereitung TZ Ausbildung", "• Vorbereitung TZ Aus-\nbildung")
        .replace(" - Jobdatings", "* Jobdatings")
        .replace("Wiesbaden, den 2.8.2025", "Wiesbaden, den 2. August 2025")
        .replace("\nSeite", "Seite")
    )
    lines = text.split("\n")
    lines.insert(40, "Seite 1 von 3")  # a page footer in the middle of the text
    agreement = parse_text("\n".join(lines))
    assert agreement.budget.value == Decimal("987350.00")
    assert [b.art.value for b in agreement.massnahmenbereiche] == [1, 2, 3, 4]
    first = agreement.massnahmenbereiche[0]
    assert [p.title for p in first.projects] == [
        "Vorbereitung TZ Ausbildung",
        "Ausbildungsvorbereitung",
    ]
    assert agreement.massnahmenbereiche[2].projects[-1].title == "Jobdatings"
    assert agreement.signatures[0].date == dt.date(2025, 8, 2)


_ART_3 = """3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung
 - Absolventenmanagement I
 - Sprachkursbegleitende Unterstützung Bensheim
 - Sprachkursbegleitende Unterstützung Viernheim
 - Digitalisierung Migration
 - Gesundheitsmaßnahme "Fit in den Beruf"
 - Jobdatings
"""
_ART_4 = "4. Weiterbildungsmaßnahmen für Personal der Landkreise"


def _line_of(text: str, start: str) -> int:
    return next(i for i, x in enumerate(text.split("\n"), start=1) if x.startswith(start))


def test_a_list_numbered_as_the_foerderrichtlinie_may_leave_a_massnahmenart_out() -> None:
    """1., 2., 4.: each number is its Maßnahmenart's own (as the Förderrichtlinie numbers the
    four), so the list says which it funds; the one left out is not listed."""
    assert _ART_3 in BERGSTRASSE_TEXT
    agreement = parse_text(BERGSTRASSE_TEXT.replace(_ART_3, ""))
    assert [b.art.value for b in agreement.massnahmenbereiche] == [1, 2, 4]
    assert [a.value for a in agreement.absent_massnahmenarten] == [3]
    assert [p.title for p in agreement.massnahmenbereiche[2].projects] == ["BASS Studium"]


def test_a_list_numbered_in_its_own_order_may_leave_a_massnahmenart_out() -> None:
    """1., 2., 3.: numbered in the list's own order, "3." is Maßnahmenart 4."""
    text = BERGSTRASSE_TEXT.replace(_ART_3, "").replace(_ART_4, "3" + _ART_4[1:])
    agreement = parse_text(text)
    assert [b.art.value for b in agreement.massnahmenbereiche] == [1, 2, 4]
    assert [a.value for a in agreement.absent_massnahmenarten] == [3]


def test_a_lost_heading_of_a_list_in_its_own_order_is_refused() -> None:
    """Numbered 1, 2, 3 in its own order (Maßnahmenart 2 not listed), the heading "2." lost:
    1, 3 where "3." is Maßnahmenart 4 is neither numbering, and its projects would stand
    under Maßnahmenart 1. Refused at the entry after the gap."""
    heading = "2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen\n"
    assert heading in BERGSTRASSE_TEXT
    text = (
        BERGSTRASSE_TEXT.replace(heading, "")
        .replace(_ART_3, _ART_3.replace("3. ", "2. ", 1))
        .replace(_ART_4, "3" + _ART_4[1:])
    )
    assert [b.art.value for b in parse_text(text).massnahmenbereiche] == [1, 3, 4]  # whole
    lost = _ART_3.replace("3. ", "2. ", 1).split("\n", 1)[0] + "\n"
    text = text.replace(lost, "")  # now the heading "2." is lost, its projects stay
    with pytest.raises(ParseError) as raised:
        parse_text(text, "lost.txt")
    message = str(raised.value)
    line = _line_of(text, "3. Weiterbildung")
    assert message.startswith(
        f"lost.txt:{line}: line in § 5 is Maßnahmenart number 3 after number 1:"
    )
    assert "missing or unreadable" in message and "\n" not in message


@pytest.mark.parametrize(
    ("edit", "number", "after"),
    [
        # "2." is Maßnahmenart 3: the numbers are neither the list's order nor their own.
        (lambda t: t.replace(_ART_3, _ART_3.replace("3. ", "2. ", 1)).replace(
            "2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen\n", ""
        ), 4, "after number 2"),
        # The Maßnahmenarten' own numbers, out of order.
        (lambda t: t.replace(_ART_3, "").replace(
            " - BASS Studium\n", " - BASS Studium\n" + _ART_3
        ), 4, "after number 2"),
        # No number 1: neither numbering.
        (lambda t: t.replace("1. Ausbildungsvorbereitung", "3. Ausbildungsvorbereitung"),
         3, "as the first"),
    ],
)  # fmt: skip
def test_a_list_numbered_neither_way_is_refused(edit: Any, number: int, after: str) -> None:
    text = edit(BERGSTRASSE_TEXT)
    with pytest.raises(ParseError) as raised:
        parse_text(text, "odd.txt")
    assert f"line in § 5 is Maßnahmenart number {number} {after}:" in str(raised.value)


@pytest.mark.parametrize(
    ("edit", "error", "message"),
    [
        (("1.230.450 Euro", "1.45O.700 Euro"), ParseError, "malformed amount '1.45O.700'"),
        (("1.230.450 Euro", "1.230,450,00 Euro"), ParseError, "malformed amount"),
        (("1.230.450 Euro", ""), ParseError, "no budget"),
        (("Zielvereinbarung", "Vereinbarung"), ParseError, "not a Zielvereinbarung"),
        (
            ("1. Ausbildungsvorbereitung", "1. Sonstiges"),
            ParseError,
            "line in § 5 is a numbered entry that is not a Maßnahmenart: '1. Sonstiges'",
        ),
        (
            ("1. Ausbildungsvorbereitung\n", ""),
            ParseError,
            "line in § 5 is a project before the first Maßnahmenart: '- Vorbereitung TZ",
        ),
        (
            (
                "2. Ausbildung und Ausbildungscoaching in anerkannten",
                "2. Ausbildungsvorbereitung in",
            ),
            ParseError,
            "listed twice",
        ),
        (("Heppenheim, den 8.8.2025", "Heppenheim, den 31.2.2025"), ParseError, "malformed date"),
    ],
)
def test_malformed_facts_are_refused_with_their_line(
    edit: tuple[str, str], error: type[Exception], message: str
) -> None:
    text = BERGSTRASSE_TEXT.replace(*edit)
    with pytest.raises(error) as raised:
        parse_text(text, "bad.txt")
    assert message in str(raised.value)
    assert str(raised.value).startswith("bad.txt:")
    assert "\n" not in str(raised.value)


def test_the_same_title_under_two_massnahmenarten_is_two_projects() -> None:
    """An offer may be funded under two Maßnahmenarten, each for its own group: published as
    two projects (their IRIs differ by Maßnahmenart and position); only a title repeated under
    one Maßnahmenart is refused (tests/documents/variants.py)."""
    line = " - Vorbereitung TZ Ausbildung\n"
    assert line in BERGSTRASSE_TEXT
    text = BERGSTRASSE_TEXT.replace(" - Jobdatings\n", " - Jobdatings\n" + line, 1)
    agreement = parse_text(text)
    titles = [(b.art.value, p.title) for b in agreement.massnahmenbereiche for p in b.projects]
    assert titles.count((1, "Vorbereitung TZ Ausbildung")) == 1
    assert titles.count((3, "Vorbereitung TZ Ausbildung")) == 1
    twice = text.replace(" - Jobdatings\n" + line, " - Jobdatings\n" + line + line, 1)
    with pytest.raises(ParseError, match="listed twice under Maßnahmenart 3"):
        parse_text(twice)
