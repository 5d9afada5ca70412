"""Names for the terms the pages show: prefixes, and German and English labels (pure).

The labels of the dataset's own classes and properties come from the ontology in the
release (``queries/vocabulary-labels.rq``, read once per release); the few reused terms of
other vocabularies that the pages name get their labels here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import (
    DCTERMS,
    OWL,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    STANDARD_PREFIXES,
    VANN,
    VOID,
)

EXTERNAL_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    RDF + "type": ("Typ", "type"),
    RDFS + "label": ("Bezeichnung", "label"),
    RDFS + "comment": ("Kommentar", "comment"),
    RDFS + "seeAlso": ("siehe auch", "see also"),
    RDFS + "isDefinedBy": ("definiert in", "defined by"),
    RDFS + "subClassOf": ("Unterklasse von", "subclass of"),
    RDFS + "subPropertyOf": ("Untereigenschaft von", "subproperty of"),
    RDFS + "domain": ("Domäne", "domain"),
    RDFS + "range": ("Wertebereich", "range"),
    OWL + "versionInfo": ("Version", "version"),
    OWL + "disjointWith": ("disjunkt mit", "disjoint with"),
    SKOS + "prefLabel": ("Bezeichnung", "preferred label"),
    SKOS + "altLabel": ("andere Bezeichnung", "alternative label"),
    SKOS + "definition": ("Definition", "definition"),
    SKOS + "notation": ("Notation", "notation"),
    SKOS + "inScheme": ("im Schema", "in scheme"),
    SKOS + "topConceptOf": ("oberster Begriff von", "top concept of"),
    SKOS + "hasTopConcept": ("oberster Begriff", "top concept"),
    SCHEMA + "name": ("Name", "name"),
    SCHEMA + "value": ("Betrag", "value"),
    SCHEMA + "currency": ("Währung", "currency"),
    DCTERMS + "source": ("Quelle", "source"),
    DCTERMS + "title": ("Titel", "title"),
    DCTERMS + "description": ("Beschreibung", "description"),
    DCTERMS + "license": ("Lizenz", "licence"),
    VANN + "preferredNamespacePrefix": ("Präfix", "preferred prefix"),
    VANN + "preferredNamespaceUri": ("Namensraum", "namespace"),
}


def prefixes(iris: Iris) -> dict[str, str]:
    """Prefix → namespace for CURIEs on pages and in Turtle: the standard ones and ours."""
    return {
        **{prefix: str(namespace) for prefix, namespace in STANDARD_PREFIXES.items()},
        "vann": str(VANN),
        "void": str(VOID),
        **iris.prefixes,
    }


class Vocabulary:
    """Labels of terms by IRI and language, and CURIEs for IRIs.

    Args:
        labels: ``(term IRI, label, language)`` rows, e.g. from ``vocabulary-labels.rq``.
        prefixes: prefix → namespace IRI.
    """

    def __init__(
        self, labels: Iterable[tuple[str, str, str | None]], prefixes: Mapping[str, str]
    ) -> None:
        self._labels: dict[str, dict[str, str]] = {}
        for iri, (german, english) in EXTERNAL_LABELS.items():
            self._labels[iri] = {"de": german, "en": english}
        for iri, label, lang in labels:
            self._labels.setdefault(iri, {})[lang or ""] = label
        # Longest namespace first, so aqb: wins over a shorter namespace it starts with.
        self._prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def label(self, iri: str, lang: str) -> str:
        """The label of ``iri`` in ``lang`` (else German, else any), or its CURIE."""
        labels = self._labels.get(iri)
        if labels:
            for wanted in (lang, "", "de"):
                if wanted in labels:
                    return labels[wanted]
            return next(iter(labels.values()))
        return self.curie(iri)

    def curie(self, iri: str) -> str:
        """``aqb:jahr`` for the IRI of a term in a known namespace, else the IRI."""
        for prefix, namespace in self._prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri
