"""Errors the user sees: each one says where (file, line) and what is wrong, on one line.

AqbError
├── ReadError          the file cannot be read as a document (empty, binary, undecodable)
├── ParseError         a fact is missing or malformed (no budget, amount "1.45O.700 Euro")
├── ResolveError       a name does not resolve (unknown Gebietskörperschaft, unknown ministry)
├── DuplicateError     two documents for the same region and year
├── ValidationError    the graph violates the SHACL shapes
├── QueryError         a named query is missing, malformed or lacks a parameter
│   └── QueryRefused   (sparql_guard) a query the public endpoint will not run
└── PushError          a store refused a push request or could not be reached
"""

from __future__ import annotations


class AqbError(Exception):
    """An error with a location; ``str()`` gives the one-line message ``path:line: problem``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ReadError(AqbError):
    """The file cannot be read as an agreement document."""


class ParseError(AqbError):
    """The document lacks a fact every agreement states, or states it malformed."""


class ResolveError(AqbError):
    """A party named in the document is not in the reference data."""


class DuplicateError(AqbError):
    """Two documents describe the same Gebietskörperschaft and year."""


class ValidationError(AqbError):
    """The graph does not conform to the SHACL shapes."""


class QueryError(AqbError):
    """A named query cannot be found, parsed or run."""


class PushError(AqbError):
    """A store refused a request of ``aqb-rdf push`` or could not be reached (no credentials)."""


def first_line(error: BaseException) -> str:
    """The first line of an exception's message (libraries' messages can run to many lines)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def quote_input(value: str, limit: int = 40) -> str:
    """Quote user input for a one-line message: escaped, and shortened if long."""
    shown = value if len(value) <= limit else value[:limit] + "…"
    return repr(shown)
