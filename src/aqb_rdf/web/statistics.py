"""The dataset's figures that the landing page and the VoID description show (I/O).

Each comes from a named query, run once per release (:class:`~.named_queries.ReleaseMemo`):
``dataset-statistics`` (counts), ``budget-per-region-year`` (the chart) and ``total-per-year``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pyoxigraph import NamedNode

from aqb_rdf.sparql.results import Term, term_text
from aqb_rdf.web.pages import Site
from aqb_rdf.web.query_runner import select


@dataclass(frozen=True)
class Statistics:
    """How much the release holds."""

    triples: int
    agreements: int
    projects: int
    regions: int
    first_year: str
    last_year: str


@dataclass(frozen=True)
class Budget:
    """One agreement's budget, with its region (a row of ``budget-per-region-year``)."""

    year: str
    key: str
    region: str
    region_iri: str
    amount: Decimal
    currency: str
    agreement: str


@dataclass(frozen=True)
class YearTotal:
    """The sum of one year's budgets (a row of ``total-per-year``)."""

    year: str
    agreements: int
    total: Decimal
    currency: str


def _number(term: Term | None) -> Decimal:
    try:
        return Decimal(term_text(term) or 0)
    except InvalidOperation:
        return Decimal(0)


async def statistics(site: Site) -> Statistics:
    """The counts of ``dataset-statistics.rq``."""

    async def load() -> Statistics:
        rows = (await select(site.run, "dataset-statistics", base=site.iris.base)).records()
        row = rows[0] if rows else {}
        return Statistics(
            triples=int(_number(row.get("triples"))),
            agreements=int(_number(row.get("agreements"))),
            projects=int(_number(row.get("projects"))),
            regions=int(_number(row.get("regions"))),
            first_year=term_text(row.get("first_year")),
            last_year=term_text(row.get("last_year")),
        )

    return await site.memo.get(site.release.id, "statistics", load)


async def budgets(site: Site) -> tuple[Budget, ...]:
    """Every agreement's budget, by year and key (``budget-per-region-year.rq``)."""

    async def load() -> tuple[Budget, ...]:
        rows = (await select(site.run, "budget-per-region-year", base=site.iris.base)).records()
        return tuple(
            Budget(
                year=term_text(row["year"]),
                key=term_text(row["key"]),
                region=term_text(row["region"]) or term_text(row["key"]),
                region_iri=str(site.iris.region(term_text(row["key"]))),
                amount=_number(row["budget"]),
                currency=term_text(row["currency"]),
                agreement=term_text(row["agreement"]),
            )
            for row in rows
            if isinstance(row.get("agreement"), NamedNode)
        )

    return await site.memo.get(site.release.id, "budgets", load)


@dataclass(frozen=True)
class MixRow:
    """One year's projects of one Maßnahmenart (a row of ``massnahmenart-mix-per-year``)."""

    year: str
    massnahmenart: str
    label: str
    agreements: int
    projects: int
    share_percent: Decimal


async def massnahmenart_mix(site: Site) -> tuple[MixRow, ...]:
    """The Maßnahmenart mix per year (``massnahmenart-mix-per-year.rq``)."""

    async def load() -> tuple[MixRow, ...]:
        rows = (await select(site.run, "massnahmenart-mix-per-year", base=site.iris.base)).records()
        return tuple(
            MixRow(
                year=term_text(row["year"]),
                massnahmenart=term_text(row["massnahmenart"]),
                label=term_text(row.get("massnahmenart_label")),
                agreements=int(_number(row["agreements"])),
                projects=int(_number(row["projects"])),
                share_percent=_number(row["share_percent"]),
            )
            for row in rows
        )

    return await site.memo.get(site.release.id, "massnahmenart-mix", load)


async def region_projects(site: Site, key: str) -> tuple[tuple[str, str, str | None], ...]:
    """``(year, title, IRI)`` of each project of the region ``key``, in the agreements' order:
    by year, Maßnahmenart and position (``collection-projects.rq``)."""
    result = await select(site.run, "collection-projects", {"region": key}, base=site.iris.base)

    def order(row: Mapping[str, Term | None]) -> list[int]:
        texts = (term_text(row.get(name)) for name in ("year", "massnahmenart", "position"))
        return [int(text) if text.isdigit() else 0 for text in texts]

    return tuple(
        (term_text(row["year"]), term_text(row["title"]), term_text(row["project"]) or None)
        for row in sorted(result.records(), key=order)
    )


async def totals(site: Site) -> tuple[YearTotal, ...]:
    """The total per year (``total-per-year.rq``)."""

    async def load() -> tuple[YearTotal, ...]:
        rows = (await select(site.run, "total-per-year", base=site.iris.base)).records()
        return tuple(
            YearTotal(
                year=term_text(row["year"]),
                agreements=int(_number(row["agreements"])),
                total=_number(row["total"]),
                currency=term_text(row["currency"]),
            )
            for row in rows
        )

    return await site.memo.get(site.release.id, "totals", load)
