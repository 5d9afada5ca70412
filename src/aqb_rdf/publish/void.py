"""The VoID description of the dataset (pure): written by the build, served by the server.

`VoID <https://www.w3.org/TR/void/>`_ describes a dataset for machines: one ``void:Dataset``
with its SPARQL endpoint, a ``void:dataDump`` per RDF download, the number of triples, example
resources, the URI space (the base IRI) and the vocabularies used. The build writes it as
``void.ttl`` with the locations under the base IRI (the server maps the base to its root);
the server answers ``/.well-known/void`` (VoID §7.2) from the same function, with the same
locations under the base (never the host a request names). The dataset and its resources always keep
their IRIs under the base; the dataset's IRI is the one the DCAT catalogue describes too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from aqb_rdf.rdf.files import DISTRIBUTIONS
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import DCTERMS, RDF_TYPE, VOID, XSD

RDF_DUMPS = tuple(file.name for file in DISTRIBUTIONS if file.is_rdf)
"""The downloads that are RDF (the CSV tables and ``context.jsonld`` are not)."""
VOCABULARY_PREFIXES = ("schema", "skos", "org", "cpov", "prov", "dcterms")
"""Prefixes of the reused vocabularies the description names besides ``aqb:``."""

TITLE = {
    "de": "Ausbildungs- und Qualifizierungsbudget Hessen: Zielvereinbarungen",
    "en": "Hessian training and qualification budget: target agreements",
}
DESCRIPTION = {
    "de": "Die jährlichen Zielvereinbarungen des hessischen Arbeitsministeriums mit den"
    " Landkreisen und kreisfreien Städten über das AQB, mit Budget, Maßnahmenarten,"
    " Projekten, Unterzeichnungen und der Fundstelle jeder Angabe.",
    "en": "The yearly target agreements of the Hessian labour ministry with the districts"
    " and district-free cities on the AQB, with budget, measure types, projects,"
    " signatures and where each fact stands in its source document.",
}
"""Title and description of the dataset, shared with the DCAT catalogue."""


SYNTHETIC = {
    "de": "Synthetische Demonstrationsdaten (synthetisch, erfunden): keine echten"
    " Zielvereinbarungen.",
    "en": "Synthetic demonstration data (synthetic, invented): no real target agreements.",
}
"""What a synthetic release (``make demo``) says of itself wherever it describes itself."""
SYNTHETIC_TITLE = {"de": "Synthetisch: ", "en": "Synthetic: "}


def marked(texts: Mapping[str, str], synthetic: bool, *, title: bool = False) -> dict[str, str]:
    """``texts`` by language, saying "synthetic" in each language if ``synthetic``."""
    if not synthetic:
        return dict(texts)
    if title:
        return {lang: SYNTHETIC_TITLE[lang] + text for lang, text in texts.items()}
    return {lang: f"{text} {SYNTHETIC[lang]}" for lang, text in texts.items()}


@dataclass(frozen=True)
class DatasetFacts:
    """What the VoID description states.

    Attributes:
        base: the base IRI of the dataset.
        server: the root URL the endpoint and dumps are found under, ending in ``/``.
        triples: the number of triples in the release.
        examples: IRIs of typical resources.
        vocabularies: namespaces the data uses.
        synthetic: the data are invented (``make demo``): the title and description say so.
    """

    base: str
    server: str
    triples: int
    examples: Sequence[str]
    vocabularies: Sequence[str]
    synthetic: bool = False


def example_resources(iris: Iris, first_agreement: tuple[int, str] | None) -> list[str]:
    """The example resources: the ontology, a Maßnahmenart, and the first agreement (by year
    and district key) with its Gebietskörperschaft, if there is one."""
    examples = [str(iris.ontology), str(iris.massnahmenart(1))]
    if first_agreement is not None:
        year, key = first_agreement
        examples += [str(iris.agreement(year, key)), str(iris.region(key))]
    return examples


def vocabularies(prefixes: dict[str, str]) -> list[str]:
    """The namespaces the description names: ``aqb:`` and :data:`VOCABULARY_PREFIXES`."""
    return [prefixes["aqb"], *(prefixes[p] for p in VOCABULARY_PREFIXES)]


def void_triples(facts: DatasetFacts) -> list[Triple]:
    """The VoID description as triples."""
    dataset = NamedNode(Iris(facts.base).dataset)
    server = Iris(facts.server)  # where the endpoint and dumps are found

    def says(predicate: str, obj: NamedNode | Literal) -> Triple:
        return Triple(dataset, NamedNode(predicate), obj)

    triples = [says(RDF_TYPE, NamedNode(VOID + "Dataset"))]
    title, description = (
        marked(TITLE, facts.synthetic, title=True),
        marked(DESCRIPTION, facts.synthetic),
    )
    triples += [says(DCTERMS + "title", Literal(t, language=lang)) for lang, t in title.items()]
    triples += [
        says(DCTERMS + "description", Literal(t, language=lang)) for lang, t in description.items()
    ]
    triples += [
        says(VOID + "sparqlEndpoint", NamedNode(server.endpoint)),
        says(VOID + "uriSpace", Literal(facts.base)),
        says(VOID + "triples", Literal(str(facts.triples), datatype=NamedNode(XSD + "integer"))),
    ]
    triples += [says(VOID + "dataDump", NamedNode(server.download(name))) for name in RDF_DUMPS]
    triples += [says(VOID + "exampleResource", NamedNode(iri)) for iri in facts.examples]
    triples += [says(VOID + "vocabulary", NamedNode(iri)) for iri in facts.vocabularies]
    return triples
