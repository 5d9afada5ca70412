"""Which lines open a section (``§ N``): where the number stands alone, or with its title on
a line the document marks as a heading, never where a sentence merely starts with it."""

from __future__ import annotations

import pytest

from aqb_rdf.source.layout import FlowText, clean_lines, sections


def _sections(text: str) -> list[str]:
    return list(sections(FlowText(clean_lines(text))))


@pytest.mark.parametrize(
    "heading",
    [
        "§ 4",
        "## § 4 Haushaltsmittel und Eckdaten",
        "**§ 4 Haushaltsmittel und Eckdaten**",
        "§ 4 Haushaltsmittel und Eckdaten",
        "§ 4. Haushaltsmittel und Eckdaten",
        "§ 4 – Haushaltsmittel und Eckdaten",
    ],
)
def test_a_heading_opens_its_section(heading: str) -> None:
    text = f"Präambel.\n\n{heading}\n\nDas HMSI stellt 1.000 Euro zur Verfügung.\n"
    assert _sections(text) == ["4"]


@pytest.mark.parametrize(
    "text",
    [
        # a wrapped sentence whose second line starts with a section reference
        "Die Ziele werden nach\n§ 5 Satz 1 genannten Kriterien\nbeurteilt.\n",
        # a paragraph of one line, a sentence
        "Einleitung.\n\n§ 5 Satz 1 gilt entsprechend.\n\nSchluss.\n",
        # a title too long for a heading
        "Einleitung.\n\n§ 5 " + "Sehr lange Überschrift " * 5 + "ohne Ende\n\nSchluss.\n",
        # lower case after the number: a sentence's words
        "Einleitung.\n\n§ 5 genannten Ziele\n\nSchluss.\n",
    ],
)
def test_a_sentence_starting_with_a_section_number_opens_none(text: str) -> None:
    assert _sections(text) == []


def test_a_titled_line_naming_an_earlier_section_ends_none() -> None:
    """Inside § 5, a bold line citing § 4 does not cut § 5 short."""
    text = "§ 4\n\nBudget.\n\n§ 5\n\nZiele.\n\n**§ 4 Absatz 2 BHO**\n\nWeiter in § 5.\n"
    flow = FlowText(clean_lines(text))
    ranges = sections(flow)
    assert list(ranges) == ["4", "5"]
    start, end = ranges["5"]
    assert "Weiter in § 5." in flow.text[start:end]
