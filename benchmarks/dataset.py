"""The benchmark's data: the synthetic corpus, built as ``aqb-rdf build`` builds it.

:func:`prepare_data` generates the corpus (``corpus.py``) and builds a release in a work folder,
or reuses an earlier build with the same parameters; :func:`read_agreements` reads back what the
queries and the answer checks need: each agreement's key, year, IRI and budget.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from aqb_rdf.demo.corpus import generate_corpus

BASE = "https://aqb-rdf.example/"


@dataclass(frozen=True)
class Agreement:
    """What the queries and checks need of one agreement."""

    key: str
    year: str
    iri: str
    budget: float


@dataclass(frozen=True)
class Dataset:
    """A built release of the corpus: the dist folder, the release in it, and its agreements."""

    dist: Path
    release: Path
    triples: int
    agreements: list[Agreement]


def prepare_data(workdir: Path, regions: int, years: int, seed: int) -> Dataset:
    """Generate the corpus and build it, or reuse an earlier build with the same parameters."""
    from aqb_rdf.build.pipeline import build
    from aqb_rdf.publish.release import current_release

    params = {"regions": regions, "years": years, "seed": seed}
    marker = workdir / "params.json"
    dist = workdir / "dist"
    release = current_release(dist) if dist.exists() else None
    if marker.exists() and json.loads(marker.read_text()) == params and release is not None:
        triples = json.loads((workdir / "triples.json").read_text())
        print(f"Data: reusing the build in {dist} ({triples:,} triples)")
    else:
        for folder in (workdir / "corpus", dist):
            shutil.rmtree(folder, ignore_errors=True)
        marker.unlink(missing_ok=True)
        started = time.perf_counter()
        agreements_dir = generate_corpus(workdir / "corpus", regions, years, seed=seed)
        report = build(
            sorted(agreements_dir.glob("*/*")), dist, reference_dir=workdir / "corpus" / "reference"
        )
        triples = report.triples
        (workdir / "triples.json").write_text(json.dumps(triples))
        marker.write_text(json.dumps(params))
        release = current_release(dist)
        print(f"Data: generated and built {report.agreements:,} agreements, {triples:,} triples "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    assert release is not None
    agreements = read_agreements(dist / "aqb.nt")
    return Dataset(dist, Path(release).resolve(), triples, agreements)


def read_agreements(ntriples: Path) -> list[Agreement]:
    """Every agreement's key, year, IRI and budget, from the dump (the CSV lacks agreements
    without projects)."""
    import pyoxigraph

    aqb, value = BASE + "def/aqb#", "http://schema.org/value"
    wanted = {aqb + "jahr", aqb + "gebietskoerperschaft", aqb + "kreisschluessel",
              aqb + "budget", value}  # fmt: skip
    facts: dict[tuple[str, str], str] = {}
    for triple in pyoxigraph.parse(path=ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES):
        if triple.predicate.value in wanted:
            facts[triple.subject.value, triple.predicate.value] = triple.object.value
    agreements = []
    for (subject, predicate), year in facts.items():
        if predicate != aqb + "jahr":
            continue
        region = facts[subject, aqb + "gebietskoerperschaft"]
        budget = facts[facts[subject, aqb + "budget"], value]
        agreements.append(Agreement(facts[region, aqb + "kreisschluessel"], year[:4], subject,
                                    float(budget)))  # fmt: skip
    return sorted(agreements, key=lambda a: a.iri)
