"""The orders pages list things in, where neither the IRI nor the text gives it (pure).

:func:`fold` orders text as German dictionaries do; :func:`legal_order` puts the Rechtskreise
in the order of the law (SGB II, SGB III, SGB VIII, SGB XII, AsylbLG), not the alphabet's.
"""

from __future__ import annotations

import unicodedata
from typing import Final


def fold(text: str) -> str:
    """Text as German dictionaries order it: case, accents and ß aside (ä as a, ß as ss)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_ROMAN: Final = {"I": 1, "V": 5, "X": 10}


def legal_order(notation: str) -> tuple[int, int, str]:
    """Where a Rechtskreis stands in the law: the books of the Sozialgesetzbuch by number
    (``SGB II`` before ``SGB VIII`` before ``SGB XII``), then the Asylbewerberleistungsgesetz,
    then anything else by its notation."""
    book = notation.removeprefix("SGB ").strip()
    if notation.startswith("SGB ") and book and set(book) <= set(_ROMAN):
        values = [_ROMAN[c] for c in book]
        number = sum(
            -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
        )
        return (0, number, notation)
    if notation == "AsylbLG":
        return (1, 0, notation)
    return (2, 0, notation)
