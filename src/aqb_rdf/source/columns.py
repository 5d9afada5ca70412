"""Two-column blocks in extracted text → the left column, then the right one.

Text extracted from a PDF with its layout kept puts blocks that stand side by side on the
page (typically the two signature blocks) on the same lines, separated by runs of spaces::

    Wiesbaden, den 2.8.2025            Heppenheim, den 8.8.2025
    Heike Hofmann                      Angelika Beckenbach

A block is two columns when at least two of its lines have exactly one run of three or more
spaces and the text after it starts in the same column (give or take two characters); lines
with text only in the left part (shorter than the column) or only in the right part (indented
to the column) belong to the block too. Such a block is returned as its left column, a blank
separator, and its right column, each fragment remembering where it stands in its source line.
One pass over the lines: linear in the size of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")
_SLACK = 2
"""How far (in characters) the right column may start from the block's column."""


@dataclass(frozen=True)
class Fragment:
    """A piece of source line ``index`` (0-based) starting at character ``start`` of it."""

    index: int
    text: str
    start: int = 0


@dataclass(frozen=True)
class _Shape:
    """Where a line's text stands: ``split`` is the start of a right-hand part, if any."""

    split: int | None
    both: bool
    """Text on both sides of ``split``."""
    width: int
    """Length without trailing spaces."""


def _shape(raw: str) -> _Shape:
    text = raw.rstrip()
    gaps = _GAP.findall(text)
    if len(gaps) == 1:
        match = _GAP.search(text)
        assert match is not None
        return _Shape(match.end(), True, len(text))
    indent = len(text) - len(text.lstrip(" "))
    if text and indent >= 8:
        return _Shape(indent, False, len(text))
    return _Shape(None, False, len(text))


def has_columns(text: str) -> bool:
    """Whether ``text`` has any line with a run of three or more spaces inside it (the cheap
    test that lets almost every document skip :func:`split_columns`)."""
    at = text.find("   ")
    while at != -1:
        # a run of spaces after text (not indentation) that more text follows on its line
        if at > 0 and text[at - 1] not in " \n":
            end = at + 3
            while end < len(text) and text[end] == " ":
                end += 1
            if end < len(text) and text[end] != "\n":
                return True
            at = text.find("   ", end)
        else:
            at = text.find("   ", at + 1)
    return False


def split_columns(raws: Sequence[str]) -> list[Fragment]:
    """The source lines as fragments, with each two-column block read column by column."""
    shapes = [_shape(raw) for raw in raws]
    fragments: list[Fragment] = []
    i = 0
    while i < len(raws):
        end, column = _block(shapes, i)
        if column is None:
            fragments.append(Fragment(i, raws[i]))
            i += 1
            continue
        left: list[Fragment] = []
        right: list[Fragment] = []
        for k in range(i, end):
            split = shapes[k].split
            if split is None:
                left.append(Fragment(k, raws[k]))
                continue
            if shapes[k].both:
                left.append(Fragment(k, raws[k][:split]))
            right.append(Fragment(k, raws[k][split:], split))
        fragments.extend(left)
        fragments.append(Fragment(end - 1, ""))
        fragments.extend(right)
        i = end
    return fragments


def _block(shapes: Sequence[_Shape], start: int) -> tuple[int, int | None]:
    """End (exclusive) and column of the two-column block starting at ``start``, if one does."""
    first = shapes[start]
    if not first.both or first.split is None:
        return start + 1, None
    column = first.split
    both = 1
    last_member = start
    for k in range(start + 1, len(shapes)):
        shape = shapes[k]
        if shape.split is not None and abs(shape.split - column) <= _SLACK:
            both += shape.both
            last_member = k
        elif shape.split is None and shape.width < column - 1:
            if shape.width:
                last_member = k
        else:
            break
    if both < 2:
        return start + 1, None
    return last_member + 1, column
