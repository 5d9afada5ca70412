"""Layout variants of a valid agreement text: the same facts, written as other documents do.

:func:`variants` rewrites one fixture text (Markdown, plain text, text extracted from a PDF)
into every supported layout class of README.md ("Supported document layouts"): the § 5 list
with other numbering, headings, bullets, letters, indented or hard-wrapped entries and page
breaks with running headers; signature blocks side by side, with a Vertretungsvermerk or a
minister's title; the granting authority after "Bewilligungsbescheid". Each :class:`Variant`
says how its expected facts differ from the fixture's (most do not differ at all).

:func:`broken_variants` rewrites the fixture into documents that contradict themselves; each
:class:`Broken` names the message and the line the parser must refuse it with.

The rewriting reads the fixture's structure (the § 5 list, the signature blocks) from its
lines and renders it anew, so it works on any agreement of the genre, not on fixed strings.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

_ITEM = re.compile(r"^\s*(?:\*\*)?(?P<number>[1-9])\.(?:\*\*)?\s+(?P<title>\S.*?)\s*$")
_BULLET = re.compile(r"^\s*[-•*▪–]\s+(?P<title>\S.*?)\s*$")
_SIGNATURE = re.compile(r"^\s*[A-ZÄÖÜ][^\d,]{1,60},\s*den\s+\d")
_CLOSING = re.compile(r"^\s*Die\s+Förderung")
_GRANTING = re.compile(r"Die\s+Förderung\s+der\s+aufgeführten.*?Bescheides\.", re.DOTALL)


@dataclass(frozen=True)
class Entry:
    """A Maßnahmenart of the list as the fixture states it."""

    number: int
    title: str
    projects: tuple[str, ...]


@dataclass(frozen=True)
class Structure:
    """The fixture text cut into the parts the variants rewrite."""

    before: list[str]
    entries: tuple[Entry, ...]
    between: list[str]
    """From the closing sentence of § 5 to the first signature block."""
    blocks: tuple[tuple[str, ...], ...]
    """Signature blocks: the "Ort, den Datum" line and the non-blank lines after it."""


def _unwrap(lines: list[str]) -> str:
    text = ""
    for line in lines:
        part = line.strip()
        if text.endswith("-") and part[:1].islower() and text[-2:-1].isalpha():
            text = text[:-1] + part
        else:
            text = f"{text} {part}" if text else part
    return text


def structure(text: str) -> Structure:
    """Cut ``text`` (LF line ends) into the list, what follows it and the signature blocks."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if _ITEM.match(line))
    closing = next(i for i in range(first, len(lines)) if _CLOSING.match(lines[i]))
    entries: list[tuple[int, list[str], list[list[str]]]] = []
    for line in lines[first:closing]:
        item, bullet = _ITEM.match(line), _BULLET.match(line)
        if item:
            entries.append((int(item.group("number")), [item.group("title")], []))
        elif bullet:
            entries[-1][2].append([bullet.group("title")])
        elif line.strip():
            (entries[-1][2][-1] if entries[-1][2] else entries[-1][1]).append(line)
    signing = next(i for i in range(closing, len(lines)) if _SIGNATURE.match(lines[i]))
    blocks: list[list[str]] = []
    for line in lines[signing:]:
        if _SIGNATURE.match(line):
            blocks.append([line.strip()])
        elif line.strip() and not re.fullmatch(r"\s*Seite \d+ von \d+\s*", line):
            blocks[-1].append(line.strip())
    return Structure(
        lines[:first],
        tuple(
            Entry(n, _unwrap(title), tuple(_unwrap(p) for p in projects))
            for n, title, projects in entries
        ),
        lines[closing:signing],
        tuple(tuple(block) for block in blocks),
    )


def _plain(line: str) -> str:
    """A signature line without Markdown: "*M. Wilhelm*" → "M. Wilhelm"."""
    return line.strip().strip("*_").strip()


def _printed(block: tuple[str, ...]) -> list[str]:
    """A block without its handwritten (italic) line and Markdown line breaks."""
    return [_plain(line) for line in block if not re.fullmatch(r"\*[^*].*\*", line.strip())]


# -- rendering ---------------------------------------------------------------------------------

Render = Callable[[Structure], str]


