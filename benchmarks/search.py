"""Search latency at scale: SQLite FTS5 (the release's ``search.sqlite``) against tantivy.

Builds (or reuses) the synthetic corpus (``aqb_rdf.demo.corpus``, ``dataset.py``), reads the
search entries of its release once, writes both indexes from the same entries and folded words,
and times the same queries on each: whole words, prefixes (a word being typed), typos (a letter
dropped or doubled), several words, a region with "Stadt"/"Landkreis". Each query asks for the
groups of :mod:`aqb_rdf.search.index` (per kind: the count and the 10 best). Prints build time,
size, p50 and p99 per index; the figures are kept in the docstring of ``search/index.py``.

    .venv/bin/pip install tantivy        # benchmark-only
    .venv/bin/python benchmarks/search.py --agreements 1700 --workdir /tmp/aqb-search

tantivy gets the same work: a boolean query per kind (every word must match, as a prefix or
within edit distance 1, 2 from 8 letters; the kind a term that must match), counted and the
10 best taken; its reader is opened once.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the modules beside this one
import pyoxigraph as ox
from dataset import BASE, prepare_data

from aqb_rdf.rdf import files
from aqb_rdf.rdf.iris import Iris
from aqb_rdf.search.entries import KINDS, Entry, entries_of
from aqb_rdf.search.german import OPTIONAL_WORDS, folded_words
from aqb_rdf.search.index import SearchIndex, write_index


def queries(entries: list[Entry], count: int, seed: int) -> list[str]:
    """A mix of what people type, drawn from the entries' titles."""
    rng = random.Random(seed)
    titles = [e.title_de for e in entries]
    made: list[str] = []
    while len(made) < count:
        words = [w for w in folded_words(rng.choice(titles)) if len(w) > 3]
        if not words:
            continue
        word = rng.choice(words)
        kind = len(made) % 5
        if kind == 0:
            made.append(word)
        elif kind == 1:
            made.append(word[: max(3, len(word) // 2)])
        elif kind == 2:
            i = rng.randrange(1, len(word) - 1)
            made.append(
                word[:i] + word[i + 1 :] if len(made) % 2 else word[:i] + word[i] + word[i:]
            )
        elif kind == 3:
            made.append(" ".join(words[:3]))
        else:
            region = rng.choice([e for e in entries if e.kind.value == "region"])
            made.append(region.title_de)
    return made


def timed(search: Callable[[str], object], texts: list[str]) -> list[float]:
    for text in texts[:50]:  # warm the caches
        search(text)
    seconds = []
    for text in texts:
        started = time.perf_counter()
        search(text)
        seconds.append(time.perf_counter() - started)
    return seconds


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p99 * 1000


def tantivy_index(entries: list[Entry], folder: Path) -> Callable[[str], object]:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("kind", stored=True, tokenizer_name="raw")
    builder.add_integer_field("id", stored=True)
    builder.add_text_field("title", stored=False)
    builder.add_text_field("names", stored=False)
    schema = builder.build()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    for number, entry in enumerate(entries, 1):
        writer.add_document(
            tantivy.Document(
                kind=entry.kind.value,
                id=number,
                title=" ".join(folded_words(f"{entry.title_de} {entry.title_en}")),
                names=" ".join(folded_words(" ".join(entry.names))),
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    Occur, Query = tantivy.Occur, tantivy.Query

    def search(text: str) -> object:
        words = list(dict.fromkeys(folded_words(text)))
        required = [w for w in words if w not in OPTIONAL_WORDS] or words
        clauses = []
        for word in required:
            distance = 0 if len(word) < 4 else 1 if len(word) < 8 else 2
            either = [
                (
                    Occur.Should,
                    Query.fuzzy_term_query(schema, field, word, distance, True, len(word) > 2),
                )
                for field in ("title", "names")
            ]
            clauses.append((Occur.Must, Query.boolean_query(either)))
        groups = []
        for kind in KINDS:
            query = Query.boolean_query(
                [*clauses, (Occur.Must, Query.term_query(schema, "kind", kind.value))]
            )
            found = searcher.search(query, 10, count=True)
            if found.count:
                groups.append((kind, found.count, [searcher.doc(a)["id"] for _, a in found.hits]))
        return groups

    return search


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=1700, help="1700 ≈ 1M triples")
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="reused when the parameters match")
    parser.add_argument("--no-tantivy", action="store_true")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aqb-search-bench-"))
    regions = max(1, math.ceil(args.agreements / args.years))
    data = prepare_data(workdir, regions, args.years, args.seed)
    print(f"{len(data.agreements):,} agreements, {data.triples:,} triples")
    started = time.perf_counter()
    triples = ox.parse(path=data.release / files.N_TRIPLES_DUMP.name, format=ox.RdfFormat.N_TRIPLES)
    entries = entries_of(triples, Iris(BASE))
    print(f"entries: {len(entries):,}, read from aqb.nt in {time.perf_counter() - started:.1f} s")
    texts = queries(entries, args.queries, args.seed)
    rows = []
    path = workdir / "bench.sqlite"
    started = time.perf_counter()
    write_index(path, entries)
    built = time.perf_counter() - started
    index = SearchIndex(path)
    rows.append(
        ("SQLite FTS5", built, path.stat().st_size, *percentiles(timed(index.search, texts)))
    )
    index.close()
    if not args.no_tantivy:
        folder = workdir / "tantivy"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        started = time.perf_counter()
        search = tantivy_index(entries, folder)
        built = time.perf_counter() - started
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        rows.append(("tantivy", built, size, *percentiles(timed(search, texts))))
    print(f"{len(texts):,} queries, e.g. {texts[:5]}")
    print(f"{'index':<12} {'build':>8} {'size':>10} {'p50':>9} {'p99':>9}")
    for name, seconds, size, p50, p99 in rows:
        print(f"{name:<12} {seconds:>7.1f}s {size / 1e6:>8.1f}MB {p50:>7.2f}ms {p99:>7.2f}ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
