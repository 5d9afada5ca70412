"""Decoded source text → clean lines and one flowing text, both mapped back to the source.

Agreements arrive as Markdown, plain text and text extracted from PDFs. This module removes
what is layout, not content — Markdown markup (``#``, ``**``, ``*italic*``), page furniture
(footers such as "Seite 2 von 3", "- 2 -" or a page number alone, and running headers such
as the document title repeated at the top of a page), soft hyphens, hyphenation at line ends
— reads two-column blocks column by column (:mod:`aqb_rdf.source.columns`), and keeps, for
every character it keeps, its offset in the source, so every fact can point back to where it
stands. What the markup said is kept as flags: a line was a heading or wholly bold, italic,
indented by so many characters, page furniture.

:class:`Line` is one source line, cleaned. :class:`FlowText` joins the lines into one text in
which a paragraph wrapped over several lines (or pages) reads as it was written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aqb_rdf.source.columns import has_columns, split_columns
from aqb_rdf.source.model import Span

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_BOLD = re.compile(r"\*\*|__")
_ITALIC_LINE = re.compile(r"^\s*([*_])(?![*_\s])(.+?)(?<![*_\s])\1\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?:(?!\*\*|__).)+(?:\*\*|__)[\s:.]*$")
# A running header: the document's title repeated on a later page.
_TITLE_HEADER = re.compile(r"^(?:AQB[- ]?)?Zielvereinbarung\b", re.IGNORECASE)
_HEADER_MAX = 100
"""Longer lines are text, never a running header."""
_LIST_ENTRY = re.compile(r"^(?:[-*•–·▪◦‣○]|\(?[0-9a-z]{1,3}[.)])\s")
_PAGE_FOOTER = re.compile(
    r"^\s*(?:(?:Seite|Page)\s+\d{1,3}(?:\s*(?:von|/|of)\s*\d{1,3})?|[-–]\s*\d{1,3}\s*[-–]"
    r"|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$",
    re.IGNORECASE,
)
_ODD_SPACE = re.compile("[\u00a0\u202f\u2007\t\f]")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\t": " ", "\f": " "})
# Words after which a hyphen at a line end is an ellipsis ("Ausbildungs- und …"), not a break.
_KEEP_HYPHEN_BEFORE = frozenset({"und", "oder", "bzw", "sowie", "bis", "als"})


@dataclass(frozen=True)
class Line:
    """One source line with layout removed.

    ``pieces`` maps the cleaned text back: each ``(index, offset)`` says that ``text[index:]``
    starts at source offset ``offset`` (until the next piece).
    """

    number: int
    text: str
    pieces: tuple[tuple[int, int], ...]
    italic: bool = False
    indent: int = 0
    """Leading spaces in the source (of its column, in a two-column block)."""
    heading: bool = False
    """A Markdown heading (``###``) or a line that is bold as a whole."""
    furniture: bool = False
    """A page footer or running header, removed (the text is empty)."""

    def offset(self, index: int) -> int:
        """Source offset of ``text[index]`` (``index == len(text)`` gives the end offset)."""
        starts = [p[0] for p in self.pieces]
        i = max(bisect.bisect_right(starts, index) - 1, 0)
        start, offset = self.pieces[i]
        return offset + index - start

    @property
    def blank(self) -> bool:
        return not self.text


def clean_lines(text: str) -> list[Line]:
    """Split decoded text into cleaned lines; page furniture becomes blank furniture lines."""
    raws = text.split("\n")
    starts: list[int] = []
    offset = 0
    for raw in raws:
        starts.append(offset)
        offset += len(raw) + 1
    if has_columns(text):
        lines = [
            _clean(fragment.text, fragment.index + 1, starts[fragment.index] + fragment.start)
            for fragment in split_columns(raws)
        ]
    else:
        lines = [_clean(raw, n, start) for n, (raw, start) in enumerate(zip(raws, starts), 1)]
    _mark_running_headers(lines, [raw.startswith("\f") for raw in raws])
    return lines


def _mark_running_headers(lines: list[Line], page_starts: Sequence[bool]) -> None:
    """Blank, as furniture, the lines next to a page break that are running headers.

    A page break is a footer line or a line starting with a form feed. The two nearest
    non-blank lines on each side of a break are candidates; a candidate is a header when the
    same text is a candidate at another break too (a header on several pages), or when it
    repeats the title ("Zielvereinbarung …") after the title itself. List entries never are.
    """
    breaks = [
        i
        for i, line in enumerate(lines)
        if line.furniture or (page_starts[line.number - 1] and line.text)
    ]
    if not breaks:
        return
    first_title = next((i for i, line in enumerate(lines) if _TITLE_HEADER.match(line.text)), -1)
    sides: list[list[int]] = []
    for i in breaks:
        ahead = ([i] if lines[i].text else []) + _near(lines, i, 1)
        sides.extend((_near(lines, i, -1), ahead[:2]))
    positions = {k: lines[k].text for side in sides for k in side}
    counts: dict[str, int] = {}
    for text in positions.values():
        counts[text] = counts.get(text, 0) + 1

    def header(k: int) -> bool:
        text = lines[k].text
        if len(text) > _HEADER_MAX or _LIST_ENTRY.match(text):
            return False
        return counts[text] > 1 or (k != first_title and bool(_TITLE_HEADER.match(text)))

    for side in sides:
        for k in side:
            if not header(k):
                break
            lines[k] = _furniture(lines[k])


def _near(lines: Sequence[Line], i: int, step: int) -> list[int]:
    """The two nearest non-blank lines from ``i`` (exclusive) in direction ``step``."""
    found: list[int] = []
    k = i + step
    while 0 <= k < len(lines) and len(found) < 2:
        if not lines[k].blank:
            found.append(k)
        k += step
    return found


def _furniture(line: Line) -> Line:
    return Line(line.number, "", ((0, line.offset(0)),), furniture=True)


_SECTION_HEADING = re.compile(r"§[ \t]*(\d+)[ \t]*")
_TITLED_SECTION_HEADING = re.compile(
    r"§[ \t]*(\d+)\.?(?:[ \t]+[–-])?[ \t]+[A-ZÄÖÜ][^\n]{0,78}[^\s.,;:!?]"
)
"""``§ 4 Haushaltsmittel und Eckdaten``: a section number with its title on one line. A line
of flow text may start so too ("§ 5 Satz 1 genannten Ziele …" wrapped), so it is a heading
only where the document says so: marked as one (Markdown, bold), or a paragraph of its own
whose title, capitalised and at most 80 characters, ends without a sentence's punctuation; and
only after the section before it (a bold ``**§ 4 Absatz 2 BHO**`` inside § 5 ends nothing)."""
_MARKUP = re.compile(r"[#>*_\u00ad\u200b\ufeff\r]")


def _clean(raw: str, number: int, offset: int) -> Line:
    if not _MARKUP.search(raw):  # the common case: nothing to remove inside the line
        spaced = raw.translate(_SPACES) if _ODD_SPACE.search(raw) else raw
        stripped = spaced.strip()
        if not stripped:
            return Line(number, "", ((0, offset),))
        if _PAGE_FOOTER.match(stripped):
            return Line(number, "", ((0, offset),), furniture=True)
        lead = len(spaced) - len(spaced.lstrip())
        return Line(number, stripped, ((0, offset + lead),), indent=lead)
    # Keep runs of characters that are content; each run remembers its source offset.
    keep = [True] * len(raw)
    heading = bool(_HEADING.match(raw) or _BOLD_LINE.match(raw))
    indent = len(raw) - len(raw.lstrip(" "))
    for pattern in (_HEADING, _QUOTE):
        match = pattern.match(raw)
        if match:
            keep[match.start() : match.end()] = [False] * (match.end() - match.start())
    for match in _BOLD.finditer(raw):
        keep[match.start() : match.end()] = [False, False]
    italic = False
    visible = "".join(ch if k else "" for ch, k in zip(raw, keep, strict=True))
    italic_match = _ITALIC_LINE.match(visible)
    if italic_match:
        italic = True
        marks = [i for i, ch in enumerate(raw) if keep[i] and ch == italic_match.group(1)]
        keep[marks[0]] = keep[marks[-1]] = False
    for i, ch in enumerate(raw):
        if ch in "\u00ad\u200b\ufeff\r":
            keep[i] = False
    chars: list[str] = []
    pieces: list[tuple[int, int]] = []
    previous_kept = False
    for i, ch in enumerate(raw):
        if keep[i]:
            if not previous_kept:
                pieces.append((len(chars), offset + i))
            chars.append(ch)
        previous_kept = keep[i]
    cleaned = "".join(chars).translate(_SPACES)
    stripped = cleaned.strip()
    if not stripped:
        return Line(number, "", ((0, offset),))
    if _PAGE_FOOTER.match(stripped):
        return Line(number, "", ((0, offset),), furniture=True)
    lead = len(cleaned) - len(cleaned.lstrip())
    line = Line(number, cleaned, tuple(pieces) or ((0, offset),), italic)
    return Line(number, stripped, _shift(line, lead), italic, indent, heading)


def _shift(line: Line, lead: int) -> tuple[tuple[int, int], ...]:
    """Pieces of ``line`` re-based after dropping ``lead`` leading characters."""
    return ((0, line.offset(lead)),) + tuple(
        (index - lead, off) for index, off in line.pieces if index > lead
    )


def line_span(lines: Sequence[Line], start: int = 0, end: int | None = None) -> Span:
    """Span of ``lines[0].text[start:]`` … ``lines[-1].text[:end]``."""
    first, last = lines[0], lines[-1]
    stop = len(last.text) if end is None else end
    return Span(first.number, last.number, first.offset(start), last.offset(stop - 1) + 1)


def joins_hyphenated(previous: str, following: str) -> bool | None:
    """How a line ending in a hyphen joins the next: True (drop the hyphen), False (keep it,
    no space: "Teilzeit-" + "Ausbildung"), None (not a hyphenation: keep and add a space)."""
    if len(previous) < 2 or previous[-1] not in "-\u2010" or not previous[-2].isalpha():
        return None
    word = following.split(" ", 1)[0].rstrip(".,;:")
    if not following or word in _KEEP_HYPHEN_BEFORE:
        return None
    return following[0].islower()


def join_lines(lines: Sequence[Line]) -> str:
    """Lines of one entry as one string: hyphenation undone, otherwise joined by a space."""
    text = ""
    for line in lines:
        if not text:
            text = line.text
            continue
        join = joins_hyphenated(text, line.text)
        if join is True:
            text = text[:-1] + line.text
        elif join is False:
            text += line.text
        else:
            text += " " + line.text
    return text


class FlowText:
    """Cleaned lines joined into one text; ``span(start, end)`` maps a range back to the source.

    Lines of a paragraph are joined with a newline (regular expressions match across it with
    ``\\s``); a hyphenated word is joined without its hyphen; blank lines become ``"\\n\\n"``.
    """

    def __init__(self, lines: Sequence[Line]) -> None:
        parts: list[str] = []
        self._starts: list[int] = []
        self._lines: list[Line] = []
        length = 0
        previous: Line | None = None
        for line in lines:
            if line.furniture:  # a paragraph goes on across a page break
                continue
            if line.blank:
                if parts and not parts[-1].endswith("\n\n"):
                    parts.append("\n")
                    length += 1
                previous = None
                continue
            text = line.text
            if previous is not None:
                join = joins_hyphenated(previous.text, text)
                if join is True:
                    parts[-1] = parts[-1][:-1]
                    length -= 1
                elif join is None:
                    parts.append("\n")
                    length += 1
            elif parts:
                parts.append("\n")
                length += 1
            self._starts.append(length)
            self._lines.append(line)
            parts.append(text)
            length += len(text)
            previous = line
        self.text = "".join(parts)

    def offset(self, index: int) -> tuple[Line, int]:
        """The line and index in its cleaned text of flow position ``index``."""
        i = max(bisect.bisect_right(self._starts, index) - 1, 0)
        line = self._lines[i]
        return line, min(index - self._starts[i], len(line.text))

    def span(self, start: int, end: int) -> Span:
        """Source span of ``self.text[start:end]``."""
        first, first_index = self.offset(start)
        last, last_index = self.offset(max(end - 1, start))
        return Span(
            first.number,
            last.number,
            first.offset(first_index),
            last.offset(last_index) + 1,
        )


def _titled_heading_line(flow: FlowText, start: int, end: int) -> bool:
    """Whether the flow line ``text[start:end]`` may be a section heading with its title."""
    text = flow.text
    if flow.offset(start)[0].heading:
        return True
    alone_before = start == 0 or text.endswith("\n\n", 0, start)
    alone_after = end == len(text) or text.startswith("\n\n", end)
    return alone_before and alone_after


def sections(flow: FlowText) -> dict[str, tuple[int, int]]:
    """Flow-text ranges of the sections, by number (the first heading of each number)."""
    text = flow.text
    headings: list[tuple[int, int, str]] = []
    at = text.find("§")
    while at != -1:
        line_end = text.find("\n", at)
        line_end = len(text) if line_end == -1 else line_end
        if at == 0 or text[at - 1] == "\n":
            heading = _SECTION_HEADING.fullmatch(text, at, line_end)
            if heading is None:
                titled = _TITLED_SECTION_HEADING.fullmatch(text, at, line_end)
                last = int(headings[-1][2]) if headings else 0
                if titled and int(titled.group(1)) > last:
                    heading = titled if _titled_heading_line(flow, at, line_end) else None
            if heading:
                headings.append((at, line_end, heading.group(1)))
        at = text.find("§", at + 1)
    ranges: dict[str, tuple[int, int]] = {}
    for n, (_, heading_end, number) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else len(text)
        ranges.setdefault(number, (heading_end, end))
    return ranges
