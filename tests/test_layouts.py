"""Every supported layout gives exactly the facts of its fixture; contradictions are refused.

The variants come from ``tests/documents/variants.py``, which rewrites each valid fixture
(Markdown, plain text, text extracted from a PDF) into every layout class of README.md
("Supported document layouts"). Each variant is parsed by the real parser against the real
reference tables and compared with the parsed fixture, fact by fact; each broken variant must
be refused with one ``file:line: problem`` line naming the right line.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import XSD

from aqb_rdf import resources
from aqb_rdf.errors import ParseError
from aqb_rdf.mapping.graphs import agreement_to_graph
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.source.model import SourceDocument, Zielvereinbarung
from aqb_rdf.source.parsing import parse_agreement
from aqb_rdf.source.reading import read_document
from documents.variants import (
    VARIANTS,
    Variant,
    broken_variants,
    render,
    structure,
    variants,
    with_term,
)

OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")

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
        "amounts": [
            [p.amount.value if p.amount else None for p in b.projects]
            for b in agreement.massnahmenbereiche
        ],
        "rechtskreise": [r.value for r in agreement.rechtskreise],
        "bezugsrahmen": [b.value for b in agreement.bezugsrahmen],
        "granting": (
            authority.value.slug if authority else None,
            agreement.granting_form and agreement.granting_form.value,
        ),
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
        # Signed on 2 August: before the name came back (31 August 2010), after it ended.
        ("Hessischen Sozialministerium", 2010, True),
        ("Hessischen Sozialministerium", 2014, True),
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


BERGSTRASSE = "bergstrasse-2025-txt/agreement.txt"


def test_a_hanging_indent_continues_the_bullet_above() -> None:
    text = fixture_text(BERGSTRASSE).replace(
        " - Sprachkursbegleitende Unterstützung Bensheim\n",
        " - Sprachkursbegleitende Unterstützung\n   Bensheim\n",
    )
    projects = [p.title for p in parse_text(text).massnahmenbereiche[2].projects]
    assert projects[1] == "Sprachkursbegleitende Unterstützung Bensheim"
    assert "Bensheim" not in projects


@pytest.mark.parametrize(
    "edit",
    [
        # exactly under the title: a wrapped title or a project? Not guessed.
        (" - Jobdatings\n", " - Jobdatings\n4. Weiterbildungsmaßnahmen\n   Jobbörse\n"),
        # left of the bullet's text: neither its continuation nor a project
        (" - Jobdatings\n", " - Jobdatings\n  Jobbörse\n"),
    ],
)
def test_a_plain_line_whose_place_is_unclear_is_refused(edit: tuple[str, str]) -> None:
    text = fixture_text(BERGSTRASSE).replace(*edit)
    line = text.split("\n").index("   Jobbörse" if "4." in edit[1] else "  Jobbörse") + 1
    with pytest.raises(ParseError) as raised:
        parse_text(text, "unclear.txt")
    assert str(raised.value).startswith(f"unclear.txt:{line}: line in § 5 is ")


def test_listed_without_projects_and_not_listed_are_published_as_such() -> None:
    text = fixture_text(BERGSTRASSE)
    title_3 = "3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung\n"
    start = text.index(title_3)
    end = text.index("4. Weiterbildungsmaßnahmen")
    # Maßnahmenart 3 with its projects: not listed at all (the list goes on numbered 3.)
    text = text[:start] + text[end:].replace("4. Weiterbildungs", "3. Weiterbildungs", 1)
    text = text.replace(
        "2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen\n",
        "2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen\n - entfällt\n",
    )
    agreement = parse_text(text)
    assert [b.art.value for b in agreement.massnahmenbereiche] == [1, 2, 4]
    assert agreement.massnahmenbereiche[1].projects == ()
    assert [a.value for a in agreement.absent_massnahmenarten] == [3]
    iris = Iris()
    graph = agreement_to_graph(agreement, iris)
    zv = iris.agreement(2025, "06431")
    assert set(graph.objects(zv, iris.aqb.nichtAufgefuehrt)) == {URIRef(iris.massnahmenart(3))}
    counts = {
        int(str(graph.value(b, iris.aqb.massnahmenart)).rsplit("/", 1)[1]): graph.value(
            b, iris.aqb.anzahlProjekte
        )
        for b in graph.objects(zv, iris.aqb.massnahmenbereich)
    }
    assert counts == {n: Literal(c, datatype=XSD.integer) for n, c in ((1, 2), (2, 0), (4, 1))}


def test_the_names_as_written_and_the_vertretungsvermerk_are_published() -> None:
    (variant,) = [v for v in VARIANTS if v.name == "in-vertretung"]
    agreement = parse_text(variants(fixture_text(BERGSTRASSE))[variant.name])
    iris = Iris()
    graph = agreement_to_graph(agreement, iris)
    zv = iris.agreement(2025, "06431")
    written = str(graph.value(zv, iris.aqb.ministeriumLaut))
    assert written == "Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales"
    assert str(graph.value(zv, iris.aqb.gebietskoerperschaftLaut)) == "Landkreis Bergstraße"
    notes = {str(o) for o in graph.objects(None, iris.aqb.vertretungsvermerk)}
    assert notes == {"In Vertretung"}


def test_a_pdf_with_signature_blocks_side_by_side_gives_the_facts_of_the_stacked_one() -> None:
    stacked = parse_agreement(
        read_document(DOCUMENTS / "bergstrasse-2025-pdf/agreement.pdf"), REFERENCE
    )
    side_by_side = read_document(DOCUMENTS / "bergstrasse-2025-pdf-two-column/agreement.pdf")
    assert facts(parse_agreement(side_by_side, REFERENCE)) == facts(stacked)


def test_a_pdf_of_another_writer_gives_the_facts_of_the_stacked_one() -> None:
    """Chromium's PDF (Skia; the others are fpdf2's): the signature blocks side by side in a
    table, a page break with footer and running header inside the § 5 list, ligatures."""
    path = DOCUMENTS / "bergstrasse-2025-pdf-chromium/agreement.pdf"
    assert b"Skia/PDF" in path.read_bytes()  # the writer, as the file names it
    last = PdfReader(path).pages[-1].extract_text(extraction_mode="layout")
    assert re.search(r"Wiesbaden, den 2\.8\.2025 {3,}Heppenheim, den 8\.8\.2025", last)
    document = read_document(path)
    assert "- 2 -" in document.text and "\ufb01" not in document.text
    stacked = read_document(DOCUMENTS / "bergstrasse-2025-pdf/agreement.pdf")
    assert facts(parse_agreement(document, REFERENCE)) == facts(parse_agreement(stacked, REFERENCE))


def test_signature_blocks_merged_into_one_line_are_refused() -> None:
    text = variants(fixture_text(BERGSTRASSE))["two-column-signatures"]
    merged = re_collapse(text)
    line = next(n for n, t in enumerate(merged.split("\n"), 1) if t.count(", den ") == 2)
    with pytest.raises(ParseError) as raised:
        parse_text(merged, "merged.txt")
    assert str(raised.value).startswith(f"merged.txt:{line}: two signature blocks on one line")


def re_collapse(text: str) -> str:
    """Runs of spaces inside lines → one space, as plain PDF extraction gives them."""
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


@pytest.mark.parametrize(
    "sentence",
    [
        "Die Förderung erfolgt durch Bescheid des RP Kassel.",
        "Über die Förderung entscheidet das Regierungspräsidium Kassel per Bewilligungsbescheid.",
        "Die Förderung erfolgt nach dem Bewilligungsbescheid des Regierungspräsidiums Kassel.",
    ],
)
def test_the_granting_authority_is_read_before_or_after_the_bescheid(sentence: str) -> None:
    text = fixture_text(BERGSTRASSE)
    closing = re.search(r"Die Förderung der aufgeführten.*?Bescheides\.", text, re.DOTALL)
    assert closing is not None
    agreement = parse_text(text.replace(closing.group(), sentence))
    assert agreement.granting_authority is not None
    assert agreement.granting_authority.value.slug == "rp-kassel"
    assert agreement.granting_form and agreement.granting_form.value == "Bescheid"


@pytest.mark.parametrize(
    ("town", "refused"),
    [
        ("der Universitätsstadt Gießen", False),  # a town in a Landkreis, not a region
        ("der Stadt Hanau", False),  # kreisfrei only from 2026
        ("der Wissenschaftsstadt Darmstadt", True),  # another region
        ("dem Kreis Offenbach", True),
    ],
)
def test_only_another_region_of_the_year_contradicts_the_title(town: str, refused: bool) -> None:
    text = fixture_text(BERGSTRASSE)
    anchor = "Im Jahr 2025 werden im Rahmen des AQB"
    sentence = f"Dabei arbeitet der Landkreis Bergstraße mit {town} zusammen. "
    text = text.replace(anchor, sentence + anchor, 1)
    line = text.split("\n").index(next(t for t in text.split("\n") if sentence in t)) + 1
    if not refused:
        assert parse_text(text).region.value.key == "06431"
        return
    with pytest.raises(ParseError) as raised:
        parse_text(text, "other.txt")
    assert str(raised.value).startswith(f"other.txt:{line}: § 2 names ")


def test_a_project_amount_is_a_fact_of_its_own_with_its_own_quote() -> None:
    """Issue 9: "Jobcoach (120.000 Euro)" is the project "Jobcoach" with aqb:betrag 120000,
    each quoted by its own Fundstelle."""
    text = fixture_text(BERGSTRASSE).replace(" - Jobdatings\n", " - Jobdatings (120.000 Euro)\n")
    agreement = parse_text(text)
    project = agreement.massnahmenbereiche[2].projects[-1]
    assert project.title == "Jobdatings"
    assert project.amount is not None and project.amount.value == Decimal("120000.00")
    iris = Iris()
    graph = agreement_to_graph(agreement, iris)
    p = URIRef(iris.projekt(iris.agreement(2025, "06431"), 3, 6))
    assert str(graph.value(p, SCHEMA.name)) == "Jobdatings"
    assert graph.value(p, iris.aqb.betrag) == Literal("120000", datatype=XSD.decimal)
    quotes = {}
    for fundstelle in graph.subjects(iris.aqb.belegt, p):
        for selector in graph.objects(fundstelle, OA.hasSelector):
            if (exact := graph.value(selector, OA.exact)) is not None:
                quotes[graph.value(fundstelle, iris.aqb.eigenschaft)] = str(exact)
    assert quotes == {None: "Jobdatings", iris.aqb.betrag: "120.000"}


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Jobdatings (12O.000 Euro)", "malformed amount '12O.000' of the project"),
        ("Jobdatings (ca. 12.000 Euro)", "malformed amount 'ca. 12.000' of the project"),
        ("(12.000 Euro)", "a project with an amount but no title"),
    ],
)
def test_a_project_amount_that_does_not_parse_is_refused(written: str, message: str) -> None:
    text = fixture_text(BERGSTRASSE).replace(" - Jobdatings\n", f" - {written}\n")
    line = text.split("\n").index(f" - {written}") + 1
    with pytest.raises(ParseError) as raised:
        parse_text(text, "amount.txt")
    assert str(raised.value).startswith(f"amount.txt:{line}: {message}")


# --- README.md "Supported document layouts": every row shown by variants, every example real --

README = Path(__file__).resolve().parent.parent / "README.md"
LAYOUT_ROWS: dict[str, tuple[str, ...]] = {
    "Maßnahmenart numbered": (
        "as-is", "numbers-with-parenthesis", "numbers-with-dash", "roman-numbers", "bold-numbers",
        "maßnahmenart-numbers",
    ),
    "a Maßnahmenart left out": (
        "left-out-numbered-by-massnahmenart", "left-out-numbered-in-own-order",
    ),
    "Maßnahmenart as heading or bold paragraph": ("heading-items", "bold-paragraphs"),
    "section number and title on one line": (
        "section-titles-on-the-heading-line", "section-titles-after-a-dash",
    ),
    "projects as bullets": (
        "as-is", "star-bullets", "dot-bullets", "square-bullets", "dash-bullets", "o-bullets",
    ),
    "projects as letters or sub-numbers": (
        "letter-items", "double-letter-items", "letters-in-parentheses", "letters-with-dot",
        "sub-numbers",
    ),
    "projects as plain indented lines": ("indented-plain-projects",),
    "no project stated in words": ("no-project-keine", "no-project-entfaellt", "no-project-dots"),
    "an amount after a project's title": (
        "project-amounts-in-parentheses", "project-amounts-after-a-dash",
        "project-amounts-eur-first",
    ),
    "hard-wrapped titles": ("hard-wrapped-titles",),
    "hyphenation": ("hyphenated-titles",),
    "page footers": (
        "page-breaks-dash-footer-title-header", "page-breaks-seite-footer-running-header",
        "page-breaks-slash-footer", "page-breaks-number-only",
    ),
    "running page headers": (
        "page-breaks-dash-footer-title-header", "page-breaks-seite-footer-running-header",
        "page-breaks-slash-footer", "page-breaks-number-only",
    ),
    "two-column blocks (PDF text)": ("two-column-signatures", "two-column-signatures-with-notes"),
    # The PDF itself: test_a_pdf_with_signature_blocks_side_by_side_gives_the_facts_of_the_stacked_one,
    # test_a_pdf_of_another_writer_gives_the_facts_of_the_stacked_one and
    # test_signature_blocks_merged_into_one_line_are_refused; its text is the variant's.
    "signature blocks side by side in a PDF": ("two-column-signatures",),
    "signature with Vertretungsvermerk": (
        "in-vertretung", "i-v-inline", "fuer-das-land-hessen", "two-column-signatures-with-notes",
    ),
    "handwritten name above the printed one": ("as-is",),
    "role above the name": ("role-above-name",),
    "minister's title instead of the ministry": ("minister-title",),
    "party of a signature": (
        "as-is", "signed-for-hmsi", "signed-for-land-hessen",
        "signed-for-the-ministry-in-the-genitive",
    ),
    "granting authority": ("as-is", "bewilligungsbescheid", "bescheid-des-rp"),
}  # fmt: skip


def layout_table() -> list[tuple[str, str, str]]:
    """The rows (layout class, example, how it is read) of the README's layout table."""
    section = README.read_text(encoding="utf-8").split("### Supported document layouts", 1)[1]
    rows = []
    for line in section.split("\n\n", 2)[2].splitlines():
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if cells[0] not in ("layout class", "---|---|---") and not set(cells[0]) <= {"-", "|"}:
            rows.append((cells[0], cells[1], cells[2]))
    return rows


