"""German-aware words for the search: folding and the words a query may leave out (pure).

A word is folded to lower case ASCII letters and digits the way German spelling allows
alternatives: ``ß`` → ``ss``, ``ä`` → ``ae``, ``ö`` → ``oe``, ``ü`` → ``ue`` (so *Gießen*,
*Giessen* and *GIESSEN* are one word, and *Hoechst* finds *Höchst*), other accents dropped
(*é* → *e*). The index and the query fold alike; a typo (*Bergstrase*, *Gisen*) is left to
the edit distance of :mod:`aqb_rdf.search.index`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Final

_SPECIAL: Final = str.maketrans(
    {"ß": "ss", "ẞ": "ss", "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)
_WORD: Final = re.compile(r"[^\W_]+")
"""A word: letters and digits; hyphens, slashes, quotes and spaces separate words."""

OPTIONAL_WORDS: Final = frozenset(
    {"stadt", "landkreis", "kreis", "kreisfreie", "kreisfreien", "landkreises", "lk"}
)
"""Folded words a query may carry without the entry having them: *Stadt Offenbach* finds the
city and *Landkreis Bergstrasse* the district even where a label leaves the word out; an entry
that has the word ranks first (*Stadt Kassel* before *Landkreis Kassel*)."""


@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """``word`` as the index keeps it: lower case, ß/umlauts spelt out, no accents.

    Remembered (the same words recur in every agreement: folding 10,000 agreements' search
    entries took 1.2 s, most of it for words folded before, 3 December 2026)."""
    if word.isascii():
        return word.lower()
    text = word.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, folded word)`` of each word of ``text``, in order."""
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if folded:
            yield match.start(), match.end(), folded


def folded_words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return [word for _, _, word in spans(text)]
