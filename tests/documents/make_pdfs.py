"""Typeset the two 2025 agreements as PDF fixtures, the way the ministry's PDFs look.

Dev tool, not imported by the tests. It needs fpdf2 and pyphen (``pip install fpdf2 pyphen``) and
the DejaVu fonts (``apt-get install fonts-dejavu-core fonts-dejavu-extra``). Run it from the
repository root::

    .venv/bin/python tests/documents/make_pdfs.py   # aqb_rdf from the venv (pip install -e .)

It writes

- ``bergstrasse-2025-pdf/agreement.pdf`` from ``bergstrasse-2025-txt/agreement.txt``,
- ``bergstrasse-2025-pdf-two-column/agreement.pdf``: the same with the two signature blocks
  side by side,
- ``offenbach-2025-pdf/agreement.pdf`` from ``offenbach-2025-md/agreement.md`` (markup removed),
- ``offenbach-2025-pdftext/agreement.txt``: what ``aqb_rdf.source.reading.extract_pdf_text`` (pypdf)
  extracts from the Offenbach PDF,
- ``bad/scanned.pdf``: a page with only a drawn rectangle, no text layer (like a scan),
- ``bad/encrypted.pdf``: the Bergstraße PDF encrypted with a user password (RC4, "geheim").

Layout: A4, DejaVu Sans 11 pt, centred bold headings, justified paragraphs hyphenated with
pyphen's de_DE patterns (so extracted text has line breaks inside paragraphs and words split
at line ends), § 5 projects as ``•`` bullets with a hanging indent, the signature block at the
end, and the footer "Seite N von M" on every page. Output is deterministic (fixed dates).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pyphen
from fpdf import FPDF

from aqb_rdf.source.reading import extract_pdf_text

HERE = Path(__file__).resolve().parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SOFT_HYPHEN = "\u00ad"
LINE = 5.5  # mm, line height for 11 pt
CREATED = dt.datetime(2025, 8, 11, 12, 0, tzinfo=dt.UTC)

HYPHENATOR = pyphen.Pyphen(lang="de_DE")


def hyphenate(text: str) -> str:
    """Insert soft hyphens into long words; fpdf2 breaks lines there and draws a "-"."""
    return re.sub(
        r"[A-Za-zÄÖÜäöüß]{9,}",
        lambda m: HYPHENATOR.inserted(m.group(), hyphen=SOFT_HYPHEN),
        text,
    )


def unmark(markdown: str) -> str:
    """Strip the Markdown markup of the Offenbach file, keeping **bold** and *italic* runs."""
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r"^#+\s*", "", line).rstrip()
        line = re.sub(r"^\*\*(.*)\*\*$", r"\1", line)  # headings are bold anyway
        line = re.sub(r"^\*([^*].*)\*$", r"__\1__", line)  # fpdf2 markdown italics
        lines.append(line)
    return "\n".join(lines)


def blocks(text: str) -> list[list[str]]:
    """Split text into blocks separated by blank lines."""
    return [b.splitlines() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]


class Agreement(FPDF):
    def footer(self) -> None:
        self.set_y(-18)
        self.set_font("DejaVu", size=9)
        self.cell(0, 5, f"Seite {self.page_no()} von {{nb}}", align="C")


def typeset(text: str, password: str | None = None, two_columns: bool = False) -> bytes:
    """The agreement as a PDF; ``two_columns`` puts the signature blocks side by side."""
    pdf = Agreement(format="A4")
    pdf.set_creation_date(CREATED)
    if password is not None:
        pdf.set_encryption(owner_password=password, user_password=password)
    pdf.set_title("Zielvereinbarung 2025")
    pdf.set_author("Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales")
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    oblique = FONTS / "DejaVuSans-Oblique.ttf"
    pdf.add_font("DejaVu", "I", oblique if oblique.exists() else FONTS / "DejaVuSans.ttf")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=28)
    pdf.add_page()

    def write(
        line: str,
        *,
        align: str = "L",
        style: str = "",
        size: float = 11,
        indent: float = 0,
        after: float = LINE,
    ) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(
            pdf.epw - indent, LINE, line, align=align, markdown=True, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(after)

    signatures: list[list[str]] = []
    body: list[str] = []  # a paragraph may continue in the next block (an old page break)
    in_title, in_heading, in_signatures = True, False, False
    for block in blocks(text):
        first = block[0].strip()
        if re.match(r".+, den \d", first):
            in_signatures = True
        if body and (in_signatures or len(block) > 1 or len(first) < 80):
            write(hyphenate(" ".join(body)), align="J")
            body = []
        if in_signatures and two_columns:
            if re.match(r".+, den \d", first):
                signatures.append([])
            signatures[-1].extend(line.strip() for line in block)
            continue
        if in_signatures:
            for line in block:
                write(line.strip(), after=0)
            pdf.ln(LINE * (3 if re.match(r".+, den \d", first) else 1.5))
        elif first in ("Präambel",) or re.fullmatch(r"§ \d+", first):
            in_title, in_heading = False, True
            write(first, align="C", style="B", after=LINE / 2)
        elif in_title:
            big = first == "Zielvereinbarung"
            write(first, align="C", style="B", size=16 if big else 11, after=LINE / 2)
        elif re.fullmatch(r"[\d.]+ Euro", first.strip("*")):
            write(first.strip("*"), align="C", style="B")
        elif re.match(r"\d+\.\s", first):
            for line in block:
                item = re.match(r"\s*(\d+\.|[-*•])\s+(.*)", line)
                if item is None:
                    raise ValueError(f"unexpected list line: {line!r}")
                mark, rest = item.groups()
                indent = 0.0 if mark[0].isdigit() else 8.0
                label = mark if mark[0].isdigit() else "•"
                pdf.set_font("DejaVu", "", 11)
                pdf.set_x(pdf.l_margin + indent)
                pdf.cell(7, LINE, label)
                pdf.multi_cell(
                    pdf.epw - indent - 7,
                    LINE,
                    hyphenate(rest),
                    align="L",
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
            pdf.ln(LINE)
        elif in_heading and len(block) == 1 and len(first) < 80 and first[-1] not in ".:":
            write(first, align="C", style="B", after=LINE / 2)
        else:
            in_heading = False
            body.append(" ".join(line.strip() for line in block))
            if block[-1].rstrip()[-1] in ".:!?":
                write(hyphenate(" ".join(body)), align="J")
                body = []
    if body:
        write(hyphenate(" ".join(body)), align="J")
    if signatures:
        pdf.set_font("DejaVu", "", 11)
        top = pdf.get_y() + LINE
        columns = [[lines[0], "", "", "", *lines[1:]] for lines in signatures]
        for row in range(max(len(c) for c in columns)):  # row by row, as a table is written
            for column, lines in enumerate(columns):
                if row < len(lines) and lines[row]:
                    pdf.set_xy(pdf.l_margin + column * pdf.epw / 2, top + row * LINE)
                    pdf.cell(pdf.epw / 2, LINE, lines[row])
    return bytes(pdf.output())


def scanned() -> bytes:
    """A PDF page without any text, standing in for a scanned image."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(CREATED)
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(25, 20, 160, 240, style="F")
    return bytes(pdf.output())


def main() -> None:
    bergstrasse = (HERE / "bergstrasse-2025-txt" / "agreement.txt").read_text("utf-8")
    offenbach = unmark((HERE / "offenbach-2025-md" / "agreement.md").read_text("utf-8"))
    (HERE / "bergstrasse-2025-pdf" / "agreement.pdf").write_bytes(typeset(bergstrasse))
    (HERE / "bergstrasse-2025-pdf-two-column" / "agreement.pdf").write_bytes(
        typeset(bergstrasse, two_columns=True)
    )
    (HERE / "bad" / "scanned.pdf").write_bytes(scanned())
    (HERE / "bad" / "encrypted.pdf").write_bytes(typeset(bergstrasse, password="geheim"))
    pdf = typeset(offenbach)
    (HERE / "offenbach-2025-pdf" / "agreement.pdf").write_bytes(pdf)
    (HERE / "offenbach-2025-pdftext" / "agreement.txt").write_text(
        extract_pdf_text(pdf), "utf-8", newline="\n"
    )


if __name__ == "__main__":
    main()
