"""The demonstration corpus (aqb_rdf.demo.years, ``make demo``), built and queried.

26 real regions × 2024–2026 are generated and built as the demo builds them (synthetic, under
its own base); the year-over-year queries must give the generator's own figures, and every
dump, table, the catalogue, VoID and the release record must say "synthetic" in both languages.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from aqb_rdf.build.pipeline import build
from aqb_rdf.demo.__main__ import main as demo_main
from aqb_rdf.demo.years import DEMO_BASE, Figures, generate_years, real_regions
from aqb_rdf.publish.tables import SYNTHETIC_NOTE
from aqb_rdf.rdf.iris import DEFAULT_BASE
from aqb_rdf.sparql.results import term_text
from aqb_rdf.sparql.store import find_query, load_dataset, run_query
from aqb_rdf.web.render.years import same_title
from live_server import serving
from test_tables import csvw_problems

pytestmark = pytest.mark.slow  # builds 78 agreements

FIRST, LAST = 2024, 2026


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Figures]:
    root = tmp_path_factory.mktemp("demo")
    figures = generate_years(root / "corpus", FIRST, LAST)
    report = build(
        [root / "corpus" / "agreements"], root / "dist", base=DEMO_BASE,
        reference_dir=root / "corpus" / "reference", synthetic=True,
    )  # fmt: skip
    assert report.agreements == 26 * 3 == len(figures.budgets)
    return root / "dist", figures


def _rows(dist: Path, name: str, **params: str) -> list[dict[str, str]]:
    result = run_query(load_dataset(dist), find_query(name, DEMO_BASE), params)
    return [{k: term_text(v) for k, v in row.items()} for row in result.records()]


def test_the_26_real_regions() -> None:
    regions = real_regions()
    assert len(regions) == 26 and len({r.key for r in regions}) == 26
    assert {"06411", "06412", "06413", "06414", "06611"} <= {r.key for r in regions}


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    one = generate_years(tmp_path / "a", 2024, 2025)
    two = generate_years(tmp_path / "b", 2024, 2025)
    assert one == two
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files
    )


def test_budget_change_per_region_is_the_generators(demo: tuple[Path, Figures]) -> None:
    dist, figures = demo
    rows = _rows(dist, "budget-change-per-region")
    assert len(rows) == len(figures.budgets)
    for row in rows:
        year, key = int(row["year"]), row["key"]
        assert Decimal(row["budget"]) == figures.budgets[year, key]
        before = figures.budgets.get((year - 1, key))
        if before is None:
            assert row["change"] == "" and row["change_percent"] == ""
            continue
        change = figures.budgets[year, key] - before
        assert Decimal(row["change"]) == change
        percent = (100 * change / before).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert Decimal(row["change_percent"]) == percent
    assert any(Decimal(r["change"] or 0) > 0 for r in rows)  # the budgets do move
    assert any(Decimal(r["change"] or 0) < 0 for r in rows)


def test_projects_between_years_are_the_generators(demo: tuple[Path, Figures]) -> None:
    dist, figures = demo
    rows = _rows(dist, "projects-between-years", **{"from": "2025", "to": "2026"})
    found = {(r["key"], r["status"], same_title(r["title"])) for r in rows}
    expected = set()
    for (year, key), titles in figures.projects.items():
        if year != 2026:
            continue
        before = {same_title(t) for t in figures.projects[2025, key]}
        now = {same_title(t) for t in titles}
        expected |= {(key, "new", t) for t in now - before}
        expected |= {(key, "ended", t) for t in before - now}
    assert found == expected and expected  # some projects start or end, most continue
    continued = sum(len(set(figures.projects[2026, r.key]) & set(figures.projects[2025, r.key]))
                    for r in real_regions())  # fmt: skip
    assert continued > len(expected)


def test_regions_ranked_by_budget_are_the_generators(demo: tuple[Path, Figures]) -> None:
    dist, figures = demo
    rows = _rows(dist, "regions-ranked-by-budget", year="2026")
    ranked = sorted(
        ((key, amount) for (year, key), amount in figures.budgets.items() if year == 2026),
        key=lambda item: (-item[1], item[0]),
    )
    assert [r["key"] for r in rows] == [key for key, _ in ranked]
    assert rows[0]["rank"] == "1" and len(rows) == 26


def test_every_description_says_synthetic(demo: tuple[Path, Figures]) -> None:
    dist, _ = demo
    for name in ("aqb.ttl", "aqb.nt", "aqb.jsonld", "aqb.trig", "catalog.ttl", "void.ttl"):
        text = (dist / name).read_text(encoding="utf-8")
        assert (
            "Synthetische Demonstrationsdaten" in text and "Synthetic demonstration data" in text
        ), name
        assert DEFAULT_BASE not in text, f"{name} mixes in the default base"
    record = json.loads((dist / "current" / "release.json").read_text(encoding="utf-8"))
    assert record["synthetic"] is True and record["base"] == DEMO_BASE


@pytest.mark.parametrize("name", ["agreements.csv", "projects.csv", "massnahmenarten.csv"])
def test_every_table_row_says_synthetic(demo: tuple[Path, Figures], name: str) -> None:
    """A spreadsheet shows the first column of every row: there it says so, in both
    languages; the metadata's titles and description too, and csvw still validates it."""
    dist, _ = demo
    header, *rows = (dist / "current" / name).read_bytes().decode("utf-8").split("\r\n")[:-1]
    assert header.startswith("synthetisch,") and rows
    for row in rows:
        assert row.startswith(f'"{SYNTHETIC_NOTE}",') or row.startswith(f"{SYNTHETIC_NOTE},"), row
    assert "synthetisch" in SYNTHETIC_NOTE and "synthetic" in SYNTHETIC_NOTE
    metadata = json.loads((dist / "current" / f"{name}-metadata.json").read_text(encoding="utf-8"))
    texts = json.dumps([metadata["dc:title"], metadata["dc:description"]], ensure_ascii=False)
    assert "Synthetisch" in texts and "Synthetic" in texts
    assert metadata["tableSchema"]["columns"][0] == {
        "name": "synthetisch", "titles": {"de": "Synthetisch", "en": "Synthetic"},
        "datatype": "string", "suppressOutput": True,
    }  # fmt: skip
    assert csvw_problems(dist / "current" / f"{name}-metadata.json") == []


def test_the_demo_never_writes_into_dist(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo_main(["--folder", ".", "--no-serve"]) == 1
    assert "never writes into dist/" in capsys.readouterr().err


def test_every_page_says_synthetic(demo: tuple[Path, Figures]) -> None:
    dist, _ = demo
    with serving(dist, "--processes", "1", "--spares", "0") as server:
        for path in (
            "/",
            "/id/gebietskoerperschaft/06413?lang=en",
            "/queries",
            "/id/zielvereinbarung/1999/06413",
        ):
            _, _, body = server.request("GET", path, headers={"Accept": "text/html"})
            html = body.decode("utf-8")
            assert 'class="synthetic-banner"' in html, path
            assert "synthetisch" in html or "synthetic" in html, path
        _, _, void = server.request("GET", "/.well-known/void", headers={"Accept": "text/turtle"})
        assert b"Synthetic demonstration data" in void
