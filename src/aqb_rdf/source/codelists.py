"""Closed sets the agreements refer to: Maßnahmenarten, legal spheres, programmes and frameworks.

Each entry knows how documents write it (patterns, spelling variants) and its labels in German
and English; the mapping publishes the labels, the parser uses the patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aqb_rdf.source.model import Massnahmenart

MASSNAHMENART_LABELS: dict[Massnahmenart, tuple[str, str]] = {
    Massnahmenart.AUSBILDUNGSVORBEREITUNG: ("Ausbildungsvorbereitung", "Preparation for training"),
    Massnahmenart.AUSBILDUNG_UND_COACHING: (
        "Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
        "Vocational training and training coaching in recognised occupations",
    ),
    Massnahmenart.QUALIFIZIERUNGSPROJEKTE: (
        "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
        "Qualification projects for labour-market integration and securing skilled workers",
    ),
    Massnahmenart.WEITERBILDUNG_PERSONAL: (
        "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte",
        "Further training for staff of the districts and district-free cities",
    ),
}


def classify_massnahmenart(title: str) -> Massnahmenart | None:
    """The Maßnahmenart a § 5 list title names, tolerant of spelling variants.

    Checked from the most specific wording to the least, because titles share words:
    "Ausbildungs- und Qualifizierungsvorbereitung" is Maßnahmenart 1, not 2 or 3.
    """
    text = re.sub(r"\s+", " ", title.lower())
    if "weiterbildung" in text:
        return Massnahmenart.WEITERBILDUNG_PERSONAL
    if re.search(r"qualifizierungsprojekt|arbeitsmarktintegration|fachkräftesicherung", text):
        return Massnahmenart.QUALIFIZIERUNGSPROJEKTE
    if re.search(r"ausbildungs-?\s?[ck]oaching|^ausbildung und\b|ausbildungsbegleitung", text):
        return Massnahmenart.AUSBILDUNG_UND_COACHING
    if "vorbereitung" in text:
        return Massnahmenart.AUSBILDUNGSVORBEREITUNG
    return None


# Legal spheres: the books of the Sozialgesetzbuch, and the Asylbewerberleistungsgesetz.
SGB_BOOKS = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
]
SGB_TITLES: dict[str, tuple[str, str]] = {
    "II": ("Bürgergeld, Grundsicherung für Arbeitsuchende", "Basic income support for jobseekers"),
    "III": ("Arbeitsförderung", "Employment promotion"),
    "VIII": ("Kinder- und Jugendhilfe", "Child and youth welfare"),
    "XII": ("Sozialhilfe", "Social assistance"),
}
ASYLBLG = "AsylbLG"


def rechtskreis_slug(code: str) -> str:
    """``"SGB II"`` → ``"sgb-ii"``, ``"AsylbLG"`` → ``"asylblg"``."""
    return code.lower().replace(" ", "-")


@dataclass(frozen=True)
class Bezugsrahmen:
    """A programme or framework agreements refer to."""

    slug: str
    pattern: re.Pattern[str]
    label_de: str
    label_en: str


BEZUGSRAHMEN: tuple[Bezugsrahmen, ...] = (
    Bezugsrahmen(
        "buendnis-fuer-ausbildung",
        re.compile(
            r"Bündnis(?:ses)?\s+für\s+Ausbildung(?:\s+für\s+die\s+Jahre\s+"
            r"(?P<start>\d{4})\s*(?:bis|-|–)\s*(?P<end>\d{4}))?"
        ),
        "Bündnis für Ausbildung",
        "Alliance for vocational training",
    ),
    Bezugsrahmen(
        "fachkonzept-arbeitswelt-hessen",
        re.compile(r"Fachkonzept\s+[„\"“]?Arbeitswelt\s+Hessen"),
        "Fachkonzept „Arbeitswelt Hessen“",
        "Policy concept “Arbeitswelt Hessen”",
    ),
    Bezugsrahmen(
        "un-behindertenrechtskonvention",
        re.compile(r"UN-\s?Behindertenrechtskonvention"),
        "UN-Behindertenrechtskonvention",
        "UN Convention on the Rights of Persons with Disabilities",
    ),
    Bezugsrahmen(
        "servicestelle-teilzeitausbildung",
        re.compile(r"Servicestelle\s+Teilzeit-?\s?[Aa]usbildung"),
        "Servicestelle Teilzeit-Ausbildung",
        "Part-time vocational training service centre",
    ),
    Bezugsrahmen(
        "esf-hessen",
        re.compile(r"\bESF\s+Hessen\b"),
        "ESF Hessen (Europäischer Sozialfonds in Hessen)",
        "ESF Hessen (European Social Fund in Hessen)",
    ),
    Bezugsrahmen(
        "olov-steuerungsgruppen",
        re.compile(r"\bOloV-?\s?Steuerungsgruppen?\b"),
        "OloV-Steuerungsgruppen (Optimierung der lokalen Vermittlungsarbeit)",
        "OloV steering groups (optimising local placement in training)",
    ),
)


def bezugsrahmen_label(slug: str, language: str) -> str:
    """Label of a Bezugsrahmen slug, including a period suffix such as ``-2025-2029``."""
    for entry in BEZUGSRAHMEN:
        if slug == entry.slug or slug.startswith(entry.slug + "-"):
            label = entry.label_de if language == "de" else entry.label_en
            period = slug[len(entry.slug) + 1 :]
            return f"{label} {period.replace('-', '–')}" if period else label
    raise KeyError(slug)
