"""The SPARQL lexer: the tokens of a query as the engine reads them (pure).

One lexer for every module that looks into SPARQL text: the guard (:mod:`.guard`) runs it
with the context that decides what a ``<`` is; :func:`tokenize` runs it without, for the
questions that only need to tell code from strings, IRIs and comments (does a query declare
a dataset, does it use a variable).

The token rules follow the `SPARQL grammar <https://www.w3.org/TR/sparql11-query/#grammar>`_
with pyoxigraph's character classes (no characters above U+FFFF in names). Kinds: ``skip``
(white space and comments), ``string``, ``var``, ``number``, ``lang``, ``name`` (a keyword,
function, ``a``, ``true``/``false`` or a prefixed name), ``iri`` and ``punct`` (one or two
characters; a lone ``'`` or ``"`` is an unterminated string).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["IRI", "SPACED_TOKEN", "TOKEN", "Token", "match_token", "tokenize", "unescape"]


class Token(NamedTuple):
    """One token: its kind (see the module docstring), its text and where it starts."""

    kind: str
    text: str
    start: int


_BASE = (  # PN_CHARS_BASE as pyoxigraph has it: no characters above U+FFFF
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_CHARS = _BASE + "_0-9\u00b7\u0300-\u036f\u203f\u2040"  # VARNAME; PN_CHARS adds "-"
_PART = rf"[{_CHARS}\-:]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%]"
_SKIP = r"(?:[ \t\r\n]+|#[^\r\n]*)"  # white space and comments
_KINDS = (
    r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")"
    rf"|(?P<var>[?$][{_CHARS}]+)"
    r"|(?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)"
    rf"|(?P<name>[{_BASE}_:](?:{_PART}|\.++(?={_PART}))*)"  # a word or a prefixed name
    r"|(?P<punct>\^\^|&&|\|\||!=|<=|>=|>>|.)"
)
TOKEN = re.compile(rf"(?P<skip>{_SKIP}+)|{_KINDS}", re.S)
"""One token at a position (``TOKEN.match(text, position)``): its group name is the kind."""
SPACED_TOKEN = re.compile(rf"{_SKIP}*+(?:{_KINDS})", re.S)
"""The next token after any white space and comments (none at the end of the text): its kind
is the match's ``lastgroup``, it starts at ``match.start(match.lastgroup)``."""
IRI = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
"""An IRI reference ``<…>`` (IRIREF, with the ``\\u`` escapes pyoxigraph reads in it)."""
_UCHAR = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U(?:000[0-9A-Fa-f]|0010)[0-9A-Fa-f]{4}")  # ≤ 10FFFF


def match_token(text: str, position: int) -> tuple[str, str]:
    """The kind and text of the token at ``position``, reading a ``<`` as punctuation.

    What a ``<`` starts depends on the context (an IRI, less-than, half of ``<<``); the caller
    decides, with :data:`IRI` for the first.
    """
    match = TOKEN.match(text, position)
    assert match is not None and match.lastgroup is not None  # punct takes any character
    return match.lastgroup, match.group()


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of ``text`` without white space and comments; a ``<`` that starts an IRI
    reference is an IRI, any other ``<`` punctuation."""
    position = 0
    while position < len(text):
        iri = IRI.match(text, position) if text[position] == "<" else None
        kind, word = ("iri", iri.group()) if iri else match_token(text, position)
        if kind != "skip":
            yield Token(kind, word, position)
        position += len(word)


def unescape(text: str) -> str:
    """``text`` with every ``\\u`` and ``\\U`` escape replaced by its character, as SPARQL
    does before it parses (`§19.2 <https://www.w3.org/TR/sparql11-query/#codepointEscape>`_)."""
    return _UCHAR.sub(lambda u: chr(int(u.group()[2:], 16)), text)
