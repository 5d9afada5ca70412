"""The pages of the dataset's own kinds of resource (pure).

One builder per kind, one template per kind (``templates/{kind}.html``):

==================  =========================================  =====================
kind                rdf:type                                    builder
==================  =========================================  =====================
``agreement``       aqb:Zielvereinbarung                        :func:`agreement`
``region``          aqb:Landkreis, aqb:KreisfreieStadt          :func:`region`
``organisation``    aqb:Ministerium, aqb:Regierungspraesidium   :func:`organisation`
``massnahmenart``   aqb:Massnahmenart                           :func:`massnahmenart`
``project``         aqb:Projekt                                 :func:`project`
==================  =========================================  =====================

Links go both ways: an agreement links its region, ministry, Maßnahmenarten and projects; a
region, a ministry or a Regierungspräsidium lists its agreements per year; a Maßnahmenart
lists the projects filed under it, per agreement; a project links back to its agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from pyoxigraph import NamedNode

from aqb_rdf.rdf import external as links
from aqb_rdf.rdf.namespaces import DCTERMS, SCHEMA, SKOS, SKOSXL
from aqb_rdf.source.model import OrganisationName
from aqb_rdf.web.render.description import Node
from aqb_rdf.web.render.document import FactKey, Quote
from aqb_rdf.web.render.order import legal_order
from aqb_rdf.web.render.parts import Link, Reader
from aqb_rdf.web.render.years import RegionYears

DCTERMS_SOURCE = DCTERMS + "source"


@dataclass(frozen=True)
class AgreementRow:
    """One agreement in a list: its year, link, region and budget."""

    year: str
    agreement: Link
    region: Link | None
    budget: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class Measure:
    """A Maßnahmenart as an agreement lists it, with its projects."""

    link: Link
    number: str
    concept: Link | None
    as_written: str | None
    projects: tuple[Link, ...]
    quote: Quote | None = None
    """Where the Maßnahmenart is listed (the heading and its projects)."""
    project_quotes: tuple[Quote | None, ...] = ()
    """The quote of each project, in the order of :attr:`projects`."""


@dataclass(frozen=True)
class Signature:
    """One signature under an agreement."""

    link: Link
    person: str
    function: str | None
    organisation: Link | None
    as_written: str | None
    place: str | None
    date: str | None
    quote: Quote | None = None


@dataclass(frozen=True)
class NamePeriod:
    """One name an organisation bore, in German and (if the table gives it) English, and its
    first and last day (ISO dates; None: open, or not known)."""

    name: str
    name_en: str | None
    valid_from: str | None
    valid_until: str | None

    def in_force(self, first: dt.date, last: dt.date) -> bool:
        """Whether the organisation bore this name on some day from ``first`` to ``last``."""
        return OrganisationName(
            self.name,
            self.name_en or "",
            dt.date.fromisoformat(self.valid_from) if self.valid_from else None,
            dt.date.fromisoformat(self.valid_until) if self.valid_until else None,
        ).in_force(first, last)


@dataclass(frozen=True)
class NameOfTheYear:
    """The ministry's name when the agreement was made: derived, not read from the document.

    From the periods of its names (the reference table's, :class:`NamePeriod`) on ``on``, the
    day the ministry signed, or, without its signature, in the agreement's year (``on`` None);
    the rule the parser checks the title's name by (``source/consistency.py``). Normally one
    name; two when the year without a signature spans a renaming.
    """

    names: tuple[NamePeriod, ...]
    on: str | None
    year: str | None


@dataclass(frozen=True)
class Agreement:
    title: str
    year: str | None
    region: Link | None
    ministry: Link | None
    budget: Decimal | None
    currency: str | None
    budget_link: Link | None
    begin: str | None
    end: str | None
    authority: Link | None
    approval_form: str | None
    legal_spheres: tuple[Link, ...]
    frameworks: tuple[Link, ...]
    measures: tuple[Measure, ...]
    signatures: tuple[Signature, ...]
    source: Link | None
    year_quote: Quote | None = None
    region_quote: Quote | None = None
    ministry_quote: Quote | None = None
    budget_quote: Quote | None = None
    authority_quote: Quote | None = None
    approval_form_quote: Quote | None = None
    legal_sphere_quotes: tuple[Quote | None, ...] = ()
    framework_quotes: tuple[Quote | None, ...] = ()
    region_as_written: str | None = None
    """The region as the title writes it (``aqb:gebietskoerperschaftLaut``)."""
    ministry_as_written: str | None = None
    """The ministry as the title writes it (``aqb:ministeriumLaut``), the name of its year."""
    region_as_written_quote: Quote | None = None
    ministry_as_written_quote: Quote | None = None
    ministry_name_of_the_year: NameOfTheYear | None = None
    """The ministry's name of that year, derived from the periods of its names."""


@dataclass(frozen=True)
class Region:
    title: str
    class_label: str
    key: str | None
    nuts3: str | None
    administrative_region: str | None
    valid_from: str | None
    valid_until: str | None
    external: tuple[Link, ...]
    """Links to other datasets: Wikidata, NUTS, DCAT-AP.de."""
    agreements: tuple[AgreementRow, ...]
    years: RegionYears | None = None
    """Its budget per year and its projects as a timeline (:mod:`.years`), if fetched."""
    year_chart: str = ""
    """The budget per year as SVG markup (escaped), if there are budgets."""


@dataclass(frozen=True)
class Organisation:
    title: str
    class_label: str
    short_names: tuple[str, ...]
    names: tuple[NamePeriod, ...]
    """Every name it bore, oldest first, with its period (``aqb:Name``)."""
    external: tuple[Link, ...]
    as_ministry: tuple[AgreementRow, ...]
    as_authority: tuple[AgreementRow, ...]


@dataclass(frozen=True)
class ProjectGroup:
    """The projects of one agreement under one Maßnahmenart."""

    agreement: Link
    year: str
    projects: tuple[Link, ...]


@dataclass(frozen=True)
class Massnahmenart:
    title: str
    notation: str | None
    definition: str | None
    other_names: tuple[str, ...]
    scheme: Link | None
    listed_in: int
    groups: tuple[ProjectGroup, ...]


@dataclass(frozen=True)
class Project:
    title: str
    position: str | None
    measure_type: Link | None
    agreement: Link | None
    year: str | None
    region: Link | None
    as_written: str | None
    siblings: tuple[Link, ...]
    amount: Decimal | None = None
    """The project's amount in euros, where § 5 states one after its title (``aqb:betrag``)."""


def agreement_row(r: Reader, agreement: Node) -> AgreementRow:
    """One agreement as a row: year, link, region, budget."""
    d = r.d
    budget = d.node(agreement, r.p("budget"))
    region = d.node(agreement, r.p("gebietskoerperschaft"))
    currency = d.text(budget, SCHEMA + "currency") if budget else None
    return AgreementRow(
        year=r.text(agreement, "jahr") or "",
        agreement=r.link(agreement),
        region=r.maybe_link(region),
        budget=d.number(budget, SCHEMA + "value") if budget else None,
        currency=currency,
    )


def agreement_rows(r: Reader, predicate: str) -> tuple[AgreementRow, ...]:
    """The agreements that link to the resource with ``aqb:{predicate}``, by year."""
    rows = [
        agreement_row(r, node)
        for node in r.d.subjects(r.p(predicate), r.d.resource)
        if r.p("Zielvereinbarung") in r.d.types(node)
    ]
    rows.sort(key=lambda row: (row.year, row.region.label if row.region else ""))
    return tuple(rows)


def agreement(r: Reader, quotes: Mapping[FactKey, Quote] | None = None) -> Agreement:
    """An agreement: its parties, budget, Maßnahmenarten with projects, signatures, and for
    each fact the words it was read from (``quotes``, from :func:`.document.quotes`)."""
    d, me = r.d, r.d.resource
    found = quotes or {}

    def quote(node: Node | None, prop: str = "", value: Node | None = None) -> Quote | None:
        if not isinstance(node, NamedNode):
            return None
        return found.get((node.value, prop and r.p(prop), value.value if value else ""))

    budget = d.node(me, r.p("budget"))
    measures = []
    for bereich in d.nodes(me, r.p("massnahmenbereich")):
        concept = d.node(bereich, r.p("massnahmenart"))
        projects = r.by_position(d.nodes(bereich, r.p("projekt")))
        measures.append(
            Measure(
                link=r.link(bereich),
                number=(d.text(concept, SKOS + "notation") if concept else None) or "",
                concept=r.maybe_link(concept),
                as_written=r.text(bereich, "bezeichnung"),
                projects=tuple(r.link(p) for p in projects),
                quote=quote(bereich),
                project_quotes=tuple(quote(p) for p in projects),
            )
        )
    signatures = []
    for signature in d.nodes(me, r.p("unterzeichnung")):
        signatures.append(
            Signature(
                link=r.link(signature),
                person=r.text(signature, "person") or "",
                function=r.text(signature, "funktion"),
                organisation=r.maybe_link(d.node(signature, r.p("organisation"))),
                as_written=r.text(signature, "organisationLaut"),
                place=r.text(signature, "ort"),
                date=r.text(signature, "datum"),
                quote=quote(signature),
            )
        )
    source = d.node(me, DCTERMS_SOURCE)
    source_name = r.text(source, "dateiname") if source else None
    # In the order of the law, each with its short code: "SGB II – Zweites Buch …".
    spheres = [
        (d.text(node, SKOS + "notation") or "", node) for node in d.nodes(me, r.p("rechtskreis"))
    ]
    spheres.sort(key=lambda pair: legal_order(pair[0]))
    legal_spheres = tuple(
        Link(link.iri, f"{code} – {link.label}" if code and code != link.label else link.label)
        for code, link in ((code, r.link(node)) for code, node in spheres)
    )
    frameworks = r.links(d.nodes(me, r.p("bezugsrahmen")))
    value = SCHEMA + "value"
    ministry = d.node(me, r.p("ministerium"))
    return Agreement(
        title=d.label(me, r.lang),
        year=r.text(me, "jahr"),
        region=r.maybe_link(d.node(me, r.p("gebietskoerperschaft"))),
        ministry=r.maybe_link(ministry),
        budget=d.number(budget, SCHEMA + "value") if budget else None,
        currency=d.text(budget, SCHEMA + "currency") if budget else None,
        budget_link=r.maybe_link(budget),
        begin=r.text(me, "laufzeitBeginn"),
        end=r.text(me, "laufzeitEnde"),
        authority=r.maybe_link(d.node(me, r.p("bewilligungsbehoerde"))),
        approval_form=r.text(me, "bewilligungsform"),
        legal_spheres=legal_spheres,
        frameworks=frameworks,
        measures=tuple(sorted(measures, key=lambda m: (m.number, m.link.iri))),
        signatures=tuple(signatures),
        source=Link(source.value, source_name or "")
        if isinstance(source, NamedNode) and source_name
        else r.maybe_link(source),
        year_quote=quote(me, "jahr"),
        region_quote=quote(me, "gebietskoerperschaft"),
        ministry_quote=quote(me, "ministerium"),
        budget_quote=found.get((budget.value, value, ""))
        if isinstance(budget, NamedNode)
        else None,
        authority_quote=quote(me, "bewilligungsbehoerde"),
        approval_form_quote=quote(me, "bewilligungsform"),
        legal_sphere_quotes=tuple(
            found.get((me.value, r.p("rechtskreis"), link.iri)) for link in legal_spheres
        ),
        framework_quotes=tuple(
            found.get((me.value, r.p("bezugsrahmen"), link.iri)) for link in frameworks
        ),
        region_as_written=r.text(me, "gebietskoerperschaftLaut"),
        ministry_as_written=r.text(me, "ministeriumLaut"),
        region_as_written_quote=quote(me, "gebietskoerperschaftLaut"),
        ministry_as_written_quote=quote(me, "ministeriumLaut"),
        ministry_name_of_the_year=name_of_the_year(r, me, ministry) if ministry else None,
    )


def external_links(r: Reader) -> tuple[Link, ...]:
    """The resource's links to other datasets (schema:sameAs, dcterms:spatial), labelled."""
    d, me = r.d, r.d.resource
    targets = d.nodes(me, SCHEMA + "sameAs") + d.nodes(me, DCTERMS + "spatial")
    return tuple(
        Link(t.value, links.describe(t.value)) for t in targets if isinstance(t, NamedNode)
    )


def region(r: Reader, years: RegionYears | None = None, year_chart: str = "") -> Region:
    """A Landkreis or kreisfreie Stadt and its agreements per year (and its years, if given)."""
    d, me = r.d, r.d.resource
    classes = [t for t in d.types(me) if t.startswith(r.aqb)]
    return Region(
        title=d.label(me, r.lang),
        class_label=r.vocabulary.label(sorted(classes)[0], r.lang) if classes else "",
        key=r.text(me, "kreisschluessel"),
        nuts3=r.text(me, "nuts3"),
        administrative_region=r.text(me, "regierungsbezirk"),
        valid_from=r.text(me, "gueltigAb"),
        valid_until=r.text(me, "gueltigBis"),
        external=external_links(r),
        agreements=agreement_rows(r, "gebietskoerperschaft"),
        years=years,
        year_chart=year_chart,
    )


def organisation(r: Reader) -> Organisation:
    """A ministry or Regierungspräsidium and the agreements it is named in."""
    d, me = r.d, r.d.resource
    classes = [t for t in d.types(me) if t.startswith(r.aqb)]
    return Organisation(
        title=d.label(me, r.lang),
        class_label=r.vocabulary.label(sorted(classes)[0], r.lang) if classes else "",
        short_names=tuple(d.texts(me, r.p("kurzname"))),
        names=names_through_time(r, me),
        external=external_links(r),
        as_ministry=agreement_rows(r, "ministerium"),
        as_authority=agreement_rows(r, "bewilligungsbehoerde"),
    )


def names_through_time(r: Reader, organisation: Node) -> tuple[NamePeriod, ...]:
    """The names of ``organisation`` (its ``skosxl:prefLabel`` and ``skosxl:altLabel``, each an
    ``aqb:Name`` per language), one per period, oldest first."""
    d = r.d
    periods: dict[tuple[str | None, str | None], dict[str, str]] = {}
    for node in d.nodes(organisation, SKOSXL + "prefLabel") + d.nodes(
        organisation, SKOSXL + "altLabel"
    ):
        form = d.literal(node, SKOSXL + "literalForm")
        if form is None:
            continue
        period = (d.text(node, SCHEMA + "startDate"), d.text(node, SCHEMA + "endDate"))
        periods.setdefault(period, {})[form.language or "de"] = form.value
    names = [
        NamePeriod(forms.get("de") or next(iter(forms.values())), forms.get("en"), start, end)
        for (start, end), forms in periods.items()
    ]
    # Oldest first: by the first day (the oldest may lack it), then by the last (open: last).
    names.sort(key=lambda n: (n.valid_from or "", n.valid_until or "9999"))
    return tuple(names)


def name_of_the_year(r: Reader, agreement: Node, ministry: Node) -> NameOfTheYear | None:
    """The ministry's name(s) when ``agreement`` was made: on the day of the ministry's
    signature, or without one in the agreement's year. None when the ministry's names are
    not in the description, or no name's period covers that time."""
    d = r.d
    names = names_through_time(r, ministry)
    year = r.text(agreement, "jahr")
    if not names or not year or not year.isdigit():
        return None
    signed = sorted(
        day
        for signature in d.nodes(agreement, r.p("unterzeichnung"))
        if d.node(signature, r.p("organisation")) == ministry
        and (day := r.text(signature, "datum")) is not None
    )
    try:
        first = last = dt.date.fromisoformat(signed[0]) if signed else None
    except ValueError:
        first = last = None
    if first is None or last is None:
        first, last = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    in_force = tuple(name for name in names if name.in_force(first, last))
    if not in_force:
        return None
    return NameOfTheYear(in_force, first.isoformat() if signed else None, year)


def massnahmenart(r: Reader) -> Massnahmenart:
    """A Maßnahmenart and the projects filed under it, per agreement."""
    d, me = r.d, r.d.resource
    groups: dict[str, list[Node]] = {}
    for node in d.subjects(r.p("massnahmenart"), me):
        if r.p("Projekt") not in d.types(node):
            continue
        agreement_node = d.node(node, r.p("zielvereinbarung"))
        if isinstance(agreement_node, NamedNode):
            groups.setdefault(agreement_node.value, []).append(node)
    listed_in = sum(
        1 for node in d.subjects(r.p("massnahmenart"), me)
        if r.p("Massnahmenbereich") in d.types(node)
    )  # fmt: skip
    if r.paging is not None and r.paging.paged:  # the page holds some: count them all
        listed_in = r.paging.count(r.p("massnahmenart"), r.p("Massnahmenbereich"))
    built = []
    for agreement_iri, projects in groups.items():
        agreement_node = NamedNode(agreement_iri)
        built.append(
            ProjectGroup(
                agreement=r.link(agreement_node),
                year=r.text(agreement_node, "jahr") or "",
                projects=tuple(r.link(p) for p in r.by_position(projects)),
            )
        )
    return Massnahmenart(
        title=d.label(me, r.lang),
        notation=d.text(me, SKOS + "notation"),
        definition=d.text(me, SKOS + "definition", r.lang),
        other_names=tuple(d.texts(me, SKOS + "altLabel", r.lang)),
        scheme=r.maybe_link(d.node(me, SKOS + "inScheme")),
        listed_in=listed_in,
        groups=tuple(sorted(built, key=lambda g: (g.year, g.agreement.label))),
    )


def project(r: Reader) -> Project:
    """A project, its agreement and the other projects beside it."""
    d, me = r.d, r.d.resource
    agreement_node = d.node(me, r.p("zielvereinbarung"))
    bereiche = d.subjects(r.p("projekt"), me)
    bereich = bereiche[0] if bereiche else None
    siblings = [p for p in d.nodes(bereich, r.p("projekt")) if p != me] if bereich else []
    region_node = d.node(agreement_node, r.p("gebietskoerperschaft")) if agreement_node else None
    return Project(
        title=d.label(me, r.lang),
        position=r.text(me, "position"),
        measure_type=r.maybe_link(d.node(me, r.p("massnahmenart"))),
        agreement=r.maybe_link(agreement_node),
        year=r.text(agreement_node, "jahr") if agreement_node else None,
        region=r.maybe_link(region_node),
        as_written=r.text(bereich, "bezeichnung") if bereich else None,
        siblings=tuple(r.link(p) for p in r.by_position(siblings)),
        amount=d.number(me, r.p("betrag")),
    )
