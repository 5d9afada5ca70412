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
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

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


class Term(NamedTuple):
    """An RDF term as the compactor reads it, made from a pyoxigraph or an rdflib term.

    Ordered as the values of one property are written: nodes before literals, then by
    lexical form and language or datatype.
    """

    rank: str
    """``"0"`` for an IRI or blank node, ``"1"`` for a literal."""
    value: str
    """The IRI, the blank node's label, or the literal's lexical form."""
    tag: str
    """A literal's language tag or, without one, its datatype IRI; ``""`` for a node."""
    kind: str
    """``"iri"``, ``"bnode"``, ``"lang"`` (a literal with a language) or ``"typed"``."""


def _ox_term(term: Any) -> Term:
    if type(term) is ox.NamedNode:
        return Term("0", term.value, "", "iri")
    if type(term) is ox.BlankNode:
        return Term("0", term.value, "", "bnode")
    language = term.language
    if language:
        return Term("1", term.value, language, "lang")
    return Term("1", term.value, term.datatype.value, "typed")


def _rdflib_literal(term: Literal) -> Term:
    language = term.language
    if language:
        return Term("1", str(term), language, "lang")
    datatype = term.datatype
    return Term("1", str(term), str(datatype) if datatype else XSD_STRING, "typed")


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

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one compactor per base IRI
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

    @staticmethod
    def node_id(term: Term) -> str:
        return f"_:{term.value}" if term.kind == "bnode" else term.value

    def property(self, predicate: str, values: list[Term]) -> tuple[str, Any]:
        name, kind = self.terms.get(predicate, ("", None))
        if len(values) == 1:  # the common case, as _fits and the forms below decide it
            v = values[0]
            if name and kind == "@id":
                if v.rank == "0":
                    return name, self.node_id(v)
            elif name and kind == "@language":
                if v.kind == "lang":
                    return name, {v.tag: v.value}
            elif name and kind is not None and v.kind == "typed" and v.tag == (kind or XSD_STRING):
                return name, v.value
            return self.curie(predicate), self._value(v)
        if name and self._fits(kind, values):
            if kind == "@language":
                return name, {v.tag: v.value for v in values}
            if kind == "@id":
                return name, _one([self.node_id(v) for v in values])
            return name, _one([v.value for v in values])
        return self.curie(predicate), _one([self._value(v) for v in values])

    def node(self, subject: Term, properties: dict[str, list[Term]]) -> dict[str, Any]:
        """The node object of ``subject`` from its values by predicate IRI (each list is
        sorted here)."""
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
    def _fits(kind: str | None, values: list[Term]) -> bool:
        if kind is None:
            return False
        if kind == "@id":
            return all(v.rank == "0" for v in values)
        if kind == "@language":
            languages = [v.tag for v in values if v.kind == "lang"]
            return len(languages) == len(values) and len(set(languages)) == len(languages)
        wanted = kind or XSD_STRING
        return all(v.kind == "typed" and v.tag == wanted for v in values)

    def _value(self, term: Term) -> Any:
        if term.rank == "0":
            return {"@id": self.node_id(term)}
        if term.kind == "lang":
            return {"@value": term.value, "@language": term.tag}
        if term.tag == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": self.curie(term.tag)}


def _kind(definition: dict[str, str]) -> str:
    return definition.get("@type") or ("@language" if "@container" in definition else "")


