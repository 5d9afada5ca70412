"""The canonical number form (rdf/terms.py): the one Oxigraph gives back, used by both users."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode

from aqb_rdf.push.sync import canonical_number
from aqb_rdf.rdf.namespaces import XSD
from aqb_rdf.rdf.terms import INTEGER_DATATYPES, NUMERIC_DATATYPES, canonical_decimal

STORE = pyoxigraph.Store()


def _oxigraph_form(value: str) -> str:
    """What Oxigraph makes of ``value`` as an ``xsd:decimal``: ``STR(xsd:decimal("…"))``."""
    solutions = STORE.query(f'SELECT (STR(<{XSD}decimal>("{value}")) AS ?v) {{}}')
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    term = next(iter(solutions))["v"]
    assert isinstance(term, Literal)
    return term.value


@pytest.mark.parametrize(
    "value", ["1011410.00", "12.50", "0.05", "0.00", "-0.0", "-0.10", "007.700", "1000", "0"]
)
def test_the_canonical_form_is_oxigraphs(value: str) -> None:
    assert canonical_decimal(Decimal(value)) == _oxigraph_form(value)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9,
                   max_value=10**9))  # fmt: skip
def test_amounts_of_any_size_take_oxigraphs_form(value: Decimal) -> None:
    assert canonical_decimal(value) == _oxigraph_form(format(value, "f"))


@pytest.mark.parametrize("value", ["1011410.00", "-0.0", "12.50", "1E+3"])
def test_push_compares_decimals_in_the_same_form_as_the_dumps(value: str) -> None:
    literal = Literal(value, datatype=NamedNode(XSD + "decimal"))
    assert canonical_number(literal).value == canonical_decimal(Decimal(value))


def _is_numeric(datatype: str) -> bool:
    answer = STORE.query(f'ASK {{ VALUES ?x {{ "1"^^<{datatype}> }} FILTER(isNumeric(?x)) }}')
    assert isinstance(answer, pyoxigraph.QueryBoolean)
    return bool(answer)


def test_the_numeric_datatypes_are_those_oxigraph_takes_for_numbers() -> None:
    assert [d for d in sorted(NUMERIC_DATATYPES) if not _is_numeric(d)] == []
    assert not _is_numeric(XSD + "gYear") and not _is_numeric(XSD + "string")
    assert XSD + "decimal" in NUMERIC_DATATYPES and XSD + "decimal" not in INTEGER_DATATYPES
    assert INTEGER_DATATYPES < NUMERIC_DATATYPES and len(INTEGER_DATATYPES) == 13
