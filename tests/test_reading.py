"""Tests for :mod:`aqb_rdf.source.reading` against the real documents in ``tests/documents/``.

Every encoding and format variant of an agreement must decode to the text of its UTF-8
original; every unreadable input must be refused with a one-line :class:`ReadError`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aqb_rdf.errors import ReadError
from aqb_rdf.source.reading import decode_text, extract_pdf_text, read_document

DOCUMENTS = Path(__file__).parent / "documents"
DATA = Path(__file__).parent.parent / "data" / "agreements" / "2025"
BAD = DOCUMENTS / "bad"

BERGSTRASSE_PROJECTS = [
    "Vorbereitung TZ Ausbildung",
    "Ausbildungsvorbereitung",
    "Absolventenmanagement I",
    "Sprachkursbegleitende Unterstützung Bensheim",
    "Sprachkursbegleitende Unterstützung Viernheim",
    "Digitalisierung Migration",
    'Gesundheitsmaßnahme "Fit in den Beruf"',
    "Jobdatings",
    "BASS Studium",
]
OFFENBACH_PROJECTS = [
    "Berufsvorbereitung Elektro",
    "BaE Teilzeit",
    "Coaching und Unterrichtshilfen (CUBA)",
    "Jobcoach",
    "Interkulturelle Gruppe",
    "Coaching von jungen Wohnungssuchenden",
    "Fallmanagement für Erziehende",
    "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen",
    "Schulungen für Mitarbeiter/innen",
]


def agreement(case: str) -> Path:
    """The one ``agreement.*`` file of a case directory."""
    (path,) = (DOCUMENTS / case).glob("agreement.*")
    return path


def squeeze(text: str) -> str:
    """Text without whitespace, hyphens, bullets, markup and PDF page footers.

    What is left is the sequence of letters, digits and punctuation, which a PDF keeps even
    when it wraps lines, hyphenates words and drops Markdown markup.
    """
    text = re.sub(r"^Seite \d+ von \d+$", "", text, flags=re.MULTILINE)
    return re.sub(r"[\s\-\u00ad*#•_]", "", text)


def assert_one_line(error: ReadError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{path}")
    assert not re.search(r"Traceback|Exception|Errno|codec|object|\bNone\b", message), message


# --- the originals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "data_file"),
    [
        ("bergstrasse-2025-txt", "bergstrasse.txt"),
        ("offenbach-2025-md", "offenbach-am-main-stadt.md"),
    ],
)
def test_fixture_is_byte_identical_to_the_data_file(case: str, data_file: str) -> None:
    assert agreement(case).read_bytes() == (DATA / data_file).read_bytes()


@pytest.mark.parametrize(
    ("case", "media_type"),
    [("bergstrasse-2025-txt", "text/plain"), ("offenbach-2025-md", "text/markdown")],
)
def test_utf8_original_is_read_unchanged(case: str, media_type: str) -> None:
    path = agreement(case)
    document = read_document(path)
    assert document.text == path.read_bytes().decode("utf-8")
    assert document.media_type == media_type
    assert document.name == path.name
    assert document.path == str(path)
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- encoding variants -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "original"),
    [
        ("bergstrasse-2025-cp1252-crlf", "bergstrasse-2025-txt"),
        ("offenbach-2025-utf8bom", "offenbach-2025-md"),
    ],
)
def test_encoding_variant_decodes_to_the_original_text(variant: str, original: str) -> None:
    document = read_document(agreement(variant))
    assert document.text == read_document(agreement(original)).text
    assert "\r" not in document.text
    assert "\ufeff" not in document.text
    # the hash is of the bytes as they are, not of the decoded text
    assert document.sha256 == hashlib.sha256(agreement(variant).read_bytes()).hexdigest()


def test_cp1252_never_yields_mojibake() -> None:
    text = read_document(agreement("bergstrasse-2025-cp1252-crlf")).text
    assert "Ã" not in text and "Â" not in text and "â€" not in text
    assert "Landkreis Bergstraße" in text
    assert "„Arbeitswelt Hessen“" in text


def test_utf8_with_a_stray_cp1252_byte_is_refused_not_decoded_as_cp1252(tmp_path: Path) -> None:
    lines = agreement("bergstrasse-2025-txt").read_bytes().split(b"\n")
    lines[19] += b" Gr\xfc\xdfe"  # "Grüße" in Windows-1252, appended to line 20
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ReadError, match="mostly UTF-8 but with an invalid byte 0xFC") as info:
        read_document(path)
    assert info.value.line == 20
    assert_one_line(info.value, path)


def test_utf8_text_garbled_before_saving_is_refused(tmp_path: Path) -> None:
    text = agreement("bergstrasse-2025-txt").read_text("utf-8")
    path = tmp_path / "garbled.txt"
    path.write_text(text.encode("utf-8").decode("cp1252"), "utf-8")  # "BergstraÃŸe"
    with pytest.raises(ReadError, match="garbled text") as info:
        read_document(path)
    assert info.value.line == 9  # "Ministerium fÃ¼r Arbeit"
    assert_one_line(info.value, path)


def test_undefined_cp1252_byte_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "undefined.txt"
    path.write_bytes("Zielvereinbarung\nStra\u00dfe\n".encode("cp1252") + b"Ende \x81\n")
    with pytest.raises(ReadError, match="neither UTF-8 nor Windows-1252") as info:
        read_document(path)
    assert info.value.line == 3
    assert_one_line(info.value, path)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_are_detected_by_their_bom(tmp_path: Path, encoding: str) -> None:
    original = read_document(agreement("offenbach-2025-md")).text
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[encoding]
    path = tmp_path / "agreement.md"
    path.write_bytes(bom + original.replace("\n", "\r\n").encode(encoding))
    assert read_document(path).text == original


def test_line_ends_and_unicode_are_normalised_nothing_else() -> None:
    data = "a\r\nb\rc\nStra\u00dfe Ba\u0308cker\u00a0Arbeits\u00admarkt\tEnde".encode()
    assert decode_text(data) == "a\nb\nc\nStra\u00dfe B\u00e4cker\u00a0Arbeits\u00admarkt\tEnde"


# --- PDF -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "original", "amount", "projects"),
    [
        ("bergstrasse-2025-pdf", "bergstrasse-2025-txt", "1.230.450 Euro", BERGSTRASSE_PROJECTS),
        ("offenbach-2025-pdf", "offenbach-2025-md", "1.011.410 Euro", OFFENBACH_PROJECTS),
        ("offenbach-2025-pdftext", "offenbach-2025-md", "1.011.410 Euro", OFFENBACH_PROJECTS),
    ],
)
def test_pdf_text_holds_every_line_of_the_original(
    case: str, original: str, amount: str, projects: list[str]
) -> None:
    text = read_document(agreement(case)).text
    squeezed = squeeze(text)
    for line in read_document(agreement(original)).text.splitlines():
        assert squeeze(line) in squeezed, line
    assert amount in text.splitlines()
    one_line = " ".join(text.splitlines())  # a long project title may wrap
    for project in projects:
        assert f"• {project}" in one_line, project
    assert "Seite 1 von 4" in text.splitlines() and "Seite 4 von 4" in text.splitlines()


def test_pdf_text_looks_like_pdf_text() -> None:
    """What the parser must cope with: footers, hyphenation, bullets, blank lines between pages."""
    document = read_document(agreement("bergstrasse-2025-pdf"))
    assert document.media_type == "application/pdf"
    text = document.text
    assert re.search(r"^Seite 1 von 4\n\n\S", text, flags=re.MULTILINE)
    assert re.search(r"[a-zäöüß]-\n[a-zäöüß]", text)  # a word hyphenated at a line end
    assert "Ar-\nbeitsmarktintegration" in text
    assert "\n• Jobdatings\n" in text
    assert "\f" not in text and "\r" not in text


def test_pdftext_fixture_is_what_the_pdf_gives() -> None:
    """The committed extraction matches the PDF, up to pypdf's spacing choices."""
    fixture = read_document(agreement("offenbach-2025-pdftext")).text
    extracted = extract_pdf_text(agreement("offenbach-2025-pdf").read_bytes())
    assert squeeze(fixture) == squeeze(extracted)


