"""The entries a search finds, read from the triples of a release (pure).

An entry is one thing the graph names, of one kind: a Gebietskörperschaft, an agreement, a
project, a person or a place that signed, an organisation, a Maßnahmenart, a Rechtskreis, a
Bezugsrahmen, a source document, a term of the vocabulary. Its title and context are what the
graph says, in German and English where the graph has both; its names are every other name the
graph gives it (the English label, alternative labels, the district key …), searched too.

Persons and places are literals of a signature (``aqb:person``, ``aqb:ort``): each signature
gives a person entry and a place entry that link to the signature, in the context of its
agreement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import pyoxigraph as ox

from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import DCTERMS, OWL, RDF, RDFS, SCHEMA, SKOS
from aqb_rdf.rdf.order import natural_key


class Kind(StrEnum):
    """What an entry is, in the order the results page shows the groups."""

    REGION = "region"
    AGREEMENT = "agreement"
    PROJECT = "project"
    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"
    MASSNAHMENART = "massnahmenart"
    RECHTSKREIS = "rechtskreis"
    BEZUGSRAHMEN = "bezugsrahmen"
    DOCUMENT = "document"
    TERM = "term"


KINDS: Final = tuple(Kind)


@dataclass(frozen=True)
class Entry:
    """One thing a search finds.

    Attributes:
        kind: what it is.
        iri: the resource a result links to.
        title_de: what it is called, in German (or the only name it has).
        title_en: the same in English ("" if the graph has no English name).
        context_de: where it belongs (the agreement of a project …), in German; may be "".
        context_en: the same in English.
        names: every other name of it, searched with a lower weight than the title.
    """

    kind: Kind
    iri: str
    title_de: str
    title_en: str = ""
    context_de: str = ""
    context_en: str = ""
    names: tuple[str, ...] = ()

    def title(self, lang: str) -> str:
        return (self.title_en or self.title_de) if lang == "en" else self.title_de

    def context(self, lang: str) -> str:
        return (self.context_en or self.context_de) if lang == "en" else self.context_de


def _kinds_of_classes(iris: Iris) -> dict[str, Kind]:
    aqb = str(iris.aqb)
    return {
        aqb + "Landkreis": Kind.REGION,
        aqb + "KreisfreieStadt": Kind.REGION,
        aqb + "Zielvereinbarung": Kind.AGREEMENT,
        aqb + "Projekt": Kind.PROJECT,
        aqb + "Ministerium": Kind.ORGANISATION,
        aqb + "Regierungspraesidium": Kind.ORGANISATION,
        aqb + "Massnahmenart": Kind.MASSNAHMENART,
        aqb + "Rechtskreis": Kind.RECHTSKREIS,
        aqb + "Bezugsrahmen": Kind.BEZUGSRAHMEN,
        aqb + "Quelldokument": Kind.DOCUMENT,
        OWL + "Class": Kind.TERM,
        OWL + "ObjectProperty": Kind.TERM,
        OWL + "DatatypeProperty": Kind.TERM,
    }


_TITLES: Final = (RDFS + "label", SKOS + "prefLabel", SCHEMA + "name", DCTERMS + "title")
"""The predicates whose value is a thing's title, the first one it has."""
_NAMES: Final = (*_TITLES, SKOS + "altLabel", SKOS + "notation", DCTERMS + "identifier")


def _pick(values: list[tuple[str, str, str]], lang: str) -> str:
    """The first title of ``values`` (predicate, text, language) in ``lang``, by predicate."""
    for predicate in _TITLES:
        for p, text, language in values:
            if p == predicate and language == lang:
                return text
    return ""


def _any_title(values: list[tuple[str, str, str]]) -> str:
    for predicate in _TITLES:
        for p, text, _ in values:
            if p == predicate:
                return text
    return ""


Fact = tuple[str, str, str, bool, str | None]
"""A triple as the entries need it: subject IRI, predicate IRI, the object's value (IRI,
blank node label or lexical form), whether it is a literal, and its language (lower case)."""


def entries_of(triples: Iterable[ox.Triple | ox.Quad], iris: Iris) -> list[Entry]:
    """The entries of a release's triples (pyoxigraph's), sorted by kind and IRI (so the
    index is the same for the same data)."""
    return sort_entries(_entries(_ox_facts(triples), iris))


