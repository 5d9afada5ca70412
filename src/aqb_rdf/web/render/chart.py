"""The landing page's chart as SVG, drawn on the server (pure; no JavaScript, no CDN).

:func:`budget_chart` draws one group of horizontal bars per Gebietskörperschaft, one bar per
year, scaled to the largest budget, with a legend of the years and an axis with round ticks.
Region names link to their pages and each bar to its agreement; every bar has a ``<title>``
(shown as a tooltip, read by screen readers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from aqb_rdf.web.render.texts import format_amount, format_integer

PALETTE = ("#1f5f8b", "#e08a1e", "#3a8f4b", "#9b3f8f", "#c0392b", "#5d6d7e", "#17a2b8", "#8d6e63")
"""Bar colours, one per year, repeating after eight years."""

WIDTH = 760
LABEL_WIDTH = 230
VALUE_WIDTH = 110
TOP = 46


@dataclass(frozen=True)
class Bar:
    """One agreement: its region, year and budget, and the IRIs to link to."""

    region: str
    region_iri: str
    year: str
    budget: Decimal
    agreement_iri: str


def nice_step(maximum: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that divides ``[0, maximum]`` into at most ``ticks``."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return float(factor * magnitude)
    return float(10 * magnitude)  # pragma: no cover - the loop always returns


def budget_chart(
    bars: Sequence[Bar], lang: str, href: Callable[[str], str], title: str, caption: str
) -> str:
    """The SVG markup of the chart (escaped; safe to put into a page as it is).

    Args:
        bars: one per agreement.
        lang: ``de`` or ``en``, for the numbers.
        href: turns an IRI into the link target on this server.
        title: the chart's accessible name.
        caption: one sentence under the legend.
    """
    years = sorted({bar.year for bar in bars})
    regions = sorted({(bar.region, bar.region_iri) for bar in bars})
    colour = {year: PALETTE[index % len(PALETTE)] for index, year in enumerate(years)}
    bar_height = 16 if len(years) <= 3 else max(3, 48 // len(years))
    group_height = bar_height * max(1, len(years)) + 12
    maximum = float(max((bar.budget for bar in bars), default=Decimal(0)))
    step = nice_step(maximum)
    top_value = step * max(1, math.ceil(maximum / step))
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + group_height * max(1, len(regions)) + 24

    def x(value: float) -> float:
        return LABEL_WIDTH + plot_width * value / top_value

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}"'
        f' role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, year in enumerate(years):  # legend
        key_x = LABEL_WIDTH + index * 70
        out.append(
            f'<rect x="{key_x}" y="6" width="12" height="12" fill="{colour[year]}"/>'
            f'<text x="{key_x + 16}" y="17" class="legend">{escape(year)}</text>'
        )
    out.append(f'<text x="{LABEL_WIDTH}" y="34" class="caption">{escape(caption)}</text>')
    tick = 0.0
    while tick <= top_value + step / 2:  # axis
        left = x(tick)
        out.append(
            f'<line x1="{left:.1f}" y1="{TOP - 4}" x2="{left:.1f}" y2="{height - 20}"'
            ' class="grid"/>'
            f'<text x="{left:.1f}" y="{height - 6}" class="tick">'
            f"{escape(format_integer(round(tick), lang))}</text>"
        )
        tick += step
    by_key = {(bar.region_iri, bar.year): bar for bar in bars}
    for row, (region, region_iri) in enumerate(regions):
        y = float(TOP + row * group_height)
        middle = y + (group_height - 12) / 2 + 4
        out.append(
            f'<a href="{escape(href(region_iri))}" class="region-link">'
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" class="region">'
            f"{escape(region)}</text></a>"
        )
        for index, year in enumerate(years):
            bar = by_key.get((region_iri, year))
            if bar is None:
                continue
            top = y + index * bar_height
            amount = format_amount(bar.budget, lang, decimals=0)
            width = max(1.0, x(float(bar.budget)) - LABEL_WIDTH)
            out.append(
                f'<a href="{escape(href(bar.agreement_iri))}" class="bar-link">'
                f'<rect x="{LABEL_WIDTH}" y="{top}" width="{width:.1f}" height="{bar_height - 2}"'
                f' fill="{colour[year]}" class="bar" data-year="{escape(year)}">'
                f"<title>{escape(f'{region} {year}: {amount}')}</title></rect></a>"
            )
            if bar_height >= 10:
                out.append(
                    f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{top + bar_height - 4}"'
                    f' class="amount">{escape(amount)}</text>'
                )
    out.append("</svg>")
    return "".join(out)
