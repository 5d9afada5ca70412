"""Named SPARQL queries: their header, parameter types and safe parameter binding (pure).

A named query is a ``queries/*.rq`` file that starts with a machine-readable header block of
``#`` comment lines, read by :func:`parse_named_query`::

    # title: Budget per Gebietskörperschaft and year
    # title@de: Budget je Gebietskörperschaft und Jahr
    # description: The agreed AQB budget (EUR) of each Landkreis and kreisfreie Stadt
    #   per year.
    # description@de: Das vereinbarte AQB-Budget (EUR) jedes Landkreises und jeder
    #   kreisfreien Stadt je Jahr.
    # param: year (gYear, optional) Restrict to one year, e.g. 2025.
    PREFIX aqb: <https://aqb-rdf.example/def/aqb#>
    SELECT ?year ?key ?budget WHERE {
      # {{values}}
      ?agreement aqb:jahr ?year ...
    }

Header rules:

* The header is the run of lines starting with ``#`` at the top of the file; the first line
  that does not start with ``#`` (a blank line, ``PREFIX``, ``SELECT`` …) ends it.
* ``# title: TEXT`` and ``# description: TEXT`` appear exactly once each (in English);
  ``# title@de: TEXT`` and ``# description@de: TEXT`` give them in German, at most once each
  (every packaged query has them; a page in German shows them, and falls back to English).
* ``# internal: TEXT`` marks a query the server runs for its own pages (``TEXT`` says which);
  it is left out of every list offered to people (``/queries``, the editor's examples,
  ``aqb-rdf query --help``), but still runs by name.
* ``# param: NAME (TYPE, required|optional[, inline]) TEXT`` declares a parameter, once per
  name. ``NAME`` is the SPARQL variable (without ``?``) the value is bound to; ``TYPE`` is one
  of :data:`PARAMETER_TYPES` (``gYear``, ``kreisschluessel``, ``notation``, ``iri``).
  ``inline``: the value replaces the variable itself, wherever the query uses it (see below).
* ``# param@de: NAME TEXT`` gives a declared parameter's description in German, at most once
  per parameter (every packaged query has it for each parameter; a page in German shows it).
* A line ``#`` followed by at least two spaces continues the field above it; a bare ``#`` is
  ignored. Any other line in the header is an error.

Binding (:func:`bind`) never splices user text into SPARQL. Each value must match its type's
pattern in full, and is then turned into an RDF term with pyoxigraph (a literal, or for the
``iri`` type an IRI) and written in its N-Triples form (which escapes quotes, ``>`` and line
breaks). The terms are put in
``VALUES ?name { literal }`` blocks that replace the marker line ``# {{values}}``. A query
that declares parameters has that line at least once: once at the top of its ``WHERE`` group,
and once more in each subquery that needs the values (a subquery sees no outer bindings). The
blocks all go on the marker's line, so line numbers in SPARQL error messages still match the
file. A parameter
that is not given gets no ``VALUES`` block, so its variable stays free and matches
everything. Put the marker at the top of the ``WHERE`` group, before any ``OPTIONAL`` or
``BIND`` that uses the variable: the values then constrain the optional parts too.

An ``inline`` parameter gets no ``VALUES`` block: its term (in the same checked N-Triples
form) replaces every use of the variable in the query's code (the lexer's ``var`` tokens; never
inside strings, IRIs or comments), so the engine plans with a constant. pyoxigraph 0.5.13 joins
a ``VALUES`` block after it evaluates a ``UNION``: ``describe-resource.rq`` for one agreement
took 16.5 ms with the IRI in ``VALUES`` and 4.8 ms with it inline, at 61,000 triples (each of its
six branches alone takes 0.1-1.8 ms; with ``VALUES`` its first branch scans every triple). Only
for a variable the query never projects (``SELECT ?name`` would become ``SELECT <iri>``).

One more marker serves paging (``describe-resource.rq``): subjects lines ``# {{subjects}}``,
which :func:`bind_subjects` replaces with ``VALUES ?x { … }`` (IRIs from an earlier answer,
written in N-Triples form). Left alone, they stay comments and the query gives every row.

``SELECT`` answers and their output formats are in :mod:`aqb_rdf.sparql.results`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from aqb_rdf.errors import QueryError, quote_input
from aqb_rdf.rdf import sparql_terms
from aqb_rdf.rdf.namespaces import XSD
from aqb_rdf.sparql.lexer import tokenize

VALUES_MARKER = "# {{values}}"
"""The comment line that :func:`bind` replaces with the ``VALUES`` blocks."""
SUBJECTS_MARKER = "# {{subjects}}"
"""The comment lines that :func:`bind_subjects` replace with ``VALUES ?x { … }``."""


# --- parameter types ---------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterType:
    """A kind of value a named query accepts, with the RDF term it binds to.

    Attributes:
        name: the name used in ``# param:`` header lines.
        pattern: the whole value must match it (ASCII only).
        expected: what a valid value looks like, for error messages.
        datatype: the XSD datatype IRI of the bound literal; ``None`` for a plain string.
        iri: bind an IRI (``<…>``) instead of a literal; ``datatype`` is then ignored.
    """

    name: str
    pattern: str
    expected: str
    datatype: str | None = None
    iri: bool = False

    def to_term(self, value: str) -> Literal | NamedNode:
        """Return ``value`` as an RDF term, or raise ``ValueError`` if it is malformed."""
        if re.fullmatch(self.pattern, value, flags=re.ASCII) is None:
            raise ValueError(self.expected)
        if self.iri:
            return NamedNode(value)  # raises ValueError for what is not an IRI after all
        if self.datatype is None:
            return Literal(value)
        return Literal(value, datatype=NamedNode(self.datatype))


PARAMETER_TYPES: Mapping[str, ParameterType] = {
    t.name: t
    for t in (
        ParameterType("gYear", "[0-9]{4}", "a 4-digit year, e.g. 2025", XSD + "gYear"),
        ParameterType("kreisschluessel", "[0-9]{5}", "a 5-digit Kreisschlüssel, e.g. 06413"),
        ParameterType("notation", "[1-9][0-9]{0,2}", "a number as in skos:notation, e.g. 3"),
        # Printable ASCII without space and the characters N-Triples forbids in an IRI
        # (" < > \\ ^ ` { | }): an IRI as written in a URL, percent-encoded where needed.
        ParameterType(
            "iri",
            r"https?://[!#-;=?-\[\]_a-z~]+",
            "an absolute http(s) IRI, e.g. https://aqb-rdf.example/id/gebietskoerperschaft/06413",
            iri=True,
        ),
    )
}
"""The parameter types a ``# param:`` line may declare, by name.