def entries_of_graph(triples: Iterable[tuple[Any, Any, Any]], iris: Iris) -> list[Entry]:
    """The entries of rdflib ``triples`` (one part of a release, in a build's worker),
    unsorted. The entries of a release are those of its parts (graphs) joined and sorted
    (:func:`sort_entries`): every entry is made from the triples of one part (the build's
    index test compares the two ways)."""
    from rdflib import Literal, URIRef  # here: the server's processes start without rdflib

    facts: list[Fact] = []
    for s, p, o in triples:
        if not isinstance(s, URIRef):
            continue
        if isinstance(o, Literal):
            language = o.language
            facts.append((str(s), str(p), str(o), True, language.lower() if language else None))
        else:
            facts.append((str(s), str(p), str(o), False, None))
    return _entries(facts, iris)


def _ox_facts(triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[Fact]:
    for triple in triples:
        s, o = triple.subject, triple.object
        if not isinstance(s, ox.NamedNode) or isinstance(o, ox.Triple):
            continue
        if isinstance(o, ox.Literal):
            yield s.value, triple.predicate.value, o.value, True, o.language
        else:
            yield s.value, triple.predicate.value, o.value, False, None


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    """``entries`` in the order of the index: by kind, then by IRI (numbers by value)."""
    order = {kind: number for number, kind in enumerate(KINDS)}
    return sorted(entries, key=lambda e: (order[e.kind], natural_key(e.iri)))


def _entries(stream: Iterable[Fact], iris: Iris) -> list[Entry]:
    classes = _kinds_of_classes(iris)
    aqb = str(iris.aqb)
    wanted_names = frozenset(_NAMES)
    person, place, role = aqb + "person", aqb + "ort", aqb + "funktion"
    agreement_of, signature = aqb + "zielvereinbarung", aqb + "unterzeichnung"
    kinds: dict[str, Kind] = {}
    names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    signatures: dict[str, dict[str, str]] = defaultdict(dict)
    belongs: dict[str, str] = {}
    """A project's or a signature's agreement."""
    rdf_type = RDF + "type"
    for subject, p, value, literal, language in stream:
        if p == rdf_type:
            kind = classes.get(value)
            if kind is not None and (kind is not Kind.TERM or subject.startswith(aqb)):
                kinds.setdefault(subject, kind)
        elif literal:
            if p in wanted_names:
                names[subject].append((p, value, language or ""))
            elif p in (person, place) or (p == role and language in (None, "de")):
                signatures[subject][p] = value
        elif p == agreement_of:
            belongs[subject] = value
        elif p == signature:
            belongs[value] = subject
    entries: list[Entry] = []
    for subject, kind in kinds.items():
        values = names.get(subject, [])
        title_de = _pick(values, "de") or _any_title(values)
        if not title_de:
            continue
        title_en = _pick(values, "en")
        if title_en == title_de:
            title_en = ""
        agreement = names.get(belongs.get(subject, ""), [])
        others = sorted({text for _, text, _ in values} - {title_de, title_en})
        entries.append(
            Entry(
                kind,
                subject,
                title_de,
                title_en,
                _pick(agreement, "de"),
                _pick(agreement, "en"),
                tuple(others),
            )  # fmt: skip
        )
    for subject, facts in signatures.items():
        agreement = names.get(belongs.get(subject, ""), [])
        context_de, context_en = _pick(agreement, "de"), _pick(agreement, "en")
        if person in facts:
            job = facts.get(role, "")
            entries.append(
                Entry(
                    Kind.PERSON,
                    subject,
                    facts[person],
                    "",
                    ", ".join(filter(None, (job, context_de))),
                    ", ".join(filter(None, (job, context_en))),
                )  # fmt: skip
            )
        if place in facts:
            who = facts.get(person, "")
            entries.append(
                Entry(
                    Kind.PLACE,
                    subject,
                    facts[place],
                    "",
                    ", ".join(filter(None, (who, context_de))),
                    ", ".join(filter(None, (who, context_en))),
                )  # fmt: skip
            )
    return entries