def _stacked(blocks: tuple[tuple[str, ...], ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out.extend(["", *block, ""])
    return out


def render(
    s: Structure,
    item: Callable[[Entry], list[str]] | None = None,
    project: Callable[[int, str], str] | None = None,
    inside: Callable[[list[str]], list[str]] | None = None,
    between: Callable[[list[str]], list[str]] | None = None,
    blocks: Callable[[tuple[tuple[str, ...], ...]], list[str]] | None = None,
) -> str:
    """The text again, with the list, the closing part and the signatures rendered anew."""
    head = item or (lambda e: [f"{e.number}. {e.title}"])
    bullet = project or (lambda _k, title: f" - {title}")
    listing: list[str] = []
    for entry in s.entries:
        listing.extend(head(entry))
        listing.extend(bullet(k, title) for k, title in enumerate(entry.projects))
    if inside:
        listing = inside(listing)
    rest = between(s.between) if between else s.between
    signed = blocks(s.blocks) if blocks else _stacked(s.blocks)
    return "\n".join([*s.before, *listing, "", *rest, *signed]) + "\n"


_SECTION_NUMBER = re.compile(r"[#*\s]*§\s*(?P<number>\d+)[*\s]*")


def _titled_sections(separator: str) -> Render:
    """§ 1 to § 5 with their titles on the heading's line (``§ 4 Haushaltsmittel und
    Eckdaten``), each heading a paragraph of its own (Markdown keeps its ``##``)."""

    def rewrite(s: Structure) -> str:
        before: list[str] = []
        lines = iter(s.before)
        for line in lines:
            number = _SECTION_NUMBER.fullmatch(line)
            if number is None:
                before.append(line)
                continue
            title = next(t for t in lines if t.strip()).strip().lstrip("#").strip().strip("*")
            prefix = "## " if line.lstrip().startswith("#") else ""
            if before and before[-1].strip():
                before.append("")
            before.extend([f"{prefix}§ {number.group('number')}{separator}{title}", ""])
        return render(Structure(before, s.entries, s.between, s.blocks))

    return rewrite


def _letters(k: int) -> str:
    return chr(ord("a") + k % 26) * (1 + k // 26)


def _wrap(title: str, width: int = 40) -> list[str]:
    """Hard-wrap a title where a reader would: after a lower-case or connecting word."""
    words = title.split(" ")
    lines, current = [], ""
    for n, word in enumerate(words):
        if current and len(current) + 1 + len(word) > width and _breakable(words[n - 1]):
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]


def _breakable(word: str) -> bool:
    return word[:1].islower() or word.endswith(",")


def _hyphenate(title: str) -> list[str]:
    """Break the longest compound word of a title with a hyphen at a lower-case letter."""
    words = title.split(" ")
    longest = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[longest]
    if len(word) < 12 or not word.isalpha():
        return [title]
    cut = len(word) // 2
    while cut < len(word) - 2 and not word[cut].islower():
        cut += 1
    first = " ".join([*words[:longest], word[:cut]]) + "-"
    return [first, " ".join([word[cut:], *words[longest + 1 :]])]


def _page_break(footer: str, header: str) -> Callable[[list[str]], list[str]]:
    """A page break after the list's third line (and one more after its sixth)."""

    def insert(listing: list[str]) -> list[str]:
        out = list(listing)
        for position in (6, 3):
            if position < len(out):
                out[position:position] = ["", footer.format(page=position // 3 + 1), "", header]
        return out

    return insert


def _side_by_side(
    blocks: tuple[tuple[str, ...], ...], notes: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
) -> list[str]:
    """The two blocks next to each other, ``notes`` above each name, as PDF text shows them."""
    left, right = (_printed(b) for b in blocks[:2])
    left[1:1], right[1:1] = notes
    width = max(len(line) for line in left) + 8
    rows = max(len(left), len(right))
    out = [""]
    for k in range(rows):
        a = left[k] if k < len(left) else ""
        b = right[k] if k < len(right) else ""
        out.append((a.ljust(width) + b).rstrip() if b else a)
        if k == 0:
            out.extend(["", "", ""])
    return out


def _with_capacity(capacity: str, inline: bool = False) -> Callable[..., list[str]]:
    def rewrite(blocks: tuple[tuple[str, ...], ...]) -> list[str]:
        first = _printed(blocks[0])
        if inline:
            first[1] = f"{capacity} {first[1]}"
        else:
            first.insert(1, capacity)
        return _stacked((tuple(first), *blocks[1:]))

    return rewrite


def _role_above_name(blocks: tuple[tuple[str, ...], ...]) -> list[str]:
    """Each block's role line moved above the name ("Staatsministerin" / "Heike Hofmann")."""
    moved = []
    for block in blocks:
        lines = _printed(block)
        names = 2 if len(lines) > 2 and lines[1].split()[-1] == lines[2].split()[-1] else 1
        role = lines.pop(1 + names)
        lines.insert(1, role)
        moved.append(tuple(lines))
    return _stacked(tuple(moved))


def _ministry_lines(*organisation: str) -> Callable[[tuple[tuple[str, ...], ...]], list[str]]:
    """The ministry's block with ``organisation`` as its organisation lines."""

    def rewrite(blocks: tuple[tuple[str, ...], ...]) -> list[str]:
        first = _printed(blocks[0])
        start = next(i for i, line in enumerate(first) if line.startswith("Hessisches Minister"))
        return _stacked(((*first[:start], *organisation), *blocks[1:]))

    return rewrite


def _no_project_in_words(words: str) -> Callable[[Entry], list[str]]:
    """A Maßnahmenart without projects says so in a bullet ("- keine")."""
    return lambda e: [f"{e.number}. {e.title}", *([f" - {words}"] if not e.projects else [])]


def _minister_title(blocks: tuple[tuple[str, ...], ...]) -> list[str]:
    first = _printed(blocks[0])
    return _stacked(((first[0], first[1], MINISTER_TITLE), *blocks[1:]))


MINISTER_TITLE = "Hessische Ministerin für Arbeit, Integration, Jugend und Soziales"
BEWILLIGUNG = (
    "Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des "
    "Bewilligungsbescheides des Regierungspräsidiums Kassel."
)


def _bewilligung(between: list[str], sentence: str = BEWILLIGUNG) -> list[str]:
    text = "\n".join(between)
    return _GRANTING.sub(sentence, text, count=1).split("\n")


BESCHEID_DES_RP = "Die Förderung der aufgeführten Maßnahmen regelt der Bescheid des RP Kassel."
MINISTRY_GENITIVE = "des Hessischen Ministeriums für Arbeit, Integration, Jugend und Soziales"


# -- the variants ------------------------------------------------------------------------------

Expect = Callable[[dict[str, object]], dict[str, object]]


def _same(facts: dict[str, object]) -> dict[str, object]:
    return facts


@dataclass(frozen=True)
class Variant:
    """One layout class applied to a fixture; ``expect`` adjusts the fixture's facts."""

    name: str
    rewrite: Render
    expect: Expect = _same
    on_behalf: tuple[str, ...] = ()
    """The Vertretungsvermerk the ministry's signature must carry."""
    region_on_behalf: tuple[str, ...] = ()
    """The Vertretungsvermerk the region's signature must carry."""


def project_amount(k: int, title: str) -> int:
    """The amount (euros) the amount variants write after project ``k`` titled ``title``."""
    return 1000 * (len(title) + k) + 250 * k


def _with_amounts(write: Callable[[str], str]) -> Callable[[int, str], str]:
    """Projects with their amount after the title, as ``write(amount in German notation)``."""
    return lambda k, t: f" - {t} {write(f'{project_amount(k, t):,}'.replace(',', '.'))}"


def _amounts(facts: dict[str, object]) -> dict[str, object]:
    """The fixture's facts with the amount of every project (as :func:`project_amount`)."""
    listed = facts["massnahmenarten"]
    amounts = [
        [Decimal(project_amount(k, t)).quantize(Decimal("0.01")) for k, t in enumerate(projects)]
        for _, _, projects in listed  # type: ignore[attr-defined]
    ]
    return {**facts, "amounts": amounts}


def _signature_fields(**changes: object) -> Expect:
    """The first (ministry's) signature with ``changes`` to its fields."""
    names = ("place", "date", "person", "role", "organisation_text", "organisation_slug")

    def adjust(facts: dict[str, object]) -> dict[str, object]:
        signatures = [list(s) for s in facts["signatures"]]  # type: ignore[attr-defined]
        for key, value in changes.items():
            signatures[0][names.index(key)] = value
        return {**facts, "signatures": [tuple(s) for s in signatures]}

    return adjust


def _left_out(s: Structure, renumber: bool) -> Structure:
    """The list without its third Maßnahmenart, numbered by Maßnahmenart (1, 2, 4) or, with
    ``renumber``, in its own order (1, 2, 3)."""
    kept = [e for k, e in enumerate(s.entries) if k != 2]
    if renumber:
        kept = [dataclasses.replace(e, number=k) for k, e in enumerate(kept, start=1)]
    return dataclasses.replace(s, entries=tuple(kept))


def _without_third(facts: dict[str, object]) -> dict[str, object]:
    """The fixture's facts without its third Maßnahmenart (not listed)."""
    dropped: dict[str, object] = {}
    for key in ("massnahmenarten", "amounts"):
        values = facts[key]
        assert isinstance(values, list)
        dropped[key] = [x for k, x in enumerate(values) if k != 2]
    return {**facts, **dropped}


VARIANTS: tuple[Variant, ...] = (
    Variant("as-is", render),
    Variant(
        "numbers-with-parenthesis", lambda s: render(s, item=lambda e: [f"{e.number}) {e.title}"])
    ),
    Variant(
        "roman-numbers",
        lambda s: render(s, item=lambda e: [f"{'I II III IV'.split()[e.number - 1]}. {e.title}"]),
    ),
    Variant("bold-numbers", lambda s: render(s, item=lambda e: [f"**{e.number}.** {e.title}"])),
    Variant("numbers-with-dash", lambda s: render(s, item=lambda e: [f"{e.number} – {e.title}"])),
    Variant(
        "maßnahmenart-numbers",
        lambda s: render(s, item=lambda e: [f"Maßnahmenart {e.number}: {e.title}"]),
    ),
    Variant(
        "left-out-numbered-by-massnahmenart",
        lambda s: render(_left_out(s, renumber=False)),
        _without_third,
    ),
    Variant(
        "left-out-numbered-in-own-order",
        lambda s: render(_left_out(s, renumber=True)),
        _without_third,
    ),
    Variant("bold-paragraphs", lambda s: render(s, item=lambda e: ["", f"**{e.title}**", ""])),
    Variant("heading-items", lambda s: render(s, item=lambda e: ["", f"### {e.title}", ""])),
    Variant("star-bullets", lambda s: render(s, project=lambda _k, t: f"* {t}")),
    Variant("square-bullets", lambda s: render(s, project=lambda _k, t: f"▪ {t}")),
    Variant("dash-bullets", lambda s: render(s, project=lambda _k, t: f"– {t}")),
    Variant("dot-bullets", lambda s: render(s, project=lambda _k, t: f"• {t}")),
    Variant("o-bullets", lambda s: render(s, project=lambda _k, t: f"o {t}")),
    Variant(
        "letters-in-parentheses",
        lambda s: render(s, project=lambda k, t: f"   ({_letters(k)}) {t}"),
    ),
    Variant("letters-with-dot", lambda s: render(s, project=lambda k, t: f"   {_letters(k)}. {t}")),
    Variant("sub-numbers", lambda s: render(s, project=lambda k, t: f"   1.{k + 1} {t}")),
    Variant("no-project-keine", lambda s: render(s, item=_no_project_in_words("keine"))),
    Variant("no-project-entfaellt", lambda s: render(s, item=_no_project_in_words("entfällt"))),
    Variant("no-project-dots", lambda s: render(s, item=_no_project_in_words("./."))),
    Variant("letter-items", lambda s: render(s, project=lambda k, t: f"   {_letters(k)}) {t}")),
    Variant(
        "double-letter-items",
        lambda s: render(s, project=lambda k, t: f"   {_letters(k) * 2}) {t}"),
    ),
    Variant("indented-plain-projects", lambda s: render(s, project=lambda _k, t: f"      {t}")),
    Variant(
        "project-amounts-in-parentheses",
        lambda s: render(s, project=_with_amounts(lambda a: f"({a} Euro)")),
        _amounts,
    ),
    Variant(
        "project-amounts-after-a-dash",
        lambda s: render(s, project=_with_amounts(lambda a: f"– {a},00 €")),
        _amounts,
    ),
    Variant(
        "project-amounts-eur-first",
        lambda s: render(s, project=_with_amounts(lambda a: f"(EUR {a})")),
        _amounts,
    ),
    Variant(
        "hard-wrapped-titles",
        lambda s: render(
            s,
            item=lambda e: [
                f"{e.number}. {line}" if n == 0 else f"   {line}"
                for n, line in enumerate(_wrap(e.title))
            ],
            project=lambda _k, t: "\n".join(
                f"- {line}" if n == 0 else f"  {line}" for n, line in enumerate(_wrap(t, 30))
            ),
        ),
    ),
    Variant(
        "hyphenated-titles",
        lambda s: render(
            s,
            item=lambda e: [
                f"{e.number}. {line}" if n == 0 else line
                for n, line in enumerate(_hyphenate(e.title))
            ],
        ),
    ),
    Variant(
        "page-breaks-dash-footer-title-header",
        lambda s: render(s, inside=_page_break("- {page} -", "Zielvereinbarung 2025")),
    ),
    Variant(
        "page-breaks-seite-footer-running-header",
        lambda s: render(
            s, inside=_page_break("Seite {page} von 4", "Ausbildungs- und Qualifizierungsbudget")
        ),
    ),
    Variant(
        "page-breaks-slash-footer",
        lambda s: render(s, inside=_page_break("{page} / 4", "Zielvereinbarung 2025")),
    ),
    Variant(
        "page-breaks-number-only",
        lambda s: render(s, inside=_page_break("{page}", "Zielvereinbarung AQB 2025")),
    ),
    Variant("section-titles-on-the-heading-line", _titled_sections(" ")),
    Variant("section-titles-after-a-dash", _titled_sections(" – ")),
    Variant("bewilligungsbescheid", lambda s: render(s, between=_bewilligung)),
    Variant(
        "bescheid-des-rp",
        lambda s: render(s, between=lambda b: _bewilligung(b, BESCHEID_DES_RP)),
    ),
    Variant("two-column-signatures", lambda s: render(s, blocks=_side_by_side)),
    Variant(
        "two-column-signatures-with-notes",
        lambda s: render(
            s,
            blocks=lambda b: _side_by_side(b, (("Für das Land Hessen", "i.V."), ("Im Auftrag",))),
        ),
        on_behalf=("Für das Land Hessen", "i.V."),
        region_on_behalf=("Im Auftrag",),
    ),
    Variant(
        "in-vertretung",
        lambda s: render(s, blocks=_with_capacity("In Vertretung")),
        on_behalf=("In Vertretung",),
    ),
    Variant(
        "i-v-inline",
        lambda s: render(s, blocks=_with_capacity("i. V.", inline=True)),
        on_behalf=("i. V.",),
    ),
    Variant(
        "fuer-das-land-hessen",
        lambda s: render(s, blocks=_with_capacity("Für das Land Hessen")),
        on_behalf=("Für das Land Hessen",),
    ),
    Variant("role-above-name", lambda s: render(s, blocks=_role_above_name)),
    Variant(
        "signed-for-hmsi",
        lambda s: render(s, blocks=_ministry_lines("HMSI")),
        _signature_fields(organisation_text="HMSI"),
    ),
    Variant(
        "signed-for-the-ministry-in-the-genitive",
        lambda s: render(
            s,
            blocks=_ministry_lines(
                "des Hessischen Ministeriums", "für Arbeit, Integration, Jugend und Soziales"
            ),
        ),
        _signature_fields(organisation_text=MINISTRY_GENITIVE),
    ),
    Variant(
        "signed-for-land-hessen",
        lambda s: render(s, blocks=_ministry_lines("Land Hessen")),
        _signature_fields(organisation_text="Land Hessen"),
    ),
    Variant(
        "minister-title",
        lambda s: render(s, blocks=_minister_title),
        _signature_fields(role=MINISTER_TITLE, organisation_text=""),
    ),
)


def variants(text: str) -> dict[str, str]:
    """Every layout variant of ``text``, by name."""
    s = structure(text)
    return {v.name: v.rewrite(s) for v in VARIANTS}


# -- broken variants ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """A rewritten fixture the parser must refuse, with ``message`` on line ``line``."""

    name: str
    text: str
    message: str
    line: int = field(default=0)


def _line_of(text: str, needle: str, start: int = 0) -> int:
    return text.count("\n", 0, text.index(needle, start)) + 1


def _section_heading(text: str, number: int) -> re.Match[str]:
    """The line that is the heading of § ``number`` ("§ 4", "## **§ 4**")."""
    heading = re.search(rf"^[#* ]*§ *{number}[* ]*$", text, re.MULTILINE)
    assert heading is not None, f"no § {number} heading"
    return heading


def with_term(text: str, year: int, first: str, last: str) -> str:
    """``text`` with a paragraph stating the agreement's term, just before § 5."""
    heading = _section_heading(text, 5)
    sentence = f"Die Laufzeit dieser Zielvereinbarung beginnt am {first} und endet am {last}."
    return text[: heading.start()] + sentence + "\n\n" + text[heading.start() :]


def broken_variants(text: str, other_region: str) -> list[Broken]:
    """Self-contradicting rewrites of ``text``; ``other_region`` names another region
    ("Landkreis Gießen") for the region check."""
    s = structure(text)
    base = render(s)
    broken: list[Broken] = []

    # § 4 names another region than the title block.
    section4 = base.index("§ 4")
    budget_sentence = re.search(
        r"(?:de[mr])\s+(Landkreis|Stadt)\s+[^\n]*?(?=\s+im\s+Jahr)", base[section4:]
    )
    assert budget_sentence is not None
    start = section4 + budget_sentence.start()
    wrong = base[:start] + "dem " + other_region + base[section4 + budget_sentence.end() :]
    broken.append(
        Broken(
            "region-in-section-4",
            wrong,
            f"§ 4 names {other_region}",
            _line_of(wrong, other_region, start),
        )
    )

    # The title's year differs from the budget's.
    title_year = re.search(r"Zielvereinbarung\**\s*\n(?:\s*\n)*\**(?P<year>20\d\d)", base)
    assert title_year is not None
    year = int(title_year.group("year"))
    other = base[: title_year.start("year")] + str(year - 1) + base[title_year.end("year") :]
    jahr = re.compile(rf"im\s+Jahr\s+{year}").search(other, other.index("§ 4"))
    assert jahr is not None
    message = f"the budget is for {year}, but the title names {year - 1}"
    line = other.count("\n", 0, jahr.end()) + 1
    broken.append(Broken("title-year-not-budget-year", other, message, line))

    # The ministry's name of another period (the 2014 name in a 2025 agreement).
    ministry = re.search(
        r"dem\s+Hessischen\s+Ministerium\s+für\s+Arbeit,\s+Integration,\s+Jugend\s+und\s+Soziales",
        base,
    )
    assert ministry is not None
    renamed = base[: ministry.start()] + "dem Hessischen Sozialministerium" + base[ministry.end() :]
    message = "the ministry was not called 'Hessischen Sozialministerium'"
    line = base.count("\n", 0, ministry.start()) + 1
    broken.append(Broken("ministry-name-outside-its-period", renamed, message, line))

    # No granting authority.
    without = _GRANTING.sub(
        "Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis eines Bescheides.",
        base,
        count=1,
    )
    broken.append(
        Broken(
            "no-granting-authority",
            without,
            "no granting authority",
            _line_of(without, "Bescheides."),
        )
    )

    # A term (Laufzeit) other than the budget year: the term is derived from the year.
    broken.append(
        Broken(
            "term-not-the-budget-year",
            with_term(base, year, f"1. Juli {year}", f"30.06.{year + 1}"),
            f"a term (Laufzeit) with the day 1. Juli {year}, not the budget year {year}",
            _line_of(with_term(base, year, f"1. Juli {year}", f"30.06.{year + 1}"), "Die Laufzeit"),
        )
    )

    # A term of two years, named by its years only.
    two_years = with_term(base, year, str(year), str(year + 1))
    broken.append(
        Broken(
            "term-of-two-years",
            two_years,
            f"a term (Laufzeit) with the year {year + 1}, not the budget year {year}",
            _line_of(two_years, "Die Laufzeit"),
        )
    )

    # A line in § 5 that is neither entry nor continuation.
    listing = s.entries[0].projects[0] if s.entries[0].projects else s.entries[0].title
    position = base.index(listing) + len(listing)
    stray = base[:position] + "\nHinweis Gesamtliste" + base[position:]
    broken.append(
        Broken(
            "unplaced-line-in-section-5",
            stray,
            "line in § 5 is neither",
            _line_of(stray, "Hinweis Gesamtliste"),
        )
    )

    # Numbered neither in the list's own order nor by Maßnahmenart: 1, 2, 4 where "2." is
    # Maßnahmenart 3 (the heading of Maßnahmenart 2 lost, or the list misnumbered).
    odd = render(
        dataclasses.replace(
            s,
            entries=(
                s.entries[0],
                dataclasses.replace(s.entries[2], number=2),
                *s.entries[3:],
            ),
        )
    )
    broken.append(
        Broken(
            "numbered-neither-way",
            odd,
            f"line in § 5 is Maßnahmenart number {s.entries[3].number} after number 2",
            _line_of(odd, f"{s.entries[3].number}. {s.entries[3].title[:20]}"),
        )
    )

    # A project after the end of the list.
    closing_match = re.search(r"^Die\s+Förderung", base, re.MULTILINE)
    assert closing_match is not None
    closing = closing_match.start()
    late = (
        base[:closing]
        + "Weitere Projekte werden nach Bedarf gemeinsam festgelegt.\n\n - Nachzügler\n\n"
        + base[closing:]
    )
    broken.append(
        Broken(
            "project-after-the-list",
            late,
            "a list entry after the end of the list",
            _line_of(late, " - Nachzügler"),
        )
    )

    # A section the parser reads is missing, heading and all: refused at the next heading.
    for section, topic in ((4, "Haushaltsmittel"), (5, "Maßnahmenarten")):
        heading = _section_heading(base, section)
        following = _section_heading(base, section + 1)
        without_section = base[: heading.start()] + base[following.start() :]
        broken.append(
            Broken(
                f"section-{section}-missing",
                without_section,
                f"no § {section} ({topic}",
                without_section.count("\n", 0, heading.start()) + 1,
            )
        )

    # A project listed twice: under its own Maßnahmenart, and under another one as well.
    own = [n for n, entry in enumerate(s.entries) if entry.projects][-1]
    repeated = s.entries[own].projects[0]
    once_more = f"twice under Maßnahmenart {s.entries[own].number}"
    # (The same title under another Maßnahmenart is accepted: tests/test_parsing.py.)
    for variant, into, where in (("project-twice-under-one-massnahmenart", own, once_more),):
        entries = list(s.entries)
        entries[into] = dataclasses.replace(
            entries[into], projects=(*entries[into].projects, repeated)
        )
        doubled = render(dataclasses.replace(s, entries=tuple(entries)))
        bullet = f" - {repeated}\n"
        first_line = _line_of(doubled, bullet)
        second_line = _line_of(doubled, bullet, doubled.index(bullet) + 1)
        refusal = f"project {repeated!r} listed {where}"
        broken.append(Broken(variant, doubled, refusal, second_line))
        broken.append(
            Broken(f"{variant}-line", doubled, f"here and on line {first_line}", second_line)
        )

    # Signatures: one party signs twice, one does not sign, a block names no party.
    first, second = s.blocks[0], s.blocks[1]
    twice = render(s, blocks=lambda b: _stacked((b[0], b[0])))
    broken.append(
        Broken(
            "ministry-signs-twice",
            twice,
            "two signatures for",
            _line_of(twice, first[0], twice.index(first[0]) + 1),
        )
    )
    once = render(s, blocks=lambda b: _stacked((b[0],)))
    broken.append(
        Broken("region-does-not-sign", once, "no signature for", _line_of(once, first[0]))
    )
    nobody = render(
        s,
        blocks=lambda b: _stacked(
            (b[0], (second[0], "Erika Mustermann", "Geschäftsführerin", "der Beispiel GmbH"))
        ),
    )
    broken.append(
        Broken(
            "signature-for-no-party",
            nobody,
            "signature block names neither",
            _line_of(nobody, second[0]),
        )
    )
    return broken
