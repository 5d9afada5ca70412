"""The list of § 5, line by line: Maßnahmenarten, their projects, and nothing left over.

Maßnahmenarten are numbered ("1.", "1)", "1 –", "I.", "Maßnahmenart 1:", bold numbers, which the
layout has already unwrapped) or stand as a heading or bold line of their own; projects are
bullets (``-``, ``*``, ``•``, ``▪``, ``–`` …), letters ("a)", "aa)", "(b)", "c."),
sub-numbers ("1.1") or plain lines indented deeper than their Maßnahmenart. A line that goes
on with the previous entry (hard-wrapped title) is joined to it; page furniture is skipped,
so a page break inside the list changes nothing. The list ends at the next § or at a prose
paragraph; a line in between that is none of these is refused with its line, and so is a
list entry before the first Maßnahmenart or after the end of the list: no line of § 5 is ever
dropped unread. Numbered Maßnahmenarten are numbered either 1, 2, 3 … in the list's own order
or each by its own number, as the Förderrichtlinie numbers the four (1, 2, 4 for a region that
lists no Qualifizierungsprojekte: every number then agrees with its title, and the one left
out is not listed). Any other numbering (1, 2, 4 where "2." is not Maßnahmenart 2, numbers out
of order) is refused at the first entry out of the list's own order: an entry of the list is
then missing or unreadable, and its projects would be read as another's. One pass over the
lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from aqb_rdf.errors import ParseError
from aqb_rdf.source import codelists
from aqb_rdf.source.layout import Line, join_lines

ITEM = re.compile(
    r"^(?:Maßnahmenart\s+)?(?:Nr\.\s*)?(?:(?P<number>[1-9])\s*(?:[.):]|\s[-–])?"
    r"|(?P<roman>I{1,3}|IV)[.)])\s+(?P<title>\S.*)$"
)
HEADING_ITEM = re.compile(r"^(?P<title>\S.*?)[:.]?$")
BULLET = re.compile(
    r"^(?:[-*•–·▪◦‣○o]|[a-z]{1,2}\)|\([a-z]{1,2}\)|[a-z]\.(?=\s+[A-ZÄÖÜ\"„])"
    r"|[1-9]\.[0-9]{1,2}\.?)\s+(?P<title>\S.*)$"
)
PLAIN = re.compile(r"^(?P<title>\S.*)$")
_SECTION = re.compile(r"^§\s*\d+\b")
_CLOSING = re.compile(r"^Die\s+Förderung\b")
_SENTENCE_END = re.compile(r"[.!?][\"“”')]*$")
_PROSE_WORDS = 6
_NO_PROJECT = re.compile(
    r"^(?:keine(?:\s+Projekte?)?|entfällt|nicht\s+belegt|[-–—/]|\./\.)\s*\.?$", re.IGNORECASE
)
_CONTINUES = re.compile(
    r"(?:[-,/(&]|\b(?:und|oder|für|zur|zum|der|die|das|den|dem|des|mit|von|im|in|an|auf|bei"
    r"|nach|sowie|bzw\.|aus|über|gegen))$"
)


@dataclass
class Entry:
    """One list entry under construction: its marker and its (wrapped) lines."""

    marker: re.Pattern[str]
    lines: list[Line]


@dataclass
class Item:
    """A Maßnahmenart entry of the list with its project entries."""

    head: Entry
    projects: list[Entry] = field(default_factory=list)


def read_list(lines: Sequence[Line]) -> list[Item]:
    """The items of the § 5 list in ``lines`` (which start after the § 5 heading)."""
    reader = _Reader()
    for index, line in enumerate(lines):
        if not reader.feed(line, lines, index):
            _check_rest(lines, index)
            break
    _check_numbers(reader.items)
    return reader.items


class _Reader:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.gap = False
        self.page_break = False
        self.skip = 0

    def feed(self, line: Line, lines: Sequence[Line], index: int) -> bool:
        """Take one line; False when the list has ended before it."""
        if self.skip:
            self.skip -= 1
            return True
        if line.furniture:
            self.page_break = True
            return True
        if line.blank:
            self.gap = True
            return True
        gap = self.gap and not self.page_break
        self.gap = self.page_break = False
        if _SECTION.match(line.text):
            return not self.items
        title = _art_title(line)
        if title is not None:
            marker = HEADING_ITEM if ITEM.match(line.text) is None else ITEM
            self.items.append(Item(Entry(marker, [line])))
            return True
        wrapped = _wrapped_art(lines, index)
        if wrapped:
            self.items.append(Item(Entry(ITEM, wrapped)))
            self.skip = len(wrapped) - 1
            return True
        if not self.items:
            # The sentence introducing the list; an entry here belongs to no Maßnahmenart.
            if ITEM.match(line.text):
                raise _unplaced(line, "a numbered entry that is not a Maßnahmenart")
            if BULLET.match(line.text):
                raise _unplaced(line, "a project before the first Maßnahmenart")
            return True
        item = self.items[-1]
        current = item.projects[-1] if item.projects else item.head
        bullet = BULLET.match(line.text)
        if bullet:
            self._project(item, Entry(BULLET, [line]), bullet.group("title"))
            return True
        if ITEM.match(line.text):
            raise _unplaced(line, "a numbered entry that is not a Maßnahmenart")
        if not gap and _continues(current.lines[-1], line):
            current.lines.append(line)
            return True
        if _CLOSING.match(line.text) or _prose(lines, index) or (gap and line.heading):
            return False
        placed = _by_indent(item, current, line)
        if placed == "continuation":
            current.lines.append(line)
            return True
        if placed == "project":
            self._project(item, Entry(PLAIN, [line]), line.text)
            return True
        raise _unplaced(line, "neither a Maßnahmenart, a project nor the continuation of one")

    @staticmethod
    def _project(item: Item, entry: Entry, title: str) -> None:
        """Add a project, unless the entry says in words that there is none ("keine")."""
        if not _NO_PROJECT.match(title):
            item.projects.append(entry)


def _art_title(line: Line) -> str | None:
    """The title if ``line`` is a Maßnahmenart entry: numbered, or a heading of its own."""
    match = ITEM.match(line.text)
    if match and codelists.classify_massnahmenart(match.group("title")) is not None:
        return match.group("title")
    if line.heading and not match and codelists.classify_massnahmenart(line.text) is not None:
        return line.text
    return None


def _text_column(entry: Entry) -> int:
    """Where the text of an entry starts in its source line (after number or bullet)."""
    first = entry.lines[0]
    match = entry.marker.match(first.text)
    return first.indent + (match.start("title") if match else 0)


def _by_indent(item: Item, current: Entry, line: Line) -> str | None:
    """What a plain line is by its indentation: "project", "continuation" or None (unclear).

    Aligned under the text of a bullet (hanging indent) it continues the bullet; under a
    plain project, deeper continues it and level is the next project; under the Maßnahmenart,
    deeper than its number but not at the column of its title is a project. Where both
    readings fit (exactly under the title), the line is not placed.
    """
    if current is not item.head and current.marker is not PLAIN:
        return "continuation" if line.indent >= _text_column(current) else None
    if current is not item.head:
        if line.indent > current.lines[0].indent:
            return "continuation"
        return "project" if line.indent == current.lines[0].indent else None
    head = item.head.lines[0].indent
    if line.indent > head and line.indent != _text_column(item.head):
        return "project"
    return None


def _wrapped_art(lines: Sequence[Line], index: int) -> list[Line]:
    """The lines of a numbered Maßnahmenart whose title only classifies once its wrapped
    lines are joined ("4. Weiterbildungs-" / "maßnahmen für …"); empty if there is none."""
    if not ITEM.match(lines[index].text):
        return []
    taken = [lines[index]]
    for line in lines[index + 1 : index + 4]:
        if line.blank or not _continues(taken[-1], line):
            break
        taken.append(line)
        match = ITEM.match(join_lines(taken))
        if match and codelists.classify_massnahmenart(match.group("title")) is not None:
            return taken
    return []


def _continues(previous: Line, line: Line) -> bool:
    """Whether ``line`` continues the entry whose last line is ``previous`` (wrapped title)."""
    if BULLET.match(line.text) or ITEM.match(line.text):
        return False
    # German titles end in a noun; one that ends in a lower-case word ("kreisfreien",
    # "psychosozialen") or a connecting word ("und", "für") goes on in the next line.
    text = previous.text
    last_word = text.rsplit(" ", 1)[-1]
    return (
        line.text[0].islower()
        or line.text[0] in '(„"“'
        or last_word[:1].islower()
        or bool(_CONTINUES.search(text))
    )


def _prose(lines: Sequence[Line], index: int) -> bool:
    """Whether a paragraph of running text (a sentence of several words) starts at ``index``."""
    words = 0
    for line in lines[index:]:
        entry = BULLET.match(line.text) or ITEM.match(line.text)
        if line.blank or (line is not lines[index] and entry):
            return False
        words += line.text.count(" ") + 1
        if _SENTENCE_END.search(line.text):
            return words >= _PROSE_WORDS
        if words > 200:
            return True
    return False


def _check_rest(lines: Sequence[Line], index: int) -> None:
    """After the list: until the next §, no line that starts a paragraph or follows a
    sentence may look like a list entry."""
    starts = True
    for line in lines[index:]:
        if line.furniture:
            continue
        if _SECTION.match(line.text):
            return
        if starts and (BULLET.match(line.text) or _art_title(line) is not None):
            raise _unplaced(line, "a list entry after the end of the list")
        starts = line.blank or bool(_SENTENCE_END.search(line.text)) or line.text.endswith(":")


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _number(item: Item) -> int | None:
    """The number an item's Maßnahmenart entry carries ("2.", "II.", "Maßnahmenart 2:"), or
    None for a heading or bold line without one."""
    if item.head.marker is not ITEM:
        return None
    match = ITEM.match(join_lines(item.head.lines))
    if match is None:
        return None
    if match.group("number"):
        return int(match.group("number"))
    return _ROMAN[match.group("roman")]


def _check_numbers(items: Sequence[Item]) -> None:
    """The numbered Maßnahmenarten run 1, 2, 3 … in order, or each carries its own number
    (Förderrichtlinie order, ascending); refuse the first entry out of order otherwise."""
    numbered = [(item, number) for item in items if (number := _number(item)) is not None]
    if all(number == position for position, (_, number) in enumerate(numbered, start=1)):
        return  # numbered in the list's own order
    numbers = [number for _, number in numbered]
    own = all(number == _art_number(item) for item, number in numbered)
    if own and numbers == sorted(set(numbers)):
        return  # numbered as the Förderrichtlinie numbers them, some left out
    for position, (item, number) in enumerate(numbered, start=1):
        if number != position:
            after = f"after number {numbers[position - 2]}" if position > 1 else "as the first"
            raise ParseError(
                f"line in § 5 is Maßnahmenart number {number} {after}: an entry of the list "
                "is missing or unreadable (its projects would be read as another's); the "
                "Maßnahmenarten are numbered 1, 2, 3 … in order, or each by its own number "
                "(1 Ausbildungsvorbereitung … 4 Weiterbildungsmaßnahmen)",
                None,
                item.head.lines[0].number,
            )


def _art_number(item: Item) -> int | None:
    """The number of the Maßnahmenart an item's title names."""
    match = ITEM.match(join_lines(item.head.lines))
    art = codelists.classify_massnahmenart(match.group("title")) if match else None
    return art.value if art is not None else None


def _unplaced(line: Line, what: str) -> ParseError:
    return ParseError(f"line in § 5 is {what}: {line.text!r}", None, line.number)
