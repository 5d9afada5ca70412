"""The one place that mints IRIs (pure).

Things live under ``{base}id/``, terms under ``{base}def/``, named graphs under ``{base}graph/``.
Every IRI is built from stable facts (year, district key, document order, slugs from the
reference tables), so the same input always yields the same IRIs.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef

DEFAULT_BASE = "https://aqb-rdf.example/"
"""The base the ontology, shapes and queries are written with; outputs are rebased from it."""

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def check_base(base: str) -> str:
    """``base`` if it is an absolute http(s) IRI ending in ``/``; ValueError otherwise."""
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+/", base):
        raise ValueError(f"base IRI must be an absolute http(s) IRI ending in '/': {base!r}")
    return base


def slug(text: str) -> str:
    """A readable IRI segment: ``"Bündnis für Ausbildung"`` → ``"buendnis-fuer-ausbildung"``."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLITERATION))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class Iris:
    """IRIs of one dataset, under ``base``."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)
        self.aqb = Namespace(f"{base}def/aqb#")
        self.ontology = URIRef(f"{base}def/aqb")
        self.massnahmenart_scheme = URIRef(f"{base}def/massnahmenart")
        self.rechtskreis_scheme = URIRef(f"{base}def/rechtskreis")
        self.reference_graph = URIRef(f"{base}graph/reference")
        self.ontology_graph = URIRef(f"{base}graph/ontology")

    @property
    def prefixes(self) -> dict[str, str]:
        return {
            "aqb": str(self.aqb),
            "mart": f"{self.base}def/massnahmenart/",
            "rk": f"{self.base}def/rechtskreis/",
        }

    def agreement(self, year: int, key: str) -> URIRef:
        return URIRef(f"{self.base}id/zielvereinbarung/{year}/{key}")

    def agreement_graph(self, year: int, key: str) -> URIRef:
        return URIRef(f"{self.base}graph/zielvereinbarung/{year}/{key}")

    @staticmethod
    def budget(agreement: URIRef) -> URIRef:
        return URIRef(f"{agreement}/budget")

    @staticmethod
    def massnahmenbereich(agreement: URIRef, number: int) -> URIRef:
        return URIRef(f"{agreement}/massnahmenart/{number}")

    @staticmethod
    def projekt(agreement: URIRef, number: int, position: int) -> URIRef:
        return URIRef(f"{agreement}/massnahmenart/{number}/projekt/{position}")

    @staticmethod
    def unterzeichnung(agreement: URIRef, position: int) -> URIRef:
        return URIRef(f"{agreement}/unterzeichnung/{position}")

    @staticmethod
    def fundstelle(agreement: URIRef, name: str) -> URIRef:
        return URIRef(f"{agreement}/fundstelle/{name}")

    def dokument(self, sha256: str) -> URIRef:
        return URIRef(f"{self.base}id/dokument/{sha256[:16]}")

    def region(self, key: str) -> URIRef:
        return URIRef(f"{self.base}id/gebietskoerperschaft/{key}")

    def organisation(self, slug_: str) -> URIRef:
        return URIRef(f"{self.base}id/organisation/{slug_}")

    def bezugsrahmen(self, slug_: str) -> URIRef:
        return URIRef(f"{self.base}id/bezugsrahmen/{slug_}")

    def massnahmenart(self, number: int) -> URIRef:
        return URIRef(f"{self.base}def/massnahmenart/{number}")

    def rechtskreis(self, slug_: str) -> URIRef:
        return URIRef(f"{self.base}def/rechtskreis/{slug_}")

    def rebase(self, iri: str) -> str:
        """An IRI written under :data:`DEFAULT_BASE` (ontology, shapes) moved to this base."""
        if iri.startswith(DEFAULT_BASE):
            return self.base + iri[len(DEFAULT_BASE) :]
        return iri