def _one(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _sort_key(term: Term) -> tuple[str, str, str]:
    return (term.rank, term.value, term.tag)


def header(iris: Iris) -> bytes:
    """The start of a JSON-LD document: its ``@context`` and the opening of ``@graph``."""
    ctx = json.dumps(context(iris), ensure_ascii=False, indent=1)
    return b'{"@context": ' + ctx.encode("utf-8") + b',\n"@graph": ['


FOOTER = b"\n]}\n"
"""The end of a JSON-LD document, after its last node object."""
SEPARATOR = b",\n"
"""Between two node objects (the first follows the header after a plain newline)."""


_COMPACTORS: dict[str, _Compactor] = {}


def compactor(iris: Iris) -> _Compactor:
    """The compactor of the dumps' context, made once per base IRI (and per process)."""
    found = _COMPACTORS.get(iris.base)
    if found is None:
        found = _COMPACTORS[iris.base] = _Compactor(context(iris))
    return found


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _ox_nodes(triples: Iterable[ox.Triple]) -> Iterator[tuple[Term, dict[str, list[Term]]]]:
    """Each run of triples with the same subject: the subject and its values by predicate."""
    for subject, group in itertools.groupby(triples, key=lambda t: t.subject):
        properties: dict[str, list[Term]] = {}
        for triple in group:
            predicate = triple.predicate.value
            value = _ox_term(triple.object)
            if predicate in properties:
                properties[predicate].append(value)
            else:
                properties[predicate] = [value]
        yield _ox_term(subject), properties


def node_objects(triples: Iterable[tuple[Node, Node, Node]], iris: Iris) -> bytes:
    """The node objects of rdflib ``triples`` (in any order, duplicates allowed), one per
    line, separated by :data:`SEPARATOR`: the bytes :func:`write_document` writes for their
    sorted canonical N-Triples (:func:`aqb_rdf.publish.dumps.graph_to_ntriples`), subjects in
    the order of those lines. A build makes each agreement's node objects in its worker and
    the dump joins them (each agreement's subjects are its own).
    """
    # Keyed by the start of the subject's N-Triples lines ("<iri> ", "_:label "), which is
    # also their sort order; terms are told apart by their exact type (rdflib's hash is slow).
    # A subject's triples mostly come one after another, and the mapping's predicates and
    # classes are the same objects (aqb_rdf.rdf.namespaces): both are recognised by identity.
    subjects: dict[str, tuple[Term, dict[str, list[Term]]]] = {}
    nodes: dict[Node, Term] = {}
    predicates: dict[Node, str] = {}
    last: Node | None = None
    properties: dict[str, list[Term]] = {}
    for s, p, o in triples:
        if s is not last:
            last = s
            key = f"_:{s} " if type(s) is BNode else f"<{s}> "
            entry = subjects.get(key)
            if entry is None:
                kind = "bnode" if type(s) is BNode else "iri"
                entry = subjects[key] = (Term("0", str(s), "", kind), {})
            properties = entry[1]
        if type(o) is URIRef:
            value = nodes.get(o)
            if value is None:
                value = nodes[o] = Term("0", str(o), "", "iri")
        elif type(o) is BNode:
            value = Term("0", str(o), "", "bnode")
        else:
            assert isinstance(o, Literal), o
            value = _rdflib_literal(o)
        predicate = predicates.get(p)
        if predicate is None:
            predicate = predicates[p] = str(p)
        values = properties.get(predicate)
        if values is None:
            properties[predicate] = [value]
        else:
            values.append(value)
    compact = compactor(iris)
    return SEPARATOR.join(
        _ENCODER.encode(
            compact.node(
                subject,
                {p: v if len(v) == 1 else sorted(set(v)) for p, v in properties.items()},
            )
        ).encode()
        for subject, properties in (subjects[key] for key in sorted(subjects))
    )


def write_document(triples: Iterable[ox.Triple], out: BinaryIO, iris: Iris) -> None:
    """Write a JSON-LD document of ``triples`` to ``out``, one node object per line.

    The triples of one subject must be adjacent (as in sorted N-Triples, or in the parts of a
    build, whose subjects are disjoint); only one subject's triples are held at a time.
    """
    out.write(header(iris))
    separator = b"\n"
    compact = compactor(iris)
    for subject, pairs in _ox_nodes(triples):
        out.write(separator)
        out.write(_ENCODER.encode(compact.node(subject, pairs)).encode("utf-8"))
        separator = SEPARATOR
    out.write(FOOTER)


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
