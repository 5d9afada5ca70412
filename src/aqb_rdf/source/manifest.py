"""Where the documents of a folder were published: the optional ``manifest.csv`` (I/O edge).

A folder of agreement documents may hold a ``manifest.csv`` (UTF-8, comma-separated, a header
row) naming, for some of its documents, the address the publisher published them at:

=========  ======================================================================
column     meaning
=========  ======================================================================
``datei``  the document's file name in this folder (``bergstrasse.txt``)
``url``    where the publisher published it (an ``http://`` or ``https://`` URL)
=========  ======================================================================

A document the manifest does not name, or a folder without one, gets no publication URL: the
dataset says nothing rather than guess. A malformed manifest, or one naming a file the folder
does not hold, stops the build with one line ``manifest.csv:LINE: problem``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from aqb_rdf.errors import ReadError

MANIFEST = "manifest.csv"
COLUMNS = ("datei", "url")
_NOT_IN_AN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
"""What an IRI cannot hold (RFC 3987; as pyoxigraph, and the dumps' ``<…>``, refuse them): a
URL with one would break out of its place in the dumps or be read as another."""


def parse_manifest(text: str, path: str = MANIFEST) -> dict[str, tuple[str, int]]:
    """File name → (publication URL, line), from the text of a manifest.

    Raises:
        ReadError: a column is missing, a row names a file twice or no file, or a URL is not
            an absolute http(s) URL (the error names ``path`` and the line).
    """
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ReadError(f"manifest without the column(s) {', '.join(missing)}", path, 1)
    urls: dict[str, tuple[str, int]] = {}
    for row in reader:
        line = reader.line_num
        name, url = (row.get("datei") or "").strip(), (row.get("url") or "").strip()
        if not name or "/" in name:
            raise ReadError(f"not a file name of this folder: {name!r}", path, line)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or _NOT_IN_AN_IRI.search(url):
            raise ReadError(f"not an http(s) URL: {url!r}", path, line)
        if name in urls:
            raise ReadError(f"{name} is named twice", path, line)
        urls[name] = (url, line)
    return urls


def publication_urls(folder: Path) -> Mapping[str, str]:
    """File name → publication URL, from the manifest of ``folder`` (empty without one).

    Raises:
        ReadError: the manifest is malformed or names a file the folder does not hold (a
            typo would leave the document without its URL, unnoticed).
    """
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise ReadError(f"cannot read the manifest ({error})", str(path)) from None
    urls = parse_manifest(text, str(path))
    for name, (_, line) in urls.items():
        if not (folder / name).is_file():
            raise ReadError(f"no document {name} in this folder", str(path), line)
    return {name: url for name, (url, _) in urls.items()}