def test_every_row_of_the_readme_layout_table_is_a_tested_variant() -> None:
    rows = [name for name, _, _ in layout_table()]
    assert len(rows) == len(set(rows)) > 15
    assert set(rows) == set(LAYOUT_ROWS), "a row of the README without variants, or stale"
    shown = {name for names in LAYOUT_ROWS.values() for name in names}
    assert shown == {v.name for v in VARIANTS}, "a variant no row of the README names"


@pytest.mark.parametrize(("row", "example", "how"), layout_table(), ids=lambda x: str(x)[:30])
def test_every_example_of_the_readme_layout_table_is_in_a_variant(
    row: str, example: str, how: str
) -> None:
    """Each `example` of the row (… stands for any text) stands in the text of one of its
    variants, whose facts test_every_layout_variant_gives_the_facts_of_its_fixture checks."""
    texts = [
        " ".join(variants(fixture_text(case))[name].split())
        for case in FIXTURES
        for name in LAYOUT_ROWS.get(row, ())
    ]
    examples = re.findall(r"`([^`]+)`", example)
    assert examples or row == "signature blocks side by side in a PDF", row
    for written in examples:
        pattern = ".*?".join(re.escape(" ".join(part.split())) for part in written.split("…"))
        assert any(re.search(pattern, text) for text in texts), f"{row}: {written!r}"


@pytest.mark.parametrize("case", FIXTURES)
def test_a_term_stated_as_the_budget_year_gives_the_same_facts(case: str) -> None:
    """The term is derived from the year (an aqb:Herleitung says so); a document stating that
    same term gives the facts of one without it, and one stating another is refused
    (``term-not-the-budget-year`` among the broken variants)."""
    text = render(structure(fixture_text(case)))
    plain = parse_text(text)
    year = plain.year.value
    stated = with_term(text, year, f"1. Januar {year}", f"31.12.{year}")
    assert "Die Laufzeit dieser Zielvereinbarung" in stated
    assert facts(parse_text(stated)) == facts(plain)
