"""A decoded agreement document → :class:`~aqb_rdf.source.model.Zielvereinbarung` (pure).

The parser reads what every Zielvereinbarung states, wherever the layout puts it: the year and
parties in the title block, the budget in the "Haushaltsmittel" paragraph, the Maßnahmenarten
and their projects in the numbered list of § 5, legal spheres and frameworks in the running
text, the granting authority beside "Bescheid", and the signature blocks at the end. Regular
expressions run over :class:`~aqb_rdf.source.layout.FlowText`, so line wrapping, hyphenation and page
footers of PDF text do not matter; the list and signatures are read line by line.

A missing or malformed fact raises :class:`~aqb_rdf.errors.ParseError` with the line it
concerns; a name that does not resolve raises :class:`~aqb_rdf.errors.ResolveError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from aqb_rdf.errors import AqbError, ParseError, ResolveError
from aqb_rdf.source import codelists, consistency, listing
from aqb_rdf.source.german import parse_amount
from aqb_rdf.source.layout import FlowText, Line, clean_lines, join_lines, line_span, sections
from aqb_rdf.source.model import (
    Gebietskoerperschaft,
    Located,
    Massnahmenbereich,
    Organisation,
    Projekt,
    SourceDocument,
    Span,
    Unterzeichnung,
    Zielvereinbarung,
)
from aqb_rdf.source.reference import Reference, resolve_organisation, resolve_region
from aqb_rdf.source.signatures import read_signatures

_TITLE = re.compile(r"Zielvereinbarung", re.IGNORECASE)
_HEADER_END = re.compile(r"Präambel|§\s*1\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_BUDGET_YEAR = re.compile(r"Qualifizierungsbudgets?\s+((?:19|20)\d{2})\b")
_PARTIES = re.compile(
    r"zwischen\s+(?P<first>(?:de[mnr]|des)\s.+?)\s+und\s+(?P<second>(?:de[mnr]|des)\s.+?)"
    r"(?:\s+zur\s+Umsetzung|\n\n|$)",
    re.DOTALL,
)
_ARTICLE = re.compile(r"^(?:der|dem|den|des|die|das)\s+")
_AMOUNT_ANCHOR = re.compile(r"in\s+Höhe\s+von(?:\s+insgesamt)?", re.IGNORECASE)
_AMOUNT = re.compile(r"(?P<amount>[^\s€]+(?:[ \u00a0\u202f]\d{3})*)\s*(?:Euro|EUR|€)")
_AMOUNT_BEFORE = re.compile(r"(?:EUR|€)\s*(?P<amount>[0-9][^\s]*)")
_SECTION = re.compile(r"§\s*(\d+)\b")
_BUDGET_WORD = re.compile("Haushaltsmittel")
# An amount after a project's title: "Jobcoach (120.000 Euro)", "(EUR 120.000)", "– 120.000 €".
_PROJECT_AMOUNT = re.compile(
    r"\s*(?:\(\s*(?P<a>[^()]*\d[^()]*?)\s*(?:Euro|EUR|€)\s*\)"
    r"|\(\s*(?:EUR|€)\s*(?P<b>\d[^()]*?)\s*\)"
    r"|\s[-–:]\s*(?P<c>\d[^()]*?)\s*(?:Euro|EUR|€)"
    r"|\s[-–:]\s*(?:EUR|€)\s*(?P<d>\d[^()]*?))\s*$"
)
_SGB = re.compile(
    r"\bSGB\s*(?P<books>[IVX]+\b(?:\s*(?:,|und|sowie|oder|bzw\.|/)\s*(?:SGB\s*)?[IVX]+\b)*)"
)
_ROMAN = re.compile(r"[IVX]+\b")
_ASYLBLG = re.compile(r"\bAsylbLG\b|Asylbewerberleistungsgesetz")
_GRANTING = re.compile(
    r"(?P<authority>(?:Regierungspräsidiums?|RP)\s+(?P<seat>[A-ZÄÖÜ][\wäöüß-]+))"
)
_SENTENCE_END = re.compile(r"\.(?=\s|$)")
_BESCHEID = re.compile(r"\w*bescheid\w*", re.IGNORECASE)
"""The word naming the form of grant (Bescheid, Bewilligungsbescheid, Zuwendungsbescheides …)."""
_SIGNATURE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][^\d,]{1,60}?),\s*(?:den|am)?\s*"
    r"(?P<date>\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})|\d{1,2}\.\s*[A-Za-zÄÖÜäöü]+\s+\d{4})\s*$"
)
_ORGANISATION_START = re.compile(
    r"^(?:de[rsmn]\s|Hessische|Ministerium|Landkreis|Kreis\b|Stadt\b|Magistrat|Kreisausschuss)"
)


def parse_agreement(document: SourceDocument, reference: Reference) -> Zielvereinbarung:
    """Every fact ``document`` states; raises ParseError/ResolveError naming file and line."""
    lines = clean_lines(document.text)
    flow = FlowText(lines)
    try:
        return _Parser(document, lines, flow, reference).agreement()
    except AqbError as error:
        error.path = error.path or document.path
        raise


class _Parser:
    def __init__(
        self, document: SourceDocument, lines: list[Line], flow: FlowText, reference: Reference
    ) -> None:
        self.document = document
        self.lines = lines
        self.flow = flow
        self.text = flow.text
        self.reference = reference
        self.sections = sections(flow)

    def fail(
        self, message: str, span: Span | None = None, kind: type[AqbError] = ParseError
    ) -> AqbError:
        return kind(message, self.document.path, span.first_line if span else 1)

    def located(self, match: re.Match[str], group: int | str = 0) -> Span:
        return self.flow.span(match.start(group), match.end(group))

    def agreement(self) -> Zielvereinbarung:
        if not self.text.strip():
            raise self.fail("no text in the document")
        title = _TITLE.search(self.text)
        if not title:
            raise self.fail("not a Zielvereinbarung: the title 'Zielvereinbarung' is missing")
        header_end = _HEADER_END.search(self.text)
        header = self.text[: header_end.start() if header_end else len(self.text)]
        year = self._year(header)
        ministry, region, written = self._parties(header, year.value)
        budget, budget_at = self._budget()
        massnahmenbereiche = self._massnahmenbereiche()
        granting, form = self._granting_authority()
        agreement = Zielvereinbarung(
            source=self.document,
            year=year,
            ministry=ministry,
            region=region,
            budget=budget,
            massnahmenbereiche=massnahmenbereiche,
            rechtskreise=tuple(self._rechtskreise()),
            bezugsrahmen=tuple(self._bezugsrahmen()),
            granting_authority=granting,
            granting_form=Located("Bescheid", form) if form else None,
            signatures=tuple(self._signatures(ministry.value, region.value)),
            ministry_as_written=written[0],
            region_as_written=written[1],
        )
        last_line = self.document.text.count("\n") + 1
        consistency.check(agreement, self.flow, self.reference.regions, budget_at, last_line)
        return agreement

    def _section(self, number: str, topic: str) -> tuple[int, int]:
        """The flow-text range of § ``number``; the whole text when the document has no
        section headings at all. A document with headings but none for ``number`` is refused
        at the next section's heading (where this one was expected), or on line 1."""
        if number in self.sections:
            return self.sections[number]
        if not self.sections:
            return 0, len(self.text)
        later = [r for n, r in self.sections.items() if int(n) > int(number)]
        where = None
        if later:
            heading_end = min(later)[0]
            where = self.flow.span(heading_end - 1, heading_end)
        raise self.fail(f"no § {number} ({topic}): the section is missing", where)

    # -- title block -------------------------------------------------------------------------

    def _year(self, header: str) -> Located[int]:
        title = _TITLE.search(header)
        match = _YEAR.search(header, title.end() if title else 0)
        if match:
            return Located(int(match.group()), self.located(match))
        budget = _BUDGET_YEAR.search(self.text)
        if budget:
            return Located(int(budget.group(1)), self.located(budget, 1))
        raise self.fail("no year found (expected a title like 'Zielvereinbarung 2025')")

    def _parties(
        self, header: str, year: int
    ) -> tuple[
        Located[Organisation], Located[Gebietskoerperschaft], tuple[Located[str], Located[str]]
    ]:
        """The two parties, and their names as written (without the article)."""
        match = _PARTIES.search(header)
        if not match:
            raise self.fail("no parties found (expected 'zwischen dem … und der/dem …')")
        groups = ["first", "second"]
        names = {g: re.sub(r"\s+", " ", match.group(g)).strip() for g in groups}
        ministry_group = next((g for g in groups if "ministerium" in names[g].lower()), None)
        if ministry_group is None:
            raise self.fail(
                f"no ministry among the parties {names['first']!r} and {names['second']!r}",
                self.located(match),
            )
        region_group = "second" if ministry_group == "first" else "first"
        ministry_span = self.located(match, ministry_group)
        region_span = self.located(match, region_group)
        try:
            ministry = resolve_organisation(self.reference, names[ministry_group], "Ministerium")
        except ResolveError as error:
            raise self.fail(error.message, ministry_span, ResolveError) from None
        try:
            region = resolve_region(self.reference, names[region_group], year)
        except ResolveError as error:
            raise self.fail(error.message, region_span, ResolveError) from None
        written = (
            Located(
                _ARTICLE.sub("", names[ministry_group]), self._name_span(match, ministry_group)
            ),
            Located(_ARTICLE.sub("", names[region_group]), self._name_span(match, region_group)),
        )
        return Located(ministry, ministry_span), Located(region, region_span), written

    def _name_span(self, match: re.Match[str], group: str) -> Span:
        """Where a party's name as written stands: its words without the article (the party's
        own span has the article), so that its quote is the name."""
        raw = match.group(group)
        start = match.start(group) + len(raw) - len(raw.lstrip())
        article = _ARTICLE.match(raw.lstrip())
        if article:
            start += article.end()
        return self.flow.span(start, match.start(group) + len(raw.rstrip()))

    # -- § 4: budget -------------------------------------------------------------------------

    def _budget(self) -> tuple[Located[Decimal], int]:
        """The budget and its position in the flow text, read in § 4."""
        first, last = self._section("4", "Haushaltsmittel, the budget")
        for anchor in _AMOUNT_ANCHOR.finditer(self.text, first, last):
            window = self.text[anchor.end() : min(anchor.end() + 80, last)]
            match = _AMOUNT.search(window) or _AMOUNT_BEFORE.search(window)
            if not match:
                continue
            start = anchor.end() + match.start("amount")
            end = anchor.end() + match.end("amount")
            span = self.flow.span(start, end)
            token = match.group("amount")
            try:
                return Located(parse_amount(token), span), start
            except ValueError as error:
                raise self.fail(f"malformed amount {token!r} ({error})", span) from None
        near = _AMOUNT_ANCHOR.search(self.text, first, last) or _BUDGET_WORD.search(
            self.text, first, last
        )
        where = self.flow.span(near.start(), near.end()) if near else None
        if where is None and first > 0:
            where = self.flow.span(first - 1, first)
        raise self.fail("no budget: no amount in euros after 'in Höhe von'", where)

    # -- § 5: Maßnahmenarten and projects -----------------------------------------------------

    def _list_lines(self) -> Sequence[Line]:
        """Lines from the § 5 heading (or the first list item) to the end of the document."""
        for i, line in enumerate(self.lines):
            section = _SECTION.match(line.text)
            if section and section.group(1) == "5" and len(line.text) < 12:
                return self.lines[i + 1 :]
        return self.lines

    def _massnahmenbereiche(self) -> tuple[Massnahmenbereich, ...]:
        self._section("5", "Maßnahmenarten and projects")
        items = listing.read_list(self._list_lines())
        if not items:
            raise self.fail("no Maßnahmenarten found (expected a numbered list in § 5)")
        result: list[Massnahmenbereich] = []
        seen: dict[object, int] = {}
        for item in items:
            head = item.head
            title = _entry_title(head.marker, head.lines)
            art = codelists.classify_massnahmenart(title)
            assert art is not None
            span = _entry_span(head.marker, head.lines)
            if art in seen:
                raise self.fail(
                    f"Maßnahmenart {art.value} listed twice (also on line {seen[art]})", span
                )
            seen[art] = head.lines[0].number
            projects = tuple(self._projekt(p.marker, p.lines) for p in item.projects)
            result.append(Massnahmenbereich(art, title, span, projects))
        return tuple(result)

    def _projekt(self, marker: re.Pattern[str], lines: Sequence[Line]) -> Projekt:
        """A project entry: its title, and the amount that follows it as a fact of its own
        (read or refused, never left in the title)."""
        title = _entry_title(marker, lines)
        found = _PROJECT_AMOUNT.search(title)
        if found is None:
            return Projekt(title, _entry_span(marker, lines))
        last, column = lines[-1], _title_column(marker, lines)
        in_line = _PROJECT_AMOUNT.search(last.text, column if len(lines) == 1 else 0)
        if in_line is None:
            raise self.fail(
                f"the amount of the project {title!r} is split across lines",
                _entry_span(marker, lines),
            )
        group = next(g for g in "abcd" if in_line.group(g))
        token = in_line.group(group)
        amount_span = line_span([last], in_line.start(group), in_line.end(group))
        try:
            amount = parse_amount(token)
        except ValueError as error:
            raise self.fail(
                f"malformed amount {token!r} of the project {title!r} ({error})", amount_span
            ) from None
        name = title[: found.start()].rstrip()
        if not name:
            raise self.fail(f"a project with an amount but no title: {title!r}", amount_span)
        span = line_span(lines, column, in_line.start())
        return Projekt(name, span, Located(amount, amount_span))

    # -- running text: legal spheres, frameworks, granting authority --------------------------

    def _rechtskreise(self) -> Iterator[Located[str]]:
        found: list[tuple[int, str, Span]] = []
        for match in _SGB.finditer(self.text):
            base = match.start("books")
            for roman in _ROMAN.finditer(match.group("books")):
                if roman.group() in codelists.SGB_BOOKS:
                    start = base + roman.start()
                    span = self.flow.span(start, start + len(roman.group()))
                    found.append((start, f"SGB {roman.group()}", span))
        for match in _ASYLBLG.finditer(self.text):
            found.append((match.start(), codelists.ASYLBLG, self.located(match)))
        seen: set[str] = set()
        for _, code, span in sorted(found, key=lambda f: f[0]):
            if code not in seen:
                seen.add(code)
                yield Located(code, span)

    def _bezugsrahmen(self) -> Iterator[Located[str]]:
        found: list[tuple[int, str, Span]] = []
        for entry in codelists.BEZUGSRAHMEN:
            for match in entry.pattern.finditer(self.text):
                slug = entry.slug
                if "start" in match.groupdict() and match.group("start"):
                    slug = f"{slug}-{match.group('start')}-{match.group('end')}"
                found.append((match.start(), slug, self.located(match)))
        seen: set[str] = set()
        for _, slug, span in sorted(found, key=lambda f: f[0]):
            if slug not in seen:
                seen.add(slug)
                yield Located(slug, span)

    def _granting_authority(self) -> tuple[Located[Organisation] | None, Span | None]:
        """The Regierungspräsidium named in a sentence about the (Bewilligungs-)Bescheid, and
        where that sentence names the Bescheid (the form of grant)."""
        for match in _GRANTING.finditer(self.text):
            start = self.text.rfind(". ", 0, match.start()) + 1
            end_match = _SENTENCE_END.search(self.text, match.end())
            end = end_match.start() if end_match else len(self.text)
            bescheid = _BESCHEID.search(self.text, start, end)
            if not bescheid:
                continue
            name = f"Regierungspräsidium {match.group('seat')}"
            span = self.located(match)
            try:
                org = resolve_organisation(self.reference, name, "Regierungspraesidium")
            except ResolveError as error:
                raise self.fail(error.message, span, ResolveError) from None
            return Located(org, span), self.located(bescheid)
        return None, None

    # -- signatures ----------------------------------------------------------------------------

    def _signatures(
        self, ministry: Organisation, region: Gebietskoerperschaft
    ) -> Iterator[Unterzeichnung]:
        return read_signatures(self.lines, ministry, region)


def _entry_title(marker: re.Pattern[str], lines: Sequence[Line]) -> str:
    """The text of a list entry without its number or bullet."""
    match = marker.match(join_lines(lines))
    assert match is not None
    return match.group("title")


def _entry_span(marker: re.Pattern[str], lines: Sequence[Line]) -> Span:
    """The span of a list entry's text, without its number or bullet."""
    return line_span(lines, _title_column(marker, lines))


def _title_column(marker: re.Pattern[str], lines: Sequence[Line]) -> int:
    """Where the text of a list entry starts in its first line (after number or bullet)."""
    match = marker.match(lines[0].text)
    assert match is not None
    return match.start("title")
