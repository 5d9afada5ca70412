"""Canonical lexical forms of literal values (pure).

Triple stores keep numbers as values, not as spellings: ``"1011410.00"^^xsd:decimal`` comes
back as ``"1011410"``. The dumps write numbers in that form, and ``aqb-rdf push`` compares a
store's graphs with the release in it; both use :func:`canonical_decimal`. The numeric
datatypes are listed here too, for the modules that treat numbers apart.
"""

from __future__ import annotations

from decimal import Decimal

from aqb_rdf.rdf.namespaces import XSD

INTEGER_DATATYPES = frozenset(
    XSD + name
    for name in ("integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                 "negativeInteger", "long", "int", "short", "byte", "unsignedLong",
                 "unsignedInt", "unsignedShort", "unsignedByte")
)  # fmt: skip
"""``xsd:integer`` and the types derived from it (plain strings, as pyoxigraph has them)."""
NUMERIC_DATATYPES = INTEGER_DATATYPES | {XSD + "decimal", XSD + "double", XSD + "float"}
"""Every XSD numeric datatype."""


def canonical_decimal(value: Decimal) -> str:
    """The canonical lexical form of an ``xsd:decimal`` (XSD 1.1).

    ``Decimal('1011410.00')`` → ``1011410``, ``Decimal('12.50')`` → ``12.5``,
    ``Decimal('1E+3')`` → ``1000``, ``Decimal('-0.0')`` → ``0``.
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
