"""Every supported layout gives exactly the facts of its fixture; contradictions are refused.

The variants come from ``tests/documents/variants.py``, which rewrites each valid fixture
(Markdown, plain text, text extracted from a PDF) into every layout class of README.md
("Supported document layouts"). Each variant is parsed by the real parser against the real
reference tables and compared with the parsed fixture, fact by fact; each broken variant must
be refused with one ``file:line: problem`` line naming the right line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aqb_rdf import resources
from aqb_rdf.errors import ParseError
from aqb_rdf.source.model import SourceDocument, Zielvereinbarung
from aqb_rdf.source.parsing import parse_agreement
from aqb_rdf.source.reading import read_document
from documents.variants import VARIANTS, Variant, broken_variants, structure, variants

DOCUMENTS = Path(__file__).parent / "documents"
REFERENCE = resources.reference()
FIXTURES = (
    "bergstrasse-2025-txt/agreement.txt",
    "offenbach-2025-md/agreement.md",
    "offenbach-2025-pdftext/agreement.txt",
)
OTHER_REGION = "Landkreis Gießen"


def parse_text(text: str, name: str = "variant.txt") -> Zielvereinbarung:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return parse_agreement(SourceDocument(name, name, "text/plain", digest, text), REFERENCE)


def facts(agreement: Zielvereinbarung) -> dict[str, object]:
    """Every fact of the model except where it stands (spans) and the Vertretungsvermerk."""
    authority = agreement.granting_authority
    return {
        "year": agreement.year.value,
        "ministry": agreement.ministry.value.slug,
        "key": agreement.region.value.key,
        "budget": agreement.budget.value,
        "massnahmenarten": [
            (b.art.value, b.title, [p.title for p in b.projects])
            for b in agreement.massnahmenbereiche
        ],
        "rechtskreise": [r.value for r in agreement.rechtskreise],
        "bezugsrahmen": [b.value for b in agreement.bezugsrahmen],
        "granting": (authority.value.slug if authority else None, agreement.granting_form),
        "signatures": [
            (s.place, s.date, s.person, s.role, s.organisation_text, s.organisation_slug)
            for s in agreement.signatures
        ],
    }


def fixture_text(case: str) -> str:
    return read_document(DOCUMENTS / case).text


CASES = [(case, variant) for case in FIXTURES for variant in VARIANTS]


@pytest.mark.parametrize(
    ("case", "variant"), CASES, ids=[f"{c.split('/')[0]}-{v.name}" for c, v in CASES]
)
def test_every_layout_variant_gives_the_facts_of_its_fixture(case: str, variant: Variant) -> None:
    text = fixture_text(case)
    expected = variant.expect(facts(parse_agreement(read_document(DOCUMENTS / case), REFERENCE)))
    rewritten = variants(text)[variant.name]
    agreement = parse_text(rewritten)
    assert facts(agreement) == expected
    ministry = [s for s in agreement.signatures if s.organisation_slug is not None]
    region = [s for s in agreement.signatures if s.organisation_slug is None]
    assert [s.on_behalf for s in ministry] == [variant.on_behalf]
    assert [s.on_behalf for s in region] == [variant.region_on_behalf]


@pytest.mark.parametrize("case", FIXTURES)
def test_the_generator_reads_the_whole_list(case: str) -> None:
    """The variants start from every entry of the fixture (or they would prove nothing)."""
    agreement = parse_agreement(read_document(DOCUMENTS / case), REFERENCE)
    entries = structure(fixture_text(case)).entries
    assert [(e.number, e.title, list(e.projects)) for e in entries] == [
        (b.art.value, b.title, [p.title for p in b.projects]) for b in agreement.massnahmenbereiche
    ]
    assert len(structure(fixture_text(case)).blocks) == 2


BROKEN = [
    (case, broken.name)
    for case in FIXTURES
    for broken in broken_variants(fixture_text(case), OTHER_REGION)
]


@pytest.mark.parametrize(
    ("case", "name"), BROKEN, ids=[f"{c.split('/')[0]}-{n}" for c, n in BROKEN]
)
def test_every_contradiction_is_refused_with_its_line(case: str, name: str) -> None:
    (broken,) = [b for b in broken_variants(fixture_text(case), OTHER_REGION) if b.name == name]
    with pytest.raises(ParseError) as raised:
        parse_text(broken.text, "broken.txt")
    message = str(raised.value)
    assert message.startswith(f"broken.txt:{broken.line}: "), message
    assert broken.message in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "year", "refused"),
    [
        ("Hessischen Sozialministerium", 2013, False),
        ("Hessischen Ministerium für Soziales und Integration", 2019, False),
        ("Hessischen Ministerium für Soziales und Integration", 2025, True),
        ("Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales", 2019, True),
    ],
)
def test_the_ministry_name_must_be_valid_when_it_is_used(
    name: str, year: int, refused: bool
) -> None:
    text = fixture_text("bergstrasse-2025-txt/agreement.txt")
    title = "dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales\n"
    text = text.replace(title, f"dem {name}\n", 1).replace("2025", str(year))
    text = text.replace("2029", str(year + 4))
    if refused:
        with pytest.raises(ParseError) as raised:
            parse_text(text, "named.txt")
        assert str(raised.value).startswith("named.txt:9: the ministry was not called"), str(
            raised.value
        )
        return
    agreement = parse_text(text)
    assert agreement.ministry.value.slug == "hmsi"
    assert agreement.ministry_as_written is not None
    assert agreement.ministry_as_written.value == name
