"""The source documents in the release: each one's decoded text and original file (I/O edge).

Every Fundstelle points into the text of its document by character offsets (``oa:start``,
``oa:end``); the release publishes that very text, UTF-8 encoded, as
``dokumente/{segment}.txt``, and the file as read as ``dokumente/{segment}.original.{suffix}``
(:mod:`aqb_rdf.rdf.files`), so anyone can check each quote against the document. The files
depend only on the document, so a build of the same input writes the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aqb_rdf.publish.writing import naming
from aqb_rdf.rdf import files
from aqb_rdf.rdf.iris import dokument_segment


@dataclass(frozen=True)
class PublishedDocument:
    """A source document as the release publishes it.

    Attributes:
        name: the file name it was read from.
        sha256: the SHA-256 of its bytes.
        media_type: what it was read as.
        text: the decoded text (what the Fundstellen count in).
        data: the bytes as read (``None``: not read from a file, no original to publish).
    """

    name: str
    sha256: str
    media_type: str
    text: str
    data: bytes | None

    @property
    def segment(self) -> str:
        return dokument_segment(self.sha256)


def write_document(folder: Path, document: PublishedDocument) -> None:
    """Write the text and the original of ``document`` into the release ``folder``."""
    (folder / files.DOCUMENTS_FOLDER).mkdir(exist_ok=True)
    text = folder / files.document_text(document.segment)
    with naming(text):
        text.write_bytes(document.text.encode("utf-8"))
    if document.data is None:
        return
    original = folder / files.document_original(document.segment, document.media_type)
    with naming(original):
        original.write_bytes(document.data)