@pytest.mark.parametrize("keep", [0.02, 0.5, 0.95, 0.999])
def test_truncated_pdf_is_refused(tmp_path: Path, keep: float) -> None:
    data = agreement("bergstrasse-2025-pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ReadError, match="damaged PDF") as info:
        read_document(path)
    assert_one_line(info.value, path)


# --- inputs that are not documents -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary data, not a text or PDF document"),
        ("scanned.pdf", "PDF has no text layer (scanned?); OCR it first"),
        ("encrypted.pdf", "encrypted PDF; save an unencrypted copy first"),
    ],
)
def test_bad_document_is_refused_with_one_line(name: str, message: str) -> None:
    path = BAD / name
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    "data",
    [
        b"   \n\t\r\n  ",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"),
        bytes(range(1, 9)) * 200 + b"some text",  # control characters, no NUL
        "Zielvereinbarung 2025".encode("utf-16-le"),  # UTF-16 without BOM: NUL bytes
        b"PK\x03\x04" + b"zip archive" * 10,
        b"\x1f\x8b\x08" + b"gzip" * 10,
    ],
    ids=["whitespace", "bom-only", "utf16-whitespace", "controls", "utf16-no-bom", "zip", "gzip"],
)
def test_non_documents_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "agreement.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError, match=r": (empty file|binary data, not a text or PDF document)$"):
        read_document(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(ReadError, match="cannot open file") as info:
        read_document(path)
    assert_one_line(info.value, path)


# --- property: any German text survives any supported encoding ------------------------------


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


GERMAN = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        " \t.,;:!?()/%&'\"-+=§€äöüÄÖÜßéè„“‚‘–—…«»°²\n"
    ),
    min_size=1,
    max_size=300,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=GERMAN, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]), crlf=st.booleans())
def test_german_text_round_trips(tmp_path: Path, text: str, encoding: str, crlf: bool) -> None:
    assume(text.strip())
    data = (text.replace("\n", "\r\n") if crlf else text).encode(encoding)
    if encoding == "cp1252" and not data.isascii():
        # Bytes that are valid UTF-8 are read as UTF-8 by rule, so Windows-1252 bytes such as
        # "ß–" (DF 96, valid UTF-8 for "ߖ") are ambiguous. Real German text never is: there an
        # umlaut is followed by a letter, which UTF-8 does not allow.
        assume(not is_utf8(data))
    path = tmp_path / "agreement.txt"
    path.write_bytes(data)
    assert read_document(path).text == text


@given(data=st.binary(max_size=200))
def test_any_bytes_decode_or_raise_read_error(data: bytes) -> None:
    try:
        text = decode_text(data)
    except ReadError as error:
        assert "\n" not in str(error)
    else:
        assert "\r" not in text
