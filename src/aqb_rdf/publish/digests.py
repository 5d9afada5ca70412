"""SHA-256 digests of published files, and one digest of many (I/O edge: reads the files).

Each file of a release is hashed once, by :func:`file_sha256`: the catalogue states the
digests of the distributions (``spdx:checksum``) and derives its ``dcat:version`` from them,
and the release id (:func:`aqb_rdf.publish.release.release_id`) combines them with those of
the other files instead of reading the dumps a second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``, in hex."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def combined_digest(digests: Iterable[tuple[str, str]]) -> str:
    """16 hex digits of the SHA-256 of ``name sha256`` lines, in the order given: the same
    files, the same digest."""
    digest = hashlib.sha256()
    for name, sha256 in digests:
        digest.update(f"{name} {sha256}\n".encode())
    return digest.hexdigest()[:16]
