"""The synthetic corpus of aqb_rdf.demo.corpus: complete, in both seed formats, deterministic."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from aqb_rdf.demo import corpus

REPO = Path(__file__).resolve().parent.parent


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 regions × 2 years, seed 0."""
    out = tmp_path_factory.mktemp("corpus")
    corpus.generate_corpus(out, regions=3, years=2, first_year=2023, seed=0)
    return out


def test_one_document_per_region_and_year_in_both_formats(small_corpus: Path) -> None:
    documents = sorted((small_corpus / "agreements").glob("*/*"))
    assert len(documents) == 6
    assert {p.parent.name for p in documents} == {"2023", "2024"}
    assert {p.suffix for p in documents} == {".md", ".txt"}


def test_reference_table_has_the_real_header_and_unique_keys(small_corpus: Path) -> None:
    reference = small_corpus / "reference"
    with (reference / "gebietskoerperschaften.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (REPO / "data/reference/gebietskoerperschaften.csv").open(encoding="utf-8") as f:
        real = list(csv.DictReader(f))
    assert list(rows[0]) == list(real[0])
    keys = [row["kreisschluessel"] for row in rows]
    assert len(keys) == len(set(keys)) == 3
    assert all(re.fullmatch(r"\d{5}", key) for key in keys)
    assert not {row["name"] for row in rows} & {row["name"] for row in real}
    assert not any(re.search(r"\d", row["name"]) for row in rows)
    assert (reference / "organisationen.csv").read_bytes() == (
        REPO / "data/reference/organisationen.csv"
    ).read_bytes()


def test_every_document_names_its_region_and_year(small_corpus: Path) -> None:
    with (small_corpus / "reference/gebietskoerperschaften.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        stadt = row["typ"] == "kreisfreie Stadt"
        party = f"der Stadt {row['name']}" if stadt else f"dem Landkreis {row['name']}"
        for year in ("2023", "2024"):
            (document,) = (small_corpus / "agreements" / year).glob(
                corpus.slugify(row["name"], stadt) + ".*"
            )
            text = document.read_text(encoding="utf-8")
            assert f"und {party}" in text
            assert f"im Jahr {year}" in text
            assert f"Qualifizierungsbudget {year}" in text


def test_same_seed_gives_identical_bytes_other_seed_differs(
    small_corpus: Path, tmp_path: Path
) -> None:
    corpus.generate_corpus(tmp_path / "same", regions=3, years=2, first_year=2023, seed=0)
    corpus.generate_corpus(tmp_path / "other", regions=3, years=2, first_year=2023, seed=1)
    assert files(tmp_path / "same") == files(small_corpus)
    assert files(tmp_path / "other") != files(small_corpus)


def test_the_templates_reproduce_the_seed_documents() -> None:
    """Rendering the seeds' own facts gives the seeds byte for byte: only facts are substituted."""
    ministry = corpus.MINISTRY_FROM_2024
    art = corpus.MASSNAHMENARTEN
    minister = corpus.Signature(
        "Wiesbaden", dt.date(2025, 8, 6), "Heike Hofmann", "Heike Hofmann", "Staatsministerin",
        corpus.MINISTRY_SIGNATURE_LINES[ministry],
    )  # fmt: skip
    offenbach = corpus.Agreement(
        2025,
        corpus.Region("06413", "Offenbach am Main", True, "Offenbach am Main", "Darmstadt"),
        ministry,
        "1.011.410 Euro",
        (
            (1, art[1], ("Berufsvorbereitung Elektro",)),
            (2, art[2].replace("coaching", "koaching"),
             ("BaE Teilzeit", "Coaching und Unterrichtshilfen (CUBA)")),
            (3, art[3], (
                "Jobcoach", "Interkulturelle Gruppe", "Coaching von jungen Wohnungssuchenden",
                "Fallmanagement für Erziehende",
                "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen",
            )),
            (4, art[4], ("Schulungen für Mitarbeiter/innen",)),
        ),
        (minister, corpus.Signature(
            "Offenbach am Main", dt.date(2025, 8, 11), "Martin Wilhelm", "M. Wilhelm",
            "Stadtrat/Stadtkämmerer", ("der Stadt", "Offenbach am Main"),
        )),
    )  # fmt: skip
    bergstrasse = corpus.Agreement(
        2025,
        corpus.Region("06431", "Bergstraße", False, "Heppenheim", "Darmstadt"),
        ministry,
        "1.230.450 Euro",
        (
            (1, art[1], ("Vorbereitung TZ Ausbildung", "Ausbildungsvorbereitung")),
            (2, art[2], ()),
            (3, art[3], (
                "Absolventenmanagement I", "Sprachkursbegleitende Unterstützung Bensheim",
                "Sprachkursbegleitende Unterstützung Viernheim", "Digitalisierung Migration",
                'Gesundheitsmaßnahme "Fit in den Beruf"', "Jobdatings",
            )),
            (4, art[4], ("BASS Studium",)),
        ),
        (
            corpus.Signature(
                "Wiesbaden", dt.date(2025, 8, 2), "Heike Hofmann", "Heike Hofmann",
                "Staatsministerin", corpus.MINISTRY_SIGNATURE_LINES[ministry],
            ),
            corpus.Signature(
                "Heppenheim", dt.date(2025, 8, 8), "Angelika Beckenbach", "A. Beckenbach",
                "Erste Kreisbeigeordnete", ("des Landkreises", "Bergstraße"),
            ),
        ),
    )  # fmt: skip
    seeds = REPO / "data/agreements/2025"
    assert corpus.render_markdown(offenbach) == (seeds / "offenbach-am-main-stadt.md").read_text(
        encoding="utf-8"
    )
    assert corpus.markdown_to_text(corpus.render_markdown(bergstrasse)) == (
        seeds / "bergstrasse.txt"
    ).read_text(encoding="utf-8")
