"""The one-line SHACL messages of ``validation/report.py``: name, messages in both languages,
the values at fault; the same from both engines (pySHACL and ``shacl_core``).

The case: a signature dated before the agreement year. The shape compares the agreement's
term start (the path's value, 2025-01-01) with the signature's date (the wrong one), so the
line must show the date too, not only the term start.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph

from aqb_rdf.validation.report import ValidationReport, validate_graph
from aqb_rdf.validation.shacl_core import CoreValidator
from test_shapes import CONCEPT_SCHEMES, NODES, ONTOLOGY, SHAPES, VALID_AGREEMENT, apply, parse

SHAPES_GRAPH = parse(SHAPES)
CORE = CoreValidator(SHAPES_GRAPH)
ENGINES: dict[str, Callable[[str], ValidationReport]] = {
    "pyshacl": lambda update: validate_graph(_broken(update), SHAPES_GRAPH),
    "core": lambda update: CORE.validate(iter(_broken(update))),
}
EARLY_SIGNATURE = """
DELETE { $u1 aqb:datum ?d } INSERT { $u1 aqb:datum "2024-12-20"^^xsd:date }
WHERE { $u1 aqb:datum ?d }
"""


def _broken(update: str) -> Graph:
    return apply(parse(VALID_AGREEMENT, ONTOLOGY, *CONCEPT_SCHEMES), update)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_comparison_names_the_property_and_both_values(engine: str) -> None:
    report = ENGINES[engine](EARLY_SIGNATURE)
    [violation] = [
        v for v in report.violations if v.component == "LessThanOrEqualsConstraintComponent"
    ]
    line = violation.describe()
    assert line.startswith(f"<{NODES['u1']}> term start of the target agreement"), line
    assert " / Laufzeitbeginn der Zielvereinbarung: " in line, line
    assert "A signature lies within the year of the target agreement" in line, line
    assert "Eine Unterzeichnung liegt im Jahr der Zielvereinbarung" in line, line
    assert "(value: 2025-01-01; compared with datum: 2024-12-20)" in line, line
    assert "(complex path)" not in line, line
