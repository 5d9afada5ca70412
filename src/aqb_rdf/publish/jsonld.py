"""A JSON-LD document that reads well for people who do not know RDF (pure).

The ``@context`` (written beside the dumps as ``context.jsonld``) gives every property of the
ontology a short German name (``jahr``, ``budget``, ``gebietskoerperschaft``), labels become
language maps (``"label": {"de": "…", "en": "…"}``), links are plain IRIs and typed values plain
strings. Values that do not fit a term (other languages, other datatypes) keep their full form,
so the document always expands to exactly the graph it was written from.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
from collections.abc import Iterable
from typing import Any, BinaryIO

import pyoxigraph as ox

from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import RDF_TYPE, STANDARD_PREFIXES, XSD_STRING

# Properties of the ontology: name → (IRI in aqb:, kind), kind is "@id", a datatype, or "@language".
_AQB_TERMS: dict[str, str] = {
    "jahr": "xsd:gYear",
    "laufzeitBeginn": "xsd:date",
    "laufzeitEnde": "xsd:date",
    "ministerium": "@id",
    "ministeriumLaut": "@language",
    "gebietskoerperschaft": "@id",
    "gebietskoerperschaftLaut": "@language",
    "nichtAufgefuehrt": "@id",
    "anzahlProjekte": "xsd:integer",
    "budget": "@id",
    "massnahmenbereich": "@id",
    "massnahmenart": "@id",
    "bezeichnung": "@language",
    "projekt": "@id",
    "position": "xsd:integer",
    "betrag": "xsd:decimal",
    "zielvereinbarung": "@id",
    "rechtskreis": "@id",
    "bezugsrahmen": "@id",
    "bewilligungsbehoerde": "@id",
    "bewilligungsform": "@language",
    "unterzeichnung": "@id",
    "ort": "",
    "datum": "xsd:date",
    "person": "",
    "funktion": "@language",
    "organisation": "@id",
    "organisationLaut": "@language",
    "vertretungsvermerk": "@language",
    "belegt": "@id",
    "eigenschaft": "@id",
    "wert": "@id",
    "zeileVon": "xsd:integer",
    "zeileBis": "xsd:integer",
    "seite": "xsd:integer",
    "kreisschluessel": "",
    "nuts3": "",
    "regierungsbezirk": "",
    "gueltigAb": "xsd:date",
    "gueltigBis": "xsd:date",
    "kurzname": "",
    "dateiname": "",
    "medientyp": "",
    "sha256": "",
    "textfassung": "@id",
}
_CLASSES = [
    "Zielvereinbarung",
    "Ministerium",
    "Regierungspraesidium",
    "Gebietskoerperschaft",
    "Landkreis",
    "KreisfreieStadt",
    "Budget",
    "Massnahmenart",
    "Massnahmenbereich",
    "Projekt",
    "Unterzeichnung",
    "Rechtskreis",
    "Bezugsrahmen",
    "Fundstelle",
    "Quelldokument",
]
_OTHER_TERMS: dict[str, tuple[str, str]] = {
    "label": ("rdfs:label", "@language"),
    "altLabel": ("skos:altLabel", "@language"),
    "prefLabel": ("skos:prefLabel", "@language"),
    "name": ("schema:name", "@language"),
    "value": ("schema:value", "xsd:decimal"),
    "currency": ("schema:currency", ""),
    "source": ("dcterms:source", "@id"),
    "identifier": ("dcterms:identifier", ""),
    "spatial": ("dcterms:spatial", "@id"),
    "sameAs": ("schema:sameAs", "@id"),
    "notation": ("skos:notation", ""),
    "inScheme": ("skos:inScheme", "@id"),
    "wasDerivedFrom": ("prov:wasDerivedFrom", "@id"),
    "title": ("dcterms:title", ""),
    "format": ("dcterms:format", "@id"),
    "byteSize": ("dcat:byteSize", "xsd:integer"),
    "checksum": ("spdx:checksum", "@id"),
    "algorithm": ("spdx:algorithm", "@id"),
    "checksumValue": ("spdx:checksumValue", "xsd:hexBinary"),
    "contentUrl": ("schema:contentUrl", "@id"),
    "url": ("schema:url", "@id"),
    "hasSource": ("oa:hasSource", "@id"),
    "hasSelector": ("oa:hasSelector", "@id"),
    "exact": ("oa:exact", ""),
    "prefix": ("oa:prefix", ""),
    "suffix": ("oa:suffix", ""),
    "start": ("oa:start", "xsd:integer"),
    "end": ("oa:end", "xsd:integer"),
}


def context(iris: Iris) -> dict[str, Any]:
    """The ``@context`` object of the dumps."""
    ctx: dict[str, Any] = {p: str(ns) for p, ns in STANDARD_PREFIXES.items()}
    ctx.update(iris.prefixes)
    for cls in _CLASSES:
        ctx[cls] = f"aqb:{cls}"
    for name, kind in _AQB_TERMS.items():
        ctx[name] = _definition(f"aqb:{name}", kind)
    for name, (curie, kind) in _OTHER_TERMS.items():
        ctx[name] = _definition(curie, kind)
    return ctx


def _definition(curie: str, kind: str) -> str | dict[str, str]:
    if not kind:
        return curie
    if kind == "@language":
        return {"@id": curie, "@container": "@language"}
    return {"@id": curie, "@type": kind}


class _Compactor:
    def __init__(self, ctx: dict[str, Any]) -> None:
        self.prefixes = {
            k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("/", "#"))
        }
        self.terms: dict[str, tuple[str, str]] = {}
        self.classes: dict[str, str] = {}
        for name, value in ctx.items():
            if name in self.prefixes:
                continue
            curie, kind = (value, "") if isinstance(value, str) else (value["@id"], _kind(value))
            iri = self.expand(curie)
            if name in _CLASSES:
                self.classes[iri] = name
            else:
                self.terms[iri] = (name, self.expand(kind) if kind.startswith("xsd:") else kind)

    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes else curie

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one compactor per document
    def curie(self, iri: str) -> str:
        best = max(
            (p for p, ns in self.prefixes.items() if iri.startswith(ns)),
            default=None,
            key=lambda p: len(self.prefixes[p]),
        )
        if (
            best is None
            or not iri[len(self.prefixes[best]) :].replace("-", "").replace("_", "").isalnum()
        ):
            return iri
        return f"{best}:{iri[len(self.prefixes[best]) :]}"

    def node_id(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value

    def property(self, predicate: str, values: list[Any]) -> tuple[str, Any]:
        name, kind = self.terms.get(predicate, ("", None))
        if name and self._fits(kind, values):
            if kind == "@language":
                return name, {v.language: v.value for v in values}
            if kind == "@id":
                return name, _one([self.node_id(v) for v in values])
            return name, _one([v.value for v in values])
        return self.curie(predicate), _one([self._value(v) for v in values])

    def node(self, subject: Any, triples: Iterable[ox.Triple]) -> dict[str, Any]:
        """The node object of ``subject`` from its triples."""
        properties: dict[str, list[Any]] = {}
        for triple in triples:
            predicate = triple.predicate.value
            if predicate in properties:
                properties[predicate].append(triple.object)
            else:
                properties[predicate] = [triple.object]
        node: dict[str, Any] = {"@id": self.node_id(subject)}
        types = properties.pop(RDF_TYPE, None)
        if types:
            names = [self.classes.get(t.value) or self.curie(t.value) for t in types]
            node["@type"] = names[0] if len(names) == 1 else sorted(names)
        for predicate in sorted(properties):
            values = properties[predicate]
            if len(values) > 1:
                values.sort(key=_sort_key)
            key, value = self.property(predicate, values)
            node[key] = value
        return node

    @staticmethod
    def _fits(kind: str | None, values: list[Any]) -> bool:
        if kind is None:
            return False
        if kind == "@id":
            return all(type(v) is not ox.Literal for v in values)
        for v in values:
            if type(v) is not ox.Literal:
                return False
        if kind == "@language":
            languages = [v.language for v in values]
            return all(languages) and len(set(languages)) == len(languages)
        wanted = kind or XSD_STRING
        for v in values:
            if v.datatype.value != wanted:
                return False
        return True

    def _value(self, term: Any) -> Any:
        if isinstance(term, (ox.NamedNode, ox.BlankNode)):
            return {"@id": self.node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": self.curie(term.datatype.value)}


def _kind(definition: dict[str, str]) -> str:
    return definition.get("@type") or ("@language" if "@container" in definition else "")


def _one(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _sort_key(term: Any) -> tuple[str, str, str]:
    if isinstance(term, ox.Literal):
        return ("1", term.value, term.language or term.datatype.value)
    return ("0", term.value, "")


def write_document(triples: Iterable[ox.Triple], out: BinaryIO, iris: Iris) -> None:
    """Write a JSON-LD document of ``triples`` to ``out``, one node object per line.

    The triples of one subject must be adjacent (as in sorted N-Triples, or in the parts of a
    build, whose subjects are disjoint); only one subject's triples are held at a time.
    """
    ctx = context(iris)
    compactor = _Compactor(ctx)
    out.write(b'{"@context": ')
    out.write(json.dumps(ctx, ensure_ascii=False, indent=1).encode("utf-8"))
    out.write(b',\n"@graph": [')
    separator = b"\n"
    for subject, group in itertools.groupby(triples, key=lambda t: t.subject):
        node = compactor.node(subject, group)
        out.write(separator)
        out.write(json.dumps(node, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        separator = b",\n"
    out.write(b"\n]}\n")


def document(triples: Iterable[ox.Triple], iris: Iris) -> bytes:
    """The JSON-LD document of ``triples`` (in any order), as bytes: the form of the dump, with
    its context, which every JSON-LD answer of the server takes too."""
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert ntriples is not None  # without an output file, serialize returns the bytes
    return document_of_ntriples(ntriples, iris)


def document_of_ntriples(ntriples: bytes, iris: Iris) -> bytes:
    """The JSON-LD document of the N-Triples ``ntriples`` (in any order), as bytes."""
    lines = ntriples.splitlines(keepends=True)
    ordered = ox.parse(b"".join(sorted(set(lines))), format=ox.RdfFormat.N_TRIPLES)
    buffer = io.BytesIO()
    write_document(ordered, buffer, iris)
    return buffer.getvalue()


def context_document(iris: Iris) -> bytes:
    """``context.jsonld``: the context on its own, for reuse."""
    return (json.dumps({"@context": context(iris)}, ensure_ascii=False, indent=1) + "\n").encode()
