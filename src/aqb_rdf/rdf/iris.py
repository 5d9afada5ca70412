"""The one place that mints IRIs (pure).

Things live under ``{base}id/``, terms under ``{base}def/``, named graphs under ``{base}graph/``.
Every IRI is built from stable facts (year, district key, document order, slugs from the
reference tables), so the same input always yields the same IRIs.

The release describes itself under the base too: the DCAT catalogue ``{base}catalog`` (its
dataset service and distributions as fragments), the VoID dataset
``{base}.well-known/void#dataset``, the SPARQL endpoint ``{base}sparql``, the editor
``{base}query`` and the downloads ``{base}download/{file}``. The server maps the base to its
root, so each of these is also where the server answers.

The ontology, shapes and named queries are written under :data:`DEFAULT_BASE`;
:meth:`Iris.rebase` and :meth:`Iris.rebase_text` move them to another base.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef

from aqb_rdf.rdf import files
from aqb_rdf.rdf.base import DEFAULT_BASE, check_base, rebase_text

__all__ = ["DEFAULT_BASE", "Iris", "check_base", "dokument_segment", "slug"]

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def dokument_segment(sha256: str) -> str:
    """The IRI segment (and file stem) of a document: the first 16 hex digits of its SHA-256."""
    return sha256[:16]


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
        self.cube_graph = URIRef(f"{base}graph/datenwuerfel")
        self.cube = Namespace(f"{base}def/datenwuerfel#")
        """The terms of the budget cube: its structure, dimensions and measure."""
        self.cube_dataset = URIRef(f"{base}id/datenwuerfel/budget")

    @property
    def graph_namespace(self) -> str:
        """``{base}graph/``: every named graph of the release is under it."""
        return f"{self.base}graph/"

    @property
    def homepage(self) -> URIRef:
        """The landing page of the dataset: the base itself (the server's root)."""
        return URIRef(self.base)

    @property
    def catalog(self) -> URIRef:
        """The DCAT catalogue, ``{base}catalog``; the server answers it at ``/catalog``."""
        return URIRef(f"{self.base}catalog")

    @property
    def dataset(self) -> URIRef:
        """The dataset, ``{base}.well-known/void#dataset``, as VoID and DCAT describe it."""
        return URIRef(f"{self.void_description}#dataset")

    @property
    def void_description(self) -> URIRef:
        """The VoID description, ``{base}.well-known/void``."""
        return URIRef(f"{self.base}.well-known/void")

    @property
    def data_service(self) -> URIRef:
        """The SPARQL endpoint as a DCAT data service, ``{base}catalog#sparql``."""
        return URIRef(f"{self.catalog}#sparql")

    @property
    def temporal_coverage(self) -> URIRef:
        """The period the agreements cover, ``{base}catalog#temporal-coverage``."""
        return URIRef(f"{self.catalog}#temporal-coverage")

    def observation(self, year: int, key: str) -> URIRef:
        """One cell of the budget cube: a region's budget in a year."""
        return URIRef(f"{self.cube_dataset}/{year}/{key}")

    def version(self, version: str) -> URIRef:
        """One release of the dataset as a DCAT 3 version, ``{base}catalog#version-{version}``."""
        return URIRef(f"{self.catalog}#version-{version}")

    def distribution(self, name: str) -> URIRef:
        """``{base}catalog#distribution-aqb-ttl`` for the dump ``aqb.ttl``."""
        return URIRef(f"{self.catalog}#distribution-{name.replace('.', '-')}")

    def checksum(self, name: str) -> URIRef:
        """The SHA-256 checksum of the dump ``name``: its distribution's IRI + ``-sha256``."""
        return URIRef(f"{self.distribution(name)}-sha256")

    def download(self, name: str) -> URIRef:
        """Where the file ``name`` of the release is downloaded: ``{base}download/{name}``."""
        return URIRef(f"{self.base}download/{name}")

    @property
    def endpoint(self) -> URIRef:
        """The SPARQL endpoint, ``{base}sparql``."""
        return URIRef(f"{self.base}sparql")

    @property
    def query_editor(self) -> URIRef:
        """The SPARQL editor for people, ``{base}query``."""
        return URIRef(f"{self.base}query")

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

    @staticmethod
    def herleitung(agreement: URIRef, name: str) -> URIRef:
        """A fact the build derives rather than reads (``aqb:Herleitung``), named like the
        Fundstelle of a fact that is read."""
        return URIRef(f"{agreement}/herleitung/{name}")

    def dokument(self, sha256: str) -> URIRef:
        """The source document, ``{base}id/dokument/{first 16 hex digits of its SHA-256}``."""
        return URIRef(f"{self.base}id/dokument/{dokument_segment(sha256)}")

    def dokument_text(self, sha256: str) -> URIRef:
        """The document's decoded text as the release publishes it (what offsets count in)."""
        return self.download(files.document_text(dokument_segment(sha256)))

    def dokument_original(self, sha256: str, media_type: str) -> URIRef:
        """The document's original file as the release publishes it."""
        return self.download(files.document_original(dokument_segment(sha256), media_type))

    def dokument_of_text(self, text: str) -> URIRef | None:
        """The document whose published text is ``text`` (:meth:`dokument_text`), or None."""
        prefix = str(self.download(f"{files.DOCUMENTS_FOLDER}/"))
        segment = text[len(prefix) :].removesuffix(".txt") if text.startswith(prefix) else ""
        if not segment or not text.endswith(".txt") or "/" in segment or "." in segment:
            return None
        return URIRef(f"{self.base}id/dokument/{segment}")

    @staticmethod
    def checksum_of(resource: URIRef) -> URIRef:
        """The SHA-256 checksum of a resource described here: ``{resource}#sha256``."""
        return URIRef(f"{resource}#sha256")

    @staticmethod
    def selector(fundstelle: URIRef, kind: str) -> URIRef:
        """A selector of a Fundstelle: ``{fundstelle}#zitat`` (quote), ``#position``."""
        return URIRef(f"{fundstelle}#{kind}")

    def region(self, key: str) -> URIRef:
        return URIRef(f"{self.base}id/gebietskoerperschaft/{key}")

    def organisation(self, slug_: str) -> URIRef:
        return URIRef(f"{self.base}id/organisation/{slug_}")

    @staticmethod
    def organisation_name(organisation: URIRef, name: str, lang: str) -> URIRef:
        """One name an organisation bore, in one language: ``{organisation}#name-{slug of
        the German name}-{lang}`` (``hmsi#name-hessisches-sozialministerium-en``). Keyed by
        the German name, not by position or date, so a name keeps its IRI when an older
        name is added to the table or the current one ends."""
        return URIRef(f"{organisation}#name-{slug(name)}-{lang}")

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

    def rebase_text(self, text: str) -> str:
        """Text written under :data:`DEFAULT_BASE` (a named query, a definition that cites a
        namespace) with every occurrence of that base replaced by this one."""
        return rebase_text(text, self.base)
