"""The search index of a release: an SQLite FTS5 file written by the build, read by the server.

Why SQLite FTS5 and not tantivy: measured with ``benchmarks/search.py`` on the synthetic
corpus (``aqb_rdf.demo.corpus``), 2,000 queries (whole words, prefixes, typos, several words,
region names with "Stadt"/"Landkreis"), the same entries and folded words in both, each query
asking for every kind's count and 10 best; 2 shared cores, load 3–5:

==========================  =========  =====  ======  =======  ========
corpus                      index      build  size    p50      p99
==========================  =========  =====  ======  =======  ========
1,700 agreements, 1.0 M     FTS5       0.6 s  5.1 MB  1.39 ms  16.6 ms
triples, 21,185 entries     tantivy    0.8 s  0.4 MB  1.53 ms  39.3 ms
3,400 agreements, 2.0 M     FTS5       1.1 s  10 MB   1.59 ms  8.7 ms
triples, 42,299 entries     tantivy    1.4 s  0.7 MB  1.58 ms  13.1 ms
==========================  =========  =====  ======  =======  ========

Reading the entries from ``aqb.nt`` costs more than either index: 4–11 s at 1–2 M triples.
Both are well under the 50 ms the pages need; FTS5 comes with Python (no dependency, no
binary wheel), writes one deterministic file (the same entries give the same bytes: the rows
go in sorted, then ``VACUUM INTO`` a fresh file), and opens read-only (``mode=ro``,
``immutable=1``: no lock, no journal) in the sandboxed server process; tantivy writes a
folder of segments named by random UUIDs.

The file holds:

* ``entry``: one row per :class:`~aqb_rdf.search.entries.Entry` (kind, IRI, titles and contexts
  in German and English);
* ``entry_text``: a contentless FTS5 table over the folded words (:mod:`.german`) of the
  titles and the other names, weighted 10 : 4 in the ranking (``bm25``); the context (the
  agreement of a project …) is shown, not searched: *2025* would find every project of the
  year, and *Zielvereinbarung* every entry;
* ``kind_range``: the first and last rowid of each kind (the rows are written sorted by kind),
  so each group is counted and ranked over its own rowids;
* ``word``: every folded word once, and ``word_trigram``, an FTS5 ``trigram`` index over them:
  a query word that starts no word of the index is looked up by its trigrams and replaced by
  the words within a small edit distance (1 up to 7 letters, 2 from 8), *Bergstrase* →
  *bergstrasse*.

A query's words must all match (as prefixes, or through their typo replacements), except the
words of :data:`~aqb_rdf.search.german.OPTIONAL_WORDS`, which only raise the rank of an entry
that has them.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rapidfuzz.distance import Levenshtein

from aqb_rdf.rdf.iris import Iris
from aqb_rdf.search.entries import KINDS, Entry, Kind, entries_of
from aqb_rdf.search.german import OPTIONAL_WORDS, folded_words, spans

_SCHEMA: Final = """
CREATE TABLE entry (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, iri TEXT NOT NULL,
    title_de TEXT NOT NULL, title_en TEXT NOT NULL,
    context_de TEXT NOT NULL, context_en TEXT NOT NULL
);
CREATE VIRTUAL TABLE entry_text USING fts5(
    title, names, content='', columnsize=0, tokenize='unicode61', prefix='3'
);
CREATE TABLE word (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE word_trigram USING fts5(word, content='', tokenize='trigram');
CREATE TABLE kind_range (kind TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL);
"""
_WEIGHTS: Final = (10.0, 4.0)
"""bm25 weights of the columns title and names."""
_CANDIDATES: Final = 64
"""Words sharing trigrams with a misspelt query word that are compared with it."""
MAX_QUERY_WORDS: Final = 8
"""Words of a query taken (the rest is ignored): bounds the work of one search."""
_RERANKED: Final = 3
"""Of each kind, ``per_kind`` × this many best matches by bm25 are ranked again in Python (the
optional words, a title that has every word)."""


def _folded(text: str) -> str:
    return " ".join(folded_words(text))


def write_index(path: Path, entries: Iterable[Entry]) -> int:
    """Write the index of ``entries`` into ``path`` (deterministic); return how many.

    Raises:
        OSError: the disk is full or cannot be written (SQLite's own error, as the
            ``OSError`` every other write of a release raises, so that it names the file).
    """
    try:
        return _write_index(path, entries)
    except sqlite3.OperationalError as error:
        code = getattr(error, "sqlite_errorcode", None)
        if code == sqlite3.SQLITE_FULL:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from None
        if code is not None and code & 0xFF in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
            raise OSError(errno.EIO, str(error)) from None
        raise


def _write_index(path: Path, entries: Iterable[Entry]) -> int:
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    words: set[str] = set()
    ranges: dict[str, list[int]] = {}
    count = 0
    with sqlite3.connect(staging) as db:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.executescript(_SCHEMA)
        for number, entry in enumerate(entries, 1):
            db.execute(
                "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    number,
                    entry.kind.value,
                    entry.iri,
                    entry.title_de,
                    entry.title_en,
                    entry.context_de,
                    entry.context_en,
                ),  # fmt: skip
            )
            title = _folded(f"{entry.title_de} {entry.title_en}")
            names = _folded(" ".join(entry.names))
            db.execute(
                "INSERT INTO entry_text (rowid, title, names) VALUES (?, ?, ?)",
                (number, title, names),
            )
            words.update(title.split(), names.split())
            ranges.setdefault(entry.kind.value, [number, number])[1] = number
            count = number
        ordered = sorted(words)
        db.executemany("INSERT INTO word VALUES (?, ?)", enumerate(ordered, 1))
        db.executemany(
            "INSERT INTO word_trigram (rowid, word) VALUES (?, ?)", enumerate(ordered, 1)
        )
        db.executemany(
            "INSERT INTO kind_range VALUES (?, ?, ?)",
            ((kind, first, last) for kind, (first, last) in ranges.items()),
        )
        db.execute("INSERT INTO entry_text (entry_text) VALUES ('optimize')")
        db.execute("INSERT INTO word_trigram (word_trigram) VALUES ('optimize')")
    db.close()
    # A fresh copy without free pages or a history of the writes: the same bytes each time.
    with sqlite3.connect(staging) as db:
        db.execute("VACUUM INTO ?", (str(path),))
    db.close()
    staging.unlink()
    return count


@dataclass(frozen=True)
class Hit:
    """One result: the entry, and the spans of its title and context that matched."""

    kind: Kind
    iri: str
    title: str
    context: str
    title_marks: tuple[tuple[int, int], ...]
    context_marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Group:
    """The results of one kind: the best few, and how many there are in all."""

    kind: Kind
    total: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Results:
    """What a search found, grouped by kind in the order of :data:`KINDS`.

    Attributes:
        query: the query as given.
        words: the query's folded words that were searched.
        corrected: misspelt words and the words of the index they were taken for.
        groups: the groups with at least one hit.
    """

    query: str
    words: tuple[str, ...]
    corrected: dict[str, tuple[str, ...]] = field(default_factory=dict)
    groups: tuple[Group, ...] = ()

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def _marks(
    text: str, prefixes: Sequence[str], exact: frozenset[str]
) -> tuple[tuple[int, int], ...]:
    """The spans of the words of ``text`` that a query word matched."""
    return tuple(
        (start, end)
        for start, end, word in spans(text)
        if word in exact or any(word.startswith(prefix) for prefix in prefixes)
    )


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class SearchIndex:
    """A release's search index, opened read-only; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(path)
        self._db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()
        self._ranges = {
            Kind(kind): (first, last)
            for kind, first, last in self._db.execute("SELECT kind, first, last FROM kind_range")
        }

    def close(self) -> None:
        self._db.close()

    def _starts_a_word(self, word: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM word WHERE word >= ? AND word < ? LIMIT 1", (word, word + "\uffff")
        ).fetchone()
        return row is not None

    def _similar(self, word: str) -> tuple[str, ...]:
        """Words of the index within the edit distance ``word``'s length allows."""
        if len(word) < 4:
            return ()
        grams = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        match = " OR ".join(_quoted(gram) for gram in grams)
        candidates = [
            candidate
            for (candidate,) in self._db.execute(
                "SELECT w.word FROM (SELECT rowid FROM word_trigram WHERE word_trigram MATCH ?"
                " ORDER BY rank LIMIT ?) AS t JOIN word w ON w.id = t.rowid",
                (match, _CANDIDATES),
            )
        ]
        limit = 1 if len(word) < 8 else 2
        scored = sorted((Levenshtein.distance(word, c, score_cutoff=limit), c) for c in candidates)
        return tuple(c for d, c in scored if d <= limit)

    def search(self, query: str, lang: str = "de", per_kind: int = 10) -> Results:
        """The entries matching ``query``, the best ``per_kind`` of each kind, by rank."""
        with self._lock:
            return self._search(query, lang, per_kind)

    def _search(self, query: str, lang: str, per_kind: int) -> Results:
        words = tuple(dict.fromkeys(folded_words(query)))[:MAX_QUERY_WORDS]
        required = [w for w in words if w not in OPTIONAL_WORDS] or list(words)
        optional = [w for w in words if w not in required]
        if not required:
            return Results(query, words)
        clauses, prefixes, exact = [], list(required), set[str]()
        corrected: dict[str, tuple[str, ...]] = {}
        for word in required:
            # A word of one or two letters is itself (not every word it starts): bounds the
            # matches of a query that is being typed.
            alternatives = [_quoted(word) + ("*" if len(word) > 2 else "")]
            if not self._starts_a_word(word):
                similar = self._similar(word)
                if not similar:
                    return Results(query, words, corrected)
                corrected[word] = similar
                prefixes.remove(word)
                exact.update(similar)
                alternatives = [_quoted(w) for w in similar]
            clauses.append("(" + " OR ".join(alternatives) + ")")
        match = " AND ".join(clauses)
        weights = ", ".join(str(w) for w in _WEIGHTS)
        prefixes.extend(optional)
        frozen = frozenset(exact)
        groups = []
        # The entries of a kind have consecutive rowids (written sorted by kind): FTS5 reads
        # a rowid range without looking at the others, so each kind costs what it matches.
        for kind in KINDS:
            if kind not in self._ranges:
                continue
            first, last = self._ranges[kind]
            (total,) = self._db.execute(
                "SELECT count(*) FROM entry_text WHERE entry_text MATCH ? AND rowid BETWEEN ? AND ?",
                (match, first, last),
            ).fetchone()
            if not total:
                continue
            rows = self._db.execute(
                f"SELECT e.id, e.title_de, e.title_en, e.context_de, e.context_en, e.iri, r.score"
                f" FROM (SELECT rowid, bm25(entry_text, {weights}) AS score FROM entry_text"
                f" WHERE entry_text MATCH ? AND rowid BETWEEN ? AND ?"
                f" ORDER BY score, rowid LIMIT ?) AS r JOIN entry e ON e.id = r.rowid",
                (match, first, last, per_kind * _RERANKED),
            ).fetchall()
            ranked = []
            for number, t_de, t_en, c_de, c_en, iri, score in rows:
                title_words = set(folded_words(f"{t_de} {t_en}"))
                bonus = sum(1 for w in optional if w in title_words)
                every_word = set(words) <= title_words
                ranked.append((score - 5.0 * bonus - (2.0 if every_word else 0.0), number,
                               iri, t_de, t_en, c_de, c_en))  # fmt: skip
            ranked.sort(key=lambda row: (row[0], row[1]))
            hits = []
            for _, _, iri, t_de, t_en, c_de, c_en in ranked[:per_kind]:
                title = (t_en or t_de) if lang == "en" else t_de
                context = (c_en or c_de) if lang == "en" else c_de
                hits.append(
                    Hit(
                        kind,
                        iri,
                        title,
                        context,
                        _marks(title, prefixes, frozen),
                        _marks(context, prefixes, frozen),
                    )  # fmt: skip
                )
            groups.append(Group(kind, total, tuple(hits)))
        return Results(query, words, corrected, tuple(groups))


def index_dump(dump: Path, path: Path, iris: Iris) -> int:
    """Write the index of the N-Triples ``dump`` of a release into ``path``; return the
    number of entries. (The build writes the same bytes from its parts' entries, made in its
    workers, without reading the dump back: ``tests/test_search.py`` compares the two.)"""
    triples = ox.parse(path=dump, format=ox.RdfFormat.N_TRIPLES)
    return write_index(path, entries_of(triples, iris))
