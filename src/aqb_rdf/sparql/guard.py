"""Refuse SPARQL that would harm a public endpoint, before it reaches the engine (pure, no I/O).

Threat model: anyone may send any text to ``/sparql``, and pyoxigraph 0.5.13 cannot cancel a
query. Measured with it: ``SERVICE`` sends HTTP requests to any address; the parser segfaults
at some 2,200 nested ``{`` or 8,000 ``!`` in a row, the evaluator on chains of 6,000 ``+``,
2,600 ``BIND`` or 6,000 ``UNION`` (8 MiB stack); ``<< … >>`` nested 512 deep parses for 6 s;
``VALUES`` groups nested seven deep, each holding the next twice, take 0.7 s, eight times more
per level. :func:`check_query` refuses these, in one line that says what and why; the parser
and the worker's time and memory limits (:mod:`.query_pool`) do the rest.

The tokens come from :mod:`.lexer` (the `SPARQL grammar
<https://www.w3.org/TR/sparql11-query/#grammar>`_ and 1.2's ``<<``, ``>>``); the guard adds the
context a lexer needs, not a parser, to see code exactly where the engine does:

* **Two readings.** SPARQL replaces `\\u escapes everywhere
  <https://www.w3.org/TR/sparql11-query/#codepointEscape>`_ before parsing (``\\u0053ERVICE``
  is ``SERVICE``), pyoxigraph only in strings and IRIs (there ``"\\u0022"`` is one quote, where
  SPARQL reads three quotes: a long string). Every check runs on both readings.
* **``<``** starts an IRI where a term may stand, and is less-than after an operand in an
  expression, whatever follows (``IF(?a<?b,'>',1)``). So the lexer knows what each ``(`` holds:
  an expression (after ``FILTER``, ``BIND``, a function, in ``SELECT``) or terms (a collection,
  path, ``VALUES`` row, ``<<(``); ``filter:f(`` may be either and is refused.
* **Keywords have no word boundary**, and prefixed names backtrack: ``SERVICESILENT<u>{}``,
  ``<s> <p> trueSERVICE<u>{}``, ``1SERVICE<u>{}``, ``ex:a.b.SERVICE<u>{}`` (a local name takes
  one dot group) and, under ``PREFIX ex: <http://a:>``, ``ex:SERVICE <u> {}`` call the service.
  So ``service`` counts where it starts a name or follows a non-letter, ``true`` or ``false``,
  if a variable, IRI or prefixed name (maybe after ``SILENT``) and ``{`` follow: ``?service``,
  ``ex:SERVICE ?o``, strings, IRIs and comments pass. ``VALUES`` counts alike.

String growth is not refused: ``BIND(CONCAT(?a0,?a0) AS ?a1)`` chained 31 times aborts the
worker (3 GiB) in 6 s, but ``REPLACE(?s, ".", "$0$0")``, ``GROUP_CONCAT`` over a join or
``ORDER BY`` over a cross product grow as fast, and no lexical rule bounds memory without
refusing ordinary queries. The worker's ``RLIMIT_AS`` ends such a query; the pool replaces it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum

from aqb_rdf.errors import QueryRefused, Signal
from aqb_rdf.sparql.lexer import IRI, SPACED_TOKEN, Token, unescape

__all__ = ["Limits", "QueryForm", "QueryInfo", "QueryRefused", "Verdicts", "check_query"]


class QueryForm(StrEnum):
    """The four query forms; each equals its keyword (``QueryForm.ASK == "ASK"``)."""

    SELECT = "SELECT"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"
    ASK = "ASK"


@dataclass(frozen=True)
class Limits:
    """What :func:`check_query` lets through; every default is far above ``queries/*.rq``.

    Attributes:
        max_length: characters; the longest named query has 4,000.
        max_tokens: keeps chains (``+``, ``&&``, ``UNION``, ``BIND``) under half a crash.
        max_depth: open ``{ ( [ <<`` and prefix operators in a row (``! - + ^``).
        max_values_nesting: groups on a path from the root that hold ``VALUES`` themselves.
        max_values_blocks: ``VALUES`` blocks; a named query has one per parameter.
        max_values_rows: the product of the blocks' rows: the solutions of their join.
    """

    max_length: int = 100_000
    max_tokens: int = 8_000
    max_depth: int = 64
    max_values_nesting: int = 2
    max_values_blocks: int = 16
    max_values_rows: int = 100_000


@dataclass(frozen=True)
class QueryInfo:
    """What the HTTP layer needs to know before the query runs."""

    form: QueryForm


class _Refusal(Signal):
    """What is refused and why, and the position in the reading (or ``None``)."""

    def __init__(self, message: str, position: int | None) -> None:
        super().__init__(message)
        self.position = position


_FILTER = re.compile(r"(?:true|false)?filter", re.I)
_SERVICE = re.compile(r"(?:(?<![a-z])|(?<=true)|(?<=false))service")
_VALUES = re.compile(r"(?:(?<![a-z])|(?<=true)|(?<=false))values$")
_SERVICE_CLAUSE = re.compile(r"w?[tv]\{")  # [SILENT] VarOrIri {, in the letters of _shape
_VALUES_CLAUSE = re.compile(r"v\{|\(v*\)\{")  # ?x { or (?x ?y) {
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


def check_query(text: str, limits: Limits = Limits()) -> QueryInfo:
    """Return what the HTTP layer needs of a query that passes every limit.

    Raises:
        QueryRefused: the query is too long, too deep, an update, calls a ``SERVICE``, has too
            many ``VALUES``, cannot be read (an unterminated string or IRI), or is no query.
    """
    if len(text) > limits.max_length:
        raise QueryRefused(f"{len(text):,} characters: at most {limits.max_length:,} are accepted")
    forms = []  # the engine's reading first, then SPARQL's if escapes make it another
    for reading in dict.fromkeys([text, unescape(text)]):
        note = ", once \\u escapes are replaced" if reading != text else ""
        try:
            forms.append(_check(reading, limits))
        except _Refusal as refusal:
            message, at = refusal.message, refusal.position
            if at is not None:
                line, column = reading.count("\n", 0, at) + 1, at - reading.rfind("\n", 0, at)
                message += f" (line {line}, column {column}{note})"
            raise QueryRefused(message) from None
    return QueryInfo(forms[0])


class Verdicts:
    """The verdicts of :func:`check_query` on texts seen before, passed or refused: a bounded
    least-recently-used map from the SHA-256 of a text to its :class:`QueryInfo` or its refusal.

    A refused text sent again (a hostile client repeats itself) costs its digest, 40 µs for
    55 KB, instead of a second check. The map holds at most ``size`` verdicts of at most a few
    hundred bytes each, whatever the texts' length. Thread-safe: checks may run in threads.
    """

    def __init__(self, size: int = 4096, limits: Limits = Limits()) -> None:
        self.size = size
        self.limits = limits
        self._known: OrderedDict[bytes, QueryInfo | str] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _digest(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def known(self, text: str) -> QueryInfo | None:
        """The verdict on ``text`` if it was checked before, else ``None``.

        Raises:
            QueryRefused: ``text`` was refused before (the same message).
        """
        digest = self._digest(text)
        with self._lock:
            verdict = self._known.get(digest)
            if verdict is None:
                return None
            self._known.move_to_end(digest)
        if isinstance(verdict, str):
            raise QueryRefused(verdict)
        return verdict

    def check(self, text: str) -> QueryInfo:
        """:func:`check_query` of ``text``, remembered.

        Raises:
            QueryRefused: as :func:`check_query`.
        """
        verdict: QueryInfo | str
        try:
            verdict = check_query(text, self.limits)
        except QueryRefused as refused:
            verdict = refused.message
        digest = self._digest(text)
        with self._lock:
            self._known[digest] = verdict
            self._known.move_to_end(digest)
            while len(self._known) > self.size:
                self._known.popitem(last=False)
        if isinstance(verdict, str):
            raise QueryRefused(verdict)
        return verdict

    def __len__(self) -> int:
        return len(self._known)


def _check(text: str, limits: Limits) -> QueryForm:
    """Check one reading of the query; return its form."""
    tokens = _lex(text, limits)
    shape = "".join(map(_shape, tokens))
    groups: list[int] = []  # the open { by token index, innermost last
    parents: dict[int, int] = {-1: -1}  # group → enclosing group; -1 is the query itself
    with_values: dict[int, int] = {}  # group → its first VALUES token
    blocks, rows = 0, 1
    for j, token in enumerate(tokens):
        if token.text == "{":
            parents[j] = groups[-1] if groups else -1
            groups.append(j)
        elif token.text == "}" and groups:
            groups.pop()
        if token.kind != "name":
            continue  # what follows looks at keywords, and only names hold them
        if ":" not in token.text and token.text.upper().startswith(_UPDATES):
            raise _Refusal(f"{token.text.upper()}: this endpoint refuses updates", token.start)
        low = token.text.lower()
        for match in _SERVICE.finditer(low) if "service" in low else ():
            rest = low[match.end() :]  # SILENT, :x … glued to the keyword
            glued = "t" if ":" in rest else "w" if rest else ""
            if _SERVICE_CLAUSE.match(glued + shape[j + 1 : j + 4]):
                raise _Refusal("SERVICE: this endpoint queries no other endpoint", token.start)
        clause = (
            _VALUES_CLAUSE.match(shape, j + 1)
            if low.endswith("values") and _VALUES.search(low)
            else None
        )
        if clause is None:
            continue
        blocks += 1
        with_values.setdefault(groups[-1] if groups else -1, j)
        rows = min(rows * _row_count(tokens, clause.end() - 1), limits.max_values_rows + 1)
        if blocks > limits.max_values_blocks or rows > limits.max_values_rows:
            most = f"{limits.max_values_blocks} blocks, {limits.max_values_rows:,} rows joined"
            raise _Refusal(f"VALUES: at most {most} are accepted", token.start)
    for group, j in with_values.items():
        level, ancestor = 1, group
        while ancestor != -1:
            ancestor = parents[ancestor]
            level += ancestor in with_values
        if level > limits.max_values_nesting:
            nesting = f"{level} nested groups with VALUES (at most {limits.max_values_nesting})"
            raise _Refusal(f"VALUES in {nesting}", tokens[j].start)
    return _query_form(tokens)


def _lex(text: str, limits: Limits) -> list[Token]:
    """Split ``text`` into tokens, without white space and comments; refuse deep nesting.

    One pass, a few operations a token: the usual tokens (names, variables, white space) take
    the first branches; brackets and ``<`` the rest.
    """
    tokens: list[Token] = []
    append = tokens.append
    stack: list[str] = []  # per open bracket: "{", "{select", "[", "expr" or "terms"
    reified = run = position = 0  # open << … >>, prefix operators in a row
    match = SPACED_TOKEN.match
    end, max_depth, max_tokens = len(text), limits.max_depth, limits.max_tokens
    prev: Token | None = None
    while position < end:
        found = match(text, position)
        if found is None:
            break  # white space and comments to the end
        kind = found.lastgroup
        assert kind is not None  # punct takes any character
        start = found.start(kind)
        word = found.group(kind)
        if word[0] == "<" and kind == "punct":  # < and <=: the context decides
            kind, word = _angle(text, start, tokens, stack[-1] if stack else "")
        position = start + len(word)
        if kind == "punct":
            if word in ("'", '"'):
                raise _Refusal("unterminated string", start)
            if word in ("{", "["):
                stack.append(word)
            elif word == "(":
                stack.append(_paren_kind(stack[-1] if stack else "", tokens))
            elif word in ("}", "]", ")"):
                if stack:
                    stack.pop()
            elif word == "<":
                reified += prev == ("punct", "<", start - 1)
            elif word == ">>" and reified > 0:
                reified -= 1
            run = run + 1 if word in ("!", "^", "-", "+") else 0
        else:
            if kind == "name" and prev and prev.text == "{" and stack[-1:] == ["{"]:
                stack[-1] = "{select" if word.upper().startswith("SELECT") else "{"  # subquery
            run = 0
        prev = Token(kind, word, start)
        append(prev)
        if len(stack) + reified + run > max_depth:
            raise _Refusal(f"nested more than {max_depth} levels deep", start)
        if len(tokens) > max_tokens:
            raise _Refusal(f"more than {max_tokens:,} tokens", start)
    return tokens


def _angle(text: str, position: int, tokens: list[Token], top: str) -> tuple[str, str]:
    """Read ``<`` as the engine does: an IRI, less-than, or half of ``<<``."""
    prev = tokens[-1] if tokens else None
    if top == "expr" and _is_operand(prev):
        return "punct", "<=" if text.startswith("<=", position) else "<"
    if iri := IRI.match(text, position):
        return "iri", iri.group()
    if text.startswith("<", position + 1) or prev == ("punct", "<", position - 1):
        return "punct", "<"  # << of SPARQL 1.2
    raise _Refusal("unterminated or malformed IRI", position)


def _paren_kind(top: str, tokens: list[Token]) -> str:
    """What a ``(`` holds, from the innermost open bracket and the tokens before it."""
    prev, prev2 = tokens[-1] if tokens else None, tokens[-2] if len(tokens) > 1 else None
    if prev and prev[:2] == ("punct", "<") and prev2 == ("punct", "<", prev.start - 1):
        return "terms"  # <<( s p o )>>
    inside = {"expr": "expr", "terms": "terms", "[": "terms", "": "expr", "{select": "expr"}
    if top in inside or prev is None:  # "" and "{select": SELECT, GROUP BY, ORDER BY, HAVING
        return inside.get(top, "terms")
    if _bare(prev):  # FILTER, BIND, a function, glued ones (trueFILTER, FILTERregex); or a
        return "terms" if prev.text == "a" else "expr"
    if prev.kind in ("iri", "name"):  # a function after FILTER, else a subject or predicate
        if prev2 and _bare(prev2) and _FILTER.fullmatch(prev2.text):
            return "expr"
        if prev.kind == "name" and _FILTER.fullmatch(prev.text.split(":")[0]):
            raise _Refusal("'filter:f(' may be FILTER :f( or a predicate", prev.start)
    return "terms"


def _is_operand(token: Token | None) -> bool:
    """Whether ``token`` may end an operand, so that a ``<`` after it is less-than."""
    if token is None or token.kind == "punct":
        return token is not None and token.text in (")", "]", ">>")
    return not _bare(token) or token.text.lower().endswith(("true", "false"))


def _bare(token: Token) -> bool:
    """A name without prefix: a keyword, a function, ``a``, ``true`` or ``false``."""
    return token.kind == "name" and ":" not in token.text


def _shape(token: Token) -> str:
    """One letter per token: ``{ ( )``, ``v`` variable, ``t`` IRI or prefixed name, ``w`` word."""
    if token.kind in ("name", "var", "iri"):
        return "w" if _bare(token) else "v" if token.kind == "var" else "t"
    return token.text if token.text in ("{", "(", ")") else "."


def _row_count(tokens: list[Token], data: int) -> int:
    """The rows of a data block (at least one): its ``(…)``, or its values for one variable."""
    parens = values = 0
    for prev, token in zip(tokens[data:], tokens[data + 1 :]):
        if token.text == "}":
            break
        parens += token.text == "("
        values += token.kind in ("iri", "string", "number", "name") and prev.text != "^^"
    return max(1, parens if tokens[data - 1].text == ")" else values)


def _query_form(tokens: list[Token]) -> QueryForm:
    """The first form keyword after the prologue (``BASE``, ``PREFIX``, ``VERSION``)."""
    for token in tokens:
        word = token.text.upper() if _bare(token) else ""
        if word.startswith(("BASE", "PREFIX", "VERSION")) or not word and token.kind != "punct":
            continue  # a declaration: its keyword, prefix, IRI or version
        for form in QueryForm:
            if word.startswith(form):
                return form
        break
    raise _Refusal("not a SPARQL query (SELECT, CONSTRUCT, DESCRIBE or ASK)", None)
