"""The answers of queries and their output formats (pure).

A ``SELECT`` comes back as a :class:`SelectResult` (variables and rows of RDF terms).
:func:`format_table`, :func:`format_csv` and :func:`format_json` turn it into text; the last
two follow `SPARQL 1.1 Query Results CSV <https://www.w3.org/TR/sparql11-results-csv-tsv/>`_
and `JSON <https://www.w3.org/TR/sparql11-results-json/>`_. :data:`FORMATS` names them for
``--format``. A ``CONSTRUCT`` or ``DESCRIBE`` comes back as a :class:`GraphResult`, written
as Turtle or N-Triples (:data:`GRAPH_FORMATS`); :func:`format_answer` takes either.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from aqb_rdf.errors import QueryError, quote_input
from aqb_rdf.rdf import formats
from aqb_rdf.rdf.namespaces import XSD_STRING
from aqb_rdf.rdf.terms import NUMERIC_DATATYPES

Term: TypeAlias = NamedNode | BlankNode | Literal | Triple
"""An RDF term as a SPARQL result holds it."""


@dataclass(frozen=True)
class SelectResult:
    """The solutions of a SPARQL ``SELECT`` query.

    Attributes:
        variables: the projected variable names, without ``?``.
        rows: one tuple per solution, aligned with ``variables``; ``None`` where unbound.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, Term | None]]:
        """Return the rows as dictionaries keyed by variable name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class GraphResult:
    """The triples of a SPARQL ``CONSTRUCT`` or ``DESCRIBE`` query, in the engine's order."""

    triples: tuple[Triple, ...]

    def __len__(self) -> int:
        return len(self.triples)


def term_text(term: Term | None) -> str:
    """Return a term as one would read it: an IRI, ``_:id``, or a literal's lexical form.

    Language tags and datatypes are dropped; ``None`` (unbound) gives ``""``. These are the
    values of the SPARQL CSV results format.
    """
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Triple):
        return f"<< {term.subject} {term.predicate} {term.object} >>"
    return term.value


def format_table(result: SelectResult) -> str:
    """Return the result as an aligned text table with a header line and a row count.

    Numeric columns are right-aligned, line breaks inside values become spaces, and widths
    count characters as a terminal shows them (combining marks 0, East Asian wide 2).
    """
    header = list(result.variables)
    cells = [[_one_line(term_text(term)) for term in row] for row in result.rows]
    numeric = [_is_numeric_column(result, i) for i in range(len(header))]
    widths = [
        max([_width(header[i]), *(_width(row[i]) for row in cells)]) for i in range(len(header))
    ]

    def line(values: list[str]) -> str:
        padded = [_pad(value, widths[i], right=numeric[i]) for i, value in enumerate(values)]
        return "  ".join(padded).rstrip()

    out: list[str] = []
    if header:
        out.extend(line(values) for values in [header, ["-" * w for w in widths], *cells])
    count = len(result.rows)
    out.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(out) + "\n"


def format_csv(result: SelectResult) -> str:
    """Return the result as CSV (RFC 4180, CRLF), the SPARQL 1.1 CSV results format."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([term_text(term) for term in row])
    return buffer.getvalue()


def format_json(result: SelectResult) -> str:
    """Return the result in the SPARQL 1.1 Query Results JSON format."""
    document = {
        "head": {"vars": list(result.variables)},
        "results": {
            "bindings": [
                {
                    name: _json_term(term)
                    for name, term in zip(result.variables, row, strict=True)
                    if term is not None
                }
                for row in result.rows
            ]
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


FORMATS: Mapping[str, Callable[[SelectResult], str]] = {
    "table": format_table,
    "csv": format_csv,
    "json": format_json,
}
"""Output format name → formatter, for ``--format``."""


GRAPH_FORMATS: Mapping[str, formats.Format] = {
    "turtle": formats.TURTLE,
    "ntriples": formats.N_TRIPLES,
}
"""Output format name → RDF format of a :class:`GraphResult`, for ``--format``."""


def format_result(result: SelectResult, format_name: str) -> str:
    """Format ``result`` as ``table``, ``csv`` or ``json``.

    Raises:
        QueryError: the format is unknown.
    """
    formatter = FORMATS.get(format_name)
    if formatter is None:
        raise QueryError(
            f"unknown format {quote_input(format_name)}; use one of: {', '.join(FORMATS)}"
        )
    return formatter(result)


def format_graph(
    result: GraphResult, format_name: str, prefixes: Mapping[str, str] | None = None
) -> str:
    """Write ``result`` as ``turtle`` (with ``prefixes``) or ``ntriples``, sorted lines.

    Raises:
        QueryError: the format is unknown.
    """
    chosen = GRAPH_FORMATS.get(format_name)
    if chosen is None or chosen.rdf is None:
        raise QueryError(
            f"unknown format {quote_input(format_name)}; use one of: {', '.join(GRAPH_FORMATS)}"
        )
    if chosen.rdf == RdfFormat.N_TRIPLES:
        # One triple a line, sorted: the same answer prints the same, whatever the engine's order.
        body = serialize(result.triples, format=RdfFormat.N_TRIPLES) or b""
        return "".join(sorted(set(body.decode("utf-8").splitlines(keepends=True))))
    turtle = serialize(
        sorted(result.triples, key=str), format=chosen.rdf, prefixes=dict(prefixes or {})
    )
    return (turtle or b"").decode("utf-8")


def format_answer(
    answer: SelectResult | GraphResult,
    format_name: str | None,
    prefixes: Mapping[str, str] | None = None,
) -> str:
    """Format a ``SELECT`` answer (default ``table``) or a graph (default ``turtle``).

    Raises:
        QueryError: the format is unknown, or does not fit the answer (``csv`` for triples,
            ``turtle`` for rows).
    """
    if isinstance(answer, GraphResult):
        if format_name in FORMATS:
            raise QueryError(
                f"the query gives triples, not rows: use --format {' or '.join(GRAPH_FORMATS)}"
            )
        return format_graph(answer, format_name or "turtle", prefixes)
    if format_name in GRAPH_FORMATS:
        raise QueryError(f"the query gives rows, not triples: use --format {', '.join(FORMATS)}")
    return format_result(answer, format_name or "table")


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    literal: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        literal["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        literal["datatype"] = term.datatype.value
    return literal


def _is_numeric_column(result: SelectResult, index: int) -> bool:
    bound = [row[index] for row in result.rows if row[index] is not None]
    return bool(bound) and all(
        isinstance(term, Literal) and term.datatype.value in NUMERIC_DATATYPES for term in bound
    )


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)


def _width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill
