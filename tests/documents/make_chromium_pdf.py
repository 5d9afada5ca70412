"""Print the Bergstraße agreement as a PDF with Chromium: a second PDF writer for the fixtures.

Dev tool, not imported by the tests. It needs Debian's ``chromium``. Run it from the repository
root::

    .venv/bin/python tests/documents/make_chromium_pdf.py

It writes ``bergstrasse-2025-pdf-chromium/agreement.pdf`` from
``bergstrasse-2025-txt/agreement.txt``, laid out as an HTML page (Chromium's own PDF writer,
Skia, not fpdf2 as :mod:`make_pdfs`): centred bold headings, paragraphs in proportional type,
the § 5 list as a ``<ul>`` of Maßnahmenarten with their projects as bullets, a page break inside
the list (after Maßnahmenart 2) with the footer "- 2 -" and a running header repeating the title
at the top of the next page, and the two signature blocks side by side in a table. Chromium
writes the date into the file, so a new run gives other bytes (the text stays the same).
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STYLE = """
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35; }
h1, h2 { text-align: center; font-size: 11pt; margin: 0.8em 0 0.4em; }
h1.title { font-size: 16pt; }
p { text-align: justify; margin: 0 0 0.7em; }
ul { list-style: none; padding-left: 0; }
ul ul { padding-left: 2em; }
.footer { text-align: center; break-after: page; margin-top: 2em; }
.header { text-align: center; font-size: 9pt; }
table { width: 100%; margin-top: 2em; border-collapse: collapse; }
td { width: 50%; vertical-align: top; padding: 0; }
"""


def blocks(text: str) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            out[-1].append(line.rstrip())
        elif out[-1]:
            out.append([])
    return [b for b in out if b]


def page(text: str) -> str:
    """The agreement as one HTML page."""
    parts: list[str] = []
    signatures: list[list[str]] = []
    in_title = True
    for block in blocks(text):
        first = block[0].strip()
        if re.match(r".+, den \d", first) or signatures:
            if re.match(r".+, den \d", first):
                signatures.append([first])
            else:
                signatures[-1].extend(line.strip() for line in block)
            continue
        if first == "Präambel" or re.fullmatch(r"§ \d+", first):
            in_title = False
            parts.append(f"<h2>{html.escape(first)}</h2>")
        elif in_title:
            css = ' class="title"' if first == "Zielvereinbarung" else ""
            parts.append(f"<h1{css}>{html.escape(first)}</h1>")
        elif re.match(r"\d+\.\s", first):
            items: list[str] = []
            for line in block:
                mark = re.match(r"\s*(\d+\.|[-*•])\s+(.*)", line)
                assert mark is not None, line
                number, rest = mark.groups()
                if number[0].isdigit():
                    if number == "3.":  # a page break inside the list
                        items.append(
                            '</ul><p class="footer">- 2 -</p>'
                            '<p class="header">Zielvereinbarung 2025 – Landkreis Bergstraße</p>'
                            "<ul>"
                        )
                    items.append(f"<li>{number} {html.escape(rest)}</li>")
                else:
                    items.append(f"<li><ul><li>• {html.escape(rest)}</li></ul></li>")
            parts.append("<ul>" + "".join(items) + "</ul>")
        elif len(block) == 1 and len(first) < 80 and first[-1] not in ".:":
            parts.append(f"<h2>{html.escape(first)}</h2>")
        else:
            body = " ".join(line.strip() for line in block)
            body = re.sub(r"\*\*(.+?)\*\*", r"\1", body)
            parts.append(f"<p>{html.escape(body)}</p>")
    cells = [
        "<br>".join([html.escape(s[0]), "<br><br>", *map(html.escape, s[1:])]) for s in signatures
    ]
    parts.append("<table><tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr></table>")
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>"
    )


def main() -> None:
    text = (HERE / "bergstrasse-2025-txt" / "agreement.txt").read_text("utf-8")
    target = HERE / "bergstrasse-2025-pdf-chromium" / "agreement.pdf"
    target.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "agreement.html"
        source.write_text(page(text), encoding="utf-8")
        subprocess.run(
            [
                "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-pdf-header-footer", f"--user-data-dir={folder}/profile",
                f"--print-to-pdf={target}", source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip


if __name__ == "__main__":
    main()
