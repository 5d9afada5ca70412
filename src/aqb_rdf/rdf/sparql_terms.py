"""RDF terms written into SPARQL text, so that no value can break out of its place (pure).

Every query or update that puts a value into SPARQL (``aqb-rdf push``, ``aqb-rdf link``, the
``VALUES`` blocks of named queries) writes it through these functions, never with an
f-string of the raw value:

* :func:`iri` checks the IRI with pyoxigraph (an absolute IRI without ``<>"{}|^`\\`` or
  spaces) and writes it in its N-Triples form, ``<…>``;
* :func:`string` writes a string literal in its N-Triples form (``"``, ``\\``, line breaks
  and control characters escaped), and also guards against SPARQL's `codepoint escapes
  <https://www.w3.org/TR/sparql11-query/#codepointEscape>`_: a store that replaces ``\\u``
  escapes before it parses (as SPARQL 1.1 §19.2 says) would turn a value's ``\\u0022`` into
  a quote, so the ``u`` after an escaped backslash is itself written as ``\\u0075``, which
  reads the same in both readings.

Each raises ``ValueError`` for a value that is no such term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pyoxigraph import Literal, NamedNode

__all__ = ["iri", "prefix_declarations", "string", "term"]

_ESCAPED_BACKSLASH_THEN_U = re.compile(r"(?<!\\)((?:\\\\)+)([uU])")


def iri(value: str) -> str:
    """``<value>``, once pyoxigraph has checked that ``value`` is an absolute IRI.

    Raises:
        ValueError: ``value`` is not an absolute IRI (it could not stand between ``<`` ``>``).
    """
    return str(NamedNode(value))


def string(value: str, language: str | None = None) -> str:
    """``"value"`` or ``"value"@language`` as SPARQL reads it, whatever ``value`` holds.

    Raises:
        ValueError: ``language`` is not a language tag.
    """
    return term(Literal(value, language=language))


def term(node: NamedNode | Literal) -> str:
    """A pyoxigraph IRI or literal as SPARQL text (see the module docstring)."""
    if isinstance(node, NamedNode):
        return str(node)
    return _ESCAPED_BACKSLASH_THEN_U.sub(
        lambda m: m.group(1) + ("\\u0075" if m.group(2) == "u" else "\\u0055"), str(node)
    )


def prefix_declarations(prefixes: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """``PREFIX p: <iri>`` lines, one per prefix.

    Raises:
        ValueError: a prefix is not a SPARQL prefix name or a namespace not an IRI.
    """
    pairs = prefixes.items() if isinstance(prefixes, Mapping) else prefixes
    lines = []
    for prefix, namespace in pairs:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", prefix):
            raise ValueError(f"not a prefix name: {prefix!r}")
        lines.append(f"PREFIX {prefix}: {iri(namespace)}\n")
    return "".join(lines)
