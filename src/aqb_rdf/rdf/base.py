"""The base IRI: the default one, its check, and moving text written under it (pure).

Apart from :mod:`aqb_rdf.rdf.iris` so that the SPARQL workers, which rebase named queries,
start without importing rdflib (tests/test_namespaces.py measures that they do).
"""

from __future__ import annotations

import re

DEFAULT_BASE = "https://aqb-rdf.example/"
"""The base the ontology, shapes and queries are written with; outputs are rebased from it."""


def check_base(base: str) -> str:
    """``base`` if it is an absolute http(s) IRI ending in ``/``; ValueError otherwise."""
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+/", base):
        raise ValueError(f"base IRI must be an absolute http(s) IRI ending in '/': {base!r}")
    return base


def rebase_text(text: str, base: str) -> str:
    """Text written under :data:`DEFAULT_BASE` (a named query, a definition that cites a
    namespace) with every occurrence of that base replaced by ``base``."""
    if base == DEFAULT_BASE:
        return text
    return text.replace(DEFAULT_BASE, base)
