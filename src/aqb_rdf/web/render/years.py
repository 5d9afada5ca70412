"""A region through the years: its budget per year and its projects as a timeline (pure).

:func:`region_years` takes the region's budgets and projects per year (from the named queries)
and gives what its page shows: per year the budget and its change to the year before (€ and
%, as ``budget-change-per-region.rq`` computes it), and per year the projects, each
**continued** (the year before lists the same title), **new**, or **ended** (listed the year
before, not this year). Titles are compared after :func:`same_title`, the conservative rule
``projects-between-years.rq`` applies too. :func:`year_chart` draws the budgets as SVG, as the
landing page's chart is drawn (:mod:`.chart`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from aqb_rdf.web.render.chart import PALETTE, nice_step
from aqb_rdf.web.render.texts import format_amount, format_integer


def same_title(title: str) -> str:
    """The form two project titles are compared in: lower case, white space collapsed and
    trimmed. Nothing else: a changed word, a hyphen for a space, makes another project."""
    return " ".join(title.split()).lower()


@dataclass(frozen=True)
class YearBudget:
    """One year's budget and its change to the year before (None for the first year or after
    a gap, and the per cent also for a previous budget of 0)."""

    year: str
    amount: Decimal
    agreement: str
    change: Decimal | None
    change_percent: Decimal | None


@dataclass(frozen=True)
class Entry:
    """One project in a year of the timeline: its title and ``continued``, ``new`` or ``ended``
    (``first`` in the region's first year, when there is nothing to compare with)."""

    title: str
    status: str
    iri: str | None = None
    """The project (for ``ended``: the year before's), to link to."""


@dataclass(frozen=True)
class TimelineYear:
    year: str
    entries: tuple[Entry, ...]

    def count(self, status: str) -> int:
        return sum(1 for entry in self.entries if entry.status == status)


@dataclass(frozen=True)
class RegionYears:
    budgets: tuple[YearBudget, ...]
    timeline: tuple[TimelineYear, ...]


def region_years(
    budgets: Sequence[tuple[str, Decimal, str]],
    projects: Sequence[tuple[str, str, str | None]],
) -> RegionYears:
    """The region's years.

    Args:
        budgets: ``(year, amount, agreement IRI)`` per agreement.
        projects: ``(year, title, IRI)`` per project, in the order the agreements list them.
    """
    by_year = {year: (amount, agreement) for year, amount, agreement in budgets}
    rows = []
    for year in sorted(by_year):
        amount, agreement = by_year[year]
        previous = by_year.get(str(int(year) - 1))
        change = amount - previous[0] if previous else None
        percent = None
        if change is not None and previous and previous[0]:
            percent = (100 * change / previous[0]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        rows.append(YearBudget(year, amount, agreement, change, percent))
    titles: dict[str, list[tuple[str, str | None]]] = {}
    for year, title, iri in projects:
        titles.setdefault(year, []).append((title, iri))
    timeline = []
    for year in sorted(set(titles) | set(by_year)):
        listed = titles.get(year, [])
        before = titles.get(str(int(year) - 1))
        if before is None and str(int(year) - 1) not in by_year:
            entries = [Entry(title, "first", iri) for title, iri in listed]
        else:
            earlier = {same_title(t) for t, _ in before or []}
            now = {same_title(t) for t, _ in listed}
            entries = [
                Entry(t, "continued" if same_title(t) in earlier else "new", iri)
                for t, iri in listed
            ]
            ended = {same_title(t): (t, i) for t, i in before or [] if same_title(t) not in now}
            entries += [Entry(t, "ended", iri) for t, iri in ended.values()]
        timeline.append(TimelineYear(year, tuple(entries)))
    return RegionYears(tuple(rows), tuple(timeline))


WIDTH = 640
HEIGHT = 260
LEFT = 90
BOTTOM = 40
TOP = 20


def year_chart(
    budgets: Sequence[YearBudget], lang: str, href: Callable[[str], str], title: str
) -> str:
    """The budget per year as vertical bars, one per year, each linking to its agreement."""
    maximum = float(max((b.amount for b in budgets), default=Decimal(0)))
    step = nice_step(maximum)
    top_value = step * max(1, math.ceil(maximum / step))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - 10) / max(1, len(budgets))

    def y(value: float) -> float:
        return HEIGHT - BOTTOM - plot_height * value / top_value

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart year-chart"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="year-chart-title">',
        f'<title id="year-chart-title">{escape(title)}</title>',
    ]
    unit = "€" if lang == "de" else "EUR (€)"
    out.append(
        f'<text x="{LEFT - 6}" y="{TOP - 6}" class="tick unit" text-anchor="end">{unit}</text>'
    )
    tick = 0.0
    while tick <= top_value + step / 2:
        out.append(
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{WIDTH - 10}" y2="{y(tick):.1f}"'
            ' class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" class="tick" text-anchor="end">'
            f"{escape(format_integer(round(tick), lang))}</text>"
        )
        tick += step
    for index, budget in enumerate(budgets):
        left = LEFT + index * slot + slot * 0.15
        width = slot * 0.7
        top = y(float(budget.amount))
        amount = format_amount(budget.amount, lang, decimals=0)
        out.append(
            f'<a href="{escape(href(budget.agreement))}" class="bar-link">'
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}"'
            f' height="{HEIGHT - BOTTOM - top:.1f}" fill="{PALETTE[0]}" class="bar"'
            f' data-year="{escape(budget.year)}"><title>{escape(f"{budget.year}: {amount}")}'
            "</title></rect></a>"
            f'<text x="{left + width / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" class="legend"'
            f' text-anchor="middle">{escape(budget.year)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
