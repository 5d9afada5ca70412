"""Read an agreement file into a :class:`~aqb_rdf.source.model.SourceDocument` (the I/O edge).

Text files are decoded as UTF-8 (with or without BOM), UTF-16/UTF-32 when a BOM says so, and
Windows-1252 only when the bytes are not UTF-8 and the result shows no sign of UTF-8 mojibake.
PDF files are read with pypdf, one text line per PDF line, a blank line between pages. A page
on which plain extraction puts two signature heads ("Wiesbaden, den 2.8.2025 Heppenheim, den
8.8.2025") on one line has its blocks side by side; that page is extracted with its layout
kept, so the parser can read the blocks column by column. A PDF's typographic ligatures
(U+FB00–U+FB06, "ﬁ" for "fi", which writers such as Chromium's put into the text layer) are
written out as their letters.
Line ends become LF and the text is NFC-normalised; nothing else changes, so every span the
parser records refers to exactly this text (which the release publishes). The document keeps
its bytes (the release offers the original for download), where each PDF page begins in the
text, and its publication URL from the folder's ``manifest.csv`` (:mod:`.manifest`).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from aqb_rdf.errors import ReadError
from aqb_rdf.source.manifest import publication_urls
from aqb_rdf.source.model import SourceDocument

# pypdf logs defects ("EOF marker not found" ...) as warnings, which Python would print to stderr
# beside our one-line errors when no handler is configured; configured handlers still get them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

# Magic numbers of formats people mistake for documents: PNG, GIF, JPEG, ZIP (also DOCX, ODT),
# gzip, 7-Zip, RAR, ELF, TIFF, OLE2 (old .doc), xz.
_BINARY_MAGIC = re.compile(
    rb"\x89PNG|GIF8[79]a|\xff\xd8\xff|PK\x03\x04|\x1f\x8b|7z\xbc\xaf|Rar!\x1a|\x7fELF"
    rb"|II\*\x00|MM\x00\*|\xd0\xcf\x11\xe0|\xfd7zXZ\x00"
)
_BOMS = {  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
    "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
}
# Control characters no text document contains (tab, LF, FF and CR are fine).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# What UTF-8 looks like when misread as Windows-1252: "Ã¤" for "ä", "Â§" for "§", "â€“" for "–".
_MOJIBAKE = re.compile(
    "[ÃÂ][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013-\u2122]|â€"
)


# Two "Ort, den Datum" heads on one line: signature blocks side by side, merged by extraction.
_HEAD = r"[A-ZÄÖÜ][^\d,\n]{1,60},\s*(?:den\s+)?\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}"
_SIDE_BY_SIDE = re.compile(rf"^[ \t]*{_HEAD}[ \t]+{_HEAD}[ \t]*$", re.MULTILINE)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
"""ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ → ff fi fl ffi ffl st st: glyphs of a PDF's text layer, not letters."""


def _without_ligatures(text: str) -> str:
    return text.translate(_LIGATURES)


def _line_of(data: bytes, offset: int, encoding: str = "latin-1") -> int:
    """The 1-based line of the byte at ``offset``."""
    return _normalise(data[:offset].decode(encoding, "replace")).count("\n") + 1


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text document and normalise line ends (LF) and Unicode (NFC).

    Raises:
        ReadError: the bytes are binary data, neither UTF-8 nor plausible Windows-1252, or
            text that was garbled by a wrong encoding before it was saved.
    """
    encoding = next((name for name, boms in _BOMS.items() if data.startswith(boms)), None)
    controls = b"\x00" in data or len(_CONTROL.findall(data)) > len(data) / 20
    if _BINARY_MAGIC.match(data) or (encoding is None and controls):
        raise ReadError("binary data, not a text or PDF document")
    invalid = None  # offset of the first byte that is not UTF-8
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as error:
        if encoding is not None:
            message = f"invalid {encoding.upper()} text after its byte order mark"
            raise ReadError(message, line=_line_of(data, error.start, encoding)) from None
        invalid = error.start
        try:  # never reached by UTF-8 files: they decoded above
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            message = f"neither UTF-8 nor Windows-1252 text (byte 0x{data[error.start]:02X})"
            raise ReadError(message, line=_line_of(data, error.start)) from None
    text = _normalise(text)
    garbled = _MOJIBAKE.search(text)
    if garbled and invalid is not None:
        message = f"mostly UTF-8 but with an invalid byte 0x{data[invalid]:02X} (mixed encodings?)"
        raise ReadError(message, line=_line_of(data, invalid))
    if garbled:
        message = f'garbled text "{garbled.group()}": decoded with a wrong encoding before saving'
        raise ReadError(message, line=text.count("\n", 0, garbled.start()) + 1)
    return text


def extract_pdf_text(data: bytes) -> str:
    """Extract the text layer of a PDF: one line per PDF text line, a blank line between pages.

    Raises:
        ReadError: the PDF is encrypted, damaged, or has no text layer.
    """
    return _joined(extract_pdf_pages(data))[0]


def _joined(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """The text of ``pages`` (a blank line between them) and where each page begins in it."""
    starts: list[int] = []
    offset = 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 2
    return "\n\n".join(pages) + "\n", tuple(starts)


def extract_pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, one line per PDF text line (see :func:`extract_pdf_text`).

    Raises:
        ReadError: the PDF is encrypted, damaged, or has no text layer.
    """
    # pypdf signals a damaged file with many exception types (its own, ValueError, KeyError,
    # struct and zlib errors ...); at this edge each of them means the same thing to the user.
    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - see the comment above
        raise ReadError("damaged PDF, cannot be read") from None
    if reader.is_encrypted:
        try:  # many PDFs are encrypted only against editing, with an empty user password
            opened = bool(reader.decrypt(""))
        except Exception:  # noqa: BLE001 - e.g. AES without the optional crypto package
            opened = False
        if not opened:
            raise ReadError("encrypted PDF; save an unencrypted copy first")
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
        pages = [
            reader.pages[n].extract_text(extraction_mode="layout") or text
            if _SIDE_BY_SIDE.search(text)
            else text
            for n, text in enumerate(pages)
        ]
    except Exception:  # noqa: BLE001 - see the comment above
        raise ReadError("damaged PDF, cannot be read") from None
    pages = [_without_ligatures(_normalise(page)).strip("\n") for page in pages]
    if not any(page.strip() for page in pages):
        raise ReadError("PDF has no text layer (scanned?); OCR it first")
    return pages


def read_document(path: Path) -> SourceDocument:
    """Read a Markdown, plain-text or PDF agreement file.

    Raises:
        ReadError: the file is empty, binary, undecodable, or an unreadable PDF; the error
            names the file (and the line, where there is one).
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot open file ({error.strerror or 'I/O error'})"
        raise ReadError(message, path=str(path)) from None
    page_starts: tuple[int, ...] = ()
    try:
        if data.startswith(b"%PDF-"):
            text, page_starts = _joined(extract_pdf_pages(data))
            media_type = "application/pdf"
        else:
            text = decode_text(data)
            media_type = "text/markdown" if path.suffix.lower() == ".md" else "text/plain"
        if not text.strip():
            raise ReadError("empty file")
    except ReadError as error:
        raise ReadError(error.message, path=str(path), line=error.line) from None
    return SourceDocument(
        path=str(path),
        name=path.name,
        media_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        data=data,
        page_starts=page_starts,
        publication_url=publication_urls(path.parent).get(path.name),
    )
