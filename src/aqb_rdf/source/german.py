"""Parsers for the values agreements write in German: euro amounts and dates.

Both are strict: a value that is not exactly one of the accepted forms raises ``ValueError``
with the reason, so a typo such as ``1.45O.700`` (letter O) is reported, never half-read.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

_GROUPED = re.compile(r"\d{1,3}(?:(?P<sep>[. \u00a0\u202f'])\d{3})(?:(?P=sep)\d{3})*")
_PLAIN = re.compile(r"\d+")
_CENTS = re.compile(r",(?:\d{1,2}|-{1,2}|–)")

MONTHS = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
_NUMERIC_DATE = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})")
_WORD_DATE = re.compile(r"(\d{1,2})\.\s*([A-Za-zÄÖÜäöü]+)\s+(\d{4})")


def parse_amount(text: str) -> Decimal:
    """A German euro amount without its currency: ``1.011.410`` → ``Decimal('1011410.00')``.

    Accepted: digits grouped by ``.``, space or apostrophe (``1.011.410``), plain digits
    (``1011410``), each optionally followed by cents (``,00``, ``,5``) or ``,-``.
    The result always has two decimal places.
    """
    value = text.strip()
    euros, cents = value, ""
    comma = value.rfind(",")
    if comma != -1:
        euros, cents = value[:comma], value[comma:]
        if not _CENTS.fullmatch(cents):
            raise ValueError(f"bad cents {cents!r}")
    if not (_GROUPED.fullmatch(euros) or _PLAIN.fullmatch(euros)):
        raise ValueError("not a number in German notation")
    digits = re.sub(r"\D", "", euros)
    fraction = cents[1:] if cents[1:].isdigit() else "0"
    return Decimal(f"{int(digits)}.{fraction.ljust(2, '0')}")


def parse_german_date(text: str) -> dt.date:
    """``6.8.2025``, ``06.08.2025``, ``6. 8. 2025``, ``6.8.25`` or ``6. August 2025``."""
    value = text.strip()
    numeric = _NUMERIC_DATE.fullmatch(value)
    if numeric:
        day, month, year = (int(g) for g in numeric.groups())
        if len(numeric.group(3)) == 2:
            year += 2000
    else:
        word = _WORD_DATE.fullmatch(value)
        if not word or word.group(2).lower() not in MONTHS:
            raise ValueError("not a date like 6.8.2025 or 6. August 2025")
        day, month, year = int(word.group(1)), MONTHS[word.group(2).lower()], int(word.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError("no such day in the calendar") from None
