"""Parsed agreements and reference tables → RDF graphs (pure).

``agreement_to_graph`` describes one Zielvereinbarung with everything it states and, for every
fact, an ``aqb:Fundstelle`` saying where it stands in the source: lines and characters, and as
a W3C Web Annotation (https://www.w3.org/TR/annotation-model/#text-quote-selector) segment of
the published text with a quote selector and a position selector; the source document is a
resource of its own (``document_triples``), the agreement ``prov:wasDerivedFrom`` it. ``reference_to_graph``
describes the Gebietskörperschaften and organisations the agreements point to. The vocabulary
is ``ontology/aqb.ttl``; README.md has the model as a table.
"""

from __future__ import annotations

import datetime as dt
import functools

from rdflib import Graph, Literal, Namespace, URIRef

from aqb_rdf.rdf import external
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.rdf.namespaces import (
    DCAT,
    DCTERMS,
    IANA_MEDIA_TYPES,
    OA,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SKOSXL,
    SPDX,
    XSD,
)
from aqb_rdf.rdf.terms import canonical_decimal
from aqb_rdf.source import codelists
from aqb_rdf.source.model import (
    Gebietskoerperschaft,
    Kreistyp,
    OrganisationName,
    SourceDocument,
    Span,
    Zielvereinbarung,
)
from aqb_rdf.source.reference import Reference

CONTEXT = 32
"""Characters of text before and after a quote its selector keeps (``oa:prefix``,
``oa:suffix``), fewer at the start and end of the text."""

_OA_HAS_SOURCE = OA.hasSource
_OA_HAS_SELECTOR = OA.hasSelector
_OA_TEXT_QUOTE_SELECTOR = OA.TextQuoteSelector
_OA_TEXT_POSITION_SELECTOR = OA.TextPositionSelector
_OA_EXACT, _OA_PREFIX, _OA_SUFFIX = OA.exact, OA.prefix, OA.suffix
_OA_START, _OA_END = OA.start, OA.end
# xsd:integer, not xsd:nonNegativeInteger: the store keeps values and gives a derived integer
# type back as xsd:integer, and /sparql is to say what the dumps say (the shapes check ≥ 0).
_NON_NEGATIVE = XSD.integer

_TYPE_LABEL_EN = {
    Kreistyp.LANDKREIS: "district",
    Kreistyp.KREISFREIE_STADT: "district-free city",
}


