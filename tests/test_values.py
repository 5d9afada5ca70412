"""values.py: property-based tests for the German amount and date parsers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aqb_rdf.rdf.terms import canonical_decimal
from aqb_rdf.source.german import MONTHS, parse_amount, parse_german_date

euros = st.integers(min_value=0, max_value=10**12)
cents = st.integers(min_value=0, max_value=99)


def grouped(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


@given(euros, st.sampled_from([".", " ", "\u202f", "'"]))
def test_grouped_whole_euros(value: int, separator: str) -> None:
    assert parse_amount(grouped(value, separator)) == Decimal(value)
    assert parse_amount(grouped(value, separator) + ",-") == Decimal(value)


@given(euros, cents)
def test_euros_and_cents(value: int, cent: int) -> None:
    text = f"{grouped(value, '.')},{cent:02d}"
    assert parse_amount(text) == Decimal(value) + Decimal(cent) / 100
    assert parse_amount(f"{value},{cent:02d}") == Decimal(value) + Decimal(cent) / 100


@given(euros)
def test_result_always_has_cents(value: int) -> None:
    assert parse_amount(str(value)).as_tuple().exponent == -2


@given(euros, st.integers(min_value=0, max_value=20), st.sampled_from("OolIS,;:"))
def test_a_stray_character_is_never_read_as_a_digit(value: int, where: int, junk: str) -> None:
    text = grouped(value, ".")
    position = min(where, len(text))
    broken = text[:position] + junk + text[position:]
    if junk == "," and broken.count(",") == 1 and len(broken.rsplit(",", 1)[1]) in (1, 2):
        return  # a comma before the last one or two digits is a valid decimal comma
    with pytest.raises(ValueError):
        parse_amount(broken)


@pytest.mark.parametrize(
    "text", ["1.45O.700", "1.0000", "12.34", "1..000", ",50", "1.000,123", "", "EUR", "1.000.00"]
)
def test_malformed_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
NAMES = {number: name for name, number in MONTHS.items() if name != "jänner"}


@given(dates, st.booleans(), st.booleans())
def test_numeric_dates(date: dt.date, padded: bool, spaced: bool) -> None:
    day, month = (f"{date.day:02d}", f"{date.month:02d}") if padded else (date.day, date.month)
    gap = " " if spaced else ""
    assert parse_german_date(f"{day}.{gap}{month}.{gap}{date.year}") == date
    assert parse_german_date(f"{day}.{month}.{date.year % 100:02d}") == date


@given(dates)
def test_dates_with_month_names(date: dt.date) -> None:
    assert parse_german_date(f"{date.day}. {NAMES[date.month].capitalize()} {date.year}") == date


@pytest.mark.parametrize(
    "text", ["31.2.2025", "0.1.2025", "1.13.2025", "6. Brumaire 2025", "2025-08-06"]
)
def test_impossible_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_german_date(text)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("1011410.00", "1011410"),
        ("12.50", "12.5"),
        ("0.05", "0.05"),
        ("0.00", "0"),
        ("1E+3", "1000"),
        ("-0.0", "0"),
    ],
)
def test_canonical_decimal(value: str, canonical: str) -> None:
    assert canonical_decimal(Decimal(value)) == canonical
