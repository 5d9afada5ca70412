"""The order of IRIs a person expects: numbers by value (``projekt/2`` before ``projekt/10``)
(pure). The search index and the sitemap list IRIs in this order.
"""

from __future__ import annotations


def natural_key(iri: str) -> str:
    """A key that orders numbers in IRIs by value (``projekt/2`` before ``projekt/10``).

    The IRI's segments (split at ``/`` and ``#``) compare one by one, a segment of text
    before a number, texts as strings, numbers by value; an IRI before the longer ones it
    begins. As one string rather than a tuple of tuples (sorting 120,000 entries took 1.5 s,
    3 December 2026): text is ``\x01`` + text + ``\x00``, a number ``\x02`` + its count of
    digits (as a character) + its digits without leading zeros. An IRI holds no control
    characters, so the marks compare below everything they delimit.
    """
    key = []
    for part in iri.replace("#", "/").split("/"):
        if part.isdecimal():  # not isdigit(): int() refuses a superscript two
            digits = str(int(part))
            key.append(f"\x02{chr(0x30 + len(digits))}{digits}")
        else:
            key.append(f"\x01{part}\x00")
    return "".join(key)