``gYear`` binds ``"2025"^^xsd:gYear`` (as ``aqb:jahr``), ``kreisschluessel`` binds the plain
literal ``"06413"`` (as ``aqb:kreisschluessel``), ``notation`` binds the plain literal
``"3"`` (as ``skos:notation`` of a Maßnahmenart), and ``iri`` binds an IRI such as
``<https://aqb-rdf.example/id/gebietskoerperschaft/06413>`` (the resource a page describes).
"""


# --- named queries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """One ``# param:`` line of a named query."""

    name: str
    type: ParameterType
    required: bool
    description: str
    inline: bool = False
    """The value replaces the variable in the query text instead of a ``VALUES`` block."""
    description_de: str | None = None
    """The description in German, from ``# param@de:``."""

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (``de`` or ``en``); English where there is no German."""
        return self.description_de if lang == "de" and self.description_de else self.description


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its header.

    Attributes:
        name: the file name without ``.rq``, e.g. ``total-per-year``.
        title: one line for listings, in English.
        description: what the rows are, in English.
        parameters: the declared parameters, in header order.
        text: the whole file, header included (SPARQL ignores it as comments).
        source: where the text came from, for error messages.
        title_de: the title in German, if the header gives it.
        description_de: the description in German, if the header gives it.
        internal: why the query is internal (``# internal:``), or ``None`` for a query
            offered to people.
    """

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    source: str | None = None
    title_de: str | None = None
    description_de: str | None = None
    internal: str | None = None

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called ``name``, or ``None``."""
        return next((p for p in self.parameters if p.name == name), None)

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (``de`` or ``en``); English where there is no German one."""
        return self.title_de if lang == "de" and self.title_de else self.title

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (``de`` or ``en``); English where there is no German."""
        return self.description_de if lang == "de" and self.description_de else self.description


_FIELD = re.compile(r"#\s?(?P<key>[a-z]+(?:@de)?):\s*(?P<value>.*)")
_TEXT_FIELDS = ("title", "title@de", "description", "description@de", "internal")
_CONTINUATION = re.compile(r"#\s{2,}(?P<value>\S.*)")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"\(\s*(?P<type>[A-Za-z]+)\s*,\s*(?P<presence>required|optional)"
    r"(?:\s*,\s*(?P<inline>inline))?\s*\)"
    r"\s*(?P<description>\S.*)"
)


def parse_named_query(
    name: str, text: str, source: str | None = None, *, require_title: bool = True
) -> NamedQuery:
    """Read the header of a ``.rq`` file (see the module docstring for its form).

    Args:
        name: the query's name, e.g. ``total-per-year``.
        text: the file's content.
        source: the file's path for error messages; defaults to ``{name}.rq``.
        require_title: whether ``# title:`` and ``# description:`` must be there (a packaged
            query); without them the title is ``name`` and the description empty.

    Returns:
        The query with its title, description and parameters.

    Raises:
        QueryError: the header is malformed or incomplete, a parameter's variable is not in
            the query, or the ``# {{values}}`` marker is missing.
    """
    where = source or f"{name}.rq"
    fields: list[tuple[str, str, int]] = []  # key, value, line number
    lines = text.splitlines()
    header_end = len(lines)
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.startswith("#"):
            header_end = number - 1
            break
        if line.strip() == "#":
            continue
        if (field := _FIELD.fullmatch(line)) is not None:
            fields.append((field["key"], field["value"].strip(), number))
        elif (more := _CONTINUATION.fullmatch(line)) is not None and fields:
            key, value, first = fields[-1]
            fields[-1] = (key, f"{value} {more['value'].strip()}".strip(), first)
        else:
            raise QueryError(
                "header line must be '# title:', '# title@de:', '# description:',"
                " '# description@de:', '# internal:', '# param:' or '# param@de:'"
                " (or continue the line above with '#' and two spaces)",
                where,
                number,
            )

    variables = {t.text[1:] for t in tokenize("\n".join(lines[header_end:])) if t.kind == "var"}
    if require_title:
        title = _single_field(fields, "title", where)
        description = _single_field(fields, "description", where)
    else:
        title = _optional_field(fields, "title", where) or name
        description = _optional_field(fields, "description", where) or ""
    title_de = _optional_field(fields, "title@de", where)
    description_de = _optional_field(fields, "description@de", where)
    internal = _optional_field(fields, "internal", where)
    parameters: list[Parameter] = []
    for key, value, number in fields:
        if key in _TEXT_FIELDS or key == "param@de":
            continue
        if key != "param":
            raise QueryError(f"unknown header field '{key}:'", where, number)
        parameter = _parse_parameter(value, where, number)
        if any(p.name == parameter.name for p in parameters):
            raise QueryError(f"parameter '{parameter.name}' is declared twice", where, number)
        if parameter.name not in variables:
            raise QueryError(
                f"parameter '{parameter.name}' has no variable ?{parameter.name} in the query",
                where,
                number,
            )
        parameters.append(parameter)

    parameters = _with_german(parameters, fields, where)
    markers = [n for n, line in enumerate(lines, start=1) if line.strip() == VALUES_MARKER]
    if parameters and not markers:
        raise QueryError(f"query with parameters has no '{VALUES_MARKER}' line", where, 0)
    return NamedQuery(
        name,
        title,
        description,
        tuple(parameters),
        text,
        source,
        title_de=title_de,
        description_de=description_de,
        internal=internal,
    )


def parse_query_file(name: str, text: str, source: str) -> NamedQuery:
    """Read a query file a user gave (``aqb-rdf query my-own.rq``, or ``-`` for stdin).

    A user's file runs as written and needs no header: only when its first line is a header
    field (``# title:``, ``# param:`` …) is its header read, by the rules of
    :func:`parse_named_query` except that title and description may be left out (the title is
    then ``name``). Any other file is a plain query whose comments are only comments; it
    takes no parameters.

    Raises:
        QueryError: the file starts a header that is malformed.
    """
    first = text.split("\n", 1)[0].rstrip()
    field = _FIELD.fullmatch(first)
    if field is None or field["key"] not in (*_TEXT_FIELDS, "param"):
        return NamedQuery(name, name, "", (), text, source)
    return parse_named_query(name, text, source, require_title=False)


def _with_german(
    parameters: list[Parameter], fields: list[tuple[str, str, int]], where: str
) -> list[Parameter]:
    """``parameters`` with the German descriptions of the ``# param@de:`` lines."""
    german: dict[str, str] = {}
    for key, value, number in fields:
        if key != "param@de":
            continue
        name, _, text = value.partition(" ")
        if not any(p.name == name for p in parameters):
            raise QueryError(f"'# param@de:' names no declared parameter: '{name}'", where, number)
        if name in german:
            raise QueryError(f"parameter '{name}' has two '# param@de:' lines", where, number)
        if not text.strip():
            raise QueryError(f"'# param@de: {name}' is empty", where, number)
        german[name] = text.strip()
    return [dataclasses.replace(p, description_de=german.get(p.name)) for p in parameters]


def _single_field(fields: list[tuple[str, str, int]], key: str, where: str) -> str:
    value = _optional_field(fields, key, where)
    if value is None:
        raise QueryError(f"header has no '# {key}:' line", where, 1)
    return value


def _optional_field(fields: list[tuple[str, str, int]], key: str, where: str) -> str | None:
    found = [(value, number) for k, value, number in fields if k == key]
    if not found:
        return None
    if len(found) > 1:
        raise QueryError(f"header has more than one '# {key}:' line", where, found[1][1])
    value, number = found[0]
    if not value:
        raise QueryError(f"'# {key}:' is empty", where, number)
    return value


def _parse_parameter(value: str, where: str, number: int) -> Parameter:
    match = _PARAM.fullmatch(value)
    if match is None:
        raise QueryError(
            "'# param:' must read 'NAME (TYPE, required|optional[, inline]) DESCRIPTION'",
            where,
            number,
        )
    type_ = PARAMETER_TYPES.get(match["type"])
    if type_ is None:
        known = ", ".join(PARAMETER_TYPES)
        raise QueryError(
            f"unknown parameter type '{match['type']}' (known: {known})", where, number
        )
    return Parameter(
        match["name"],
        type_,
        match["presence"] == "required",
        match["description"].strip(),
        inline=match["inline"] is not None,
    )


# --- binding ------------------------------------------------------------------------------


def parse_params(assignments: Iterable[str]) -> dict[str, str]:
    """Turn ``NAME=VALUE`` strings (``--param`` options) into a dictionary.

    Raises:
        QueryError: an assignment has no ``=`` or no name, or a name is given twice.
    """
    params: dict[str, str] = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        name = name.strip()
        if not equals or not name:
            raise QueryError(f"parameter must be NAME=VALUE, not {quote_input(assignment)}")
        if name in params:
            raise QueryError(f"parameter '{name}' is given twice")
        params[name] = value
    return params


def bind(query: NamedQuery, params: Mapping[str, str]) -> str:
    """Return the query's SPARQL with ``params`` bound as ``VALUES`` blocks.

    Args:
        query: the named query.
        params: parameter name → value as typed by the user, e.g. ``{"year": "2025"}``.

    Returns:
        SPARQL text: the query with each ``# {{values}}`` line replaced by one
        ``VALUES ?name { literal }`` block per given parameter (unchanged if none is given).

    Raises:
        QueryError: a parameter is unknown, a required one is missing, or a value is malformed.
    """
    declared = ", ".join(p.name for p in query.parameters)
    for name in params:
        if query.parameter(name) is None:
            takes = f"it takes: {declared}" if declared else "it takes no parameters"
            raise QueryError(f"query {query.name} has no parameter {quote_input(name)}; {takes}")
    blocks: list[str] = []
    inlined: dict[str, str] = {}
    for parameter in query.parameters:
        value = params.get(parameter.name)
        if value is None:
            if parameter.required:
                raise QueryError(
                    f"query {query.name} needs parameter '{parameter.name}'"
                    f" ({parameter.type.expected}): --param {parameter.name}=…"
                )
            continue
        try:
            term = parameter.type.to_term(value.strip())
        except ValueError:
            raise QueryError(
                f"parameter '{parameter.name}' must be {parameter.type.expected},"
                f" not {quote_input(value)}"
            ) from None
        # The term's SPARQL form, escaped (rdf.sparql_terms); never user text as such.
        if parameter.inline:
            inlined[parameter.name] = sparql_terms.term(term)
        else:
            blocks.append(f"VALUES ?{parameter.name} {{ {sparql_terms.term(term)} }}")
    text = _inline(query.text, inlined) if inlined else query.text
    if not blocks:
        return text
    sparql, replaced = _replace_lines(text, VALUES_MARKER, " ".join(blocks))
    if not replaced:
        raise QueryError(f"query {query.name} has no '{VALUES_MARKER}' line", query.source)
    return sparql


def bind_subjects(sparql: str, subjects: Iterable[NamedNode]) -> str:
    """Return ``sparql`` with each ``# {{subjects}}`` line replaced by ``VALUES ?x { … }``.

    Args:
        sparql: a query, usually from :func:`bind`, with subjects lines.
        subjects: the IRIs ``?x`` may take (none: the branches with the line match nothing).

    Raises:
        ValueError: there is no subjects line.
    """
    # An IRI checked and written by rdf.sparql_terms: <, > and spaces are impossible inside.
    terms = " ".join(sparql_terms.iri(subject.value) for subject in subjects)
    bound, replaced = _replace_lines(sparql, SUBJECTS_MARKER, f"VALUES ?x {{ {terms} }}")
    if not replaced:
        raise ValueError(f"the query has no '{SUBJECTS_MARKER}' line")
    return bound


def _inline(text: str, terms: Mapping[str, str]) -> str:
    """``text`` with each variable named in ``terms`` (``?name`` or ``$name``, as code, not
    inside strings, IRIs or comments) replaced by its term."""
    parts: list[str] = []
    done = 0
    for start, end, name in _variables(text):
        if name in terms:
            parts += [text[done:start], terms[name]]
            done = end
    return "".join([*parts, text[done:]])


@lru_cache(maxsize=256)
def _variables(text: str) -> tuple[tuple[int, int, str], ...]:
    """Where each variable of ``text`` stands (start, end, name), read once per query text:
    tokenizing a page's query on every request cost more than a millisecond."""
    return tuple(
        (token.start, token.start + len(token.text), token.text[1:])
        for token in tokenize(text)
        if token.kind == "var"
    )


def _replace_lines(text: str, marker: str, replacement: str) -> tuple[str, int]:
    """``text`` with every line that is ``marker`` replaced (same indent, same line ending)."""
    lines = text.splitlines(keepends=True)
    replaced = 0
    for index, line in enumerate(lines):
        if line.strip() == marker:
            indent = line[: len(line) - len(line.lstrip())]
            ending = line[len(line.rstrip("\r\n")) :]
            lines[index] = indent + replacement + ending
            replaced += 1
    return "".join(lines), replaced