@functools.lru_cache(maxsize=65536)
def _literal(text: str, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
    # rdflib spends microseconds converting each new Literal to a Python value; agreements
    # repeat most of theirs (line numbers, positions, dates, labels), so reuse them.
    return Literal(text, lang=lang, datatype=datatype)


def _de(text: str) -> Literal:
    return _literal(text, "de")


def _en(text: str) -> Literal:
    return _literal(text, "en")


def _int(value: int, datatype: URIRef = XSD.integer) -> Literal:
    return _literal(str(value), None, datatype)


def _date(value: dt.date) -> Literal:
    return _literal(value.isoformat(), None, XSD.date)


Triple = tuple[URIRef, URIRef, URIRef | Literal]


def agreement_to_graph(agreement: Zielvereinbarung, iris: Iris) -> Graph:
    """The RDF description of one agreement and where each of its facts stands."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in agreement_triples(agreement, iris))
    return graph


def agreement_triples(agreement: Zielvereinbarung, iris: Iris) -> list[Triple]:
    """The triples of :func:`agreement_to_graph`, as a list (the build adds them in bulk)."""
    aqb = iris.aqb
    year = agreement.year.value
    region = agreement.region.value
    a = iris.agreement(year, region.key)
    triples: list[Triple] = []
    add = triples.append
    source = agreement.source
    text = source.text
    published_text = iris.dokument_text(source.sha256)

    # The terms of a Fundstelle, looked up once (each lookup makes a new URIRef).
    t_type, t_fundstelle, t_belegt = RDF.type, aqb.Fundstelle, aqb.belegt
    t_eigenschaft, t_wert = aqb.eigenschaft, aqb.wert
    t_zeile_von, t_zeile_bis = aqb.zeileVon, aqb.zeileBis
    t_seite = aqb.seite

    def fundstelle(
        name: str,
        span: Span,
        subject: URIRef,
        prop: URIRef | None = None,
        value: URIRef | None = None,
    ) -> None:
        f = iris.fundstelle(a, name)
        start, end = span.start, span.end
        add((f, t_type, t_fundstelle))
        add((f, t_belegt, subject))
        if prop is not None:
            add((f, t_eigenschaft, prop))
        if value is not None:
            add((f, t_wert, value))
        add((f, t_zeile_von, _int(span.first_line)))
        add((f, t_zeile_bis, _int(span.last_line)))
        # The characters as a W3C Web Annotation segment of the published text (the one
        # home of the offsets: the TextPositionSelector's oa:start and oa:end).
        add((f, _OA_HAS_SOURCE, published_text))
        quote, position = iris.selector(f, "zitat"), iris.selector(f, "position")
        add((f, _OA_HAS_SELECTOR, quote))
        add((quote, t_type, _OA_TEXT_QUOTE_SELECTOR))
        add((quote, _OA_EXACT, Literal(text[start:end])))
        before = text[max(0, start - CONTEXT) : start]
        if before:
            add((quote, _OA_PREFIX, Literal(before)))
        after = text[end : end + CONTEXT]
        if after:
            add((quote, _OA_SUFFIX, Literal(after)))
        add((f, _OA_HAS_SELECTOR, position))
        add((position, t_type, _OA_TEXT_POSITION_SELECTOR))
        add((position, _OA_START, _int(start, _NON_NEGATIVE)))
        add((position, _OA_END, _int(end, _NON_NEGATIVE)))
        page = source.page_of(start)
        if page is not None:
            add((f, t_seite, _int(page)))

    t_herleitung, t_betrifft = aqb.Herleitung, aqb.betrifft
    t_hergeleitet, t_regel = aqb.hergeleiteteEigenschaft, aqb.regel

    def herleitung(name: str, subject: URIRef, prop: URIRef, rule: URIRef, source: str) -> None:
        """Say that ``subject``'s ``prop`` is derived by ``rule`` from the fact read at the
        Fundstelle ``source`` (a derived fact has no Fundstelle of its own)."""
        h = iris.herleitung(a, name)
        add((h, t_type, t_herleitung))
        add((h, t_betrifft, subject))
        add((h, t_hergeleitet, prop))
        add((h, t_regel, rule))
        add((h, PROV.wasDerivedFrom, iris.fundstelle(a, source)))

    ministry = iris.organisation(agreement.ministry.value.slug)
    region_iri = iris.region(region.key)
    add((a, RDF.type, aqb.Zielvereinbarung))
    add((a, RDFS.label, _de(f"Zielvereinbarung {year} – {region.display_name}")))
    add((a, RDFS.label, _en(f"Target agreement {year} – {region.display_name}")))
    add((a, aqb.jahr, _literal(str(year), None, XSD.gYear)))
    add((a, aqb.laufzeitBeginn, _date(dt.date(year, 1, 1))))
    add((a, aqb.laufzeitEnde, _date(dt.date(year, 12, 31))))
    add((a, aqb.ministerium, ministry))
    add((a, aqb.gebietskoerperschaft, region_iri))
    fundstelle("jahr", agreement.year.span, a, aqb.jahr)
    herleitung("laufzeit-beginn", a, aqb.laufzeitBeginn, aqb.LaufzeitbeginnAusJahr, "jahr")
    herleitung("laufzeit-ende", a, aqb.laufzeitEnde, aqb.LaufzeitendeAusJahr, "jahr")
    fundstelle("ministerium", agreement.ministry.span, a, aqb.ministerium)
    fundstelle("gebietskoerperschaft", agreement.region.span, a, aqb.gebietskoerperschaft)
    # The names as written, each with its own Fundstelle: their words without the article
    # (the party's Fundstelle quotes the article too).
    if agreement.ministry_as_written is not None:
        written = agreement.ministry_as_written
        add((a, aqb.ministeriumLaut, _de(written.value)))
        fundstelle("ministerium-laut", written.span, a, aqb.ministeriumLaut)
    if agreement.region_as_written is not None:
        written = agreement.region_as_written
        add((a, aqb.gebietskoerperschaftLaut, _de(written.value)))
        fundstelle("gebietskoerperschaft-laut", written.span, a, aqb.gebietskoerperschaftLaut)

    budget = iris.budget(a)
    add((a, aqb.budget, budget))
    add((budget, RDF.type, aqb.Budget))
    amount = canonical_decimal(agreement.budget.value)
    add((budget, SCHEMA.value, Literal(amount, datatype=XSD.decimal)))
    add((budget, SCHEMA.currency, _literal("EUR")))
    fundstelle("budget", agreement.budget.span, budget, SCHEMA.value)

    document = iris.dokument(source.sha256)
    add((a, DCTERMS.source, document))
    add((a, PROV.wasDerivedFrom, document))
    triples.extend(document_triples(source, iris))

    for bereich in agreement.massnahmenbereiche:
        number = bereich.art.value
        concept = iris.massnahmenart(number)
        e = iris.massnahmenbereich(a, number)
        add((a, aqb.massnahmenbereich, e))
        add((e, RDF.type, aqb.Massnahmenbereich))
        add((e, aqb.massnahmenart, concept))
        add((e, aqb.bezeichnung, _de(bereich.title)))
        add((e, aqb.anzahlProjekte, _int(len(bereich.projects))))
        fundstelle(f"massnahmenart-{number}", bereich.span, e)
        herleitung(
            f"massnahmenart-{number}-anzahl-projekte", e, aqb.anzahlProjekte,
            aqb.AnzahlDerAufgefuehrtenProjekte, f"massnahmenart-{number}",
        )  # fmt: skip
        for position, projekt in enumerate(bereich.projects, start=1):
            p = iris.projekt(a, number, position)
            add((e, aqb.projekt, p))
            add((p, RDF.type, aqb.Projekt))
            add((p, SCHEMA.name, _de(projekt.title)))
            add((p, aqb.position, _int(position)))
            add((p, aqb.massnahmenart, concept))
            add((p, aqb.zielvereinbarung, a))
            fundstelle(f"projekt-{number}-{position}", projekt.span, p)
            if projekt.amount is not None:
                value = canonical_decimal(projekt.amount.value)
                add((p, aqb.betrag, Literal(value, datatype=XSD.decimal)))
                fundstelle(
                    f"projekt-{number}-{position}-betrag", projekt.amount.span, p, aqb.betrag
                )

    for art in agreement.absent_massnahmenarten:
        add((a, aqb.nichtAufgefuehrt, iris.massnahmenart(art.value)))

    for rechtskreis in agreement.rechtskreise:
        code = codelists.rechtskreis_slug(rechtskreis.value)
        concept = iris.rechtskreis(code)
        add((a, aqb.rechtskreis, concept))
        fundstelle(f"rechtskreis-{code}", rechtskreis.span, a, aqb.rechtskreis, concept)

    for rahmen in agreement.bezugsrahmen:
        r = iris.bezugsrahmen(rahmen.value)
        add((a, aqb.bezugsrahmen, r))
        fundstelle(f"bezugsrahmen-{rahmen.value}", rahmen.span, a, aqb.bezugsrahmen, r)

    if agreement.granting_authority is not None:
        authority = iris.organisation(agreement.granting_authority.value.slug)
        add((a, aqb.bewilligungsbehoerde, authority))
        fundstelle(
            "bewilligungsbehoerde", agreement.granting_authority.span, a, aqb.bewilligungsbehoerde
        )
    if agreement.granting_form is not None:
        add((a, aqb.bewilligungsform, _de(agreement.granting_form.value)))
        fundstelle("bewilligungsform", agreement.granting_form.span, a, aqb.bewilligungsform)

    for position, signature in enumerate(agreement.signatures, start=1):
        s = iris.unterzeichnung(a, position)
        signer = (
            iris.organisation(signature.organisation_slug)
            if signature.organisation_slug
            else region_iri
        )
        add((a, aqb.unterzeichnung, s))
        add((s, RDF.type, aqb.Unterzeichnung))
        add((s, aqb.ort, _literal(signature.place)))
        add((s, aqb.datum, _date(signature.date)))
        add((s, aqb.person, _literal(signature.person)))
        if signature.role:
            add((s, aqb.funktion, _de(signature.role)))
        add((s, aqb.organisation, signer))
        if signature.organisation_text:
            add((s, aqb.organisationLaut, _de(signature.organisation_text)))
        for note in signature.on_behalf:
            add((s, aqb.vertretungsvermerk, _de(note)))
        fundstelle(f"unterzeichnung-{position}", signature.span, s)

    return triples


def document_triples(source: SourceDocument, iris: Iris) -> list[Triple]:
    """The source document: file name, media type, size, SHA-256 (as DCAT-AP states them for
    a distribution, and as ``aqb:`` terms), where the release publishes its text and the
    original file, and where its publisher published it (only if the manifest says so)."""
    aqb = iris.aqb
    document = iris.dokument(source.sha256)
    checksum = iris.checksum_of(document)
    triples: list[Triple] = [
        (document, RDF.type, aqb.Quelldokument),
        (document, aqb.dateiname, Literal(source.name)),
        (document, DCTERMS["title"], Literal(source.name)),
        (document, aqb.medientyp, _literal(source.media_type)),
        (document, DCTERMS["format"], URIRef(IANA_MEDIA_TYPES + source.media_type)),
        (document, aqb.sha256, Literal(source.sha256)),
        (document, SPDX.checksum, checksum),
        (checksum, RDF.type, SPDX.Checksum),
        (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        (checksum, SPDX.checksumValue, Literal(source.sha256, datatype=XSD.hexBinary)),
        (document, aqb.textfassung, iris.dokument_text(source.sha256)),
    ]
    if source.data is not None:
        size = _int(len(source.data), _NON_NEGATIVE)
        triples.append((document, DCAT.byteSize, size))
        original = iris.dokument_original(source.sha256, source.media_type)
        triples.append((document, SCHEMA.contentUrl, original))
    if source.publication_url is not None:
        triples.append((document, SCHEMA.url, URIRef(source.publication_url)))
    return triples


def region_label_en(region: Gebietskoerperschaft) -> str:
    return f"{region.name} ({_TYPE_LABEL_EN[region.typ]})"


def reference_to_graph(reference: Reference, iris: Iris) -> Graph:
    """The Gebietskörperschaften (with a confirmed key) and the organisations.

    Links to other datasets (README.md, "Links to other datasets"): ``dcterms:identifier`` is
    the district key, ``dcterms:spatial`` the NUTS-3 region and the DCAT-AP.de geocoding IRI
    (the area of jurisdiction, as CPOV uses it), ``schema:sameAs`` the Wikidata item.
    """
    aqb = iris.aqb
    graph = Graph()
    add = graph.add
    for region in reference.published_regions:
        r = iris.region(region.key)
        add(
            (
                r,
                RDF.type,
                aqb.Landkreis if region.typ is Kreistyp.LANDKREIS else aqb.KreisfreieStadt,
            )
        )
        add((r, RDFS.label, _de(region.display_name)))
        add((r, RDFS.label, _en(region_label_en(region))))
        add((r, aqb.kreisschluessel, Literal(region.key)))
        add((r, DCTERMS.identifier, Literal(region.key)))
        if region.nuts3:
            add((r, aqb.nuts3, Literal(region.nuts3)))
            add((r, DCTERMS.spatial, URIRef(external.nuts_iri(region.nuts3))))
        if region.dcatde_district_key:
            add((r, DCTERMS.spatial, URIRef(region.dcatde_district_key)))
        if region.wikidata:
            add((r, SCHEMA.sameAs, URIRef(external.wikidata_iri(region.wikidata))))
        if region.regierungsbezirk:
            add((r, aqb.regierungsbezirk, Literal(region.regierungsbezirk)))
        if region.valid_from:
            add((r, aqb.gueltigAb, _date(region.valid_from)))
        if region.valid_until:
            add((r, aqb.gueltigBis, _date(region.valid_until)))
    for org in reference.organisations:
        o = iris.organisation(org.slug)
        add(
            (o, RDF.type, aqb.Ministerium if org.typ == "Ministerium" else aqb.Regierungspraesidium)
        )
        add((o, RDFS.label, _de(org.current_name)))
        if org.name_en:
            add((o, RDFS.label, _en(org.name_en)))
        for name in org.names[:-1]:
            add((o, SKOS.altLabel, _de(name.name)))
            if name.name_en:
                add((o, SKOS.altLabel, _en(name.name_en)))
        graph += _name_triples(o, org.names, aqb)
        if org.short_name:
            add((o, aqb.kurzname, Literal(org.short_name)))
        if org.wikidata:
            add((o, SCHEMA.sameAs, URIRef(external.wikidata_iri(org.wikidata))))
    return graph


def _name_triples(
    organisation: URIRef, names: tuple[OrganisationName, ...], aqb: Namespace
) -> list[Triple]:
    """Each name as an ``aqb:Name`` (a SKOS-XL label) per language, with the days the
    organisation bore it (``schema:startDate``, ``schema:endDate``; absent: open or not
    known): the newest its ``skosxl:prefLabel``, the older ones ``skosxl:altLabel``. Their
    plain forms are the ``rdfs:label`` and ``skos:altLabel`` above (SKOS-XL's dumb-down)."""
    triples: list[Triple] = []
    for position, name in enumerate(names):
        link = SKOSXL.prefLabel if position == len(names) - 1 else SKOSXL.altLabel
        for lang, text in (("de", name.name), ("en", name.name_en)):
            if not text:
                continue
            node = Iris.organisation_name(organisation, name.name, lang)
            triples += [
                (organisation, link, node),
                (node, RDF.type, aqb.Name),
                (node, SKOSXL.literalForm, _literal(text, lang)),
            ]
            if name.valid_from:
                triples.append((node, SCHEMA.startDate, _date(name.valid_from)))
            if name.valid_until:
                triples.append((node, SCHEMA.endDate, _date(name.valid_until)))
    return triples


def bezugsrahmen_to_graph(slugs: list[str], iris: Iris) -> Graph:
    """The programmes and frameworks agreements refer to (part of the reference data)."""
    graph = Graph()
    for slug in slugs:
        r = iris.bezugsrahmen(slug)
        graph.add((r, RDF.type, iris.aqb.Bezugsrahmen))
        graph.add((r, RDFS.label, _de(codelists.bezugsrahmen_label(slug, "de"))))
        graph.add((r, RDFS.label, _en(codelists.bezugsrahmen_label(slug, "en"))))
    return graph
