"""The engine's SPARQL syntax errors, made readable (pure).

Oxigraph's parser reports ``error at 1:52: expected one of The query limit should be a non
negative integer, ['0'..='9']``: the position, then every token its grammar would have taken
there, character classes (``['0' ..= '9' | '\\u{00B7}' …]``) and, mixed in, the sentence of a
check that failed. :func:`readable` keeps the position as ``line L, column C``, the sentence
when there is one (it is what went wrong), else the tokens people write (``"}"``, ``FILTER``),
at most :data:`MAX_TOKENS` of them; the character classes go. A message of another form is
kept as it is.
"""

from __future__ import annotations

import re
from typing import Final

MAX_TOKENS: Final = 8
"""Tokens a readable message names; more are ``…``."""

_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_PIECES = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]?|[^,]+')
_KEYWORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_SENTENCE = re.compile(r"[A-Z][a-z]+(?: [A-Za-z-]+)+")


def _pieces(expected: str) -> list[str]:
    """The comma-separated pieces of an ``expected one of`` list, quotes and brackets whole."""
    return [piece.strip() for piece in _PIECES.findall(expected) if piece.strip()]


def readable(message: str) -> str:
    """``message`` of the engine as one short line a person can act on.

    Example:
        >>> readable("error at 1:52: expected one of The query limit should be a non "
        ...          "negative integer, ['0'..='9']")
        'line 1, column 52: the query limit should be a non negative integer'
        >>> readable('error at 1:28: expected one of ">", [_]')
        'line 1, column 28: expected ">"'
        >>> readable("error at 1:30: expected one of LATERAL, SERVICE, [_]")
        'line 1, column 30: expected LATERAL or SERVICE'
    """
    match = _POSITION.match(message.strip())
    if match is None:
        return message
    line, column, rest = match.groups()
    where = f"line {line}, column {column}"
    rest = " ".join(rest.split())
    if not rest.startswith("expected "):
        return f"{where}: {rest}"
    pieces = _pieces(rest.removeprefix("expected ").removeprefix("one of "))
    sentences = [p for p in pieces if _SENTENCE.fullmatch(p)]
    if sentences:
        return f"{where}: " + "; ".join(s[0].lower() + s[1:] for s in sentences)
    tokens = [p for p in pieces if p.startswith('"') or _KEYWORD.fullmatch(p)]
    if not tokens:
        return f"{where}: unexpected character"
    shown = tokens[:MAX_TOKENS]
    listed = ", ".join(shown[:-1]) + f" or {shown[-1]}" if len(shown) > 1 else shown[0]
    if len(tokens) > MAX_TOKENS:
        listed = ", ".join(shown) + ", …"
    return f"{where}: expected {listed}"
