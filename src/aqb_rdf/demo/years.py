"""A synthetic corpus of the 26 real Gebietskörperschaften through the years (demonstration).

``make demo`` builds it: one agreement per real Landkreis and kreisfreie Stadt of
``data/reference`` and year (2014–2026), in the seeds' two layouts (:mod:`.corpus`). Only the
regions are real; budgets, projects and signatures are invented and vary from year to year
as they might: each region starts from its own budget, which then moves by a few per cent a
year; most projects continue into the next year (same title), a few end and a few new ones
start. The generator returns its own figures (:class:`Figures`), which the tests compare the
built dataset's queries with. The build marks the release synthetic and the demo serves it
under its own base IRI (:data:`DEMO_BASE`), so it never mixes with the data of ``data/``.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from aqb_rdf.demo.corpus import (
    MASSNAHMENARTEN,
    REAL_REFERENCE,
    Agreement,
    Region,
    make_agreement,
    make_person,
    make_projects,
    markdown_to_text,
    render_markdown,
)

DEMO_BASE = "https://demo.aqb-rdf.example/"
"""The base IRI of the demonstration: not the default, so no IRI is shared with real data."""
FIRST_YEAR, LAST_YEAR = 2014, 2026

SEATS = {
    "Bergstraße": "Heppenheim", "Darmstadt-Dieburg": "Darmstadt", "Groß-Gerau": "Groß-Gerau",
    "Hochtaunuskreis": "Bad Homburg vor der Höhe", "Main-Kinzig-Kreis": "Gelnhausen",
    "Main-Taunus-Kreis": "Hofheim am Taunus", "Odenwaldkreis": "Erbach",
    "Offenbach": "Dietzenbach", "Rheingau-Taunus-Kreis": "Bad Schwalbach",
    "Wetteraukreis": "Friedberg", "Gießen": "Gießen", "Lahn-Dill-Kreis": "Wetzlar",
    "Limburg-Weilburg": "Limburg an der Lahn", "Marburg-Biedenkopf": "Marburg",
    "Vogelsbergkreis": "Lauterbach", "Fulda": "Fulda", "Hersfeld-Rotenburg": "Bad Hersfeld",
    "Kassel": "Kassel", "Schwalm-Eder-Kreis": "Homberg (Efze)",
    "Waldeck-Frankenberg": "Korbach", "Werra-Meißner-Kreis": "Eschwege",
}  # fmt: skip
"""Where each Landkreis signs: its Kreisstadt (a kreisfreie Stadt signs at home)."""


@dataclass
class Figures:
    """What the generator wrote: per (year, Kreisschlüssel) the budget and the projects."""

    budgets: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    projects: dict[tuple[int, str], list[str]] = field(default_factory=dict)


def real_regions() -> list[Region]:
    """The Gebietskörperschaften of the real reference table that have a confirmed key."""
    with (REAL_REFERENCE / "gebietskoerperschaften.csv").open(encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["kreisschluessel"]]
    regions = []
    for row in rows:
        stadt = row["typ"] == "kreisfreie Stadt"
        seat = row["name"] if stadt else SEATS[row["name"]]
        regions.append(
            Region(row["kreisschluessel"], row["name"], stadt, seat, row["regierungsbezirk"])
        )
    return regions


def _next_measures(rng: random.Random, before: dict[int, list[str]] | None) -> dict[int, list[str]]:
    """The projects of the next year: most continue, some end, some start."""
    measures: dict[int, list[str]] = {}
    for number in MASSNAHMENARTEN:
        kept = [t for t in (before or {}).get(number, []) if rng.random() < 0.8]
        new = make_projects(rng, rng.choice((0, 0, 1, 1, 2)) if before else rng.choice((1, 2, 3)))
        measures[number] = kept + [t for t in new if t not in kept]
    return measures


def generate_years(
    out_dir: Path, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, seed: int = 0
) -> Figures:
    """Write the corpus under ``out_dir`` (``agreements/{year}/…`` and ``reference/``).

    The reference tables are the real ones, copied. The same seed gives the same files.
    """
    rng = random.Random(seed)
    regions = real_regions()
    reference = out_dir / "reference"
    reference.mkdir(parents=True, exist_ok=True)
    for name in ("gebietskoerperschaften.csv", "organisationen.csv"):
        (reference / name).write_bytes((REAL_REFERENCE / name).read_bytes())
    figures = Figures()
    budget = {r.key: Decimal(rng.randrange(40_000, 300_000) * 10) for r in regions}
    measures: dict[str, dict[int, list[str]] | None] = {r.key: None for r in regions}
    ministers: dict[int, tuple[str, str, bool]] = {}
    signers: dict[tuple[str, int], tuple[str, str, bool, int]] = {}
    agreements = out_dir / "agreements"
    for year in range(first_year, last_year + 1):
        (agreements / str(year)).mkdir(parents=True, exist_ok=True)
        minister = ministers.setdefault(year // 5, make_person(rng))
        for index, region in enumerate(regions):
            signer = signers.setdefault(
                (region.key, year // 6), (*make_person(rng), rng.randrange(3))
            )
            if year > first_year:  # a few per cent a year, mostly up
                factor = Decimal(str(round(1 + rng.gauss(0.02, 0.05), 3)))
                budget[region.key] = (budget[region.key] * factor / 10).quantize(Decimal(1)) * 10
            measures[region.key] = _next_measures(rng, measures[region.key])
            listed = tuple(
                (number, MASSNAHMENARTEN[number], tuple(titles))
                for number, titles in sorted((measures[region.key] or {}).items())
            )
            base = make_agreement(rng, region, year, minister, signer)
            amount = f"{int(budget[region.key]):,}".replace(",", ".") + " Euro"
            agreement = Agreement(year, region, base.ministry, amount, listed, base.signatures)
            figures.budgets[year, region.key] = budget[region.key]
            figures.projects[year, region.key] = [t for _, _, titles in listed for t in titles]
            text = render_markdown(agreement)
            if (index + year) % 2:
                path = agreements / str(year) / f"{region.slug}.txt"
                text = markdown_to_text(text)
            else:
                path = agreements / str(year) / f"{region.slug}.md"
            path.write_bytes(text.encode("utf-8"))
    return figures


__all__ = ["DEMO_BASE", "Figures", "generate_years", "real_regions"]
